//! The accounts server functions.

pub mod account;
pub mod auth;
#[cfg(feature = "ssr")]
pub(crate) mod flash;
pub mod language;
pub mod policy;
