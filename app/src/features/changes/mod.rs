//! 学籍异动 (changes of status) as applications: a records administrator files one with its
//! kind, reason and the day it takes effect; a leader who did not file it approves or
//! returns it; only the approval changes the student (NATIONAL.md, "Who approves what").

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
