//! Loading a spec: YAML or JSON text → `serde_json::Value` → overrides → [`normalize`] (repairs of
//! known defects, with warnings; OpenAPI 3.1 rewritten into the 3.0 model) → `openapiv3`.

pub mod normalize;
mod yaml;

use std::path::Path;

use serde_json::Value;

use crate::error::{push_segment, Error, ErrorKind, Warning};

/// The text format of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// Chooses the format from a file name's extension.
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Ok(Format::Yaml),
            Some("json") => Ok(Format::Json),
            _ => Err(Error::new(
                ErrorKind::Io,
                "#",
                format!(
                    "cannot tell the format of {}: expected a file ending in .yaml, .yml or .json",
                    path.display()
                ),
            )),
        }
    }
}

/// A parsed spec with the warnings its repairs produced.
#[derive(Debug)]
pub struct Loaded {
    /// The typed document.
    pub spec: openapiv3::OpenAPI,
    /// The raw document (after repairs), for extensions and pointers.
    pub raw: Value,
    /// Defects found and worked around.
    pub warnings: Vec<Warning>,
    /// Overrides that matched nothing (or part of which did): the spec changed under them.
    pub stale_overrides: Vec<StaleOverride>,
    /// Places the normalization moved (3.1 → 3.0): maps pointers into `raw` back to the spec's.
    pub moves: normalize::Moves,
}

/// An override entry that no longer applies to the spec: generation goes on without it, and the
/// caller says which file to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleOverride {
    /// The entry's index in the overrides list (0-based).
    pub index: usize,
    /// The entry's `at` pointer.
    pub at: String,
    /// What no longer matches, and what to do about it.
    pub message: String,
}

impl std::fmt::Display for StaleOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "entry {} (`at: {}`): {}",
            self.index, self.at, self.message
        )
    }
}

/// The overrides file read beside a spec file, if present.
pub const OVERRIDES_FILE: &str = "overrides.yaml";

/// Reads and parses a spec file, applying `overrides.yaml` from the same folder if there is one.
pub fn load_file(path: &Path) -> Result<Loaded, Error> {
    let overrides_path = path.with_file_name(OVERRIDES_FILE);
    let overrides = overrides_path.is_file().then_some(overrides_path.as_path());
    load_file_with(path, overrides)
}

/// Reads and parses a spec file, applying the overrides file `overrides` if one is given (a missing
/// file is then an error). Errors in the overrides file name it.
pub fn load_file_with(path: &Path, overrides: Option<&Path>) -> Result<Loaded, Error> {
    let format = Format::from_path(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            "#",
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    let overrides = match overrides {
        None => None,
        Some(o) => Some((o, read_overrides(o)?)),
    };
    load_str_with(&text, format, overrides.as_ref().map(|(_, v)| v)).map_err(|mut e| {
        if let Some((o, _)) = &overrides {
            if e.pointer.starts_with("overrides") {
                e.message = format!("in {}: {}", o.display(), e.message);
            }
        }
        e
    })
}

fn read_overrides(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            "#",
            format!("cannot read the overrides file {}: {e}", path.display()),
        )
    })?;
    serde_yaml_ng::from_str::<Value>(&text).map_err(|e| {
        let mut err = Error::new(
            ErrorKind::Syntax,
            "#",
            format!("malformed YAML in {}: {e}", path.display()),
        );
        err.location = e.location().map(|l| (l.line(), l.column()));
        err
    })
}

/// Parses spec text only as far as a generic JSON value (the parse floor, for benchmarks).
pub fn parse_value(text: &str, format: Format) -> Result<Value, Error> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "#", format!("malformed JSON: {e}"));
            err.location = Some((e.line(), e.column()));
            err
        }),
        Format::Yaml => yaml::parse(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "#", format!("malformed YAML: {e}"));
            err.location = e.location().map(|l| (l.line(), l.column()));
            err
        }),
    }
    .map_err(|mut e| {
        e.message.push_str(&truncation_hint(text));
        e
    })
}

/// A note for errors in a spec whose text looks cut off (it does not end with a line break, as every
/// file the exporters and `serde_yaml_ng` write does): such a file often still parses, and then fails
/// somewhere in the middle for no visible reason.
fn truncation_hint(text: &str) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        "; the file does not end with a line break: it may be truncated".into()
    } else {
        String::new()
    }
}

/// Parses spec text.
pub fn load_str(text: &str, format: Format) -> Result<Loaded, Error> {
    load_str_with(text, format, None)
}

