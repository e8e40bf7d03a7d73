//! What the audit feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use serde::{Deserialize, Serialize};

/// One entry of the audit trail as the viewer shows it: names of staff, ids of records,
/// never a personal-data value (the trail holds none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub seq: i64,
    /// In the school's time zone.
    pub at: String,
    pub actor: Option<String>,
    pub role: Option<String>,
    /// The action's code (the page names it in words).
    pub action: String,
    /// The person an entry is about, by name.
    pub object: Option<String>,
    /// The thing an entry is about: its kind (`info_request`, `destruction`…), its number,
    /// and its opaque id where it has a page to open.
    #[serde(default)]
    pub thing: Option<(String, String, Option<String>)>,
    /// The student the entry is about: their opaque id, and their name for a viewer who may
    /// see students' names (records administrators).
    pub student: Option<(String, Option<String>)>,
    /// The field a shown confidential value was in (`phone`, `guardians.1.phone`).
    pub field: Option<String>,
    /// "success", "denied" or "failure".
    pub outcome: String,
    pub client: Option<String>,
    pub reason: Option<String>,
}

/// The result of recomputing the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub intact: bool,
    pub entries: i64,
    /// The first broken entry's sequence number, when the chain is broken.
    pub broken_at: Option<i64>,
    /// When the trail's end was cut: (the entries left, the newest entry witnessed).
    pub cut: Option<(i64, i64)>,
    /// The witness file was deleted or cut back (or there is none for a trail with
    /// entries): a cut of the trail could not be seen, so nothing is vouched for.
    #[serde(default)]
    pub witness_lost: bool,
}

impl ChainStatus {
    /// The verdict in words, as the audit page and an inspection say it.
    pub fn said(&self, locale: crate::i18n::Locale) -> String {
        if self.intact {
            crate::tr!(locale, "audit.chain_intact", count = self.entries)
        } else if self.witness_lost {
            crate::tr!(locale, "audit.witness_lost")
        } else if let Some((entries, witnessed)) = self.cut {
            crate::tr!(
                locale,
                "audit.chain_cut",
                entries = entries,
                witnessed = witnessed
            )
        } else {
            crate::tr!(
                locale,
                "audit.chain_broken",
                seq = self.broken_at.unwrap_or_default()
            )
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOption {
    pub id: i64,
    pub name: String,
}

/// A page of the audit viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntryView>,
    /// The cursor of the next (older) page, if there is one.
    pub next_before: Option<i64>,
    pub chain: ChainStatus,
    pub people: Vec<PersonOption>,
    pub actions: Vec<String>,
    /// Who reads it and when (the printed extract says so): "name (username)", local time.
    pub viewer: String,
    pub read_at: String,
}
