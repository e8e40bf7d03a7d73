//! The records pages: the start page (own classes, or every class and the review queue),
//! school structure, a class roster, the student form and the review.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    domain::records::codes,
    errors::AppError,
    features::{
        notices::functions::DismissNotice,
        records::{
            functions::{
                DiscardStudentDraft, ReviewStep, SaveStudent, SetTopSecret,
                StudentPage as StudentPageData, UnmaskField, class_roster, new_student_form,
                records_home, student_page,
            },
            student_form::StudentForm,
        },
        structure::functions::{
            AssignHomeroomTeacher, CreateClass, CreateSchoolYear, school_structure,
        },
    },
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, page_error::PageError},
    models::{ClassSummary, RecordStatus, StudentFormView, StudentReview, TeacherOption},
    shell::use_locale,
    tr,
};

fn failure(locale: Locale, e: AppError) -> AnyView {
    view! { <PageError locale error=e /> }.into_any()
}

/// "2026-2027 三年级 2班".
pub fn class_label(locale: Locale, class: &ClassSummary) -> String {
    format!(
        "{} {} {}",
        class.school_year,
        tr!(locale, &format!("grade.{}", class.grade)),
        class.name
    )
}

fn status_badge(locale: Locale, status: RecordStatus) -> impl IntoView {
    view! { <span class=format!("status status-{}", status.code())>{tr!(locale, status.label_key())}</span> }
}

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

