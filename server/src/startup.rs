//! Building and running the application: database, state, routes and layers.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use app::db::Pool;
use app::{
    App, AssetPaths,
    clock::Clock,
    features::status::store as system,
    kit::{
        audit::witness::{self as audit_witness, Witness},
        lease::{Holder, Job},
        passwords::Hasher,
    },
    shell,
    state::AppState,
};
use axum::{Json, Router, extract::State, middleware, response::IntoResponse, routing::get};
use http::{HeaderName, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    api_errors,
    config::Settings,
    database::{self, DatabaseError},
    keys::{self, KeyError},
    security::{self, PublicOrigin},
    sessions, telemetry,
};

/// The name the WebAssembly bundle and its scripts are built under (`LEPTOS_OUTPUT_NAME`).
pub const OUTPUT_NAME: &str = "xueji";

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DatabaseError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error("cannot set up the session store: {0}")]
    Sessions(sqlx::Error),
    #[error("cannot record the installation: {0}")]
    Installation(sqlx::Error),
    #[error("cannot read the audit trail's witness file {path}: {source}")]
    Witness {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot witness the audit trail")]
    Witnessing,
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    addr: SocketAddr,
    listener: TcpListener,
    router: Router,
    pool: Pool,
    /// This instance's claim on background work, given up when it stops.
    holder: Holder,
    clock: Arc<dyn Clock>,
}

/// Opens the audit trail's witness beside the key file. A trail that has entries but no
/// witness yet (a new file, or one deleted) gets an entry saying from which head on it is
/// witnessed, so the trail itself tells when witnessing began.
async fn start_witness(
    settings: &Settings,
    pool: &Pool,
    key: &app::kit::audit::chain::AuditKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Arc<Witness>, StartupError> {
    let path = audit_witness::path_beside(&settings.key_file);
    let witness = Witness::open(&path).map_err(|source| StartupError::Witness {
        path: path.clone(),
        source,
    })?;
    witness.make().map_err(|source| StartupError::Witness {
        path: path.clone(),
        source,
    })?;
    if witness.is_empty().await
        && let Some(head) = app::kit::audit::chain::head_seq(pool)
            .await
            .map_err(|_| StartupError::Witnessing)?
    {
        tracing::warn!(path = %path.display(), head, "the audit trail had no witness: witnessing it from its current head on");
        app::kit::audit::chain::record_witness_started(pool, key, now, head)
            .await
            .map_err(|_| StartupError::Witnessing)?;
    }
    witness
        .observe(pool)
        .await
        .map_err(|_| StartupError::Witnessing)?;
    Ok(Arc::new(witness))
}

/// Writes each new head of the audit trail into its witness as soon as it commits (the
/// witness looks twice a second: one indexed read).
fn witness_every_moment(state: &AppState, interval: std::time::Duration) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(interval);
        loop {
            every.tick().await;
            if let Err(error) = state.audit_witness.observe(&state.pool).await {
                tracing::error!(?error, "the audit trail's head could not be witnessed");
            }
        }
    });
}

/// Appends the counts of repeated refusals whose window is over (see
/// `audit::append_denial`), once a minute for as long as the server runs.
fn close_denial_windows_every_minute(state: &AppState, holder: Holder) {
    let state = state.clone();
    tokio::spawn(async move {
        let every_minute = std::time::Duration::from_secs(60);
        let mut every = tokio::time::interval(every_minute);
        loop {
            every.tick().await;
            let now = state.clock.now();
            leased(
                &holder,
                &state.pool,
                Job::DenialWindows,
                now,
                every_minute,
                || async {
                    match app::kit::audit::chain::close_denial_windows(
                        &state.pool,
                        &state.audit_key,
                        now,
                    )
                    .await
                    {
                        Ok(_) => true,
                        Err(error) => {
                            tracing::error!(
                                ?error,
                                "repeated refusals could not be counted into the trail"
                            );
                            false
                        }
                    }
                },
            )
            .await;
        }
    });
}

