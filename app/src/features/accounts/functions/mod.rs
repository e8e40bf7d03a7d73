//! The accounts server functions.

pub mod account;
pub mod accounts;
pub mod auth;
#[cfg(feature = "ssr")]
mod flash;
pub mod grants;
pub mod language;
pub mod policy;
