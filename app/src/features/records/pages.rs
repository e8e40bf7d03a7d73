//! The records pages: the start page (own classes, or every class and the review queue),
//! school structure, a class roster, the student form and the review.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::features::structure::pages::class_label;
use crate::kit::ui::{confirm::Confirm, failure, field_label, loaded};
use crate::{
    domain::records::codes,
    errors::AppError,
    features::records::views::{
        ClassProgress, GradeTotal, RecordStatus, RosterFilter, StudentFormView, StudentReview,
        grade_totals,
    },
    features::{
        notices::functions::DismissNotice,
        records::{
            functions::{
                DiscardStudentDraft, ReviewStep, SaveStudent, SetTopSecret,
                StudentPage as StudentPageData, UnmaskField, VerifyBatch, class_roster,
                new_student_form, records_home, review_queue, student_page,
            },
            student_form::StudentForm,
        },
    },
    i18n::Locale,
    kit::ui::{
        form_errors::FormErrors,
        pager::{page_param, pager},
        use_locale,
    },
    tr,
};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

/// The records' overview; `children` stands first under its title (the shell puts the
/// viewer's to-do list there: a records home starts with what waits).
#[component]
pub fn RecordsPage(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(records_home());
    let dismiss = ServerAction::<DismissNotice>::new();
    view! {
        <h1 id="records-title" class="page-title">
            {tr!(locale, "records.title")}
        </h1>
        {children.map(|c| c())}
        <section class="card" aria-labelledby="records-title">
            {loaded(
                locale,
                home,
                move |home| {
                    view! {
                        {(!home.notices.is_empty())
                            .then(|| {
                                view! {
                                    <section
                                        class="notice returned"
                                        role="status"
                                        aria-labelledby="notices-title"
                                        data-testid="notices"
                                    >
                                        <h2 id="notices-title">{tr!(locale, "notices.title")}</h2>
                                        <ul>
                                            {home
                                                .notices
                                                .clone()
                                                .into_iter()
                                                .map(|n| {
                                                    view! {
                                                        <li>
                                                            {tr!(
                                                                locale, &format!("notices.{}", n.kind), who = n.subject, seq = n.audit_seq
                                                            )} " · " {n.at}
                                                            <ActionForm action=dismiss attr:class="inline">
                                                                <input
                                                                    type="hidden"
                                                                    name="notice_id"
                                                                    value=n.id.to_string()
                                                                />
                                                                <button type="submit" class="secondary small">
                                                                    {tr!(locale, "notices.dismiss")}
                                                                </button>
                                                            </ActionForm>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </section>
                                }
                            })}
                        <p class="links">
                            {home
                                .aggregate_only
                                .then(|| {
                                    view! {
                                        <a href="/destructions">
                                            {tr!(locale, "destruction.title")}
                                        </a>
                                        " · "
                                        <a href="/inspections">{tr!(locale, "inspection.title")}</a>
                                    }
                                })}
                            {(home.aggregate_only && home.shows_changes)
                                .then(|| {
                                    view! {
                                        " · "
                                        <a href="/records/problems">
                                            {tr!(locale, "problems.title")}
                                        </a>
                                    }
                                })}
                            {(!home.aggregate_only)
                                .then(|| {
                                    view! {
                                        <a href="/records/search">{tr!(locale, "search.title")}</a>
                                        " · "
                                        <a href="/records/import">{tr!(locale, "import.title")}</a>
                                    }
                                })}
                            {home
                                .manages_structure
                                .then(|| {
                                    view! {
                                        " · "
                                        <a href="/records/structure">
                                            {tr!(locale, "structure.title")}
                                        </a>
                                        " · "
                                        <a href="/records/calendar">
                                            {tr!(locale, "calendar.title")}
                                        </a>
                                        " · "
                                        <a href="/destructions">
                                            {tr!(locale, "destruction.title")}
                                        </a>
                                        " · "
                                        <a href="/inspections">{tr!(locale, "inspection.title")}</a>
                                        " · "
                                        <a href="/records/problems" data-testid="problems-link">
                                            {tr!(locale, "problems.title")}
                                        </a>
                                    }
                                })}
                        </p>
                        {home
                            .reviewer
                            .then(|| {
                                view! {
                                    <h2>{tr!(locale, "records.queue")}</h2>
                                    {(home.queue_total > 0)
                                        .then(|| {
                                            view! {
                                                <p>
                                                    <a href="/records/queue" data-testid="queue-link">
                                                        {tr!(locale, "queue.all", n = home.queue_total)}
                                                    </a>
                                                </p>
                                            }
                                        })}
                                    {if home.queue.is_empty() {
                                        view! { <p>{tr!(locale, "records.queue_empty")}</p> }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul class="queue" data-testid="review-queue">
                                                {home
                                                    .queue
                                                    .into_iter()
                                                    .map(|q| {
                                                        view! {
                                                            <li>
                                                                <a href=format!(
                                                                    "/records/students/{}",
                                                                    q.student_id,
                                                                )>{q.name}</a>
                                                                " · "
                                                                {class_label(locale, &q.class)}
                                                                " · "
                                                                {q.submitted_at}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                }
                            })}
                        <h2>
                            {tr!(
                                locale, if home.all_classes { "records.all_classes" } else { "records.my_classes" }
                            )}
                        </h2>
                        {
                            let total = |f: fn(&ClassProgress) -> i64| {
                                home.classes.iter().map(f).sum::<i64>()
                            };
                            let shows_changes = home.shows_changes;
                            let only = match home.classes.as_slice() {
                                [one] if one.can_open => Some(one.clone()),
                                _ => None,
                            };
                            let fact = move |filter: RosterFilter, n: i64| {
                                let label = tr!(locale, filter.label_key());
                                let label = if filter == RosterFilter::All {
                                    tr!(locale, "records.students")
                                } else {
                                    label
                                };
                                // A teacher's one class: each total leads to its list.
                                view! {
                                    <div>
                                        <dt>{label}</dt>
                                        <dd>
                                            {match &only {
                                                Some(p) => count_link(p, filter, n).into_any(),
                                                None => n.into_any(),
                                            }}
                                        </dd>
                                    </div>
                                }
                            };
                            view! {
                                <dl class="facts totals" data-testid="totals">
                                    {fact(RosterFilter::All, total(|p| p.students))}
                                    {fact(
                                        RosterFilter::Status(RecordStatus::Draft),
                                        total(|p| p.draft),
                                    )}
                                    {fact(
                                        RosterFilter::Status(RecordStatus::Submitted),
                                        total(|p| p.submitted),
                                    )}
                                    {fact(
                                        RosterFilter::Status(RecordStatus::Verified),
                                        total(|p| p.verified),
                                    )}
                                    {fact(
                                        RosterFilter::Status(RecordStatus::Returned),
                                        total(|p| p.returned),
                                    )}
                                    {fact(RosterFilter::Incomplete, total(|p| p.incomplete))}
                                    {shows_changes
                                        .then(|| {
                                            view! {
                                                <div>
                                                    <dt>{tr!(locale, "records.suspended")}</dt>
                                                    <dd data-testid="suspended-total">
                                                        {total(|p| p.suspended)}
                                                    </dd>
                                                </div>
                                                <div>
                                                    <dt>{tr!(locale, "records.transferred_out")}</dt>
                                                    <dd data-testid="transferred-out">
                                                        {total(|p| p.transferred_out)}
                                                    </dd>
                                                </div>
                                                <div>
                                                    <dt>{tr!(locale, "records.transferred_in")}</dt>
                                                    <dd data-testid="transferred-in">
                                                        {total(|p| p.transferred_in)}
                                                    </dd>
                                                </div>
                                                <div>
                                                    <dt>{tr!(locale, "records.left_otherwise")}</dt>
                                                    <dd data-testid="left-otherwise">
                                                        {total(|p| p.left_otherwise)}
                                                    </dd>
                                                </div>
                                                <div>
                                                    <dt>{tr!(locale, "records.changes_waiting")}</dt>
                                                    <dd data-testid="changes-waiting-total">
                                                        {total(|p| p.changes_waiting)}
                                                    </dd>
                                                </div>
                                            }
                                        })}
                                </dl>
                            }
                        }
                        {if home.classes.is_empty() {
                            view! {
                                <p data-testid="no-classes">
                                    {tr!(
                                        locale, if home.manages_structure { "records.no_classes_manage" } else { "records.no_classes" }
                                    )}
                                </p>
                            }
                                .into_any()
                        } else if let [one] = home.classes.as_slice() && one.can_open {
                            // One class: its figures above are its own, each a link; the
                            // class itself is one tap away.
                            view! {
                                <p>
                                    <a
                                        href=format!("/records/classes/{}", one.class.id)
                                        data-testid="my-class"
                                    >
                                        {class_label(locale, &one.class)}
                                    </a>
                                </p>
                            }
                                .into_any()
                        } else {
                            let shows_changes = home.shows_changes;
                            view! {
                                <div class="table-scroll">
                                    <table class="accounts stack">
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr!(locale, "records.class")}</th>
                                                <th scope="col">
                                                    {tr!(locale, "records.homeroom_teacher")}
                                                </th>
                                                <th scope="col">{tr!(locale, "records.students")}</th>
                                                <th scope="col">{tr!(locale, "status.draft")}</th>
                                                <th scope="col">{tr!(locale, "status.submitted")}</th>
                                                <th scope="col">{tr!(locale, "status.verified")}</th>
                                                <th scope="col">{tr!(locale, "status.returned")}</th>
                                                <th scope="col">{tr!(locale, "records.incomplete")}</th>
                                                {shows_changes
                                                    .then(|| {
                                                        view! {
                                                            <th scope="col">{tr!(locale, "records.suspended")}</th>
                                                            <th scope="col">
                                                                {tr!(locale, "records.transferred_out")}
                                                            </th>
                                                            <th scope="col">{tr!(locale, "records.transferred_in")}</th>
                                                            <th scope="col">{tr!(locale, "records.left_otherwise")}</th>
                                                            <th scope="col">
                                                                {tr!(locale, "records.changes_waiting")}
                                                            </th>
                                                        }
                                                    })}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {
                                                let totals = grade_totals(&home.classes);
                                                let ends: Vec<bool> = home
                                                    .classes
                                                    .iter()
                                                    .enumerate()
                                                    .map(|(i, p)| {
                                                        home.classes
                                                            .get(i + 1)
                                                            .is_none_or(|n| {
                                                                n.class.grade != p.class.grade
                                                                    || n.class.school_year != p.class.school_year
                                                            })
                                                    })
                                                    .collect();
                                                home.classes
                                                    .into_iter()
                                                    .zip(ends)
                                                    .map(move |(p, end)| {
                                                        let subtotal = totals
                                                            .iter()
                                                            .find(|t| {
                                                                end && t.classes > 1 && t.grade == p.class.grade
                                                                    && t.school_year == p.class.school_year
                                                            })
                                                            .cloned()
                                                            .map(|t| grade_row(locale, t, shows_changes));
                                                        // Where a grade's classes end: its subtotal
                                                        // follows (a grade of one class has none).
                                                        view! {
                                                            <tr>
                                                                <td data-label=tr!(
                                                                    locale, "records.class"
                                                                )>
                                                                    {if !p.can_open {
                                                                        class_label(locale, &p.class).into_any()
                                                                    } else {
                                                                        view! {
                                                                            <a href=format!(
                                                                                "/records/classes/{}",
                                                                                p.class.id,
                                                                            )>{class_label(locale, &p.class)}</a>
                                                                        }
                                                                            .into_any()
                                                                    }}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "records.homeroom_teacher"
                                                                )>
                                                                    {p
                                                                        .class
                                                                        .homeroom_teacher
                                                                        .clone()
                                                                        .unwrap_or_else(|| "—".into())}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "records.students"
                                                                )>{count_link(&p, RosterFilter::All, p.students)}</td>
                                                                <td data-label=tr!(
                                                                    locale, "status.draft"
                                                                )>
                                                                    {count_link(
                                                                        &p,
                                                                        RosterFilter::Status(RecordStatus::Draft),
                                                                        p.draft,
                                                                    )}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "status.submitted"
                                                                )>
                                                                    {count_link(
                                                                        &p,
                                                                        RosterFilter::Status(RecordStatus::Submitted),
                                                                        p.submitted,
                                                                    )}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "status.verified"
                                                                )>
                                                                    {count_link(
                                                                        &p,
                                                                        RosterFilter::Status(RecordStatus::Verified),
                                                                        p.verified,
                                                                    )}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "status.returned"
                                                                )>
                                                                    {count_link(
                                                                        &p,
                                                                        RosterFilter::Status(RecordStatus::Returned),
                                                                        p.returned,
                                                                    )}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "records.incomplete"
                                                                )>
                                                                    {count_link(&p, RosterFilter::Incomplete, p.incomplete)}
                                                                </td>
                                                                {shows_changes
                                                                    .then(|| {
                                                                        view! {
                                                                            <td data-label=tr!(
                                                                                locale, "records.suspended"
                                                                            )>{p.suspended}</td>
                                                                            <td data-label=tr!(
                                                                                locale, "records.transferred_out"
                                                                            )>{p.transferred_out}</td>
                                                                            <td data-label=tr!(
                                                                                locale, "records.transferred_in"
                                                                            )>{p.transferred_in}</td>
                                                                            <td data-label=tr!(
                                                                                locale, "records.left_otherwise"
                                                                            )>{p.left_otherwise}</td>
                                                                            <td data-label=tr!(
                                                                                locale, "records.changes_waiting"
                                                                            )>{p.changes_waiting}</td>
                                                                        }
                                                                    })}
                                                            </tr>
                                                            {subtotal}
                                                        }
                                                    })
                                                    .collect_view()
                                            }
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }}
                    }
                },
            )}
        </section>
    }
}

/// A grade's subtotal row in the overview: its classes' figures summed.
fn grade_row(locale: Locale, t: GradeTotal, shows_changes: bool) -> impl IntoView {
    let grade = format!(
        "{} {}",
        t.school_year,
        tr!(locale, &format!("grade.{}", t.grade))
    );
    view! {
        <tr class="subtotal" data-testid="grade-total" data-grade=t.grade>
            <th scope="row" data-label=tr!(locale, "records.class")>
                {tr!(locale, "records.grade_total", grade = grade)}
            </th>
            <td data-label=tr!(
                locale, "records.homeroom_teacher"
            )>{tr!(locale, "records.grade_classes", n = t.classes)}</td>
            <td data-label=tr!(locale, "records.students")>{t.students}</td>
            <td data-label=tr!(locale, "status.draft")>{t.draft}</td>
            <td data-label=tr!(locale, "status.submitted")>{t.submitted}</td>
            <td data-label=tr!(locale, "status.verified")>{t.verified}</td>
            <td data-label=tr!(locale, "status.returned")>{t.returned}</td>
            <td data-label=tr!(locale, "records.incomplete")>{t.incomplete}</td>
            {shows_changes
                .then(|| {
                    view! {
                        <td data-label=tr!(locale, "records.suspended")>{t.suspended}</td>
                        <td data-label=tr!(
                            locale, "records.transferred_out"
                        )>{t.transferred_out}</td>
                        <td data-label=tr!(locale, "records.transferred_in")>{t.transferred_in}</td>
                        <td data-label=tr!(locale, "records.left_otherwise")>{t.left_otherwise}</td>
                        <td data-label=tr!(
                            locale, "records.changes_waiting"
                        )>{t.changes_waiting}</td>
                    }
                })}
        </tr>
    }
}

/// A count of a class's records that leads to those records, where the viewer may open the
/// class and there is something to see.
fn count_link(p: &ClassProgress, filter: RosterFilter, n: i64) -> AnyView {
    if p.can_open && n > 0 {
        view! { <a href=filter.href(&p.class.id)>{n}</a> }.into_any()
    } else {
        n.into_any()
    }
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let locale = use_locale();
    let class_id = param("class");
    let filter = use_query_map().with_untracked(|q| RosterFilter::parse(q.get("state").as_deref()));
    let roster = OnceResource::new(class_roster(class_id));
    view! {
        <section class="card" aria-labelledby="roster-title">
            <Suspense>
                {move || Suspend::new(async move {
                    match roster.await {
                        Err(e) => {
                            view! {
                                <h1 id="roster-title">{tr!(locale, "records.class")}</h1>
                                {failure(locale, e)}
                            }
                                .into_any()
                        }
                        Ok(r) => {
                            let class_id = r.class.id.clone();
                            let shown: Vec<_> = r
                                .students
                                .iter()
                                .filter(|s| filter.admits(s))
                                .cloned()
                                .collect();
                            view! {
                                <h1 id="roster-title">{class_label(locale, &r.class)}</h1>
                                <p class="hint">
                                    {tr!(locale, "records.homeroom_teacher")} ": "
                                    {r
                                        .class
                                        .homeroom_teacher
                                        .clone()
                                        .unwrap_or_else(|| "—".into())}
                                </p>
                                {r
                                    .can_edit
                                    .then(|| {
                                        view! {
                                            <p>
                                                <a
                                                    class="button"
                                                    href=format!("/records/classes/{}/new", r.class.id)
                                                >
                                                    {tr!(locale, "records.add_student")}
                                                </a>
                                            </p>
                                        }
                                    })}
                                // Rows an import left incomplete come first: they are the work to do.
                                {(!r.imported.is_empty())
                                    .then(|| {
                                        let class = r.class.id.clone();
                                        view! {
                                            <section
                                                class="to-complete"
                                                aria-labelledby="to-complete-title"
                                                data-testid="to-complete"
                                            >
                                                <h2 id="to-complete-title">
                                                    {tr!(locale, "records.to_complete", n = r.imported.len())}
                                                </h2>
                                                <p class="hint">
                                                    {tr!(locale, "records.to_complete_hint")}
                                                </p>
                                                <ul class="todo">
                                                    {r
                                                        .imported
                                                        .iter()
                                                        .map(|d| {
                                                            view! {
                                                                <li>
                                                                    <a href=format!(
                                                                        "/records/classes/{class}/new?draft={}",
                                                                        d.id,
                                                                    )>{d.name.clone()}</a>
                                                                    " "
                                                                    <span class="why">
                                                                        {tr!(locale, "records.to_complete_missing", n = d.problems)}
                                                                    </span>
                                                                    " "
                                                                    <span class="hint">
                                                                        {tr!(
                                                                            locale, "records.to_complete_expires", date = d.expires_on.clone()
                                                                        )}
                                                                    </span>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            </section>
                                        }
                                    })}
                                {(!r.students.is_empty())
                                    .then(|| {
                                        view! {
                                            <nav
                                                class="filters"
                                                aria-label=tr!(locale, "records.filter_by_state")
                                                data-testid="roster-filters"
                                            >
                                                {RosterFilter::ALL
                                                    .into_iter()
                                                    .map(|f| {
                                                        let n = r.students.iter().filter(|s| f.admits(s)).count();
                                                        let current = (f == filter).then_some("page");
                                                        view! {
                                                            <a href=f.href(&class_id) aria-current=current>
                                                                {tr!(locale, f.label_key())}
                                                                " "
                                                                <span class="count">{n}</span>
                                                            </a>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </nav>
                                        }
                                    })}
                                {if r.students.is_empty() {
                                    view! {
                                        <p>
                                            {tr!(
                                                locale, if r.can_edit { "records.no_students_add" } else { "records.no_students" }
                                            )}
                                        </p>
                                    }
                                        .into_any()
                                } else if shown.is_empty() {
                                    view! {
                                        <p data-testid="roster-none">
                                            {tr!(locale, "records.none_in_filter")}
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="table-scroll">
                                            <table class="accounts roster stack">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{tr!(locale, "field.name")}</th>
                                                        <th scope="col">{tr!(locale, "field.sex")}</th>
                                                        <th scope="col">{tr!(locale, "field.birth_date")}</th>
                                                        <th scope="col">{tr!(locale, "field.id_number")}</th>
                                                        <th scope="col">{tr!(locale, "records.status")}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {shown
                                                        .into_iter()
                                                        .map(|s| {
                                                            view! {
                                                                <tr>
                                                                    <td data-label=tr!(locale, "field.name")>
                                                                        <a href=format!("/records/students/{}", s.id)>{s.name}</a>
                                                                    </td>
                                                                    <td data-label=tr!(
                                                                        locale, "field.sex"
                                                                    )>
                                                                        {codes::label_of(codes::SEXES, &s.sex)
                                                                            .map(|k| tr!(locale, k))}
                                                                    </td>
                                                                    <td data-label=tr!(
                                                                        locale, "field.birth_date"
                                                                    )>{s.birth_date}</td>
                                                                    <td
                                                                        class="masked"
                                                                        data-label=tr!(locale, "field.id_number")
                                                                    >
                                                                        {s.id_number}
                                                                    </td>
                                                                    <td data-label=tr!(
                                                                        locale, "records.status"
                                                                    )>
                                                                        {status_badge(locale, s.status)}
                                                                        {s
                                                                            .top_secret
                                                                            .then(|| {
                                                                                view! {
                                                                                    " "
                                                                                    <span class="status status-top-secret">
                                                                                        {tr!(locale, "records.top_secret")}
                                                                                    </span>
                                                                                }
                                                                            })}
                                                                        {s
                                                                            .suspended
                                                                            .then(|| {
                                                                                view! {
                                                                                    " "
                                                                                    <span class="status status-left">
                                                                                        {tr!(locale, "records.suspended_badge")}
                                                                                    </span>
                                                                                }
                                                                            })}
                                                                        {s
                                                                            .return_reason
                                                                            .map(|why| {
                                                                                view! {
                                                                                    <span class="why">
                                                                                        {tr!(locale, "records.returned_with", why = why)}
                                                                                    </span>
                                                                                }
                                                                            })}
                                                                        {s
                                                                            .awaiting_number
                                                                            .then(|| {
                                                                                view! {
                                                                                    <span class="hint awaiting">
                                                                                        {tr!(locale, "records.awaiting_number")}
                                                                                    </span>
                                                                                }
                                                                            })}
                                                                        {(!s.missing.is_empty())
                                                                            .then(|| {
                                                                                let what = s
                                                                                    .missing
                                                                                    .iter()
                                                                                    .map(|m| tr!(locale, &format!("records.missing_{m}")))
                                                                                    .collect::<Vec<_>>()
                                                                                    .join(&tr!(locale, "list.separator"));
                                                                                view! {
                                                                                    <span class="why">
                                                                                        {tr!(locale, "records.incomplete_because", what = what)}
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
                                    }
                                        .into_any()
                                }}
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The teacher's check of what they saved: each classified value masked, with a button that
/// shows it once (an audit entry each time). Outside the form, so that nothing typed is
/// sent along. Never on a 绝密 record.
fn saved_values_check(locale: Locale, form: &StudentFormView) -> Option<AnyView> {
    let student = form.student_id.clone()?;
    let saved: Vec<(String, String)> = form
        .masked
        .iter()
        .filter(|(_, m)| !m.is_empty())
        .cloned()
        .collect();
    if saved.is_empty() || form.top_secret {
        return None;
    }
    let unmask = ServerAction::<UnmaskField>::new();
    let revealed = form.revealed.clone();
    Some(
        view! {
            <details class="check-saved" data-testid="check-saved" open=revealed.is_some()>
                <summary>{tr!(locale, "form.check_saved")}</summary>
                <p class="hint">{tr!(locale, "form.check_saved_hint")}</p>
                <ul>
                    {saved
                        .into_iter()
                        .map(|(field, mask)| {
                            let shown = revealed
                                .as_ref()
                                .filter(|(f, _)| *f == field)
                                .map(|(_, v)| v.clone());
                            let student = student.clone();
                            let label = field_label(locale, &field);
                            let button_label = tr!(locale, "form.check_one", field = label.clone());
                            let path = field.clone();
                            view! {
                                <li data-field=path>
                                    {label} "："
                                    {match shown {
                                        Some(value) => {
                                            view! { <strong class="revealed">{value}</strong> }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <span class="masked">{mask}</span>
                                                <ActionForm action=unmask attr:class="inline">
                                                    <input type="hidden" name="student_id" value=student />
                                                    <input type="hidden" name="field" value=field.clone() />
                                                    <button
                                                        type="submit"
                                                        class="secondary small"
                                                        aria-label=button_label
                                                    >
                                                        {tr!(locale, "form.check")}
                                                    </button>
                                                </ActionForm>
                                            }
                                                .into_any()
                                        }
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
        .into_any(),
    )
}

fn form_page(locale: Locale, form: StudentFormView) -> AnyView {
    let discard = ServerAction::<DiscardStudentDraft>::new();
    let check = saved_values_check(locale, &form);
    let save = ServerAction::<SaveStudent>::new();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let title = match (&form.student_id, &form.draft_id) {
        (Some(_), _) => form.input.student.name.clone(),
        (None, Some(_)) => tr!(
            locale,
            "records.complete_student",
            name = form.input.student.name.clone()
        ),
        (None, None) => tr!(locale, "records.new_student"),
    };
    let back = format!("/records/classes/{}", form.class.id);
    let class = class_label(locale, &form.class);
    let report = form.student_id.clone().map(|id| {
        view! {
            " · "
            <a href=format!("/leaks/new?student={id}") data-testid="report-student-leak">
                {tr!(locale, "leak.report_student")}
            </a>
        }
    });
    view! {
        <h1 id="student-title">{title}</h1>
        <p class="hint">
            <a href=back>{class}</a>
            {report}
        </p>
        {form
            .status
            .map(|s| {
                view! { <p>{tr!(locale, "records.status")} ": " {status_badge(locale, s)}</p> }
            })}
        {(form.status == Some(RecordStatus::Verified))
            .then(|| {
                view! {
                    <p class="notice" data-testid="verified-warning">
                        {tr!(locale, "form.verified_warning")}
                    </p>
                }
            })}
        {form
            .return_reason
            .clone()
            .filter(|_| form.status == Some(RecordStatus::Returned))
            .map(|reason| {
                view! {
                    <div class="notice returned" role="status" data-testid="return-reason">
                        <p>
                            <strong>{tr!(locale, "records.returned_because")}</strong>
                        </p>
                        <p>{reason}</p>
                    </div>
                }
            })}
        {form
            .from_draft
            .then({
                let class_id = form.class.id.clone();
                let student_id = form.student_id.clone().unwrap_or_default();
                let draft_id = form.draft_id.clone().unwrap_or_default();
                let imported = !draft_id.is_empty();
                move || {
                    // An imported row has no saved record to go back to: it is not thrown away by
                    // the button that returns to one (it goes once saved, or after its lifetime).
                    view! {
                        <div class="notice" role="status" data-testid="draft-notice">
                            <p>
                                {tr!(
                                    locale, if imported { "form.showing_imported" } else { "form.showing_draft" }
                                )}
                            </p>
                            {(!imported)
                                .then(|| {
                                    view! {
                                        <ActionForm action=discard attr:class="inline">
                                            <input
                                                type="hidden"
                                                name="class_id"
                                                value=class_id.clone()
                                            />
                                            <input
                                                type="hidden"
                                                name="student_id"
                                                value=student_id.clone()
                                            />
                                            <button type="submit" class="small secondary">
                                                {tr!(locale, "form.discard_draft")}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </div>
                    }
                }
            })}
        {check}
        <FormErrors locale error=save_error record_fields=true />
        <StudentForm locale view=form />
    }
    .into_any()
}

#[component]
pub fn NewStudentPage() -> impl IntoView {
    let locale = use_locale();
    // A draft an import left, when the form completes one.
    let draft = use_query_map().with_untracked(|q| q.get("draft").unwrap_or_default());
    let form = OnceResource::new(new_student_form(param("class"), draft));
    view! {
        <section class="card" aria-labelledby="student-title">
            <Suspense>
                {move || Suspend::new(async move {
                    match form.await {
                        Err(e) => {
                            view! {
                                <h1 id="student-title">{tr!(locale, "records.new_student")}</h1>
                                {failure(locale, e)}
                            }
                                .into_any()
                        }
                        Ok(form) => form_page(locale, form),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// On a verified record, for a records administrator: the 关键数据变更 application's form
/// (the key fields to change, each empty to keep, with what it holds now; a reason). Proof
/// is added, and a leader decides, on the application's page.
fn key_data_form(locale: Locale, r: &StudentReview) -> AnyView {
    use crate::features::{
        changes::views::ChangeKind,
        records::{functions::FileKeyDataChange, views::KeyDataKept},
    };
    let action = ServerAction::<FileKeyDataChange>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let typed: KeyDataKept = crate::kit::forms::kept::<FileKeyDataChange, _>();
    let refused = action
        .value()
        .get_untracked()
        .and_then(Result::err)
        .map(|e| e.fields)
        .unwrap_or_default();
    let open = !refused.is_empty() || typed != KeyDataKept::default();
    let now = r
        .fields
        .iter()
        .map(|f| (f.field.clone(), f.value.clone()))
        .collect();
    let controls = crate::features::records::student_form::key_data_controls(
        locale,
        now,
        &typed.record.student,
        &refused,
    );
    let student_id = r.id.clone();
    let reason = typed.reason.clone();
    view! {
        <details class="no-print" data-testid="key-data" open=open>
            <summary>{tr!(locale, "key_data.title")}</summary>
            <ActionForm action attr:class="form" attr:novalidate="novalidate">
                <p class="hint">{tr!(locale, "key_data.hint")}</p>
                <input type="hidden" name="student_id" value=student_id />
                {controls}
                <label for="key-data-reason">{tr!(locale, "key_data.reason")}</label>
                <select id="key-data-reason" name="reason" required>
                    <option value="">{tr!(locale, "change.choose_reason")}</option>
                    {ChangeKind::KeyData
                        .reasons()
                        .iter()
                        .map(|code| {
                            view! {
                                <option value=*code selected=reason == *code>
                                    {tr!(locale, &format!("change.reason_{code}"))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FormErrors locale error />
                <button type="submit" class="secondary">
                    {tr!(locale, "key_data.submit")}
                </button>
            </ActionForm>
        </details>
    }
    .into_any()
}

fn review_page(locale: Locale, r: StudentReview) -> AnyView {
    let step = ServerAction::<ReviewStep>::new();
    let unmask = ServerAction::<UnmaskField>::new();
    let classify = ServerAction::<SetTopSecret>::new();
    let undo_left = ServerAction::<super::functions::UndoStudentLeft>::new();
    let undo_error = Signal::derive(move || undo_left.value().get().and_then(Result::err));
    let key_data = r.key_data_open.then(|| key_data_form(locale, &r));
    // A change of status is filed for those still at school, one at a time.
    let change = match (&r.left, &r.pending_change) {
        (Some(_), _) => None,
        (None, Some(pending)) => Some(crate::features::changes::pages::pending_note(
            locale,
            pending.clone(),
        )),
        (None, None) => Some(crate::features::changes::pages::file_form(
            locale,
            r.id.clone(),
            r.suspended_since.is_some(),
            r.new_entry,
        )),
    };
    let error = Signal::derive(move || {
        let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        err(step.value().get())
            .or_else(|| err(unmask.value().get()))
            .or_else(|| err(classify.value().get()))
    });
    let id = r.id.clone();
    // What changed since the last verification is marked (at a first review, nothing is:
    // everything is new).
    let changed = if r.first_review {
        Vec::new()
    } else {
        r.changed.clone()
    };
    let shown = move |fields: Vec<crate::features::records::views::ShownField>| {
        let id = id.clone();
        let changed = changed.clone();
        view! {
            <dl class="facts review">
                {fields
                    .into_iter()
                    .map(|f| {
                        let id = id.clone();
                        let field = f.field.clone();
                        let is_changed = changed.contains(&f.field);
                        view! {
                            <div
                                data-field=f.field.clone()
                                class:classified=f.classified
                                class:changed=is_changed
                            >
                                <dt>
                                    {f.label.clone()}
                                    {is_changed
                                        .then(|| {
                                            view! {
                                                " "
                                                <span class="status changed">
                                                    {tr!(locale, "review.changed")}
                                                </span>
                                            }
                                        })}
                                </dt>
                                <dd>
                                    <span class="value" class:revealed=f.revealed>
                                        {f.value.clone()}
                                    </span>
                                    {f
                                        .unmaskable
                                        .then(|| {
                                            view! {
                                                <details class="unmask">
                                                    <summary>{tr!(locale, "review.unmask")}</summary>
                                                    <ActionForm action=unmask attr:class="form">
                                                        <input type="hidden" name="student_id" value=id />
                                                        <input type="hidden" name="field" value=field.clone() />
                                                        <label for=format!(
                                                            "reason-{field}",
                                                        )>{tr!(locale, "review.unmask_reason")}</label>
                                                        <input
                                                            id=format!("reason-{field}")
                                                            name="reason"
                                                            required
                                                            maxlength="200"
                                                        />
                                                        <button type="submit" class="small">
                                                            {tr!(locale, "review.unmask_submit")}
                                                        </button>
                                                    </ActionForm>
                                                </details>
                                            }
                                        })}
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        }
    };
    // A student who left has no steps left: their record stands as it was.
    let submitted = r.status == RecordStatus::Submitted && r.left.is_none();
    let disclosures = format!("/records/students/{}/disclosures", r.id);
    let trail = format!("/audit?student={}", r.id);
    let report = format!("/leaks/new?student={}", r.id);
    let place = r.queue.clone().map(|q| {
        view! {
            <nav
                class="pager queue-place"
                aria-label=tr!(locale, "queue.title")
                data-testid="queue-place"
            >
                {q
                    .previous
                    .map(|p| {
                        view! {
                            <a rel="prev" href=format!("/records/students/{p}")>
                                {tr!(locale, "queue.previous")}
                            </a>
                        }
                    })}
                <a href="/records/queue">
                    {tr!(locale, "queue.place", position = q.position, total = q.total)}
                </a>
                {q
                    .next
                    .map(|n| {
                        view! {
                            <a rel="next" href=format!("/records/students/{n}")>
                                {tr!(locale, "queue.next")}
                            </a>
                        }
                    })}
            </nav>
        }
    });
    let what_changed = submitted.then(|| {
        let text = if r.first_review {
            tr!(locale, "review.first_review")
        } else {
            tr!(locale, "review.changed_intro", n = r.changed.len())
        };
        view! {
            <p class="hint" data-testid="changed-intro">
                {text}
            </p>
        }
    });
    view! {
        {place}
        <h1 id="student-title">{r.name.clone()}</h1>
        <p class="hint">{class_label(locale, &r.class)}</p>
        {what_changed}
        <p>
            {tr!(locale, "records.status")} ": " {status_badge(locale, r.status)}
            {r
                .top_secret
                .then(|| {
                    view! {
                        " "
                        <span class="status status-top-secret">
                            {tr!(locale, "records.top_secret")}
                        </span>
                    }
                })}
        </p>
        {r
            .left
            .clone()
            .map(|why| {
                view! {
                    <p class="notice" data-testid="left">
                        {tr!(locale, &format!("records.left_{why}"))}
                    </p>
                }
            })}
        {r
            .suspended_since
            .clone()
            .map(|since| {
                view! {
                    <p class="notice" data-testid="suspended">
                        {tr!(locale, "records.suspended_since", since = since)}
                    </p>
                }
            })}
        {r
            .transferred_in
            .clone()
            .map(|(school, on)| {
                view! {
                    <p class="hint" data-testid="transferred-in">
                        {tr!(locale, "records.transferred_in_from", school = school, on = on)}
                    </p>
                }
            })}
        {r
            .left_undo
            .map(|may| {
                if may {
                    let id = r.id.clone();
                    view! {
                        <details class="no-print" data-testid="undo-left">
                            <summary>{tr!(locale, "left.undo_title")}</summary>
                            <p class="hint">{tr!(locale, "left.undo_hint")}</p>
                            <FormErrors locale error=undo_error />
                            <Confirm
                                label=tr!(locale, "left.undo_submit")
                                question=tr!(locale, "left.undo_question")
                            >
                                <ActionForm action=undo_left attr:class="inline">
                                    <input type="hidden" name="student_id" value=id />
                                    <button type="submit" class="secondary">
                                        {tr!(locale, "left.undo_submit")}
                                    </button>
                                </ActionForm>
                            </Confirm>
                        </details>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="hint" data-testid="undo-left-own">
                            {tr!(locale, "left.undo_own")}
                        </p>
                    }
                        .into_any()
                }
            })}
        {r
            .return_reason
            .clone()
            .filter(|_| r.status == RecordStatus::Returned)
            .map(|reason| {
                view! {
                    <div class="notice returned" role="status">
                        <p>{tr!(locale, "records.returned_because")} " " {reason}</p>
                    </div>
                }
            })}
        {(!r.clashes.is_empty())
            .then(|| {
                view! {
                    <div class="notice returned" role="status" data-testid="number-clashes">
                        <p>{tr!(locale, "review.clash_intro")}</p>
                        <ul>
                            {r
                                .clashes
                                .clone()
                                .into_iter()
                                .map(|c| {
                                    let field = tr!(locale, &format!("field.{}", c.field));
                                    view! {
                                        <li>
                                            {field} ": "
                                            {match c.other {
                                                Some((id, name, class)) => {
                                                    view! {
                                                        <a href=format!("/records/students/{id}")>{name}</a>
                                                        " · "
                                                        {class_label(locale, &class)}
                                                    }
                                                        .into_any()
                                                }
                                                None => {
                                                    view! {
                                                        <span>{tr!(locale, "review.clash_top_secret")}</span>
                                                    }
                                                        .into_any()
                                                }
                                            }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
            })}
        <FormErrors locale error />
        {submitted
            .then(|| {
                let id = r.id.clone();
                let id2 = r.id.clone();
                view! {
                    <div class="review-actions">
                        <Confirm
                            label=tr!(locale, "review.verify")
                            question=tr!(locale, "review.confirm_verify")
                        >
                            <ActionForm action=step attr:class="inline">
                                <input type="hidden" name="student_id" value=id />
                                <input type="hidden" name="step" value="verify" />
                                <button type="submit">
                                    {tr!(locale, "review.confirm_verify_submit")}
                                </button>
                            </ActionForm>
                        </Confirm>
                        <ActionForm action=step attr:class="form return-form">
                            <input type="hidden" name="student_id" value=id2 />
                            <input type="hidden" name="step" value="return" />
                            <label for="return-reason">{tr!(locale, "review.return_reason")}</label>
                            // Picked from the usual reasons or typed: a datalist needs no script.
                            <input
                                id="return-reason"
                                name="reason"
                                required
                                maxlength="200"
                                list="return-templates"
                                autocomplete="off"
                            />
                            <datalist id="return-templates">
                                {(1..=6)
                                    .map(|n| {
                                        view! {
                                            <option value=tr!(
                                                locale, &format!("review.template_{n}")
                                            )></option>
                                        }
                                    })
                                    .collect_view()}
                            </datalist>
                            <button type="submit" class="secondary">
                                {tr!(locale, "review.return")}
                            </button>
                        </ActionForm>
                    </div>
                }
            })}
        <h2>{tr!(locale, "form.student")}</h2>
        {shown(r.fields.clone())}
        <h2>{tr!(locale, "form.family")}</h2>
        {r
            .guardians
            .clone()
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                view! {
                    <h3>{tr!(locale, "form.family_member", n = i + 1)}</h3>
                    {shown(g)}
                }
            })
            .collect_view()}
        <Confirm
            label=tr!(
                locale, if r.top_secret { "review.unmark_top_secret" } else { "review.mark_top_secret" }
            )
            question=tr!(
                locale, if r.top_secret { "review.confirm_unmark_top_secret" } else { "review.confirm_mark_top_secret" }
            )
        >
            <ActionForm action=classify attr:class="inline classification">
                <input type="hidden" name="student_id" value=r.id.clone() />
                <input type="hidden" name="top_secret" value=if r.top_secret { "0" } else { "1" } />
                <button type="submit" class="small danger">
                    {tr!(locale, "review.confirm_classification_submit")}
                </button>
            </ActionForm>
        </Confirm>
        {change}
        {key_data}
        <p class="links">
            <a href=disclosures>{tr!(locale, "register.student_title")}</a>
            " · "
            <a href=trail>{tr!(locale, "audit.student_trail")}</a>
            " · "
            <a href=report data-testid="report-student-leak">
                {tr!(locale, "leak.report_student")}
            </a>
        </p>
    }
    .into_any()
}

#[component]
pub fn StudentPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(student_page(param("student")));
    view! {
        <section class="card" aria-labelledby="student-title">
            <Suspense>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => {
                            view! {
                                <h1 id="student-title">{tr!(locale, "records.student")}</h1>
                                {failure(locale, e)}
                            }
                                .into_any()
                        }
                        Ok(StudentPageData::Form(form)) => form_page(locale, form),
                        Ok(StudentPageData::Review(review)) => review_page(locale, review),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The verification queue: every record waiting, oldest first, a page at a time, each with
/// what changed since its last verification and what the portal found; those with nothing
/// found can be verified together (a second step first).
#[component]
pub fn QueuePage() -> impl IntoView {
    let locale = use_locale();
    let page = page_param();
    let class = use_query_map().with_untracked(|q| q.get("class").unwrap_or_default());
    let queue = OnceResource::new(review_queue(page, class));
    let batch = ServerAction::<VerifyBatch>::new();
    let error = Signal::derive(move || batch.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="queue-title">
            <h1 id="queue-title">{tr!(locale, "queue.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match queue.await {
                        Err(e) => failure(locale, e),
                        Ok(q) if q.total == 0 => {
                            view! { <p data-testid="queue-empty">{tr!(locale, "queue.empty")}</p> }
                                .into_any()
                        }
                        Ok(q) => {
                            let pages = (q.total as usize).div_ceil(q.per_page);
                            let here = match &q.class {
                                Some(c) => format!("/records/queue?class={c}"),
                                None => "/records/queue".to_owned(),
                            };
                            let all: i64 = q.classes.iter().map(|(_, n)| n).sum();
                            view! {
                                // By class: a records administrator works one class's records
                                // at a time, as its teacher handed them in.
                                {(q.classes.len() > 1)
                                    .then(|| {
                                        view! {
                                            <nav
                                                class="filters"
                                                aria-label=tr!(locale, "queue.by_class")
                                                data-testid="queue-classes"
                                            >
                                                <a
                                                    href="/records/queue"
                                                    aria-current=q.class.is_none().then_some("page")
                                                >
                                                    {tr!(locale, "queue.all_classes")}
                                                    " "
                                                    <span class="count">{all}</span>
                                                </a>
                                                {q
                                                    .classes
                                                    .iter()
                                                    .map(|(c, n)| {
                                                        view! {
                                                            <a
                                                                href=format!("/records/queue?class={}", c.id)
                                                                aria-current=(q.class.as_deref() == Some(c.id.as_str()))
                                                                    .then_some("page")
                                                            >
                                                                {class_label(locale, c)}
                                                                " "
                                                                <span class="count">{*n}</span>
                                                            </a>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </nav>
                                        }
                                    })}
                                <p role="status" data-testid="queue-count">
                                    {tr!(locale, "queue.count", total = q.total)}
                                </p>
                                <p class="hint">{tr!(locale, "queue.batch_hint")}</p>
                                <ActionForm action=batch attr:class="queue-batch">
                                    <div class="table-scroll">
                                        <table class="accounts stack" data-testid="queue">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{tr!(locale, "queue.pick")}</th>
                                                    <th scope="col">{tr!(locale, "field.name")}</th>
                                                    <th scope="col">{tr!(locale, "records.class")}</th>
                                                    <th scope="col">{tr!(locale, "queue.submitted_at")}</th>
                                                    <th scope="col">{tr!(locale, "queue.what")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {q
                                                    .rows
                                                    .into_iter()
                                                    .map(|row| {
                                                        let clean = row.findings.is_empty();
                                                        let what = if row.first {
                                                            tr!(locale, "queue.first")
                                                        } else {
                                                            tr!(locale, "queue.changed", n = row.changed.len())
                                                        };
                                                        view! {
                                                            <tr data-student=row.student_id.clone()>
                                                                <td data-label=tr!(
                                                                    locale, "queue.pick"
                                                                )>
                                                                    {clean
                                                                        .then(|| {
                                                                            view! {
                                                                                <input
                                                                                    type="checkbox"
                                                                                    name="students[]"
                                                                                    value=row.student_id.clone()
                                                                                    aria-label=tr!(
                                                                                        locale, "queue.pick_named", name = row.name.clone()
                                                                                    )
                                                                                />
                                                                            }
                                                                        })}
                                                                </td>
                                                                <td data-label=tr!(locale, "field.name")>
                                                                    <a href=format!(
                                                                        "/records/students/{}",
                                                                        row.student_id,
                                                                    )>{row.name.clone()}</a>
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "records.class"
                                                                )>{class_label(locale, &row.class)}</td>
                                                                <td data-label=tr!(
                                                                    locale, "queue.submitted_at"
                                                                )>{row.submitted_at.clone()}</td>
                                                                <td data-label=tr!(
                                                                    locale, "queue.what"
                                                                )>
                                                                    {what}
                                                                    {row
                                                                        .findings
                                                                        .iter()
                                                                        .map(|f| {
                                                                            view! {
                                                                                " "
                                                                                <span class="status status-returned">
                                                                                    {tr!(locale, &format!("queue.finding_{f}"))}
                                                                                </span>
                                                                            }
                                                                        })
                                                                        .collect_view()}
                                                                </td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <FormErrors locale error />
                                    <details class="confirm">
                                        <summary>{tr!(locale, "queue.batch")}</summary>
                                        <div class="confirm-body">
                                            <p>{tr!(locale, "queue.batch_question")}</p>
                                            <button type="submit">
                                                {tr!(locale, "queue.batch_submit")}
                                            </button>
                                        </div>
                                    </details>
                                </ActionForm>
                                {pager(locale, here, q.page, pages)}
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A record's status as a badge.
pub fn status_badge(
    locale: crate::i18n::Locale,
    status: crate::features::records::views::RecordStatus,
) -> impl IntoView {
    view! {
        <span class=format!(
            "status status-{}",
            status.code(),
        )>{crate::tr!(locale, status.label_key())}</span>
    }
}
