//! Tests of lowering on its own: what each schema keyword becomes in the IR, before the passes.

use super::*;
use crate::load::{load_str, Format};
use crate::profile::ProfileKind;

/// Lowers a YAML spec with the generic profile.
fn lowered(yaml: &str) -> (Ir, Vec<Warning>) {
    let loaded = load_str(yaml, Format::Yaml).expect("loads");
    let mut warnings = loaded.warnings.clone();
    let ir = lower(&loaded.spec, ProfileKind::Generic.profile(), &mut warnings).expect("lowers");
    (ir, warnings)
}

fn component<'a>(ir: &'a Ir, name: &str) -> &'a TypeDef {
    ir.types
        .iter()
        .find(|t| t.is_component(name))
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn fields(t: &TypeDef) -> &[Field] {
    match &t.kind {
        TypeKind::Struct(fields) => fields,
        other => panic!("{}: not a struct: {other:?}", t.name),
    }
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    pet:
      type: object
      required: [id, born_at, note]
      properties:
        id: {type: string}
        born_at: {type: string, format: date-time}
        note: {type: string, nullable: true}
        age: {type: integer}
        old_name: {type: string, deprecated: true}
        legacy: {type: string, x-deprecated: "use id"}
        status:
          type: string
          enum: [active, Unrecognized, on_hold]
"#;

#[test]
fn required_nullable_deprecated_and_time_fields() {
    let (ir, warnings) = lowered(SPEC);
    assert!(warnings.is_empty(), "{warnings:?}");
    let pet = component(&ir, "pet");
    // Names are the passes' (`assign_names`): lowering gives each type its place's words.
    assert_eq!(pet.hint, ["pet"]);
    assert_eq!(pet.pointer, "#/components/schemas/pet");
    let by_name = |n: &str| {
        fields(pet)
            .iter()
            .find(|f| f.wire == n)
            .unwrap_or_else(|| panic!("no field {n}"))
    };
    let id = by_name("id");
    assert!(id.required && !id.nullable);
    assert_eq!(id.ty, Ty::String);
    assert_eq!(
        by_name("born_at").ty,
        Ty::Timestamp,
        "`date-time` is a Timestamp"
    );
    let note = by_name("note");
    assert!(
        note.required && note.nullable,
        "required and nullable stay apart"
    );
    let age = by_name("age");
    assert!(!age.required);
    assert_eq!(age.ty, Ty::Integer);
    assert!(by_name("old_name").meta.deprecated.is_some());
    assert_eq!(
        by_name("legacy").meta.deprecated.as_deref(),
        Some("use id"),
        "`x-deprecated` with a note"
    );
}

#[test]
fn a_string_enum_names_its_values_clear_of_the_fallback() {
    let (ir, _) = lowered(SPEC);
    let pet = component(&ir, "pet");
    let status = fields(pet)
        .iter()
        .find(|f| f.wire == "status")
        .expect("status");
    let Ty::Named(id) = status.ty else {
        panic!("an enum type: {:?}", status.ty)
    };
    let TypeKind::StringEnum(values) = &ir.types[id].kind else {
        panic!("a string enum")
    };
    let names: Vec<(&str, &str)> = values
        .iter()
        .map(|v| (v.wire.as_str(), v.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("active", "Active"),
            ("Unrecognized", "UnrecognizedValue"),
            ("on_hold", "OnHold")
        ]
    );
    // The words of its place, which the passes name it after.
    assert_eq!(ir.types[id].hint, ["pet", "status"]);
}

#[test]
fn unions_by_tag_and_by_shape() {
    let (ir, warnings) = lowered(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    cat:
      type: object
      required: [kind, lives]
      properties:
        kind: {type: string, enum: [cat]}
        lives: {type: integer}
    dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [dog]}
    pet:
      oneOf:
        - $ref: '#/components/schemas/cat'
        - $ref: '#/components/schemas/dog'
      discriminator: {propertyName: kind}
    id_or_cat:
      oneOf:
        - type: string
        - $ref: '#/components/schemas/cat'
"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let TypeKind::Tagged { tags, variants } = &component(&ir, "pet").kind else {
        panic!("pet: a tagged union")
    };
    assert_eq!(tags, &["kind".to_string()]);
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Cat", "Dog"]);
    let TypeKind::Untagged(variants) = &component(&ir, "id_or_cat").kind else {
        panic!("id_or_cat: an untagged union")
    };
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0].payload, Payload::Type(Ty::String));
    assert!(
        matches!(variants[1].payload, Payload::Type(Ty::Named(id)) if ir.types[id].is_component("cat"))
    );
}

#[test]
fn a_dangling_ref_is_an_error_at_its_place() {
    let loaded = load_str(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/nobody'}
"#,
        Format::Yaml,
    )
    .expect("loads");
    let mut warnings = Vec::new();
    let Err(e) = lower(&loaded.spec, ProfileKind::Generic.profile(), &mut warnings) else {
        panic!("lowers a dangling `$ref`")
    };
    let text = e.to_string();
    assert!(
        text.contains("#/components/schemas/pet/properties/owner"),
        "{text}"
    );
    assert!(text.contains("nobody"), "{text}");
}

/// A spec whose operation takes a parameter through two component references (`first` names
/// `second`, which names `third`), with `third` given by `tail`.
fn parameter_chain(tail: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /pets:
    get:
      operationId: list_pets
      parameters: [{{$ref: '#/components/parameters/first'}}]
      responses: {{'204': {{description: ok}}}}
components:
  parameters:
    first: {{$ref: '#/components/parameters/second'}}
    second: {{$ref: '#/components/parameters/third'}}
    third: {tail}
"#
    )
}

#[test]
fn references_are_followed_through_chains_and_a_cycle_is_an_error_where_it_closes() {
    let (ir, _) = lowered(&parameter_chain(
        "{name: limit, in: query, schema: {type: integer}}",
    ));
    let op = &ir.operations[0];
    let wires: Vec<&str> = op.params.iter().map(|p| p.wire.as_str()).collect();
    assert_eq!(wires, ["limit"]);
    // The parameter's place is the item's, at the end of the chain.
    assert_eq!(op.params[0].pointer, "#/components/parameters/third");

    let loaded = load_str(
        &parameter_chain("{$ref: '#/components/parameters/first'}"),
        Format::Yaml,
    )
    .expect("loads");
    let mut warnings = Vec::new();
    let Err(e) = lower(&loaded.spec, ProfileKind::Generic.profile(), &mut warnings) else {
        panic!("lowers a cycle of references")
    };
    assert_eq!(e.pointer, "#/components/parameters/third", "{e}");
    assert!(e.message.contains("cycle"), "{e}");
}
