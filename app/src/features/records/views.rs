//! What the records feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use crate::features::notices::views::NoticeView;
use crate::features::structure::views::ClassSummary;
use serde::{Deserialize, Serialize};

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

/// A class with how far its records are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassProgress {
    pub class: ClassSummary,
    /// Whether the viewer may open the class's roster.
    pub can_open: bool,
    /// Enrolled and at school: a suspended student is in no class's count.
    pub students: i64,
    /// Suspended (休学) from this class.
    #[serde(default)]
    pub suspended: i64,
    pub draft: i64,
    pub submitted: i64,
    pub verified: i64,
    pub returned: i64,
    /// Records without a 学籍号 or with fewer than two family members.
    pub incomplete: i64,
    /// This term's approved changes of status (`domain::calendar::term_start`): transfers
    /// out, other leavings; and the applications waiting for a leader.
    #[serde(default)]
    pub transferred_out: i64,
    /// Registered this term by an approved 转入.
    #[serde(default)]
    pub transferred_in: i64,
    #[serde(default)]
    pub left_otherwise: i64,
    #[serde(default)]
    pub changes_waiting: i64,
}

/// One grade's figures of a school year: the sum of its classes' (the overview's subtotal row,
/// a leader's home).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GradeTotal {
    pub school_year: String,
    pub grade: i64,
    pub classes: usize,
    pub students: i64,
    pub suspended: i64,
    pub draft: i64,
    pub submitted: i64,
    pub verified: i64,
    pub returned: i64,
    pub incomplete: i64,
    pub transferred_out: i64,
    pub transferred_in: i64,
    pub left_otherwise: i64,
    pub changes_waiting: i64,
}

/// `classes`' figures summed per school year and grade, in the order the grades first come.
pub fn grade_totals(classes: &[ClassProgress]) -> Vec<GradeTotal> {
    let mut totals: Vec<GradeTotal> = Vec::new();
    for p in classes {
        let at = match totals
            .iter()
            .position(|t| t.school_year == p.class.school_year && t.grade == p.class.grade)
        {
            Some(at) => at,
            None => {
                totals.push(GradeTotal {
                    school_year: p.class.school_year.clone(),
                    grade: p.class.grade,
                    ..GradeTotal::default()
                });
                totals.len() - 1
            }
        };
        let t = &mut totals[at];
        t.classes += 1;
        t.students += p.students;
        t.suspended += p.suspended;
        t.draft += p.draft;
        t.submitted += p.submitted;
        t.verified += p.verified;
        t.returned += p.returned;
        t.incomplete += p.incomplete;
        t.transferred_out += p.transferred_out;
        t.transferred_in += p.transferred_in;
        t.left_otherwise += p.left_otherwise;
        t.changes_waiting += p.changes_waiting;
    }
    totals
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
    /// Whether the figures of changes of status are the viewer's to see (records
    /// administrators, leaders): otherwise they are zero and not shown.
    #[serde(default)]
    pub shows_changes: bool,
    /// Whether the list holds every class (or only the viewer's own).
    pub all_classes: bool,
    /// The viewer's unread notices (records administrators: someone went past the hourly
    /// budget of number searches).
    pub notices: Vec<NoticeView>,
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
    /// Suspended (休学): listed with their class, counted in none.
    #[serde(default)]
    pub suspended: bool,
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
            // A suspended student is in no count, so in no filter that a count links to.
            RosterFilter::Status(s) => row.status == s && !row.suspended,
            RosterFilter::Incomplete => !row.missing.is_empty() && !row.suspended,
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
    /// `None` nobody (enrolled, graduated, left by an approved change of status).
    pub left_undo: Option<bool>,
    /// The change of status waiting for a decision on this student (its opaque id): while
    /// there is one, no other is filed.
    #[serde(default)]
    pub pending_change: Option<String>,
    /// The day their suspension (休学) took effect, while they are suspended.
    #[serde(default)]
    pub suspended_since: Option<String>,
    /// The fields changed since the last review (verification or return).
    pub changed: Vec<String>,
    pub first_review: bool,
    /// A record never verified and registered by no 转入: a 转入 may be filed for it.
    #[serde(default)]
    pub new_entry: bool,
    /// The approved 转入 that registered the student: the school they came from, the day.
    #[serde(default)]
    pub transferred_in: Option<(String, String)>,
    /// Whether the viewer may file a 关键数据变更 here (a verified record, at school, with no
    /// application waiting; a records administrator).
    #[serde(default)]
    pub key_data_open: bool,
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

/// A 关键数据变更 as typed, kept when it is refused: its reason and the key fields (no
/// `Debug`: typed values are never logged).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyDataKept {
    pub reason: String,
    pub record: crate::domain::records::RecordInput,
}
