//! Information requests and releases, through the server as a browser and a JSON client meet
//! them: every transition and every refusal, the window on the clock, 绝密 by network.

use app::domain::Role;
use reqwest::Client;
use serde_json::Value;

use crate::{
    fixtures::{Student, enter_student, seed_class},
    helpers::{TestApp, spawn_app, spawn_app_configured},
};

/// A school with one student in 1班 (its teacher `wang`), a teacher of another class
/// (`li`, who files), two leaders, two records administrators, and someone who is both a
/// leader and a records administrator.
pub(crate) struct School {
    pub(crate) app: TestApp,
    pub(crate) student: String,
    /// The student's class (its public id).
    pub(crate) class: String,
    pub(crate) teacher: Client,
    pub(crate) requester: Client,
    pub(crate) leader: Client,
    pub(crate) other_leader: Client,
    pub(crate) records: Client,
    pub(crate) other_records: Client,
    pub(crate) both: Client,
}

pub(crate) async fn school_with(app: TestApp) -> School {
    let wang = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(7)).await;
    let requester = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let leader = app.signed_in("zhang", &[Role::Leader]).await;
    let other_leader = app.signed_in("zhao", &[Role::Leader]).await;
    let records = app.signed_in("chen", &[Role::RecordsAdmin]).await;
    let other_records = app.signed_in("liu", &[Role::RecordsAdmin]).await;
    let both = app
        .signed_in("sun", &[Role::Leader, Role::RecordsAdmin])
        .await;
    School {
        app,
        student,
        class,
        teacher,
        requester,
        leader,
        other_leader,
        records,
        other_records,
        both,
    }
}

pub(crate) async fn school() -> School {
    school_with(spawn_app().await).await
}

const REASON: &str = "联系家长商量期中考试后的课后辅导安排";