/// Runs `round` (true when it succeeded) when this instance holds `job`'s lease: it takes or
/// renews the lease for three of its rounds, so that another instance takes over once three
/// have passed without it. A round that failed gives the lease up, so that another instance
/// may do the next; a lease that cannot be taken leaves the round out.
pub async fn leased<F: std::future::Future<Output = bool>>(
    holder: &Holder,
    pool: &Pool,
    job: Job,
    now: chrono::DateTime<chrono::Utc>,
    every: std::time::Duration,
    round: impl FnOnce() -> F,
) {
    let lasting = chrono::Duration::from_std(every * 3).unwrap_or(chrono::Duration::hours(1));
    match holder.take(pool, job, now, lasting).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(job = job.name(), "another instance holds the job's lease");
            return;
        }
        Err(error) => {
            tracing::error!(
                ?error,
                job = job.name(),
                "a background job's lease could not be taken"
            );
            return;
        }
    }
    if !round().await
        && let Err(error) = holder.give_up(pool, job, now).await
    {
        tracing::error!(
            ?error,
            job = job.name(),
            "a failed job's lease could not be given up"
        );
    }
}

/// Ends what has run out (requests nobody decided, releases past their window) and deletes
/// drafts and uploads past their lifetime, every 30 seconds; the pages check a request's end
/// on every request as well.
fn sweep_every_half_minute(
    state: &AppState,
    lifetimes: app::features::retention::leftovers::Lifetimes,
    interval: std::time::Duration,
    holder: Holder,
) {
    let state = state.clone();
    tokio::spawn(async move {
        let sweeps: &[app::kit::sweeper::Sweep] = &[app::features::requests::service::SWEEP];
        let mut every = tokio::time::interval(interval);
        loop {
            every.tick().await;
            let now = state.clock.now();
            leased(
                &holder,
                &state.pool,
                Job::Sweeper,
                now,
                interval,
                || async {
                    let swept = match app::kit::sweeper::sweep_once(
                        &state.pool,
                        &state.audit_key,
                        now,
                        sweeps,
                    )
                    .await
                    {
                        Ok(0) => true,
                        Ok(ended) => {
                            tracing::info!(ended, "the sweeper ended what had run out");
                            true
                        }
                        Err(error) => {
                            tracing::error!(?error, "the sweeper failed");
                            false
                        }
                    };
                    let expired = match app::features::retention::leftovers::expire(
                        &state.pool,
                        &state.audit_key,
                        lifetimes,
                        now,
                    )
                    .await
                    {
                        Ok(0) => true,
                        Ok(gone) => {
                            tracing::info!(gone, "drafts and uploads past their lifetime deleted");
                            true
                        }
                        Err(error) => {
                            tracing::error!(?error, "expiring drafts and uploads failed");
                            false
                        }
                    };
                    swept && expired
                },
            )
            .await;
        }
    });
}

