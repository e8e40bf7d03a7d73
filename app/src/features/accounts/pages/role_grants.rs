//! The leading group's review of requests about privileged roles: granting one, taking one
//! away, resetting a holder's password (whose new link its approver then hands over).

use leptos::prelude::*;

use crate::{
    features::accounts::functions::grants::{DecideRoleGrant, pending_role_grants},
    kit::ui::{form_errors::FormErrors, page_error::PageError, use_locale},
    tr,
};

#[component]
pub fn RoleGrantsPage() -> impl IntoView {
    let locale = use_locale();
    let pending = OnceResource::new(pending_role_grants());
    let decide = ServerAction::<DecideRoleGrant>::new();
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
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
                            let link = view.new_link.clone().map(|issued| view! {
                                <div class="notice" role="status" data-testid="new-link">
                                    <p>{tr!(locale, "grants.link_issued", name = issued.username)}</p>
                                    <p><code class="link">{issued.link}</code></p>
                                </div>
                            });
                            let requests = view.requests;
                            if requests.is_empty() {
                                return view! { {link} <p>{tr!(locale, "grants.none")}</p> }.into_any();
                            }
                            view! {
                            {link}
                            <div class="table-scroll">
                                <table class="accounts">
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
                                        {requests.into_iter().map(|r| {
                                            let id = r.id.to_string();
                                            let decision = move |value: &'static str, label: &'static str| {
                                                let id = id.clone();
                                                view! {
                                                    <ActionForm action=decide attr:class="inline">
                                                        <input type="hidden" name="request_id" value=id />
                                                        <input type="hidden" name="decision" value=value />
                                                        <button type="submit" class="small">{tr!(locale, label)}</button>
                                                    </ActionForm>
                                                }
                                            };
                                            view! {
                                                <tr data-username=r.username.clone() data-kind=r.kind.clone()>
                                                    <td>{format!("{} ({})", r.display_name, r.username)}</td>
                                                    <td>{tr!(locale, &format!("grants.kind_{}", r.kind))}</td>
                                                    <td>{tr!(locale, r.role.label_key())}</td>
                                                    <td>{r.proposed_by_name.clone()}</td>
                                                    <td>{r.proposed_at.clone()}</td>
                                                    <td class="actions">
                                                        {decision("approve", "grants.approve")}
                                                        {decision("reject", "grants.reject")}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
