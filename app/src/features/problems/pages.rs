//! The problem records' page: counts by kind; for a records administrator each open
//! problem with its ways out (佐证 here, a key-data change or a deletion on the record's
//! page) and the import of the national system's check; what was resolved. Plain posts that
//! work without JavaScript.

use leptos::prelude::*;

use crate::{
    features::{
        problems::{
            functions::{GiveProblemEvidence, problems_page},
            views::{
                DOCUMENTS, OpenProblem, ProblemStudent, ProblemsView, SettledProblem,
                evidence_settles,
            },
        },
        structure::pages::class_label,
    },
    i18n::Locale,
    kit::{
        ui::{form_errors::FormErrors, use_locale},
        workflow::ui::home_page,
    },
    tr,
};

/// A student as a cell: a link to their record where the viewer opens it.
fn student_cell(locale: Locale, s: &ProblemStudent) -> AnyView {
    let name = if s.masked {
        tr!(locale, "problems.top_secret")
    } else if s.name.is_empty() {
        tr!(locale, "problems.erased")
    } else {
        s.name.clone()
    };
    let class = s
        .class
        .as_ref()
        .map(|c| format!(" · {}", class_label(locale, c)))
        .unwrap_or_default();
    if s.id.is_empty() {
        view! { <span>{name}{class}</span> }.into_any()
    } else {
        view! {
            <span>
                <a href=format!("/records/students/{}", s.id)>{name}</a>
                {class}
            </span>
        }
        .into_any()
    }
}

fn detail(locale: Locale, p: &OpenProblem) -> String {
    match p.kind.as_str() {
        "number_shared" => tr!(locale, &format!("problems.field_{}", p.detail)),
        "id_invalid" => tr!(locale, &format!("error.{}", p.detail)),
        "not_found" | "name_mismatch" => tr!(
            locale,
            "problems.reported_at",
            at = p.reported_at.clone().unwrap_or_default()
        ),
        _ => String::new(),
    }
}

