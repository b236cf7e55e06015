//! Decisions per type: its file, derives, redaction, each field's serde shape, the catch-all variant,
//! the constructor's arguments and the setters (for tests only, behind [`TEST_UTIL_FEATURE`], on a
//! struct that only responses hold).

use std::collections::BTreeSet;

use super::codec::{absent, reader, when_some, writer, Absent};
use super::SHARED_MODULE;
use crate::ir::{
    EnumValue, Field, Ir, Payload, TaggedVariant, Ty, TypeDef, TypeKind, UntaggedVariant,
};
use crate::naming;

/// What is decided of one type, with the IR's data it is rendered from: the emitters read only
/// the plan, so no IR item can be paired with the wrong decision.
#[derive(Debug, Clone)]
pub struct TypePlan<'ir> {
    /// The type: its name, docs, features and place.
    pub def: &'ir TypeDef,
    /// The file of `models/` it is defined in (without `.rs`).
    pub file: String,
    /// The feature conditions its items carry: the type's own ([`TypeDef::features`]), or none when
    /// its file's module is compiled under exactly those ([`super::ModelFile::cfg`]), which already
    /// gates everything in it (rustdoc labels the items with the module's conditions too).
    pub cfg: crate::ir::Features,
    /// Its derives.
    pub derives: Derives,
    /// What is decided of its shape.
    pub kind: KindPlan<'ir>,
}

/// The traits a type derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derives {
    /// `Debug` (else a hand-written one that redacts credentials).
    pub debug: bool,
    /// `Default`.
    pub default: bool,
    /// `Serialize`: always (a caller may store or forward a response).
    pub serialize: bool,
    /// `Deserialize`: when any user of the type needs it (see `passes::derive_deserialize`).
    pub deserialize: bool,
    /// `Default` compiled only with the [`TEST_UTIL_FEATURE`] cargo feature, for a decoded type
    /// that has no `Default` otherwise: a placeholder value (a struct's [`Builder::placeholders`]
    /// empty, zero or `false`; an enum's first value or variant). Tests build any response from it
    /// and the setters, and keep compiling when a spec adds a required field.
    pub test_default: bool,
    /// That placeholder `Default` is derived (`#[cfg_attr(feature = "test-util", derive(Default))]`):
    /// a struct none of whose fields has a fixed value, so every field's placeholder is its type's
    /// own `Default` (`None` for an optional one), which is what the derive writes.
    pub test_default_derived: bool,
}

/// What is decided of a type's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindPlan<'ir> {
    /// A struct.
    Struct(StructPlan<'ir>),
    /// A string enum (with its `Unrecognized(String)` catch-all).
    StringEnum {
        /// Its values.
        values: &'ir [EnumValue],
        /// Some field decodes it strictly ([`FieldPlan::strict`]): it tells the runtime which of
        /// its values are known.
        strict: bool,
    },
    /// A union told apart by tags.
    Tagged {
        /// The JSON names of the tag properties.
        tags: &'ir [String],
        /// Its variants.
        variants: &'ir [TaggedVariant],
        /// An `Unrecognized(Value)` variant keeps an unknown variant (when the type is decoded).
        unrecognized: bool,
        /// The fields every variant has alike: each gets an accessor.
        accessors: Vec<Accessor>,
    },
    /// A union told apart by shape.
    Untagged {
        /// An `Unrecognized(Value)` variant keeps a value of another shape (in responses only: a
        /// request never holds one).
        unrecognized: bool,
        /// Its variants.
        variants: Vec<VariantPlan<'ir>>,
        /// How callers build it, for a union that requests send.
        builder: Option<UnionBuilder>,
        /// Decoded by first trying the variants that declare every key of the object (unknown
        /// keys refused), then, if none does, the first that decodes: a union of two or more
        /// struct-like variants, whose first would otherwise take an object and drop the keys only
        /// a later one declares (a later alternative's properties were lost).
        declared_first: bool,
    },
    /// An alias: a place's own name for another type.
    Alias {
        /// The type it names.
        target: &'ir Ty,
        /// Rendered as a renaming re-export (`pub use … as Name`) rather than a type alias: the
        /// place of a type that identical schemas share (in the private shared module), so that
        /// rustdoc gives the name a page with the type's methods and trait impls and the names
        /// callers use are the crate's API while the shared type's are not. A deprecated place
        /// keeps a type alias: `#[deprecated]` has no effect on a `use`.
        reexport: bool,
    },
}

