//! What a rendered page carries. The document's head holds the hydration script between two
//! marks, rendered before the page knows which islands follow; this layer settles it once
//! the page is whole:
//! - a page without an island ships no script at all: the script goes, and so do the
//!   resource and error tables leptos_axum appends after `</html>` for hydration, which
//!   nothing reads on such a page;
//! - a page whose islands are all the student form's ([`app::FORM_BUNDLE_ISLANDS`]) loads
//!   that bundle instead of the full one, when the build made it;
//! - the page gets its Content-Security-Policy from what it carries: the nonce of its
//!   hydration script, or no script at all. (Set through Leptos's `ResponseOptions`, the
//!   policy went missing from about one page in some hundreds that the browser journeys
//!   opened, leaving a page without its style sheet; read from the page as sent, it cannot.)

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The largest page this layer reads (the largest, the student form, is under 200 KB): a
/// page beyond it is answered 500 and logged, not sent half-checked.
const PAGE_LIMIT: usize = 4 * 1024 * 1024;

/// The built bundles' file names (`xueji.<hash>`), from `hash.txt`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bundles {
    /// Every island's: the names the hydration script is rendered with.
    pub full: Option<Bundle>,
    /// The student form's alone.
    pub form: Option<Bundle>,
}

/// One bundle's script and WebAssembly, by file name without the extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
}

impl Bundles {
    /// Reads `hash.txt` (`js: …`, `wasm: …`, `form-js: …`, `form-wasm: …`).
    pub fn from_hashes(output_name: &str, text: &str) -> Bundles {
        let hash = |key: &str| {
            text.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, h)| h.trim().to_owned())
        };
        let bundle = |name: &str, prefix: &str| {
            Some(Bundle {
                js: format!("{name}.{}", hash(&format!("{prefix}js"))?),
                wasm: format!("{name}.{}", hash(&format!("{prefix}wasm"))?),
            })
        };
        Bundles {
            full: bundle(output_name, ""),
            form: bundle(&format!("{output_name}-form"), "form-"),
        }
    }
}

