//! Every SQL statement of the application lives below this module.

pub mod audit;
pub mod audit_query;
pub mod grants;
pub mod imports;
pub mod key_checks;
pub mod notices;
pub mod password_policy;
pub mod records;
pub mod sealed;
pub mod structure;
pub mod system;
pub mod throttle;
pub mod users;
