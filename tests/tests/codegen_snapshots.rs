//! Snapshot tests of the generator: each small spec in `tests/schemas/<name>.yaml` exercises one feature;
//! its generated files are compared with the committed tree `tests/snapshots/<name>/` (which the
//! `seam-snapshots` crate compiles and tests).
//!
//! Run with `UPDATE_SNAPSHOTS=1` to (re)write the snapshots instead of comparing them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::{generate_str_with, Format, Options};

/// The folder of the `seam-tests` crate (`tests/`).
fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The `[features]` table of a generated `Cargo.toml` (to the end of the file).
fn features_table(cargo_toml: &str) -> String {
    match cargo_toml.find("\n[features]\n") {
        Some(at) => cargo_toml[at + 1..].to_string(),
        None => panic!("the generated Cargo.toml has no [features] table:\n{cargo_toml}"),
    }
}

/// The part of a generated `Cargo.toml`'s `[features]` table that the generator wrote from the
/// spec: the table without the features every Seam crate has (such as `tracing`).
fn generated_features(cargo_toml: &str) -> String {
    // The template's own features (instrumentation, time crates, test values) are the same for
    // every spec: left out, with the comments.
    const FIXED: &[&str] = &["tracing", "chrono", "time", "jiff", "test-util"];
    let table = features_table(cargo_toml);
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            l.split_once(" = ")
                .is_none_or(|(name, _)| !FIXED.contains(&name))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// What the snapshot of spec `name` should hold: path relative to `tests/snapshots/<name>/` → text.
fn expected_tree(name: &str) -> BTreeMap<String, String> {
    let path = tests_dir().join("schemas").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let options = Options {
        mount: format!("crate::{name}"),
        ..Options::default()
    };
    let output = generate_str_with(&text, Format::Yaml, &options)
        .unwrap_or_else(|e| panic!("{}: generation failed: {e} ({e:?})", path.display()));
    let mut tree = BTreeMap::new();
    for (file, content) in &output.files {
        if let Some(rest) = file.strip_prefix("src/generated/") {
            tree.insert(rest.to_string(), content.clone());
        } else if file.starts_with("src/runtime/shared/") {
            // The generic runtime's parts, copied verbatim: the snapshot crate mounts their source.
        } else if file == "Cargo.toml" {
            tree.insert("features.toml".to_string(), generated_features(content));
        } else {
            panic!("unexpected generated file `{file}`");
        }
    }
    let problems = lint(&output.files);
    assert!(
        problems.is_empty(),
        "{}: the generated code has problems:\n{}",
        path.display(),
        problems.join("\n")
    );
    if !output.warnings.is_empty() {
        let mut w = String::new();
        for warning in &output.warnings {
            writeln!(w, "{warning}").unwrap();
        }
        tree.insert("warnings.txt".to_string(), w);
    }
    tree
}

/// Every file under `dir`, relative to it, with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// A short diff: the first differing line with a few lines of context from both sides.
fn short_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = first.saturating_sub(3);
    let mut out = format!(
        "first difference at line {} (snapshot has {} lines, generated {} lines)\n",
        first + 1,
        e.len(),
        a.len()
    );
    for (label, lines) in [("snapshot", &e), ("generated", &a)] {
        writeln!(out, "--- {label}").unwrap();
        for (i, line) in lines.iter().enumerate().skip(from).take(first - from + 4) {
            let mark = if i == first { '>' } else { ' ' };
            writeln!(out, "{mark}{:5} | {line}", i + 1).unwrap();
        }
    }
    out
}

/// Compares (or, with `UPDATE_SNAPSHOTS=1`, rewrites) the snapshot of one spec.
fn check(name: &str) {
    let dir = tests_dir().join("snapshots").join(name);
    let expected = expected_tree(name);
    let present = files_under(&dir);
    if updating() {
        for stale in present.iter().filter(|f| !expected.contains_key(*f)) {
            std::fs::remove_file(dir.join(stale)).unwrap();
        }
        for (file, content) in &expected {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                std::fs::write(&path, content).unwrap();
            }
        }
        return;
    }
    let mut problems = Vec::new();
    for (file, content) in &expected {
        let path = dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(snapshot) if snapshot == *content => {}
            Ok(snapshot) => problems.push(format!(
                "tests/snapshots/{name}/{file} differs from the generated file:\n{}",
                short_diff(&snapshot, content)
            )),
            Err(_) => problems.push(format!(
                "tests/snapshots/{name}/{file} is missing (the generator produces it)"
            )),
        }
    }
    for file in present.iter().filter(|f| !expected.contains_key(*f)) {
        problems.push(format!(
            "tests/snapshots/{name}/{file} is no longer generated"
        ));
    }
    assert!(
        problems.is_empty(),
        "snapshot `{name}` is stale (rerun with UPDATE_SNAPSHOTS=1 and review the diff):\n\n{}",
        problems.join("\n")
    );
}

macro_rules! snapshots {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
        /// Every spec with a snapshot test.
        const SPECS: &[&str] = &[$(stringify!($name)),*];
    };
}

