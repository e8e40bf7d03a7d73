//! Roster import: upload, column mapping, dry run, commit as drafts.

pub mod functions;
// Not in the student form's bundle (`form-bundle`): no page of that bundle shows it.
#[cfg(not(feature = "form-bundle"))]
pub mod import_commit;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

/// The column that names each row's class (班级): not a field of the record, but where the
/// row goes. Empty, a row goes to the class the file was uploaded for.
pub const CLASS_COLUMN: &str = "class";
pub mod views;