/// What is decided of a variant of a union told apart by shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantPlan<'ir> {
    /// The variant.
    pub variant: &'ir UntaggedVariant,
    /// The fields of a struct-like variant (empty for a newtype variant).
    pub fields: Vec<FieldPlan<'ir>>,
    /// For declaring-every-key first ([`KindPlan::Untagged::declared_first`]): the keys a newtype
    /// variant's struct declares (`None` for any other variant; struct-like variants are checked by
    /// a mirror that refuses unknown keys).
    pub declared_keys: Option<Vec<String>>,
}

/// An accessor of a tagged union: a field every variant has alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessor {
    /// The first variant's field.
    pub field: Field,
    /// The enum it returns, when every variant fixes the value ([`Ir::accessor_enums`]).
    pub values: Option<crate::ir::TypeId>,
}

/// What is decided of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructPlan<'ir> {
    /// Its fields, in spec order. [`Arg::field`] and [`Setter::field`] index them.
    pub fields: Vec<FieldPlan<'ir>>,
    /// `Debug` is written by hand: a field holds a credential ([`FieldPlan::redacted`]).
    pub redacted: bool,
    /// How callers build it: every struct has one (see [`Builder::test_util`]).
    pub builder: Option<Builder>,
    /// Its `Deserialize` is a generated reader (the runtime's `de::Object`: one match arm per key,
    /// far less code to compile than serde's derive), reading each field as [`FieldPlan::absent`]
    /// says. `false` when the struct is not decoded, or when serde's derive decodes it (a flattened
    /// field, or a field read `with` a module).
    pub reader: bool,
    /// Its `Serialize` is generated (a call per field not [`FieldPlan::skip_serializing`], not
    /// serde's derive). `false` when the struct is not sent nor stored, or when serde's derive
    /// encodes it (a flattened field, or a field written `with` a module).
    pub writer: bool,
}

/// The cargo feature that compiles the constructors and setters of the structs only responses hold
/// ([`Builder::test_util`]): off by default, for users' tests, which build responses to serve from a
/// mock server.
pub const TEST_UTIL_FEATURE: &str = "test-util";

/// How a caller builds a struct: the same `new(required…)` and setters for a struct that requests
/// send and for one only responses hold; the latter's are for tests only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builder {
    /// `new(args…)`, or `None` when the struct is `Default` (or, for a struct only responses hold,
    /// `Default` with the test-util feature: see [`Derives::test_default`]).
    pub new: Option<Vec<Arg>>,
    /// One setter per field that is not a constructor argument (and `clear_` setters); for a
    /// struct only responses hold, one per field.
    pub setters: Vec<Setter>,
    /// The fields (by index) that [`Derives::test_default`]'s `Default` fills with a placeholder:
    /// the ones a constructor would take (required, not `null`, no fixed value).
    pub placeholders: Vec<usize>,
    /// `Default` is `new()`: a constructor without arguments that fills in fixed values
    /// ([`Field::fixed_value`]), which a derived `Default` would leave empty.
    pub default_from_new: bool,
    /// Compiled only with the [`TEST_UTIL_FEATURE`] cargo feature: the struct is never sent (it is
    /// held only by responses, or by no endpoint), so only a test building a response needs it, and
    /// a build without tests does not compile it.
    pub test_util: bool,
}

/// How a caller builds a union that requests send (the alternatives of a call's parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionBuilder {
    /// A function per struct-like variant (`Selector::device_id(id)`), in variant order.
    pub constructors: Vec<VariantConstructor>,
    /// The variant a string converts into (`From<&str>`, `From<String>`): the first, when it holds
    /// one string field (`device_id`), so that `get(id)` reads as the primary way to call.
    pub from_str: Option<usize>,
}

/// A function making one variant of a union from its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantConstructor {
    /// The variant's index.
    pub variant: usize,
    /// The function's name: the variant's, in snake case (`from_<name>` where that is the
    /// union's own name).
    pub method: String,
    /// Its arguments: the variant's fields, in their order (the one its name lists them in).
    pub args: Vec<Arg>,
}

/// A constructor argument: a field set from a function argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The field's index in the struct.
    pub field: usize,
    /// Its Rust name.
    pub name: String,
    /// What the argument accepts.
    pub conversion: Conversion,
}

