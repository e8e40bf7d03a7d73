//! Semi-annual inspections (半年检查): the checklist the portal computes as of a moment, the
//! record of an inspection (kept with that checklist as it was), and when the next is due.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{Actor, Role},
    errors::{AppError, ErrorKind, FieldError},
    features::inspections::views::{
        Checklist, Due, Holder, InspectionInput, InspectionSummary, InspectionView,
        InspectionsHome, ItemInput,
    },
    features::{
        accounts::store::users::{self, Holding},
        import::store as imports,
        inspections::store as repo,
        leaks::store as leaks,
        records::store as records,
        requests::store as requests,
    },
    kit::audit::chain::{self as audit, NewEntry},
    kit::context::Context,
};

/// How long an account may go without signing in before an inspection lists it.
const DORMANT_DAYS: i64 = 90;
/// How old an unverified record must be for an inspection to list it.
const UNVERIFIED_DAYS: i64 = 30;
/// An inspection every six months.
const EVERY_MONTHS: u32 = 6;
/// The most checklist items one record holds.
pub const MAX_ITEMS: usize = 30;
const MAX_ITEM_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 1000;
const MAX_PARTICIPANTS_CHARS: usize = 500;
/// The most inspections the page lists.
const LISTED: i64 = 50;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the portal computes for an inspection of `from`..=`to`, as of `cx.now`: read in
/// `conn` (one snapshot), the audit chain verified from its start.
pub async fn checklist(
    conn: &mut Conn,
    cx: &Context<'_>,
    from: NaiveDate,
    to: NaiveDate,
    trail: &(crate::features::audit::views::ChainStatus, Option<Vec<u8>>),
) -> Result<Checklist, AppError> {
    let (start, end) = (cx.start_of(from), cx.start_of(to.succ_opt().unwrap_or(to)));
    let dormant =
        users::dormant_since(&mut *conn, cx.now - chrono::Duration::days(DORMANT_DAYS)).await?;
    let privileged = users::privileged_holdings(&mut *conn).await?;
    let releases_in_period = requests::released_between(&mut *conn, start, end).await?;
    let live_releases = requests::live_count(&mut *conn).await?;
    let lapsed_in_period = requests::lapsed_between(&mut *conn, start, end).await?;
    let unverified_over_30_days =
        records::unverified_before(&mut *conn, cx.now - chrono::Duration::days(UNVERIFIED_DAYS))
            .await?;
    let open_leak_reports = leaks::open_count(&mut *conn).await?;
    let drafts_waiting = records::drafts_count(&mut *conn).await?;
    let imports_waiting = imports::count(&mut *conn).await?;
    let changes_overdue = crate::features::changes::service::overdue_count(&mut *conn, cx).await?;
    // The trail's verdict was reached before this transaction (see `record`): the witness's,
    // from the last head verified on.
    let (chain, head_mac) = trail;
    let (audit_entries, audit_intact, audit_broken_at, audit_head_mac) = (
        chain.entries,
        chain.intact,
        chain.broken_at,
        head_mac.as_deref().map(hex),
    );
    Ok(Checklist {
        as_of: cx.local(Some(cx.now)),
        period_from: from.to_string(),
        period_to: to.to_string(),
        dormant_accounts: dormant
            .into_iter()
            .map(|(name, username)| format!("{name} ({username})"))
            .collect(),
        privileged: privileged.into_iter().map(holder).collect(),
        releases_in_period,
        live_releases,
        lapsed_in_period,
        unverified_over_30_days,
        open_leak_reports,
        drafts_waiting,
        imports_waiting,
        changes_overdue,
        audit_entries,
        audit_intact,
        audit_broken_at,
        audit_head_mac,
        audit_cut: chain.cut,
        audit_witness_lost: chain.witness_lost,
    })
}

/// The default period: the six months up to today.
fn default_period(cx: &Context<'_>) -> (NaiveDate, NaiveDate) {
    let today = cx.today();
    let from = today
        .checked_sub_months(Months::new(EVERY_MONTHS))
        .unwrap_or(today);
    (from, today)
}

fn problem(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
    }
}

fn bounded(typed: &str, max: usize) -> Option<String> {
    (typed.len() <= max * 4 && typed.chars().count() <= max).then(|| typed.trim().to_owned())
}

struct Parsed {
    from: NaiveDate,
    to: NaiveDate,
    participants: String,
    items: Vec<ItemInput>,
    confirmed: HashSet<String>,
}

