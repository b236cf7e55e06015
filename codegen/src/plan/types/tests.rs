//! Tests of the type plan: constructors, setters, derives and test values.
use super::*;
use crate::ir::{Meta, ParamLocation};

fn field(name: &str, ty: Ty, required: bool, nullable: bool) -> Field {
    Field {
        wire: name.into(),
        name: name.into(),
        ty,
        required,
        nullable,
        boxed: false,
        flatten: false,
        location: None,
        meta: Meta::default(),
    }
}

fn type_def(kind: TypeKind) -> TypeDef {
    TypeDef {
        kind,
        in_request: true,
        ..crate::plan::tests::test_component("t", "T")
    }
}

fn names(args: &[Arg]) -> Vec<&str> {
    args.iter().map(|a| a.name.as_str()).collect()
}

#[test]
fn constructor_order_is_a_function_of_names() {
    let fields = vec![
        field("name", Ty::String, true, false),
        field("ends_at", Ty::String, true, false),
        field("device_ids", Ty::List(Box::new(Ty::String)), true, false),
        field("starts_at", Ty::String, true, false),
        field("device_id", Ty::String, true, false),
        field("code", Ty::String, false, false),
        field("note", Ty::String, true, true),
    ];
    let args = constructor(&Ir::default(), &fields);
    assert_eq!(
        names(&args),
        ["device_id", "device_ids", "name", "starts_at", "ends_at"]
    );
    let mut reversed = fields.clone();
    reversed.reverse();
    assert_eq!(names(&constructor(&Ir::default(), &reversed)), names(&args));
    assert_eq!(args[0].conversion, Conversion::IntoString);
    assert_eq!(args[1].conversion, Conversion::StringIter);
}

#[test]
fn setters_rename_reserved_names_and_clear_only_without_a_clash() {
    let mut ir = Ir {
        binding: crate::ir::Binding::Endpoint(crate::plan::tests::test_runtime()),
        ..Ir::default()
    };
    let fields = vec![
        field("timeout", Ty::Integer, false, false),
        field("new", Ty::Boolean, false, false),
        field("ends_at", Ty::String, false, true),
        field("label", Ty::String, false, true),
        field("clear_label", Ty::Boolean, false, false),
        field("id", Ty::String, true, false),
    ];
    let methods: Vec<String> = setters(&ir, &fields)
        .into_iter()
        .map(|s| s.method)
        .collect();
    assert_eq!(
        methods,
        [
            "set_timeout",
            "set_new",
            "ends_at",
            "clear_ends_at",
            "label",
            "clear_label"
        ]
    );
    // The generic runtime's request has methods of its own: `timeout`, but not `options`.
    ir.binding = crate::ir::Binding::Request;
    assert_eq!(setters(&ir, &fields)[0].method, "set_timeout");
    let options = [field("options", Ty::Boolean, false, false)];
    assert_eq!(setters(&ir, &options)[0].method, "options");
}

#[test]
fn default_redaction_and_field_shapes() {
    let ir = Ir::default();
    let mut t = type_def(TypeKind::Struct(vec![
        field("client_session_token", Ty::String, false, false),
        field("items", Ty::List(Box::new(Ty::String)), true, false),
        field("ends_at", Ty::String, false, true),
        field("starts_at", Ty::String, true, true),
    ]));
    let plan = plan_type(&ir, crate::ir::TypeId(0), &t);
    assert!(!plan.derives.default, "a constructor argument: not Default");
    assert!(!plan.derives.debug, "a credential: Debug by hand");
    let KindPlan::Struct(s) = &plan.kind else {
        panic!("a struct")
    };
    assert!(s.redacted);
    let redacted: Vec<bool> = s.fields.iter().map(|f| f.redacted).collect();
    assert_eq!(redacted, [true, false, false, false]);
    let shapes: Vec<FieldShape> = s.fields.iter().map(|f| f.shape).collect();
    assert_eq!(
        shapes,
        [
            FieldShape::Optional,
            FieldShape::Required {
                default_when_missing: true
            },
            FieldShape::DoubleOption {
                deserialize_with: true
            },
            FieldShape::RequiredNullable,
        ]
    );
    let builder = s.builder.as_ref().expect("sent: a builder");
    let args: Vec<&str> = builder
        .new
        .iter()
        .flatten()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(args, ["items"]);
    let setters: Vec<&str> = builder.setters.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(
        setters,
        [
            "client_session_token",
            "ends_at",
            "clear_ends_at",
            "starts_at"
        ]
    );

    assert!(!builder.test_util, "sent: always compiled");

    // Only in responses: required lists still default when missing.
    t.in_request = false;
    let KindPlan::Struct(s) = plan_type(&ir, crate::ir::TypeId(0), &t).kind else {
        panic!("a struct")
    };
    assert_eq!(s.fields[2].shape, FieldShape::Optional);

    // A parameter outside the body is not serialized into it.
    let mut p = field("page", Ty::Integer, false, false);
    p.location = Some(ParamLocation::Query);
    assert!(field_plan(&p, &t).skip_serializing);
}

