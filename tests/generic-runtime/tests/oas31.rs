//! Decoding with the types generated from OpenAPI 3.1 constructs (`tests/generic/specs/oas31.yaml`)
//! and from 3.0 defects read with a fallback (`tests/generic/specs/lenient.yaml`).

use serde_json::json;
use snapshot_oas31::models::{Color, Owner, Pet, PetLabel};

fn pet(extra: serde_json::Value) -> serde_json::Value {
    let mut v = json!({
        "id": "pet_1",
        "kind": "pet",
        "nickname": "Rex",
        "owner": {"name": "Ann", "email": null},
        "position": [52.5, 13.25],
        "tags": ["good"],
    });
    for (k, x) in extra.as_object().expect("an object") {
        v[k] = x.clone();
    }
    v
}

#[test]
fn type_lists_with_null_decode_null_as_none() {
    // `type: [string, "null"]`, required: `null` is `None`, a string is `Some`.
    let p: Pet = serde_json::from_value(pet(json!({"nickname": null}))).expect("decodes");
    assert_eq!(p.nickname, None);
    let p: Pet = serde_json::from_value(pet(json!({}))).expect("decodes");
    assert_eq!(p.nickname.as_deref(), Some("Rex"));
    // `type: [integer, "null"]`, optional.
    let p: Pet = serde_json::from_value(pet(json!({"age": null}))).expect("decodes");
    assert_eq!(p.age, None);
    let p: Pet = serde_json::from_value(pet(json!({"age": 3}))).expect("decodes");
    assert_eq!(p.age, Some(3));
}

#[test]
fn null_alternatives_in_any_of_and_one_of_are_nullable() {
    // `anyOf: [$ref Owner, {type: null}]`.
    let p: Pet = serde_json::from_value(pet(json!({"owner": null}))).expect("decodes");
    assert!(p.owner.is_none());
    let p: Pet = serde_json::from_value(pet(json!({}))).expect("decodes");
    let owner: &Owner = p.owner.as_deref().expect("an owner");
    assert_eq!(owner.name, "Ann");
    // `oneOf: [string, {type: null}]`.
    assert_eq!(owner.email, None);
    let o: Owner =
        serde_json::from_value(json!({"name": "B", "email": "b@example.com"})).expect("decodes");
    assert_eq!(o.email.as_deref(), Some("b@example.com"));
}

#[test]
fn const_is_a_constant_string_and_round_trips() {
    let p: Pet = serde_json::from_value(pet(json!({}))).expect("decodes");
    assert_eq!(p.kind, "pet");
    let back = serde_json::to_value(&p).expect("encodes");
    assert_eq!(back["kind"], "pet");
    assert_eq!(back["position"], json!([52.5, 13.25]));
}

#[test]
fn closed_tuples_decode_as_rust_tuples_and_open_ones_as_lists() {
    // `prefixItems: [number, number]` with `items: false`.
    let p: Pet = serde_json::from_value(pet(json!({}))).expect("decodes");
    assert_eq!(p.position, (52.5, 13.25));
    // A tuple of another length is not this type.
    assert!(serde_json::from_value::<Pet>(pet(json!({"position": [1.0]}))).is_err());
    assert!(serde_json::from_value::<Pet>(pet(json!({"position": [1.0, 2.0, 3.0]}))).is_err());
    // Members of several types, one nullable, one a component (`maxItems` closes the tuple).
    let p: Pet = serde_json::from_value(pet(
        json!({"record": ["r1", null, {"name": "Cy"}], "open_pair": ["a", 1, 2]}),
    ))
    .expect("decodes");
    let (id, count, owner) = p.record.expect("a record");
    assert_eq!(
        (id.as_str(), count, owner.name.as_str()),
        ("r1", None, "Cy")
    );
    assert_eq!(p.open_pair.map(|v| v.len()), Some(3));
    let back = serde_json::to_value(
        serde_json::from_value::<Pet>(pet(json!({"record": ["r2", 4, {"name": "D"}]})))
            .expect("decodes"),
    )
    .expect("encodes");
    assert_eq!(back["record"], json!(["r2", 4, {"name": "D"}]));
}

#[test]
fn type_lists_of_several_types_are_untagged_unions_and_defs_are_types() {
    let p: Pet =
        serde_json::from_value(pet(json!({"label": "x", "color": "ginger"}))).expect("decodes");
    assert_eq!(p.label, Some(PetLabel::String("x".into())));
    assert_eq!(p.color, Some(Color::Ginger));
    let p: Pet = serde_json::from_value(pet(json!({"label": 2.5}))).expect("decodes");
    assert_eq!(p.label, Some(PetLabel::Number(2.5)));
}

#[test]
fn an_all_of_member_that_is_a_map_holds_the_other_keys() {
    use snapshot_lenient::models::Labelled;
    let l: Labelled = serde_json::from_value(json!({"id": "c1", "team": "red", "site": "north"}))
        .expect("decodes");
    assert_eq!(l.id, "c1");
    assert_eq!(
        l.additional_properties.into_iter().collect::<Vec<_>>(),
        [
            ("site".to_string(), "north".to_string()),
            ("team".to_string(), "red".to_string())
        ]
    );
}
