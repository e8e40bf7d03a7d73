//! The button that imports an upload's valid rows. Without JavaScript it is a plain form
//! post; with it, the island asks for the streamed commit and shows the rows done as the
//! server reports them, then opens the class (or the overview, for several).

use leptos::prelude::*;

use crate::{
    i18n::Locale,
    kit::ui::{done::Done, use_hydrated},
    tr,
};

#[island]
pub fn ImportCommit(
    locale: Locale,
    import_id: String,
    valid: usize,
    /// Rows that come in as drafts for their homeroom teacher to complete.
    incomplete: usize,
) -> impl IntoView {
    let rows = valid + incomplete;
    let hydrated = use_hydrated();
    let (progress, set_progress) = signal(None::<(usize, usize)>);
    let (failed, set_failed) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let id = import_id.clone();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        set_busy.set(true);
        set_progress.set(Some((0, rows)));
        let id = id.clone();
        leptos::task::spawn_local(async move {
            use futures::StreamExt;
            let stream = match crate::features::import::functions::commit_import_stream(id).await {
                Ok(stream) => stream,
                Err(e) => {
                    set_failed.set(Some(e.message(locale)));
                    set_busy.set(false);
                    return;
                }
            };
            let mut stream = stream.into_inner();
            let mut buffer = String::new();
            while let Some(chunk) = stream.next().await {
                match chunk {
                    Ok(text) => buffer.push_str(&text),
                    Err(e) => {
                        set_failed.set(Some(e.message(locale)));
                        set_busy.set(false);
                        return;
                    }
                }
                while let Some(end) = buffer.find('\n') {
                    let line: String = buffer.drain(..=end).collect();
                    let line = line.trim();
                    if let Some(error) =
                        line.strip_prefix(crate::features::import::functions::STREAM_ERROR)
                    {
                        let error = serde_json::from_str::<crate::errors::AppError>(error)
                            .unwrap_or_else(|_| {
                                crate::errors::AppError::from(crate::errors::ErrorKind::Transport)
                            });
                        set_failed.set(Some(error.message(locale)));
                        set_busy.set(false);
                        return;
                    } else if let Some(rest) = line.strip_prefix("done ") {
                        let mut parts = rest.split_whitespace();
                        let rows = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                        let incomplete = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                        // Only a page of this site: the server names it, but a path is checked
                        // before it is opened.
                        let shown = parts
                            .next()
                            .filter(|p| p.starts_with("/records") && !p.contains("//"))
                            .unwrap_or("/records");
                        let _ = window()
                            .location()
                            .set_href(&Done::of_import(shown, rows, incomplete));
                    } else if let Some((done, of)) = line.split_once('/')
                        && let (Ok(done), Ok(of)) = (done.parse(), of.parse())
                    {
                        set_progress.set(Some((done, of)));
                    }
                }
            }
        });
    };
    view! {
        <form
            class="inline import-commit"
            method="post"
            action="/api/records/import/commit"
            data-hydrated=move || hydrated.get().to_string()
            on:submit=start
        >
            <input type="hidden" name="import_id" value=import_id />
            <button type="submit" disabled=move || busy.get()>
                {if incomplete == 0 {
                    tr!(locale, "import.commit", n = valid)
                } else {
                    tr!(locale, "import.commit_all", n = rows, incomplete = incomplete)
                }}
            </button>
            <p class="hint" role="status" aria-live="polite" data-testid="import-progress">
                {move || {
                    progress
                        .get()
                        .map(|(done, of)| tr!(locale, "import.progress", done = done, of = of))
                }}
            </p>
            <p class="form-error" role="alert">
                {move || failed.get()}
            </p>
        </form>
    }
}
