//! Account handovers (账号移交, POLICY.md article 4). The holder of a privileged role applies
//! to hand it to a named successor, with a reason and a date; a leading-group member who is
//! neither of the two approves or rejects it (a leader, when no such member is there to: the
//! last member's own handover). The approval, in one transaction, gives the successor the
//! role, takes it from the outgoing holder, ends the outgoing holder's sessions and keeps
//! what they had in flight on the handover record. No credential moves: the successor signs
//! in with their own password.

use chrono::{Days, NaiveDate};

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{
        Actor, Role,
        access::{Action, Resource, permits},
    },
    errors::AppError,
    features::{
        accounts::store::users,
        handovers::{
            store::{self as repo, Application, HandoverRow},
            views::{HandoverInput, HandoverState, HandoverSummary, HandoverView, HandoversHome},
        },
    },
    kit::context::Context,
    kit::{
        workflow::notices,
        workflow::{Decision, Queues, Step, Transition, Workflow},
    },
};

/// The handovers' workflow: applied, then approved, rejected or withdrawn once.
pub static HANDOVERS: Workflow<HandoverState> = Workflow {
    name: "role_handover",
    table: "role_handovers",
    column: "state",
    transitions: &[
        Transition {
            event: "approved",
            from: &[HandoverState::Pending],
            to: HandoverState::Approved,
        },
        Transition {
            event: "rejected",
            from: &[HandoverState::Pending],
            to: HandoverState::Rejected,
        },
        Transition {
            event: "withdrawn",
            from: &[HandoverState::Pending],
            to: HandoverState::Withdrawn,
        },
    ],
    deadlines: &[],
};

/// The longest reason or comment kept.
pub const MAX_REASON_CHARS: usize = 500;
/// How far ahead a handover may be dated.
const MAX_DAYS_AHEAD: u64 = 366;
/// The most handovers a list shows.
const LISTED: i64 = 100;

/// The resource a handover is, for the one check: its two parties, and whether leaders
/// decide it; `Nothing` (which permits nothing) for an id that names none.
impl crate::authz::Stored for HandoverRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((Resource::Nothing, None));
        }
        let Some(row) = repo::find(conn, public_id).await? else {
            return Ok((Resource::Nothing, None));
        };
        let leading_group = users::holders(conn, Role::LeadingGroup).await?;
        Ok((row.resource(&leading_group), Some(row)))
    }
}

impl HandoverRow {
    /// The handover as the access rule sees it, given the leading group's members.
    fn resource(&self, leading_group: &users::Holders) -> Resource {
        Resource::RoleGrant {
            proposed_by: self.outgoing_id,
            grantee: self.successor_id,
            leaders_decide: leading_group.besides([self.outgoing_id, self.successor_id]) == 0,
        }
    }
}

/// The application as typed, checked all at once: the role (one of the privileged four),
/// the successor's username, the reason and the date (today or within a year).
fn parse(
    input: &HandoverInput,
    today: NaiveDate,
) -> Result<(Role, String, String, NaiveDate), AppError> {
    let problem = |field: &str, code: &str| crate::errors::FieldError {
        field: field.into(),
        code: code.into(),
    };
    let mut fields = Vec::new();
    let role = Role::parse(input.role.trim()).filter(|r| r.is_privileged());
    if role.is_none() {
        fields.push(problem("role", "handover.role"));
    }
    let successor = input.successor.trim();
    if successor.is_empty() {
        fields.push(problem("successor", "handover.successor_empty"));
    } else if successor.chars().count() > 64 {
        fields.push(problem("successor", "handover.successor_unknown"));
    }
    let reason = match crate::domain::requests::comment(&input.reason, "reason", true) {
        Ok(reason)
            if reason
                .as_ref()
                .is_some_and(|r| r.chars().count() <= MAX_REASON_CHARS) =>
        {
            reason.unwrap_or_default()
        }
        Ok(_) => {
            fields.push(problem("reason", "request.too_long"));
            String::new()
        }
        Err(e) => {
            fields.extend(e.fields);
            String::new()
        }
    };
    let date = NaiveDate::parse_from_str(input.hand_over_on.trim(), "%Y-%m-%d").ok();
    let latest = today.checked_add_days(Days::new(MAX_DAYS_AHEAD));
    let date = match date {
        Some(d) if d >= today && latest.is_none_or(|l| d <= l) => Some(d),
        Some(_) => {
            fields.push(problem("hand_over_on", "handover.date_range"));
            None
        }
        None => {
            fields.push(problem("hand_over_on", "handover.date"));
            None
        }
    };
    match (role, date) {
        (Some(role), Some(date)) if fields.is_empty() => {
            Ok((role, successor.to_owned(), reason, date))
        }
        _ => Err(AppError {
            fields,
            ..crate::errors::ErrorKind::InvalidInput.into()
        }),
    }
}

