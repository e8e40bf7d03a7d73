//! Finding students by name, pinyin, initials or number, within what the person may see.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
