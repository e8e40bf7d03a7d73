//! Who a person is: sign-in, sessions, one-time setup links, password changes, and the
//! bootstrap of the first system administrator.

use crate::{db::Pool, state::SessionPolicy};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    domain::{Actor, Password, Role, Username},
    errors::{AppError, ErrorKind},
    features::accounts::{
        service::{password_policy, throttle},
        store::{throttle as throttle_repo, users},
    },
    kit::{
        audit::chain::{self as audit, AuditKey, NewEntry},
        passwords::{Hasher, Verification},
    },
};

/// How long a setup link stays valid.
pub const SETUP_LINK_VALIDITY: Duration = Duration::hours(72);

/// What the server keeps for a session (never in the cookie, which holds only its id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub user_id: i64,
    pub epoch: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// Why a session no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    Idle,
    Absolute,
    /// The account was disabled, its roles or password changed, or its sessions ended.
    Superseded,
}

impl SessionEnd {
    pub fn code(self) -> &'static str {
        match self {
            SessionEnd::Idle => "idle",
            SessionEnd::Absolute => "absolute",
            SessionEnd::Superseded => "superseded",
        }
    }
}

fn actor_of(user: &users::UserRecord) -> Actor {
    Actor {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        roles: user.roles.clone(),
        must_change_password: user.must_change_password,
    }
}

/// Checks a session against the database on every request: the account must exist, be
/// enabled and still be at the epoch the session began in; idle and absolute limits apply.
pub async fn check_session(
    pool: &Pool,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
    record: &SessionRecord,
) -> Result<Result<Actor, SessionEnd>, AppError> {
    // One statement: the account, its roles and the password policy.
    let mut conn = pool.acquire().await?;
    let Some((user, stored_policy)) = users::find_for_session(&mut conn, record.user_id).await?
    else {
        return Ok(Err(SessionEnd::Superseded));
    };
    drop(conn);
    if user.blocked() || user.session_epoch != record.epoch {
        return Ok(Err(SessionEnd::Superseded));
    }
    let mut actor = actor_of(&user);
    let (idle, absolute) = policy.limits(&actor);
    if now - record.signed_in_at >= absolute {
        return Ok(Err(SessionEnd::Absolute));
    }
    if now - record.last_seen_at >= idle {
        return Ok(Err(SessionEnd::Idle));
    }
    // A password past the policy's rotation period must be changed before anything else.
    let passwords = password_policy::from_stored(stored_policy);
    actor.must_change_password |=
        password_policy::rotation_due(&passwords, user.password_changed_at, now);
    Ok(Ok(actor))
}

/// Everything a sign-in needs besides the form.
pub struct Context<'a> {
    pub pool: &'a Pool,
    pub key: &'a AuditKey,
    pub hasher: &'a Hasher,
    pub now: DateTime<Utc>,
    /// The client address, for throttling and the audit trail.
    pub client: Option<String>,
    /// Whether that address is inside the school's trusted networks (its failures across
    /// accounts are counted apart, more freely).
    pub trusted_network: bool,
}

pub struct SignedIn {
    pub actor: Actor,
    pub record: SessionRecord,
    /// The id of this browser among the person's trusted devices (new or kept).
    pub device_id: String,
}

fn bad_credentials() -> AppError {
    AppError {
        code: Some("bad_credentials".into()),
        ..ErrorKind::Unauthenticated.into()
    }
}

/// A random token, base64url: 256 bits.
pub fn random_token() -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A failed sign-in, in the trail with why it failed: of a known account (`user_id`), or of
/// a username that names nobody (None; the name typed is not kept).
async fn record_failure(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    user_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    let mut entry = NewEntry::new("auth.sign_in", "failure")
        .client(cx.client.clone())
        .reason(reason);
    if let Some(id) = user_id {
        entry = entry.object("user", id);
    }
    audit::append(tx, cx.key, cx.now, entry).await?;
    Ok(())
}

/// The throttle counter of wrong current passwords when changing one's own.
const CHANGE_PASSWORD_SOURCE: &str = "change_password";

/// The longest username a sign-in reads (the longest real one is 32).
const USERNAME_INPUT_MAX: usize = 64;

/// The browser a sign-in comes from, by the id cookie it brought.
pub enum Browser {
    /// It brought one (made by this portal, or made up: trusted only when a sign-in from it
    /// succeeded before).
    Known(String),
    /// It brought none and was given this one with the answer: its failure counts both as
    /// its own and as its address's, so that dropping the cookie buys nothing.
    New(String),
    /// No cookies at all (a command, a test of the service).
    None,
}

