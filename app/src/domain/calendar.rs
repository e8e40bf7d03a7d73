//! Working days: the clock of 学籍 work (NATIONAL.md: an application of a change of status
//! is decided within 10 working days). A day is a working day from Monday to Friday, unless
//! the State Council made it a public holiday, and a Saturday or Sunday it made a make-up
//! working day (调休上班) is one too. The State Council's days ship with the portal
//! (`app/data/holidays-cn.tsv`, with its source); the school adds or corrects days on its
//! calendar, and its word wins over the shipped one.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

crate::states! {
    /// What a calendar day is, against its weekday.
    pub enum DayKind {
        /// A day off (a public holiday, or a day the school closes).
        Holiday = "holiday",
        /// A day worked though it falls on a weekend (调休上班).
        Workday = "workday",
    }
}

/// One day the calendar names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The festival or the school's reason (元旦, 校庆, …).
    pub name: String,
}

/// The State Council's days as shipped, by date.
pub fn shipped() -> &'static [NamedDay] {
    static DAYS: std::sync::OnceLock<Vec<NamedDay>> = std::sync::OnceLock::new();
    DAYS.get_or_init(|| {
        include_str!("../../data/holidays-cn.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some(NamedDay {
                    date: NaiveDate::parse_from_str(f.next()?, "%Y-%m-%d").ok()?,
                    kind: DayKind::parse(f.next()?)?,
                    name: f.next()?.to_owned(),
                })
            })
            .collect()
    })
}

/// The most days a count walks: a span longer than this (ten years) is counted as this.
const LONGEST_SPAN: i64 = 3660;