snapshots!(
    nullable,
    deprecated,
    enums,
    discriminated,
    const_tags,
    plain_one_of,
    all_of,
    additional_properties,
    recursive,
    keywords,
    collisions,
    groups,
    response_key,
    query_params,
    features,
    duplicate_enum_values,
    shared_traits,
    evolution_v1,
    evolution_v2,
);

#[test]
fn every_spec_has_a_snapshot_test() {
    let mut specs = BTreeSet::new();
    for entry in std::fs::read_dir(tests_dir().join("schemas")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            specs.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    let tested: BTreeSet<String> = SPECS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        specs, tested,
        "tests/schemas/*.yaml and the snapshot tests differ"
    );
    let snapshots: BTreeSet<String> = std::fs::read_dir(tests_dir().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    if !updating() {
        assert_eq!(
            snapshots, tested,
            "tests/snapshots/ and the snapshot tests differ"
        );
    }
}

/// The `seam-snapshots` crate mounts every snapshot, so that all of them are compiled.
#[test]
fn the_snapshot_crate_mounts_every_snapshot() {
    let lib = std::fs::read_to_string(tests_dir().join("snapshot-crate/src/lib.rs")).unwrap();
    // Compare without white space, so that formatting of the macro calls does not matter.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let lib = squash(&lib);
    for name in SPECS {
        let mount = format!("snapshot!(#[path = \"../../snapshots/{name}\"] {name});");
        assert!(
            lib.contains(&squash(&mount)),
            "tests/snapshot-crate/src/lib.rs does not mount the snapshot `{name}`: expected `{mount}`"
        );
    }
}

/// The `seam-snapshots` crate declares (and enables by default) every feature the snapshots use.
#[test]
fn the_snapshot_crate_declares_every_feature() {
    let manifest = std::fs::read_to_string(tests_dir().join("snapshot-crate/Cargo.toml")).unwrap();
    let declared = features_table(&manifest);
    let default_list = declared
        .split_once("default = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list.to_string())
        .expect("a default feature list");
    for name in SPECS {
        let table = expected_tree(name)["features.toml"].clone();
        for line in table.lines().skip(1) {
            let Some((feature, _)) = line.split_once(" = ") else {
                continue;
            };
            if feature == "default" || feature == "full" {
                continue;
            }
            assert!(
                declared.lines().any(|l| l.starts_with(&format!("{feature} = "))),
                "tests/snapshot-crate/Cargo.toml does not declare the feature `{feature}` (used by `{name}`)"
            );
            assert!(
                default_list.contains(&format!("\"{feature}\"")),
                "tests/snapshot-crate/Cargo.toml does not enable the feature `{feature}` by default"
            );
        }
    }
}

// --- checks of the generated text that rustc would otherwise only make at compile time ---

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `s` (after `r#`).
fn leading_ident(s: &str) -> &str {
    let s = s.strip_prefix("r#").unwrap_or(s);
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// Problems rustc or its default lints would report: duplicate enum variants, variant and type names
/// that are not UpperCamelCase, field names that are not snake_case.
fn lint(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, text) in files.iter().filter(|(f, _)| f.ends_with(".rs")) {
        let mut in_enum: Option<(String, BTreeSet<String>)> = None;
        for line in text.lines() {
            for keyword in ["pub struct ", "pub enum ", "pub type "] {
                if let Some(rest) = line.strip_prefix(keyword) {
                    let name = leading_ident(rest);
                    if name.trim_end_matches('_').contains('_') {
                        problems.push(format!("{file}: type `{name}` is not UpperCamelCase"));
                    }
                    if keyword == "pub enum " {
                        in_enum = Some((name.to_string(), BTreeSet::new()));
                    }
                }
            }
            if line == "}" {
                in_enum = None;
            }
            if let Some((enum_name, variants)) = in_enum.as_mut() {
                if let Some(rest) = line.strip_prefix("    ") {
                    if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                        let name = leading_ident(rest).to_string();
                        if name.trim_end_matches('_').contains('_') {
                            problems.push(format!(
                                "{file}: variant `{enum_name}::{name}` is not UpperCamelCase"
                            ));
                        }
                        if !variants.insert(name.clone()) {
                            problems.push(format!(
                                "{file}: enum `{enum_name}` has two variants named `{name}`"
                            ));
                        }
                    }
                }
            }
            let trimmed = line.trim_start();
            let field = trimmed.strip_prefix("pub ").unwrap_or(trimmed);
            if line.starts_with("    ") && !field.starts_with("fn ") {
                let name = leading_ident(field);
                let after = &field[field.find(name).unwrap_or(0) + name.len()..];
                if !name.is_empty()
                    && after.starts_with(": ")
                    && name.trim_start_matches('_').contains("__")
                {
                    problems.push(format!("{file}: field `{name}` is not snake_case"));
                }
            }
        }
    }
    problems
}

// --- generator bugs found by these tests (each fails until the generator is fixed) ---

fn generate(spec: &str) -> Result<BTreeMap<String, String>, codegen::Error> {
    generate_str_with(spec, Format::Yaml, &Options::default()).map(|o| o.files)
}

/// A spec with one endpoint in `group` returning the component `component`.
fn one_endpoint(group: &str, component: &str) -> String {
    format!(
        r#"
openapi: 3.0.0
info: {{title: t, version: '1'}}
paths:
  /things/get:
    post:
      x-fern-sdk-group-name: [{group}]
      x-fern-sdk-method-name: get
      x-response-key: thing
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [thing]
                properties:
                  thing: {{$ref: '#/components/schemas/{component}'}}
components:
  schemas:
    {component}:
      type: object
      properties: {{a: {{type: string}}}}
"#
    )
}

/// GENERATOR BUG: a group named like a keyword (`impl`, `type`, `match`) is emitted as `pub mod impl;`
/// and `api/mod.rs` does not parse ("internal error"). Expected: a raw module name (`r#impl`) or a
/// renamed module, as for fields and methods.
#[test]
fn bug_keyword_group_names_generate() {
    for group in ["impl", "type", "match"] {
        if let Err(e) = generate(&one_endpoint(group, "thing")) {
            panic!("group `{group}`: {e}");
        }
    }
}

/// GENERATOR BUG: a component named like a keyword (`type`) gets the model file `models/type.rs`,
/// declared as `mod type;`, and `models/mod.rs` does not parse.
#[test]
fn bug_keyword_component_names_generate() {
    for component in ["type", "match", "async"] {
        if let Err(e) = generate(&one_endpoint("things", component)) {
            panic!("component `{component}`: {e}");
        }
    }
}

/// Was a generator bug: a union variant named `Unknown` (a tag value `unknown`, or a `$ref` to a
/// component named `unknown`) clashed with the fallback variant, then `Unknown(serde_json::Value)`.
/// The fallback is now `Unrecognized(..)` everywhere, so `Unknown` is the spec's own value, and a
/// variant named `Unrecognized` would become `UnrecognizedValue`; the union still compiles.
#[test]
fn bug_union_variants_named_unknown_clash_with_the_fallback() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /events/list:
    post:
      x-response-key: events
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [events, others]
                properties:
                  events: {type: array, items: {$ref: '#/components/schemas/event'}}
                  others: {type: array, items: {$ref: '#/components/schemas/other'}}
components:
  schemas:
    event:
      oneOf:
        - {type: object, required: [kind], properties: {kind: {type: string, enum: [unknown]}}}
        - {type: object, required: [kind], properties: {kind: {type: string, enum: [known]}}}
    other:
      oneOf:
        - $ref: '#/components/schemas/unknown'
        - {type: string}
    unknown:
      type: object
      properties: {a: {type: string}}
"#;
    let files = generate(spec).unwrap();
    let problems = lint(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// GENERATOR BUG: the feature analysis only follows endpoints. A component no endpoint uses is
/// compiled always, but a type it refers to that some endpoint uses is gated behind that endpoint's
/// feature: with the feature off, the always-compiled type names a missing one. (Seen in the
/// `collisions` snapshot: `Thing.settings: ThingSettings`, with `ThingSettings` merged into the
/// `widgets`-gated `Widget.other_settings`; `cargo check -p seam-snapshots --no-default-features` fails.)
/// Expected: whatever an always-compiled type reaches is always compiled.
#[test]
fn bug_types_reached_from_always_compiled_types_are_always_compiled() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /widgets/get:
    post:
      x-response-key: part
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [part]
                properties:
                  part: {$ref: '#/components/schemas/part'}
components:
  schemas:
    orphan:
      type: object
      properties:
        part: {$ref: '#/components/schemas/part'}
    part:
      type: object
      properties: {x: {type: string}}
"#;
    let files = generate(spec).unwrap();
    let mod_rs = &files["src/generated/models/mod.rs"];
    let lines: Vec<&str> = mod_rs.lines().collect();
    let gated = |module: &str| {
        let at = lines
            .iter()
            .position(|l| *l == format!("mod {module};"))
            .unwrap_or_else(|| panic!("no `mod {module};` in\n{mod_rs}"));
        lines[at - 1].starts_with("#[cfg")
    };
    assert!(
        !gated("orphan"),
        "`orphan` is used by no endpoint:\n{mod_rs}"
    );
    assert!(
        !gated("part"),
        "`orphan` is always compiled, so `part`, which it uses, must be too:\n{mod_rs}"
    );
}

/// GENERATOR BUG: names that differ only in case and collide with a keyword get numbered forms that
/// rustc's default lints reject: properties `self` and `Self` become `self_` and `self__2`
/// (non_snake_case), enum values `self` and `Self` become `Self_` and `Self_2` (non_camel_case_types).
/// Expected: `self_2` / `Self2`.
#[test]
fn bug_numbered_keyword_names_are_lint_clean() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /things/get:
    post:
      x-response-key: null
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                self: {type: string}
                Self: {type: string}
                kind: {type: string, enum: [self, Self]}
      responses: {'200': {description: OK}}
"#;
    let files = generate(spec).unwrap();
    let problems = lint(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
