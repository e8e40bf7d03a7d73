//! Encryption at rest of classified (机密/绝密) values, and the keyed blind index that finds
//! an exact value without decrypting anything.
//!
//! A sealed value is `[1][key id: u16 BE][24-byte nonce][XChaCha20-Poly1305 ciphertext]`;
//! the associated data names the row it belongs to, so a sealed value copied onto another
//! row does not open. Keys come from the key file, never from the database.

pub mod key_checks;
pub mod sealed;

use std::collections::BTreeMap;

use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use hmac::{Hmac, Mac};
use serde::{Serialize, de::DeserializeOwned};
use sha2::Sha256;

use crate::errors::AppError;

const VERSION: u8 = 1;
const HEADER: usize = 1 + 2 + 24;

/// The data keys by id, the one new values are sealed under, and the blind-index key.
#[derive(Clone)]
pub struct DataKeys {
    keys: BTreeMap<u16, [u8; 32]>,
    current: u16,
    blind: [u8; 32],
}

impl std::fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DataKeys(ids {:?}, current {})",
            self.keys.keys(),
            self.current
        )
    }
}

impl DataKeys {
    /// `current` must be among `keys`.
    pub fn new(keys: BTreeMap<u16, [u8; 32]>, current: u16, blind: [u8; 32]) -> Option<Self> {
        keys.contains_key(&current).then_some(DataKeys {
            keys,
            current,
            blind,
        })
    }

    pub fn current_id(&self) -> u16 {
        self.current
    }

    /// Encrypts `plaintext` for the row `row` names.
    pub fn seal(&self, row: &str, plaintext: &[u8]) -> Vec<u8> {
        let key = &self.keys[&self.current];
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("the operating system provides randomness");
        let cipher = XChaCha20Poly1305::new(key.into());
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: row.as_bytes(),
                },
            )
            .expect("encryption of an in-memory buffer cannot fail");
        let mut out = Vec::with_capacity(HEADER + ciphertext.len());
        out.push(VERSION);
        out.extend_from_slice(&self.current.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    /// Decrypts a value sealed for the row `row` names. A value that does not open (another
    /// key, another row, tampered bytes) is an internal error: its detail goes to the log.
    pub fn open(&self, row: &str, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
        if sealed.len() < HEADER || sealed[0] != VERSION {
            return Err(AppError::internal("sealed value of an unknown format"));
        }
        let id = u16::from_be_bytes([sealed[1], sealed[2]]);
        let key = self.keys.get(&id).ok_or_else(|| {
            AppError::internal(format!("sealed under key {id}, which the key file lacks"))
        })?;
        XChaCha20Poly1305::new(key.into())
            .decrypt(
                XNonce::from_slice(&sealed[3..HEADER]),
                Payload {
                    msg: &sealed[HEADER..],
                    aad: row.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("a sealed value did not open"))
    }

    pub fn seal_json<T: Serialize>(&self, row: &str, value: &T) -> Vec<u8> {
        self.seal(row, &serde_json::to_vec(value).expect("serialisable"))
    }

    pub fn open_json<T: DeserializeOwned>(&self, row: &str, sealed: &[u8]) -> Result<T, AppError> {
        serde_json::from_slice(&self.open(row, sealed)?).map_err(AppError::internal)
    }

    /// The key id a sealed value was sealed under.
    pub fn key_id_of(sealed: &[u8]) -> Option<u16> {
        (sealed.len() >= HEADER).then(|| u16::from_be_bytes([sealed[1], sealed[2]]))
    }

    /// The blind index of `value` for the lookup `purpose` names (e.g. `id_number`).
    pub fn blind_index(&self, purpose: &str, value: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.blind).expect("any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// These keys with a new current key added (for rotation).
    pub fn with_new_current(&self, id: u16, key: [u8; 32]) -> DataKeys {
        let mut keys = self.keys.clone();
        keys.insert(id, key);
        DataKeys {
            keys,
            current: id,
            blind: self.blind,
        }
    }

    /// Only the current key (after every value was sealed again under it).
    pub fn only_current(&self) -> DataKeys {
        DataKeys {
            keys: BTreeMap::from([(self.current, self.keys[&self.current])]),
            current: self.current,
            blind: self.blind,
        }
    }

    pub fn keys(&self) -> &BTreeMap<u16, [u8; 32]> {
        &self.keys
    }

    pub fn blind_key(&self) -> &[u8; 32] {
        &self.blind
    }
}

#[cfg(test)]
pub(crate) fn test_keys() -> DataKeys {
    DataKeys::new(BTreeMap::from([(1, [7; 32])]), 1, [9; 32]).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_for_its_own_row_only() {
        let keys = test_keys();
        let sealed = keys.seal("student:a", b"11010519491231002X");
        assert!(!sealed.windows(18).any(|w| w == b"11010519491231002X"));
        assert_eq!(
            keys.open("student:a", &sealed).unwrap(),
            b"11010519491231002X"
        );
        assert!(keys.open("student:b", &sealed).is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(keys.open("student:a", &tampered).is_err());
        assert_ne!(
            keys.seal("student:a", b"x"),
            keys.seal("student:a", b"x"),
            "fresh nonces"
        );
    }

    #[test]
    fn rotation_keeps_old_values_readable_until_they_are_sealed_again() {
        let old = test_keys();
        let sealed = old.seal("r", b"v");
        let both = old.with_new_current(2, [8; 32]);
        assert_eq!(both.open("r", &sealed).unwrap(), b"v");
        let again = both.seal("r", b"v");
        assert_eq!(DataKeys::key_id_of(&again), Some(2));
        let new_only = both.only_current();
        assert!(new_only.open("r", &sealed).is_err());
        assert_eq!(new_only.open("r", &again).unwrap(), b"v");
    }

    #[test]
    fn blind_indexes_are_keyed_and_separate_by_purpose() {
        let keys = test_keys();
        assert_eq!(
            keys.blind_index("id_number", "1"),
            keys.blind_index("id_number", "1")
        );
        assert_ne!(
            keys.blind_index("id_number", "1"),
            keys.blind_index("student_number", "1")
        );
        let other = DataKeys::new(BTreeMap::from([(1, [7; 32])]), 1, [10; 32]).unwrap();
        assert_ne!(
            keys.blind_index("id_number", "1"),
            other.blind_index("id_number", "1")
        );
    }
}
