//! Every registered server function, called anonymously and in every role, against the
//! table of who may call it. A function without a row fails the test, so no new door
//! opens without a decision here.

use app::domain::Role;

use std::collections::HashMap;

use crate::helpers::{PASSWORD, spawn_app_configured};

const EVERY_ROLE: &[Role] = &Role::ALL;
const SYSTEM_ADMIN: &[Role] = &[Role::SystemAdmin];
const REVIEWERS: &[Role] = &[Role::LeadingGroup, Role::Leader];
const RECORDS_ADMIN: &[Role] = &[Role::RecordsAdmin];
const HOMEROOM_TEACHER: &[Role] = &[Role::HomeroomTeacher];
const RECORDS_PEOPLE: &[Role] = &[Role::HomeroomTeacher, Role::RecordsAdmin];
const RECORDS_VIEWERS: &[Role] = &[
    Role::HomeroomTeacher,
    Role::RecordsAdmin,
    Role::Leader,
    Role::LeadingGroup,
];
const NOBODY: &[Role] = &[];
const REGISTER_READERS: &[Role] = &[Role::Leader, Role::LeadingGroup, Role::RecordsAdmin];
const STRUCTURE: &[Role] = &[Role::RecordsAdmin, Role::SystemAdmin];
const AUDITORS: &[Role] = &[
    Role::RecordsAdmin,
    Role::SystemAdmin,
    Role::Leader,
    Role::LeadingGroup,
];

