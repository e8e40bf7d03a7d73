//! The audit trail: an append-only, HMAC-chained record of who did what, when, from where,
//! why and with what outcome. No personal-data value ever goes into it; records are named
//! by id.
//!
//! Each entry's MAC covers its own fields and its predecessor's MAC, under a key that lives
//! outside the database, so nobody who can only write to the database can rewrite history
//! without `verify` noticing. Appends happen inside the caller's write transaction (SQLite
//! `BEGIN IMMEDIATE`), which serialises them; the sequence number is the primary key, so
//! two appends can never both follow the same entry.

use crate::db::Conn;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{errors::AppError, kit::audit::store as repo};

pub use crate::kit::audit::entry::{Entry, NewEntry};

type HmacSha256 = Hmac<Sha256>;

/// The MAC of the (absent) entry before the first one.
pub const GENESIS_MAC: [u8; 32] = [0; 32];

/// The secret that keys the chain. Its bytes never appear in `Debug` output.
#[derive(Clone)]
pub struct AuditKey(pub(crate) [u8; 32]);

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        AuditKey(bytes)
    }

    /// A keyed digest of `value` for `purpose` (HMAC-SHA256 under this key, which lives in
    /// the key file, never in the database): what a short secret is kept as, so that a copy
    /// of the database cannot be searched for it.
    pub fn digest(&self, purpose: &str, value: &str) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

/// Length-prefixed fields, so that no two different entries encode alike.
fn canonical(seq: i64, occurred_at: &str, e: &NewEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(&seq.to_be_bytes());
    let mut field = |value: Option<&str>| match value {
        Some(v) => {
            out.extend_from_slice(&(v.len() as u32).to_be_bytes());
            out.extend_from_slice(v.as_bytes());
        }
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
    };
    field(Some(occurred_at));
    field(e.actor_id.map(|id| id.to_string()).as_deref());
    field(e.actor_role.as_deref());
    field(Some(&e.action));
    field(e.object_type.as_deref());
    field(e.object_id.as_deref());
    field(Some(&e.classification));
    field(e.client.as_deref());
    field(e.reason.as_deref());
    field(Some(&e.outcome));
    field(e.details.as_deref());
    out
}

/// Timestamps are stored and MACed in one fixed form.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn compute_mac(
    key: &AuditKey,
    seq: i64,
    occurred_at: &str,
    entry: &NewEntry,
    prev_mac: &[u8],
) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(&canonical(seq, occurred_at, entry));
    mac.update(prev_mac);
    mac.finalize().into_bytes().into()
}

/// Appends an entry inside the caller's write transaction and returns its sequence number.
pub async fn append(
    tx: &mut Conn,
    key: &AuditKey,
    now: DateTime<Utc>,
    entry: NewEntry,
) -> Result<i64, AppError> {
    #[cfg(not(test))]
    debug_assert!(
        crate::kit::audit_names::known(&entry.action),
        "{} is not in kit/audit_names.rs",
        entry.action
    );
    let (seq, prev_mac) = match repo::head(tx).await? {
        Some((seq, mac)) => (seq + 1, mac),
        None => (1, GENESIS_MAC.to_vec()),
    };
    // The moment is kept to the microsecond (what both engines store exactly), and the MAC
    // covers that moment as text.
    let now = now.trunc_subsecs(6);
    let mac = compute_mac(key, seq, &timestamp(now), &entry, &prev_mac);
    repo::insert(tx, seq, now, &entry, &prev_mac, &mac).await?;
    Ok(seq)
}

/// The newest entry's sequence number, when the trail has any.
pub async fn head_seq(pool: &crate::db::Pool) -> Result<Option<i64>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(repo::head(&mut conn).await?.map(|(seq, _)| seq))
}

