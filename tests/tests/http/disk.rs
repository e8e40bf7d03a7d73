//! A full disk: the database's file system fills up while the portal runs, then space comes
//! back. Writes are refused with a message saying so (nothing half-kept), `/healthz` answers
//! 503, and the portal recovers by itself once there is room again, without a restart.
//!
//! The test mounts a small tmpfs of its own (the suite runs as root, as CI does), puts the
//! database there, fills it with a file, and frees it again.

use std::{io::Write, path::Path, process::Command};

use app::domain::Role;

use crate::{
    fixtures::{Student, seed_class, with},
    helpers::{PASSWORD, spawn_app_configured},
};

/// A tmpfs mounted at a folder of its own, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a small tmpfs needs root (as the suite runs in CI)"
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the file system has no room left.
    fn fill(&self) {
        let mut file = std::fs::File::create(self.path().join("filler")).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.flush();
        // Whatever a last partial write left room for.
        while file.write_all(&[0u8; 512]).is_ok() {}
        let _ = file.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_is_refused_reported_and_recovered_from() {
    let disk = SmallDisk::mount(16);
    let url = format!("sqlite://{}/xueji.db", disk.path().display());
    let app = spawn_app_configured(|_| {}, move |settings| settings.database_url = url).await;
    let wang = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wang", PASSWORD).await.status(),
        200
    );
    let save = |n: u32| {
        let form = with(Student::numbered(n).form(), &[("class_id", class.as_str())]);
        let app = &app;
        let teacher = &teacher;
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_as(teacher, "/api/records/student/draft", &form)
                .await
        }
    };
    assert_eq!(save(1).await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
    let admin = app.signed_in("root", &[Role::SystemAdmin]).await;
    let status = app.json(&admin, "/api/status", &[]).await;
    assert_eq!(status["disk_full"], false, "{status}");

    disk.fill();
    // Writes are refused, saying why, never a bare failure.
    let mut refused = 0;
    for n in 2..8 {
        let response = save(n).await;
        let status = response.status().as_u16();
        assert_ne!(status, 500, "a full disk is no internal error");
        if status == 507 {
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["kind"], "storage_full", "{body}");
            refused += 1;
        }
    }
    assert!(refused > 0, "the full disk was met");
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["disk"], "full", "{body}");
    // The system administrator's status panel says so, and what to do.
    let status = app.json(&admin, "/api/status", &[]).await;
    assert_eq!(status["disk_full"], true, "{status}");
    let (_, page) = app.page(&admin, "/").await;
    assert!(
        page.contains("请立即清理磁盘空间"),
        "the panel says what to do"
    );

    // Space comes back: the portal works again by itself.
    disk.free();
    let mut recovered = false;
    for _ in 0..50 {
        if save(20).await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(recovered, "writes work again once there is room");
    for n in 21..25 {
        assert_eq!(save(n).await.status(), 200);
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
    let drafts: i64 = app::db::query_scalar("SELECT COUNT(*) FROM form_drafts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 1, "the class's one draft, as last saved");
}
