//! The problem records' server functions: each one check, then the service.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::problems::views::{EvidenceInput, ProblemsView},
};

/// The problem records: each open one for a records administrator, counts for a leader, and
/// what was resolved.
#[server(name = ProblemsPageView, prefix = "/api", endpoint = "records/problems")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn problems_page() -> Result<ProblemsView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewProblemRecords, nothing).await?;
    super::service::view(&context(&state), &actor).await
}

/// 佐证: a records administrator names the document that shows a flagged record right.
#[server(name = GiveProblemEvidence, prefix = "/api", endpoint = "records/problems/evidence")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn give_problem_evidence(problem_evidence: EvidenceInput) -> Result<(), AppError> {
    use crate::{
        authz::{Guarded, Opening, guard_in},
        domain::access::{Action, Resource},
        features::records::service as records,
        state::context,
    };
    let Guarded {
        state,
        actor,
        tx,
        resource,
        ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::SettleProblemRecord,
        async |c| {
            records::student_resource(c, &problem_evidence.student_id, crate::state::now()?).await
        },
    )
    .await?;
    let Resource::Student { id, .. } = resource else {
        return Err(AppError::forbidden());
    };
    super::service::give_evidence(tx, &context(&state), &actor, id, &problem_evidence).await?;
    leptos_axum::redirect(&Done::ProblemEvidenced.at("/records/problems"));
    Ok(())
}

/// Imports the national system's check of the school's numbers (an .xlsx or .csv): each
/// line about a pupil at school becomes a problem record for them.
#[server(
    name = ImportProblemFeedback,
    prefix = "/api",
    endpoint = "records/problems/feedback",
    input = server_fn::codec::MultipartFormData
)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_problem_feedback(
    data: server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::import::service as import,
        state::context,
    };
    // Checked before the file is read.
    let (state, actor) = guard(Action::ImportProblemFeedback, nothing).await?;
    let unreadable = || AppError::invalid("file", "import.unreadable");
    let mut data = data.into_inner().ok_or_else(unreadable)?;
    let mut upload = None;
    while let Some(mut field) = data.next_field().await.map_err(|_| unreadable())? {
        if field.name() != Some("file") {
            continue;
        }
        if upload.is_some() {
            return Err(unreadable());
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = crate::kit::forms::file_bytes(
            &mut field,
            import::MAX_BYTES,
            unreadable(),
            AppError::invalid("file", "import.too_large"),
        )
        .await?;
        upload = Some((name, bytes));
    }
    let (name, bytes) = upload.ok_or_else(|| AppError::invalid("file", "import.empty"))?;
    let counts = super::service::import_feedback(&context(&state), &actor, &name, &bytes).await?;
    leptos_axum::redirect(&Done::FeedbackImported.counted(
        "/records/problems",
        &[
            ("matched", counts.matched),
            ("not_here", counts.not_here),
            ("not_understood", counts.not_understood),
        ],
    ));
    Ok(())
}
