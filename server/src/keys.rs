//! The key file (`XUEJI_KEY_FILE`): the secrets that live outside the database, so that a
//! copy of the database alone can neither forge the audit trail nor read sealed data.
//!
//! The file is created only while the database holds nothing those keys protect. Once it
//! does, the server refuses to start without the very key that protected it: the database
//! stores a check value of each key, never the key.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use app::services::audit::AuditKey;
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::SqlitePool;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the key file {path} is missing, but the database already holds data it protects \
         ({entries} audit entries); restore the key file from its backup"
    )]
    Missing { path: PathBuf, entries: i64 },
    #[error("the key file {path} does not belong to this database; restore the right one")]
    Mismatch { path: PathBuf },
    #[error("cannot read the key file {path}: {problem}")]
    Unreadable { path: PathBuf, problem: String },
    #[error("cannot create the key file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database could not be read: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Serialize, Deserialize)]
struct KeyFileContents {
    /// Format version of the file.
    version: u32,
    /// HMAC-SHA256 key of the audit chain, base64.
    audit_mac: String,
}

/// The keys, as the application uses them.
#[derive(Clone, Debug)]
pub struct Keys {
    pub audit: AuditKey,
}

/// A value that identifies a key without revealing it.
fn check_value(key: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"xueji key check v1");
    mac.finalize().into_bytes().to_vec()
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the operating system provides randomness");
    key
}

fn read(path: &Path) -> Result<[u8; 32], KeyError> {
    let unreadable = |problem: String| KeyError::Unreadable {
        path: path.to_owned(),
        problem,
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let contents: KeyFileContents =
        serde_json::from_str(&text).map_err(|_| unreadable("not a Xueji key file".into()))?;
    STANDARD
        .decode(contents.audit_mac.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| unreadable("the audit key is not 32 bytes of base64".into()))
}

fn create(path: &Path) -> Result<[u8; 32], KeyError> {
    let failed = |source| KeyError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let key = random_key();
    let contents = KeyFileContents {
        version: 1,
        audit_mac: STANDARD.encode(key),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    let json = serde_json::to_string_pretty(&contents).expect("serialisable");
    file.write_all(json.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(failed)?;
    Ok(key)
}

/// Loads the key file and checks that it is the key this database was protected with.
/// With `may_create`, a missing file is created while the database holds nothing it would
/// protect; commands that only read (`verify-audit`) never create one.
pub async fn load(path: &Path, pool: &SqlitePool, may_create: bool) -> Result<Keys, KeyError> {
    let stored: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT check_value FROM key_checks WHERE purpose = 'audit_mac'")
            .fetch_optional(pool)
            .await?;
    let key = if path.exists() {
        read(path)?
    } else {
        let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(pool)
            .await?;
        if stored.is_some() || entries > 0 || !may_create {
            return Err(KeyError::Missing {
                path: path.to_owned(),
                entries,
            });
        }
        tracing::info!(path = %path.display(), "created a new key file; back it up apart from the database");
        create(path)?
    };
    let check = check_value(&key);
    match stored {
        Some(stored) if stored != check => {
            return Err(KeyError::Mismatch {
                path: path.to_owned(),
            });
        }
        Some(_) => {}
        None => {
            sqlx::query("INSERT INTO key_checks (purpose, check_value) VALUES ('audit_mac', $1)")
                .bind(check)
                .execute(pool)
                .await?;
        }
    }
    Ok(Keys {
        audit: AuditKey::from_bytes(key),
    })
}
