//! The one error type of the application: what went wrong, in words safe to show anyone.
//!
//! The detail of a failure goes to the server's log under the request id; the client gets
//! only the kind of failure, a message key and that id. No variant carries an input value,
//! because a plain form post carries the error back in the URL.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

use crate::i18n::Locale;

/// A field that failed validation, with the key of the message that says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

/// What kind of failure a request met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input was malformed or broke a rule; `fields` says which and why.
    InvalidInput,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The change collides with existing data; `code` says how.
    Conflict,
    /// Too many attempts; `retry_after_secs` says how long to wait.
    TooManyRequests,
    Unavailable,
    /// The server's disk is full: nothing was saved; it works again once there is room.
    StorageFull,
    Internal,
    /// The request never got an answer (network down, server gone): seen only by the browser.
    Transport,
}

/// A flat record on the wire (no tagged or flattened enums): it is decoded in the browser,
/// where every serde shape costs WebAssembly bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.message_key())]
pub struct AppError {
    pub kind: ErrorKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// A message key that refines the kind, e.g. which conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// The request id under which the server logged the detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl From<ErrorKind> for AppError {
    fn from(kind: ErrorKind) -> Self {
        AppError {
            kind,
            fields: Vec::new(),
            code: None,
            retry_after_secs: None,
            request_id: None,
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, code: &str) -> Self {
        AppError {
            fields: vec![FieldError {
                field: field.into(),
                code: code.into(),
            }],
            ..ErrorKind::InvalidInput.into()
        }
    }

    pub fn conflict(code: &str) -> Self {
        AppError {
            code: Some(code.into()),
            ..ErrorKind::Conflict.into()
        }
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        AppError {
            retry_after_secs: Some(retry_after_secs),
            ..ErrorKind::TooManyRequests.into()
        }
    }

    pub fn forbidden() -> Self {
        ErrorKind::Forbidden.into()
    }

    pub fn not_found() -> Self {
        ErrorKind::NotFound.into()
    }

    pub fn unavailable() -> Self {
        ErrorKind::Unavailable.into()
    }

    /// A failure of our own making. The detail goes to the log, at the place it happened,
    /// under the current request's span; the client learns only that it happened.
    #[cfg(feature = "ssr")]
    #[track_caller]
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%detail, file = at.file(), line = at.line(), "internal error");
        ErrorKind::Internal.into()
    }

    /// The HTTP status a JSON client gets for this error.
    pub fn status_code(&self) -> u16 {
        match self.kind {
            ErrorKind::InvalidInput => 400,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::Unavailable => 503,
            ErrorKind::StorageFull => 507,
            ErrorKind::Internal => 500,
            ErrorKind::Transport => 502,
        }
    }

    /// The translation key of the message shown to a person.
    pub fn message_key(&self) -> &'static str {
        match self.kind {
            ErrorKind::InvalidInput => "error.invalid_input",
            ErrorKind::Unauthenticated => "error.unauthenticated",
            ErrorKind::Forbidden => "error.forbidden",
            ErrorKind::NotFound => "error.not_found",
            ErrorKind::Conflict => "error.conflict",
            ErrorKind::TooManyRequests => "error.too_many_requests",
            ErrorKind::Unavailable => "error.unavailable",
            ErrorKind::StorageFull => "error.storage_full",
            ErrorKind::Internal => "error.internal",
            ErrorKind::Transport => "error.transport",
        }
    }

    /// Everything a person should read about this error: the specific reasons when there
    /// are any (each field's problem, the kind of conflict, how long to wait), else the
    /// general message with the request id.
    ///
    /// An error can come back in a URL (`?__err=`, a form post's redirect), where anyone can
    /// write one: only messages from the portal's own catalogue are shown, and a request id
    /// only when it has the shape of one, so no outsider's words appear on the real site.
    pub fn messages(&self, locale: Locale) -> Vec<String> {
        use crate::i18n::translate;
        let ours = |code: &str| error_key(code).map(|key| translate(locale, &key));
        match self.kind {
            ErrorKind::InvalidInput if !self.fields.is_empty() => {
                let known: Vec<String> = self.fields.iter().filter_map(|f| ours(&f.code)).collect();
                if known.is_empty() {
                    vec![self.message(locale)]
                } else {
                    known
                }
            }
            ErrorKind::TooManyRequests => {
                let minutes = self.retry_after_secs.unwrap_or(60).div_ceil(60);
                let key = self
                    .code
                    .as_deref()
                    .and_then(error_key)
                    .unwrap_or_else(|| "error.wait_minutes".to_owned());
                vec![crate::tr!(locale, &key, minutes = minutes)]
            }
            _ => match self.code.as_deref().and_then(ours) {
                Some(message) => vec![message],
                None => vec![self.message(locale)],
            },
        }
    }

    /// The message in `locale`, with the request id a person can quote to support.
    pub fn message(&self, locale: Locale) -> String {
        let text = crate::i18n::translate(locale, self.message_key());
        // A request id is a UUID: 36 characters of hex digits and hyphens.
        let shaped =
            |id: &&String| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        match self.request_id.as_ref().filter(shaped) {
            Some(id) => format!(
                "{text} ({}: {id})",
                crate::i18n::translate(locale, "error.request_id")
            ),
            None => text,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Failures of the server-function machinery itself. Their texts can quote the input
    /// (a deserialiser names the value it choked on), so only the kind survives.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                ErrorKind::InvalidInput.into()
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                ErrorKind::Transport.into()
            }
            ServerFnErrorErr::UnsupportedRequestMethod(_) | ServerFnErrorErr::MissingArg(_) => {
                ErrorKind::InvalidInput.into()
            }
            ServerFnErrorErr::Registration(_)
            | ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Serialization(_) => ErrorKind::Internal.into(),
        }
    }
}

