//! Every action says what it did: a form posted without JavaScript lands on a page whose
//! status message names the outcome (and its counts), and a call from the browser's script
//! is sent to the same address. Nothing but a code and numbers travels in it.

use app::domain::Role;
use reqwest::{Client, header};

use crate::{
    fixtures::{Student, last_import, roster_csv, roster_row, seed_class, with},
    helpers::{TestApp, spawn_app},
};

/// Posts `form` to `path` as a browser without JavaScript does from `from`; follows the
/// answer's redirect and returns the address it led to and the page's status message.
async fn posted(
    app: &TestApp,
    browser: &Client,
    path: &str,
    from: &str,
    form: &[(String, String)],
) -> (String, Option<String>) {
    let response = browser
        .post(app.url(path))
        .header("sec-fetch-site", "same-origin")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, app.url(from))
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "{path}: {}",
        response.status()
    );
    let to = crate::helpers::header(&response, "location").to_owned();
    let message = said(app, browser, &to).await;
    (to, message)
}

/// The status message the page at `to` shows, if any.
async fn said(app: &TestApp, browser: &Client, to: &str) -> Option<String> {
    let url = if to.starts_with("http") {
        to.to_owned()
    } else {
        app.url(to)
    };
    let html = browser.get(url).send().await.unwrap().text().await.unwrap();
    let at = html.find(r#"data-testid="done""#)?;
    let open = html[..at].rfind("<p")?;
    assert!(
        html[open..at].contains(r#"role="status""#),
        "announced: {}",
        &html[open..at]
    );
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find("</p>")?;
    let message = html[start..end].to_owned();
    assert!(
        html.contains(&format!("<title>{message} · ")),
        "the title says it first, for screen readers"
    );
    Some(message)
}

fn pairs(form: &[(&str, &str)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn each_step_of_a_record_says_what_it_did() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let new = format!("/records/classes/{class}/new");

    let (to, message) = posted(
        &app,
        &teacher,
        "/api/records/student/save",
        &new,
        &with(Student::numbered(1).form(), &[("class_id", &class)]),
    )
    .await;
    assert!(to.ends_with("?done=saved"), "{to}");
    assert_eq!(message.as_deref(), Some("已保存。"));
    let student: String =
        app::db::query_scalar("SELECT public_id FROM students ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let page = format!("/records/students/{student}");
    let step = |step: &str, reason: &str| {
        pairs(&[("student_id", &student), ("step", step), ("reason", reason)])
    };
    let (_, message) = posted(
        &app,
        &teacher,
        "/api/records/student/step",
        &page,
        &step("submit", ""),
    )
    .await;
    assert_eq!(message.as_deref(), Some("已提交核实，等待学籍管理员核实。"));
    let (_, message) = posted(
        &app,
        &admin,
        "/api/records/student/step",
        &page,
        &step("return", "请核对监护人联系电话"),
    )
    .await;
    assert_eq!(message.as_deref(), Some("已退回班主任，退回原因已告知。"));
    // Saved and handed in in one step.
    let (_, message) = posted(
        &app,
        &teacher,
        "/api/records/student/save",
        &page,
        &with(
            Student::numbered(1).form(),
            &[("student_id", &student), ("then_submit", "1")],
        ),
    )
    .await;
    assert_eq!(
        message.as_deref(),
        Some("已保存并提交核实，等待学籍管理员核实。")
    );
    let (_, message) = posted(
        &app,
        &admin,
        "/api/records/student/step",
        &page,
        &step("verify", ""),
    )
    .await;
    assert_eq!(message.as_deref(), Some("已核实。"));
    let (_, message) = posted(
        &app,
        &admin,
        "/api/records/student/classification",
        &page,
        &pairs(&[("student_id", &student), ("top_secret", "1")]),
    )
    .await;
    assert_eq!(message.as_deref(), Some("已标为绝密。"));

    // A refusal says nothing of success: it comes back with its problem.
    let (to, message) = posted(
        &app,
        &admin,
        "/api/records/student/step",
        &page,
        &step("return", ""),
    )
    .await;
    assert!(!to.contains("done="), "{to}");
    assert_eq!(message, None);

    // From the browser's script, the answer sends it to the same address.
    let response = app
        .call_as(
            &admin,
            "/api/records/student/classification",
            &[("student_id", &student), ("top_secret", "0")],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        crate::helpers::header(&response, "location"),
        format!("{page}?done=secret")
    );
}

#[tokio::test]
async fn an_import_and_a_rollover_say_how_many() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;

    let rows: Vec<Vec<String>> = (61..64)
        .map(|n| roster_row(&Student::numbered(n)))
        .collect();
    let response = crate::fixtures::upload_roster(
        &app,
        &teacher,
        &class,
        "花名册.csv",
        roster_csv(&rows).into_bytes(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let import = last_import(&app).await;
    let preview: serde_json::Value = app
        .json(&teacher, "/api/records/import", &[("import_id", &import)])
        .await;
    let mut mapping: Vec<(String, String)> = preview["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("mapping[{i}]"), m.as_str().unwrap().to_owned()))
        .collect();
    mapping.push(("import_id".into(), import.clone()));
    let review = format!("/records/import/{import}");
    let (_, message) = posted(
        &app,
        &teacher,
        "/api/records/import/check",
        &review,
        &mapping,
    )
    .await;
    assert_eq!(message.as_deref(), Some("试导入完成，请查看下面的结果。"));
    let (to, message) = posted(
        &app,
        &teacher,
        "/api/records/import/commit",
        &review,
        &pairs(&[("import_id", &import)]),
    )
    .await;
    assert_eq!(to, format!("/records/classes/{class}?done=imported&rows=3"));
    assert_eq!(
        message.as_deref(),
        Some("已导入 3 行，均为草稿：请逐一核对后提交核实。")
    );

    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (_, message) = posted(
        &app,
        &admin,
        "/api/records/structure/rollover",
        "/records/structure",
        &pairs(&[
            ("from_year", &year.to_string()),
            ("name", "2027-2028"),
            ("starts_on", "2027-09-01"),
            ("ends_on", "2028-07-15"),
            ("final_grade", "9"),
        ]),
    )
    .await;
    assert_eq!(
        message.as_deref(),
        Some("尚未升级：请核对下面的预览，确认后才会执行。")
    );
    let (_, message) = posted(
        &app,
        &admin,
        "/api/records/structure/rollover",
        "/records/structure",
        &pairs(&[
            ("from_year", &year.to_string()),
            ("name", "2027-2028"),
            ("starts_on", "2027-09-01"),
            ("ends_on", "2028-07-15"),
            ("final_grade", "9"),
            ("confirmed", "yes"),
        ]),
    )
    .await;
    assert_eq!(
        message.as_deref(),
        Some("已进入新学年：1 个班级升级，3 名学生随班升级，0 名学生毕业。")
    );

    // Only our codes and numbers are said: anything else in the address says nothing.
    for forged in [
        "/records?done=imported&rows=%3Cb%3E",
        "/records?done=imported",
        "/records?done=nothing",
        "/records?done=",
    ] {
        assert_eq!(said(&app, &admin, forged).await, None, "{forged}");
    }
}

#[tokio::test]
async fn account_changes_say_what_they_did_in_the_reader_s_language() {
    let app = spawn_app().await;
    let admin = app.signed_in("sysadmin", &[Role::SystemAdmin]).await;
    let console = "/admin/accounts";
    let (_, message) = posted(
        &app,
        &admin,
        "/api/admin/accounts/create",
        console,
        &pairs(&[
            ("username", "lilaoshi"),
            ("display_name", "李老师"),
            ("roles[]", "homeroom_teacher"),
        ]),
    )
    .await;
    assert_eq!(
        message.as_deref(),
        Some("账号已创建。请把下面的设置链接当面交给本人。")
    );
    let id = app.user_id("lilaoshi").await.to_string();
    let (_, message) = posted(
        &app,
        &admin,
        "/api/admin/accounts/grant",
        console,
        &pairs(&[("user_id", &id), ("role", "records_admin")]),
    )
    .await;
    assert_eq!(message.as_deref(), Some("角色已授予。"));

    let english = app.signed_in("sysadmin2", &[Role::SystemAdmin]).await;
    assert_eq!(
        english
            .post(app.url("/api/locale"))
            .header(header::ORIGIN, &app.origin)
            .form(&[("locale", "en")])
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (_, message) = posted(
        &app,
        &english,
        "/api/admin/accounts/change",
        console,
        &pairs(&[("user_id", &id), ("change", "disable")]),
    )
    .await;
    assert_eq!(
        message.as_deref(),
        Some("Account disabled; it can no longer sign in.")
    );
    // The outcome said is the one that happened: the account is disabled.
    let disabled: bool = app::db::query_scalar("SELECT disabled FROM users WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(disabled);
}
