//! Role grants: a homeroom-teacher role granted by the system administrator alone; a
//! privileged role granted, taken away or its holder's password reset only with the approval
//! of a leading-group member who is neither the proposer nor the grantee (POLICY.md article
//! 4); the second person's part of a setup link. Builds on `accounts`.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
