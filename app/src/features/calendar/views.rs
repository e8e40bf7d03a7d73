//! What the calendar page shows: every day that is not what its weekday says, of the years
//! around today, and who set the school's own.

use serde::{Deserialize, Serialize};

use crate::domain::calendar::DayKind;

/// A day the calendar names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// YYYY-MM-DD.
    pub date: String,
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: u32,
    pub kind: DayKind,
    pub name: String,
    /// Who set it, when the school did (none: the State Council's, as shipped).
    pub set_by: Option<String>,
    /// A shipped day the school's own replaces.
    pub replaces_shipped: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    /// This year and the next: the years shown.
    pub years: Vec<i32>,
    pub days: Vec<CalendarDay>,
    /// Years shown for which nothing ships: the school adds their public holidays.
    pub years_without_shipped: Vec<i32>,
}

/// The form for a day, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayInput {
    pub date: String,
    pub kind: String,
    pub name: String,
}