impl School {
    async fn status(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> u16 {
        self.app.call_as(client, path, form).await.status().as_u16()
    }

    /// `client` ends the release `id` early, for a reason.
    async fn revoke(&self, client: &Client, id: &str) -> u16 {
        self.status(
            client,
            "/api/requests/revoke",
            &[("request_id", id), ("reason", "用途已经完成")],
        )
        .await
    }

    /// `client` names the student (the whole name in the class) to the picker.
    pub(crate) async fn pick(&self, client: &Client) {
        let response = self
            .app
            .call_as(
                client,
                "/api/requests/pick/confirm",
                &[("name", "王小明"), ("class_id", &self.class)],
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    /// `client` picks the student and files a request for `fields` (home contact, 24 h).
    pub(crate) async fn file(&self, client: &Client, fields: &[&str]) -> String {
        self.pick(client).await;
        let mut form = vec![
            ("filing[purpose]", "home_contact"),
            ("filing[reason]", REASON),
            ("filing[window_hours]", "24"),
        ];
        for f in fields {
            form.push(("filing[fields][]", f));
        }
        let response = self.app.call_as(client, "/api/requests/file", &form).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        app::db::query_scalar("SELECT public_id FROM info_requests ORDER BY id DESC LIMIT 1")
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn decide(&self, client: &Client, id: &str, extra: &[(&str, &str)]) -> u16 {
        let mut form = vec![("request_id", id)];
        form.extend_from_slice(extra);
        self.status(client, "/api/requests/decide", &form).await
    }

    pub(crate) async fn approve(
        &self,
        client: &Client,
        id: &str,
        fields: &[&str],
        window: &str,
    ) -> u16 {
        let mut form = vec![
            ("decision", "approve"),
            ("students[]", self.student.as_str()),
            ("window_hours", window),
        ];
        for f in fields {
            form.push(("fields[]", f));
        }
        self.decide(client, id, &form).await
    }

    pub(crate) async fn fulfil(&self, client: &Client, id: &str, fields: &[&str]) -> u16 {
        let mut form = vec![("request_id", id), ("students[]", self.student.as_str())];
        for f in fields {
            form.push(("fields[]", f));
        }
        self.status(client, "/api/requests/fulfil", &form).await
    }

    async fn open(&self, client: &Client, id: &str) -> Value {
        self.app
            .json(client, "/api/requests/release", &[("request_id", id)])
            .await
    }

    /// Signs `li` and `zhang` in again (after the clock moved past their sessions).
    async fn sign_in_again(&self) {
        for (client, username) in [(&self.requester, "li"), (&self.leader, "zhang")] {
            let response = self
                .app
                .sign_in_with(client, username, crate::helpers::PASSWORD)
                .await;
            assert_eq!(response.status(), 200);
        }
    }

    pub(crate) async fn state(&self, id: &str) -> String {
        app::db::query_scalar("SELECT state FROM info_requests WHERE public_id = $1")
            .bind(id)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    /// A request filed by `li`, approved by `zhang` for `fields`, released by `chen`.
    pub(crate) async fn released(&self, fields: &[&str]) -> String {
        let id = self.file(&self.requester, fields).await;
        assert_eq!(self.approve(&self.leader, &id, fields, "24").await, 200);
        assert_eq!(self.fulfil(&self.records, &id, fields).await, 200);
        id
    }
}

fn live(page: &Value) -> &Value {
    page.get("Live")
        .unwrap_or_else(|| panic!("not live: {page}"))
}

fn not_live(page: &Value) -> String {
    page["NotLive"]["state"]
        .as_str()
        .unwrap_or_else(|| panic!("live: {page}"))
        .to_owned()
}

#[tokio::test]
async fn a_request_is_filed_narrowed_released_read_and_closed() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone", "guardian.phone"]).await;
    assert_eq!(s.state(&id).await, "requested");
    let waiting = s.app.json(&s.leader, "/api/requests", &[]).await;
    let listed = &waiting["awaiting_decision"][0];
    // The family members' phones come with their relation (whose phone it is).
    assert_eq!(
        (listed["students"].as_i64(), listed["fields"].as_i64()),
        (Some(1), Some(3))
    );
    // The leader strikes the family members' phones and shortens the window.
    assert_eq!(s.approve(&s.leader, &id, &["phone"], "12").await, 200);
    assert_eq!(s.state(&id).await, "approved");
    // The lists say what was approved now, not what was asked.
    let mine = s.app.json(&s.requester, "/api/requests", &[]).await;
    assert_eq!(mine["filed"][0]["fields"].as_i64(), Some(1), "{mine}");
    // Before the release there is nothing to read.
    assert_eq!(not_live(&s.open(&s.requester, &id).await), "approved");
    assert_eq!(s.fulfil(&s.records, &id, &["phone"]).await, 200);

    let page = s.open(&s.requester, &id).await;
    let release = live(&page);
    let student = Student::numbered(7);
    let text = release.to_string();
    assert!(text.contains(&student.phone), "{text}");
    assert!(!text.contains(&student.guardian_phone), "{text}");
    assert!(!text.contains(&student.id_number), "{text}");
    assert!(release["watermark"].as_str().unwrap().contains("(li)"));
    // The window starts at the release and is the approved 12 hours.
    let secs = release["ends_in_secs"].as_i64().unwrap();
    assert_eq!(secs, 12 * 3600);

    // The page itself: no-store, watermarked, reloading itself.
    let response = s
        .requester
        .get(s.app.url(&format!("/requests/{id}/release")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains(&student.phone));
    assert!(html.contains("data-testid=\"watermark\""));
    assert!(html.contains("http-equiv=\"refresh\""), "{html}");

    // Two openings so far, each a disclosure with its audit entry.
    let openings: i64 = app::db::query_scalar("SELECT COUNT(*) FROM disclosures")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(openings, 2);

    assert_eq!(
        s.status(&s.requester, "/api/requests/close", &[("request_id", &id)])
            .await,
        200
    );
    assert_eq!(not_live(&s.open(&s.requester, &id).await), "closed");
    let html = s
        .app
        .page(&s.requester, &format!("/requests/{id}/release"))
        .await
        .1;
    assert!(!html.contains(&student.phone));

    let actions: Vec<String> = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .filter(|a| a.starts_with("info_request."))
        .collect();
    assert_eq!(
        actions,
        [
            "info_request.student_confirmed",
            "info_request.filed",
            "info_request.approved",
            "info_request.fulfilled",
            "info_request.opened",
            "info_request.opened",
            "info_request.closed",
        ]
    );
    // The approval says what it struck; the openings say why and on whose approval.
    let (details, reason): (String, String) = app::db::query_as(
        "SELECT details, reason FROM audit_log WHERE action = 'info_request.approved'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert!(
        details.contains("\"struck_fields\":[\"guardian.phone\",\"guardian.relation\"]"),
        "{details}"
    );
    assert_eq!(reason, "purpose:home_contact");
    let reason: String = app::db::query_scalar(
        "SELECT reason FROM audit_log WHERE action = 'info_request.opened' LIMIT 1",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert!(
        reason.starts_with("purpose:home_contact;approval:"),
        "{reason}"
    );
}

#[tokio::test]
async fn filing_refuses_what_says_nothing_and_outside_parties_without_a_letter() {
    let s = school().await;
    s.pick(&s.requester).await;
    let refused = |form: Vec<(&'static str, &'static str)>| {
        let s = &s;
        async move {
            let response = s
                .app
                .call_as(&s.requester, "/api/requests/file", &form)
                .await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body.to_string())
        }
    };
    let (status, body) = refused(vec![
        ("filing[purpose]", "home_contact"),
        ("filing[reason]", "."),
        ("filing[fields][]", "phone"),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("request.reason_short"), "{body}");
    let (status, body) = refused(vec![
        ("filing[purpose]", "police"),
        ("filing[reason]", REASON),
        ("filing[outside_party]", "城东派出所"),
        ("filing[fields][]", "phone"),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("request.letter_required"), "{body}");
    let (status, body) = refused(vec![
        ("filing[purpose]", "home_contact"),
        ("filing[reason]", REASON),
        ("filing[window_hours]", "73"),
        ("filing[fields][]", "phone"),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("request.window"), "{body}");
    let filed: i64 = app::db::query_scalar("SELECT COUNT(*) FROM info_requests")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(filed, 0, "a refused filing changes nothing");

    // Nothing typed is lost: the form comes back as the last refused filing had it (bounded,
    // requestable fields only), and once filed it is empty again.
    let long = "理".repeat(600);
    let form = vec![
        ("filing[purpose]", "home_contact"),
        ("filing[reason]", long.as_str()),
        ("filing[window_hours]", "12"),
        ("filing[fields][]", "phone"),
        ("filing[fields][]", "no_such_field"),
        ("filing[fields][]", "address"),
    ];
    let response = s
        .app
        .call_as(&s.requester, "/api/requests/file", &form)
        .await;
    assert_eq!(response.status(), 400);
    let draft = &s.app.json(&s.requester, "/api/requests/new", &[]).await["draft"];
    assert_eq!(draft["purpose"], "home_contact");
    assert_eq!(draft["window_hours"], "12");
    assert_eq!(draft["reason"].as_str().unwrap().chars().count(), 500);
    assert_eq!(draft["fields"], serde_json::json!(["phone", "address"]));
    s.file(&s.requester, &["phone"]).await;
    let draft = &s.app.json(&s.requester, "/api/requests/new", &[]).await["draft"];
    assert_eq!(draft["reason"], "", "{draft}");
    assert_eq!(draft["fields"], serde_json::json!([]));
}

#[tokio::test]
async fn requester_approver_and_fulfiller_are_three_people() {
    let s = school().await;
    // A leader's own request: not theirs to approve.
    let own = s.file(&s.leader, &["phone"]).await;
    assert_eq!(s.approve(&s.leader, &own, &["phone"], "24").await, 403);
    // A teacher is no approver, nor a records administrator.
    let id = s.file(&s.requester, &["phone"]).await;
    assert_eq!(s.approve(&s.teacher, &id, &["phone"], "24").await, 403);
    assert_eq!(s.approve(&s.records, &id, &["phone"], "24").await, 403);
    // The approver does not fulfil, even holding the role.
    assert_eq!(s.approve(&s.both, &id, &["phone"], "24").await, 200);
    assert_eq!(s.fulfil(&s.both, &id, &["phone"]).await, 403);
    // A requester who is a records administrator does not fulfil their own.
    let theirs = s.file(&s.records, &["phone"]).await;
    assert_eq!(s.approve(&s.leader, &theirs, &["phone"], "24").await, 200);
    assert_eq!(s.fulfil(&s.records, &theirs, &["phone"]).await, 403);
    assert_eq!(s.fulfil(&s.other_records, &theirs, &["phone"]).await, 200);
    // Nobody but its requester opens a release.
    for other in [&s.leader, &s.requester, &s.teacher, &s.other_records] {
        assert_eq!(
            s.status(other, "/api/requests/release", &[("request_id", &theirs)])
                .await,
            403
        );
    }
    assert!(s.open(&s.records, &theirs).await.get("Live").is_some());
}

#[tokio::test]
async fn an_approval_only_narrows_and_a_release_never_exceeds_it() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone"]).await;
    // Widening: a field that was not asked for, a longer window.
    assert_eq!(
        s.approve(&s.leader, &id, &["phone", "address"], "24").await,
        400
    );
    assert_eq!(s.approve(&s.leader, &id, &["phone"], "48").await, 400);
    // Striking everything is a rejection, which needs a comment.
    assert_eq!(s.approve(&s.leader, &id, &[], "24").await, 400);
    assert_eq!(
        s.decide(&s.leader, &id, &[("decision", "reject")]).await,
        400
    );
    assert_eq!(s.state(&id).await, "requested");
    assert_eq!(s.approve(&s.leader, &id, &["phone"], "24").await, 200);
    // The second leader is told that it was decided.
    let response = s
        .app
        .call_as(
            &s.other_leader,
            "/api/requests/decide",
            &[
                ("request_id", &id),
                ("decision", "reject"),
                ("comment", "不需要"),
            ],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.unwrap().contains("workflow.moved_on"));
    // So is one who rejects it without a reason: that it was decided comes first (the
    // comment is checked against the request's state, after the one check).
    assert_eq!(
        s.decide(&s.other_leader, &id, &[("decision", "reject")])
            .await,
        409
    );
    // More than approved is refused.
    assert_eq!(s.fulfil(&s.records, &id, &["phone", "address"]).await, 400);
    assert_eq!(s.state(&id).await, "approved");
}

#[tokio::test]
async fn a_rejection_with_a_comment_ends_it_and_tells_the_requester() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone"]).await;
    assert_eq!(
        s.decide(
            &s.leader,
            &id,
            &[("decision", "reject"), ("comment", "请通过班主任联系")]
        )
        .await,
        200
    );
    assert_eq!(s.state(&id).await, "rejected");
    let waiting = s.app.json(&s.requester, "/api/requests/waiting", &[]).await;
    assert_eq!(waiting["changed"], 1);
    let header = s.app.json(&s.requester, "/api/header", &[]).await;
    assert_eq!(
        header["requests"], waiting,
        "the header's one read says the same"
    );
    // Reading the request marks it read.
    let view = s
        .app
        .json(
            &s.requester,
            "/api/requests/request",
            &[("request_id", &id)],
        )
        .await;
    assert_eq!(view["decision_comment"], "请通过班主任联系");
    let waiting = s.app.json(&s.requester, "/api/requests/waiting", &[]).await;
    assert_eq!(waiting["changed"], 0);
}

#[tokio::test]
async fn the_window_runs_out_and_undecided_requests_lapse() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    assert!(s.open(&s.requester, &id).await.get("Live").is_some());
    s.app.clock.advance(chrono::Duration::hours(24));
    s.sign_in_again().await;
    // Checked on the request itself, before any sweeper ran.
    assert_eq!(not_live(&s.open(&s.requester, &id).await), "expired");
    assert_eq!(s.state(&id).await, "expired");

    let undecided = s.file(&s.requester, &["phone"]).await;
    s.app.clock.advance(chrono::Duration::days(7));
    s.sign_in_again().await;
    assert_eq!(
        s.app
            .call_as(
                &s.leader,
                "/api/requests/decide",
                &[
                    ("request_id", &undecided),
                    ("decision", "approve"),
                    ("students[]", &s.student),
                    ("fields[]", "phone"),
                ]
            )
            .await
            .status(),
        409
    );
    assert_eq!(s.state(&undecided).await, "lapsed");
}

/// An approval nobody releases lapses after 7 days, so that it does not hold its students
/// from destruction for ever; the lists show it ended without writing anything themselves.
#[tokio::test]
async fn an_approval_nobody_releases_lapses_and_lists_show_it_without_a_write() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone"]).await;
    assert_eq!(s.approve(&s.leader, &id, &["phone"], "24").await, 200);
    s.app.clock.advance(chrono::Duration::days(6));
    s.sign_in_again().await;
    assert_eq!(s.state(&id).await, "approved", "still within its week");
    s.app.clock.advance(chrono::Duration::days(2));
    s.sign_in_again().await;
    let entries = || async {
        app::db::query_scalar::<i64>("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&s.app.pool)
            .await
            .unwrap()
    };
    // The requester's list shows it lapsed; the list wrote nothing (no sweep in a view).
    let before = entries().await;
    let home = s.app.json(&s.requester, "/api/requests", &[]).await;
    assert_eq!(entries().await, before, "a list view writes nothing");
    assert_eq!(s.state(&id).await, "approved", "not swept by the view");
    let shown = home["filed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(shown["state"], "lapsed", "{shown}");
    // The step on it ends it for good; a release is refused.
    s.app
        .sign_in_with(&s.records, "chen", crate::helpers::PASSWORD)
        .await;
    assert_eq!(s.fulfil(&s.records, &id, &["phone"]).await, 409);
    assert_eq!(s.state(&id).await, "lapsed");
}

/// A page left open reloads itself every minute: each reload carries its opening and is that
/// opening, not another disclosure; opening the page again is a new one.
#[tokio::test]
async fn a_release_left_open_is_one_disclosure_however_often_it_reloads() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    let first = s.open(&s.requester, &id).await;
    let opening = live(&first)["opening"].as_str().unwrap().to_owned();
    assert_eq!(opening.len(), 32);
    let (_, html) = s
        .app
        .page(&s.requester, &format!("/requests/{id}/release"))
        .await;
    assert!(html.contains("?opening="), "the reload carries its opening");
    let disclosures = || async {
        app::db::query_scalar::<i64>("SELECT COUNT(*) FROM disclosures")
            .fetch_one(&s.app.pool)
            .await
            .unwrap()
    };
    let counted = disclosures().await;
    for _ in 0..5 {
        s.app.clock.advance(chrono::Duration::seconds(60));
        let again = s
            .app
            .json(
                &s.requester,
                "/api/requests/release",
                &[("request_id", &id), ("opening", &opening)],
            )
            .await;
        assert_eq!(live(&again)["opening"], opening.as_str());
    }
    assert_eq!(disclosures().await, counted, "reloads are the same opening");
    // Another's opening id, or a made-up one, is no opening of this viewer's: a new one.
    let made_up = "0".repeat(32);
    let other = s
        .app
        .json(
            &s.requester,
            "/api/requests/release",
            &[("request_id", &id), ("opening", &made_up)],
        )
        .await;
    assert_ne!(live(&other)["opening"], made_up.as_str());
    assert_eq!(disclosures().await, counted + 1);
}

/// A destroyed student stays in the requests that named them, said to be destroyed, and the
/// register of who saw their data still opens.
#[tokio::test]
async fn a_destroyed_students_requests_and_register_stay_readable() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    assert_eq!(
        s.status(&s.requester, "/api/requests/close", &[("request_id", &id)])
            .await,
        200
    );
    let student_id: i64 = app::db::query_scalar("SELECT id FROM students WHERE public_id = $1")
        .bind(&s.student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    // Destroyed as an approved batch leaves it (the batch journey has its own test).
    app::db::query(
        "UPDATE students SET name = '', sealed = $3, left_at = $1, left_reason = 'other', \
         left_recorded_at = $1, destroyed_at = $1, birth_date = NULL WHERE id = $2",
    )
    .bind(app::clock::Clock::now(s.app.clock.as_ref()))
    .bind(student_id)
    .bind(Vec::<u8>::new())
    .execute(&s.app.pool)
    .await
    .unwrap();
    let view = s
        .app
        .json(&s.leader, "/api/requests/request", &[("request_id", &id)])
        .await;
    assert_eq!(
        view["students"][0]["student"]["name"], "（学籍已销毁）",
        "{view}"
    );
    let register = s
        .app
        .call_as(
            &s.leader,
            "/api/requests/register/student",
            &[("student_id", s.student.as_str())],
        )
        .await;
    assert_eq!(register.status(), 200);
    let register: Value = register.json().await.unwrap();
    assert_eq!(register["student"]["name"], "（学籍已销毁）");
    assert_eq!(
        register["entries"].as_array().unwrap().len(),
        1,
        "{register}"
    );
}

#[tokio::test]
async fn the_sweeper_ends_what_ran_out_once_however_many_sweep() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    let undecided = s.file(&s.requester, &["phone"]).await;
    s.app.clock.advance(chrono::Duration::days(8));
    let key = app::kit::audit::chain::AuditKey::from_bytes(
        server::keys::audit_bytes(&s.app.settings.key_file).unwrap(),
    );
    let sweeps: &[app::kit::sweeper::Sweep] = &[app::features::requests::service::SWEEP];
    let now = app::clock::Clock::now(s.app.clock.as_ref());
    let (a, b) = tokio::join!(
        app::kit::sweeper::sweep_once(&s.app.pool, &key, now, sweeps),
        app::kit::sweeper::sweep_once(&s.app.pool, &key, now, sweeps),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(s.state(&id).await, "expired");
    assert_eq!(s.state(&undecided).await, "lapsed");
    let ends: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('info_request.expired', 'info_request.lapsed')",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(ends, 2);
}

/// A round that finds nothing due takes no write lock: while a page's write transaction
/// holds it, the sweeper's round ends at once (it used to wait for the lock).
#[tokio::test]
async fn a_sweep_with_nothing_due_waits_for_no_write_lock() {
    let s = school().await;
    // A live release and an undecided request: neither has run out.
    s.released(&["phone"]).await;
    s.file(&s.requester, &["phone"]).await;
    let key = app::kit::audit::chain::AuditKey::from_bytes(
        server::keys::audit_bytes(&s.app.settings.key_file).unwrap(),
    );
    let now = app::clock::Clock::now(s.app.clock.as_ref());
    let writing = app::db::begin_write(&s.app.pool).await.unwrap();
    let round = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        app::kit::sweeper::sweep_once(
            &s.app.pool,
            &key,
            now,
            &[app::features::requests::service::SWEEP],
        ),
    )
    .await
    .expect("the round waited for the write lock");
    assert_eq!(round.unwrap(), 0);
    writing.rollback().await.unwrap();
}

/// Several instances on one database share out background work by leases: while another
/// instance holds the sweeper's lease this one ends nothing, and once that lease has run out
/// (its holder stopped) this one takes the job over and ends what ran out.
#[tokio::test]
async fn the_sweeper_runs_only_where_its_lease_is_held() {
    let s = school_with(
        crate::helpers::spawn_app_configured(
            |_| {},
            |settings| settings.sweep_interval = std::time::Duration::from_millis(100),
        )
        .await,
    )
    .await;
    let id = s.released(&["phone"]).await;
    let now = app::clock::Clock::now(s.app.clock.as_ref());
    let hold = |until: chrono::DateTime<chrono::Utc>| {
        let pool = s.app.pool.clone();
        async move {
            app::db::query(
                "INSERT INTO background_leases (name, holder, held_until) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                     held_until = excluded.held_until",
            )
            .bind("sweeper")
            .bind("another instance")
            .bind(until)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    hold(now + chrono::Duration::days(30)).await;
    s.app.clock.advance(chrono::Duration::days(8));
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        s.state(&id).await,
        "released",
        "swept under another's lease"
    );

    hold(now).await;
    let mut state = String::new();
    for _ in 0..50 {
        state = s.state(&id).await;
        if state == "expired" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        state, "expired",
        "the lease that ran out was not taken over"
    );
    let holder: String =
        app::db::query_scalar("SELECT holder FROM background_leases WHERE name = 'sweeper'")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_ne!(holder, "another instance");
}

/// An opening reads its values in a reading transaction, whose snapshot may be older than a
/// revocation: a release revoked while they are read shows nothing, neither to a first
/// opening (its write finds it revoked) nor to a reload (a read after the snapshot does),
/// and no disclosure is written.
#[tokio::test]
async fn a_release_revoked_while_its_values_are_read_shows_nothing() {
    use app::features::requests::{service, store, views::ReleasePage};
    let s = school().await;
    let id = s.released(&["phone"]).await;
    let first = s.open(&s.requester, &id).await;
    let opening = first["Live"]["opening"].as_str().expect("live").to_owned();
    let keys = server::keys::load(&s.app.settings.key_file, &s.app.pool, false)
        .await
        .unwrap();
    let li = app::domain::Actor {
        id: s.app.user_id("li").await,
        username: "li".into(),
        display_name: "li".into(),
        roles: vec![Role::HomeroomTeacher],
        must_change_password: false,
    };
    let cx = app::kit::context::Context {
        pool: &s.app.pool,
        key: &keys.audit,
        data: &keys.data,
        now: app::clock::Clock::now(s.app.clock.as_ref()),
        timezone: s.app.settings.timezone,
        client: Some("127.0.0.1".into()),
    };
    let open = async |tx, row, opening| {
        service::open(
            tx,
            &cx,
            app::i18n::Locale::default(),
            &li,
            row,
            service::OpenAs {
                trusted_network: false,
                opening,
                clock: s.app.clock.as_ref(),
            },
        )
        .await
    };
    let reading = async || {
        let mut tx = app::db::begin_read(&s.app.pool).await.unwrap();
        let row = store::find(&mut tx, &id).await.unwrap().unwrap();
        (tx, row)
    };
    // The control: a reload that nothing overtook is the same opening, live.
    let (tx, row) = reading().await;
    match open(tx, row, Some(opening.as_str())).await.unwrap() {
        ReleasePage::Live(view) => assert_eq!(view.opening, opening),
        other => panic!("a reload on its own: {other:?}"),
    }
    // A student marked 绝密 while an opening read: nothing shown outside the trusted networks.
    let (tx, row) = reading().await;
    let marked = s
        .app
        .call_as(
            &s.records,
            "/api/records/student/classification",
            &[("student_id", s.student.as_str()), ("top_secret", "1")],
        )
        .await;
    assert_eq!(marked.status(), 200);
    let refused = open(tx, row, Some(opening.as_str())).await;
    assert_eq!(
        refused.err().and_then(|e| e.code).as_deref(),
        Some("release_changed")
    );
    // Two openings begin to read before the revocation: a first one and a reload.
    let mut before = Vec::new();
    for _ in 0..2 {
        before.push(reading().await);
    }
    assert_eq!(s.revoke(&s.other_leader, &id).await, 200);
    for ((tx, row), opening) in before.into_iter().zip([None, Some(opening.as_str())]) {
        let page = open(tx, row, opening).await.unwrap();
        assert!(
            matches!(page, ReleasePage::NotLive { .. }),
            "{opening:?} showed a revoked release"
        );
    }
    let disclosures: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM disclosures d JOIN info_requests r ON r.id = d.request_id \
         WHERE r.public_id = $1",
    )
    .bind(&id)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(disclosures, 1, "the first opening's only");
}

#[tokio::test]
async fn a_revoked_release_shows_nothing_and_a_revocation_needs_a_reason() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    assert_eq!(
        s.status(&s.records, "/api/requests/revoke", &[("request_id", &id)])
            .await,
        400
    );
    assert_eq!(
        s.status(
            &s.requester,
            "/api/requests/revoke",
            &[("request_id", &id), ("reason", "不再需要")]
        )
        .await,
        403
    );
    assert_eq!(s.revoke(&s.other_leader, &id).await, 200);
    assert_eq!(not_live(&s.open(&s.requester, &id).await), "revoked");
    let html = s
        .app
        .page(&s.requester, &format!("/requests/{id}/release"))
        .await
        .1;
    assert!(!html.contains(&Student::numbered(7).phone));
}

#[tokio::test]
async fn a_request_is_withdrawn_by_its_requester_only_and_not_after_its_release() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone"]).await;
    assert_eq!(
        s.status(&s.leader, "/api/requests/withdraw", &[("request_id", &id)])
            .await,
        403
    );
    assert_eq!(
        s.status(
            &s.requester,
            "/api/requests/withdraw",
            &[("request_id", &id)]
        )
        .await,
        200
    );
    assert_eq!(s.state(&id).await, "withdrawn");
    let released = s.released(&["phone"]).await;
    assert_eq!(
        s.status(
            &s.requester,
            "/api/requests/withdraw",
            &[("request_id", &released)]
        )
        .await,
        409
    );
}

/// Marks the student's record 绝密 and releases its identity number to `li`.
async fn top_secret_release(s: &School) -> String {
    assert_eq!(
        s.status(
            &s.records,
            "/api/records/student/classification",
            &[("student_id", &s.student), ("top_secret", "1"),]
        )
        .await,
        200
    );
    s.released(&["name", "id_number"]).await
}

#[tokio::test]
async fn top_secret_values_are_withheld_outside_the_trusted_networks() {
    let s = school().await;
    let id = top_secret_release(&s).await;
    let page = s.open(&s.requester, &id).await;
    let release = live(&page);
    assert_eq!(release["withheld"], true);
    assert!(
        !release
            .to_string()
            .contains(&Student::numbered(7).id_number)
    );
    assert!(
        release.to_string().contains("王小明"),
        "ordinary fields are shown"
    );
    // The header is the client's own claim when no proxy is trusted.
    let forged = s
        .requester
        .post(s.app.url("/api/requests/release"))
        .header("origin", &s.app.origin)
        .header("accept", "application/json")
        .header("x-forwarded-for", "127.0.0.1")
        .form(&[("request_id", &id)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!forged.contains(&Student::numbered(7).id_number));
}

#[tokio::test]
async fn top_secret_values_are_shown_inside_them_and_through_a_trusted_proxy_only() {
    let inside = school_with(
        spawn_app_configured(
            |_| {},
            |settings| {
                settings.networks.trusted = app::kit::network::parse_list("127.0.0.0/8").unwrap()
            },
        )
        .await,
    )
    .await;
    let id = top_secret_release(&inside).await;
    let page = inside.open(&inside.requester, &id).await;
    assert_eq!(live(&page)["withheld"], false);
    assert!(page.to_string().contains(&Student::numbered(7).id_number));

    // Behind a proxy: the trusted network is 10.8/16, the proxy 127.0.0.1.
    let proxied = school_with(
        spawn_app_configured(
            |_| {},
            |settings| {
                settings.networks.trusted = app::kit::network::parse_list("10.8.0.0/16").unwrap();
                settings.networks.proxies = app::kit::network::parse_list("127.0.0.1").unwrap();
            },
        )
        .await,
    )
    .await;
    let id = top_secret_release(&proxied).await;
    let through = |from: &'static str| {
        let p = &proxied;
        let id = id.clone();
        async move {
            p.requester
                .post(p.app.url("/api/requests/release"))
                .header("origin", &p.app.origin)
                .header("accept", "application/json")
                .header("x-forwarded-for", from)
                .form(&[("request_id", &id)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let number = Student::numbered(7).id_number;
    assert!(through("10.8.3.4").await.contains(&number));
    assert!(!through("203.0.113.9").await.contains(&number));
    // A forged inner hop does not help: the proxy's nearest hop is the client.
    assert!(!through("10.8.3.4, 203.0.113.9").await.contains(&number));
}

/// The proxy itself lies inside a trusted network (nginx on the school's LAN): whatever the
/// header says that cannot be read, or a first field line that a client forged, never makes
/// the proxy's own address the client's.
#[tokio::test]
async fn a_header_that_cannot_be_read_leaves_the_client_unknown_never_the_proxy() {
    let proxied = school_with(
        spawn_app_configured(
            |_| {},
            |settings| {
                settings.networks.trusted =
                    app::kit::network::parse_list("127.0.0.0/8, 10.8.0.0/16").unwrap();
                settings.networks.proxies = app::kit::network::parse_list("127.0.0.1").unwrap();
            },
        )
        .await,
    )
    .await;
    let id = top_secret_release(&proxied).await;
    let number = Student::numbered(7).id_number;
    let through = |lines: Vec<&'static [u8]>| {
        let p = &proxied;
        let id = id.clone();
        async move {
            let mut request = p
                .requester
                .post(p.app.url("/api/requests/release"))
                .header("origin", &p.app.origin)
                .header("accept", "application/json");
            for line in lines {
                request = request.header(
                    "x-forwarded-for",
                    reqwest::header::HeaderValue::from_bytes(line).unwrap(),
                );
            }
            request
                .form(&[("request_id", &id)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert!(through(vec![b"10.8.3.4"]).await.contains(&number));
    for lines in [
        vec![],
        vec![&b"10.8.3.4\xff"[..]],
        vec![b"\xe5\xad\xa6"],
        vec![b"garbage"],
        vec![b"10.8.3.4, unknown"],
        vec![b"10.8.3.4", b"203.0.113.9"],
        vec![b"10.8.3.4", b"10.8.3.5\x80"],
    ] {
        let page = through(lines.clone()).await;
        assert!(!page.contains(&number), "{lines:?} crossed the line");
        assert!(page.contains("withheld"), "{lines:?}: {page}");
    }
}

#[tokio::test]
async fn the_register_tells_who_saw_what_and_is_itself_audited() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    s.open(&s.requester, &id).await;
    let register = s
        .app
        .json(
            &s.records,
            "/api/requests/register/student",
            &[("student_id", &s.student)],
        )
        .await;
    let entry = &register["entries"][0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["requester"], "li 老师 (li)");
    assert_eq!(entry["approver"], "zhang 老师");
    assert_eq!(entry["fulfiller"], "chen 老师");
    assert_eq!(entry["openings"].as_array().unwrap().len(), 1);
    assert!(!register.to_string().contains(&Student::numbered(7).phone));
    // All requests, for leaders; not for a records administrator.
    let all = s
        .app
        .json(
            &s.leader,
            "/api/requests/register",
            &[("state", "released")],
        )
        .await;
    assert_eq!(all["entries"].as_array().unwrap().len(), 1);
    assert_eq!(
        s.status(&s.records, "/api/requests/register", &[]).await,
        403
    );
    let reads: i64 =
        app::db::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'register.read'")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(reads, 2);
}

#[tokio::test]
async fn the_header_counts_what_waits_for_each() {
    let s = school().await;
    let id = s.file(&s.requester, &["phone"]).await;
    let waiting = |c: &Client| {
        let s = &s;
        let c = c.clone();
        async move { s.app.json(&c, "/api/requests/waiting", &[]).await }
    };
    assert_eq!(waiting(&s.leader).await["decide"], 1);
    assert_eq!(waiting(&s.records).await["fulfil"], 0);
    s.approve(&s.leader, &id, &["phone"], "24").await;
    assert_eq!(waiting(&s.leader).await["decide"], 0);
    assert_eq!(waiting(&s.records).await["fulfil"], 1);
    assert_eq!(waiting(&s.requester).await["changed"], 1);
    let html = s.app.page(&s.records, "/records").await.1;
    assert!(html.contains("data-testid=\"requests-waiting\""), "{html}");
}

/// The picker confirms a student the filer names (the whole name in its class, or with
/// the number) and lists nobody: no initials, no prefixes, no record id picked blind; each
/// check is a budgeted, audited lookup that names neither the student nor the number.
#[tokio::test]
async fn the_picker_confirms_whom_the_filer_names_and_lists_nobody() {
    let s = school().await;
    let student = Student::numbered(7);
    let check = |client: &Client, form: Vec<(&'static str, String)>| {
        let s = &s;
        let client = client.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = s
                .app
                .call_as(&client, "/api/requests/pick/confirm", &form)
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let in_class = |name: &str| vec![("name", name.to_owned()), ("class_id", s.class.clone())];
    // The whole name in its class: confirmed, shown as the filer named it.
    assert_eq!(check(&s.requester, in_class("王 小明")).await.0, 200);
    let form = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(form["picked"][0]["name"], "王小明", "{form}");
    // The class as a reference the page says in words: which class, never who teaches it
    // nor its id (the student's page is not the filer's to open).
    assert_eq!(form["picked"][0]["class"]["name"], "1班", "{form}");
    for hidden in ["id", "homeroom_teacher", "homeroom_teacher_id"] {
        assert!(
            form["picked"][0]["class"].get(hidden).is_none(),
            "{hidden}: {form}"
        );
    }
    assert!(form.get("hits").is_none(), "the form lists nobody: {form}");
    // Initials, pinyin, a prefix or a wrong class confirm nobody, and say nothing else.
    for name in ["wxm", "wangxiaoming", "王小", "王"] {
        let (status, body) = check(&s.leader, in_class(name)).await;
        assert_eq!(status, 400, "{name}: {body}");
        assert!(body.contains("request.pick_none"), "{body}");
        assert!(!body.contains(&s.student), "{body}");
    }
    let other = crate::fixtures::seed_class(&s.app, "2班", None).await;
    let (status, _) = check(
        &s.leader,
        vec![("name", "王小明".into()), ("class_id", other)],
    )
    .await;
    assert_eq!(status, 400);
    // With the number, whoever may find a pupil by number (a records administrator; a
    // teacher in their own classes): the class is not shown (it was not named). A leader or
    // a teacher of another class finds nobody by number.
    let by_number =
        |name: &str, number: &str| vec![("name", name.to_owned()), ("number", number.to_owned())];
    assert_eq!(
        check(&s.records, by_number("王小明", &student.id_number))
            .await
            .0,
        200
    );
    let form = s.app.json(&s.records, "/api/requests/new", &[]).await;
    assert_eq!(form["picked"][0]["name"], "王小明", "{form}");
    assert!(form["picked"][0]["class"].is_null(), "{form}");
    assert_eq!(
        check(&s.other_leader, by_number("王小明", &student.id_number))
            .await
            .0,
        400,
        "not a leader's to find by number"
    );
    // The number and another name: nobody.
    assert_eq!(
        check(&s.records, by_number("王小红", &student.id_number))
            .await
            .0,
        400
    );
    // A record id picked blind is refused, and adds nobody.
    let response = s
        .app
        .call_as(
            &s.other_leader,
            "/api/requests/pick",
            &[("student_id", &s.student)],
        )
        .await;
    assert_eq!(response.status(), 400);
    let form = s.app.json(&s.other_leader, "/api/requests/new", &[]).await;
    assert_eq!(form["picked"].as_array().unwrap().len(), 0, "{form}");
    assert!(!form.to_string().contains("王小明"));

    // Every check is an entry naming neither the name nor the number.
    let entries: Vec<(String, Option<String>, Option<String>)> = app::db::query_as(
        "SELECT action, actor_role, details FROM audit_log \
         WHERE action LIKE 'info_request.student_confirm%' ORDER BY seq",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(entries.len(), 9, "{entries:?}");
    assert_eq!(entries[0].1.as_deref(), Some("homeroom_teacher"));
    assert_eq!(
        entries[1].1.as_deref(),
        Some("leader"),
        "a leader's, not a teacher's"
    );
    for (_, _, details) in &entries {
        let details = details.as_deref().unwrap_or_default();
        assert!(!details.contains("王"), "{details}");
        assert!(!details.contains(&student.id_number), "{details}");
    }

    // The budget: the hour's lookups run out, and the next check is refused (audited).
    for _ in 0..20 {
        check(&s.requester, in_class("王小明")).await;
    }
    let (status, _) = check(&s.requester, in_class("王小明")).await;
    assert_eq!(status, 429);
    let refused: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'info_request.student_confirm_refused'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert!(refused >= 1);
}

#[tokio::test]
async fn no_value_is_shown_when_its_disclosure_cannot_be_written() {
    let s = school().await;
    let id = s.released(&["phone"]).await;
    // The disclosure register refuses every write, as a full disk or a broken table would.
    let refusal: &[&str] = match s.app.pool.engine() {
        app::db::Engine::Sqlite => &[
            "CREATE TRIGGER refuse_disclosures BEFORE INSERT ON disclosures \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        app::db::Engine::Postgres => &[
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused'; END; $$",
            "CREATE TRIGGER refuse_disclosures BEFORE INSERT ON disclosures \
             FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
    };
    for statement in refusal {
        app::db::query(statement)
            .execute(&s.app.pool)
            .await
            .unwrap();
    }
    let phone = Student::numbered(7).phone;
    let response = s
        .app
        .call_as(
            &s.requester,
            "/api/requests/release",
            &[("request_id", &id)],
        )
        .await;
    assert_eq!(response.status(), 500);
    assert!(!response.text().await.unwrap().contains(&phone));
    let (status, html) = s
        .app
        .page(&s.requester, &format!("/requests/{id}/release"))
        .await;
    assert!(!html.contains(&phone), "the page ({status}) shows no value");
    let opened: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'info_request.opened'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(
        opened, 0,
        "and the audit entry went with the refused transaction"
    );
    // Once the register takes writes again, the release opens.
    s.app
        .drop_trigger("refuse_disclosures", "disclosures")
        .await;
    assert!(s.open(&s.requester, &id).await.to_string().contains(&phone));
}

#[tokio::test]
async fn a_class_asked_for_whole_is_no_roster_for_its_requester() {
    let s = school().await;
    let class: String = app::db::query_scalar("SELECT public_id FROM classes")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(
        s.status(&s.requester, "/api/requests/pick", &[("class_id", &class)])
            .await,
        200
    );
    let form = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(form["picked_classes"][0][2], 1, "{form}");
    assert!(!form.to_string().contains("王小明"), "{form}");
    let response = s
        .app
        .call_as(
            &s.requester,
            "/api/requests/file",
            &[
                ("filing[purpose]", "home_contact"),
                ("filing[reason]", REASON),
                ("filing[fields][]", "phone"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let id: String = app::db::query_scalar("SELECT public_id FROM info_requests")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let view = |c: &Client| {
        let s = &s;
        let c = c.clone();
        let id = id.clone();
        async move {
            s.app
                .json(&c, "/api/requests/request", &[("request_id", &id)])
                .await
        }
    };
    // Its requester sees the class and how many; its approver sees whom.
    let mine = view(&s.requester).await;
    assert_eq!(mine["class_counts"][0][1], 1);
    assert!(!mine.to_string().contains("王小明"), "{mine}");
    assert!(view(&s.leader).await.to_string().contains("王小明"));
    // Once released, the requester sees the names released to them.
    assert_eq!(s.approve(&s.leader, &id, &["phone"], "24").await, 200);
    assert_eq!(s.fulfil(&s.records, &id, &["phone"]).await, 200);
    assert!(view(&s.requester).await.to_string().contains("王小明"));
}

/// A leader who asks for a whole class is a requester like any other: the class's size, not
/// its roster, until someone else approved it.
#[tokio::test]
async fn a_leaders_own_request_for_a_class_is_no_roster_either() {
    let s = school().await;
    let class: String = app::db::query_scalar("SELECT public_id FROM classes")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(
        s.status(&s.leader, "/api/requests/pick", &[("class_id", &class)])
            .await,
        200
    );
    let response = s
        .app
        .call_as(
            &s.leader,
            "/api/requests/file",
            &[
                ("filing[purpose]", "home_contact"),
                ("filing[reason]", REASON),
                ("filing[fields][]", "phone"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let id: String = app::db::query_scalar("SELECT public_id FROM info_requests")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let own = s
        .app
        .json(&s.leader, "/api/requests/request", &[("request_id", &id)])
        .await;
    assert_eq!(own["class_counts"][0][1], 1, "{own}");
    assert!(!own.to_string().contains("王小明"), "{own}");
    let other = s
        .app
        .json(
            &s.other_leader,
            "/api/requests/request",
            &[("request_id", &id)],
        )
        .await;
    assert!(
        other.to_string().contains("王小明"),
        "its approver sees whom"
    );
}

/// The disclosure register names a family member's field as one: a guardian's phone is
/// never read as the pupil's own.
#[tokio::test]
async fn the_register_tells_a_guardians_phone_from_the_pupils() {
    let s = school().await;
    let id = s.released(&["guardian.phone"]).await;
    s.open(&s.requester, &id).await;
    let register = s.app.json(&s.leader, "/api/requests/register", &[]).await;
    assert_eq!(
        register["entries"][0]["fields"][0], "guardian.phone",
        "{register}"
    );
    let (_, html) = s.app.page(&s.leader, "/disclosures").await;
    assert!(html.contains("家庭成员 · 联系电话（手机）"), "{html}");
}

#[tokio::test]
async fn picking_students_keeps_what_was_typed_into_the_request() {
    let s = school().await;
    // The one form posts everything: the filing's fields come with every pick.
    let typed = [
        ("filing[purpose]", "home_contact"),
        ("filing[reason]", REASON),
        ("filing[window_hours]", "12"),
        ("filing[fields][]", "phone"),
        ("filing[fields][]", "guardian.phone"),
    ];
    let with = |extra: &[(&'static str, &str)]| -> Vec<(String, String)> {
        typed
            .iter()
            .chain(extra.iter())
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let kept = |form: &serde_json::Value| {
        (
            form["draft"]["purpose"].as_str().unwrap().to_owned(),
            form["draft"]["reason"].as_str().unwrap().to_owned(),
            form["draft"]["window_hours"].as_str().unwrap().to_owned(),
            form["draft"]["fields"].clone(),
        )
    };
    let expected = (
        "home_contact".to_owned(),
        REASON.to_owned(),
        "12".to_owned(),
        serde_json::json!(["phone", "guardian.phone"]),
    );
    // A student confirmed.
    let form = with(&[("name", "王小明"), ("class_id", s.class.as_str())]);
    let response =
        crate::fixtures::call(&s.app, &s.requester, "/api/requests/pick/confirm", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let view = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(view["picked"].as_array().unwrap().len(), 1);
    assert_eq!(kept(&view), expected, "{view}");
    // A name that confirms nobody: refused, and still nothing typed is lost.
    let form = with(&[("name", "王小"), ("class_id", s.class.as_str())]);
    let response =
        crate::fixtures::call(&s.app, &s.requester, "/api/requests/pick/confirm", &form).await;
    assert_eq!(response.status(), 400);
    let view = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(kept(&view), expected);
    // A whole class added, then a student removed, through the same form.
    let form = with(&[("whole_class", s.class.as_str()), ("class_id", "")]);
    let response = crate::fixtures::call(&s.app, &s.requester, "/api/requests/pick", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let view = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(
        view["picked_classes"].as_array().unwrap().len(),
        1,
        "{view}"
    );
    assert_eq!(kept(&view), expected);
    // The page shows it all again, the ticks included.
    let (_, html) = s.app.page(&s.requester, "/requests/new").await;
    assert!(html.contains(REASON), "the reason");
    assert!(
        html.contains(r#"value="home_contact" selected"#),
        "the purpose"
    );
    assert!(html.contains(r#"value="12""#), "the window");
    assert_eq!(html.matches(" checked").count(), 2, "the ticked fields");
    // Filed, the draft is gone.
    let response = s
        .app
        .call_as(&s.requester, "/api/requests/file", &typed)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let view = s.app.json(&s.requester, "/api/requests/new", &[]).await;
    assert_eq!(view["draft"]["reason"], "");
}
