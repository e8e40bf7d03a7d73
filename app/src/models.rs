//! View models: one object per view, holding only what its viewer may see.

use serde::{Deserialize, Serialize};

/// What the status panel on the home page shows: the portal's own health, no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// The newest applied database migration.
    pub migration_version: i64,
    pub migrations_applied: i64,
    /// SQLite's journal mode ("wal" when the database is set up as it should be).
    pub journal_mode: String,
    /// When this installation first started, in the school's time zone.
    pub installed_at: String,
    /// When the server answered, in the school's time zone.
    pub checked_at: String,
    /// The school's time zone, e.g. "Asia/Shanghai".
    pub timezone: String,
    /// Megabytes free on the database's disk (none when it cannot be told).
    #[serde(default)]
    pub disk_free_mib: Option<u64>,
    /// The disk has no room for a write: every change is refused until space is freed.
    #[serde(default)]
    pub disk_full: bool,
}

/// Whom a valid setup link belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupHolder {
    pub username: String,
    pub display_name: String,
    /// The link is completed only with an activation code from a second person.
    #[serde(default)]
    pub needs_code: bool,
    /// The rule their password must meet, for the live feedback.
    pub policy: crate::domain::password::PasswordPolicy,
}

/// One account as the system administrator's console shows it: no credential in sight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<crate::domain::Role>,
    /// Privileged roles granted before the school had a leading group: never reviewed.
    pub unreviewed: Vec<crate::domain::Role>,
    /// Requests about this account waiting for the leading group: (role, "grant" /
    /// "revoke" / "reset").
    pub pending: Vec<(crate::domain::Role, String)>,
    /// Requests about this account the leading group rejected lately, with the reason:
    /// (role, kind, reason).
    pub rejected: Vec<(crate::domain::Role, String, String)>,
    pub disabled: bool,
    /// Frozen by a leak report's containment: only the report lifts it.
    #[serde(default)]
    pub frozen: bool,
    /// Sealed (封存) after going unused; only the system administrator reopens it.
    pub sealed: bool,
    /// False until the person has used their setup link.
    pub has_password: bool,
    /// In the school's time zone.
    pub last_sign_in_at: Option<String>,
}

/// The console: every account, and the setup link just issued, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountConsole {
    pub accounts: Vec<AccountSummary>,
    /// The search the administrator is looking at, if any (kept in their session).
    pub query: Option<String>,
    pub new_link: Option<IssuedLink>,
    /// Setup links waiting for an activation code the administrator may hand over (a
    /// privileged reset's, whose link its approver received).
    #[serde(default)]
    pub activations: Vec<PendingActivationView>,
    #[serde(default)]
    pub new_code: Option<IssuedCode>,
}

/// A one-time setup link for a person, to hand over to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLink {
    pub username: String,
    pub link: String,
}

/// A pending request to grant a privileged role, as the leading group reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequestView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: crate::domain::Role,
    /// "grant", "revoke" or "reset" (the holder's password).
    pub kind: String,
    pub proposed_by_name: String,
    /// In the school's time zone.
    pub proposed_at: String,
}

/// The review page: pending requests, and the setup link of a reset its viewer just approved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrantsView {
    pub requests: Vec<GrantRequestView>,
    pub new_link: Option<IssuedLink>,
    /// Setup links waiting for the activation code the viewer may hand over.
    #[serde(default)]
    pub activations: Vec<PendingActivationView>,
    /// The code the viewer was just shown (once).
    #[serde(default)]
    pub new_code: Option<IssuedCode>,
}

/// A setup link waiting for its activation code, as a second person sees it: whose, who
/// received the link and when. Never the link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingActivationView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub issued_by: String,
    pub issued_at: String,
}

/// An activation code just made, for its second person's eyes once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub username: String,
    pub code: String,
}

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

crate::states! {
    /// Where a record is in its review.
    pub enum RecordStatus {
        Draft = "draft",
        Submitted = "submitted",
        Verified = "verified",
        Returned = "returned",
    }
}

impl RecordStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            RecordStatus::Draft => "status.draft",
            RecordStatus::Submitted => "status.submitted",
            RecordStatus::Verified => "status.verified",
            RecordStatus::Returned => "status.returned",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolYearSummary {
    pub id: i64,
    pub name: String,
}

/// A class, named by its opaque id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: String,
    pub school_year: String,
    pub grade: i64,
    pub name: String,
    pub homeroom_teacher: Option<String>,
    pub homeroom_teacher_id: Option<i64>,
    /// Why the teacher's account cannot act now (`frozen`, `disabled`, `no_role`).
    #[serde(default)]
    pub homeroom_teacher_state: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherOption {
    pub id: i64,
    pub display_name: String,
    pub username: String,
}

