//! The leading group's review of requests about privileged roles: granting one, taking one
//! away, resetting a holder's password (whose new link its approver then hands over).

use leptos::prelude::*;

use crate::{
    features::grants::functions::{DecideRoleGrant, ShowActivationCode, pending_role_grants},
    kit::{
        ui::{form_errors::FormErrors, page_error::PageError, use_locale},
        workflow::ui::DecideForm,
    },
    tr,
};

#[component]
pub fn RoleGrantsPage() -> impl IntoView {
    let locale = use_locale();
    let pending = OnceResource::new(pending_role_grants());
    let decide = ServerAction::<DecideRoleGrant>::new();
    let show = ServerAction::<ShowActivationCode>::new();
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| show.value().get().and_then(Result::err))
    });
    view! {
        <section class="card" aria-labelledby="grants-title">
            <h1 id="grants-title">{tr!(locale, "grants.title")}</h1>
            <p class="hint">{tr!(locale, "grants.rule")}</p>
            <FormErrors locale error />
            <Suspense>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        Ok(view) => {
                            let link = view
                                .new_link
                                .clone()
                                .map(|issued| {
                                    view! {
                                        <div class="notice" role="status" data-testid="new-link">
                                            <p>
                                                {tr!(locale, "grants.link_issued", name = issued.username)}
                                            </p>
                                            <p>
                                                <code class="link">{issued.link}</code>
                                            </p>
                                        </div>
                                    }
                                });
                            let code = issued_code(locale, view.new_code.clone());
                            let activations = activations(locale, show, view.activations.clone());
                            let requests = view.requests;
                            if requests.is_empty() {
                                return view! {
                                    {link}
                                    {code}
                                    {activations}
                                    <p>{tr!(locale, "grants.none")}</p>
                                }
                                    .into_any();
                            }
                            view! {
                                {link}
                                {code}
                                {activations}
                                <div class="table-scroll">
                                    <table class="accounts stack">
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr!(locale, "account.display_name")}</th>
                                                <th scope="col">{tr!(locale, "grants.kind")}</th>
                                                <th scope="col">{tr!(locale, "grants.role")}</th>
                                                <th scope="col">{tr!(locale, "grants.proposed_by")}</th>
                                                <th scope="col">{tr!(locale, "grants.proposed_at")}</th>
                                                <th scope="col">{tr!(locale, "accounts.actions")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {requests
                                                .into_iter()
                                                .map(|r| {
                                                    let id = r.id.to_string();
                                                    let decide_form = // Approving is one press; rejecting says why, in a
                                                    // form of its own that looks like what it does.
                                                    view! {
                                                        <DecideForm
                                                            locale
                                                            action=decide
                                                            id_field="request_id"
                                                            id=id
                                                            words="grants"
                                                            small=true
                                                            reason_id=format!("reject-reason-{}", r.id)
                                                        />
                                                    };
                                                    view! {
                                                        <tr
                                                            data-username=r.username.clone()
                                                            data-kind=r.kind.clone()
                                                        >
                                                            <td data-label=tr!(
                                                                locale, "account.display_name"
                                                            )>{format!("{} ({})", r.display_name, r.username)}</td>
                                                            <td data-label=tr!(
                                                                locale, "grants.kind"
                                                            )>{tr!(locale, &format!("grants.kind_{}", r.kind))}</td>
                                                            <td data-label=tr!(
                                                                locale, "grants.role"
                                                            )>{tr!(locale, r.role.label_key())}</td>
                                                            <td data-label=tr!(
                                                                locale, "grants.proposed_by"
                                                            )>{r.proposed_by_name.clone()}</td>
                                                            <td data-label=tr!(
                                                                locale, "grants.proposed_at"
                                                            )>{r.proposed_at.clone()}</td>
                                                            <td
                                                                class="actions"
                                                                data-label=tr!(locale, "accounts.actions")
                                                            >
                                                                {decide_form}
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
                    }
                })}
            </Suspense>
        </section>
    }
}

/// An activation code just made, for its second person's eyes (once).
pub fn issued_code(
    locale: crate::i18n::Locale,
    code: Option<crate::features::accounts::views::IssuedCode>,
) -> impl IntoView {
    code.map(|issued| {
        view! {
            <div class="notice" role="status" data-testid="new-code">
                <p>{tr!(locale, "activation.code_for", name = issued.username)}</p>
                <p>
                    <code class="link" data-testid="activation-code">
                        {issued.code}
                    </code>
                </p>
            </div>
        }
    })
}

/// The setup links waiting for an activation code the viewer may hand over, each with the
/// button that shows it.
pub fn activations(
    locale: crate::i18n::Locale,
    show: ServerAction<ShowActivationCode>,
    waiting: Vec<crate::features::accounts::views::PendingActivationView>,
) -> impl IntoView {
    (!waiting.is_empty()).then(|| view! {
        <section aria-labelledby="activations-title" data-testid="activations">
            <h2 id="activations-title">{tr!(locale, "activation.title")}</h2>
            <p class="hint">{tr!(locale, "activation.hint")}</p>
            <ul class="items">
                {waiting
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li data-username=a
                                .username
                                .clone()>
                                {tr!(
                                    locale, "activation.pending", name = format!("{} ({})", a.display_name, a.username), by = a.issued_by, at = a.issued_at
                                )} " " <ActionForm action=show attr:class="inline">
                                    <input type="hidden" name="link_id" value=a.id />
                                    <button type="submit" class="small">
                                        {tr!(locale, "activation.show")}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    })
}
