//! Publication review (article 3): the scan on saving and on submission, the review's
//! transitions and refusals, through the server as a browser and a JSON client meet them.

use app::domain::{Role, records::id_card::check_character};
use reqwest::Client;
use serde_json::Value;

use crate::{
    fixtures::{Student, enter_student, seed_class},
    helpers::{TestApp, spawn_app},
};

async fn save(
    app: &TestApp,
    client: &Client,
    id: &str,
    body: &str,
    submit: bool,
) -> reqwest::Response {
    app.call_as(
        client,
        "/api/publications/save",
        &[
            ("publication[id]", id),
            ("publication[title]", "关于期中家长会的通知"),
            ("publication[channel]", "parents_group"),
            ("publication[body]", body),
            ("publication[responsible]", "1"),
            ("then_submit", if submit { "1" } else { "0" }),
        ],
    )
    .await
}

async fn last(app: &TestApp) -> String {
    app::db::query_scalar("SELECT public_id FROM publication_reviews ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn page(app: &TestApp, client: &Client, id: &str) -> Value {
    app.json(client, "/api/publications/one", &[("publication_id", id)])
        .await
}

fn kinds(page: &Value) -> Vec<String> {
    page["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_notice_is_scanned_changed_submitted_and_approved_with_a_reason_for_what_stays() {
    let app = spawn_app().await;
    let wang = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    // 王小明 is enrolled (Student::numbered's name).
    enter_student(&app, &teacher, &class, &Student::numbered(3)).await;
    let group = app.signed_in("group1", &[Role::LeadingGroup]).await;
    let leader = app.signed_in("zhang", &[Role::Leader]).await;
    let outsider = app.signed_in("li", &[Role::HomeroomTeacher]).await;

    let body = "祝贺王小明同学获得作文比赛一等奖！如有疑问请联系13800138000。";
    let response = save(&app, &teacher, "", body, false).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let id = last(&app).await;
    let draft = page(&app, &teacher, &id).await;
    assert_eq!(draft["state"], "draft");
    assert_eq!(kinds(&draft), ["student_name", "mobile"]);
    // The finding says what, never whose: no student id, class or record in the answer.
    let student: String = app::db::query_scalar("SELECT public_id FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!draft.to_string().contains(&student));
    // A draft is its author's: nobody else sees or changes it.
    assert_eq!(
        app.call_as(&group, "/api/publications/one", &[("publication_id", &id)])
            .await
            .status(),
        404
    );
    assert_eq!(
        save(&app, &outsider, &id, "改掉", false).await.status(),
        403
    );
    // The author takes the phone number out and submits; the server scans again.
    let body = "祝贺王小明同学获得作文比赛一等奖！";
    assert_eq!(save(&app, &teacher, &id, body, true).await.status(), 200);
    let submitted = page(&app, &group, &id).await;
    assert_eq!(submitted["state"], "submitted");
    assert_eq!(kinds(&submitted), ["student_name"]);
    assert_eq!(submitted["can_decide"], true);
    assert_eq!(page(&app, &teacher, &id).await["can_decide"], false);
    assert_eq!(
        app.call_as(
            &outsider,
            "/api/publications/one",
            &[("publication_id", &id)]
        )
        .await
        .status(),
        403
    );

    // Approved by its author? Never; by a leader, not while a member is there to.
    let decide = |c: &Client, form: Vec<(&'static str, String)>| {
        let c = c.clone();
        let id = id.clone();
        let app = &app;
        async move {
            let mut all: Vec<(&str, &str)> = vec![("publication_id", id.as_str())];
            all.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
            app.call_as(&c, "/api/publications/decide", &all).await
        }
    };
    let approve = || vec![("decision", "approve".to_owned())];
    assert_eq!(decide(&teacher, approve()).await.status(), 403);
    assert_eq!(decide(&leader, approve()).await.status(), 403);
    // An approval with a finding open needs a reason for it.
    let refused = decide(&group, approve()).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "overrides.0");
    let mut with_reason = approve();
    with_reason.push((
        "overrides[0]",
        "获奖喜报，家长已书面同意公开姓名".to_owned(),
    ));
    let approved = decide(&group, with_reason.clone()).await;
    assert_eq!(approved.status(), 200, "{}", approved.text().await.unwrap());
    let record = page(&app, &teacher, &id).await;
    assert_eq!(record["state"], "approved");
    let number = record["review_number"].as_str().unwrap().to_owned();
    assert!(number.ends_with("-0001"), "{number}");
    assert_eq!(record["overrides"][0], "获奖喜报，家长已书面同意公开姓名");
    assert_eq!(
        decide(&group, with_reason).await.status(),
        409,
        "decided once"
    );
    let actions = app.audit_actions().await;
    for action in [
        "publication_review.drafted",
        "publication_review.scanned",
        "publication_review.submitted",
        "publication_review.approved",
    ] {
        assert!(actions.iter().any(|(a, _)| a == action), "{action}");
    }

    // Changed after approval, it is a new review; the number stays with the text it was
    // given for.
    assert_eq!(
        save(&app, &teacher, &id, "祝贺全体获奖同学！", false)
            .await
            .status(),
        200
    );
    let follow = last(&app).await;
    assert_ne!(follow, id);
    let next = page(&app, &teacher, &follow).await;
    assert_eq!(next["state"], "draft");
    assert_eq!(next["previous"], id.as_str());
    assert_eq!(next["review_number"], Value::Null);
    assert_eq!(
        page(&app, &teacher, &id).await["review_number"],
        number.as_str()
    );
}

#[tokio::test]
async fn numbers_are_found_in_every_shape_and_bad_input_files_nothing() {
    let app = spawn_app().await;
    let author = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let first17 = "33010620170307001";
    let id_number = format!("{first17}{}", check_character(first17).unwrap());
    let spaced = format!(
        "{} {} {}",
        &id_number[..6],
        &id_number[6..14],
        &id_number[14..]
    );
    let body =
        format!("学籍号G{id_number}，证件 {spaced}，电话 139 0013 9000，校办0571-88886666。");
    assert_eq!(save(&app, &author, "", &body, false).await.status(), 200);
    let draft = page(&app, &author, &last(&app).await).await;
    assert_eq!(kinds(&draft), ["student_number", "id_number", "mobile"]);

    // Nothing typed, no channel, no confirmation, a body past 20,000 characters: refused,
    // each beside its field, nothing filed.
    let before: i64 = app::db::query_scalar("SELECT COUNT(*) FROM publication_reviews")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let refused = app
        .call_as(
            &author,
            "/api/publications/save",
            &[
                ("publication[title]", ""),
                ("publication[channel]", "radio"),
                ("publication[body]", &"字".repeat(20_001)),
            ],
        )
        .await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "channel", "body", "responsible"]);
    let after: i64 = app::db::query_scalar("SELECT COUNT(*) FROM publication_reviews")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_rejection_says_why_and_the_author_may_withdraw() {
    let app = spawn_app().await;
    let author = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let group = app.signed_in("group1", &[Role::LeadingGroup]).await;
    assert_eq!(
        save(&app, &author, "", "运动会将于10月22日举行。", true)
            .await
            .status(),
        200
    );
    let id = last(&app).await;
    let reject = |comment: &'static str| {
        let group = group.clone();
        let id = id.clone();
        let app = &app;
        async move {
            app.call_as(
                &group,
                "/api/publications/decide",
                &[
                    ("publication_id", &id),
                    ("decision", "reject"),
                    ("comment", comment),
                ],
            )
            .await
            .status()
        }
    };
    assert_eq!(reject("").await, 400);
    assert_eq!(reject("时间与校历不符，请核实后再提交").await, 200);
    let record = page(&app, &author, &id).await;
    assert_eq!(record["state"], "rejected");
    assert_eq!(record["decision_comment"], "时间与校历不符，请核实后再提交");
    // The author hears of it in the header.
    let waiting: Value = app.json(&author, "/api/publications/waiting", &[]).await;
    assert_eq!(waiting, 0, "opening the record read the news");

    assert_eq!(
        save(&app, &author, "", "运动会改期通知", true)
            .await
            .status(),
        200
    );
    let second = last(&app).await;
    let waiting: Value = app.json(&group, "/api/publications/waiting", &[]).await;
    assert_eq!(waiting, 1);
    let header: Value = app.json(&group, "/api/header", &[]).await;
    assert_eq!(header["publications"], 1, "the header's one read: {header}");
    let header: Value = app.json(&author, "/api/header", &[]).await;
    assert_eq!(
        header["publications"], 0,
        "the author decides nothing: {header}"
    );
    let withdraw = |c: &Client| {
        let c = c.clone();
        let id = second.clone();
        let app = &app;
        async move {
            app.call_as(&c, "/api/publications/withdraw", &[("publication_id", &id)])
                .await
                .status()
        }
    };
    assert_eq!(withdraw(&group).await, 403);
    assert_eq!(withdraw(&author).await, 200);
    assert_eq!(withdraw(&author).await, 409);
}

