//! The crate dependencies ARCHITECTURE.md allows, checked against every
//! crate's Cargo.toml: a crate that gains a dependency the architecture
//! forbids fails here (and the table must change, in review, to allow it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The table between the `crate-dependencies` markers: crate → allowed.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md"))
        .unwrap_or_else(|e| panic!("ARCHITECTURE.md: {e}"));
    let start = doc
        .find("<!-- crate-dependencies")
        .unwrap_or_else(|| panic!("no crate-dependencies table in ARCHITECTURE.md"));
    let end = doc
        .find("<!-- /crate-dependencies -->")
        .unwrap_or_else(|| panic!("the crate-dependencies table is not closed"));
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    doc[start..end]
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = names(cells[1]).into_iter().next().unwrap_or_default();
            (name, names(cells[cells.len() - 2]))
        })
        .collect()
}

/// A crate's normal dependencies (not dev or build ones).
fn dependencies(manifest: &Path) -> (String, BTreeSet<String>) {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("{e}"));
    let doc: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let name = doc["package"]["name"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("atiende-")
        .to_string();
    let deps = doc
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    (name, deps)
}

#[test]
fn crates_depend_only_on_what_the_architecture_allows() {
    let allowed = allowed();
    let ours: BTreeSet<String> = allowed.keys().cloned().collect();
    let mut seen = BTreeSet::new();
    let mut wrong = Vec::new();
    let dirs = std::fs::read_dir(root().join("crates")).unwrap_or_else(|e| panic!("{e}"));
    for dir in dirs.flatten() {
        let manifest = dir.path().join("Cargo.toml");
        if !manifest.exists() {
            continue;
        }
        let (name, deps) = dependencies(&manifest);
        let Some(may) = allowed.get(&name) else {
            wrong.push(format!("crate {name} is not in ARCHITECTURE.md's table"));
            continue;
        };
        seen.insert(name.clone());
        for d in deps.iter().filter(|d| ours.contains(*d)) {
            if !may.contains(d) {
                wrong.push(format!(
                    "{name} depends on {d}, which ARCHITECTURE.md does not allow"
                ));
            }
        }
        // Only the store speaks SQL (and the test kit, which creates and
        // drops the test databases).
        for sql in ["sqlx", "rusqlite", "sea-query"] {
            if deps.contains(sql) && !["store", "testkit"].contains(&name.as_str()) {
                wrong.push(format!(
                    "{name} depends on {sql}; only store talks to the database"
                ));
            }
        }
    }
    for name in ours.difference(&seen) {
        wrong.push(format!(
            "ARCHITECTURE.md names {name}, which is not a crate"
        ));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_is_read() {
    // A guard against the check passing because it read nothing.
    let allowed = allowed();
    assert!(allowed.len() >= 10, "{allowed:?}");
    assert!(allowed["web"].contains("app") && !allowed["web"].contains("store"));
}
