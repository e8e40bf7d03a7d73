//! The audit trail's witness: an append-only file beside the key file that holds every head
//! of the chain (sequence number and MAC) as it commits. The chain alone proves that no entry
//! was changed; it cannot prove that none were cut from its end, because the remaining ones
//! still link up. The witness can: a trail that ends before the last head the witness saw, or
//! whose entry at that number is another one, was cut or rewritten.
//!
//! The file is text, one line per head: `<seq> <mac hex> <when>`, or `restored <seq> <mac
//! hex> <when>` once an administrator accepted a backup restored to an earlier point
//! (`xueji verify-audit --accept-restore`). Only its last line is a claim; the earlier lines
//! tell whether a shorter trail is an earlier state of this very trail (a restore, or a cut)
//! or something nobody ever saw.
//!
//! `Witness::check` is the audit page's verification: it recomputes only the entries after
//! the last head it verified (a checkpoint the witness confirms), so a view costs what was
//! appended since the last one, not the whole chain.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use chrono::{SecondsFormat, Utc};
use tokio::sync::Mutex;

use crate::{
    errors::AppError,
    kit::audit::{
        chain::{AuditKey, Break, Intact, Verifier},
        store as repo,
    },
};

/// One witnessed head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub seq: i64,
    pub mac: Vec<u8>,
    pub at: String,
    /// Written when an administrator accepted a restored backup ending here.
    pub restored: bool,
}

impl Seen {
    fn line(&self) -> String {
        let mac: String = self.mac.iter().map(|b| format!("{b:02x}")).collect();
        let prefix = if self.restored { "restored " } else { "" };
        format!("{prefix}{} {mac} {}\n", self.seq, self.at)
    }

    fn parse(line: &str) -> Option<Seen> {
        let (restored, rest) = match line.strip_prefix("restored ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let mut parts = rest.split_whitespace();
        let seq = parts.next()?.parse().ok()?;
        let hex = parts.next()?;
        let at = parts.next().unwrap_or_default().to_owned();
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mac = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        Some(Seen {
            seq,
            mac,
            at,
            restored,
        })
    }
}

/// What the witness makes of a trail that failed its check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The chain itself is broken (an entry changed, removed from the middle, or forged).
    Chain(Break),
    /// The trail ends at `entries` but `witnessed` was seen (by the witness file at `at`, or
    /// by this server's own last check when `at` is None). `earlier_state`
    /// when the trail's head is a head the witness saw before: the trail is an earlier state
    /// of itself, as a restored backup is and as a cut is.
    Cut {
        entries: i64,
        witnessed: i64,
        at: Option<String>,
        earlier_state: bool,
    },
    /// The entry the witness saw as #seq is not the one the trail holds: rewritten.
    Rewritten { seq: i64 },
    /// The witness file no longer holds what was written into it (deleted: `file` None, or
    /// cut back to an earlier head `file`), so a cut of the trail could not be seen: the
    /// trail is not vouched for until the witness is looked into (the server, restarted,
    /// begins a new witness and says so in the trail).
    WitnessLost { witnessed: i64, file: Option<i64> },
    /// The trail has `entries` and there is no witness at all: whether its end was cut
    /// cannot be told.
    Unwitnessed { entries: i64 },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Chain(broken) => write!(f, "{broken}"),
            Finding::Cut {
                entries,
                witnessed,
                at,
                earlier_state,
            } => {
                let by = match at {
                    Some(at) => format!("the witness saw entry #{witnessed} at {at}"),
                    None => format!("this server verified entry #{witnessed}"),
                };
                write!(
                    f,
                    "the trail ends at entry #{entries}, but {by}: {} entries are missing",
                    witnessed - entries
                )?;
                if *earlier_state {
                    write!(
                        f,
                        "; the trail is an earlier state of itself (a backup restored, or its newest entries cut)"
                    )
                } else {
                    write!(f, "; the witness never saw the trail end where it ends now")
                }
            }
            Finding::Rewritten { seq } => {
                write!(f, "entry #{seq} is not the entry the witness saw")
            }
            Finding::WitnessLost { witnessed, file } => match file {
                None => write!(
                    f,
                    "the witness file is gone (it had seen entry #{witnessed}): a cut of the trail could not be seen"
                ),
                Some(last) => write!(
                    f,
                    "the witness file was cut back to entry #{last} (it had seen entry #{witnessed}): a cut of the trail could not be seen"
                ),
            },
            Finding::Unwitnessed { entries } => write!(
                f,
                "the trail has {entries} entries and no witness file: whether its newest entries were cut cannot be told"
            ),
        }
    }
}

/// The witness file of a trail, and the head the audit page last verified.
pub struct Witness {
    path: PathBuf,
    /// Every line read or written, oldest first, and the length in bytes of the file that
    /// holds them: a file shorter than that was cut (or deleted) behind the witness's back.
    seen: Mutex<Vec<Seen>>,
    length: Mutex<u64>,
    /// Whether the file was there when it was opened (the server makes it at its start, so
    /// a trail with entries and no file at all lost its witness).
    existed: bool,
    /// The newest head `check` verified: the next check starts after it.
    checkpoint: Mutex<Option<(i64, Vec<u8>)>>,
}