/// Parses spec text and applies overrides (the contents of an `overrides.yaml`).
pub fn load_str_with(
    text: &str,
    format: Format,
    overrides: Option<&Value>,
) -> Result<Loaded, Error> {
    let mut raw = parse_value(text, format)?;
    if !raw.is_object() {
        return Err(Error::new(
            ErrorKind::Schema,
            "#",
            "expected an OpenAPI document (a mapping with `openapi`, `info` and `paths`)",
        ));
    }
    let v31 = match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => false,
        Some(v) if v.starts_with("3.1") => true,
        Some(v) => {
            return Err(Error::new(
                ErrorKind::Schema,
                "#/openapi",
                format!("expected OpenAPI version 3.0.x or 3.1.x, found {v}"),
            ))
        }
        None => {
            return Err(Error::new(
                ErrorKind::Schema,
                "#/openapi",
                format!(
                    "expected a string field `openapi` with the version 3.0.x or 3.1.x{}",
                    truncation_hint(text)
                ),
            ))
        }
    };
    let stale_overrides = match overrides {
        Some(overrides) => apply_overrides(&mut raw, overrides)?,
        None => Vec::new(),
    };
    let mut warnings = Vec::new();
    let moves = prepare(&mut raw, v31, &mut warnings)?;
    // A missing required part is worked around in a whole file; in one that looks cut off it is
    // where the cut is.
    let hint = truncation_hint(text);
    if !hint.is_empty() {
        if let Some(w) = warnings.iter().find(|w| w.message.starts_with("expected ")) {
            return Err(Error::new(
                ErrorKind::Schema,
                w.pointer.clone(),
                format!("{}{hint}", w.message),
            ));
        }
    }
    let spec = match to_openapi(&raw) {
        Ok(spec) => spec,
        Err(mut e) => {
            e.pointer = moves.original(&e.pointer);
            e.message.push_str(&truncation_hint(text));
            if overrides.is_some() {
                // Blame the spec only if it is broken without the overrides too (a truncated spec is
                // reported as such, not as overrides that match nothing); else the overrides broke it.
                let mut plain = parse_value(text, format)?;
                if prepare(&mut plain, v31, &mut Vec::new()).is_ok() && to_openapi(&plain).is_ok() {
                    e.message = format!("after the overrides were applied: {}", e.message);
                }
            }
            return Err(e);
        }
    };
    Ok(Loaded {
        spec,
        raw,
        warnings,
        stale_overrides,
        moves,
    })
}

/// Normalizes the document into what the 3.0 model holds (repairing the defects real specs are
/// known to have, each with a warning: one walk of the document, `normalize`).
fn prepare(
    raw: &mut Value,
    v31: bool,
    warnings: &mut Vec<Warning>,
) -> Result<normalize::Moves, Error> {
    let moves = normalize::normalize(raw, v31, warnings)?;
    for w in warnings.iter_mut() {
        w.pointer = moves.original(&w.pointer);
    }
    Ok(moves)
}

/// Refuses a document nested deeper than [`normalize::MAX_DEPTH`] (by an override, say): `openapiv3`
/// would overflow the stack reading it. Names the first place beyond the limit.
fn check_depth(raw: &Value) -> Result<(), Error> {
    if normalize::depth(raw) <= normalize::MAX_DEPTH {
        return Ok(());
    }
    let mut stack = vec![(raw, String::from("#"), 1)];
    while let Some((value, pointer, level)) = stack.pop() {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (push_segment(&pointer, k), v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (push_segment(&pointer, &i.to_string()), v))
                .collect(),
            _ => continue,
        };
        if level > normalize::MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Schema,
                pointer,
                format!(
                    "nested more than {} levels deep; expected at most {} levels of mappings and lists",
                    normalize::MAX_DEPTH,
                    normalize::MAX_DEPTH
                ),
            ));
        }
        // In document order: the first child is popped first.
        stack.extend(children.into_iter().rev().map(|(p, v)| (v, p, level + 1)));
    }
    Ok(())
}

fn to_openapi(raw: &Value) -> Result<openapiv3::OpenAPI, Error> {
    check_depth(raw)?;
    if let Some(spec) = read_in_parts(raw) {
        return Ok(spec);
    }
    // The document does not read: again, keeping the path, to say where.
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner().to_string();
        // Inside openapiv3's untagged and flattened types serde loses the path: look below the
        // pointer it gave for the first value of a wrong shape, to name the exact place.
        match refine(raw, &pointer) {
            Some((pointer, expected)) => Error::new(ErrorKind::Schema, pointer, expected),
            None => Error::new(
                ErrorKind::Schema,
                pointer,
                format!("not a valid OpenAPI 3.0 object: {inner}"),
            ),
        }
    })
}

