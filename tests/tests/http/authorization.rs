//! Every registered server function, called anonymously and in every role, against the
//! table of who may call it. A function without a row fails the test, so no new door
//! opens without a decision here.

use app::domain::Role;

use crate::helpers::{PASSWORD, spawn_app};

/// Who gets past `authorize`, per endpoint: anonymous, then each role.
const EXPECTED: &[(&str, bool, bool)] = &[
    // (path, anonymous, every signed-in role)
    ("/api/locale", true, true),
    ("/api/status", true, true),
    ("/api/sign-in", true, true),
    ("/api/setup-link", true, true),
    ("/api/setup", true, true),
    ("/api/sign-out", false, true),
    ("/api/account", false, true),
    ("/api/account/password", false, true),
];

/// Arguments enough for any of the functions; each takes the fields it needs.
const ARGS: &[(&str, &str)] = &[
    ("locale", "en"),
    ("username", "nobody"),
    ("password", "Wrong2026x"),
    ("token", "not-a-token"),
    ("current_password", "Wrong2026x"),
    ("new_password", "Dongzhi2026"),
    ("confirm_password", "Dongzhi2026"),
];

/// Denied by `authorize` (not by the function's own rules, such as a wrong password).
async fn denied(response: reqwest::Response) -> bool {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    status == 403 || (status == 401 && body.get("code").is_none())
}

#[tokio::test]
async fn every_server_function_has_a_rule_and_keeps_it() {
    let app = spawn_app().await;
    for role in Role::ALL {
        app.create_user(role.code().replace('_', "-").as_str(), &[role])
            .await;
    }

    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    for path in &registered {
        assert!(
            EXPECTED.iter().any(|(p, ..)| p == path),
            "{path} has no row in the authorization table"
        );
    }
    for (path, ..) in EXPECTED {
        assert!(
            registered.iter().any(|p| p == path),
            "{path} is in the table but not registered"
        );
    }

    for (path, anonymous, signed_in) in EXPECTED {
        let response = app.call_as(&app.browser(), path, ARGS).await;
        assert_eq!(!denied(response).await, *anonymous, "{path} as anonymous");
        for role in Role::ALL {
            let browser = app.browser();
            let username = role.code().replace('_', "-");
            assert_eq!(
                app.sign_in_with(&browser, &username, PASSWORD)
                    .await
                    .status(),
                200
            );
            let response = app.call_as(&browser, path, ARGS).await;
            assert_eq!(
                !denied(response).await,
                *signed_in,
                "{path} as {}",
                role.code()
            );
        }
    }
}
