//! The accounts pages and the new-password island.

pub mod account;
pub mod password_fields;
#[cfg(feature = "ssr")]
pub mod password_policy;
pub mod setup;
#[cfg(feature = "ssr")]
pub mod sign_in;
