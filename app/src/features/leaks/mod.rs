//! Leak reports (泄密报告): anyone signed in reports a possible or actual leak at once; those
//! who handle it (leaders, records administrators, the system administrator) see it on every
//! page until one of them acknowledges it; a leader contains it in one step (freezes named
//! accounts, revokes live releases) and closes it with a conclusion. The report is its own
//! timeline, and never holds a value of the leaked data.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
