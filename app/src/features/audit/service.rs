//! The audit viewer: leaders and the leading group read the whole trail, records
//! administrators the part about records, the system administrator the part about accounts.
//! Every reading is itself an entry of the trail.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{Actor, Role},
    errors::AppError,
    features::audit::views::{AuditEntryView, AuditView, ChainStatus, PersonOption},
    features::{accounts::store::users, audit::store as audit_query},
    i18n::TIMESTAMP_FORMAT,
    kit::audit::{
        chain::{self as audit, AuditKey, Break, NewEntry},
        witness::{Finding, Witness},
    },
};

pub const PAGE_SIZE: i64 = 50;

/// The trail checked from the last head verified on (`Witness::check`: incremental, on
/// connections of its own, never inside a write transaction) and held against the witness;
/// with the head MAC it verified to, when intact.
pub async fn verdict(
    witness: &crate::kit::audit::witness::Witness,
    pool: &crate::db::Pool,
    key: &crate::kit::audit::chain::AuditKey,
) -> Result<(ChainStatus, Option<Vec<u8>>), AppError> {
    Ok(match witness.check(pool, key).await? {
        Ok(intact) => (
            ChainStatus {
                intact: true,
                entries: intact.entries,
                broken_at: None,
                cut: None,
                witness_lost: false,
            },
            Some(intact.head_mac),
        ),
        Err(finding) => {
            tracing::error!(%finding, "the audit trail failed its check");
            let mut status = ChainStatus {
                intact: false,
                entries: 0,
                broken_at: None,
                cut: None,
                witness_lost: false,
            };
            match finding {
                Finding::Chain(Break::Gap { expected, .. }) => status.broken_at = Some(expected),
                Finding::Chain(Break::Unlinked { seq } | Break::Altered { seq })
                | Finding::Rewritten { seq } => status.broken_at = Some(seq),
                Finding::Cut {
                    entries, witnessed, ..
                } => status.cut = Some((entries, witnessed)),
                Finding::WitnessLost { .. } | Finding::Unwitnessed { .. } => {
                    status.witness_lost = true
                }
            }
            (status, None)
        }
    })
}

/// The action prefixes of each part of the trail.
const ACCOUNTS_PART: &[&str] = &["auth.", "account.", "role_grant.", "authz.", "audit."];
const RECORDS_PART: &[&str] = &["records.", "student.", "info_request.", "register."];

/// The parts `actor` may read: everything (""), or some prefixes, or nothing.
pub fn readable_parts(actor: &Actor) -> Vec<&'static str> {
    if actor.has(Role::Leader) || actor.has(Role::LeadingGroup) {
        return vec![""];
    }
    let mut parts = Vec::new();
    if actor.has(Role::SystemAdmin) {
        parts.extend_from_slice(ACCOUNTS_PART);
    }
    if actor.has(Role::RecordsAdmin) {
        parts.extend_from_slice(RECORDS_PART);
    }
    parts
}

/// What the viewer filters by, as the page's query string carries it (ids and dates only).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub actor: Option<i64>,
    pub action: Option<String>,
    pub object: Option<i64>,
    /// A student's opaque id: the entries about them.
    pub student: Option<String>,
    /// A date in the school's time zone, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub until: Option<String>,
    pub before: Option<i64>,
}

fn day_start(date: &str, field: &str, timezone: Tz) -> Result<DateTime<Utc>, AppError> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "date.invalid"))?;
    let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    timezone
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::invalid(field, "date.invalid"))
}

impl Filter {
    /// What identifies one reading of the trail: the filter without its page.
    pub fn reading(&self) -> String {
        serde_json::json!([
            self.actor,
            self.action,
            self.object,
            self.student,
            self.from,
            self.until
        ])
        .to_string()
    }
}

