//! The two engines hold one schema: SQLite's migrations and PostgreSQL's make the same
//! tables, columns, keys and indexes, and their versions come in pairs.

use std::collections::BTreeSet;

use crate::helpers::{database_url, on_postgres};

/// The engine-specific tables: PostgreSQL's write lock row, and the sessions table (on SQLite
/// made by the session store at start, on PostgreSQL by the migrations).
const ENGINE_ONLY: [&str; 3] = ["write_lock", "sessions", "_sqlx_migrations"];

/// PostgreSQL's history begins with one baseline under this SQLite version; every later
/// version is a pair.
#[test]
fn every_migration_after_the_baseline_comes_in_a_pair() {
    let sqlite: Vec<i64> = server::database::MIGRATOR
        .iter()
        .map(|m| m.version)
        .collect();
    let postgres: Vec<i64> = server::database::POSTGRES_MIGRATOR
        .iter()
        .map(|m| m.version)
        .collect();
    let baseline = postgres[0];
    assert!(
        sqlite.contains(&baseline),
        "the baseline is a SQLite version"
    );
    let after: Vec<i64> = sqlite.into_iter().filter(|v| *v >= baseline).collect();
    assert_eq!(after, postgres, "versions after the baseline, paired");
}

/// One fact of a schema, in words both catalogues give alike.
type Facts = BTreeSet<String>;

/// A column's class: what it holds, as far as both engines agree (SQLite keeps moments and
/// dates as text; PostgreSQL as TIMESTAMPTZ and DATE).
fn class_of_postgres(data_type: &str) -> &'static str {
    match data_type {
        "bigint" => "integer",
        "boolean" => "flag",
        "bytea" => "bytes",
        "text" | "date" | "timestamp with time zone" => "text",
        other => panic!("a PostgreSQL column of type {other}: give it a class"),
    }
}

async fn sqlite_facts() -> Facts {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/parity.db", dir.path().display());
    let pool = server::database::connect(&url).await.unwrap();
    server::database::migrate(&pool).await.unwrap();
    let pool = pool.as_sqlite().unwrap().clone();
    let mut facts = Facts::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, sql) in tables {
        if ENGINE_ONLY.contains(&table.as_str()) {
            continue;
        }
        let sql = sql.to_lowercase();
        let columns: Vec<(i64, String, String, i64, Option<String>, i64)> =
            sqlx::query_as(&format!("PRAGMA table_info(\"{table}\")"))
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (_, name, kind, not_null, _, pk) in columns {
            // A flag is an integer checked to be 0 or 1.
            let flag = sql.contains(&format!("check ({name} in (0, 1))"));
            let class = match kind.as_str() {
                "INTEGER" if flag => "flag",
                "INTEGER" => "integer",
                "TEXT" => "text",
                "BLOB" => "bytes",
                other => panic!("a SQLite column of type {other}"),
            };
            let null = if not_null == 1 || pk > 0 {
                "not null"
            } else {
                "null"
            };
            facts.insert(format!("column {table}.{name} {class} {null}"));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, n)| n).collect();
        facts.insert(format!("primary key {table} ({})", key.join(", ")));
        let indexes: Vec<(i64, String, i64, String, i64)> =
            sqlx::query_as(&format!("PRAGMA index_list(\"{table}\")"))
                .fetch_all(&pool)
                .await
                .unwrap();
        for (_, index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(i64, i64, String)> =
                sqlx::query_as(&format!("PRAGMA index_info(\"{index}\")"))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            let columns: Vec<String> = columns.into_iter().map(|(_, _, c)| c).collect();
            facts.insert(index_fact(
                &table,
                &index,
                unique == 1,
                partial == 1,
                &columns,
            ));
        }
        let keys: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(&format!(
            "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{table}')"
        ))
        .fetch_all(&pool)
        .await
        .unwrap();
        for (_, _, to_table, from, to) in keys {
            facts.insert(format!(
                "foreign key {table}.{from} → {to_table}.{}",
                to.unwrap_or_else(|| "id".into())
            ));
        }
    }
    pool.close().await;
    facts
}

