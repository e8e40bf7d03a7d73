use app::domain::Role;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

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
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
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
    // The link is nowhere in the database, its WAL included (a copy would hold it).
    let token_bytes = link.rsplit('/').next().unwrap().as_bytes().to_owned();
    let db = app
        .settings
        .database_url
        .trim_start_matches("sqlite://")
        .to_owned();
    for suffix in ["", "-wal"] {
        if let Ok(bytes) = std::fs::read(format!("{db}{suffix}")) {
            assert!(
                !bytes.windows(token_bytes.len()).any(|w| w == token_bytes),
                "the setup link is in xueji.db{suffix}"
            );
        }
    }
    // The page shows it once too.
    let again = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "lilaoshi"),
                ("display_name", "李老师"),
                ("roles[]", "homeroom_teacher"),
            ],
        )
        .await;
    assert_eq!(again.status(), 200);
    let page = |admin: reqwest::Client| {
        let url = app.url("/admin/accounts");
        async move { admin.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(
        page(admin.clone()).await.contains("/setup/"),
        "shown on the page"
    );
    assert!(!page(admin.clone()).await.contains("/setup/"), "once");

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
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
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
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
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
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let own: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'admin'")
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

fn roles_of<'a>(console: &'a serde_json::Value, username: &str) -> &'a serde_json::Value {
    &account(console, username)["roles"]
}