#[tokio::test]
async fn a_pupil_who_left_is_no_enrolled_students_name() {
    let app = spawn_app().await;
    let wang = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    enter_student(&app, &teacher, &class, &Student::numbered(5)).await;
    let body = "王小明同学的作品入选区展览。";
    assert_eq!(save(&app, &teacher, "", body, false).await.status(), 200);
    assert_eq!(
        kinds(&page(&app, &teacher, &last(&app).await).await),
        ["student_name"]
    );
    app::db::query("UPDATE students SET left_at = updated_at, left_reason = 'graduated'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(save(&app, &teacher, "", body, false).await.status(), 200);
    assert!(kinds(&page(&app, &teacher, &last(&app).await).await).is_empty());
}

/// A textarea's prefilled text is text: a body that closes the element and opens markup
/// stays inside it, on the author's edit page as on any page that refills a textarea.
#[tokio::test]
async fn a_prefilled_textarea_cannot_be_broken_out_of() {
    let app = spawn_app().await;
    let author = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let body = "各位家长：</textarea><h1 id=\"broke-out\">x</h1><script>alert(1)</script>";
    assert_eq!(save(&app, &author, "", body, false).await.status(), 200);
    let id = last(&app).await;
    let (status, html) = app.page(&author, &format!("/publications/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<h1 id=\"broke-out\">"), "{html}");
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;/textarea&gt;&lt;h1 id=\"broke-out\"&gt;"));
}

