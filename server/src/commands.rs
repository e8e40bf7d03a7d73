//! The `xueji` subcommands other than `serve`, as library functions the tests can call.

use std::sync::Arc;

use app::{
    clock::Clock,
    errors::AppError,
    features::accounts::service::auth::{self, Bootstrap, Context},
    kit::{
        audit::{
            chain::{self as audit, Intact},
            witness::{self as audit_witness, Finding, Witness},
        },
        passwords::Hasher,
    },
};

use crate::{
    config::Settings,
    database::{self, DatabaseError},
    keys::{self, KeyError},
};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Database(#[from] DatabaseError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error("the audit trail could not be read")]
    Read,
    #[error("the audit trail is broken: {0}")]
    AuditBroken(Finding),
    #[error("{0}")]
    Refused(String),
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        // In words, as the portal says them in English (the terminal's language).
        CommandError::Refused(error.messages(app::i18n::Locale::En).join("; "))
    }
}

/// `xueji migrate`: brings the schema up to date as the database's owner (the URL in
/// `owner_url`), and on PostgreSQL grants `app_role` the rights the portal serves with.
/// Returns the number of migrations the database now has.
pub async fn migrate(owner_url: &str, app_role: Option<&str>) -> Result<usize, CommandError> {
    // The scheme chooses the engine, as for XUEJI_DATABASE_URL (a misspelt one would be
    // taken for a SQLite file's path).
    if !owner_url.starts_with("sqlite:") && !database::is_postgres(owner_url) {
        let scheme = owner_url.split_once(':').map_or("none", |(s, _)| s);
        return Err(CommandError::Refused(format!(
            "the owner's URL: the scheme chooses the engine: sqlite:// or postgres://, not {scheme:?}"
        )));
    }
    let pool = database::connect(owner_url).await?;
    database::migrate(&pool).await?;
    if let Some(role) = app_role {
        database::grant_app_role(&pool, role).await?;
    }
    pool.close().await;
    Ok(if database::is_postgres(owner_url) {
        database::POSTGRES_MIGRATOR.iter().count()
    } else {
        database::MIGRATOR.iter().count()
    })
}

/// `xueji bootstrap-admin`: creates the first system administrator while there is none.
/// Returns the one-time setup link, or nothing when the password came from standard input.
pub async fn bootstrap_admin(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    username: &str,
    password: Option<&str>,
) -> Result<Option<String>, CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::prepare(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, true).await?;
    let hasher = Hasher::new(
        1,
        std::time::Duration::from_secs(30),
        settings.password_hash_cost,
    );
    let cx = Context {
        pool: &pool,
        key: &keys.audit,
        hasher: &hasher,
        now: clock.now(),
        client: None,
        trusted_network: false,
    };
    let how = password.map_or(Bootstrap::SetupLink, Bootstrap::Password);
    let token = auth::bootstrap_admin(&cx, username, how).await;
    witness_head(settings, &pool).await?;
    pool.close().await;
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.addr));
    Ok(token?.map(|token| format!("{origin}/setup/{token}")))
}

/// Writes the trail's head into its witness after a command appended to the trail (the
/// server does so as it runs; a command runs without it).
async fn witness_head(settings: &Settings, pool: &app::db::Pool) -> Result<(), CommandError> {
    Witness::open(&audit_witness::path_beside(&settings.key_file))
        .map_err(|_| CommandError::Read)?
        .observe(pool)
        .await?;
    Ok(())
}

/// `xueji verify-audit`: recomputes the whole chain with the key file's key, and holds its
/// end against the witness file beside the key file (a cut or a wipe is found).
pub async fn verify_audit(settings: &Settings) -> Result<Intact, CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::prepare(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, false).await?;
    let witness = Witness::open(&audit_witness::path_beside(&settings.key_file))
        .map_err(|_| CommandError::Read)?;
    let result = witness
        .verify_all(&pool, &keys.audit)
        .await
        .map_err(|_| CommandError::Read);
    pool.close().await;
    result?.map_err(CommandError::AuditBroken)
}

