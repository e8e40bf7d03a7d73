//! The calendar's server functions: a records administrator reads and edits the school's
//! calendar (the one check, then the service).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::calendar::views::{CalendarView, DayInput},
};

/// This year's and next year's days that are not what their weekday says.
#[server(name = CalendarPageView, prefix = "/api", endpoint = "records/calendar")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn calendar_page() -> Result<CalendarView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, _) = guard(Action::ManageSchoolStructure, nothing).await?;
    super::service::view(&context(&state)).await
}

/// Sets a day of the school's own: a day off, or a weekend day worked.
#[server(name = SetCalendarDay, prefix = "/api", endpoint = "records/calendar/set")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_calendar_day(calendar_day: DayInput) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    // A refused day comes back as it was typed.
    crate::kit::forms::keeping(
        &calendar_day,
        super::service::set_day(&context(&state), &actor, &calendar_day),
    )
    .await?;
    leptos_axum::redirect(&Done::CalendarDaySet.at("/records/calendar"));
    Ok(())
}

/// Removes the school's word on a day: the shipped calendar stands for it again.
#[server(name = RemoveCalendarDay, prefix = "/api", endpoint = "records/calendar/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remove_calendar_day(day: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    if day.len() > 10 {
        return Err(AppError::invalid("date", "calendar.date_invalid"));
    }
    super::service::remove_day(&context(&state), &actor, &day).await?;
    leptos_axum::redirect(&Done::CalendarDayRemoved.at("/records/calendar"));
    Ok(())
}
