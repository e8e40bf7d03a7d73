//! The home page and the system administrator's status panel.

pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod status_panel;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
