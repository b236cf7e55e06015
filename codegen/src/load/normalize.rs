//! Normalization of the raw document before `openapiv3` reads it: OpenAPI 3.1 (JSON Schema 2020-12)
//! constructs rewritten into their OpenAPI 3.0 equivalents, and validation keywords the 3.0 model
//! cannot hold (an integer `minimum` beyond `i64`) dropped with a warning, for both versions.
//!
//! Rewrites happen in place wherever they can, so a later error names the place the spec has. A
//! rewrite that moves a schema (a `$ref` with siblings wrapped in `allOf`, a `null` alternative
//! removed before others, `$defs` hoisted into `components/schemas`) records the move in
//! [`Moves`], and errors and warnings are mapped back to the spec's own pointers.

use serde_json::{Map, Value};

use crate::error::{push_segment, segments, Error, ErrorKind, Warning};

mod schema;

/// Pointers of the normalized document that stand for another place in the spec: (normalized
/// prefix, the spec's prefix), longest first when applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moves(Vec<(String, String)>);

impl Moves {
    fn record(&mut self, normalized: String, original: String) {
        if normalized != original {
            self.0.push((normalized, original));
        }
    }

    /// The spec's pointer for a pointer into the normalized document.
    pub fn original(&self, pointer: &str) -> String {
        let mut best: Option<&(String, String)> = None;
        for m in &self.0 {
            let hit = pointer == m.0
                || (pointer.starts_with(&m.0) && pointer[m.0.len()..].starts_with('/'));
            if hit && best.is_none_or(|b| b.0.len() < m.0.len()) {
                best = Some(m);
            }
        }
        match best {
            Some((from, to)) => {
                let mapped = format!("{to}{}", &pointer[from.len()..]);
                // A moved place may sit inside another moved place (a `$defs` entry of a hoisted
                // `$defs` entry): map again until nothing applies.
                if mapped != pointer && self.0.iter().any(|(f, _)| mapped.starts_with(f.as_str())) {
                    let again = Moves(self.0.iter().filter(|m| m.0 != *from).cloned().collect());
                    again.original(&mapped)
                } else {
                    mapped
                }
            }
            None => pointer.to_string(),
        }
    }
}

/// The extension that marks an array schema whose `items.anyOf` are a tuple's members, in order.
pub const TUPLE: &str = "x-codegen-tuple";

/// How deeply the normalized document may nest (mappings and lists; the document itself is level
/// 1). `openapiv3` reads a document recursively, several stack frames per level, and a stack
/// overflow cannot be caught: on the 2 MiB stack of a test thread a chain of `not` schemas
/// overflowed between 192 and 256 levels (on 8 MiB, between 768 and 1024). The YAML and JSON
/// readers stop at 128 levels, so only a copy made here (a `$ref` into a schema that holds it) or an
/// override goes deeper; real specs nest about 25 levels.
pub const MAX_DEPTH: usize = 160;

/// The levels of mappings and lists in `value` (a scalar has none), without recursion.
pub fn depth(value: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(value, 1)];
    while let Some((v, level)) = stack.pop() {
        match v {
            Value::Object(map) => stack.extend(map.values().map(|c| (c, level + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, level + 1))),
            _ => continue,
        }
        max = max.max(level);
    }
    max
}

/// Normalizes `raw` in place. `v31` is true for an OpenAPI 3.1 document. An error when a copy
/// would nest the document deeper than [`MAX_DEPTH`].
pub fn normalize(raw: &mut Value, v31: bool, warnings: &mut Vec<Warning>) -> Result<Moves, Error> {
    let mut n = Normalizer {
        v31,
        warnings,
        moves: Moves::default(),
        odd_refs: Vec::new(),
        copies: Vec::new(),
        too_deep: None,
    };
    if v31 {
        n.document(raw);
    }
    n.operations(raw);
    n.walk_document(raw, "#", false);
    // A schema `$ref` that points elsewhere than a component schema (into a schema, or at a
    // parameter) is replaced by a copy of what it points at; copies may hold such `$ref`s too.
    for round in 0..4 {
        let found = std::mem::take(&mut n.odd_refs);
        if found.is_empty() {
            break;
        }
        n.inline_refs(raw, found, round == 3);
    }
    if let Some(mut e) = n.too_deep {
        e.pointer = n.moves.original(&e.pointer);
        return Err(e);
    }
    Ok(n.moves)
}

