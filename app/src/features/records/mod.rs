//! Student records: the class lists, the student form and its island, saving, submitting, verifying, returning, unmasking.

pub mod form_assist;
pub mod functions;
#[cfg(feature = "ssr")]
pub mod key_data;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod student_form;
pub mod views;
