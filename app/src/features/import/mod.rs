//! Roster import: upload, column mapping, dry run, commit as drafts.

pub mod functions;
pub mod import_commit;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
