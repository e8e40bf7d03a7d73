//! The password policy on the server: where it is stored, the block-list of common
//! passwords, and the person's name in pinyin, which the shared rule then applies.

use crate::kit::names::name_variants;
use std::{collections::HashSet, sync::LazyLock};

use chrono::{DateTime, Utc};

use crate::db::Conn;

use crate::{
    domain::{
        Password,
        password::{Holder, PasswordPolicy, PasswordProblem, Preset},
    },
    errors::{AppError, ErrorKind, FieldError},
};

/// The 5,000 most common passwords of eight characters or more (see the file's header for
/// its source and licence).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

pub fn is_common(lowered: &str) -> bool {
    COMMON.contains(lowered)
}

/// How many passwords the block-list holds.
pub fn common_count() -> usize {
    COMMON.len()
}

pub async fn load(conn: &mut Conn) -> Result<PasswordPolicy, AppError> {
    Ok(from_stored(
        crate::features::accounts::store::password_policy::get(conn).await?,
    ))
}

/// The policy of its stored row (none saved: the default).
pub fn from_stored(stored: Option<(String, Option<i64>, i64)>) -> PasswordPolicy {
    let Some((preset, rotation, dormant)) = stored else {
        return PasswordPolicy::default();
    };
    PasswordPolicy {
        preset: Preset::parse(&preset).unwrap_or_default(),
        rotation_days: rotation.and_then(|d| u32::try_from(d).ok()),
        dormant_days: u32::try_from(dormant).unwrap_or(180),
    }
}

pub async fn save(
    conn: &mut Conn,
    policy: &PasswordPolicy,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = (
        policy.preset.code(),
        policy.rotation_days.map(i64::from),
        i64::from(policy.dormant_days),
    );
    crate::features::accounts::store::password_policy::put(conn, row, by, now).await?;
    Ok(())
}

/// Checks a new password for a person under the policy in force.
pub fn check(
    candidate: &str,
    policy: &PasswordPolicy,
    username: &str,
    display_name: &str,
    old: Option<&str>,
) -> Result<Password, AppError> {
    let names = name_variants(display_name);
    let common = |p: &str| is_common(p);
    let holder = Holder {
        username,
        names: &names,
        old,
        is_common: Some(&common),
    };
    Password::parse(candidate, policy, &holder).map_err(problems_error)
}

pub fn problems_error(problems: Vec<PasswordProblem>) -> AppError {
    AppError {
        fields: problems
            .into_iter()
            .map(|p| FieldError {
                field: "new_password".into(),
                code: p.to_string(),
            })
            .collect(),
        ..ErrorKind::InvalidInput.into()
    }
}

/// Whether a password set at `changed_at` is due for its periodic change at `now`.
pub fn rotation_due(
    policy: &PasswordPolicy,
    changed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    match (policy.rotation_days(), changed_at) {
        (Some(days), Some(changed)) => now - changed >= chrono::Duration::days(i64::from(days)),
        _ => false,
    }
}

/// Whether an account last active at `active` is dormant at `now`.
pub fn dormant(policy: &PasswordPolicy, active: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - active >= chrono::Duration::days(i64::from(policy.dormant_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_block_list_loads() {
        assert_eq!(common_count(), 5000);
        assert!(is_common("password"));
        assert!(is_common("1qaz2wsx"));
        assert!(!is_common("dongzhi2026"));
    }

    #[test]
    fn names_in_pinyin() {
        let variants = name_variants("张伟");
        assert!(variants.contains(&"zhangwei".to_owned()), "{variants:?}");
        assert!(variants.contains(&"zw".to_owned()), "{variants:?}");
        let variants = name_variants("单小明");
        assert!(
            variants.contains(&"shanxiaoming".to_owned()),
            "the surname's other reading: {variants:?}"
        );
        assert!(variants.contains(&"danxiaoming".to_owned()), "{variants:?}");
        assert!(variants.contains(&"xiaoming".to_owned()), "{variants:?}");
        assert_eq!(name_variants("Li Na"), vec!["Li Na".to_owned()]);
    }

    #[test]
    fn real_shaped_passwords_under_both_presets() {
        let school = PasswordPolicy {
            preset: Preset::School,
            rotation_days: Some(90),
            dormant_days: 180,
        };
        let nist = PasswordPolicy {
            preset: Preset::LengthOnly,
            rotation_days: None,
            dormant_days: 180,
        };
        assert!(check("Dongzhi2026", &school, "zhangw", "张伟", None).is_ok());
        let codes = |r: Result<Password, AppError>| {
            r.unwrap_err()
                .fields
                .into_iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(check("zhangwei2026", &school, "zw2026", "张伟", None)),
            ["password.contains_name"]
        );
        assert_eq!(
            codes(check("baseball1", &school, "x", "张伟", None)),
            ["password.common"]
        );
        assert_eq!(
            codes(check("1qaz2wsx", &school, "x", "张伟", None)),
            ["password.common"]
        );
        assert_eq!(
            codes(check("Dongzhi2026", &nist, "x", "张伟", None)),
            ["password.too_short"]
        );
        assert!(check("chunmian bu jue xiao", &nist, "x", "张伟", None).is_ok());
        assert_eq!(
            codes(check(
                "Dongzhi2026x",
                &school,
                "x",
                "张伟",
                Some("Dongzhi2026")
            )),
            ["password.contains_old"]
        );
    }

    #[test]
    fn rotation_follows_the_clock() {
        let school = PasswordPolicy {
            preset: Preset::School,
            rotation_days: Some(90),
            dormant_days: 180,
        };
        let changed = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
        assert!(!rotation_due(
            &school,
            Some(changed),
            changed + chrono::Duration::days(89)
        ));
        assert!(rotation_due(
            &school,
            Some(changed),
            changed + chrono::Duration::days(90)
        ));
        let nist = PasswordPolicy {
            preset: Preset::LengthOnly,
            rotation_days: Some(90),
            dormant_days: 180,
        };
        assert!(!rotation_due(
            &nist,
            Some(changed),
            changed + chrono::Duration::days(400)
        ));
    }
}
