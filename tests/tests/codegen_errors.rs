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
fn only_openapi_3_0_and_3_1_are_accepted() {
    let e = error_of("openapi_3_2.yaml");
    assert_error(
        &e,
        ErrorKind::Schema,
        "#/openapi",
        &["3.0.x or 3.1.x", "found 3.2.0"],
    );
    for version in ["3.1.0", "3.1.1"] {
        let out = generate_str(
            &format!("openapi: {version}\ninfo: {{title: x, version: '1'}}\n"),
            Format::Yaml,
        )
        .unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(out.stats.operations, 0);
    }
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

/// A response object without its required `description` is read as having an empty one, with a
/// warning naming the response.
#[test]
fn a_response_without_description_is_a_warning_at_the_response() {
    let out = generate_file(&bad("missing_description.yaml"))
        .expect("a missing description is worked around");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.pointer == "#/paths/~1widgets~1get/post/responses/200"
                && w.message
                    .contains("expected a `description` in the response object")),
        "{:?}",
        out.warnings
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
    walk(&root.join("seam-generated/crates"), &mut out);
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

// --- cycles, duplicates, unknown names: older and broken specs ---

#[test]
fn aliases_of_each_other_are_an_error_naming_the_cycle() {
    let e = error_of("alias_cycle.yaml");
    assert_error(
        &e,
        ErrorKind::Unsupported,
        "#/components/schemas/gadget",
        &[
            "cycle",
            "#/components/schemas/gadget → #/components/schemas/widget → #/components/schemas/gadget",
        ],
    );
    let schemas = |body: &str| {
        format!("openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{body}")
    };
    let e = generate_str(
        &schemas(
            "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n",
        ),
        Format::Yaml,
    )
    .unwrap_err();
    assert_error(
        &e,
        ErrorKind::Unsupported,
        "#/components/schemas/a",
        &["#/components/schemas/a → #/components/schemas/b → #/components/schemas/a"],
    );
    // A list of itself has no Rust type either (`type A = Vec<A>;`).
    let e = generate_str(
        &schemas("    a: {type: array, items: {$ref: '#/components/schemas/a'}}\n"),
        Format::Yaml,
    )
    .unwrap_err();
    assert_error(
        &e,
        ErrorKind::Unsupported,
        "#/components/schemas/a",
        &["#/components/schemas/a → #/components/schemas/a"],
    );
    // A struct that contains itself through a list is a real recursive type, not an error.
    generate_str(
        &schemas("    a: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/a'}}}}\n"),
        Format::Yaml,
    )
    .expect("a recursive struct generates");
}

#[test]
fn all_of_members_that_merge_each_other_are_an_error() {
    let e = error_of("all_of_cycle.yaml");
    assert_error(
        &e,
        ErrorKind::Unsupported,
        "#/components/schemas/b/allOf/0",
        &[
            "`allOf`",
            "#/components/schemas/a → #/components/schemas/b → #/components/schemas/a",
        ],
    );
}

/// Warnings of a generation from spec text, as `pointer: message` lines.
fn warnings_of(spec: &str) -> Vec<codegen::Warning> {
    match generate_str(spec, Format::Yaml) {
        Ok(output) => output.warnings,
        Err(e) => panic!("expected the spec to generate: {e}"),
    }
}

#[test]
fn duplicate_enum_values_are_one_variant_and_a_warning() {
    let text =
        std::fs::read_to_string(tests_dir().join("schemas/duplicate_enum_values.yaml")).unwrap();
    let output = generate_str(&text, Format::Yaml).unwrap();
    let pointers: Vec<(&str, &str)> = output
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        pointers,
        [
            (
                "#/components/schemas/lock/properties/manufacturer/enum",
                "the enum lists `kisi` more than once; each value is one variant"
            ),
            (
                "#/paths/~1locks~1list/post/requestBody/content/application~1json/schema/properties/manufacturer/enum",
                "the enum lists `kisi`, `korelock` more than once; each value is one variant"
            ),
        ]
    );
    let all: String = output.files.values().cloned().collect();
    assert!(!all.contains("Kisi2"), "a second variant for `kisi`");
    assert_eq!(all.matches("    Kisi,\n").count(), 2, "one `Kisi` per enum");
}

#[test]
fn a_required_name_without_a_property_is_a_warning() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    widget:
      type: object
      required: [id, ghost]
      properties: {id: {type: string}}
    gadget:
      allOf:
        - {type: object, required: [name], properties: {id: {type: string}}}
        - {type: object, required: [id, phantom], properties: {name: {type: string}}}
