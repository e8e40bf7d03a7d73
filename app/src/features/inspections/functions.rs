//! The inspections' server functions: each one check, then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
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
        state::context,
    };
    let (state, actor) = guard(Action::ViewInspections, nothing).await?;
    super::service::home(&context(&state), &state.audit_witness, &actor).await
}

/// When the next inspection is due: the warning on every page of those who inspect.
#[server(name = InspectionDue, prefix = "/api", endpoint = "inspections/due")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inspection_due() -> Result<Due, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, _) = guard(Action::ViewInspections, nothing).await?;
    let cx = context(&state);
    let mut conn = state.pool.acquire().await?;
    super::service::due(&mut conn, &cx).await
}

/// A records administrator or leading-group member records an inspection.
#[server(name = RecordInspection, prefix = "/api", endpoint = "inspections/record")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn record_inspection(inspection: InspectionInput) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    // The check is on roles alone (an inspection is nobody's resource), so it needs no
    // transaction; the trail is verified after it, before the write transaction begins (from
    // the last head verified on, on connections of its own), so that the write lock is never
    // held while the chain is recomputed.
    let (state, actor) = guard(Action::RecordInspection, nothing).await?;
    let cx = context(&state);
    let trail =
        crate::features::audit::service::verdict(&state.audit_witness, &state.pool, cx.key).await?;
    let tx = crate::db::begin_write(&state.pool).await?;
    let id = crate::kit::forms::keeping(
        &inspection,
        super::service::record(tx, &cx, &actor, &inspection, &trail),
    )
    .await?;
    leptos_axum::redirect(&Done::InspectionRecorded.at(&format!("/inspections/{id}")));
    Ok(())
}

/// One inspection record.
#[server(name = InspectionPage, prefix = "/api", endpoint = "inspections/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inspection_page(inspection_id: String) -> Result<InspectionView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state, tx, row: id, ..
    } = crate::authz::guard_row(Opening::Read, Action::ViewInspection, async |c| {
        super::service::guarded(c, &inspection_id).await
    })
    .await?;
    super::service::view(tx, &context(&state), id).await
}
