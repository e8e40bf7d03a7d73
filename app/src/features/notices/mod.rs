//! Notices: what the portal tells a person on their account page.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