/// What an argument of a constructor or setter accepts, and how the stored value is made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// The field's own type.
    Plain,
    /// `impl Into<String>`.
    IntoString,
    /// Any iterable of `impl Into<String>`, for a list of strings.
    StringIter,
    /// `impl Into<T>` of the field's type: a timestamp takes a `SystemTime` or RFC 3339 text, a
    /// number an integer literal (`10`), an integer any smaller integer type.
    Into,
}

/// A setter of a request struct (on the struct, and on an endpoint's request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The method's name: the field's, `set_<field>` where the field's would take a reserved name,
    /// `clear_<field>` for a setter that sends `null`.
    pub method: String,
    /// The field's index in the struct.
    pub field: usize,
    /// What it does.
    pub kind: SetterKind,
}

/// What a setter does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetterKind {
    /// Sets the field to `Some(value)` (`Some(Some(value))` when `double_option`).
    Set {
        /// What the argument accepts.
        conversion: Conversion,
        /// The field is optional and nullable (`Option<Option<T>>`).
        double_option: bool,
    },
    /// Sets an optional nullable field to `Some(None)`: the request sends `null`.
    Clear,
    /// Sets a field that is no `Option` to the value (a flattened map of the keys an object does
    /// not declare, which starts empty).
    Replace {
        /// What the argument accepts.
        conversion: Conversion,
    },
}

/// What is decided of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPlan<'ir> {
    /// The field.
    pub field: &'ir Field,
    /// `#[serde(rename)]`: the wire name when it differs from the Rust name.
    pub rename: Option<String>,
    /// A parameter sent outside the body: not serialized into it.
    pub skip_serializing: bool,
    /// How `Option`s and defaults wrap it.
    pub shape: FieldShape,
    /// Stored in a `Box`.
    pub boxed: bool,
    /// `#[serde(with)]`: the runtime's module (in `de`) that sends and reads bytes as text
    /// (`format: binary` in a JSON model; JSON has no bytes).
    pub with: Option<&'static str>,
    /// Decoded only when its string enum knows the value: a field of a struct-like variant of a
    /// union told apart by shape, so that a value another variant names falls through to it (and a
    /// value none names to the union's catch-all), instead of being taken by this variant's enum's
    /// catch-all and losing the other variant's fields.
    pub strict: bool,
    /// A credential ([`is_secret`]): a hand-written `Debug` shows `<redacted>`.
    pub redacted: bool,
    /// What a generated reader ([`StructPlan::reader`]) makes of its absent key.
    pub absent: Absent,
    /// A generated `Serialize` ([`StructPlan::writer`]) writes it only when it is `Some`.
    pub when_some: bool,
}

/// How a field is wrapped and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// `#[serde(flatten)]`: merged into the parent (an `allOf` member that is a union).
    Flatten,
    /// `T`.
    Required {
        /// A missing value reads as empty (`#[serde(default)]`): servers omit some required lists.
        default_when_missing: bool,
    },
    /// `Option<T>`: required and nullable (absent and `null` both read as `None`).
    RequiredNullable,
    /// `Option<Option<T>>`: optional and nullable in a request (omitted, `null`, or a value).
    DoubleOption {
        /// Decoded too, with the runtime's `double_option` (else serde reads `null` as `None`).
        deserialize_with: bool,
    },
    /// `Option<T>`, omitted when `None`.
    Optional,
}

/// Names a setter cannot have: the constructor and the methods every value has (`clone`). The
/// runtime request's own methods ([`crate::ir::EndpointRuntime::request_methods`]) are reserved too.
pub const RESERVED_SETTERS: &[&str] = &["new", "clone", "into_future"];

/// Whether a property holds a credential, by its wire name: `token`, `secret`, `password`, `api_key`,
/// `client_secret`, `private_key`, or any name ending in `_token`, `_secret` or `_password`
/// (`client_session_token`, `refresh_token`). Such fields never appear in `Debug` output.
pub fn is_secret(wire: &str) -> bool {
    let w = wire.to_ascii_lowercase();
    matches!(
        w.as_str(),
        "token" | "secret" | "password" | "api_key" | "apikey" | "client_secret" | "private_key"
    ) || w.ends_with("_token")
        || w.ends_with("_secret")
        || w.ends_with("_password")
}