/// An index as both engines can name it: a unique one by its columns (SQLite names the
/// indexes of UNIQUE constraints itself), another by its name.
fn index_fact(table: &str, name: &str, unique: bool, partial: bool, columns: &[String]) -> String {
    let partial = if partial { " where …" } else { "" };
    if unique {
        format!("unique {table} ({}){partial}", columns.join(", "))
    } else {
        format!("index {name} on {table} ({}){partial}", columns.join(", "))
    }
}

async fn postgres_facts() -> Facts {
    let url = database_url(std::path::Path::new("")).await;
    let pool = server::database::connect(&url).await.unwrap();
    let pool = pool.as_postgres().unwrap().clone();
    let mut facts = Facts::new();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, column, kind, nullable) in columns {
        if ENGINE_ONLY.contains(&table.as_str()) {
            continue;
        }
        let null = if nullable == "NO" { "not null" } else { "null" };
        facts.insert(format!(
            "column {table}.{column} {} {null}",
            class_of_postgres(&kind)
        ));
    }
    let indexes: Vec<(String, String, bool, bool, bool, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indisprimary, \
         ix.indpred IS NOT NULL, \
         array_agg(a.attname::text ORDER BY k.ord) \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public' \
         JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON TRUE \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, index, unique, primary, partial, columns) in indexes {
        if ENGINE_ONLY.contains(&table.as_str()) {
            continue;
        }
        if primary {
            facts.insert(format!("primary key {table} ({})", columns.join(", ")));
        } else {
            facts.insert(index_fact(&table, &index, unique, partial, &columns));
        }
    }
    let keys: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, a.attname::text, r.relname::text, ra.attname::text \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public' \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         WHERE c.contype = 'f'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, from, to_table, to) in keys {
        facts.insert(format!("foreign key {table}.{from} → {to_table}.{to}"));
    }
    pool.close().await;
    facts
}

#[tokio::test]
async fn both_engines_migrate_to_one_schema() {
    if !on_postgres() {
        eprintln!("schema parity: runs in the PostgreSQL pass (XUEJI_TEST_POSTGRES)");
        return;
    }
    let sqlite = sqlite_facts().await;
    let postgres = postgres_facts().await;
    let only_sqlite: Vec<&String> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<&String> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ\nSQLite only:\n  {}\nPostgreSQL only:\n  {}",
        only_sqlite
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        only_postgres
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    assert!(sqlite.len() > 300, "the comparison reads the catalogues");
}

