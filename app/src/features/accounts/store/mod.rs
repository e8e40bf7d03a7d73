//! The accounts SQL.

pub mod password_policy;
pub mod throttle;
pub mod users;