/// The records administrator's page of school years, classes and homeroom teachers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolStructure {
    pub years: Vec<SchoolYearSummary>,
    pub classes: Vec<ClassSummary>,
    pub teachers: Vec<TeacherOption>,
    /// The newest school year, which a rollover moves on from.
    pub latest_year: Option<SchoolYearSummary>,
    /// The opaque ids of its classes that have not moved on yet.
    pub to_promote: Vec<String>,
}

/// One class in a rollover: where it goes (`None`: it graduates), with whom, how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassMove {
    pub from_grade: i64,
    pub name: String,
    pub to_grade: Option<i64>,
    /// The homeroom teacher it will have, "name (username)".
    pub teacher: Option<String>,
    pub students: u64,
}

/// What a rollover would do, shown before it is confirmed, with the plan it was asked
/// (which the confirmation posts again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolloverPreview {
    pub from_year: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub final_grade: i64,
    /// The form's choices of teacher: ("class-<id>", teacher id or "").
    pub teachers: Vec<(String, String)>,
    pub moves: Vec<ClassMove>,
    pub classes: u64,
    pub promoted: u64,
    pub graduated: u64,
    /// Grades the new year starts without a class (the new 一年级 among them).
    pub grades_without_class: Vec<i64>,
    /// Classes whose teacher's account cannot go on with them (disabled, frozen, or no longer
    /// a homeroom teacher): they move up without one, to be assigned later.
    pub blocked: Vec<BlockedTeacher>,
}

/// A class a rollover moves up without its teacher, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedTeacher {
    pub grade: i64,
    pub class: String,
    /// "王芳 (t0007)".
    pub teacher: String,
    /// `frozen`, `disabled` or `no_role`.
    pub state: String,
}

/// A class with how far its records are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassProgress {
    pub class: ClassSummary,
    /// Whether the viewer may open the class's roster.
    pub can_open: bool,
    pub students: i64,
    pub draft: i64,
    pub submitted: i64,
    pub verified: i64,
    pub returned: i64,
    /// Records without a 学籍号 or with fewer than two family members.
    pub incomplete: i64,
}

/// A submitted record waiting for a records administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub student_id: String,
    pub name: String,
    pub class: ClassSummary,
    pub submitted_at: String,
}

/// A record in the verification queue, with what the records administrator should know
/// before opening it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub student_id: String,
    pub name: String,
    pub class: ClassSummary,
    pub submitted_at: String,
    /// Never reviewed before (every field is new to the reviewer).
    pub first: bool,
    /// The fields changed since the last review (verification or return).
    pub changed: Vec<String>,
    /// What the portal found: "clash" (a number another record holds), "student_number",
    /// "family" (incomplete). A record without findings may be verified in a batch.
    pub findings: Vec<String>,
}

/// A page of the verification queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: i64,
    pub page: usize,
    pub per_page: usize,
    /// The class the queue is filtered to (its opaque id).
    pub class: Option<String>,
    /// Every class with records waiting, and how many.
    pub classes: Vec<(ClassSummary, i64)>,
}

/// Where a record under review stands in the queue: the ones before and after it, its
/// place (from 1) and the queue's length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePlace {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub position: i64,
    pub total: i64,
}

/// The records start page: a teacher's own classes, or every class and the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsHome {
    pub classes: Vec<ClassProgress>,
    /// The queue's first few records, and how many wait in all.
    pub queue: Vec<QueueEntry>,
    pub queue_total: i64,
    pub reviewer: bool,
    pub manages_structure: bool,
    /// Leaders and the leading group: numbers only, no student and no link to one.
    pub aggregate_only: bool,
    /// Whether the list holds every class (or only the viewer's own).
    pub all_classes: bool,
    /// The viewer's unread notices (records administrators: someone went past the hourly
    /// budget of number searches).
    pub notices: Vec<NoticeView>,
}

/// A notice to its recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub kind: String,
    /// Whom it is about (a display name).
    pub subject: String,
    pub at: String,
    /// The audit entry it points to.
    pub audit_seq: i64,
}

/// One student in a class roster; classified values masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub status: RecordStatus,
    pub id_number: String,
    pub top_secret: bool,
    /// What makes the record incomplete (empty when it is not): `student_number`, `family`.
    pub missing: Vec<String>,
    /// Why a records administrator returned it, while it is returned.
    pub return_reason: Option<String>,
    /// Whether its 学籍号 is still to come from the national system (a new student's: not
    /// incomplete for that).
    #[serde(default)]
    pub awaiting_number: bool,
}

/// Which of a class's records a roster lists (`?state=` on the roster's address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterFilter {
    All,
    Status(RecordStatus),
    Incomplete,
}

