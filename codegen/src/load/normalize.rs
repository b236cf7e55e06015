//! Normalization of the raw document before `openapiv3` reads it: OpenAPI 3.1 (JSON Schema 2020-12)
//! constructs rewritten into their OpenAPI 3.0 equivalents, and validation keywords the 3.0 model
//! cannot hold (an integer `minimum` beyond `i64`) dropped with a warning, for both versions.
//!
//! Rewrites happen in place wherever they can, so a later error names the place the spec has. A
//! rewrite that moves a schema (a `$ref` with siblings wrapped in `allOf`, a `null` alternative
//! removed before others, `$defs` hoisted into `components/schemas`) records the move in
//! [`Moves`], and errors and warnings are mapped back to the spec's own pointers.

use serde_json::{Map, Value};

use crate::error::{push_segment, segments, Warning};

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

/// Normalizes `raw` in place. `v31` is true for an OpenAPI 3.1 document.
pub fn normalize(raw: &mut Value, v31: bool, warnings: &mut Vec<Warning>) -> Moves {
    let mut n = Normalizer {
        v31,
        warnings,
        moves: Moves::default(),
        odd_refs: Vec::new(),
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
    n.moves
}

struct Normalizer<'w> {
    v31: bool,
    warnings: &'w mut Vec<Warning>,
    moves: Moves,
    /// Schemas (by pointer) whose `$ref` points elsewhere than `#/components/schemas/<name>`.
    odd_refs: Vec<(String, String)>,
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
            match copy {
                Some(copy) => {
                    if let Some(note) = note {
                        self.warn(&ref_at, format!("`{reference}` {note}"));
                    }
                    let mut copy = copy;
                    self.schema(&mut copy, &at);
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

    /// Normalizes one schema and everything below it.
    fn schema(&mut self, value: &mut Value, pointer: &str) {
        if let Value::Bool(b) = value {
            // JSON Schema's boolean schemas: `true` accepts anything; `false` nothing, which no
            // value of a field can satisfy, so it is read as anything too.
            if !*b {
                self.warn(
                    pointer,
                    "the schema `false` (no value is valid) has no Rust type; read as any JSON value",
                );
            }
            *value = Value::Object(Map::new());
            return;
        }
        let Value::Object(map) = value else {
            return;
        };
        if let Some(Value::String(r)) = map.get("$ref") {
            if !r.starts_with('#') {
                self.warn(
                    &push_segment(pointer, "$ref"),
                    format!(
                        "`{r}` is in another document, which is not read; typed as any JSON value"
                    ),
                );
                map.remove("$ref");
            } else if segments(r).len() != 3 || !r.starts_with("#/components/schemas/") {
                self.odd_refs.push((pointer.to_string(), r.clone()));
            }
        }
        if self.v31 {
            self.schema_31(map, pointer);
        }
        self.bounds(map, pointer);
        self.required_flags(map, pointer);
        for (key, child) in map.iter_mut() {
            let here = push_segment(pointer, key);
            if SCHEMA_KEYS.contains(&key.as_str()) {
                if !(key == "additionalProperties" && child.is_boolean()) {
                    self.schema(child, &here);
                }
            } else if SCHEMA_LISTS.contains(&key.as_str()) {
                if let Value::Array(items) = child {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.schema(item, &push_segment(&here, &i.to_string()));
                    }
                }
            } else if SCHEMA_MAPS.contains(&key.as_str()) {
                if let Value::Object(entries) = child {
                    for (name, s) in entries.iter_mut() {
                        self.schema(s, &push_segment(&here, name));
                    }
                }
            }
        }
    }

    /// The 3.1 rewrites of one schema object (its children are normalized afterwards).
    fn schema_31(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        // `$ref` with siblings: 3.1 applies both; 3.0 ignores the siblings. Keep the reference and
        // the siblings that say something (a description, `nullable`, `deprecated`, ...) through the
        // 3.0 idiom `allOf: [{$ref}]` with the annotations beside it.
        if let Some(reference) = map.get("$ref").cloned() {
            map.retain(|k, _| {
                !matches!(
                    k.as_str(),
                    "$comment" | "$id" | "$schema" | "$anchor" | "summary"
                )
            });
            if map.len() > 1 {
                map.remove("$ref");
                let mut inner = Map::new();
                inner.insert("$ref".into(), reference);
                map.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
                self.moves.record(
                    push_segment(&push_segment(pointer, "allOf"), "0"),
                    pointer.to_string(),
                );
            } else {
                return;
            }
        }
        for key in ["$schema", "$id", "$anchor", "$comment", "$dynamicAnchor"] {
            map.remove(key);
        }
        // `examples` (a list in JSON Schema) → the first as `example`.
        if let Some(examples) = map.remove("examples") {
            if let (Value::Array(list), false) = (&examples, map.contains_key("example")) {
                if let Some(first) = list.first() {
                    map.insert("example".into(), first.clone());
                }
            }
        }
        // `const` → a one-value enum (`null` → nullable).
        if let Some(constant) = map.remove("const") {
            if constant.is_null() {
                map.insert("nullable".into(), Value::Bool(true));
            } else if !map.contains_key("enum") {
                if !map.contains_key("type") {
                    if let Some(t) = json_type(&constant) {
                        map.insert("type".into(), Value::String(t.into()));
                    }
                }
                map.insert("enum".into(), Value::Array(vec![constant]));
            }
        }
        // A `null` in an enum's values: 3.0 says `nullable` too.
        if let Some(Value::Array(values)) = map.get("enum") {
            if values.iter().any(Value::is_null) {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
        self.type_list(map, pointer);
        for key in ["anyOf", "oneOf"] {
            self.null_alternatives(map, pointer, key);
        }
        for (key, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(bound) = map.get(key).filter(|v| v.is_number()).cloned() {
                map.insert(key.into(), Value::Bool(true));
                map.insert(inclusive.into(), bound);
            }
        }
        match map.get("contentEncoding").and_then(Value::as_str) {
            Some("base64" | "base64url") if !map.contains_key("format") => {
                map.insert("format".into(), Value::String("byte".into()));
            }
            _ => {}
        }
        if map.get("contentMediaType").and_then(Value::as_str) == Some("application/octet-stream")
            && !map.contains_key("format")
            && !map.contains_key("contentEncoding")
        {
            map.insert("format".into(), Value::String("binary".into()));
        }
        map.remove("contentEncoding");
        map.remove("contentMediaType");
        if let Some(rest) = map.remove("unevaluatedProperties") {
            map.entry("additionalProperties").or_insert(rest);
        }
        self.prefix_items(map, pointer);
        if matches!(map.get("items"), Some(Value::Bool(_))) {
            map.remove("items");
        }
    }

    /// `type: [string, "null"]` → `type: string, nullable: true`; several non-null types → an
    /// `anyOf` with one alternative per type (each with its own keywords).
    fn type_list(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::String(t)) if t == "null" => vec!["null".into()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            _ => return,
        };
        let mut rest: Vec<String> = Vec::new();
        for t in &types {
            if t == "null" {
                map.insert("nullable".into(), Value::Bool(true));
            } else if !rest.contains(t) {
                rest.push(t.clone());
            }
        }
        // An integer is a number: `[integer, number]` is a number.
        if rest.contains(&"number".to_string()) {
            rest.retain(|t| t != "integer");
        }
        match rest.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), Value::String(rest.remove(0)));
            }
            _ if map.contains_key("anyOf") || map.contains_key("oneOf") => {
                self.warn(
                    &push_segment(pointer, "type"),
                    format!(
                        "several types ({}) beside `anyOf`/`oneOf`; the type list is ignored",
                        rest.join(", ")
                    ),
                );
                map.remove("type");
            }
            _ => {
                map.remove("type");
                let mut alternatives = Vec::new();
                for t in &rest {
                    let mut alt = Map::new();
                    alt.insert("type".into(), Value::String(t.clone()));
                    let keys: Vec<String> = map
                        .keys()
                        .filter(|k| {
                            keyword_type(k).is_some_and(|kt| {
                                kt == t.as_str() || (kt == "number" && t == "integer")
                            })
                        })
                        .cloned()
                        .collect();
                    for k in keys {
                        if let Some(v) = map.get(&k) {
                            alt.insert(k, v.clone());
                        }
                    }
                    alternatives.push(Value::Object(alt));
                }
                map.retain(|k, _| keyword_type(k).is_none());
                if let Some(Value::Array(values)) = map.remove("enum") {
                    // Values of several types: each alternative keeps its own.
                    for alt in &mut alternatives {
                        let t = alt["type"].as_str().unwrap_or_default().to_string();
                        let own: Vec<Value> = values
                            .iter()
                            .filter(|v| json_type(v).is_some_and(|vt| vt == t))
                            .cloned()
                            .collect();
                        if !own.is_empty() {
                            alt["enum"] = Value::Array(own);
                        }
                    }
                }
                map.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
    }

    /// Removes `null` alternatives (`{type: "null"}`, `{const: null}`, `{enum: [null]}`) from an
    /// `anyOf`/`oneOf`, making the schema nullable.
    fn null_alternatives(&mut self, map: &mut Map<String, Value>, pointer: &str, key: &str) {
        let Some(Value::Array(alts)) = map.get_mut(key) else {
            return;
        };
        let is_null = |v: &Value| {
            v.get("type").and_then(Value::as_str) == Some("null")
                || v.get("type")
                    .is_some_and(|t| *t == Value::Array(vec!["null".into()]))
                || v.get("const").is_some_and(Value::is_null)
                || v.get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1 && e[0].is_null())
        };
        if !alts.iter().any(is_null) {
            return;
        }
        let here = push_segment(pointer, key);
        let mut kept = Vec::new();
        for (i, alt) in std::mem::take(alts).into_iter().enumerate() {
            if is_null(&alt) {
                continue;
            }
            self.moves.record(
                push_segment(&here, &kept.len().to_string()),
                push_segment(&here, &i.to_string()),
            );
            kept.push(alt);
        }
        if kept.is_empty() {
            map.remove(key);
        } else {
            *alts = kept;
        }
        map.insert("nullable".into(), Value::Bool(true));
    }

    /// `prefixItems` (a tuple). Closed (`items: false`, or `maxItems` its length): the members in
    /// an `items: {anyOf}` marked [`TUPLE`], which the lowering reads as a Rust tuple. Open: read as
    /// a list whose items are one of the members' types, with a warning.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(members)) = map.remove("prefixItems") else {
            return;
        };
        let here = push_segment(pointer, "prefixItems");
        let closed = map.get("items") == Some(&Value::Bool(false))
            || map.get("maxItems").and_then(Value::as_u64) == Some(members.len() as u64);
        if closed && !members.is_empty() {
            map.remove("items");
            let list = push_segment(&push_segment(pointer, "items"), "anyOf");
            for i in 0..members.len() {
                self.moves.record(
                    push_segment(&list, &i.to_string()),
                    push_segment(&here, &i.to_string()),
                );
            }
            map.entry("type")
                .or_insert_with(|| Value::String("array".into()));
            let mut any = Map::new();
            any.insert("anyOf".into(), Value::Array(members));
            map.insert("items".into(), Value::Object(any));
            map.insert(TUPLE.into(), Value::Bool(true));
            return;
        }
        let extra = map.remove("items");
        let mut alts: Vec<Value> = Vec::new();
        for (i, m) in members.into_iter().enumerate() {
            if !alts.contains(&m) {
                self.moves.record(
                    push_segment(
                        &push_segment(&push_segment(pointer, "items"), "anyOf"),
                        &alts.len().to_string(),
                    ),
                    push_segment(&here, &i.to_string()),
                );
                alts.push(m);
            }
        }
        if let Some(extra @ Value::Object(_)) = extra {
            if !alts.contains(&extra) {
                alts.push(extra);
            }
        }
        self.warn(
            &here,
            "an open tuple (`prefixItems` without `items: false`) is read as a list whose items are \
             any of its member types",
        );
        map.entry("type")
            .or_insert_with(|| Value::String("array".into()));
        let items = if alts.len() == 1 {
            alts.remove(0)
        } else {
            let mut any = Map::new();
            any.insert("anyOf".into(), Value::Array(alts));
            Value::Object(any)
        };
        map.insert("items".into(), items);
    }

    /// `required: true` on a property's own schema (the parameter form): the property is added to
    /// the object's `required` list, with a warning.
    fn required_flags(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Object(properties)) = map.get_mut("properties") else {
            return;
        };
        let mut flagged = Vec::new();
        for (name, property) in properties.iter_mut() {
            let Some(p) = property.as_object_mut() else {
                continue;
            };
            if let Some(&Value::Bool(flag)) = p.get("required") {
                p.remove("required");
                flagged.push((name.clone(), flag));
            }
        }
        for (name, flag) in flagged {
            let at = push_segment(
                &push_segment(&push_segment(pointer, "properties"), &name),
                "required",
            );
            self.warn(
                &at,
                format!(
                    "`required: {flag}` on a property's schema (expected the object's list of required \
                     names); read as {} in the object's `required`",
                    if flag { "listed" } else { "not listed" }
                ),
            );
            if flag {
                let list = map
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = list {
                    if !list.iter().any(|r| r.as_str() == Some(name.as_str())) {
                        list.push(Value::String(name));
                    }
                }
            }
        }
    }

    /// Validation keywords the 3.0 model holds in narrower types: an integer schema's bounds are
    /// `i64`, lengths and counts are unsigned. Values outside them are dropped with a warning.
    fn bounds(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let integer = map.get("type").and_then(Value::as_str) == Some("integer");
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(v) = map.get(key) else { continue };
            let fits = match v {
                Value::Number(n) => !integer || n.as_i64().is_some(),
                _ => false,
            };
            if !fits {
                let shown = v.to_string();
                map.remove(key);
                self.warn(
                    &push_segment(pointer, key),
                    format!(
                        "`{key}: {shown}` is not {}; the bound is ignored",
                        if integer {
                            "a 64-bit integer"
                        } else {
                            "a number"
                        }
                    ),
                );
            }
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            match map.get(key) {
                None | Some(Value::Bool(_)) => {}
                Some(Value::Number(_)) if !self.v31 => {
                    // The 3.1 form in a 3.0 document: read it as 3.1 means it.
                    let bound = map.get(key).cloned().unwrap_or(Value::Null);
                    let inclusive = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    map.insert(key.into(), Value::Bool(true));
                    map.insert(inclusive.into(), bound);
                }
                Some(other) => {
                    let shown = other.to_string();
                    map.remove(key);
                    self.warn(
                        &push_segment(pointer, key),
                        format!("`{key}: {shown}`: expected true or false; ignored"),
                    );
                }
            }
        }
        for key in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            let Some(v) = map.get(key) else { continue };
            if v.as_u64().is_none() {
                let shown = v.to_string();
                map.remove(key);
                self.warn(
                    &push_segment(pointer, key),
                    format!("`{key}: {shown}` is not a count (an unsigned integer); ignored"),
                );
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
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(mut doc: Value) -> (Value, Vec<Warning>, Moves) {
        let mut warnings = Vec::new();
        let moves = normalize(&mut doc, true, &mut warnings);
        (doc, warnings, moves)
    }

    fn schema_of(doc: &Value, name: &str) -> Value {
        doc["components"]["schemas"][name].clone()
    }

    fn doc(schemas: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": schemas}})
    }

    #[test]
    fn type_lists_become_nullable_or_any_of() {
        let (d, w, _) = norm(doc(json!({
            "a": {"type": ["string", "null"], "maxLength": 3},
            "b": {"type": ["string", "integer"], "maxLength": 3, "minimum": 1},
            "c": {"type": "null"},
        })));
        assert_eq!(
            schema_of(&d, "a"),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            schema_of(&d, "b"),
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]})
        );
        assert_eq!(schema_of(&d, "c"), json!({"nullable": true}));
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn null_alternatives_make_the_schema_nullable_and_pointers_map_back() {
        let (d, _, moves) = norm(doc(json!({
            "a": {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/b"}]},
            "b": {"type": "string"},
        })));
        assert_eq!(
            schema_of(&d, "a"),
            json!({"anyOf": [{"$ref": "#/components/schemas/b"}], "nullable": true})
        );
        assert_eq!(
            moves.original("#/components/schemas/a/anyOf/0"),
            "#/components/schemas/a/anyOf/1"
        );
    }

    #[test]
    fn const_examples_bounds_and_ref_siblings() {
        let (d, _, moves) = norm(doc(json!({
            "a": {"const": "x"},
            "b": {"type": "number", "exclusiveMinimum": 0, "examples": [1, 2]},
            "c": {"$ref": "#/components/schemas/a", "description": "the a"},
            "d": {"$ref": "#/components/schemas/a", "$comment": "nothing"},
        })));
        assert_eq!(schema_of(&d, "a"), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(
            schema_of(&d, "b"),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "example": 1})
        );
        assert_eq!(
            schema_of(&d, "c"),
            json!({"description": "the a", "allOf": [{"$ref": "#/components/schemas/a"}]})
        );
        assert_eq!(
            schema_of(&d, "d"),
            json!({"$ref": "#/components/schemas/a"})
        );
        assert_eq!(
            moves.original("#/components/schemas/c/allOf/0"),
            "#/components/schemas/c"
        );
    }

    #[test]
    fn defs_are_hoisted_and_refs_rewritten() {
        let (d, _, moves) = norm(doc(json!({
            "a": {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/a/$defs/a"}},
                  "$defs": {"a": {"type": "string"}}},
        })));
        assert_eq!(schema_of(&d, "a2"), json!({"type": "string"}));
        assert_eq!(
            schema_of(&d, "a")["properties"]["p"],
            json!({"$ref": "#/components/schemas/a2"})
        );
        assert_eq!(
            moves.original("#/components/schemas/a2/type"),
            "#/components/schemas/a/$defs/a/type"
        );
    }

    #[test]
    fn out_of_range_bounds_are_dropped_with_a_warning_in_3_0_too() {
        let mut d = doc(json!({
            "a": {"type": "integer", "minimum": -9223372036854776000.0_f64, "maximum": 10},
            "b": {"type": "number", "minimum": -9223372036854776000.0_f64},
            "c": {"type": "string", "maxLength": -1},
        }));
        let mut warnings = Vec::new();
        normalize(&mut d, false, &mut warnings);
        assert_eq!(
            schema_of(&d, "a"),
            json!({"type": "integer", "maximum": 10})
        );
        assert_eq!(
            schema_of(&d, "b"),
            json!({"type": "number", "minimum": -9223372036854776000.0_f64})
        );
        assert_eq!(schema_of(&d, "c"), json!({"type": "string"}));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/a/minimum",
                "#/components/schemas/c/maxLength"
            ]
        );
    }

    #[test]
    fn webhooks_are_reported() {
        let mut d = doc(json!({}));
        d["webhooks"] = json!({"newPet": {"post": {}}});
        let (d, w, _) = norm(d);
        assert!(d.get("webhooks").is_none());
        assert_eq!(w[0].pointer, "#/webhooks/newPet");
        assert_eq!(d["paths"], json!({}));
    }
}