/// The file of `models/` a type is defined in: a type identical schemas share in the hidden module,
/// a component's types in a file of their component, an operation's in a file of its group.
pub fn model_file(t: &TypeDef) -> String {
    match (&t.component, &t.group) {
        _ if t.shared => SHARED_MODULE.to_string(),
        (Some(c), _) => naming::field_name(c),
        (None, Some(g)) => format!("{}_endpoints", naming::field_name(g)),
        (None, None) => "other".to_string(),
    }
}

pub(super) fn plan_type<'ir>(ir: &Ir, id: crate::ir::TypeId, t: &'ir TypeDef) -> TypePlan<'ir> {
    let mut derives = Derives {
        debug: true,
        default: false,
        serialize: true,
        deserialize: t.deserialize,
        test_default: false,
        test_default_derived: false,
    };
    let kind = match &t.kind {
        TypeKind::Struct(fields) => {
            let ctor = constructor(ir, fields);
            // A struct without constructor arguments (every field optional or nullable) is
            // `Default`; the runtime's own types (a missing `pagination` reads as the last page)
            // need it too.
            let trivial = |f: &Field| !f.required || f.nullable || !matches!(f.ty, Ty::Named(_));
            // A fixed value is no `Default` (which would be empty): such a struct has `new()`.
            let fixed = fields.iter().any(|f| f.fixed_value().is_some());
            derives.default = ctor.is_empty() && !fixed
                || ir.is_runtime_type(t) && fields.iter().all(|f| trivial(f) && !f.flatten);
            let secret = fields.iter().any(|f| is_secret(&f.wire));
            derives.debug = !secret;
            let default_from_new = fixed && ctor.is_empty();
            // A decoded struct with constructor arguments gets a placeholder `Default` for tests.
            derives.test_default = t.deserialize && !ctor.is_empty() && !derives.default;
            derives.test_default_derived = derives.test_default && !fixed;
            let placeholders: Vec<usize> = if derives.test_default {
                ctor.iter().map(|a| a.field).collect()
            } else {
                Vec::new()
            };
            // A struct only responses hold is built in tests from that `Default` and a setter per
            // field, never by a `new` whose arguments would change with the spec's required fields.
            let new = if derives.default || !t.in_request && derives.test_default {
                None
            } else {
                Some(ctor)
            };
            let builder = Some(Builder {
                new,
                setters: if t.in_request {
                    setters(ir, fields)
                } else {
                    response_setters(ir, fields)
                },
                placeholders,
                test_util: !t.in_request,
                default_from_new,
            });
            let plans: Vec<FieldPlan> = fields.iter().map(|f| field_plan(f, t)).collect();
            KindPlan::Struct(StructPlan {
                reader: t.deserialize && reader(&plans),
                writer: derives.serialize && writer(&plans),
                fields: plans,
                redacted: secret,
                builder,
            })
        }
        // Made strict by `plan::build` when a strict field holds it.
        TypeKind::StringEnum(values) => {
            derives.test_default = t.deserialize;
            KindPlan::StringEnum {
                values,
                strict: false,
            }
        }
        TypeKind::Tagged { tags, variants } => {
            derives.test_default = t.deserialize && !variants.is_empty();
            KindPlan::Tagged {
                tags,
                variants,
                unrecognized: t.deserialize,
                accessors: ir
                    .accessor_fields(variants)
                    .into_iter()
                    .map(|f| Accessor {
                        values: ir.accessor_enums.get(&(id, f.wire.clone())).copied(),
                        field: f.clone(),
                    })
                    .collect(),
            }
        }
        TypeKind::Untagged(variants) => {
            derives.test_default = t.deserialize && !variants.is_empty();
            KindPlan::Untagged {
                unrecognized: t.in_response,
                variants: variants
                    .iter()
                    .map(|v| VariantPlan {
                        variant: v,
                        fields: match &v.payload {
                            Payload::Fields(fields) => fields
                                .iter()
                                .map(|f| {
                                    let fp = field_plan(f, t);
                                    let shape_ok = matches!(
                                        fp.shape,
                                        FieldShape::Required { .. }
                                            | FieldShape::RequiredNullable
                                            | FieldShape::Optional
                                    );
                                    FieldPlan {
                                        strict: t.deserialize
                                            && shape_ok
                                            && discriminates(ir, variants, f),
                                        ..fp
                                    }
                                })
                                .collect(),
                            Payload::Type(_) => Vec::new(),
                        },
                        declared_keys: newtype_keys(ir, v),
                    })
                    .collect(),
                builder: t.in_request.then(|| union_builder(ir, &t.name, variants)),
                declared_first: t.deserialize && declared_first(ir, variants),
            }
        }
        TypeKind::Alias(target) => KindPlan::Alias {
            target,
            reexport: t
                .shares
                .is_some_and(|shared| ir.types[shared].shared && t.meta.deprecated.is_none()),
        },
    };
    TypePlan {
        def: t,
        file: model_file(t),
        // Decided with the file's conditions, in `plan::build`.
        cfg: t.features.clone(),
        derives,
        kind,
    }
}