/// The witness file of the key file at `key_file`: beside it, named after it.
pub fn path_beside(key_file: &Path) -> PathBuf {
    key_file.with_extension("witness")
}

fn now_text() -> String {
    // The wall clock, not the app's: the witness says when it saw a head, for people who
    // compare it with the time a backup was taken.
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Witness {
    /// Reads the witness file at `path` (none yet: an empty witness).
    pub fn open(path: &Path) -> std::io::Result<Witness> {
        let (seen, length, existed) = match std::fs::read_to_string(path) {
            Ok(text) => (
                text.lines().filter_map(Seen::parse).collect(),
                text.len() as u64,
                true,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), 0, false),
            Err(e) => return Err(e),
        };
        Ok(Witness {
            path: path.to_owned(),
            seen: Mutex::new(seen),
            length: Mutex::new(length),
            existed,
            checkpoint: Mutex::new(None),
        })
    }

    /// Makes the (empty) file when there is none, so that its absence later means it was
    /// lost, not that nothing was witnessed yet.
    pub fn make(&self) -> std::io::Result<()> {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map(drop)
    }

    /// Whether the file holds any head yet.
    pub async fn is_empty(&self) -> bool {
        self.seen.lock().await.is_empty()
    }

    async fn append(&self, seen: &mut Vec<Seen>, line: Seen) -> Result<(), AppError> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(AppError::internal)?;
        let text = line.line();
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(AppError::internal)?;
        *self.length.lock().await += text.len() as u64;
        seen.push(line);
        Ok(())
    }

    /// Takes in the lines another writer appended to the file (a command such as
    /// `verify-audit --accept-restore`, another instance sharing the witness): what this one
    /// holds the trail to is the file's newest head, not only its own. Only lines appended
    /// after everything this one has seen count; a file changed otherwise is `file_holds`'s
    /// to report.
    async fn take_in_lines_of_others(&self, seen: &mut Vec<Seen>) {
        let mut length = self.length.lock().await;
        let grown = std::fs::metadata(&self.path).is_ok_and(|m| m.len() > *length);
        if !grown {
            return;
        }
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return;
        };
        let lines: Vec<Seen> = text.lines().filter_map(Seen::parse).collect();
        if lines.len() >= seen.len() && lines[..seen.len()] == seen[..] {
            *seen = lines;
            *length = text.len() as u64;
        }
    }

    /// Whether the file still holds every line written or read: none deleted, none cut.
    async fn file_holds(&self, seen: &[Seen]) -> Result<(), Finding> {
        let Some(last) = seen.last() else {
            return Ok(());
        };
        let expected = *self.length.lock().await;
        let lost = |file: Option<i64>| Finding::WitnessLost {
            witnessed: last.seq,
            file,
        };
        match std::fs::metadata(&self.path) {
            Err(_) => Err(lost(None)),
            Ok(meta) if meta.len() < expected => {
                let file = std::fs::read_to_string(&self.path)
                    .ok()
                    .and_then(|t| t.lines().rev().find_map(Seen::parse))
                    .map(|s| s.seq);
                Err(lost(file))
            }
            Ok(_) => Ok(()),
        }
    }

    /// Writes down the trail's committed head when it moved on from the last one seen, and
    /// only then: a trail that went back or changed under the witness is not written down
    /// (its check reports it).
    pub async fn observe(&self, pool: &crate::db::Pool) -> Result<(), AppError> {
        let mut conn = pool.acquire().await?;
        let Some((seq, mac)) = repo::head(&mut conn).await? else {
            return Ok(());
        };
        let mut seen = self.seen.lock().await;
        self.take_in_lines_of_others(&mut seen).await;
        if let Err(finding) = self.file_holds(&seen).await {
            // Writing on would hide it: the check reports it until someone looks.
            tracing::error!(%finding, "the audit trail's witness file was tampered with: not witnessing");
            return Ok(());
        }
        if let Some(last) = seen.last() {
            if seq <= last.seq {
                return Ok(());
            }
            if repo::mac_at(&mut conn, last.seq).await?.as_deref() != Some(last.mac.as_slice()) {
                tracing::error!(
                    seq = last.seq,
                    "the audit trail's witnessed entry changed: not witnessing its new head"
                );
                return Ok(());
            }
        }
        drop(conn);
        let line = Seen {
            seq,
            mac,
            at: now_text(),
            restored: false,
        };
        self.append(&mut seen, line).await
    }

    /// Compares a verified chain (its head `intact`) with the newest head witnessed.
    async fn judge(
        &self,
        intact: &Intact,
        conn: &mut crate::db::Conn,
    ) -> Result<Result<(), Finding>, AppError> {
        let mut seen = self.seen.lock().await;
        self.take_in_lines_of_others(&mut seen).await;
        if let Err(finding) = self.file_holds(&seen).await {
            return Ok(Err(finding));
        }
        let Some(last) = seen.last() else {
            return Ok(Ok(()));
        };
        if intact.entries < last.seq {
            let earlier_state = seen
                .iter()
                .any(|s| s.seq == intact.entries && s.mac == intact.head_mac);
            return Ok(Err(Finding::Cut {
                entries: intact.entries,
                witnessed: last.seq,
                at: Some(last.at.clone()),
                earlier_state,
            }));
        }
        if repo::mac_at(conn, last.seq).await?.as_deref() != Some(last.mac.as_slice()) {
            return Ok(Err(Finding::Rewritten { seq: last.seq }));
        }
        Ok(Ok(()))
    }

    /// The whole chain recomputed, then held against the witness (`xueji verify-audit`).
    pub async fn verify_all(
        &self,
        pool: &crate::db::Pool,
        key: &AuditKey,
    ) -> Result<Result<Intact, Finding>, AppError> {
        let intact = match crate::kit::audit::chain::verify_stored(pool, key).await? {
            Ok(intact) => intact,
            Err(broken) => return Ok(Err(Finding::Chain(broken))),
        };
        if intact.entries > 0 && !self.existed && self.is_empty().await {
            return Ok(Err(Finding::Unwitnessed {
                entries: intact.entries,
            }));
        }
        let mut conn = pool.acquire().await?;
        Ok(self.judge(&intact, &mut conn).await?.map(|()| intact))
    }

    /// The audit page's check: the entries after the last verified head, recomputed from it
    /// (the first check of a run recomputes them all), then held against the witness.
    pub async fn check(
        &self,
        pool: &crate::db::Pool,
        key: &AuditKey,
    ) -> Result<Result<Intact, Finding>, AppError> {
        let mut checkpoint = self.checkpoint.lock().await;
        let mut conn = pool.acquire().await?;
        let mut verifier = match checkpoint.as_ref() {
            None => Verifier::new(),
            Some((seq, mac)) => {
                // The head verified last time must still be there, unchanged.
                match repo::mac_at(&mut conn, *seq).await? {
                    Some(now) if &now == mac => Verifier::after(*seq, mac.clone()),
                    _ => {
                        let entries = repo::head(&mut conn).await?.map_or(0, |(s, _)| s);
                        return Ok(Err(if entries < *seq {
                            Finding::Cut {
                                entries,
                                witnessed: *seq,
                                at: None,
                                earlier_state: false,
                            }
                        } else {
                            Finding::Rewritten { seq: *seq }
                        }));
                    }
                }
            }
        };
        if let Err(broken) = verifier.run(&mut conn, key).await? {
            return Ok(Err(Finding::Chain(broken)));
        }
        let intact = verifier.finish();
        if let Err(finding) = self.judge(&intact, &mut conn).await? {
            return Ok(Err(finding));
        }
        *checkpoint = Some((intact.entries, intact.head_mac.clone()));
        Ok(Ok(intact))
    }

    /// After a backup was restored to an earlier point: when the trail is an earlier state of
    /// itself, writes down that its head is where the witness now starts again, and returns
    /// the entries that were lost (from, to). Anything else is refused.
    pub async fn accept_restore(
        &self,
        pool: &crate::db::Pool,
        key: &AuditKey,
    ) -> Result<Result<(i64, i64), Finding>, AppError> {
        let finding = match self.verify_all(pool, key).await? {
            Ok(_) => return Ok(Ok((0, 0))),
            Err(finding) => finding,
        };
        let Finding::Cut {
            entries,
            witnessed,
            earlier_state: true,
            ..
        } = finding
        else {
            return Ok(Err(finding));
        };
        let mut conn = pool.acquire().await?;
        let mac = repo::head(&mut conn)
            .await?
            .map(|(_, mac)| mac)
            .unwrap_or_else(|| crate::kit::audit::chain::GENESIS_MAC.to_vec());
        let mut seen = self.seen.lock().await;
        let line = Seen {
            seq: entries,
            mac,
            at: now_text(),
            restored: true,
        };
        self.append(&mut seen, line).await?;
        Ok(Ok((entries + 1, witnessed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_as_written() {
        let seen = Seen {
            seq: 42,
            mac: (0..32).collect(),
            at: "2026-12-02T08:00:00Z".into(),
            restored: false,
        };
        assert_eq!(Seen::parse(seen.line().trim_end()), Some(seen.clone()));
        let restored = Seen {
            restored: true,
            ..seen
        };
        assert!(restored.line().starts_with("restored 42 "));
        assert_eq!(Seen::parse(restored.line().trim_end()), Some(restored));
        assert_eq!(Seen::parse("42 nothex 2026"), None);
        assert_eq!(Seen::parse(""), None);
    }
}