"#;
    let warnings = warnings_of(spec);
    let found: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "#/components/schemas/gadget/allOf/1/required/1",
                "`required` names `phantom`, which is not among the properties; the entry is ignored"
            ),
            (
                "#/components/schemas/widget/required/1",
                "`required` names `ghost`, which is not among the properties; the entry is ignored"
            ),
        ]
    );
    // A member may require what another member declares: both are required fields.
    let files = generate_str(spec, Format::Yaml).unwrap().files;
    let gadget = &files["src/generated/models/gadget.rs"];
    assert!(gadget.contains("pub id: String,"), "{gadget}");
    assert!(gadget.contains("pub name: String,"), "{gadget}");
}

/// Only the schema keyword `default` is repaired: not a property or a response named `default`, and
/// not data under `example`.
#[test]
fn only_the_default_keyword_is_repaired() {
    let spec = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /widgets/get:
    post:
      x-response-key: widget
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [widget]
                properties:
                  widget: {$ref: '#/components/schemas/widget'}
        default: {$ref: '#/components/responses/error'}
components:
  responses:
    error: {description: An error}
  schemas:
    mode:
      type: string
      enum: [a, b]
    widget:
      type: object
      example: {default: {$ref: '#/components/schemas/mode'}}
      properties:
        default: {$ref: '#/components/schemas/mode'}
        other:
          type: string
          default: {$ref: '#/components/schemas/mode'}
"#;
    let warnings = warnings_of(spec);
    let found: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        found,
        ["#/components/schemas/widget/properties/other/default"]
    );
    let files = generate_str(spec, Format::Yaml).unwrap().files;
    let widget = &files["src/generated/models/widget.rs"];
    assert!(widget.contains("pub default: Option<"), "{widget}");
}

// --- overrides ---

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("seam-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A spec cut halfway (as an interrupted download leaves it) still parses as YAML; the error names the
/// spec and says it may be truncated, and does not blame the overrides that now match nothing.
#[test]
fn a_truncated_spec_is_reported_as_such_not_as_stale_overrides() {
    let root = tests_dir().parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(root.join("openapi/seam-connect.yaml")).unwrap();
    let dir = TempDir::new("truncated");
    let spec = dir.0.join("seam-connect.yaml");
    let overrides = root.join("openapi/overrides.yaml");
    // Cut at a few places (wherever the spec's sections are, one cut lands in `paths`).
    for tenths in [3, 5, 7, 9] {
        let mut cut = text.len() * tenths / 10;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        std::fs::write(&spec, &text[..cut]).unwrap();
        for result in [
            codegen::load::load_file_with(&spec, Some(&overrides)).map(|_| ()),
            codegen::load::load_file_with(&spec, None).map(|_| ()),
        ] {
            let e = result.expect_err("a truncated spec is an error");
            assert!(
                matches!(e.kind, ErrorKind::Schema | ErrorKind::Syntax),
                "cut at {tenths}/10: {e:?}"
            );
            assert!(
                e.message.contains("it may be truncated"),
                "cut at {tenths}/10: {e:?}"
            );
            assert!(
                !e.message.contains("overrides"),
                "cut at {tenths}/10: {e:?}"
            );
            assert!(
                !e.pointer.starts_with("overrides"),
                "cut at {tenths}/10: {e:?}"
            );
        }
    }
}

const SMALL_SPEC: &str = r#"
openapi: 3.0.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    widget:
      type: object
      required: [id, name]
      properties: {id: {type: string}, name: {type: string}}
"#;

const OVERRIDES: &str = r##"
- at: "#/components/schemas/widget"
  optional: [name]
  why: applies
- at: "#/components/schemas/gone"
  optional: [id]
  why: the schema was removed
- at: "#/components/schemas/*"
  optional: [id, nickname, alias]
  why: two names are no longer required
"##;

#[test]
fn stale_overrides_are_all_listed_and_generation_goes_on() {
    let overrides = codegen::load::parse_value(OVERRIDES, Format::Yaml).unwrap();
    let loaded = codegen::load::load_str_with(SMALL_SPEC, Format::Yaml, Some(&overrides))
        .expect("stale overrides are no error");
    let stale: Vec<String> = loaded
        .stale_overrides
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        stale,
        [
            "entry 1 (`at: #/components/schemas/gone`): matches nothing in the spec; delete the entry \
             (or correct its `at`)",
            "entry 2 (`at: #/components/schemas/*`): `optional`: nickname, alias are not required anywhere \
             `at` matches; remove them from `optional` (or delete the entry)",
        ]
    );
    // The entries that apply still do: neither `name` nor `id` is required any more.
    let output = codegen::generate_loaded(loaded, &codegen::Options::default()).unwrap();
    assert_eq!(output.stale_overrides.len(), 2);
    let widget = &output.files["src/generated/models/widget.rs"];
    assert!(!widget.contains("pub name: String"), "{widget}");
    assert!(!widget.contains("pub id: String"), "{widget}");
}

