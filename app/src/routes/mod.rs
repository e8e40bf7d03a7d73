//! The pages of the portal, one module each.

mod account;
mod accounts;
mod audit;
mod home;
mod import;
mod not_found;
mod password_policy;
mod records;
mod role_grants;
mod setup;
mod sign_in;

pub use account::{AccountPage, ChangePasswordPage};
pub use accounts::AccountsPage;
pub use audit::AuditPage;
pub use home::HomePage;
pub use import::{ImportPage, ImportReviewPage};
pub use not_found::NotFound;
pub use password_policy::PasswordPolicyPage;
pub use records::{
    HomeroomForm, NewStudentPage, RecordsPage, RosterPage, SearchPage, StructurePage, StudentPage,
    class_label,
};
pub use role_grants::RoleGrantsPage;
pub use setup::SetupPage;
pub use sign_in::SignInPage;