struct Normalizer<'w> {
    v31: bool,
    warnings: &'w mut Vec<Warning>,
    moves: Moves,
    /// Schemas (by pointer) whose `$ref` points elsewhere than `#/components/schemas/<name>`.
    odd_refs: Vec<(String, String)>,
    /// Copies of schemas made for such `$ref`s: (where the copy is, the spec's `$ref` that made it,
    /// itself or through the copies it is in).
    copies: Vec<(String, String)>,
    /// The first copy that would have nested the document deeper than [`MAX_DEPTH`].
    too_deep: Option<Error>,
}

/// Keys whose values map names to objects (their keys are names, never keywords).
const NAME_MAPS: &[&str] = &[
    "responses",
    "paths",
    "content",
    "securitySchemes",
    "parameters",
    "headers",
    "examples",
    "links",
    "callbacks",
    "requestBodies",
    "encoding",
    "variables",
    "mapping",
];

/// Keywords of a schema whose values are schemas.
const SCHEMA_KEYS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Keywords of a schema whose values are lists of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords of a schema whose values map names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords that belong to one JSON type, moved into that type's alternative when a `type` list
/// becomes an `anyOf`.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "items" | "prefixItems" | "minItems" | "maxItems" | "uniqueItems" | "contains" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties"
        | "unevaluatedProperties" => "object",
        "pattern" | "minLength" | "maxLength" | "format" | "contentEncoding"
        | "contentMediaType" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        _ => return None,
    })
}

