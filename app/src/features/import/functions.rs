//! Roster import: upload, column mapping and dry run, import, discard.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{errors::AppError, features::import::views::ImportView};

/// Uploads a roster file for a class. The form sends `class_id` before `file`, so the right
/// to import into that class is checked before the file is read.
#[server(
    name = UploadRoster,
    prefix = "/api",
    endpoint = "records/import/upload",
    input = server_fn::codec::MultipartFormData
)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn upload_roster(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::{import::service as import, records::service as records},
        state::context,
    };
    let unreadable = || AppError::invalid("file", "import.unreadable");
    let mut data = data.into_inner().ok_or_else(unreadable)?;
    let mut authorised = None;
    let mut upload = None;
    while let Some(mut field) = data.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("class_id") if authorised.is_none() => {
                let class_id = field.text().await.map_err(|_| unreadable())?;
                // Checked before the file is read, in a read transaction; the upload's
                // write transaction then makes sure the class is still the one checked.
                let Guarded {
                    state,
                    actor,
                    resource,
                    ..
                } = guard_in(
                    Opening::Read,
                    |_, _| Action::ImportRoster,
                    async |c| records::class_resource(c, &class_id).await,
                )
                .await?;
                authorised = Some((state, actor, class_id, resource));
            }
            Some("file") => {
                if authorised.is_none() {
                    return Err(AppError::forbidden());
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
            _ => {}
        }
    }
    let (state, actor, class_id, checked) = authorised.ok_or_else(AppError::forbidden)?;
    let (name, bytes) = upload.ok_or_else(|| AppError::invalid("file", "import.empty"))?;
    let id = import::upload(
        &context(&state),
        &actor,
        (&class_id, checked),
        &name,
        &bytes,
    )
    .await?;
    leptos_axum::redirect(&format!("/records/import/{id}"));
    Ok(())
}

/// An upload's columns, their mapping, and its dry run once asked for.
#[server(name = ImportPreview, prefix = "/api", endpoint = "records/import")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_preview(import_id: String) -> Result<ImportView, AppError> {
    let Guarded {
        state,
        actor,
        mut tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ImportRow>(
        crate::authz::Opening::Read,
        crate::domain::access::Action::ImportRoster,
        &import_id,
    )
    .await?;
    crate::features::import::service::view(&mut tx, &crate::state::context(&state), &actor, &row)
        .await
}

/// Keeps the column mapping (one field per column, "" for none) and shows the dry run.
#[server(name = CheckImport, prefix = "/api", endpoint = "records/import/check")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn check_import(
    import_id: String,
    #[server(default)] mapping: Vec<String>,
) -> Result<(), AppError> {
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ImportRow>(
        crate::authz::Opening::Write,
        crate::domain::access::Action::ImportRoster,
        &import_id,
    )
    .await?;
    crate::features::import::service::set_mapping(
        tx,
        &crate::state::context(&state),
        &actor,
        &row,
        mapping,
    )
    .await?;
    leptos_axum::redirect(&Done::Checked.at(&format!("/records/import/{import_id}")));
    Ok(())
}

/// Imports the valid rows as drafts and deletes the upload.
#[server(name = CommitImport, prefix = "/api", endpoint = "records/import/commit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn commit_import(import_id: String) -> Result<(), AppError> {
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ImportRow>(
        crate::authz::Opening::Write,
        crate::domain::access::Action::ImportRoster,
        &import_id,
    )
    .await?;
    let (imported, incomplete, shown) = crate::features::import::service::commit(
        tx,
        &crate::state::context(&state),
        &actor,
        &row,
        |_, _| {},
    )
    .await?;
    leptos_axum::redirect(&Done::of_import(&shown, imported as u64, incomplete as u64));
    Ok(())
}

/// How the streamed commit's last line begins when the commit failed.
pub const STREAM_ERROR: &str = "error ";

/// Imports the valid rows as drafts like `commit_import`, answering with the progress as it
/// goes: a line "done/of" every hundred rows, then "done <imported> <page to open>", or, if the
/// commit fails midway, "error <the error as JSON>" (the form's island shows it; without
/// JavaScript the form posts to `commit_import`). A refusal known before it begins is an
/// ordinary answer; the stream itself never fails, since a failed stream cuts the response
/// off without a word.
#[server(
    name = CommitImportStream,
    prefix = "/api",
    endpoint = "records/import/commit-stream",
    output = server_fn::codec::StreamingText
)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn commit_import_stream(
    import_id: String,
) -> Result<server_fn::codec::TextStream<AppError>, AppError> {
    use crate::kit::context::Context;
    // The write transaction is taken now and handed to the task that streams the commit,
    // so the upload checked here is the one committed.
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ImportRow>(
        crate::authz::Opening::Write,
        crate::domain::access::Action::ImportRoster,
        &import_id,
    )
    .await?;
    crate::features::import::service::committable(&actor, &row)?;
    let client = crate::state::client_address();
    let (sender, receiver) = futures::channel::mpsc::unbounded::<Result<String, AppError>>();
    tokio::spawn(async move {
        let cx = Context {
            pool: &state.pool,
            key: &state.audit_key,
            data: &state.data_keys,
            now: state.clock.now(),
            timezone: state.timezone,
            client,
        };
        let progress = sender.clone();
        let result = crate::features::import::service::commit(tx, &cx, &actor, &row, |done, of| {
            let _ = progress.unbounded_send(Ok(format!("{done}/{of}\n")));
        })
        .await;
        let last = match result {
            Ok((imported, incomplete, shown)) => format!("done {imported} {incomplete} {shown}\n"),
            Err(error) => format!(
                "{}{}\n",
                STREAM_ERROR,
                serde_json::to_string(&error).unwrap_or_default()
            ),
        };
        let _ = sender.unbounded_send(Ok(last));
    });
    Ok(server_fn::codec::TextStream::new(receiver))
}

/// Throws an upload away.
#[server(name = DiscardImport, prefix = "/api", endpoint = "records/import/discard")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn discard_import(import_id: String) -> Result<(), AppError> {
    let Guarded { actor, tx, row, .. } = crate::authz::guard_one::<super::store::ImportRow>(
        crate::authz::Opening::Write,
        crate::domain::access::Action::ImportRoster,
        &import_id,
    )
    .await?;
    crate::features::import::service::discard(tx, &actor, &row).await?;
    leptos_axum::redirect(&Done::UploadDiscarded.at("/records"));
    Ok(())
}
