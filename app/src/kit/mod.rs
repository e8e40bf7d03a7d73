//! The shared parts every feature builds on, knowing none of them: the audit chain and its
//! witness, password hashing, sealing (encryption at rest), the language choice and the UI kit.

#[cfg(feature = "ssr")]
pub mod audit;
pub mod locale;
#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod sealing;
pub mod ui;
