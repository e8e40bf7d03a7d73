//! Finding students: by name (汉字, full pinyin with the other readings of the surname, or
//! initials: "zs" finds 张三) through the search keys, or by identity number or 学籍号 through
//! their blind indexes (exact match, nothing decrypted to look). Results are masked, and a
//! homeroom teacher finds only the students of their own classes.

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        Actor, Role,
        records::{IdCardNumber, student_number},
    },
    errors::AppError,
    features::records::store as repo,
    features::records::views::RecordStatus,
    features::search::views::SearchHit,
    kit::sealing::DataKeys,
};

/// How many hits a search shows.
pub const LIMIT: i64 = 50;

/// How many exact-number searches one person may make in an hour. Finding a child by an
/// identity number already in hand takes one; trying the candidates a mask leaves open takes
/// hundreds.
pub const NUMBER_SEARCHES_PER_HOUR: i64 = 20;

/// What was searched for. A number is kept only as its blind index, so a search by identity
/// number leaves the number nowhere (not even in the session that remembers the search).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Query {
    Name(String),
    Number { column: String, index: Vec<u8> },
}

impl Query {
    /// Reads what was typed: an identity number or 学籍号 when it is one, a name otherwise.
    pub fn parse(input: &str, keys: &DataKeys) -> Result<Query, AppError> {
        let typed = input.trim();
        if typed.is_empty() {
            return Err(AppError::invalid("query", "search.empty"));
        }
        if typed.chars().count() > 40 {
            return Err(AppError::invalid("query", "search.too_long"));
        }
        let upper = typed.to_ascii_uppercase();
        if let Ok(id) = IdCardNumber::parse(&upper) {
            return Ok(Query::Number {
                column: "id_number".into(),
                index: keys.blind_index("id_number", id.as_str()),
            });
        }
        if upper.len() == 19
            && let Ok(number) = student_number(&upper, None)
            && !number.is_empty()
        {
            return Ok(Query::Number {
                column: "student_number".into(),
                index: keys.blind_index("student_number", &number),
            });
        }
        let key: String = typed.to_lowercase().split_whitespace().collect();
        Ok(Query::Name(key))
    }
}

/// Counts an exact-number search against `actor`'s budget for the hour, as an audit entry
/// naming the blind index (never the number). Past the budget the search is refused (an
/// audit entry too), and the first refusal of the hour tells every other records
/// administrator. A search by name costs nothing.
pub async fn spend(
    cx: &crate::kit::context::Context<'_>,
    actor: &Actor,
    query: &Query,
) -> Result<(), AppError> {
    let Query::Number { column, index } = query else {
        return Ok(());
    };
    let digest: String = index.iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let spent = spend_in(
        &mut tx,
        cx,
        actor,
        Lookup {
            done: "records.number_searched",
            refused: "records.number_search_refused",
            details: serde_json::json!({ "field": column, "index": digest }),
            student: None,
        },
    )
    .await?;
    tx.commit().await?;
    spent
}

/// A lookup that costs one of the hour's budget: the audit entry it is (its action, and the
/// one it is when refused), ids only in its details, and the student it found, if any.
pub struct Lookup {
    pub done: &'static str,
    pub refused: &'static str,
    pub details: serde_json::Value,
    pub student: Option<i64>,
}

/// The role a person looks students up in, for the audit trail: the first they hold, in the
/// order the records work comes (a leader's or system administrator's lookup is theirs, not
/// a teacher's).
pub fn lookup_role(actor: &Actor) -> Option<Role> {
    [
        Role::RecordsAdmin,
        Role::HomeroomTeacher,
        Role::Leader,
        Role::LeadingGroup,
        Role::SystemAdmin,
    ]
    .into_iter()
    .find(|r| actor.has(*r))
}

