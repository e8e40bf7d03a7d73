//! Publication review (上网审查): a text meant for the school's website or a parents' group,
//! scanned for personal data and approved by the leading group (POLICY.md article 3).

// Not in the student form's bundle (`form-bundle`): with the scan's data, the editor's island
// would make the student form, a teacher's daily page, a third heavier (191 KB against 150).
#[cfg(not(feature = "form-bundle"))]
pub mod editor;
pub mod functions;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
