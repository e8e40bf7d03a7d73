//! School structure, owned by the records administrator: school years, classes, and the
//! homeroom teacher of each class (which the system administrator's console sets too). A
//! change of homeroom teacher takes effect on the very next request: `authorize` reads it
//! from the database every time.

use chrono::NaiveDate;

use crate::{
    domain::{Actor, Role},
    errors::AppError,
    features::structure::store as repo,
    features::structure::views::{
        BlockedTeacher, ClassMove, ClassSummary, RolloverPreview, SchoolStructure,
        SchoolYearSummary, TeacherOption,
    },
    kit::audit::chain::{self as audit, NewEntry},
    kit::context::Context,
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

pub async fn overview(pool: &crate::db::Pool) -> Result<SchoolStructure, AppError> {
    let mut conn = pool.acquire().await?;
    let latest = repo::latest_school_year(&mut conn).await?;
    let to_promote = match &latest {
        Some((id, _)) => repo::classes_to_promote(&mut conn, *id)
            .await?
            .into_iter()
            .map(|c| c.1)
            .collect(),
        None => Vec::new(),
    };
    let years = repo::school_years(&mut conn)
        .await?
        .into_iter()
        .map(|(id, name, spring)| SchoolYearSummary {
            id,
            name,
            spring_term_starts_on: spring.map(|d| d.to_string()),
        })
        .collect::<Vec<_>>();
    let latest_year = latest
        .as_ref()
        .and_then(|(id, _)| years.iter().find(|y| y.id == *id).cloned());
    // The current year's classes, and an earlier year's only while students are still in
    // it: the pages that list them (with a teacher to choose for each) stay the size of one
    // year however many years the school keeps.
    let peopled = repo::classes_with_students(&mut conn).await?;
    let current = latest.as_ref().map(|(_, name)| name.clone());
    let classes = repo::classes(&mut conn)
        .await?
        .into_iter()
        .filter(|c| Some(&c.school_year) == current.as_ref() || peopled.contains(&c.id))
        .map(|c| {
            // Where teachers are assigned, whether each can act (a freeze is said here, to
            // those who manage the school's structure, and nowhere else).
            let state = c.homeroom_teacher_state.clone();
            ClassSummary {
                homeroom_teacher_state: state,
                ..ClassSummary::from(c)
            }
        })
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
        latest_year,
        to_promote,
    })
}