/// Signs a person in. An unknown user, a wrong password, a person without a password yet
/// and a disabled account all get the same answer, after the same argon2 work.
pub async fn sign_in(
    cx: &Context<'_>,
    username: &str,
    password: &str,
    browser: &Browser,
) -> Result<SignedIn, AppError> {
    let (device_id, fresh) = match browser {
        Browser::Known(id) => (Some(id.as_str()), false),
        Browser::New(id) => (Some(id.as_str()), true),
        Browser::None => (None, false),
    };
    // Bounded before anything is looked up or written: no username is longer than 64
    // characters, no password longer than 128 (the policy's own limit), no device id longer
    // than a token. A refusal here says nothing about any account.
    if username.len() > 256 || username.chars().count() > USERNAME_INPUT_MAX {
        return Err(AppError::invalid("username", "username.too_long"));
    }
    if password.len() > 512 || password.chars().count() > 128 {
        return Err(AppError::invalid("password", "password.too_long"));
    }
    let device_id = device_id.filter(|id| id.len() <= 64);
    // A malformed username is throttled and answered like any unknown one.
    let name = Username::parse(username)
        .map(String::from)
        .unwrap_or_else(|_| username.trim().to_lowercase());
    let mut conn = cx.pool.acquire().await?;
    let trusted = match device_id {
        Some(id) => throttle_repo::device_trusted(&mut conn, &name, id).await?,
        None => false,
    };
    // A browser counts as itself (trusted or not: each has an id cookie from its first
    // attempt on), so that a stranger's guesses lock the stranger's browser, not the owner's
    // next one at the same school address; a client that brought no cookie (it was issued
    // one just now) counts as its address. A browser id is the client's to drop or make up,
    // so each account also counts its failures per address over every such browser.
    // The client's address as a counter's source; clients whose address is unknown share one.
    let address = format!("ip:{}", cx.client.as_deref().unwrap_or("unknown"));
    let source = match (trusted, device_id) {
        (true, Some(id)) => format!("device:{id}"),
        (false, Some(id)) => format!("browser:{id}"),
        _ => address.clone(),
    };
    let counter = throttle_repo::get(&mut conn, &name, &source).await?;
    // A browser that came without its cookie also counts as one that keeps none.
    let cookieless = if fresh {
        throttle_repo::get(&mut conn, &name, &address).await?
    } else {
        None
    };
    // Untrusted browsers also meet the account's hourly ceiling and their address's own
    // limit across every username (one address trying a few passwords on many accounts).
    // Clients whose address is unknown share one address's limit.
    let account_address = format!("addr:{}", cx.client.as_deref().unwrap_or("unknown"));
    let (ceiling, from_address, account_from_address) = if trusted {
        (None, None, None)
    } else {
        let ceiling = throttle_repo::get(&mut conn, &name, throttle::CEILING_SOURCE).await?;
        let from_address = throttle_repo::get(&mut conn, throttle::ANY_USERNAME, &address).await?;
        let account_from_address = throttle_repo::get(&mut conn, &name, &account_address).await?;
        (ceiling, from_address, account_from_address)
    };
    let refusal = throttle::refusal(cx.now, counter.as_ref(), ceiling.as_ref())
        .into_iter()
        .chain(throttle::refusal(cx.now, cookieless.as_ref(), None))
        .chain(throttle::address_refusal(cx.now, from_address.as_ref()))
        .chain(throttle::address_refusal(
            cx.now,
            account_from_address.as_ref(),
        ))
        .max();
    if let Some(wait) = refusal {
        tracing::info!(retry_after_secs = wait, "sign-in refused while throttled");
        // The page says how long, and what else to do (a browser used before is not held
        // up; a forgotten password is the system administrator's to reset).
        return Err(AppError {
            code: Some("sign_in_throttled".into()),
            ..AppError::too_many_requests(wait)
        });
    }

    let user = users::find_by_username(&mut conn, &name).await?;
    drop(conn);
    let verification = cx
        .hasher
        .verify(
            password,
            user.as_ref().and_then(|u| u.password_hash.as_deref()),
        )
        .await?;
    // A stored hash of older parameters is made anew before the write lock is taken: a hash
    // waits for a turn and yields to pages, and every writer would wait with it. Best effort:
    // with no turn free, the next sign-in makes it.
    let rehashed = match (&user, verification) {
        (Some(user), Verification::Match { needs_rehash: true })
            if !user.blocked() && !user.sealed =>
        {
            cx.hasher.hash(&Password::existing(password)).await.ok()
        }
        _ => None,
    };

    let mut tx = crate::db::begin_write(cx.pool).await?;
    // What was verified must still stand under the lock: a reset or change of the password,
    // or a disabled account, committed while the hash was computed wins over this sign-in.
    let user = match (user, verification) {
        (Some(verified), Verification::Match { .. }) => {
            match users::find(&mut tx, verified.id).await? {
                Some(now)
                    if now.password_hash == verified.password_hash
                        && now.session_epoch == verified.session_epoch =>
                {
                    Some(now)
                }
                _ => {
                    tx.commit().await?;
                    return Err(bad_credentials());
                }
            }
        }
        (user, _) => user,
    };
    match (user, verification) {
        (Some(user), Verification::Match { .. })
            if !user.blocked()
                && (user.sealed
                    || password_policy::dormant(
                        &password_policy::load(&mut tx).await?,
                        user.last_active,
                        cx.now,
                    )) =>
        {
            // The right password for a dormant account: sealed (封存) until the system
            // administrator reopens it. Only someone who knew the password learns this.
            throttle_repo::clear(&mut tx, &name, &source).await?;
            if !user.sealed {
                users::seal(&mut tx, user.id, cx.now).await?;
                audit::append(
                    &mut tx,
                    cx.key,
                    cx.now,
                    NewEntry::new("account.sealed", "success")
                        .object("user", user.id)
                        .reason("dormant"),
                )
                .await?;
            }
            record_failure(&mut tx, cx, Some(user.id), "sealed").await?;
            tx.commit().await?;
            Err(AppError {
                code: Some("account_sealed".into()),
                ..ErrorKind::Unauthenticated.into()
            })
        }
        (Some(user), Verification::Match { .. }) if !user.blocked() => {
            throttle_repo::clear(&mut tx, &name, &source).await?;
            let device_id = match device_id {
                Some(id) if trusted => id.to_owned(),
                _ => random_token(),
            };
            throttle_repo::trust_device(&mut tx, &name, &device_id, cx.now).await?;
            users::record_sign_in(&mut tx, user.id, cx.now).await?;
            if let Some(rehashed) = &rehashed {
                users::rehash(&mut tx, user.id, rehashed).await?;
            }
            audit::append(
                &mut tx,
                cx.key,
                cx.now,
                NewEntry::new("auth.sign_in", "success")
                    .actor(user.id)
                    .client(cx.client.clone()),
            )
            .await?;
            tx.commit().await?;
            let record = SessionRecord {
                user_id: user.id,
                epoch: user.session_epoch,
                signed_in_at: cx.now,
                last_seen_at: cx.now,
            };
            Ok(SignedIn {
                actor: actor_of(&user),
                record,
                device_id,
            })
        }
        (user, _) => {
            // The counters are read again inside the write transaction: read before the
            // hash, twenty parallel failures would each overwrite the same old count.
            throttle_repo::expire(&mut tx, cx.now - throttle::SOURCE_WINDOW, cx.now).await?;
            throttle_repo::update(&mut tx, &name, &source, |c| {
                throttle::after_failure(cx.now, c, throttle::SOURCE_WINDOW, true)
            })
            .await?;
            if fresh {
                throttle_repo::update(&mut tx, &name, &address, |c| {
                    throttle::after_failure(cx.now, c, throttle::SOURCE_WINDOW, true)
                })
                .await?;
            }
            if !trusted {
                let hourly =
                    |c| throttle::after_failure(cx.now, c, throttle::CEILING_WINDOW, false);
                throttle_repo::update(&mut tx, &name, throttle::CEILING_SOURCE, hourly).await?;
                throttle_repo::update(&mut tx, throttle::ANY_USERNAME, &address, |c| {
                    throttle::address_after_failure(cx.now, c, cx.trusted_network)
                })
                .await?;
                throttle_repo::update(&mut tx, &name, &account_address, |c| {
                    throttle::account_address_after_failure(cx.now, c)
                })
                .await?;
            }
            // Every failure is an entry of the same shape, for a known account and an unknown
            // username alike (never the typed name): the same work and the same writes, so
            // that neither the answer nor its time tells whether an account exists.
            let (object, reason) = match &user {
                Some(user) if user.frozen => (Some(user.id), "frozen"),
                Some(user) if user.disabled => (Some(user.id), "disabled"),
                Some(user) => (Some(user.id), "bad_credentials"),
                None => (None, "unknown_username"),
            };
            record_failure(&mut tx, cx, object, reason).await?;
            tx.commit().await?;
            Err(bad_credentials())
        }
    }
}

