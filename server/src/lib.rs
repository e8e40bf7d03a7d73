//! The Xueji server as a library: `Application::build` wires configuration, database,
//! security layers and pages into one axum app, so that tests start the real thing.

pub mod api_errors;
pub mod commands;
pub mod config;
pub mod database;
pub mod form_posts;
pub mod keys;
pub mod pages;
pub mod security;
pub mod sessions;
pub mod startup;
pub mod telemetry;
pub mod threads;

pub use config::Settings;
pub use startup::Application;
