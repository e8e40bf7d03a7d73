//! HTTP integration tests: each starts the real application on port 0 with a fresh
//! database in a temporary folder and talks to it over loopback.

mod accounts;
mod assets;
mod audit;
mod audit_viewer;
mod auth;
mod authorization;
mod cancellation;
mod destruction;
mod fixtures;
mod fuzz;
mod handovers;
mod health;
mod helpers;
mod homes;
mod import;
mod kept_forms;
mod layout;
mod leaks;
mod locale;
mod masks;
mod oracles;
mod outcomes;
mod pages;
mod password_policy;
mod publications;
mod queue;
mod records;
mod records_at_rest;
mod refusals;
mod requests;
mod search;
mod security;
mod separation;
mod sessions;
mod status;
