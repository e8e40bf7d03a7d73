//! 关键数据变更 (key-data changes), the records' side: once a record is verified its key
//! data (`domain::records::KEY_FIELDS`) changes only through an application a records
//! administrator files here with the fields as asked for, and, after its proof and a
//! leader's approval (the changes' workflow), [`APPLY`] writes into the record with a
//! revision of the old and new values, as any change of the record does.

use crate::{
    db::{Conn, Tx},
    domain::{
        Actor, Role,
        records::{KEY_FIELDS, Record, RecordInput, fields},
    },
    errors::{AppError, FieldError},
    features::{
        changes::{service as changes, views::KeyChange},
        records::{
            service::{
                Acting, KEY_DATA_SOURCE, find_student, input_of, invalid, load_record,
                refuse_oversized, refuse_told_clashes, with_flags, write_record,
            },
            store as repo,
        },
    },
    kit::{context::Context, workflow::effects::Running},
};

/// `record` with `values` ((key field, value as typed)) in its key fields, checked by the
/// record's own rules (an identity number against the birth date and sex, …). A 学籍号
/// that is `G` and the identity number follows the number it is made of.
fn changed_record(
    record: &Record,
    values: &[(String, String)],
    today: chrono::NaiveDate,
) -> Result<Record, AppError> {
    let mut input = with_flags(input_of(record), record);
    for (key, value) in values {
        let field = fields::STUDENT
            .iter()
            .find(|f| f.meta.key == key && KEY_FIELDS.contains(&f.meta.key))
            .ok_or_else(|| AppError::internal(format!("{key} is no key field")))?;
        *(field.input)(&mut input.student) = value.clone();
    }
    let old = &record.secrets;
    let made_of_it = old.student_number == format!("G{}", old.id_number);
    if let Some((_, number)) = values.iter().find(|(k, _)| k == "id_number")
        && made_of_it
    {
        input.student.student_number = format!("G{}", number.trim().to_ascii_uppercase());
    }
    Record::parse(&input, Some(record), today).map_err(invalid)
}

/// Whether a changed field is one a key-data change may change: a key field, or the 学籍号
/// that follows the identity number.
fn may_change(field: &str) -> bool {
    KEY_FIELDS.contains(&field) || field == "student_number"
}

/// The key fields `typed` asks to change (empty: unchanged); any other field typed is
/// refused, as it is the teacher's to keep.
fn asked(typed: &RecordInput) -> Result<Vec<(String, String)>, AppError> {
    let mut wrong = Vec::new();
    let mut values = Vec::new();
    for f in fields::STUDENT {
        let value = (f.typed)(&typed.student).trim();
        if value.is_empty() {
            continue;
        }
        if KEY_FIELDS.contains(&f.meta.key) {
            values.push((f.meta.key.to_owned(), value.to_owned()));
        } else {
            wrong.push(FieldError {
                field: f.meta.key.into(),
                code: "key_data.not_key_field".into(),
            });
        }
    }
    if typed.guardians.iter().any(|g| !g.is_blank()) {
        wrong.push(FieldError {
            field: "guardians".into(),
            code: "key_data.not_key_field".into(),
        });
    }
    if !wrong.is_empty() {
        return Err(invalid(wrong));
    }
    if values.is_empty() {
        return Err(AppError::invalid("record", "key_data.nothing_changed"));
    }
    Ok(values)
}

