//! Publication review (上网审查): a text meant for the school's website or a parents' group,
//! scanned for personal data and approved by the leading group (POLICY.md article 3).

pub mod editor;
pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
