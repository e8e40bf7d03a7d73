//! Changes of status (学籍异动) through the server: a records administrator files, a leader
//! who did not file decides, and only the approval changes the student.

use app::clock::Clock;
use reqwest::Client;
use serde_json::Value;

use crate::requests::{School, school};

/// `client` files a change for `student`, and adds its proof once it is filed: its answer.
pub(crate) async fn file(
    s: &School,
    client: &Client,
    student: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let (status, body) = file_unproved(s, client, student, fields).await;
    if status == 200 {
        let change = waiting(s, student).await.expect("filed");
        let proved = crate::fixtures::upload_proof(
            &s.app,
            client,
            &change,
            crate::fixtures::ONE_PIXEL_PNG.to_vec(),
        )
        .await;
        assert_eq!(proved.status(), 200);
    }
    (status, body)
}

/// `client` files a change for `student`, without proof: its answer.
async fn file_unproved(
    s: &School,
    client: &Client,
    student: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = vec![("status_change[student_id]", student)];
    form.extend_from_slice(fields);
    post(s, client, "/api/changes/file", &form).await
}

/// `client` posts `form` to `path`: the answer's status and body.
pub(crate) async fn post(
    s: &School,
    client: &Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = s.app.call_as(client, path, form).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

const TRANSFER: &[(&str, &str)] = &[
    ("status_change[kind]", "transfer_out"),
    ("status_change[reason]", "family_moved"),
    ("status_change[effective_on]", "2024-09-01"),
    ("status_change[other_school]", "城东第二小学"),
    ("status_change[other_school_code]", "2133010600123"),
];

/// The application waiting for `student`.
pub(crate) async fn waiting(s: &School, student: &str) -> Option<String> {
    app::db::query_scalar(
        "SELECT x.public_id FROM status_changes x JOIN students s ON s.id = x.student_id \
         WHERE s.public_id = $1 AND x.state = 'filed'",
    )
    .bind(student)
    .fetch_optional(&s.app.pool)
    .await
    .unwrap()
}

pub(crate) async fn decide(
    s: &School,
    client: &Client,
    change: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut all = vec![("change_id", change)];
    all.extend_from_slice(form);
    post(s, client, "/api/changes/decide", &all).await
}

/// When and why the student left, as their row says.
async fn left(
    s: &School,
    student: &str,
) -> (Option<chrono::DateTime<chrono::Utc>>, Option<String>) {
    app::db::query_as("SELECT left_at, left_reason FROM students WHERE public_id = $1")
        .bind(student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap()
}

async fn on_roster(s: &School, student: &str) -> bool {
    let (status, page) = s
        .app
        .page(&s.teacher, &format!("/records/classes/{}", s.class))
        .await;
    assert_eq!(status, 200);
    page.contains(student)
}

#[tokio::test]
async fn a_change_of_status_takes_effect_only_when_a_leader_who_did_not_file_it_approves() {
    let s = school().await;
    // Only a records administrator files; a teacher or a leader is refused by the check.
    assert_eq!(file(&s, &s.teacher, &s.student, TRANSFER).await.0, 403);
    assert_eq!(file(&s, &s.leader, &s.student, TRANSFER).await.0, 403);
    // Bad input is told field by field and files nothing.
    let (status, body) = file(
        &s,
        &s.records,
        &s.student,
        &[
            ("status_change[kind]", "transfer_out"),
            ("status_change[reason]", "hardship"),
            ("status_change[effective_on]", "2099-01-01"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let codes: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "change.reason_invalid",
            "change.date_future",
            "change.school_required"
        ]
    );
    assert_eq!(waiting(&s, &s.student).await, None);

    // Filed: nothing about the student changes yet; the record says one waits, and a second
    // application is refused while it does.
    let (status, body) = file(&s, &s.records, &s.student, TRANSFER).await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.expect("filed");
    assert_eq!(left(&s, &s.student).await, (None, None));
    assert!(on_roster(&s, &s.student).await);
    let (_, record) = s
        .app
        .page(
            &s.other_records,
            &format!("/records/students/{}", s.student),
        )
        .await;
    assert!(
        record.contains("data-testid=\"change-pending\""),
        "{record}"
    );
    assert!(record.contains(&change));
    assert_eq!(
        file(&s, &s.other_records, &s.student, TRANSFER).await.0,
        409
    );

    // Who decides: a leader, never the one who filed it, even one who is also a leader.
    for client in [&s.records, &s.other_records, &s.teacher, &s.requester] {
        assert_eq!(
            decide(&s, client, &change, &[("decision", "approve")])
                .await
                .0,
            403
        );
    }
    let header = s.app.json(&s.leader, "/api/header", &[]).await;
    assert_eq!(header["changes"], 1, "{header}");
    let (_, form) = s.app.page(&s.leader, &format!("/changes/{change}")).await;
    assert!(form.contains("城东第二小学"), "{form}");
    assert!(form.contains("data-testid=\"change-record\""));

    // Returned with a reason (none is refused): still at school, and filed again.
    assert_eq!(
        decide(&s, &s.leader, &change, &[("decision", "reject")])
            .await
            .0,
        400
    );
    let (status, _) = decide(
        &s,
        &s.leader,
        &change,
        &[("decision", "reject"), ("comment", "请补充转学联系函")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(left(&s, &s.student).await, (None, None));
    assert_eq!(waiting(&s, &s.student).await, None);
    // The filer is told: a notice, and the header counts it until read.
    let header = s.app.json(&s.records, "/api/header", &[]).await;
    assert_eq!(header["changes"], 1, "{header}");
    let (status, _) = file(&s, &s.records, &s.student, TRANSFER).await;
    assert_eq!(status, 200);
    let change = waiting(&s, &s.student).await.unwrap();

    // Approved: the student has left as of the effective day, the move is recorded now
    // (retention counts from it), the roster no longer lists them.
    let (status, body) = decide(&s, &s.other_leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    let (at, reason) = left(&s, &s.student).await;
    assert_eq!(reason.as_deref(), Some("transferred"));
    // Midnight of that day in the school's zone (China Standard Time, UTC+8).
    let at = at.unwrap() + chrono::Duration::hours(8);
    assert_eq!(at.date_naive().to_string(), "2024-09-01");
    assert_eq!(at.time(), chrono::NaiveTime::MIN);
    let recorded: Option<chrono::DateTime<chrono::Utc>> =
        app::db::query_scalar("SELECT left_recorded_at FROM students WHERE public_id = $1")
            .bind(&s.student)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(recorded, Some(s.app.clock.now()));
    assert!(!on_roster(&s, &s.student).await);
    // Dated in an earlier school year: not among this year's transfers.
    assert_eq!(figures(&s, &s.records).await["transferred_out"], 0);
    // Decided once: a second decision, a withdrawal or another filing is refused.
    assert_eq!(
        decide(&s, &s.leader, &change, &[("decision", "approve")])
            .await
            .0,
        409
    );
    let withdrawn = s
        .app
        .call_as(
            &s.records,
            "/api/changes/withdraw",
            &[("change_id", change.as_str())],
        )
        .await;
    assert_eq!(withdrawn.status(), 409);
    assert_eq!(file(&s, &s.records, &s.student, TRANSFER).await.0, 409);

    // The trail names each step, with ids only.
    let actions: Vec<String> = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(a, _)| a.starts_with("status_change.") && !a.contains("proof"))
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        actions,
        [
            "status_change.filed",
            "status_change.rejected",
            "status_change.filed",
            "status_change.approved"
        ]
    );
    let details: Vec<String> =
        app::db::query_scalar("SELECT details FROM audit_log WHERE action LIKE 'status_change.%'")
            .fetch_all(&s.app.pool)
            .await
            .unwrap();
    for d in details {
        assert!(!d.contains("城东") && !d.contains("王小明"), "{d}");
    }

    // Each leader's home lists what they decided, and only that; a leader does not open
    // another leader's decision. The filer's lists both among their own.
    let home = s.app.json(&s.other_leader, "/api/changes", &[]).await;
    assert_eq!(home["to_decide"].as_array().unwrap().len(), 0, "{home}");
    assert_eq!(home["decided"].as_array().unwrap().len(), 1, "{home}");
    assert_eq!(home["decided"][0]["id"], change.as_str());
    assert_eq!(home["decided"][0]["state"], "approved");
    let home = s.app.json(&s.leader, "/api/changes", &[]).await;
    assert_eq!(home["decided"].as_array().unwrap().len(), 1, "{home}");
    assert_eq!(home["decided"][0]["state"], "returned");
    let other = s
        .app
        .call_as(
            &s.leader,
            "/api/changes/one",
            &[("change_id", change.as_str())],
        )
        .await;
    assert_eq!(other.status(), 403);
    let home = s.app.json(&s.records, "/api/changes", &[]).await;
    assert_eq!(home["mine"].as_array().unwrap().len(), 2, "{home}");
    assert!(home["to_decide"].is_null(), "{home}");
}

#[tokio::test]
async fn one_who_is_leader_and_records_administrator_files_or_decides_but_not_both() {
    let s = school().await;
    let (status, body) = file(
        &s,
        &s.both,
        &s.student,
        &[
            ("status_change[kind]", "other_leave"),
            ("status_change[reason]", "other"),
            ("status_change[effective_on]", "2024-03-01"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.unwrap();
    // Not in their own queue, and refused if they try.
    let home = s.app.json(&s.both, "/api/changes", &[]).await;
    assert_eq!(home["to_decide"].as_array().unwrap().len(), 0, "{home}");
    assert_eq!(
        decide(&s, &s.both, &change, &[("decision", "approve")])
            .await
            .0,
        403
    );
    let (_, form) = s.app.page(&s.both, &format!("/changes/{change}")).await;
    assert!(!form.contains("name=\"decision\""), "{form}");
    // Only the filer withdraws; then nothing waits and the student stayed.
    let withdraw = async |client: &Client| {
        s.app
            .call_as(
                client,
                "/api/changes/withdraw",
                &[("change_id", change.as_str())],
            )
            .await
            .status()
            .as_u16()
    };
    assert_eq!(withdraw(&s.records).await, 403);
    assert_eq!(withdraw(&s.leader).await, 403);
    assert_eq!(withdraw(&s.both).await, 200);
    assert_eq!(waiting(&s, &s.student).await, None);
    assert_eq!(left(&s, &s.student).await, (None, None));
    // A teacher sees no change of status at all.
    let response = s.app.call_as(&s.teacher, "/api/changes", &[]).await;
    assert_eq!(response.status(), 403);
    let response = s
        .app
        .call_as(
            &s.teacher,
            "/api/changes/one",
            &[("change_id", change.as_str())],
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_leader_decides_on_a_top_secret_pupil_without_their_name() {
    let s = school().await;
    app::db::query("UPDATE students SET top_secret = TRUE WHERE public_id = $1")
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    let (status, body) = file(&s, &s.records, &s.student, TRANSFER).await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.unwrap();
    let home = s.app.json(&s.leader, "/api/changes", &[]).await;
    assert_eq!(home["to_decide"][0]["student"], "", "{home}");
    assert_eq!(home["to_decide"][0]["student_hidden"], true);
    let (_, form) = s.app.page(&s.leader, &format!("/changes/{change}")).await;
    assert!(!form.contains("王小明"), "{form}");
    assert!(form.contains("绝密学生"), "{form}");
    // The records administrator reads the name.
    let (_, form) = s.app.page(&s.records, &format!("/changes/{change}")).await;
    assert!(form.contains("王小明"));
    // Its proof is for no leader, and for a records administrator inside the school's
    // trusted networks only (none are configured here).
    let proof = top_secret_proof_path(&s, &change).await;
    for client in [&s.leader, &s.records] {
        let status = client.get(s.app.url(&proof)).send().await.unwrap().status();
        assert_eq!(status, 403);
    }
}

/// The address of the first proof of `change`, as its records administrator reads it.
async fn top_secret_proof_path(s: &School, change: &str) -> String {
    let form = s
        .app
        .json(&s.records, "/api/changes/one", &[("change_id", change)])
        .await;
    let proof = form["proofs"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{form}"));
    format!("/changes/{change}/proofs/{proof}")
}

#[tokio::test]
async fn a_top_secret_pupils_proof_opens_inside_the_trusted_networks_for_records_administrators() {
    let s = crate::requests::school_with(
        crate::helpers::spawn_app_configured(
            |_| {},
            |settings| {
                settings.networks.trusted = app::kit::network::parse_list("127.0.0.0/8").unwrap()
            },
        )
        .await,
    )
    .await;
    app::db::query("UPDATE students SET top_secret = TRUE WHERE public_id = $1")
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    let (status, body) = file(&s, &s.records, &s.student, TRANSFER).await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.unwrap();
    let proof = top_secret_proof_path(&s, &change).await;
    let status = |client: &Client| {
        let url = s.app.url(&proof);
        let client = client.clone();
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(&s.records).await, 200);
    assert_eq!(status(&s.leader).await, 403);
    let level: String = app::db::query_scalar(
        "SELECT classification FROM audit_log WHERE action = 'status_change.proof_read'",
    )
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    assert_eq!(level, "top_secret");
}

#[tokio::test]
async fn an_effective_day_stays_between_the_enrolment_and_today() {
    let s = school().await;
    let today = s.app.clock.now().date_naive().to_string();
    for (day, code) in [
        ("2023-08-31", Some("change.date_before")),
        ("2023/09/01", Some("change.date_invalid")),
        ("2023-09-01", None),
    ] {
        let (status, body) = file(
            &s,
            &s.records,
            &s.student,
            &[
                ("status_change[kind]", "drop_out"),
                ("status_change[reason]", "illness"),
                ("status_change[effective_on]", day),
            ],
        )
        .await;
        match code {
            Some(code) => {
                assert_eq!(status, 400, "{day}");
                assert_eq!(body["fields"][0]["code"], code, "{day}");
            }
            None => assert_eq!(status, 200, "{day}: {body}"),
        }
    }
    // Today is allowed, and a kind the portal does not yet file is refused.
    let change = waiting(&s, &s.student).await.unwrap();
    assert_eq!(
        s.app
            .call_as(
                &s.records,
                "/api/changes/withdraw",
                &[("change_id", change.as_str())]
            )
            .await
            .status(),
        200
    );
    for (kind, status) in [("transfer_in", 400), ("abroad", 200)] {
        let (got, body) = file(
            &s,
            &s.records,
            &s.student,
            &[
                ("status_change[kind]", kind),
                ("status_change[reason]", "other"),
                ("status_change[effective_on]", today.as_str()),
            ],
        )
        .await;
        assert_eq!(got, status, "{kind}: {body}");
    }
}

/// A leaving marked the old way (records administrator `chen`, no approval) on `on`.
async fn marked_the_old_way(s: &School, student: &str, reason: &str, on: &str) {
    let chen = s.app.user_id("chen").await;
    let at = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        - chrono::Duration::hours(8);
    app::db::query(
        "UPDATE students SET left_at = $1, left_reason = $2, left_recorded_at = $3, \
         left_marked_by = $4 WHERE public_id = $5",
    )
    .bind(at)
    .bind(reason)
    .bind(s.app.clock.now() - chrono::Duration::days(10))
    .bind(chen)
    .bind(student)
    .execute(&s.app.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn leavings_marked_before_approvals_become_approved_changes_named_so_in_the_trail() {
    let s = school().await;
    marked_the_old_way(&s, &s.student, "transferred", "2024-02-01").await;
    let graduate = crate::fixtures::enter_student(
        &s.app,
        &s.teacher,
        &s.class,
        &crate::fixtures::Student::numbered(8),
    )
    .await;
    marked_the_old_way(&s, &graduate, "graduated", "2024-07-01").await;

    // The next start carries the marking over, once; a graduation is no change of status.
    let restarted = s.app.another_instance().await;
    let again = s.app.another_instance().await;
    let changes: Vec<(String, String, String, Option<i64>, i64)> = app::db::query_as(
        "SELECT x.kind, x.state, x.reason, x.decided_by, x.filed_by FROM status_changes x \
         JOIN students s ON s.id = x.student_id WHERE s.public_id = $1",
    )
    .bind(&s.student)
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    let chen = s.app.user_id("chen").await;
    assert_eq!(
        changes,
        [(
            "transfer_out".into(),
            "approved".into(),
            "other".into(),
            None,
            chen
        )]
    );
    let effective: chrono::NaiveDate =
        app::db::query_scalar("SELECT effective_on FROM status_changes")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!(effective.to_string(), "2024-02-01");
    let migrated = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(a, _)| a == "status_change.migrated")
        .count();
    assert_eq!(migrated, 1);
    // The form says how it came to be; the leaving stays as it was, and no records
    // administrator undoes it alone now.
    let home = restarted.json(&s.records, "/api/changes", &[]).await;
    let change = home["mine"][0]["id"].as_str().unwrap().to_owned();
    let form = restarted
        .json(
            &s.records,
            "/api/changes/one",
            &[("change_id", change.as_str())],
        )
        .await;
    assert_eq!(form["history"][0]["event"], "migrated", "{form}");
    assert_eq!(form["can_decide"], false);
    assert_eq!(left(&s, &s.student).await.1.as_deref(), Some("transferred"));
    let undo = s
        .app
        .call_as(
            &s.other_records,
            "/api/records/student/left/undo",
            &[("student_id", s.student.as_str())],
        )
        .await;
    assert_eq!(undo.status(), 403);
    drop(again);
}

/// The class's figures as `client`'s records overview gives them.
async fn figures(s: &School, client: &Client) -> Value {
    let home = s.app.json(client, "/api/records", &[]).await;
    home["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"]["id"] == s.class.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("the class is in {home}"))
}

#[tokio::test]
async fn the_records_overview_counts_this_years_changes_and_those_waiting() {
    let s = school().await;
    let today = s.app.clock.now().date_naive().to_string();
    let before = figures(&s, &s.leader).await;
    assert_eq!(
        (
            before["students"].as_i64(),
            before["transferred_out"].as_i64(),
            before["changes_waiting"].as_i64()
        ),
        (Some(1), Some(0), Some(0)),
        "{before}"
    );
    let mut transfer = TRANSFER.to_vec();
    transfer[2] = ("status_change[effective_on]", today.as_str());
    let (status, body) = file(&s, &s.records, &s.student, &transfer).await;
    assert_eq!(status, 200, "{body}");
    let waiting_now = figures(&s, &s.leader).await;
    assert_eq!(waiting_now["changes_waiting"], 1, "{waiting_now}");
    assert_eq!(
        waiting_now["students"], 1,
        "nothing changes before the approval"
    );
    let change = waiting(&s, &s.student).await.unwrap();
    assert_eq!(
        decide(&s, &s.leader, &change, &[("decision", "approve")])
            .await
            .0,
        200
    );
    // The same figures for the leader and the records administrator; the class's teacher,
    // who sees no changes of status, is given none of them.
    let theirs = figures(&s, &s.teacher).await;
    assert_eq!(
        (
            theirs["students"].as_i64(),
            theirs["transferred_out"].as_i64(),
            theirs["changes_waiting"].as_i64()
        ),
        (Some(0), Some(0), Some(0)),
        "{theirs}"
    );
    let home = s.app.json(&s.teacher, "/api/records", &[]).await;
    assert_eq!(home["shows_changes"], false);
    let (_, page) = s.app.page(&s.teacher, "/records").await;
    assert!(!page.contains("data-testid=\"transferred-out\""));
    let (_, page) = s.app.page(&s.leader, "/records").await;
    assert!(page.contains("data-testid=\"transferred-out\""));
    for client in [&s.leader, &s.records] {
        let after = figures(&s, client).await;
        assert_eq!(
            (
                after["students"].as_i64(),
                after["transferred_out"].as_i64(),
                after["left_otherwise"].as_i64(),
                after["changes_waiting"].as_i64()
            ),
            (Some(0), Some(1), Some(0), Some(0)),
            "{after}"
        );
    }
    // A grade of two classes has its subtotal row on the overview; a leader's home gives the
    // figures by grade and for the whole school.
    let second = crate::fixtures::seed_class(&s.app, "2班", None).await;
    assert!(!second.is_empty());
    let (_, page) = s.app.page(&s.leader, "/records").await;
    let subtotal = page
        .split("data-testid=\"grade-total\"")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("a subtotal row in {page}"));
    assert!(subtotal.contains("2 个班"), "{subtotal}");
    let (_, home) = s.app.page(&s.leader, "/").await;
    let total = home
        .split("data-testid=\"school-total\"")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("the school's figures in {home}"));
    let cells: Vec<&str> = total
        .split("<td")
        .skip(1)
        .map(|c| c.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    // Enrolled, suspended, in, out, left, waiting.
    assert_eq!(cells, ["0", "0", "0", "1", "0", "0"], "{total}");
    let (_, home) = s.app.page(&s.teacher, "/").await;
    assert!(!home.contains("school-figures"));
    // The figures are this term's: from 1 February the autumn's transfer is no longer counted.
    let now = s.app.clock.now();
    let february = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 2, 1, 1, 0, 0).unwrap();
    s.app.clock.advance(february - now);
    // (The session lapsed meanwhile.)
    s.app
        .sign_in_with(&s.leader, "zhang", crate::helpers::PASSWORD)
        .await;
    let spring = figures(&s, &s.leader).await;
    assert_eq!(spring["transferred_out"], 0, "{spring}");
    // The school says its spring term begins on 1 March: until then the autumn's figures
    // stand. A day outside the year is refused and changes nothing.
    s.app
        .sign_in_with(&s.records, "chen", crate::helpers::PASSWORD)
        .await;
    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let year = year.to_string();
    let set = async |day: &str| {
        post(
            &s,
            &s.records,
            "/api/records/structure/term",
            &[
                ("school_year_id", year.as_str()),
                ("spring_term_starts_on", day),
            ],
        )
        .await
    };
    let (status, body) = set("2026-08-01").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("school_year.spring_outside"),
        "{body}"
    );
    assert_eq!(figures(&s, &s.leader).await["transferred_out"], 0);
    let (status, body) = set("2027-03-01").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(figures(&s, &s.leader).await["transferred_out"], 1);
    let (_, page) = s.app.page(&s.records, "/records/structure").await;
    assert!(page.contains("2027-03-01"), "{page}");
    // Cleared: 1 February again.
    assert_eq!(set("").await.0, 200);
    assert_eq!(figures(&s, &s.leader).await["transferred_out"], 0);
}

/// An application of `kind` for `reason`, effective today.
pub(crate) fn today_s(s: &School) -> String {
    s.app.clock.now().date_naive().to_string()
}

async fn file_today(s: &School, student: &str, kind: &str, reason: &str) -> String {
    let today = today_s(s);
    let (status, body) = file(
        s,
        &s.records,
        student,
        &[
            ("status_change[kind]", kind),
            ("status_change[reason]", reason),
            ("status_change[effective_on]", today.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{kind}: {body}");
    waiting(s, student).await.expect("filed")
}

/// The student's class (its opaque id) and whether they are suspended.
async fn placed(s: &School, student: &str) -> (String, bool) {
    app::db::query_as(
        "SELECT c.public_id, s.suspended_at IS NOT NULL FROM students s \
         JOIN classes c ON c.id = s.class_id WHERE s.public_id = $1",
    )
    .bind(student)
    .fetch_one(&s.app.pool)
    .await
    .unwrap()
}

/// Another class of this school year, of `grade`.
async fn class_of_grade(s: &School, name: &str, grade: i64) -> String {
    let class = crate::fixtures::seed_class(&s.app, name, None).await;
    app::db::query("UPDATE classes SET grade = $1 WHERE public_id = $2")
        .bind(grade)
        .bind(&class)
        .execute(&s.app.pool)
        .await
        .unwrap();
    class
}

#[tokio::test]
async fn a_suspended_student_is_in_no_count_and_resumes_in_the_class_the_approver_picks() {
    let s = school().await;
    let other = class_of_grade(&s, "2班", 3).await;
    // Suspended and resumed within the year: back to the grade they left, not another.
    let higher = class_of_grade(&s, "乙班", 4).await;
    let change = file_today(&s, &s.student, "suspend", "illness").await;
    // Nothing before the approval.
    assert_eq!(placed(&s, &s.student).await, (s.class.clone(), false));
    assert_eq!(figures(&s, &s.leader).await["students"], 1);
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");

    // Suspended: still listed with the class, in words; in no class's count.
    assert_eq!(placed(&s, &s.student).await, (s.class.clone(), true));
    for client in [&s.leader, &s.records] {
        let f = figures(&s, client).await;
        assert_eq!(
            (f["students"].as_i64(), f["suspended"].as_i64()),
            (Some(0), Some(1)),
            "{f}"
        );
        // Every other figure adds up to the students: the suspended one is in none.
        let states: i64 = ["draft", "submitted", "verified", "returned"]
            .iter()
            .map(|k| f[k].as_i64().unwrap())
            .sum();
        assert_eq!(states, 0, "{f}");
    }
    // Who sees no changes of status is not told how many are suspended.
    let f = figures(&s, &s.teacher).await;
    assert_eq!(
        (f["students"].as_i64(), f["suspended"].as_i64()),
        (Some(0), Some(0)),
        "{f}"
    );
    let (_, roster) = s
        .app
        .page(&s.teacher, &format!("/records/classes/{}", s.class))
        .await;
    assert!(
        roster.contains(&s.student) && roster.contains("休学"),
        "{roster}"
    );
    let (_, record) = s
        .app
        .page(&s.records, &format!("/records/students/{}", s.student))
        .await;
    assert!(record.contains("data-testid=\"suspended\""), "{record}");
    // A suspended student resumes, is suspended further or leaves; no grade moves.
    let today = today_s(&s);
    let (status, body) = file(
        &s,
        &s.records,
        &s.student,
        &[
            ("status_change[kind]", "repeat_grade"),
            ("status_change[reason]", "academic"),
            ("status_change[effective_on]", today.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["code"], "change.kind_while_suspended");

    // A resumption: its approver is offered this year's classes and must pick one.
    let change = file_today(&s, &s.student, "resume", "recovered").await;
    let (_, form) = s.app.page(&s.leader, &format!("/changes/{change}")).await;
    assert!(
        form.contains("name=\"to_class\"") && form.contains(&other) && !form.contains(&higher),
        "{form}"
    );
    for picked in ["", "no-such-class", s.student.as_str(), higher.as_str()] {
        let (status, body) = decide(
            &s,
            &s.leader,
            &change,
            &[("decision", "approve"), ("to_class", picked)],
        )
        .await;
        assert_eq!(status, 400, "{picked}: {body}");
        assert_eq!(placed(&s, &s.student).await, (s.class.clone(), true));
    }
    let (status, body) = decide(
        &s,
        &s.leader,
        &change,
        &[("decision", "approve"), ("to_class", other.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(placed(&s, &s.student).await, (other.clone(), false));
    let (_, form) = s.app.page(&s.records, &format!("/changes/{change}")).await;
    assert!(form.contains("data-testid=\"change-to-class\""), "{form}");
    // The form still says the class it was filed from.
    assert!(form.contains("三年级 1班"), "{form}");
    // Only a suspended student resumes.
    let (status, body) = file(
        &s,
        &s.records,
        &s.student,
        &[
            ("status_change[kind]", "resume"),
            ("status_change[reason]", "recovered"),
            ("status_change[effective_on]", today.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["code"], "change.kind_not_suspended");
}

#[tokio::test]
async fn a_repeated_grade_goes_one_grade_down_and_a_skipped_one_up() {
    let s = school().await;
    let same = class_of_grade(&s, "2班", 3).await;
    let below = class_of_grade(&s, "甲班", 2).await;
    let above = class_of_grade(&s, "乙班", 4).await;
    let change = file_today(&s, &s.student, "repeat_grade", "academic").await;
    // Offered only the grade below; another grade is refused and changes nothing.
    let (_, form) = s.app.page(&s.leader, &format!("/changes/{change}")).await;
    assert!(form.contains(&below) && !form.contains(&same) && !form.contains(&above));
    for wrong in [&same, &above] {
        let (status, _) = decide(
            &s,
            &s.leader,
            &change,
            &[("decision", "approve"), ("to_class", wrong.as_str())],
        )
        .await;
        assert_eq!(status, 400);
    }
    assert_eq!(placed(&s, &s.student).await, (s.class.clone(), false));
    let (status, body) = decide(
        &s,
        &s.leader,
        &change,
        &[("decision", "approve"), ("to_class", below.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(placed(&s, &s.student).await, (below.clone(), false));
    // Now in grade 2: a skipped grade goes to grade 3.
    let change = file_today(&s, &s.student, "skip_grade", "academic").await;
    assert_eq!(
        decide(
            &s,
            &s.leader,
            &change,
            &[("decision", "approve"), ("to_class", above.as_str())],
        )
        .await
        .0,
        400
    );
    let (status, _) = decide(
        &s,
        &s.leader,
        &change,
        &[("decision", "approve"), ("to_class", same.as_str())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(placed(&s, &s.student).await, (same, false));
}

#[tokio::test]
async fn the_rollover_leaves_a_suspended_student_where_they_are() {
    let s = school().await;
    let classmate = crate::fixtures::enter_student(
        &s.app,
        &s.teacher,
        &s.class,
        &crate::fixtures::Student::numbered(8),
    )
    .await;
    let change = file_today(&s, &s.student, "suspend", "family_reasons").await;
    assert_eq!(
        decide(&s, &s.leader, &change, &[("decision", "approve")])
            .await
            .0,
        200
    );
    // A 跳级 waiting for the classmate while the year rolls over.
    let skipping = file_today(&s, &classmate, "skip_grade", "academic").await;
    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let year = year.to_string();
    let form = [
        ("from_year", year.as_str()),
        ("name", "2027-2028"),
        ("starts_on", "2027-09-01"),
        ("ends_on", "2028-07-15"),
        ("final_grade", "9"),
        ("confirmed", "yes"),
    ];
    // The preview says the suspended pupil stays.
    let preview = s
        .app
        .call_as(&s.records, "/api/records/structure/rollover", &form[..5])
        .await;
    assert_eq!(preview.status(), 200);
    let (_, page) = s.app.page(&s.records, "/records/structure").await;
    assert!(
        page.contains("data-testid=\"rollover-stayed\"") && page.contains("1 名休学学生留在原班级"),
        "{page}"
    );
    let response = s
        .app
        .call_as(&s.records, "/api/records/structure/rollover", &form)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let moved: i64 = app::db::query_scalar("SELECT COUNT(*) FROM school_years")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(moved, 2, "the rollover ran");
    let (moved_up, _) = placed(&s, &classmate).await;
    assert_ne!(moved_up, s.class, "moved up");
    // Its form says where the classmate is now, beside the class it was filed from.
    let (_, form) = s.app.page(&s.leader, &format!("/changes/{skipping}")).await;
    assert!(
        form.contains("data-testid=\"change-student-now\"") && form.contains("2027-2028"),
        "{form}"
    );
    assert_eq!(placed(&s, &s.student).await, (s.class.clone(), true));
    // Suspended a year ago (as stored), they are on the records administrator's reminder,
    // and may resume with their class, now a grade up.
    app::db::query("UPDATE students SET suspended_at = $1 WHERE public_id = $2")
        .bind(s.app.clock.now() - chrono::Duration::days(366))
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    let home = s.app.json(&s.records, "/api/changes", &[]).await;
    assert_eq!(
        home["long_suspended"][0]["id"],
        s.student.as_str(),
        "{home}"
    );
    let change = file_today(&s, &s.student, "resume", "family_reasons").await;
    let (status, body) = decide(
        &s,
        &s.leader,
        &change,
        &[("decision", "approve"), ("to_class", moved_up.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(placed(&s, &s.student).await, (moved_up, false));
}

/// The first application waiting for the leader: when it is due, and whether it is late.
async fn due(s: &School) -> (String, bool) {
    let home = s.app.json(&s.leader, "/api/changes", &[]).await;
    let first = &home["to_decide"][0];
    (
        first["due_on"].as_str().unwrap_or_default().to_owned(),
        first["overdue"]
            .as_bool()
            .unwrap_or_else(|| panic!("{home}")),
    )
}

async fn set_day(s: &School, client: &Client, form: &[(&str, &str)]) -> (u16, Value) {
    let response = s
        .app
        .call_as(client, "/api/records/calendar/set", form)
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn ten_working_days_count_round_the_days_the_school_names_and_then_it_is_late() {
    let s = school().await;
    // Filed on Tuesday 1 September 2026: ten working days end on Tuesday 15 September.
    file_today(&s, &s.student, "drop_out", "hardship").await;
    assert_eq!(due(&s).await, ("2026-09-15".into(), false));

    // The school closes on Thursday 10 September: the clock goes round it.
    let (status, body) = set_day(
        &s,
        &s.records,
        &[
            ("calendar_day[date]", "2026-09-10"),
            ("calendar_day[kind]", "holiday"),
            ("calendar_day[name]", "教师节"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(due(&s).await, ("2026-09-16".into(), false));
    let (_, page) = s.app.page(&s.records, "/records/calendar").await;
    assert!(page.contains("教师节") && page.contains("国庆节"), "{page}");
    // Bad input is told field by field and sets nothing.
    let (status, body) = set_day(
        &s,
        &s.records,
        &[
            ("calendar_day[date]", "2026-02-30"),
            ("calendar_day[kind]", "rest"),
            ("calendar_day[name]", ""),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"].as_array().unwrap().len(), 3, "{body}");

    // On its last day it is not late; the day after, it is: on the lists, the homes of who
    // decides and who files, and the inspection checklist.
    // (Sessions lapse meanwhile: each signs in again.)
    let again = async |days: i64| {
        s.app.clock.advance(chrono::Duration::days(days));
        for (client, name) in [(&s.leader, "zhang"), (&s.records, "chen")] {
            s.app
                .sign_in_with(client, name, crate::helpers::PASSWORD)
                .await;
        }
    };
    again(15).await;
    assert_eq!(due(&s).await, ("2026-09-16".into(), false));
    again(1).await;
    assert_eq!(due(&s).await, ("2026-09-16".into(), true));
    for client in [&s.leader, &s.records] {
        let todo = s.app.json(client, "/api/todo", &[]).await;
        assert!(
            todo.as_array()
                .unwrap()
                .iter()
                .any(|t| t["what"] == "changes_overdue" && t["count"] == 1),
            "{todo}"
        );
    }
    let (_, page) = s.app.page(&s.leader, "/changes").await;
    assert!(page.contains("data-testid=\"change-overdue\""), "{page}");
    let inspections = s.app.json(&s.records, "/api/inspections", &[]).await;
    assert_eq!(inspections["now"]["changes_overdue"], 1, "{inspections}");

    // The school's word removed, the shipped calendar stands again; once, not twice.
    let remove = async || {
        s.app
            .call_as(
                &s.records,
                "/api/records/calendar/remove",
                &[("day", "2026-09-10")],
            )
            .await
            .status()
    };
    assert_eq!(remove().await, 200);
    assert_eq!(due(&s).await, ("2026-09-15".into(), true));
    assert_eq!(remove().await, 409);
    let trail: Vec<String> = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .filter(|a| a.starts_with("records.calendar"))
        .collect();
    assert_eq!(
        trail,
        ["records.calendar_day_set", "records.calendar_day_removed"]
    );
}

#[tokio::test]
async fn a_change_is_approved_on_its_proof_which_only_its_readers_open() {
    let s = school().await;
    let (status, body) = file_unproved(&s, &s.records, &s.student, TRANSFER).await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.unwrap();
    // No proof, no approval; nothing changes.
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "change.proof_required");
    assert_eq!(left(&s, &s.student).await, (None, None));

    let upload = async |client: &Client, bytes: Vec<u8>| {
        crate::fixtures::upload_proof(&s.app, client, &change, bytes)
            .await
            .status()
            .as_u16()
    };
    let png = crate::fixtures::ONE_PIXEL_PNG.to_vec();
    // Only its filer adds proof.
    for client in [&s.other_records, &s.leader, &s.teacher] {
        assert_eq!(upload(client, png.clone()).await, 403);
    }
    // Told by what it holds, whole, and at most 2 MB: a GIF, text named .png, a cut PNG,
    // an oversized one are refused and kept nowhere.
    let mut cut = png.clone();
    cut.truncate(40);
    let mut big = png.clone();
    big.resize(2 * 1024 * 1024 + 1, 0);
    for bad in [
        b"GIF89a\x01\x00\x01\x00".to_vec(),
        b"not a picture".to_vec(),
        cut,
        big,
    ] {
        assert_eq!(upload(&s.records, bad).await, 400);
    }
    let kept: i64 = app::db::query_scalar("SELECT COUNT(*) FROM status_change_proofs")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    assert_eq!(upload(&s.records, png.clone()).await, 200);
    // Sealed as it is kept.
    let sealed: Vec<u8> = app::db::query_scalar("SELECT sealed FROM status_change_proofs")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert!(!sealed.windows(4).any(|w| w == b"IHDR"));

    // The leader deciding opens it, as it was; a teacher, another leader's outsider, nobody
    // signed in does not; another application's address finds nothing.
    let form = s
        .app
        .json(
            &s.leader,
            "/api/changes/one",
            &[("change_id", change.as_str())],
        )
        .await;
    let proof = form["proofs"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(form["proofs"][0]["media_type"], "image/png");
    let (_, page) = s.app.page(&s.leader, &format!("/changes/{change}")).await;
    assert!(
        page.contains(&format!("/changes/{change}/proofs/{proof}")),
        "{page}"
    );
    let path = format!("/changes/{change}/proofs/{proof}");
    let response = s.leader.get(s.app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.bytes().await.unwrap().to_vec(), png);
    for client in [&s.teacher, &s.requester] {
        let status = client.get(s.app.url(&path)).send().await.unwrap().status();
        assert_eq!(status, 403);
    }
    let anonymous = s.app.browser().get(s.app.url(&path)).send().await.unwrap();
    assert_ne!(anonymous.status(), 200);
    let elsewhere = format!("/changes/{proof}/proofs/{proof}");
    let status = s
        .leader
        .get(s.app.url(&elsewhere))
        .send()
        .await
        .unwrap()
        .status();
    assert_ne!(status, 200);

    // Approved on it; a decided application takes no more proof.
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(upload(&s.records, png.clone()).await, 403);
    // Each addition and each opening is in the trail, by ids.
    let entries: Vec<(String, String)> = app::db::query_as(
        "SELECT action, COALESCE(details, '') FROM audit_log \
         WHERE action LIKE 'status_change.proof_%' ORDER BY seq",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["status_change.proof_added", "status_change.proof_read"]
    );
    for (_, details) in &entries {
        assert!(
            details.contains(&proof) && !details.contains("王"),
            "{details}"
        );
    }
}

/// `client` takes review step `step` on `student` (`submit`, `verify`).
pub(crate) async fn review_step(s: &School, client: &Client, student: &str, step: &str) {
    let response = s
        .app
        .call_as(
            client,
            "/api/records/student/step",
            &[("student_id", student), ("step", step), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// `client` files a 关键数据变更 for `student`: its answer.
pub(crate) async fn file_key_data(
    s: &School,
    client: &Client,
    student: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut all = vec![("student_id", student)];
    all.extend_from_slice(form);
    post(s, client, "/api/records/key_data", &all).await
}

async fn stored(s: &School, sql: &str) -> (String, String) {
    app::db::query_as(sql)
        .bind(&s.student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap()
}

/// Once verified, a record's key data (name, sex, birth, document, ethnicity, nationality,
/// 户口) changes only through a 关键数据变更 a records administrator files and, on its
/// proof, a leader who did not file it approves; the teacher keeps the other fields up to
/// date, and the application names what changes, masked where classified.
#[tokio::test]
async fn a_verified_records_key_data_changes_only_by_an_approved_application_with_proof() {
    use crate::fixtures::{Student, call, id_number, with};
    let s = school().await;
    let pupil = Student::numbered(7);
    // Before it is verified the teacher corrects it, and no application is taken.
    let (status, body) = file_key_data(
        &s,
        &s.records,
        &s.student,
        &[
            ("reason", "registration_error"),
            ("record[student][name]", "王晓明"),
        ],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("key_data.not_verified"), "{body}");
    review_step(&s, &s.teacher, &s.student, "submit").await;
    review_step(&s, &s.records, &s.student, "verify").await;

    // The teacher's edit of a key field is refused and changes nothing; of another, taken.
    let edit = |extra: &[(&str, &str)]| {
        let mut extra = extra.to_vec();
        extra.push(("student_id", s.student.as_str()));
        with(pupil.form(), &extra)
    };
    let refused = call(
        &s.app,
        &s.teacher,
        "/api/records/student/save",
        &edit(&[("record[student][name]", "王晓明")]),
    )
    .await;
    assert_eq!(refused.status(), 400);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("record.key_data_controlled") && body.contains("\"name\""),
        "{body}"
    );
    let name = || stored(&s, "SELECT name, status FROM students WHERE public_id = $1");
    assert_eq!(name().await, ("王小明".to_owned(), "verified".to_owned()));
    let taken = call(
        &s.app,
        &s.teacher,
        "/api/records/student/save",
        &edit(&[("record[student][phone]", "13812345678")]),
    )
    .await;
    assert_eq!(taken.status(), 200, "{}", taken.text().await.unwrap());
    // Back to waiting for verification, its key data is still no teacher's to change.
    assert_eq!(name().await.1, "submitted");
    let refused = call(
        &s.app,
        &s.teacher,
        "/api/records/student/save",
        &edit(&[
            ("record[student][phone]", "13812345678"),
            ("record[student][name]", "王晓明"),
        ]),
    )
    .await;
    assert_eq!(refused.status(), 400);
    assert_eq!(name().await.0, "王小明");
    review_step(&s, &s.records, &s.student, "verify").await;

    // The records administrator's page offers the application.
    let (_, page) = s
        .app
        .page(&s.records, &format!("/records/students/{}", s.student))
        .await;
    assert!(page.contains("data-testid=\"key-data\""), "{page}");
    // What it takes: key fields only, something that changes, values the record's rules
    // accept, a reason of the kind's.
    for (form, code) in [
        (
            vec![
                ("reason", "registration_error"),
                ("record[student][phone]", "13900000000"),
            ],
            "key_data.not_key_field",
        ),
        (
            vec![("reason", "registration_error")],
            "key_data.nothing_changed",
        ),
        (
            vec![
                ("reason", "registration_error"),
                ("record[student][name]", "王小明"),
            ],
            "key_data.nothing_changed",
        ),
        (
            vec![
                ("reason", "registration_error"),
                ("record[student][id_number]", "330106201703070011"),
            ],
            "id_card.",
        ),
        (
            vec![("reason", "because"), ("record[student][name]", "王晓明")],
            "change.reason_invalid",
        ),
    ] {
        let (status, body) = file_key_data(&s, &s.records, &s.student, &form).await;
        assert_eq!(status, 400, "{form:?}: {body}");
        assert!(body.to_string().contains(code), "{form:?}: {body}");
    }
    assert_eq!(waiting(&s, &s.student).await, None, "nothing was filed");
    // A teacher files none.
    let (status, _) = file_key_data(
        &s,
        &s.teacher,
        &s.student,
        &[
            ("reason", "registration_error"),
            ("record[student][name]", "王晓明"),
        ],
    )
    .await;
    assert_eq!(status, 403);

    // The name and the identity number (another valid one of the same birth and sex).
    let new_number = id_number("330106", "20170307", "027");
    let (status, body) = file_key_data(
        &s,
        &s.records,
        &s.student,
        &[
            ("reason", "police_correction"),
            ("record[student][name]", "王晓明"),
            ("record[student][id_number]", &new_number),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.expect("filed");
    let form = s
        .app
        .json(&s.leader, "/api/changes/one", &[("change_id", &change)])
        .await;
    assert_eq!(form["kind"], "key_data");
    let changes = form["key_changes"].as_array().unwrap();
    let named: Vec<&str> = changes
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    // The 学籍号 made of the number follows it.
    assert_eq!(named, ["name", "id_number", "student_number"], "{form}");
    assert_eq!(
        (changes[0]["before"].as_str(), changes[0]["after"].as_str()),
        (Some("王小明"), Some("王晓明"))
    );
    let text = form.to_string();
    assert!(
        !text.contains(&new_number) && !text.contains(&pupil.id_number),
        "numbers masked: {text}"
    );
    // Sealed at rest: the new values are not in the row in the clear.
    let sealed: Vec<u8> =
        app::db::query_scalar("SELECT sealed FROM status_changes WHERE public_id = $1")
            .bind(&change)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert!(
        !sealed
            .windows(new_number.len())
            .any(|w| w == new_number.as_bytes())
    );
    let html = s.app.page(&s.leader, &format!("/changes/{change}")).await.1;
    assert!(
        html.contains("关键数据变更") && html.contains("王晓明"),
        "{html}"
    );

    // Nothing changes before the approval; its filer decides nothing; it needs its proof.
    assert_eq!(name().await.0, "王小明");
    assert_eq!(
        decide(&s, &s.records, &change, &[("decision", "approve")])
            .await
            .0,
        403
    );
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("change.proof_required"));
    let proved = crate::fixtures::upload_proof(
        &s.app,
        &s.records,
        &change,
        crate::fixtures::ONE_PIXEL_PNG.to_vec(),
    )
    .await;
    assert_eq!(proved.status(), 200);
    let revisions = || async {
        app::db::query_scalar::<i64>(
            "SELECT COUNT(*) FROM student_revisions r JOIN students s ON s.id = r.student_id \
             WHERE s.public_id = $1",
        )
        .bind(&s.student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap()
    };
    let before = revisions().await;
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    // Written, still verified (the approval is its check), with a revision and an entry.
    assert_eq!(name().await, ("王晓明".to_owned(), "verified".to_owned()));
    assert_eq!(revisions().await, before + 1);
    let details: Vec<String> = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action IN ('student.updated', 'status_change.approved') \
         ORDER BY seq DESC LIMIT 2",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();
    assert!(
        details
            .iter()
            .all(|d| d.contains("id_number") && d.contains("name")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .all(|d| !d.contains("王晓明") && !d.contains(&new_number)),
        "{details:?}"
    );
    // The new number finds the pupil; the old one nobody.
    for (number, found) in [(new_number.as_str(), 1), (pupil.id_number.as_str(), 0)] {
        s.app
            .call_as(&s.records, "/api/records/search", &[("query", number)])
            .await;
        let hits = s
            .app
            .json(&s.records, "/api/records/search/results", &[])
            .await;
        assert_eq!(hits["total"], found, "{number}: {hits}");
    }
    // And the teacher's form shows the new name.
    let (_, form_page) = s
        .app
        .page(&s.teacher, &format!("/records/students/{}", s.student))
        .await;
    assert!(form_page.contains("王晓明"));

    // A number another pupil at school came to hold meanwhile is not written, whoever holds
    // it (the approver is not told who).
    let taken_number = id_number("330106", "20170307", "039");
    let (status, body) = file_key_data(
        &s,
        &s.records,
        &s.student,
        &[
            ("reason", "registration_error"),
            ("record[student][id_number]", &taken_number),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.expect("filed");
    let proved = crate::fixtures::upload_proof(
        &s.app,
        &s.records,
        &change,
        crate::fixtures::ONE_PIXEL_PNG.to_vec(),
    )
    .await;
    assert_eq!(proved.status(), 200);
    let mut newcomer = Student::numbered(8);
    newcomer.id_number = taken_number.clone();
    crate::fixtures::enter_student(&s.app, &s.teacher, &s.class, &newcomer).await;
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("key_data.number_taken"), "{body}");
    assert!(!body.to_string().contains(&taken_number));
    assert_eq!(waiting(&s, &s.student).await, Some(change));
}

/// A pupil come from another school is registered by an approved 转入, filed for their new
/// record from the school they came from: the record is verified only after the approval,
/// the records overview counts them transferred in, their record says from where, and a
/// record verified or registered once takes no 转入.
#[tokio::test]
async fn a_transfer_in_registers_a_new_record_verified_only_after_its_approval() {
    let s = school().await;
    review_step(&s, &s.teacher, &s.student, "submit").await;
    let today = today_s(&s);
    let transfer_in = |school: &'static str| {
        vec![
            ("status_change[kind]", "transfer_in"),
            ("status_change[reason]", "family_moved"),
            ("status_change[effective_on]", today.as_str()),
            ("status_change[other_school]", school),
            ("status_change[other_school_code]", "2133010600456"),
        ]
    };
    // The school it came from is named.
    let (status, body) = file_unproved(&s, &s.records, &s.student, &transfer_in("")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("change.school_required"),
        "{body}"
    );
    let (status, body) = file(&s, &s.records, &s.student, &transfer_in("城西实验小学")).await;
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.expect("filed");
    // Not verified while it waits, one by one or in a batch.
    let step = [
        ("student_id", s.student.as_str()),
        ("step", "verify"),
        ("reason", ""),
    ];
    let verify = || {
        s.app
            .call_as(&s.records, "/api/records/student/step", &step)
    };
    let refused = verify().await;
    assert_eq!(refused.status(), 409);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("record.transfer_in_waiting")
    );
    s.app
        .call_as(
            &s.records,
            "/api/records/queue/verify",
            &[("students[]", s.student.as_str())],
        )
        .await;
    let status: String = app::db::query_scalar("SELECT status FROM students WHERE public_id = $1")
        .bind(&s.student)
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
    let before = figures(&s, &s.leader).await;
    assert_eq!(before["transferred_in"], 0, "{before}");

    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(verify().await.status(), 200);
    let after = figures(&s, &s.leader).await;
    assert_eq!(
        (after["transferred_in"].as_i64(), after["students"].as_i64()),
        (Some(1), Some(1)),
        "{after}"
    );
    let (_, page) = s
        .app
        .page(&s.records, &format!("/records/students/{}", s.student))
        .await;
    assert!(page.contains("data-testid=\"transferred-in\"") && page.contains("城西实验小学"));
    // Registered once, and verified: no second 转入.
    let (status, body) = file_unproved(&s, &s.records, &s.student, &transfer_in("城南小学")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("change.kind_not_new"), "{body}");
    // Nor is one offered on the record's form any more.
    assert!(!page.contains("value=\"transfer_in\""), "no 转入 offered");
}