/// The document as `openapiv3` reads it, `paths` on a thread of its own beside `components` and
/// the rest (the same values: each part is read by the type that reads it in the whole), without
/// the path that only an error needs. `None` if any part does not read.
fn read_in_parts(raw: &Value) -> Option<openapiv3::OpenAPI> {
    use serde::Deserialize;
    let map = raw.as_object()?;
    let mut rest = serde_json::Map::new();
    for (key, value) in map {
        if key != "paths" && key != "components" {
            rest.insert(key.clone(), value.clone());
        }
    }
    rest.insert("paths".into(), Value::Object(serde_json::Map::new()));
    let rest = Value::Object(rest);
    let (paths, components, skeleton) = std::thread::scope(|scope| {
        let paths = scope.spawn(|| map.get("paths").map(openapiv3::Paths::deserialize));
        let components = map
            .get("components")
            .map(openapiv3::Components::deserialize);
        let skeleton = openapiv3::OpenAPI::deserialize(&rest);
        (paths.join(), components, skeleton)
    });
    let mut spec = skeleton.ok()?;
    spec.paths = paths.ok()??.ok()?;
    spec.components = components.transpose().ok()?;
    Some(spec)
}

/// Applies overrides: a list of `{at, why, optional?, replace?, set?}`. `at` is a JSON pointer whose
/// segments may be `*` (any one key or index); every schema it matches gets the listed names removed from
/// its `required` (`optional`), is replaced by `replace`, and/or has the keys of `set` merged in. An
/// entry that is malformed is an error; an entry that matches nothing (or an `optional` name that is
/// required nowhere it matches) is returned as stale, every one of them, and the rest still applies.
pub fn apply_overrides(raw: &mut Value, overrides: &Value) -> Result<Vec<StaleOverride>, Error> {
    let mut stale = Vec::new();
    let list = overrides.as_array().ok_or_else(|| {
        Error::new(
            ErrorKind::Schema,
            "overrides",
            "expected a list of overrides ({at, why, optional | replace | set})",
        )
    })?;
    for (i, o) in list.iter().enumerate() {
        let here = format!("overrides[{i}]");
        let at = o.get("at").and_then(Value::as_str).ok_or_else(|| {
            Error::new(
                ErrorKind::Schema,
                &here,
                "expected `at`: a JSON pointer like `#/components/schemas/device`",
            )
        })?;
        if o.get("why")
            .and_then(Value::as_str)
            .is_none_or(|w| w.trim().is_empty())
        {
            return Err(Error::new(
                ErrorKind::Schema,
                &here,
                "expected `why`: the reason for the override",
            ));
        }
        let segments: Vec<String> = crate::error::segments(at);
        let mut targets: Vec<&mut Value> = Vec::new();
        collect_matches(raw, &segments, &mut targets);
        if targets.is_empty() {
            stale.push(StaleOverride {
                index: i,
                at: at.to_string(),
                message: "matches nothing in the spec; delete the entry (or correct its `at`)"
                    .into(),
            });
            continue;
        }
        let names: Vec<Value> = match o.get("optional") {
            None => Vec::new(),
            Some(Value::Array(names)) => names.clone(),
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    &here,
                    "expected `optional` to be a list of property names",
                ))
            }
        };
        let mut removed = vec![false; names.len()];
        for target in targets {
            if let Some(Value::Array(required)) = target.get_mut("required") {
                for (name, removed) in names.iter().zip(removed.iter_mut()) {
                    let before = required.len();
                    required.retain(|r| r != name);
                    *removed |= required.len() != before;
                }
            }
            if let Some(replacement) = o.get("replace") {
                *target = replacement.clone();
            }
            if let Some(set) = o.get("set") {
                let (Some(set), Some(obj)) = (set.as_object(), target.as_object_mut()) else {
                    return Err(Error::new(
                        ErrorKind::Schema,
                        &here,
                        "expected `set` to be a mapping, applied to a mapping",
                    ));
                };
                for (k, v) in set {
                    obj.insert(k.clone(), v.clone());
                }
            }
        }
        let unused: Vec<String> = names
            .iter()
            .zip(&removed)
            .filter(|(_, removed)| !**removed)
            .map(|(name, _)| {
                name.as_str()
                    .map_or_else(|| name.to_string(), str::to_string)
            })
            .collect();
        if !unused.is_empty() {
            stale.push(StaleOverride {
                index: i,
                at: at.to_string(),
                message: if unused.len() == 1 {
                    format!(
                        "`optional`: {} is not required anywhere `at` matches; remove it from `optional` \
                         (or delete the entry)",
                        unused[0]
                    )
                } else {
                    format!(
                        "`optional`: {} are not required anywhere `at` matches; remove them from `optional` \
                         (or delete the entry)",
                        unused.join(", ")
                    )
                },
            });
        }
    }
    Ok(stale)
}

