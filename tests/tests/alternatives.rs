//! The table of alternatives the server requires (`openapi/overrides.yaml`: the entries that set a
//! `oneOf` of `required` lists on a request body), checked against Seam's fake server and the spec,
//! so that an entry the API makes stale is caught:
//!
//! - each call is refused without any of its alternatives, for the reason the table gives: the fake
//!   answers `invalid_input` naming one of them (or, for a route the fake does not serve, the spec's
//!   own description still says one of them is needed);
//! - the same call with the first alternative is not refused as invalid input;
//! - every operation the spec declares without required parameters, called with an empty body, is
//!   either accepted, refused for a reason other than its input, or in the table: the table is
//!   complete for what the fake checks;
//! - the generated call takes the alternatives as an argument, and `docs/sdk.md` states the count.

use std::collections::BTreeMap;
use std::path::PathBuf;

use seam_tests::{FakeSeam, API_KEY};
use serde_json::{json, Map, Value};

fn root() -> PathBuf {
    seam_tests::workspace_root()
}

/// One entry of the table: the operation's path and its sets of properties.
#[derive(Debug)]
struct Entry {
    path: String,
    sets: Vec<Vec<String>>,
}

/// The table, read from the overrides file.
fn table() -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join("openapi/overrides.yaml")).expect("overrides");
    let entries: Vec<Value> = serde_yaml_ng::from_str(&text).expect("the overrides are YAML");
    let mut out = Vec::new();
    for e in entries {
        let Some(one_of) = e.pointer("/set/oneOf").and_then(Value::as_array) else {
            continue;
        };
        let at = e["at"].as_str().expect("`at` is a string");
        let rest = at
            .strip_prefix("#/paths/")
            .and_then(|r| r.strip_suffix("/post/requestBody/content/application~1json/schema"))
            .unwrap_or_else(|| panic!("an alternatives entry names a POST body: {at}"));
        let sets = one_of
            .iter()
            .map(|m| {
                m["required"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{at}: each member lists `required`"))
                    .iter()
                    .map(|n| n.as_str().expect("a property name").to_string())
                    .collect()
            })
            .collect();
        out.push(Entry {
            path: rest.replace("~1", "/"),
            sets,
        });
    }
    out
}

/// The committed spec as JSON, as the generator reads it (with the overrides, which give request
/// times their `date-time` format but change no description or `required` list of these bodies).
fn spec() -> Value {
    let loaded = codegen::load::load_file(&root().join("openapi/seam-connect.yaml"))
        .expect("the spec loads");
    loaded.raw
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}")),
        None => v,
    }
}

/// The POST body schema of `path`.
fn body_schema<'a>(spec: &'a Value, path: &str) -> Option<&'a Value> {
    let body = spec["paths"][path]["post"].get("requestBody")?;
    let schema = resolve(spec, body).pointer("/content/application~1json/schema")?;
    Some(resolve(spec, schema))
}

/// A placeholder value of a property's type.
fn placeholder(spec: &Value, schema: &Value) -> Value {
    let schema = resolve(spec, schema);
    match schema["type"].as_str() {
        Some("array") => json!([placeholder(spec, &schema["items"])]),
        Some("boolean") => json!(false),
        Some("integer" | "number") => json!(1),
        Some("object") => json!({}),
        _ if schema["format"] == "date-time" => json!("2020-01-01T00:00:00Z"),
        _ => match schema["enum"].get(0) {
            Some(v) => v.clone(),
            None => json!("00000000-0000-4000-8000-000000000000"),
        },
    }
}

/// The body with the operation's required properties set (placeholders) and `extra` ones.
fn body(spec: &Value, path: &str, extra: &[String]) -> Value {
    let schema = body_schema(spec, path).unwrap_or_else(|| panic!("{path} has a JSON body"));
    let mut out = Map::new();
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    let names = required
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .chain(extra.iter().cloned());
    for name in names {
        let prop = &schema["properties"][&name];
        let value = match name.as_str() {
            // Two instants for `between`.
            "between" => json!(["2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"]),
            _ => placeholder(spec, prop),
        };
        out.insert(name, value);
    }
    Value::Object(out)
}

/// `(status, error type, message)` of a call on the fake; `None` for the error of a route the fake
/// does not serve (a plain-text `404`).
fn call(fake: &FakeSeam, path: &str, body: &Value) -> Option<(u16, String, String)> {
    let (status, bytes) = fake
        .post(path, &body.to_string(), Some(API_KEY))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    // The fake's unknown routes answer `404` as plain text (which would read as the JSON number).
    let parsed = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)?;
    Some((
        status,
        parsed["error"]["type"].as_str().unwrap_or_default().into(),
        parsed["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .into(),
    ))
}

/// The spec's own words about the operation and its alternatives.
fn spec_text(spec: &Value, path: &str, entry: &Entry) -> String {
    let schema = body_schema(spec, path).expect("a body");
    let mut text = spec["paths"][path]["post"]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for set in &entry.sets {
        for name in set {
            let prop = resolve(spec, &schema["properties"][name]);
            text.push('\n');
            text.push_str(prop["description"].as_str().unwrap_or_default());
        }
    }
    text
}

