//! People who sign in, their roles, and their one-time setup links.

use chrono::{DateTime, Utc};

use crate::db::Conn;

use crate::domain::Role;

/// A person as the sign-in and session checks need them.
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub disabled: bool,
    /// Frozen by a leak report's containment: a state of its own, which only the report
    /// lifts (the system administrator's Enable does not).
    pub frozen: bool,
    pub session_epoch: i64,
    pub password_changed_at: Option<DateTime<Utc>>,
    pub sealed: bool,
    /// The latest of creation, sign-in, password change and reopening: what dormancy counts from.
    pub last_active: DateTime<Utc>,
    pub roles: Vec<Role>,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, \
     u.must_change_password, u.disabled, u.frozen, u.session_epoch, u.password_changed_at, \
     u.sealed_at IS NOT NULL AS sealed, u.created_at, u.last_sign_in_at, u.reopened_at";

async fn with_roles(
    conn: &mut Conn,
    row: Option<crate::db::Row>,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let codes: Vec<String> =
        crate::db::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    user_of(&row, codes.iter().filter_map(|c| Role::parse(c)).collect()).map(Some)
}

fn user_of(row: &crate::db::Row, roles: Vec<Role>) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: row.try_get::<bool, _>("must_change_password")?,
        disabled: row.try_get::<bool, _>("disabled")?,
        frozen: row.try_get::<bool, _>("frozen")?,
        session_epoch: row.try_get("session_epoch")?,
        password_changed_at: row.try_get("password_changed_at")?,
        sealed: row.try_get::<bool, _>("sealed")?,
        // The latest of four times, taken here: SQLite's many-argument MAX is PostgreSQL's
        // GREATEST, and this way neither is needed.
        last_active: [
            row.try_get::<Option<DateTime<Utc>>, _>("last_sign_in_at")?,
            row.try_get::<Option<DateTime<Utc>>, _>("password_changed_at")?,
            row.try_get::<Option<DateTime<Utc>>, _>("reopened_at")?,
        ]
        .into_iter()
        .flatten()
        .fold(
            row.try_get::<DateTime<Utc>, _>("created_at")?,
            DateTime::max,
        ),
        roles,
    })
}

/// The password policy as stored: (preset, rotation days, dormant days).
pub type StoredPolicy = (String, Option<i64>, i64);

/// A person with their roles, and the school's password policy when one was saved, in one
/// statement (a row per role): what every signed-in request checks its session against.
pub async fn find_for_session(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(UserRecord, Option<StoredPolicy>)>, sqlx::Error> {
    let rows = crate::db::query(&format!(
        "SELECT {USER_COLUMNS}, r.role, p.preset, p.rotation_days, p.dormant_days \
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id \
         LEFT JOIN password_policy p ON p.id = 1 WHERE u.id = $1 ORDER BY r.role"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut roles = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(role) = row.try_get::<Option<String>, _>("role")? {
            roles.extend(Role::parse(&role));
        }
    }
    let policy = match first.try_get::<Option<String>, _>("preset")? {
        Some(preset) => Some((
            preset,
            first.try_get("rotation_days")?,
            first.try_get("dormant_days")?,
        )),
        None => None,
    };
    Ok(Some((user_of(first, roles)?, policy)))
}

pub async fn find_by_username(
    conn: &mut Conn,
    username: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let row = crate::db::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"
    ))
    .bind(username)
    .fetch_optional(&mut *conn)
    .await?;
    with_roles(conn, row).await
}

pub async fn find(conn: &mut Conn, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    let row = crate::db::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    with_roles(conn, row).await
}

/// How many holders of `role` there are, whatever their state (a disabled one still holds
/// it: the command line's bootstrap makes no second system administrator beside them).
pub async fn count_with_role(conn: &mut Conn, role: Role) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM user_roles WHERE role = $1")
        .bind(role.code())
        .fetch_one(conn)
        .await
}

