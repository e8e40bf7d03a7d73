//! Records that tests and benchmarks enter: a school year and class, and students whose
//! every value is valid and carries a number of its own.

use app::{clock::Clock, domain::records::id_card::check_character};
use reqwest::Client;

use crate::helpers::TestApp;

/// A real-shaped identity card number with its true check character.
pub fn id_number(region: &str, date: &str, seq: &str) -> String {
    let first17 = format!("{region}{date}{seq}");
    format!("{first17}{}", check_character(&first17).unwrap())
}

/// A school year and a class, with `teacher` as its homeroom teacher; returns the class's
/// opaque id.
pub async fn seed_class(app: &TestApp, name: &str, teacher: Option<i64>) -> String {
    let now = app.clock.now();
    app::db::query(
        "INSERT INTO school_years (name, starts_on, ends_on, created_at) \
         VALUES ('2026-2027', '2026-09-01', '2027-07-15', $1) ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(&app.pool)
    .await
    .unwrap();
    let public_id = app::db::new_public_id();
    app::db::query(
        "INSERT INTO classes (public_id, school_year_id, grade, name, homeroom_teacher_id, created_at) \
         SELECT $1, id, 3, $2, $3, $4 FROM school_years WHERE name = '2026-2027'",
    )
    .bind(&public_id)
    .bind(name)
    .bind(teacher)
    .bind(now)
    .execute(&app.pool)
    .await
    .unwrap();
    public_id
}

/// The values of one student, as a teacher types them.
pub struct Student {
    pub name: String,
    /// 曾用名 (classified).
    pub former_name: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub mailing_address: String,
    pub postal_code: String,
    pub guardian_id: String,
    pub guardian_phone: String,
    pub guardian_address: String,
}

impl Student {
    /// A student born 2017-03-07 in Hangzhou, whose values all carry `n`.
    pub fn numbered(n: u32) -> Student {
        Student {
            name: "王小明".into(),
            former_name: "王少明".into(),
            id_number: id_number("330106", "20170307", &format!("{:03}", n % 1000)),
            phone: format!("138{:08}", 10_000_000 + n),
            address: format!("杭州市西湖区文三路{n}号"),
            mailing_address: format!("杭州市西湖区邮政信箱{n}号"),
            postal_code: format!("3{:05}", 10_000 + n % 90_000),
            guardian_id: id_number("330106", "19850612", &format!("{:03}", (n + 500) % 1000)),
            guardian_phone: format!("139{:08}", 20_000_000 + n),
            guardian_address: format!("杭州市上城区解放路{n}弄"),
        }
    }

    /// The form's fields (with `class_id` or `student_id` added by the caller).
    pub fn form(&self) -> Vec<(String, String)> {
        let sex = if (self.id_number.as_bytes()[16] - b'0') % 2 == 1 {
            "1"
        } else {
            "2"
        };
        let s = |k: &str, v: &str| (format!("record[student][{k}]"), v.to_owned());
        let g = |i: usize, k: &str, v: &str| (format!("record[guardians][{i}][{k}]"), v.to_owned());
        vec![
            s("name", &self.name),
            s("former_name", &self.former_name),
            s("sex", sex),
            s("birth_date", "2017-03-07"),
            s("birthplace", "330106"),
            s("native_place", "330106"),
            s("ethnicity", "01"),
            s("nationality", "CHN"),
            s("document_type", "1"),
            s("id_number", &self.id_number),
            s("student_number", &format!("G{}", self.id_number)),
            s("hukou_region", "330106"),
            s("hukou_nature", "3"),
            s("health", "3"),
            s("enrolment_month", "2023-09"),
            s("enrolment_mode", "1"),
            s("attendance_mode", "1"),
            s("only_child", "1"),
            s("preschool", "1"),
            s("school_bus", "0"),
            s("commute_km", "2.5"),
            s("phone", &self.phone),
            s("address", &self.address),
            s("mailing_address", &self.mailing_address),
            s("postal_code", &self.postal_code),
            s("left_behind", "1"),
            s("migrant", "0"),
            s("orphan", "0"),
            s("disabled", "0"),
            s("martyr_child", "0"),
            g(0, "name", "王大山"),
            g(0, "relation", "father"),
            g(0, "is_guardian", "1"),
            g(0, "document_type", "1"),
            g(0, "id_number", &self.guardian_id),
            g(0, "phone", &self.guardian_phone),
            g(0, "employer", "西湖区第一小学"),
            g(0, "address", &self.guardian_address),
            g(1, "name", "李红"),
            g(1, "relation", "mother"),
            g(1, "is_guardian", "1"),
            g(1, "phone", "13700001111"),
        ]
    }

    /// The classified values that must never reach a viewer in full.
    pub fn secrets(&self) -> Vec<&str> {
        vec![
            &self.id_number,
            &self.former_name,
            &self.phone,
            &self.address,
            &self.mailing_address,
            &self.postal_code,
            &self.guardian_id,
            &self.guardian_phone,
            &self.guardian_address,
        ]
    }
}

/// The problems of a refused form, each as (field, code): what a form shows beside each field.
pub fn field_errors(body: &serde_json::Value) -> Vec<(String, String)> {
    pairs(body, "fields", "code")
}

/// Of `body`'s list `list` (of objects with a `field`), each item's `field` and `of`.
pub fn pairs<C: FromIterator<(String, String)>>(
    body: &serde_json::Value,
    list: &str,
    of: &str,
) -> C {
    body[list]
        .as_array()
        .unwrap_or_else(|| panic!("a list of {list}: {body}"))
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f[of].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn with(mut form: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push(((*k).to_owned(), (*v).to_owned()));
    }
    form
}

pub async fn call(
    app: &TestApp,
    client: &Client,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(client, path, &pairs).await
}

/// Saves a new student of `class` as `teacher`; returns the student's opaque id.
pub async fn enter_student(
    app: &TestApp,
    teacher: &Client,
    class: &str,
    student: &Student,
) -> String {
    let response = call(
        app,
        teacher,
        "/api/records/student/save",
        &with(student.form(), &[("class_id", class)]),
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    app::db::query_scalar("SELECT public_id FROM students ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Saves `student` as a new student of `class` the way an incomplete record is: without a
/// 学籍号 and with one family member only. Returns the student's opaque id.
pub async fn enter_incomplete(
    app: &TestApp,
    teacher: &Client,
    class: &str,
    student: &Student,
) -> String {
    let form: Vec<(String, String)> = with(
        student.form(),
        &[("class_id", class), ("record[student][student_number]", "")],
    )
    .into_iter()
    .filter(|(k, _)| !k.starts_with("record[guardians][1]"))
    .collect();
    let response = call(app, teacher, "/api/records/student/save", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    app::db::query_scalar("SELECT public_id FROM students ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The template's header, as the import knows it.
pub fn roster_header() -> Vec<&'static str> {
    app::features::import::service::template_header()
}

/// One roster row in the template's column order, for `student`.
pub fn roster_row(student: &Student) -> Vec<String> {
    let form: std::collections::HashMap<String, String> = student.form().into_iter().collect();
    app::features::import::service::targets()
        .iter()
        .map(|t| t.field.as_str())
        .map(|field| {
            let name = app::domain::records::form_name(field);
            // Spreadsheets carry labels where the form posts codes: a few as people type them.
            match (field, form.get(&name).cloned().unwrap_or_default()) {
                ("sex", v) => if v == "1" { "男" } else { "女" }.to_owned(),
                ("ethnicity", _) => "汉族".to_owned(),
                ("birth_date", v) => v.replace('-', "/"),
                (_, v) => v,
            }
        })
        .collect()
}

/// A CSV of the template's header and `rows`.
pub fn roster_csv(rows: &[Vec<String>]) -> String {
    let mut out = roster_header().join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Uploads a roster file for `class`; returns the response (a redirect to the import's page).
pub async fn upload_roster(
    app: &TestApp,
    client: &Client,
    class: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    upload(
        app,
        client,
        "/api/records/import/upload",
        ("class_id", class),
        file_name,
        bytes,
    )
    .await
}

/// Posts a multipart upload to `path`: the field `id` first (what the upload is for), then
/// `file`.
async fn upload(
    app: &TestApp,
    client: &Client,
    path: &str,
    (field, value): (&str, &str),
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text(field.to_owned(), value.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
        );
    client
        .post(app.url(path))
        .header(reqwest::header::ORIGIN, &app.origin)
        .header(reqwest::header::ACCEPT, "application/json")
        .multipart(form)
        .send()
        .await
        .expect("upload answered")
}

/// Uploads a roster file for `class` (the upload must be taken) and runs its dry run with the
/// guessed mapping: the import's id and its page's data.
pub async fn upload_and_check(
    app: &TestApp,
    client: &Client,
    class: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> (String, serde_json::Value) {
    let response = upload_roster(app, client, class, file_name, bytes).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let import = last_import(app).await;
    let view = dry_run(app, client, &import).await;
    (import, view)
}

/// The id of the newest upload.
pub async fn last_import(app: &TestApp) -> String {
    app::db::query_scalar("SELECT public_id FROM roster_imports ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Runs the dry run with the guessed mapping; returns the import page's data.
pub async fn dry_run(app: &TestApp, client: &Client, import: &str) -> serde_json::Value {
    let preview: serde_json::Value = app
        .call_as(client, "/api/records/import", &[("import_id", import)])
        .await
        .json()
        .await
        .unwrap();
    let mapping: Vec<(String, String)> = preview["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("mapping[{i}]"), m.as_str().unwrap().to_owned()))
        .chain([("import_id".to_owned(), import.to_owned())])
        .collect();
    let checked = call(app, client, "/api/records/import/check", &mapping).await;
    assert_eq!(checked.status(), 200, "{}", checked.text().await.unwrap());
    app.call_as(client, "/api/records/import", &[("import_id", import)])
        .await
        .json()
        .await
        .unwrap()
}

/// Sends `request` while another transaction holds the write lock, and in that transaction
/// hands `class` to the homeroom teacher `to` before letting go: a reassignment racing the
/// request, the request checked (or waiting to be) before the class changes hands. Returns
/// the request's status.
pub async fn while_class_handed_over(
    app: &TestApp,
    class: &str,
    to: i64,
    request: impl std::future::Future<Output = u16> + Send + 'static,
) -> u16 {
    let mut reassignment = app::db::begin_write(&app.pool).await.unwrap();
    let request = tokio::spawn(request);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app::db::query("UPDATE classes SET homeroom_teacher_id = $1 WHERE public_id = $2")
        .bind(to)
        .bind(class)
        .execute(&mut *reassignment)
        .await
        .unwrap();
    reassignment.commit().await.unwrap();
    request.await.unwrap()
}

/// A PNG of one pixel, whole: what a proof upload takes.
pub const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `client` adds `bytes` as a proof of change `change` (a multipart upload).
/// Uploads the national system's check (`/api/records/problems/feedback`) as `file_name`.
pub async fn upload_feedback(
    app: &TestApp,
    client: &Client,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    upload(
        app,
        client,
        "/api/records/problems/feedback",
        ("source", "national"),
        file_name,
        bytes,
    )
    .await
}

pub async fn upload_proof(
    app: &TestApp,
    client: &Client,
    change: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    upload(
        app,
        client,
        "/api/changes/proof",
        ("change_id", change),
        "proof.png",
        bytes,
    )
    .await
}