#[test]
fn every_entry_is_refused_without_its_alternatives_and_accepted_with_one() {
    let spec = spec();
    let table = table();
    assert!(!table.is_empty(), "the overrides have alternatives");
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let mut served = 0;
    for entry in &table {
        let path = entry.path.as_str();
        let schema = body_schema(&spec, path).unwrap_or_else(|| panic!("{path}: no JSON body"));
        for name in entry.sets.iter().flatten() {
            assert!(
                schema["properties"].get(name).is_some(),
                "{path}: the spec no longer declares `{name}`"
            );
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            assert!(
                !required.iter().any(|r| r == name),
                "{path}: the spec now requires `{name}` itself: the entry is stale"
            );
        }
        match call(&fake, path, &body(&spec, path, &[])) {
            Some((status, kind, message)) => {
                served += 1;
                assert_eq!(
                    (status, kind.as_str()),
                    (400, "invalid_input"),
                    "{path} without its alternatives: {message}"
                );
                assert!(
                    entry
                        .sets
                        .iter()
                        .flatten()
                        .any(|n| message.contains(n.as_str())),
                    "{path} is refused for another reason than its alternatives: {message}"
                );
                let first = &entry.sets[0];
                if let Some((_, kind, message)) = call(&fake, path, &body(&spec, path, first)) {
                    assert_ne!(
                        kind, "invalid_input",
                        "{path} with {first:?} is still refused: {message}"
                    );
                }
            }
            None => {
                // A route the fake does not serve: the spec's own words carry the entry.
                let text = spec_text(&spec, path, entry);
                let says = ["either", "Specify", "only provide", "must provide"];
                assert!(
                    says.iter().any(|w| text.contains(w)),
                    "{path}: neither the fake nor the spec says one of {:?} is needed",
                    entry.sets
                );
                for name in entry.sets.iter().flatten() {
                    assert!(
                        text.contains(name.as_str()),
                        "{path}: the spec's description no longer names `{name}`"
                    );
                }
            }
        }
    }
    assert!(
        served * 2 > table.len(),
        "most entries are checked on the fake ({served} of {})",
        table.len()
    );
}

/// Operations the fake refuses without input for a reason other than a missing alternative: the
/// credential (a client session is found by its token or a publishable key).
const REFUSED_FOR_OTHER_REASONS: &[(&str, &str)] = &[
    ("/client_sessions/get", "client_session_not_found"),
    (
        "/client_sessions/get_or_create",
        "publishable_key_header_required",
    ),
];

#[test]
fn every_operation_without_required_parameters_is_accepted_or_in_the_table() {
    let spec = spec();
    let table = table();
    let known: BTreeMap<&str, &Entry> = table.iter().map(|e| (e.path.as_str(), e)).collect();
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    let mut missing = Vec::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        let Some(op) = item.get("post") else { continue };
        // Reads only: a create, delete or simulation with an empty body is not called.
        let name = path.rsplit('/').next().unwrap_or_default();
        if !matches!(name, "get" | "list") {
            continue;
        }
        let schema = match op.get("requestBody") {
            Some(_) => body_schema(&spec, path),
            None => None,
        };
        // Bodies with required properties, or alternatives (the table's, checked above, or the
        // spec's `oneOf` of whole bodies), are not called empty.
        if schema.is_some_and(|s| {
            s.get("oneOf").is_some() || s["required"].as_array().is_some_and(|r| !r.is_empty())
        }) {
            continue;
        }
        let Some((status, kind, message)) = call(&fake, path, &json!({})) else {
            continue;
        };
        checked += 1;
        if status == 200 || known.contains_key(path.as_str()) {
            continue;
        }
        // A credential this test does not send (a bridge session, a client session's token).
        if status == 401 || REFUSED_FOR_OTHER_REASONS.contains(&(path.as_str(), kind.as_str())) {
            continue;
        }
        missing.push(format!("{path}: {status} {kind}: {message}"));
    }
    assert!(
        checked > 10,
        "the fake serves many of the reads ({checked})"
    );
    assert!(
        missing.is_empty(),
        "refused without input and not in the table of alternatives:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_sdk_guide_states_the_count() {
    let guide = std::fs::read_to_string(root().join("docs/sdk.md")).expect("docs/sdk.md");
    let n = table().len();
    assert!(
        guide.contains(&format!(
            "{n} calls take the alternatives the server requires"
        )),
        "docs/sdk.md gives the table's count ({n})"
    );
}

/// The generated calls take the alternative as an argument: a string is the primary id.
#[allow(dead_code)]
fn the_calls_compile(seam: &seam_connect::Seam, id: &String) {
    use seam_connect::models::{AccessCodesGetParamsSelector, EventsListParamsSelector};
    let _ = seam.devices().get("device_id");
    let _ = seam.access_codes().get(id);
    let _ = seam
        .access_codes()
        .get(AccessCodesGetParamsSelector::device_id_and_code(
            "d", "1234",
        ));
    let _ = seam
        .events()
        .list(EventsListParamsSelector::since(std::time::SystemTime::now()))
        .limit(10);
    let _ = seam.connected_accounts().get(id.as_str());
}
