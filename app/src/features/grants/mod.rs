//! Role grants: a privileged role is proposed by the system administrator and decided by the leading group.

pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
