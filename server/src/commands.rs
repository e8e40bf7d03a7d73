//! The `xueji` subcommands other than `serve`, as library functions the tests can call.

use app::services::audit::{self, Break, Intact};

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
