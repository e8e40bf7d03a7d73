//! The school's calendar: the shipped days and the school's own, shown for this year and
//! the next; a records administrator sets or removes the school's own, each an audit entry.

use chrono::{Datelike, NaiveDate};

use crate::{
    db::Conn,
    domain::{
        Actor, Role,
        calendar::{Calendar, DayKind, shipped},
    },
    errors::{AppError, ErrorKind, FieldError},
    features::calendar::{
        store as repo,
        views::{CalendarDay, CalendarView, DayInput},
    },
    kit::{
        audit::chain::{self as audit, NewEntry},
        context::Context,
    },
};

/// The longest name of a day kept.
pub const MAX_NAME_CHARS: usize = 30;

/// The school's calendar as the clock reads it, in `conn`'s snapshot.
pub async fn calendar(conn: &mut Conn) -> Result<Calendar, AppError> {
    Ok(Calendar::new(repo::own_kinds(conn).await?))
}

/// This year's and next year's shipped days that are not what their weekday says, and every
/// day of the school's own (whichever year: each moves the clock, each can be removed).
pub async fn view(cx: &Context<'_>) -> Result<CalendarView, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let own = repo::own_days(&mut conn).await?;
    let setters: Vec<i64> = own.iter().map(|o| o.3).collect();
    let names = crate::features::accounts::store::users::display_names(&mut conn, &setters).await?;
    drop(conn);
    let name_of = |id: i64| {
        names
            .iter()
            .find(|(n, _)| *n == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    let year = cx.today().year();
    let years = vec![year, year + 1];
    let shown = |d: &NaiveDate| years.contains(&d.year());
    let mut days: Vec<CalendarDay> = shipped()
        .iter()
        .filter(|d| shown(&d.date) && !own.iter().any(|o| o.0 == d.date))
        .map(|d| CalendarDay {
            date: d.date.to_string(),
            weekday: d.date.weekday().number_from_monday(),
            kind: d.kind,
            name: d.name.clone(),
            set_by: None,
            replaces_shipped: false,
        })
        .collect();
    days.extend(own.into_iter().map(|(date, kind, name, by)| CalendarDay {
        date: date.to_string(),
        weekday: date.weekday().number_from_monday(),
        kind,
        name,
        set_by: Some(name_of(by)),
        replaces_shipped: shipped().iter().any(|d| d.date == date),
    }));
    days.sort_by(|a, b| a.date.cmp(&b.date));
    let years_without_shipped = years
        .iter()
        .copied()
        .filter(|y| !shipped().iter().any(|d| d.date.year() == *y))
        .collect();
    Ok(CalendarView {
        years,
        days,
        years_without_shipped,
    })
}

fn problem(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
    }
}

/// A day as typed: YYYY-MM-DD between 2000 and 2100.
fn day(typed: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
}

/// The form checked all at once: its day, kind and name (1 to 30 characters, no control
/// or format characters).
fn parse(input: &DayInput) -> Result<(NaiveDate, DayKind, String), AppError> {
    let mut fields = Vec::new();
    let date = day(&input.date);
    if date.is_none() {
        fields.push(problem("date", "calendar.date_invalid"));
    }
    let kind = DayKind::parse(input.kind.trim());
    if kind.is_none() {
        fields.push(problem("kind", "calendar.kind_invalid"));
    }
    let name = input.name.trim();
    let count = name.chars().count();
    if count == 0
        || count > MAX_NAME_CHARS
        || name
            .chars()
            .any(|c| c.is_control() || crate::domain::publication::invisible(c))
    {
        fields.push(problem("name", "calendar.name_invalid"));
    }
    match (date, kind) {
        (Some(date), Some(kind)) if fields.is_empty() => Ok((date, kind, name.to_owned())),
        _ => Err(AppError {
            fields,
            ..ErrorKind::InvalidInput.into()
        }),
    }
}

/// Sets a day of the school's own (replacing its earlier word on that day).
pub async fn set_day(cx: &Context<'_>, actor: &Actor, input: &DayInput) -> Result<(), AppError> {
    let (date, kind, name) = parse(input)?;
    let mut tx = crate::db::begin_write(cx.pool).await?;
    repo::set(&mut tx, date, kind, &name, actor.id, cx.now).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.calendar_day_set", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .client(cx.client.clone())
            .details(serde_json::json!({ "day": date.to_string(), "kind": kind.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the school's word on a day: the shipped calendar stands for it again.
pub async fn remove_day(cx: &Context<'_>, actor: &Actor, typed: &str) -> Result<(), AppError> {
    let date = day(typed).ok_or_else(|| AppError::invalid("date", "calendar.date_invalid"))?;
    let mut tx = crate::db::begin_write(cx.pool).await?;
    if !repo::remove(&mut tx, date).await? {
        return Err(AppError::conflict("calendar.not_set"));
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.calendar_day_removed", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .client(cx.client.clone())
            .details(serde_json::json!({ "day": date.to_string() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(date: &str, kind: &str, name: &str) -> DayInput {
        DayInput {
            date: date.into(),
            kind: kind.into(),
            name: name.into(),
        }
    }

    #[test]
    fn a_day_is_checked_all_at_once() {
        let (date, kind, name) = parse(&input("2027-02-05", "holiday", " 春节 ")).unwrap();
        assert_eq!(
            (date.to_string(), kind, name.as_str()),
            ("2027-02-05".to_owned(), DayKind::Holiday, "春节")
        );
        let e = parse(&input("2027-02-30", "rest", "")).unwrap_err();
        let codes: Vec<_> = e.fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "calendar.date_invalid",
                "calendar.kind_invalid",
                "calendar.name_invalid"
            ]
        );
        for name in [
            "校".repeat(MAX_NAME_CHARS + 1),
            "校庆\u{202e}".into(),
            "a\nb".into(),
        ] {
            assert!(
                parse(&input("2027-05-04", "holiday", &name)).is_err(),
                "{name}"
            );
        }
        assert!(parse(&input("1999-12-31", "holiday", "x")).is_err());
    }
}
