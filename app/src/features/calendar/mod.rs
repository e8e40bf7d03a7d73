//! The school's calendar: the State Council's holidays and make-up working days as shipped,
//! and the days the school adds or corrects; working days count the clock of a change of
//! status.

pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
