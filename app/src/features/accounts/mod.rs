//! Accounts: signing in, setup links, one's own account and password, the account console,
//! role grants (proposed by the system administrator, decided by the leading group), the
//! password rule.

pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
