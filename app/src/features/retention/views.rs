//! What the destruction pages show: students by record id, class and leaving date; by name
//! and date of birth only to the leader deciding a batch, when they ask (audited), so that
//! nobody is erased unrecognised.

use serde::{Deserialize, Serialize};

crate::states! {
    /// Where a batch stands.
    pub enum BatchState {
        Proposed = "proposed",
        Approved = "approved",
        Rejected = "rejected",
    }
}

/// A student due for destruction, or in a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueStudent {
    pub id: String,
    /// (school year, grade, class name) of the class they were last in.
    pub class: (String, i64, String),
    /// `graduated`, `transferred` or `other`.
    pub left_reason: String,
    pub left_on: String,
    pub destroyed: bool,
    /// What they are kept as: `transfer_backup` or `core_record` (`rules::kept_as`).
    #[serde(default)]
    pub kept_as: String,
    /// (name, date of birth), shown to the deciding leader who asked.
    #[serde(default)]
    pub named: Option<(String, String)>,
}

/// A batch in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: String,
    pub reference: Option<String>,
    pub state: BatchState,
    pub proposer: String,
    pub proposed_at: String,
    pub student_count: i64,
}

/// How long a class of data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    Permanently,
    Years(u32),
    Days(u32),
    /// Idle minutes (a session).
    Minutes(u32),
    /// Until the form is shown again to whoever typed it.
    UntilShown,
    /// Until the release's window ends; never stored.
    UntilWindowEnds,
}

/// A class of data as the retention page shows it: what it is (`code`), how long it is
/// kept, and where that rule comes from (a code the page words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataClass {
    /// `core_record`, `transfer_backup`, `drafts`, `uploads`, `sessions`, `refused_forms`,
    /// `released_views`.
    pub code: String,
    pub kept: Kept,
    /// `art9`, `art9_setting`, `policy2`, `policy2_setting`, `policy_sessions`.
    pub source: String,
    /// For the core record: the school's rule that lets a batch erase one after so many
    /// years, with its citation; none, it is kept permanently.
    #[serde(default)]
    pub erasable: Option<(u32, String)>,
}

/// The destruction page: the retention period, who is due, and the batches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionHome {
    /// The years a transferred-out student's backup is kept.
    pub retention_years: u32,
    /// The classes of data, each with its rule.
    #[serde(default)]
    pub classes: Vec<DataClass>,
    /// How many days after leaving a record is archived.
    #[serde(default)]
    pub archive_after_days: i64,
    pub due_count: i64,
    /// The first of those due (the page shows at most a few hundred).
    pub due: Vec<DueStudent>,
    /// How many one batch takes at most.
    pub batch_limit: i64,
    pub can_propose: bool,
    pub batches: Vec<BatchSummary>,
}

/// One batch: the destruction log's entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView {
    pub id: String,
    pub reference: Option<String>,
    pub state: BatchState,
    pub proposer: String,
    pub proposed_at: String,
    pub reason: String,
    pub student_count: i64,
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    pub students: Vec<DueStudent>,
    /// The rules that let this batch erase what it holds: the backup period, and the
    /// school's cited rule where it holds core records.
    #[serde(default)]
    pub allowed_by: Vec<DataClass>,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_decide: bool,
    /// Whether the students' names are shown (the deciding leader asked, and it is audited).
    #[serde(default)]
    pub names_shown: bool,
}
