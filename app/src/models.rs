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