/// A school's calendar: the shipped days with the school's own over them.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    /// The shipped days, then the school's `own` (which win where both name a day).
    pub fn new(own: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        let mut days: BTreeMap<NaiveDate, DayKind> =
            shipped().iter().map(|d| (d.date, d.kind)).collect();
        days.extend(own);
        Calendar { days }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The working days after `from` up to and including `to` (none when `to` is not after
    /// `from`): an application filed on `from` has waited this many by the end of `to`.
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let span = (to - from).num_days().clamp(0, LONGEST_SPAN);
        (1..=span)
            .filter_map(|n| from.checked_add_signed(chrono::Duration::days(n)))
            .filter(|d| self.is_working_day(*d))
            .count() as i64
    }

    /// The `n`th working day after `from`: what is filed on `from` is due by its end.
    pub fn nth_working_day_after(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        let mut walked = 0;
        while left > 0 && walked < LONGEST_SPAN {
            day = day.succ_opt().unwrap_or(day);
            walked += 1;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The day the current term's figures count from, as of `today`, in a school year of
/// `(first, last)` day whose second (spring) term begins on `spring_starts` (as the school
/// set it; none: the first 1 February after the year's first day, where that falls within
/// the year, else the year is one term): the spring term's first day once it has come, the
/// school year's first day before. (The national 学籍 statistics count by 学期.)
pub fn term_start(
    (year_starts, year_ends): (NaiveDate, NaiveDate),
    spring_starts: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let february = |year| NaiveDate::from_ymd_opt(year, 2, 1).expect("a real day");
    let spring = spring_starts.or_else(|| {
        [
            february(year_starts.year()),
            february(year_starts.year() + 1),
        ]
        .into_iter()
        .find(|d| *d > year_starts)
        .filter(|d| *d <= year_ends)
    });
    match spring {
        Some(spring) if today >= spring && spring > year_starts => spring,
        _ => year_starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_shipped_days_are_the_state_councils_of_2026() {
        let days = shipped();
        assert_eq!(days.len(), 39);
        // 国庆节 and 中秋节: October 1–7 off, Sunday 20 September and Saturday 10 October worked.
        let calendar = Calendar::new([]);
        assert!(!calendar.is_working_day(d(2026, 10, 5)));
        assert!(calendar.is_working_day(d(2026, 10, 10)));
        assert!(calendar.is_working_day(d(2026, 9, 20)));
        assert!(
            !calendar.is_working_day(d(2026, 10, 11)),
            "an ordinary Sunday"
        );
        assert!(
            calendar.is_working_day(d(2026, 10, 12)),
            "an ordinary Monday"
        );
    }

    #[test]
    fn ten_working_days_go_round_weekends_and_holidays() {
        let calendar = Calendar::new([]);
        // Filed on Monday 7 December 2026: two ordinary weeks, due Monday 21 December.
        assert_eq!(
            calendar.nth_working_day_after(d(2026, 12, 7), 10),
            d(2026, 12, 21)
        );
        assert_eq!(
            calendar.working_days_after(d(2026, 12, 7), d(2026, 12, 21)),
            10
        );
        assert_eq!(
            calendar.working_days_after(d(2026, 12, 7), d(2026, 12, 22)),
            11
        );
        // Filed on Friday 25 September 2026, the Mid-Autumn holiday: the National Day week
        // off, Saturday 10 October worked. 28, 29, 30 Sep, 8, 9, 10, 12, 13, 14, 15 Oct.
        assert_eq!(
            calendar.nth_working_day_after(d(2026, 9, 25), 10),
            d(2026, 10, 15)
        );
        assert_eq!(
            calendar.working_days_after(d(2026, 9, 25), d(2026, 10, 7)),
            3
        );
        // Nothing waited before it was filed.
        assert_eq!(
            calendar.working_days_after(d(2026, 12, 7), d(2026, 12, 1)),
            0
        );
    }

    #[test]
    fn the_schools_own_days_win_over_the_shipped_ones() {
        // A school closed on Friday 18 December and working on Friday 2 January.
        let calendar = Calendar::new([
            (d(2026, 12, 18), DayKind::Holiday),
            (d(2026, 1, 2), DayKind::Workday),
        ]);
        assert!(!calendar.is_working_day(d(2026, 12, 18)));
        assert!(calendar.is_working_day(d(2026, 1, 2)));
        assert_eq!(
            calendar.nth_working_day_after(d(2026, 12, 7), 10),
            d(2026, 12, 22)
        );
    }

    #[test]
    fn a_count_is_bounded_whatever_the_span() {
        let calendar = Calendar::new([]);
        let far = calendar.working_days_after(d(2000, 1, 1), d(2200, 1, 1));
        assert!(far <= LONGEST_SPAN, "{far}");
        assert!(calendar.nth_working_day_after(d(2026, 1, 1), u32::MAX) < d(2037, 1, 1));
    }

    #[test]
    fn a_term_runs_from_the_years_first_day_or_from_the_springs() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let start = day(2026, 9, 1);
        let year = (start, day(2027, 7, 15));
        assert_eq!(term_start(year, None, day(2026, 9, 1)), start);
        assert_eq!(term_start(year, None, day(2026, 12, 31)), start);
        assert_eq!(term_start(year, None, day(2027, 1, 31)), start);
        assert_eq!(term_start(year, None, day(2027, 2, 1)), day(2027, 2, 1));
        assert_eq!(term_start(year, None, day(2027, 7, 15)), day(2027, 2, 1));
        // The school's own day.
        let spring = Some(day(2027, 2, 22));
        assert_eq!(term_start(year, spring, day(2027, 2, 21)), start);
        assert_eq!(term_start(year, spring, day(2027, 2, 22)), day(2027, 2, 22));
        // A year that begins in January has its default spring on 1 February that year; one
        // that begins on 1 February and ends before the next is one term.
        let january = (day(2027, 1, 10), day(2027, 12, 20));
        assert_eq!(term_start(january, None, day(2027, 3, 1)), day(2027, 2, 1));
        let february = (day(2027, 2, 1), day(2027, 12, 20));
        assert_eq!(
            term_start(february, None, day(2027, 12, 1)),
            day(2027, 2, 1)
        );
    }
}