/// Files an application, in the transaction the check (`ApplyHandover` on the role) began:
/// the applicant must still hold the role, the successor must be another enabled account
/// that does not hold it yet, and one handover of a role waits at a time. Returns its id.
pub async fn apply(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    input: &HandoverInput,
) -> Result<String, AppError> {
    let today = cx.today();
    let (role, successor, reason, date) = parse(input, today)?;
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("reason", &reason)]).await?;
    let me = users::find(&mut tx, actor.id)
        .await?
        .ok_or_else(AppError::forbidden)?;
    if !me.roles.contains(&role) {
        return Err(AppError::forbidden());
    }
    let successor = users::find_by_username(&mut tx, &successor)
        .await?
        .ok_or_else(|| AppError::invalid("successor", "handover.successor_unknown"))?;
    if successor.id == actor.id {
        return Err(AppError::invalid("successor", "handover.successor_self"));
    }
    if successor.blocked() || successor.sealed {
        return Err(AppError::invalid(
            "successor",
            "handover.successor_disabled",
        ));
    }
    if successor.roles.contains(&role) {
        return Err(AppError::invalid("successor", "handover.successor_holds"));
    }
    if repo::pending_of(&mut tx, actor.id, role).await? {
        return Err(AppError::conflict("handover.pending"));
    }
    let public_id = new_public_id();
    let id = repo::insert(
        &mut tx,
        &Application {
            public_id: &public_id,
            role,
            outgoing_id: actor.id,
            successor_id: successor.id,
            reason: &reason,
            hand_over_on: date,
        },
        cx.now,
    )
    .await?;
    HANDOVERS
        .start(
            &mut tx,
            cx.key,
            cx.now,
            HandoverState::Pending,
            Step {
                client: cx.client.clone(),
                comment: Some(&reason),
                details: serde_json::json!({
                    "role": role.code(),
                    "outgoing": actor.id,
                    "successor": successor.id,
                    "handover": public_id,
                }),
                // The successor is told they are named; those who decide see it waiting.
                ..Step::new(id, "applied")
                    .by(actor.id, role.code())
                    .telling([successor.id])
            },
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// What the outgoing holder had in flight: the queue their role works (a leader's requests
/// waiting for a decision, a records administrator's approved ones waiting for release).
async fn in_flight(
    conn: &mut Conn,
    role: Role,
) -> Result<Option<(&'static str, Vec<String>)>, AppError> {
    let state = match role {
        Role::Leader => "requested",
        Role::RecordsAdmin => "approved",
        _ => return Ok(None),
    };
    Ok(Some((state, repo::requests_in(conn, state).await?)))
}

/// Approves or rejects `row`, in the transaction its check began. An approval moves the role:
/// the successor gets it, the outgoing holder loses it and is signed out everywhere, and the
/// record keeps what was in flight. Refused if either account changed so that it no longer
/// makes sense (the role gone from the holder, the successor disabled or holding it already).
pub async fn decide(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &HandoverRow,
    decision: &Decision,
) -> Result<(), AppError> {
    let comment = decision.comment();
    let from = row.state;
    let decider_role = if actor.has(Role::LeadingGroup) {
        Role::LeadingGroup
    } else {
        Role::Leader
    };
    let mut details = serde_json::json!({
        "role": row.role.code(),
        "outgoing": row.outgoing_id,
        "successor": row.successor_id,
        "handover": row.public_id,
    });
    let mut kept_in_flight = None;
    if decision.approves() && from == HandoverState::Pending {
        let outgoing = users::find(&mut tx, row.outgoing_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        if !outgoing.roles.contains(&row.role) {
            return Err(AppError::conflict("handover.role_gone"));
        }
        let successor = users::find(&mut tx, row.successor_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        if successor.blocked() || successor.sealed || successor.roles.contains(&row.role) {
            return Err(AppError::conflict("handover.successor_changed"));
        }
        users::grant_role(&mut tx, row.successor_id, row.role, cx.now).await?;
        users::bump_epoch(&mut tx, row.successor_id).await?;
        // Taking the role away ends every session of the outgoing holder.
        users::revoke_role(&mut tx, row.outgoing_id, row.role).await?;
        users::bump_epoch(&mut tx, row.outgoing_id).await?;
        if let Some((state, ids)) = in_flight(&mut tx, row.role).await? {
            if let Some(map) = details.as_object_mut() {
                map.insert("in_flight".into(), ids.len().into());
            }
            kept_in_flight =
                Some(serde_json::json!({ "state": state, "requests": ids }).to_string());
        }
    }
    HANDOVERS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            from,
            Step {
                client: cx.client.clone(),
                comment,
                reason: Some(format!("role_handover:{}", row.public_id)),
                details,
                ..Step::new(row.id, decision.event())
                    .by(actor.id, decider_role.code())
                    .telling([row.outgoing_id, row.successor_id])
            },
        )
        .await?;
    repo::decide(
        &mut tx,
        row.id,
        actor.id,
        comment,
        kept_in_flight.as_deref(),
        cx.now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws the applicant's own pending handover.
pub async fn withdraw(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &HandoverRow,
) -> Result<(), AppError> {
    let from = row.state;
    HANDOVERS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            from,
            Step {
                client: cx.client.clone(),
                details: serde_json::json!({ "role": row.role.code(), "handover": row.public_id }),
                ..Step::new(row.id, "withdrawn")
                    .by(actor.id, row.role.code())
                    .telling([row.successor_id])
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

fn person((name, username): &(String, String)) -> String {
    format!("{name} ({username})")
}

fn summary(cx: &Context<'_>, row: &HandoverRow, changed: &[i64]) -> HandoverSummary {
    HandoverSummary {
        id: row.public_id.clone(),
        role: row.role,
        outgoing: person(&row.outgoing),
        successor: person(&row.successor),
        hand_over_on: row.hand_over_on.to_string(),
        applied_at: cx.local(Some(row.applied_at)),
        state: row.state,
        changed: changed.contains(&row.id),
    }
}

/// The pending handovers `actor` may decide: the one rule, asked of each one's parties (a
/// school has a handful at a time).
/// How many handovers wait for `actor`'s decision (their home's to-do list).
pub async fn to_decide(conn: &mut Conn, actor: &Actor) -> Result<i64, AppError> {
    Ok(decidable(conn, actor).await?.len() as i64)
}

async fn decidable(conn: &mut Conn, actor: &Actor) -> Result<Vec<HandoverRow>, AppError> {
    if !(actor.has(Role::LeadingGroup) || actor.has(Role::Leader)) {
        return Ok(Vec::new());
    }
    let pending = repo::pending(conn).await?;
    Ok(users::decidable(
        conn,
        actor,
        Action::DecideHandover,
        pending,
        HandoverRow::resource,
    )
    .await?)
}

/// The handovers page of `actor`.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<HandoversHome, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let changed = notices::unread_objects(&mut conn, actor.id, HANDOVERS.name).await?;
    let mine = repo::of_party(&mut conn, actor.id, LISTED)
        .await?
        .iter()
        .map(|r| summary(cx, r, &changed))
        .collect();
    let decides = actor.has(Role::LeadingGroup) || actor.has(Role::Leader);
    let (to_decide, decided) = if decides {
        let waiting = decidable(&mut conn, actor)
            .await?
            .iter()
            .map(|r| summary(cx, r, &changed))
            .collect();
        let decided = repo::decided(&mut conn, LISTED)
            .await?
            .iter()
            .map(|r| summary(cx, r, &changed))
            .collect();
        (Some(waiting), Some(decided))
    } else {
        (None, None)
    };
    let roles: Vec<Role> = actor
        .roles
        .iter()
        .copied()
        .filter(|r| r.is_privileged())
        .collect();
    let successors = if roles.is_empty() {
        Vec::new()
    } else {
        repo::successors(&mut conn, actor.id).await?
    };
    Ok(HandoversHome {
        roles,
        successors,
        queues: Queues {
            mine,
            to_decide,
            decided,
        },
    })
}

/// How many handovers wait for `actor`'s decision, and how many outcomes they have not seen:
/// the header's count.
pub async fn waiting(cx: &Context<'_>, actor: &Actor) -> Result<i64, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let to_decide = decidable(&mut conn, actor).await?.len() as i64;
    HANDOVERS.waiting(&mut conn, actor.id, to_decide).await
}

/// One handover as its record shows it, in the transaction its check began; opening it marks
/// what its reader was told about it as read.
pub async fn view(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    resource: Resource,
    row: &HandoverRow,
) -> Result<HandoverView, AppError> {
    let history = HANDOVERS
        .opened(&mut tx, cx, Some(actor.id), row.id, None)
        .await?;
    tx.commit().await?;
    let pending = row.state == HandoverState::Pending;
    let (in_flight_state, in_flight) = row
        .in_flight
        .as_deref()
        .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .map(|v| {
            let ids = v["requests"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|i| i.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (v["state"].as_str().map(str::to_owned), ids)
        })
        .unwrap_or_default();
    Ok(HandoverView {
        id: row.public_id.clone(),
        role: row.role,
        outgoing: person(&row.outgoing),
        successor: person(&row.successor),
        reason: row.reason.clone(),
        hand_over_on: row.hand_over_on.to_string(),
        applied_at: cx.local(Some(row.applied_at)),
        state: row.state,
        decider: row.decider.clone(),
        decided_at: row.decided_at.map(|t| cx.local(Some(t))),
        decision_comment: row.decision_comment.clone(),
        in_flight,
        in_flight_state,
        history,
        can_decide: pending && permits(Some(actor), Action::DecideHandover, resource),
        can_withdraw: pending && permits(Some(actor), Action::WithdrawHandover, resource),
        leaders_decide: matches!(
            resource,
            Resource::RoleGrant {
                leaders_decide: true,
                ..
            }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: &str, successor: &str, reason: &str, date: &str) -> HandoverInput {
        HandoverInput {
            role: role.into(),
            successor: successor.into(),
            reason: reason.into(),
            hand_over_on: date.into(),
        }
    }

    #[test]
    fn an_application_is_checked_all_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let ok = parse(
            &input(
                "records_admin",
                " zhao ",
                "调任教务处，学籍工作交接",
                "2026-12-10",
            ),
            today,
        )
        .unwrap();
        assert_eq!(ok.0, Role::RecordsAdmin);
        assert_eq!(ok.1, "zhao");
        let codes = |e: AppError| -> Vec<(String, String)> {
            e.fields.into_iter().map(|f| (f.field, f.code)).collect()
        };
        // A homeroom teacher's role is no handover's: the system administrator changes it.
        let refused = parse(&input("homeroom_teacher", "", "", "2026-12-01"), today).unwrap_err();
        assert_eq!(
            codes(refused),
            [
                ("role".into(), "handover.role".into()),
                ("successor".into(), "handover.successor_empty".into()),
                ("reason".into(), "request.comment_required".into()),
                ("hand_over_on".into(), "handover.date_range".into()),
            ]
        );
        let refused = parse(&input("leader", "li", "交接", "明天"), today).unwrap_err();
        assert_eq!(
            codes(refused),
            [("hand_over_on".into(), "handover.date".into())]
        );
        let far = parse(&input("leader", "li", "交接", "2028-01-01"), today).unwrap_err();
        assert_eq!(
            codes(far),
            [("hand_over_on".into(), "handover.date_range".into())]
        );
    }
}
