//! The system administrator's account console.

use leptos::prelude::*;

use crate::{
    domain::Role,
    features::console::views::AccountSummary,
    features::{
        console::functions::{
            ChangeAccount, CreateAccount, NewAccountKept, SearchAccounts, account_console,
        },
        grants::functions::{GrantRole, RevokeRole},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, names},
        ui::{confirm::Confirm, form_errors::FormErrors, page_error::PageError, use_locale},
    },
    tr,
};

/// Plain forms throughout: every action is one post and one page, with or without JavaScript.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let locale = use_locale();
    let console = OnceResource::new(account_console());
    let structure = OnceResource::new(crate::features::structure::functions::school_structure());
    let assign =
        ServerAction::<crate::features::structure::functions::AssignHomeroomTeacher>::new();
    let assign_error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let create = ServerAction::<CreateAccount>::new();
    let search = ServerAction::<SearchAccounts>::new();
    let show = ServerAction::<crate::features::grants::functions::ShowActivationCode>::new();
    let actions = RowActions {
        change: ServerAction::<ChangeAccount>::new(),
        grant: ServerAction::<GrantRole>::new(),
        revoke: ServerAction::<RevokeRole>::new(),
    };
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let kept: NewAccountKept = crate::kit::forms::kept::<CreateAccount, _>();
    let change_error = Signal::derive(move || {
        let err = |v: Option<Result<(), crate::errors::AppError>>| v.and_then(Result::err);
        err(actions.change.value().get())
            .or_else(|| err(actions.grant.value().get()))
            .or_else(|| err(actions.revoke.value().get()))
    });
    view! {
        <section class="card" aria-labelledby="accounts-title">
            <h1 id="accounts-title">{tr!(locale, "accounts.title")}</h1>
            <p>
                <a href="/admin/password-policy">{tr!(locale, "policy.title")}</a>
            </p>
            <Suspense>
                {move || {
                    let kept = kept.clone();
                    Suspend::new(async move {
                        match console.await {
                            Err(e) => view! { <PageError locale error=e /> }.into_any(),
                            Ok(console) => {
                                view! {
                                    {console
                                        .new_link
                                        .map(|issued| {
                                            view! {
                                                <div class="notice" role="status" data-testid="new-link">
                                                    <p>
                                                        {tr!(
                                                            locale, "accounts.link_issued", name = issued.username
                                                        )}
                                                    </p>
                                                    <p>
                                                        <code class="link">{issued.link}</code>
                                                    </p>
                                                </div>
                                            }
                                        })}
                                    {crate::features::grants::pages::issued_code(
                                        locale,
                                        console.new_code.clone(),
                                    )}
                                    {crate::features::grants::pages::activations(
                                        locale,
                                        show,
                                        console.activations.clone(),
                                    )}
                                    <FormErrors locale error=change_error />
                                    <h2>{tr!(locale, "accounts.create")}</h2>
                                    <ActionForm action=create attr:class="form">
                                        <label for="new-username">
                                            {tr!(locale, "account.username")}
                                        </label>
                                        <input
                                            id="new-username"
                                            name="username"
                                            autocapitalize="none"
                                            spellcheck="false"
                                            required
                                            maxlength="32"
                                            value=kept.username.clone()
                                            aria-invalid=names(
                                                    create_error.get_untracked().as_ref(),
                                                    "username",
                                                )
                                                .then_some("true")
                                            aria-describedby="new-username-error"
                                        />
                                        <FieldProblem
                                            locale
                                            error=create_error
                                            field="username"
                                            id="new-username"
                                        />
                                        <label for="new-display-name">
                                            {tr!(locale, "account.display_name")}
                                        </label>
                                        <input
                                            id="new-display-name"
                                            name="display_name"
                                            required
                                            maxlength="40"
                                            value=kept.display_name.clone()
                                            aria-invalid=names(
                                                    create_error.get_untracked().as_ref(),
                                                    "display_name",
                                                )
                                                .then_some("true")
                                            aria-describedby="new-display-name-error"
                                        />
                                        <FieldProblem
                                            locale
                                            error=create_error
                                            field="display_name"
                                            id="new-display-name"
                                        />
                                        <fieldset aria-describedby="new-roles-error">
                                            <legend>{tr!(locale, "account.roles")}</legend>
                                            {Role::ALL
                                                .into_iter()
                                                .map(|role| {
                                                    let ticked = kept.roles.iter().any(|r| r == role.code());
                                                    view! {
                                                        <label class="check">
                                                            <input
                                                                type="checkbox"
                                                                name="roles[]"
                                                                value=role.code()
                                                                checked=ticked
                                                            />
                                                            {tr!(locale, role.label_key())}
                                                        </label>
                                                    }
                                                })
                                                .collect_view()}
                                        </fieldset>
                                        <FieldProblem
                                            locale
                                            error=create_error
                                            field="roles"
                                            id="new-roles"
                                        />
                                        <FormErrors locale error=create_error />
                                        <button type="submit">
                                            {tr!(locale, "accounts.create_submit")}
                                        </button>
                                    </ActionForm>
                                    <h2>{tr!(locale, "accounts.list")}</h2>
                                    <ActionForm
                                        action=search
                                        attr:class="form search"
                                        attr:role="search"
                                    >
                                        <label for="account-query">
                                            {tr!(locale, "accounts.search")}
                                        </label>
                                        <input
                                            id="account-query"
                                            name="query"
                                            type="search"
                                            maxlength="40"
                                            value=console.query.clone().unwrap_or_default()
                                        />
                                        <button type="submit" class="secondary">
                                            {tr!(locale, "accounts.search_submit")}
                                        </button>
                                    </ActionForm>
                                    <div class="table-scroll">
                                        <table class="accounts stack">
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
                                                {console
                                                    .accounts
                                                    .into_iter()
                                                    .map(|account| {
                                                        view! { <AccountRow locale account actions /> }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
            <h2 id="homeroom-title">{tr!(locale, "accounts.homeroom")}</h2>
            <FormErrors locale error=assign_error />
            <Suspense>
                {move || Suspend::new(async move {
                    match structure.await {
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        Ok(s) if s.classes.is_empty() => {
                            view! { <p>{tr!(locale, "records.no_classes")}</p> }.into_any()
                        }
                        Ok(s) => {
                            view! {
                                <crate::features::structure::pages::HomeroomAssignments
                                    locale
                                    action=assign
                                    classes=s.classes
                                    teachers=s.teachers
                                    back="accounts"
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The forms of a row: one action each, shared by every row.
#[derive(Clone, Copy)]
struct RowActions {
    change: ServerAction<ChangeAccount>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
}

#[component]
fn AccountRow(locale: Locale, account: AccountSummary, actions: RowActions) -> impl IntoView {
    let change = actions.change;
    let state = if account.frozen {
        "accounts.state_frozen"
    } else if account.disabled {
        "accounts.state_disabled"
    } else if account.sealed {
        "accounts.state_sealed"
    } else if !account.has_password {
        "accounts.state_pending"
    } else {
        "accounts.state_active"
    };
    let held = account.roles.clone();
    let unreviewed = account.unreviewed.clone();
    let person = account.display_name.clone();
    let user_id = account.id;
    let roles = held
        .iter()
        .copied()
        .map(|role| {
            let id = user_id.to_string();
            view! {
                <span class="role">
                    {tr!(locale, role.label_key())}
                    {unreviewed
                        .contains(&role)
                        .then(|| {
                            view! {
                                <em class="unreviewed">{tr!(locale, "accounts.unreviewed")}</em>
                            }
                        })}
                    <Confirm
                        label=tr!(locale, "accounts.revoke_role")
                        aria_label=tr!(
                            locale, "accounts.revoke_role_named", role = tr!(locale, role.label_key())
                        )
                        question=tr!(
                            locale, "accounts.confirm_revoke", role = tr!(locale, role.label_key()), name = person.clone()
                        )
                    >
                        <ActionForm action=actions.revoke attr:class="inline">
                            <input type="hidden" name="user_id" value=id />
                            <input type="hidden" name="role" value=role.code() />
                            <button type="submit" class="small danger">
                                {tr!(locale, "accounts.confirm_revoke_submit")}
                            </button>
                        </ActionForm>
                    </Confirm>
                </span>
            }
        })
        .collect_view();
    let grantable: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| !held.contains(r))
        .collect();
    let grant_form = (!grantable.is_empty()).then(|| {
        let id = account.id.to_string();
        let select_id = format!("grant-{}", account.id);
        view! {
            <ActionForm action=actions.grant attr:class="inline grant">
                <input type="hidden" name="user_id" value=id />
                <label for=select_id.clone() class="visually-hidden">
                    {tr!(locale, "accounts.grant_role")}
                </label>
                <select id=select_id name="role">
                    {grantable
                        .into_iter()
                        .map(|r| {
                            view! { <option value=r.code()>{tr!(locale, r.label_key())}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="secondary small">
                    {tr!(locale, "accounts.grant_role")}
                </button>
            </ActionForm>
        }
    });
    let id = account.id.to_string();
    let form = move |change_code: &'static str, label: String, class: &'static str| {
        let id = id.clone();
        view! {
            <ActionForm action=change attr:class="inline">
                <input type="hidden" name="user_id" value=id />
                <input type="hidden" name="change" value=change_code />
                <button type="submit" class=class>
                    {label}
                </button>
            </ActionForm>
        }
    };
    let button = {
        let form = form.clone();
        move |change_code: &'static str, label: &'static str| {
            form(change_code, tr!(locale, label), "secondary small").into_any()
        }
    };
    // What cuts a person off asks first: the first press says what will happen.
    let person = account.display_name.clone();
    let confirmed = move |change_code: &'static str, label: &'static str| {
        let form = form.clone();
        view! {
            <Confirm
                label=tr!(locale, label)
                question=tr!(
                    locale, &format!("accounts.confirm_{change_code}"), name = person.clone()
                )
            >
                {form(
                    change_code,
                    tr!(locale, &format!("accounts.confirm_{change_code}_submit")),
                    "small danger",
                )}
            </Confirm>
        }
        .into_any()
    };
    view! {
        <tr data-username=account.username.clone()>
            <td data-label=tr!(locale, "account.display_name")>{account.display_name.clone()}</td>
            <td data-label=tr!(locale, "account.username")>{account.username.clone()}</td>
            <td class="roles" data-label=tr!(locale, "account.roles")>
                <span data-testid="held-roles">{roles}</span>
                {(!account.rejected.is_empty())
                    .then(|| {
                        view! {
                            <ul class="pending-changes" data-testid="rejected-roles">
                                {account
                                    .rejected
                                    .iter()
                                    .map(|(role, kind, reason)| {
                                        view! {
                                            <li>
                                                <span class="status status-returned">
                                                    {tr!(locale, "accounts.rejected")}
                                                </span>
                                                " "
                                                {tr!(locale, &format!("grants.kind_{kind}"))}
                                                " · "
                                                {tr!(locale, role.label_key())}
                                                " · "
                                                {tr!(
                                                    locale, "accounts.rejected_because", reason = reason.clone()
                                                )}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                {(!account.pending.is_empty())
                    .then(|| {
                        view! {
                            <ul class="pending-changes" data-testid="pending-roles">
                                {account
                                    .pending
                                    .iter()
                                    .map(|(role, kind)| {
                                        view! {
                                            <li>
                                                <span class="status status-submitted">
                                                    {tr!(locale, "accounts.pending")}
                                                </span>
                                                " "
                                                {tr!(locale, &format!("grants.kind_{kind}"))}
                                                " · "
                                                {tr!(locale, role.label_key())}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                {grant_form}
            </td>
            <td data-label=tr!(locale, "accounts.state")>{tr!(locale, state)}</td>
            <td data-label=tr!(
                locale, "accounts.last_sign_in"
            )>{account.last_sign_in_at.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="actions" data-label=tr!(locale, "accounts.actions")>
                {if account.disabled {
                    button("enable", "accounts.enable")
                } else {
                    confirmed("disable", "accounts.disable")
                }}
                {account.sealed.then(|| button("reopen", "accounts.reopen"))}
                {confirmed("end_sessions", "accounts.end_sessions")}
                {confirmed("reset_password", "accounts.reset_password")}
            </td>
        </tr>
    }
}