/// Files a 关键数据变更 for the student `public_id` (the check, `FileStatusChange` on them,
/// began `tx`): the key fields `typed`, checked as the record's rules check them and against
/// the numbers other records hold; a reason of the kind's. Only a verified record of a
/// student still at school takes one (before, the teacher corrects it). Returns its id.
pub async fn file(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    public_id: &str,
    reason: &str,
    typed: &RecordInput,
) -> Result<String, AppError> {
    refuse_oversized(typed)?;
    let (_, row) = find_student(&mut tx, public_id).await?;
    if row.left_reason.is_some() {
        return Err(AppError::conflict("change.not_enrolled"));
    }
    if !row.verified_once {
        return Err(AppError::conflict("key_data.not_verified"));
    }
    let values = asked(typed)?;
    let record = load_record(&mut tx, cx.data, &row).await?;
    let new = changed_record(&record, &values, cx.today())?;
    refuse_told_clashes(
        &mut tx,
        cx,
        Acting {
            actor,
            role: Role::RecordsAdmin,
        },
        &new,
        Some(row.id),
    )
    .await?;
    let before = record.field_values();
    let after = new.field_values();
    let changes: Vec<KeyChange> = record
        .changed_fields(&new)
        .into_iter()
        .map(|field| {
            let of = |values: &[(String, String)]| {
                values
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            KeyChange {
                before: of(&before),
                after: of(&after),
                field,
            }
        })
        .collect();
    if changes.iter().any(|c| !may_change(&c.field)) {
        return Err(AppError::internal(
            "a key-data change changed another field",
        ));
    }
    changes::file_key_data(tx, cx, actor, row.id, reason, &changes).await
}

/// Writes an approved 关键数据变更's `values` ((field, as filed, as asked for)) into the
/// record of `student`, in the approval's transaction, as its approver (`actor`): a revision
/// keeps the old and new values, the audit entry names the fields. Refused, changing
/// nothing, when the record no longer holds what was filed (what the leader read is what is
/// written) or a pupil at school holds the new number (whoever it is: the approver is not
/// told). Returns the fields it changed.
async fn apply(
    conn: &mut Conn,
    cx: &Context<'_>,
    actor: &Actor,
    student: i64,
    values: &[(String, String, String)],
) -> Result<Vec<String>, AppError> {
    let row = repo::student(&mut *conn, student)
        .await?
        .ok_or_else(AppError::not_found)?;
    if row.left_reason.is_some() {
        return Err(AppError::conflict("change.not_enrolled"));
    }
    let record = load_record(&mut *conn, cx.data, &row).await?;
    let now: Vec<(String, String)> = record.field_values();
    let holds = |field: &str| {
        now.iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    };
    if values
        .iter()
        .any(|(field, before, _)| holds(field) != Some(before.as_str()))
    {
        return Err(AppError::conflict("change.student_changed"));
    }
    // The key fields as asked for (a 学籍号 that follows the identity number follows it
    // again).
    let asked: Vec<(String, String)> = values
        .iter()
        .filter(|(field, ..)| KEY_FIELDS.contains(&field.as_str()))
        .map(|(field, _, after)| (field.clone(), after.clone()))
        .collect();
    let new = changed_record(&record, &asked, cx.today())?;
    let changed = record.changed_fields(&new);
    if changed.iter().any(|f| !values.iter().any(|(v, ..)| v == f)) {
        return Err(AppError::conflict("change.student_changed"));
    }
    for (field, value) in [
        ("id_number", &new.secrets.id_number),
        ("student_number", &new.secrets.student_number),
    ] {
        if changed.iter().any(|f| f == field)
            && !value.is_empty()
            && !repo::holders_of_index(
                &mut *conn,
                field,
                &cx.data.blind_index(field, value),
                Some(row.id),
            )
            .await?
            .is_empty()
        {
            return Err(AppError::conflict("key_data.number_taken"));
        }
    }
    let existing = (row, record);
    write_record(
        &mut *conn,
        cx,
        Acting {
            actor,
            role: Role::Leader,
        },
        None,
        Some(&existing),
        &new,
        KEY_DATA_SOURCE,
    )
    .await?;
    Ok(changed)
}

fn apply_boxed<'a>(
    conn: &'a mut Conn,
    cx: &'a Context<'a>,
    actor: &'a Actor,
    student: i64,
    values: &'a [(String, String, String)],
) -> Running<'a, Vec<String>> {
    Box::pin(apply(conn, cx, actor, student, values))
}

/// The effect of an approved 关键数据变更, registered by the server.
pub const APPLY: crate::kit::workflow::effects::KeyData = apply_boxed;
