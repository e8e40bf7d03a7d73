//! The calendar page: the days that are not what their weekday says, this year and next, and
//! the form that sets one of the school's own. Plain posts that work without JavaScript.

use leptos::prelude::*;

use crate::{
    domain::calendar::DayKind,
    features::calendar::{
        functions::{RemoveCalendarDay, SetCalendarDay, calendar_page},
        views::{CalendarDay, CalendarView, DayInput},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept, names},
        ui::{form_errors::FormErrors, use_locale},
        workflow::ui::home_page,
    },
    tr,
};

fn row(locale: Locale, d: CalendarDay, remove: ServerAction<RemoveCalendarDay>) -> impl IntoView {
    let source = match &d.set_by {
        Some(by) if d.replaces_shipped => tr!(locale, "calendar.school_over_shipped", by = by),
        Some(by) => tr!(locale, "calendar.school", by = by),
        None => tr!(locale, "calendar.shipped"),
    };
    let own = d.set_by.is_some();
    let date = d.date.clone();
    let day_label = d.date.clone();
    view! {
        <tr data-day=d.date.clone()>
            <td data-label=tr!(locale, "calendar.date")>{d.date.clone()}</td>
            <td data-label=tr!(
                locale, "calendar.weekday"
            )>{tr!(locale, &format!("calendar.weekday_{}", d.weekday))}</td>
            <td data-label=tr!(
                locale, "calendar.kind"
            )>{tr!(locale, &format!("calendar.kind_{}", d.kind.code()))}</td>
            <td data-label=tr!(locale, "calendar.name")>{d.name}</td>
            <td data-label=tr!(
                locale, "calendar.source"
            )>
                {source}
                {own
                    .then(|| {
                        view! {
                            " "
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="day" value=date />
                                <button
                                    type="submit"
                                    class="small"
                                    aria-label=tr!(locale, "calendar.remove_day", day = day_label)
                                >
                                    {tr!(locale, "calendar.remove")}
                                </button>
                            </ActionForm>
                        }
                    })}
            </td>
        </tr>
    }
}

fn calendar(locale: Locale, c: CalendarView) -> AnyView {
    let set = ServerAction::<SetCalendarDay>::new();
    let remove = ServerAction::<RemoveCalendarDay>::new();
    let typed: DayInput = kept::<SetCalendarDay, _>();
    let error = Signal::derive(move || {
        set.value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    let invalid =
        move |field: &'static str| move || names(error.get().as_ref(), field).then_some("true");
    let years = c
        .years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(" / ");
    view! {
        {(!c.years_without_shipped.is_empty())
            .then(|| {
                let missing = c
                    .years_without_shipped
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(" / ");
                view! {
                    <p class="notice" data-testid="calendar-missing">
                        {tr!(locale, "calendar.missing_year", years = missing)}
                    </p>
                }
            })}
        <h2>{tr!(locale, "calendar.days", years = years)}</h2>
        <div class="table-scroll">
            <table class="accounts stack" data-testid="calendar-days">
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "calendar.date")}</th>
                        <th scope="col">{tr!(locale, "calendar.weekday")}</th>
                        <th scope="col">{tr!(locale, "calendar.kind")}</th>
                        <th scope="col">{tr!(locale, "calendar.name")}</th>
                        <th scope="col">{tr!(locale, "calendar.source")}</th>
                    </tr>
                </thead>
                <tbody>{c.days.into_iter().map(|d| row(locale, d, remove)).collect_view()}</tbody>
            </table>
        </div>
        <h2>{tr!(locale, "calendar.set")}</h2>
        <ActionForm action=set attr:class="form" attr:novalidate="novalidate">
            <label for="calendar-date">{tr!(locale, "calendar.date")}</label>
            <input
                id="calendar-date"
                name="calendar_day[date]"
                type="date"
                required
                value=typed.date.clone()
                aria-describedby="calendar-date-error"
                aria-invalid=invalid("date")
            />
            <FieldProblem locale error field="date" id="calendar-date" />
            <label for="calendar-kind">{tr!(locale, "calendar.kind")}</label>
            <select
                id="calendar-kind"
                name="calendar_day[kind]"
                aria-describedby="calendar-kind-error"
                aria-invalid=invalid("kind")
            >
                {DayKind::ALL
                    .iter()
                    .map(|k| {
                        view! {
                            <option value=k.code() selected=typed.kind == k.code()>
                                {tr!(locale, &format!("calendar.kind_{}", k.code()))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldProblem locale error field="kind" id="calendar-kind" />
            <label for="calendar-name">{tr!(locale, "calendar.name")}</label>
            <input
                id="calendar-name"
                name="calendar_day[name]"
                maxlength="30"
                required
                value=typed.name.clone()
                aria-describedby="calendar-name-hint calendar-name-error"
                aria-invalid=invalid("name")
            />
            <p class="hint" id="calendar-name-hint">
                {tr!(locale, "calendar.name_hint")}
            </p>
            <FieldProblem locale error field="name" id="calendar-name" />
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "calendar.set_submit")}</button>
        </ActionForm>
        <p>
            <a href="/records/structure">{tr!(locale, "calendar.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(calendar_page());
    home_page(
        locale,
        ("calendar.title", "calendar-title"),
        "calendar.rule",
        None,
        page,
        move |c| calendar(locale, c),
    )
}
