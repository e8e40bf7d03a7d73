//! The demo school `xueji demo-data` fills an empty database with.

#[cfg(feature = "ssr")]
pub mod service;