/// Who gets past `authorize`, per endpoint: anonymous people, and which roles.
const EXPECTED: &[(&str, bool, &[Role])] = &[
    ("/api/locale", true, EVERY_ROLE),
    ("/api/status", false, SYSTEM_ADMIN),
    ("/api/todo", false, EVERY_ROLE),
    ("/api/records/waiting", false, EVERY_ROLE),
    ("/api/header", false, EVERY_ROLE),
    ("/api/sign-in", true, EVERY_ROLE),
    ("/api/setup-link", true, EVERY_ROLE),
    ("/api/setup", true, EVERY_ROLE),
    ("/api/sign-out", false, EVERY_ROLE),
    ("/api/account", false, EVERY_ROLE),
    ("/api/account/password", false, EVERY_ROLE),
    ("/api/notices", false, EVERY_ROLE),
    ("/api/notices/dismiss", false, EVERY_ROLE),
    ("/api/admin/accounts", false, SYSTEM_ADMIN),
    ("/api/admin/accounts/create", false, SYSTEM_ADMIN),
    ("/api/admin/accounts/change", false, SYSTEM_ADMIN),
    ("/api/admin/accounts/grant", false, SYSTEM_ADMIN),
    ("/api/admin/accounts/revoke", false, SYSTEM_ADMIN),
    ("/api/admin/accounts/search", false, SYSTEM_ADMIN),
    ("/api/admin/role-grants", false, REVIEWERS),
    // Reviewers and the system administrator pass the check; whose link they may give a
    // code for is the service's rule (never one they received, nor their own: separation.rs).
    (
        "/api/admin/role-grants/activation-code",
        false,
        &[Role::LeadingGroup, Role::Leader, Role::SystemAdmin],
    ),
    // (About no request at all, a leader gets the member's 404: whether a leader may decide
    // depends on the request, see accounts.rs.)
    // About a request that is not pending, nobody gets past the check (loaded in the
    // transaction that decides it; separation.rs tries the parties).
    ("/api/admin/role-grants/decide", false, NOBODY),
    ("/api/admin/role-grants/waiting", false, REVIEWERS),
    ("/api/audit", false, AUDITORS),
    ("/api/password-policy", true, EVERY_ROLE),
    ("/api/admin/password-policy", false, SYSTEM_ADMIN),
    ("/api/records", false, RECORDS_VIEWERS),
    ("/api/records/structure", false, STRUCTURE),
    ("/api/records/structure/year", false, RECORDS_ADMIN),
    ("/api/records/structure/term", false, RECORDS_ADMIN),
    ("/api/records/structure/class", false, RECORDS_ADMIN),
    ("/api/records/structure/homeroom", false, STRUCTURE),
    // The class and the student below belong to the homeroom teacher's class.
    ("/api/records/class", false, RECORDS_PEOPLE),
    ("/api/records/class/new", false, HOMEROOM_TEACHER),
    ("/api/records/student", false, RECORDS_PEOPLE),
    ("/api/records/student/save", false, HOMEROOM_TEACHER),
    ("/api/records/student/draft", false, HOMEROOM_TEACHER),
    ("/api/records/student/discard", false, HOMEROOM_TEACHER),
    ("/api/records/student/step", false, HOMEROOM_TEACHER),
    ("/api/records/student/classification", false, RECORDS_ADMIN),
    // A records administrator reviewing; the homeroom teacher checking their own class.
    ("/api/records/student/unmask", false, RECORDS_PEOPLE),
    ("/api/records/queue", false, RECORDS_ADMIN),
    ("/api/records/queue/verify", false, RECORDS_ADMIN),
    ("/api/records/search", false, RECORDS_PEOPLE),
    ("/api/records/search/results", false, RECORDS_PEOPLE),
    ("/api/records/structure/rollover", false, RECORDS_ADMIN),
    ("/api/records/calendar", false, RECORDS_ADMIN),
    ("/api/records/calendar/set", false, RECORDS_ADMIN),
    ("/api/records/calendar/remove", false, RECORDS_ADMIN),
    (
        "/api/records/structure/rollover/preview",
        false,
        RECORDS_ADMIN,
    ),
    // Uploads are multipart; the others are about an upload of the teacher's, below.
    // (Past `authorize`, an upload is its uploader's alone: a records administrator gets 404.)
    ("/api/records/import/upload", false, RECORDS_PEOPLE),
    ("/api/records/import", false, RECORDS_PEOPLE),
    ("/api/records/import/check", false, RECORDS_PEOPLE),
    ("/api/records/import/commit", false, RECORDS_PEOPLE),
    ("/api/records/import/commit-stream", false, RECORDS_PEOPLE),
    ("/api/records/import/discard", false, RECORDS_PEOPLE),
    ("/api/requests", false, EVERY_ROLE),
    ("/api/requests/waiting", false, EVERY_ROLE),
    ("/api/requests/new", false, EVERY_ROLE),
    ("/api/requests/pick/confirm", false, EVERY_ROLE),
    ("/api/requests/pick", false, EVERY_ROLE),
    ("/api/requests/file", false, EVERY_ROLE),
    // About a request that does not exist, nobody gets past the check (who may act on one
    // depends on its parties: requests.rs tries each).
    ("/api/requests/request", false, NOBODY),
    ("/api/requests/withdraw", false, NOBODY),
    ("/api/requests/decide", false, NOBODY),
    ("/api/requests/fulfil", false, NOBODY),
    ("/api/requests/release", false, NOBODY),
    ("/api/requests/close", false, NOBODY),
    ("/api/requests/revoke", false, NOBODY),
    ("/api/requests/register", false, REVIEWERS),
    ("/api/requests/register/student", false, REGISTER_READERS),
    // Anyone signed in: a successor with no privileged role yet follows their handover.
    ("/api/handovers", false, EVERY_ROLE),
    ("/api/handovers/waiting", false, EVERY_ROLE),
    // Handing over the role named (a leader's, below) is for its holder alone.
    ("/api/handovers/apply", false, &[Role::Leader]),
    // About a handover that does not exist, nobody gets past the check (who may act on one
    // depends on its parties: handovers.rs tries each).
    ("/api/handovers/one", false, NOBODY),
    ("/api/handovers/decide", false, NOBODY),
    ("/api/handovers/withdraw", false, NOBODY),
    ("/api/publications", false, EVERY_ROLE),
    ("/api/publications/waiting", false, EVERY_ROLE),
    // A new text (no id, below) is anyone's to write.
    ("/api/publications/save", false, EVERY_ROLE),
    ("/api/publications/one", false, NOBODY),
    ("/api/publications/decide", false, NOBODY),
    ("/api/publications/withdraw", false, NOBODY),
    // Anyone signed in reports a leak, and sees their own reports (the banner's count is 0
    // for those who do not handle reports).
    ("/api/leaks", false, EVERY_ROLE),
    ("/api/leaks/unacknowledged", false, EVERY_ROLE),
    ("/api/leaks/file", false, EVERY_ROLE),
    // About a report that does not exist, nobody gets past the check (leaks.rs tries each).
    ("/api/leaks/one", false, NOBODY),
    ("/api/leaks/acknowledge", false, NOBODY),
    ("/api/leaks/contain", false, NOBODY),
    ("/api/leaks/unfreeze", false, NOBODY),
    ("/api/leaks/confirm-freeze", false, NOBODY),
    ("/api/leaks/remedy", false, NOBODY),
    ("/api/leaks/close", false, NOBODY),
    // The student below: whoever may see their record.
    ("/api/leaks/subject", false, RECORDS_PEOPLE),
    // Destruction: records administrators propose, leaders decide (a batch that does not
    // exist: nobody; destruction.rs tries who may).
    ("/api/destructions", false, REGISTER_READERS),
    ("/api/destructions/propose", false, RECORDS_ADMIN),
    ("/api/destructions/one", false, NOBODY),
    ("/api/destructions/decide", false, NOBODY),
    ("/api/records/student/left/undo", false, NOBODY),
    // Changes of status: records administrators file (the student below), leaders decide
    // (an application that does not exist: nobody; changes.rs tries who may).
    ("/api/changes", false, &[Role::RecordsAdmin, Role::Leader]),
    ("/api/changes/file", false, RECORDS_ADMIN),
    // A key-data change of the student below (not verified: refused in words to whoever
    // may file one).
    ("/api/records/key_data", false, RECORDS_ADMIN),
    ("/api/changes/one", false, NOBODY),
    ("/api/changes/decide", false, NOBODY),
    ("/api/changes/withdraw", false, NOBODY),
    // A multipart upload about an application of one's own (its own test: changes.rs).
    ("/api/changes/proof", false, NOBODY),
    // Problem records: records administrators work them, leaders read them; 佐证 is about
    // the student below (who has no problem: refused in words to a records administrator);
    // the feedback is a multipart upload, refused before it is read.
    (
        "/api/records/problems",
        false,
        &[Role::RecordsAdmin, Role::Leader],
    ),
    ("/api/records/problems/evidence", false, RECORDS_ADMIN),
    ("/api/records/problems/feedback", false, RECORDS_ADMIN),
    ("/api/inspections", false, AUDITORS),
    ("/api/inspections/due", false, AUDITORS),
    (
        "/api/inspections/record",
        false,
        &[Role::RecordsAdmin, Role::LeadingGroup],
    ),
    ("/api/inspections/one", false, NOBODY),
];

