//! What a page costs, counted in SQL statements (`BEGIN` and `COMMIT` among them, and the
//! session store's): each main page is held to the number it sends on each engine, so that
//! a change that adds queries fails here and not in a benchmark nobody runs. A change that
//! takes statements away updates the figures (docs/PERFORMANCE.md keeps them).

use app::domain::Role;
use reqwest::Client;

use crate::{
    fixtures::{Student, enter_student},
    helpers::{TestApp, spawn_app_configured},
    requests::school_with,
};

/// The fewest statements of three loads of `path` by `client`: background work on the same
/// pool (held off for the test: the witness and the sweeper look once an hour, after their
/// first look at start) can only add to a load, never take from it.
async fn cost(app: &TestApp, client: &Client, path: &str) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = app.pool.statements().total();
        let (status, _) = app.page(client, path).await;
        assert_eq!(status, 200, "{path}");
        fewest = fewest.min(app.pool.statements().total() - before);
    }
    fewest
}

/// A school whose background work (the witness, the sweeper) looks once an hour, after its
/// first look at start: the statements counted are the pages' own.
async fn quiet_school() -> crate::requests::School {
    school_with(
        spawn_app_configured(
            |_| {},
            |settings| {
                settings.witness_interval = std::time::Duration::from_secs(3600);
                settings.sweep_interval = std::time::Duration::from_secs(3600);
            },
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn each_main_page_sends_the_statements_it_is_budgeted() {
    let s = quiet_school().await;
    // A class of five: a page whose statements grow with its rows shows here.
    for (n, name) in [(8, "李明"), (9, "赵华"), (10, "孙丽"), (11, "周强")] {
        let mut student = Student::numbered(n);
        student.name = name.into();
        enter_student(&s.app, &s.teacher, &s.class, &student).await;
    }
    let release = s.released(&["phone"]).await;
    let searched = s
        .app
        .call_as(&s.records, "/api/records/search", &[("query", "wxm")])
        .await;
    assert_eq!(searched.status(), 200);
    let pages: [(&str, &Client, String); 8] = [
        (
            "roster",
            &s.teacher,
            format!("/records/classes/{}", s.class),
        ),
        (
            "student",
            &s.teacher,
            format!("/records/students/{}", s.student),
        ),
        ("search", &s.records, "/records/search".into()),
        ("queue", &s.records, "/records/queue".into()),
        ("requests", &s.requester, "/requests".into()),
        // A leader's home: the to-do list and the school's figures by grade.
        ("leader home", &s.leader, "/".into()),
        ("problem records", &s.records, "/records/problems".into()),
        (
            "release",
            &s.requester,
            format!("/requests/{release}/release"),
        ),
    ];
    let mut measured = Vec::new();
    for (page, client, path) in &pages {
        measured.push((*page, cost(&s.app, client, path).await));
    }
    // A reload of an opening (the page refreshes itself with its opening's id) writes
    // nothing: no BEGIN of a write, no entry.
    let (_, html) = s
        .app
        .page(&s.requester, &format!("/requests/{release}/release"))
        .await;
    let opening = html
        .split("release?opening=")
        .nth(1)
        .map(|rest| &rest[..32])
        .expect("the release page refreshes with its opening");
    let entries = s.app.audit_actions().await.len();
    measured.push((
        "release reload",
        cost(
            &s.app,
            &s.requester,
            &format!("/requests/{release}/release?opening={opening}"),
        )
        .await,
    ));
    assert_eq!(
        s.app.audit_actions().await.len(),
        entries,
        "a reload writes no entry"
    );
    let budget: &[(&str, u64)] = match s.app.pool.engine() {
        // The student page wrote the session back on every view (a removal marks it changed,
        // found or not: 12 statements, and on SQLite an fsync) until it asked first.
        app::db::Engine::Sqlite => &[
            ("roster", 8),
            ("student", 11),
            ("search", 8),
            ("queue", 8),
            ("requests", 5),
            ("leader home", 35),
            ("problem records", 15),
            ("release", 19),
            ("release reload", 15),
        ],
        // An opening writes its disclosure: on PostgreSQL a write takes the lock row.
        app::db::Engine::Postgres => &[
            ("roster", 8),
            ("student", 11),
            ("search", 8),
            ("queue", 8),
            ("requests", 5),
            ("leader home", 35),
            ("problem records", 15),
            ("release", 20),
            ("release reload", 15),
        ],
    };
    assert_eq!(
        measured,
        budget,
        "statements per page on {:?}: a page that sends more was given work it did not have \
         (read it once per request, or in the statement that reads the rest); one that sends \
         fewer lowers its budget here",
        s.app.pool.engine()
    );
}

/// A leader's home asks the access rule about every role grant and every text waiting for a
/// decision (in its to-do list and in its header), from the same reads however many wait:
/// three of each cost what one of each costs. Each grant used to cost a count of the leading
/// group's other members, and each text a second read of itself and that count, in both
/// places.
#[tokio::test]
async fn a_leaders_home_costs_the_same_however_many_decisions_wait() {
    let s = quiet_school().await;
    // With a leading group, an administrator's privileged grant waits for its decision.
    s.app.create_user("zhou", &[Role::LeadingGroup]).await;
    let admin = s.app.signed_in("admin", &[Role::SystemAdmin]).await;
    let mut costs = Vec::new();
    for name in ["wu", "qian", "feng"] {
        let id = s
            .app
            .create_user(name, &[Role::HomeroomTeacher])
            .await
            .to_string();
        let proposed = s
            .app
            .call_as(
                &admin,
                "/api/admin/accounts/grant",
                &[("user_id", id.as_str()), ("role", "records_admin")],
            )
            .await;
        assert_eq!(proposed.status(), 200, "{name}");
        let submitted = s
            .app
            .call_as(
                &s.requester,
                "/api/publications/save",
                &[
                    ("publication[id]", ""),
                    ("publication[title]", "关于期中家长会的通知"),
                    ("publication[channel]", "parents_group"),
                    (
                        "publication[body]",
                        "本周五下午三点召开期中家长会，请各位家长准时参加。",
                    ),
                    ("publication[responsible]", "1"),
                    ("then_submit", "1"),
                ],
            )
            .await;
        assert_eq!(submitted.status(), 200, "{name}'s text");
        costs.push(cost(&s.app, &s.leader, "/").await);
    }
    let (grants, texts): (i64, i64) = app::db::query_as(
        "SELECT (SELECT COUNT(*) FROM role_grant_requests WHERE decision IS NULL), \
         (SELECT COUNT(*) FROM publication_reviews WHERE state = 'submitted')",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(grants, 3, "each grant waits for the leading group");
    assert_eq!(texts, 3, "each text waits for the leading group");
    assert_eq!(
        costs[0], costs[2],
        "statements of the leader's home with one, two and three grants and texts waiting: {costs:?}"
    );
}
