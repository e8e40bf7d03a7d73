//! The roles a person can hold (a person may hold several).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 班主任: collects the data of their own classes.
    HomeroomTeacher,
    /// 学籍管理员: verifies records and fulfils approved requests.
    RecordsAdmin,
    /// 学籍系统管理员: owns accounts, roles and the password policy.
    SystemAdmin,
    /// 主管领导 / 校长: approves information requests.
    Leader,
    /// 保密工作领导小组: approves publications and handovers, reviews the audit trail.
    LeadingGroup,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::HomeroomTeacher,
        Role::RecordsAdmin,
        Role::SystemAdmin,
        Role::Leader,
        Role::LeadingGroup,
    ];

    /// The name stored in the database and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Role::HomeroomTeacher => "homeroom_teacher",
            Role::RecordsAdmin => "records_admin",
            Role::SystemAdmin => "system_admin",
            Role::Leader => "leader",
            Role::LeadingGroup => "leading_group",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Privileged roles: granted only with a leading-group member's approval, and held
    /// under the shorter session timeouts.
    pub fn is_privileged(self) -> bool {
        !matches!(self, Role::HomeroomTeacher)
    }

    /// The translation key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::HomeroomTeacher => "role.homeroom_teacher",
            Role::RecordsAdmin => "role.records_admin",
            Role::SystemAdmin => "role.system_admin",
            Role::Leader => "role.leader",
            Role::LeadingGroup => "role.leading_group",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.code())
            );
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn only_teachers_are_unprivileged() {
        let privileged: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.is_privileged())
            .collect();
        assert_eq!(privileged.len(), 4);
        assert!(!Role::HomeroomTeacher.is_privileged());
    }
}
