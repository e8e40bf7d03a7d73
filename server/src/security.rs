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

/// A signed-in person's browser opening a page from a link on another site. Such a page
/// would act in their name (read the audit trail, be refused something: entries in the
/// trail) on a stranger's choice of address, so it is not rendered.
fn cross_site_navigation(method: &Method, path: &str, headers: &http::HeaderMap) -> bool {
    let signed_in = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim_start().starts_with(crate::sessions::SESSION_COOKIE));
    let from_elsewhere = headers
        .get("sec-fetch-site")
        .is_some_and(|s| s.as_bytes() == b"cross-site" || s.as_bytes() == b"same-site");
    matches!(*method, Method::GET | Method::HEAD)
        && path != "/"
        && !path.starts_with("/pkg/")
        && path != "/healthz"
        && signed_in
        && from_elsewhere
}

/// The page a cross-site link gets instead: the same address as a link of the portal's own,
/// so that opening it is the person's choice, made on the portal.
fn continue_page(uri: &http::Uri) -> Response {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    };
    // Never `//host`: the link stays on this site.
    let mut href = format!("/{}", uri.path().trim_start_matches('/'));
    if let Some(query) = uri.query() {
        href.push('?');
        href.push_str(query);
    }
    let href = escape(&href);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>学籍信息管理平台</title></head><body><main>\
         <h1>您是从其他网站的链接来到这里的</h1>\
         <p>为保护学生信息，来自其他网站的链接不会直接打开平台的页面。确认要打开时，请点击：</p>\
         <p><a href=\"{href}\">继续打开此页面</a> · <a href=\"/\">返回首页</a></p>\
         <p lang=\"en\">You followed a link from another site. To protect student records, such \
         links do not open the portal's pages directly: <a href=\"{href}\">open this page</a> \
         or <a href=\"/\">go to the home page</a>.</p></main></body></html>"
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Plain text and two links: it needs nothing loaded at all.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        ],
        body,
    )
        .into_response()
}

/// Refuses cross-origin state-changing requests with 403 before any handler sees them, and
/// holds a cross-site link to a signed-in page at a page of its own (`continue_page`).
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
    if cross_site_navigation(request.method(), request.uri().path(), request.headers()) {
        tracing::info!("cross-site link held at the continue page");
        return continue_page(request.uri());
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

/// For responses that did not set their own: a locked-down policy (a page gets its own from
/// `pages::settle_scripts`, the layer outside this one), no MIME sniffing, referrers only to ourselves, and no caching; HSTS when
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
