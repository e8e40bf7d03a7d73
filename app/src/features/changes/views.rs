//! What the change-of-status pages show: the student by name and class, kinds, reasons and
//! states by code, people by name; never a classified value.

use serde::{Deserialize, Serialize};

use crate::{features::structure::views::ClassRef, kit::workflow::Queues};

crate::states! {
    /// Where an application stands.
    pub enum ChangeState {
        Filed = "filed",
        Approved = "approved",
        Returned = "returned",
        Withdrawn = "withdrawn",
    }
}

crate::states! {
    /// The kinds of 学籍异动 the national system knows (NATIONAL.md).
    pub enum ChangeKind {
        TransferOut = "transfer_out",
        TransferIn = "transfer_in",
        Suspend = "suspend",
        Resume = "resume",
        DropOut = "drop_out",
        Death = "death",
        Abroad = "abroad",
        OtherLeave = "other_leave",
        RepeatGrade = "repeat_grade",
        SkipGrade = "skip_grade",
        /// 关键数据变更: a verified record's key data (NATIONAL.md), filed from the
        /// student's page rather than the changes' form.
        KeyData = "key_data",
        /// 删除重复学籍: a record that duplicates another (a 问题学籍 resolved by 删除): it
        /// leaves as one who left for another reason does, its archive kept and its
        /// application visible to leaders.
        Duplicate = "duplicate",
    }
}

impl ChangeKind {
    /// The kinds a records administrator files on a student's page, in the form's order
    /// (a 关键数据变更 is filed from the record's own form).
    pub const FILED: &'static [ChangeKind] = &[
        ChangeKind::TransferIn,
        ChangeKind::TransferOut,
        ChangeKind::Suspend,
        ChangeKind::Resume,
        ChangeKind::RepeatGrade,
        ChangeKind::SkipGrade,
        ChangeKind::DropOut,
        ChangeKind::Death,
        ChangeKind::Abroad,
        ChangeKind::OtherLeave,
        ChangeKind::Duplicate,
    ];

    /// Whether this kind may be filed for a student who is, or is not, `suspended`, and
    /// whose record is, or is not, a `new_entry` (never verified, no 转入 approved): a
    /// 转入 registers a new entry that came from another school; a suspended student
    /// resumes, is suspended further, or leaves; one at school is suspended, moves a grade,
    /// or leaves.
    pub fn fits(self, suspended: bool, new_entry: bool) -> bool {
        match self {
            ChangeKind::TransferIn => new_entry && !suspended,
            ChangeKind::Resume => suspended,
            ChangeKind::RepeatGrade | ChangeKind::SkipGrade => !suspended,
            ChangeKind::KeyData => false,
            _ => true,
        }
    }

    /// The reasons an application of this kind may give, by code (`change.reason_<code>`).
    pub fn reasons(self) -> &'static [&'static str] {
        match self {
            ChangeKind::TransferOut | ChangeKind::TransferIn => {
                &["family_moved", "school_choice", "other"]
            }
            ChangeKind::DropOut => &["hardship", "illness", "disinterest", "other"],
            ChangeKind::Death => &["illness", "accident", "other"],
            ChangeKind::Abroad => &["study_abroad", "with_family", "other"],
            ChangeKind::Suspend => &["illness", "family_reasons", "other"],
            ChangeKind::Resume => &["recovered", "family_reasons", "other"],
            ChangeKind::RepeatGrade => &["academic", "illness", "parents_request", "other"],
            ChangeKind::SkipGrade => &["academic", "other"],
            ChangeKind::Duplicate => &["number_shared", "look_alike", "national_feedback", "other"],
            ChangeKind::KeyData => &[
                "registration_error",
                "police_correction",
                "name_changed",
                "other",
            ],
            _ => &["other"],
        }
    }

    /// Whether the change names the other school (a transfer's).
    pub fn names_a_school(self) -> bool {
        matches!(self, ChangeKind::TransferOut | ChangeKind::TransferIn)
    }

    /// What the approval does to the student.
    pub fn effect(self) -> Effect {
        match self {
            ChangeKind::TransferOut => Effect::Leave("transferred"),
            ChangeKind::DropOut
            | ChangeKind::Death
            | ChangeKind::Abroad
            | ChangeKind::OtherLeave
            | ChangeKind::Duplicate => Effect::Leave("other"),
            ChangeKind::Suspend => Effect::Suspend,
            ChangeKind::Resume => Effect::Move { grades: None },
            ChangeKind::RepeatGrade => Effect::Move { grades: Some(-1) },
            ChangeKind::SkipGrade => Effect::Move { grades: Some(1) },
            ChangeKind::KeyData => Effect::KeyData,
            ChangeKind::TransferIn => Effect::Arrive,
        }
    }

    /// Whether its approver picks the class the student goes to (复学, 留级, 跳级).
    pub fn moves_class(self) -> bool {
        matches!(self.effect(), Effect::Move { .. })
    }
}

