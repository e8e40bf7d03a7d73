//! The home page and the system administrator's status panel.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
// Not in the student form's bundle (`form-bundle`): no page of that bundle shows it.
#[cfg(not(feature = "form-bundle"))]
pub mod status_panel;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