#[component]
pub fn RecordsPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(records_home());
    let dismiss = ServerAction::<DismissNotice>::new();
    view! {
        <section class="card" aria-labelledby="records-title">
            <h1 id="records-title">{tr!(locale, "records.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match home.await {
                        Err(e) => failure(locale, e),
                        Ok(home) => view! {
                            {(!home.notices.is_empty()).then(|| view! {
                                <section class="notice returned" role="status" aria-labelledby="notices-title" data-testid="notices">
                                    <h2 id="notices-title">{tr!(locale, "notices.title")}</h2>
                                    <ul>
                                        {home.notices.clone().into_iter().map(|n| view! {
                                            <li>
                                                {tr!(locale, &format!("notices.{}", n.kind), who = n.subject, seq = n.audit_seq)}
                                                " · " {n.at}
                                                <ActionForm action=dismiss attr:class="inline">
                                                    <input type="hidden" name="notice_id" value=n.id.to_string() />
                                                    <button type="submit" class="secondary small">{tr!(locale, "notices.dismiss")}</button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <p class="links">
                                {(!home.aggregate_only).then(|| view! {
                                    <a href="/records/search">{tr!(locale, "search.title")}</a>
                                    " · "
                                    <a href="/records/import">{tr!(locale, "import.title")}</a>
                                })}
                                {home.manages_structure.then(|| view! {
                                    " · " <a href="/records/structure">{tr!(locale, "structure.title")}</a>
                                })}
                            </p>
                            <h2>{tr!(locale, if home.all_classes { "records.all_classes" } else { "records.my_classes" })}</h2>
                            {
                                let total = |f: fn(&crate::models::ClassProgress) -> i64| home.classes.iter().map(f).sum::<i64>();
                                view! {
                                    <dl class="facts totals" data-testid="totals">
                                        <div><dt>{tr!(locale, "records.students")}</dt><dd>{total(|p| p.students)}</dd></div>
                                        <div><dt>{tr!(locale, "status.submitted")}</dt><dd>{total(|p| p.submitted)}</dd></div>
                                        <div><dt>{tr!(locale, "status.verified")}</dt><dd>{total(|p| p.verified)}</dd></div>
                                        <div><dt>{tr!(locale, "status.returned")}</dt><dd>{total(|p| p.returned)}</dd></div>
                                        <div><dt>{tr!(locale, "records.incomplete")}</dt><dd>{total(|p| p.incomplete)}</dd></div>
                                    </dl>
                                }
                            }
                            {if home.classes.is_empty() {
                                view! { <p>{tr!(locale, "records.no_classes")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="accounts">
                                            <thead><tr>
                                                <th scope="col">{tr!(locale, "records.class")}</th>
                                                <th scope="col">{tr!(locale, "records.homeroom_teacher")}</th>
                                                <th scope="col">{tr!(locale, "records.students")}</th>
                                                <th scope="col">{tr!(locale, "status.draft")}</th>
                                                <th scope="col">{tr!(locale, "status.submitted")}</th>
                                                <th scope="col">{tr!(locale, "status.verified")}</th>
                                                <th scope="col">{tr!(locale, "status.returned")}</th>
                                                <th scope="col">{tr!(locale, "records.incomplete")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {home.classes.into_iter().map(|p| view! {
                                                    <tr>
                                                        <td>{if !p.can_open {
                                                            class_label(locale, &p.class).into_any()
                                                        } else {
                                                            view! { <a href=format!("/records/classes/{}", p.class.id)>{class_label(locale, &p.class)}</a> }.into_any()
                                                        }}</td>
                                                        <td>{p.class.homeroom_teacher.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td>{p.students}</td>
                                                        <td>{p.draft}</td>
                                                        <td>{p.submitted}</td>
                                                        <td>{p.verified}</td>
                                                        <td>{p.returned}</td>
                                                        <td>{p.incomplete}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            {home.reviewer.then(|| view! {
                                <h2>{tr!(locale, "records.queue")}</h2>
                                {if home.queue.is_empty() {
                                    view! { <p>{tr!(locale, "records.queue_empty")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="queue" data-testid="review-queue">
                                            {home.queue.into_iter().map(|q| view! {
                                                <li>
                                                    <a href=format!("/records/students/{}", q.student_id)>{q.name}</a>
                                                    " · " {class_label(locale, &q.class)} " · " {q.submitted_at}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Assigning a homeroom teacher: one small form per class, used here and on the system
/// administrator's console (`back` says where to return).
#[component]
pub fn HomeroomForm(
    locale: Locale,
    action: ServerAction<AssignHomeroomTeacher>,
    class: ClassSummary,
    teachers: Vec<TeacherOption>,
    back: &'static str,
) -> impl IntoView {
    let select_id = format!("teacher-{}", class.id);
    let label = class_label(locale, &class);
    let current = class.homeroom_teacher_id;
    view! {
        <ActionForm action attr:class="inline homeroom">
            <input type="hidden" name="class_id" value=class.id.clone() />
            <input type="hidden" name="back" value=back />
            <label for=select_id.clone() class="visually-hidden">{tr!(locale, "records.homeroom_teacher_of", class = label)}</label>
            <select id=select_id name="teacher_id">
                <option value="" selected=current.is_none()>{tr!(locale, "records.no_teacher")}</option>
                {teachers.into_iter().map(|t| view! {
                    <option value=t.id.to_string() selected=current == Some(t.id)>{format!("{} ({})", t.display_name, t.username)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="small secondary">{tr!(locale, "records.assign")}</button>
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
    let class_error = Signal::derive(move || create_class.value().get().and_then(Result::err));
    let assign_error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let rollover = ServerAction::<crate::features::structure::functions::Rollover>::new();
    let rollover_error = Signal::derive(move || rollover.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="structure-title">
            <h1 id="structure-title">{tr!(locale, "structure.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match structure.await {
                        Err(e) => failure(locale, e),
                        Ok(s) => {
                            let rollover_view = rollover_form(locale, rollover, rollover_error, &s);
                            view! {
                            <h2>{tr!(locale, "structure.new_year")}</h2>
                            <ActionForm action=create_year attr:class="form">
                                <label for="year-name">{tr!(locale, "structure.year_name")}</label>
                                <input id="year-name" name="name" placeholder="2026-2027" maxlength="9" required />
                                <label for="year-start">{tr!(locale, "structure.starts_on")}</label>
                                <input id="year-start" name="starts_on" type="date" required />
                                <label for="year-end">{tr!(locale, "structure.ends_on")}</label>
                                <input id="year-end" name="ends_on" type="date" required />
                                <FormErrors locale error=year_error />
                                <button type="submit">{tr!(locale, "structure.create_year")}</button>
                            </ActionForm>
                            <h2>{tr!(locale, "structure.new_class")}</h2>
                            <ActionForm action=create_class attr:class="form">
                                <label for="class-year">{tr!(locale, "structure.school_year")}</label>
                                <select id="class-year" name="school_year_id" required>
                                    {s.years.iter().map(|y| view! { <option value=y.id.to_string()>{y.name.clone()}</option> }).collect_view()}
                                </select>
                                <label for="class-grade">{tr!(locale, "structure.grade")}</label>
                                <select id="class-grade" name="grade" required>
                                    {(1..=12).map(|g| view! { <option value=g.to_string()>{tr!(locale, &format!("grade.{g}"))}</option> }).collect_view()}
                                </select>
                                <label for="class-name">{tr!(locale, "structure.class_name")}</label>
                                <input id="class-name" name="name" placeholder="1班" maxlength="20" required />
                                <FormErrors locale error=class_error />
                                <button type="submit">{tr!(locale, "structure.create_class")}</button>
                            </ActionForm>
                            <h2>{tr!(locale, "structure.classes")}</h2>
                            <FormErrors locale error=assign_error />
                            <div class="table-scroll">
                                <table class="accounts">
                                    <thead><tr>
                                        <th scope="col">{tr!(locale, "records.class")}</th>
                                        <th scope="col">{tr!(locale, "records.homeroom_teacher")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {s.classes.into_iter().map(|class| {
                                            let teachers = s.teachers.clone();
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/records/classes/{}", class.id)>{class_label(locale, &class)}</a></td>
                                                    <td><HomeroomForm locale action=assign class teachers back="structure" /></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {rollover_view}
                        }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Moving on to a new school year: the newest year's classes, each with the homeroom
/// teacher it will have after moving up.
fn rollover_form(
    locale: Locale,
    action: ServerAction<crate::features::structure::functions::Rollover>,
    error: Signal<Option<AppError>>,
    s: &crate::models::SchoolStructure,
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
    let (start, next) = year
        .name
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<i32>().ok()? + 1, b.parse::<i32>().ok()? + 1)))
        .unwrap_or((2027, 2028));
    let teachers = s.teachers.clone();
    Some(view! {
        <h2>{tr!(locale, "structure.rollover")}</h2>
        <p class="hint">{tr!(locale, "structure.rollover_hint", year = year.name.clone())}</p>
        <ActionForm action attr:class="form rollover">
            <input type="hidden" name="from_year" value=year.id.to_string() />
            <label for="rollover-name">{tr!(locale, "structure.year_name")}</label>
            <input id="rollover-name" name="name" value=format!("{start}-{next}") maxlength="9" required />
            <label for="rollover-start">{tr!(locale, "structure.starts_on")}</label>
            <input id="rollover-start" name="starts_on" type="date" value=format!("{start}-09-01") required />
            <label for="rollover-end">{tr!(locale, "structure.ends_on")}</label>
            <input id="rollover-end" name="ends_on" type="date" value=format!("{next}-07-15") required />
            <label for="rollover-final">{tr!(locale, "structure.final_grade")}</label>
            <select id="rollover-final" name="final_grade">
                {(1..=12).map(|g| view! {
                    <option value=g.to_string() selected=g == final_grade>{tr!(locale, &format!("grade.{g}"))}</option>
                }).collect_view()}
            </select>
            {classes.into_iter().map(|class| {
                let id = format!("rollover-{}", class.id);
                let label = class_label(locale, &class);
                let current = class.homeroom_teacher_id;
                view! {
                    <label for=id.clone()>{tr!(locale, "structure.new_teacher", class = label)}</label>
                    <select id=id name=format!("teachers[class-{}]", class.id)>
                        <option value="" selected=current.is_none()>{tr!(locale, "records.no_teacher")}</option>
                        {teachers.iter().map(|t| view! {
                            <option value=t.id.to_string() selected=current == Some(t.id)>{format!("{} ({})", t.display_name, t.username)}</option>
                        }).collect_view()}
                    </select>
                }
            }).collect_view()}
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "structure.rollover_submit")}</button>
        </ActionForm>
    }
    .into_any())
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let locale = use_locale();
    let roster = OnceResource::new(class_roster(param("class")));
    view! {
        <section class="card" aria-labelledby="roster-title">
            <Suspense>
                {move || Suspend::new(async move {
                    match roster.await {
                        Err(e) => view! { <h1 id="roster-title">{tr!(locale, "records.class")}</h1> {failure(locale, e)} }.into_any(),
                        Ok(r) => view! {
                            <h1 id="roster-title">{class_label(locale, &r.class)}</h1>
                            <p class="hint">{tr!(locale, "records.homeroom_teacher")} ": " {r.class.homeroom_teacher.clone().unwrap_or_else(|| "—".into())}</p>
                            {r.can_edit.then(|| view! {
                                <p><a class="button" href=format!("/records/classes/{}/new", r.class.id)>{tr!(locale, "records.add_student")}</a></p>
                            })}
                            {if r.students.is_empty() {
                                view! { <p>{tr!(locale, "records.no_students")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="accounts roster">
                                            <thead><tr>
                                                <th scope="col">{tr!(locale, "field.name")}</th>
                                                <th scope="col">{tr!(locale, "field.sex")}</th>
                                                <th scope="col">{tr!(locale, "field.birth_date")}</th>
                                                <th scope="col">{tr!(locale, "field.id_number")}</th>
                                                <th scope="col">{tr!(locale, "records.status")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {r.students.into_iter().map(|s| view! {
                                                    <tr>
                                                        <td><a href=format!("/records/students/{}", s.id)>{s.name}</a></td>
                                                        <td>{codes::label_of(codes::SEXES, &s.sex).map(|k| tr!(locale, k))}</td>
                                                        <td>{s.birth_date}</td>
                                                        <td class="masked">{s.id_number}</td>
                                                        <td>{status_badge(locale, s.status)} {s.top_secret.then(|| view! { " " <span class="status status-top-secret">{tr!(locale, "records.top_secret")}</span> })}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The teacher's form page, for a new or a saved student.
fn form_page(locale: Locale, form: StudentFormView) -> AnyView {
    let discard = ServerAction::<DiscardStudentDraft>::new();
    let save = ServerAction::<SaveStudent>::new();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let title = match &form.student_id {
        Some(_) => form.input.student.name.clone(),
        None => tr!(locale, "records.new_student"),
    };
    let back = format!("/records/classes/{}", form.class.id);
    let class = class_label(locale, &form.class);
    view! {
        <h1 id="student-title">{title}</h1>
        <p class="hint"><a href=back>{class}</a></p>
        {form.status.map(|s| view! { <p>{tr!(locale, "records.status")} ": " {status_badge(locale, s)}</p> })}
        {form.return_reason.clone().filter(|_| form.status == Some(RecordStatus::Returned)).map(|reason| view! {
            <div class="notice returned" role="status" data-testid="return-reason">
                <p><strong>{tr!(locale, "records.returned_because")}</strong></p>
                <p>{reason}</p>
            </div>
        })}
        {form.from_draft.then({
            let class_id = form.class.id.clone();
            let student_id = form.student_id.clone().unwrap_or_default();
            move || view! {
            <div class="notice" role="status" data-testid="draft-notice">
                <p>{tr!(locale, "form.showing_draft")}</p>
                <ActionForm action=discard attr:class="inline">
                    <input type="hidden" name="class_id" value=class_id />
                    <input type="hidden" name="student_id" value=student_id />
                    <button type="submit" class="small secondary">{tr!(locale, "form.discard_draft")}</button>
                </ActionForm>
            </div>
        }})}
        <FormErrors locale error=save_error />
        <StudentForm locale view=form />
    }
    .into_any()
}

#[component]
pub fn NewStudentPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(new_student_form(param("class")));
    view! {
        <section class="card" aria-labelledby="student-title">
            <Suspense>
                {move || Suspend::new(async move {
                    match form.await {
                        Err(e) => view! { <h1 id="student-title">{tr!(locale, "records.new_student")}</h1> {failure(locale, e)} }.into_any(),
                        Ok(form) => form_page(locale, form),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn review_page(locale: Locale, r: StudentReview) -> AnyView {
    let step = ServerAction::<ReviewStep>::new();
    let unmask = ServerAction::<UnmaskField>::new();
    let classify = ServerAction::<SetTopSecret>::new();
    let error = Signal::derive(move || {
        let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        err(step.value().get())
            .or_else(|| err(unmask.value().get()))
            .or_else(|| err(classify.value().get()))
    });
    let id = r.id.clone();
    let shown = move |fields: Vec<crate::models::ShownField>| {
        let id = id.clone();
        view! {
            <dl class="facts review">
                {fields.into_iter().map(|f| {
                    let id = id.clone();
                    let field = f.field.clone();
                    view! {
                        <div data-field=f.field.clone() class:classified=f.classified>
                            <dt>{f.label.clone()}</dt>
                            <dd>
                            <span class="value" class:revealed=f.revealed>{f.value.clone()}</span>
                            {f.unmaskable.then(|| view! {
                                <details class="unmask">
                                    <summary>{tr!(locale, "review.unmask")}</summary>
                                    <ActionForm action=unmask attr:class="form">
                                        <input type="hidden" name="student_id" value=id />
                                        <input type="hidden" name="field" value=field.clone() />
                                        <label for=format!("reason-{field}")>{tr!(locale, "review.unmask_reason")}</label>
                                        <input id=format!("reason-{field}") name="reason" required maxlength="200" />
                                        <button type="submit" class="small">{tr!(locale, "review.unmask_submit")}</button>
                                    </ActionForm>
                                </details>
                            })}
                            </dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
        }
    };
    let submitted = r.status == RecordStatus::Submitted;
    view! {
        <h1 id="student-title">{r.name.clone()}</h1>
        <p class="hint">{class_label(locale, &r.class)}</p>
        <p>{tr!(locale, "records.status")} ": " {status_badge(locale, r.status)}
            {r.top_secret.then(|| view! { " " <span class="status status-top-secret">{tr!(locale, "records.top_secret")}</span> })}
        </p>
        {r.return_reason.clone().filter(|_| r.status == RecordStatus::Returned).map(|reason| view! {
            <div class="notice returned" role="status"><p>{tr!(locale, "records.returned_because")} " " {reason}</p></div>
        })}
        {(!r.clashes.is_empty()).then(|| view! {
            <div class="notice returned" role="status" data-testid="number-clashes">
                <p>{tr!(locale, "review.clash_intro")}</p>
                <ul>
                    {r.clashes.clone().into_iter().map(|c| {
                        let field = tr!(locale, &format!("field.{}", c.field));
                        view! {
                            <li>{field} ": " {match c.other {
                                Some((id, name, class)) => view! {
                                    <a href=format!("/records/students/{id}")>{name}</a>
                                    " · " {class_label(locale, &class)}
                                }.into_any(),
                                None => view! { <span>{tr!(locale, "review.clash_top_secret")}</span> }.into_any(),
                            }}</li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })}
        <FormErrors locale error />
        {submitted.then(|| {
            let id = r.id.clone();
            let id2 = r.id.clone();
            view! {
                <div class="review-actions">
                    <ActionForm action=step attr:class="inline">
                        <input type="hidden" name="student_id" value=id />
                        <input type="hidden" name="step" value="verify" />
                        <button type="submit">{tr!(locale, "review.verify")}</button>
                    </ActionForm>
                    <ActionForm action=step attr:class="form return-form">
                        <input type="hidden" name="student_id" value=id2 />
                        <input type="hidden" name="step" value="return" />
                        <label for="return-reason">{tr!(locale, "review.return_reason")}</label>
                        <input id="return-reason" name="reason" required maxlength="200" />
                        <button type="submit" class="secondary">{tr!(locale, "review.return")}</button>
                    </ActionForm>
                </div>
            }
        })}
        <h2>{tr!(locale, "form.student")}</h2>
        {shown(r.fields.clone())}
        <h2>{tr!(locale, "form.family")}</h2>
        {r.guardians.clone().into_iter().enumerate().map(|(i, g)| view! {
            <h3>{tr!(locale, "form.family_member", n = i + 1)}</h3>
            {shown(g)}
        }).collect_view()}
        <ActionForm action=classify attr:class="inline classification">
            <input type="hidden" name="student_id" value=r.id.clone() />
            <input type="hidden" name="top_secret" value=if r.top_secret { "0" } else { "1" } />
            <button type="submit" class="secondary small">{tr!(locale, if r.top_secret { "review.unmark_top_secret" } else { "review.mark_top_secret" })}</button>
        </ActionForm>
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
                        Err(e) => view! { <h1 id="student-title">{tr!(locale, "records.student")}</h1> {failure(locale, e)} }.into_any(),
                        Ok(StudentPageData::Form(form)) => form_page(locale, form),
                        Ok(StudentPageData::Review(review)) => review_page(locale, review),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    use crate::features::records::functions::{SearchRecords, search_results};
    let locale = use_locale();
    let results = OnceResource::new(search_results());
    let search = ServerAction::<SearchRecords>::new();
    let error = Signal::derive(move || search.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="search-title">
            <h1 id="search-title">{tr!(locale, "search.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(e) => failure(locale, e),
                        Ok(view) => {
                            let typed = view.query.clone().unwrap_or_default();
                            view! {
                            <ActionForm action=search attr:class="form search" attr:role="search">
                                <label for="search-query">{tr!(locale, "search.label")}</label>
                                <input id="search-query" name="query" type="search" maxlength="40" autocomplete="off"
                                    value=typed />
                                <p class="hint">{tr!(locale, "search.hint")}</p>
                                <FormErrors locale error />
                                <button type="submit">{tr!(locale, "search.submit")}</button>
                            </ActionForm>
                            {view.query.is_some().then(|| if view.hits.is_empty() {
                                view! { <p data-testid="search-none">{tr!(locale, "search.none")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="accounts roster" data-testid="search-hits">
                                            <thead><tr>
                                                <th scope="col">{tr!(locale, "field.name")}</th>
                                                <th scope="col">{tr!(locale, "records.class")}</th>
                                                <th scope="col">{tr!(locale, "field.id_number")}</th>
                                                <th scope="col">{tr!(locale, "records.status")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {view.hits.into_iter().map(|h| view! {
                                                    <tr>
                                                        <td><a href=format!("/records/students/{}", h.id)>{h.name}</a></td>
                                                        <td>{class_label(locale, &h.class)}</td>
                                                        <td class="masked">{h.id_number}</td>
                                                        <td>{status_badge(locale, h.status)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            })}
                        }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