#[test]
fn a_struct_only_responses_hold_is_built_from_a_test_default_and_a_setter_per_field() {
    let ir = Ir::default();
    let mut t = type_def(TypeKind::Struct(vec![
        field("name", Ty::String, true, false),
        field("device_id", Ty::String, true, false),
        field("ends_at", Ty::Timestamp, false, true),
        field("note", Ty::String, true, true),
        field("clone", Ty::Boolean, false, false),
    ]));
    t.in_request = false;
    let plan = plan_type(&ir, crate::ir::TypeId(0), &t);
    assert!(plan.derives.test_default && !plan.derives.default);
    let KindPlan::Struct(s) = plan.kind else {
        panic!("a struct")
    };
    let builder = s.builder.expect("every struct has a builder");
    assert!(builder.test_util, "never sent: for tests only");
    // No `new(required…)`, whose parameters would change with the spec's required fields: the
    // test `Default` fills the fields a request struct's constructor would take.
    assert_eq!(builder.new, None);
    let ctor: Vec<usize> = constructor(&Ir::default(), &fields_of(&t))
        .iter()
        .map(|a| a.field)
        .collect();
    assert_eq!(builder.placeholders, ctor);
    assert_eq!(builder.placeholders, [1, 0]);
    // A setter per field, in field order; an optional nullable field is a plain `Option` in a
    // response: set, never cleared.
    let setters: Vec<(&str, SetterKind)> = builder
        .setters
        .iter()
        .map(|s| (s.method.as_str(), s.kind))
        .collect();
    assert_eq!(
        setters,
        [
            (
                "name",
                SetterKind::Replace {
                    conversion: Conversion::IntoString
                }
            ),
            (
                "device_id",
                SetterKind::Replace {
                    conversion: Conversion::IntoString
                }
            ),
            (
                "ends_at",
                SetterKind::Set {
                    conversion: Conversion::Into,
                    double_option: false
                }
            ),
            (
                "note",
                SetterKind::Set {
                    conversion: Conversion::IntoString,
                    double_option: false
                }
            ),
            (
                "set_clone",
                SetterKind::Set {
                    conversion: Conversion::Plain,
                    double_option: false
                }
            ),
        ]
    );

    // A struct that requests send (and responses too): always compiled.
    t.in_request = true;
    let KindPlan::Struct(s) = plan_type(&ir, crate::ir::TypeId(0), &t).kind else {
        panic!("a struct")
    };
    let builder = s.builder.expect("a builder");
    assert!(!builder.test_util);
    assert!(builder.setters.iter().any(|s| s.method == "clear_ends_at"));

    // No required field: `Default`, and setters only.
    t.kind = TypeKind::Struct(vec![field("note", Ty::String, false, true)]);
    t.in_request = false;
    let plan = plan_type(&ir, crate::ir::TypeId(0), &t);
    assert!(plan.derives.default);
    let KindPlan::Struct(s) = plan.kind else {
        panic!("a struct")
    };
    let builder = s.builder.expect("a builder");
    assert!(builder.test_util && builder.new.is_none());
    assert_eq!(builder.setters.len(), 1);
}

#[test]
fn a_value_the_spec_fixes_is_filled_in_not_asked_for() {
    let ir = Ir::default();
    let constant = |name: &str, value: &str, required: bool| {
        let mut f = field(name, Ty::String, required, false);
        f.meta.values.constant = Some(value.into());
        f
    };
    let mut t = type_def(TypeKind::Struct(vec![
        field("device_id", Ty::String, true, false),
        constant("hvac_mode_setting", "cool", true),
        constant("note", "only", false),
    ]));
    for in_request in [true, false] {
        t.in_request = in_request;
        let plan = plan_type(&ir, crate::ir::TypeId(0), &t);
        let KindPlan::Struct(s) = plan.kind else {
            panic!("a struct")
        };
        let builder = s.builder.expect("a builder");
        // The fixed field has no setter; an optional one-value field is still optional.
        let setters: Vec<&str> = builder.setters.iter().map(|s| s.method.as_str()).collect();
        if in_request {
            assert_eq!(
                names(builder.new.as_deref().unwrap_or_default()),
                ["device_id"]
            );
            assert_eq!(setters, ["note"]);
        } else {
            // Only responses hold it: the test `Default` fills `device_id` (and the fixed
            // value), a setter sets it.
            assert_eq!(builder.new, None);
            assert_eq!(builder.placeholders, [0]);
            assert_eq!(setters, ["device_id", "note"]);
        }
    }
    // Only a fixed field required: `new()`, not `Default` (which would leave it empty).
    t.kind = TypeKind::Struct(vec![constant("status", "success", true)]);
    let plan = plan_type(&ir, crate::ir::TypeId(0), &t);
    assert!(!plan.derives.default);
    let KindPlan::Struct(s) = plan.kind else {
        panic!("a struct")
    };
    let builder = s.builder.expect("a builder");
    assert!(builder.default_from_new, "`Default` is `new()`");
    assert_eq!(builder.new, Some(Vec::new()));
}

fn fields_of(t: &TypeDef) -> Vec<Field> {
    match &t.kind {
        TypeKind::Struct(fields) => fields.clone(),
        _ => Vec::new(),
    }
}

