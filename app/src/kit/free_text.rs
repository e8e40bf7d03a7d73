//! Free text that must not carry a pupil's name: a request's reason, a comment on a decision,
//! a leak report's account, an inspection's findings, the reason for showing a masked value.
//! Such text outlives the record it speaks of (the trail keeps one of them for good), so a
//! pupil is named there by their record id, never by name. What someone typed is checked
//! against the names of the pupils they may see: a records administrator all, a homeroom
//! teacher their own classes', anyone else none, so the refusal tells nobody that a pupil
//! they cannot see exists. Whatever the check lets through is redacted at destruction
//! (`retention::leftovers`).

use crate::{
    db::Conn,
    domain::{Actor, Role, publication::invisible},
    errors::{AppError, FieldError},
};

/// The error code of a text that names a pupil.
pub const NAMES_PUPIL: &str = "text.names_pupil";

/// Refuses the texts (by the field each came in) that name a pupil `actor` may see, all of
/// them at once; empty texts pass.
pub async fn refuse_pupil_names(
    conn: &mut Conn,
    actor: &Actor,
    texts: &[(&str, &str)],
) -> Result<(), AppError> {
    let scope = if actor.has(Role::RecordsAdmin) {
        None
    } else if actor.has(Role::HomeroomTeacher) {
        Some(actor.id)
    } else {
        return Ok(());
    };
    let mut fields = Vec::new();
    for (field, text) in texts {
        // Spaces and invisible characters do not hide a name.
        let bare: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !invisible(*c))
            .collect();
        if bare.chars().count() < 2 {
            continue;
        }
        // A draft record counts only for its own class's teacher: a draft named like a word
        // would otherwise refuse that word to every records administrator. Names are compared
        // without their spaces, as the text is.
        let named: Option<i64> = crate::db::query_scalar(
            "SELECT s.id FROM students s JOIN classes c ON c.id = s.class_id \
             WHERE s.destroyed_at IS NULL AND length(replace(s.name, ' ', '')) >= 2 \
             AND ($2 IS NULL OR c.homeroom_teacher_id = $2) \
             AND (s.status <> 'draft' OR c.homeroom_teacher_id = $3) \
             AND lower($1) LIKE '%' || lower(replace(s.name, ' ', '')) || '%' LIMIT 1",
        )
        .bind(&bare)
        .bind(scope)
        .bind(actor.id)
        .fetch_optional(&mut *conn)
        .await?;
        if named.is_some() {
            fields.push(FieldError {
                field: (*field).into(),
                code: NAMES_PUPIL.into(),
            });
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError {
            fields,
            ..crate::errors::ErrorKind::InvalidInput.into()
        })
    }
}