pub async fn sign_out(
    pool: &Pool,
    key: &AuditKey,
    now: DateTime<Utc>,
    actor: &Actor,
    client: Option<String>,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    audit::append(
        &mut tx,
        key,
        now,
        NewEntry::new("auth.sign_out", "success")
            .actor(actor.id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a one-time setup link token for a person, valid `SETUP_LINK_VALIDITY`; only its
/// hash is stored. Older open links of the person stop working. `issued_to` is who receives
/// the link (the system administrator, or a reset's approver; `None` for the command line's
/// bootstrap): once the school has had a leading group, such a link is completed only with
/// the activation code a second person hands over (`show_activation_code`), so that whoever
/// received the link cannot use it in the person's place (unless nobody could take that
/// step: the first member's own link).
pub async fn issue_setup_token(
    tx: &mut crate::db::Conn,
    user_id: i64,
    issued_to: Option<i64>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    users::use_setup_tokens(tx, user_id, now).await?;
    let token = random_token();
    // A second person's step whenever the school has a leading group and someone to take
    // it (the school's first member's own link has nobody yet).
    let code_required = match issued_to {
        Some(holder) => {
            users::had_leading_group(tx).await?
                && users::reviewer_besides(tx, [user_id, holder]).await?
        }
        None => false,
    };
    users::insert_setup_token(
        tx,
        &users::NewSetupToken {
            token_hash: &token_hash(&token),
            public_id: &crate::db::new_public_id(),
            user_id,
            issued_to,
            code_required,
        },
        now,
        now + SETUP_LINK_VALIDITY,
    )
    .await?;
    Ok(token)
}

/// How many wrong activation codes use a link up.
pub const MAX_CODE_FAILURES: i64 = 5;

/// An activation code: eight digits, read out or written down by the second person.
fn activation_code() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!("{:08}", u64::from_le_bytes(bytes) % 100_000_000)
}

/// What an activation code is kept as: a digest keyed by the audit key (in the key file, not
/// the database), so that a copy of the database gives no way to the code among its 10⁸.
fn code_hash(key: &AuditKey, code: &str) -> Vec<u8> {
    key.digest("activation_code", code)
}

/// Whether `actor` may be shown the activation code of `pending`: a leading-group member, a
/// leader or a system administrator who neither received its link nor is its person (a
/// privileged reset's link goes to its approver; the administrator who proposed it may then
/// be the second person).
pub fn may_show_code(actor: &Actor, pending: &users::PendingActivation) -> bool {
    use crate::domain::access::{Action, Resource, permits};
    permits(Some(actor), Action::ShowActivationCode, Resource::Nothing)
        && pending.issued_to != Some(actor.id)
        && pending.user_id != actor.id
}

/// The links waiting for an activation code that `actor` may hand over.
pub async fn pending_activations(
    pool: &Pool,
    actor: &Actor,
    timezone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Vec<crate::features::accounts::views::PendingActivationView>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(users::pending_activations(&mut conn, now)
        .await?
        .into_iter()
        .filter(|p| may_show_code(actor, p))
        .map(
            |p| crate::features::accounts::views::PendingActivationView {
                id: p.public_id,
                username: p.username,
                display_name: p.display_name,
                issued_by: p.issued_by_name.unwrap_or_default(),
                issued_at: p
                    .created_at
                    .with_timezone(&timezone)
                    .format(crate::i18n::TIMESTAMP_FORMAT)
                    .to_string(),
            },
        )
        .collect())
}

/// Makes the activation code of the link `public_id` and returns it with the person's
/// username, for `actor`'s eyes once (only its hash is kept): the second person's step.
pub async fn show_activation_code(
    cx: &Context<'_>,
    actor: &Actor,
    public_id: &str,
) -> Result<(String, String), AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let pending = if public_id.len() <= 64 {
        users::pending_activation(&mut tx, public_id, cx.now).await?
    } else {
        None
    }
    .ok_or_else(AppError::not_found)?;
    if !may_show_code(actor, &pending) {
        return Err(AppError::conflict("activation.second_person"));
    }
    let code = activation_code();
    users::set_activation_code(
        &mut tx,
        public_id,
        &code_hash(cx.key, &code),
        actor.id,
        cx.now,
    )
    .await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.activation_code_shown", "success")
            .actor(actor.id)
            .role(
                [Role::LeadingGroup, Role::Leader, Role::SystemAdmin]
                    .into_iter()
                    .find(|r| actor.has(*r))
                    .unwrap_or(Role::SystemAdmin)
                    .code(),
            )
            .object("user", pending.user_id)
            .client(cx.client.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok((pending.username, code))
}

/// The person a setup link belongs to, while it is valid: shown on the setup page.
pub async fn setup_link_holder(
    pool: &Pool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Actor>, AppError> {
    let mut conn = pool.acquire().await?;
    let Some(user_id) = users::setup_token_user(&mut conn, &token_hash(token), now).await? else {
        return Ok(None);
    };
    Ok(users::find(&mut conn, user_id)
        .await?
        .filter(|u| !u.blocked())
        .map(|u| actor_of(&u)))
}

/// Sets a person's password through their setup link. The link works once.
pub async fn complete_setup(
    cx: &Context<'_>,
    token: &str,
    code: &str,
    password: &str,
) -> Result<Actor, AppError> {
    let Some(holder) = setup_link_holder(cx.pool, token, cx.now).await? else {
        return Err(AppError::invalid("token", "setup_link_invalid"));
    };
    check_activation_code(cx, token, code).await?;
    let policy = password_policy::load(&mut *cx.pool.acquire().await?).await?;
    let password = password_policy::check(
        password,
        &policy,
        &holder.username,
        &holder.display_name,
        None,
    )?;
    let hash = cx.hasher.hash(&password).await?;
    let mut tx = crate::db::begin_write(cx.pool).await?;
    // Re-check inside the transaction: two submissions of one link race here.
    if users::setup_token_user(&mut tx, &token_hash(token), cx.now).await? != Some(holder.id) {
        return Err(AppError::invalid("token", "setup_link_invalid"));
    }
    users::set_password(&mut tx, holder.id, &hash, cx.now).await?;
    users::use_setup_tokens(&mut tx, holder.id, cx.now).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.password_set", "success")
            .actor(holder.id)
            .object("user", holder.id)
            .client(cx.client.clone())
            .reason("setup_link"),
    )
    .await?;
    tx.commit().await?;
    Ok(holder)
}

/// Whether the link `token` needs an activation code from a second person.
pub async fn needs_code(pool: &Pool, token: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(users::activation(&mut conn, &token_hash(token), now)
        .await?
        .is_some_and(|a| a.code_required))
}

/// The activation code typed with a link that needs one: refused while no second person
/// has handed one over, counted when wrong (the link is used up after a few), in a
/// transaction of its own so that a count survives the refusal.
async fn check_activation_code(cx: &Context<'_>, token: &str, code: &str) -> Result<(), AppError> {
    let hash = token_hash(token);
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let Some(activation) = users::activation(&mut tx, &hash, cx.now).await? else {
        return Err(AppError::invalid("token", "setup_link_invalid"));
    };
    if !activation.code_required {
        return Ok(());
    }
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    // A try before any code was handed over counts and is recorded like a wrong one: whoever
    // holds the link does not probe it unseen.
    let handed_over = activation.code_hash.is_some();
    if let Some(expected) = &activation.code_hash
        && typed.len() <= 16
        && code_hash(cx.key, &typed) == *expected
    {
        return Ok(());
    }
    let failures = users::activation_failed(&mut tx, &hash, MAX_CODE_FAILURES, cx.now).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.password_set", "failure")
            .object("user", activation.user_id)
            .client(cx.client.clone())
            .reason(if handed_over {
                "activation_code_wrong"
            } else {
                "activation_code_not_handed_over"
            })
            .details(serde_json::json!({ "failures": failures })),
    )
    .await?;
    tx.commit().await?;
    Err(AppError::invalid(
        "code",
        if failures >= MAX_CODE_FAILURES {
            "activation.used_up"
        } else if !handed_over {
            "activation.not_handed_over"
        } else {
            "activation.wrong"
        },
    ))
}

/// Changes the signed-in person's password, given the current one. Returns the new session
/// epoch: every other session of the person ends, this one carries on.
pub async fn change_password(
    cx: &Context<'_>,
    actor: &Actor,
    current: &str,
    new: &str,
) -> Result<i64, AppError> {
    if current.len() > 512 || current.chars().count() > 128 {
        return Err(AppError::invalid("current_password", "password.too_long"));
    }
    let mut conn = cx.pool.acquire().await?;
    let user = users::find(&mut conn, actor.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // The current-password check is a password oracle like the sign-in: throttled the same
    // way (its own counter, so a stranger's failed sign-ins do not block it) and audited.
    let counter = throttle_repo::get(&mut conn, &user.username, CHANGE_PASSWORD_SOURCE).await?;
    if let Some(wait) = throttle::refusal(cx.now, counter.as_ref(), None) {
        return Err(AppError::too_many_requests(wait));
    }
    drop(conn);
    if cx
        .hasher
        .verify(current, user.password_hash.as_deref())
        .await?
        == Verification::NoMatch
    {
        let mut tx = crate::db::begin_write(cx.pool).await?;
        throttle_repo::update(&mut tx, &user.username, CHANGE_PASSWORD_SOURCE, |c| {
            throttle::after_failure(cx.now, c, throttle::SOURCE_WINDOW, true)
        })
        .await?;
        audit::append(
            &mut tx,
            cx.key,
            cx.now,
            NewEntry::new("account.password_changed", "failure")
                .actor(actor.id)
                .object("user", actor.id)
                .client(cx.client.clone())
                .reason("current_wrong"),
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::invalid(
            "current_password",
            "password.current_wrong",
        ));
    }
    let policy = password_policy::load(&mut *cx.pool.acquire().await?).await?;
    let password = password_policy::check(
        new,
        &policy,
        &user.username,
        &user.display_name,
        Some(current),
    )?;
    let hash = cx.hasher.hash(&password).await?;
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let epoch = users::set_password(&mut tx, actor.id, &hash, cx.now).await?;
    throttle_repo::clear(&mut tx, &user.username, CHANGE_PASSWORD_SOURCE).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.password_changed", "success")
            .actor(actor.id)
            .object("user", actor.id)
            .client(cx.client.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok(epoch)
}

/// How the first system administrator gets a password.
pub enum Bootstrap<'a> {
    /// Print a one-time link for the person to choose their password.
    SetupLink,
    /// A scripted install: the person's own password, read from standard input.
    Password(&'a str),
}

/// Creates the first system administrator; refused while one exists. Returns the setup-link
/// token when one was asked for.
pub async fn bootstrap_admin(
    cx: &Context<'_>,
    username: &str,
    how: Bootstrap<'_>,
) -> Result<Option<String>, AppError> {
    let username =
        Username::parse(username).map_err(|e| AppError::invalid("username", &e.to_string()))?;
    let hash = match how {
        Bootstrap::Password(text) => Some(
            cx.hasher
                .hash(&password_policy::check(
                    text,
                    &password_policy::load(&mut *cx.pool.acquire().await?).await?,
                    username.as_str(),
                    username.as_str(),
                    None,
                )?)
                .await?,
        ),
        Bootstrap::SetupLink => None,
    };
    let mut tx = crate::db::begin_write(cx.pool).await?;
    if users::count_with_role(&mut tx, Role::SystemAdmin).await? > 0 {
        return Err(AppError::conflict("system_admin_exists"));
    }
    if users::username_taken(&mut tx, username.as_str()).await? {
        return Err(AppError::conflict("username_taken"));
    }
    let id = users::insert(&mut tx, username.as_str(), username.as_str(), cx.now).await?;
    users::grant_role(&mut tx, id, Role::SystemAdmin, cx.now).await?;
    let token = match hash {
        Some(hash) => {
            users::set_password(&mut tx, id, &hash, cx.now).await?;
            None
        }
        None => Some(issue_setup_token(&mut tx, id, None, cx.now).await?),
    };
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.bootstrap_admin", "success")
            .object("user", id)
            .role(Role::SystemAdmin.code())
            .details(
                serde_json::json!({ "roles": [Role::SystemAdmin.code()], "unreviewed": true }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// What the sign-in services need, for this request.
pub fn context(state: &crate::state::AppState) -> Context<'_> {
    Context {
        pool: &state.pool,
        key: &state.audit_key,
        hasher: &state.hasher,
        now: state.clock.now(),
        client: crate::state::client_address(),
        trusted_network: state.networks.is_trusted_client(crate::state::client_ip()),
    }
}
