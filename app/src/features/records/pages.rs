//! The records pages: the start page (own classes, or every class and the review queue),
//! school structure, a class roster, the student form and the review.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::features::structure::pages::class_label;
use crate::kit::ui::{failure, status_badge};
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
    },
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, use_locale},
    models::{RecordStatus, StudentFormView, StudentReview},
    tr,
};

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
    let disclosures = format!("/records/students/{}/disclosures", r.id);
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
        <p><a href=disclosures>{tr!(locale, "register.student_title")}</a></p>
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