/// The form as typed, checked all at once.
fn parse(input: &InspectionInput, today: NaiveDate) -> Result<Parsed, Vec<FieldError>> {
    let mut fields = Vec::new();
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (from, to) = (date(&input.period_from), date(&input.period_to));
    match (from, to) {
        (None, _) => fields.push(problem("period_from", "inspection.date")),
        (_, None) => fields.push(problem("period_to", "inspection.date")),
        (Some(f), Some(t)) if f > t || t > today => {
            fields.push(problem("period_to", "inspection.period_invalid"))
        }
        _ => {}
    }
    let participants = match bounded(&input.participants, MAX_PARTICIPANTS_CHARS) {
        Some(p) if p.chars().count() >= 2 => p,
        Some(_) => {
            fields.push(problem("participants", "inspection.participants_required"));
            String::new()
        }
        None => {
            fields.push(problem("participants", "inspection.too_long"));
            String::new()
        }
    };
    let mut items = Vec::new();
    if input.items.len() > MAX_ITEMS {
        fields.push(problem("items", "inspection.too_many"));
    } else {
        for (n, typed) in input.items.iter().enumerate() {
            let (Some(item), Some(finding), Some(remedy)) = (
                bounded(&typed.item, MAX_ITEM_CHARS),
                bounded(&typed.finding, MAX_TEXT_CHARS),
                bounded(&typed.remedy, MAX_TEXT_CHARS),
            ) else {
                fields.push(problem(&format!("items.{n}"), "inspection.too_long"));
                continue;
            };
            if item.is_empty() && finding.is_empty() && remedy.is_empty() {
                continue;
            }
            if item.is_empty() || finding.is_empty() {
                fields.push(problem(
                    &format!("items.{n}"),
                    "inspection.finding_required",
                ));
                continue;
            }
            items.push(ItemInput {
                item,
                finding,
                remedy,
            });
        }
        if items.is_empty() && !fields.iter().any(|f| f.field.starts_with("items.")) {
            fields.push(problem("items.0", "inspection.finding_required"));
        }
    }
    if input.confirmed.len() > 500 {
        fields.push(problem("confirmed", "inspection.too_many"));
    }
    match (from, to) {
        (Some(from), Some(to)) if fields.is_empty() => Ok(Parsed {
            from,
            to,
            participants,
            items,
            confirmed: input
                .confirmed
                .iter()
                .map(|c| c.trim().to_owned())
                .collect(),
        }),
        _ => Err(fields),
    }
}

