//! Finding students by name, pinyin, initials and exact numbers, and the demo school.

use app::domain::Role;

use crate::{
    fixtures::{Student, call, enter_student, seed_class, with},
    helpers::{PASSWORD, TestApp, spawn_app},
};

async fn search(app: &TestApp, client: &reqwest::Client, query: &str) -> serde_json::Value {
    let stored = app
        .call_as(client, "/api/records/search", &[("query", query)])
        .await;
    assert_eq!(stored.status(), 200, "{}", stored.text().await.unwrap());
    app.json(client, "/api/records/search/results", &[]).await
}

fn names(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn students_are_found_by_characters_pinyin_initials_and_exact_numbers() {
    let app = spawn_app().await;
    let a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let b = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let a_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let b_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'li'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(a_id)).await;
    let other = seed_class(&app, "2班", Some(b_id)).await;
    let mut zhang = Student::numbered(21);
    zhang.name = "张三".into();
    enter_student(&app, &a, &class, &zhang).await;
    let mut shan = Student::numbered(22);
    shan.name = "单丽".into();
    enter_student(&app, &a, &class, &shan).await;
    let mut zhao = Student::numbered(23);
    zhao.name = "赵四".into();
    let response = call(
        &app,
        &b,
        "/api/records/student/save",
        &with(zhao.form(), &[("class_id", &other)]),
    )
    .await;
    assert_eq!(response.status(), 200);

    for (query, expected) in [
        ("张三", vec!["张三"]),
        ("张", vec!["张三"]),
        ("zhangsan", vec!["张三"]),
        ("ZhangSan", vec!["张三"]),
        ("zs", vec!["张三", "赵四"]),
        ("shanli", vec!["单丽"]),
        ("danli", vec!["单丽"]),
        ("sl", vec!["单丽"]),
        ("qian", vec![]),
    ] {
        let mut found = names(&search(&app, &admin, query).await);
        found.sort();
        let mut expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        expected.sort();
        assert_eq!(found, expected, "{query}");
    }

    // A teacher finds only the students of their own classes.
    assert_eq!(names(&search(&app, &a, "zs").await), vec!["张三"]);
    assert_eq!(names(&search(&app, &b, "zs").await), vec!["赵四"]);
    assert!(names(&search(&app, &b, &zhang.id_number).await).is_empty());

    // Numbers match exactly, through the blind index; the hit is masked.
    let results = search(&app, &admin, &zhang.id_number.to_lowercase()).await;
    assert_eq!(names(&results), vec!["张三"]);
    assert_eq!(results["hits"][0]["id_number"], "******");
    assert_eq!(
        results["query"], "******",
        "the box shows the number masked"
    );
    let body = results.to_string();
    assert!(!body.contains(&zhang.id_number));
    assert_eq!(
        names(&search(&app, &admin, &format!("G{}", zhang.id_number)).await),
        vec!["张三"]
    );
    let near = format!(
        "{}{}",
        &zhang.id_number[..16],
        if zhang.id_number.as_bytes()[16] == b'1' {
            "3"
        } else {
            "1"
        }
    );
    assert!(
        names(&search(&app, &admin, &near).await).is_empty(),
        "no near matches"
    );

    // The number was kept nowhere: not in the session store, not in the trail.
    // (The store's table is `sessions`: reading another name and taking an error for "no
    // rows" made this check pass whatever the store held.)
    let sessions: Vec<Vec<u8>> = app::db::query_scalar("SELECT data FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!sessions.is_empty(), "the search is kept in a session");
    for data in sessions {
        assert!(!String::from_utf8_lossy(&data).contains(&zhang.id_number));
    }
    // The search page renders the hits and works as a plain post.
    let html = app.page(&admin, "/records/search").await.1;
    assert!(html.contains("张三") && !html.contains(&zhang.id_number));
    assert_eq!(
        app.call_as(&admin, "/api/records/search", &[("query", "")])
            .await
            .status(),
        200
    );
    let leader = app.signed_in("leader", &[Role::Leader]).await;
    assert_eq!(
        app.call_as(&leader, "/api/records/search", &[("query", "zs")])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_demo_school_is_made_once_with_working_accounts() {
    let app = spawn_app().await;
    let weak =
        server::commands::demo_data(&app.settings, app.clock.clone(), 100, 7, "password").await;
    assert!(weak.is_err(), "the password policy applies");
    let filled = server::commands::demo_data(&app.settings, app.clock.clone(), 100, 7, PASSWORD)
        .await
        .unwrap();
    assert_eq!(filled.students, 100);
    assert_eq!(filled.classes, 3);
    let roles: Vec<Role> = filled.accounts.iter().map(|(r, _)| *r).collect();
    for (role, count) in [
        (Role::SystemAdmin, 1),
        (Role::RecordsAdmin, 2),
        (Role::Leader, 1),
        (Role::LeadingGroup, 2),
        (Role::HomeroomTeacher, 3),
    ] {
        assert_eq!(
            roles.iter().filter(|r| **r == role).count(),
            count,
            "{role:?}"
        );
    }
    let students: i64 = app::db::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(students, 100);
    let guardians: i64 = app::db::query_scalar("SELECT COUNT(*) FROM guardians")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(guardians, 200);

    // A homeroom teacher signs in with the password and sees their class, every record valid.
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "t0001", PASSWORD).await.status(),
        200
    );
    let home: serde_json::Value = app.json(&teacher, "/api/records", &[]).await;
    let classes = home["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 1);
    let class = classes[0]["class"]["id"].as_str().unwrap();
    let roster: serde_json::Value = app
        .json(&teacher, "/api/records/class", &[("class_id", class)])
        .await;
    let first = roster["students"][0]["id"].as_str().unwrap();
    let page: serde_json::Value = app
        .json(&teacher, "/api/records/student", &[("student_id", first)])
        .await;
    assert!(page["Form"]["masked"].as_array().unwrap().len() >= 9);
    // The saved record passes the form's own rules: saving it unchanged is accepted.
    let mut form: Vec<(String, String)> = Vec::new();
    let input = &page["Form"]["input"];
    for (k, v) in input["student"].as_object().unwrap() {
        form.push((
            format!("record[student][{k}]"),
            v.as_str().unwrap().to_owned(),
        ));
    }
    for (i, g) in input["guardians"].as_array().unwrap().iter().enumerate() {
        for (k, v) in g.as_object().unwrap() {
            form.push((
                format!("record[guardians][{i}][{k}]"),
                v.as_str().unwrap().to_owned(),
            ));
        }
    }
    form.push(("student_id".into(), first.to_owned()));
    let saved = call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

    let again =
        server::commands::demo_data(&app.settings, app.clock.clone(), 10, 8, PASSWORD).await;
    assert!(again.is_err(), "never onto a database that holds records");
    let students: i64 = app::db::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(students, 100);
}

#[tokio::test]
async fn a_search_says_how_many_it_found_pages_them_and_ranks_the_usual_reading_first() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    // 52 students whose names begin with zeng: 曾 read zēng, as a surname is.
    let given = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "小", "大", "明",
    ];
    for n in 0..52u32 {
        let mut s = Student::numbered(100 + n);
        s.name = format!("曾{}{}", given[(n / 13) as usize], given[(n % 13) as usize]);
        enter_student(&app, &teacher, &class, &s).await;
    }
    // Two whose initials are "zy" whole: 曾一 and 张一.
    for (n, name) in [(200, "曾一"), (201, "张一")] {
        let mut s = Student::numbered(n);
        s.name = name.into();
        enter_student(&app, &teacher, &class, &s).await;
    }

    let first = search(&app, &admin, "zeng").await;
    assert_eq!(first["total"], 53, "how many in all");
    assert_eq!(names(&first).len(), 50, "one page");
    let html = app.page(&admin, "/records/search").await.1;
    assert!(
        html.contains("找到 53 名学生，这里是第 1–50 名。"),
        "said, not cut silently"
    );
    assert!(html.contains(r#"href="/records/search?page=2""#));
    let second = app
        .json(&admin, "/api/records/search/results", &[("page", "2")])
        .await;
    assert_eq!(names(&second).len(), 3);
    let html = app.page(&admin, "/records/search?page=2").await.1;
    assert!(html.contains("这里是第 51–53 名") && html.contains("第 2 页，共 2 页"));
    let mut all: Vec<String> = names(&first);
    all.extend(names(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 53, "every one once across the pages");

    // Initials typed whole come before longer names they begin, whatever the pinyin order
    // (曾一一 is zeng-yi-yi, before zhang-yi in the alphabet).
    let zy = names(&search(&app, &admin, "zy").await);
    assert_eq!(&zy[..2], &["曾一".to_owned(), "张一".to_owned()]);
    assert!(zy[2].starts_with("曾一"), "{zy:?}");

    // The rarer reading (céng) finds them too.
    let ceng = search(&app, &admin, "cengyiyi").await;
    assert_eq!(names(&ceng), vec!["曾一一"]);
}

#[tokio::test]
async fn namesakes_are_told_apart_and_students_who_left_are_found_when_asked() {
    let app = spawn_app().await;
    let a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let one = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let two = seed_class(&app, "2班", Some(app.user_id("wang").await)).await;
    let stays = enter_student(&app, &a, &one, &Student::numbered(61)).await;
    let leaves = enter_student(&app, &a, &two, &Student::numbered(62)).await;

    let found = search(&app, &admin, "王小明").await;
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    let classes: Vec<&str> = hits
        .iter()
        .map(|h| h["class"]["name"].as_str().unwrap())
        .collect();
    assert!(
        classes.contains(&"1班") && classes.contains(&"2班"),
        "by class"
    );
    assert!(hits.iter().all(|h| h["birth_date"] == "2017-03-07"));
    let html = app.page(&admin, "/records/search").await.1;
    assert!(
        html.contains("2017-03-07"),
        "the birth date beside the name"
    );

    app::db::query(
        "UPDATE students SET left_at = $1, left_reason = 'graduated' WHERE public_id = $2",
    )
    .bind(app::clock::Clock::now(&*app.clock))
    .bind(&leaves)
    .execute(&app.pool)
    .await
    .unwrap();
    let found = search(&app, &admin, "王小明").await;
    let ids: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![stays.as_str()], "who left is not found unasked");
    let stored = app
        .call_as(
            &admin,
            "/api/records/search",
            &[("query", "王小明"), ("include_left", "1")],
        )
        .await;
    assert_eq!(stored.status(), 200);
    let found = app.json(&admin, "/api/records/search/results", &[]).await;
    assert_eq!(found["total"], 2);
    assert_eq!(found["include_left"], true);
    let left = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == leaves.as_str())
        .expect("found when asked");
    assert_eq!(left["left"], "graduated");
    let html = app.page(&admin, "/records/search").await.1;
    assert!(html.contains("已毕业") && html.contains(r#"name="include_left" value="1" checked"#));
}