/// A session that cannot be read or written (its store failed, or a value in it does not
/// decode) is the server's failure: logged where it happened, answered as internal.
#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    #[track_caller]
    fn from(error: tower_sessions::session::Error) -> Self {
        AppError::internal(error)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => {
                tracing::warn!("database pool timed out");
                AppError::unavailable()
            }
            ref e if crate::db::is_lock_timeout(e) => {
                tracing::warn!("a write waited too long for the database's lock");
                AppError::unavailable()
            }
            // The disk is full: the write was not kept (its transaction rolled back), and the
            // person is told so, not that the server failed.
            ref e if crate::db::is_disk_full(e) => {
                tracing::error!("a write was refused: the database's disk is full");
                ErrorKind::StorageFull.into()
            }
            // Two writers raced for one unique value (a name, a request): the loser is told
            // that it exists already, not that the server failed.
            ref e if crate::db::is_unique_violation(e) => {
                tracing::info!("a unique constraint refused a write");
                AppError::conflict("duplicate")
            }
            // A text the database cannot hold (a NUL character): bad input, nothing kept.
            ref e if crate::db::is_unstorable_text(e) => {
                tracing::info!("a text the database cannot store was refused");
                ErrorKind::InvalidInput.into()
            }
            other => AppError::internal(other),
        }
    }
}

/// The catalogue's message for an error code: `error.<code>`, or the code itself for the two
/// features that name their field messages by their own key (`leak.required`,
/// `inspection.date`). Only a key of the catalogue is ever returned, and only of those
/// families, so a code that came back in a URL shows nothing but the portal's own words for
/// a problem (never a notice or a banner's text).
pub fn error_key(code: &str) -> Option<String> {
    use crate::i18n::is_message;
    let prefixed = format!("error.{code}");
    if is_message(&prefixed) {
        Some(prefixed)
    } else if ["leak.", "inspection."].iter().any(|p| code.starts_with(p)) && is_message(code) {
        Some(code.to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn a_violated_unique_constraint_is_a_conflict_not_a_failure() {
        let pool = crate::db::in_memory().await.unwrap();
        crate::db::query("CREATE TABLE t (name TEXT UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        crate::db::query("INSERT INTO t VALUES ('a')")
            .execute(&pool)
            .await
            .unwrap();
        let raced = crate::db::query("INSERT INTO t VALUES ('a')")
            .execute(&pool)
            .await
            .unwrap_err();
        let error = AppError::from(raced);
        assert_eq!(error.status_code(), 409);
        assert_eq!(
            error.messages(crate::i18n::Locale::ZhCn),
            vec!["已经有相同的记录了：请刷新页面后再看".to_owned()]
        );
    }

    #[test]
    fn statuses_follow_the_kind() {
        assert_eq!(
            AppError::invalid("locale", "invalid_choice").status_code(),
            400
        );
        assert_eq!(AppError::forbidden().status_code(), 403);
        assert_eq!(AppError::too_many_requests(5).status_code(), 429);
        assert_eq!(AppError::conflict("duplicate").status_code(), 409);
        assert_eq!(AppError::unavailable().status_code(), 503);
    }

    #[test]
    fn machinery_errors_lose_their_text() {
        let secret = "110101200001011234";
        for e in [
            ServerFnErrorErr::Args(format!("invalid value: {secret}")),
            ServerFnErrorErr::Deserialization(secret.into()),
            ServerFnErrorErr::ServerError(secret.into()),
            ServerFnErrorErr::Request(secret.into()),
        ] {
            let err = AppError::from_server_fn_error(e);
            let wire = String::from_utf8(err.ser().to_vec()).unwrap();
            assert!(!wire.contains(secret), "{wire}");
        }
    }

    #[test]
    fn wire_format_round_trips() {
        let err = AppError {
            request_id: Some("abc".into()),
            ..AppError::invalid("locale", "invalid_choice")
        };
        assert_eq!(AppError::de(err.ser()), err);
        let json: serde_json::Value = serde_json::from_slice(&err.ser()).unwrap();
        assert_eq!(json["kind"], "invalid_input");
        assert_eq!(json["request_id"], "abc");
    }

    #[test]
    fn a_form_says_how_long_to_wait_and_why_each_field_failed() {
        assert_eq!(
            AppError::too_many_requests(61).messages(Locale::ZhCn),
            ["尝试次数过多，请 2 分钟后再试。"]
        );
        assert_eq!(
            AppError::too_many_requests(60).messages(Locale::En),
            ["Too many attempts; try again in 1 min."]
        );
        let invalid = AppError::invalid("new_password", "password.common");
        assert_eq!(
            invalid.messages(Locale::ZhCn),
            ["这是常见密码，很容易被猜到，请换一个。"]
        );
        let wrong = AppError {
            code: Some("bad_credentials".into()),
            ..ErrorKind::Unauthenticated.into()
        };
        assert_eq!(
            wrong.messages(Locale::En),
            ["The username or password is not right."]
        );
    }

    #[test]
    fn message_names_the_request_id() {
        let id = "0b7e1c9a-3f4d-4e2b-9a61-5d2f8c7e4b10";
        let err = AppError {
            request_id: Some(id.into()),
            ..AppError::from(ErrorKind::Internal)
        };
        assert!(err.message(Locale::En).contains(id));
        assert!(err.message(Locale::ZhCn).contains(id));
        // Words someone wrote into a link are not a request id, nor a message of ours.
        let forged = AppError {
            request_id: Some("call 400-123-4567".into()),
            code: Some("call 400-123-4567".into()),
            ..AppError::from(ErrorKind::Conflict)
        };
        assert!(!forged.messages(Locale::En).concat().contains("400-123"));
    }
}
