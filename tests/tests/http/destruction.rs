//! Retention and destruction: a records administrator marks a student as left, proposes a
//! batch of those past the retention period, a leader other than the proposer approves it,
//! and the approval erases the personal data, down to the database file.

use app::clock::Clock;
use reqwest::Client;

use crate::{
    fixtures::{Student, enter_student, roster_csv, roster_row, upload_roster, with},
    helpers::TestApp,
    requests::{School, school},
};

fn years_ago(app: &TestApp, years: i64) -> String {
    (app.clock.now() - chrono::Duration::days(365 * years + 2))
        .date_naive()
        .to_string()
}

/// The marking of `student` as left was recorded `years` (and a few days) ago: the time a
/// marking waits before it counts (moving the clock years on would end every account's
/// sessions and passwords with it).
async fn recorded_years_ago(s: &School, student: &str, years: i64) {
    app::db::query("UPDATE students SET left_recorded_at = $1 WHERE public_id = $2")
        .bind(s.app.clock.now() - chrono::Duration::days(365 * years + 3))
        .bind(student)
        .execute(&s.app.pool)
        .await
        .unwrap();
}

/// `client` files the leaving of `student` on `on` (`transferred`: a transfer out to another
/// school; `other`: another leaving; anything else is no kind of change), and when that is
/// filed a leader approves it: the filing's refusal, or the approval's answer.
async fn leave_approved(s: &School, client: &Client, student: &str, reason: &str, on: &str) -> u16 {
    let (kind, why, school) = match reason {
        "transferred" => ("transfer_out", "family_moved", "城东第二小学"),
        "other" => ("other_leave", "other", ""),
        unknown => (unknown, "other", ""),
    };
    let filed = s
        .app
        .call_as(
            client,
            "/api/changes/file",
            &[
                ("status_change[student_id]", student),
                ("status_change[kind]", kind),
                ("status_change[reason]", why),
                ("status_change[effective_on]", on),
                ("status_change[other_school]", school),
            ],
        )
        .await
        .status()
        .as_u16();
    if filed != 200 {
        return filed;
    }
    let change: String = app::db::query_scalar(
        "SELECT x.public_id FROM status_changes x JOIN students s ON s.id = x.student_id \
         WHERE s.public_id = $1 AND x.state = 'filed'",
    )
    .bind(student)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    // Approved on its proof.
    let proved = crate::fixtures::upload_proof(
        &s.app,
        client,
        &change,
        crate::fixtures::ONE_PIXEL_PNG.to_vec(),
    )
    .await;
    assert_eq!(proved.status(), 200);
    s.app
        .call_as(
            &s.leader,
            "/api/changes/decide",
            &[("change_id", change.as_str()), ("decision", "approve")],
        )
        .await
        .status()
        .as_u16()
}

/// A marking as left as records administrator `chen` made them before changes of status
/// needed a leader's approval: on `on`, recorded now.
async fn marked_before_approvals(s: &School, student: &str, on: &str) {
    let chen = s.app.user_id("chen").await;
    let at = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    app::db::query(
        "UPDATE students SET left_at = $1, left_reason = 'transferred', left_recorded_at = $2, \
         left_marked_by = $3 WHERE public_id = $4",
    )
    .bind(at)
    .bind(s.app.clock.now())
    .bind(chen)
    .bind(student)
    .execute(&s.app.pool)
    .await
    .unwrap();
}

