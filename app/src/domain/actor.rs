//! The person signed in.

use serde::{Deserialize, Serialize};

/// The person signed in, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<super::Role>,
    pub must_change_password: bool,
}

impl Actor {
    pub fn has(&self, role: super::Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_privileged(&self) -> bool {
        self.roles.iter().any(|r| r.is_privileged())
    }

    /// The page a person's day starts on: what waits for them in their first role, in the
    /// order the daily work comes (records, then decisions, then accounts). A leader's and
    /// the leading group's decisions are of several kinds: their home's to-do list has them
    /// all, the longest-waiting first.
    pub fn home(&self) -> &'static str {
        use super::Role;
        if self.must_change_password {
            return "/account/password";
        }
        [
            (Role::RecordsAdmin, "/records"),
            (Role::HomeroomTeacher, "/records"),
            (Role::Leader, "/"),
            (Role::LeadingGroup, "/"),
            (Role::SystemAdmin, "/admin/accounts"),
        ]
        .into_iter()
        .find_map(|(role, home)| self.has(role).then_some(home))
        .unwrap_or("/account")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn with(roles: &[Role]) -> Actor {
        Actor {
            id: 1,
            username: "x".into(),
            display_name: "X".into(),
            roles: roles.to_vec(),
            must_change_password: false,
        }
    }

    #[test]
    fn each_role_starts_where_its_work_waits() {
        assert_eq!(with(&[Role::HomeroomTeacher]).home(), "/records");
        assert_eq!(with(&[Role::RecordsAdmin]).home(), "/records");
        assert_eq!(with(&[Role::Leader]).home(), "/");
        assert_eq!(with(&[Role::LeadingGroup]).home(), "/");
        assert_eq!(with(&[Role::SystemAdmin]).home(), "/admin/accounts");
        assert_eq!(with(&[]).home(), "/account");
        // The daily work first: a system administrator who is also a leader decides first.
        assert_eq!(with(&[Role::SystemAdmin, Role::Leader]).home(), "/");
        let mut due = with(&[Role::RecordsAdmin]);
        due.must_change_password = true;
        assert_eq!(due.home(), "/account/password");
    }
}