/// Sets (or, empty, clears) the day `year`'s spring term begins: a day after the year's
/// first and not after its last. The records overview counts this term's changes from it.
pub async fn set_spring_term(
    cx: &Context<'_>,
    actor: &Actor,
    year: i64,
    day: &str,
) -> Result<(), AppError> {
    let day = match day.trim() {
        "" => None,
        text => Some(date("spring_term_starts_on", text)?),
    };
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let (starts, ends) = repo::school_year_days(&mut tx, year)
        .await?
        .ok_or_else(|| AppError::invalid("school_year_id", "school_year.unknown"))?;
    if day.is_some_and(|d| d <= starts || d > ends) {
        return Err(AppError::invalid(
            "spring_term_starts_on",
            "school_year.spring_outside",
        ));
    }
    repo::set_spring_term(&mut tx, year, day).await?;
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.spring_term_set", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("school_year", year)
            .client(cx.client.clone())
            .details(serde_json::json!({ "spring_term_starts_on": day.map(|d| d.to_string()) })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    let mut tx = crate::db::begin_write(cx.pool).await?;
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
    let mut tx = crate::db::begin_write(cx.pool).await?;
    if !repo::school_year_exists(&mut tx, school_year_id).await? {
        return Err(AppError::invalid("school_year_id", "class.school_year"));
    }
    if repo::class_taken(&mut tx, school_year_id, grade, &name).await? {
        return Err(AppError::invalid("name", "class.taken"));
    }
    let id = repo::insert_class(
        &mut tx,
        &crate::db::new_public_id(),
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

/// The classes with these ids (repeats allowed), as pages name them, by id: one statement
/// for the classes asked about only (a big school has thousands).
pub async fn summaries(
    conn: &mut crate::db::Conn,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, ClassSummary>, AppError> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(repo::classes_by_ids(conn, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, ClassSummary::from(c)))
        .collect())
}

/// Makes `teacher_id` (or nobody) the homeroom teacher of the class `class_public_id`.
pub async fn assign_homeroom_teacher(
    cx: &Context<'_>,
    actor: &Actor,
    class_public_id: &str,
    teacher_id: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
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
        // Nobody gives themselves a class: that would be access they granted themselves.
        if teacher == actor.id {
            return Err(AppError::conflict("self_grant"));
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

/// A new school year: every class of `from_year` moves up a grade into it with its students
/// and the homeroom teacher `teachers` names for it (by "class-" and the old class's opaque
/// id: a form key that starts with a digit would read as a list index; the same
/// teacher when it names none, nobody when it names ""), while classes of `final_grade` and
/// above graduate (their records stay, marked as left). One transaction.
pub async fn rollover(
    cx: &Context<'_>,
    actor: &Actor,
    plan: &RolloverPlan<'_>,
) -> Result<RolledOver, AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let (new_year, done, _, blocked) = carry_out(&mut tx, cx, actor, plan).await?;
    // Moving on without a teacher is said, on the preview, before it is done.
    if !blocked.is_empty() && !plan.without_unavailable {
        return Err(AppError::conflict("rollover.teachers_unavailable"));
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("records.rollover", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("school_year", new_year)
            .client(cx.client.clone())
            .details(serde_json::json!({
                "from": plan.from_year,
                "classes": done.classes,
                "promoted": done.promoted,
                "stayed": done.stayed,
                "graduated": done.graduated,
                "without_teacher": blocked.len(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// What `rollover` would do with this plan, found by doing it in a transaction that is
/// then rolled back: the same rules and the same figures, nothing kept, nothing audited.
pub async fn preview_rollover(
    cx: &Context<'_>,
    actor: &Actor,
    plan: &RolloverPlan<'_>,
) -> Result<RolloverPreview, AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let (_, done, moves, blocked) = carry_out(&mut tx, cx, actor, plan).await?;
    tx.rollback().await?;
    let kept: std::collections::BTreeSet<i64> = moves.iter().filter_map(|m| m.to_grade).collect();
    let lowest = moves.iter().map(|m| m.from_grade).min().unwrap_or(1);
    let mut teachers: Vec<(String, String)> = plan
        .teachers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    teachers.sort();
    Ok(RolloverPreview {
        from_year: plan.from_year,
        name: plan.name.trim().to_owned(),
        starts_on: plan.starts_on.trim().to_owned(),
        ends_on: plan.ends_on.trim().to_owned(),
        final_grade: plan.final_grade,
        teachers,
        classes: done.classes,
        promoted: done.promoted,
        graduated: done.graduated,
        stayed: done.stayed,
        // The grades the new year starts without a class: the new 一年级 at least.
        grades_without_class: (lowest..=plan.final_grade.max(lowest))
            .filter(|g| !kept.contains(g))
            .collect(),
        moves,
        blocked,
    })
}

/// The rollover's work inside `tx`: the new year's id, the counts, and each class's move.
async fn carry_out(
    tx: &mut crate::db::Conn,
    cx: &Context<'_>,
    actor: &Actor,
    plan: &RolloverPlan<'_>,
) -> Result<(i64, RolledOver, Vec<ClassMove>, Vec<BlockedTeacher>), AppError> {
    let RolloverPlan {
        from_year,
        final_grade,
        teachers,
        ..
    } = *plan;
    let name = school_year_name(plan.name)?;
    let starts_on = date("starts_on", plan.starts_on)?;
    let ends_on = date("ends_on", plan.ends_on)?;
    if ends_on <= starts_on {
        return Err(AppError::invalid(
            "ends_on",
            "school_year.ends_before_start",
        ));
    }
    if !(1..=12).contains(&final_grade) {
        return Err(AppError::invalid("final_grade", "class.grade"));
    }
    if !repo::school_year_exists(&mut *tx, from_year).await? {
        return Err(AppError::invalid("from_year", "class.school_year"));
    }
    if repo::school_year_named(&mut *tx, &name).await? {
        return Err(AppError::invalid("name", "school_year.taken"));
    }
    let classes = repo::classes_to_promote(&mut *tx, from_year).await?;
    if classes.is_empty() {
        return Err(AppError::conflict("rollover.nothing"));
    }
    let eligible = repo::homeroom_teachers(&mut *tx).await?;
    // The classes' own teachers who cannot go on as teachers: the classes move up without
    // them. Only a class's own teacher is named so (an account chosen anew that cannot teach
    // is refused as before: the preview is no directory of accounts and their states).
    let named: Vec<i64> = classes
        .iter()
        .filter_map(|(_, _, _, _, current)| *current)
        .filter(|id| !eligible.iter().any(|e| e.0 == *id))
        .collect();
    let unavailable = repo::teacher_accounts(&mut *tx, &named).await?;
    let mut blocked = Vec::new();
    let teacher_name = |id: Option<i64>| {
        id.and_then(|id| eligible.iter().find(|t| t.0 == id))
            .map(|t| format!("{} ({})", t.1, t.2))
    };
    let new_year = repo::insert_school_year(&mut *tx, &name, starts_on, ends_on, cx.now).await?;
    let mut done = RolledOver::default();
    let mut moves = Vec::new();
    for (id, public_id, grade, class_name, teacher) in classes {
        done.stayed += repo::suspended_in(&mut *tx, id).await?;
        if grade >= final_grade {
            let students = repo::graduate_students(&mut *tx, id, cx.now).await?;
            done.graduated += students;
            repo::close_class(&mut *tx, id, None).await?;
            moves.push(ClassMove {
                from_grade: grade,
                name: class_name,
                to_grade: None,
                teacher: None,
                students,
            });
            continue;
        }
        let current = teacher;
        let chosen = match teachers
            .get(&format!("class-{public_id}"))
            .map(|t| t.trim())
        {
            None => current,
            Some("") => None,
            Some(t) => Some(
                t.parse::<i64>()
                    .map_err(|_| AppError::invalid("teachers", "class.not_a_teacher"))?,
            ),
        };
        let can_teach = |t: i64| eligible.iter().any(|e| e.0 == t);
        let teacher = match chosen {
            Some(t) if !can_teach(t) && current != Some(t) => {
                return Err(AppError::invalid("teachers", "class.not_a_teacher"));
            }
            Some(t) if !can_teach(t) => {
                // An account that cannot teach now moves up with nobody: the class gets its
                // teacher later, and the year goes on.
                let (_, display, username, state) = unavailable
                    .iter()
                    .find(|u| u.0 == t)
                    .ok_or_else(|| AppError::invalid("teachers", "class.not_a_teacher"))?;
                blocked.push(BlockedTeacher {
                    grade,
                    class: class_name.clone(),
                    teacher: format!("{display} ({username})"),
                    state: state.clone().unwrap_or_else(|| "no_role".into()),
                });
                None
            }
            // Keeping a class's own teacher gives nobody anything new; choosing oneself does.
            Some(t) if t == actor.id && current != Some(t) => {
                return Err(AppError::conflict("self_grant"));
            }
            chosen => chosen,
        };
        let new_class = repo::insert_class(
            &mut *tx,
            &crate::db::new_public_id(),
            new_year,
            grade + 1,
            &class_name,
            cx.now,
        )
        .await?;
        repo::set_homeroom_teacher(&mut *tx, new_class, teacher).await?;
        let students = repo::move_students(&mut *tx, id, new_class).await?;
        done.promoted += students;
        done.classes += 1;
        repo::close_class(&mut *tx, id, Some(new_class)).await?;
        moves.push(ClassMove {
            from_grade: grade,
            name: class_name,
            to_grade: Some(grade + 1),
            teacher: teacher_name(teacher),
            students,
        });
    }
    Ok((new_year, done, moves, blocked))
}

/// What a rollover is asked to do.
#[derive(Clone, Copy, Debug)]
pub struct RolloverPlan<'a> {
    pub from_year: i64,
    pub name: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub final_grade: i64,
    pub teachers: &'a std::collections::HashMap<String, String>,
    /// Whether classes whose teacher cannot go on move up without one (as the preview said).
    pub without_unavailable: bool,
}

/// What a rollover did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RolledOver {
    pub classes: u64,
    pub promoted: u64,
    pub graduated: u64,
    /// Suspended students left in their class (休学): a resumption places them.
    pub stayed: u64,
}

/// A class as the one check finds it: the resource an action on it is about (its homeroom
/// teacher), and the class itself for the step that acts on it.
impl crate::authz::Stored for repo::ClassRow {
    async fn find(
        conn: &mut crate::db::Conn,
        public_id: &str,
    ) -> Result<(crate::domain::access::Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((crate::domain::access::Resource::Nothing, None));
        }
        Ok(match repo::class_by_public_id(conn, public_id).await? {
            Some(class) => (class.resource(), Some(class)),
            None => (crate::domain::access::Resource::Nothing, None),
        })
    }
}

impl repo::ClassRow {
    /// The resource an action on this class is about: the class and its homeroom teacher.
    pub fn resource(&self) -> crate::domain::access::Resource {
        crate::domain::access::Resource::Class {
            id: self.id,
            homeroom_teacher: self.homeroom_teacher_id,
        }
    }
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
