//! The accounts rules: sign-in and its throttle, password hashing, accounts, the password rule.

pub mod auth;
pub mod password_policy;
pub mod throttle;
