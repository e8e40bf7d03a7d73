//! Role grants. A homeroom-teacher role is granted by the system administrator alone; a
//! privileged role (records admin, system admin, leader, leading group) needs a leading-group
//! member who is neither the proposer nor the grantee, for granting it, for taking it away,
//! and for resetting its holder's password (a leader decides when no such member is left).
//! Until the school has had its first leading-group member, the system administrator acts
//! directly and the trail marks each such grant unreviewed; after that, never again. Nobody
//! grants a role to themselves.

use crate::db::Conn;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{Actor, Role},
    errors::AppError,
    features::grants::views::GrantRequestView,
    features::{
        accounts::{
            service::auth::{Context, issue_setup_token},
            store::users,
        },
        grants::store as grants,
        notices::store as notices,
    },
    i18n::TIMESTAMP_FORMAT,
    kit::{
        audit::chain::{self as audit, AuditKey, NewEntry},
        workflow::{Decision, Step, Transition, Workflow},
    },
};

crate::states! {
    /// Where a request about a privileged role stands.
    pub enum GrantState {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

/// The role grants' workflow: proposed, then approved or rejected once.
pub static GRANTS: Workflow<GrantState> = Workflow {
    name: "role_grant",
    table: "role_grant_requests",
    column: "state",
    transitions: &[
        Transition {
            event: "approved",
            from: &[GrantState::Pending],
            to: GrantState::Approved,
        },
        Transition {
            event: "rejected",
            from: &[GrantState::Pending],
            to: GrantState::Rejected,
        },
    ],
    deadlines: &[],
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted { unreviewed: bool },
    Proposed { request_id: i64 },
}

/// Whether a change to `role` needs a leading-group member's approval: a privileged role,
/// once the school has (or ever had) a leading group. Removing every member never brings
/// direct changes back.
pub async fn needs_review(tx: &mut Conn, role: Role) -> Result<bool, AppError> {
    Ok(role.is_privileged() && users::had_leading_group(tx).await?)
}

/// Opens (or keeps) a request of `kind` for `role` of `user_id`, with its audit entry.
pub async fn propose(
    tx: &mut Conn,
    key: &AuditKey,
    now: DateTime<Utc>,
    actor: &Actor,
    client: Option<String>,
    (user_id, role, kind): (i64, Role, &str),
) -> Result<i64, AppError> {
    let request_id = grants::open(tx, user_id, role, kind, actor.id, now).await?;
    GRANTS
        .start(
            tx,
            key,
            now,
            GrantState::Pending,
            Step {
                audit_object: Some(("user", user_id)),
                client,
                details: serde_json::json!({
                    "role": role.code(),
                    "kind": kind,
                    "request_id": request_id,
                }),
                ..Step::new(request_id, "proposed").by(actor.id, Role::SystemAdmin.code())
            },
        )
        .await?;
    Ok(request_id)
}

/// Grants or proposes `role` for `user_id` inside the caller's write transaction. Nobody
/// grants a role to themselves.
pub async fn grant(
    tx: &mut Conn,
    key: &AuditKey,
    now: DateTime<Utc>,
    actor: &Actor,
    client: Option<String>,
    user_id: i64,
    role: Role,
) -> Result<GrantOutcome, AppError> {
    if user_id == actor.id {
        return Err(AppError::conflict("self_grant"));
    }
    if needs_review(tx, role).await? {
        let request_id = propose(tx, key, now, actor, client, (user_id, role, "grant")).await?;
        return Ok(GrantOutcome::Proposed { request_id });
    }
    users::grant_role(tx, user_id, role, now).await?;
    users::bump_epoch(tx, user_id).await?;
    let unreviewed = role.is_privileged();
    if unreviewed {
        users::mark_unreviewed(tx, user_id, role).await?;
    }
    let details = serde_json::json!({ "role": role.code(), "unreviewed": unreviewed });
    audit::append(
        tx,
        key,
        now,
        NewEntry::new("account.role_granted", "success")
            .actor(actor.id)
            .role(Role::SystemAdmin.code())
            .object("user", user_id)
            .client(client)
            .details(details),
    )
    .await?;
    Ok(GrantOutcome::Granted { unreviewed })
}

/// The system administrator grants (or proposes) a role for an existing account.
pub async fn grant_to(
    cx: &Context<'_>,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> Result<GrantOutcome, AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
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

/// Takes a role away: at once for a homeroom teacher's (or before the school had a leading
/// group), the person's sessions ending; a privileged role's removal is proposed for
/// approval instead, so that nobody clears the leading group out of the way. Nobody removes
/// their own system administrator role (the school would be left without one by a slip).
pub async fn revoke(
    cx: &Context<'_>,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> Result<GrantOutcome, AppError> {
    if user_id == actor.id && role == Role::SystemAdmin {
        return Err(AppError::conflict("own_account"));
    }
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let user = users::find(&mut tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !user.roles.contains(&role) {
        return Err(AppError::not_found());
    }
    if needs_review(&mut tx, role).await? {
        let request_id = propose(
            &mut tx,
            cx.key,
            cx.now,
            actor,
            cx.client.clone(),
            (user_id, role, "revoke"),
        )
        .await?;
        tx.commit().await?;
        return Ok(GrantOutcome::Proposed { request_id });
    }
    users::revoke_role(&mut tx, user_id, role).await?;
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
    Ok(GrantOutcome::Granted { unreviewed: false })
}

pub async fn pending(
    pool: &crate::db::Pool,
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
            kind: g.kind,
            proposed_by_name: g.proposed_by_name,
            proposed_at: g
                .proposed_at
                .with_timezone(&timezone)
                .format(TIMESTAMP_FORMAT)
                .to_string(),
        })
        .collect())
}

/// A pending request as the one check sees it, loaded in the transaction that decides it:
/// its proposer and subject, and whether leaders decide it (the leading group has no member
/// but those two). `Nothing` for a request that is not pending.
pub async fn guarded(
    conn: &mut Conn,
    request_id: i64,
) -> Result<
    (
        crate::domain::access::Resource,
        Option<grants::GrantRequest>,
    ),
    AppError,
> {
    use crate::domain::access::Resource;
    let Some(request) = grants::find_pending(conn, request_id).await? else {
        return Ok((Resource::Nothing, None));
    };
    let leading_group = users::holders(conn, Role::LeadingGroup).await?;
    Ok((resource_of(&request, &leading_group), Some(request)))
}

/// A request as the access rule sees it: its proposer and subject, and whether leaders
/// decide it (the leading group has no member but those two).
fn resource_of(
    request: &grants::GrantRequest,
    leading_group: &users::Holders,
) -> crate::domain::access::Resource {
    crate::domain::access::Resource::RoleGrant {
        proposed_by: request.proposed_by,
        grantee: request.user_id,
        leaders_decide: leading_group.besides([request.proposed_by, request.user_id]) == 0,
    }
}

/// How many pending requests `actor` may decide: the header's count. Asked of the same
/// rule as the decision itself, request by request (a school has a handful at a time).
pub async fn waiting_for(pool: &crate::db::Pool, actor: &Actor) -> Result<i64, AppError> {
    let mut conn = pool.acquire().await?;
    let pending = grants::pending(&mut conn).await?;
    let decidable = users::decidable(
        &mut conn,
        actor,
        crate::domain::access::Action::DecideRoleGrant,
        pending,
        resource_of,
    )
    .await?;
    Ok(decidable.len() as i64)
}

/// The requests about each account rejected in the last 30 days, with the reason, for the
/// system administrator who proposed them: (account, role, kind, reason).
pub async fn rejected_by_account(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Role, String, String)>, AppError> {
    Ok(
        grants::rejected_since(conn, now - chrono::Duration::days(30))
            .await?
            .into_iter()
            .filter_map(|(user, role, kind, reason)| {
                Some((user, Role::parse(&role)?, kind, reason.unwrap_or_default()))
            })
            .collect(),
    )
}

/// The pending requests about each account, for the system administrator's console:
/// (account, role, kind).
pub async fn pending_by_account(conn: &mut Conn) -> Result<Vec<(i64, Role, String)>, AppError> {
    Ok(grants::pending(conn)
        .await?
        .into_iter()
        .map(|g| (g.user_id, g.role, g.kind))
        .collect())
}

/// Approves or rejects a pending request, in the transaction the check loaded it in (the
/// caller's `guard_row`). An approved reset returns the new setup link's token and the
/// holder's username, for the approver's eyes only (never the proposer's).
pub async fn decide(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    request: &grants::GrantRequest,
    decision: &Decision,
) -> Result<Option<(String, String)>, AppError> {
    let request_id = request.id;
    grants::decide(&mut tx, request_id, actor.id, decision.approves(), cx.now).await?;
    let decider_role = if actor.has(Role::LeadingGroup) {
        Role::LeadingGroup
    } else {
        Role::Leader
    };
    let seq = GRANTS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            GrantState::Pending,
            Step {
                audit_object: Some(("user", request.user_id)),
                client: cx.client.clone(),
                reason: Some(format!("role_grant_request:{request_id}")),
                details: serde_json::json!({
                    "role": request.role.code(),
                    "kind": request.kind,
                    "request_id": request_id,
                    "proposed_by": request.proposed_by,
                }),
                comment: decision.comment(),
                ..Step::new(request_id, decision.event()).by(actor.id, decider_role.code())
            },
        )
        .await?;
    let mut issued = None;
    if decision.approves() {
        match request.kind.as_str() {
            "revoke" => {
                users::revoke_role(&mut tx, request.user_id, request.role).await?;
            }
            "disable" => users::set_disabled(&mut tx, request.user_id, true).await?,
            "enable" => users::set_disabled(&mut tx, request.user_id, false).await?,
            "reopen" => users::reopen(&mut tx, request.user_id, cx.now).await?,
            "reset" => {
                users::clear_password(&mut tx, request.user_id).await?;
                users::bump_epoch(&mut tx, request.user_id).await?;
                let token =
                    issue_setup_token(&mut tx, request.user_id, Some(actor.id), cx.now).await?;
                notices::notify(
                    &mut tx,
                    request.user_id,
                    "password_reset",
                    request.proposed_by,
                    seq,
                    cx.now,
                )
                .await?;
                issued = Some((token, request.username.clone()));
            }
            _ => {
                users::grant_role(&mut tx, request.user_id, request.role, cx.now).await?;
                users::bump_epoch(&mut tx, request.user_id).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(issued)
}
