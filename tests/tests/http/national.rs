//! The national indicators the catalogue took in without a code list (issue 32): each goes
//! from the form and from an imported roster into the record, stands on the records
//! administrator's review (the classified ones masked), and leaves only through an approved
//! release; given wrongly, it is refused beside its field and nothing is saved.

use crate::{
    fixtures::{
        Student, call, enter_student, field_errors, pairs, roster_csv, roster_row,
        upload_and_check, with,
    },
    requests::school,
};

/// The review of `student` as the records administrator sees it: each field's value.
async fn reviewed(
    s: &crate::requests::School,
    student: &str,
) -> (std::collections::HashMap<String, String>, String) {
    let page = s
        .app
        .json(
            &s.records,
            "/api/records/student",
            &[("student_id", student)],
        )
        .await;
    (pairs(&page["Review"], "fields", "value"), page.to_string())
}

#[tokio::test]
async fn the_national_indicators_travel_from_form_and_import_to_review_and_release() {
    let s = school().await;
    let seventh = Student::numbered(7);

    // Released under an approved request, the classified ones in full (the school's student
    // 7, entered through the form with the fixture's values).
    let fields = [
        "former_name",
        "only_child",
        "commute_km",
        "mailing_address",
        "postal_code",
        "martyr_child",
    ];
    let id = s.released(&fields).await;
    let page = s
        .app
        .json(
            &s.requester,
            "/api/requests/release",
            &[("request_id", &id)],
        )
        .await;
    let release = page["Live"].to_string();
    assert!(release.contains(&seventh.former_name), "{release}");
    assert!(release.contains(&seventh.mailing_address), "{release}");
    assert!(release.contains(&seventh.postal_code), "{release}");
    assert!(release.contains("2.5"), "{release}");
    assert!(
        !release.contains(&seventh.address),
        "what was not asked for is not released"
    );

    // Through the form: a former name given, the rest the fixture's.
    let mut given = Student::numbered(8);
    given.name = "李晓红".into();
    given.former_name = "李小红".into();
    let student = enter_student(&s.app, &s.teacher, &s.class, &given).await;
    let (values, text) = reviewed(&s, &student).await;
    assert_eq!(values["commute_km"], "2.5");
    assert_ne!(
        values["only_child"], values["school_bus"],
        "the one ticked, the other not"
    );
    for classified in [
        "former_name",
        "mailing_address",
        "postal_code",
        "martyr_child",
    ] {
        assert_eq!(values[classified], "******", "{classified}");
    }
    for value in [
        &given.former_name,
        &given.mailing_address,
        &given.postal_code,
    ] {
        assert!(!text.contains(value.as_str()), "{value} is shown");
    }
    // The teacher's form says which classified values are kept (and the flag as it is).
    let form = s
        .app
        .json(
            &s.teacher,
            "/api/records/student",
            &[("student_id", &student)],
        )
        .await;
    let masked = &form["Form"]["masked"];
    let kept = |field: &str| {
        masked
            .as_array()
            .unwrap_or_else(|| panic!("a form: {form}"))
            .iter()
            .find(|m| m[0] == field)
            .map(|m| m[1].as_str().unwrap().to_owned())
    };
    for field in ["former_name", "mailing_address", "postal_code"] {
        assert_eq!(kept(field).as_deref(), Some("******"), "{field}: {form}");
    }
    assert_eq!(kept("martyr_child"), None, "a flag stands as it is");
    assert_eq!(form["Form"]["input"]["student"]["martyr_child"], "0");

    // Given wrongly: refused beside each field, nothing saved.
    let before: i64 = app::db::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let mut wrong = Student::numbered(9);
    wrong.name = "赵一鸣".into();
    let form = with(
        wrong.form(),
        &[
            ("class_id", &s.class),
            ("record[student][postal_code]", "31001"),
            ("record[student][commute_km]", "2.55"),
            ("record[student][former_name]", "赵1"),
        ],
    );
    let refused = call(&s.app, &s.teacher, "/api/records/student/save", &form).await;
    assert_eq!(refused.status(), 400);
    let body: serde_json::Value = refused.json().await.unwrap();
    let codes = field_errors(&body);
    for expected in [
        ("postal_code", "postal_code.format"),
        ("commute_km", "distance.format"),
        ("former_name", "name.characters"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {codes:?}"
        );
    }
    assert!(
        !body.to_string().contains("31001"),
        "a refusal names no value"
    );
    let after: i64 = app::db::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(after, before);

    // Through an imported roster, by the national template's headers.
    let mut imported = Student::numbered(10);
    imported.name = "孙一帆".into();
    imported.former_name = "孙逸帆".into();
    let csv = roster_csv(&[roster_row(&imported)]);
    for header in [
        "曾用名",
        "是否独生子女",
        "上下学距离",
        "通信地址",
        "邮政编码",
    ] {
        assert!(csv.lines().next().unwrap().contains(header), "{header}");
    }
    let (import, view) =
        upload_and_check(&s.app, &s.teacher, &s.class, "花名册.csv", csv.into_bytes()).await;
    assert_eq!(view["valid"], 1, "{view}");
    let committed = s
        .app
        .call_as(
            &s.teacher,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(committed.status(), 200);
    let (commute, only_child): (String, bool) =
        app::db::query_as("SELECT commute_km, only_child FROM students WHERE name = '孙一帆'")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!((commute.as_str(), only_child), ("2.5", true));
    let student: String =
        app::db::query_scalar("SELECT public_id FROM students WHERE name = '孙一帆'")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    let (values, _) = reviewed(&s, &student).await;
    assert_eq!(values["postal_code"], "******", "the postal code came in");
    assert_eq!(values["former_name"], "******", "the former name came in");
    assert_eq!(
        values["mailing_address"], "******",
        "the mailing address came in"
    );
}
