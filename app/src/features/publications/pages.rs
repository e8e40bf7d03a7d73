//! The publication review's pages: one's texts and those to decide, the editor (a new text,
//! a draft, or a decided text changed into a new review), and the review record with the
//! text's findings marked. Every form is a plain post that works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    domain::publication::{Finding, pieces},
    features::publications::{
        editor::{BodyEditor, kind_label},
        functions::{
            DecidePublication, SavePublication, WithdrawPublication, publication_page,
            publications_home,
        },
        views::{CHANNELS, PublicationInput, PublicationSummary, PublicationView, ReviewState},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept},
        ui::{failure, form_errors::FormErrors, loaded, use_locale},
        workflow::ui::{DecideForm, History, WithdrawForm, home_page, queue_sections, record_page},
    },
    tr,
};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

fn state_badge(locale: Locale, state: ReviewState) -> impl IntoView + use<> {
    crate::kit::workflow::ui::state_badge(locale, "publication", state.code())
}

fn table(locale: Locale, rows: Vec<PublicationSummary>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "publication.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "publication.title_field")}</th>
                        <th scope="col">{tr!(locale, "publication.author")}</th>
                        <th scope="col">{tr!(locale, "publication.channel")}</th>
                        <th scope="col">{tr!(locale, "publication.findings")}</th>
                        <th scope="col">{tr!(locale, "publication.state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-publication=r.id.clone()>
                                    <td data-label=tr!(locale, "publication.title_field")>
                                        <a href=format!("/publications/{}", r.id)>{r.title}</a>
                                    </td>
                                    <td data-label=tr!(locale, "publication.author")>{r.author}</td>
                                    <td data-label=tr!(
                                        locale, "publication.channel"
                                    )>
                                        {tr!(locale, &format!("publication.channel_{}", r.channel))}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "publication.findings"
                                    )>{r.findings}</td>
                                    <td data-label=tr!(
                                        locale, "publication.state"
                                    )>
                                        {state_badge(locale, r.state)}
                                        {r
                                            .review_number
                                            .map(|n| {
                                                view! {
                                                    " "
                                                    {tr!(locale, "publication.number", number = n)}
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
}

#[component]
pub fn PublicationsPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(publications_home());
    home_page(
        locale,
        ("publication.title", "publications-title"),
        "publication.rule",
        Some(("/publications/new", "publication.new")),
        home,
        move |home| {
            queue_sections(
                locale,
                "publication",
                home.queues,
                ().into_any(),
                [
                    "publications-to-decide",
                    "my-publications",
                    "publications-decided",
                ],
                table,
            )
        },
    )
}

/// A piece of the text with every invisible character (a zero-width space, a joiner, a
/// bidi control…) shown where it hides, as its code point: the reviewer sees what the scan
/// read through.
fn showing_invisibles(locale: Locale, piece: String) -> AnyView {
    if !piece.chars().any(crate::domain::publication::invisible) {
        return piece.into_any();
    }
    let mut parts = Vec::new();
    let mut plain = String::new();
    for c in piece.chars() {
        if crate::domain::publication::invisible(c) {
            if !plain.is_empty() {
                parts.push(std::mem::take(&mut plain).into_any());
            }
            let code = format!("U+{:04X}", c as u32);
            let label = tr!(locale, "publication.invisible", code = code.clone());
            parts.push(
                view! {
                    <span class="invisible-char" title=label.clone() aria-label=label>
                        {format!("⟨{code}⟩")}
                    </span>
                }
                .into_any(),
            );
        } else {
            plain.push(c);
        }
    }
    if !plain.is_empty() {
        parts.push(plain.into_any());
    }
    parts.collect_view().into_any()
}

/// The text with its findings marked, each a numbered `<mark>` that says what it is.
fn marked(locale: Locale, body: &str, findings: &[Finding]) -> AnyView {
    let mut n = 0;
    view! {
        <div class="marked-text" data-testid="marked-text">
            {pieces(body, findings)
                .into_iter()
                .map(|(piece, kind)| match kind {
                    Some(kind) => {
                        n += 1;
                        let label = tr!(
                            locale, "publication.finding_n", n = n, kind = kind_label(locale, kind)
                        );
                        view! {
                            <mark
                                class=format!("finding finding-{}", kind.code())
                                title=label.clone()
                                aria-label=label
                            >
                                {showing_invisibles(locale, piece)}
                                <sup>{n}</sup>
                            </mark>
                        }
                            .into_any()
                    }
                    None => showing_invisibles(locale, piece),
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// What the scan found, in words: how many of each kind, and that a name is only ever "an
/// enrolled student's name".
fn findings_summary(locale: Locale, findings: &[Finding]) -> AnyView {
    if findings.is_empty() {
        return view! {
            <p class="notice" role="status" data-testid="findings">
                {tr!(locale, "publication.no_findings")}
            </p>
        }
        .into_any();
    }
    view! {
        <div class="notice warning" role="status" data-testid="findings">
            <p>{tr!(locale, "publication.found", n = findings.len())}</p>
            <ol>
                {findings
                    .iter()
                    .map(|f| view! { <li>{kind_label(locale, f.kind)}</li> })
                    .collect_view()}
            </ol>
            <p class="hint">{tr!(locale, "publication.found_hint")}</p>
        </div>
    }
    .into_any()
}

/// The editor: a new text, a draft (with what the last save found), or a decided text to be
/// changed into a new review (`id` is then the text it follows).
fn editor(locale: Locale, typed: PublicationInput, draft: Option<&PublicationView>) -> AnyView {
    let save = ServerAction::<SavePublication>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let invalid = move |field: &'static str| {
        move || crate::kit::forms::names(error.get().as_ref(), field).then_some("true")
    };
    let found = draft.map(|d| {
        view! {
            {findings_summary(locale, &d.findings)}
            {d
                .names_withheld
                .then(|| {
                    view! {
                        <p class="hint" data-testid="names-withheld">
                            {tr!(locale, "publication.names_withheld")}
                        </p>
                    }
                })}
            {(!d.findings.is_empty()).then(|| marked(locale, &d.body, &d.findings))}
        }
    });
    view! {
        {found}
        <ActionForm action=save attr:class="form publication-form" attr:novalidate="novalidate">
            <input type="hidden" name="publication[id]" value=typed.id.clone() />
            <label for="publication-title">{tr!(locale, "publication.title_field")}</label>
            <input
                id="publication-title"
                name="publication[title]"
                required
                maxlength="100"
                value=typed.title.clone()
                aria-describedby="publication-title-error"
                aria-invalid=invalid("title")
            />
            <FieldProblem locale error field="title" id="publication-title" />
            <label for="publication-channel">{tr!(locale, "publication.channel")}</label>
            <select
                id="publication-channel"
                name="publication[channel]"
                aria-describedby="publication-channel-error"
            >
                {CHANNELS
                    .iter()
                    .map(|c| {
                        view! {
                            <option value=*c selected=typed.channel == *c>
                                {tr!(locale, &format!("publication.channel_{c}"))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldProblem locale error field="channel" id="publication-channel" />
            <BodyEditor locale body=typed.body.clone() />
            <FieldProblem locale error field="body" id="publication-body" />
            <label class="check">
                <input
                    type="checkbox"
                    name="publication[responsible]"
                    value="1"
                    checked=typed.responsible == "1"
                    aria-describedby="publication-responsible-error"
                    aria-invalid=invalid("responsible")
                />
                {tr!(locale, "publication.responsible")}
            </label>
            <FieldProblem locale error field="responsible" id="publication-responsible" />
            <FormErrors locale error />
            <div class="form-actions">
                <button type="submit" class="secondary">
                    {tr!(locale, "publication.save")}
                </button>
                <button type="submit" name="then_submit" value="1">
                    {tr!(locale, "publication.submit")}
                </button>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn NewPublicationPage() -> impl IntoView {
    let locale = use_locale();
    let typed: PublicationInput = kept::<SavePublication, _>();
    view! {
        <section class="card" aria-labelledby="publication-title-h">
            <h1 id="publication-title-h">{tr!(locale, "publication.new")}</h1>
            <p class="hint">{tr!(locale, "publication.editor_hint")}</p>
            {editor(locale, typed, None)}
        </section>
    }
}

/// The review record: the text with its findings marked, the responsible publisher, the
/// decision with its reasons, the review number.
fn record(locale: Locale, p: PublicationView) -> AnyView {
    let decide = ServerAction::<DecidePublication>::new();
    let withdraw = ServerAction::<WithdrawPublication>::new();
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| withdraw.value().get().and_then(Result::err))
    });
    let chars: Vec<char> = p.body.chars().collect();
    let excerpts: Vec<String> = p
        .findings
        .iter()
        .map(|f| {
            chars[f.start.min(chars.len())..f.end.min(chars.len())]
                .iter()
                .collect()
        })
        .collect();
    let withdraw_id = p.id.clone();
    view! {
        {p
            .review_number
            .clone()
            .map(|n| {
                view! {
                    <p class="review-number" data-testid="review-number">
                        {tr!(locale, "publication.number", number = n)}
                    </p>
                }
            })}
        <p>{state_badge(locale, p.state)}</p>
        <dl class="record">
            <dt>{tr!(locale, "publication.title_field")}</dt>
            <dd>{p.title.clone()}</dd>
            <dt>{tr!(locale, "publication.channel")}</dt>
            <dd>{tr!(locale, &format!("publication.channel_{}", p.channel))}</dd>
            <dt>{tr!(locale, "publication.responsible_publisher")}</dt>
            <dd>{p.author.clone()}</dd>
            <dt>{tr!(locale, "publication.submitted_at")}</dt>
            <dd>{p.submitted_at.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{tr!(locale, "publication.decider")}</dt>
            <dd>{p.decider.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{tr!(locale, "publication.decided_at")}</dt>
            <dd>{p.decided_at.clone().unwrap_or_else(|| "—".into())}</dd>
            {p
                .decision_comment
                .clone()
                .map(|c| {
                    view! {
                        <dt>{tr!(locale, "publication.comment")}</dt>
                        <dd>{c}</dd>
                    }
                })}
            {p
                .previous
                .clone()
                .map(|prev| {
                    view! {
                        <dt>{tr!(locale, "publication.follows")}</dt>
                        <dd>
                            <a href=format!(
                                "/publications/{prev}",
                            )>{tr!(locale, "publication.previous")}</a>
                        </dd>
                    }
                })}
        </dl>
        {findings_summary(locale, &p.findings)}
        {p
            .names_withheld
            .then(|| {
                view! {
                    <p class="hint" data-testid="names-withheld">
                        {tr!(locale, "publication.names_withheld")}
                    </p>
                }
            })}
        {marked(locale, &p.body, &p.findings)}
        {(!p.overrides.is_empty())
            .then(|| {
                view! {
                    <h2>{tr!(locale, "publication.overrides")}</h2>
                    <ol data-testid="overrides">
                        {p
                            .findings
                            .iter()
                            .zip(&p.overrides)
                            .map(|(f, r)| {
                                view! {
                                    <li>{kind_label(locale, f.kind)} " · " <q>{r.clone()}</q></li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
            })}
        <FormErrors locale error />
        {p
            .can_decide
            .then(|| {
                let reasons = p
                    .findings
                    .iter()
                    .zip(excerpts)
                    .enumerate()
                    .map(|(i, (f, text))| {
                        let id = format!("override-{i}");
                        view! {
                            <label for=id
                                .clone()>
                                {tr!(
                                    locale, "publication.override_for", n = i + 1, kind = kind_label(locale, f.kind), text = text
                                )}
                            </label>
                            <input id=id name=format!("overrides[{i}]") required maxlength="200" />
                        }
                    })
                    .collect_view()
                    .into_any();
                view! {
                    <h2>{tr!(locale, "publication.decide")}</h2>
                    <DecideForm
                        locale
                        action=decide
                        id_field="publication_id"
                        id=p.id.clone()
                        words="publication"
                        confirm=tr!(locale, "publication.confirm_approve")
                        approve_inputs=Some(reasons)
                    />
                }
            })}
        <p class="links no-print">
            {p
                .can_edit
                .then(|| {
                    view! {
                        <a href=format!(
                            "/publications/{}/edit",
                            p.id,
                        )>{tr!(locale, "publication.edit")}</a>
                    }
                })}
        </p>
        {p
            .can_withdraw
            .then(|| {
                view! {
                    <WithdrawForm
                        locale
                        action=withdraw
                        id_field="publication_id"
                        id=withdraw_id
                        label="publication.withdraw"
                        small=true
                    />
                }
            })}
        <History locale entries=p.history events="publication.event_" />
    }
    .into_any()
}

/// What the editor shows for the text `p`: what a refused save of it kept, or else the text
/// as stored, with the author's confirmation as given (`"1"` for a draft that has it).
fn typed_or(p: &PublicationView, responsible: &str) -> PublicationInput {
    let typed: PublicationInput = kept::<SavePublication, _>();
    if typed.id == p.id {
        return typed;
    }
    PublicationInput {
        id: p.id.clone(),
        title: p.title.clone(),
        channel: p.channel.clone(),
        body: p.body.clone(),
        responsible: responsible.into(),
    }
}

#[component]
pub fn PublicationPage() -> impl IntoView {
    let locale = use_locale();
    record_page(
        locale,
        "publication",
        ("publication.record_title", "publication-h"),
        publication_page,
        move |p| {
            if !p.can_submit {
                return record(locale, p);
            }
            let typed = typed_or(&p, "1");
            let withdraw = ServerAction::<WithdrawPublication>::new();
            let id = p.id.clone();
            // A draft of one's own opens in the editor, with what its last save found.
            view! {
                <p>{state_badge(locale, p.state)}</p>
                {editor(locale, typed, Some(&p))}
                <WithdrawForm
                    locale
                    action=withdraw
                    id_field="publication_id"
                    id
                    label="publication.discard"
                    small=true
                />
            }
            .into_any()
        },
    )
}

/// A decided or submitted text, changed: the editor with its text, saving a new review that
/// follows it.
#[component]
pub fn EditPublicationPage() -> impl IntoView {
    let locale = use_locale();
    let text = OnceResource::new(publication_page(param("publication")));
    view! {
        <section class="card" aria-labelledby="publication-h">
            <h1 id="publication-h">{tr!(locale, "publication.edit")}</h1>
            <p class="hint">{tr!(locale, "publication.edit_hint")}</p>
            {loaded(
                locale,
                text,
                move |p| {
                    if !p.can_edit {
                        return failure(locale, crate::errors::AppError::forbidden());
                    }
                    let typed = typed_or(&p, "");
                    editor(locale, typed, None)
                },
            )}
        </section>
    }
}