async fn propose(s: &School, client: &Client) -> (u16, serde_json::Value) {
    let response = s
        .app
        .call_as(
            client,
            "/api/destructions/propose",
            &[("reason", "离校满三年，按学籍管理规定销毁")],
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn last_batch(app: &TestApp) -> String {
    app::db::query_scalar("SELECT public_id FROM destructions ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn decide(s: &School, client: &Client, batch: &str, decision: &str) -> u16 {
    s.app
        .call_as(
            client,
            "/api/destructions/decide",
            &[
                ("batch_id", batch),
                ("decision", decision),
                ("comment", "核对无误"),
            ],
        )
        .await
        .status()
        .as_u16()
}

/// The batch's page as `client` asks for it with the students' names (`names=1`).
async fn with_names(s: &School, client: &Client, batch: &str) -> serde_json::Value {
    s.app
        .json(
            client,
            "/api/destructions/one",
            &[("batch_id", batch), ("names", "1")],
        )
        .await
}

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    app::db::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Every byte of the database's files (the database, its journal, its shared memory).
/// What the database keeps (its files on SQLite as they are, no checkpoint forced: the
/// destruction empties the journal itself; its live rows on PostgreSQL).
async fn database_bytes(app: &TestApp) -> Vec<u8> {
    app.stored_bytes(false).await
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_batch_is_proposed_approved_by_another_and_erases_the_personal_data_down_to_the_file() {
    let s = school().await;
    // A second student of the class, with canary values of their own, who left three years
    // ago (on a date after their enrolment); the first left a year ago (inside the retention
    // period); a third stays. The markings are made now, the destruction three years on.
    let class: String = app::db::query_scalar("SELECT c.public_id FROM classes c LIMIT 1")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let mut canary = Student::numbered(41);
    canary.name = "欧阳雪梅".into();
    canary.former_name = "欧阳小雀".into();
    canary.address = "金丝雀巷七十七号".into();
    canary.mailing_address = "金丝雀邮政信箱八十八号".into();
    let gone = enter_student(&s.app, &s.teacher, &class, &canary).await;
    let stays = enter_student(&s.app, &s.teacher, &class, &Student::numbered(42)).await;

    // Marking someone as left is a records administrator's, on a date not in the future,
    // not before their birth or enrolment (September 2023).
    assert_eq!(
        leave_approved(&s, &s.teacher, &gone, "transferred", "2023-09-01").await,
        403
    );
    for before in ["2001-01-01", "2016-05-01", "2023-08-31"] {
        let response = s
            .app
            .call_as(
                &s.records,
                "/api/changes/file",
                &[
                    ("status_change[student_id]", gone.as_str()),
                    ("status_change[kind]", "transfer_out"),
                    ("status_change[reason]", "family_moved"),
                    ("status_change[effective_on]", before),
                    ("status_change[other_school]", "城东第二小学"),
                ],
            )
            .await;
        assert_eq!(response.status(), 400, "{before}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["fields"][0]["code"], "change.date_before", "{before}");
    }
    let tomorrow = (s.app.clock.now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    assert_eq!(
        leave_approved(&s, &s.records, &gone, "transferred", &tomorrow).await,
        400
    );
    assert_eq!(
        leave_approved(&s, &s.records, &gone, "expelled", "2023-09-01").await,
        400
    );
    assert_eq!(
        leave_approved(&s, &s.records, &gone, "transferred", "2023-09-01").await,
        200
    );
    assert_eq!(
        leave_approved(&s, &s.records, &gone, "other", "2023-09-01").await,
        409
    );
    // Left three years ago, but recorded today: not due now.
    let home = s.app.json(&s.records, "/api/destructions", &[]).await;
    assert_eq!(
        home["due_count"], 0,
        "a marking made today makes no one due"
    );
    recorded_years_ago(&s, &gone, 3).await;
    assert_eq!(
        leave_approved(&s, &s.records, &s.student, "other", &years_ago(&s.app, 1)).await,
        200
    );

    // Who is due: only the one gone four years (not the one inside the period, not the one
    // still enrolled). A teacher sees none of it; a leader may not propose.
    let home = s.app.json(&s.records, "/api/destructions", &[]).await;
    assert_eq!(home["due_count"], 1);
    assert_eq!(home["due"][0]["id"], gone.as_str());
    assert_eq!(home["retention_years"], 3);
    assert!(
        !home.to_string().contains("欧阳雪梅"),
        "the list names no one"
    );
    assert_eq!(
        s.app
            .call_as(&s.teacher, "/api/destructions", &[])
            .await
            .status(),
        403
    );
    assert_eq!(propose(&s, &s.leader).await.0, 403);

    // Proposed by one who is both records administrator and leader: they may not approve it,
    // a records administrator may not either; another leader does.
    let (status, _) = propose(&s, &s.both).await;
    assert_eq!(status, 200);
    let batch = last_batch(&s.app).await;
    // Nothing is due while it waits: a second batch finds no one.
    let (status, body) = propose(&s, &s.records).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("destruction.none_due_conflict"))
    );
    let sealed_before: Vec<u8> =
        app::db::query_scalar("SELECT sealed FROM students WHERE public_id = $1")
            .bind(&gone)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(decide(&s, &s.both, &batch, "approve").await, 403);
    assert_eq!(decide(&s, &s.records, &batch, "approve").await, 403);
    // Not blind: the approver first sees whom the batch erases, and that is audited.
    assert_eq!(decide(&s, &s.leader, &batch, "approve").await, 409);
    let plain = s
        .app
        .json(&s.leader, "/api/destructions/one", &[("batch_id", &batch)])
        .await;
    assert_eq!(plain["names_shown"], false);
    assert!(plain["students"][0]["named"].is_null(), "{plain}");
    // Nobody else is shown them: the proposer, a records administrator.
    for other in [&s.both, &s.records] {
        let page = with_names(&s, other, &batch).await;
        assert_eq!(page["names_shown"], false, "{page}");
        assert!(!page.to_string().contains("欧阳雪梅"));
    }
    let page = with_names(&s, &s.leader, &batch).await;
    assert_eq!(page["names_shown"], true);
    assert_eq!(page["students"][0]["named"][0], "欧阳雪梅", "{page}");
    let (_, html) = s
        .app
        .page(&s.leader, &format!("/destructions/{batch}?names=1"))
        .await;
    assert!(html.contains("欧阳雪梅") && html.contains("此次查看已记入审计"));
    let shown: Vec<(i64, String, String)> = app::db::query_as(
        "SELECT actor_id, classification, details FROM audit_log WHERE action = 'destruction.names_shown'",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_eq!(shown[0].0, s.app.user_id("zhang").await);
    assert_eq!(shown[0].1, "confidential");
    assert!(!shown[0].2.contains("欧阳雪梅"), "the entry names nobody");
    assert_eq!(decide(&s, &s.leader, &batch, "approve").await, 200);
    assert_eq!(decide(&s, &s.other_leader, &batch, "approve").await, 409);

    // The row keeps its id, dates and class; everything personal is gone.
    let (name, sealed_len, index_len, destroyed): (String, i64, i64, Option<chrono::DateTime<chrono::Utc>>) = app::db::query_as(
        "SELECT name, CAST(length(sealed) AS BIGINT), CAST(length(id_number_index) AS BIGINT), destroyed_at \
         FROM students WHERE public_id = $1",
    )
    .bind(&gone)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!((name.as_str(), sealed_len, index_len), ("", 0, 0));
    assert!(destroyed.is_some());
    for table in ["guardians", "student_revisions", "student_search_keys"] {
        let n = count(
            &s.app,
            &format!("SELECT COUNT(*) FROM {table} WHERE student_id = (SELECT id FROM students WHERE public_id = $1)"),
            &gone,
        )
        .await;
        assert_eq!(n, 0, "{table} of a destroyed student");
    }
    // The others are untouched.
    for kept in [&s.student, &stays] {
        let n = count(&s.app, "SELECT COUNT(*) FROM guardians WHERE student_id = (SELECT id FROM students WHERE public_id = $1)", kept).await;
        assert!(n > 0);
    }
    // The log: the batch, its reference, who proposed and approved, how many.
    let view = s
        .app
        .json(&s.leader, "/api/destructions/one", &[("batch_id", &batch)])
        .await;
    assert_eq!(view["student_count"], 1);
    assert_eq!(view["state"], "approved");
    assert!(view["reference"].as_str().unwrap().starts_with("XH"));
    assert_eq!(view["students"][0]["destroyed"], true);
    let actions: Vec<String> = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "status_change.approved",
        "destruction.proposed",
        "destruction.approved",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
    // The portal no longer opens the record, for anyone.
    let (status, _) = s
        .app
        .page(&s.records, &format!("/records/students/{gone}"))
        .await;
    assert_ne!(status, 200);
    s.app
        .call_as(
            &s.records,
            "/api/records/search",
            &[("query", "ouyangxuemei"), ("include_left", "1")],
        )
        .await;
    let found = s
        .app
        .json(&s.records, "/api/records/search/results", &[])
        .await;
    assert!(
        !found.to_string().contains(&gone),
        "search finds no destroyed record"
    );

    // Down to the file, as the running portal left it (no checkpoint or VACUUM of the
    // test's own): no canary is anywhere in the database, its journal or shared memory.
    let bytes = database_bytes(&s.app).await;
    assert!(
        holds(&bytes, "王小明".as_bytes()),
        "the check reads the real file"
    );
    for value in [
        "欧阳雪梅",
        "欧阳小雀",
        "金丝雀巷七十七号",
        "金丝雀邮政信箱八十八号",
    ] {
        assert!(
            !holds(&bytes, value.as_bytes()),
            "{value} is in the database file"
        );
    }
    assert!(
        !holds(&bytes, &sealed_before),
        "the sealed values are in the database file"
    );
}

#[tokio::test]
async fn a_student_still_enrolled_or_inside_the_retention_period_is_never_destroyed() {
    let s = school().await;
    // Nobody has left: nothing to propose.
    let (status, body) = propose(&s, &s.records).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("destruction.none_due_conflict"))
    );
    // Marked today as left on the day of their enrolment, three years ago: still not due,
    // since the marking is recorded today.
    assert_eq!(
        leave_approved(&s, &s.records, &s.student, "transferred", "2023-09-01").await,
        200
    );
    assert_eq!(propose(&s, &s.records).await.0, 409);
    // Recorded two years ago: still inside three years of the marking.
    recorded_years_ago(&s, &s.student, 2).await;
    assert_eq!(propose(&s, &s.records).await.0, 409);
    // Recorded three years ago: due, and proposed.
    recorded_years_ago(&s, &s.student, 3).await;
    assert_eq!(propose(&s, &s.records).await.0, 200);
    let batch = last_batch(&s.app).await;
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM destructions WHERE public_id = $1 AND state = 'proposed'",
            &batch
        )
        .await,
        1
    );
    // Rejected with a reason; nothing erased.
    let response = s
        .app
        .call_as(
            &s.leader,
            "/api/destructions/decide",
            &[("batch_id", batch.as_str()), ("decision", "reject")],
        )
        .await;
    assert_eq!(response.status(), 400, "a rejection says why");
    assert_eq!(decide(&s, &s.leader, &batch, "reject").await, 200);
    let name: String = app::db::query_scalar("SELECT name FROM students WHERE public_id = $1")
        .bind(&s.student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(name, "王小明");
}

#[tokio::test]
async fn a_marking_made_by_mistake_is_undone_by_another_records_administrator() {
    let s = school().await;
    marked_before_approvals(&s, &s.student, "2024-02-01").await;
    async fn undo(s: &School, client: &Client) -> reqwest::Response {
        s.app
            .call_as(
                client,
                "/api/records/student/left/undo",
                &[("student_id", s.student.as_str())],
            )
            .await
    }
    // Not by the one who marked it, not by a teacher or a leader; the page tells who may.
    assert_eq!(undo(&s, &s.records).await.status(), 403);
    assert_eq!(undo(&s, &s.teacher).await.status(), 403);
    assert_eq!(undo(&s, &s.leader).await.status(), 403);
    let (_, own) = s
        .app
        .page(&s.records, &format!("/records/students/{}", s.student))
        .await;
    assert!(own.contains("data-testid=\"undo-left-own\""), "{own}");
    let (_, other) = s
        .app
        .page(
            &s.other_records,
            &format!("/records/students/{}", s.student),
        )
        .await;
    assert!(other.contains("data-testid=\"undo-left\""));
    // Another records administrator undoes it: enrolled again, audited, and once only.
    assert_eq!(undo(&s, &s.other_records).await.status(), 200);
    let left: Option<String> =
        app::db::query_scalar("SELECT left_at FROM students WHERE public_id = $1")
            .bind(&s.student)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(left, None);
    assert!(
        s.app
            .audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "student.left_undone")
    );
    assert_eq!(
        undo(&s, &s.other_records).await.status(),
        403,
        "nothing left to undo"
    );
    // A marking older than a month, or of a student in a batch waiting for its decision, is
    // not undone (a returning student is enrolled anew; a batch is decided as proposed).
    marked_before_approvals(&s, &s.student, "2023-09-01").await;
    recorded_years_ago(&s, &s.student, 3).await;
    assert_eq!(
        undo(&s, &s.other_records).await.status(),
        403,
        "too old to undo"
    );
    assert_eq!(propose(&s, &s.records).await.0, 200);
    app::db::query("UPDATE students SET left_recorded_at = $1 WHERE public_id = $2")
        .bind(s.app.clock.now())
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(
        undo(&s, &s.other_records).await.status(),
        403,
        "in a waiting batch"
    );
    app::db::query("DELETE FROM destruction_students")
        .execute(&s.app.pool)
        .await
        .unwrap();
    app::db::query(
        "UPDATE students SET left_at = NULL, left_reason = NULL, left_recorded_at = NULL, \
         left_marked_by = NULL WHERE public_id = $1",
    )
    .bind(&s.student)
    .execute(&s.app.pool)
    .await
    .unwrap();
    // A graduation at a rollover is no marking to undo.
    app::db::query("UPDATE students SET left_at = $1, left_reason = 'graduated', left_recorded_at = $1 WHERE public_id = $2")
        .bind(s.app.clock.now())
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(undo(&s, &s.other_records).await.status(), 403);
    // Nor a leaving a leader approved as a change of status: a records administrator alone
    // does not undo a leader's decision.
    app::db::query(
        "UPDATE students SET left_at = NULL, left_reason = NULL, left_recorded_at = NULL, \
         left_marked_by = NULL WHERE public_id = $1",
    )
    .bind(&s.student)
    .execute(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(
        leave_approved(&s, &s.records, &s.student, "transferred", "2024-02-01").await,
        200
    );
    let (_, page) = s
        .app
        .page(
            &s.other_records,
            &format!("/records/students/{}", s.student),
        )
        .await;
    assert!(!page.contains("data-testid=\"undo-left"), "{page}");
    assert_eq!(undo(&s, &s.other_records).await.status(), 403);
}

/// The canary: a pupil whose name a teacher typed into a second draft and a roster upload, a
/// records administrator searched for, and a leader wrote into comments, is destroyed; the
/// running portal then holds their name nowhere: not in the database file, its journal or
/// its shared memory (read as they are, without a checkpoint of the test's own), not in a
/// draft, an upload, the searcher's session or any free text.
#[tokio::test]
async fn the_running_portal_keeps_nothing_of_a_destroyed_pupil() {
    let s = school().await;
    let mut canary = Student::numbered(43);
    canary.name = "欧阳雪梅".into();
    canary.former_name = "欧阳小雀".into();
    let gone = enter_student(&s.app, &s.teacher, &s.class, &canary).await;
    // Verified long ago (a draft's name is checked only for its own teacher).
    app::db::query("UPDATE students SET status = 'verified' WHERE public_id = $1")
        .bind(&gone)
        .execute(&s.app.pool)
        .await
        .unwrap();
    // The teacher types the child again as a new student (a draft of the class), and
    // uploads a roster with them in it, never committed.
    let response = s
        .app
        .call_as(
            &s.teacher,
            "/api/records/student/draft",
            &with(canary.form(), &[("class_id", s.class.as_str())])
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let roster = roster_csv(&[roster_row(&canary), roster_row(&Student::numbered(44))]);
    let response = upload_roster(
        &s.app,
        &s.teacher,
        &s.class,
        "名单.csv",
        roster.into_bytes(),
    )
    .await;
    assert!(response.status().is_success() || response.status().is_redirection());
    let held = |sql: &'static str| {
        let pool = s.app.pool.clone();
        async move {
            app::db::query_scalar::<i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        held("SELECT COUNT(*) FROM form_drafts WHERE target LIKE 'class:%'").await,
        1
    );
    assert_eq!(held("SELECT COUNT(*) FROM roster_imports").await, 1);
    // A records administrator searches the child by name and keeps the results open.
    s.app
        .call_as(&s.records, "/api/records/search", &[("query", "欧阳雪梅")])
        .await;
    let found = s
        .app
        .json(&s.records, "/api/records/search/results", &[])
        .await;
    assert!(found.to_string().contains(&gone), "{found}");
    assert_eq!(
        found["query"], "",
        "the name typed is not shown back from the session"
    );

    // Free text refuses the name of a pupil the writer can see, and says what to write.
    let response = s
        .app
        .call_as(
            &s.records,
            "/api/destructions/propose",
            &[("reason", "欧阳雪梅离校满三年")],
        )
        .await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "text.names_pupil");
    let (_, page) = s.app.page(&s.records, "/destructions").await;
    assert!(!page.contains("欧阳雪梅"));
    // A leader (who sees no roster, so is not checked against one) writes the name into a
    // request's rejection.
    let request = s.file(&s.requester, &["phone"]).await;
    assert_eq!(
        s.decide(
            &s.leader,
            &request,
            &[
                ("decision", "reject"),
                ("comment", "欧阳雪梅（曾用名欧阳小雀）的家长已另行联系")
            ]
        )
        .await,
        200
    );

    // A leader returns the child's transfer naming them, before approving it again filed:
    // the child left three years ago; the batch is proposed and approved, its approval
    // naming them too.
    let response = s
        .app
        .call_as(
            &s.records,
            "/api/changes/file",
            &[
                ("status_change[student_id]", gone.as_str()),
                ("status_change[kind]", "transfer_out"),
                ("status_change[reason]", "family_moved"),
                ("status_change[effective_on]", "2023-09-01"),
                ("status_change[other_school]", "城东第二小学"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let change: String = app::db::query_scalar(
        "SELECT public_id FROM status_changes WHERE state = 'filed' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    let response = s
        .app
        .call_as(
            &s.leader,
            "/api/changes/decide",
            &[
                ("change_id", change.as_str()),
                ("decision", "reject"),
                ("comment", "欧阳雪梅的转学联系函未附"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        leave_approved(&s, &s.records, &gone, "transferred", "2023-09-01").await,
        200
    );
    recorded_years_ago(&s, &gone, 3).await;
    assert_eq!(propose(&s, &s.records).await.0, 200);
    let batch = last_batch(&s.app).await;
    // The approver checks whom it erases (the page shows it; nothing of it is kept).
    assert_eq!(with_names(&s, &s.leader, &batch).await["names_shown"], true);
    let response = s
        .app
        .call_as(
            &s.leader,
            "/api/destructions/decide",
            &[
                ("batch_id", batch.as_str()),
                ("decision", "approve"),
                ("comment", "同意销毁欧阳雪梅的学籍"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);

    // The draft and the upload that held the child went with them; the free text is masked
    // where it named them, and says the rest as written.
    assert_eq!(
        held("SELECT COUNT(*) FROM form_drafts WHERE target LIKE 'class:%'").await,
        0
    );
    assert_eq!(held("SELECT COUNT(*) FROM roster_imports").await, 0);
    let comments: Vec<String> = app::db::query_scalar(
        "SELECT comment FROM workflow_transitions WHERE comment IS NOT NULL ORDER BY id",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    assert!(
        comments
            .iter()
            .any(|c| c == "＊＊＊＊（曾用名＊＊＊＊）的家长已另行联系"),
        "{comments:?}"
    );
    assert!(
        comments.iter().any(|c| c == "同意销毁＊＊＊＊的学籍"),
        "{comments:?}"
    );
    // The child's changes of status went with them, history and all.
    assert_eq!(held("SELECT COUNT(*) FROM status_changes").await, 0);
    assert_eq!(held("SELECT COUNT(*) FROM status_change_proofs").await, 0);
    assert_eq!(
        held("SELECT COUNT(*) FROM workflow_transitions WHERE workflow = 'status_change'").await,
        0
    );
    // The searcher's page finds nothing of them now.
    let found = s
        .app
        .json(&s.records, "/api/records/search/results", &[])
        .await;
    assert!(!found.to_string().contains(&gone));

    let bytes = database_bytes(&s.app).await;
    assert!(
        holds(&bytes, "王小明".as_bytes()),
        "the check reads the real files"
    );
    assert!(
        !holds(&bytes, "欧阳雪梅".as_bytes()),
        "the destroyed child's name is in the database's files"
    );
    let wal = std::fs::metadata(format!("{}-wal", s.app.database_file())).map_or(0, |m| m.len());
    assert!(
        wal < app_journal_limit(),
        "the journal is bounded: {wal} bytes"
    );
}

fn app_journal_limit() -> u64 {
    server::database::JOURNAL_SIZE_LIMIT as u64
}

/// Drafts and uploads expire on a schedule of their own: a draft untouched for 30 days, an
/// upload left for 7, whoever's they are; one audit entry says how many went.
#[tokio::test]
async fn drafts_and_uploads_expire_on_their_own() {
    let app = crate::helpers::spawn_app_configured(
        |_| {},
        |settings| settings.sweep_interval = std::time::Duration::from_millis(100),
    )
    .await;
    let wang = app
        .create_user("wang", &[app::domain::Role::HomeroomTeacher])
        .await;
    let class = crate::fixtures::seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    let form = with(
        Student::numbered(45).form(),
        &[("class_id", class.as_str())],
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        app.call_as(&teacher, "/api/records/student/draft", &form)
            .await
            .status(),
        200
    );
    let roster = roster_csv(&[roster_row(&Student::numbered(46))]);
    upload_roster(&app, &teacher, &class, "名单.csv", roster.into_bytes()).await;
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            app::db::query_scalar::<i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let settle = || tokio::time::sleep(std::time::Duration::from_millis(400));
    // Six days on, both stay; eight days on, the upload went; thirty-one, the draft.
    app.clock.advance(chrono::Duration::days(6));
    settle().await;
    assert_eq!(count("SELECT COUNT(*) FROM roster_imports").await, 1);
    app.clock.advance(chrono::Duration::days(2));
    settle().await;
    assert_eq!(count("SELECT COUNT(*) FROM roster_imports").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM form_drafts").await, 1);
    app.clock.advance(chrono::Duration::days(23));
    settle().await;
    assert_eq!(count("SELECT COUNT(*) FROM form_drafts").await, 0);
    let expired = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(a, _)| a == "copies.expired")
        .count();
    assert_eq!(expired, 2);
}

/// A student whose schooling ended here keeps their core 学籍 record: no batch takes it
/// while no cited rule allows it, though a transferred-out classmate's backup goes at its
/// period. A month after the leaving the record is archived: no page opens it and no
/// search finds it, its drafts and search keys go, and only an approved information request
/// naming the student by number releases it.
#[tokio::test]
async fn a_core_record_is_archived_and_kept_while_a_backup_goes_at_its_period() {
    let s = crate::requests::school_with(
        crate::helpers::spawn_app_configured(
            |_| {},
            |settings| settings.sweep_interval = std::time::Duration::from_millis(100),
        )
        .await,
    )
    .await;
    let ended = Student::numbered(7);
    let moved = enter_student(&s.app, &s.teacher, &s.class, &Student::numbered(8)).await;
    // The teacher's unsent changes to the record that will be archived.
    let draft = with(ended.form(), &[("student_id", s.student.as_str())]);
    let draft: Vec<(&str, &str)> = draft
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = s
        .app
        .call_as(&s.teacher, "/api/records/student/draft", &draft)
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    assert_eq!(
        leave_approved(&s, &s.records, &moved, "transferred", "2023-09-01").await,
        200
    );
    assert_eq!(
        leave_approved(&s, &s.records, &s.student, "other", "2023-09-01").await,
        200
    );
    // Within the month the record is read as it was, and found.
    let page = format!("/records/students/{}", s.student);
    assert_eq!(s.app.page(&s.records, &page).await.0, 200);
    let search = async |client: &Client| {
        s.app
            .call_as(
                client,
                "/api/records/search",
                &[("query", "王小明"), ("include_left", "1")],
            )
            .await;
        s.app.json(client, "/api/records/search/results", &[]).await
    };
    assert_eq!(search(&s.records).await["total"], 2);

    // Four years on (the leavings recorded then): both archived.
    recorded_years_ago(&s, &moved, 4).await;
    recorded_years_ago(&s, &s.student, 4).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let of_student = |sql: &'static str| count(&s.app, sql, &s.student);
    assert_eq!(
        of_student("SELECT COUNT(*) FROM form_drafts WHERE target = 'student:' || $1").await,
        0,
        "an archived record's draft goes"
    );
    assert_eq!(
        of_student(
            "SELECT COUNT(*) FROM student_search_keys k JOIN students s ON s.id = k.student_id \
             WHERE s.public_id = $1"
        )
        .await,
        0,
        "and its search keys"
    );
    assert!(
        s.app
            .audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "copies.expired")
    );
    // Refused as a record that does not exist is: nothing tells the one from the other.
    let nobody = s
        .app
        .page(
            &s.records,
            "/records/students/0123456789abcdef0123456789abcdef",
        )
        .await
        .0;
    assert_ne!(nobody, 200);
    // Nor its applications, nor their proofs, nor the lists that named them.
    let change: String = app::db::query_scalar(
        "SELECT x.public_id FROM status_changes x JOIN students s ON s.id = x.student_id \
         WHERE s.public_id = $1",
    )
    .bind(&s.student)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    for client in [&s.records, &s.leader] {
        let opened = s
            .app
            .call_as(
                client,
                "/api/changes/one",
                &[("change_id", change.as_str())],
            )
            .await;
        assert_eq!(opened.status(), 403);
        let lists = s.app.json(client, "/api/changes", &[]).await;
        assert!(!lists.to_string().contains(&change), "{lists}");
    }
    let proof: String = app::db::query_scalar(
        "SELECT p.public_id FROM status_change_proofs p JOIN status_changes x ON x.id = p.change_id \
         WHERE x.public_id = $1",
    )
    .bind(&change)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    let scan = s
        .records
        .get(s.app.url(&format!("/changes/{change}/proofs/{proof}")))
        .send()
        .await
        .unwrap();
    assert_eq!(scan.status(), 403);
    for client in [&s.records, &s.teacher] {
        assert_eq!(
            s.app.page(client, &page).await.0,
            nobody,
            "no page opens it"
        );
        let found = search(client).await;
        assert_eq!(found["total"], 0, "no search finds it: {found}");
    }

    // The destruction page: the backup is due, the core record is not, and each class of
    // data says how long it is kept and why.
    let home = s.app.json(&s.records, "/api/destructions", &[]).await;
    assert_eq!(home["due_count"], 1, "{home}");
    assert_eq!(home["due"][0]["id"], moved.as_str());
    assert_eq!(home["due"][0]["kept_as"], "transfer_backup");
    let classes: Vec<&str> = home["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        classes,
        [
            "core_record",
            "transfer_backup",
            "drafts",
            "uploads",
            "sessions",
            "refused_forms",
            "released_views"
        ]
    );
    assert_eq!(home["classes"][0]["kept"], "permanently");
    assert_eq!(home["classes"][0]["erasable"], serde_json::Value::Null);
    assert_eq!(home["classes"][1]["kept"]["years"], 3);
    let html = s.app.page(&s.records, "/destructions").await.1;
    assert!(
        html.contains("永久保存") && html.contains("第九条"),
        "{html}"
    );
    assert!(html.contains("任何销毁批次都不包括学籍档案"));

    let (status, _) = propose(&s, &s.records).await;
    assert_eq!(status, 200);
    let batch = last_batch(&s.app).await;
    let page_of_batch = with_names(&s, &s.leader, &batch).await;
    assert_eq!(page_of_batch["student_count"], 1);
    assert_eq!(page_of_batch["allowed_by"][0]["code"], "transfer_backup");
    assert_eq!(page_of_batch["allowed_by"].as_array().unwrap().len(), 1);
    assert_eq!(decide(&s, &s.leader, &batch, "approve").await, 200);
    let kept: (String, bool) =
        app::db::query_as("SELECT name, destroyed_at IS NULL FROM students WHERE public_id = $1")
            .bind(&s.student)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(kept, ("王小明".to_owned(), true), "the core record is kept");
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM students WHERE public_id = $1 AND destroyed_at IS NOT NULL",
            &moved
        )
        .await,
        1
    );

    // A records administrator asks for the archived record by number; a leader approves;
    // another records administrator releases it.
    let picked = s
        .app
        .call_as(
            &s.records,
            "/api/requests/pick/confirm",
            &[("name", "王小明"), ("number", ended.id_number.as_str())],
        )
        .await;
    assert_eq!(picked.status(), 200, "{}", picked.text().await.unwrap());
    let filed = s
        .app
        .call_as(
            &s.records,
            "/api/requests/file",
            &[
                ("filing[purpose]", "home_contact"),
                (
                    "filing[reason]",
                    "学生申请开具在校学籍证明，需核对家长联系电话",
                ),
                ("filing[window_hours]", "24"),
                ("filing[fields][]", "phone"),
            ],
        )
        .await;
    assert_eq!(filed.status(), 200, "{}", filed.text().await.unwrap());
    let request: String =
        app::db::query_scalar("SELECT public_id FROM info_requests ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(s.approve(&s.leader, &request, &["phone"], "24").await, 200);
    assert_eq!(s.fulfil(&s.other_records, &request, &["phone"]).await, 200);
    let release = s
        .app
        .json(
            &s.records,
            "/api/requests/release",
            &[("request_id", &request)],
        )
        .await;
    assert!(
        release["Live"].to_string().contains(&ended.phone),
        "{release}"
    );
    // And its page still does not open.
    assert_eq!(s.app.page(&s.records, &page).await.0, nobody);
}

/// Where the school configured a rule that lets a batch erase a core record, with its
/// citation, a record past that rule's period is due, and the batch page cites the rule.
#[tokio::test]
async fn a_cited_rule_lets_a_batch_take_a_core_record_and_the_batch_says_so() {
    const RULE: &str = "某省中小学学籍档案管理细则 第十二条";
    let s = crate::requests::school_with(
        crate::helpers::spawn_app_configured(
            |_| {},
            |settings| {
                settings.retention.archive_rule = Some(app::kit::retention::ArchiveRule {
                    years: 10,
                    citation: RULE.into(),
                })
            },
        )
        .await,
    )
    .await;
    assert_eq!(
        leave_approved(&s, &s.records, &s.student, "other", "2023-09-01").await,
        200
    );
    // Four years on, the core record is not due under a rule of ten; eleven years on, it is.
    recorded_years_ago(&s, &s.student, 4).await;
    let home = s.app.json(&s.records, "/api/destructions", &[]).await;
    assert_eq!(home["due_count"], 0, "{home}");
    assert_eq!(
        home["classes"][0]["erasable"],
        serde_json::json!([10, RULE])
    );
    app::db::query("UPDATE students SET left_at = $1 WHERE public_id = $2")
        .bind(s.app.clock.now() - chrono::Duration::days(365 * 11 + 3))
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    recorded_years_ago(&s, &s.student, 11).await;
    let home = s.app.json(&s.records, "/api/destructions", &[]).await;
    assert_eq!(home["due_count"], 1, "{home}");
    assert_eq!(home["due"][0]["kept_as"], "core_record");
    let (status, _) = propose(&s, &s.records).await;
    assert_eq!(status, 200);
    let batch = last_batch(&s.app).await;
    let page = with_names(&s, &s.leader, &batch).await;
    assert_eq!(page["allowed_by"][0]["code"], "core_record", "{page}");
    assert_eq!(page["allowed_by"][0]["erasable"][1], RULE);
    let html = s
        .app
        .page(&s.leader, &format!("/destructions/{batch}"))
        .await
        .1;
    assert!(html.contains(RULE), "the batch page cites the rule");
    let proposed: String = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'destruction.proposed'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert!(proposed.contains(RULE), "{proposed}");
    assert_eq!(decide(&s, &s.leader, &batch, "approve").await, 200);
    // The log keeps the rule it was taken under, whatever the settings say later.
    let kept: (Option<i64>, Option<i64>, Option<String>) = app::db::query_as(
        "SELECT backup_years, archive_rule_years, archive_rule_citation FROM destructions \
         WHERE public_id = $1",
    )
    .bind(&batch)
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(kept, (Some(3), Some(10), Some(RULE.to_owned())));
    let approved: String = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'destruction.approved'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert!(approved.contains(RULE), "{approved}");
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM students WHERE public_id = $1 AND destroyed_at IS NOT NULL",
            &s.student
        )
        .await,
        1
    );
}
