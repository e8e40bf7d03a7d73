//! The house's arrows only go down: the shared parts of `app/src` (the kit, the domain, the
//! database door, authorisation, state, errors) name no feature, and the features
//! name each other without a circle. Read from the source, so that a new arrow the wrong
//! way fails here, not in a review.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The features a source text names: `features::records::…`, and each of the names in
/// `features::{records::…, search::…}`.
fn features_named(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("features::") {
        let rest = &text[at + "features::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            named.insert(ident(rest));
            continue;
        };
        // The names at the group's first level: after its `{` and after each `,` there.
        let mut depth = 1;
        let mut start = true;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => break,
                '}' => depth -= 1,
                ',' if depth == 1 => start = true,
                c if start && !c.is_whitespace() => {
                    named.insert(ident(&group[i..]));
                    start = false;
                }
                _ => {}
            }
        }
    }
    named.retain(|n| !n.is_empty());
    named
}

#[test]
fn shared_parts_know_no_feature_and_features_form_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong_way = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        let named = features_named(&text);
        match relative.strip_prefix("features/") {
            Some(rest) if rest.contains('/') => {
                let feature = rest.split('/').next().unwrap().to_owned();
                let edges = graph.entry(feature.clone()).or_default();
                edges.extend(named.into_iter().filter(|n| *n != feature));
            }
            // The features' own list, the document that routes to their pages, and the
            // crate root assemble the features: they are above them.
            Some(_) | None
                if ["features/mod.rs", "shell.rs", "lib.rs"].contains(&relative.as_str()) => {}
            _ if !named.is_empty() => wrong_way.push(format!("{relative} names {named:?}")),
            _ => {}
        }
    }
    assert!(
        wrong_way.is_empty(),
        "shared parts that name a feature: {wrong_way:#?}"
    );
    assert!(graph.len() >= 9, "the features were not found: {graph:?}");

    // A depth-first walk; a feature met again while it is on the path closes a circle.
    fn walk(
        at: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            let mut circle = path[i..].to_vec();
            circle.push(at.to_owned());
            return Some(circle);
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_owned());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(circle) = walk(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(at.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for feature in graph.keys() {
        let circle = walk(feature, &graph, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "a circle of features: {}",
            circle.unwrap().join(" → ")
        );
    }
}

#[test]
fn the_reader_of_feature_names_reads_groups_and_paths() {
    let text = "use crate::{features::{records::{store as repo, service}, search::service::Query}, kit};\n\
                let x = crate::features::structure::service::summaries(); // features::notices";
    let named: Vec<String> = features_named(text).into_iter().collect();
    assert_eq!(named, ["notices", "records", "search", "structure"]);
}

/// A source text without its comments (`//` to the end of a line; doc comments too), so
/// that prose naming a module is no arrow.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // A `//` inside a string ("http://…") is code: only a `//` outside quotes starts
        // a comment.
        let mut in_string = false;
        let mut prev = ' ';
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            match c {
                '"' if prev != '\\' => in_string = !in_string,
                '/' if !in_string && prev == '/' => {
                    cut = i - 1;
                    break;
                }
                _ => {}
            }
            prev = c;
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// The paths a `use` tree names, each as its segments: `a::{b, c::{d, e as f}}` gives
/// `a::b`, `a::c::d`, `a::c::e`.
fn expand_tree(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{')
        && tree.ends_with('}')
    {
        let base: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let mut at = prefix.to_vec();
        at.extend(base);
        let inner = &tree[open + 1..tree.len() - 1];
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_tree(&inner[start..i], &at, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_tree(&inner[start..], &at, out);
        return;
    }
    let path = tree.split(" as ").next().unwrap_or_default();
    let mut segments = prefix.to_vec();
    segments.extend(
        path.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "self")
            .map(str::to_owned),
    );
    if !segments.is_empty() {
        out.push(segments);
    }
}

/// Every path from the crate's root a source names: its `use crate::…` trees, its inline
/// `crate::a::b` paths, and its `super::…` paths made absolute (`module` is the file's own
/// module path, a folder's `mod.rs` being the folder).
fn crate_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use crate::") {
        let tail = &rest[at + "use crate::".len()..];
        let end = tail.find(';').unwrap_or(tail.len());
        expand_tree(&tail[..end], &[], &mut out);
        rest = &tail[end..];
    }
    // A path's segments: identifiers joined by `::`, up to the first that something else
    // follows (`run();` ends the path `service::run`).
    let path_after = |text: &str| -> Vec<String> {
        let mut path = Vec::new();
        for segment in text.split("::") {
            let ident: String = segment
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let whole = ident.len() == segment.len();
            if !ident.is_empty() {
                path.push(ident);
            }
            if !whole || path.is_empty() {
                break;
            }
        }
        path
    };
    for (keyword, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (at, _) in code.match_indices(keyword) {
            let before = code[..at].chars().next_back().unwrap_or(' ');
            if before.is_ascii_alphanumeric() || before == '_' || before == ':' {
                continue;
            }
            let mut path = base.clone();
            path.extend(path_after(&code[at + keyword.len()..]));
            out.push(path);
        }
    }
    out
}

