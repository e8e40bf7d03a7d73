//! The status panel: the portal's own health, as the server reports it.

use leptos::prelude::*;

use crate::{
    features::status::functions::GetSystemStatus, features::status::views::SystemStatus,
    i18n::Locale, kit::ui::use_hydrated, tr,
};

/// Shows the status the page was rendered with; "check again" asks the server anew, in the
/// background when WebAssembly runs and as a plain form post (the page comes back) when not.
#[island]
pub fn StatusPanel(locale: Locale, initial: SystemStatus) -> impl IntoView {
    let hydrated = use_hydrated();
    let refresh = ServerAction::<GetSystemStatus>::new();
    let status = Memo::new(move |_| match refresh.value().get() {
        Some(Ok(status)) => status,
        _ => initial.clone(),
    });
    let failed = move || {
        refresh
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.message(locale))
    };

    view! {
        <section
            class="card status-panel"
            aria-labelledby="status-title"
            aria-busy=move || refresh.pending().get().to_string()
            data-hydrated=move || hydrated.get().to_string()
        >
            <h2 id="status-title">{tr!(locale, "status.title")}</h2>
            <dl class="facts">
                <div>
                    <dt>{tr!(locale, "status.database")}</dt>
                    <dd data-testid="database">
                        {move || {
                            format!(
                                "{} · {}",
                                tr!(locale, "status.database_ok"),
                                status.with(|s| s.journal_mode.to_uppercase()),
                            )
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr!(locale, "status.migration")}</dt>
                    <dd data-testid="migration">
                        {move || {
                            status
                                .with(|s| {
                                    tr!(
                                        locale, "status.migration_value",
                                    version = s.migration_version,
                                    count = s.migrations_applied
                                    )
                                })
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr!(locale, "status.disk")}</dt>
                    <dd data-testid="disk" class:problem=move || status.with(|s| s.disk_full)>
                        {move || {
                            status
                                .with(|s| match (s.disk_full, s.disk_free_mib) {
                                    (true, _) => tr!(locale, "status.disk_full"),
                                    (false, Some(mib)) => tr!(locale, "status.disk_free", mib = mib),
                                    (false, None) => tr!(locale, "status.disk_unknown"),
                                })
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{tr!(locale, "status.installed_at")}</dt>
                    <dd>{move || status.with(|s| s.installed_at.clone())}</dd>
                </div>
                <div>
                    <dt>{tr!(locale, "status.checked_at")}</dt>
                    <dd data-testid="checked-at">
                        <time>
                            {move || status.with(|s| format!("{} ({})", s.checked_at, s.timezone))}
                        </time>
                    </dd>
                </div>
            </dl>
            <ActionForm action=refresh>
                <button type="submit" disabled=move || refresh.pending().get()>
                    {tr!(locale, "status.refresh")}
                </button>
            </ActionForm>
            <p class="form-error" role="alert">
                {failed}
            </p>
        </section>
    }
}
