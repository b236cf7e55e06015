//! The generated crate's docs say something true of each item: no placeholder field docs, and
//! union accessors documented for the whole union rather than copied from one variant.

use std::path::{Path, PathBuf};

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .join("seam-generated")
}

/// The generated folders: `src/generated/` and the crates the models are split into.
fn generated_dirs() -> Vec<PathBuf> {
    vec![sdk_dir().join("src/generated"), sdk_dir().join("crates")]
}

/// A model file, in whichever crate it is.
fn model_file(name: &str) -> PathBuf {
    let mut files = Vec::new();
    for dir in generated_dirs() {
        rust_files(&dir, &mut files);
    }
    files
        .into_iter()
        .find(|p| p.ends_with(name) && p.parent().is_some_and(|d| d.ends_with("models")))
        .unwrap_or_else(|| panic!("no model file {name}"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("generated dir readable") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `/// The `x` property.`: a doc that only repeats the field's name.
fn is_placeholder(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("/// The `") else {
        return false;
    };
    match rest.split_once('`') {
        Some((name, tail)) => !name.is_empty() && tail.trim() == "property.",
        None => false,
    }
}

#[test]
fn the_placeholder_check_recognizes_placeholders() {
    assert!(is_placeholder("    /// The `event_id` property."));
    assert!(!is_placeholder(
        "    /// The variant's `event_id`, a `uuid` string."
    ));
    assert!(!is_placeholder("    /// ID of the event."));
}

#[test]
fn no_generated_field_doc_is_a_placeholder() {
    let mut files = Vec::new();
    for dir in generated_dirs() {
        rust_files(&dir, &mut files);
    }
    assert!(
        files.len() > 40,
        "expected the generated files, found {}",
        files.len()
    );
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("generated file readable");
        for (i, line) in text.lines().enumerate() {
            if is_placeholder(line) {
                found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} placeholder docs, e.g.:\n{}",
        found.len(),
        found[..found.len().min(10)].join("\n")
    );
}

/// The doc lines right above `pub fn {name}(` in a generated model file.
fn accessor_doc(file: &str, name: &str) -> String {
    let text = std::fs::read_to_string(model_file(file)).expect("model file readable");
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("pub fn {name}(")))
        .unwrap_or_else(|| panic!("{file} has no accessor {name}"));
    let mut doc: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with("///"))
        .map(|l| l.trim_start().trim_start_matches("///").trim())
        .collect();
    doc.reverse();
    doc.join("\n")
}

#[test]
fn union_accessors_are_documented_for_the_union() {
    // Each action attempt variant describes its own `action_type` ("... locking a door."): the
    // accessor lists the values instead of repeating the first variant's description.
    let doc = accessor_doc("action_attempt.rs", "action_type");
    for value in ["`LOCK_DOOR`", "`UNLOCK_DOOR`", "`SET_HVAC_MODE`"] {
        assert!(doc.contains(value), "{value} missing from:\n{doc}");
    }
    assert!(
        !doc.contains("locking a door"),
        "copied from one variant:\n{doc}"
    );
    let status = accessor_doc("action_attempt.rs", "status");
    for value in ["`pending`", "`success`", "`error`"] {
        assert!(status.contains(value), "{value} missing from:\n{status}");
    }
    // Where every variant says the same, that is the doc.
    assert!(
        accessor_doc("event.rs", "event_id").starts_with("ID of the event."),
        "{}",
        accessor_doc("event.rs", "event_id")
    );
}