/// `app/src`'s files by module path (`features/records/service.rs` is
/// `features::records::service`, a `mod.rs` its folder, `lib.rs` the root), with their code.
fn modules() -> BTreeMap<Vec<String>, (String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut module: Vec<String> = relative
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_owned)
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            let code = code_of(&std::fs::read_to_string(&file).unwrap());
            (module, (relative, code))
        })
        .collect()
}

/// The files each file names (the longest module path a named path starts with).
fn file_graph(
    modules: &BTreeMap<Vec<String>, (String, String)>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, (relative, code)) in modules {
        let edges: &mut BTreeSet<String> = graph.entry(relative.clone()).or_default();
        for path in crate_paths(code, module) {
            let named = (1..=path.len())
                .rev()
                .find_map(|n| modules.get(&path[..n]))
                .map(|(file, _)| file.clone());
            if let Some(file) = named
                && file != *relative
            {
                edges.insert(file);
            }
        }
    }
    graph
}

/// A circle in `graph`, if there is one.
fn circle_in(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            let mut circle = path[i..].to_vec();
            circle.push(at.to_owned());
            return Some(circle);
        }
        if !done.insert(at.to_owned()) {
            return None;
        }
        path.push(at.to_owned());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(circle) = walk(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|file| walk(file, graph, &mut Vec::new(), &mut done))
}

#[test]
fn files_name_each_other_without_a_circle() {
    let modules = modules();
    assert!(modules.len() > 100, "the sources were not found");
    let graph = file_graph(&modules);
    if let Some(circle) = circle_in(&graph) {
        panic!("a circle of files: {}", circle.join(" → "));
    }
}

/// The layers' one-way rules: the kit names no feature and not the server's state (it is
/// handed a `kit::context::Context`); the domain (the rules) names no kit.
#[test]
fn the_kit_knows_no_feature_nor_state_and_the_domain_no_kit() {
    let mut wrong_way = Vec::new();
    for (module, (relative, code)) in &modules() {
        let forbidden: &[&str] = match module.first().map(String::as_str) {
            Some("kit") => &["features", "state", "shell"],
            Some("domain") => &["kit", "features", "state", "shell"],
            _ => continue,
        };
        for path in crate_paths(code, module) {
            if let Some(first) = path.first()
                && forbidden.contains(&first.as_str())
            {
                wrong_way.push(format!("{relative} names {}", path.join("::")));
            }
        }
    }
    assert!(wrong_way.is_empty(), "arrows the wrong way: {wrong_way:#?}");
}

/// Which feature owns each table: only its files' SQL names it.
const TABLES: &[(&str, &[&str])] = &[
    (
        "accounts",
        &[
            "users",
            "user_roles",
            "password_policy",
            "setup_tokens",
            "sign_in_throttle",
            "trusted_devices",
        ],
    ),
    (
        "records",
        &[
            "students",
            "guardians",
            "student_revisions",
            "form_drafts",
            "student_search_keys",
            "number_search_budget",
        ],
    ),
    ("structure", &["classes", "school_years"]),
    ("import", &["roster_imports"]),
    (
        "requests",
        &[
            "info_requests",
            "info_request_fields",
            "info_request_students",
            "disclosures",
        ],
    ),
    ("grants", &["role_grant_requests"]),
    ("handovers", &["role_handovers"]),
    ("changes", &["status_changes", "status_change_proofs"]),
    ("calendar", &["calendar_days"]),
    ("publications", &["publication_reviews"]),
    ("leaks", &["leak_reports", "leak_report_subjects"]),
    ("retention", &["destructions", "destruction_students"]),
    (
        "inspections",
        &["inspections", "inspection_items", "inspection_unconfirmed"],
    ),
    ("notices", &["notices"]),
    // The kit's own tables that features must leave to it: the audit's denial counts.
    ("kit", &["denial_windows"]),
];

