//! Accounts: signing in, setup links, one's own account and password, the password rule.
//! Role grants are `features/grants`; the system administrator's console `features/console`.

pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
