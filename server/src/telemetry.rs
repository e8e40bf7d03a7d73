//! Structured logs: one span per request carrying its id and route template, never the URL
//! with its query string, which could hold personal data.

use axum::extract::MatchedPath;
use http::Request;
use tracing::Span;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use app::state::REQUEST_ID_HEADER;

/// Installs the global subscriber. `XUEJI_LOG` filters (default `info`); JSON when asked.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("XUEJI_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // The log goes to standard error: standard output is what commands print for people.
    let registry = tracing_subscriber::registry().with(filter);
    // A second call (several tests in one process) keeps the first subscriber.
    let _ = if json {
        registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .json()
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init()
    } else {
        registry
            .with(fmt::layer().with_writer(std::io::stderr).with_target(false))
            .try_init()
    };
}

/// The span of one request: method, route template and request id.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(static)", MatchedPath::as_str);
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %request.method(), route, request_id)
}
