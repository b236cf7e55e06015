//! The generator on bad specs (`tests/schemas/bad/`): every failure names its kind, the exact place in
//! the spec and what was expected; no input makes it panic; and a failed `cargo xtask codegen` leaves
//! the committed crate untouched.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::{generate_file, generate_str, Error, ErrorKind, Format};
use serde_json::Value;

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bad(name: &str) -> PathBuf {
    tests_dir().join("schemas/bad").join(name)
}

/// Generates from `tests/schemas/bad/<name>` and returns the error.
fn error_of(name: &str) -> Error {
    match generate_file(&bad(name)) {
        Ok(_) => panic!("{name}: expected an error, but generation succeeded"),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_error(e: &Error, kind: ErrorKind, pointer: &str, message_parts: &[&str]) {
    assert_eq!(e.kind, kind, "kind of {e:?}");
    assert_eq!(e.pointer, pointer, "pointer of {e:?}");
    for part in message_parts {
        assert!(
            e.message.contains(part),
            "expected the message to contain `{part}`: {e:?}"
        );
    }
}

#[test]
fn malformed_yaml_reports_line_and_column() {
    let e = error_of("malformed.yaml");
    assert_error(&e, ErrorKind::Syntax, "#", &["malformed YAML", "line 7"]);
    // The flow mapping opened on line 7 is still open where line 8 starts.
    assert_eq!(e.location, Some((8, 3)), "{e:?}");
    assert!(e.to_string().starts_with("line 8, column 3: "), "{e}");
}

#[test]
fn malformed_json_reports_line_and_column() {
    let e = error_of("malformed.json");
    assert_error(
        &e,
        ErrorKind::Syntax,
        "#",
        &["malformed JSON", "key must be a string"],
    );
    // `  "paths": {,}`: the comma.
    assert_eq!(e.location, Some((4, 13)), "{e:?}");
}

#[test]
fn malformed_text_from_strings_too() {
    let e = generate_str("openapi: [3.0.0\n", Format::Yaml).unwrap_err();
    assert_eq!((e.kind, e.pointer.as_str()), (ErrorKind::Syntax, "#"));
    assert!(e.location.is_some(), "{e:?}");
    let e = generate_str("{\"openapi\": \"3.0.0\"\n\n  \"info\": 1}", Format::Json).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.location, Some((3, 3)), "{e:?}");
}

#[test]
fn an_unknown_extension_is_refused_before_reading() {
    let e = error_of("spec.txt");
    assert_error(
        &e,
        ErrorKind::Io,
        "#",
        &["spec.txt", ".yaml, .yml or .json"],
    );
    assert_eq!(e.location, None);
    let e = generate_file(Path::new("/nonexistent/spec.yaml")).unwrap_err();
    assert_error(
        &e,
        ErrorKind::Io,
        "#",
        &["cannot read", "/nonexistent/spec.yaml"],
    );
}

#[test]
fn only_openapi_3_0_is_accepted() {
    let e = error_of("openapi_3_1.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/openapi",
        &["3.0.x", "found 3.1.0"],
    );
    let e = generate_str(
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
        Format::Yaml,
    )
    .unwrap_err();
    assert_error(&e, ErrorKind::Schema, "#/openapi", &["openapi", "3.0.x"]);
    let e = generate_str("[1, 2]", Format::Json).unwrap_err();
    assert_error(&e, ErrorKind::Schema, "#", &["OpenAPI document"]);
}

#[test]
fn a_dangling_ref_names_the_ref_site() {
    let e = error_of("dangling_ref.yaml");
    assert_error(
        &e,
        ErrorKind::DanglingRef,
        "#/components/schemas/widget/properties/part",
        &["#/components/schemas/part", "no such component schema"],
    );
}

#[test]
fn a_dangling_ref_in_an_alias_method_is_found_too() {
    // GET is an alias of POST (only POST is generated), but its references are still checked.
    let e = error_of("dangling_ref_in_alias.yaml");
    assert_eq!(e.kind, ErrorKind::DanglingRef, "{e:?}");
    assert!(
        e.pointer
            .starts_with("#/paths/~1widgets~1get/get/parameters/0"),
        "pointer of {e:?}"
    );
    assert!(
        e.message.contains("#/components/schemas/widget_id"),
        "{e:?}"
    );
}

#[test]
fn a_not_schema_is_unsupported() {
    let e = error_of("not_schema.yaml");
    assert_error(
        &e,
        ErrorKind::Unsupported,
        "#/components/schemas/widget/properties/name/not",
        &["`not`"],
    );
}

#[test]
fn two_operations_with_one_sdk_name_collide() {
    let e = error_of("method_collision.yaml");
    assert_error(
        &e,
        ErrorKind::Collision,
        "#/paths/~1devices~1list_all/post",
        &["devices.list", "#/paths/~1devices~1list/post"],
    );
}

#[test]
fn a_method_named_like_a_sub_group_collides() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /acs/users:
    post:
      x-fern-sdk-group-name: [acs]
      x-fern-sdk-method-name: users
      x-response-key: null
      responses: {'200': {description: OK}}
  /acs/users/list:
    post:
      x-fern-sdk-group-name: [acs, users]
      x-fern-sdk-method-name: list
      x-response-key: null
      responses: {'200': {description: OK}}
"#;
    let e = generate_str(spec, Format::Yaml).unwrap_err();
    assert_error(
        &e,
        ErrorKind::Collision,
        "#/paths/~1acs~1users/post",
        &["acs.users", "sub-group"],
    );
}

