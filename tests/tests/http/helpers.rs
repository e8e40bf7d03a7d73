//! Starting the application for a test, and talking to it.

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use app::clock::Clock;
use app::db::Pool;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::{Client, Response, header};
use server::{Application, Settings};
use tempfile::TempDir;

/// A clock that stands still until the test moves it.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// 2026-09-01 00:00 UTC, 08:00 in Shanghai: the first day of a school year.
pub fn start_of_term() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap()
}

pub struct TestApp {
    pub address: String,
    /// The origin the portal believes it is served at (its own address unless configured).
    pub origin: String,
    /// The settings the application was started with.
    pub settings: Settings,
    pub client: Client,
    pub clock: Arc<ManualClock>,
    pub pool: Pool,
    /// Kept so that the folder lives as long as the application.
    _dir: TempDir,
    /// Whether the PostgreSQL database is this application's own (dropped when it goes),
    /// not another instance's.
    owns_database: bool,
}

/// A test's own PostgreSQL database goes with it (dropped from a thread of its own, as a
/// `Drop` cannot wait; the throw-away server and what is left on it go at the end of the run).
impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(server) = test_postgres().filter(|_| self.owns_database) else {
            return;
        };
        let Ok(url) = url::Url::parse(&self.settings.database_url) else {
            return;
        };
        let name = url.path().trim_start_matches('/').to_owned();
        if !name.starts_with("xueji_test_") {
            return;
        }
        std::thread::spawn(move || {
            use sqlx::Connection;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the clean-up");
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
    }
}

/// The cost of a password hash in tests: the lightest argon2id allows, so that the suite's
/// thousand sign-ins take milliseconds, not 40 ms of one core each. Tests of hashing itself
/// (its memory under a flood, the renewal of old hashes) use [`spawn_app_hashing_as_deployed`].
pub const LIGHT_HASHING: app::kit::passwords::HashCost = app::kit::passwords::HashCost {
    memory_kib: 8,
    passes: 1,
};

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application with the password-hash cost a deployment has (OWASP's).
pub async fn spawn_app_hashing_as_deployed() -> TestApp {
    spawn_app_configured(
        |_| {},
        |settings| settings.password_hash_cost = Default::default(),
    )
    .await
}

/// Starts the application as deployed behind TLS at `origin`.
pub async fn spawn_app_at(origin: &str) -> TestApp {
    spawn_app_configured(
        |_| {},
        |settings| settings.public_origin = Some(origin.to_owned()),
    )
    .await
}

/// Starts the application; `prepare` may put files into the temporary folder first
/// (its `site/` is the site root).
pub async fn spawn_app_with(prepare: impl FnOnce(&Path)) -> TestApp {
    spawn_app_configured(prepare, |_| {}).await
}

/// Starts the application; `prepare` as in [`spawn_app_with`], and `configure` changes the
/// settings before it starts.
pub async fn spawn_app_configured(
    prepare: impl FnOnce(&Path),
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    if std::env::var_os("XUEJI_LOG").is_some() {
        server::telemetry::init(false);
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    prepare(dir.path());
    let mut settings = Settings {
        database_url: database_url(dir.path()).await,
        key_file: dir.path().join("xueji.key"),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.path().join("site"),
        password_hash_cost: LIGHT_HASHING,
        ..Settings::default()
    };
    configure(&mut settings);
    let clock = Arc::new(ManualClock(Mutex::new(start_of_term())));
    let application = Application::build(settings.clone(), clock.clone())
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    // Requests present themselves as coming from the configured origin, as a browser there does.
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| address.clone());
    let pool = application.pool();
    tokio::spawn(application.run_until_stopped());

    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    TestApp {
        address,
        origin,
        settings,
        client,
        clock,
        pool,
        _dir: dir,
        owns_database: true,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET answered")
    }

    /// Calls a server function the way a JSON client from our own origin does.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.call_as(&self.client, path, form).await
    }

    /// Posts a form the way a browser without JavaScript does, from the home page.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, self.url("/"))
            .form(form)
            .send()
            .await
            .expect("form post answered")
    }
}

pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The PostgreSQL server the suite runs against (`XUEJI_TEST_POSTGRES`, the URL of a
/// database whose user may create databases: `./xueji.sh test` starts a throw-away server
/// and sets it), or none: the suite runs on SQLite.
pub fn test_postgres() -> Option<String> {
    std::env::var("XUEJI_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
}

/// Whether this run of the suite is on PostgreSQL.
pub fn on_postgres() -> bool {
    test_postgres().is_some()
}

/// A fresh database for one application: a SQLite file in `dir`, or a PostgreSQL database of
/// its own, cloned from a template that the migrations made once per server and schema.
pub async fn database_url(dir: &Path) -> String {
    match test_postgres() {
        None => format!("sqlite://{}/xueji.db", dir.display()),
        Some(server) => postgres_database(&server).await,
    }
}

async fn postgres_database(server: &str) -> String {
    use sqlx::{Connection, PgConnection};
    let migrations = &server::database::POSTGRES_MIGRATOR;
    // The template's name follows the schema: a changed migration makes a new one.
    let schema = migrations.iter().fold(0u64, |h, m| {
        m.checksum.iter().fold(h ^ m.version as u64, |h, b| {
            h.rotate_left(5) ^ u64::from(*b)
        })
    });
    let template = format!("xueji_template_{schema:016x}");
    let mut admin = PgConnection::connect(server)
        .await
        .expect("the test PostgreSQL server answers");
    // One test process makes the template; the others wait for it.
    sqlx::query("SELECT pg_advisory_lock(7007)")
        .execute(&mut admin)
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&template)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    if !exists {
        let building = format!("{template}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building}"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let pool = server::database::connect(&with_database(server, &building))
            .await
            .expect("the template database opens");
        server::database::migrate(&pool)
            .await
            .expect("the migrations run on PostgreSQL");
        pool.close().await;
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    sqlx::query("SELECT pg_advisory_unlock(7007)")
        .execute(&mut admin)
        .await
        .unwrap();
    let name = format!("xueji_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(&mut admin)
        .await
        .expect("a test database is cloned from the template");
    admin.close().await.unwrap();
    with_database(server, &name)
}

impl TestApp {
    /// What the database keeps, as bytes to search for a value: on SQLite its files (the
    /// database, its write-ahead log and shared memory, after a checkpoint when `checkpoint`),
    /// on PostgreSQL every live row of every table as text (byte strings in hex). PostgreSQL's
    /// old row versions and write-ahead log are the operator's (docs/SECURITY.md).
    pub async fn stored_bytes(&self, checkpoint: bool) -> Vec<u8> {
        if self.pool.as_postgres().is_some() {
            let tables = self.tables().await;
            let mut bytes = Vec::new();
            for table in tables {
                let rows: Option<String> = app::db::query_scalar(&format!(
                    "SELECT string_agg(t::text, E'\\n') FROM {table} t"
                ))
                .fetch_one(&self.pool)
                .await
                .unwrap();
                bytes.extend(rows.unwrap_or_default().into_bytes());
            }
            return bytes;
        }
        if checkpoint {
            app::db::purge_journal(&self.pool).await.unwrap();
        }
        let path = self.database_file();
        let mut bytes = Vec::new();
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(b);
            }
        }
        bytes
    }

    /// A second instance of the portal on this one's database and key file, as two
    /// servers behind a load balancer are (its own port, its own pool and background work).
    pub async fn another_instance(&self) -> TestApp {
        let mut settings = self.settings.clone();
        settings.addr = "127.0.0.1:0".parse().unwrap();
        let application = Application::build(settings.clone(), self.clock.clone())
            .await
            .expect("the second instance starts");
        let address = format!("http://127.0.0.1:{}", application.port());
        let pool = application.pool();
        tokio::spawn(application.run_until_stopped());
        TestApp {
            origin: address.clone(),
            address,
            settings,
            client: self.browser(),
            clock: self.clock.clone(),
            pool,
            _dir: tempfile::tempdir().expect("temporary folder"),
            owns_database: false,
        }
    }

    /// The database's tables, by name (the engine's own bookkeeping left out).
    pub async fn tables(&self) -> Vec<String> {
        let sql = match self.pool.engine() {
            app::db::Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            app::db::Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            }
        };
        app::db::query_scalar(sql)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    /// The SQLite database file (empty on PostgreSQL).
    pub fn database_file(&self) -> String {
        match self.settings.database_url.strip_prefix("sqlite://") {
            Some(path) => path.to_owned(),
            None => String::new(),
        }
    }

    /// Drops one of the audit trail's guards, as someone with the database in hand could.
    pub async fn drop_trigger(&self, name: &str, table: &str) {
        let statement = match self.pool.engine() {
            app::db::Engine::Sqlite => format!("DROP TRIGGER IF EXISTS {name}"),
            app::db::Engine::Postgres => format!("DROP TRIGGER IF EXISTS {name} ON {table}"),
        };
        app::db::query(&statement)
            .execute(&self.pool)
            .await
            .unwrap();
    }
}

/// `server`'s URL with its database replaced by `database`.
fn with_database(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("XUEJI_TEST_POSTGRES is a URL");
    url.set_path(database);
    url.to_string()
}

/// The newest migration's version and the number of migrations, as the binary carries them.
pub fn schema() -> (i64, usize) {
    let migrations = if on_postgres() {
        &server::database::POSTGRES_MIGRATOR
    } else {
        &server::database::MIGRATOR
    };
    let latest = migrations
        .iter()
        .map(|m| m.version)
        .max()
        .expect("migrations exist");
    (latest, migrations.iter().count())
}

/// A password that satisfies the school's rule.
pub const PASSWORD: &str = "Qiuyue2026";

impl TestApp {
    /// Creates a person with roles and a password, the way the account console will.
    pub async fn create_user(&self, username: &str, roles: &[app::domain::Role]) -> i64 {
        use app::{domain::Password, features::accounts::store::users, kit::passwords::Hasher};
        let hasher = Hasher::new(
            1,
            std::time::Duration::from_secs(30),
            self.settings.password_hash_cost,
        );
        let hash = hasher
            .hash(&Password::parse(PASSWORD, &Default::default(), &Default::default()).unwrap())
            .await
            .unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        let now = self.clock.now();
        let id = users::insert(&mut conn, username, &format!("{username} 老师"), now)
            .await
            .unwrap();
        for role in roles {
            users::grant_role(&mut conn, id, *role, now).await.unwrap();
        }
        users::set_password(&mut conn, id, &hash, now)
            .await
            .unwrap();
        id
    }

    /// A new person with `roles`, signed in in a browser of their own.
    pub async fn signed_in(&self, username: &str, roles: &[app::domain::Role]) -> Client {
        self.create_user(username, roles).await;
        let browser = self.browser();
        assert_eq!(
            self.sign_in_with(&browser, username, PASSWORD)
                .await
                .status(),
            200
        );
        browser
    }

    /// A client with its own cookie jar: another browser.
    pub fn browser(&self) -> Client {
        Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap()
    }

    /// Signs in through the server function, as a JSON client of our own origin.
    pub async fn sign_in_with(&self, client: &Client, username: &str, password: &str) -> Response {
        client
            .post(self.url("/api/sign-in"))
            .header(header::ORIGIN, &self.origin)
            .header(header::ACCEPT, "application/json")
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("sign-in answered")
    }

    /// A call of a server function from `client`.
    pub async fn call_as(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(path))
            .header(header::ORIGIN, &self.origin)
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .expect("server function answered")
    }

    /// The id of the account `username`.
    pub async fn user_id(&self, username: &str) -> i64 {
        app::db::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&self.pool)
            .await
            .expect("such an account")
    }

    /// A page as `client`'s browser gets it: its status and its HTML.
    pub async fn page(&self, client: &Client, path: &str) -> (u16, String) {
        let response = client
            .get(self.url(path))
            .send()
            .await
            .expect("page answered");
        let status = response.status().as_u16();
        (status, response.text().await.expect("page read"))
    }

    /// A server function's answer to `client`, as JSON.
    pub async fn json(
        &self,
        client: &Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        self.call_as(client, path, form)
            .await
            .json()
            .await
            .expect("a JSON answer")
    }

    /// The audit trail's actions, oldest first.
    pub async fn audit_actions(&self) -> Vec<(String, String)> {
        app::db::query_as("SELECT action, outcome FROM audit_log ORDER BY seq")
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }
}

/// Posts `form` to `path` as a browser without JavaScript does, from the page at `from`
/// (an address as the browser shows it); the answer's status and `Location`.
pub async fn browser_post(
    app: &TestApp,
    browser: &Client,
    path: &str,
    from: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = browser
        .post(app.url(path))
        .header("sec-fetch-site", "same-origin")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, app.url(from))
        .form(form)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        header(&response, "location").to_owned(),
    )
}

/// A page as a browser navigating to it asks for it.
pub async fn browser_page(app: &TestApp, browser: &Client, path: &str) -> String {
    browser
        .get(app.url(path))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
