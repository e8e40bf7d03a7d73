//! The rules of the application. Services know nothing of Leptos or HTTP and nothing of SQL.

pub mod accounts;
pub mod audit;
pub mod audit_viewer;
pub mod audit_witness;
pub mod auth;
pub mod demo;
pub mod grants;
pub mod import;
pub mod notices;
pub mod password_policy;
pub mod passwords;
pub mod records;
pub mod sealing;
pub mod search;
pub mod structure;
pub mod system;
pub mod throttle;
