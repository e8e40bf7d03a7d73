//! School years, classes and homeroom teachers.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{errors::AppError, features::structure::views::SchoolStructure};

/// School years, classes with their homeroom teachers, and who can be one.
#[server(name = SchoolStructureView, prefix = "/api", endpoint = "records/structure")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn school_structure() -> Result<SchoolStructure, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
    };
    let (state, _) = guard(Action::AssignHomeroomTeacher, nothing).await?;
    crate::features::structure::service::overview(&state.pool).await
}

#[server(name = CreateSchoolYear, prefix = "/api", endpoint = "records/structure/year")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_school_year(
    name: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    crate::features::structure::service::create_school_year(
        &context(&state),
        &actor,
        &name,
        &starts_on,
        &ends_on,
    )
    .await?;
    leptos_axum::redirect(&Done::YearCreated.at("/records/structure"));
    Ok(())
}

/// Sets the day a school year's spring term begins (empty: 1 February).
#[server(name = SetSpringTerm, prefix = "/api", endpoint = "records/structure/term")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_spring_term(
    school_year_id: i64,
    #[server(default)] spring_term_starts_on: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    if spring_term_starts_on.len() > 10 {
        return Err(AppError::invalid("spring_term_starts_on", "date.format"));
    }
    crate::features::structure::service::set_spring_term(
        &context(&state),
        &actor,
        school_year_id,
        &spring_term_starts_on,
    )
    .await?;
    leptos_axum::redirect(&Done::SpringTermSet.at("/records/structure"));
    Ok(())
}

#[server(name = CreateClass, prefix = "/api", endpoint = "records/structure/class")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_class(school_year_id: i64, grade: i64, name: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    crate::features::structure::service::create_class(
        &context(&state),
        &actor,
        school_year_id,
        grade,
        &name,
    )
    .await?;
    leptos_axum::redirect(&Done::ClassCreated.at("/records/structure"));
    Ok(())
}

/// Makes someone (or nobody, with an empty `teacher_id`) the homeroom teacher of a class;
/// `back` is the page the form was on.
#[server(name = AssignHomeroomTeacher, prefix = "/api", endpoint = "records/structure/homeroom")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn assign_homeroom_teacher(
    class_id: String,
    #[server(default)] teacher_id: String,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::AssignHomeroomTeacher, nothing).await?;
    let teacher = match teacher_id.trim() {
        "" => None,
        id => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::invalid("teacher_id", "class.not_a_teacher"))?,
        ),
    };
    crate::features::structure::service::assign_homeroom_teacher(
        &context(&state),
        &actor,
        &class_id,
        teacher,
    )
    .await?;
    let done = if teacher.is_some() {
        Done::TeacherAssigned
    } else {
        Done::TeacherRemoved
    };
    leptos_axum::redirect(&done.at(if back == "accounts" {
        "/admin/accounts"
    } else {
        "/records/structure"
    }));
    Ok(())
}

/// Where a rollover's preview waits in the session for the page that shows it.
#[cfg(feature = "ssr")]
const ROLLOVER_PREVIEW: &str = "xueji.rollover_preview";

/// How the preview confirms a rollover whose classes named below move up without their
/// teacher (an account that cannot go on): `confirmed=without_teacher`.
pub const WITHOUT_TEACHER: &str = "without_teacher";

/// Moves the school on to a new school year: classes up a grade with their students and the
/// homeroom teachers chosen (`teachers[class-<class id>]`), the final grade graduated.
/// Asked without `confirmed=yes`, it only works out what it would do (the structure page
/// shows that preview with a form that confirms the same plan); confirmed, it does it.
#[server(name = Rollover, prefix = "/api", endpoint = "records/structure/rollover")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn rollover(
    from_year: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    final_grade: i64,
    #[server(default)] teachers: std::collections::HashMap<String, String>,
    #[server(default)] confirmed: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::structure::service,
        state::context,
    };
    let (state, actor) = guard(Action::ManageSchoolStructure, nothing).await?;
    let plan = service::RolloverPlan {
        from_year,
        name: &name,
        starts_on: &starts_on,
        ends_on: &ends_on,
        final_grade,
        teachers: &teachers,
        without_unavailable: confirmed == WITHOUT_TEACHER,
    };
    if confirmed != "yes" && confirmed != WITHOUT_TEACHER {
        let preview = service::preview_rollover(&context(&state), &actor, &plan).await?;
        crate::state::session()
            .await?
            .insert(ROLLOVER_PREVIEW, &preview)
            .await?;
        leptos_axum::redirect(&Done::RolloverPreviewed.at("/records/structure"));
        return Ok(());
    }
    let done = service::rollover(&context(&state), &actor, &plan).await?;
    leptos_axum::redirect(&Done::RolledOver.counted(
        "/records/structure",
        &[
            ("classes", done.classes),
            ("promoted", done.promoted),
            ("graduated", done.graduated),
        ],
    ));
    Ok(())
}

/// The rollover preview just asked for, shown once: a reload starts afresh.
#[server(name = RolloverPreviewView, prefix = "/api", endpoint = "records/structure/rollover/preview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn rollover_preview()
-> Result<Option<crate::features::structure::views::RolloverPreview>, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
    };
    guard(Action::ManageSchoolStructure, nothing).await?;
    crate::state::session()
        .await?
        .remove(ROLLOVER_PREVIEW)
        .await
        .map_err(AppError::internal)
}
