//! Roster import: GBK and UTF-8 CSV and .xlsx, the dry run, numbers Excel has mangled,
//! drafts, and who may import where.

use app::domain::Role;

use crate::{
    fixtures::{
        Student, dry_run, last_import, roster_csv, roster_header, roster_row, seed_class,
        upload_and_check, upload_roster, while_class_handed_over,
    },
    helpers::{TestApp, spawn_app},
};

async fn count(app: &TestApp, table: &str) -> i64 {
    app::db::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn problems(view: &serde_json::Value) -> Vec<(u64, String, String)> {
    view["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["field"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_gbk_csv_is_checked_without_changes_then_imported_as_drafts() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(id)).await;
    let mut rows: Vec<Vec<String>> = (51..56)
        .map(|n| roster_row(&Student::numbered(n)))
        .collect();
    let id_column = roster_header()
        .iter()
        .position(|h| *h == "身份证件号")
        .unwrap();
    // Row 3: a wrong check character; row 4: a number Excel turned into 3.30106E+17.
    let good = rows[1][id_column].clone();
    rows[1][id_column] = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    rows[2][id_column] = "3.30106E+17".into();
    let text = roster_csv(&rows);
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);

    let response = upload_roster(&app, &teacher, &class, "花名册.csv", gbk.into_owned()).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let import = last_import(&app).await;
    let sealed: Vec<u8> = app::db::query_scalar("SELECT sealed FROM roster_imports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        !sealed.windows(good.len()).any(|w| w == good.as_bytes()),
        "the waiting rows are sealed"
    );

    let view = dry_run(&app, &teacher, &import).await;
    assert_eq!(view["total"], 5);
    assert_eq!(view["valid"], 3);
    // The two rows with a number to correct come in as the teacher's drafts to complete.
    assert_eq!(view["incomplete"], 2);
    let found = problems(&view);
    assert!(
        found.contains(&(3, "id_number".into(), "id_card.checksum".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(4, "id_number".into(), "import.id_numeric".into())),
        "{found:?}"
    );
    assert!(
        !view.to_string().contains(&good),
        "the dry run names problems, not values"
    );
    assert_eq!(
        count(&app, "students").await,
        0,
        "a dry run changes nothing"
    );
    let html = teacher
        .get(app.url(&format!("/records/import/{import}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("证件号被表格存成了数字"),
        "the page explains the mangled number"
    );

    let committed = app
        .call_as(
            &teacher,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200);
    assert_eq!(count(&app, "students").await, 3);
    let drafts: i64 = app::db::query_scalar("SELECT COUNT(*) FROM students WHERE status = 'draft'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 3);
    assert_eq!(
        count(&app, "roster_imports").await,
        0,
        "no copy of the file is kept"
    );
    // The incomplete rows wait, sealed, as the teacher's drafts, listed on the class's page
    // by the names they came with.
    assert_eq!(count(&app, "form_drafts").await, 2);
    let drafts_sealed: Vec<Vec<u8>> = app::db::query_scalar("SELECT sealed FROM form_drafts")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let name_column = roster_header().iter().position(|h| *h == "姓名").unwrap();
    let name = &rows[1][name_column];
    assert!(
        drafts_sealed
            .iter()
            .all(|d| !d.windows(name.len()).any(|w| w == name.as_bytes())),
        "drafts are sealed"
    );
    let roster: serde_json::Value = app
        .json(
            &teacher,
            "/api/records/class",
            &[("class_id", class.as_str())],
        )
        .await;
    let waiting = roster["imported"].as_array().unwrap();
    assert_eq!(waiting.len(), 2, "{roster}");
    assert!(waiting.iter().any(|d| d["name"] == *name));
    let audit: i64 =
        app::db::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'student.created'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, 3);
    assert!(
        count(&app, "student_search_keys").await > 0,
        "imported students can be found"
    );
    // Importing the same rows again finds them in the school already.
    let again = upload_roster(
        &app,
        &teacher,
        &class,
        "again.csv",
        roster_csv(&rows[..1]).into_bytes(),
    )
    .await;
    assert_eq!(again.status(), 200);
    let view = dry_run(&app, &teacher, &last_import(&app).await).await;
    assert_eq!(
        problems(&view),
        vec![
            (2, "id_number".into(), "id_number.duplicate".into()),
            (
                2,
                "student_number".into(),
                "student_number.duplicate".into()
            )
        ]
    );
}

#[tokio::test]
async fn utf8_with_a_byte_order_mark_and_xlsx_are_read_too() {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", None).await;
    let csv = format!(
        "\u{feff}{}",
        roster_csv(&[roster_row(&Student::numbered(61))])
    );
    let (import, view) = upload_and_check(&app, &admin, &class, "bom.csv", csv.into_bytes()).await;
    assert_eq!(view["valid"], 1, "{view}");
    // The records administrator's import is written as the records administrator.
    let committed = app
        .call_as(
            &admin,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200);
    let roles: Vec<Option<String>> =
        app::db::query_scalar("SELECT actor_role FROM audit_log WHERE action = 'student.created'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(roles, vec![Some("records_admin".to_owned())]);

    // An .xlsx whose first ID cell is text and whose second is a number.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in roster_header().iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let id_column = roster_header()
        .iter()
        .position(|h| *h == "身份证件号")
        .unwrap();
    for (r, n) in [(1u32, 62u32), (2, 63)] {
        for (c, value) in roster_row(&Student::numbered(n)).iter().enumerate() {
            if r == 2 && c == id_column {
                sheet
                    .write_number(r, c as u16, value.parse::<f64>().unwrap_or(3.3e17))
                    .unwrap();
            } else {
                sheet.write_string(r, c as u16, value).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        upload_roster(&app, &admin, &class, "roster.xlsx", bytes)
            .await
            .status(),
        200
    );
    let view = dry_run(&app, &admin, &last_import(&app).await).await;
    assert_eq!(view["valid"], 1, "{view}");
    // The class has no homeroom teacher to complete the row, so it stays out, saying why
    // and what else is to correct.
    assert_eq!(
        problems(&view),
        vec![
            (3, "class".into(), "import.no_teacher".into()),
            (3, "id_number".into(), "import.id_numeric".into())
        ]
    );

    // Not a spreadsheet at all, and too large: refused in words.
    let junk = upload_roster(
        &app,
        &admin,
        &class,
        "x.xlsx",
        b"PK\x03\x04 not really".to_vec(),
    )
    .await;
    assert_eq!(junk.status(), 400);
    let large = upload_roster(&app, &admin, &class, "big.csv", vec![b'a'; 950 * 1024]).await;
    assert!(
        large.status() == 400 || large.status() == 413,
        "{}",
        large.status()
    );
}

#[tokio::test]
async fn teachers_import_into_their_own_classes_and_an_upload_is_its_uploaders() {
    let app = spawn_app().await;
    let a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let b = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let other_admin = app.signed_in("records2", &[Role::RecordsAdmin]).await;
    let a_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(a_id)).await;
    let csv = || roster_csv(&[roster_row(&Student::numbered(71))]).into_bytes();
    assert_eq!(
        upload_roster(&app, &b, &class, "x.csv", csv())
            .await
            .status(),
        403
    );
    assert_eq!(count(&app, "roster_imports").await, 0);
    assert_eq!(
        upload_roster(&app, &a, &class, "x.csv", csv())
            .await
            .status(),
        200
    );
    let import = last_import(&app).await;
    assert_eq!(
        app.call_as(&b, "/api/records/import", &[("import_id", &import)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&b, "/api/records/import/commit", &[("import_id", &import)])
            .await
            .status(),
        403
    );
    // A records administrator may import into any class, but another person's upload is theirs.
    assert_eq!(
        app.call_as(
            &other_admin,
            "/api/records/import",
            &[("import_id", &import)]
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        upload_roster(&app, &admin, &class, "y.csv", csv())
            .await
            .status(),
        200
    );
    // Commit before a dry run is refused; discarding deletes the upload.
    let mine = last_import(&app).await;
    assert_eq!(
        app.call_as(
            &admin,
            "/api/records/import/commit",
            &[("import_id", &mine)]
        )
        .await
        .status(),
        409
    );
    assert_eq!(
        app.call_as(
            &admin,
            "/api/records/import/discard",
            &[("import_id", &mine)]
        )
        .await
        .status(),
        200
    );
    assert_eq!(count(&app, "roster_imports").await, 1);

    // The template: a workbook for people signed in.
    let template = a
        .get(app.url("/records/import/template.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), 200);
    assert!(template.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    let anonymous = app
        .browser()
        .get(app.url("/records/import/template.xlsx"))
        .send()
        .await
        .unwrap();
    assert!(anonymous.status().is_redirection());
}

#[tokio::test]
async fn a_long_import_streams_its_progress() {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", None).await;
    let rows: Vec<Vec<String>> = (100..250)
        .map(|n| roster_row(&Student::numbered(n)))
        .collect();
    let (import, view) = upload_and_check(
        &app,
        &admin,
        &class,
        "long.csv",
        roster_csv(&rows).into_bytes(),
    )
    .await;
    assert_eq!(view["valid"], 150, "{view}");
    let response = app
        .call_as(
            &admin,
            "/api/records/import/commit-stream",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines,
        vec![
            "100/150",
            "150/150",
            &format!("done 150 0 /records/classes/{class}")
        ]
    );
    assert_eq!(count(&app, "students").await, 150);
    assert_eq!(count(&app, "roster_imports").await, 0);
}

/// A streamed commit that cannot go ahead is answered in full, never cut off midway: before,
/// the refusal travelled inside the stream as an error, which ends the response abruptly (the
/// client saw the connection close, at times before even the status).
#[tokio::test]
async fn a_streamed_commit_that_cannot_go_ahead_is_answered_not_cut_off() {
    let app = spawn_app().await;
    let teacher_id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wanglaoshi", crate::helpers::PASSWORD)
        .await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(teacher_id)).await;
    let roster = roster_csv(&[roster_row(&Student::numbered(1))]);
    upload_roster(&app, &teacher, &class, "r.csv", roster.into_bytes()).await;
    let import = last_import(&app).await;

    for _ in 0..20 {
        // Another person's upload: a records administrator may import, but not this one.
        let theirs = app
            .call_as(
                &admin,
                "/api/records/import/commit-stream",
                &[("import_id", &import)],
            )
            .await;
        assert_eq!(theirs.status(), 404);
        let body: serde_json::Value = theirs.json().await.expect("a whole answer");
        assert_eq!(body["kind"], "not_found", "{body}");
        // The teacher's own, but its dry run was never looked at.
        let unchecked = app
            .call_as(
                &teacher,
                "/api/records/import/commit-stream",
                &[("import_id", &import)],
            )
            .await;
        assert_eq!(unchecked.status(), 409);
        let body: serde_json::Value = unchecked.json().await.expect("a whole answer");
        assert_eq!(body["code"], "import.not_checked", "{body}");
    }
    assert_eq!(count(&app, "roster_imports").await, 1);
    assert_eq!(count(&app, "students").await, 0);
}

/// The upload is checked before its file is read and written in a transaction of its own:
/// a class handed to another teacher in between takes no file from its former teacher.
#[tokio::test]
async fn a_class_handed_over_during_an_upload_takes_no_file() {
    let app = std::sync::Arc::new(spawn_app().await);
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let wang = app.user_id("wang").await;
    let li = app.create_user("li", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;

    let upload = {
        let (app, teacher, class) = (app.clone(), teacher.clone(), class.clone());
        async move {
            let csv = roster_csv(&[roster_row(&Student::numbered(1))]);
            let response = upload_roster(&app, &teacher, &class, "花名册.csv", csv.into_bytes());
            response.await.status().as_u16()
        }
    };
    assert_eq!(
        while_class_handed_over(&app, &class, li, upload).await,
        409,
        "the class changed hands"
    );
    assert_eq!(count(&app, "roster_imports").await, 0);
}

#[tokio::test]
async fn one_file_holds_several_classes_for_a_records_administrator_and_only_their_own_for_a_teacher()
 {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let wang = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let class_a = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let class_b = seed_class(&app, "2班", Some(app.user_id("li").await)).await;
    let class_column = roster_header().iter().position(|h| *h == "班级").unwrap();
    assert_eq!(class_column, 0, "the template's first column is the class");
    let row = |n: u32, class: &str| {
        let mut row = roster_row(&Student::numbered(n));
        row[class_column] = class.into();
        row
    };
    let rows = vec![
        row(81, ""),
        row(82, "三年级2班"),
        row(83, "3年级（2）班"),
        row(84, "五年级9班"),
    ];
    let (import, view) = upload_and_check(
        &app,
        &admin,
        &class_a,
        "全校.csv",
        roster_csv(&rows).into_bytes(),
    )
    .await;
    assert_eq!(view["valid"], 3);
    assert_eq!(
        problems(&view),
        vec![(5, "class".into(), "import.class_unknown".into())]
    );
    let into: Vec<(String, u64)> = view["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c[0]["id"].as_str().unwrap().to_owned(),
                c[1].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(into, vec![(class_a.clone(), 1), (class_b.clone(), 2)]);
    let html = admin
        .get(app.url(&format!("/records/import/{import}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("导入到 2026-2027 三年级 2班：2 行"),
        "the dry run says where rows go"
    );

    let committed = app
        .call_as(
            &admin,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200);
    let in_class = |class: String| {
        let app = &app;
        async move {
            app::db::query_scalar::<i64>(
                "SELECT COUNT(*) FROM students s JOIN classes c ON c.id = s.class_id WHERE c.public_id = $1",
            )
            .bind(class)
            .fetch_one(&app.pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(in_class(class_a.clone()).await, 1);
    assert_eq!(in_class(class_b.clone()).await, 2);
    let entries: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'records.roster_imported'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(entries, 2, "an entry for each class imported into");

    // A homeroom teacher's file may name only their own classes.
    let rows = vec![row(85, "三年级1班"), row(86, "三年级2班")];
    upload_roster(
        &app,
        &wang,
        &class_a,
        "x.csv",
        roster_csv(&rows).into_bytes(),
    )
    .await;
    let view = dry_run(&app, &wang, &last_import(&app).await).await;
    assert_eq!(view["valid"], 1);
    assert_eq!(
        problems(&view),
        vec![(3, "class".into(), "import.class_not_yours".into())]
    );
}

/// A roster as a school makes its own: 序号, 班级 "一(2)班", 学生姓名, 出生年月 as people type
/// it, 身份证号码 turned into numbers (as LibreOffice keeps them once the column is not
/// text), 民族 "汉", 家庭住址, and the father's and mother's names and phones; no 性别, no
/// 出生地, nothing of the national codes.
pub fn schools_own_sheet(class: &str) -> Vec<u8> {
    let header = [
        "序号",
        "班级",
        "学生姓名",
        "出生年月",
        "身份证号码",
        "民族",
        "家庭住址",
        "父亲姓名",
        "父亲电话",
        "母亲姓名",
        "母亲电话",
    ];
    // (name, born as typed, identity number, whether the sheet holds it as a number)
    let rows = [
        ("张小明", "2020.4.2", "110101202004020010", true),
        ("李思雨", "2020/4/2", "110101202004020061", true),
        ("王浩然", "2019.11.15", "110101201911150041", true),
        // Two valid numbers round to what the cell holds: nobody can tell which.
        ("赵一诺", "2020.4.2", "110101202004020029", true),
        ("陈子涵", "2020年7月30日", "110101202007300018", true),
        // Ending in X, the number stays text.
        ("刘欣怡", "2020.4.2", "11010120200402007X", false),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (name, born, id, numeric)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, f64::from(r)).unwrap();
        sheet.write_string(r, 1, class).unwrap();
        sheet.write_string(r, 2, *name).unwrap();
        sheet.write_string(r, 3, *born).unwrap();
        if *numeric {
            sheet
                .write_number(r, 4, id.parse::<f64>().unwrap())
                .unwrap();
        } else {
            sheet.write_string(r, 4, *id).unwrap();
        }
        sheet.write_string(r, 5, "汉").unwrap();
        sheet
            .write_string(r, 6, "北京市东城区和平里七区16号楼")
            .unwrap();
        sheet
            .write_string(r, 7, format!("{}父", &name[..3]))
            .unwrap();
        sheet
            .write_number(r, 8, 13_800_000_000.0 + f64::from(r))
            .unwrap();
        sheet
            .write_string(r, 9, format!("{}母", &name[..3]))
            .unwrap();
        sheet
            .write_number(r, 10, 13_900_000_000.0 + f64::from(r))
            .unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_schools_own_sheet_comes_in_as_drafts_the_teacher_completes() {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let wang = app.user_id("wang").await;
    let class = seed_class(&app, "2班", Some(wang)).await;
    app::db::query("UPDATE classes SET grade = 1 WHERE public_id = $1")
        .bind(&class)
        .execute(&app.pool)
        .await
        .unwrap();
    let other = seed_class(&app, "1班", None).await;

    // The records administrator uploads it for another class: the 班级 column decides.
    let (import, view) = upload_and_check(
        &app,
        &admin,
        &other,
        "一年级.xlsx",
        schools_own_sheet("一(2)班"),
    )
    .await;
    // Every column is recognised by itself but the running number.
    let mapping: Vec<&str> = view["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        mapping,
        [
            "",
            "class",
            "name",
            "birth_date",
            "id_number",
            "ethnicity",
            "address",
            "guardians.0.name",
            "guardians.0.phone",
            "guardians.1.name",
            "guardians.1.phone"
        ]
    );
    assert_eq!(view["total"], 6);
    assert_eq!(view["valid"], 0, "the sheet lacks what a record needs");
    assert_eq!(view["incomplete"], 6, "{view}");
    let found = problems(&view);
    assert!(
        found
            .iter()
            .all(|(_, _, code)| code != "import.class_unknown")
    );
    // The number nobody can tell is asked for again, on its own row; those worked out from
    // their check character are to be checked against the card.
    let numbers: Vec<_> = found
        .iter()
        .filter(|(_, field, _)| field == "id_number")
        .collect();
    assert_eq!(
        numbers,
        [
            &(2, "id_number".to_owned(), "import.id_recovered".to_owned()),
            &(3, "id_number".to_owned(), "import.id_recovered".to_owned()),
            &(4, "id_number".to_owned(), "import.id_recovered".to_owned()),
            &(5, "id_number".to_owned(), "import.id_numeric".to_owned()),
            &(6, "id_number".to_owned(), "import.id_recovered".to_owned()),
        ]
    );
    // No family member's relation is missing: the headers said it.
    assert!(
        !found.iter().any(|(_, f, _)| f.ends_with(".relation")),
        "{found:?}"
    );
    // Problems by kind, the rows under each.
    let groups = view["groups"].as_array().unwrap();
    let birthplace = groups
        .iter()
        .find(|g| g["field"] == "birthplace")
        .expect("a group for the missing birthplace");
    assert_eq!(birthplace["rows"], serde_json::json!([2, 3, 4, 5, 6, 7]));
    assert_eq!(birthplace["refused"], false);
    let html = admin
        .get(app.url(&format!("/records/import/{import}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("6 行：出生地："), "grouped by kind");
    assert!(html.contains("第 2–7 行"), "its rows listed");

    let committed = app
        .call_as(
            &admin,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200);
    assert_eq!(count(&app, "students").await, 0);
    assert_eq!(count(&app, "form_drafts").await, 6);
    // The class's teacher finds them on the class's page, first.
    let roster: serde_json::Value = app
        .json(
            &teacher,
            "/api/records/class",
            &[("class_id", class.as_str())],
        )
        .await;
    let waiting = roster["imported"].as_array().unwrap();
    assert_eq!(waiting.len(), 6, "{roster}");
    let first = waiting.iter().find(|d| d["name"] == "张小明").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The records administrator has no such list: the drafts are the teacher's.
    let theirs: serde_json::Value = app
        .json(
            &admin,
            "/api/records/class",
            &[("class_id", class.as_str())],
        )
        .await;
    assert_eq!(theirs["imported"], serde_json::json!([]));

    // The draft opens as the form, holding what the row had.
    let form: serde_json::Value = app
        .json(
            &teacher,
            "/api/records/class/new",
            &[("class_id", class.as_str()), ("draft_id", first.as_str())],
        )
        .await;
    assert_eq!(form["input"]["student"]["name"], "张小明");
    assert_eq!(form["input"]["student"]["id_number"], "110101202004020010");
    assert_eq!(form["input"]["student"]["sex"], "1");
    assert_eq!(form["input"]["student"]["birth_date"], "2020-04-02");
    assert_eq!(form["input"]["guardians"][0]["relation"], "father");
    assert_eq!(form["input"]["guardians"][1]["relation"], "mother");
    assert!(!form["errors"].as_array().unwrap().is_empty());
    // Nobody else opens it, not even the uploader.
    let refused = app
        .call_as(
            &admin,
            "/api/records/class/new",
            &[("class_id", class.as_str()), ("draft_id", first.as_str())],
        )
        .await;
    assert_ne!(refused.status(), 200);

    // Completed and saved, it is a draft record, and the draft is gone.
    let mut form: Vec<(String, String)> = crate::fixtures::Student::numbered(90)
        .form()
        .into_iter()
        .filter(|(k, _)| !k.contains("[name]") && !k.contains("[id_number]"))
        .collect();
    form.retain(|(k, _)| !k.contains("birth_date") && !k.contains("[sex]"));
    let form = crate::fixtures::with(
        form,
        &[
            ("class_id", class.as_str()),
            ("draft_id", first.as_str()),
            ("record[student][name]", "张小明"),
            ("record[student][id_number]", "110101202004020010"),
            ("record[student][birth_date]", "2020-04-02"),
            ("record[student][sex]", "1"),
            ("record[student][student_number]", "G110101202004020010"),
            ("record[student][enrolment_month]", "2026-09"),
            ("record[guardians][0][name]", "张小父"),
            ("record[guardians][1][name]", "张小母"),
        ],
    );
    let saved = crate::fixtures::call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    assert_eq!(count(&app, "students").await, 1);
    assert_eq!(count(&app, "form_drafts").await, 5);
    let roster: serde_json::Value = app
        .json(
            &teacher,
            "/api/records/class",
            &[("class_id", class.as_str())],
        )
        .await;
    assert_eq!(roster["imported"].as_array().unwrap().len(), 5);
    assert_eq!(roster["students"][0]["name"], "张小明");
}

/// The browser journey imports the same sheet (for the demo school's 一年级 1班), from a file
/// beside it: it holds what this test's sheet holds (`XUEJI_WRITE_FIXTURES=1` writes it).
#[test]
fn the_browsers_sheet_is_this_tests_sheet() {
    use app::features::import::service::read;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/fixtures/school-own-sheet.xlsx");
    let made = schools_own_sheet("一(1)班");
    if std::env::var_os("XUEJI_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let kept = std::fs::read(&path).expect("the fixture (XUEJI_WRITE_FIXTURES=1 writes it)");
    assert_eq!(
        read("school-own-sheet.xlsx", &kept).unwrap(),
        read("school-own-sheet.xlsx", &made).unwrap()
    );
}

#[tokio::test]
async fn a_cell_too_long_for_its_field_keeps_its_row_out_and_the_rest_comes_in() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let mut rows: Vec<Vec<String>> = (71..73)
        .map(|n| roster_row(&Student::numbered(n)))
        .collect();
    let address = roster_header().iter().position(|h| *h == "现住址").unwrap();
    rows[1][address] = "长".repeat(300);
    let (import, view) = upload_and_check(
        &app,
        &teacher,
        &class,
        "long.csv",
        roster_csv(&rows).into_bytes(),
    )
    .await;
    assert_eq!(
        (view["valid"].as_i64(), view["incomplete"].as_i64()),
        (Some(1), Some(0)),
        "{view}"
    );
    assert!(problems(&view).contains(&(3, "address".into(), "field.too_long".into())));
    let committed = app
        .call_as(
            &teacher,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200, "the import does not fail on it");
    assert_eq!(count(&app, "students").await, 1);
}