#[test]
fn the_catch_all_of_an_untagged_union_is_for_responses_only() {
    let ir = Ir::default();
    let mut t = type_def(TypeKind::Untagged(Vec::new()));
    t.in_response = false;
    assert!(matches!(
        plan_type(&ir, crate::ir::TypeId(0), &t).kind,
        KindPlan::Untagged {
            unrecognized: false,
            ..
        }
    ));
    t.in_response = true;
    assert!(matches!(
        plan_type(&ir, crate::ir::TypeId(0), &t).kind,
        KindPlan::Untagged {
            unrecognized: true,
            ..
        }
    ));
}

#[test]
fn a_string_converts_into_the_first_alternative_when_it_is_one_string() {
    let variant = |name: &str, fields: Vec<Field>| UntaggedVariant {
        name: name.into(),
        payload: Payload::Fields(fields),
        boxed: false,
        meta: Meta::default(),
    };
    let by_id = variant(
        "DeviceId",
        vec![field("device_id", Ty::String, true, false)],
    );
    let by_pair = variant(
        "DeviceIdAndCode",
        vec![
            field("device_id", Ty::String, true, false),
            field("code", Ty::String, true, false),
        ],
    );
    let b = union_builder(
        &Ir::default(),
        "Selector",
        &[by_id.clone(), by_pair.clone()],
    );
    assert_eq!(b.from_str, Some(0));
    let methods: Vec<&str> = b.constructors.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(methods, ["device_id", "device_id_and_code"]);
    // In the order the name lists them.
    assert_eq!(names(&b.constructors[1].args), ["device_id", "code"]);

    // Not when the first is a pair, a time, or a newtype.
    assert_eq!(
        union_builder(
            &Ir::default(),
            "Selector",
            &[by_pair.clone(), by_id.clone()]
        )
        .from_str,
        None
    );
    let since = variant("Since", vec![field("since", Ty::Timestamp, true, false)]);
    assert_eq!(
        union_builder(&Ir::default(), "Selector", &[since, by_id.clone()]).from_str,
        None
    );
    let newtype = UntaggedVariant {
        payload: Payload::Type(Ty::String),
        ..by_id.clone()
    };
    let b = union_builder(&Ir::default(), "Selector", &[newtype, by_id.clone()]);
    assert_eq!((b.from_str, b.constructors.len()), (None, 1));

    // Never named like the union (clippy's `self_named_constructors`): `DeviceId::device_id` is
    // `DeviceId::from_device_id`.
    let b = union_builder(&Ir::default(), "DeviceId", &[by_id, by_pair]);
    let methods: Vec<&str> = b.constructors.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(methods, ["from_device_id", "device_id_and_code"]);
}

#[test]
fn string_enums_in_variants_of_a_decoded_shape_union_are_strict() {
    let variant = |name: &str, kind: usize| UntaggedVariant {
        name: name.into(),
        payload: Payload::Fields(vec![
            field("kind", Ty::Named(crate::ir::TypeId(kind)), true, false),
            field("label", Ty::String, false, false),
        ]),
        boxed: false,
        meta: Meta::default(),
    };
    let mut union = type_def(TypeKind::Untagged(vec![variant("A", 1), variant("B", 2)]));
    let values = |v: &[&str]| {
        let v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        type_def(TypeKind::StringEnum(crate::naming::enum_values(&v)))
    };
    let mut ir = Ir {
        types: vec![union.clone(), values(&["a", "b"]), values(&["c"])],
        ..Ir::default()
    };
    let strict = |ir: &Ir, t: &TypeDef| match plan_type(ir, crate::ir::TypeId(0), t).kind {
        KindPlan::Untagged { variants, .. } => variants[0]
            .fields
            .iter()
            .map(|f| f.strict)
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    // The enum field, not the string.
    assert_eq!(strict(&ir, &union), [true, false]);
    // Only where the union is decoded.
    union.deserialize = false;
    assert_eq!(strict(&ir, &union), [false, false]);
    // Not when every variant's enum has the same values: it tells nothing apart.
    union.deserialize = true;
    ir.types[2] = values(&["b", "a"]);
    assert_eq!(strict(&ir, &union), [false, false]);
}

#[test]
fn runtime_types_are_default_when_their_required_fields_are_trivial() {
    let ir = Ir {
        runtime_types: vec!["t".into()],
        ..Ir::default()
    };
    let t = type_def(TypeKind::Struct(vec![field(
        "count",
        Ty::Integer,
        true,
        false,
    )]));
    assert!(plan_type(&ir, crate::ir::TypeId(0), &t).derives.default);
    let other = Ir::default();
    assert!(!plan_type(&other, crate::ir::TypeId(0), &t).derives.default);
}

#[test]
fn model_files() {
    let mut t = type_def(TypeKind::Alias(Ty::String));
    t.component = Some("acsUser".into());
    assert_eq!(model_file(&t), "acs_user");
    t.component = None;
    t.group = Some("locks".into());
    assert_eq!(model_file(&t), "locks_endpoints");
    t.shared = true;
    assert_eq!(model_file(&t), SHARED_MODULE);
}
