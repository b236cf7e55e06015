//! The schema-level rewrites of [`super::normalize`]: JSON Schema 2020-12 keywords into their
//! OpenAPI 3.0 forms (`type` lists, `null` alternatives, `const`, `prefixItems`, numeric exclusive
//! bounds), and bounds the 3.0 model cannot hold.

use serde_json::{Map, Value};

use super::*;

impl Normalizer<'_> {
    /// Normalizes one schema and everything below it.
    pub(super) fn schema(&mut self, value: &mut Value, pointer: &str) {
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
        // A `$ref` where a default value belongs (real specs have it): openapiv3 cannot read it.
        if map
            .get("default")
            .is_some_and(|d| d.as_object().is_some_and(|d| d.contains_key("$ref")))
        {
            self.warn(
                &push_segment(pointer, "default"),
                "a `$ref` stands where a default value belongs; the default is ignored",
            );
            map.remove("default");
        }
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

    /// `prefixItems` (a tuple). Closed (`items: false`, or `maxItems` and `minItems` its length): the members in
    /// an `items: {anyOf}` marked [`TUPLE`], which the lowering reads as a Rust tuple. Open: read as
    /// a list whose items are one of the members' types, with a warning.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(members)) = map.remove("prefixItems") else {
            return;
        };
        let here = push_segment(pointer, "prefixItems");
        let len = members.len() as u64;
        let at_least = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        // `maxItems` alone says "at most": a tuple only when `minItems` makes it exactly that long.
        let closed = map.get("items") == Some(&Value::Bool(false))
            || map.get("maxItems").and_then(Value::as_u64) == Some(len) && at_least >= len;
        if closed && !members.is_empty() {
            if at_least < len {
                self.warn(
                    &here,
                    format!(
                        "a closed tuple without `minItems: {len}` allows shorter arrays; it is read as a Rust tuple of exactly {len} items, and a shorter array does not decode"
                    ),
                );
            }
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
