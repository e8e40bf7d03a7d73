//! A password someone chooses, checked against the school's rule before it is hashed.
//!
//! The rule is the same code in the browser (live feedback) and on the server. The default
//! is the school's: at least 8 characters with letters and digits, at most 128.

use serde::{Deserialize, Serialize};

/// A chosen password that satisfies the rule. Its text never shows in `Debug` output, and
/// it is never deserialised: the only way to one is `parse`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Each problem is a translation key; none quotes the password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordProblem {
    #[error("password.too_short")]
    TooShort,
    #[error("password.too_long")]
    TooLong,
    #[error("password.needs_letter")]
    NeedsLetter,
    #[error("password.needs_digit")]
    NeedsDigit,
    #[error("password.contains_username")]
    ContainsUsername,
}

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    /// Every problem `candidate` has for a person called `username` (empty when it passes).
    pub fn problems(candidate: &str, username: &str) -> Vec<PasswordProblem> {
        let mut problems = Vec::new();
        let length = candidate.chars().count();
        if length < Self::MIN {
            problems.push(PasswordProblem::TooShort);
        }
        if length > Self::MAX {
            problems.push(PasswordProblem::TooLong);
        }
        if !candidate.chars().any(char::is_alphabetic) {
            problems.push(PasswordProblem::NeedsLetter);
        }
        if !candidate.chars().any(|c| c.is_ascii_digit()) {
            problems.push(PasswordProblem::NeedsDigit);
        }
        let lowered = candidate.to_lowercase();
        if !username.is_empty() && lowered.contains(&username.to_lowercase()) {
            problems.push(PasswordProblem::ContainsUsername);
        }
        problems
    }

    pub fn parse(candidate: &str, username: &str) -> Result<Password, Vec<PasswordProblem>> {
        let problems = Password::problems(candidate, username);
        if problems.is_empty() {
            Ok(Password(candidate.to_owned()))
        } else {
            Err(problems)
        }
    }

    /// A password someone already has (to rehash it under new parameters): not re-checked,
    /// because a rule that changed since must not lock its holder out.
    #[cfg(feature = "ssr")]
    pub(crate) fn existing(text: &str) -> Password {
        Password(text.to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PasswordProblem::*;

    #[test]
    fn the_school_rule() {
        assert!(Password::parse("Qiuyue2026", "zhangwei").is_ok());
        assert!(Password::parse("学籍管理2026年", "zhangwei").is_ok());
        assert_eq!(Password::problems("abc123", "x"), vec![TooShort]);
        assert_eq!(Password::problems("onlyletters", "x"), vec![NeedsDigit]);
        assert_eq!(Password::problems("1234567890", "x"), vec![NeedsLetter]);
        assert_eq!(
            Password::problems(&format!("a1{}", "x".repeat(127)), "q"),
            vec![TooLong]
        );
        assert_eq!(
            Password::problems("ZhangWei2026", "zhangwei"),
            vec![ContainsUsername]
        );
    }

    #[test]
    fn debug_output_hides_the_text() {
        let password = Password::parse("Qiuyue2026", "zhangwei").unwrap();
        assert_eq!(format!("{password:?}"), "Password(…)");
    }
}
