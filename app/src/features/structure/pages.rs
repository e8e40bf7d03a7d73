//! The school structure page (school years, classes, homeroom teachers, the rollover), and
//! the homeroom form the account console uses too.

use leptos::prelude::*;

use crate::kit::ui::failure;
use crate::{
    errors::AppError,
    features::structure::functions::{
        AssignHomeroomTeacher, CreateClass, CreateSchoolYear, school_structure,
    },
    features::structure::views::{ClassSummary, TeacherOption},
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, use_locale},
    tr,
};

/// "2026-2027 三年级 2班".
pub fn class_label(locale: Locale, class: &ClassSummary) -> String {
    crate::features::structure::views::ClassRef::from(class).label(locale)
}

/// The classes with their homeroom teachers, and one form to assign a class's teacher: used
/// here and on the system administrator's console (`back` says where to return). One form,
/// not one per class: a school's 70 classes times its 70 teachers made every class its own
/// list of every teacher (400,000 characters a page).
#[component]
pub fn HomeroomAssignments(
    locale: Locale,
    action: ServerAction<AssignHomeroomTeacher>,
    classes: Vec<ClassSummary>,
    teachers: Vec<TeacherOption>,
    back: &'static str,
    /// Whether a class's name opens its roster.
    #[prop(optional)]
    linked: bool,
) -> impl IntoView {
    let class_select = format!("homeroom-{back}-class");
    let teacher_select = format!("homeroom-{back}-teacher");
    let no_teacher = tr!(locale, "records.no_teacher");
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid="homeroom-classes">
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "records.class")}</th>
                        <th scope="col">{tr!(locale, "records.homeroom_teacher")}</th>
                    </tr>
                </thead>
                <tbody>
                    {classes
                        .iter()
                        .map(|class| {
                            let label = class_label(locale, class);
                            let name = if linked {
                                view! {
                                    <a href=format!("/records/classes/{}", class.id)>{label}</a>
                                }
                                    .into_any()
                            } else {
                                label.into_any()
                            };
                            view! {
                                <tr>
                                    <td data-label=tr!(locale, "records.class")>{name}</td>
                                    <td data-label=tr!(
                                        locale, "records.homeroom_teacher"
                                    )>
                                        {class
                                            .homeroom_teacher
                                            .clone()
                                            .unwrap_or_else(|| no_teacher.clone())}
                                        {class
                                            .homeroom_teacher_state
                                            .clone()
                                            .map(|state| {
                                                view! {
                                                    " "
                                                    <span class=format!(
                                                        "status account-{state}",
                                                    )>
                                                        {tr!(locale, &format!("structure.teacher_{state}"))}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <ActionForm action attr:class="form homeroom">
            <input type="hidden" name="back" value=back />
            <label for=class_select.clone()>{tr!(locale, "structure.assign_class")}</label>
            <select id=class_select name="class_id" required>
                {classes
                    .into_iter()
                    .map(|class| {
                        view! {
                            <option value=class.id.clone()>{class_label(locale, &class)}</option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for=teacher_select.clone()>{tr!(locale, "structure.assign_teacher")}</label>
            <select id=teacher_select name="teacher_id">
                <option value="">{tr!(locale, "records.no_teacher")}</option>
                {teachers
                    .into_iter()
                    .map(|t| {
                        view! {
                            <option value=t
                                .id
                                .to_string()>
                                {format!("{} ({})", t.display_name, t.username)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">{tr!(locale, "records.assign")}</button>
        </ActionForm>
    }
}

#[component]
pub fn StructurePage() -> impl IntoView {
    let locale = use_locale();
    let structure = OnceResource::new(school_structure());
    let create_year = ServerAction::<CreateSchoolYear>::new();
    let create_class = ServerAction::<CreateClass>::new();
    let assign = ServerAction::<AssignHomeroomTeacher>::new();
    let year_error = Signal::derive(move || create_year.value().get().and_then(Result::err));
    let set_spring = ServerAction::<crate::features::structure::functions::SetSpringTerm>::new();
    let spring_error = Signal::derive(move || set_spring.value().get().and_then(Result::err));
    let class_error = Signal::derive(move || create_class.value().get().and_then(Result::err));
    let assign_error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let rollover = ServerAction::<crate::features::structure::functions::Rollover>::new();
    let rollover_error = Signal::derive(move || rollover.value().get().and_then(Result::err));
    let preview = OnceResource::new(crate::features::structure::functions::rollover_preview());
    view! {
        <section class="card" aria-labelledby="structure-title">
            <h1 id="structure-title">{tr!(locale, "structure.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match structure.await {
                        Err(e) => failure(locale, e),
                        Ok(s) => {
                            let (preview_view, rollover_view) = match preview.await {
                                Ok(Some(p)) => {
                                    (
                                        Some(rollover_preview(locale, rollover, rollover_error, p)),
                                        None,
                                    )
                                }
                                _ => (None, rollover_form(locale, rollover, rollover_error, &s)),
                            };
                            let (term_list, term_options) = (s.years.clone(), s.years.clone());
                            // A preview to confirm comes first, where the eye is; the form
                            // that asks for one stands last, after the classes it moves.
                            view! {
                                {preview_view}
                                <h2>{tr!(locale, "structure.new_year")}</h2>
                                <ActionForm action=create_year attr:class="form">
                                    <label for="year-name">
                                        {tr!(locale, "structure.year_name")}
                                    </label>
                                    <input
                                        id="year-name"
                                        name="name"
                                        placeholder="2026-2027"
                                        maxlength="9"
                                        required
                                    />
                                    <label for="year-start">
                                        {tr!(locale, "structure.starts_on")}
                                    </label>
                                    <input id="year-start" name="starts_on" type="date" required />
                                    <label for="year-end">{tr!(locale, "structure.ends_on")}</label>
                                    <input id="year-end" name="ends_on" type="date" required />
                                    <FormErrors locale error=year_error />
                                    <button type="submit">
                                        {tr!(locale, "structure.create_year")}
                                    </button>
                                </ActionForm>
                                <h2>{tr!(locale, "structure.spring_term")}</h2>
                                <p class="hint" id="spring-term-hint">
                                    {tr!(locale, "structure.spring_term_hint")}
                                </p>
                                <ul data-testid="spring-terms">
                                    {term_list
                                        .into_iter()
                                        .map(|y| {
                                            let day = y
                                                .spring_term_starts_on
                                                .clone()
                                                .unwrap_or_else(|| {
                                                    tr!(locale, "structure.spring_term_default")
                                                });
                                            view! {
                                                <li>
                                                    {tr!(
                                                        locale, "structure.spring_term_now", year = y.name, day = day
                                                    )}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <ActionForm action=set_spring attr:class="form">
                                    <label for="spring-year">
                                        {tr!(locale, "structure.school_year")}
                                    </label>
                                    <select id="spring-year" name="school_year_id" required>
                                        {term_options
                                            .into_iter()
                                            .map(|y| {
                                                view! { <option value=y.id.to_string()>{y.name}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                    <label for="spring-day">
                                        {tr!(locale, "structure.spring_term")}
                                    </label>
                                    <input
                                        id="spring-day"
                                        name="spring_term_starts_on"
                                        type="date"
                                        aria-describedby="spring-term-hint"
                                    />
                                    <FormErrors locale error=spring_error />
                                    <button type="submit">
                                        {tr!(locale, "structure.set_spring_term")}
                                    </button>
                                </ActionForm>
                                <h2>{tr!(locale, "structure.new_class")}</h2>
                                <ActionForm action=create_class attr:class="form">
                                    <label for="class-year">
                                        {tr!(locale, "structure.school_year")}
                                    </label>
                                    <select id="class-year" name="school_year_id" required>
                                        {s
                                            .years
                                            .iter()
                                            .map(|y| {
                                                view! {
                                                    <option value=y.id.to_string()>{y.name.clone()}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                    <label for="class-grade">
                                        {tr!(locale, "structure.grade")}
                                    </label>
                                    <select id="class-grade" name="grade" required>
                                        {(1..=12)
                                            .map(|g| {
                                                view! {
                                                    <option value=g
                                                        .to_string()>{tr!(locale, &format!("grade.{g}"))}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                    <label for="class-name">
                                        {tr!(locale, "structure.class_name")}
                                    </label>
                                    <input
                                        id="class-name"
                                        name="name"
                                        placeholder="1班"
                                        maxlength="20"
                                        required
                                    />
                                    <FormErrors locale error=class_error />
                                    <button type="submit">
                                        {tr!(locale, "structure.create_class")}
                                    </button>
                                </ActionForm>
                                <h2>{tr!(locale, "structure.classes")}</h2>
                                <FormErrors locale error=assign_error />
                                <HomeroomAssignments
                                    locale
                                    action=assign
                                    classes=s.classes.clone()
                                    teachers=s.teachers.clone()
                                    back="structure"
                                    linked=true
                                />
                                {rollover_view}
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What a rollover will do, to confirm: every class's move with its new teacher and its
/// students, the graduates, the grades left without a class. The confirmation posts the
/// same plan again with `confirmed=yes`; going back shows the plan's form afresh.
fn rollover_preview(
    locale: Locale,
    action: ServerAction<crate::features::structure::functions::Rollover>,
    error: Signal<Option<AppError>>,
    p: crate::features::structure::views::RolloverPreview,
) -> AnyView {
    let grade = move |g: i64| tr!(locale, &format!("grade.{g}"));
    let missing = p
        .grades_without_class
        .iter()
        .map(|g| grade(*g))
        .collect::<Vec<_>>()
        .join(&tr!(locale, "list.separator"));
    view! {
        <section
            class="preview"
            aria-labelledby="rollover-preview-title"
            data-testid="rollover-preview"
        >
            <h2 id="rollover-preview-title">
                {tr!(locale, "structure.preview_title", year = p.name.clone())}
            </h2>
            <p data-testid="rollover-summary">
                {tr!(
                    locale, "structure.preview_summary",
                classes = p.classes, promoted = p.promoted, graduated = p.graduated
                )}
                {(p.stayed > 0)
                    .then(|| {
                        view! {
                            " "
                            <span data-testid="rollover-stayed">
                                {tr!(locale, "structure.preview_stayed", n = p.stayed)}
                            </span>
                        }
                    })}
            </p>
            // Accounts that cannot go on as teachers come first: the year does not wait for them.
            {(!p.blocked.is_empty())
                .then(|| {
                    view! {
                        <div class="notice" role="note" data-testid="rollover-blocked">
                            <p>{tr!(locale, "structure.blocked_intro", n = p.blocked.len())}</p>
                            <ul>
                                {p
                                    .blocked
                                    .iter()
                                    .map(|b| {
                                        view! {
                                            <li>
                                                {tr!(
                                                    locale, "structure.blocked_class",
                                class = format!("{} {}", grade(b.grade), b.class),
                                teacher = b.teacher.clone(),
                                state = tr!(locale, &format!("structure.teacher_{}", b.state))
                                                )}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <div class="table-scroll">
                <table class="accounts">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(locale, "structure.preview_from")}</th>
                            <th scope="col">{tr!(locale, "structure.preview_to")}</th>
                            <th scope="col">{tr!(locale, "records.homeroom_teacher")}</th>
                            <th scope="col">{tr!(locale, "records.students")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p
                            .moves
                            .iter()
                            .map(|m| {
                                view! {
                                    <tr>
                                        <td>{format!("{} {}", grade(m.from_grade), m.name)}</td>
                                        <td>
                                            {match m.to_grade {
                                                Some(g) => format!("{} {}", grade(g), m.name),
                                                None => tr!(locale, "structure.preview_graduates"),
                                            }}
                                        </td>
                                        <td>
                                            {m
                                                .teacher
                                                .clone()
                                                .unwrap_or_else(|| {
                                                    if m.to_grade.is_some() {
                                                        tr!(locale, "records.no_teacher")
                                                    } else {
                                                        "—".into()
                                                    }
                                                })}
                                        </td>
                                        <td>{m.students}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(!p.grades_without_class.is_empty())
                .then(|| {
                    view! {
                        <p class="notice" data-testid="rollover-missing">
                            {tr!(locale, "structure.preview_missing", grades = missing)}
                        </p>
                    }
                })}
            <ActionForm action attr:class="form">
                <input type="hidden" name="from_year" value=p.from_year.to_string() />
                <input type="hidden" name="name" value=p.name.clone() />
                <input type="hidden" name="starts_on" value=p.starts_on.clone() />
                <input type="hidden" name="ends_on" value=p.ends_on.clone() />
                <input type="hidden" name="final_grade" value=p.final_grade.to_string() />
                {p
                    .teachers
                    .iter()
                    .map(|(class, teacher)| {
                        view! {
                            <input
                                type="hidden"
                                name=format!("teachers[{class}]")
                                value=teacher.clone()
                            />
                        }
                    })
                    .collect_view()}
                // Moving on without the teachers named above is what this confirms.
                <input
                    type="hidden"
                    name="confirmed"
                    value=if p.blocked.is_empty() {
                        "yes"
                    } else {
                        crate::features::structure::functions::WITHOUT_TEACHER
                    }
                />
                <FormErrors locale error />
                <div class="actions">
                    <button type="submit">
                        {tr!(
                            locale, if p.blocked.is_empty() { "structure.rollover_confirm" } else { "structure.rollover_confirm_without" }
                        )}
                    </button>
                    <a class="button secondary" href="/records/structure">
                        {tr!(locale, "structure.rollover_back")}
                    </a>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// Moving on to a new school year: the newest year's classes, each with the homeroom
/// teacher it will have after moving up.
fn rollover_form(
    locale: Locale,
    action: ServerAction<crate::features::structure::functions::Rollover>,
    error: Signal<Option<AppError>>,
    s: &crate::features::structure::views::SchoolStructure,
) -> Option<AnyView> {
    let year = s.latest_year.clone()?;
    let classes: Vec<ClassSummary> = s
        .classes
        .iter()
        .filter(|c| s.to_promote.contains(&c.id))
        .cloned()
        .collect();
    if classes.is_empty() {
        return None;
    }
    let final_grade = classes.iter().map(|c| c.grade).max().unwrap_or(6);
    let unavailable: Vec<String> = classes
        .iter()
        .filter_map(|c| {
            let state = c.homeroom_teacher_state.as_ref()?;
            Some(tr!(
                locale,
                "structure.blocked_class",
                class = class_label(locale, c),
                teacher = c.homeroom_teacher.clone().unwrap_or_default(),
                state = tr!(locale, &format!("structure.teacher_{state}"))
            ))
        })
        .collect();
    let (start, next) = year
        .name
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<i32>().ok()? + 1, b.parse::<i32>().ok()? + 1)))
        .unwrap_or((2027, 2028));
    Some(view! {
        <h2>{tr!(locale, "structure.rollover")}</h2>
        <p class="hint">{tr!(locale, "structure.rollover_hint", year = year.name.clone())}</p>
        {(!unavailable.is_empty())
            .then(|| {
                view! {
                    <div class="notice" role="note" data-testid="rollover-unavailable">
                        <p>{tr!(locale, "structure.unavailable_intro", n = unavailable.len())}</p>
                        <ul>
                            {unavailable
                                .into_iter()
                                .map(|line| view! { <li>{line}</li> })
                                .collect_view()}
                        </ul>
                    </div>
                }
            })}
        <ActionForm action attr:class="form rollover">
            <input type="hidden" name="from_year" value=year.id.to_string() />
            <label for="rollover-name">{tr!(locale, "structure.year_name")}</label>
            <input
                id="rollover-name"
                name="name"
                value=format!("{start}-{next}")
                maxlength="9"
                required
            />
            <label for="rollover-start">{tr!(locale, "structure.starts_on")}</label>
            <input
                id="rollover-start"
                name="starts_on"
                type="date"
                value=format!("{start}-09-01")
                required
            />
            <label for="rollover-end">{tr!(locale, "structure.ends_on")}</label>
            <input
                id="rollover-end"
                name="ends_on"
                type="date"
                value=format!("{next}-07-15")
                required
            />
            <label for="rollover-final">{tr!(locale, "structure.final_grade")}</label>
            <select id="rollover-final" name="final_grade">
                {(1..=12)
                    .map(|g| {
                        view! {
                            <option value=g.to_string() selected=g == final_grade>
                                {tr!(locale, &format!("grade.{g}"))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            // Each class keeps its homeroom teacher as it moves up (the preview shows who);
            // a change is made afterwards, with the assignment form above.
            {classes
                .into_iter()
                .map(|class| {
                    view! {
                        <input
                            type="hidden"
                            name=format!("teachers[class-{}]", class.id)
                            value=class
                                .homeroom_teacher_id
                                .map(|t| t.to_string())
                                .unwrap_or_default()
                        />
                    }
                })
                .collect_view()}
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "structure.rollover_submit")}</button>
        </ActionForm>
    }
    .into_any())
}
