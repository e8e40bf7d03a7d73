//! Semi-annual inspections (半年检查): a records administrator or leading-group member records
//! an inspection with what the portal computes at that moment (dormant accounts, privileged
//! holders to re-confirm, releases, lapsed requests, unverified records, open leak reports,
//! drafts and imports left waiting, the audit chain verified with its head MAC). The portal
//! says when the next one is due and warns when it is overdue.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
