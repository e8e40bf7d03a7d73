//! What the console feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use crate::features::accounts::views::IssuedCode;
use crate::features::accounts::views::IssuedLink;
use crate::features::accounts::views::PendingActivationView;
use serde::{Deserialize, Serialize};

/// One account as the system administrator's console shows it: no credential in sight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<crate::domain::Role>,
    /// Privileged roles granted before the school had a leading group: never reviewed.
    pub unreviewed: Vec<crate::domain::Role>,
    /// Requests about this account waiting for the leading group: (role, "grant" /
    /// "revoke" / "reset").
    pub pending: Vec<(crate::domain::Role, String)>,
    /// Requests about this account the leading group rejected lately, with the reason:
    /// (role, kind, reason).
    pub rejected: Vec<(crate::domain::Role, String, String)>,
    pub disabled: bool,
    /// Frozen by a leak report's containment: only the report lifts it.
    #[serde(default)]
    pub frozen: bool,
    /// Sealed (封存) after going unused; only the system administrator reopens it.
    pub sealed: bool,
    /// False until the person has used their setup link.
    pub has_password: bool,
    /// In the school's time zone.
    pub last_sign_in_at: Option<String>,
}

/// The console: every account, and the setup link just issued, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountConsole {
    pub accounts: Vec<AccountSummary>,
    /// The search the administrator is looking at, if any (kept in their session).
    pub query: Option<String>,
    pub new_link: Option<IssuedLink>,
    /// Setup links waiting for an activation code the administrator may hand over (a
    /// privileged reset's, whose link its approver received).
    #[serde(default)]
    pub activations: Vec<PendingActivationView>,
    #[serde(default)]
    pub new_code: Option<IssuedCode>,
}