/// Counts one lookup against `actor`'s hourly budget (exact-number searches and the request
/// picker's confirmations share it) in `tx`, with its audit entry. Past the budget the
/// lookup is refused: the entry says so, the first refusal of the hour tells every records
/// administrator, and the inner `Err` is the refusal to answer once `tx` is committed.
pub async fn spend_in(
    tx: &mut crate::db::Tx,
    cx: &crate::kit::context::Context<'_>,
    actor: &Actor,
    lookup: Lookup,
) -> Result<Result<(), AppError>, AppError> {
    use crate::{
        features::notices::store as notices,
        kit::audit::chain::{self as audit, NewEntry},
    };
    let hour = chrono::Duration::hours(1);
    let (started, used, reported) = match notices::search_budget(&mut *tx, actor.id).await? {
        Some((started, used, reported)) if cx.now - started < hour => (started, used, reported),
        _ => (cx.now, 0, false),
    };
    let over = used >= NUMBER_SEARCHES_PER_HOUR;
    let mut details = lookup.details;
    details["in_hour"] = (used + 1).into();
    let mut entry = NewEntry::new(
        if over { lookup.refused } else { lookup.done },
        if over { "denied" } else { "success" },
    )
    .actor(actor.id)
    .client(cx.client.clone())
    .details(details);
    if let Some(role) = lookup_role(actor) {
        entry = entry.role(role.code());
    }
    if let (Some(student), false) = (lookup.student, over) {
        entry = entry.object("student", student);
    }
    // A refusal is a denied call: the same person refused again within the window is counted
    // into one entry, not written each time (a loop of refused lookups does not flood the
    // trail). The first refusal of the hour is always written, and its entry is the notice's.
    let seq = if over && reported {
        audit::append_denial(&mut *tx, cx.key, cx.now, entry).await?;
        0
    } else {
        audit::append(&mut *tx, cx.key, cx.now, entry).await?
    };
    if over && !reported {
        notices::notify_role(
            &mut *tx,
            Role::RecordsAdmin.code(),
            actor.id,
            "number_search_budget",
            actor.id,
            seq,
            cx.now,
        )
        .await?;
    }
    notices::put_search_budget(
        &mut *tx,
        actor.id,
        if over {
            (started, used, true)
        } else {
            (started, used + 1, reported)
        },
    )
    .await?;
    if over {
        let wait = (started + hour - cx.now).num_seconds().max(1);
        return Ok(Err(AppError::too_many_requests(wait as u64)));
    }
    Ok(Ok(()))
}

/// A search as it is kept in the session: what kind of search it was, whether students who
/// left were looked for too, and the ids of what it found, ranked. No query text: neither a
/// name nor a number (nor a number's blind index) stays in the session store, so a name
/// searched for leaves nothing there once its record is destroyed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    pub by_number: bool,
    #[serde(default)]
    pub include_left: bool,
    pub found: Vec<i64>,
}

/// How many name matches a search ranks at most; past it, the page says to narrow it.
pub const CANDIDATES: i64 = 1000;

