//! The shared parts every feature builds on, knowing none of them: the audit chain and its
//! witness, password hashing, sealing (encryption at rest), the approval
//! kernel (workflows and their notices), the sweeper, the retention settings, refused forms
//! and the UI kit.

#[cfg(feature = "ssr")]
pub mod audit;
pub mod audit_names;
#[cfg(feature = "ssr")]
pub mod context;
pub mod forms;
#[cfg(feature = "ssr")]
pub mod free_text;
#[cfg(feature = "ssr")]
pub mod lease;
#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
pub mod network;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod return_to;
#[cfg(feature = "ssr")]
pub mod sealing;
#[cfg(feature = "ssr")]
pub mod sweeper;
pub mod ui;
pub mod workflow;
