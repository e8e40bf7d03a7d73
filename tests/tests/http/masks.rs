//! Masks that really mask: from everything a role sees of a student without an unmask (pages
//! and the server functions' answers), neither the ID number nor the 学籍号 narrows to fewer
//! than 500 candidates.

use app::domain::{
    Role,
    records::{codes, id_card::check_character},
};

use crate::{
    fixtures::{Student, enter_student, seed_class},
    helpers::{TestApp, spawn_app},
};

/// The fewest identity numbers consistent with what `shown` reveals of `id`, counted as an
/// attacker would: the region and birth date count as known when they appear anywhere in
/// the text (a region by its code or its name), the sex as always known, and every
/// masked tail (`****0312`, `***12`) that the number ends with as a constraint on the
/// sequence and check character. The number (or 17 of its characters) in clear is one.
fn candidates(id: &str, shown: &str) -> usize {
    let (region, rest) = id.split_at(6);
    let (date, rest) = rest.split_at(8);
    let sex_odd = (rest.as_bytes()[2] - b'0') % 2 == 1;
    if shown.contains(&id[..17]) || shown.contains(&id[1..]) {
        return 1;
    }
    let named = codes::region(region).is_some_and(|r| shown.contains(&r.name()));
    let regions = if shown.contains(region) || named {
        1
    } else {
        2_978
    };
    let dashed = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
    let dates = if shown.contains(date) || shown.contains(&dashed) {
        1
    } else {
        365 * 12
    };
    // Every run of digits (and X) straight after an asterisk is a masked tail.
    let mut tails: Vec<String> = Vec::new();
    let chars: Vec<char> = shown.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '*'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == 'X')
        {
            let tail: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == 'X')
                .collect();
            tails.push(tail);
        }
    }
    let sequences = (0..1000)
        .map(|seq| format!("{region}{date}{seq:03}"))
        .filter(|first17| ((first17.as_bytes()[16] - b'0') % 2 == 1) == sex_odd)
        .map(|first17| format!("{first17}{}", check_character(&first17).unwrap()))
        .filter(|candidate| {
            tails
                .iter()
                .filter(|t| id.ends_with(t.as_str()))
                .all(|t| candidate.ends_with(t.as_str()))
        })
        .count();
    regions * dates * sequences
}

async fn text(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

async fn answer(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    let response = app.call_as(client, path, form).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[test]
fn the_count_sees_a_tail_beside_the_birth_date() {
    let id = crate::fixtures::id_number("330106", "20170307", "031");
    assert_eq!(candidates(&id, "2017-03-07 330106 ******"), 500);
    assert_eq!(
        candidates(&id, &format!("2017-03-07 330106 ****{}", &id[14..])),
        1
    );
    assert_eq!(candidates(&id, &format!("330106 ****{}", &id[14..])), 4_380);
    assert_eq!(candidates(&id, &id), 1);
}

#[tokio::test]
async fn no_role_sees_enough_to_rebuild_an_id_number_or_student_number() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let teacher_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(teacher_id)).await;
    let s = Student::numbered(31);
    let student = enter_student(&app, &teacher, &class, &s).await;

    for (role, client) in [("teacher", &teacher), ("records admin", &admin)] {
        let mut shown = String::new();
        for path in [
            format!("/records/classes/{class}"),
            format!("/records/students/{student}"),
        ] {
            shown += &text(&app, client, &path).await;
        }
        shown += &answer(&app, client, "/api/records/class", &[("class_id", &class)]).await;
        shown += &answer(
            &app,
            client,
            "/api/records/student",
            &[("student_id", &student)],
        )
        .await;
        answer(&app, client, "/api/records/search", &[("query", "王小明")]).await;
        shown += &answer(&app, client, "/api/records/search/results", &[]).await;
        shown += &text(&app, client, "/records/search").await;

        // Positive controls: the pages rendered the student, with the birth date beside the
        // masks (so the count below works from what an attacker has).
        assert!(
            shown.matches("王小明").count() >= 5,
            "{role}: the pages show the student"
        );
        assert!(
            shown.contains("2017-03-07"),
            "{role}: the birth date is shown"
        );

        // The 学籍号 is G + the ID number: the same count covers both.
        let id = candidates(&s.id_number, &shown);
        assert!(
            id >= 500,
            "{role}: the ID number narrows to {id} candidates"
        );
        let guardian = candidates(&s.guardian_id, &shown);
        assert!(
            guardian >= 500,
            "{role}: a guardian's ID number narrows to {guardian}"
        );
    }
}