/// The scan tells an author only what they know already: a name of a pupil of their own
/// classes is marked for them; another class's pupil is marked for the reviewers alone, and
/// the author's page says that names are the reviewers' to check either way. A number typed
/// to slip past (zero-width spaces, Chinese numerals) is found, and the reviewer sees where
/// the invisible characters hide.
#[tokio::test]
async fn names_are_the_reviewers_and_hidden_numbers_are_found() {
    let app = spawn_app().await;
    let wang = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    enter_student(&app, &teacher, &class, &Student::numbered(3)).await;
    let outsider = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let group = app.signed_in("group1", &[Role::LeadingGroup]).await;

    let hidden = "1\u{200B}3\u{200B}8\u{200B}0\u{200B}0\u{200B}1\u{200B}3\u{200B}8\u{200B}0\u{200B}0\u{200B}0";
    let body = format!("祝贺王 小明同学获奖。联系：{hidden}，或一三九〇〇一三九〇〇〇。");
    assert_eq!(save(&app, &outsider, "", &body, true).await.status(), 200);
    let id = last(&app).await;
    let mine = page(&app, &outsider, &id).await;
    assert_eq!(kinds(&mine), ["mobile", "mobile"], "{mine}");
    assert_eq!(mine["names_withheld"], true);
    let listed = app.json(&outsider, "/api/publications", &[]).await;
    assert_eq!(listed["mine"][0]["findings"], 2, "{listed}");
    let reviewed = page(&app, &group, &id).await;
    assert_eq!(kinds(&reviewed), ["student_name", "mobile", "mobile"]);
    assert_eq!(reviewed["names_withheld"], false);
    let (_, html) = app.page(&group, &format!("/publications/{id}")).await;
    assert!(
        html.contains("⟨U+200B⟩"),
        "the reviewer sees where it hides"
    );

    // The pupil's own teacher sees the name of their pupil marked.
    assert_eq!(save(&app, &teacher, "", &body, false).await.status(), 200);
    let own = page(&app, &teacher, &last(&app).await).await;
    assert_eq!(kinds(&own), ["student_name", "mobile", "mobile"]);
}