fn open_row(
    locale: Locale,
    p: OpenProblem,
    settle: ServerAction<GiveProblemEvidence>,
) -> impl IntoView {
    let (student_id, kind) = (p.student.id.clone(), p.kind.clone());
    let other_id = p.other.as_ref().map(|o| o.id.clone()).unwrap_or_default();
    let label = tr!(
        locale,
        "problems.document_for",
        name = p.student.name.clone()
    );
    let evidence = evidence_settles(&p.kind).then(move || {
        view! {
            <ActionForm action=settle attr:class="inline">
                <input type="hidden" name="problem_evidence[student_id]" value=student_id />
                <input type="hidden" name="problem_evidence[kind]" value=kind />
                <input type="hidden" name="problem_evidence[other_id]" value=other_id />
                <select name="problem_evidence[document]" aria-label=label required>
                    <option value="">{tr!(locale, "problems.choose_document")}</option>
                    {DOCUMENTS
                        .iter()
                        .map(|d| {
                            view! {
                                <option value=*d>
                                    {tr!(locale, &format!("problems.document_{d}"))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                " "
                <button type="submit" class="small">
                    {tr!(locale, "problems.evidence_submit")}
                </button>
            </ActionForm>
        }
    });
    let ways = tr!(locale, &format!("problems.ways_{}", p.kind));
    view! {
        <tr data-kind=p.kind.clone()>
            <td data-label=tr!(
                locale, "problems.kind"
            )>{tr!(locale, &format!("problems.kind_{}", p.kind))}</td>
            <td data-label=tr!(locale, "problems.student")>{student_cell(locale, &p.student)}</td>
            <td data-label=tr!(
                locale, "problems.other"
            )>{p.other.as_ref().map(|o| student_cell(locale, o))}</td>
            <td data-label=tr!(locale, "problems.detail")>{detail(locale, &p)}</td>
            <td data-label=tr!(locale, "problems.resolve")>
                <p class="hint">{ways}</p>
                {evidence}
            </td>
        </tr>
    }
}

fn settled_row(locale: Locale, s: SettledProblem) -> impl IntoView {
    let detail = match s.how.as_str() {
        "evidence" => tr!(locale, &format!("problems.document_{}", s.detail)),
        "delete" => tr!(locale, &format!("change.reason_{}", s.detail)),
        _ => String::new(),
    };
    let by = match &s.approved_by {
        Some(approver) => tr!(
            locale,
            "problems.filed_and_approved",
            filer = s.by.clone(),
            approver = approver.clone()
        ),
        None => s.by.clone(),
    };
    view! {
        <tr data-how=s.how.clone()>
            <td data-label=tr!(locale, "problems.at")>{s.at.clone()}</td>
            <td data-label=tr!(
                locale, "problems.kind"
            )>{tr!(locale, &format!("problems.kind_{}", s.kind))}</td>
            <td data-label=tr!(
                locale, "problems.student"
            )>
                {student_cell(locale, &s.student)}
                {s
                    .other
                    .as_ref()
                    .map(|o| {
                        view! {
                            " / "
                            {student_cell(locale, o)}
                        }
                    })}
            </td>
            <td data-label=tr!(
                locale, "problems.how"
            )>{tr!(locale, &format!("problems.how_{}", s.how))} " " {detail}</td>
            <td data-label=tr!(locale, "problems.by")>{by}</td>
        </tr>
    }
}

fn problems(locale: Locale, v: ProblemsView) -> AnyView {
    let settle = ServerAction::<GiveProblemEvidence>::new();
    let error = Signal::derive(move || settle.value().get().and_then(Result::err));
    let upload_error = crate::kit::forms::returned_error("/api/records/problems/feedback");
    let total: i64 = v.counts.iter().map(|(_, n)| n).sum();
    view! {
        <h2>{tr!(locale, "problems.counts", n = total)}</h2>
        <div class="table-scroll">
            <table class="accounts" data-testid="problem-counts">
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "problems.kind")}</th>
                        <th scope="col">{tr!(locale, "problems.open")}</th>
                    </tr>
                </thead>
                <tbody>
                    {v
                        .counts
                        .iter()
                        .map(|(kind, n)| {
                            view! {
                                <tr data-kind=kind.clone()>
                                    <th scope="row">
                                        {tr!(locale, &format!("problems.kind_{kind}"))}
                                    </th>
                                    <td>{*n}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {v
            .resolves
            .then(|| {
                view! {
                    <h2>{tr!(locale, "problems.open_title")}</h2>
                    <FormErrors locale error />
                    {if v.open.is_empty() {
                        view! { <p data-testid="no-problems">{tr!(locale, "problems.none")}</p> }
                            .into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="accounts stack" data-testid="open-problems">
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr!(locale, "problems.kind")}</th>
                                            <th scope="col">{tr!(locale, "problems.student")}</th>
                                            <th scope="col">{tr!(locale, "problems.other")}</th>
                                            <th scope="col">{tr!(locale, "problems.detail")}</th>
                                            <th scope="col">{tr!(locale, "problems.resolve")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {v
                                            .open
                                            .clone()
                                            .into_iter()
                                            .map(|p| open_row(locale, p, settle))
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }}
                    <h2>{tr!(locale, "problems.feedback")}</h2>
                    <p class="hint">{tr!(locale, "problems.feedback_hint")}</p>
                    {upload_error
                        .clone()
                        .map(|e| view! { <FormErrors locale error=Signal::stored(Some(e)) /> })}
                    <form
                        class="form"
                        method="post"
                        action="/api/records/problems/feedback"
                        enctype="multipart/form-data"
                    >
                        <label for="feedback-file">{tr!(locale, "problems.feedback_file")}</label>
                        <input
                            id="feedback-file"
                            name="file"
                            type="file"
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            required
                        />
                        <button type="submit">{tr!(locale, "problems.feedback_submit")}</button>
                    </form>
                }
            })}
        <h2>{tr!(locale, "problems.settled")}</h2>
        {if v.settled.is_empty() {
            view! { <p>{tr!(locale, "problems.none_settled")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="accounts stack" data-testid="settled-problems">
                        <thead>
                            <tr>
                                <th scope="col">{tr!(locale, "problems.at")}</th>
                                <th scope="col">{tr!(locale, "problems.kind")}</th>
                                <th scope="col">{tr!(locale, "problems.student")}</th>
                                <th scope="col">{tr!(locale, "problems.how")}</th>
                                <th scope="col">{tr!(locale, "problems.by")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.settled.into_iter().map(|s| settled_row(locale, s)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        <p>
            <a href="/records">{tr!(locale, "problems.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn ProblemsPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(problems_page());
    home_page(
        locale,
        ("problems.title", "problems-title"),
        "problems.rule",
        None,
        page,
        move |v| problems(locale, v),
    )
}
