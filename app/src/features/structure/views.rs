//! What the structure feature's server functions answer: one object per view, holding only
//! what its viewer may see.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolYearSummary {
    pub id: i64,
    pub name: String,
    /// The day its spring term begins, as the school set it (YYYY-MM-DD); none: 1 February.
    #[serde(default)]
    pub spring_term_starts_on: Option<String>,
}

/// A class as other features name it: its year, grade and name (which pages say in words,
/// `label`); never who teaches it, nor its id (a page that picks a class carries the id
/// beside it, where the reader may act on it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRef {
    pub school_year: String,
    pub grade: i64,
    pub name: String,
}

impl ClassRef {
    /// The class as a reader names it: "2026-2027 二年级 1班".
    pub fn label(&self, locale: crate::i18n::Locale) -> String {
        format!(
            "{} {} {}",
            self.school_year,
            crate::tr!(locale, &format!("grade.{}", self.grade)),
            self.name
        )
    }
}

impl From<&ClassSummary> for ClassRef {
    fn from(class: &ClassSummary) -> Self {
        ClassRef {
            school_year: class.school_year.clone(),
            grade: class.grade,
            name: class.name.clone(),
        }
    }
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
    /// Suspended students it leaves in their class.
    #[serde(default)]
    pub stayed: u64,
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