/// The audit trail's sequence numbers were safe on SQLite because one writer held the whole
/// file; on PostgreSQL every write takes the school's lock row first. Many clients writing at
/// once (failed and good sign-ins, each an entry) leave a trail numbered 1, 2, 3… without a
/// gap or a clash, that verifies.
#[tokio::test]
async fn parallel_writers_never_share_an_audit_sequence_number() {
    use app::domain::Role;
    let app = crate::helpers::spawn_app().await;
    for name in ["wang", "li", "zhao", "qian"] {
        app.create_user(name, &[Role::HomeroomTeacher]).await;
    }
    let before: i64 = app::db::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let attempts = (0..32).map(|i| {
        let browser = app.browser();
        let app = &app;
        async move {
            let name = ["wang", "li", "zhao", "qian"][i % 4];
            let password = if i % 2 == 0 {
                crate::helpers::PASSWORD
            } else {
                "Wrong2026x"
            };
            app.sign_in_with(&browser, name, password)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert!(
        statuses.iter().all(|s| [200, 401, 429].contains(s)),
        "no write failed: {statuses:?}"
    );
    let (count, first, last): (i64, i64, i64) =
        app::db::query_as("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_log")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(count >= before + 32, "each attempt is an entry: {count}");
    assert_eq!((first, last), (1, count), "numbered without a gap");
    let intact = server::commands::verify_audit(&app.settings)
        .await
        .expect("the trail verifies");
    assert_eq!(intact.entries as i64, count);
}

/// On PostgreSQL the portal serves with a role of its own, which `xueji migrate
/// --app-role` grants the rows it needs: it cannot change the schema, nor change, delete or
/// empty the audit trail, nor drop the triggers that guard it; and a database its build has
/// not migrated is refused at start with the command to run.
#[tokio::test]
async fn the_application_s_role_may_append_to_the_audit_trail_and_nothing_more() {
    use sqlx::Connection;
    let Some(server) = crate::helpers::test_postgres() else {
        eprintln!("database roles: run in the PostgreSQL pass (XUEJI_TEST_POSTGRES)");
        return;
    };
    let owner_url = database_url(std::path::Path::new("")).await;
    let role = format!("xueji_app_{}", uuid::Uuid::new_v4().simple());
    let password = uuid::Uuid::new_v4().simple().to_string();
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        .execute(&mut admin)
        .await
        .unwrap();
    // Only a role of its own: not PUBLIC (every role), not the one migrating, not a superuser.
    for wrong in ["public", "PUBLIC", "xueji", "current_user", "nobody_at_all"] {
        let refused = server::commands::migrate(&owner_url, Some(wrong))
            .await
            .expect_err(wrong)
            .to_string();
        assert!(refused.contains("role"), "{wrong}: {refused}");
    }
    let migrations = server::commands::migrate(&owner_url, Some(&role))
        .await
        .expect("xueji migrate runs as the owner and grants the role");
    assert_eq!(
        migrations,
        server::database::POSTGRES_MIGRATOR.iter().count()
    );
    let mut url = url::Url::parse(&owner_url).unwrap();
    url.set_username(&role).unwrap();
    url.set_password(Some(&password)).unwrap();
    let app_url = url.to_string();

    // The portal serves with that role: a sign-in writes its entries.
    let serving = app_url.clone();
    let app = crate::helpers::spawn_app_configured(
        |_| {},
        move |settings| settings.database_url = serving,
    )
    .await;
    app.create_user("wang", &[app::domain::Role::HomeroomTeacher])
        .await;
    let browser = app.browser();
    assert_eq!(
        app.sign_in_with(&browser, "wang", crate::helpers::PASSWORD)
            .await
            .status(),
        200
    );
    let count = async || -> i64 {
        app::db::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let before = count().await;
    assert_eq!(
        app.sign_in_with(&app.browser(), "wang", "Wrong2026x")
            .await
            .status(),
        401
    );
    assert_eq!(count().await, before + 1, "the refusal is appended");

    // What the role may not do, whoever holds its password.
    let mut as_app = sqlx::PgConnection::connect(&app_url).await.unwrap();
    for statement in [
        "UPDATE audit_log SET outcome = 'failure' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "TRUNCATE audit_log",
        "DROP TRIGGER audit_log_no_update ON audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "CREATE TABLE copy_of_students (id BIGINT)",
        "DROP TABLE students",
        "DELETE FROM _sqlx_migrations",
        "DELETE FROM write_lock",
        "CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    ] {
        let error = sqlx::query(statement)
            .execute(&mut as_app)
            .await
            .expect_err(statement);
        let text = error.to_string();
        assert!(
            text.contains("permission denied") || text.contains("must be owner"),
            "{statement}: {text}"
        );
    }
    as_app.close().await.unwrap();

    // A database this build has not migrated: the portal does not start, and says why.
    let empty = format!("xueji_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {empty}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(&empty);
    let dir = tempfile::tempdir().unwrap();
    let settings = server::Settings {
        database_url: url.to_string(),
        key_file: dir.path().join("xueji.key"),
        addr: "127.0.0.1:0".parse().unwrap(),
        ..server::Settings::default()
    };
    let refused = server::Application::build(settings, app.clock.clone())
        .await
        .err()
        .expect("an unmigrated database is refused")
        .to_string();
    assert!(refused.contains("xueji migrate"), "{refused}");
    sqlx::query(&format!("DROP DATABASE {empty} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}

/// Two servers on one database act as one: a session begun on one is good on the other, a
/// throttle counts the failures both saw, writes from both never collide on the trail's
/// numbers, and a cut of the trail is reported by both. (The sweeper's work done once
/// whoever sweeps: `requests::the_sweeper_ends_what_ran_out_once_however_many_sweep`, two
/// sweeps in transactions of their own, as two instances run them.) (On SQLite the second instance shares the file; on PostgreSQL it is
/// the deployment of several instances.)
#[tokio::test]
async fn two_instances_on_one_database_act_as_one() {
    use app::domain::Role;
    let a = crate::helpers::spawn_app().await;
    let b = a.another_instance().await;
    a.create_user("wang", &[Role::HomeroomTeacher]).await;
    a.create_user("admin", &[Role::SystemAdmin]).await;

    // Signed in on A, served on B (the cookie goes to both: same host).
    let browser = a.browser();
    assert_eq!(
        a.sign_in_with(&browser, "admin", crate::helpers::PASSWORD)
            .await
            .status(),
        200
    );
    let on_b = b.call_as(&browser, "/api/status", &[]).await;
    assert_eq!(on_b.status(), 200, "the session is the database's");

    // Failures alternate between the instances; the counter holds them all.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let instance = if i % 2 == 0 { &a } else { &b };
        statuses.push(
            instance
                .sign_in_with(&instance.browser(), "wang", "Wrong2026x")
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(
        statuses.contains(&429),
        "the throttle counts across instances: {statuses:?}"
    );
    let counted: i64 = app::db::query_scalar(
        "SELECT failures FROM sign_in_throttle WHERE username = 'wang' AND source = '*'",
    )
    .fetch_one(&a.pool)
    .await
    .unwrap();
    let refused = statuses.iter().filter(|s| **s == 401).count() as i64;
    assert_eq!(counted, refused, "{statuses:?}");

    // Writes through both at once: one trail, numbered without a gap, that verifies.
    let writes = (0..16).map(|i| {
        let instance = if i % 2 == 0 { &a } else { &b };
        async move {
            instance
                .sign_in_with(&instance.browser(), "nobody", "Wrong2026x")
                .await
                .status()
                .as_u16()
        }
    });
    let answered = futures::future::join_all(writes).await;
    assert!(
        answered.iter().all(|s| [401, 429].contains(s)),
        "{answered:?}"
    );
    let (count, last): (i64, i64) = app::db::query_as("SELECT COUNT(*), MAX(seq) FROM audit_log")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    assert_eq!(count, last, "no gap, no clash");
    server::commands::verify_audit(&a.settings)
        .await
        .expect("the trail both wrote verifies");

    // A cut of the trail: both instances' audit pages say so.
    let intact = |view: serde_json::Value| view["chain"]["intact"].clone();
    assert_eq!(intact(a.json(&browser, "/api/audit", &[]).await), true);
    assert_eq!(intact(b.json(&browser, "/api/audit", &[]).await), true);
    crate::audit::cut_after(&a, last - 3).await;
    assert_eq!(intact(a.json(&browser, "/api/audit", &[]).await), false);
    assert_eq!(intact(b.json(&browser, "/api/audit", &[]).await), false);
}

/// `xueji migrate` reads its URL as the server does: a misspelt scheme is refused (never
/// taken for a SQLite file's path, which would make a folder named after the password), and
/// an application role is for PostgreSQL only.
#[tokio::test]
async fn xueji_migrate_refuses_a_url_it_does_not_serve_and_roles_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let refused = server::commands::migrate("postgress://owner:s3cret@db/xueji", None)
        .await
        .expect_err("a misspelt scheme")
        .to_string();
    assert!(refused.contains("postgress"), "{refused}");
    assert!(!refused.contains("s3cret"), "{refused}");
    assert!(
        !std::path::Path::new("postgress:").exists(),
        "no folder named after the URL"
    );
    let sqlite = format!("sqlite://{}/x.db", dir.path().display());
    let refused = server::commands::migrate(&sqlite, Some("xueji_app"))
        .await
        .expect_err("a role on SQLite")
        .to_string();
    assert!(refused.contains("PostgreSQL"), "{refused}");
}