pub async fn settle_scripts(
    State(bundles): State<Arc<Bundles>>,
    request: Request,
    next: Next,
) -> Response {
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
    // A page of the portal's shell carries the hydration script's marks; what it sends
    // decides its policy.
    let nonce = script_span(&bytes).map(|(from, to)| nonce_of(&bytes[from..to]));
    let page = settled(&bundles, &bytes).map_or_else(|| bytes.clone(), axum::body::Bytes::from);
    if let Some(nonce) = nonce {
        let nonce = nonce.filter(|_| script_span(&page).is_some());
        match http::HeaderValue::from_str(&app::state::content_security_policy(nonce)) {
            Ok(policy) => {
                parts
                    .headers
                    .insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            Err(error) => tracing::error!(%error, "a page's policy could not be written"),
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The nonce of the hydration script (`<script nonce="…">`), if it has a well-formed one: a
/// page whose script lacks it runs none.
fn nonce_of(script: &[u8]) -> Option<&str> {
    const ATTRIBUTE: &[u8] = b" nonce=\"";
    let at = memchr::memmem::find(script, ATTRIBUTE)? + ATTRIBUTE.len();
    let value = &script[at..at + memchr::memchr(b'"', &script[at..])?];
    let base64 = |b: &u8| b.is_ascii_alphanumeric() || b"-_+/=".contains(b);
    (!value.is_empty() && value.iter().all(base64))
        .then(|| std::str::from_utf8(value).ok())
        .flatten()
}

/// The page as it should travel; nothing when it stays as it is (it needs the full bundle,
/// or it lacks the marks).
fn settled(bundles: &Bundles, page: &[u8]) -> Option<Vec<u8>> {
    let islands = islands_of(page);
    if islands.is_empty() {
        return idle_scripts_dropped(page);
    }
    let form_only = islands.iter().all(|island| {
        app::FORM_BUNDLE_ISLANDS.iter().any(|name| {
            island
                .strip_prefix(name.as_bytes())
                .is_some_and(|rest| rest.first() == Some(&b'_'))
        })
    });
    match (&bundles.full, &bundles.form) {
        (Some(full), Some(form)) if form_only => {
            let (from, to) = script_span(page)?;
            let script = String::from_utf8_lossy(&page[from..to])
                .replace(&full.js, &form.js)
                .replace(&full.wasm, &form.wasm);
            Some([&page[..from], script.as_bytes(), &page[to..]].concat())
        }
        _ => None,
    }
}

/// The component names of the page's islands (`data-component="…"`).
fn islands_of(page: &[u8]) -> Vec<&[u8]> {
    use memchr::memmem;
    const ATTRIBUTE: &[u8] = b"data-component=\"";
    memmem::find_iter(page, b"<leptos-island")
        .filter_map(|at| {
            let tag = &page[at..];
            let tag = &tag[..memchr::memchr(b'>', tag)?];
            let value = &tag[memmem::find(tag, ATTRIBUTE)? + ATTRIBUTE.len()..];
            Some(&value[..memchr::memchr(b'"', value)?])
        })
        .collect()
}

/// Where the marked hydration script starts and ends.
fn script_span(page: &[u8]) -> Option<(usize, usize)> {
    use memchr::memmem;
    let mark = |at: &str| format!(r#"<meta name="{}" content="{at}">"#, app::HYDRATION_MARK);
    let (start, end) = (mark("start"), mark("end"));
    let from = memmem::find(page, start.as_bytes())?;
    let to = memmem::find(page, end.as_bytes())? + end.len();
    (from < to).then_some((from, to))
}

/// The page without its hydration script and what follows `</html>`, for a page that holds
/// no island; nothing when it lacks the marks (it stays as it is).
fn idle_scripts_dropped(page: &[u8]) -> Option<Vec<u8>> {
    let (from, to) = script_span(page)?;
    let html_end = memchr::memmem::find(page, b"</html>")? + b"</html>".len();
    (to <= html_end).then(|| [&page[..from], &page[to..html_end]].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<head><meta name="xueji-hydration" content="start"><link rel="modulepreload" href="/pkg/xueji.j1.js"><link rel="preload" href="/pkg/xueji.w1.wasm"><script type="module">hydrate("", "pkg", "xueji.j1", "xueji.w1")</script><meta name="xueji-hydration" content="end"><title>t</title></head>"#;
    const TAIL: &str = r#"<script nonce="n">__RESOLVED_RESOURCES=[];</script>"#;

    fn bundles() -> Bundles {
        Bundles::from_hashes(
            "xueji",
            "js: j1\nwasm: w1\ncss: c1\nform-js: j2\nform-wasm: w2\n",
        )
    }

    fn page(body: &str) -> String {
        format!("<!DOCTYPE html><html>{HEAD}<body>{body}</body></html>{TAIL}")
    }

    #[test]
    fn the_nonce_is_read_from_the_hydration_script_alone() {
        let (from, to) = script_span(HEAD.as_bytes()).unwrap();
        assert_eq!(
            nonce_of(&HEAD.as_bytes()[from..to]),
            None,
            "no nonce, no script"
        );
        let with = r#"<link rel="modulepreload" href="/pkg/x.js" nonce="aB-_9z"><script type="module" nonce="aB-_9z">h()</script>"#;
        assert_eq!(nonce_of(with.as_bytes()), Some("aB-_9z"));
        for bad in [
            r#"<script nonce="">"#,
            r#"<script nonce="a'b">"#,
            r#"<script nonce="a b">"#,
            r#"<script nonce="ab"#,
        ] {
            assert_eq!(nonce_of(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn only_a_page_without_islands_loses_its_scripts() {
        assert_eq!(
            String::from_utf8(settled(&bundles(), page("<p>x</p>").as_bytes()).unwrap()).unwrap(),
            "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
        );
        let other = page(r#"<leptos-island data-component="StatusPanel_123"></leptos-island>"#);
        assert_eq!(settled(&bundles(), other.as_bytes()), None);
        assert_eq!(settled(&bundles(), b"not a page"), None);
    }

    #[test]
    fn a_page_with_only_the_form_island_loads_the_form_bundle() {
        let form = page(
            r#"<leptos-island data-component="FormAssist_42" data-props="{}"><p>f</p></leptos-island>"#,
        );
        let sent = String::from_utf8(settled(&bundles(), form.as_bytes()).unwrap()).unwrap();
        assert!(sent.contains(r#"href="/pkg/xueji-form.j2.js""#), "{sent}");
        assert!(sent.contains(r#"href="/pkg/xueji-form.w2.wasm""#), "{sent}");
        assert!(sent.contains(r#"hydrate("", "pkg", "xueji-form.j2", "xueji-form.w2")"#));
        assert!(!sent.contains("xueji.j1") && !sent.contains("xueji.w1"));
        assert!(sent.ends_with(TAIL), "the hydration tables stay");

        // With any other island beside it, or a name that only starts alike, the full bundle.
        let mixed = page(
            r#"<leptos-island data-component="FormAssist_42"></leptos-island><leptos-island data-component="ImportCommit_7"></leptos-island>"#,
        );
        assert_eq!(settled(&bundles(), mixed.as_bytes()), None);
        let alike = page(r#"<leptos-island data-component="FormAssistant_1"></leptos-island>"#);
        assert_eq!(settled(&bundles(), alike.as_bytes()), None);
        // A build without the form bundle (cargo-leptos) serves the full one everywhere.
        let without = Bundles::from_hashes("xueji", "js: j1\nwasm: w1\ncss: c1\n");
        assert_eq!(without.form, None);
        assert_eq!(settled(&without, form.as_bytes()), None);
    }
}
