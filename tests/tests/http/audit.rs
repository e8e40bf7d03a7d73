use app::kit::audit::{
    chain::{self as audit, Break, NewEntry},
    witness::Finding,
};
use server::{
    Application, Settings,
    commands::{self, CommandError},
    keys::{self, KeyError},
    startup::StartupError,
};

use crate::helpers::{spawn_app, start_of_term};

/// Appends `n` entries the way services do: in a write transaction, through the service.
async fn append_entries(pool: &app::db::Pool, key: &audit::AuditKey, n: i64) {
    for i in 0..n {
        let mut tx = app::db::begin_write(pool).await.unwrap();
        let entry = NewEntry::new("auth.sign_in", "success")
            .actor(i + 1)
            .client(Some("127.0.0.1".into()));
        audit::append(&mut tx, key, start_of_term(), entry)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

fn settings_of(app: &crate::helpers::TestApp) -> Settings {
    app.settings.clone()
}

#[tokio::test]
async fn verify_audit_passes_then_names_the_entry_altered_behind_the_apps_back() {
    let app = spawn_app().await;
    let key = keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .audit;
    append_entries(&app.pool, &key, 4).await;

    let intact = commands::verify_audit(&settings_of(&app)).await.unwrap();
    assert_eq!(intact.entries, 4);

    // The database itself refuses to change or remove an entry.
    for statement in [
        "UPDATE audit_log SET outcome = 'failure' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
    ] {
        let error = app::db::query(statement)
            .execute(&app.pool)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("append-only"), "{error}");
    }

    // Someone with the database file but not the key drops the guard and edits a row.
    app.drop_trigger("audit_log_no_update", "audit_log").await;
    app::db::query("UPDATE audit_log SET actor_id = 99 WHERE seq = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    match commands::verify_audit(&settings_of(&app)).await {
        Err(CommandError::AuditBroken(Finding::Chain(Break::Altered { seq: 3 }))) => {}
        other => panic!("expected entry #3 to be reported, got {other:?}"),
    }
}

#[tokio::test]
async fn a_removed_entry_is_reported_by_verify_audit() {
    let app = spawn_app().await;
    let key = keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .audit;
    append_entries(&app.pool, &key, 3).await;
    app.drop_trigger("audit_log_no_delete", "audit_log").await;
    app::db::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    match commands::verify_audit(&settings_of(&app)).await {
        Err(CommandError::AuditBroken(Finding::Chain(Break::Gap {
            seq: 3,
            expected: 2,
        }))) => {}
        other => panic!("expected the gap before #3, got {other:?}"),
    }
}

#[tokio::test]
async fn the_key_file_is_made_once_and_guarded_after() {
    let app = spawn_app().await;
    let path = app.settings.key_file.clone();
    assert!(path.exists(), "the first start creates the key file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let key = keys::load(&path, &app.pool, false).await.unwrap().audit;
    append_entries(&app.pool, &key, 1).await;

    // Another start with the same key file is fine.
    let mut settings = app.settings.clone();
    settings.addr = "127.0.0.1:0".parse().unwrap();
    let clock = app.clock.clone();
    assert!(
        Application::build(settings.clone(), clock.clone())
            .await
            .is_ok()
    );

    // A key file from elsewhere is refused.
    let original = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let other_dir = tempfile::tempdir().unwrap();
    let other = Settings {
        database_url: crate::helpers::database_url(other_dir.path()).await,
        key_file: other_dir.path().join("other.key"),
        addr: "127.0.0.1:0".parse().unwrap(),
        ..Settings::default()
    };
    drop(
        Application::build(other.clone(), clock.clone())
            .await
            .unwrap(),
    );
    std::fs::copy(&other.key_file, &path).unwrap();
    match Application::build(settings.clone(), clock.clone()).await {
        Err(StartupError::Keys(KeyError::Mismatch { .. })) => {}
        Err(other) => panic!("expected a key mismatch, got {other}"),
        Ok(_) => panic!("a foreign key file was accepted"),
    }

    // A missing key file is not silently replaced once the trail holds entries.
    std::fs::remove_file(&path).unwrap();
    match Application::build(settings.clone(), clock.clone()).await {
        // (One entry of the test's, and perhaps the one saying from where the trail is
        // witnessed, when the first run ended before its witness looked.)
        Err(StartupError::Keys(KeyError::Missing { entries, .. })) => assert!(entries >= 1),
        Err(other) => panic!("expected a missing key, got {other}"),
        Ok(_) => panic!("a new key file replaced the one the trail was written with"),
    }
    assert!(!path.exists());

    // With the right file back, the server starts again.
    std::fs::write(&path, original).unwrap();
    assert!(Application::build(settings, clock).await.is_ok());
}

/// The newest head the running server's witness wrote down, once it is `seq` (it looks
/// twice a second).
pub(crate) async fn witnessed(app: &crate::helpers::TestApp, seq: i64) {
    let path = app::kit::audit::witness::path_beside(&app.settings.key_file);
    for _ in 0..100 {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let last = text
            .lines()
            .last()
            .and_then(|l| l.trim_start_matches("restored ").split(' ').next())
            .and_then(|s| s.parse::<i64>().ok());
        if last == Some(seq) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the witness never saw entry #{seq}");
}

pub(crate) async fn head(app: &crate::helpers::TestApp) -> i64 {
    app::db::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

pub(crate) async fn cut_after(app: &crate::helpers::TestApp, seq: i64) {
    app.drop_trigger("audit_log_no_delete", "audit_log").await;
    app::db::query("DELETE FROM audit_log WHERE seq > $1")
        .bind(seq)
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn cutting_the_newest_entries_or_all_of_them_is_found() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let key = keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .audit;
    append_entries(&app.pool, &key, 5).await;
    let chain = |view: serde_json::Value| view["chain"].clone();
    let page = app.call_as(&admin, "/api/audit", &[]).await;
    assert_eq!(chain(page.json().await.unwrap())["intact"], true);
    let newest = head(&app).await;
    witnessed(&app, newest).await;
    assert_eq!(
        commands::verify_audit(&app.settings).await.unwrap().entries,
        newest
    );

    // The newest three entries cut: the rest still link up, the witness tells.
    cut_after(&app, newest - 3).await;
    match commands::verify_audit(&app.settings).await {
        Err(CommandError::AuditBroken(Finding::Cut {
            entries, witnessed, ..
        })) => assert_eq!((entries, witnessed), (newest - 3, newest)),
        other => panic!("expected the cut to be found, got {other:?}"),
    }
    let page: serde_json::Value = app.json(&admin, "/api/audit", &[]).await;
    assert_eq!(chain(page.clone())["intact"], false, "{page}");
    // (Reading the page appended an entry after the cut: it is still short of the witness.)
    let html = app.page(&admin, "/audit").await.1;
    assert!(html.contains("见证文件记录过第"), "the page says so");

    // Everything deleted.
    cut_after(&app, 0).await;
    match commands::verify_audit(&app.settings).await {
        Err(CommandError::AuditBroken(Finding::Cut { entries: 0, .. })) => {}
        other => panic!("expected the wipe to be found, got {other:?}"),
    }
}

#[tokio::test]
async fn a_restored_backup_is_told_from_a_rewrite_and_accepted_in_the_trail() {
    let app = spawn_app().await;
    let key = keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .audit;
    append_entries(&app.pool, &key, 3).await;
    let backup = head(&app).await;
    witnessed(&app, backup).await;
    append_entries(&app.pool, &key, 2).await;
    witnessed(&app, backup + 2).await;

    // The database goes back to the state the witness saw at `backup`, as a restore does.
    cut_after(&app, backup).await;
    match commands::verify_audit(&app.settings).await {
        Err(CommandError::AuditBroken(Finding::Cut {
            earlier_state: true,
            ..
        })) => {}
        other => panic!("expected an earlier state, got {other:?}"),
    }
    let clock: std::sync::Arc<dyn app::clock::Clock> = app.clock.clone();
    let lost = commands::accept_restore(&app.settings, clock.clone())
        .await
        .unwrap();
    assert_eq!(lost, (backup + 1, backup + 2));
    let intact = commands::verify_audit(&app.settings).await.unwrap();
    assert_eq!(intact.entries, backup + 1);
    let said: String = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'audit.restore_accepted'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        said.contains(&format!("\"lost_from\":{}", backup + 1)),
        "{said}"
    );

    // Cut again and written over with other entries: not an earlier state, and refused.
    // The entries written over it are those the witness saw before the restore, byte for
    // byte (the same time, actors and actions): the server's own witness, running all along,
    // holds the trail to the restore's line in the file too, so it does not witness them.
    let now: i64 =
        app::db::query_scalar("SELECT seq FROM audit_log WHERE action = 'audit.restore_accepted'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    cut_after(&app, now - 1).await;
    append_entries(&app.pool, &key, 3).await;
    match commands::accept_restore(&app.settings, clock).await {
        Err(CommandError::AuditBroken(Finding::Rewritten { seq })) => assert_eq!(seq, now),
        other => panic!("expected the rewrite to be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn the_audit_page_recomputes_only_what_was_appended_since_its_last_check() {
    let app = spawn_app().await;
    let admin = app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let key = keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .audit;
    append_entries(&app.pool, &key, 4).await;
    let intact = |view: serde_json::Value| view["chain"]["intact"].clone();
    let first: serde_json::Value = app.json(&admin, "/api/audit", &[]).await;
    assert_eq!(intact(first), true);
    // An old entry changed behind the app's back: the page, which goes on from the head it
    // verified, does not read it again; `xueji verify-audit` (and the next start) does.
    app.drop_trigger("audit_log_no_update", "audit_log").await;
    app::db::query("UPDATE audit_log SET actor_id = 99 WHERE seq = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    append_entries(&app.pool, &key, 2).await;
    let second: serde_json::Value = app.json(&admin, "/api/audit", &[]).await;
    assert_eq!(intact(second.clone()), true, "{second}");
    assert!(matches!(
        commands::verify_audit(&app.settings).await,
        Err(CommandError::AuditBroken(Finding::Chain(Break::Altered {
            seq: 2
        })))
    ));
    // A change to the entry the page verified last is found at once.
    let last: i64 = head(&app).await;
    app::db::query("UPDATE audit_log SET mac = $2 WHERE seq = $1")
        .bind(last)
        .bind(vec![0u8; 32])
        .execute(&app.pool)
        .await
        .unwrap();
    let third: serde_json::Value = app.json(&admin, "/api/audit", &[]).await;
    assert_eq!(intact(third), false);
}

/// `verify-audit` with the witness file gone does not call the trail intact: it cannot tell
/// whether the newest entries were cut.
#[tokio::test]
async fn verify_audit_reports_a_missing_witness() {
    let app = spawn_app().await;
    app.signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let newest = head(&app).await;
    witnessed(&app, newest).await;
    std::fs::remove_file(app::kit::audit::witness::path_beside(
        &app.settings.key_file,
    ))
    .unwrap();
    match commands::verify_audit(&app.settings).await {
        Err(CommandError::AuditBroken(Finding::Unwitnessed { entries })) => {
            assert!(entries >= newest)
        }
        other => panic!("expected the missing witness to be reported, got {other:?}"),
    }
}

#[tokio::test]
async fn the_trail_says_what_an_entry_is_about_in_words() {
    let s = crate::requests::school().await;
    let request = s.file(&s.requester, &["phone"]).await;
    let auditor = s.app.signed_in("gao", &[app::domain::Role::Leader]).await;
    let (_, html) = s.app.page(&auditor, "/audit").await;
    assert!(
        html.contains(&format!(
            r#"<a href="/requests/{request}">第 1 号信息查询申请</a>"#
        )),
        "{html}"
    );
    assert!(html.contains("用途：家校联系"), "the purpose in words");
    assert!(!html.contains("info_request #"), "no code");
    assert!(!html.contains("purpose:home_contact"), "no code");
}
