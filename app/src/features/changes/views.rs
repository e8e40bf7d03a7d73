//! What the change-of-status pages show: the student by name and class, kinds, reasons and
//! states by code, people by name; never a classified value.

use serde::{Deserialize, Serialize};

use crate::{features::structure::views::ClassRef, kit::workflow::Queues};

crate::states! {
    /// Where an application stands.
    pub enum ChangeState {
        Filed = "filed",
        Approved = "approved",
        Returned = "returned",
        Withdrawn = "withdrawn",
    }
}

crate::states! {
    /// The kinds of 学籍异动 the national system knows (NATIONAL.md).
    pub enum ChangeKind {
        TransferOut = "transfer_out",
        TransferIn = "transfer_in",
        Suspend = "suspend",
        Resume = "resume",
        DropOut = "drop_out",
        Death = "death",
        Abroad = "abroad",
        OtherLeave = "other_leave",
        RepeatGrade = "repeat_grade",
        SkipGrade = "skip_grade",
    }
}

impl ChangeKind {
    /// The kinds a records administrator files here: those by which a student leaves the
    /// school (转出, 辍学, 死亡, 出境, 其他离校).
    pub const FILED: &'static [ChangeKind] = &[
        ChangeKind::TransferOut,
        ChangeKind::DropOut,
        ChangeKind::Death,
        ChangeKind::Abroad,
        ChangeKind::OtherLeave,
    ];

    /// The reasons an application of this kind may give, by code (`change.reason_<code>`).
    pub fn reasons(self) -> &'static [&'static str] {
        match self {
            ChangeKind::TransferOut => &["family_moved", "school_choice", "other"],
            ChangeKind::DropOut => &["hardship", "illness", "disinterest", "other"],
            ChangeKind::Death => &["illness", "accident", "other"],
            ChangeKind::Abroad => &["study_abroad", "with_family", "other"],
            _ => &["other"],
        }
    }

    /// Whether the change names the other school (a transfer's).
    pub fn names_a_school(self) -> bool {
        matches!(self, ChangeKind::TransferOut | ChangeKind::TransferIn)
    }

    /// How the student's record says they left, once the change is approved: a transfer,
    /// or another leaving (the application keeps the kind).
    pub fn left_reason(self) -> Option<&'static str> {
        match self {
            ChangeKind::TransferOut => Some("transferred"),
            ChangeKind::DropOut
            | ChangeKind::Death
            | ChangeKind::Abroad
            | ChangeKind::OtherLeave => Some("other"),
            _ => None,
        }
    }
}

/// One application in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSummary {
    pub id: String,
    /// The pupil's name; empty for a 绝密 pupil shown to a leader (`student_hidden`).
    pub student: String,
    #[serde(default)]
    pub student_hidden: bool,
    pub class: ClassRef,
    pub kind: ChangeKind,
    pub effective_on: String,
    pub filed_at: String,
    pub state: ChangeState,
    /// An outcome this viewer has not seen yet.
    pub changed: bool,
}

/// The changes page: one's own applications, and for leaders those waiting for their
/// decision and the latest decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesHome {
    #[serde(flatten)]
    pub queues: Queues<ChangeSummary>,
}

/// One application: the printable 异动审批表.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: String,
    /// The pupil's name; empty for a 绝密 pupil shown to a leader (`student_hidden`).
    pub student: String,
    #[serde(default)]
    pub student_hidden: bool,
    /// The student's page, for a records administrator (a leader reads the form only).
    pub student_id: Option<String>,
    pub class: ClassRef,
    pub kind: ChangeKind,
    pub reason: String,
    pub effective_on: String,
    pub other_school: String,
    pub other_school_code: String,
    pub state: ChangeState,
    pub filer: String,
    pub filed_at: String,
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_decide: bool,
    pub can_withdraw: bool,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeInput {
    pub student_id: String,
    pub kind: String,
    pub reason: String,
    pub effective_on: String,
    pub other_school: String,
    pub other_school_code: String,
}
