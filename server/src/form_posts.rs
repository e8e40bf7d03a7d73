//! Refused form posts go back to their page at a clean address, their error and what was
//! kept of the input waiting in the session for that page (see `app::kit::forms`).
//!
//! A form posted without JavaScript is answered with a redirect to its `Referer`, the
//! server-function machinery adding `__path` and `__err` to it on a refusal. This layer
//! takes those out of the `Location` (and any a previous refusal left in the `Referer`, and
//! a previous outcome's `done`), makes it a path on this site, and keeps the refusal for the
//! page the browser asks for next. The next page shown takes it, so a reload starts afresh.

use app::kit::{
    forms::{KEPT, REFUSED, Refusal},
    ui::done::Done,
};
use axum::{extract::Request, middleware::Next, response::Response};
use http::{HeaderValue, Method, header};
use tower_sessions::Session;

pub async fn carry_refusals(mut request: Request, next: Next) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let path = request.uri().path();
    let is_api = path.starts_with("/api/");
    if request.method() == Method::GET && !is_api && !path.starts_with("/pkg/") {
        // The page the refusal waits for takes it; any other page shown drops it (what is
        // not a page, a file fetched along the way, leaves it be).
        if let Ok(Some(refusal)) = session.get::<Refusal>(REFUSED).await {
            let here = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or(path);
            if refusal.at == here {
                let _ = session.remove_value(REFUSED).await;
                request.extensions_mut().insert(refusal);
            } else if accepts_html {
                let _ = session.remove_value(REFUSED).await;
            }
        }
        return next.run(request).await;
    }
    if request.method() != Method::POST || !is_api {
        return next.run(request).await;
    }

    let mut response = next.run(request).await;
    let kept = match session.get::<serde_json::Value>(KEPT).await {
        Ok(Some(kept)) => {
            let _ = session.remove_value(KEPT).await;
            Some(kept)
        }
        _ => None,
    };
    if !accepts_html || !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return response;
    };
    // A success's redirect is the function's own: it stays as it is.
    let Some((at, Some((server_fn, error)))) = clean(location) else {
        return response;
    };
    let refusal = Refusal {
        at: at.clone(),
        server_fn,
        error,
        kept,
    };
    if session.insert(REFUSED, refusal).await.is_err() {
        // Without the session the error would be lost: leave the address as it was.
        return response;
    }
    if let Ok(value) = HeaderValue::from_str(&at) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A redirect's target as a path (and query) on this site without the error the machinery
/// put in it, nor an earlier outcome's message; and that error (the function's path, the
/// encoded error), if it held one. `None` when the target is no address at all.
pub(crate) fn clean(location: &str) -> Option<(String, Option<(String, String)>)> {
    let base = url::Url::parse("http://site.invalid/").ok()?;
    let url = base.join(location).ok()?;
    let outcome = |key: &str| key == "done" || Done::ALL.iter().any(|d| d.counts().contains(&key));
    let (mut server_fn, mut error) = (None, None);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            // The last pair wins: the machinery appends this refusal's after any earlier.
            "__path" => server_fn = Some(value.into_owned()),
            "__err" => error = Some(value.into_owned()),
            k if outcome(k) => {}
            _ => {
                query.append_pair(&key, &value);
                any = true;
            }
        }
    }
    let mut at = url.path().to_owned();
    if any {
        at.push('?');
        at.push_str(&query.finish());
    }
    Some((at, server_fn.zip(error)))
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn a_refusal_leaves_a_clean_path_on_this_site() {
        let piled = "http://127.0.0.1:3000/admin/accounts?q=1&__path=%2Fapi%2Fa&__err=eA&__path=%2Fapi%2Fb&__err=eB";
        assert_eq!(
            clean(piled),
            Some((
                "/admin/accounts?q=1".to_owned(),
                Some(("/api/b".to_owned(), "eB".to_owned()))
            ))
        );
        // Another site in the Referer stays out: only its path is kept.
        assert_eq!(
            clean("https://elsewhere.example/sign-in?__path=%2Fapi%2Fsign-in&__err=x").map(|c| c.0),
            Some("/sign-in".to_owned())
        );
        // An earlier outcome is not said again over a refusal.
        assert_eq!(
            clean("/records/students/s1?done=imported&rows=3"),
            Some(("/records/students/s1".to_owned(), None))
        );
    }
}