pub async fn username_taken(conn: &mut Conn, username: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = crate::db::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert(
    conn: &mut Conn,
    username: &str,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO users (username, display_name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn grant_role(
    conn: &mut Conn,
    user_id: i64,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(role.code())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if role == Role::LeadingGroup {
        // From now on the school has had a leading group, whatever happens to its members.
        crate::db::query(
            "INSERT INTO school_facts (fact, since) VALUES ('leading_group', $1) ON CONFLICT DO NOTHING",
        )
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Whether the school has, or ever had, a leading-group member.
pub async fn had_leading_group(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM school_facts WHERE fact = 'leading_group') \
         OR EXISTS (SELECT 1 FROM user_roles WHERE role = 'leading_group')",
    )
    .fetch_one(conn)
    .await
}

/// The holders of a role, whatever their state: a disabled, frozen or sealed holder still
/// counts, so that nobody empties the leading group by switching its members off (leaders
/// step in only when the role has no other holder at all).
pub struct Holders(Vec<i64>);

impl Holders {
    /// How many of them are not in `except`.
    pub fn besides(&self, except: [i64; 2]) -> usize {
        self.0.iter().filter(|id| !except.contains(id)).count()
    }
}

/// The holders of `role`: read once for a whole list of the objects they may decide (a
/// count per object was a statement per object on every leader's home).
pub async fn holders(conn: &mut Conn, role: Role) -> Result<Holders, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT r.user_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = $1",
    )
    .bind(role.code())
    .fetch_all(conn)
    .await
    .map(Holders)
}

/// Of `waiting` (role grants, handovers, texts), those `actor` may take `action` on, each
/// seen as `resource` makes it from the leading group's members, as the one check on it
/// would: the members are read once for the whole list, and not at all for an empty one.
pub async fn decidable<T>(
    conn: &mut Conn,
    actor: &crate::domain::Actor,
    action: crate::domain::access::Action,
    waiting: Vec<T>,
    resource: impl Fn(&T, &Holders) -> crate::domain::access::Resource,
) -> Result<Vec<T>, sqlx::Error> {
    if waiting.is_empty() {
        return Ok(waiting);
    }
    let leading_group = holders(conn, Role::LeadingGroup).await?;
    Ok(waiting
        .into_iter()
        .filter(|w| {
            crate::domain::access::permits(Some(actor), action, resource(w, &leading_group))
        })
        .collect())
}

/// Whether anyone but the people in `except` holds the leading group's, a leader's or the
/// system administrator's role: someone who could take a second person's step.
pub async fn reviewer_besides(conn: &mut Conn, except: [i64; 2]) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM user_roles \
         WHERE role IN ('leading_group', 'leader', 'system_admin') \
         AND user_id <> $1 AND user_id <> $2)",
    )
    .bind(except[0])
    .bind(except[1])
    .fetch_one(conn)
    .await
}