/// The entry that says the trail is witnessed from entry `head` on (a witness file that
/// was new, or had gone).
pub async fn record_witness_started(
    pool: &crate::db::Pool,
    key: &AuditKey,
    now: DateTime<Utc>,
    head: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    append(
        &mut tx,
        key,
        now,
        NewEntry::new("audit.witness_started", "success")
            .details(serde_json::json!({ "after": head })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How long identical refusals count as one: the first is an entry, the repeats a number.
pub const DENIAL_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// The entry that closes a window of repeated refusals: who, what, from when, how often.
fn repeats_entry(actor: i64, action: &str, object: &str, began: DateTime<Utc>, n: i64) -> NewEntry {
    let mut entry = NewEntry::new("authz.denied_repeatedly", "denied")
        .actor(actor)
        .details(serde_json::json!({
            "action": action,
            "repeated": n,
            "since": timestamp(began),
        }));
    if let Some((kind, id)) = object.split_once(':') {
        entry = entry.object(kind, id);
    }
    entry
}

/// Appends a refusal (`entry`, with its actor) unless the same person was refused the same
/// thing within `DENIAL_WINDOW`: then it is only counted, and the count is appended when the
/// window closes (here, at the next refusal after it, or by `close_denial_windows`).
pub async fn append_denial(
    tx: &mut Conn,
    key: &AuditKey,
    now: DateTime<Utc>,
    entry: NewEntry,
) -> Result<(), AppError> {
    let Some(actor) = entry.actor_id else {
        append(tx, key, now, entry).await?;
        return Ok(());
    };
    let object = match (&entry.object_type, &entry.object_id) {
        (Some(kind), Some(id)) => format!("{kind}:{id}"),
        _ => String::new(),
    };
    let action = entry.action.clone();
    match repo::denial_window(tx, actor, &action, &object).await? {
        Some((began, repeated)) if now - began < DENIAL_WINDOW => {
            repo::put_denial_window(tx, actor, &action, &object, (began, repeated + 1)).await?;
        }
        previous => {
            if let Some((began, repeated)) = previous.filter(|(_, n)| *n > 0) {
                let closing = repeats_entry(actor, &action, &object, began, repeated);
                append(tx, key, now, closing).await?;
            }
            append(tx, key, now, entry).await?;
            repo::put_denial_window(tx, actor, &action, &object, (now, 0)).await?;
        }
    }
    Ok(())
}

/// Closes every window of repeated refusals that is over, appending each one's count; the
/// server calls it every minute, so that no count waits for a next refusal that never comes.
pub async fn close_denial_windows(
    pool: &crate::db::Pool,
    key: &AuditKey,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let closed = repo::take_closed_denial_windows(&mut tx, now - DENIAL_WINDOW).await?;
    let mut appended = 0;
    for (actor, action, object, began, repeated) in closed {
        if repeated > 0 {
            let entry = repeats_entry(actor, &action, &object, began, repeated);
            append(&mut tx, key, now, entry).await?;
            appended += 1;
        }
    }
    tx.commit().await?;
    Ok(appended)
}

/// Why verification stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// An entry is missing before this one (its sequence number skips).
    Gap { seq: i64, expected: i64 },
    /// This entry does not point at its predecessor's MAC.
    Unlinked { seq: i64 },
    /// This entry's content does not match its MAC: it was changed, or written without the key.
    Altered { seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Gap { seq, expected } => {
                write!(f, "entry #{expected} is missing (the next entry is #{seq})")
            }
            Break::Unlinked { seq } => write!(f, "entry #{seq} does not follow its predecessor"),
            Break::Altered { seq } => {
                write!(f, "entry #{seq} was altered or written without the key")
            }
        }
    }
}

/// The outcome of a verification that found nothing wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intact {
    pub entries: i64,
    pub head_mac: Vec<u8>,
}

/// Recomputes a chain entry by entry: from its start, or after a head verified before.
pub struct Verifier {
    expected_seq: i64,
    prev_mac: Vec<u8>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new()
    }
}

impl Verifier {
    pub fn new() -> Verifier {
        Verifier {
            expected_seq: 1,
            prev_mac: GENESIS_MAC.to_vec(),
        }
    }

    /// Goes on after entry `seq`, whose MAC `mac` was verified before.
    pub fn after(seq: i64, mac: Vec<u8>) -> Verifier {
        Verifier {
            expected_seq: seq + 1,
            prev_mac: mac,
        }
    }

    /// The sequence number the next entry must have.
    pub fn next_seq(&self) -> i64 {
        self.expected_seq
    }

    pub fn step(&mut self, key: &AuditKey, entry: &Entry) -> Result<(), Break> {
        if entry.seq != self.expected_seq {
            return Err(Break::Gap {
                seq: entry.seq,
                expected: self.expected_seq,
            });
        }
        if entry.prev_mac != self.prev_mac {
            return Err(Break::Unlinked { seq: entry.seq });
        }
        let mac = compute_mac(
            key,
            entry.seq,
            &timestamp(entry.occurred_at),
            &entry.fields,
            &entry.prev_mac,
        );
        if !constant_time_eq(&mac, &entry.mac) {
            return Err(Break::Altered { seq: entry.seq });
        }
        self.prev_mac = entry.mac.clone();
        self.expected_seq += 1;
        Ok(())
    }

