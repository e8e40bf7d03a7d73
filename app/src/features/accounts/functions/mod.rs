//! The accounts server functions.

pub mod account;
pub mod accounts;
pub mod auth;
pub mod grants;
pub mod policy;
