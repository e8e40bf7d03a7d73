//! A refused form comes back as it was typed, with its problem, at a clean address.
//!
//! A form posted without JavaScript (and every plain `ActionForm` in islands mode) is
//! answered with a redirect to the page it came from; the server-function machinery would
//! put the error into that address (`__path`, `__err`), where it piles up with every further
//! refusal. The server's `form_posts` layer takes it out again and keeps it in the session as
//! a [`Refusal`] for the one page the redirect leads to, with what the function chose to keep
//! of the input ([`keep`]: bounded, never a password or a classified value). The shell hands
//! it to that page's actions (as the machinery would from the address) and its forms
//! ([`kept`]); the next page shown drops it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::{errors::AppError, i18n::Locale, tr};

/// Where a server function puts what it keeps of a refused post, until the layer moves it
/// into the refusal.
pub const KEPT: &str = "xueji.form.kept";
/// Where a refusal waits for the page it returns to.
pub const REFUSED: &str = "xueji.form.refused";
/// The most a kept input may weigh, serialised: more is not kept.
pub const MAX_KEPT_BYTES: usize = 16 * 1024;
/// What someone was typing when their session ended (sealed, by the feature that kept it):
/// sign-in carries it from the ended session into the new one, where the form takes it back.
pub const CARRIED: &str = "xueji.form.carried";

/// A refused form post, on its way back to the page it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    /// The page (path and query) the browser was sent back to.
    pub at: String,
    /// The server function that refused, as its path.
    pub server_fn: String,
    /// The error, encoded as the machinery encodes it in an address.
    pub error: String,
    /// What the function kept of the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<serde_json::Value>,
}

/// Keeps `input` for the form to show again, when the post came from a form that the page
/// reload will rebuild (a browser asking for HTML); a script's call keeps its form on the
/// screen and needs nothing kept. Called by a server function as it refuses.
#[cfg(feature = "ssr")]
pub async fn keep<T: Serialize>(input: &T) -> Result<(), AppError> {
    let from_a_form = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if !from_a_form {
        return Ok(());
    }
    let value = serde_json::to_value(input).map_err(AppError::internal)?;
    if value.to_string().len() > MAX_KEPT_BYTES {
        return Ok(());
    }
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(AppError::internal)?
        .insert(KEPT, value)
        .await?;
    Ok(())
}

/// Runs `step`; when it refuses, keeps `input` first (see [`keep`]).
#[cfg(feature = "ssr")]
pub async fn keeping<T: Serialize, R>(
    input: &T,
    step: impl Future<Output = Result<R, AppError>>,
) -> Result<R, AppError> {
    match step.await {
        Ok(done) => Ok(done),
        Err(error) => {
            keep(input).await?;
            Err(error)
        }
    }
}

/// Hands the refusal the server found for this page to its actions and forms (the shell
/// calls it once, above the routes).
pub fn provide_refusal() {
    #[cfg(feature = "ssr")]
    if let Some(refusal) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Refusal>().cloned())
    {
        provide_context(leptos::server::ServerActionError::new(
            &refusal.server_fn,
            &refusal.error,
        ));
        provide_context(refusal);
    }
}

/// What a refused post of the server function `F` kept of its input, for its form; the
/// default (an empty form) otherwise.
pub fn kept<F: server_fn::ServerFn, T: DeserializeOwned + Default>() -> T {
    use_context::<Refusal>()
        .filter(|r| r.server_fn == F::PATH)
        .and_then(|r| r.kept)
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The problem with one field of a form's last submission, beside the field: its element
/// id is `<id>-error`, for the field's `aria-describedby`.
#[component]
pub fn FieldProblem(
    locale: Locale,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The field's name as the server function reports it.
    field: &'static str,
    /// The element id of the field.
    id: &'static str,
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| {
            e.fields
                .iter()
                .find(|f| f.field == field)
                .and_then(|f| crate::errors::error_key(&f.code))
                .map(|key| tr!(locale, &key))
        })
    };
    view! {
        <p class="field-error" id=format!("{id}-error") aria-live="polite">
            {message}
        </p>
    }
}

/// Whether the last submission's problem names `field` (for `aria-invalid`).
pub fn names(error: Option<&AppError>, field: &str) -> bool {
    error.is_some_and(|e| e.fields.iter().any(|f| f.field == field))
}

/// What the server refused of a plain form (one posted without `ActionForm`, as a multipart
/// upload is) posted to `path`, on the page the refusal sent the browser back to (kept by the
/// server for this page; it names codes only, never a value).
pub fn returned_error(path: &str) -> Option<AppError> {
    use_context::<Refusal>()
        .filter(|r| r.server_fn == path)
        .map(|r| server_fn::error::ServerFnUrlError::<AppError>::decode_err(&r.error))
}

/// An uploaded file's bytes (a multipart form's part), read a chunk at a time and refused
/// with `too_large` as soon as they would pass `max`: no more than `max` bytes are ever held.
/// A part that cannot be read is `unreadable`.
#[cfg(feature = "ssr")]
pub async fn file_bytes(
    field: &mut multer::Field<'static>,
    max: usize,
    unreadable: crate::errors::AppError,
    too_large: crate::errors::AppError,
) -> Result<Vec<u8>, crate::errors::AppError> {
    let mut kept = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| unreadable.clone())? {
        if kept.len() + chunk.len() > max {
            return Err(too_large);
        }
        kept.extend_from_slice(&chunk);
    }
    Ok(kept)
}