/// What `actor` may find with `query`, ranked, as the session keeps it. Names come ranked:
/// the name itself, its common reading or its initials typed whole first, then those they
/// begin with, then matches through a surname's rarer reading (曾 as céng, 单 as dān) or the
/// given name alone; in pinyin order within each.
pub async fn find(
    pool: &crate::db::Pool,
    actor: &Actor,
    query: &Query,
    include_left: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Search, AppError> {
    let mut conn = pool.acquire().await?;
    let teacher = (!actor.has(Role::RecordsAdmin)).then_some(actor.id);
    let archived_before = crate::kit::retention::archived_before(now);
    let found = match query {
        Query::Name(key) => {
            let upper = format!("{key}\u{10FFFF}");
            let mut hits = repo::search_by_key(
                &mut conn,
                key,
                &upper,
                teacher,
                include_left,
                CANDIDATES,
                archived_before,
            )
            .await?;
            hits.sort_by_cached_key(|h| {
                (
                    crate::kit::names::rank(&h.name, key),
                    crate::kit::names::sort_key(&h.name),
                    h.public_id.clone(),
                )
            });
            hits.into_iter().map(|h| h.id).collect()
        }
        Query::Number { column, index, .. } => {
            // Counted as the page shows them: who left only when asked, never the archived.
            let ids: Vec<i64> = repo::search_by_index(&mut conn, column, index, teacher)
                .await?
                .into_iter()
                .map(|h| h.id)
                .collect();
            repo::hits_by_ids(
                &mut conn,
                &ids,
                teacher,
                include_left,
                true,
                archived_before,
            )
            .await?
            .into_iter()
            .map(|h| h.id)
            .collect()
        }
    };
    Ok(Search {
        by_number: matches!(query, Query::Number { .. }),
        include_left,
        found,
    })
}

/// One page of a kept search, as `actor` may see it now (a student destroyed, moved out of a
/// teacher's classes or gone since drops out), masked; and how many it found in all.
pub async fn search(
    pool: &crate::db::Pool,
    actor: &Actor,
    search: &Search,
    page: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<SearchHit>, usize), AppError> {
    let mut conn = pool.acquire().await?;
    let teacher = (!actor.has(Role::RecordsAdmin)).then_some(actor.id);
    let total = search.found.len();
    let from = page.saturating_sub(1).saturating_mul(LIMIT as usize);
    if from >= total {
        return Ok((Vec::new(), total));
    }
    let ids = &search.found[from..total.min(from + LIMIT as usize)];
    let mut found = repo::hits_by_ids(
        &mut conn,
        ids,
        teacher,
        search.include_left,
        search.by_number,
        crate::kit::retention::archived_before(now),
    )
    .await?;
    let order: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    found.sort_by_key(|h| order.get(&h.id).copied().unwrap_or(usize::MAX));
    let hits = found;
    let classes =
        crate::features::structure::service::summaries(&mut conn, hits.iter().map(|h| h.class_id))
            .await?;
    let shown = hits
        .into_iter()
        .map(|h| {
            Ok(SearchHit {
                class: classes
                    .get(&h.class_id)
                    .cloned()
                    .ok_or_else(|| AppError::internal("class missing"))?,
                status: RecordStatus::parse(&h.status)
                    .ok_or_else(|| AppError::internal("unknown status"))?,
                id_number: crate::features::records::service::id_number_masked(h.top_secret)?,
                id: h.public_id,
                name: h.name,
                birth_date: h.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                left: h.left_reason,
                suspended: h.suspended,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok((shown, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::names::search_keys;

    #[test]
    fn names_are_found_by_characters_pinyin_and_initials() {
        let keys = search_keys("张三");
        assert!(keys.contains(&"张三".to_owned()));
        assert!(keys.contains(&"zhangsan".to_owned()));
        assert!(keys.contains(&"zs".to_owned()));
        // The other readings of a surname: 单 is shàn as a surname, dān as a word.
        let keys = search_keys("单丽");
        assert!(
            keys.contains(&"shanli".to_owned()) && keys.contains(&"danli".to_owned()),
            "{keys:?}"
        );
        assert!(keys.contains(&"sl".to_owned()) && keys.contains(&"dl".to_owned()));
        let keys = search_keys("Anna Schmidt");
        assert!(keys.contains(&"annaschmidt".to_owned()), "{keys:?}");
    }

    #[test]
    fn numbers_are_looked_up_by_blind_index_and_never_kept() {
        let keys = crate::kit::sealing::test_keys();
        let query = Query::parse(" 11010519491231002x ", &keys).unwrap();
        match &query {
            Query::Number { column, index } => {
                assert_eq!(column, "id_number");
                assert_eq!(index, &keys.blind_index("id_number", "11010519491231002X"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!serde_json::to_string(&query).unwrap().contains("1949"));
        let query = Query::parse("G11010519491231002X", &keys).unwrap();
        assert!(matches!(query, Query::Number { ref column, .. } if column == "student_number"));
        assert_eq!(
            Query::parse("Zhang San", &keys).unwrap(),
            Query::Name("zhangsan".into())
        );
        assert!(Query::parse("  ", &keys).is_err());
    }
}
