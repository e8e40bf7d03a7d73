//! What the notices feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use serde::{Deserialize, Serialize};

/// A notice to its recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub kind: String,
    /// Whom it is about (a display name).
    pub subject: String,
    pub at: String,
    /// The audit entry it points to.
    pub audit_seq: i64,
}
