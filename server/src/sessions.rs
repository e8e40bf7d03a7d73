//! Sessions: server-side records behind an `HttpOnly; SameSite=Lax` cookie, checked on every
//! request against the database and the clock.

use app::{
    domain::Actor,
    features::accounts::{
        functions::auth::SESSION_KEY,
        service::auth::{self, SessionRecord},
    },
    kit::{lease::Job, return_to},
    state::{AppState, cookie},
};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use http::StatusCode;
use tower_sessions::{
    Expiry, Session, SessionManagerLayer, SessionStore,
    cookie::SameSite,
    session::{Id, Record},
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const SESSION_COOKIE: &str = "xueji_session";

/// The session store, keyed by a hash of the session id: the cookie's value is found
/// nowhere in the database, so a copy of it (or of its WAL) replays no session.
#[derive(Clone, Debug)]
pub struct HashedStore(Inner, app::db::Statements);

/// The crate's store for the engine the portal runs on (the table `sessions` on either).
#[derive(Clone, Debug)]
enum Inner {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

#[async_trait::async_trait]
impl SessionStore for Inner {
    async fn create(&self, record: &mut Record) -> tower_sessions::session_store::Result<()> {
        match self {
            Inner::Sqlite(s) => s.create(record).await,
            Inner::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> tower_sessions::session_store::Result<()> {
        match self {
            Inner::Sqlite(s) => s.save(record).await,
            Inner::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> tower_sessions::session_store::Result<Option<Record>> {
        match self {
            Inner::Sqlite(s) => s.load(id).await,
            Inner::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> tower_sessions::session_store::Result<()> {
        match self {
            Inner::Sqlite(s) => s.delete(id).await,
            Inner::Postgres(s) => s.delete(id).await,
        }
    }
}

impl Inner {
    async fn delete_expired(&self) -> tower_sessions::session_store::Result<()> {
        use tower_sessions::session_store::ExpiredDeletion;
        match self {
            Inner::Sqlite(s) => s.delete_expired().await,
            Inner::Postgres(s) => s.delete_expired().await,
        }
    }
}

impl HashedStore {
    /// The key a session id is stored under. The id is 128 random bits, so a plain hash
    /// is enough: there is nothing to guess that a key would protect.
    fn key(id: &Id) -> Id {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(id.0.to_le_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        Id(i128::from_le_bytes(first))
    }

    /// Deletes the records past their store expiry (abandoned sessions and what they held).
    pub async fn delete_expired(&self) -> Result<(), tower_sessions::session_store::Error> {
        self.1.sent(1);
        self.0.delete_expired().await
    }
}

#[async_trait::async_trait]
impl SessionStore for HashedStore {
    /// A new session, under an id no other session has: the inner store inserts only under a
    /// free key. Should that key be taken (two ids hashing alike, or a reused id), it stores
    /// the record under a key of its own choosing, which no cookie maps to: that row goes and
    /// the session tries a fresh id.
    async fn create(&self, record: &mut Record) -> tower_sessions::session_store::Result<()> {
        loop {
            let wanted = Self::key(&record.id);
            let mut stored = Record {
                id: wanted,
                data: record.data.clone(),
                expiry_date: record.expiry_date,
            };
            // The inner store's BEGIN, insert and COMMIT (and on PostgreSQL a look first).
            self.1.sent(match self.0 {
                Inner::Sqlite(_) => 3,
                Inner::Postgres(_) => 4,
            });
            self.0.create(&mut stored).await?;
            if stored.id == wanted {
                return Ok(());
            }
            self.1.sent(1);
            self.0.delete(&stored.id).await?;
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> tower_sessions::session_store::Result<()> {
        let stored = Record {
            id: Self::key(&record.id),
            data: record.data.clone(),
            expiry_date: record.expiry_date,
        };
        self.1.sent(1);
        self.0.save(&stored).await
    }

    async fn load(&self, id: &Id) -> tower_sessions::session_store::Result<Option<Record>> {
        self.1.sent(1);
        Ok(self.0.load(&Self::key(id)).await?.map(|mut record| {
            record.id = *id;
            record
        }))
    }

    async fn delete(&self, id: &Id) -> tower_sessions::session_store::Result<()> {
        self.1.sent(1);
        self.0.delete(&Self::key(id)).await
    }
}

/// How often abandoned session records are deleted.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// The session layer. The store's own expiry (by the system clock) clears abandoned records,
/// at start-up and every few minutes after (by the instance holding the job's lease, when
/// several serve one database); the limits that count are checked by `authenticate` with
/// the app's clock.
pub async fn layer(
    pool: app::db::Pool,
    secure: bool,
    holder: app::kit::lease::Holder,
    clock: std::sync::Arc<dyn app::clock::Clock>,
) -> Result<SessionManagerLayer<HashedStore>, sqlx::Error> {
    let leases = pool.clone();
    let inner = if let Some(pool) = pool.as_sqlite() {
        let store = SqliteStore::new(pool.clone())
            .with_table_name("sessions")
            .map_err(|e| sqlx::Error::Configuration(e.into()))?;
        store.migrate().await?;
        Inner::Sqlite(store)
    } else if let Some(pool) = pool.as_postgres() {
        // The table is the migrations' (the application's role may not create tables).
        let store = PostgresStore::new(pool.clone())
            .with_schema_name("public")
            .map_err(|e| sqlx::Error::Configuration(e.into()))?
            .with_table_name("sessions")
            .map_err(|e| sqlx::Error::Configuration(e.into()))?;
        Inner::Postgres(store)
    } else {
        unreachable!("a pool is of one of the two engines")
    };
    let store = HashedStore(inner, leases.statements().clone());
    store
        .delete_expired()
        .await
        .map_err(|e| sqlx::Error::Configuration(e.to_string().into()))?;
    let sweeper = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            crate::startup::leased(
                &holder,
                &leases,
                Job::Sessions,
                clock.now(),
                SWEEP_EVERY,
                || async {
                    match sweeper.delete_expired().await {
                        Ok(()) => true,
                        Err(error) => {
                            tracing::error!(%error, "expired sessions could not be deleted");
                            false
                        }
                    }
                },
            )
            .await;
        }
    });
    Ok(SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(12),
        )))
}

/// Pages anyone may open; every other page needs a signed-in person.
fn is_public(path: &str) -> bool {
    matches!(path, "/" | "/sign-in" | "/healthz" | "/favicon.svg")
        || ["/setup/", "/pkg/", "/api/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// The server functions a person whose password must change (past its rotation, or reset)
/// may call before changing it.
const WHILE_PASSWORD_MUST_CHANGE: &[&str] = &[
    "/api/account/password",
    "/api/account",
    "/api/password-policy",
    "/api/sign-out",
    "/api/sign-in",
];

/// Finds the signed-in person, if any, and hands them to pages and server functions as a
/// request extension. A session past its limits, of a disabled account, or from before a
/// change of password or roles is ended here. Pages that need a person redirect to sign-in
/// before anything renders, and a person whose password must change goes there first.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let now = state.clock.now();
    let record = match session.get::<SessionRecord>(SESSION_KEY).await {
        Ok(record) => record,
        Err(error) => {
            tracing::error!(%error, "session store unreadable");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    // A session that ended here (idle, too long, its account disabled…): sign-in says so.
    let mut ended = false;
    if let Some(mut record) = record {
        match auth::check_session(&state.pool, &state.session_policy, now, &record).await {
            Ok(Ok(actor)) => {
                // Minute precision is enough for the idle limit; spare a write per request.
                if now - record.last_seen_at >= chrono::Duration::seconds(30) {
                    record.last_seen_at = now;
                    if let Err(error) = session.insert(SESSION_KEY, &record).await {
                        tracing::error!(%error, "session store unwritable");
                    }
                }
                request.extensions_mut().insert(actor);
            }
            Ok(Err(end)) => {
                tracing::info!(
                    user_id = record.user_id,
                    reason = end.code(),
                    "session ended"
                );
                let _ = session.flush().await;
                ended = true;
            }
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }

    let path = request.uri().path();
    let actor = request.extensions().get::<Actor>();
    let is_page = !path.starts_with("/api/") && !path.starts_with("/pkg/");
    match actor {
        None if !is_public(path) => {
            let to = if ended && is_page {
                app::kit::ui::done::Done::SessionEnded.at("/sign-in")
            } else {
                "/sign-in".to_owned()
            };
            let mut response = Redirect::to(&to).into_response();
            // A page opened while signed out is where sign-in leads back to.
            if is_page && request.method() == http::Method::GET {
                let came_for = request.uri().path_and_query().map(|p| p.as_str());
                if let Some(cookie) = came_for.and_then(return_cookie(state.secure_cookies)) {
                    response
                        .headers_mut()
                        .append(http::header::SET_COOKIE, cookie);
                }
            }
            return response;
        }
        Some(actor) if actor.must_change_password && is_page && path != "/account/password" => {
            return Redirect::to("/account/password").into_response();
        }
        // The same for a client that calls the server functions: only what changing the
        // password takes (and signing out) until it is changed.
        Some(actor)
            if actor.must_change_password
                && path.starts_with("/api/")
                && !WHILE_PASSWORD_MUST_CHANGE.contains(&path) =>
        {
            let error = app::errors::AppError {
                code: Some("password_must_change".into()),
                ..app::errors::AppError::forbidden()
            };
            return (StatusCode::FORBIDDEN, axum::Json(error)).into_response();
        }
        _ => {}
    }
    next.run(request).await
}

/// The cookie that keeps the page a signed-out person opened (its address without an
/// earlier outcome's message), when it is one to return to.
fn return_cookie(secure: bool) -> impl Fn(&str) -> Option<http::HeaderValue> {
    move |came_for| {
        let (page, _) = crate::form_posts::clean(came_for)?;
        let value = return_to::encode(&page)?;
        http::HeaderValue::from_str(&cookie(
            secure,
            return_to::COOKIE,
            &value,
            return_to::MAX_AGE_SECS,
        ))
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_session_never_takes_a_key_already_held() {
        // One connection: each of an in-memory database's connections is a database of its own.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let inner = SqliteStore::new(pool.clone())
            .with_table_name("sessions")
            .unwrap();
        inner.migrate().await.unwrap();
        let store = HashedStore(Inner::Sqlite(inner), Default::default());
        use tower_sessions::cookie::time;
        let expiry = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        let record = |id: Id, text: &str| Record {
            id,
            data: [(text.to_owned(), serde_json::json!(text))].into(),
            expiry_date: expiry,
        };
        let mut first = record(Id::default(), "first");
        store.create(&mut first).await.unwrap();
        // A second session that comes with the first one's id gets another.
        let mut second = record(first.id, "second");
        store.create(&mut second).await.unwrap();
        assert_ne!(second.id, first.id);
        let kept = store.load(&first.id).await.unwrap().unwrap();
        assert!(kept.data.contains_key("first"), "the first is untouched");
        let moved = store.load(&second.id).await.unwrap().unwrap();
        assert!(moved.data.contains_key("second"));
        let rows: i64 = app::db::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app::db::Pool::from(pool))
            .await
            .unwrap();
        assert_eq!(rows, 2, "no orphan row");
    }

    #[test]
    fn only_the_listed_pages_are_public() {
        for path in [
            "/",
            "/sign-in",
            "/setup/abc",
            "/pkg/xueji.css",
            "/api/sign-in",
            "/healthz",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/account",
            "/account/password",
            "/admin",
            "/sign-in/x",
            "/setup",
            "/anything",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
