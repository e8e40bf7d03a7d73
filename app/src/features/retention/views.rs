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

/// The destruction page: the retention period, who is due, and the batches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionHome {
    pub retention_years: u32,
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
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_decide: bool,
    /// Whether the students' names are shown (the deciding leader asked, and it is audited).
    #[serde(default)]
    pub names_shown: bool,
}
