//! What the problem records' page shows, and what its forms send.

use serde::{Deserialize, Serialize};

use crate::features::structure::views::ClassSummary;

/// The kinds of problem, in the page's order: the ones only a change or a deletion resolves
/// first.
pub const KINDS: &[&str] = &[
    "number_shared",
    "id_invalid",
    "look_alike",
    "not_found",
    "name_mismatch",
];

/// The documents a records administrator may name as 佐证 (a code, never free text).
pub const DOCUMENTS: &[&str] = &[
    "hukou_book",
    "id_card",
    "police_certificate",
    "birth_certificate",
    "passport",
];

/// Whether 佐证 may settle a problem of `kind`: a number two records hold is never right
/// (one of them is changed or deleted).
pub fn evidence_settles(kind: &str) -> bool {
    KINDS.contains(&kind) && kind != "number_shared"
}

/// A student a problem names, as the viewer may see them (a 绝密 pupil's name is a records
/// administrator's alone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemStudent {
    /// The opaque id; empty where the viewer may not open the record.
    pub id: String,
    /// Empty where it is masked, or where a destruction batch erased the record since.
    pub name: String,
    /// A 绝密 pupil shown to a leader.
    pub masked: bool,
    pub class: Option<ClassSummary>,
}

/// A problem not resolved yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenProblem {
    /// One of [`KINDS`].
    pub kind: String,
    /// A shared number's field (`id_number`, `student_number`), a refused number's rule
    /// (`id_card.checksum`); empty otherwise.
    pub detail: String,
    pub student: ProblemStudent,
    /// The other record of a pair (a shared number, a look-alike).
    pub other: Option<ProblemStudent>,
    /// When the national system's check was imported (its kinds only).
    pub reported_at: Option<String>,
}

/// A problem resolved: how, by whom, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledProblem {
    /// One of [`KINDS`], or `duplicate` for a deletion.
    pub kind: String,
    /// `evidence`, `change` or `delete`.
    pub how: String,
    pub student: ProblemStudent,
    pub other: Option<ProblemStudent>,
    /// The document named (佐证) or the deletion's reason code.
    pub detail: String,
    pub by: String,
    /// A deletion's approver.
    pub approved_by: Option<String>,
    pub at: String,
}

/// The problem records' page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemsView {
    /// The open problems (a records administrator's; empty for a leader, who sees counts).
    pub open: Vec<OpenProblem>,
    /// How many are open, by kind, in [`KINDS`]' order.
    pub counts: Vec<(String, i64)>,
    /// The latest resolutions, deletions among them, newest first.
    pub settled: Vec<SettledProblem>,
    /// Whether the viewer resolves problems (a records administrator) or only reads.
    pub resolves: bool,
}

/// 佐证 for one open problem: the student, the kind, a look-alike's other record, and the
/// document checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceInput {
    pub student_id: String,
    pub kind: String,
    #[serde(default)]
    pub other_id: String,
    #[serde(default)]
    pub document: String,
}
