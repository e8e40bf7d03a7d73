//! A password someone chooses, checked against the school's password policy before it is
//! hashed.
//!
//! The rule is the same code in the browser (live feedback as the person types) and on the
//! server. Two presets: the school's rule (at least 8 characters with letters and digits,
//! changed periodically), and "length only" after NIST SP 800-63B (at least 15 characters,
//! no composition rule, no rotation). Both refuse at most 128 characters, the old password
//! or one containing it, the person's username and name (also in pinyin), and the common
//! passwords of the block-list (checked on the server, which holds the list).

use serde::{Deserialize, Serialize};

/// A chosen password that satisfies the policy. Its text never shows in `Debug` output, and
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
    #[error("password.contains_name")]
    ContainsName,
    #[error("password.common")]
    Common,
    #[error("password.same_as_old")]
    SameAsOld,
    #[error("password.contains_old")]
    ContainsOld,
}

/// The two rules a school can choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// The school's rule: 8+ characters with letters and digits, rotated periodically.
    #[default]
    School,
    /// NIST SP 800-63B: 15+ characters, no composition rule, no rotation.
    LengthOnly,
}

impl Preset {
    pub fn code(self) -> &'static str {
        match self {
            Preset::School => "school",
            Preset::LengthOnly => "length_only",
        }
    }

    pub fn parse(code: &str) -> Option<Preset> {
        [Preset::School, Preset::LengthOnly]
            .into_iter()
            .find(|p| p.code() == code)
    }

    pub fn min_length(self) -> usize {
        match self {
            Preset::School => 8,
            Preset::LengthOnly => 15,
        }
    }
}

/// The school's policy, as the system administrator set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub preset: Preset,
    /// Days after which a password must be changed at the next sign-in (school preset only).
    pub rotation_days: Option<u32>,
    /// Days without use after which an account is sealed (封存).
    pub dormant_days: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            preset: Preset::School,
            rotation_days: None,
            dormant_days: 180,
        }
    }
}

impl PasswordPolicy {
    /// The rotation period in force: none under "length only".
    pub fn rotation_days(&self) -> Option<u32> {
        match self.preset {
            Preset::School => self.rotation_days.filter(|d| *d > 0),
            Preset::LengthOnly => None,
        }
    }
}

/// Who the password is for, and what the checker knows about them.
#[derive(Default)]
pub struct Holder<'a> {
    pub username: &'a str,
    /// The person's name and its pinyin spellings (the server adds those).
    pub names: &'a [String],
    /// The current password, when changing it.
    pub old: Option<&'a str>,
    /// The block-list, where it is at hand (the server).
    pub is_common: Option<&'a dyn Fn(&str) -> bool>,
}

const MAX: usize = 128;

/// Every problem `candidate` has under `policy` (empty when it passes).
pub fn problems(
    candidate: &str,
    policy: &PasswordPolicy,
    holder: &Holder<'_>,
) -> Vec<PasswordProblem> {
    use PasswordProblem::*;
    let mut problems = Vec::new();
    let length = candidate.chars().count();
    if length < policy.preset.min_length() {
        problems.push(TooShort);
    }
    if length > MAX {
        problems.push(TooLong);
    }
    if policy.preset == Preset::School {
        if !candidate.chars().any(char::is_alphabetic) {
            problems.push(NeedsLetter);
        }
        if !candidate.chars().any(|c| c.is_ascii_digit()) {
            problems.push(NeedsDigit);
        }
    }
    let lowered = candidate.to_lowercase();
    let contains = |part: &str| part.chars().count() >= 2 && lowered.contains(&part.to_lowercase());
    if contains(holder.username) {
        problems.push(ContainsUsername);
    }
    if holder.names.iter().any(|n| contains(n)) {
        problems.push(ContainsName);
    }
    if let Some(old) = holder.old.filter(|o| !o.is_empty()) {
        if candidate == old {
            problems.push(SameAsOld);
        } else if lowered.contains(&old.to_lowercase()) {
            problems.push(ContainsOld);
        }
    }
    if holder
        .is_common
        .is_some_and(|is_common| is_common(&lowered))
    {
        problems.push(Common);
    }
    problems
}

impl Password {
    pub fn parse(
        candidate: &str,
        policy: &PasswordPolicy,
        holder: &Holder<'_>,
    ) -> Result<Password, Vec<PasswordProblem>> {
        let found = problems(candidate, policy, holder);
        if found.is_empty() {
            Ok(Password(candidate.to_owned()))
        } else {
            Err(found)
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

    const SCHOOL: PasswordPolicy = PasswordPolicy {
        preset: Preset::School,
        rotation_days: Some(90),
        dormant_days: 180,
    };
    const NIST: PasswordPolicy = PasswordPolicy {
        preset: Preset::LengthOnly,
        rotation_days: Some(90),
        dormant_days: 180,
    };

    fn zhang() -> Vec<String> {
        vec!["张伟".into(), "zhangwei".into(), "zw".into()]
    }

    fn check(candidate: &str, policy: &PasswordPolicy) -> Vec<PasswordProblem> {
        let names = zhang();
        let common = |p: &str| ["password1", "qwerty123", "iloveyou1"].contains(&p);
        problems(
            candidate,
            policy,
            &Holder {
                username: "teacher01",
                names: &names,
                old: Some("Qiuyue2026"),
                is_common: Some(&common),
            },
        )
    }

    #[test]
    fn the_school_preset() {
        assert_eq!(check("Dongzhi2026", &SCHOOL), vec![]);
        assert_eq!(check("学籍管理2026年", &SCHOOL), vec![]);
        assert_eq!(check("abc123", &SCHOOL), vec![TooShort]);
        assert_eq!(check("onlyletters", &SCHOOL), vec![NeedsDigit]);
        assert_eq!(check("1234567890", &SCHOOL), vec![NeedsLetter]);
        assert_eq!(
            check(&format!("a1{}", "x".repeat(127)), &SCHOOL),
            vec![TooLong]
        );
    }

    #[test]
    fn the_length_only_preset() {
        assert_eq!(check("correct horse battery", &NIST), vec![]);
        assert_eq!(check("onlylettersbutlong", &NIST), vec![]);
        assert_eq!(check("Dongzhi2026", &NIST), vec![TooShort]);
        assert_eq!(NIST.rotation_days(), None, "no rotation under NIST");
        assert_eq!(SCHOOL.rotation_days(), Some(90));
    }

    #[test]
    fn names_old_passwords_and_common_ones_are_refused() {
        assert_eq!(check("Teacher01xyz", &SCHOOL), vec![ContainsUsername]);
        assert_eq!(check("Zhangwei2026", &SCHOOL), vec![ContainsName]);
        assert_eq!(check("张伟2026abc", &SCHOOL), vec![ContainsName]);
        assert_eq!(check("Qiuyue2026", &SCHOOL), vec![SameAsOld]);
        assert_eq!(check("Qiuyue2026!", &SCHOOL), vec![ContainsOld]);
        assert_eq!(check("Password1", &SCHOOL), vec![Common]);
        assert_eq!(check("QWERTY123", &SCHOOL), vec![Common]);
    }

    #[test]
    fn debug_output_hides_the_text() {
        let password = Password::parse(
            "Dongzhi2026",
            &SCHOOL,
            &Holder {
                username: "x",
                ..Holder::default()
            },
        )
        .unwrap();
        assert_eq!(format!("{password:?}"), "Password(…)");
    }
}
