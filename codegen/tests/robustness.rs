//! Regressions found by `cargo xtask mutate` (issue 27): inputs that crashed the generator are
//! refused with an error that names the place and what was expected.
//!
//! These run on the test harness's threads (2 MiB stacks unless `RUST_MIN_STACK` says otherwise),
//! smaller than the main thread `cargo xtask codegen` runs on: a stack overflow aborts the whole
//! test binary, which is the failure these guard against.

use codegen::{generate_str_with, ErrorKind, Format, Options, ProfileKind};
use serde_json::{json, Value};

fn generic() -> Options {
    Options {
        profile: ProfileKind::Generic,
        ..Options::default()
    }
}

/// A 3.0 document whose one endpoint returns component schema `A`.
fn spec_with(a: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {
            "operationId": "get_a",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}
            }}}}
        }}},
        "components": {"schemas": {"A": a}}
    })
}

/// `depth` schemas nested by `key`, around `inner`.
fn nest(key: &str, depth: usize, inner: Value) -> Value {
    (0..depth).fold(inner, |v, _| match key {
        "allOf" => json!({ "allOf": [v] }),
        "not" => json!({ "not": v }),
        "items" => json!({ "type": "array", "items": v }),
        _ => json!({ "type": "object", key: v }),
    })
}

/// A `$ref` into a schema that holds it is read as a copy of that schema, and the copy holds the
/// `$ref` again: four rounds of copies doubled the depth each time, and `openapiv3` overflowed the
/// stack reading the result (`cargo xtask mutate`: "#/components/schemas/... = 120-deep
/// additionalProperties around a $ref to its outermost member").
#[test]
fn a_ref_copied_into_itself_is_refused_before_it_nests_too_deep() {
    for (key, member) in [
        ("additionalProperties", "additionalProperties"),
        ("not", "not"),
        ("allOf", "allOf/0"),
    ] {
        let depth = 60;
        let inner = json!({ "$ref": format!("#/components/schemas/A/{member}") });
        let spec = spec_with(nest(key, depth, inner));
        let e =
            generate_str_with(&spec.to_string(), Format::Json, &generic()).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::Schema, "{key}: {e:?}");
        // The `$ref` where the spec has it: inside `depth` levels of `key`.
        let steps = member.split('/').count() * depth;
        assert_eq!(
            e.pointer.matches('/').count(),
            3 + steps + 1,
            "{key}: {}",
            e.pointer
        );
        assert!(e.pointer.starts_with("#/components/schemas/A/"), "{e:?}");
        assert!(e.pointer.ends_with("/$ref"), "{e:?}");
        for part in ["is read as a copy", "expected at most 160 levels"] {
            assert!(e.message.contains(part), "{key}: {e:?}");
        }
    }
    // Shallow copies into themselves are still read (the last round's `$ref`s become any JSON).
    let spec = spec_with(nest(
        "additionalProperties",
        3,
        json!({"$ref": "#/components/schemas/A/additionalProperties"}),
    ));
    generate_str_with(&spec.to_string(), Format::Json, &generic()).expect("generates");
}

/// The YAML and JSON readers stop at 128 levels; an override can nest deeper, and is refused at the
/// first place beyond the limit instead of overflowing the stack.
#[test]
fn an_override_that_nests_too_deep_is_refused_where_it_does() {
    let spec = spec_with(json!({"type": "string"}));
    let overrides = json!([{
        "at": "#/components/schemas/A",
        "why": "a test",
        "replace": nest("not", 400, json!({"type": "string"})),
    }]);
    let e = codegen::load::load_str_with(&spec.to_string(), Format::Json, Some(&overrides))
        .expect_err("refused");
    assert_eq!(e.kind, ErrorKind::Schema, "{e:?}");
    // The document is level 1, `A` level 4: the first mapping beyond level 160 is the 157th `not`.
    let expected = format!("#/components/schemas/A{}", "/not".repeat(157));
    assert_eq!(e.pointer, expected);
    assert!(
        e.message.contains("expected at most 160 levels"),
        "{}",
        e.message
    );
    // Within the limit it is read.
    let overrides = json!([{
        "at": "#/components/schemas/A",
        "why": "a test",
        "replace": nest("items", 100, json!({"type": "string"})),
    }]);
    codegen::load::load_str_with(&spec.to_string(), Format::Json, Some(&overrides)).expect("loads");
}