/// Whether a union's decoding tries the variants that declare every key first
/// ([`KindPlan::Untagged::declared_first`]): two or more variants that are struct-like or hold a
/// struct ([`newtype_keys`]), no struct-like one with a flattened field (serde cannot refuse
/// unknown keys beside one).
fn declared_first(ir: &Ir, variants: &[UntaggedVariant]) -> bool {
    let mut objects = 0;
    for v in variants {
        match &v.payload {
            Payload::Fields(fields) => {
                if fields.iter().any(|f| f.flatten) {
                    return false;
                }
                objects += 1;
            }
            Payload::Type(_) => objects += usize::from(newtype_keys(ir, v).is_some()),
        }
    }
    objects >= 2
}

/// The keys a newtype variant's struct declares (through aliases), when it is a struct whose
/// every key is a declared field (none flattened, so no other key can belong to it).
fn newtype_keys(ir: &Ir, v: &UntaggedVariant) -> Option<Vec<String>> {
    let mut ty = match &v.payload {
        Payload::Type(ty) => ty,
        Payload::Fields(_) => return None,
    };
    loop {
        let Ty::Named(id) = ty else { return None };
        match &ir.types[ir.resolve(*id)].kind {
            TypeKind::Alias(inner) => ty = inner,
            TypeKind::Struct(fields) if !fields.iter().any(|f| f.flatten) => {
                return Some(fields.iter().map(|f| f.wire.clone()).collect());
            }
            _ => return None,
        }
    }
}

/// The values of a string enum's type (`None` for any other type).
fn enum_wires<'a>(ir: &'a Ir, ty: &Ty) -> Option<BTreeSet<&'a str>> {
    let Ty::Named(id) = ty else {
        return None;
    };
    match &ir.types[ir.resolve(*id)].kind {
        TypeKind::StringEnum(values) => Some(values.iter().map(|v| v.wire.as_str()).collect()),
        _ => None,
    }
}

/// Whether a string enum field of a union's struct-like variant tells the variants apart: another
/// variant has a field of that name that is not an enum of the same values (another enum, or a
/// string fixed to one value, which the spec's `const` or one-value `enum` becomes). Only such a field is decoded
/// strictly (a value the spec gives another variant goes to it); a field whose enum is the same in
/// every variant keeps reading a new value into its catch-all, so the variant stays typed.
fn discriminates(ir: &Ir, variants: &[UntaggedVariant], f: &Field) -> bool {
    let Some(own) = enum_wires(ir, &f.ty) else {
        return false;
    };
    variants.iter().any(|v| match &v.payload {
        Payload::Fields(fields) => fields
            .iter()
            .filter(|o| o.wire == f.wire)
            .any(|o| enum_wires(ir, &o.ty).as_ref() != Some(&own)),
        Payload::Type(_) => false,
    })
}

fn is_collection(ty: &Ty) -> bool {
    matches!(ty, Ty::List(_) | Ty::Map(_) | Ty::JsonObject)
}

/// A field's serde shape, in its type `t`.
pub fn field_plan<'ir>(f: &'ir Field, t: &TypeDef) -> FieldPlan<'ir> {
    let shape = if f.flatten {
        FieldShape::Flatten
    } else if f.required && !f.nullable {
        // Servers omit some required lists (the server is the truth): read a missing one as empty.
        FieldShape::Required {
            default_when_missing: is_collection(&f.ty) && t.deserialize,
        }
    } else if f.required {
        FieldShape::RequiredNullable
    } else if f.nullable && t.in_request {
        FieldShape::DoubleOption {
            deserialize_with: t.deserialize,
        }
    } else {
        FieldShape::Optional
    };
    // A multipart body's own file fields are parts, written from the field, not through serde.
    let with = match (&f.ty, &shape) {
        _ if f.boxed => None,
        (Ty::Bytes, FieldShape::Required { .. }) => Some("bytes_text"),
        (Ty::Bytes, FieldShape::Optional | FieldShape::RequiredNullable) => {
            Some("option_bytes_text")
        }
        (Ty::List(inner), FieldShape::Required { .. }) if **inner == Ty::Bytes => {
            Some("list_bytes_text")
        }
        (Ty::List(inner), FieldShape::Optional | FieldShape::RequiredNullable)
            if **inner == Ty::Bytes =>
        {
            Some("option_list_bytes_text")
        }
        _ => None,
    };
    FieldPlan {
        field: f,
        strict: false,
        rename: (f.wire != f.name && !f.flatten).then(|| f.wire.clone()),
        skip_serializing: f.location.is_some(),
        absent: absent(shape),
        when_some: when_some(shape),
        shape,
        boxed: f.boxed,
        with,
        redacted: is_secret(&f.wire),
    }
}

