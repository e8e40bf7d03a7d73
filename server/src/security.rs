//! The web-security layers every response passes: the cross-origin guard for requests that
//! change state, and the headers that keep pages out of caches and frames.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, Method, StatusCode, header};

/// The portal's own origin (`http://127.0.0.1:3000`, `https://xueji.school.cn`).
#[derive(Clone, Debug)]
pub struct PublicOrigin(pub String);

/// A request that can change state: any method but GET, HEAD and OPTIONS, and every call
/// under `/api/` whatever its method.
fn changes_state(method: &Method, path: &str) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || path.starts_with("/api/")
}

/// Whether a state-changing request comes from the portal's own pages. Browsers send
/// `Sec-Fetch-Site`, which must say `same-origin`; a client without it must send an
/// `Origin` equal to the portal's. A request with neither is refused: deny by default.
pub fn same_origin(headers: &http::HeaderMap, origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == origin.as_bytes())
}

/// Refuses cross-origin state-changing requests with 403 before any handler sees them.
pub async fn origin_guard(
    State(origin): State<PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if changes_state(request.method(), request.uri().path())
        && !same_origin(request.headers(), &origin.0)
    {
        tracing::warn!(method = %request.method(), "cross-origin request refused");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(request).await
}

/// Runs each request to its end in a task of its own. A client that hangs up mid-request
/// (a closed tab, a cut connection) would otherwise have its handler dropped wherever it
/// stood: inside a transaction, its connection goes back to the pool before the rollback
/// has run, and the next request on it fails (`begin_with at non-zero transaction depth`).
pub async fn run_to_completion(request: Request, next: Next) -> Response {
    use tracing::instrument::{Instrument, WithSubscriber};
    // The task keeps the request's span and subscriber, so its log lines still carry the
    // request id.
    let task = next
        .run(request)
        .in_current_span()
        .with_current_subscriber();
    match tokio::spawn(task).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a request's task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A request id is ours to give: one a client sends could name its requests after another
/// person's in the log, so it is dropped and a fresh one made.
pub async fn forget_client_request_id(mut request: Request, next: Next) -> Response {
    request.headers_mut().remove(app::state::REQUEST_ID_HEADER);
    next.run(request).await
}

/// For responses that did not set their own: a locked-down policy (pages set one with their
/// script nonce), no MIME sniffing, referrers only to ourselves, and no caching; HSTS when
/// the portal is served over https.
pub async fn security_headers(
    State(origin): State<PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if origin.0.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let defaults = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Cache rule of the built assets: content-hashed names never change, so browsers keep
/// them for a year; unhashed names (a development build) must be checked every time.
pub fn asset_cache_control(hashed: bool) -> HeaderValue {
    HeaderValue::from_static(if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    http::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    const ORIGIN: &str = "http://127.0.0.1:3000";

    #[test]
    fn reads_are_not_guarded_but_api_calls_are() {
        assert!(!changes_state(&Method::GET, "/"));
        assert!(!changes_state(&Method::HEAD, "/healthz"));
        assert!(changes_state(&Method::GET, "/api/status"));
        assert!(changes_state(&Method::POST, "/anything"));
        assert!(changes_state(&Method::DELETE, "/x"));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            ORIGIN
        ));
        for site in ["cross-site", "same-site", "none"] {
            let h = headers(&[
                ("sec-fetch-site", site),
                ("origin", "http://127.0.0.1:3000"),
            ]);
            assert!(!same_origin(&h, ORIGIN), "{site}");
        }
    }

    #[test]
    fn origin_decides_without_fetch_metadata() {
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            ORIGIN
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://127.0.0.1:3001")]),
            ORIGIN
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), ORIGIN));
        assert!(!same_origin(&headers(&[]), ORIGIN));
    }
}
