//! The audit chain: entries appended in the acting transaction, HMAC-linked, witnessed apart.

pub mod chain;
pub mod entry;
pub mod store;
pub mod witness;