/// A constructor argument: required, not nullable (a required nullable field starts as `null`), or
/// a flattened union (no default value). An optional flattened map (the keys an object does not
/// declare) starts empty.
pub fn is_ctor_arg(f: &Field) -> bool {
    let argument = if f.flatten {
        // A flattened union says which alternative: no default. An optional flattened map starts
        // empty.
        f.required || !is_collection(&f.ty)
    } else {
        f.required && !f.nullable
    };
    argument && f.fixed_value().is_none()
}

/// What an argument for field `f` accepts: strings take `impl Into<String>`, string lists any
/// iterable of them, timestamps and numbers `impl Into` their type (`SystemTime` or text; `10` for
/// a number), the rest the field's type (a boxed field's value is boxed when stored).
pub fn conversion(ir: &Ir, f: &Field) -> Conversion {
    match &f.ty {
        Ty::String => Conversion::IntoString,
        Ty::List(inner) if matches!(**inner, Ty::String) => Conversion::StringIter,
        // Bytes from a `&[u8]`, a `&str` or an array too.
        Ty::Timestamp | Ty::Number | Ty::Integer | Ty::Bytes => Conversion::Into,
        // An alias of a string (`SnowflakeType`): a `&str` converts into it.
        Ty::Named(id)
            if matches!(
                ir.types.get(ir.resolve(*id).0).map(|t| &t.kind),
                Some(TypeKind::Alias(Ty::String))
            ) =>
        {
            Conversion::Into
        }
        // Which alternative: a union of parameters, which a string may convert into.
        Ty::Named(_) if f.flatten => Conversion::Into,
        _ => Conversion::Plain,
    }
}

/// The functions making the struct-like variants of a union that requests send, and the variant a
/// string converts into. A function that would be named like the union (`Schedule::schedule(..)`,
/// clippy's `self_named_constructors`) is `from_<name>`.
pub fn union_builder(ir: &Ir, union: &str, variants: &[UntaggedVariant]) -> UnionBuilder {
    let own_name = union.to_lowercase();
    let mut constructors: Vec<VariantConstructor> = variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match &v.payload {
            Payload::Fields(fields) => Some(VariantConstructor {
                variant: i,
                method: match naming::field_name(&v.name) {
                    m if m.replace('_', "") == own_name => format!("from_{m}"),
                    m => m,
                },
                // In the order of the variant's fields, which its name lists.
                args: fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| is_ctor_arg(f))
                    .map(|(i, f)| arg(ir, i, f))
                    .collect(),
            }),
            Payload::Type(_) => None,
        })
        .collect();
    let mut methods: Vec<String> = constructors.iter().map(|c| c.method.clone()).collect();
    naming::dedupe(&mut methods, "_");
    for (c, m) in constructors.iter_mut().zip(methods) {
        c.method = m;
    }
    let from_str = match variants.first().map(|v| &v.payload) {
        Some(Payload::Fields(fields)) if matches!(fields.as_slice(), [f] if f.ty == Ty::String && is_ctor_arg(f)) => {
            Some(0)
        }
        _ => None,
    };
    UnionBuilder {
        constructors,
        from_str,
    }
}