impl Normalizer<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// The 3.1 document-level changes: `webhooks`, `components/pathItems`, `$defs`, and what the
    /// 3.0 model requires that 3.1 made optional.
    fn document(&mut self, raw: &mut Value) {
        let Some(doc) = raw.as_object_mut() else {
            return;
        };
        doc.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        doc.remove("jsonSchemaDialect");
        if let Some(Value::Object(license)) = doc.get_mut("info").and_then(|i| i.get_mut("license"))
        {
            // An SPDX identifier: the 3.0 model has only `name` and `url`.
            license.remove("identifier");
        }
        if let Some(Value::Object(hooks)) = doc.remove("webhooks") {
            for name in hooks.keys() {
                self.warn(
                    &push_segment("#/webhooks", name),
                    "webhooks are requests the API sends, not operations a client calls: no function \
                     is generated (their payload types are generated when they are component schemas)",
                );
            }
        }
        if let Some(Value::Object(components)) = doc.get_mut("components") {
            if let Some(Value::Object(items)) = components.remove("pathItems") {
                for name in items.keys() {
                    self.warn(
                        &push_segment("#/components/pathItems", name),
                        "reusable path items (`components/pathItems`) are not read; only `paths` \
                         generates functions",
                    );
                }
            }
            if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
                let tls: Vec<String> = schemes
                    .iter()
                    .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                    .map(|(k, _)| k.clone())
                    .collect();
                for name in tls {
                    schemes.remove(&name);
                    self.warn(
                        &push_segment("#/components/securitySchemes", &name),
                        "`mutualTLS` is configured on the HTTP client, not per request; the scheme is ignored",
                    );
                }
            }
        }
        self.hoist_defs(raw);
    }

    /// Replaces each schema at `found` (pointer, its `$ref`) by a copy of the schema the `$ref`
    /// points at (a parameter's or header's `schema` for one that points at a parameter or header).
    /// `last`: refs still found in the copies become any JSON value.
    fn inline_refs(&mut self, raw: &mut Value, found: Vec<(String, String)>, last: bool) {
        for (at, reference) in found {
            let target = raw
                .pointer(reference.strip_prefix('#').unwrap_or(&reference))
                .cloned();
            let (copy, note) = match target {
                Some(Value::Object(t)) if t.contains_key("schema") && !t.contains_key("type") => (
                    t.get("schema").cloned(),
                    Some("points at a parameter or header, not a schema; its `schema` is used"),
                ),
                Some(t @ (Value::Object(_) | Value::Bool(_))) if !last => (Some(t), None),
                _ => (None, None),
            };
            let Some(node) = raw
                .pointer_mut(at.strip_prefix('#').unwrap_or(&at))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            node.remove("$ref");
            let ref_at = push_segment(&at, "$ref");
            // The spec's `$ref` this one is a copy of, when it is in a copy.
            let origin = self
                .copies
                .iter()
                .filter(|(p, _)| {
                    at == *p || (at.starts_with(p.as_str()) && at[p.len()..].starts_with('/'))
                })
                .max_by_key(|(p, _)| p.len())
                .map_or_else(|| ref_at.clone(), |(_, o)| o.clone());
            match copy {
                Some(copy) => {
                    if let Some(note) = note {
                        self.warn(&ref_at, format!("`{reference}` {note}"));
                    }
                    let mut copy = copy;
                    self.schema(&mut copy, &at);
                    // A `$ref` into a schema that holds it is copied into itself, each round
                    // doubling the depth. Blamed on the spec's `$ref`, not on a copy of it.
                    let levels = segments(&at).len() + depth(&copy);
                    if levels > MAX_DEPTH {
                        self.too_deep.get_or_insert_with(|| {
                            Error::new(
                                ErrorKind::Schema,
                                &origin,
                                format!(
                                    "`{reference}` is read as a copy of the schema it points at (and \
                                     the `$ref`s in the copy as copies too), which would nest the \
                                     document {levels} levels deep; expected at most {MAX_DEPTH} \
                                     levels (a `$ref` to a component schema is not copied)"
                                ),
                            )
                        });
                        continue;
                    }
                    self.copies.push((at.clone(), origin));
                    if let Value::Object(c) = copy {
                        for (k, v) in c {
                            node.entry(k).or_insert(v);
                        }
                    }
                }
                None => self.warn(
                    &ref_at,
                    format!("`{reference}` points at no schema; typed as any JSON value"),
                ),
            }
        }
    }

    /// An operation without `responses` (optional in 3.1, required in 3.0): read as one that
    /// returns nothing, with a warning in 3.0.
    ///
    /// A path template variable (`/a/{id}`) that no path parameter declares becomes a required
    /// string path parameter of each operation, with a warning.
    fn operations(&mut self, raw: &mut Value) {
        let shared_params = raw
            .pointer("/components/parameters")
            .cloned()
            .unwrap_or(Value::Null);
        let Some(Value::Object(paths)) = raw.get_mut("paths") else {
            return;
        };
        let mut missing = Vec::new();
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let path_ptr = push_segment("#/paths", path);
            let declared_here = path_params(item.get("parameters"), &shared_params);
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    let op_ptr = push_segment(&path_ptr, method);
                    if !op.contains_key("responses") {
                        op.insert("responses".into(), Value::Object(Map::new()));
                        missing.push(op_ptr.clone());
                    }
                    let mut declared = declared_here.clone();
                    declared.extend(path_params(op.get("parameters"), &shared_params));
                    for var in template_variables(path) {
                        if declared.contains(&var) {
                            continue;
                        }
                        self.warn(
                            &op_ptr,
                            format!(
                                "the path's `{{{var}}}` is declared by no path parameter; read as a \
                                 required string path parameter `{var}`"
                            ),
                        );
                        let mut param = Map::new();
                        param.insert("name".into(), Value::String(var.clone()));
                        param.insert("in".into(), Value::String("path".into()));
                        param.insert("required".into(), Value::Bool(true));
                        param.insert("schema".into(), serde_json::json!({"type": "string"}));
                        if let Value::Array(list) = op
                            .entry("parameters")
                            .or_insert_with(|| Value::Array(Vec::new()))
                        {
                            list.push(Value::Object(param));
                        }
                        declared.push(var);
                    }
                }
            }
        }
        if !self.v31 {
            for at in missing {
                self.warn(
                    &at,
                    "expected `responses` in the operation; read as an operation that returns nothing",
                );
            }
        }
    }

    /// Moves every `$defs` entry into `components/schemas` (named after it, numbered when taken) and
    /// rewrites the `$ref`s that point into it.
    fn hoist_defs(&mut self, raw: &mut Value) {
        let mut found: Vec<(String, Value)> = Vec::new();
        collect_defs(raw, "#", &mut found);
        if found.is_empty() {
            return;
        }
        let mut renames: Vec<(String, String)> = Vec::new();
        let schemas = raw
            .as_object_mut()
            .map(|d| {
                d.entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut)
            .map(|c| {
                c.entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut);
        let Some(schemas) = schemas else {
            return;
        };
        for (pointer, schema) in found {
            let base = segments(&pointer).last().cloned().unwrap_or_default();
            let mut name = base.clone();
            let mut n = 2;
            while schemas.contains_key(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            schemas.insert(name.clone(), schema);
            let new = push_segment("#/components/schemas", &name);
            self.moves.record(new.clone(), pointer.clone());
            renames.push((pointer, new));
        }
        rewrite_refs(raw, &renames);
    }

    /// Walks the document outside schemas, normalizing every schema it finds.
    fn walk_document(&mut self, value: &mut Value, pointer: &str, names: bool) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if !names && (key == "example" || key == "default" || key.starts_with("x-")) {
                        continue;
                    }
                    let here = push_segment(pointer, key);
                    if !names && key == "schema" {
                        self.schema(child, &here);
                    } else if !names && key == "schemas" && pointer == "#/components" {
                        if let Value::Object(schemas) = child {
                            for (name, s) in schemas.iter_mut() {
                                self.schema(s, &push_segment(&here, name));
                            }
                        }
                    } else if !names && key == "examples" {
                        // Example values (data), in a map of example objects.
                    } else if matches!(child, Value::Object(_) | Value::Array(_)) {
                        if !names && key == "responses" {
                            self.response_descriptions(child, &here);
                        }
                        let child_names = !names && NAME_MAPS.contains(&key.as_str());
                        self.walk_document(child, &here, child_names);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.walk_document(child, &push_segment(pointer, &i.to_string()), false);
                }
            }
            _ => {}
        }
    }

    /// A response without its required `description` gets an empty one, with a warning.
    fn response_descriptions(&mut self, responses: &mut Value, pointer: &str) {
        let Value::Object(responses) = responses else {
            return;
        };
        for (code, response) in responses.iter_mut() {
            if let Value::Object(r) = response {
                if !r.contains_key("description") && !r.contains_key("$ref") {
                    r.insert("description".into(), Value::String(String::new()));
                    self.warn(
                        &push_segment(pointer, code),
                        "expected a `description` in the response object; read as empty",
                    );
                }
            }
        }
    }
}

