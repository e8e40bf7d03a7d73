//! Every SQL statement of the application lives below this module.

pub mod audit;
pub mod audit_query;
pub mod grants;
pub mod system;
pub mod throttle;
pub mod users;
