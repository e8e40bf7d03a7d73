use app::services::audit::{self, Break, NewEntry};
use server::{
    Application, Settings,
    commands::{self, CommandError},
    keys::{self, KeyError},
    startup::StartupError,
};

use crate::helpers::{spawn_app, start_of_term};

/// Appends `n` entries the way services do: in a write transaction, through the service.
async fn append_entries(pool: &sqlx::SqlitePool, key: &audit::AuditKey, n: i64) {
    for i in 0..n {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
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
        let error = sqlx::query(statement).execute(&app.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{error}");
    }

    // Someone with the database file but not the key drops the guard and edits a row.
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor_id = 99 WHERE seq = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    match commands::verify_audit(&settings_of(&app)).await {
        Err(CommandError::AuditBroken(Break::Altered { seq: 3 })) => {}
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
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    match commands::verify_audit(&settings_of(&app)).await {
        Err(CommandError::AuditBroken(Break::Gap {
            seq: 3,
            expected: 2,
        })) => {}
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
        database_url: format!("sqlite://{}/other.db", other_dir.path().display()),
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
        Err(StartupError::Keys(KeyError::Missing { entries: 1, .. })) => {}
        Err(other) => panic!("expected a missing key, got {other}"),
        Ok(_) => panic!("a new key file replaced the one the trail was written with"),
    }
    assert!(!path.exists());

    // With the right file back, the server starts again.
    std::fs::write(&path, original).unwrap();
    assert!(Application::build(settings, clock).await.is_ok());
}