impl RosterFilter {
    pub const ALL: [RosterFilter; 6] = [
        RosterFilter::All,
        RosterFilter::Status(RecordStatus::Draft),
        RosterFilter::Status(RecordStatus::Submitted),
        RosterFilter::Status(RecordStatus::Returned),
        RosterFilter::Status(RecordStatus::Verified),
        RosterFilter::Incomplete,
    ];

    /// An unknown or absent state lists everyone.
    pub fn parse(code: Option<&str>) -> RosterFilter {
        match code {
            Some("incomplete") => RosterFilter::Incomplete,
            Some(code) => RecordStatus::parse(code).map_or(RosterFilter::All, RosterFilter::Status),
            None => RosterFilter::All,
        }
    }

    pub fn code(self) -> Option<&'static str> {
        match self {
            RosterFilter::All => None,
            RosterFilter::Status(s) => Some(s.code()),
            RosterFilter::Incomplete => Some("incomplete"),
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            RosterFilter::All => "records.filter_all",
            RosterFilter::Status(s) => s.label_key(),
            RosterFilter::Incomplete => "records.incomplete",
        }
    }

    pub fn admits(self, row: &RosterRow) -> bool {
        match self {
            RosterFilter::All => true,
            RosterFilter::Status(s) => row.status == s,
            RosterFilter::Incomplete => !row.missing.is_empty(),
        }
    }

    /// The roster of class `class_id` with this filter.
    pub fn href(self, class_id: &str) -> String {
        match self.code() {
            Some(code) => format!("/records/classes/{class_id}?state={code}"),
            None => format!("/records/classes/{class_id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub class: ClassSummary,
    pub students: Vec<RosterRow>,
    pub can_edit: bool,
    /// For the class's teacher: rows an import left incomplete, for them to complete.
    pub imported: Vec<ImportedDraft>,
}

/// A draft an import left for the teacher to complete, as the roster lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedDraft {
    /// The draft's own id (the form's address carries it).
    pub id: String,
    /// The name the row gave.
    pub name: String,
    /// How many fields are missing or to correct.
    pub problems: usize,
    /// The day it is deleted unless it is touched.
    pub expires_on: String,
}

/// The student form as its teacher sees it: what they are typing (a draft) or the saved
/// record with every classified field empty and its masked value beside it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentFormView {
    pub class: ClassSummary,
    pub student_id: Option<String>,
    /// The draft an import left, when the form completes one.
    pub draft_id: Option<String>,
    pub input: crate::domain::records::RecordInput,
    /// (field, masked stored value) of the classified fields of a saved record.
    pub masked: Vec<(String, String)>,
    /// (field, value) of the one classified value the teacher just asked to see (audited).
    pub revealed: Option<(String, String)>,
    pub errors: Vec<crate::errors::FieldError>,
    pub from_draft: bool,
    pub status: Option<RecordStatus>,
    pub return_reason: Option<String>,
    pub top_secret: bool,
    /// When the form was opened, in the school's time zone (the date rules need "today").
    pub today: String,
}

/// A field as a reviewer sees it: its label key and a displayable value (masked when
/// classified), and whether it can be unmasked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownField {
    pub field: String,
    pub label: String,
    pub value: String,
    pub classified: bool,
    pub unmaskable: bool,
    pub revealed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentReview {
    pub id: String,
    pub name: String,
    pub class: ClassSummary,
    pub status: RecordStatus,
    pub top_secret: bool,
    pub return_reason: Option<String>,
    /// Why the student left ("graduated", "other"), once they have: no more steps.
    pub left: Option<String>,
    /// Who may undo a marking as left: `Some(true)` the viewer (another records
    /// administrator than the one who marked), `Some(false)` another (the viewer marked it),
    /// `None` nobody (enrolled, graduated).
    pub left_undo: Option<bool>,
    /// The fields changed since the last review (verification or return).
    pub changed: Vec<String>,
    pub first_review: bool,
    /// Its place in the verification queue, while it is submitted.
    pub queue: Option<QueuePlace>,
    pub fields: Vec<ShownField>,
    pub guardians: Vec<Vec<ShownField>>,
    /// Other records with the same identity number or 学籍号: verification waits until the
    /// records administrator has resolved each (by returning the wrong record).
    pub clashes: Vec<NumberClash>,
}

/// Another record that holds the same number as the one under review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberClash {
    /// "id_number" or "student_number".
    pub field: String,
    /// The other record (its opaque id, name and class), or None when it is 绝密: a 绝密
    /// record is never named by its number.
    pub other: Option<(String, String, ClassSummary)>,
}

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

/// One line of a person's to-do list: what waits for them, how many, since when the oldest
/// has, and where the first (the oldest) is taken up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoItem {
    /// What waits: the catalogue's `todo.<what>` says it, with its count.
    pub what: String,
    pub count: i64,
    /// Since when the oldest has waited, as the school reads it.
    pub since: Option<String>,
    /// The first to take up (the oldest), or the list of them.
    pub href: String,
}