impl Application {
    /// Opens and migrates the database, binds the configured address (port 0 picks a free
    /// one) and assembles the routes. `clock` is the only source of time the app uses.
    pub async fn build(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartupError> {
        let pool = database::connect(&settings.database_url).await?;
        database::prepare(&pool).await?;
        // What the journal held when the server last stopped (a destruction whose purge was
        // still being retried, say) goes into the database file, and the journal is emptied.
        if !matches!(app::db::purge_journal(&pool).await, Ok(true)) {
            tracing::warn!("the journal could not be emptied at start");
        }
        let keys = keys::load(&settings.key_file, &pool, true).await?;
        system::record_installation(&pool, clock.now())
            .await
            .map_err(StartupError::Installation)?;
        let witness = start_witness(&settings, &pool, &keys.audit, clock.now()).await?;
        // Leavings marked before changes of status needed a leader's approval become
        // approved changes, once (a failure leaves them for the next start).
        match app::features::changes::service::carry_over_earlier_leavings(
            &pool,
            &keys.audit,
            settings.timezone,
            clock.now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "earlier leavings carried over as approved changes"),
            Err(error) => tracing::error!(?error, "earlier leavings could not be carried over"),
        }

        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.addr,
            source,
        })?;
        let origin = settings
            .public_origin
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));

        let assets = BuiltAssets::read(&settings.site_root);
        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(settings.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .env(leptos::config::Env::PROD)
            .hash_files(assets.hash_file.is_some())
            .hash_file(Arc::<str>::from(
                assets
                    .hash_file
                    .clone()
                    .unwrap_or_else(|| "hash.txt".into()),
            ))
            .build();
        let secure = origin.starts_with("https://");
        for proxy in settings.networks.proxies_inside_trusted() {
            tracing::warn!(
                %proxy,
                "a trusted proxy lies inside a trusted network: only its X-Forwarded-For names the client, a request from it without one has no known client"
            );
        }
        let state = AppState {
            leptos_options,
            pool: pool.clone(),
            clock,
            timezone: settings.timezone,
            hasher: Arc::new(Hasher::new(
                std::thread::available_parallelism().map_or(1, |n| n.get()),
                std::time::Duration::from_secs(5),
                settings.password_hash_cost,
            )),
            session_policy: settings.session_policy,
            public_origin: origin.clone(),
            audit_key: keys.audit,
            audit_witness: witness,
            data_keys: Arc::new(keys.data),
            secure_cookies: secure,
            networks: Arc::new(settings.networks.clone()),
            retention: Arc::new(settings.retention.clone()),
            effects: app::kit::workflow::effects::Effects {
                key_data: app::features::records::key_data::APPLY,
            },
        };
        // This instance's claim on background work, which several instances on one database
        // share out by leases (app::kit::lease).
        let holder = Holder::new();
        let sessions = sessions::layer(pool.clone(), secure, holder.clone(), state.clock.clone())
            .await
            .map_err(StartupError::Sessions)?;
        close_denial_windows_every_minute(&state, holder.clone());
        witness_every_moment(&state, settings.witness_interval);
        sweep_every_half_minute(
            &state,
            settings.retention.lifetimes,
            settings.sweep_interval,
            holder.clone(),
        );
        let clock = state.clock.clone();
        let router = router(state, &settings, assets, PublicOrigin(origin), sessions);
        tracing::info!(%addr, "listening");
        Ok(Application {
            addr,
            listener,
            router,
            pool,
            holder,
            clock,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address it listens on (with the port the system chose, when asked for port 0).
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// The database pool, for commands and tests that look behind the application's back.
    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests under way.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        // Another instance takes up the background work at its next round.
        if let Err(error) = self.holder.give_up_all(&self.pool, self.clock.now()).await {
            tracing::error!(?error, "the background jobs' leases could not be given up");
        }
        self.pool.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The built stylesheet, scripts and WebAssembly under the site root. A release build names
/// them by content hash and lists the hashes in `hash.txt` (`js: …`, `wasm: …`, `css: …`).
struct BuiltAssets {
    hash_file: Option<String>,
    css_hash: Option<String>,
    bundles: crate::pages::Bundles,
}

impl BuiltAssets {
    /// `./xueji.sh build` writes `hash.txt` into the site root; cargo-leptos writes it beside
    /// the executable (where Leptos itself looks). The site root's wins.
    fn read(site_root: &Path) -> BuiltAssets {
        let beside_exe = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join("hash.txt")));
        BuiltAssets::read_first(
            [Some(site_root.join("hash.txt")), beside_exe]
                .into_iter()
                .flatten(),
        )
    }

    fn read_first(candidates: impl IntoIterator<Item = PathBuf>) -> BuiltAssets {
        let Some((path, text)) = candidates
            .into_iter()
            .find_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        else {
            return BuiltAssets {
                hash_file: None,
                css_hash: None,
                bundles: crate::pages::Bundles::default(),
            };
        };
        let css_hash = text
            .lines()
            .find_map(|l| l.strip_prefix("css:"))
            .map(|h| h.trim().to_owned());
        // Leptos joins this to the executable's folder; an absolute path stands as it is.
        let absolute = std::path::absolute(&path).unwrap_or(path);
        BuiltAssets {
            hash_file: Some(absolute.to_string_lossy().into_owned()),
            css_hash,
            bundles: crate::pages::Bundles::from_hashes(OUTPUT_NAME, &text),
        }
    }

    fn stylesheet(&self) -> String {
        match &self.css_hash {
            Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
            None => format!("/pkg/{OUTPUT_NAME}.css"),
        }
    }
}

/// The page routes, generated once per process. Generating them renders the app in a
/// special mode through process-wide state; a page render in another thread meanwhile (a
/// second `Application` in the same process, as in the tests) could hang for good.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(
    state: AppState,
    settings: &Settings,
    assets: BuiltAssets,
    origin: PublicOrigin,
    session_layer: tower_sessions::SessionManagerLayer<sessions::HashedStore>,
) -> Router {
    let options = state.leptos_options.clone();
    let paths = AssetPaths {
        stylesheet: assets.stylesheet(),
    };
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render = {
        let options = options.clone();
        move || shell(options.clone(), paths.clone())
    };

    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            security::asset_cache_control(assets.hash_file.is_some()),
        ))
        .service(
            ServeDir::new(settings.site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );

    let request_id = HeaderName::from_static(app::state::REQUEST_ID_HEADER);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/records/import/template.xlsx", get(roster_template))
        .route("/changes/{change}/proofs/{proof}", get(change_proof))
        .leptos_routes_with_context(&state, routes, context.clone(), render.clone())
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, move |_| render()))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(security::forget_client_request_id))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(telemetry::request_span))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(middleware::from_fn(security::run_to_completion))
                .layer(CatchPanicLayer::new())
                .layer(CompressionLayer::new())
                .layer(middleware::from_fn_with_state(
                    std::sync::Arc::new(assets.bundles.clone()),
                    crate::pages::settle_scripts,
                ))
                .layer(middleware::from_fn_with_state(
                    origin.clone(),
                    security::security_headers,
                ))
                .layer(middleware::from_fn(api_errors::map_server_fn_errors))
                .layer(middleware::from_fn_with_state(
                    origin,
                    security::origin_guard,
                ))
                .layer(session_layer)
                .layer(middleware::from_fn(crate::form_posts::carry_refusals))
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    sessions::authenticate,
                ))
                .layer(middleware::from_fn_with_state(
                    settings.body_limit,
                    limit_body,
                ))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    settings.request_timeout,
                )),
        )
        .with_state(state)
}

