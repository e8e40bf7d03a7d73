//! What the handover pages show: people by name, roles and states by code, never a
//! credential.

use serde::{Deserialize, Serialize};

use crate::{domain::Role, kit::workflow::Queues};

crate::states! {
    /// Where a handover stands.
    pub enum HandoverState {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

/// One handover in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverSummary {
    pub id: String,
    pub role: Role,
    pub outgoing: String,
    pub successor: String,
    pub hand_over_on: String,
    pub applied_at: String,
    pub state: HandoverState,
    /// An outcome this viewer has not seen yet.
    pub changed: bool,
}

/// The handovers page: the application form (for the roles one may hand over), one's own,
/// those waiting for one's decision, and (for those who decide) the latest decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoversHome {
    /// The privileged roles the viewer holds and may hand over.
    pub roles: Vec<Role>,
    /// The accounts a handover may go to (username, name), offered as the successor
    /// field's suggestions: empty for one who holds no privileged role.
    #[serde(default)]
    pub successors: Vec<(String, String)>,
    #[serde(flatten)]
    pub queues: Queues<HandoverSummary>,
}

/// One handover: the printable handover record (移交记录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverView {
    pub id: String,
    pub role: Role,
    pub outgoing: String,
    pub successor: String,
    pub reason: String,
    pub hand_over_on: String,
    pub applied_at: String,
    pub state: HandoverState,
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    /// What the outgoing holder had in flight when it was approved: the information
    /// requests (opaque ids) waiting for a decision or a release.
    pub in_flight: Vec<String>,
    /// Which queue those were in (`requested` or `approved`), when any.
    pub in_flight_state: Option<String>,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_decide: bool,
    pub can_withdraw: bool,
    /// Leaders decide this one (no leading-group member but its parties is there to).
    pub leaders_decide: bool,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoverInput {
    pub role: String,
    pub successor: String,
    pub reason: String,
    pub hand_over_on: String,
}