#[test]
fn a_malformed_override_names_the_overrides_file() {
    let dir = TempDir::new("malformed-override");
    let spec = dir.0.join("spec.yaml");
    std::fs::write(&spec, SMALL_SPEC).unwrap();
    let overrides = dir.0.join("fixes.yaml");
    std::fs::write(
        &overrides,
        "- at: '#/components/schemas/widget'\n  optional: [id]\n",
    )
    .unwrap();
    let e = codegen::load::load_file_with(&spec, Some(&overrides)).unwrap_err();
    assert_error(
        &e,
        ErrorKind::Schema,
        "overrides[0]",
        &["fixes.yaml", "expected `why`"],
    );
}

/// `cargo xtask codegen --overrides FILE`: says which file it applies, warns for every stale entry
/// naming the file, goes on, names the folder it writes; `--check` fails while an entry is stale.
#[test]
fn xtask_codegen_reports_stale_overrides_by_file() {
    let root = tests_dir().parent().unwrap().to_path_buf();
    let dir = TempDir::new("xtask-overrides");
    let spec = dir.0.join("spec.yaml");
    std::fs::write(&spec, SMALL_SPEC).unwrap();
    let overrides = dir.0.join("fixes.yaml");
    std::fs::write(&overrides, OVERRIDES).unwrap();
    let out = dir.0.join("out");
    let xtask = |extra: &[&str], with_overrides: bool| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(&root)
            .args(["run", "-q", "-p", "xtask", "--", "codegen", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(extra);
        if with_overrides {
            cmd.arg("--overrides").arg(&overrides);
        }
        let output = cmd.output().expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let shown = overrides.display().to_string();
    let (ok, stdout, stderr) = xtask(&[], true);
    assert!(ok, "codegen failed on stale overrides:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("applying the overrides in {shown}")),
        "{stdout}"
    );
    for entry in [
        "entry 1 (`at: #/components/schemas/gone`)",
        "entry 2 (`at: #/components/schemas/*`)",
    ] {
        assert!(
            stderr.contains(&format!("warning: {shown}: {entry}")),
            "no warning for {entry}:\n{stderr}"
        );
    }
    assert!(
        stdout.contains(&format!(
            "wrote {}/src/generated/models/widget.rs",
            out.display()
        )),
        "{stdout}"
    );
    assert!(out.join("src/generated/models/widget.rs").is_file());

    let (ok, _, stderr) = xtask(&["--check"], true);
    assert!(!ok, "--check passed with stale overrides");
    assert!(
        stderr.contains(&format!("2 stale override entries in {shown}")),
        "{stderr}"
    );

    // A spec other than the committed one gets no overrides unless given, and says so.
    let (ok, stdout, _) = xtask(&[], false);
    assert!(ok);
    assert!(stdout.contains("no overrides applied"), "{stdout}");
}

/// With the generic profile, references into `components/parameters`, `requestBodies`, `responses`
/// and `headers` are followed; one that names nothing is an error at its site.
#[test]
fn dangling_component_refs_of_the_generic_profile_name_their_site() {
    let options = codegen::Options {
        profile: codegen::ProfileKind::Generic,
        ..codegen::Options::default()
    };
    let spec = |where_: &str| {
        format!(
            r#"
openapi: 3.0.0
info: {{title: t, version: '1'}}
paths:
  /x:
    get:
      operationId: x
      {where_}
"#
        )
    };
    let cases = [
        (
            "parameters: [{$ref: '#/components/parameters/Missing'}]\n      responses: {'204': {description: ok}}",
            "#/paths/~1x/get/parameters/0",
        ),
        (
            "responses: {'200': {$ref: '#/components/responses/Missing'}}",
            "#/paths/~1x/get/responses/200",
        ),
        (
            "responses: {'204': {description: ok, headers: {X-A: {$ref: '#/components/headers/Missing'}}}}",
            "#/paths/~1x/get/responses/204/headers/X-A",
        ),
    ];
    for (fragment, pointer) in cases {
        let e = codegen::generate_str_with(&spec(fragment), Format::Yaml, &options).unwrap_err();
        assert_error(
            &e,
            ErrorKind::DanglingRef,
            pointer,
            &["Missing", "no such component"],
        );
    }
}
