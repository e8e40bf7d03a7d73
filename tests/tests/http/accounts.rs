use app::domain::Role;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// The system administrator, signed in.
async fn admin(app: &TestApp) -> reqwest::Client {
    app.create_user("admin", &[Role::SystemAdmin]).await;
    let browser = app.browser();
    assert_eq!(
        app.sign_in_with(&browser, "admin", PASSWORD).await.status(),
        200
    );
    browser
}

async fn console(app: &TestApp, admin: &reqwest::Client) -> serde_json::Value {
    let response = app.call_as(admin, "/api/admin/accounts", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn account<'a>(console: &'a serde_json::Value, username: &str) -> &'a serde_json::Value {
    console["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == username)
        .expect("listed")
}

#[tokio::test]
async fn a_new_account_gets_a_setup_link_shown_once_and_no_password() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let created = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "WangLaoshi"),
                ("display_name", "王老师"),
                ("roles[]", "homeroom_teacher"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200, "{:?}", created.text().await);

    let first = console(&app, &admin).await;
    let issued = &first["new_link"];
    assert_eq!(issued["username"], "wanglaoshi");
    let link = issued["link"].as_str().unwrap().to_owned();
    assert!(link.contains("/setup/"));
    let teacher = account(&first, "wanglaoshi");
    assert_eq!(teacher["display_name"], "王老师");
    assert_eq!(teacher["roles"], serde_json::json!(["homeroom_teacher"]));
    assert_eq!(teacher["has_password"], false);
    // Nothing that looks like a credential reaches the console.
    let text = first.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("password_hash"),
        "{text}"
    );
    assert!(
        console(&app, &admin).await["new_link"].is_null(),
        "the link is shown once"
    );

    // The teacher chooses a password; the administrator never saw one.
    let token = link.rsplit('/').next().unwrap();
    let set = app
        .call(
            "/api/setup",
            &[
                ("token", token),
                ("new_password", "Hanlu2026x"),
                ("confirm_password", "Hanlu2026x"),
            ],
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", "Hanlu2026x")
            .await
            .status(),
        200
    );
    assert_eq!(
        account(&console(&app, &admin).await, "wanglaoshi")["has_password"],
        true
    );
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    for (form, code) in [
        (
            vec![
                ("username", "ab"),
                ("display_name", "x"),
                ("roles[]", "homeroom_teacher"),
            ],
            "username.too_short",
        ),
        (
            vec![
                ("username", "wang"),
                ("display_name", "  "),
                ("roles[]", "homeroom_teacher"),
            ],
            "display_name.empty",
        ),
        (
            vec![("username", "wang"), ("display_name", "王")],
            "roles.none",
        ),
        (
            vec![
                ("username", "wang"),
                ("display_name", "王"),
                ("roles[]", "root"),
            ],
            "roles.unknown",
        ),
        (
            vec![
                ("username", "admin"),
                ("display_name", "王"),
                ("roles[]", "homeroom_teacher"),
            ],
            "username_taken",
        ),
    ] {
        let response = app
            .call_as(&admin, "/api/admin/accounts/create", &form)
            .await;
        assert_eq!(response.status(), 400, "{code}");
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["fields"][0]["code"], code);
    }
    assert_eq!(
        console(&app, &admin).await["accounts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn disabling_ending_sessions_and_resetting_take_effect_at_once() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await
        .to_string();
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    let change = |what: &'static str| {
        let id = id.clone();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call_as(
                &admin,
                "/api/admin/accounts/change",
                &[("user_id", id.as_str()), ("change", what)],
            )
            .await
            .status()
        }
    };

    assert_eq!(change("end_sessions").await, 200);
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );

    assert_eq!(change("disable").await, 200);
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "the session ended"
    );
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        account(&console(&app, &admin).await, "wanglaoshi")["disabled"],
        true
    );
    assert_eq!(change("enable").await, 200);
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );

    assert_eq!(change("reset_password").await, 200);
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        401,
        "the old password is gone"
    );
    let link = console(&app, &admin).await["new_link"]["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(
        app.call(
            "/api/setup",
            &[
                ("token", token),
                ("new_password", "Lichun2027"),
                ("confirm_password", "Lichun2027")
            ]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", "Lichun2027")
            .await
            .status(),
        200
    );

    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "account.sessions_ended",
        "account.disabled",
        "account.enabled",
        "account.password_reset",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} is in the trail"
        );
    }
    server::commands::verify_audit(&app.settings).await.unwrap();
}

#[tokio::test]
async fn an_administrator_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let own: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let response = app
        .call_as(
            &admin,
            "/api/admin/accounts/change",
            &[("user_id", &own.to_string()), ("change", "disable")],
        )
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn privileged_roles_are_granted_directly_only_before_a_leading_group_exists() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let created = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "zhouzhuren"),
                ("display_name", "周主任"),
                ("roles[]", "leading_group"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    let details: String =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'account.created'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(details.contains(r#""unreviewed":true"#), "{details}");

    // Now the school has a leading group: a privileged grant by the administrator alone is refused.
    let refused = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "liuxiaozhang"),
                ("display_name", "刘校长"),
                ("roles[]", "leader"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 409);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["code"], "role_grant_needs_approval");
    // A homeroom teacher needs no approval.
    let teacher = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "zhaolaoshi"),
                ("display_name", "赵老师"),
                ("roles[]", "homeroom_teacher"),
            ],
        )
        .await;
    assert_eq!(teacher.status(), 200);
}

#[tokio::test]
async fn the_console_page_lists_accounts_for_the_administrator_only() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let page = admin.get(app.url("/admin/accounts")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("wanglaoshi 老师") && html.contains(r#"name="roles[]""#));

    let teacher = app.browser();
    app.sign_in_with(&teacher, "wanglaoshi", PASSWORD).await;
    let html = teacher
        .get(app.url("/admin/accounts"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("admin 老师"),
        "no account data for a teacher"
    );
    assert!(html.contains("您没有执行此操作的权限"));
}
