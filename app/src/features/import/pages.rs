//! Roster import pages: choose a class and a file; map the columns and see the dry run;
//! import the valid rows as drafts.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    errors::AppError,
    features::{
        import::{
            functions::{CheckImport, CommitImport, DiscardImport, import_preview},
            import_commit::ImportCommit,
        },
        records::functions::records_home,
        structure::pages::class_label,
    },
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, page_error::PageError, use_locale},
    tr,
};

/// The label of a field a column can fill.
fn target_label(locale: Locale, field: &str) -> String {
    if field == crate::features::import::CLASS_COLUMN {
        return tr!(locale, "records.class");
    }
    match field.split_once('.') {
        Some(("guardians", rest)) => {
            let (i, f) = rest.split_once('.').unwrap_or((rest, ""));
            let n = i.parse::<usize>().unwrap_or(0) + 1;
            format!(
                "{} · {}",
                tr!(locale, "form.family_member", n = n),
                tr!(locale, &format!("field.{f}"))
            )
        }
        _ => tr!(locale, &format!("field.{field}")),
    }
}

/// The label of the field a problem is about.
fn problem_field(locale: Locale, field: &str) -> String {
    match field {
        "guardians" => tr!(locale, "form.family"),
        _ => match field.strip_prefix("guardian.") {
            Some(f) => format!(
                "{} · {}",
                tr!(locale, "form.family"),
                tr!(locale, &format!("field.{f}"))
            ),
            None => target_label(locale, field),
        },
    }
}

/// The rows' numbers as a reader takes them in: "2、3、5–9".
fn row_ranges(rows: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => rows[i].to_string(),
            1 => format!("{}、{}", rows[i], rows[j]),
            _ => format!("{}–{}", rows[i], rows[j]),
        });
        i = j + 1;
    }
    parts.join("、")
}

