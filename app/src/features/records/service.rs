//! Student records: a homeroom teacher collects them, a records administrator verifies or
//! returns them. Classified values are sealed before they reach the database and masked
//! before they reach a page; every change is an audit entry naming the fields changed, with
//! old and new values in the encrypted revision table.

use chrono::{DateTime, Utc};

use crate::{
    domain::{
        Actor, Role,
        records::{
            Classification, GUARDIAN_SLOTS, Guardian, GuardianInput, KEY_FIELDS, Record,
            RecordInput, StudentInput, StudentSecrets, codes,
            fields::{self, Kind},
            masked,
        },
    },
    errors::{AppError, FieldError},
    features::records::views::{
        ClassProgress, NumberClash, QueueEntry, QueuePage, QueuePlace, QueueRow, RecordStatus,
        RecordsHome, Roster, RosterRow, ShownField, StudentFormView, StudentReview,
    },
    features::structure::views::ClassSummary,
    features::{records::store as repo, structure::store as structure},
    i18n::{Locale, translate},
    kit::context::Context,
    kit::{
        audit::chain::{self as audit, AuditKey, NewEntry},
        sealing::DataKeys,
        workflow,
    },
};

/// The resource an action on the class `public_id` is about (Nothing when no such class):
/// the class as it finds itself for the check.
pub async fn class_resource(
    conn: &mut crate::db::Conn,
    public_id: &str,
) -> Result<crate::domain::access::Resource, AppError> {
    Ok(
        <structure::ClassRow as crate::authz::Stored>::find(conn, public_id)
            .await?
            .0,
    )
}

