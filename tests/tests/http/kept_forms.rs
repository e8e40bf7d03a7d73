//! A refused form comes back filled in, with its problem beside the field, at a clean
//! address: posted without JavaScript, the error and what was kept wait in the session for
//! the page the browser is sent back to, and for no other.

use app::domain::Role;

use crate::helpers::{PASSWORD, browser_page as page, browser_post as post, spawn_app};

#[tokio::test]
async fn a_refused_sign_in_keeps_the_username_and_the_address_clean() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let browser = app.browser();
    let (status, location) = post(
        &app,
        &browser,
        "/api/sign-in",
        "/sign-in",
        &[("username", "wang"), ("password", "Wrong2026x")],
    )
    .await;
    assert_eq!((status, location.as_str()), (302, "/sign-in"));
    let html = page(&app, &browser, "/sign-in").await;
    assert!(html.contains("用户名或密码不正确"), "the problem is shown");
    assert!(html.contains(r#"value="wang""#), "the username is kept");
    assert!(!html.contains("Wrong2026x"), "the password never is");

    // Refused again from the page as it now is, and again: the address stays clean.
    for _ in 0..2 {
        let (_, location) = post(
            &app,
            &browser,
            "/api/sign-in",
            &location,
            &[("username", "wang"), ("password", "Wrong2026y")],
        )
        .await;
        assert_eq!(location, "/sign-in");
    }
    // Even from an address an earlier version of the portal piled errors onto.
    let (_, location) = post(
        &app,
        &browser,
        "/api/sign-in",
        "/sign-in?__path=%2Fapi%2Fsign-in&__err=e30&__path=%2Fapi%2Fsign-in&__err=e30",
        &[("username", "wang"), ("password", "Wrong2026y")],
    )
    .await;
    assert_eq!(location, "/sign-in");

    // Shown once: the next page starts afresh.
    let first = page(&app, &browser, "/sign-in").await;
    assert!(first.contains(r#"value="wang""#));
    let again = page(&app, &browser, "/sign-in").await;
    assert!(!again.contains(r#"value="wang""#), "a reload starts afresh");
    assert!(!again.contains("用户名或密码不正确"));

    // Then the right password signs in.
    let (status, location) = post(
        &app,
        &browser,
        "/api/sign-in",
        "/sign-in",
        &[("username", "wang"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 302);
    assert!(!location.contains("__err"), "{location}");
}

#[tokio::test]
async fn a_refused_account_keeps_everything_typed_with_the_problem_beside_its_field() {
    let app = spawn_app().await;
    let admin = app.signed_in("sysadmin", &[Role::SystemAdmin]).await;
    app.create_user("lilaoshi", &[Role::HomeroomTeacher]).await;
    let (status, location) = post(
        &app,
        &admin,
        "/api/admin/accounts/create",
        "/admin/accounts?done=account_created",
        &[
            ("username", "LiLaoshi"),
            ("display_name", "李老师（二）"),
            ("roles[]", "homeroom_teacher"),
            ("roles[]", "records_admin"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(
        location, "/admin/accounts",
        "no earlier outcome said over it"
    );
    let html = page(&app, &admin, &location).await;
    assert!(html.contains(r#"value="LiLaoshi""#), "username kept");
    assert!(html.contains(r#"value="李老师（二）""#), "name kept");
    for role in ["homeroom_teacher", "records_admin"] {
        assert!(
            html.contains(&format!(r#"value="{role}" checked"#)),
            "{role} stays ticked"
        );
    }
    assert!(!html.contains(r#"value="leader" checked"#));
    // The problem stands beside its field, which is marked invalid and points at it.
    let field = html
        .find(r#"id="new-username""#)
        .expect("the username field");
    let problem = html
        .find(r#"id="new-username-error""#)
        .expect("its problem");
    assert!(problem > field);
    assert!(
        html[problem..]
            .split_once("</p>")
            .is_some_and(|(p, _)| p.ends_with(">该用户名已被使用。")),
        "{}",
        &html[problem..problem + 120]
    );
    assert!(html[field..problem].contains(r#"aria-invalid="true""#));

    // Refused again, then the person goes elsewhere: the refusal is not shown there, and
    // gone when they come back.
    let (_, location) = post(
        &app,
        &admin,
        "/api/admin/accounts/create",
        "/admin/accounts",
        &[("username", "lilaoshi"), ("display_name", "李老师（三）")],
    )
    .await;
    let elsewhere = page(&app, &admin, "/admin/password-policy").await;
    assert!(!elsewhere.contains("该用户名已被使用"));
    let back = page(&app, &admin, &location).await;
    assert!(!back.contains("李老师（三）") && !back.contains("该用户名已被使用"));
}