/// Sets a new password hash and bumps the session epoch, which ends every other session.
pub async fn set_password(
    conn: &mut Conn,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = FALSE, \
         session_epoch = session_epoch + 1 WHERE id = $3 RETURNING session_epoch",
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// Replaces the hash with one of new parameters; the password and sessions stay as they are.
pub async fn rehash(conn: &mut Conn, user_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn record_sign_in(
    conn: &mut Conn,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A setup link as it is stored: for whom, who received it, and whether it needs an
/// activation code from a second person.
pub struct NewSetupToken<'a> {
    pub token_hash: &'a [u8],
    pub public_id: &'a str,
    pub user_id: i64,
    pub issued_to: Option<i64>,
    pub code_required: bool,
}

pub async fn insert_setup_token(
    conn: &mut Conn,
    t: &NewSetupToken<'_>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO setup_tokens (token_hash, public_id, user_id, issued_to, code_required, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(t.token_hash)
    .bind(t.public_id)
    .bind(t.user_id)
    .bind(t.issued_to)
    .bind(t.code_required)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// An open setup link's activation: whether it needs a code, the code's hash once a second
/// person has been shown it, and the wrong codes tried.
#[derive(sqlx::FromRow)]
pub struct Activation {
    pub user_id: i64,
    pub code_required: bool,
    pub code_hash: Option<Vec<u8>>,
    pub code_failures: i64,
}

/// The activation of the open link `token_hash`.
pub async fn activation(
    conn: &mut Conn,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<Activation>, sqlx::Error> {
    crate::db::query_as(
        "SELECT user_id, code_required, code_hash, code_failures \
         FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Counts a wrong activation code; past `max` the link is used up. Returns the count.
pub async fn activation_failed(
    conn: &mut Conn,
    token_hash: &[u8],
    max: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "UPDATE setup_tokens SET code_failures = code_failures + 1, \
         used_at = CASE WHEN code_failures + 1 >= $1 THEN $2 ELSE used_at END \
         WHERE token_hash = $3 RETURNING code_failures",
    )
    .bind(max)
    .bind(now)
    .bind(token_hash)
    .fetch_one(conn)
    .await
}

/// An open link waiting for its activation code, as a second person sees it.
#[derive(sqlx::FromRow)]
pub struct PendingActivation {
    pub public_id: String,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub issued_to: Option<i64>,
    pub issued_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An open link that needs a code nobody has been shown yet (`$1`: now), and whose.
const PENDING_ACTIVATION: &str = "t.public_id, t.user_id, u.username, u.display_name, \
     t.issued_to, i.display_name AS issued_by_name, t.created_at \
     FROM setup_tokens t JOIN users u ON u.id = t.user_id \
     LEFT JOIN users i ON i.id = t.issued_to \
     WHERE t.code_required AND t.code_hash IS NULL AND t.used_at IS NULL \
     AND t.expires_at > $1";

/// The open links that need a code nobody has been shown yet.
pub async fn pending_activations(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Vec<PendingActivation>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {PENDING_ACTIVATION} AND t.public_id IS NOT NULL ORDER BY t.created_at"
    ))
    .bind(now)
    .fetch_all(conn)
    .await
}

/// One of `pending_activations`, by its public id.
pub async fn pending_activation(
    conn: &mut Conn,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<PendingActivation>, sqlx::Error> {
    crate::db::query_as(&format!("SELECT {PENDING_ACTIVATION} AND t.public_id = $2"))
        .bind(now)
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

/// Keeps the hash of the code `by` was shown for the link `public_id`.
pub async fn set_activation_code(
    conn: &mut Conn,
    public_id: &str,
    code_hash: &[u8],
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE setup_tokens SET code_hash = $1, code_shown_by = $2, code_shown_at = $3 \
         WHERE public_id = $4 AND code_hash IS NULL",
    )
    .bind(code_hash)
    .bind(by)
    .bind(now)
    .bind(public_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person a setup token belongs to, if it is unused and unexpired at `now`.
pub async fn setup_token_user(
    conn: &mut Conn,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    crate::db::query_scalar("SELECT user_id FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await
}

/// Uses up every open setup token of the person (a link works once; a newer one replaces older).
pub async fn use_setup_tokens(
    conn: &mut Conn,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE setup_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

impl UserRecord {
    /// Whether the account may not sign in or keep a session: disabled, or frozen.
    pub fn blocked(&self) -> bool {
        self.disabled || self.frozen
    }
}

/// One line of the account console.
pub struct AccountListing {
    pub id: i64,
    /// Privileged roles granted without a leading-group review.
    pub unreviewed: Vec<Role>,
    pub sealed: bool,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub frozen: bool,
    pub has_password: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub roles: Vec<Role>,
}

pub async fn list(conn: &mut Conn) -> Result<Vec<AccountListing>, sqlx::Error> {
    let rows = crate::db::query(
        "SELECT u.id, u.username, u.display_name, u.disabled, u.frozen, u.password_hash IS NOT NULL AS has_password, \
         u.last_sign_in_at, u.sealed_at IS NOT NULL AS sealed, string_agg(r.role, ',') AS roles, \
         string_agg(CASE WHEN r.unreviewed THEN r.role END, ',') AS unreviewed \
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id GROUP BY u.id ORDER BY u.username",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let roles: Option<String> = row.try_get("roles")?;
            let mut roles: Vec<Role> = roles
                .unwrap_or_default()
                .split(',')
                .filter_map(Role::parse)
                .collect();
            roles.sort();
            Ok(AccountListing {
                id: row.try_get("id")?,
                sealed: row.try_get::<bool, _>("sealed")?,
                unreviewed: row
                    .try_get::<Option<String>, _>("unreviewed")?
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(Role::parse)
                    .collect(),
                username: row.try_get("username")?,
                display_name: row.try_get("display_name")?,
                disabled: row.try_get::<bool, _>("disabled")?,
                frozen: row.try_get::<bool, _>("frozen")?,
                has_password: row.try_get::<bool, _>("has_password")?,
                last_sign_in_at: row.try_get("last_sign_in_at")?,
                roles,
            })
        })
        .collect()
}

/// Ends every session of the person: the next request of each finds the epoch moved on.
pub async fn bump_epoch(conn: &mut Conn, user_id: i64) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Freezes an account (ending its sessions in the same statement) or lifts its freeze.
pub async fn set_frozen(conn: &mut Conn, user_id: i64, frozen: bool) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE users SET frozen = $1, session_epoch = session_epoch + CASE WHEN $1 THEN 1 ELSE 0 END WHERE id = $2",
    )
    .bind(frozen)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Disables or re-enables an account; disabling ends its sessions in the same statement.
pub async fn set_disabled(
    conn: &mut Conn,
    user_id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE users SET disabled = $1, session_epoch = session_epoch + CASE WHEN $1 THEN 1 ELSE 0 END WHERE id = $2",
    )
    .bind(disabled)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the password (a reset): only the new setup link can set one; sessions end.
pub async fn clear_password(conn: &mut Conn, user_id: i64) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE users SET password_hash = NULL, session_epoch = session_epoch + 1 WHERE id = $1",
    )
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a role away; the person's sessions end so that the change counts at once.
pub async fn revoke_role(conn: &mut Conn, user_id: i64, role: Role) -> Result<bool, sqlx::Error> {
    let removed = crate::db::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.code())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if removed > 0 {
        bump_epoch(conn, user_id).await?;
    }
    Ok(removed > 0)
}

/// Seals a dormant account (封存).
pub async fn seal(conn: &mut Conn, user_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE users SET sealed_at = $1 WHERE id = $2 AND sealed_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Reopens a sealed account; dormancy counts afresh from now.
pub async fn reopen(conn: &mut Conn, user_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE users SET sealed_at = NULL, reopened_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a role as granted without a leading-group review.
pub async fn mark_unreviewed(conn: &mut Conn, user_id: i64, role: Role) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE user_roles SET unreviewed = TRUE WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.code())
        .execute(conn)
        .await?;
    Ok(())
}

/// A privileged role held by an account, named for an inspection's list.
#[derive(sqlx::FromRow)]
pub struct Holding {
    pub user_id: i64,
    pub name: String,
    pub username: String,
    pub role: String,
}

/// The active accounts nobody signed in to (nor set up) since `before`.
pub async fn dormant_since(
    conn: &mut Conn,
    before: DateTime<Utc>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT display_name, username FROM users WHERE NOT disabled AND sealed_at IS NULL \
         AND COALESCE(last_sign_in_at, created_at) < $1 ORDER BY username",
    )
    .bind(before)
    .fetch_all(conn)
    .await
}

/// Every privileged role held, by role then username.
pub async fn privileged_holdings(conn: &mut Conn) -> Result<Vec<Holding>, sqlx::Error> {
    crate::db::query_as(
        "SELECT u.id AS user_id, u.display_name AS name, u.username, r.role FROM user_roles r \
         JOIN users u ON u.id = r.user_id WHERE r.role <> 'homeroom_teacher' \
         ORDER BY r.role, u.username",
    )
    .fetch_all(conn)
    .await
}

/// The display names of the accounts `ids` name, for another feature's page (who set a
/// calendar day): (id, name), at most 500 asked at once.
pub async fn display_names(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let ids = &ids[..ids.len().min(500)];
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(1, ids.len());
    let sql = format!("SELECT id, display_name FROM users WHERE id IN ({marks})");
    let mut query = crate::db::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}