/// A dry run's problems of one sort, one line per kind ("6 行：出生地：请填写"), its rows
/// listed under it.
fn problem_groups(
    locale: Locale,
    title: &'static str,
    testid: &'static str,
    groups: Vec<crate::features::import::views::ProblemGroup>,
) -> Option<AnyView> {
    (!groups.is_empty()).then(|| {
        view! {
            <h3>{tr!(locale, title)}</h3>
            <ul class="problem-groups" data-testid=testid>
                {groups
                    .into_iter()
                    .map(|g| {
                        view! {
                            <li>
                                <strong>
                                    {tr!(
                                        locale, "import.group", n = g.rows.len(), field = problem_field(locale, &g.field), problem = tr!(locale, &format!("error.{}", g.code))
                                    )}
                                </strong>
                                <br />
                                <span class="hint">
                                    {tr!(locale, "import.group_rows", rows = row_ranges(&g.rows))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    })
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(records_home());
    let error = crate::kit::forms::returned_error("/api/records/import/upload");
    view! {
        <section class="card" aria-labelledby="import-title">
            <h1 id="import-title">{tr!(locale, "import.title")}</h1>
            <p class="hint">{tr!(locale, "import.hint")}</p>
            <p>
                <a href="/records/import/template.xlsx" download="xueji-roster-template.xlsx">
                    {tr!(locale, "import.template")}
                </a>
            </p>
            {error.map(|e| view! { <FormErrors locale error=Signal::stored(Some(e)) /> })}
            <Suspense>
                {move || Suspend::new(async move {
                    match home.await {
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        Ok(home) => {
                            view! {
                                <form
                                    class="form"
                                    method="post"
                                    action="/api/records/import/upload"
                                    enctype="multipart/form-data"
                                >
                                    <label for="import-class">{tr!(locale, "records.class")}</label>
                                    <select id="import-class" name="class_id" required>
                                        {home
                                            .classes
                                            .into_iter()
                                            .map(|p| {
                                                view! {
                                                    <option value=p
                                                        .class
                                                        .id
                                                        .clone()>{class_label(locale, &p.class)}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                    <label for="import-file">{tr!(locale, "import.file")}</label>
                                    <input
                                        id="import-file"
                                        name="file"
                                        type="file"
                                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                        required
                                    />
                                    <button type="submit">{tr!(locale, "import.upload")}</button>
                                </form>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ImportReviewPage() -> impl IntoView {
    let locale = use_locale();
    let id = use_params_map().with_untracked(|p| p.get("import").unwrap_or_default());
    let preview = OnceResource::new(import_preview(id));
    let check = ServerAction::<CheckImport>::new();
    let commit = ServerAction::<CommitImport>::new();
    let discard = ServerAction::<DiscardImport>::new();
    let error = Signal::derive(move || {
        let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        err(check.value().get())
            .or_else(|| err(commit.value().get()))
            .or_else(|| err(discard.value().get()))
    });
    view! {
        <section class="card" aria-labelledby="import-title">
            <h1 id="import-title">{tr!(locale, "import.title")}</h1>
            <FormErrors locale error />
            <Suspense>
                {move || Suspend::new(async move {
                    match preview.await {
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        Ok(v) => {
                            let (id_check, id_commit, id_discard) = (
                                v.id.clone(),
                                v.id.clone(),
                                v.id.clone(),
                            );
                            let targets = v.targets.clone();
                            let columns = v
                                .header
                                .iter()
                                .zip(v.mapping.iter())
                                .enumerate()
                                .map(|(i, (column, chosen))| {
                                    let select_id = format!("column-{i}");
                                    let label = if column.is_empty() {
                                        tr!(locale, "import.column_n", n = i + 1)
                                    } else {
                                        column.clone()
                                    };
                                    view! {
                                        <label for=select_id
                                            .clone()>
                                            {tr!(locale, "import.column", column = label)}
                                        </label>
                                        <select id=select_id name=format!("mapping[{i}]")>
                                            <option value="" selected=chosen.is_empty()>
                                                {tr!(locale, "import.ignore")}
                                            </option>
                                            {targets
                                                .iter()
                                                .map(|t| {
                                                    view! {
                                                        <option value=t.clone() selected=t == chosen>
                                                            {target_label(locale, t)}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    }
                                })
                                .collect_view()
                                .into_any();
                            let checked = v.valid.is_some();
                            let mapping = // Once a dry run is done, its result comes first, where the eye is; the
                            // column mapping folds away below it (open to change and run again).
                            view! {
                                <details class="mapping" open=!checked>
                                    <summary>
                                        <h2>{tr!(locale, "import.mapping")}</h2>
                                    </summary>
                                    <ActionForm action=check attr:class="form mapping">
                                        <input type="hidden" name="import_id" value=id_check />
                                        {columns}
                                        <button type="submit" class="secondary">
                                            {tr!(locale, "import.dry_run")}
                                        </button>
                                    </ActionForm>
                                </details>
                            };
                            view! {
                                <p class="import-file">
                                    {class_label(locale, &v.class)} " · " {v.file_name.clone()}
                                    " · " {tr!(locale, "import.rows", n = v.total)}
                                </p>
                                {v
                                    .valid
                                    .map(|valid| {
                                        let incomplete = v.incomplete.unwrap_or(0);
                                        let refused = v.total - valid - incomplete;
                                        let (refusing, completing): (Vec<_>, Vec<_>) = v
                                            .groups
                                            .iter()
                                            .cloned()
                                            .partition(|g| g.refused);
                                        view! {
                                            <h2>{tr!(locale, "import.result")}</h2>
                                            <p data-testid="dry-run" role="status">
                                                {if incomplete == 0 {
                                                    tr!(
                                                        locale, "import.summary", valid = valid, refused = refused
                                                    )
                                                } else {
                                                    tr!(
                                                        locale, "import.summary_incomplete", valid = valid, incomplete = incomplete, refused = refused
                                                    )
                                                }}
                                            </p>
                                            // Where the rows go, when that is not simply the class chosen.
                                            {(v.classes.len() > 1
                                                || v.classes.iter().any(|(c, _)| c.id != v.class.id))
                                                .then(|| {
                                                    view! {
                                                        <ul class="import-classes" data-testid="import-classes">
                                                            {v
                                                                .classes
                                                                .iter()
                                                                .map(|(c, n)| {
                                                                    view! {
                                                                        <li>
                                                                            {tr!(
                                                                                locale, "import.into_class", class = class_label(locale, c), n = *n
                                                                            )}
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    }
                                                })}
                                            {(valid + incomplete > 0)
                                                .then(|| {
                                                    view! {
                                                        <ImportCommit
                                                            locale
                                                            import_id=id_commit.clone()
                                                            valid
                                                            incomplete
                                                        />
                                                    }
                                                })}
                                            {problem_groups(
                                                locale,
                                                "import.groups_refused",
                                                "problems",
                                                refusing,
                                            )}
                                            {problem_groups(
                                                locale,
                                                "import.groups_incomplete",
                                                "incomplete",
                                                completing,
                                            )}
                                        }
                                    })}
                                {mapping}
                                <ActionForm action=discard attr:class="inline">
                                    <input type="hidden" name="import_id" value=id_discard />
                                    <button type="submit" class="secondary small">
                                        {tr!(locale, "import.discard")}
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
