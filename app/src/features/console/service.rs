//! The system administrator's account console: creating accounts (each with a one-time
//! setup link), disabling and re-enabling them, ending sessions, resetting passwords.
//! Nobody, the administrator included, ever sees or sets another person's password.

use chrono_tz::Tz;

use crate::{
    domain::{Actor, Role, Username},
    errors::AppError,
    features::console::views::AccountSummary,
    features::{
        accounts::{
            service::auth::{Context, issue_setup_token},
            store::users,
        },
        grants::service as grants,
        notices::store as notices,
    },
    i18n::TIMESTAMP_FORMAT,
    kit::audit::chain::{self as audit, NewEntry},
};

/// A display name: 1–40 characters after trimming.
fn display_name(input: &str) -> Result<String, AppError> {
    let name = input.trim();
    match name.chars().count() {
        0 => Err(AppError::invalid("display_name", "display_name.empty")),
        1..=40 => Ok(name.to_owned()),
        _ => Err(AppError::invalid("display_name", "display_name.too_long")),
    }
}

/// Every account, or those whose username or name contains `query` (any case).
pub async fn list(
    pool: &crate::db::Pool,
    timezone: Tz,
    now: chrono::DateTime<chrono::Utc>,
    query: Option<&str>,
) -> Result<Vec<AccountSummary>, AppError> {
    let mut conn = pool.acquire().await?;
    let query = query.map(str::to_lowercase);
    let matches = |a: &users::AccountListing| {
        query
            .as_deref()
            .is_none_or(|q| a.username.contains(q) || a.display_name.to_lowercase().contains(q))
    };
    let mut pending = grants::pending_by_account(&mut conn).await?;
    pending.sort_by_key(|(_, role, _)| *role);
    let rejected = grants::rejected_by_account(&mut conn, now).await?;
    Ok(users::list(&mut conn)
        .await?
        .into_iter()
        .filter(matches)
        .map(|a| AccountSummary {
            pending: pending
                .iter()
                .filter(|(user, ..)| *user == a.id)
                .map(|(_, role, kind)| (*role, kind.clone()))
                .collect(),
            rejected: rejected
                .iter()
                .filter(|(user, ..)| *user == a.id)
                .map(|(_, role, kind, reason)| (*role, kind.clone(), reason.clone()))
                .collect(),
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            roles: a.roles,
            disabled: a.disabled,
            frozen: a.frozen,
            sealed: a.sealed,
            unreviewed: a.unreviewed,
            has_password: a.has_password,
            last_sign_in_at: a.last_sign_in_at.map(|t| {
                t.with_timezone(&timezone)
                    .format(TIMESTAMP_FORMAT)
                    .to_string()
            }),
        })
        .collect())
}

/// Creates an account and returns the token of its setup link. Privileged roles are granted
/// directly only while the school has no leading-group member (and marked unreviewed);
/// after that they become requests for a leading-group member to approve.
pub async fn create(
    cx: &Context<'_>,
    actor: &Actor,
    username: &str,
    name: &str,
    roles: &[Role],
) -> Result<String, AppError> {
    let username =
        Username::parse(username).map_err(|e| AppError::invalid("username", &e.to_string()))?;
    let name = display_name(name)?;
    if roles.is_empty() {
        return Err(AppError::invalid("roles", "roles.none"));
    }
    let mut tx = crate::db::begin_write(cx.pool).await?;
    if users::username_taken(&mut tx, username.as_str()).await? {
        return Err(AppError::invalid("username", "username_taken"));
    }
    let id = users::insert(&mut tx, username.as_str(), &name, cx.now).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.created", "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .object("user", id)
            .client(cx.client.clone()),
    )
    .await?;
    // Each role is granted, or proposed for the leading group's approval, on its own record.
    for role in roles {
        grants::grant(&mut tx, cx.key, cx.now, actor, cx.client.clone(), id, *role).await?;
    }
    let token = issue_setup_token(&mut tx, id, Some(actor.id), cx.now).await?;
    tx.commit().await?;
    Ok(token)
}

/// What the administrator can do to an existing account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Disable,
    Enable,
    EndSessions,
    /// Forget the password and issue a new setup link.
    ResetPassword,
    /// Reopen a sealed (封存) account.
    Reopen,
}

impl Change {
    fn action(self) -> &'static str {
        match self {
            Change::Disable => "account.disabled",
            Change::Enable => "account.enabled",
            Change::EndSessions => "account.sessions_ended",
            Change::ResetPassword => "account.password_reset",
            Change::Reopen => "account.reopened",
        }
    }
}

/// What a change came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// A reset: the new link's token and the person's username.
    Link(String, String),
    /// A privileged account's change, proposed for the leading group's approval.
    Proposed,
}

/// Applies `change` to the account `user_id`. Administrators cannot lock themselves out
/// this way. Once the school has had a leading group, disabling, re-enabling, reopening or
/// resetting the password of an account that holds a privileged role is proposed for a
/// leading-group member's approval instead: switching holders off must not empty the group
/// that approves, nor switch one on that it did not.
pub async fn change(
    cx: &Context<'_>,
    actor: &Actor,
    user_id: i64,
    change: Change,
) -> Result<Changed, AppError> {
    if user_id == actor.id && change != Change::EndSessions {
        return Err(AppError::conflict("own_account"));
    }
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let user = users::find(&mut tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let reviewed = match change {
        Change::Disable => Some("disable"),
        Change::Enable => Some("enable"),
        Change::Reopen => Some("reopen"),
        Change::ResetPassword => Some("reset"),
        Change::EndSessions => None,
    };
    if let Some(kind) = reviewed
        && let Some(role) = user.roles.iter().copied().find(|r| r.is_privileged())
        && grants::needs_review(&mut tx, role).await?
    {
        grants::propose(
            &mut tx,
            cx.key,
            cx.now,
            actor,
            cx.client.clone(),
            (user_id, role, kind),
        )
        .await?;
        tx.commit().await?;
        return Ok(Changed::Proposed);
    }
    let issued = match change {
        Change::Disable => {
            users::set_disabled(&mut tx, user_id, true).await?;
            None
        }
        Change::Enable => {
            users::set_disabled(&mut tx, user_id, false).await?;
            None
        }
        Change::EndSessions => {
            users::bump_epoch(&mut tx, user_id).await?;
            None
        }
        Change::Reopen => {
            users::reopen(&mut tx, user_id, cx.now).await?;
            None
        }
        Change::ResetPassword => {
            users::clear_password(&mut tx, user_id).await?;
            Some((
                issue_setup_token(&mut tx, user_id, Some(actor.id), cx.now).await?,
                user.username.clone(),
            ))
        }
    };
    let seq = audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new(change.action(), "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .object("user", user_id)
            .client(cx.client.clone()),
    )
    .await?;
    if change == Change::ResetPassword {
        // The holder learns of it at their next sign-in.
        notices::notify(&mut tx, user_id, "password_reset", actor.id, seq, cx.now).await?;
    }
    tx.commit().await?;
    Ok(match issued {
        Some((token, username)) => Changed::Link(token, username),
        None => Changed::Done,
    })
}
