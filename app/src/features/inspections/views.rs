//! What the inspection pages show: counts, accounts by name, never student data.

use serde::{Deserialize, Serialize};

/// A privileged role and who holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub user_id: i64,
    pub name: String,
    pub username: String,
    pub role: String,
}

/// What the portal computes for an inspection, as of one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Checklist {
    pub as_of: String,
    pub period_from: String,
    pub period_to: String,
    /// Enabled accounts with no sign-in for 90 days: "name (username)".
    pub dormant_accounts: Vec<String>,
    pub privileged: Vec<Holder>,
    pub releases_in_period: i64,
    pub live_releases: i64,
    pub lapsed_in_period: i64,
    /// Records of enrolled students not verified, entered more than 30 days ago.
    pub unverified_over_30_days: i64,
    pub open_leak_reports: i64,
    pub drafts_waiting: i64,
    pub imports_waiting: i64,
    /// Changes of status waiting past their 10 working days.
    #[serde(default)]
    pub changes_overdue: i64,
    pub audit_entries: i64,
    pub audit_intact: bool,
    /// The first broken entry, when the chain did not verify.
    pub audit_broken_at: Option<i64>,
    /// The head MAC the chain verified to (hex).
    pub audit_head_mac: Option<String>,
    /// When the trail's end was cut: (the entries left, the newest entry witnessed).
    #[serde(default)]
    pub audit_cut: Option<(i64, i64)>,
    /// The witness file was lost or cut back: nothing vouched for.
    #[serde(default)]
    pub audit_witness_lost: bool,
}

impl Checklist {
    /// The trail's verdict as recorded.
    pub fn chain(&self) -> crate::features::audit::views::ChainStatus {
        crate::features::audit::views::ChainStatus {
            intact: self.audit_intact,
            entries: self.audit_entries,
            broken_at: self.audit_broken_at,
            cut: self.audit_cut,
            witness_lost: self.audit_witness_lost,
        }
    }
}

/// One checklist item as recorded: what was checked, found, done about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub item: String,
    pub finding: String,
    pub remedy: String,
}

/// An inspection in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionSummary {
    pub id: String,
    pub period: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// When the next inspection is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// The date (school's zone).
    pub due_on: String,
    pub overdue: bool,
    pub last: Option<String>,
}

/// The inspections page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionsHome {
    pub due: Due,
    pub can_record: bool,
    /// The checklist as of now, for the form (those who record).
    pub now: Option<Checklist>,
    pub inspections: Vec<InspectionSummary>,
    /// Privileged roles not re-confirmed at the latest inspection, still held.
    pub unconfirmed: Vec<Holder>,
}

/// One inspection record (printable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionView {
    pub id: String,
    pub period_from: String,
    pub period_to: String,
    pub participants: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub computed: Checklist,
    pub items: Vec<ItemInput>,
    pub unconfirmed: Vec<Holder>,
}

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InspectionInput {
    pub period_from: String,
    pub period_to: String,
    pub participants: String,
    pub items: Vec<ItemInput>,
    /// The privileged holdings re-confirmed: "user_id:role".
    pub confirmed: Vec<String>,
}
