//! Retention and destruction (销毁): students who left more than the retention period ago
//! (default 3 years, `XUEJI_RETENTION_YEARS`) are listed for destruction; a records
//! administrator proposes a batch, a leader other than the proposer approves it, and the
//! approval erases the personal data in the same transaction. A destroyed record cannot be
//! restored from the portal.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod leftovers;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