/// The roster template: a workbook with the import's header and its number columns
/// formatted as text, for whoever may import (the same `authorize` as every server function).
async fn roster_template(
    State(state): State<AppState>,
    actor: Option<axum::Extension<app::domain::Actor>>,
) -> axum::response::Response {
    let actor = actor.map(|a| a.0);
    if let Err(error) = app::authz::authorize(
        &state,
        actor.as_ref(),
        app::domain::access::Action::ReadImportTemplate,
        app::domain::access::Resource::Nothing,
    )
    .await
    {
        return StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::FORBIDDEN)
            .into_response();
    }
    match app::features::import::service::template() {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"xueji-roster-template.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Where a change's proof is uploaded. Its body may be larger than the configured bound: a
/// phone's photo of 2 to 8 MB reaches the upload, which refuses it in words (at most 2 MB),
/// where a bare 413 would leave a browser without JavaScript on an error page.
const PROOF_UPLOAD: &str = "/api/changes/proof";
const PROOF_UPLOAD_LIMIT: usize = 8 * 1024 * 1024;
/// The server functions that take multipart forms (uploads).
const MULTIPART: [&str; 3] = [
    PROOF_UPLOAD,
    "/api/records/import/upload",
    "/api/records/problems/feedback",
];

/// Bounds every request's body before it is read: `XUEJI_BODY_LIMIT_BYTES`, or for a proof's
/// upload at least `PROOF_UPLOAD_LIMIT`. A body that says it is longer is refused at once
/// (413); one that grows past the bound stops being read there. An upload that is not a
/// multipart form with its boundary is refused (415) before the form reader sees it.
async fn limit_body(
    State(limit): State<usize>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    if MULTIPART.contains(&path)
        && !request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                t.to_ascii_lowercase().starts_with("multipart/form-data") && t.contains("boundary=")
            })
    {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let limit = if path == PROOF_UPLOAD {
        limit.max(PROOF_UPLOAD_LIMIT)
    } else {
        limit
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// A proof of a change of status, for whoever may read the application (its filer's side and
/// the leaders): an image shown in the browser, a PDF downloaded; never cached, never sniffed
/// as anything else, and each reading audited (`app::features::changes::service::proof_file`).
async fn change_proof(
    State(state): State<AppState>,
    axum::extract::Path((change, proof)): axum::extract::Path<(String, String)>,
    actor: Option<axum::Extension<app::domain::Actor>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, _) = request.into_parts();
    let found = app::features::changes::service::proof_file(
        state,
        actor.map(|a| a.0),
        &parts,
        &change,
        &proof,
    )
    .await;
    match found {
        Ok((media_type, bytes)) => {
            // Shown, never saved to the reader's disk (POLICY: no copy kept after use). An
            // image is shown sandboxed; a PDF in the browser's own viewer, which a sandbox
            // would block, with nothing of its own allowed to load or run.
            let policy = if media_type == "application/pdf" {
                "default-src 'none'; frame-ancestors 'none'"
            } else {
                "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox"
            };
            (
                [
                    (header::CONTENT_TYPE, media_type),
                    (header::CONTENT_DISPOSITION, "inline".to_owned()),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                    (header::CONTENT_SECURITY_POLICY, policy.to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::FORBIDDEN)
            .into_response(),
    }
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match system::ping(&state.pool).await {
        // The database answers, but its disk has no room for a write: every change would be
        // refused, so the portal is not healthy (a load balancer or a monitor should say so).
        Ok(()) if app::db::disk_full(&state.pool).await.unwrap_or(false) => {
            tracing::error!("health check: the database's disk is full");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({ "status": "unavailable", "database": "ok", "disk": "full" }),
                ),
            )
        }
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": "ok", "disk": "ok" })),
        ),
        Err(error) => {
            tracing::error!(%error, "health check: database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unavailable" })),
            )
        }
    }
}

