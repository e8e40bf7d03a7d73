//! Account handovers (账号移交): a privileged role handed to a named successor with the
//! leading group's approval (POLICY.md article 4).

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
