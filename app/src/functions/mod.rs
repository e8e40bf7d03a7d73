//! Server functions, one file per area: thin doors from the browser to the services.
//!
//! Each one parses its input into domain types, calls a service and returns its result.
//! The server gives each error its HTTP status and the request id (`server::api_errors`).

pub mod account;
pub mod accounts;
pub mod audit;
pub mod auth;
pub mod grants;
pub mod import;
pub mod locale;
pub mod notices;
pub mod policy;
pub mod records;
pub mod status;
pub mod structure;
