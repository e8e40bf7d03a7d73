//! Finding students by name, pinyin, initials or number, within what the person may see.

#[cfg(feature = "ssr")]
pub mod service;