/// What an approved change does to the student.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// They leave the school, the record saying how (`transferred` or `other`).
    Leave(&'static str),
    /// They are suspended from the effective day: in no class's count, left where they are
    /// by the rollover.
    Suspend,
    /// They go to a class of the current school year that the approver picks: for a
    /// resumption (`grades` none), of the grade they were suspended from up to that grade
    /// plus the school years begun since (they may resume where they left, or where their
    /// class has moved on to); otherwise `grades` from their own (留级 one down, so that the
    /// next year repeats it; 跳级 one up). A resumption ends the suspension.
    Move { grades: Option<i64> },
    /// The student's record is registered as come from the other school: from then on it
    /// may be verified (a record whose 转入 waits is not), and the records overview counts
    /// them transferred in this school year.
    Arrive,
    /// The record's key data takes the application's values (the records feature writes
    /// them, with a revision, as `kit::workflow::Effects::key_data`).
    KeyData,
}

/// One application in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSummary {
    pub id: String,
    /// The pupil's name; empty for a 绝密 pupil shown to a leader (`student_hidden`).
    pub student: String,
    #[serde(default)]
    pub student_hidden: bool,
    pub class: ClassRef,
    pub kind: ChangeKind,
    pub effective_on: String,
    pub filed_at: String,
    pub state: ChangeState,
    /// An outcome this viewer has not seen yet.
    pub changed: bool,
    /// While it waits: the last working day of its 10 (NATIONAL.md), and whether that has
    /// passed.
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub overdue: bool,
}

/// The changes page: one's own applications, and for leaders those waiting for their
/// decision and the latest decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesHome {
    #[serde(flatten)]
    pub queues: Queues<ChangeSummary>,
    /// For a records administrator: students suspended for a year or more, for whom a
    /// 复学 or a further 休学 is due.
    #[serde(default)]
    pub long_suspended: Vec<SuspendedStudent>,
}

/// A student suspended long enough to be reminded of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedStudent {
    /// Their record's opaque id.
    pub id: String,
    pub name: String,
    pub class: ClassRef,
    pub since: String,
}

/// One application: the printable 异动审批表.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: String,
    /// The pupil's name; empty for a 绝密 pupil shown to a leader (`student_hidden`).
    pub student: String,
    #[serde(default)]
    pub student_hidden: bool,
    /// The student's page, for a records administrator (a leader reads the form only).
    pub student_id: Option<String>,
    pub class: ClassRef,
    pub kind: ChangeKind,
    pub reason: String,
    pub effective_on: String,
    pub other_school: String,
    pub other_school_code: String,
    pub state: ChangeState,
    pub filer: String,
    pub filed_at: String,
    pub decider: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
    /// While it waits: the last working day of its 10, and whether that has passed.
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    /// The class the approver picked for a student who moves (复学, 留级, 跳级).
    #[serde(default)]
    pub to_class: Option<ClassRef>,
    /// While it waits, where the student is now, when that is not the class it was filed
    /// from (a rollover or another change moved them), and whether they are suspended.
    #[serde(default)]
    pub student_now: Option<ClassRef>,
    #[serde(default)]
    pub suspended_now: bool,
    /// For its decider, the classes it may send the student to (opaque id, class).
    #[serde(default)]
    pub class_choices: Vec<(String, ClassRef)>,
    pub history: Vec<crate::kit::workflow::HistoryEntry>,
    /// Its proofs (佐证材料), each opened at `/changes/<id>/proofs/<proof>`.
    #[serde(default)]
    pub proofs: Vec<ProofView>,
    pub can_decide: bool,
    pub can_withdraw: bool,
    /// Its filer adds proof while it waits.
    #[serde(default)]
    pub can_add_proof: bool,
    /// A 关键数据变更's fields: what each holds now and what the application asks for
    /// (classified values masked; nothing for a 绝密 pupil shown to a leader).
    #[serde(default)]
    pub key_changes: Vec<KeyChange>,
}

/// One field of a 关键数据变更.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyChange {
    /// The field's key (`name`, `id_number`, …).
    pub field: String,
    /// Its value when the application was decided or, while it waits, now.
    pub before: String,
    pub after: String,
}

/// A proof as the form lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofView {
    pub id: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    pub size: i64,
    pub uploaded_at: String,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeInput {
    pub student_id: String,
    pub kind: String,
    pub reason: String,
    pub effective_on: String,
    pub other_school: String,
    pub other_school_code: String,
}
