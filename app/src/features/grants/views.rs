//! What the grants feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use crate::features::accounts::views::IssuedCode;
use crate::features::accounts::views::IssuedLink;
use crate::features::accounts::views::PendingActivationView;
use serde::{Deserialize, Serialize};

/// A pending request to grant a privileged role, as the leading group reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequestView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: crate::domain::Role,
    /// "grant", "revoke" or "reset" (the holder's password).
    pub kind: String,
    pub proposed_by_name: String,
    /// In the school's time zone.
    pub proposed_at: String,
}

/// The review page: pending requests, and the setup link of a reset its viewer just approved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrantsView {
    pub requests: Vec<GrantRequestView>,
    pub new_link: Option<IssuedLink>,
    /// Setup links waiting for the activation code the viewer may hand over.
    #[serde(default)]
    pub activations: Vec<PendingActivationView>,
    /// The code the viewer was just shown (once).
    #[serde(default)]
    pub new_code: Option<IssuedCode>,
}