/// The reads across features that are still written as SQL naming another feature's tables
/// (issue 28 names them: inspections and the audit viewer read every feature's tables for
/// their figures, lists join people's names from `users`, retention erases what the records
/// hold). The list only shrinks: a new file, or a new table in a listed file, fails.
const CROSSINGS_LEFT: &[(&str, &[&str])] = &[
    // The kit's own SQL (named from app/src): the publication scan looks for students' names
    // in a text, the key checks and the re-sealing read every sealed column, a history
    // names who took each step.
    ("kit/free_text.rs", &["classes", "students"]),
    (
        "kit/sealing/key_checks.rs",
        &[
            "form_drafts",
            "guardians",
            "roster_imports",
            "student_revisions",
            "students",
        ],
    ),
    (
        "kit/sealing/sealed.rs",
        &[
            "form_drafts",
            "guardians",
            "roster_imports",
            "status_change_proofs",
            "status_changes",
            "student_revisions",
            "students",
        ],
    ),
    ("kit/workflow/machine.rs", &["users"]),
    (
        "audit/store.rs",
        &[
            "classes",
            "destructions",
            "info_requests",
            "inspections",
            "leak_reports",
            "publication_reviews",
            "role_handovers",
            "students",
            "users",
        ],
    ),
    // A change of status's form names the student, their class and the people in one
    // statement, and its approval is what makes the student leave.
    (
        "changes/store.rs",
        &["classes", "school_years", "students", "users"],
    ),
    // Moved out of accounts with role grants: the requests' names are joined in.
    ("grants/store.rs", &["users"]),
    ("handovers/store.rs", &["info_requests", "users"]),
    ("import/store.rs", &["classes"]),
    // An inspection's record names its recorder and the holdings it left unconfirmed.
    ("inspections/store.rs", &["user_roles", "users"]),
    (
        "leaks/store.rs",
        &[
            "classes",
            "info_request_students",
            "info_requests",
            "school_years",
            "students",
            "users",
        ],
    ),
    (
        "notices/store.rs",
        &["number_search_budget", "user_roles", "users"],
    ),
    (
        "publications/store.rs",
        &["classes", "student_search_keys", "students", "users"],
    ),
    // A leaving a leader approved as a change of status is undone by no records
    // administrator alone.
    (
        "records/store.rs",
        &[
            "classes",
            "destruction_students",
            "destructions",
            "status_changes",
        ],
    ),
    ("requests/store.rs", &["students", "users"]),
    // Retention erases and looks for leftovers in every table that holds a student's data,
    // by name lists as well as in SQL.
    (
        "retention/leftovers.rs",
        &[
            "form_drafts",
            "guardians",
            "info_requests",
            "inspection_items",
            "inspections",
            "leak_reports",
            "publication_reviews",
            "role_handovers",
            "roster_imports",
            "status_changes",
            "student_search_keys",
            "students",
        ],
    ),
    (
        "retention/store.rs",
        &[
            "classes",
            "form_drafts",
            "guardians",
            "info_request_students",
            "info_requests",
            "school_years",
            "status_change_proofs",
            "status_changes",
            "student_revisions",
            "student_search_keys",
            "students",
            "users",
        ],
    ),
    ("structure/store.rs", &["students", "user_roles", "users"]),
];