/// A page of the trail. `record_reading` is false when this viewer already read the trail
/// with this filter in this session (paging through it, reloading): one reading, one entry.
#[allow(clippy::too_many_arguments)]
pub async fn view(
    pool: &crate::db::Pool,
    key: &AuditKey,
    witness: &Witness,
    now: DateTime<Utc>,
    timezone: Tz,
    actor: &Actor,
    client: Option<String>,
    filter: &Filter,
    record_reading: bool,
) -> Result<AuditView, AppError> {
    let parts = readable_parts(actor);
    let from = filter
        .from
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(|d| day_start(d, "from", timezone))
        .transpose()?;
    let until = filter
        .until
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(|d| day_start(d, "until", timezone).map(|t| t + chrono::Duration::days(1)))
        .transpose()?;

    // The reading is recorded first, so that it shows on the page it produced. Its details
    // are the filter, and a filter comes from an address anyone can write: only an action
    // the trail holds, and dates as the portal writes them, ever go into the chain.
    let mut tx = crate::db::begin_write(pool).await?;
    let action = filter.action.as_deref().filter(|a| !a.is_empty());
    // An action outside the viewer's part of the trail is "no such action" too: whether it
    // was ever recorded is not theirs to learn.
    if let Some(action) = action
        && (action.len() > 64
            || !parts.iter().any(|p| action.starts_with(p))
            || !audit_query::action_exists(&mut tx, action).await?)
    {
        return Err(AppError::invalid("action", "audit.unknown_action"));
    }
    // A student by their opaque id (a record id, not a value): an id that names nobody is
    // refused like an unknown action.
    let student = match filter.student.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(id) if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) => {
            return Err(AppError::invalid("student", "audit.unknown_student"));
        }
        Some(id) => Some(
            audit_query::student_id(&mut tx, id)
                .await?
                .ok_or_else(|| AppError::invalid("student", "audit.unknown_student"))?,
        ),
    };
    if record_reading {
        let date = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.with_timezone(&timezone).date_naive().to_string())
        };
        let details = serde_json::json!({
            "actor": filter.actor, "action": action, "object": filter.object,
            "student": student,
            "from": date(from),
            "until": date(until.map(|t| t - chrono::Duration::days(1))),
        });
        audit::append(
            &mut tx,
            key,
            now,
            NewEntry::new("audit.read", "success")
                .actor(actor.id)
                .client(client)
                .details(details),
        )
        .await?;
    }
    tx.commit().await?;

    let mut conn = pool.acquire().await?;
    let query = audit_query::Query {
        prefixes: &parts,
        actor_id: filter.actor,
        action,
        object_user: filter.object,
        object_student: student,
        from,
        until,
        before: filter.before,
        limit: PAGE_SIZE + 1,
    };
    let mut rows = audit_query::page(&mut conn, &query).await?;
    let next_before = (rows.len() as i64 > PAGE_SIZE)
        .then(|| {
            rows.truncate(PAGE_SIZE as usize);
            rows.last().map(|r| r.seq)
        })
        .flatten();
    let local = |t: &DateTime<Utc>| {
        t.with_timezone(&timezone)
            .format(TIMESTAMP_FORMAT)
            .to_string()
    };
    // Students by name for those who may see students' names; by record id for the others.
    let names_students = actor.has(Role::RecordsAdmin);
    let entries = rows
        .into_iter()
        .map(|r| {
            let field = (r.action == "student.unmasked")
                .then(|| {
                    let details: serde_json::Value =
                        serde_json::from_str(r.details.as_deref()?).ok()?;
                    details["field"].as_str().map(str::to_owned)
                })
                .flatten();
            AuditEntryView {
                seq: r.seq,
                at: local(&r.occurred_at),
                actor: r.actor_name,
                role: r.actor_role,
                student: r
                    .student_public_id
                    .map(|id| (id, r.student_name.filter(|_| names_students))),
                object: match (&r.object_type, r.object_name) {
                    (Some(kind), Some(name)) if kind == "user" => Some(name),
                    _ => None,
                },
                thing: match (r.object_type, r.object_id) {
                    (Some(kind), Some(id)) if kind != "student" && kind != "user" => {
                        Some((kind, id, r.object_public_id))
                    }
                    _ => None,
                },
                action: r.action,
                field,
                outcome: r.outcome,
                client: r.client,
                reason: r.reason,
            }
        })
        .collect();

    let people = users::list(&mut conn)
        .await?
        .into_iter()
        .map(|a| PersonOption {
            id: a.id,
            name: format!("{} ({})", a.display_name, a.username),
        })
        .collect();
    let actions = audit_query::actions(&mut conn)
        .await?
        .into_iter()
        .filter(|a| parts.iter().any(|p| a.starts_with(p)))
        .collect();
    drop(conn);

    let chain = verdict(witness, pool, key).await?.0;
    Ok(AuditView {
        entries,
        next_before,
        chain,
        people,
        actions,
        viewer: format!("{} ({})", actor.display_name, actor.username),
        read_at: now
            .with_timezone(&timezone)
            .format(TIMESTAMP_FORMAT)
            .to_string(),
    })
}
