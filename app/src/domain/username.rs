//! Usernames: what a person types to sign in.

use serde::{Deserialize, Serialize};

/// 3–32 characters of lower-case ASCII letters, digits, `.`, `_` and `-`, starting with a
/// letter or digit. Stored and compared in lower case, so `ZhangWei` and `zhangwei` are one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("username.too_short")]
    TooShort,
    #[error("username.too_long")]
    TooLong,
    #[error("username.bad_character")]
    BadCharacter,
}

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 32;

    pub fn parse(input: &str) -> Result<Username, UsernameError> {
        let name = input.trim().to_ascii_lowercase();
        if name.chars().count() < Self::MIN {
            return Err(UsernameError::TooShort);
        }
        if name.chars().count() > Self::MAX {
            return Err(UsernameError::TooLong);
        }
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if !first_ok || !name.chars().all(allowed) {
            return Err(UsernameError::BadCharacter);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Username::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Username::parse(" ZhangWei ").unwrap().as_str(), "zhangwei");
        assert_eq!(Username::parse("li.na_2-b").unwrap().as_str(), "li.na_2-b");
        assert_eq!(Username::parse("abc").unwrap().as_str(), "abc");
    }

    #[test]
    fn refuses_what_does_not_fit() {
        assert_eq!(Username::parse("ab"), Err(UsernameError::TooShort));
        assert_eq!(
            Username::parse(&"a".repeat(33)),
            Err(UsernameError::TooLong)
        );
        assert_eq!(Username::parse("张伟"), Err(UsernameError::TooShort));
        assert_eq!(
            Username::parse("张伟老师"),
            Err(UsernameError::BadCharacter)
        );
        assert_eq!(Username::parse("a b c"), Err(UsernameError::BadCharacter));
        assert_eq!(Username::parse(".abc"), Err(UsernameError::BadCharacter));
        assert_eq!(Username::parse("abc@x"), Err(UsernameError::BadCharacter));
    }
}