/// The tables a source's string literals name: after `JOIN`, `INTO` or `UPDATE`, each of a
/// `FROM` list (`FROM a x, b AS y`), and, in a source that holds SQL, a literal that is one
/// bare name (a table handed to SQL built with `format!`, as a list of the tables to erase).
fn tables_named(code: &str) -> BTreeSet<String> {
    let holds_sql = code.split('"').skip(1).step_by(2).any(|l| {
        let l = l.trim_start().to_ascii_uppercase();
        ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH "]
            .iter()
            .any(|k| l.starts_with(k))
    });
    const CLAUSES: &[&str] = &[
        "where",
        "join",
        "left",
        "inner",
        "cross",
        "on",
        "group",
        "order",
        "limit",
        "union",
        "select",
        "set",
        "values",
        "using",
        "returning",
        "having",
        "as",
    ];
    let is_name = |t: &str| t != "," && !CLAUSES.contains(&t);
    let mut named = BTreeSet::new();
    for literal in code.split('"').skip(1).step_by(2) {
        let lower = literal.to_ascii_lowercase();
        let mut tokens: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in lower.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            if c == ',' {
                tokens.push(",".to_owned());
            }
        }
        if !word.is_empty() {
            tokens.push(word);
        }
        if tokens.len() == 1 && tokens[0] == lower.trim() {
            if holds_sql {
                named.insert(tokens[0].clone());
            }
            continue;
        }
        let mut i = 0;
        while i < tokens.len() {
            match tokens[i].as_str() {
                "join" | "into" | "update" => {
                    if let Some(t) = tokens.get(i + 1).filter(|t| is_name(t)) {
                        named.insert(t.clone());
                    }
                    i += 1;
                }
                "from" => {
                    i += 1;
                    // A table, its alias (`AS` or not), then `,` and the next.
                    while let Some(t) = tokens.get(i).filter(|t| is_name(t)) {
                        named.insert(t.clone());
                        i += 1;
                        if tokens.get(i).is_some_and(|t| t == "as") {
                            i += 1;
                        }
                        if tokens.get(i).is_some_and(|t| is_name(t)) {
                            i += 1;
                        }
                        if tokens.get(i).is_some_and(|t| t == ",") {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
                _ => i += 1,
            }
        }
    }
    named
}

#[test]
fn no_features_sql_names_another_features_table() {
    let owner: BTreeMap<&str, &str> = TABLES
        .iter()
        .flat_map(|(feature, tables)| tables.iter().map(move |t| (*t, *feature)))
        .collect();
    let mut crossings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (relative, code) in modules().values() {
        // The kit's SQL is held to it too: it names only the tables no feature owns.
        let (file, feature) = match relative.strip_prefix("features/") {
            Some(file) => (file, file.split('/').next().unwrap()),
            None if relative.starts_with("kit/") => (relative.as_str(), "kit"),
            None => continue,
        };
        for table in tables_named(code) {
            if owner.get(table.as_str()).is_some_and(|o| *o != feature) {
                crossings.entry(file.to_owned()).or_default().insert(table);
            }
        }
    }
    let left: BTreeMap<String, BTreeSet<String>> = CROSSINGS_LEFT
        .iter()
        .map(|(file, tables)| {
            (
                (*file).to_owned(),
                tables.iter().map(|t| (*t).to_owned()).collect(),
            )
        })
        .collect();
    let new: Vec<String> = crossings
        .iter()
        .flat_map(|(file, tables)| {
            tables
                .iter()
                .filter(|t| !left.get(file).is_some_and(|l| l.contains(*t)))
                .map(move |t| format!("{file} names {t}"))
        })
        .collect();
    assert!(
        new.is_empty(),
        "a feature's SQL names another feature's table (read it through that feature's store): {new:#?}"
    );
    let gone: Vec<String> = left
        .iter()
        .flat_map(|(file, tables)| {
            tables
                .iter()
                .filter(|t| !crossings.get(file).is_some_and(|c| c.contains(*t)))
                .map(move |t| format!("{file} no longer names {t}"))
        })
        .collect();
    assert!(
        gone.is_empty(),
        "crossings mended: take them off CROSSINGS_LEFT: {gone:#?}"
    );
}

#[test]
fn the_layout_readers_read_trees_comments_and_literals() {
    let mut paths = Vec::new();
    expand_tree("a::{b, c::{d, e as f}, self}", &[], &mut paths);
    assert_eq!(
        paths,
        [
            vec!["a", "b"],
            vec!["a", "c", "d"],
            vec!["a", "c", "e"],
            vec!["a"]
        ]
    );
    let code = code_of(
        "let u = \"http://x\"; // crate::state::session\nuse crate::kit::{ui, workflow::Decision};\n",
    );
    assert!(!code.contains("state"));
    let module = vec!["features".to_owned(), "x".to_owned(), "pages".to_owned()];
    let named = crate_paths(
        &format!("{code} super::service::run(); crate::db::Tx"),
        &module,
    );
    assert!(named.contains(&vec!["kit".to_owned(), "ui".to_owned()]));
    assert!(named.contains(&vec![
        "kit".to_owned(),
        "workflow".to_owned(),
        "Decision".to_owned()
    ]));
    assert!(named.contains(&vec![
        "features".to_owned(),
        "x".to_owned(),
        "service".to_owned(),
        "run".to_owned()
    ]));
    assert!(named.contains(&vec!["db".to_owned(), "Tx".to_owned()]));
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(circle_in(&graph).unwrap(), ["a", "b", "a"]);
    assert_eq!(
        tables_named("\"SELECT x FROM users u JOIN classes c\" \"INSERT INTO notices\""),
        BTreeSet::from(["users".into(), "classes".into(), "notices".into()])
    );
    // A FROM list, aliased with AS or without, and the bare names of SQL built by format!
    // (only in a source that holds SQL: elsewhere "students" is a word of the page).
    assert_eq!(
        tables_named(
            "\"SELECT 1 FROM students s, classes AS c, guardians WHERE s.id = 1\" \"DELETE FROM {t}\" \"leak_reports\""
        ),
        BTreeSet::from([
            "students".into(),
            "classes".into(),
            "guardians".into(),
            "t".into(),
            "leak_reports".into()
        ])
    );
    assert!(tables_named("\"students\" \"a label\"").is_empty());
}

/// SQL that only SQLite understands, or that PostgreSQL reads otherwise, by construct: the
/// flags compared or set as 0/1 (`disabled = 0`, where `NOT disabled` and `= TRUE` are what
/// both engines read), SQLite's own functions and forms. The
/// engine door (`app/src/db.rs`, `server/src/database.rs`) may speak SQLite; no other file
/// should, once PostgreSQL is the second engine (issue 29).
const SQLITE_ONLY: &[(&str, &[&str])] = &[
    (
        "a flag compared or set as 0/1",
        &["= 0", "= 1", "<> 0", "<> 1", "!= 0"],
    ),
    ("INSERT OR …", &["insert or "]),
    ("IFNULL", &["ifnull("]),
    ("GROUP_CONCAT", &["group_concat("]),
    (
        "SQLite's date functions",
        &["strftime(", "datetime(", "julianday(", "unixepoch("],
    ),
    ("a text cast to an integer", &["as integer)"]),
    ("rowid", &["rowid"]),
    ("PRAGMA", &["pragma "]),
];

/// What the scan finds today, per file and construct (issue 29 takes it to nothing outside
/// the engine door). The list only shrinks: a new file, construct or a higher count fails,
/// and so does a count that fell without the list following it.
const SQLITE_ONLY_LEFT: &[(&str, &str, usize)] = &[];

/// Counts, per file of `app/src` and `server/src` outside the engine door, the constructs of
/// `SQLITE_ONLY` in string literals that hold SQL.
fn sqlite_only_constructs() -> BTreeMap<(String, String), usize> {
    let mut found = BTreeMap::new();
    for (relative, code) in code_outside(&["app/src/db.rs", "server/src/database.rs"]) {
        for literal in code.split('"').skip(1).step_by(2) {
            let sql = literal.to_ascii_lowercase();
            let holds_sql = ["select ", "insert ", "update ", "delete ", "case when"]
                .iter()
                .any(|k| sql.contains(k));
            if !holds_sql {
                continue;
            }
            for (construct, forms) in SQLITE_ONLY {
                // A row's number is no flag: `WHERE id = 1` is the one-row tables' key.
                let flags = forms.contains(&"= 0");
                let n: usize = forms
                    .iter()
                    .flat_map(|f| sql.match_indices(f))
                    .filter(|(at, _)| !(flags && sql[..*at].ends_with("id ")))
                    .count();
                if n > 0 {
                    *found
                        .entry((relative.clone(), (*construct).to_owned()))
                        .or_default() += n;
                }
            }
        }
    }
    found
}

/// The code (comments left out) of every file of `app/src` and `server/src` but those of
/// `door`, with its path from the repository's root.
fn code_outside(door: &[&str]) -> Vec<(String, String)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for crate_dir in ["app/src", "server/src"] {
        let root = base.join(crate_dir);
        let mut files = Vec::new();
        sources(&root, &mut files);
        for file in files {
            let relative = format!(
                "{crate_dir}/{}",
                file.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            );
            if !door.contains(&relative.as_str()) {
                out.push((relative, code_of(&std::fs::read_to_string(&file).unwrap())));
            }
        }
    }
    out
}

#[test]
fn sql_outside_the_engine_door_speaks_no_more_sqlite_than_it_did() {
    let found = sqlite_only_constructs();
    let left: BTreeMap<(String, String), usize> = SQLITE_ONLY_LEFT
        .iter()
        .map(|(file, construct, n)| (((*file).to_owned(), (*construct).to_owned()), *n))
        .collect();
    let grown: Vec<String> = found
        .iter()
        .filter(|(key, n)| left.get(*key).is_none_or(|l| *n > l))
        .map(|((file, construct), n)| format!("(\"{file}\", \"{construct}\", {n}),"))
        .collect();
    assert!(
        grown.is_empty(),
        "SQL only SQLite speaks, new or more of it (write it portably):\n{}",
        grown.join("\n")
    );
    let fallen: Vec<String> = left
        .iter()
        .filter(|(key, n)| found.get(*key).is_none_or(|f| f < *n))
        .map(|((file, construct), n)| {
            let now = found
                .get(&(file.clone(), construct.clone()))
                .copied()
                .unwrap_or(0);
            format!("{file}: {construct} {n} → {now}")
        })
        .collect();
    assert!(
        fallen.is_empty(),
        "SQLite-only SQL mended: lower SQLITE_ONLY_LEFT: {fallen:#?}"
    );
}

/// The names that say which engine: its driver's calls and types, its pools and stores.
const ENGINE_NAMES: &[&str] = &[
    "sqlx::query",
    "sqlx::Sqlite",
    "sqlx::Postgres",
    "sqlx::sqlite",
    "sqlx::postgres",
    "SqlitePool",
    "PgPool",
    "SqliteStore",
    "PostgresStore",
    "as_sqlite()",
    "as_postgres()",
    "Engine::Sqlite",
    "Engine::Postgres",
    "PRAGMA",
];

/// Where an engine may be named: the database door (`db.rs`), how the server opens and
/// migrates the database (`database.rs`), and the session store (the crate's store of each
/// engine). Every other file runs on both as it is written.
const ENGINE_DOOR: &[&str] = &[
    "app/src/db.rs",
    "server/src/database.rs",
    "server/src/sessions.rs",
];

#[test]
fn only_the_engine_door_names_an_engine() {
    let mut named = Vec::new();
    for (relative, code) in code_outside(ENGINE_DOOR) {
        for name in ENGINE_NAMES {
            if code.contains(name) {
                named.push(format!("{relative} names {name}"));
            }
        }
    }
    assert!(
        named.is_empty(),
        "an engine named outside the door (use app::db): {named:#?}"
    );
    // The scan sees what it looks for: the door itself names both.
    let door = code_of(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/db.rs"))
            .unwrap(),
    );
    assert!(door.contains("sqlx::Sqlite") || door.contains("SqlitePool"));
    assert!(door.contains("PgPool"));
}

/// The browser's WebAssembly carries only the shared words (`app/locales/shared`): no
/// island, nor any part of the kit's UI an island may render, says a word of the pages'
/// own catalogue (`app/locales/pages`), literally or by its prefix.
#[test]
fn the_islands_say_only_shared_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app");
    let pages = std::fs::read_to_string(root.join("locales/pages/pages.yml")).unwrap();
    let keys: BTreeSet<String> = pages
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '_']) && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':').to_owned())
        .collect();
    assert!(keys.len() > 100, "the pages' catalogue was not read");
    let prefixes: BTreeSet<String> = keys
        .iter()
        .map(|k| format!("\"{}.", k.split('.').next().unwrap()))
        .collect();
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut said = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let island = text.contains("#[island]") || text.contains("island)]");
        if !(island || relative.starts_with("src/kit/ui/")) {
            continue;
        }
        for prefix in &prefixes {
            if text.contains(prefix.as_str()) {
                said.push(format!("{relative} says {prefix}…"));
            }
        }
    }
    assert!(
        said.is_empty(),
        "islands saying the pages' words: {said:#?}"
    );
}
