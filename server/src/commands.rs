//! The `xueji` subcommands other than `serve`, as library functions the tests can call.

use std::sync::Arc;

use app::{
    clock::Clock,
    errors::AppError,
    services::{
        audit::{self, Break, Intact},
        auth::{self, Bootstrap, Context},
        passwords::Hasher,
    },
};

use crate::{
    config::Settings,
    database::{self, DatabaseError},
    keys::{self, KeyError},
};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Database(#[from] DatabaseError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error("the audit trail could not be read")]
    Read,
    #[error("the audit trail is broken: {0}")]
    AuditBroken(Break),
    #[error("{0}")]
    Refused(String),
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        let detail = error
            .code
            .clone()
            .or_else(|| error.fields.first().map(|f| f.code.clone()))
            .unwrap_or_else(|| error.message_key().to_owned());
        CommandError::Refused(detail)
    }
}

/// `xueji bootstrap-admin`: creates the first system administrator while there is none.
/// Returns the one-time setup link, or nothing when the password came from standard input.
pub async fn bootstrap_admin(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    username: &str,
    password: Option<&str>,
) -> Result<Option<String>, CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::migrate(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, true).await?;
    let hasher = Hasher::new(1, std::time::Duration::from_secs(30));
    let cx = Context {
        pool: &pool,
        key: &keys.audit,
        hasher: &hasher,
        now: clock.now(),
        client: None,
    };
    let how = password.map_or(Bootstrap::SetupLink, Bootstrap::Password);
    let token = auth::bootstrap_admin(&cx, username, how).await;
    pool.close().await;
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.addr));
    Ok(token?.map(|token| format!("{origin}/setup/{token}")))
}

/// `xueji verify-audit`: recomputes the whole chain with the key file's key.
pub async fn verify_audit(settings: &Settings) -> Result<Intact, CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::migrate(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, false).await?;
    let result = audit::verify_stored(&pool, &keys.audit)
        .await
        .map_err(|_| CommandError::Read);
    pool.close().await;
    result?.map_err(CommandError::AuditBroken)
}

/// The head MAC as people read it: hex, in groups of four.
pub fn fingerprint(mac: &[u8]) -> String {
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    hex.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}