#[tokio::test]
async fn privileged_roles_need_a_leading_group_members_approval_once_there_is_one() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    // Before the school has a leading group, the administrator grants directly, unreviewed.
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
    let details: String = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'account.role_granted'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(details.contains(r#""unreviewed":true"#), "{details}");
    assert_eq!(
        roles_of(&console(&app, &admin).await, "zhouzhuren"),
        &serde_json::json!(["leading_group"])
    );

    // Now a privileged role is only proposed; a teacher's role still goes straight through.
    let created = app
        .call_as(
            &admin,
            "/api/admin/accounts/create",
            &[
                ("username", "liuxiaozhang"),
                ("display_name", "刘校长"),
                ("roles[]", "leader"),
                ("roles[]", "homeroom_teacher"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200);
    assert_eq!(
        roles_of(&console(&app, &admin).await, "liuxiaozhang"),
        &serde_json::json!(["homeroom_teacher"])
    );

    // The proposer cannot approve, nor can the grantee, nor anyone outside the leading group.
    let zhou_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'zhouzhuren'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let liu_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'liuxiaozhang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    app::db::query("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'admin') WHERE id IN ($1, $2)")
        .bind(zhou_id)
        .bind(liu_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let request: i64 =
        app::db::query_scalar("SELECT id FROM role_grant_requests WHERE decision IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let request = request.to_string();
    let decide = [("request_id", request.as_str()), ("decision", "approve")];
    assert_eq!(
        app.call_as(&admin, "/api/admin/role-grants/decide", &decide)
            .await
            .status(),
        403,
        "the proposer"
    );
    let liu = app.browser();
    assert_eq!(
        app.sign_in_with(&liu, "liuxiaozhang", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(&liu, "/api/admin/role-grants/decide", &decide)
            .await
            .status(),
        403,
        "the grantee"
    );

    // A leading-group member who is neither approves; the role counts at once.
    let zhou = app.browser();
    assert_eq!(
        app.sign_in_with(&zhou, "zhouzhuren", PASSWORD)
            .await
            .status(),
        200
    );
    let pending: serde_json::Value = app.json(&zhou, "/api/admin/role-grants", &[]).await;
    assert_eq!(pending["requests"][0]["username"], "liuxiaozhang");
    assert_eq!(pending["requests"][0]["role"], "leader");
    assert_eq!(pending["requests"][0]["kind"], "grant");
    assert_eq!(
        app.call_as(&zhou, "/api/admin/role-grants/decide", &decide)
            .await
            .status(),
        200
    );
    assert_eq!(
        roles_of(&console(&app, &admin).await, "liuxiaozhang"),
        &serde_json::json!(["homeroom_teacher", "leader"])
    );
    assert_eq!(
        liu.get(app.url("/account")).send().await.unwrap().status(),
        303,
        "a change of roles ends the sessions"
    );
    let again = app
        .call_as(&zhou, "/api/admin/role-grants/decide", &decide)
        .await;
    assert_eq!(
        again.status(),
        403,
        "decided once: nothing pending to pass the check"
    );

    let actions: Vec<(String, String)> = app.audit_actions().await;
    for action in ["role_grant.proposed", "role_grant.approved"] {
        assert!(actions.iter().any(|(a, _)| a == action), "{action}");
    }
    // The workflow helper kept the grant's history, each step with its audit entry.
    let history: Vec<(Option<String>, String, String)> = app::db::query_as(
        "SELECT t.from_state, t.to_state, a.action FROM workflow_transitions t \
         JOIN audit_log a ON a.seq = t.audit_seq WHERE t.workflow = 'role_grant' ORDER BY t.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        [
            (None, "pending".to_owned(), "role_grant.proposed".to_owned()),
            (
                Some("pending".to_owned()),
                "approved".to_owned(),
                "role_grant.approved".to_owned()
            ),
        ]
    );
    assert_eq!(
        actions
            .iter()
            .filter(|(a, o)| a == "authz.decide_role_grant" && o == "denied")
            .count(),
        3,
        "two refused parties and the second decision"
    );
}

#[tokio::test]
async fn a_rejected_grant_grants_nothing_and_a_role_taken_away_counts_at_once() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("zhouzhuren", &[Role::LeadingGroup]).await;
    let teacher = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher, Role::RecordsAdmin])
        .await;
    let grant = [
        ("user_id", teacher.to_string()),
        ("role", "system_admin".to_string()),
    ];
    let grant: Vec<(&str, &str)> = grant.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/admin/accounts/grant", &grant)
            .await
            .status(),
        200
    );
    let zhou = app.browser();
    assert_eq!(
        app.sign_in_with(&zhou, "zhouzhuren", PASSWORD)
            .await
            .status(),
        200
    );
    let request: i64 = app::db::query_scalar("SELECT id FROM role_grant_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let request = request.to_string();
    // The proposer sees the proposal waiting on the account; the member sees it counted.
    assert_eq!(
        account(&console(&app, &admin).await, "wanglaoshi")["pending"],
        serde_json::json!([["system_admin", "grant"]])
    );
    let waiting = app.json(&zhou, "/api/admin/role-grants/waiting", &[]).await;
    assert_eq!(waiting, 1);
    assert_eq!(app.json(&zhou, "/api/header", &[]).await["role_grants"], 1);
    assert_eq!(
        app.json(&admin, "/api/header", &[]).await["role_grants"],
        0,
        "the proposer decides nothing"
    );
    let (_, header) = app.page(&zhou, "/account").await;
    assert!(
        header.contains(r#"data-testid="grants-waiting""#),
        "the header's count"
    );
    // Rejecting takes a reason: refused without one, nothing decided.
    for blank in ["", "   "] {
        let refused = app
            .call_as(
                &zhou,
                "/api/admin/role-grants/decide",
                &[
                    ("request_id", request.as_str()),
                    ("decision", "reject"),
                    ("comment", blank),
                ],
            )
            .await;
        assert_eq!(refused.status(), 400);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "comment", "{body}");
    }
    let rejected = app
        .call_as(
            &zhou,
            "/api/admin/role-grants/decide",
            &[
                ("request_id", request.as_str()),
                ("decision", "reject"),
                ("comment", "系统管理员已有两人，无需增加"),
            ],
        )
        .await;
    assert_eq!(rejected.status(), 200);
    let comment: Option<String> = app::db::query_scalar(
        "SELECT comment FROM workflow_transitions WHERE workflow = 'role_grant' AND to_state = 'rejected'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(comment.as_deref(), Some("系统管理员已有两人，无需增加"));
    assert_eq!(
        account(&console(&app, &admin).await, "wanglaoshi")["pending"],
        serde_json::json!([])
    );
    // The proposer reads the outcome and its reason on the account.
    assert_eq!(
        account(&console(&app, &admin).await, "wanglaoshi")["rejected"],
        serde_json::json!([["system_admin", "grant", "系统管理员已有两人，无需增加"]])
    );
    let (_, html) = app.page(&admin, "/admin/accounts").await;
    assert!(html.contains("理由：系统管理员已有两人，无需增加"));
    let waiting = app.json(&zhou, "/api/admin/role-grants/waiting", &[]).await;
    assert_eq!(waiting, 0);
    assert_eq!(
        roles_of(&console(&app, &admin).await, "wanglaoshi"),
        &serde_json::json!(["homeroom_teacher", "records_admin"])
    );

    // Taking a privileged role away needs the same approval; once given, it ends the
    // sessions at once.
    let session = app.browser();
    assert_eq!(
        app.sign_in_with(&session, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    let id = teacher.to_string();
    let revoked = app
        .call_as(
            &admin,
            "/api/admin/accounts/revoke",
            &[("user_id", id.as_str()), ("role", "records_admin")],
        )
        .await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        roles_of(&console(&app, &admin).await, "wanglaoshi"),
        &serde_json::json!(["homeroom_teacher", "records_admin"]),
        "proposed, not yet taken away"
    );
    let request: i64 = app::db::query_scalar(
        "SELECT id FROM role_grant_requests WHERE kind = 'revoke' AND decision IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let request = request.to_string();
    let approved = app
        .call_as(
            &zhou,
            "/api/admin/role-grants/decide",
            &[("request_id", request.as_str()), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status(), 200);
    assert_eq!(
        roles_of(&console(&app, &admin).await, "wanglaoshi"),
        &serde_json::json!(["homeroom_teacher"])
    );
    assert_eq!(
        session
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "role_grant.approved")
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "role_grant.rejected")
    );
}

#[tokio::test]
async fn the_console_page_lists_accounts_for_the_administrator_only() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let page = admin.get(app.url("/admin/accounts")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("wanglaoshi 老师") && html.contains(r#"name="roles[]""#));

    let teacher = app.browser();
    app.sign_in_with(&teacher, "wanglaoshi", PASSWORD).await;
    let html = app.page(&teacher, "/admin/accounts").await.1;
    assert!(
        !html.contains("admin 老师"),
        "no account data for a teacher"
    );
    assert!(html.contains("您没有执行此操作的权限"));
}

#[tokio::test]
async fn the_console_searches_by_username_or_name_without_a_url() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    app.create_user("lilaoshi", &[Role::HomeroomTeacher]).await;
    let names = |console: &serde_json::Value| -> Vec<String> {
        console["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        app.call_as(&admin, "/api/admin/accounts/search", &[("query", "WANG")])
            .await
            .status(),
        200
    );
    let found = console(&app, &admin).await;
    assert_eq!(names(&found), ["wanglaoshi"]);
    assert_eq!(found["query"], "WANG");
    // By name too.
    app.call_as(
        &admin,
        "/api/admin/accounts/create",
        &[
            ("username", "zw2026"),
            ("display_name", "张伟"),
            ("roles[]", "homeroom_teacher"),
        ],
    )
    .await;
    app.call_as(&admin, "/api/admin/accounts/search", &[("query", "张")])
        .await;
    assert_eq!(names(&console(&app, &admin).await), ["zw2026"]);
    app.call_as(&admin, "/api/admin/accounts/search", &[("query", "")])
        .await;
    assert_eq!(names(&console(&app, &admin).await).len(), 4);
    let long = "x".repeat(41);
    assert_eq!(
        app.call_as(
            &admin,
            "/api/admin/accounts/search",
            &[("query", long.as_str())]
        )
        .await
        .status(),
        400
    );
}

#[tokio::test]
async fn an_unreviewed_grant_is_marked_on_the_console() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.call_as(
        &admin,
        "/api/admin/accounts/create",
        &[
            ("username", "zhouzhuren"),
            ("display_name", "周主任"),
            ("roles[]", "leading_group"),
            ("roles[]", "homeroom_teacher"),
        ],
    )
    .await;
    let listed = console(&app, &admin).await;
    assert_eq!(
        account(&listed, "zhouzhuren")["unreviewed"],
        serde_json::json!(["leading_group"])
    );
    let html = app.page(&admin, "/admin/accounts").await.1;
    assert!(html.contains("（未经审核）"));
}
