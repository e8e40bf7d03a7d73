//! Problem records (问题学籍) through the server: what the portal finds itself, what the
//! national system's check says, and each way out (佐证, a key-data change, a deleted
//! duplicate), each an audit entry; leaders read counts and what was resolved.

use app::domain::Role;
use reqwest::Client;
use serde_json::Value;

use crate::{
    changes::{decide, file, file_key_data, post, review_step, waiting},
    fixtures::{Student, call, enter_student, seed_class, with},
    requests::{School, school},
};

async fn problems(s: &School, client: &Client) -> (u16, Value) {
    post(s, client, "/api/records/problems", &[]).await
}

/// The open problems' (kind, student, other) as a records administrator's page lists them.
fn open(page: &Value) -> Vec<(String, String, String)> {
    page["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_owned(),
                p["student"]["id"].as_str().unwrap().to_owned(),
                p["other"]["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn count(page: &Value, kind: &str) -> i64 {
    page["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == kind)
        .map(|c| c[1].as_i64().unwrap())
        .unwrap()
}

async fn evidence(
    s: &School,
    student: &str,
    kind: &str,
    other: &str,
    document: &str,
) -> (u16, Value) {
    post(
        s,
        &s.records,
        "/api/records/problems/evidence",
        &[
            ("problem_evidence[student_id]", student),
            ("problem_evidence[kind]", kind),
            ("problem_evidence[other_id]", other),
            ("problem_evidence[document]", document),
        ],
    )
    .await
}

async fn trail(s: &School, action: &str) -> Vec<String> {
    app::db::query_scalar("SELECT details FROM audit_log WHERE action = $1 ORDER BY seq")
        .bind(action)
        .fetch_all(&s.app.pool)
        .await
        .unwrap()
}

/// A second class whose teacher enters a pupil the first class holds (a clash no teacher is
/// told of), two passport holders alike in name, sex and birth date, and the national
/// system's check: each is found, and each is settled its own way.
#[tokio::test]
async fn problem_records_are_found_and_each_settled_its_own_way() {
    let s = school().await;
    let qian = s.app.create_user("qian", &[Role::HomeroomTeacher]).await;
    let class2 = seed_class(&s.app, "2班", Some(qian)).await;
    let teacher2 = s.app.browser();
    s.app
        .sign_in_with(&teacher2, "qian", crate::helpers::PASSWORD)
        .await;
    // The same pupil entered again in another class: one number, two records.
    let copy = enter_student(&s.app, &teacher2, &class2, &Student::numbered(7)).await;
    // Two passport holders, both 王小明, girls born 2017-03-07.
    let passport = |n: u32, number: &str| {
        with(
            Student::numbered(n).form(),
            &[
                ("class_id", class2.as_str()),
                ("record[student][document_type]", "4"),
                ("record[student][id_number]", number),
                ("record[student][student_number]", ""),
            ],
        )
    };
    for (n, number) in [(20, "E12345678"), (22, "E87654321")] {
        let saved = call(
            &s.app,
            &teacher2,
            "/api/records/student/save",
            &passport(n, number),
        )
        .await;
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    }
    let twins: Vec<String> = app::db::query_scalar(
        "SELECT public_id FROM students WHERE document_type = '4' ORDER BY id",
    )
    .fetch_all(&s.app.pool)
    .await
    .unwrap();

    // Who reads the page: records administrators each problem, leaders counts.
    let (status, page) = problems(&s, &s.records).await;
    assert_eq!(status, 200, "{page}");
    let found = open(&page);
    assert!(
        found.contains(&("number_shared".into(), s.student.clone(), copy.clone())),
        "{page}"
    );
    assert!(
        found.contains(&("look_alike".into(), twins[0].clone(), twins[1].clone())),
        "{page}"
    );
    // One pair, once, whichever numbers it shares.
    assert_eq!(found.len(), 2, "{page}");
    let (status, seen) = problems(&s, &s.leader).await;
    assert_eq!(status, 200);
    assert_eq!(seen["open"], serde_json::json!([]));
    assert_eq!(count(&seen, "number_shared"), 1);
    assert_eq!(count(&seen, "look_alike"), 1);
    assert!(!seen.to_string().contains(&s.student), "{seen}");
    assert_eq!(problems(&s, &s.teacher).await.0, 403);
    let (status, html) = s.app.page(&s.records, "/records/problems").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"open-problems\""), "{html}");

    // 佐证 settles the look-alikes; a shared number it never settles; nor anything not open.
    let (status, body) = evidence(&s, &s.student, "number_shared", &copy, "id_card").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("problems.kind_invalid"), "{body}");
    let (status, body) = evidence(&s, &twins[1], "look_alike", &twins[0], "").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("problems.document_invalid"),
        "{body}"
    );
    let (status, body) = evidence(&s, &twins[1], "look_alike", &twins[0], "passport").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = evidence(&s, &twins[0], "look_alike", &twins[1], "passport").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "problems.not_open");
    let (status, _) = post(
        &s,
        &s.teacher,
        "/api/records/problems/evidence",
        &[
            ("problem_evidence[student_id]", s.student.as_str()),
            ("problem_evidence[kind]", "not_found"),
            ("problem_evidence[document]", "hukou_book"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let entries = trail(&s, "problem_record.evidenced").await;
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].contains("passport") && !entries[0].contains("E1234"),
        "{entries:?}"
    );

    // The national system's check: a line about a pupil at school becomes a problem; a
    // number no pupil holds, and a line it cannot read, are counted and kept nowhere.
    let pupil = Student::numbered(7);
    let other_number = crate::fixtures::id_number("330106", "20170307", "999");
    let csv = format!(
        "姓名,身份证件号,比对结果\n王小明,{},身份证号与姓名不匹配\n某某,{other_number},身份证号不存在\n王小明,{},通过\n",
        pupil.id_number, pupil.id_number
    );
    let uploaded =
        crate::fixtures::upload_feedback(&s.app, &s.teacher, "check.csv", csv.clone().into_bytes())
            .await;
    assert_eq!(uploaded.status(), 403);
    let uploaded =
        crate::fixtures::upload_feedback(&s.app, &s.records, "check.csv", csv.into_bytes()).await;
    assert_eq!(uploaded.status(), 200, "{}", uploaded.text().await.unwrap());
    let entries = trail(&s, "problem_record.feedback_imported").await;
    assert_eq!(entries.len(), 1);
    let counts: Value = serde_json::from_str(&entries[0]).unwrap();
    assert_eq!(
        (
            counts["matched"].as_i64(),
            counts["not_here"].as_i64(),
            counts["not_understood"].as_i64()
        ),
        (Some(1), Some(1), Some(1)),
        "{counts}"
    );
    assert!(!entries[0].contains(&pupil.id_number));
    let (_, page) = problems(&s, &s.records).await;
    let found = open(&page);
    // The one number two records hold: both are named.
    assert!(
        found.contains(&("name_mismatch".into(), s.student.clone(), String::new())),
        "{page}"
    );
    assert!(
        found.contains(&("name_mismatch".into(), copy.clone(), String::new())),
        "{page}"
    );
    let unreadable = crate::fixtures::upload_feedback(
        &s.app,
        &s.records,
        "check.csv",
        "姓名,学籍号\n王小明,G1\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(unreadable.status(), 400);

    // 删除: the copy is deleted as a duplicate by a change a leader approves; with it go the
    // shared number and the copy's feedback.
    let (status, body) = file(
        &s,
        &s.records,
        &copy,
        &[
            ("status_change[kind]", "duplicate"),
            ("status_change[reason]", "number_shared"),
            ("status_change[effective_on]", &crate::changes::today_s(&s)),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Nothing changes before the approval.
    let (_, page) = problems(&s, &s.records).await;
    assert!(open(&page).iter().any(|p| p.0 == "number_shared"));
    let change = waiting(&s, &copy).await.unwrap();
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = problems(&s, &s.records).await;
    let found = open(&page);
    assert!(!found.iter().any(|p| p.0 == "number_shared"), "{page}");
    assert_eq!(
        found,
        vec![("name_mismatch".into(), s.student.clone(), String::new())],
        "{page}"
    );
    // The deletion is visible to leaders, with who filed and who approved it.
    let (_, seen) = problems(&s, &s.leader).await;
    let deleted: Vec<&Value> = seen["settled"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["how"] == "delete")
        .collect();
    assert_eq!(deleted.len(), 1, "{seen}");
    assert_eq!(deleted[0]["student"]["name"], "王小明");
    assert!(deleted[0]["approved_by"].is_string(), "{seen}");

    // A key-data change, approved, settles what the national system said before it.
    review_step(&s, &s.teacher, &s.student, "submit").await;
    review_step(&s, &s.records, &s.student, "verify").await;
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
    assert_eq!(status, 200, "{body}");
    let change = waiting(&s, &s.student).await.unwrap();
    let proved = crate::fixtures::upload_proof(
        &s.app,
        &s.records,
        &change,
        crate::fixtures::ONE_PIXEL_PNG.to_vec(),
    )
    .await;
    assert_eq!(proved.status(), 200);
    let (status, body) = decide(&s, &s.leader, &change, &[("decision", "approve")]).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = problems(&s, &s.records).await;
    assert_eq!(open(&page), vec![], "{page}");
    let hows: Vec<&str> = page["settled"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["how"].as_str().unwrap())
        .collect();
    assert!(
        hows.contains(&"change") && hows.contains(&"delete") && hows.contains(&"evidence"),
        "{page}"
    );
}