/// The constructor arguments in their order, a function of their names only (the spec reordering
/// its properties changes no signature): a flattened union (which alternative) first, then ids
/// (`*_id`, `id`), then id lists (`*_ids`), then the rest; by name within each, except that a start
/// comes before its end (`starts_at` before `ends_at`, `starts_daily_at` before `ends_daily_at`).
pub fn constructor(ir: &Ir, fields: &[Field]) -> Vec<Arg> {
    fn key(f: &Field) -> (u8, String) {
        let n = f.name.as_str();
        let rank = if f.flatten {
            0
        } else if n == "id" || n.ends_with("_id") {
            1
        } else if n == "ids" || n.ends_with("_ids") {
            2
        } else {
            3
        };
        // `ends_x` sorts right after `starts_x`, `end_x` after `start_x`.
        let name = match (n.strip_prefix("ends_"), n.strip_prefix("end_")) {
            (Some(rest), _) => format!("starts_{rest}\u{1}"),
            (None, Some(rest)) => format!("start_{rest}\u{1}"),
            _ => n.to_string(),
        };
        (rank, name)
    }
    let mut args: Vec<(usize, &Field)> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| is_ctor_arg(f))
        .collect();
    args.sort_by_cached_key(|(_, f)| key(f));
    args.into_iter().map(|(i, f)| arg(ir, i, f)).collect()
}

/// The argument setting field `i`, `f`.
fn arg(ir: &Ir, i: usize, f: &Field) -> Arg {
    Arg {
        field: i,
        name: f.name.clone(),
        conversion: conversion(ir, f),
    }
}

/// The setters of a request struct's fields, in field order: one per field that is not a constructor
/// argument, and `clear_<field>` for an optional nullable field (which keeps the three states:
/// omitted, `null`, a value) unless a field has that name. A setter that would take a reserved name
/// ([`RESERVED_SETTERS`], the runtime request's methods) is `set_<name>`.
pub fn setters(ir: &Ir, fields: &[Field]) -> Vec<Setter> {
    let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let method_name = |n: String| setter_name(ir, n);
    let mut out = Vec::new();
    // Constructor arguments are set by `new` (and are `pub` fields).
    // A fixed value (`Field::fixed_value`) is set by `new` too, and has no setter.
    for (i, f) in fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !is_ctor_arg(f) && f.fixed_value().is_none())
    {
        let double_option = !f.required && f.nullable;
        out.push(Setter {
            method: method_name(f.name.clone()),
            field: i,
            kind: if f.flatten {
                SetterKind::Replace {
                    conversion: conversion(ir, f),
                }
            } else {
                SetterKind::Set {
                    conversion: conversion(ir, f),
                    double_option,
                }
            },
        });
        let clear = format!("clear_{}", f.name);
        if double_option && !names.contains(clear.as_str()) {
            out.push(Setter {
                method: method_name(clear),
                field: i,
                kind: SetterKind::Clear,
            });
        }
    }
    out
}

/// A setter's method name for the field named `name`: `set_<name>` where `name` would take a
/// reserved name ([`RESERVED_SETTERS`], the runtime request's methods).
fn setter_name(ir: &Ir, name: String) -> String {
    if RESERVED_SETTERS.contains(&name.as_str())
        || ir.binding.request_methods().contains(&name.as_str())
    {
        format!("set_{name}")
    } else {
        name
    }
}

/// The setters of a struct only responses hold (its [`Builder`] is for tests): those of
/// [`setters`], except that an optional nullable field is a plain `Option` there ([`field_plan`]: no
/// request sends it, so nothing tells `null` from omitted), so its setter sets `Some(value)` and it
/// has no `clear_` setter.
fn response_setters(ir: &Ir, fields: &[Field]) -> Vec<Setter> {
    let mut out: Vec<Setter> = setters(ir, fields)
        .into_iter()
        .filter_map(|mut s| match &mut s.kind {
            SetterKind::Clear => None,
            SetterKind::Set { double_option, .. } => {
                *double_option = false;
                Some(s)
            }
            SetterKind::Replace { .. } => Some(s),
        })
        .collect();
    // A constructor's argument too, so that a test builds the struct from its placeholder
    // `Default` ([`Derives::test_default`]) and sets what it reads.
    let names: BTreeSet<String> = out.iter().map(|s| s.method.clone()).collect();
    for (i, f) in fields.iter().enumerate().filter(|(_, f)| is_ctor_arg(f)) {
        let mut method = setter_name(ir, f.name.clone());
        if names.contains(&method) {
            method = format!("set_{method}");
        }
        out.push(Setter {
            method,
            field: i,
            kind: SetterKind::Replace {
                conversion: conversion(ir, f),
            },
        });
    }
    out.sort_by_key(|s| s.field);
    out
}

#[cfg(test)]
mod tests;
