//! What the accounts feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use serde::{Deserialize, Serialize};

/// Whom a valid setup link belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupHolder {
    pub username: String,
    pub display_name: String,
    /// The link is completed only with an activation code from a second person.
    #[serde(default)]
    pub needs_code: bool,
    /// The rule their password must meet, for the live feedback.
    pub policy: crate::domain::password::PasswordPolicy,
}

/// A one-time setup link for a person, to hand over to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLink {
    pub username: String,
    pub link: String,
}

/// A setup link waiting for its activation code, as a second person sees it: whose, who
/// received the link and when. Never the link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingActivationView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub issued_by: String,
    pub issued_at: String,
}

/// An activation code just made, for its second person's eyes once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub username: String,
    pub code: String,
}
