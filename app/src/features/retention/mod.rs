//! Retention and destruction (销毁): what is kept, for how long and by which rule
//! (`rules`); the students whose record's period is over are listed for destruction; a
//! records administrator proposes a batch, a leader other than the proposer approves it, and
//! the approval erases the personal data in the same transaction. A destroyed record cannot
//! be restored from the portal.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod leftovers;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