/// Resolves on SIGINT or SIGTERM. A signal source that fails (its runtime's driver is gone,
/// as happens when tests run several runtimes in one process) is ignored rather than taken
/// for a request to stop.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        let received = match signal(SignalKind::terminate()) {
            Ok(mut terminate) => terminate.recv().await.is_some(),
            Err(_) => false,
        };
        if !received {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_file_is_read_from_the_site_root_or_else_beside_the_executable() {
        let site = tempfile::tempdir().unwrap();
        let exe_dir = tempfile::tempdir().unwrap();
        let candidates = || {
            [
                site.path().join("hash.txt"),
                exe_dir.path().join("hash.txt"),
            ]
        };

        // No build: plain names, nothing cached for good.
        let none = BuiltAssets::read_first(candidates());
        assert_eq!(none.hash_file, None);
        assert_eq!(none.stylesheet(), "/pkg/xueji.css");

        // cargo-leptos: beside the executable, one bundle.
        std::fs::write(
            exe_dir.path().join("hash.txt"),
            "js: 3g1-GJn4\nwasm: j1a3iap3\ncss: cwmyezX0\n",
        )
        .unwrap();
        let leptos = BuiltAssets::read_first(candidates());
        assert_eq!(leptos.stylesheet(), "/pkg/xueji.cwmyezX0.css");
        assert!(leptos.hash_file.unwrap().ends_with("hash.txt"));
        assert_eq!(leptos.bundles.form, None);
        assert_eq!(leptos.bundles.full.unwrap().wasm, "xueji.j1a3iap3");

        // ./xueji.sh: in the site root, which wins.
        std::fs::write(
            site.path().join("hash.txt"),
            "js: j1\nwasm: w1\ncss: c1\nform-js: j2\nform-wasm: w2\n",
        )
        .unwrap();
        let ours = BuiltAssets::read_first(candidates());
        assert_eq!(ours.stylesheet(), "/pkg/xueji.c1.css");
        assert_eq!(ours.bundles.form.unwrap().js, "xueji-form.j2");
    }
}
