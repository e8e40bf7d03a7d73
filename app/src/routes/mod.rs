//! The pages of the portal, one module each.

mod home;
mod not_found;

pub use home::HomePage;
pub use not_found::NotFound;
