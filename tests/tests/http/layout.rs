//! The house's arrows only go down: the shared parts of `app/src` (the kit, the domain, the
//! database door, authorisation, state, errors, models) name no feature, and the features
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
