//! What the import feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use crate::features::structure::views::ClassSummary;
use serde::{Deserialize, Serialize};

/// A row of an uploaded roster that cannot be imported, and why (never its values).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    pub field: String,
    pub code: String,
    /// Whether the row is left out of the import for it (otherwise it comes in as a draft
    /// to complete).
    pub refused: bool,
}

/// One kind of problem of a dry run (a field and what is wrong with it), with the rows that
/// have it: how the page lists them ("6 行：出生地未填").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemGroup {
    pub field: String,
    pub code: String,
    pub refused: bool,
    pub rows: Vec<usize>,
}

impl ProblemGroup {
    /// `problems` by kind: those that keep rows out first, then the most frequent.
    pub fn of(problems: &[RowProblem]) -> Vec<ProblemGroup> {
        let mut groups: Vec<ProblemGroup> = Vec::new();
        for p in problems {
            // Family members' fields are one kind whichever member they belong to.
            let field = match p.field.strip_prefix("guardians.") {
                Some(rest) => format!(
                    "guardian.{}",
                    rest.split_once('.').map(|(_, f)| f).unwrap_or(rest)
                ),
                None => p.field.clone(),
            };
            match groups
                .iter_mut()
                .find(|g| g.field == field && g.code == p.code && g.refused == p.refused)
            {
                Some(g) => {
                    if g.rows.last() != Some(&p.row) {
                        g.rows.push(p.row);
                    }
                }
                None => groups.push(ProblemGroup {
                    field,
                    code: p.code.clone(),
                    refused: p.refused,
                    rows: vec![p.row],
                }),
            }
        }
        groups.sort_by(|a, b| {
            b.refused
                .cmp(&a.refused)
                .then(b.rows.len().cmp(&a.rows.len()))
                .then(a.rows[0].cmp(&b.rows[0]))
        });
        groups
    }
}

/// An uploaded roster: its columns, their mapping, and the dry run once asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    /// The class the file was uploaded for (where a row without a 班级 goes).
    pub class: ClassSummary,
    /// After a dry run: the classes the importable rows go to, with how many each.
    pub classes: Vec<(ClassSummary, usize)>,
    pub file_name: String,
    pub header: Vec<String>,
    pub mapping: Vec<String>,
    pub targets: Vec<String>,
    pub total: usize,
    /// How many rows would be imported whole (after a dry run).
    pub valid: Option<usize>,
    /// How many would come in as drafts their homeroom teacher completes.
    pub incomplete: Option<usize>,
    pub problems: Vec<RowProblem>,
    pub groups: Vec<ProblemGroup>,
}