/// The resource an action on the student `public_id` is about at `now` (Nothing when no
/// such student, or when their record is archived: `kit::retention::archived`; only an
/// approved information request releases it then).
pub async fn student_resource(
    conn: &mut crate::db::Conn,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<crate::domain::access::Resource, AppError> {
    // An opaque id is 32 characters: a longer one names nobody, and is not looked up.
    if public_id.len() > 64 {
        return Ok(crate::domain::access::Resource::Nothing);
    }
    Ok(match repo::student_scope(conn, public_id).await? {
        Some(s) if crate::kit::retention::archived(s.left_since, now) => {
            crate::domain::access::Resource::Nothing
        }
        Some(s) => crate::domain::access::Resource::Student {
            id: s.id,
            homeroom_teacher: s.homeroom_teacher_id,
        },
        None => crate::domain::access::Resource::Nothing,
    })
}

/// The resource a student's disclosure register is: the student, destroyed or not (who saw
/// their data is accounted for after the data is gone).
pub async fn register_resource(
    conn: &mut crate::db::Conn,
    public_id: &str,
) -> Result<crate::domain::access::Resource, AppError> {
    Ok(match repo::student_scope_kept(conn, public_id).await? {
        Some((s, _)) => crate::domain::access::Resource::Student {
            id: s.id,
            homeroom_teacher: s.homeroom_teacher_id,
        },
        None => crate::domain::access::Resource::Nothing,
    })
}

impl From<structure::ClassRow> for ClassSummary {
    fn from(c: structure::ClassRow) -> Self {
        ClassSummary {
            id: c.public_id,
            school_year: c.school_year,
            grade: c.grade,
            name: c.name,
            homeroom_teacher: c.homeroom_teacher,
            homeroom_teacher_id: c.homeroom_teacher_id,
            // Said only where teachers are assigned (the structure's own summaries).
            homeroom_teacher_state: None,
        }
    }
}

fn status(code: &str) -> Result<RecordStatus, AppError> {
    RecordStatus::parse(code).ok_or_else(|| AppError::internal("unknown record status"))
}

fn student_binding(public_id: &str) -> String {
    format!("student:{public_id}")
}

fn guardian_binding(public_id: &str) -> String {
    format!("guardian:{public_id}")
}

fn draft_binding(owner: i64, target: &str) -> String {
    format!("draft:{owner}:{target}")
}

/// A student's name and class, for a page that names them to someone who may see them (the
/// caller checked that, in `conn`'s transaction).
pub async fn name_and_class(
    conn: &mut crate::db::Conn,
    public_id: &str,
) -> Result<(String, ClassSummary), AppError> {
    let (scope, row) = find_student(&mut *conn, public_id).await?;
    let class = structure::class_by_public_id(&mut *conn, &scope.class_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((row.details.name, class.into()))
}

/// The student with the opaque id `public_id`: where they belong and their stored row.
pub(crate) async fn find_student(
    conn: &mut crate::db::Conn,
    public_id: &str,
) -> Result<(repo::StudentScope, repo::StudentRow), AppError> {
    let scope = repo::student_scope(&mut *conn, public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let row = repo::student(conn, scope.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((scope, row))
}

/// A saved record, opened.
pub(crate) async fn load_record(
    conn: &mut crate::db::Conn,
    keys: &DataKeys,
    row: &repo::StudentRow,
) -> Result<Record, AppError> {
    let secrets: StudentSecrets = keys.open_json(&student_binding(&row.public_id), &row.sealed)?;
    let mut guardians = Vec::new();
    for g in repo::guardians(conn, row.id).await? {
        guardians.push(Guardian {
            details: g.details,
            secrets: keys.open_json(&guardian_binding(&row.public_id), &g.sealed)?,
        });
    }
    Ok(Record {
        details: row.details.clone(),
        secrets,
        guardians,
    })
}

/// Saved records, opened, in the order of `ids` (those not there are left out): two queries
/// however many, for the pages that show many at once.
pub(crate) async fn load_records(
    conn: &mut crate::db::Conn,
    keys: &DataKeys,
    ids: &[i64],
) -> Result<Vec<(repo::StudentRow, Record)>, AppError> {
    let mut rows: std::collections::HashMap<i64, repo::StudentRow> =
        repo::students_by_ids(&mut *conn, ids)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let mut members: std::collections::HashMap<i64, Vec<Guardian>> =
        std::collections::HashMap::new();
    let publics: std::collections::HashMap<i64, String> =
        rows.values().map(|r| (r.id, r.public_id.clone())).collect();
    for (student, g) in repo::guardians_of_students(&mut *conn, ids).await? {
        let public_id = publics
            .get(&student)
            .ok_or_else(|| AppError::internal("a family member without its student"))?;
        members.entry(student).or_default().push(Guardian {
            details: g.details,
            secrets: keys.open_json(&guardian_binding(public_id), &g.sealed)?,
        });
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(row) = rows.remove(id) else { continue };
        let secrets: StudentSecrets =
            keys.open_json(&student_binding(&row.public_id), &row.sealed)?;
        let record = Record {
            details: row.details.clone(),
            secrets,
            guardians: members.remove(id).unwrap_or_default(),
        };
        out.push((row, record));
    }
    Ok(out)
}

/// How many of the queue the start page shows (the queue page has them all).
const HOME_QUEUE: i64 = 10;
/// A page of the queue page.
pub const QUEUE_PAGE: i64 = 50;

/// The records start page for `actor`: their own classes, or every class and the review
/// queue for a records administrator.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<RecordsHome, AppError> {
    let mut conn = cx.pool.acquire().await?;
    let reviewer = actor.has(Role::RecordsAdmin);
    // Leaders and the leading group see every class's numbers; only the classes one may open
    // (all for a records administrator, one's own for a homeroom teacher) link to students.
    let teacher = actor.has(Role::HomeroomTeacher);
    let sees_all = reviewer || actor.has(Role::Leader) || actor.has(Role::LeadingGroup);
    let aggregate_only = !reviewer && !teacher;
    let counts = repo::status_counts(&mut conn, &number_due(cx)).await?;
    // The changes of status are for those who see them (records administrators, leaders).
    let sees_changes = crate::domain::access::permits(
        Some(actor),
        crate::domain::access::Action::ViewStatusChanges,
        crate::domain::access::Resource::Nothing,
    );
    let year = structure::latest_school_year_terms(&mut conn).await?;
    let changes = match &year {
        // This term's: from the spring term's first day once it has come.
        Some((_, starts, ends, spring)) if sees_changes => {
            let term_from =
                crate::domain::calendar::term_start((*starts, *ends), *spring, cx.today());
            crate::features::changes::store::per_class(&mut conn, term_from).await?
        }
        _ => Vec::new(),
    };
    // The current year's classes, and an earlier year's only while students are still in
    // it: after a rollover the old year's emptied classes leave the overview.
    let current = year.map(|(name, ..)| name);
    let all_classes: Vec<_> = structure::classes(&mut conn)
        .await?
        .into_iter()
        .filter(|c| {
            Some(&c.school_year) == current.as_ref()
                || counts
                    .iter()
                    .any(|(class, _, n, _, suspended)| *class == c.id && n + suspended > 0)
        })
        .collect();
    let summaries: std::collections::HashMap<i64, ClassSummary> = all_classes
        .iter()
        .map(|c| (c.id, ClassSummary::from(c.clone())))
        .collect();
    let classes = all_classes
        .iter()
        .filter(|c| sees_all || c.homeroom_teacher_id == Some(actor.id))
        .map(|c| {
            let mut p = ClassProgress {
                can_open: reviewer || (teacher && c.homeroom_teacher_id == Some(actor.id)),
                class: summaries[&c.id].clone(),
                students: 0,
                suspended: 0,
                draft: 0,
                submitted: 0,
                verified: 0,
                returned: 0,
                incomplete: 0,
                transferred_out: 0,
                transferred_in: 0,
                left_otherwise: 0,
                changes_waiting: 0,
            };
            for (_, out, came, left, waiting) in changes.iter().filter(|(class, ..)| *class == c.id)
            {
                p.transferred_out += out;
                p.transferred_in += came;
                p.left_otherwise += left;
                p.changes_waiting += waiting;
            }
            for (_, status, n, incomplete, suspended) in
                counts.iter().filter(|(class, ..)| *class == c.id)
            {
                p.students += n;
                // Who may not see changes of status is not told how many are suspended.
                if sees_changes {
                    p.suspended += suspended;
                }
                p.incomplete += incomplete;
                match status.as_str() {
                    "draft" => p.draft += n,
                    "submitted" => p.submitted += n,
                    "verified" => p.verified += n,
                    "returned" => p.returned += n,
                    _ => {}
                }
            }
            p
        })
        .collect();
    let queue_total = if reviewer {
        repo::queue_length(&mut conn).await?
    } else {
        0
    };
    let queue = if reviewer {
        repo::review_queue(&mut conn, HOME_QUEUE, 0)
            .await?
            .into_iter()
            .filter_map(|(_, student_id, name, class_id, submitted_at)| {
                Some(QueueEntry {
                    student_id,
                    name,
                    class: summaries.get(&class_id)?.clone(),
                    submitted_at: cx.local(submitted_at),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let notices =
        crate::features::notices::service::unread(&mut conn, actor.id, cx.timezone).await?;
    Ok(RecordsHome {
        shows_changes: sees_changes,
        notices,
        classes,
        queue,
        queue_total,
        reviewer,
        manages_structure: reviewer,
        aggregate_only,
        all_classes: sees_all,
    })
}

pub async fn roster(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    class: &structure::ClassRow,
    draft_days: u32,
) -> Result<Roster, AppError> {
    let can_edit = class.homeroom_teacher_id == Some(actor.id) && actor.has(Role::HomeroomTeacher);
    let rows = repo::roster_of_class(&mut *conn, class.id, &number_due(cx)).await?;
    let mut students = Vec::with_capacity(rows.len());
    for row in rows {
        let status = status(&row.status)?;
        students.push(RosterRow {
            id_number: id_number_masked(row.top_secret)?,
            top_secret: row.top_secret,
            missing: [
                (row.lacks_number, "student_number"),
                (row.lacks_family, "family"),
            ]
            .into_iter()
            .filter(|(missing, _)| *missing)
            .map(|(_, what)| what.to_owned())
            .collect(),
            return_reason: row
                .return_reason
                .filter(|_| status == RecordStatus::Returned),
            awaiting_number: row.awaits_number && !row.lacks_number,
            suspended: row.suspended,
            birth_date: row.birth_date.to_string(),
            status,
            id: row.public_id,
            name: row.name,
            sex: row.sex,
        });
    }
    // As a Chinese class list is read: by the pinyin of the names.
    students.sort_by_cached_key(|s| crate::kit::names::sort_key(&s.name));
    let imported = if can_edit {
        imported_drafts(&mut *conn, cx, actor, &class.public_id, draft_days).await?
    } else {
        Vec::new()
    };
    Ok(Roster {
        class: class.clone().into(),
        students,
        can_edit,
        imported,
    })
}

/// A listed record's identity number, masked: every record has one (the form requires it)
/// and its mask shows none of it, so a list shows the mask without opening the sealed values
/// (a roster's 45 decryptions were a tenth of its time). Should the number's mask ever keep a
/// tail, this fails loudly rather than show a wrong one.
pub(crate) fn id_number_masked(top_secret: bool) -> Result<String, AppError> {
    crate::domain::records::masked_present("id_number", top_secret)
        .map(str::to_owned)
        .ok_or_else(|| AppError::internal("the identity number's mask needs its value"))
}

/// How long the national system may take to issue a new student's 学籍号: a record is not
/// incomplete for lacking one until this many months after its enrolment month.
pub const NUMBER_GRACE_MONTHS: u32 = 6;

/// The enrolment month before which a missing 学籍号 counts as missing (`2026-06`).
fn number_due(cx: &Context<'_>) -> String {
    let today = cx.today();
    today
        .checked_sub_months(chrono::Months::new(NUMBER_GRACE_MONTHS))
        .unwrap_or(today)
        .format("%Y-%m")
        .to_string()
}

/// What a form is for: a new student of a class, or a saved student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormTarget {
    NewIn(String),
    /// A new student of a class whose row came in incomplete from an import: the class and
    /// the draft's own id.
    Imported(String, String),
    Student(String),
}

impl FormTarget {
    fn draft_key(&self) -> String {
        match self {
            FormTarget::NewIn(class) => format!("class:{class}"),
            FormTarget::Imported(class, draft) => format!("{}{draft}", imported_prefix(class)),
            FormTarget::Student(student) => format!("student:{student}"),
        }
    }

    /// The class of a new student's form.
    pub fn new_in(&self) -> Option<&str> {
        match self {
            FormTarget::NewIn(class) | FormTarget::Imported(class, _) => Some(class),
            FormTarget::Student(_) => None,
        }
    }

    /// The page that shows the form.
    pub fn page(&self) -> String {
        match self {
            FormTarget::NewIn(class) | FormTarget::Imported(class, _) => {
                format!("/records/classes/{class}")
            }
            FormTarget::Student(student) => format!("/records/students/{student}"),
        }
    }
}

/// How the drafts an import left for a class's teacher to complete are keyed.
fn imported_prefix(class: &str) -> String {
    format!("class:{class}:")
}

/// A saved record as the form shows it: ordinary fields filled in, classified ones empty
/// (left empty, they keep their value).
pub(crate) fn input_of(record: &Record) -> RecordInput {
    use crate::domain::records::fields::{self, Field};
    /// Fills the ordinary fields of one party's form from its stored details.
    fn fill<I, V, D>(catalogue: &'static [Field<I, V, D>], details: &D, input: &mut I) {
        for f in catalogue {
            if let Some(column) = &f.column {
                *(f.input)(input) = (column.get)(details).form_text();
            }
        }
    }
    let mut input = RecordInput::default();
    fill(fields::STUDENT, &record.details, &mut input.student);
    input.guardians = record
        .guardians
        .iter()
        .map(|g| {
            let mut member = GuardianInput::default();
            fill(fields::FAMILY, &g.details, &mut member);
            member
        })
        .collect();
    input.guardians.resize(
        GUARDIAN_SLOTS.max(input.guardians.len()),
        GuardianInput::default(),
    );
    input
}

/// `input` with the record's classified yes/no flags filled in (留守, 随迁, 孤儿, 残疾, 烈士或
/// 优抚子女: every classified flag of the catalogue).
pub(crate) fn with_flags(mut input: RecordInput, record: &Record) -> RecordInput {
    use crate::domain::records::fields::{self, Kind};
    for f in fields::STUDENT
        .iter()
        .filter(|f| f.meta.is_classified() && f.meta.kind == Kind::Flag)
    {
        *(f.input)(&mut input.student) = (f.value)(record);
    }
    input
}

/// Every classified value of the record, masked, by its form path: read from the catalogue,
/// so a classified field added there is masked here too.
fn masked_values(record: &Record, top_secret: bool) -> Vec<(String, String)> {
    use crate::domain::records::fields;
    let mut out: Vec<(String, String)> = fields::STUDENT
        .iter()
        .filter(|f| f.meta.is_classified())
        .map(|f| {
            let key = f.meta.key;
            (key.to_owned(), masked(key, &(f.value)(record), top_secret))
        })
        .collect();
    for (i, g) in record.guardians.iter().enumerate() {
        for f in fields::FAMILY.iter().filter(|f| f.meta.is_classified()) {
            let key = f.meta.key;
            out.push((
                format!("guardians.{i}.{key}"),
                masked(key, &(f.value)(g), top_secret),
            ));
        }
    }
    out
}

/// The form for `target`, as `actor` (its homeroom teacher) left it, with `revealed` (a
/// classified field they just asked to see, audited) shown once.
pub async fn form(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    target: &FormTarget,
    revealed: Option<&str>,
) -> Result<StudentFormView, AppError> {
    let draft_key = target.draft_key();
    let draft = repo::draft(&mut *conn, actor.id, &draft_key).await?;
    // An imported draft is the form: once saved (or expired) it is gone.
    if matches!(target, FormTarget::Imported(..)) && draft.is_none() {
        return Err(AppError::not_found());
    }
    let (class, saved) = match target {
        FormTarget::NewIn(class) | FormTarget::Imported(class, _) => (
            structure::class_by_public_id(&mut *conn, class)
                .await?
                .ok_or_else(AppError::not_found)?,
            None,
        ),
        FormTarget::Student(student) => {
            let (scope, row) = find_student(&mut *conn, student).await?;
            let record = load_record(&mut *conn, cx.data, &row).await?;
            let class = structure::class_by_public_id(&mut *conn, &scope.class_public_id)
                .await?
                .ok_or_else(AppError::not_found)?;
            (class, Some((row, record)))
        }
    };
    let (input, errors, from_draft) = match draft {
        Some((sealed, errors)) => {
            let mut input: RecordInput = cx
                .data
                .open_json(&draft_binding(actor.id, &draft_key), &sealed)?;
            input.guardians.resize(
                GUARDIAN_SLOTS.max(input.guardians.len()),
                GuardianInput::default(),
            );
            let errors: Vec<FieldError> = serde_json::from_str(&errors).unwrap_or_default();
            (input, errors, true)
        }
        None => {
            let input = match &saved {
                // The yes/no flags are never hidden from the teacher who sets them (but on a
                // 绝密 record, which nobody reads in the portal).
                Some((row, record)) if !row.top_secret => with_flags(input_of(record), record),
                Some((_, record)) => input_of(record),
                None => RecordInput {
                    student: StudentInput {
                        nationality: "CHN".into(),
                        document_type: codes::ID_CARD.into(),
                        ethnicity: "01".into(),
                        ..Default::default()
                    },
                    guardians: vec![GuardianInput::default(); GUARDIAN_SLOTS],
                },
            };
            (input, Vec::new(), false)
        }
    };
    let revealed = saved.as_ref().and_then(|(row, record)| {
        let field = revealed.filter(|f| !row.top_secret && unmaskable(f))?;
        let value = record
            .field_values()
            .into_iter()
            .find(|(name, _)| name == field)?
            .1;
        Some((field.to_owned(), value))
    });
    Ok(StudentFormView {
        class: class.into(),
        student_id: saved.as_ref().map(|(row, _)| row.public_id.clone()),
        draft_id: match target {
            FormTarget::Imported(_, draft) => Some(draft.clone()),
            _ => None,
        },
        input,
        revealed,
        masked: saved
            .as_ref()
            .map(|(row, record)| {
                let mut masked = masked_values(record, row.top_secret);
                if !row.top_secret {
                    // The flags stand in the form as they are (`with_flags`).
                    use crate::domain::records::fields::{Kind, student};
                    masked.retain(|(f, _)| student(f).is_none_or(|f| f.meta.kind != Kind::Flag));
                }
                masked
            })
            .unwrap_or_default(),
        errors,
        from_draft,
        status: saved
            .as_ref()
            .map(|(row, _)| status(&row.status))
            .transpose()?,
        return_reason: saved
            .as_ref()
            .and_then(|(row, _)| row.return_reason.clone()),
        top_secret: saved.as_ref().is_some_and(|(row, _)| row.top_secret),
        today: cx.today().to_string(),
    })
}

/// Input longer than any field takes is refused before it is kept anywhere, so a draft is
/// bounded by what a form can hold.
pub(crate) fn refuse_oversized(input: &RecordInput) -> Result<(), AppError> {
    match input.oversized_field() {
        Some(field) => Err(AppError::invalid(&field, "field.too_long")),
        None => Ok(()),
    }
}

/// Keeps what the teacher typed, sealed, so the form comes back as they left it.
pub async fn keep_draft(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    target: &FormTarget,
    input: &RecordInput,
    errors: &[FieldError],
) -> Result<(), AppError> {
    // An imported row's problems stay with it while it is typed into (the roster counts
    // them): a save replaces them, typing does not.
    if errors.is_empty()
        && matches!(target, FormTarget::Imported(..))
        && let Some((_, stored)) = repo::draft(&mut *conn, actor.id, &target.draft_key()).await?
    {
        let stored: Vec<FieldError> = serde_json::from_str(&stored).unwrap_or_default();
        return keep_draft_of(conn, cx, actor.id, target, input, &stored).await;
    }
    keep_draft_of(conn, cx, actor.id, target, input, errors).await
}

/// Keeps `input` as the draft of `owner` (a homeroom teacher, who alone opens it), sealed.
pub async fn keep_draft_of(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    owner: i64,
    target: &FormTarget,
    input: &RecordInput,
    errors: &[FieldError],
) -> Result<(), AppError> {
    refuse_oversized(input)?;
    let key = target.draft_key();
    let sealed = cx.data.seal_json(&draft_binding(owner, &key), input);
    let errors = serde_json::to_string(errors).map_err(AppError::internal)?;
    repo::put_draft(conn, owner, &key, &sealed, &errors, cx.now).await?;
    Ok(())
}

/// The drafts an import left for `actor` to complete in `class`, oldest first.
pub async fn imported_drafts(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    class: &str,
    draft_days: u32,
) -> Result<Vec<crate::features::records::views::ImportedDraft>, AppError> {
    let prefix = imported_prefix(class);
    let lifetime = chrono::Days::new(u64::from(draft_days));
    let mut out = Vec::new();
    for (target, sealed, errors, updated_at) in
        repo::drafts_with_prefix(&mut *conn, actor.id, &prefix).await?
    {
        let Some(id) = target.strip_prefix(&prefix) else {
            continue;
        };
        let input: RecordInput = cx
            .data
            .open_json(&draft_binding(actor.id, &target), &sealed)?;
        let problems = serde_json::from_str::<Vec<FieldError>>(&errors)
            .map(|e| e.len())
            .unwrap_or(0);
        out.push(crate::features::records::views::ImportedDraft {
            id: id.to_owned(),
            name: input.student.name.trim().to_owned(),
            problems,
            expires_on: (cx.day_of(updated_at) + lifetime).to_string(),
        });
    }
    Ok(out)
}

/// What a teacher was typing when their session ended, sealed (under a binding of the form
/// it belongs to: nobody is signed in to bind it to), carried across their next sign-in.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Carried {
    target: String,
    sealed: Vec<u8>,
}

impl Carried {
    pub fn is_for(&self, target: &FormTarget) -> bool {
        self.target == target.draft_key()
    }
}

fn carried_binding(target: &str) -> String {
    format!("carried:{target}")
}

/// `input` for the form of `target`, sealed to be carried across a sign-in; bounded as a
/// draft is.
pub fn carry(
    keys: &DataKeys,
    target: &FormTarget,
    input: &RecordInput,
) -> Result<Carried, AppError> {
    refuse_oversized(input)?;
    let target = target.draft_key();
    Ok(Carried {
        sealed: keys.seal_json(&carried_binding(&target), input),
        target,
    })
}

/// Makes a carried input `actor`'s draft of `target` (the caller checked, in `conn`'s
/// transaction, that `actor` edits it).
pub async fn adopt_carried(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    target: &FormTarget,
    carried: Carried,
) -> Result<(), AppError> {
    if !carried.is_for(target) {
        return Ok(());
    }
    let input: RecordInput = cx
        .data
        .open_json(&carried_binding(&carried.target), &carried.sealed)?;
    keep_draft(conn, cx, actor, target, &input, &[]).await
}

pub async fn discard_draft(
    conn: &mut crate::db::Conn,
    actor: &Actor,
    target: &FormTarget,
) -> Result<(), AppError> {
    repo::delete_draft(conn, actor.id, &target.draft_key()).await?;
    Ok(())
}

/// Saves the form, and with `then_submit` hands the record in for verification in the same
/// transaction (what is on the screen is what is submitted); a refused save keeps what was
/// typed as the teacher's draft and changes nothing else. Returns the student's opaque id.
pub async fn save(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    target: &FormTarget,
    input: &RecordInput,
    then_submit: bool,
) -> Result<String, AppError> {
    refuse_oversized(input)?;
    // The save runs inside a savepoint, so that a refused one leaves nothing behind but the
    // draft kept in the same transaction.
    let mut attempt = tx.savepoint().await?;
    match save_record(&mut attempt, cx, actor, target, input, then_submit).await {
        Ok(id) => {
            attempt.commit().await?;
            tx.commit().await?;
            Ok(id)
        }
        Err(error) if error.kind == crate::errors::ErrorKind::InvalidInput => {
            attempt.rollback().await?;
            keep_draft(&mut tx, cx, actor, target, input, &error.fields).await?;
            tx.commit().await?;
            Err(error)
        }
        Err(error) => Err(error),
    }
}

pub(crate) fn invalid(fields: Vec<FieldError>) -> AppError {
    AppError {
        fields,
        ..crate::errors::ErrorKind::InvalidInput.into()
    }
}

async fn save_record(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    target: &FormTarget,
    input: &RecordInput,
    then_submit: bool,
) -> Result<String, AppError> {
    let existing = match target {
        FormTarget::NewIn(_) | FormTarget::Imported(..) => None,
        FormTarget::Student(student) => {
            let (_, row) = find_student(&mut *tx, student).await?;
            let record = load_record(&mut *tx, cx.data, &row).await?;
            Some((row, record))
        }
    };
    let record =
        Record::parse(input, existing.as_ref().map(|(_, r)| r), cx.today()).map_err(invalid)?;
    let class = match target.new_in() {
        Some(class) => Some(
            structure::class_by_public_id(&mut *tx, class)
                .await?
                .ok_or_else(AppError::not_found)?
                .id,
        ),
        None => None,
    };
    let public_id = write_record(
        &mut *tx,
        cx,
        Acting {
            actor,
            role: Role::HomeroomTeacher,
        },
        class,
        existing.as_ref(),
        &record,
        // Where the record's values came from: an import's row, completed, or the form.
        if matches!(target, FormTarget::Imported(..)) {
            "import"
        } else {
            "form"
        },
    )
    .await?;
    repo::delete_draft(&mut *tx, actor.id, &target.draft_key()).await?;
    if then_submit {
        let (_, row) = find_student(&mut *tx, &public_id).await?;
        // A record already waiting for verification (an edit to a verified one goes back
        // to waiting) stays as it is.
        if matches!(
            status(&row.status)?,
            RecordStatus::Draft | RecordStatus::Returned
        ) {
            apply_step(&mut *tx, cx, actor, &row, &Step::Submit, None).await?;
        }
    }
    Ok(public_id)
}

/// Who writes a record, and in which of their roles (the audit entry names it).
#[derive(Clone, Copy)]
pub(crate) struct Acting<'a> {
    pub actor: &'a Actor,
    pub role: Role,
}

impl Acting<'_> {
    /// Whether a number that `holder`'s record already has may be told to whoever writes
    /// it: only when they could see that record anyway (a records administrator; a homeroom
    /// teacher, the students of their own classes), and never for a 绝密 record. Any other
    /// clash is saved as it is and left to a records administrator (the review page shows
    /// it, and verification waits until it is resolved), so that another class's number
    /// gets the same answer as a number that belongs to nobody.
    pub(crate) fn may_be_told_of(&self, holder: &repo::Holder) -> bool {
        let (_, homeroom_teacher, top_secret) = *holder;
        !top_secret
            && match self.role {
                Role::RecordsAdmin => true,
                Role::HomeroomTeacher => homeroom_teacher == Some(self.actor.id),
                _ => false,
            }
    }
}

/// The source a record's audit entry names for a change an approved 关键数据变更 made
/// (`key_data`): the one write of key data a verified record takes.
pub(crate) const KEY_DATA_SOURCE: &str = "key_data_change";

/// The blind indexes of `record`'s numbers (identity number, 学籍号), refused when another
/// record than `own_id` holds one and `acting` may be told so (`Acting::may_be_told_of`).
pub(crate) async fn refuse_told_clashes(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    acting: Acting<'_>,
    record: &Record,
    own_id: Option<i64>,
) -> Result<(Vec<u8>, Option<Vec<u8>>), AppError> {
    let id_index = cx.data.blind_index("id_number", &record.secrets.id_number);
    let number_index = (!record.secrets.student_number.is_empty()).then(|| {
        cx.data
            .blind_index("student_number", &record.secrets.student_number)
    });
    for (field, index) in [
        ("id_number", Some(&id_index)),
        ("student_number", number_index.as_ref()),
    ] {
        if let Some(index) = index
            && repo::holders_of_index(&mut *tx, field, index, own_id)
                .await?
                .iter()
                .any(|holder| acting.may_be_told_of(holder))
        {
            return Err(AppError::invalid(field, &format!("{field}.duplicate")));
        }
    }
    Ok((id_index, number_index))
}

/// Writes a parsed record: a new student of `class`, or the change to `existing`, with its
/// family members, search keys, audit entry (naming the changed fields and the `source`:
/// the form or an import) and sealed revision. Returns the student's opaque id.
pub(crate) async fn write_record(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    acting: Acting<'_>,
    class: Option<i64>,
    existing: Option<&(repo::StudentRow, Record)>,
    record: &Record,
    source: &str,
) -> Result<String, AppError> {
    let Acting { actor, role } = acting;
    let own_id = existing.map(|(row, _)| row.id);
    let (id_index, number_index) =
        refuse_told_clashes(&mut *tx, cx, acting, record, own_id).await?;

    let (student_id, public_id, action, changed, next_status) = match (existing, class) {
        (None, Some(class)) => {
            let public_id = crate::db::new_public_id();
            let sealed = cx
                .data
                .seal_json(&student_binding(&public_id), &record.secrets);
            let id = repo::insert_student(
                &mut *tx,
                &public_id,
                class,
                actor.id,
                &repo::StudentWrite {
                    details: &record.details,
                    sealed: &sealed,
                    id_number_index: &id_index,
                    student_number_index: number_index.as_deref(),
                    status: RecordStatus::Draft.code(),
                    now: cx.now,
                },
            )
            .await?;
            let changed = record.field_values().into_iter().map(|(f, _)| f).collect();
            (
                id,
                public_id,
                "student.created",
                changed,
                RecordStatus::Draft,
            )
        }
        (Some((row, old)), _) => {
            let changed = old.changed_fields(record);
            if changed.is_empty() {
                return Ok(row.public_id.clone());
            }
            let approved = source == KEY_DATA_SOURCE;
            // Once verified, key data changes only by an approved 关键数据变更.
            if !approved {
                let controlled: Vec<FieldError> = changed
                    .iter()
                    .filter(|f| KEY_FIELDS.contains(&f.as_str()))
                    .map(|f| FieldError {
                        field: f.clone(),
                        code: "record.key_data_controlled".into(),
                    })
                    .collect();
                if !controlled.is_empty() && row.verified_once {
                    return Err(invalid(controlled));
                }
            }
            // An edit to a verified record sends it back for verification; an approved key-data
            // change keeps it as it was (the approval is its check).
            let next = match status(&row.status)? {
                RecordStatus::Verified if !approved => RecordStatus::Submitted,
                other => other,
            };
            let sealed = cx
                .data
                .seal_json(&student_binding(&row.public_id), &record.secrets);
            repo::update_student(
                &mut *tx,
                row.id,
                &repo::StudentWrite {
                    details: &record.details,
                    sealed: &sealed,
                    id_number_index: &id_index,
                    student_number_index: number_index.as_deref(),
                    status: next.code(),
                    now: cx.now,
                },
            )
            .await?;
            (
                row.id,
                row.public_id.clone(),
                "student.updated",
                changed,
                next,
            )
        }
        (None, None) => return Err(AppError::not_found()),
    };
    let guardians: Vec<_> = record
        .guardians
        .iter()
        .map(|g| {
            (
                &g.details,
                cx.data.seal_json(&guardian_binding(&public_id), &g.secrets),
            )
        })
        .collect();
    repo::replace_guardians(&mut *tx, student_id, &guardians).await?;
    if existing.is_none_or(|(row, _)| row.details.name != record.details.name) {
        let keys = crate::kit::names::search_keys(&record.details.name);
        repo::replace_search_keys(&mut *tx, student_id, &keys).await?;
    }

    let seq = audit::append(
        &mut *tx,
        cx.key,
        cx.now,
        NewEntry::new(action, "success")
            .actor(actor.id)
            .role(role.code())
            .object("student", student_id)
            .client(cx.client.clone())
            .details(serde_json::json!({ "fields": changed, "status": next_status.code(), "source": source })),
    )
    .await?;
    // Old and new values of exactly the changed fields, sealed.
    let before: std::collections::HashMap<String, String> = existing
        .map(|(_, r)| r.field_values().into_iter().collect())
        .unwrap_or_default();
    let after: std::collections::HashMap<String, String> =
        record.field_values().into_iter().collect();
    let revision: Vec<(String, Option<String>, Option<String>)> = changed
        .iter()
        .map(|f| (f.clone(), before.get(f).cloned(), after.get(f).cloned()))
        .collect();
    let sealed = cx
        .data
        .seal_json(&format!("revision:{public_id}"), &revision);
    repo::insert_revision(&mut *tx, student_id, seq, actor.id, cx.now, &sealed).await?;
    Ok(public_id)
}

/// The records review: a teacher submits a draft or returned record, a records administrator
/// verifies or returns it (with a reason). Its audit actions are `student.<event>`.
pub static REVIEW: workflow::Workflow<RecordStatus> = workflow::Workflow {
    name: "student",
    table: "students",
    column: "status",
    transitions: &[
        workflow::Transition {
            event: "submitted",
            from: &[RecordStatus::Draft, RecordStatus::Returned],
            to: RecordStatus::Submitted,
        },
        workflow::Transition {
            event: "verified",
            from: &[RecordStatus::Submitted],
            to: RecordStatus::Verified,
        },
        workflow::Transition {
            event: "returned",
            from: &[RecordStatus::Submitted],
            to: RecordStatus::Returned,
        },
    ],
    deadlines: &[],
};

/// A step of the review: who may take it from which state is checked here, after
/// `authorize` said who may act on the record at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The teacher hands a draft or returned record in.
    Submit,
    Verify,
    Return(String),
}

/// A return's reason: 2–200 characters.
pub fn return_reason(input: &str) -> Result<String, AppError> {
    let value = input.trim();
    match value.chars().count() {
        0 | 1 => Err(AppError::invalid("reason", "reason.too_short")),
        2..=200 => Ok(value.to_owned()),
        _ => Err(AppError::invalid("reason", "reason.too_long")),
    }
}

pub async fn step(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student_public_id: &str,
    step: Step,
) -> Result<(), AppError> {
    let reason = match &step {
        Step::Return(reason) => Some(return_reason(reason)?),
        _ => None,
    };
    let (_, row) = find_student(&mut tx, student_public_id).await?;
    // A student who left is no longer collected or verified: their record stands as it was.
    if row.left_reason.is_some() {
        return Err(AppError::conflict("record.left"));
    }
    // Two records with one number: one of them is wrong, and verifying either would vouch
    // for it. The records administrator returns the wrong one first.
    if matches!(step, Step::Verify) && !repo::clashes_of(&mut tx, row.id).await?.is_empty() {
        return Err(AppError::conflict("record.number_clash"));
    }
    // A student come from another school is registered by the 转入's approval: their record
    // is verified after it, never before.
    if matches!(step, Step::Verify)
        && crate::features::changes::store::transfer_in_waiting(&mut tx, row.id).await?
    {
        return Err(AppError::conflict("record.transfer_in_waiting"));
    }
    // What is on the teacher's screen is what gets submitted: changes kept only as a draft
    // are saved first (the form's 保存并提交核实), never left behind by a submit.
    if matches!(step, Step::Submit)
        && repo::draft(
            &mut tx,
            actor.id,
            &FormTarget::Student(row.public_id.clone()).draft_key(),
        )
        .await?
        .is_some()
    {
        return Err(AppError::conflict("record.unsaved_changes"));
    }
    apply_step(&mut tx, cx, actor, &row, &step, reason.as_deref()).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the record `row` one step on, with its audit entry, inside the caller's transaction.
async fn apply_step(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    row: &repo::StudentRow,
    step: &Step,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let from = status(&row.status)?;
    let (event, role) = match step {
        Step::Submit => ("submitted", Role::HomeroomTeacher),
        Step::Verify => ("verified", Role::RecordsAdmin),
        Step::Return(_) => ("returned", Role::RecordsAdmin),
    };
    // A step its state no longer allows (someone else took one first) is the review's own
    // refusal; any other failure stays what it is.
    let wrong_state = |e: AppError| {
        if e.code.as_deref() == Some("workflow.moved_on") {
            AppError::conflict("record.wrong_state")
        } else {
            e
        }
    };
    let to = REVIEW.target(from, event).map_err(wrong_state)?;
    // The return's reason and the times first: `submitted_at` is kept on a resubmission
    // from returned, as the state before this step says.
    repo::set_review_note(&mut *tx, row.id, to, reason, cx.now).await?;
    REVIEW
        .take(
            tx,
            cx.key,
            cx.now,
            from,
            workflow::Step {
                client: cx.client.clone(),
                ..workflow::Step::new(row.id, event).by(actor.id, role.code())
            },
        )
        .await
        .map_err(wrong_state)?;
    Ok(())
}

/// Marks a whole record 绝密 (or back to 机密).
pub async fn set_top_secret(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student_public_id: &str,
    top_secret: bool,
) -> Result<(), AppError> {
    let scope = repo::student_scope(&mut tx, student_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    repo::set_top_secret(&mut tx, scope.id, top_secret).await?;
    let mut entry = NewEntry::new("student.classification_changed", "success")
        .actor(actor.id)
        .role(Role::RecordsAdmin.code())
        .object("student", scope.id)
        .client(cx.client.clone())
        .details(serde_json::json!({ "top_secret": top_secret }));
    entry.classification = "top_secret".into();
    audit::append(&mut tx, cx.key, cx.now, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The classified fields a records administrator may unmask, one at a time: a student's
/// (`phone`) or a family member's in a slot (`guardians.1.phone`).
pub fn unmaskable(field: &str) -> bool {
    !field.starts_with("guardian.")
        && crate::domain::records::fields::of_path(field)
            .is_some_and(|f| f.classification == Classification::Confidential)
}

/// What a homeroom teacher's check of a saved value is recorded with: they look at what
/// they collected themselves.
const TEACHER_CHECK: &str = "班主任核对本班采集的信息";

/// Records that someone unmasked one classified value, and why: a records administrator
/// reviewing (with a reason they state), or the class's homeroom teacher checking what they
/// collected. The value itself is shown once by the page that follows.
pub async fn unmask(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    role: Role,
    student_public_id: &str,
    field: &str,
    reason: &str,
) -> Result<(), AppError> {
    if !unmaskable(field) {
        return Err(AppError::invalid("field", "unmask.field"));
    }
    let reason = if role == Role::HomeroomTeacher && reason.trim().is_empty() {
        TEACHER_CHECK.to_owned()
    } else {
        return_reason(reason)?
    };
    // The reason stays in the trail for good, where nothing can be redacted.
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("reason", &reason)]).await?;
    let (_, row) = find_student(&mut tx, student_public_id).await?;
    if row.top_secret {
        return Err(AppError::conflict("record.top_secret"));
    }
    let mut entry = NewEntry::new("student.unmasked", "success")
        .actor(actor.id)
        .role(role.code())
        .object("student", row.id)
        .client(cx.client.clone())
        .reason(&reason)
        .details(serde_json::json!({ "field": field }));
    entry.classification = "confidential".into();
    audit::append(&mut tx, cx.key, cx.now, entry).await?;
    tx.commit().await?;
    Ok(())
}

fn label(locale: Locale, key: &str) -> String {
    translate(locale, key)
}

/// The record as a records administrator reviews it: every classified value masked but
/// `revealed` (one field just unmasked with a stated reason), and never on a 绝密 record.
pub async fn review(
    conn: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    locale: Locale,
    student_public_id: &str,
    revealed: Option<&str>,
) -> Result<StudentReview, AppError> {
    let (scope, row) = find_student(&mut *conn, student_public_id).await?;
    let record = load_record(&mut *conn, cx.data, &row).await?;
    let class = structure::class_by_public_id(&mut *conn, &scope.class_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let revealed = revealed.filter(|_| !row.top_secret);
    let d = &record.details;
    let shown = |kind: Kind, raw: &str| fields::shown(locale, kind, raw);
    // One catalogue field: an ordinary one as it is, a classified one masked but `revealed`.
    let field = |path: String, meta: fields::Meta, raw: String| {
        if meta.classification == Classification::Ordinary {
            return ShownField {
                field: meta.key.into(),
                label: label(locale, meta.label),
                value: shown(meta.kind, &raw),
                classified: false,
                unmaskable: false,
                revealed: false,
            };
        }
        let is_revealed = revealed == Some(path.as_str());
        ShownField {
            label: label(locale, meta.label),
            value: if is_revealed {
                shown(meta.kind, &raw)
            } else {
                masked(meta.key, &raw, row.top_secret)
            },
            classified: true,
            unmaskable: !row.top_secret && !raw.is_empty(),
            revealed: is_revealed,
            field: path,
        }
    };
    let fields = fields::STUDENT
        .iter()
        .map(|f| field(f.meta.key.to_owned(), f.meta, (f.value)(&record)))
        .collect();
    let guardians = record
        .guardians
        .iter()
        .enumerate()
        .map(|(i, g)| {
            fields::FAMILY
                .iter()
                .map(|f| {
                    field(
                        format!("guardians.{i}.{}", f.meta.key),
                        f.meta,
                        (f.value)(g),
                    )
                })
                .collect()
        })
        .collect();
    let clashing = repo::clashes_of(&mut *conn, row.id).await?;
    let classes =
        crate::features::structure::service::summaries(&mut *conn, clashing.iter().map(|c| c.3))
            .await?;
    let clashes = clashing
        .into_iter()
        .map(
            |(field, public_id, name, class_id, top_secret)| NumberClash {
                field,
                other: (!top_secret)
                    .then(|| Some((public_id, name, classes.get(&class_id)?.clone())))
                    .flatten(),
            },
        )
        .collect();
    let (changed, reviewed_before) = repo::changed_since_reviewed(&mut *conn, row.id).await?;
    let (pending_change, left_by_change, transferred_in) =
        crate::features::changes::store::standing(&mut *conn, row.id).await?;
    let verified_ever = row.verified_once;
    let queue = if row.status == RecordStatus::Submitted.code() && row.left_reason.is_none() {
        let (previous, next, before) = repo::queue_neighbours(&mut *conn, row.id).await?;
        Some(QueuePlace {
            previous,
            next,
            position: before + 1,
            total: repo::queue_length(&mut *conn).await?,
        })
    } else {
        None
    };
    Ok(StudentReview {
        changed,
        first_review: !reviewed_before,
        // A 关键数据变更 is filed for a verified record of a student still at school, one
        // application at a time, by a records administrator.
        new_entry: !verified_ever && transferred_in.is_none(),
        transferred_in: transferred_in.map(|(school, on)| (school, on.to_string())),
        key_data_open: verified_ever
            && row.left_reason.is_none()
            && pending_change.is_none()
            && actor.has(Role::RecordsAdmin),
        queue,
        clashes,
        id: row.public_id.clone(),
        name: d.name.clone(),
        class: class.into(),
        status: status(&row.status)?,
        top_secret: row.top_secret,
        return_reason: row.return_reason.clone(),
        left: row.left_reason.clone(),
        suspended_since: row.suspended_at.map(|at| cx.local_date(at)),
        // Only while it may still be undone (see `left_marking_resource`: within the month;
        // a batch waiting for its decision refuses it too).
        pending_change,
        left_undo: row
            .left_marked_by
            .filter(|_| !left_by_change)
            .filter(|_| {
                row.left_recorded_at
                    .is_some_and(|at| cx.now - at <= chrono::Duration::days(UNDO_LEFT_DAYS))
            })
            .map(|marked_by| {
                use crate::domain::access::{Action, Resource, permits};
                permits(
                    Some(actor),
                    Action::UndoStudentLeft,
                    Resource::LeftMarking { marked_by },
                )
            }),
        fields,
        guardians,
    })
}

/// A page of the verification queue (from 1), oldest first, each record with what was
/// changed since it was last verified and what the portal found in it.
pub async fn queue(
    cx: &Context<'_>,
    page: usize,
    class: Option<&str>,
) -> Result<QueuePage, AppError> {
    let mut conn = cx.pool.acquire().await?;
    // Every class with records waiting, for the filter; the one asked for, when it has any.
    let per_class = repo::queue_by_class(&mut conn).await?;
    let named =
        crate::features::structure::service::summaries(&mut conn, per_class.iter().map(|c| c.0))
            .await?;
    let by_class: Vec<(ClassSummary, i64)> = per_class
        .iter()
        .filter_map(|(id, n, _)| Some((named.get(id)?.clone(), *n)))
        .collect();
    let chosen = class.and_then(|public| {
        per_class
            .iter()
            .find(|(id, _, _)| named.get(id).is_some_and(|c| c.id == public))
            .map(|(id, n, _)| (*id, *n))
    });
    let total = match chosen {
        Some((_, n)) => n,
        None => per_class.iter().map(|(_, n, _)| n).sum(),
    };
    let page = page.max(1);
    let offset = (page as i64 - 1).saturating_mul(QUEUE_PAGE);
    let queued =
        repo::review_queue_of(&mut conn, chosen.map(|(id, _)| id), QUEUE_PAGE, offset).await?;
    let ids: Vec<i64> = queued.iter().map(|q| q.0).collect();
    let findings = findings_of(&mut conn, &ids, &number_due(cx)).await?;
    // The page's classes are among those counted above.
    let classes = &named;
    let mut rows = Vec::new();
    for (id, student_id, name, class_id, submitted_at) in queued {
        let (changed, reviewed_before) = repo::changed_since_reviewed(&mut conn, id).await?;
        let Some(class) = classes.get(&class_id).cloned() else {
            continue;
        };
        rows.push(QueueRow {
            student_id,
            name,
            class,
            submitted_at: cx.local(submitted_at),
            first: !reviewed_before,
            changed,
            findings: findings.get(&id).cloned().unwrap_or_default(),
        });
    }
    Ok(QueuePage {
        rows,
        total,
        page,
        per_page: QUEUE_PAGE as usize,
        class: chosen
            .and_then(|(id, _)| named.get(&id))
            .map(|c| c.id.clone()),
        classes: by_class,
    })
}

/// What the portal finds in each of `ids` without a person looking: a number another
/// record holds, no 学籍号, fewer than two family members.
async fn findings_of(
    conn: &mut crate::db::Conn,
    ids: &[i64],
    number_due: &str,
) -> Result<std::collections::HashMap<i64, Vec<String>>, AppError> {
    let mut found: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for id in repo::clashing(&mut *conn, ids).await? {
        found.entry(id).or_default().push("clash".into());
    }
    for (id, no_number, few_family, _) in repo::completeness_of(&mut *conn, ids, number_due).await?
    {
        if no_number {
            found.entry(id).or_default().push("student_number".into());
        }
        if few_family {
            found.entry(id).or_default().push("family".into());
        }
    }
    Ok(found)
}

/// Verifies, in one transaction, those of `students` (opaque ids, a page of the queue at
/// most) that are submitted, without findings and with no 转入 waiting, each with its own
/// audit entry; the others stay as they are. Returns (verified, left as they were).
pub async fn verify_batch(
    cx: &Context<'_>,
    actor: &Actor,
    students: &[String],
) -> Result<(u64, u64), AppError> {
    if students.is_empty() {
        return Err(AppError::invalid("students", "queue.none_picked"));
    }
    if students.len() > QUEUE_PAGE as usize {
        return Err(AppError::invalid("students", "queue.too_many"));
    }
    // Each student once, however often the page named them.
    let mut seen = std::collections::HashSet::new();
    let students: Vec<&String> = students.iter().filter(|s| seen.insert(*s)).collect();
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let mut rows = Vec::new();
    for public_id in &students {
        if let Some(scope) = repo::student_scope(&mut tx, public_id).await?
            && let Some(row) = repo::student(&mut tx, scope.id).await?
        {
            rows.push(row);
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let findings = findings_of(&mut tx, &ids, &number_due(cx)).await?;
    let (mut verified, mut kept) = (0, students.len() as u64 - rows.len() as u64);
    for row in rows {
        let ready = row.status == RecordStatus::Submitted.code()
            && row.left_reason.is_none()
            && !findings.contains_key(&row.id)
            && !crate::features::changes::store::transfer_in_waiting(&mut tx, row.id).await?;
        if !ready {
            kept += 1;
            continue;
        }
        apply_step(&mut tx, cx, actor, &row, &Step::Verify, None).await?;
        verified += 1;
    }
    tx.commit().await?;
    Ok((verified, kept))
}

/// The record after `student_public_id` in the queue (its own state whatever it is now).
pub async fn next_in_queue(
    conn: &mut crate::db::Conn,
    student_public_id: &str,
) -> Result<Option<String>, AppError> {
    let Some(scope) = repo::student_scope(&mut *conn, student_public_id).await? else {
        return Ok(None);
    };
    Ok(repo::queue_neighbours(conn, scope.id).await?.1)
}

/// Seals every value again under `keys`' current key (key rotation), in one transaction;
/// returns how many values were sealed again.
pub async fn reseal_all(
    pool: &crate::db::Pool,
    audit_key: &AuditKey,
    keys: &DataKeys,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    use crate::kit::sealing::sealed;
    let mut tx = crate::db::begin_write(pool).await?;
    // One transaction (all or nothing), read a page at a time: a few megabytes in memory,
    // whatever the school holds.
    let mut values = 0;
    for table in sealed::tables() {
        let mut after = None;
        loop {
            let page = sealed::page(&mut tx, table, after.as_ref()).await?;
            for (row, binding, value) in &page {
                let plain = keys.open(binding, value)?;
                sealed::replace(&mut tx, table, row, &keys.seal(binding, &plain)).await?;
            }
            values += page.len();
            match page.into_iter().last() {
                Some((row, ..)) => after = Some(row),
                None => break,
            }
        }
    }
    audit::append(
        &mut tx,
        audit_key,
        now,
        NewEntry::new("records.key_rotated", "success")
            .details(serde_json::json!({ "key_id": keys.current_id(), "values": values })),
    )
    .await?;
    tx.commit().await?;
    Ok(values)
}

/// How long a marking as left may be undone: a mistake is noticed within a month; later, a
/// student who comes back is enrolled anew (and an undo could not restart the retention of
/// someone long gone, nor take a student out of a batch waiting for its approval).
pub const UNDO_LEFT_DAYS: i64 = 30;

/// The resource a marking as left is, for the one check of its undoing (`Nothing` for a
/// student not marked by a records administrator within `UNDO_LEFT_DAYS`, destroyed, or in a
/// destruction batch waiting for a decision).
pub async fn left_marking_resource(
    conn: &mut crate::db::Conn,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<crate::domain::access::Resource, AppError> {
    use crate::domain::access::Resource;
    let Some(scope) = repo::student_scope(&mut *conn, public_id).await? else {
        return Ok(Resource::Nothing);
    };
    let since = now - chrono::Duration::days(UNDO_LEFT_DAYS);
    Ok(match repo::left_marking(conn, scope.id, since).await? {
        Some(marked_by) => Resource::LeftMarking { marked_by },
        None => Resource::Nothing,
    })
}

/// Undoes a marking as left made by mistake, in the transaction the check (another records
/// administrator than the one who marked) began. The student is enrolled again: their record
/// takes steps again and they are no longer due for destruction (a batch already proposed
/// with them can no longer be approved). The audit entry names who marked and what; it holds
/// no free text (the trail cannot be redacted).
pub async fn undo_left(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student_public_id: &str,
    marked_by: i64,
) -> Result<(), AppError> {
    let scope = repo::student_scope(&mut tx, student_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let student = repo::student(&mut tx, scope.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !repo::unset_left(&mut tx, scope.id, marked_by).await? {
        return Err(AppError::conflict("left.not_marked"));
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("student.left_undone", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("student", scope.id)
            .client(cx.client.clone())
            .details(serde_json::json!({ "marked_by": marked_by, "was": student.left_reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The students at school whose resident identity card number is wrong by the rules the
/// form applies (`domain::records::id_card::problem`): (id, the rule's code); `only` one
/// student's. Each number is opened to be judged and dropped at once; none leaves this
/// function.
pub async fn id_card_problems(
    conn: &mut crate::db::Conn,
    keys: &DataKeys,
    only: Option<i64>,
) -> Result<Vec<(i64, &'static str)>, AppError> {
    let rows = match only {
        Some(id) => repo::id_card_of(conn, id).await?.into_iter().collect(),
        None => repo::id_cards_at_school(conn).await?,
    };
    let mut found = Vec::new();
    for (id, public_id, sex, birth_date, sealed) in rows {
        let secrets: StudentSecrets = keys.open_json(&student_binding(&public_id), &sealed)?;
        if let Some(code) =
            crate::domain::records::id_card::problem(&secrets.id_number, &sex, birth_date)
        {
            found.push((id, code));
        }
    }
    Ok(found)
}
