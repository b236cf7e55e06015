//! Tests of the passes on their own: sharing identical types, and the enums of fixed tags.

use super::*;
use crate::load::{load_str, Format};
use crate::profile::ProfileKind;

/// Lowers a YAML spec with the generic profile and runs the passes.
fn passed(yaml: &str) -> Ir {
    let loaded = load_str(yaml, Format::Yaml).expect("loads");
    let profile = ProfileKind::Generic.profile();
    let mut warnings = Vec::new();
    let mut ir = crate::lower::lower(&loaded.spec, profile, &mut warnings).expect("lowers");
    run(&mut ir, &profile.clash_policy(), false).expect("passes");
    ir
}

fn named<'a>(ir: &'a Ir, name: &str) -> (TypeId, &'a TypeDef) {
    TypeId::all(ir.types.len())
        .map(|id| (id, &ir.types[id]))
        .find(|(_, t)| t.name == name && t.merged_into.is_none())
        .unwrap_or_else(|| panic!("no type {name}"))
}

#[test]
fn identical_inline_schemas_share_one_type_and_keep_their_names() {
    let ir = passed(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    widget:
      type: object
      properties:
        owner:
          type: object
          description: Who owns it.
          properties: {name: {type: string}, email: {type: string}}
    gadget:
      type: object
      properties:
        owner:
          type: object
          description: Who owns it.
          properties: {name: {type: string}, email: {type: string}}
        extra:
          type: object
          description: Who owns it.
          properties: {name: {type: string}}
"#,
    );
    let (_, widget_owner) = named(&ir, "WidgetOwner");
    let (_, gadget_owner) = named(&ir, "GadgetOwner");
    let shared = widget_owner.shares.expect("WidgetOwner shares a type");
    assert_eq!(gadget_owner.shares, Some(shared), "the same one");
    assert!(ir.types[shared].shared, "a type of the shared module");
    assert_eq!(
        ir.types[shared].name, "Owner",
        "named after what the places share"
    );
    // A different shape is not shared.
    let (_, extra) = named(&ir, "GadgetExtra");
    assert_eq!(extra.shares, None);
    assert!(matches!(extra.kind, TypeKind::Struct(_)));
}

#[test]
fn a_tag_every_variant_fixes_gets_an_enum_of_its_values() {
    let ir = passed(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    attempt:
      oneOf:
        - type: object
          required: [status, id]
          properties:
            status: {type: string, enum: [pending]}
            id: {type: string}
        - type: object
          required: [status, id, result]
          properties:
            status: {type: string, enum: [success]}
            id: {type: string}
            result: {type: string}
      discriminator: {propertyName: status}
"#,
    );
    let (id, attempt) = named(&ir, "Attempt");
    assert!(
        matches!(attempt.kind, TypeKind::Tagged { .. }),
        "{:?}",
        attempt.kind
    );
    let values = ir
        .accessor_enums
        .get(&(id, "status".to_string()))
        .expect("an enum for `status`");
    let TypeKind::StringEnum(values) = &ir.types[*values].kind else {
        panic!("a string enum")
    };
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["pending", "success"]);
}
