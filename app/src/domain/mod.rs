//! Domain types shared by the browser and the server. A value that exists is valid.

pub mod access;
pub mod actor;
pub mod calendar;
pub mod password;
#[cfg(test)]
mod props;
pub mod publication;
pub mod records;
pub mod requests;
pub mod role;
pub mod username;

pub use actor::Actor;
pub use password::Password;
pub use role::Role;
pub use username::Username;

/// `text` cut to at most `max` characters: what is kept is bounded whatever came.
pub fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