/// `xueji verify-audit --accept-restore`: after a backup was restored to an earlier point
/// (the server stopped), writes into the witness and into the trail that the entries after
/// the restored head are gone. Refused unless the trail is an earlier state of the witnessed
/// one. Returns the lost entries (first, last); (0, 0) when nothing was missing.
pub async fn accept_restore(
    settings: &Settings,
    clock: Arc<dyn Clock>,
) -> Result<(i64, i64), CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::prepare(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, false).await?;
    let witness = Witness::open(&audit_witness::path_beside(&settings.key_file))
        .map_err(|_| CommandError::Read)?;
    let lost = match witness.accept_restore(&pool, &keys.audit).await? {
        Ok(lost) => lost,
        Err(finding) => return Err(CommandError::AuditBroken(finding)),
    };
    if lost != (0, 0) {
        let mut tx = app::db::begin_write(&pool)
            .await
            .map_err(|_| CommandError::Read)?;
        audit::append(
            &mut tx,
            &keys.audit,
            clock.now(),
            audit::NewEntry::new("audit.restore_accepted", "success")
                .details(serde_json::json!({ "lost_from": lost.0, "lost_to": lost.1 })),
        )
        .await?;
        tx.commit().await.map_err(|_| CommandError::Read)?;
        witness.observe(&pool).await?;
    }
    pool.close().await;
    Ok(lost)
}

/// `xueji demo-data`: fills an empty database with a realistic school; every account gets
/// `password` (which the password policy must accept).
pub async fn demo_data(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    students: u32,
    seed: u64,
    password: &str,
) -> Result<app::features::demo::service::Filled, CommandError> {
    use app::features::{accounts::service::password_policy, demo::service as demo};
    let pool = database::connect(&settings.database_url).await?;
    database::prepare(&pool).await?;
    let keys = keys::load(&settings.key_file, &pool, true).await?;
    let policy = password_policy::load(
        &mut *pool
            .acquire()
            .await
            .map_err(|e| CommandError::Keys(KeyError::Database(e)))?,
    )
    .await?;
    let password = password_policy::check(password, &policy, "demo", "demo", None)?;
    let hash = Hasher::new(
        1,
        std::time::Duration::from_secs(30),
        settings.password_hash_cost,
    )
    .hash(&password)
    .await?;
    let filled = demo::fill(
        &pool,
        &keys.audit,
        &keys.data,
        clock.now(),
        students,
        seed,
        &hash,
    )
    .await;
    if filled.is_ok() {
        app::db::after_bulk_load(&pool)
            .await
            .map_err(|e| CommandError::Keys(KeyError::Database(e)))?;
    }
    witness_head(settings, &pool).await?;
    pool.close().await;
    Ok(filled?)
}

/// What `rotate-key` did.
#[derive(Debug, PartialEq, Eq)]
pub struct Rotated {
    pub key_id: u16,
    pub values: usize,
}

/// `xueji rotate-key`: a new data key becomes current and every sealed value is sealed again
/// under it in one transaction; the old keys then leave the key file. The file is rewritten
/// whole at each step, first holding old and new keys, so a crash at any point leaves a file
/// that opens every value in the database.
pub async fn rotate_key(
    settings: &Settings,
    clock: Arc<dyn Clock>,
) -> Result<Rotated, CommandError> {
    let pool = database::connect(&settings.database_url).await?;
    database::prepare(&pool).await?;
    let loaded = keys::load(&settings.key_file, &pool, false).await?;
    let audit_bytes = keys::audit_bytes(&settings.key_file)?;
    let new_id = loaded.data.keys().keys().max().copied().unwrap_or(0) + 1;
    let both = loaded.data.with_new_current(new_id, keys::random_key());
    keys::write(&settings.key_file, &audit_bytes, &both)?;
    let checks = keys::checks_of(&audit_bytes, &both);
    let check = &checks[&format!("data:{new_id}")];
    app::kit::sealing::key_checks::insert(&pool, &format!("data:{new_id}"), check)
        .await
        .map_err(|e| CommandError::Keys(KeyError::Database(e)))?;
    let values =
        app::features::records::service::reseal_all(&pool, &loaded.audit, &both, clock.now())
            .await?;
    let current = both.only_current();
    app::kit::sealing::key_checks::delete_data_keys_but(&pool, &format!("data:{new_id}"))
        .await
        .map_err(|e| CommandError::Keys(KeyError::Database(e)))?;
    keys::write(&settings.key_file, &audit_bytes, &current)?;
    witness_head(settings, &pool).await?;
    pool.close().await;
    Ok(Rotated {
        key_id: new_id,
        values,
    })
}

/// The head MAC as people read it: hex, in groups of four.
pub fn fingerprint(mac: &[u8]) -> String {
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    hex.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}
