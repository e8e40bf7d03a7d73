//! Finding students by name, pinyin, initials or number, within what the person may see.

pub mod functions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
