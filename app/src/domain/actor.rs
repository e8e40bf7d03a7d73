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
}