/// The names of the path parameters a `parameters` list declares (`$ref`s into
/// `components/parameters` followed).
fn path_params(list: Option<&Value>, shared: &Value) -> Vec<String> {
    let Some(Value::Array(list)) = list else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|p| {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.strip_prefix("#/components/parameters/")?;
                    shared.get(crate::error::segments(&format!("#/{name}")).first()?)?
                }
                None => p,
            };
            (p.get("in").and_then(Value::as_str) == Some("path"))
                .then(|| p.get("name").and_then(Value::as_str).map(str::to_string))
                .flatten()
        })
        .collect()
}

/// The `{variables}` of a path template.
fn template_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !name.is_empty() && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

/// The JSON Schema type of a value.
fn json_type(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// Removes every `$defs` map below `value` (in schema positions), collecting its entries with their
/// pointers; nested `$defs` come out as entries of their own.
fn collect_defs(value: &mut Value, pointer: &str, found: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(defs)) = map.remove("$defs") {
                let here = push_segment(pointer, "$defs");
                for (name, mut schema) in defs {
                    let at = push_segment(&here, &name);
                    collect_defs(&mut schema, &at, found);
                    found.push((at, schema));
                }
            }
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" || key == "enum" || key == "const" {
                    continue;
                }
                collect_defs(child, &push_segment(pointer, key), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                collect_defs(child, &push_segment(pointer, &i.to_string()), found);
            }
        }
        _ => {}
    }
}

/// Rewrites `$ref`s that point at (or into) a moved place.
fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                for (from, to) in renames {
                    if r == from
                        || (r.starts_with(from.as_str()) && r[from.len()..].starts_with('/'))
                    {
                        *r = format!("{to}{}", &r[from.len()..]);
                        break;
                    }
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, renames);
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, renames);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
