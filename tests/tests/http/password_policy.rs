use app::domain::Role;
use chrono::Duration;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

fn codes(error: &serde_json::Value) -> Vec<String> {
    error["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Creates an account through the console and returns its setup token.
async fn new_account(app: &TestApp, admin: &reqwest::Client, username: &str, name: &str) -> String {
    let created = app
        .call_as(
            admin,
            "/api/admin/accounts/create",
            &[
                ("username", username),
                ("display_name", name),
                ("roles[]", "homeroom_teacher"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    let console: serde_json::Value = app
        .call_as(admin, "/api/admin/accounts", &[])
        .await
        .json()
        .await
        .unwrap();
    console["new_link"]["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

async fn set_up(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.call(
        "/api/setup",
        &[
            ("token", token),
            ("new_password", password),
            ("confirm_password", password),
        ],
    )
    .await
}

#[tokio::test]
async fn the_school_rule_refuses_names_in_pinyin_and_common_passwords() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let token = new_account(&app, &admin, "zw2026", "张伟").await;
    for (password, code) in [
        ("Zhangwei2026", "password.contains_name"),
        ("baseball1", "password.common"),
        ("short1", "password.too_short"),
    ] {
        let refused = set_up(&app, &token, password).await;
        assert_eq!(refused.status(), 400, "{password}");
        let error: serde_json::Value = refused.json().await.unwrap();
        assert!(
            codes(&error).contains(&code.to_owned()),
            "{password}: {error}"
        );
    }
    assert_eq!(set_up(&app, &token, "Dongzhi2026").await.status(), 200);

    // A change may not reuse or extend the old password.
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "zw2026", "Dongzhi2026")
            .await
            .status(),
        200
    );
    let change = |new: &'static str| {
        let teacher = teacher.clone();
        let app = &app;
        async move {
            app.call_as(
                &teacher,
                "/api/account/password",
                &[
                    ("current_password", "Dongzhi2026"),
                    ("new_password", new),
                    ("confirm_password", new),
                ],
            )
            .await
        }
    };
    let error: serde_json::Value = change("Dongzhi2026").await.json().await.unwrap();
    assert_eq!(codes(&error), ["password.same_as_old"]);
    let error: serde_json::Value = change("Dongzhi2026!").await.json().await.unwrap();
    assert_eq!(codes(&error), ["password.contains_old"]);
    assert_eq!(change("Lichun2027").await.status(), 200);
}

#[tokio::test]
async fn the_length_only_preset_wants_fifteen_characters_and_no_composition() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let saved = app
        .call_as(
            &admin,
            "/api/admin/password-policy",
            &[("preset", "length_only"), ("rotation_days", "")],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let policy: serde_json::Value = app
        .call("/api/password-policy", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(policy["preset"], "length_only");

    let token = new_account(&app, &admin, "lina", "李娜").await;
    let refused: serde_json::Value = set_up(&app, &token, "Dongzhi2026")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes(&refused), ["password.too_short"]);
    assert_eq!(
        set_up(&app, &token, "chun mian bu jue xiao").await.status(),
        200
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "account.password_policy_set")
    );

    let bad = app
        .call_as(
            &admin,
            "/api/admin/password-policy",
            &[("preset", "anything")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    let bad = app
        .call_as(
            &admin,
            "/api/admin/password-policy",
            &[("preset", "school"), ("rotation_days", "0")],
        )
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_password_past_its_rotation_must_be_changed_at_the_next_sign_in() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    assert_eq!(
        app.call_as(
            &admin,
            "/api/admin/password-policy",
            &[("preset", "school"), ("rotation_days", "30")]
        )
        .await
        .status(),
        200
    );
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;

    app.clock.advance(Duration::days(29));
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    app.clock.advance(Duration::days(1));
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    let page = teacher.get(app.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/account/password");
    let changed = app
        .call_as(
            &teacher,
            "/api/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Lichun2027"),
                ("confirm_password", "Lichun2027"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "free again"
    );
}

#[tokio::test]
async fn an_unused_account_is_sealed_and_only_the_administrator_reopens_it() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );

    // The administrator stays active; the teacher does not come back for 180 days.
    drop(admin);
    app.clock.advance(Duration::days(179));
    assert_eq!(
        app.sign_in_with(&app.browser(), "admin", PASSWORD)
            .await
            .status(),
        200
    );
    app.clock.advance(Duration::days(1));
    let admin = app.browser();
    assert_eq!(
        app.sign_in_with(&admin, "admin", PASSWORD).await.status(),
        200
    );

    // A wrong password learns nothing; the right one learns the account is sealed.
    let wrong: serde_json::Value = app
        .sign_in_with(&app.browser(), "wanglaoshi", "Wrong2026x")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wrong["code"], "bad_credentials");
    let sealed = app
        .sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
        .await;
    assert_eq!(sealed.status(), 401);
    let sealed: serde_json::Value = sealed.json().await.unwrap();
    assert_eq!(sealed["code"], "account_sealed");

    let console: serde_json::Value = app
        .call_as(&admin, "/api/admin/accounts", &[])
        .await
        .json()
        .await
        .unwrap();
    let teacher = console["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "wanglaoshi")
        .unwrap();
    assert_eq!(teacher["sealed"], true);

    // Reopening is the administrator's alone, and then the person signs in again.
    let id = id.to_string();
    let reopened = app
        .call_as(
            &admin,
            "/api/admin/accounts/change",
            &[("user_id", id.as_str()), ("change", "reopen")],
        )
        .await;
    assert_eq!(reopened.status(), 200);
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
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
    assert!(
        actions.contains(&"account.sealed".to_owned())
            && actions.contains(&"account.reopened".to_owned())
    );

    // The period is the administrator's to set.
    let saved = app
        .call_as(
            &admin,
            "/api/admin/password-policy",
            &[("preset", "school"), ("dormant_days", "30")],
        )
        .await;
    assert_eq!(saved.status(), 200);
    app.clock.advance(Duration::days(30));
    let sealed: serde_json::Value = app
        .sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sealed["code"], "account_sealed");
}
