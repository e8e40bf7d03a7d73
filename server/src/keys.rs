//! The key file (`XUEJI_KEY_FILE`): the secrets that live outside the database, so that a
//! copy of the database alone can neither forge the audit trail nor read sealed data.
//!
//! The file is created only while the database holds nothing those keys protect, and data
//! keys are added to an older file only while no encrypted value exists. Once data is
//! protected, the server refuses to start without the very keys that protected it: the
//! database stores a check value of each key, never the key.

use std::{
    collections::BTreeMap,
    io::Write,
    path::{Path, PathBuf},
};

use app::db::Pool;
use app::kit::{
    audit::chain::AuditKey,
    sealing::{DataKeys, key_checks},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the key file {path} is missing, but the database already holds data it protects \
         ({entries} audit entries, {sealed} encrypted values); restore the key file from its backup"
    )]
    Missing {
        path: PathBuf,
        entries: i64,
        sealed: i64,
    },
    #[error(
        "the key file {path} holds no data key, but the database holds {sealed} encrypted \
         values; restore the key file from its backup"
    )]
    DataKeyMissing { path: PathBuf, sealed: i64 },
    #[error(
        "the key file {path} does not belong to this database ({which}); restore the right one"
    )]
    Mismatch { path: PathBuf, which: String },
    #[error("cannot read the key file {path}: {problem}")]
    Unreadable { path: PathBuf, problem: String },
    #[error("cannot write the key file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database could not be read: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Serialize, Deserialize)]
struct DataKeyEntry {
    id: u16,
    key: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFileContents {
    /// Format version of the file: 1 held the audit key only.
    version: u32,
    /// HMAC-SHA256 key of the audit chain, base64.
    audit_mac: String,
    /// XChaCha20-Poly1305 keys of sealed values, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    data_keys: Vec<DataKeyEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_data_key: Option<u16>,
    /// HMAC-SHA256 key of the blind indexes, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blind_index: Option<String>,
}

/// The keys, as the application uses them.
#[derive(Clone, Debug)]
pub struct Keys {
    pub audit: AuditKey,
    pub data: DataKeys,
}

/// A value that identifies a key without revealing it.
fn check_value(key: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"xueji key check v1");
    mac.finalize().into_bytes().to_vec()
}

pub fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the operating system provides randomness");
    key
}

fn decode(text: &str) -> Option<[u8; 32]> {
    STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
}

/// What a key file holds: the audit key, and the data keys when it has them.
struct FileKeys {
    audit: [u8; 32],
    data: Option<DataKeys>,
}

fn read(path: &Path) -> Result<FileKeys, KeyError> {
    let unreadable = |problem: String| KeyError::Unreadable {
        path: path.to_owned(),
        problem,
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let contents: KeyFileContents =
        serde_json::from_str(&text).map_err(|_| unreadable("not a Xueji key file".into()))?;
    let audit = decode(&contents.audit_mac)
        .ok_or_else(|| unreadable("the audit key is not 32 bytes of base64".into()))?;
    let data = match (contents.current_data_key, contents.blind_index) {
        (Some(current), Some(blind)) => {
            let blind = decode(&blind).ok_or_else(|| {
                unreadable("the blind-index key is not 32 bytes of base64".into())
            })?;
            let mut keys = BTreeMap::new();
            for entry in contents.data_keys {
                let key = decode(&entry.key).ok_or_else(|| {
                    unreadable(format!("data key {} is not 32 bytes of base64", entry.id))
                })?;
                keys.insert(entry.id, key);
            }
            Some(
                DataKeys::new(keys, current, blind)
                    .ok_or_else(|| unreadable("the current data key is not in the file".into()))?,
            )
        }
        _ => None,
    };
    Ok(FileKeys { audit, data })
}

/// Writes the key file whole: to a new file beside it, synced, then renamed over it, so a
/// crash leaves the old file or the new one and never half of either.
pub fn write(path: &Path, audit: &[u8; 32], data: &DataKeys) -> Result<(), KeyError> {
    let failed = |source| KeyError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let contents = KeyFileContents {
        version: 2,
        audit_mac: STANDARD.encode(audit),
        data_keys: data
            .keys()
            .iter()
            .map(|(id, key)| DataKeyEntry {
                id: *id,
                key: STANDARD.encode(key),
            })
            .collect(),
        current_data_key: Some(data.current_id()),
        blind_index: Some(STANDARD.encode(data.blind_key())),
    };
    let temporary = path.with_extension("new");
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(failed)?;
    let json = serde_json::to_string_pretty(&contents).expect("serialisable");
    file.write_all(json.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

fn new_data_keys() -> DataKeys {
    DataKeys::new(BTreeMap::from([(1, random_key())]), 1, random_key()).expect("key 1 is current")
}

/// The check values of these keys, by purpose.
pub fn checks_of(audit: &[u8; 32], data: &DataKeys) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::from([
        ("audit_mac".to_owned(), check_value(audit)),
        ("blind_index".to_owned(), check_value(data.blind_key())),
    ]);
    for (id, key) in data.keys() {
        out.insert(format!("data:{id}"), check_value(key));
    }
    out
}

/// Loads the key file and checks that it holds the keys this database was protected with.
/// With `may_create`, a missing file is created (and an old file without data keys gets
/// them) while the database holds nothing they would protect; commands that only read
/// (`verify-audit`) never write one.
pub async fn load(path: &Path, pool: &Pool, may_create: bool) -> Result<Keys, KeyError> {
    let stored = key_checks::all(pool).await?;
    let sealed = key_checks::sealed_values(pool).await?;
    let (audit, data) = if path.exists() {
        let file = read(path)?;
        match file.data {
            Some(data) => (file.audit, data),
            None if sealed > 0 || stored.keys().any(|p| p.starts_with("data:")) || !may_create => {
                return Err(KeyError::DataKeyMissing {
                    path: path.to_owned(),
                    sealed,
                });
            }
            None => {
                let data = new_data_keys();
                write(path, &file.audit, &data)?;
                tracing::info!(path = %path.display(), "added data keys to the key file; back it up apart from the database");
                (file.audit, data)
            }
        }
    } else {
        let entries = key_checks::audit_entries(pool).await?;
        if !stored.is_empty() || entries > 0 || sealed > 0 || !may_create {
            return Err(KeyError::Missing {
                path: path.to_owned(),
                entries,
                sealed,
            });
        }
        let (audit, data) = (random_key(), new_data_keys());
        write(path, &audit, &data)?;
        tracing::info!(path = %path.display(), "created a new key file; back it up apart from the database");
        (audit, data)
    };
    let checks = checks_of(&audit, &data);
    for (purpose, value) in &stored {
        match checks.get(purpose) {
            Some(check) if check == value => {}
            _ => {
                return Err(KeyError::Mismatch {
                    path: path.to_owned(),
                    which: purpose.clone(),
                });
            }
        }
    }
    for (purpose, check) in checks.iter().filter(|(p, _)| !stored.contains_key(*p)) {
        key_checks::insert(pool, purpose, check).await?;
    }
    Ok(Keys {
        audit: AuditKey::from_bytes(audit),
        data,
    })
}

/// The audit key's raw bytes, for rewriting the file at rotation.
pub fn audit_bytes(path: &Path) -> Result<[u8; 32], KeyError> {
    Ok(read(path)?.audit)
}
