//! What the leak-report pages show: people by name, students and classes by record, never a
//! value of the leaked data.

use serde::{Deserialize, Serialize};

crate::states! {
    /// Where a report stands.
    pub enum LeakState {
        Filed = "filed",
        Acknowledged = "acknowledged",
        Closed = "closed",
    }
}

/// The report form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeakInput {
    /// What happened.
    pub what: String,
    /// When, as the reporter knows it ("今天上午", "2026-12-03 晚上").
    pub happened: String,
    /// How it was noticed.
    pub noticed: String,
    /// Student record ids (as the record's address carries them), separated by spaces,
    /// commas or lines.
    pub students: String,
    /// Classes as schools write them ("一年级1班"), separated likewise.
    pub classes: String,
    /// Accounts by username.
    pub accounts: String,
    /// Remedies already taken.
    pub remedies: String,
}

/// One report in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeakSummary {
    pub id: String,
    pub reporter: String,
    pub filed_at: String,
    pub state: LeakState,
    /// Minutes from filing to acknowledgement, once acknowledged.
    pub minutes_to_acknowledge: Option<i64>,
}

/// The leak-report page: one's own reports and, for those who handle them, every report
/// with the figures the dashboard counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaksHome {
    pub mine: Vec<LeakSummary>,
    /// Every report, newest first (for those who handle them).
    pub all: Option<Vec<LeakSummary>>,
    pub figures: Option<LeakFigures>,
}

/// What the dashboard counts: open reports, those not yet acknowledged, and how long
/// acknowledgement took.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeakFigures {
    pub open: i64,
    pub unacknowledged: i64,
    pub acknowledged: i64,
    /// The median and the longest minutes from filing to acknowledgement.
    pub median_minutes: Option<i64>,
    pub longest_minutes: Option<i64>,
}

/// An account a report names, and whether it is frozen because of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedAccount {
    pub username: String,
    pub name: String,
    pub frozen: bool,
    /// A privileged holder's freeze, proposed and waiting for a second person.
    #[serde(default)]
    pub freeze_pending: bool,
    /// The viewer may confirm that freeze (a leader or leading-group member other than the
    /// proposer and the holder).
    #[serde(default)]
    pub may_confirm: bool,
    /// The account is disabled now (for this report or otherwise).
    pub disabled: bool,
}

/// One report: its record and timeline, and what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeakView {
    pub id: String,
    pub reporter: String,
    pub what: String,
    pub happened: String,
    pub noticed: String,
    pub remedies: String,
    pub state: LeakState,
    pub filed_at: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    pub minutes_to_acknowledge: Option<i64>,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub conclusion: Option<String>,
    /// Student record ids.
    pub students: Vec<String>,
    /// Classes: (school year, grade, name).
    pub classes: Vec<(String, i64, String)>,
    pub accounts: Vec<NamedAccount>,
    /// What the report names that matched no student or account, as written (for those who
    /// handle reports; the reporter sees it among the rest).
    #[serde(default)]
    pub unresolved_students: Vec<String>,
    #[serde(default)]
    pub unresolved_accounts: Vec<String>,
    /// Live releases (approved or released information requests), all and those touching
    /// the named students or classes: what a containment would revoke.
    pub live_releases: i64,
    pub live_releases_named: i64,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    pub can_acknowledge: bool,
    pub can_contain: bool,
    pub can_remedy: bool,
    pub can_close: bool,
}
