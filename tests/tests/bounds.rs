//! Inputs built to exhaust the server, each answered with a refusal in words while the server
//! stays up and its peak memory grows by less than 100 MB. A test binary of its own: the peak
//! is the whole process's, so nothing else may run beside it.

#[path = "http/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use app::domain::Role;

/// The process's resident set and its peak since the last reset, in bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("{name} in /proc/self/status"))
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// One measurement at a time: the peak is the whole process's.
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Starts counting the peak afresh (Linux: "5" to clear_refs resets VmHWM).
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

/// An .xlsx with text in A1 and in each of `far` (zero-based row, column).
fn workbook(far: &[(u32, u16)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    for (row, column) in far {
        sheet.write_string(*row, *column, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The same workbook with its sheet's declared dimension replaced by `dimension` (a file
/// that lies about its size), and with `padding` bytes of spaces added to the sheet (a
/// small file that unpacks to a large one).
fn rewritten(xlsx: &[u8], dimension: &str, padding: usize) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(content).unwrap();
            let start = xml.find("<dimension ref=\"").unwrap() + 16;
            let end = start + xml[start..].find('"').unwrap();
            let pad = " ".repeat(padding);
            content =
                format!("{}{dimension}\"{pad}{}", &xml[..start], &xml[end + 1..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn hostile_rosters_are_refused_without_taking_memory() {
    let _alone = ALONE.lock().await;
    let app = helpers::spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = fixtures::seed_class(&app, "1班", None).await;

    let far_corner = workbook(&[(1_048_575, 16_383)]);
    assert!(far_corner.len() < 8 * 1024, "{} bytes", far_corner.len());
    let wide_row = workbook(&[(4_999, 1_999)]);
    let lying = rewritten(&workbook(&[(1_048_575, 16_383)]), "A1:B2", 0);
    let bomb = rewritten(&workbook(&[]), "A1", 64 << 20);
    assert!(bomb.len() < 900 * 1024, "{} bytes", bomb.len());
    let mut columns = (0..60_000)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    columns.push('\n');
    assert!(columns.len() > 240 * 1024);
    let blank_lines = "姓名\n".to_owned() + &"a\n".repeat(6_000);

    for (what, name, bytes, code) in [
        (
            "cells at A1 and XFD1048576",
            "far.xlsx",
            far_corner,
            "import.too_many_columns",
        ),
        (
            "a cell at row 5,000, column 2,000",
            "wide.xlsx",
            wide_row,
            "import.too_many_columns",
        ),
        (
            "a dimension that lies",
            "lying.xlsx",
            lying,
            "import.too_many_columns",
        ),
        (
            "64 MB unpacked from a small file",
            "bomb.xlsx",
            bomb,
            "import.too_large",
        ),
        (
            "60,000 columns",
            "wide.csv",
            columns.into_bytes(),
            "import.too_many_columns",
        ),
        (
            "6,000 rows",
            "long.csv",
            blank_lines.into_bytes(),
            "import.too_many_rows",
        ),
    ] {
        let (before, _) = memory();
        reset_peak();
        let response = fixtures::upload_roster(&app, &admin, &class, name, bytes).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        let (_, peak) = memory();
        assert_eq!(status, 400, "{what}: {body}");
        assert!(body.contains(code), "{what}: {body}");
        let grew = peak.saturating_sub(before);
        assert!(
            grew < 100 * 1024 * 1024,
            "{what}: the peak grew by {} MB",
            grew >> 20
        );
        eprintln!("{what}: refused, peak grew by {} KB", grew >> 10);
    }
    let count: i64 = app::db::query_scalar("SELECT COUNT(*) FROM roster_imports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was kept");

    // Still up, and a real roster is read as before.
    let roster = fixtures::roster_csv(&[fixtures::roster_row(&fixtures::Student::numbered(9))]);
    let response =
        fixtures::upload_roster(&app, &admin, &class, "ok.csv", roster.into_bytes()).await;
    assert_eq!(response.status(), 200);
}

/// 200 clients at once, each with a wrong password: hashing waits its turn (one per core),
/// so the memory it takes (19 MiB a hash) stays bounded, and every answer is a refusal in
/// words, never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_takes_bounded_memory() {
    let _alone = ALONE.lock().await;
    let app = helpers::spawn_app_hashing_as_deployed().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    // One client for all (each client of its own would weigh on this process's peak
    // itself); it opens a connection per request in flight.
    let client = reqwest::Client::new();
    let (before, _) = memory();
    reset_peak();
    let attempts = (0..200).map(|i| {
        let client = client.clone();
        let url = app.url("/api/sign-in");
        let origin = app.origin.clone();
        async move {
            client
                .post(url)
                .header("origin", origin)
                .header("accept", "application/json")
                .form(&[
                    ("username", if i % 2 == 0 { "wanglaoshi" } else { "nobody" }),
                    ("password", "Wrong2026x"),
                ])
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let (_, peak) = memory();
    let grew = peak.saturating_sub(before);
    let mut seen: Vec<u16> = statuses.iter().map(|s| *s.as_ref().unwrap()).collect();
    seen.sort_unstable();
    seen.dedup();
    assert!(
        seen.iter().all(|s| [401, 429, 503].contains(s)),
        "answers: {seen:?}"
    );
    assert!(
        grew < 100 * 1024 * 1024,
        "200 sign-ins at once: the peak grew by {} MB",
        grew >> 20
    );
    eprintln!(
        "200 sign-ins at once ({seen:?}): peak grew by {} MB",
        grew >> 20
    );
    assert_eq!(app.get("/healthz").await.status(), 200, "still up");
}
