//! The leak reports' server functions: each one check (`guard`, or `guard_row` on the report
//! loaded in the transaction that acts), then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::leaks::views::{LeakInput, LeakView, LeaksHome},
};

/// The student a report is about to name, for a reporter who may see them (come from the
/// student's page): their name and class. Anyone else is told nothing (not found).
#[server(name = LeakSubject, prefix = "/api", endpoint = "leaks/subject")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn leak_subject(
    student_id: String,
) -> Result<(String, crate::features::structure::views::ClassSummary), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, permits},
        features::records::service as records,
    };
    if student_id.len() != 32 || !student_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::not_found());
    }
    let Guarded { mut tx, .. } = guard_in(
        Opening::Read,
        // The student's teacher or a records administrator: whoever sees the record.
        |actor, resource| {
            if permits(actor, Action::EditStudents, resource) {
                Action::EditStudents
            } else {
                Action::ReviewRecords
            }
        },
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    records::name_and_class(&mut tx, &student_id).await
}

/// One's reports and, for those who handle them, every report with the dashboard's figures.
#[server(name = LeaksHomeView, prefix = "/api", endpoint = "leaks")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn leaks_home() -> Result<LeaksHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewLeaks, nothing).await?;
    super::service::home(&context(&state), &actor).await
}

/// The banner's count: reports nobody has acknowledged (0 for those who do not handle them).
#[server(name = LeaksUnacknowledged, prefix = "/api", endpoint = "leaks/unacknowledged")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn leaks_unacknowledged() -> Result<i64, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewLeaks, nothing).await?;
    super::service::unacknowledged(&context(&state), &actor).await
}

/// Anyone signed in files a report.
#[server(name = FileLeak, prefix = "/api", endpoint = "leaks/file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn file_leak(leak: LeakInput) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::context,
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::ReportLeak,
        async |_| Ok(Resource::Nothing),
    )
    .await?;
    // A refused report comes back as it was typed, so nothing typed is lost.
    let id = crate::kit::forms::keeping(
        &leak,
        super::service::file(tx, &context(&state), &actor, &leak),
    )
    .await?;
    leptos_axum::redirect(&Done::LeakFiled.at(&format!("/leaks/{id}")));
    Ok(())
}

/// One report: its record, its timeline, and what the viewer may do with it.
#[server(name = LeakPage, prefix = "/api", endpoint = "leaks/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn leak_page(leak_id: String) -> Result<LeakView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        resource,
        tx,
        row,
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::ViewLeak,
        &leak_id,
    )
    .await?;
    super::service::view(tx, &context(&state), &actor, resource, &row).await
}

/// One who handles reports, other than the reporter, acknowledges it.
#[server(name = AcknowledgeLeak, prefix = "/api", endpoint = "leaks/acknowledge")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn acknowledge_leak(leak_id: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::AcknowledgeLeak,
        &leak_id,
    )
    .await?;
    super::service::acknowledge(tx, &context(&state), &actor, &row).await?;
    leptos_axum::redirect(&Done::LeakAcknowledged.at(&format!("/leaks/{leak_id}")));
    Ok(())
}

/// A leader freezes named accounts and revokes live releases, in one step.
#[server(name = ContainLeak, prefix = "/api", endpoint = "leaks/contain")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn contain_leak(
    leak_id: String,
    #[server(default)] freeze: Vec<String>,
    revoke: String,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let revoke = super::service::Revoke::parse(revoke.trim())
        .ok_or_else(|| AppError::invalid("revoke", "leak.revoke_scope"))?;
    if freeze.len() > super::service::MAX_NAMED {
        return Err(AppError::invalid("freeze", "leak.too_many"));
    }
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::ContainLeak,
        &leak_id,
    )
    .await?;
    super::service::contain(tx, &context(&state), &actor, &row, &freeze, revoke).await?;
    leptos_axum::redirect(&Done::LeakContained.at(&format!("/leaks/{leak_id}")));
    Ok(())
}

/// A leader unfreezes an account the report froze.
#[server(name = UnfreezeLeak, prefix = "/api", endpoint = "leaks/unfreeze")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn unfreeze_leak(leak_id: String, account: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::ContainLeak,
        &leak_id,
    )
    .await?;
    super::service::unfreeze(tx, &context(&state), &actor, &row, account.trim()).await?;
    leptos_axum::redirect(&Done::LeakUnfrozen.at(&format!("/leaks/{leak_id}")));
    Ok(())
}

/// A second person (a leader or leading-group member, neither the proposer nor the holder)
/// confirms the freeze of a privileged holder another leader proposed.
#[server(name = ConfirmFreeze, prefix = "/api", endpoint = "leaks/confirm-freeze")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_freeze(leak_id: String, account: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::ConfirmFreeze,
        &leak_id,
    )
    .await?;
    super::service::confirm_freeze(tx, &context(&state), &actor, &row, account.trim()).await?;
    leptos_axum::redirect(&Done::FreezeConfirmed.at(&format!("/leaks/{leak_id}")));
    Ok(())
}

/// One who handles reports adds a remedy taken.
#[server(name = RemedyLeak, prefix = "/api", endpoint = "leaks/remedy")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn remedy_leak(leak_id: String, remedy: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::RemedyLeak,
        &leak_id,
    )
    .await?;
    super::service::remedy(tx, &context(&state), &actor, &row, &remedy).await?;
    leptos_axum::redirect(&Done::LeakRemedied.at(&format!("/leaks/{leak_id}")));
    Ok(())
}

/// A leader or leading-group member other than the reporter closes it with a conclusion.
#[server(name = CloseLeak, prefix = "/api", endpoint = "leaks/close")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn close_leak(leak_id: String, conclusion: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::LeakRow>(
        Opening::Write,
        Action::CloseLeak,
        &leak_id,
    )
    .await?;
    super::service::close(tx, &context(&state), &actor, &row, &conclusion).await?;
    leptos_axum::redirect(&Done::LeakClosed.at(&format!("/leaks/{leak_id}")));
    Ok(())
}
