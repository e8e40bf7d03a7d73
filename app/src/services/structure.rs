//! School structure, owned by the records administrator: school years, classes, and the
//! homeroom teacher of each class (which the system administrator's console sets too). A
//! change of homeroom teacher takes effect on the very next request: `authorize` reads it
//! from the database every time.

use chrono::NaiveDate;

use crate::{
    domain::Role,
    errors::AppError,
    models::{Actor, ClassSummary, SchoolStructure, SchoolYearSummary, TeacherOption},
    repositories::structure as repo,
    services::{
        audit::{self, NewEntry},
        records::Context,
    },
};

/// A school year's name: "2026-2027", two consecutive years.
pub fn school_year_name(input: &str) -> Result<String, AppError> {
    let value = input.trim();
    let years = value
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)));
    match years {
        Some((a, b)) if value.len() == 9 && b == a + 1 && (2000..2100).contains(&a) => {
            Ok(value.to_owned())
        }
        _ => Err(AppError::invalid("name", "school_year.name")),
    }
}

fn date(field: &str, input: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "date.format"))
}

/// A class's name within its grade: 1–20 characters, e.g. "1班" or "实验班".
pub fn class_name(input: &str) -> Result<String, AppError> {
    let value = input.trim();
    match value.chars().count() {
        0 => Err(AppError::invalid("name", "class.name_empty")),
        1..=20 if !value.chars().any(char::is_control) => Ok(value.to_owned()),
        _ => Err(AppError::invalid("name", "class.name_length")),
    }
}

pub async fn overview(pool: &sqlx::SqlitePool) -> Result<SchoolStructure, AppError> {
    let mut conn = pool.acquire().await?;
    let years = repo::school_years(&mut conn)
        .await?
        .into_iter()
        .map(|(id, name)| SchoolYearSummary { id, name })
        .collect();
    let classes = repo::classes(&mut conn)
        .await?
        .into_iter()
        .map(ClassSummary::from)
        .collect();
    let teachers = repo::homeroom_teachers(&mut conn)
        .await?
        .into_iter()
        .map(|(id, display_name, username)| TeacherOption {
            id,
            display_name,
            username,
        })
        .collect();
    Ok(SchoolStructure {
        years,
        classes,
        teachers,
    })
}

pub async fn create_school_year(
    cx: &Context<'_>,
    actor: &Actor,
    name: &str,
    starts_on: &str,
    ends_on: &str,
) -> Result<(), AppError> {
    let name = school_year_name(name)?;
    let starts_on = date("starts_on", starts_on)?;
    let ends_on = date("ends_on", ends_on)?;
    if ends_on <= starts_on {
        return Err(AppError::invalid(
            "ends_on",
            "school_year.ends_before_start",
        ));
    }
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    if repo::school_year_named(&mut tx, &name).await? {
        return Err(AppError::invalid("name", "school_year.taken"));
    }
    let id = repo::insert_school_year(&mut tx, &name, starts_on, ends_on, cx.now).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.school_year_created", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("school_year", id)
            .client(cx.client.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn create_class(
    cx: &Context<'_>,
    actor: &Actor,
    school_year_id: i64,
    grade: i64,
    name: &str,
) -> Result<(), AppError> {
    if !(1..=12).contains(&grade) {
        return Err(AppError::invalid("grade", "class.grade"));
    }
    let name = class_name(name)?;
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    if !repo::school_year_exists(&mut tx, school_year_id).await? {
        return Err(AppError::invalid("school_year_id", "class.school_year"));
    }
    if repo::class_taken(&mut tx, school_year_id, grade, &name).await? {
        return Err(AppError::invalid("name", "class.taken"));
    }
    let id = repo::insert_class(
        &mut tx,
        &super::records::new_public_id(),
        school_year_id,
        grade,
        &name,
        cx.now,
    )
    .await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.class_created", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("class", id)
            .client(cx.client.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `teacher_id` (or nobody) the homeroom teacher of the class `class_public_id`.
pub async fn assign_homeroom_teacher(
    cx: &Context<'_>,
    actor: &Actor,
    class_public_id: &str,
    teacher_id: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = cx.pool.begin_with("BEGIN IMMEDIATE").await?;
    let class = repo::class_by_public_id(&mut tx, class_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if let Some(teacher) = teacher_id {
        let eligible = repo::homeroom_teachers(&mut tx)
            .await?
            .iter()
            .any(|t| t.0 == teacher);
        if !eligible {
            return Err(AppError::invalid("teacher_id", "class.not_a_teacher"));
        }
    }
    repo::set_homeroom_teacher(&mut tx, class.id, teacher_id).await?;
    let role = if actor.has(Role::RecordsAdmin) {
        Role::RecordsAdmin
    } else {
        Role::SystemAdmin
    };
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.homeroom_assigned", "success")
            .actor(actor.id)
            .role(role.code())
            .object("class", class.id)
            .client(cx.client.clone())
            .details(serde_json::json!({
                "teacher": teacher_id,
                "previous": class.homeroom_teacher_id,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_are_two_consecutive_years() {
        assert!(school_year_name("2026-2027").is_ok());
        for bad in ["2026-2028", "2026", "26-27", "2026/2027", "2027-2026", ""] {
            assert!(school_year_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn class_names() {
        assert_eq!(class_name(" 1班 ").unwrap(), "1班");
        assert!(class_name("").is_err());
        assert!(class_name(&"班".repeat(21)).is_err());
    }
}