    /// Reads and verifies every stored entry after those verified so far, a batch at a
    /// time (memory stays bounded however long the trail).
    pub async fn run(
        &mut self,
        conn: &mut Conn,
        key: &AuditKey,
    ) -> Result<Result<(), Break>, AppError> {
        const BATCH: i64 = 5_000;
        loop {
            let batch = repo::since(conn, self.expected_seq - 1, BATCH).await?;
            if batch.is_empty() {
                return Ok(Ok(()));
            }
            for entry in &batch {
                if let Err(broken) = self.step(key, entry) {
                    return Ok(Err(broken));
                }
            }
        }
    }

    pub fn finish(self) -> Intact {
        Intact {
            entries: self.expected_seq - 1,
            head_mac: self.prev_mac,
        }
    }
}

/// Recomputes the chain in order and names the first broken entry.
pub fn verify<'a>(
    key: &AuditKey,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<Intact, Break> {
    let mut verifier = Verifier::new();
    for entry in entries {
        verifier.step(key, entry)?;
    }
    Ok(verifier.finish())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Verifies the whole stored chain.
pub async fn verify_stored(
    pool: &crate::db::Pool,
    key: &AuditKey,
) -> Result<Result<Intact, Break>, AppError> {
    let mut conn = pool.acquire().await?;
    let mut verifier = Verifier::new();
    Ok(verifier
        .run(&mut conn, key)
        .await?
        .map(|()| verifier.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn key(byte: u8) -> AuditKey {
        AuditKey([byte; 32])
    }

    /// Builds a chain the way `append` does, without a database.
    fn chain(key: &AuditKey, n: i64) -> Vec<Entry> {
        let mut prev = GENESIS_MAC.to_vec();
        (1..=n)
            .map(|seq| {
                let occurred_at = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, seq as u32).unwrap();
                let fields = NewEntry::new("auth.sign_in", "success")
                    .actor(seq * 10)
                    .role("homeroom_teacher")
                    .client(Some("127.0.0.1".into()));
                let mac = compute_mac(key, seq, &timestamp(occurred_at), &fields, &prev).to_vec();
                let entry = Entry {
                    seq,
                    occurred_at,
                    fields,
                    prev_mac: prev.clone(),
                    mac: mac.clone(),
                };
                prev = mac;
                entry
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let entries = chain(&key(7), 5);
        let intact = verify(&key(7), &entries).unwrap();
        assert_eq!(intact.entries, 5);
        assert_eq!(intact.head_mac, entries[4].mac);
        assert_eq!(verify(&key(7), &[]).unwrap().entries, 0);
    }

    #[test]
    fn a_changed_field_is_found() {
        let mut entries = chain(&key(7), 5);
        entries[2].fields.outcome = "failure".into();
        assert_eq!(verify(&key(7), &entries), Err(Break::Altered { seq: 3 }));

        let mut entries = chain(&key(7), 5);
        entries[3].occurred_at += chrono::Duration::seconds(1);
        assert_eq!(verify(&key(7), &entries), Err(Break::Altered { seq: 4 }));

        // Moving a value from one field to the next is a change too.
        let mut entries = chain(&key(7), 3);
        entries[0].fields.object_type = Some(String::new());
        assert_eq!(verify(&key(7), &entries), Err(Break::Altered { seq: 1 }));
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut entries = chain(&key(7), 5);
        entries.remove(2);
        assert_eq!(
            verify(&key(7), &entries),
            Err(Break::Gap {
                seq: 4,
                expected: 3
            })
        );

        // Renumbering to hide the gap leaves the links broken.
        for (i, e) in entries.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
        assert_eq!(verify(&key(7), &entries), Err(Break::Unlinked { seq: 3 }));

        // The newest entry removed: the chain is shorter, which the head copied into each
        // inspection record reveals.
        let mut entries = chain(&key(7), 5);
        let head = entries[4].mac.clone();
        entries.pop();
        assert_ne!(verify(&key(7), &entries).unwrap().head_mac, head);
    }

    #[test]
    fn a_chain_recomputed_without_the_key_is_found() {
        let mut forged = chain(&key(9), 5);
        forged[1].fields.actor_id = Some(1);
        // The forger recomputes every MAC with a key of their own.
        let mut prev = GENESIS_MAC.to_vec();
        for e in forged.iter_mut() {
            e.prev_mac = prev.clone();
            e.mac =
                compute_mac(&key(9), e.seq, &timestamp(e.occurred_at), &e.fields, &prev).to_vec();
            prev = e.mac.clone();
        }
        assert_eq!(
            verify(&key(9), &forged).unwrap().entries,
            5,
            "consistent under the forger's key"
        );
        assert_eq!(verify(&key(7), &forged), Err(Break::Altered { seq: 1 }));
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", key(0x41)), "AuditKey(…)");
    }
}
