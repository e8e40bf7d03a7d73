//! What a rendered page carries. A page without an island ships no script at all: this
//! layer drops the hydration script (which the document's head holds between two marks,
//! before the page knows whether an island follows) and the resource and error tables
//! leptos_axum appends after `</html>` for hydration, which nothing reads on such a page.

use axum::{
    body::Body,
    extract::Request,
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The largest page this layer reads (the largest, the student form, is under 200 KB): a
/// page beyond it is answered 500 and logged, not sent half-checked.
const PAGE_LIMIT: usize = 4 * 1024 * 1024;

pub async fn without_idle_scripts(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, PAGE_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a page could not be read");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(page) = idle_scripts_dropped(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The page without its hydration script and what follows `</html>`, when it holds no
/// island; nothing for a page that holds one, or that lacks the marks (it stays as it is).
fn idle_scripts_dropped(page: &[u8]) -> Option<Vec<u8>> {
    use memchr::memmem;
    if memmem::find(page, b"<leptos-island").is_some() {
        return None;
    }
    let mark = |at: &str| format!(r#"<meta name="{}" content="{at}">"#, app::HYDRATION_MARK);
    let (start, end) = (mark("start"), mark("end"));
    let (Some(from), Some(to), Some(html_end)) = (
        memmem::find(page, start.as_bytes()),
        memmem::find(page, end.as_bytes()),
        memmem::find(page, b"</html>"),
    ) else {
        return None;
    };
    let to = to + end.len();
    let html_end = html_end + b"</html>".len();
    if !(from < to && to <= html_end) {
        return None;
    }
    Some([&page[..from], &page[to..html_end]].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_without_islands_loses_its_scripts() {
        let head = r#"<head><meta name="xueji-hydration" content="start"><link rel="modulepreload" href="/pkg/x.js"><script type="module">hydrate()</script><meta name="xueji-hydration" content="end"><title>t</title></head>"#;
        let tail = r#"<script nonce="n">__RESOLVED_RESOURCES=[];</script>"#;
        let plain = format!("<!DOCTYPE html><html>{head}<body><p>x</p></body></html>{tail}");
        assert_eq!(
            String::from_utf8(idle_scripts_dropped(plain.as_bytes()).unwrap()).unwrap(),
            "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
        );
        let island = format!(
            "<!DOCTYPE html><html>{head}<body><leptos-island></leptos-island></body></html>{tail}"
        );
        assert_eq!(idle_scripts_dropped(island.as_bytes()), None);
        assert_eq!(idle_scripts_dropped(b"not a page"), None);
    }
}
