//! Accounts: signing in, setup links, one's own account and password, the password rule.
//! Role grants are `features/grants`; the system administrator's console `features/console`.

pub mod functions;
// Its islands are not in the student form's bundle (`form-bundle`): no page of that bundle
// shows them.
#[cfg(not(feature = "form-bundle"))]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