fn collect_matches<'v>(value: &'v mut Value, segments: &[String], out: &mut Vec<&'v mut Value>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(value);
        return;
    };
    match value {
        Value::Object(map) => {
            if first == "*" {
                for child in map.values_mut() {
                    collect_matches(child, rest, out);
                }
            } else if let Some(child) = map.get_mut(first) {
                collect_matches(child, rest, out);
            }
        }
        Value::Array(items) => {
            if first == "*" {
                for child in items.iter_mut() {
                    collect_matches(child, rest, out);
                }
            } else if let Some(child) = first.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                collect_matches(child, rest, out);
            }
        }
        _ => {}
    }
}

/// Finds, at or below `pointer`, the first keyword whose value has the wrong shape.
fn refine(raw: &Value, pointer: &str) -> Option<(String, String)> {
    let json_pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    let node = raw.pointer(json_pointer)?;
    let mut found = None;
    find_wrong_shape(node, pointer, "", &mut found);
    found
}

fn find_wrong_shape(
    value: &Value,
    pointer: &str,
    parent_key: &str,
    found: &mut Option<(String, String)>,
) {
    if found.is_some() {
        return;
    }
    match value {
        Value::Object(map) => {
            if parent_key == "responses" {
                for (code, response) in map {
                    if let Value::Object(r) = response {
                        if !r.contains_key("description") && !r.contains_key("$ref") {
                            *found = Some((
                                push_segment(pointer, code),
                                "expected a `description` in the response object".into(),
                            ));
                            return;
                        }
                    }
                }
            }
            // In a map of names (properties, schemas, paths, ...) the keys are names, not keywords.
            let names = matches!(
                parent_key,
                "properties" | "schemas" | "paths" | "content" | "responses" | "securitySchemes"
            );
            let schema_like = !names
                && (map.contains_key("type")
                    || map.contains_key("properties")
                    || map.contains_key("items"));
            for (key, child) in map {
                let here = push_segment(pointer, key);
                let wrong = match (key.as_str(), child) {
                    ("required", Value::Array(items))
                        if schema_like && items.iter().all(Value::is_string) =>
                    {
                        None
                    }
                    ("required", Value::Bool(_)) if !schema_like => None,
                    ("required", _) if schema_like => {
                        Some("expected a list of required property names")
                    }
                    ("properties", Value::Object(_)) => None,
                    ("properties", _) if schema_like => {
                        Some("expected a mapping of property names to schemas")
                    }
                    ("items", Value::Object(_)) => None,
                    ("items", _) if schema_like => Some("expected a schema for the array items"),
                    ("enum", Value::Array(_)) => None,
                    ("enum", _) if schema_like => Some("expected a list of values"),
                    ("nullable" | "deprecated", Value::Bool(_)) => None,
                    ("nullable" | "deprecated", _) if !names => Some("expected true or false"),
                    ("type", Value::String(t))
                        if matches!(
                            t.as_str(),
                            "string"
                                | "number"
                                | "integer"
                                | "boolean"
                                | "array"
                                | "object"
                                | "http"
                                | "apiKey"
                                | "oauth2"
                                | "openIdConnect"
                        ) =>
                    {
                        None
                    }
                    ("type", _) if schema_like => {
                        Some("expected a type: string, number, integer, boolean, array or object")
                    }
                    _ => None,
                };
                if let Some(expected) = wrong {
                    *found = Some((here, expected.to_string()));
                    return;
                }
                find_wrong_shape(child, &here, key, found);
                if found.is_some() {
                    return;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find_wrong_shape(child, &push_segment(pointer, &i.to_string()), "", found);
                if found.is_some() {
                    return;
                }
            }
        }
        _ => {}
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer = push_segment(&pointer, &index.to_string())
            }
            serde_path_to_error::Segment::Map { key } => pointer = push_segment(&pointer, key),
            serde_path_to_error::Segment::Enum { variant } => {
                pointer = push_segment(&pointer, variant)
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}
