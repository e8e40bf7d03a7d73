//! The accounts SQL.

pub mod grants;
pub mod password_policy;
pub mod throttle;
pub mod users;
