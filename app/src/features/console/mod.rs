//! The account console: the system administrator finds, creates and changes accounts, and
//! grants, proposes or takes away their roles. Builds on `accounts` and `grants`.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
