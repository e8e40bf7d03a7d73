//! The accounts pages and the new-password island.

pub mod account;
pub mod password_fields;
pub mod password_policy;
pub mod setup;
pub mod sign_in;
