//! The inspections' server functions: each one check, then the service.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::inspections::views::{Due, InspectionInput, InspectionView, InspectionsHome},
};

/// When the next inspection is due, the checklist as of now (for those who record), the
/// inspections recorded, the roles not re-confirmed.
#[server(name = InspectionsHomeView, prefix = "/api", endpoint = "inspections")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inspections_home() -> Result<InspectionsHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::records_context,
    };
    let (state, actor) = guard(Action::ViewInspections, nothing).await?;
    let actor = actor.ok_or_else(AppError::forbidden)?;
    super::service::home(&records_context(&state), &actor).await
}

/// When the next inspection is due: the warning on every page of those who inspect.
#[server(name = InspectionDue, prefix = "/api", endpoint = "inspections/due")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inspection_due() -> Result<Due, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::records_context,
    };
    let (state, _) = guard(Action::ViewInspections, nothing).await?;
    let cx = records_context(&state);
    let mut conn = state.pool.acquire().await?;
    super::service::due(&mut conn, &cx).await
}

/// A records administrator or leading-group member records an inspection.
#[server(name = RecordInspection, prefix = "/api", endpoint = "inspections/record")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn record_inspection(inspection: InspectionInput) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::records_context,
    };
    let (state, actor, _, tx) = guard_in(
        Opening::Write,
        |_, _| Action::RecordInspection,
        async |_| Ok(Resource::Nothing),
    )
    .await?;
    let id = crate::kit::forms::keeping(
        &inspection,
        super::service::record(tx, &records_context(&state), &actor, &inspection),
    )
    .await?;
    leptos_axum::redirect(&Done::InspectionRecorded.at(&format!("/inspections/{id}")));
    Ok(())
}

/// One inspection record.
#[server(name = InspectionPage, prefix = "/api", endpoint = "inspections/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inspection_page(inspection_id: String) -> Result<InspectionView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::records_context};
    let (state, _, _, tx, id) =
        crate::authz::guard_row(Opening::Read, Action::ViewInspection, async |c| {
            super::service::guarded(c, &inspection_id).await
        })
        .await?;
    super::service::view(tx, &records_context(&state), id).await
}