/// The routes that are not server functions but answer with something a role may not have,
/// and who may fetch them (anonymous people never).
const ROUTES: &[(&str, &[Role])] = &[("/records/import/template.xlsx", RECORDS_PEOPLE)];

/// Arguments enough for any of the functions; each takes the fields it needs.
const ARGS: &[(&str, &str)] = &[
    ("locale", "en"),
    ("day", "2031-05-04"),
    ("calendar_day[date]", "2031-05-04"),
    ("calendar_day[kind]", "holiday"),
    ("calendar_day[name]", "校庆"),
    ("username", "nobody"),
    ("password", "Wrong2026x"),
    ("token", "not-a-token"),
    ("current_password", "Wrong2026x"),
    ("new_password", "Dongzhi2026"),
    ("confirm_password", "Dongzhi2026"),
    ("display_name", "测试"),
    ("user_id", "999999"),
    ("change", "end_sessions"),
    ("role", "leader"),
    ("request_id", "999999"),
    ("decision", "approve"),
    ("preset", "school"),
    ("rotation_days", "90"),
    ("query", "wang"),
    ("name", "2031-2032"),
    ("starts_on", "2031-09-01"),
    ("ends_on", "2032-07-15"),
    ("grade", "5"),
    ("final_grade", "9"),
    ("from_year", "999999"),
    ("step", "submit"),
    ("field", "phone"),
    ("reason", "核对联系电话"),
    ("notice_id", "999999"),
    ("handover_id", "999999"),
    ("handover[role]", "leader"),
    ("handover[successor]", "nobody"),
    ("publication_id", "999999"),
    ("publication[id]", ""),
    ("leak_id", "999999"),
    ("leak[what]", "测试"),
    ("revoke", "none"),
    ("account", "nobody"),
    ("remedy", "测试"),
    ("conclusion", "测试"),
    ("batch_id", "999999"),
    ("change_id", "999999"),
    ("status_change[kind]", "other_leave"),
    ("inspection_id", "999999"),
    ("inspection[participants]", "测试"),
];

