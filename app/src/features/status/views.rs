//! What the status feature's server functions answer: one object per view, holding only
//! what its viewer may see.

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
    /// Megabytes free on the database's disk (none when it cannot be told).
    #[serde(default)]
    pub disk_free_mib: Option<u64>,
    /// The disk has no room for a write: every change is refused until space is freed.
    #[serde(default)]
    pub disk_full: bool,
}

/// One line of a person's to-do list: what waits for them, how many, since when the oldest
/// has, and where the first (the oldest) is taken up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoItem {
    /// What waits: the catalogue's `todo.<what>` says it, with its count.
    pub what: String,
    pub count: i64,
    /// Since when the oldest has waited, as the school reads it.
    pub since: Option<String>,
    /// The first to take up (the oldest), or the list of them.
    pub href: String,
}

/// Where the header stops counting: a count this high or higher shows as "999+", so that
/// a page's cost does not grow with the school (a tally that can grow that far stops there,
/// `records::store::QUEUE_TALLY`).
pub const HEADER_CAP: i64 = 1000;

/// What waits for the signed-in person, as the header's links show it: read once per page,
/// in one statement (a leader's and the leading group's decisions apart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderCounts {
    /// Beside 学籍: records to verify, returned or imported to complete, batches to decide.
    pub records: i64,
    /// Role grants waiting for the viewer's decision.
    pub role_grants: i64,
    /// Handovers to decide and the outcomes of one's own not yet read.
    pub handovers: i64,
    /// Requests to decide or to release, and one's own that changed.
    pub requests: crate::features::requests::views::Waiting,
    /// Texts to review and the outcomes of one's own not yet read.
    pub publications: i64,
    /// Changes of status to decide and the outcomes of one's own not yet read.
    #[serde(default)]
    pub changes: i64,
}