#[test]
fn a_response_key_must_name_a_property() {
    let e = error_of("missing_response_key.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/paths/~1items~1get/post/x-response-key",
        &["`item`", "no such property"],
    );
}

#[test]
fn wrong_typed_paths() {
    let e = error_of("paths_number.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/paths",
        &["invalid type: integer `5`"],
    );
}

/// Inside `openapiv3`'s untagged / flattened types serde loses the path; the generator still names the
/// wrong field.
#[test]
fn wrong_typed_required_points_into_the_schema() {
    let e = error_of("required_string.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/components/schemas/widget/required",
        &["expected a list of required property names"],
    );
}

/// A response object without its required `description` is named by its own pointer.
#[test]
fn a_response_without_description_points_at_the_response() {
    let e = error_of("missing_description.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/paths/~1widgets~1get/post/responses/200",
        &["expected a `description` in the response object"],
    );
}

// --- no panics ---

/// Every JSON pointer of `value` (RFC 6901), in document order.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{here}/{}", escape(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Replaces nodes of valid specs with wrong values, one at a time: the generator may fail, but never
/// panics, and never emits code that does not parse (its "internal error").
#[test]
fn no_input_makes_the_generator_panic() {
    let specs = [
        "nullable",
        "discriminated",
        "all_of",
        "plain_one_of",
        "groups",
    ];
    let replacements = [
        Value::from(5),
        Value::Null,
        Value::Array(vec![]),
        Value::from("x"),
        Value::Object(Default::default()),
    ];
    let mut failures = Vec::new();
    let mut runs = 0;
    for spec in specs {
        let text =
            std::fs::read_to_string(tests_dir().join(format!("schemas/{spec}.yaml"))).unwrap();
        let doc = codegen::load::parse_value(&text, Format::Yaml).expect("valid YAML");
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        // About 60 pointers per spec, spread over the document (the root included).
        let step = all.len().div_ceil(60).max(1);
        for pointer in all.iter().step_by(step) {
            for replacement in &replacements {
                let mut mutated = doc.clone();
                match mutated.pointer_mut(pointer) {
                    Some(node) => *node = replacement.clone(),
                    None => continue,
                }
                let json = serde_json::to_string(&mutated).unwrap();
                runs += 1;
                match catch_unwind(AssertUnwindSafe(|| generate_str(&json, Format::Json))) {
                    Err(_) => {
                        failures.push(format!("{spec}: #{pointer} = {replacement}: panicked"))
                    }
                    Ok(Err(e)) if e.message.contains("internal error") => {
                        failures.push(format!("{spec}: #{pointer} = {replacement}: {e}"))
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    assert!(runs >= 1000, "only {runs} mutated specs");
    assert!(
        failures.is_empty(),
        "{} of {runs} mutated specs broke the generator:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// --- a failed codegen writes nothing ---

/// Every file of the generated crate's managed parts, with its bytes.
fn generated_crate_bytes(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root.join("seam-generated/src"), &mut out);
    let manifest = root.join("seam-generated/Cargo.toml");
    out.insert(manifest.clone(), std::fs::read(&manifest).unwrap());
    out
}

#[test]
fn a_failed_codegen_leaves_the_crate_untouched() {
    let root = tests_dir().parent().unwrap().to_path_buf();
    let before = generated_crate_bytes(&root);
    let start = Instant::now();
    let spec = bad("dangling_ref.yaml");
    let output = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "-q", "-p", "xtask", "--", "codegen", "--spec"])
        .arg(&spec)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "codegen succeeded on a bad spec:\n{stderr}"
    );
    assert!(
        stderr.contains("#/components/schemas/widget/properties/part"),
        "the error does not name the pointer:\n{stderr}"
    );
    assert!(
        stderr.contains("dangling_ref.yaml"),
        "the error does not name the file:\n{stderr}"
    );
    let after = generated_crate_bytes(&root);
    assert!(before == after, "a failed codegen changed seam-generated/");
    eprintln!("cargo xtask codegen (failing) took {:.1?}", start.elapsed());
}
