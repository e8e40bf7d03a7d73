//! An audit entry: as the service that acts describes it (`NewEntry`), and as stored, with its
//! sequence number, time and MACs (`Entry`). The chain computes and checks the MACs; the
//! store reads and writes the rows; both take these types from here.

use chrono::{DateTime, Utc};

/// What happened, as the service that did it describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    pub actor_id: Option<i64>,
    /// The role the actor acted in, when one applies.
    pub actor_role: Option<String>,
    /// A stable action name, e.g. `auth.sign_in`.
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// `ordinary`, `confidential` or `top_secret`: the most sensitive data involved.
    pub classification: String,
    /// The client address the request came from.
    pub client: Option<String>,
    /// The purpose, reason or approval id behind the action.
    pub reason: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    /// Extra facts as JSON: ids and field names only, never values.
    pub details: Option<String>,
}

impl NewEntry {
    pub fn new(action: &str, outcome: &str) -> Self {
        NewEntry {
            actor_id: None,
            actor_role: None,
            action: action.into(),
            object_type: None,
            object_id: None,
            classification: "ordinary".into(),
            client: None,
            reason: None,
            outcome: outcome.into(),
            details: None,
        }
    }

    pub fn actor(mut self, id: i64) -> Self {
        self.actor_id = Some(id);
        self
    }

    pub fn role(mut self, role: &str) -> Self {
        self.actor_role = Some(role.into());
        self
    }

    pub fn object(mut self, kind: &str, id: impl ToString) -> Self {
        self.object_type = Some(kind.into());
        self.object_id = Some(id.to_string());
        self
    }

    pub fn client(mut self, client: Option<String>) -> Self {
        self.client = client;
        self
    }

    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details.to_string());
        self
    }
}

/// An entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub fields: NewEntry,
    pub prev_mac: Vec<u8>,
    pub mac: Vec<u8>,
}
