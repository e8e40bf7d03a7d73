//! The school's retention settings, which the application state carries: how long a
//! transferred-out student's backup is kept, the cited rule (if any) that lets a batch erase
//! a core record, the lifetimes of drafts and uploads, and when a record that left is
//! archived. What each class of data is, and who is due, is the retention feature's rules.

use chrono::{DateTime, Months, Utc};

/// The backup period when `XUEJI_RETENTION_YEARS` does not say: 3 years after leaving.
pub const DEFAULT_BACKUP_YEARS: u32 = 3;

/// How many days after its leaving a record is archived: the month in which a mistaken
/// leaving is noticed and undone, the record printed for the next school, its page read.
pub const ARCHIVE_AFTER_DAYS: i64 = 30;

/// The longest a rule's citation may be.
pub const MAX_CITATION_CHARS: usize = 200;

/// A school's rule that lets a batch erase a core record: after how many years, and where
/// the rule comes from (a regulation, a provincial notice), as the batch page cites it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveRule {
    pub years: u32,
    pub citation: String,
}

/// How long unfinished copies live: a form draft nobody touched for `draft_days`, a roster
/// upload nobody committed or discarded for `upload_days`. A school's settings
/// (`XUEJI_DRAFT_DAYS`, `XUEJI_UPLOAD_DAYS`); the defaults keep a draft over a holiday and an
/// upload over a week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    pub draft_days: u32,
    pub upload_days: u32,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            draft_days: 30,
            upload_days: 7,
        }
    }
}

/// The school's retention settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Years a transferred-out student's backup is kept after leaving (Art. 9).
    pub backup_years: u32,
    /// The rule that lets a batch erase a core record; none: kept permanently.
    pub archive_rule: Option<ArchiveRule>,
    /// Drafts' and uploads' lifetimes.
    pub lifetimes: Lifetimes,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            backup_years: DEFAULT_BACKUP_YEARS,
            archive_rule: None,
            lifetimes: Lifetimes::default(),
        }
    }
}

/// `years` calendar years before `now`.
pub fn years_before(now: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(12 * years))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// When a student who left counts as gone from: the later of the leaving day and the day
/// the leaving was recorded (none for a student who did not leave).
pub fn left_since(
    left_at: Option<DateTime<Utc>>,
    recorded: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    left_at.map(|at| recorded.map_or(at, |r| r.max(at)))
}

/// Those who left (by the later of the day and its recording) before this moment are
/// archived at `now`: the 30 days of `ARCHIVE_AFTER_DAYS` are whole, and a mistaken leaving
/// may be undone up to their last instant (never once the record is archived).
pub fn archived_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::days(ARCHIVE_AFTER_DAYS)
}

/// Whether a record whose student left at `left_since` (the later of the leaving day and
/// its recording) is archived at `now`: no page opens it, only an approved information
/// request releases it.
pub fn archived(left_since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    left_since.is_some_and(|since| since < archived_before(now))
}

/// A citation as a school configures it: trimmed, on one line, 1 to `MAX_CITATION_CHARS`
/// characters.
pub fn citation(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a rule's citation may not be empty".into());
    }
    if text.chars().count() > MAX_CITATION_CHARS {
        return Err(format!("at most {MAX_CITATION_CHARS} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err("one line, without control characters".into());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_periods_count_calendar_years_back() {
        let now = Utc.with_ymd_and_hms(2029, 7, 20, 8, 0, 0).unwrap();
        assert_eq!(
            years_before(now, 3),
            Utc.with_ymd_and_hms(2026, 7, 20, 8, 0, 0).unwrap()
        );
        // 29 February back to a year without one.
        let leap = Utc.with_ymd_and_hms(2028, 2, 29, 0, 0, 0).unwrap();
        assert_eq!(
            years_before(leap, 1),
            Utc.with_ymd_and_hms(2027, 2, 28, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_record_is_archived_a_month_after_its_leaving() {
        let now = Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).unwrap();
        assert!(!archived(None, now));
        let left = |days: i64| Some(now - chrono::Duration::days(days));
        assert!(!archived(left(29), now));
        assert!(!archived(left(ARCHIVE_AFTER_DAYS), now));
        assert!(archived(
            Some(now - chrono::Duration::days(ARCHIVE_AFTER_DAYS) - chrono::Duration::seconds(1)),
            now
        ));
        assert!(archived(left(400), now));
    }

    #[test]
    fn a_citation_is_one_bounded_line() {
        assert_eq!(citation("  某细则 第3条 ").unwrap(), "某细则 第3条");
        assert!(citation(" ").is_err());
        assert!(citation("a\nb").is_err());
        assert!(citation(&"条".repeat(MAX_CITATION_CHARS + 1)).is_err());
        assert!(citation(&"条".repeat(MAX_CITATION_CHARS)).is_ok());
    }
}
