//! The portal's health, as the status panel and `/healthz` report it.

use crate::db::Pool;
use chrono_tz::Tz;

use crate::{
    clock::Clock, errors::AppError, features::status::store as system,
    features::status::views::SystemStatus, i18n::TIMESTAMP_FORMAT,
};

pub async fn status(
    pool: &Pool,
    clock: &dyn Clock,
    timezone: Tz,
) -> Result<SystemStatus, AppError> {
    let migrations = system::migration_state(pool).await?;
    let journal_mode = system::journal_mode(pool).await?;
    let installed_at = system::installed_at(pool).await?;
    let free = crate::db::file_of(pool)
        .await?
        .and_then(|f| crate::db::free_bytes(&f));
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&timezone)
            .format(TIMESTAMP_FORMAT)
            .to_string()
    };
    Ok(SystemStatus {
        migration_version: migrations.latest_version,
        migrations_applied: migrations.applied,
        journal_mode,
        installed_at: local(installed_at),
        checked_at: local(clock.now()),
        timezone: timezone.name().to_owned(),
        disk_free_mib: free.map(|b| b / (1024 * 1024)),
        disk_full: free.is_some_and(|b| b < crate::db::DISK_RESERVE),
    })
}

/// What waits for `actor`, by role, the longest-waiting first: records to verify and
/// requests to release (a records administrator), records returned, drafts and imported rows
/// to complete (a homeroom teacher), requests, destruction batches, handovers, texts and role
/// grants to decide (a leader, the leading group), leak reports to acknowledge, and news of
/// one's own requests. Counts and opaque ids only.
pub async fn todo(
    cx: &crate::kit::context::Context<'_>,
    actor: &crate::domain::Actor,
) -> Result<Vec<crate::features::status::views::TodoItem>, AppError> {
    use crate::{
        domain::Role,
        features::{changes, handovers, leaks, publications, records, requests, retention},
        kit::workflow::QueueHead,
    };
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let mut items: Vec<(
        Option<chrono::DateTime<chrono::Utc>>,
        crate::features::status::views::TodoItem,
    )> = Vec::new();
    let mut add = |what: &str, head: QueueHead, href: &dyn Fn(Option<String>) -> String| {
        if head.count > 0 {
            items.push((
                head.since,
                crate::features::status::views::TodoItem {
                    what: what.to_owned(),
                    count: head.count,
                    since: head.since.map(|t| cx.local(Some(t))),
                    href: href(head.first),
                },
            ));
        }
    };
    let to = |page: &'static str| move |_: Option<String>| page.to_owned();
    if actor.has(Role::RecordsAdmin) {
        let queue = records::store::queue_by_class(&mut conn).await?;
        let head = QueueHead {
            count: queue.iter().map(|(_, n, _)| n).sum(),
            since: queue.iter().filter_map(|(_, _, t)| *t).min(),
            first: records::store::review_queue(&mut conn, 1, 0)
                .await?
                .into_iter()
                .next()
                .map(|q| q.1),
        };
        add("verify", head, &|first| match first {
            Some(id) => format!("/records/students/{id}"),
            None => "/records/queue".into(),
        });
        let release =
            requests::store::oldest_waiting(&mut conn, actor.id, "approved", cx.now).await?;
        add("release", release, &|first| match first {
            Some(id) => format!("/requests/{id}"),
            None => "/requests".into(),
        });
    }
    if actor.has(Role::HomeroomTeacher) {
        let returned = records::store::returned_to(&mut conn, actor.id).await?;
        add("returned", returned, &|first| match first {
            Some(id) => format!("/records/students/{id}"),
            None => "/records".into(),
        });
        let imported = records::store::imported_waiting(&mut conn, actor.id).await?;
        add("complete", imported, &|first| {
            // `class:<class>:<draft>`: the class's page lists them.
            match first.as_deref().and_then(|t| t.split(':').nth(1)) {
                Some(class) => format!("/records/classes/{class}"),
                None => "/records".into(),
            }
        });
        let drafts = records::store::drafts_of(&mut conn, actor.id).await?;
        add("drafts", drafts, &|class| match class {
            Some(class) => format!("/records/classes/{class}?state=draft"),
            None => "/records".into(),
        });
    }
    if actor.has(Role::Leader) {
        let decide =
            requests::store::oldest_waiting(&mut conn, actor.id, "requested", cx.now).await?;
        add("decide_requests", decide, &|first| match first {
            Some(id) => format!("/requests/{id}"),
            None => "/requests".into(),
        });
        let changes = changes::store::oldest_to_decide(&mut conn, actor.id).await?;
        add("decide_changes", changes, &|first| match first {
            Some(id) => format!("/changes/{id}"),
            None => "/changes".into(),
        });
        let batches = retention::store::waiting_for_decision(&mut conn, actor.id).await?;
        add("decide_destructions", batches, &|first| match first {
            Some(id) => format!("/destructions/{id}"),
            None => "/destructions".into(),
        });
    }
    // Applications past their 10 working days, for those who file and those who decide.
    if actor.has(Role::Leader) || actor.has(Role::RecordsAdmin) {
        let n = changes::service::overdue_count(&mut conn, cx).await?;
        add("changes_overdue", QueueHead::count(n), &to("/changes"));
    }
    if actor.has(Role::Leader) || actor.has(Role::LeadingGroup) {
        let n = handovers::service::to_decide(&mut conn, actor).await?;
        add("decide_handovers", QueueHead::count(n), &to("/handovers"));
        let n = publications::service::to_decide(&mut conn, actor).await?;
        add(
            "decide_publications",
            QueueHead::count(n),
            &to("/publications"),
        );
    }
    drop(conn);
    if actor.has(Role::Leader) || actor.has(Role::LeadingGroup) {
        let n = crate::features::grants::service::waiting_for(cx.pool, actor).await?;
        add(
            "decide_grants",
            QueueHead::count(n),
            &to("/admin/role-grants"),
        );
    }
    let n = leaks::service::unacknowledged(cx, actor).await?;
    add("leaks", QueueHead::count(n), &to("/leaks"));
    let news = requests::service::waiting(cx.pool, actor).await?.changed;
    add("request_news", QueueHead::count(news), &to("/requests"));
    // The longest-waiting first; what has no time of its own after.
    items.sort_by_key(|(since, _)| (since.is_none(), *since));
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// How many records wait for `actor` (the header's count beside 学籍): to verify (a records
/// administrator), returned or imported to complete (a homeroom teacher), destruction
/// batches to decide (a leader).
pub async fn records_waiting(
    pool: &crate::db::Pool,
    actor: &crate::domain::Actor,
) -> Result<i64, AppError> {
    use crate::{
        domain::Role,
        features::{records, retention},
    };
    let mut conn = pool.acquire().await?;
    let mut n = 0;
    if actor.has(Role::RecordsAdmin) {
        n += records::store::queue_length(&mut conn).await?;
    }
    if actor.has(Role::HomeroomTeacher) {
        n += records::store::returned_to(&mut conn, actor.id)
            .await?
            .count;
        n += records::store::imported_waiting(&mut conn, actor.id)
            .await?
            .count;
    }
    if actor.has(Role::Leader) {
        n += retention::store::waiting_for_decision(&mut conn, actor.id)
            .await?
            .count;
    }
    Ok(n)
}

/// The header's counts for `actor` (each only where the link's own page would let them see
/// it): every count that is a tally in one statement; a leader's and the leading group's
/// decisions, which the access rule decides object by object, in reads of their own.
pub async fn header(
    pool: &crate::db::Pool,
    actor: &crate::domain::Actor,
) -> Result<crate::features::status::views::HeaderCounts, AppError> {
    use crate::{
        domain::{
            Role,
            access::{Action, Navigation, Resource, permits},
        },
        features::{changes, handovers, publications, records, requests, retention},
        kit::workflow::{Tally, notices::unread_tally, tally},
    };
    #[derive(Clone, Copy)]
    enum Into {
        Records,
        Decide,
        Fulfil,
        RequestNews,
        Publications,
        Handovers,
        Changes,
    }
    let may = |action| permits(Some(actor), action, Resource::Nothing);
    let nav = Navigation::of(actor);
    let mut asked: Vec<(Into, Tally)> = Vec::new();
    // Each link's count only where the link is shown, and as its own page's rule allows.
    if nav.records
        && permits(
            Some(actor),
            Action::ReadOwnNotices,
            Resource::User(actor.id),
        )
    {
        if actor.has(Role::RecordsAdmin) {
            asked.push((Into::Records, records::store::QUEUE_TALLY));
        }
        if actor.has(Role::HomeroomTeacher) {
            asked.push((Into::Records, records::store::RETURNED_TALLY));
            asked.push((Into::Records, records::store::IMPORTED_TALLY));
        }
        if actor.has(Role::Leader) {
            asked.push((Into::Records, retention::store::TO_DECIDE_TALLY));
        }
    }
    let files_requests = may(Action::FileRequest);
    if files_requests {
        if actor.has(Role::Leader) {
            asked.push((Into::Decide, requests::store::DECIDE_TALLY));
        }
        if actor.has(Role::RecordsAdmin) {
            asked.push((Into::Fulfil, requests::store::FULFIL_TALLY));
        }
        asked.push((
            Into::RequestNews,
            unread_tally(requests::service::REQUESTS.name),
        ));
    }
    let writes = may(Action::WritePublication);
    if writes {
        asked.push((
            Into::Publications,
            unread_tally(publications::service::REVIEWS.name),
        ));
    }
    let views_handovers = nav.handovers && may(Action::ViewHandovers);
    if views_handovers {
        asked.push((
            Into::Handovers,
            unread_tally(handovers::service::HANDOVERS.name),
        ));
    }
    if nav.changes {
        if actor.has(Role::Leader) {
            asked.push((Into::Changes, changes::store::TO_DECIDE_TALLY));
        }
        asked.push((Into::Changes, unread_tally(changes::service::CHANGES.name)));
    }
    let tallies: Vec<&Tally> = asked.iter().map(|(_, t)| t).collect();
    let mut conn = pool.acquire().await?;
    let counts = tally(&mut conn, actor.id, &tallies).await?;
    let mut header = crate::features::status::views::HeaderCounts::default();
    for ((into, _), n) in asked.iter().zip(counts) {
        match into {
            Into::Records => header.records += n,
            Into::Decide => header.requests.decide += n,
            Into::Fulfil => header.requests.fulfil += n,
            Into::RequestNews => header.requests.changed += n,
            Into::Publications => header.publications += n,
            Into::Handovers => header.handovers += n,
            Into::Changes => header.changes += n,
        }
    }
    drop(conn);
    // What only the access rule can count, object by object: the leading group's and the
    // leaders' decisions.
    if actor.has(Role::Leader) || actor.has(Role::LeadingGroup) {
        let mut conn = crate::db::begin_read(pool).await?;
        if writes {
            header.publications += publications::service::to_decide(&mut conn, actor).await?;
        }
        if views_handovers {
            header.handovers += handovers::service::to_decide(&mut conn, actor).await?;
        }
    }
    if nav.role_grants && may(Action::ReviewRoleGrants) {
        header.role_grants = crate::features::grants::service::waiting_for(pool, actor).await?;
    }
    Ok(header)
}
