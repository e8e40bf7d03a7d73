//! What the publication pages show.

use serde::{Deserialize, Serialize};

use crate::{domain::publication::Finding, kit::workflow::Queues};

/// Where a text is to be published.
pub const CHANNELS: &[&str] = &["website", "parents_group", "public_account", "other"];

/// The editor's form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicationInput {
    /// The text being edited (its opaque id), or empty for a new one.
    pub id: String,
    pub title: String,
    pub channel: String,
    pub body: String,
    /// "1": the author confirms they answer for what is published (谁上网谁负责).
    pub responsible: String,
}

crate::states! {
    /// Where a text stands.
    pub enum ReviewState {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

/// One text in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationSummary {
    pub id: String,
    pub title: String,
    pub author: String,
    pub channel: String,
    pub state: ReviewState,
    pub findings: usize,
    pub updated_at: String,
    pub review_number: Option<String>,
}

/// The publications page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationsHome {
    /// For those who decide: the texts waiting for their decision, and the latest decided.
    #[serde(flatten)]
    pub queues: Queues<PublicationSummary>,
}

/// One text: the editor's (a draft of the viewer's own) or the review record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationView {
    pub id: String,
    pub title: String,
    pub body: String,
    pub channel: String,
    pub state: ReviewState,
    /// The responsible publisher: the author.
    pub author: String,
    /// What the scan found. Enrolled students' names only for the text's reviewers: to
    /// anyone else (its author first) a name finding would say who is a pupil here.
    pub findings: Vec<Finding>,
    /// Name findings were left out of `findings` (always so for whoever is not a reviewer,
    /// whether the text has any or not).
    #[serde(default)]
    pub names_withheld: bool,
    pub previous: Option<String>,
    pub submitted_at: Option<String>,
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    /// The approver's reason for keeping each finding, in the findings' order.
    pub overrides: Vec<String>,
    pub review_number: Option<String>,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_withdraw: bool,
    pub can_decide: bool,
}
