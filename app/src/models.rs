//! View models: one object per view, holding only what its viewer may see.

use serde::{Deserialize, Serialize};

/// What the status panel on the home page shows: the portal's own health, no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// The newest applied database migration.
    pub migration_version: i64,
    pub migrations_applied: i64,
    /// SQLite's journal mode ("wal" when the database is set up as it should be).
    pub journal_mode: String,
    /// When this installation first started, in the school's time zone.
    pub installed_at: String,
    /// When the server answered, in the school's time zone.
    pub checked_at: String,
    /// The school's time zone, e.g. "Asia/Shanghai".
    pub timezone: String,
}

/// The person signed in, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<crate::domain::Role>,
    pub must_change_password: bool,
}

impl Actor {
    pub fn has(&self, role: crate::domain::Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_privileged(&self) -> bool {
        self.roles.iter().any(|r| r.is_privileged())
    }
}

/// Whom a valid setup link belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupHolder {
    pub username: String,
    pub display_name: String,
    /// The rule their password must meet, for the live feedback.
    pub policy: crate::domain::password::PasswordPolicy,
}

/// One account as the system administrator's console shows it: no credential in sight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<crate::domain::Role>,
    /// Privileged roles granted before the school had a leading group: never reviewed.
    pub unreviewed: Vec<crate::domain::Role>,
    pub disabled: bool,
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
}

/// A one-time setup link for a person, to hand over to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLink {
    pub username: String,
    pub link: String,
}

/// A pending request to grant a privileged role, as the leading group reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequestView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: crate::domain::Role,
    pub proposed_by_name: String,
    /// In the school's time zone.
    pub proposed_at: String,
}

/// One entry of the audit trail as the viewer shows it: names of staff, ids of records,
/// never a personal-data value (the trail holds none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub seq: i64,
    /// In the school's time zone.
    pub at: String,
    pub actor: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub object: Option<String>,
    pub outcome: String,
    pub client: Option<String>,
    pub reason: Option<String>,
}

/// The result of recomputing the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub intact: bool,
    pub entries: i64,
    /// The first broken entry's sequence number, when the chain is broken.
    pub broken_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOption {
    pub id: i64,
    pub name: String,
}

/// A page of the audit viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntryView>,
    /// The cursor of the next (older) page, if there is one.
    pub next_before: Option<i64>,
    pub chain: ChainStatus,
    pub people: Vec<PersonOption>,
    pub actions: Vec<String>,
}
