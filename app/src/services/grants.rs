//! Role grants. A homeroom-teacher role is granted by the system administrator alone; a
//! privileged role (records admin, system admin, leader, leading group) needs a leading-group
//! member who is neither the proposer nor the grantee. Until the school has its first
//! leading-group member, the system administrator grants directly and the trail marks each
//! such grant unreviewed. Taking a role away is immediate.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::SqliteConnection;

use crate::{
    domain::Role,
    errors::AppError,
    i18n::TIMESTAMP_FORMAT,
    models::{Actor, GrantRequestView},
    repositories::{grants, users},
    services::{
        audit::{self, AuditKey, NewEntry},
        auth::Context,
    },
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted { unreviewed: bool },
    Proposed { request_id: i64 },
}

/// Grants or proposes `role` for `user_id` inside the caller's write transaction.
pub async fn grant(
    tx: &mut SqliteConnection,
    key: &AuditKey,
    now: DateTime<Utc>,
    actor: &Actor,
    client: Option<String>,
    user_id: i64,
    role: Role,
) -> Result<GrantOutcome, AppError> {
    let entry = |action: &str| {
        NewEntry::new(action, "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .object("user", user_id)
            .client(client.clone())
    };
    let needs_review =
        role.is_privileged() && users::count_with_role(tx, Role::LeadingGroup).await? > 0;
    if needs_review {
        let request_id = grants::open(tx, user_id, role, actor.id, now).await?;
        let details = serde_json::json!({ "role": role.code(), "request_id": request_id });
        audit::append(tx, key, now, entry("role_grant.proposed").details(details)).await?;
        return Ok(GrantOutcome::Proposed { request_id });
    }
    users::grant_role(tx, user_id, role, now).await?;
    users::bump_epoch(tx, user_id).await?;
    let unreviewed = role.is_privileged();
    if unreviewed {
        users::mark_unreviewed(tx, user_id, role).await?;
    }
    let details = serde_json::json!({ "role": role.code(), "unreviewed": unreviewed });
    audit::append(tx, key, now, entry("account.role_granted").details(details)).await?;
    Ok(GrantOutcome::Granted { unreviewed })
}

/// The system administrator grants (or proposes) a role for an existing account.
pub async fn grant_to(
    cx: &Context<'_>,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> Result<GrantOutcome, AppError> {
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    users::find(&mut tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let outcome = grant(
        &mut tx,
        cx.key,
        cx.now,
        actor,
        cx.client.clone(),
        user_id,
        role,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Takes a role away at once; the person's sessions end. Nobody removes their own system
/// administrator role (the school would be left without one by a slip).
pub async fn revoke(
    cx: &Context<'_>,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> Result<(), AppError> {
    if user_id == actor.id && role == Role::SystemAdmin {
        return Err(AppError::conflict("own_account"));
    }
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    if !users::revoke_role(&mut tx, user_id, role).await? {
        return Err(AppError::not_found());
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.role_revoked", "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .object("user", user_id)
            .client(cx.client.clone())
            .details(serde_json::json!({ "role": role.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn pending(
    pool: &sqlx::SqlitePool,
    timezone: Tz,
) -> Result<Vec<GrantRequestView>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(grants::pending(&mut conn)
        .await?
        .into_iter()
        .map(|g| GrantRequestView {
            id: g.id,
            username: g.username,
            display_name: g.display_name,
            role: g.role,
            proposed_by_name: g.proposed_by_name,
            proposed_at: g
                .proposed_at
                .with_timezone(&timezone)
                .format(TIMESTAMP_FORMAT)
                .to_string(),
        })
        .collect())
}

/// Who proposed a pending request and for whom, for the separation-of-duties check.
pub async fn parties(pool: &sqlx::SqlitePool, request_id: i64) -> Result<(i64, i64), AppError> {
    let mut conn = pool.acquire().await?;
    let request = grants::find_pending(&mut conn, request_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((request.proposed_by, request.user_id))
}

/// Approves or rejects a pending request. The caller has checked that `actor` may.
pub async fn decide(
    cx: &Context<'_>,
    actor: &Actor,
    request_id: i64,
    approve: bool,
) -> Result<(), AppError> {
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    let request = grants::find_pending(&mut tx, request_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    grants::decide(&mut tx, request_id, actor.id, approve, cx.now).await?;
    if approve {
        users::grant_role(&mut tx, request.user_id, request.role, cx.now).await?;
        users::bump_epoch(&mut tx, request.user_id).await?;
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new(if approve { "role_grant.approved" } else { "role_grant.rejected" }, "success")
            .actor(actor.id)
            .role(Role::LeadingGroup.code())
            .object("user", request.user_id)
            .client(cx.client.clone())
            .reason(&format!("role_grant_request:{request_id}"))
            .details(serde_json::json!({ "role": request.role.code(), "request_id": request_id, "proposed_by": request.proposed_by })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
