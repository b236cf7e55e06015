//! Tests of the normalization of 3.1 documents, of out-of-range bounds and of the repairs of defects.

use super::*;
use serde_json::json;

fn norm(mut doc: Value) -> (Value, Vec<Warning>, Moves) {
    let mut warnings = Vec::new();
    let moves = normalize(&mut doc, true, &mut warnings).expect("normalizes");
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
    normalize(&mut d, false, &mut warnings).expect("normalizes");
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

#[test]
fn a_ref_where_a_default_value_belongs_is_dropped_with_a_warning() {
    // In a 3.0 document (the repair is not 3.1's), at any depth, in a parameter's schema too; a
    // property named `default` is a name, not the keyword.
    let mut d = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query",
            "schema": {"type": "string", "default": {"$ref": "#/components/schemas/b"}}}],
            "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {
            "a": {"type": "object", "properties": {
                "default": {"type": "string", "default": "x"},
                "b": {"default": {"$ref": "#/components/schemas/b"}, "type": "string"}}},
            "b": {"type": "string"}}}});
    let mut warnings = Vec::new();
    normalize(&mut d, false, &mut warnings).expect("normalizes");
    let at: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        at,
        [
            "#/paths/~1a/get/parameters/0/schema/default",
            "#/components/schemas/a/properties/b/default"
        ]
    );
    assert!(warnings[0].message.contains("default value"));
    let a = schema_of(&d, "a");
    assert_eq!(a["properties"]["b"], json!({"type": "string"}));
    assert_eq!(
        a["properties"]["default"],
        json!({"type": "string", "default": "x"})
    );
    assert_eq!(
        d["paths"]["/a"]["get"]["parameters"][0]["schema"],
        json!({"type": "string"})
    );
}