/// Records an inspection in the transaction the check began: the checklist as computed now,
/// the items, and the privileged holdings not re-confirmed. Returns its id.
pub async fn record(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    input: &InspectionInput,
    trail: &(crate::features::audit::views::ChainStatus, Option<Vec<u8>>),
) -> Result<String, AppError> {
    let today = cx.today();
    let parsed = parse(input, today).map_err(|fields| AppError {
        fields,
        ..ErrorKind::InvalidInput.into()
    })?;
    let mut texts = vec![("participants", parsed.participants.as_str())];
    for item in &parsed.items {
        texts.extend([
            ("items", item.item.as_str()),
            ("items", item.finding.as_str()),
            ("items", item.remedy.as_str()),
        ]);
    }
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &texts).await?;
    let computed = checklist(&mut tx, cx, parsed.from, parsed.to, trail).await?;
    // Each holding re-confirmed is one the checklist lists, and never the recorder's own:
    // nobody vouches for themselves, and a name that holds nothing confirms nothing.
    for confirmed in &parsed.confirmed {
        let held = computed
            .privileged
            .iter()
            .find(|h| format!("{}:{}", h.user_id, h.role) == *confirmed);
        let problem = match held {
            None => Some("inspection.confirm_unknown"),
            Some(h) if h.user_id == actor.id => Some("inspection.confirm_self"),
            Some(_) => None,
        };
        if let Some(code) = problem {
            return Err(AppError::invalid("confirmed", code));
        }
    }
    let public_id = new_public_id();
    let computed_json =
        serde_json::to_string(&computed).map_err(|e| AppError::internal(e.to_string()))?;
    let id = repo::insert(
        &mut tx,
        &repo::NewInspection {
            public_id: &public_id,
            from: parsed.from,
            to: parsed.to,
            participants: &parsed.participants,
            recorded_by: actor.id,
            recorded_at: cx.now,
            computed: &computed_json,
            audit_head_mac: computed.audit_head_mac.as_deref(),
        },
    )
    .await?;
    for (n, item) in parsed.items.iter().enumerate() {
        let item = repo::ItemRow {
            item: item.item.clone(),
            finding: item.finding.clone(),
            remedy: item.remedy.clone(),
        };
        repo::insert_item(&mut tx, id, n as i64, &item).await?;
    }
    let mut unconfirmed = 0;
    for holder in &computed.privileged {
        if !parsed
            .confirmed
            .contains(&format!("{}:{}", holder.user_id, holder.role))
        {
            unconfirmed += 1;
            repo::insert_unconfirmed(&mut tx, id, holder.user_id, &holder.role).await?;
        }
    }
    let role = if actor.has(Role::RecordsAdmin) {
        Role::RecordsAdmin
    } else {
        Role::LeadingGroup
    };
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("inspection.recorded", "success")
            .actor(actor.id)
            .role(role.code())
            .object("inspection", id)
            .client(cx.client.clone())
            .details(serde_json::json!({
                "inspection": public_id,
                "items": parsed.items.len(),
                "unconfirmed": unconfirmed,
                "audit_intact": computed.audit_intact,
                "audit_entries": computed.audit_entries,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// When the next inspection is due: six months after the latest (or after installation).
pub async fn due(conn: &mut Conn, cx: &Context<'_>) -> Result<Due, AppError> {
    let last = repo::last_recorded_at(&mut *conn).await?;
    let base = match last {
        Some(t) => t,
        None => repo::installed_at(&mut *conn).await?.unwrap_or(cx.now),
    };
    let due = base
        .checked_add_months(Months::new(EVERY_MONTHS))
        .unwrap_or(base);
    Ok(Due {
        due_on: cx.local_date(due),
        overdue: cx.now > due,
        last: last.map(|t| cx.local(Some(t))),
    })
}

/// A privileged holding as an inspection lists it.
fn holder(h: Holding) -> Holder {
    Holder {
        user_id: h.user_id,
        name: h.name,
        username: h.username,
        role: h.role,
    }
}

/// The privileged holdings not re-confirmed at the latest inspection that are still held.
async fn unconfirmed_now(
    conn: &mut Conn,
    inspection: Option<i64>,
) -> Result<Vec<Holder>, AppError> {
    Ok(repo::unconfirmed_still_held(conn, inspection)
        .await?
        .into_iter()
        .map(holder)
        .collect())
}

/// The inspections page of `actor`.
pub async fn home(
    cx: &Context<'_>,
    witness: &crate::kit::audit::witness::Witness,
    actor: &Actor,
) -> Result<InspectionsHome, AppError> {
    let can_record = actor.has(Role::RecordsAdmin) || actor.has(Role::LeadingGroup);
    let trail = if can_record {
        Some(crate::features::audit::service::verdict(witness, cx.pool, cx.key).await?)
    } else {
        None
    };
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let now = if let Some(trail) = &trail {
        let (from, to) = default_period(cx);
        Some(checklist(&mut conn, cx, from, to, trail).await?)
    } else {
        None
    };
    let rows = repo::latest(&mut conn, LISTED).await?;
    Ok(InspectionsHome {
        due: due(&mut conn, cx).await?,
        can_record,
        now,
        inspections: rows
            .into_iter()
            .map(|r| InspectionSummary {
                id: r.public_id,
                period: format!("{} — {}", r.period_from, r.period_to),
                recorded_by: r.recorded_by,
                recorded_at: cx.local(Some(r.recorded_at)),
            })
            .collect(),
        unconfirmed: unconfirmed_now(&mut conn, None).await?,
    })
}

/// The resource an inspection is (`Nothing` for an id that names none), and its row id.
pub async fn guarded(
    conn: &mut Conn,
    public_id: &str,
) -> Result<(crate::domain::access::Resource, Option<i64>), AppError> {
    use crate::domain::access::Resource;
    if public_id.len() > 64 {
        return Ok((Resource::Nothing, None));
    }
    let id = repo::find_id(conn, public_id).await?;
    Ok((
        if id.is_some() {
            Resource::Inspection
        } else {
            Resource::Nothing
        },
        id,
    ))
}

/// One inspection record.
pub async fn view(mut tx: Tx, cx: &Context<'_>, id: i64) -> Result<InspectionView, AppError> {
    let row = repo::find(&mut tx, id).await?;
    let items = repo::items(&mut tx, id).await?;
    let unconfirmed = repo::unconfirmed(&mut tx, id).await?;
    tx.commit().await?;
    Ok(InspectionView {
        id: row.public_id,
        period_from: row.period_from.to_string(),
        period_to: row.period_to.to_string(),
        participants: row.participants,
        recorded_by: row.recorded_by,
        recorded_at: cx.local(Some(row.recorded_at)),
        computed: serde_json::from_str(&row.computed).unwrap_or_default(),
        items: items
            .into_iter()
            .map(|i| ItemInput {
                item: i.item,
                finding: i.finding,
                remedy: i.remedy,
            })
            .collect(),
        unconfirmed: unconfirmed.into_iter().map(holder).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(item: &str, finding: &str) -> ItemInput {
        ItemInput {
            item: item.into(),
            finding: finding.into(),
            remedy: String::new(),
        }
    }

    #[test]
    fn an_inspection_is_checked_all_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let ok = InspectionInput {
            period_from: "2026-06-01".into(),
            period_to: "2026-11-30".into(),
            participants: "张校长、陈老师".into(),
            items: vec![item("账号清理", "两个长期未登录账号"), item("", "")],
            confirmed: vec!["3:leader".into()],
        };
        let parsed = parse(&ok, today).ok().unwrap();
        assert_eq!(parsed.items.len(), 1, "an empty row is left out");
        let codes = |e: Vec<FieldError>| -> Vec<(String, String)> {
            e.into_iter().map(|f| (f.field, f.code)).collect()
        };
        let bad = InspectionInput {
            period_from: "2026-12-01".into(),
            period_to: "2026-12-10".into(),
            participants: "".into(),
            items: vec![item("账号清理", "")],
            confirmed: vec![],
        };
        assert_eq!(
            codes(parse(&bad, today).err().unwrap()),
            [
                ("period_to".into(), "inspection.period_invalid".into()),
                (
                    "participants".into(),
                    "inspection.participants_required".into()
                ),
                ("items.0".into(), "inspection.finding_required".into()),
            ]
        );
    }
}
