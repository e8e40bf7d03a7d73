//! Xueji's user interface: pages, islands, server functions, and the domain types the
//! browser and the server share.

// Translations live in `app/locales/*.yml`; zh-CN is the portal's first language.
rust_i18n::i18n!("locales", fallback = "zh-CN");

pub mod components;
pub mod domain;
pub mod errors;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod routes;
mod shell;

#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod repositories;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{App, AssetPaths, HYDRATION_MARK, shell};
