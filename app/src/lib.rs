//! Xueji's user interface: pages, islands, server functions, and the domain types the
//! browser and the server share.

// Translations live in `app/locales/**/*.yml`; zh-CN is the portal's first language. The
// server reads them all; the browser's WebAssembly carries only `shared` (the islands'
// words among them), not the words only the server's pages say (`pages`).
#[cfg(not(feature = "hydrate"))]
rust_i18n::i18n!("locales", fallback = "zh-CN");
#[cfg(feature = "hydrate")]
rust_i18n::i18n!("locales/shared", fallback = "zh-CN");

pub mod domain;
pub mod errors;
pub mod features;
pub mod i18n;
pub mod kit;
#[cfg(feature = "ssr")]
mod shell;

#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "ssr")]
pub use shell::{App, AssetPaths, FORM_BUNDLE_ISLANDS, HYDRATION_MARK, shell};
