//! Unions told apart by shape decode to the variant whose values match, and keep what no variant
//! names whole: a string enum inside a variant does not take another variant's value into its
//! catch-all (which would lose that variant's other fields).

use seam_connect::models::{
    DevicePropertiesCodeConstraint as Constraint,
    DevicePropertiesCodeConstraintConstraintType as CodeRule,
    DevicePropertiesCodeConstraintConstraintType2 as NameRule,
};
use serde_json::json;

fn decode(v: serde_json::Value) -> Constraint {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

#[test]
fn a_value_of_the_second_variant_keeps_its_fields() {
    // `name_length` is a value of the second variant only; its `max_length` must survive.
    let c = decode(json!({"constraint_type": "name_length", "max_length": 10}));
    match c {
        Constraint::ConstraintType2 {
            constraint_type,
            max_length,
            min_length,
        } => {
            assert_eq!(constraint_type, NameRule::NameLength);
            assert_eq!((max_length, min_length), (Some(10.0), None));
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn a_value_of_the_first_variant_is_the_first_variant() {
    let c = decode(json!({"constraint_type": "no_zeros"}));
    assert!(
        matches!(&c, Constraint::ConstraintType { constraint_type } if *constraint_type == CodeRule::NoZeros),
        "{c:?}"
    );
}

#[test]
fn a_value_no_variant_names_is_kept_whole() {
    let v = json!({"constraint_type": "max_codes_per_day", "limit": 3});
    let c = decode(v.clone());
    assert!(
        matches!(&c, Constraint::Unrecognized(kept) if *kept == v),
        "{c:?}"
    );
    // And it serializes back as it came.
    assert_eq!(serde_json::to_value(&c).expect("serializes"), v);
}