/// Denied by `authorize` (not by the function's own rules, such as a wrong password).
async fn denied(response: reqwest::Response) -> bool {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    status == 403 || (status == 401 && body.get("code").is_none())
}

/// The browser `role` signed in with, signing in the first time (and after a sign-out).
async fn signed_in(
    app: &crate::helpers::TestApp,
    browsers: &mut HashMap<Role, reqwest::Client>,
    role: Role,
) -> reqwest::Client {
    if let Some(browser) = browsers.get(&role) {
        return browser.clone();
    }
    let browser = app.browser();
    let username = role.code().replace('_', "-");
    assert_eq!(
        app.sign_in_with(&browser, &username, PASSWORD)
            .await
            .status(),
        200
    );
    browsers.insert(role, browser.clone());
    browser
}

#[tokio::test]
async fn every_server_function_has_a_rule_and_keeps_it() {
    // Each role signs in once and keeps its session through the whole table, while the clock
    // moves a denial window per endpoint (and a refusal does not count as activity): the
    // sessions must outlast that.
    let app = spawn_app_configured(
        |_| {},
        |settings| {
            let policy = &mut settings.session_policy;
            policy.idle = chrono::Duration::days(1);
            policy.idle_privileged = chrono::Duration::days(1);
            policy.absolute = chrono::Duration::days(1);
            policy.absolute_privileged = chrono::Duration::days(1);
        },
    )
    .await;
    for role in Role::ALL {
        app.create_user(role.code().replace('_', "-").as_str(), &[role])
            .await;
    }
    // A class of the homeroom teacher's, with a student in it, for the functions about one.
    let teacher_id: i64 =
        app::db::query_scalar("SELECT id FROM users WHERE username = 'homeroom-teacher'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let class = crate::fixtures::seed_class(&app, "1班", Some(teacher_id)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "homeroom-teacher", PASSWORD)
        .await;
    let student = crate::fixtures::enter_student(
        &app,
        &teacher,
        &class,
        &crate::fixtures::Student::numbered(1),
    )
    .await;
    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (teacher_id, year) = (teacher_id.to_string(), year.to_string());
    let mut args: Vec<(&str, &str)> = ARGS.to_vec();
    args.extend([
        ("class_id", class.as_str()),
        ("student_id", student.as_str()),
        ("status_change[student_id]", student.as_str()),
        ("problem_evidence[student_id]", student.as_str()),
        ("teacher_id", teacher_id.as_str()),
        ("school_year_id", year.as_str()),
    ]);
    let denials_before = app
        .audit_actions()
        .await
        .iter()
        .filter(|(_, o)| o == "denied")
        .count();

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

    // Uploads are multipart forms; the functions about an upload get a fresh one of the
    // teacher's each time (a commit or a discard uses it up).
    let roster = crate::fixtures::roster_csv(&[crate::fixtures::roster_row(
        &crate::fixtures::Student::numbered(2),
    )]);
    let mut browsers: HashMap<Role, reqwest::Client> = HashMap::new();
    let call = async |client: &reqwest::Client, path: &str| {
        if *path == *"/api/records/import/upload" {
            return crate::fixtures::upload_roster(
                &app,
                client,
                &class,
                "r.csv",
                roster.clone().into_bytes(),
            )
            .await;
        }
        if *path == *"/api/records/problems/feedback" {
            return crate::fixtures::upload_feedback(
                &app,
                client,
                "check.csv",
                "身份证件号,比对结果\n110105194912310021,身份证号不存在\n"
                    .as_bytes()
                    .to_vec(),
            )
            .await;
        }
        if *path == *"/api/changes/proof" {
            // No application of anyone's: refused to all, before the file is read.
            return crate::fixtures::upload_proof(
                &app,
                client,
                "999999",
                crate::fixtures::ONE_PIXEL_PNG.to_vec(),
            )
            .await;
        }
        if path.starts_with("/api/records/import") {
            // The teacher's own upload, by the teacher's browser of the start.
            let uploaded = crate::fixtures::upload_roster(
                &app,
                &teacher,
                &class,
                "r.csv",
                roster.clone().into_bytes(),
            )
            .await;
            assert_eq!(uploaded.status(), 200);
            let import = crate::fixtures::last_import(&app).await;
            let mut with_import = args.clone();
            with_import.push(("import_id", import.as_str()));
            return app.call_as(client, path, &with_import).await;
        }
        app.call_as(client, path, &args).await
    };
    for (path, anonymous, allowed) in EXPECTED {
        // Identical refusals within a window are one entry and a count: each endpoint gets
        // a window of its own, so that every refusal below is an entry.
        app.clock
            .advance(app::kit::audit::chain::DENIAL_WINDOW + chrono::Duration::seconds(1));
        let response = call(&app.browser(), path).await;
        assert_eq!(!denied(response).await, *anonymous, "{path} as anonymous");
        for role in Role::ALL {
            let browser = signed_in(&app, &mut browsers, role).await;
            let response = call(&browser, path).await;
            assert_eq!(
                !denied(response).await,
                allowed.contains(&role),
                "{path} as {}",
                role.code()
            );
            if *path == "/api/sign-out" {
                browsers.remove(&role);
            }
        }
    }

    for (path, allowed) in ROUTES {
        app.clock
            .advance(app::kit::audit::chain::DENIAL_WINDOW + chrono::Duration::seconds(1));
        let response = app.browser().get(app.url(path)).send().await.unwrap();
        assert_ne!(response.status(), 200, "{path} as anonymous");
        for role in Role::ALL {
            let browser = signed_in(&app, &mut browsers, role).await;
            let status = browser.get(app.url(path)).send().await.unwrap().status();
            let expected = if allowed.contains(&role) { 200 } else { 403 };
            assert_eq!(status, expected, "{path} as {}", role.code());
        }
    }

    // Each signed-in refusal is in the audit trail (anonymous ones only in the log).
    let refusals: usize = EXPECTED
        .iter()
        .map(|(_, _, allowed)| Role::ALL.len() - allowed.len())
        .chain(
            ROUTES
                .iter()
                .map(|(_, allowed)| Role::ALL.len() - allowed.len()),
        )
        .sum();
    let denials = app
        .audit_actions()
        .await
        .iter()
        .filter(|(_, o)| o == "denied")
        .count();
    assert_eq!(denials - denials_before, refusals);
}
