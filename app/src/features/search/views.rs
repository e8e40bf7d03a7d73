//! What the search feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use crate::features::records::views::RecordStatus;
use crate::features::structure::views::ClassSummary;
use serde::{Deserialize, Serialize};

/// A student found by a search; classified values masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    pub class: ClassSummary,
    pub status: RecordStatus,
    pub id_number: String,
    /// Tells namesakes apart, beside the class.
    pub birth_date: String,
    /// Why the student left ("graduated", "other"), once they have.
    pub left: Option<String>,
    /// Suspended (休学).
    #[serde(default)]
    pub suspended: bool,
}

/// The search page: what was searched (a number shown masked) and what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchView {
    pub query: Option<String>,
    /// Whether students who left are looked for too.
    pub include_left: bool,
    /// This page of the hits (pages of `per_page`, from 1).
    pub hits: Vec<SearchHit>,
    pub page: usize,
    pub per_page: usize,
    /// How many were found in all (at most `capped_at`; at that, the search is too wide).
    pub total: usize,
    pub capped_at: usize,
}
