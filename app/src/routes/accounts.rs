//! The system administrator's account console.

use leptos::prelude::*;

use crate::{
    components::FormErrors,
    domain::Role,
    functions::accounts::{ChangeAccount, CreateAccount, account_console},
    i18n::Locale,
    models::AccountSummary,
    shell::use_locale,
    tr,
};

/// Plain forms throughout: every action is one post and one page, with or without JavaScript.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let locale = use_locale();
    let console = OnceResource::new(account_console());
    let create = ServerAction::<CreateAccount>::new();
    let change = ServerAction::<ChangeAccount>::new();
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="accounts-title">
            <h1 id="accounts-title">{tr!(locale, "accounts.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match console.await {
                        Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
                        Ok(console) => {
                            view! {
                                {console.new_link.map(|issued| view! {
                                    <div class="notice" role="status" data-testid="new-link">
                                        <p>{tr!(locale, "accounts.link_issued", name = issued.username)}</p>
                                        <p><code class="link">{issued.link}</code></p>
                                    </div>
                                })}
                                <FormErrors locale error=change_error />
                                <h2>{tr!(locale, "accounts.create")}</h2>
                                <ActionForm action=create attr:class="form">
                                    <label for="new-username">{tr!(locale, "account.username")}</label>
                                    <input id="new-username" name="username" autocapitalize="none" spellcheck="false" required maxlength="32" />
                                    <label for="new-display-name">{tr!(locale, "account.display_name")}</label>
                                    <input id="new-display-name" name="display_name" required maxlength="40" />
                                    <fieldset>
                                        <legend>{tr!(locale, "account.roles")}</legend>
                                        {Role::ALL.into_iter().map(|role| view! {
                                            <label class="check">
                                                <input type="checkbox" name="roles[]" value=role.code() />
                                                {tr!(locale, role.label_key())}
                                            </label>
                                        }).collect_view()}
                                    </fieldset>
                                    <FormErrors locale error=create_error />
                                    <button type="submit">{tr!(locale, "accounts.create_submit")}</button>
                                </ActionForm>
                                <h2>{tr!(locale, "accounts.list")}</h2>
                                <div class="table-scroll">
                                    <table class="accounts">
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr!(locale, "account.display_name")}</th>
                                                <th scope="col">{tr!(locale, "account.username")}</th>
                                                <th scope="col">{tr!(locale, "account.roles")}</th>
                                                <th scope="col">{tr!(locale, "accounts.state")}</th>
                                                <th scope="col">{tr!(locale, "accounts.last_sign_in")}</th>
                                                <th scope="col">{tr!(locale, "accounts.actions")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {console.accounts.into_iter().map(|account| view! { <AccountRow locale account change /> }).collect_view()}
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

#[component]
fn AccountRow(
    locale: Locale,
    account: AccountSummary,
    change: ServerAction<ChangeAccount>,
) -> impl IntoView {
    let state = if account.disabled {
        "accounts.state_disabled"
    } else if !account.has_password {
        "accounts.state_pending"
    } else {
        "accounts.state_active"
    };
    let roles = account
        .roles
        .iter()
        .map(|r| tr!(locale, r.label_key()))
        .collect::<Vec<_>>()
        .join("、");
    let id = account.id.to_string();
    let button = move |change_code: &'static str, label: &'static str| {
        let id = id.clone();
        view! {
            <ActionForm action=change attr:class="inline">
                <input type="hidden" name="user_id" value=id />
                <input type="hidden" name="change" value=change_code />
                <button type="submit" class="secondary small">{tr!(locale, label)}</button>
            </ActionForm>
        }
    };
    view! {
        <tr data-username=account.username.clone()>
            <td>{account.display_name.clone()}</td>
            <td>{account.username.clone()}</td>
            <td>{roles}</td>
            <td>{tr!(locale, state)}</td>
            <td>{account.last_sign_in_at.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="actions">
                {if account.disabled {
                    button("enable", "accounts.enable").into_any()
                } else {
                    button("disable", "accounts.disable").into_any()
                }}
                {button("end_sessions", "accounts.end_sessions")}
                {button("reset_password", "accounts.reset_password")}
            </td>
        </tr>
    }
}
