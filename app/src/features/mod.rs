//! The portal's workflows, one folder each: its pages and islands, its server functions,
//! its service (the rules it applies, in a transaction) and its store (its SQL). A feature
//! may use the shared parts below it (`crate::kit`, `crate::domain`, `crate::db`,
//! `crate::authz`, ...) and the features it builds on; none of the shared parts knows a
//! feature.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod changes;
pub mod console;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod grants;
pub mod handovers;
pub mod import;
pub mod inspections;
pub mod leaks;
pub mod notices;
pub mod problems;
pub mod publications;
pub mod records;
pub mod requests;
pub mod retention;
pub mod search;
pub mod status;
pub mod structure;
