//! The intermediate representation: plain Rust data between the spec and the tokens.
//!
//! Lowering (`lower.rs`) fills it from the spec; passes (`passes.rs`) name, deduplicate and annotate
//! it; emitting (`emit.rs`) turns it into Rust source.

use std::collections::BTreeSet;

/// Index of a type in [`Ir::types`].
pub type TypeId = usize;

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    /// `String` (also `uuid`, `date-time`, `email` and `uri` strings: see codegen/README.md).
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: the spec allows any JSON value here.
    Json,
    /// `serde_json::Map<String, Value>`: the spec says "an object" and nothing of its keys.
    JsonObject,
    /// A generated type.
    Named(TypeId),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`, for nullable list items and map values.
    Option(Box<Ty>),
}

/// Documentation and deprecation of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Meta {
    /// Doc text from the spec's `description` (and `x-title` for operations).
    pub docs: Option<String>,
    /// `Some(note)` when the item is deprecated.
    pub deprecated: Option<String>,
    /// What the schema says of its values besides type and description, for the generated docs of
    /// fields the spec does not describe.
    pub values: ValueNotes,
}

/// Facts a schema states about its values that the Rust type does not show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ValueNotes {
    /// A string's `format` (`date-time`, `uuid`, `email`, `uri`, ...).
    pub format: Option<String>,
    /// The `default`, as JSON text (never `null`).
    pub default: Option<String>,
    /// The only value of a one-value string `enum` (a constant, e.g. a union's tag).
    pub constant: Option<String>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The JSON name.
    pub wire: String,
    /// The Rust name (without `r#`).
    pub name: String,
    /// The type, without `Option`.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// Marked `nullable`.
    pub nullable: bool,
    /// Stored in a `Box` because the type contains itself.
    pub boxed: bool,
    /// Merged into the parent with `#[serde(flatten)]` (an `allOf` member that is a union).
    pub flatten: bool,
    /// Sent in the query string, not in the JSON body.
    pub query: bool,
    /// Docs and deprecation.
    pub meta: Meta,
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    /// The JSON string.
    pub wire: String,
    /// The Rust variant name.
    pub name: String,
}

/// A variant of a union told apart by the values of tag properties.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// One value per tag property, in the order of [`TypeKind::Tagged::tags`].
    pub tag_values: Vec<String>,
    /// The variant's payload type (a struct).
    pub ty: TypeId,
}

/// What an untagged variant holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Payload {
    /// A struct-like variant with these fields.
    Fields(Vec<Field>),
    /// A newtype variant.
    Type(Ty),
}

/// A variant of a union that is told apart by its shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UntaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// What the variant holds.
    pub payload: Payload,
    /// Docs and deprecation.
    pub meta: Meta,
}

/// The shape of a generated type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// A string enum with a fallback for values this version does not know.
    StringEnum(Vec<EnumValue>),
    /// A `oneOf` whose variants carry constant tag properties (`discriminator`, or found by the generator).
    Tagged {
        /// The JSON names of the tag properties.
        tags: Vec<String>,
        /// The variants.
        variants: Vec<TaggedVariant>,
    },
    /// A `oneOf` told apart by shape.
    Untagged(Vec<UntaggedVariant>),
    /// A named alias of another type.
    Alias(Ty),
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, final after the naming pass.
    pub name: String,
    /// Words the name is made of, outermost first (`["device", "errors", "item"]`).
    pub hint: Vec<String>,
    /// Where the schema is in the spec.
    pub pointer: String,
    /// The component schema this type is, or belongs to; `None` for operation types.
    pub component: Option<String>,
    /// The top-level resource group of the operation this type belongs to, for operation types.
    pub group: Option<String>,
    /// Docs and deprecation.
    pub meta: Meta,
    /// The shape.
    pub kind: TypeKind,
    /// Reachable from a request body.
    pub in_request: bool,
    /// Reachable from a response body.
    pub in_response: bool,
    /// Cargo feature conjunctions under which the type is needed (`[["locks"], ["acs", "undocumented"]]`).
    /// Empty when no operation needs it: then it is always compiled.
    pub features: BTreeSet<BTreeSet<String>>,
    /// Replaced by another, structurally identical type (set by the dedup pass).
    pub merged_into: Option<TypeId>,
    /// The params or response type of an operation: never merged, so every endpoint has its own.
    pub root: bool,
}

/// What an endpoint function returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// Nothing (`x-response-key: null`).
    Unit,
    /// The whole response object (no `x-response-key` in the spec).
    Whole,
    /// The response property named by `x-response-key`.
    Key {
        /// The property's JSON name.
        wire: String,
        /// The property's Rust field name.
        field: String,
        /// Its type.
        ty: Ty,
        /// `Option<T>` when nullable or optional.
        optional: bool,
    },
}

/// A query-string parameter (only a few undocumented Seam endpoints have them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// The parameter name on the wire.
    pub wire: String,
    /// The field in the params struct.
    pub field: String,
    /// Whether it must be sent.
    pub required: bool,
}

/// An endpoint function.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The URL path (`/devices/list`).
    pub path: String,
    /// The HTTP method the SDK uses (`POST`).
    pub method: String,
    /// Pointer to the operation object.
    pub pointer: String,
    /// SDK group path (`["acs", "users"]`).
    pub group: Vec<String>,
    /// The Rust function name.
    pub name: String,
    /// `x-title`, or the summary.
    pub title: Option<String>,
    /// Deprecation and description.
    pub meta: Meta,
    /// `x-undocumented` note (the function is gated behind the `undocumented` feature).
    pub undocumented: Option<String>,
    /// `x-draft` note (gated behind the `draft` feature).
    pub draft: Option<String>,
    /// The params struct, when the endpoint takes a body or query.
    pub params: Option<TypeId>,
    /// Query-string parameters, fields of the params struct.
    pub query: Vec<QueryParam>,
    /// Whether every params field is optional (the struct then implements `Default`).
    pub params_all_optional: bool,
    /// The 200 response body type.
    pub response: TypeId,
    /// What the function returns.
    pub returns: Returns,
    /// `x-action-attempt-type`.
    pub action_attempt_type: Option<String>,
    /// Whether the response carries an `action_attempt` beside its response key.
    pub returns_action_attempt: bool,
    /// Whether the response has a `pagination` object.
    pub paginated: bool,
    /// Safe to retry: the spec also serves the path by GET, PUT or DELETE, which HTTP defines as idempotent.
    pub idempotent: bool,
    /// Security scheme names the endpoint accepts.
    pub security: Vec<String>,
    /// The cargo features the function needs.
    pub features: BTreeSet<String>,
}

/// The whole lowered spec.
#[derive(Debug, Default)]
pub struct Ir {
    /// All types, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// All endpoint functions, sorted by path.
    pub operations: Vec<Operation>,
    /// Every resource group (top-level `x-fern-sdk-group-name`), sorted.
    pub groups: BTreeSet<String>,
    /// The API title and version from `info`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    /// Every path in the spec, and every HTTP operation walked.
    pub path_count: usize,
    /// The number of HTTP operations in the spec.
    pub operation_count: usize,
    /// The Rust path the generated code lives under: `crate` for the SDK; the models are at
    /// `{root}::models`, the runtime at `{root}::runtime`, the client at `{root}::Seam`.
    pub root: String,
}

impl Ir {
    /// Follows `merged_into` links to the type that stands for `id`.
    pub fn resolve(&self, mut id: TypeId) -> TypeId {
        while let Some(next) = self.types[id].merged_into {
            id = next;
        }
        id
    }

    /// The live types (not merged into another).
    pub fn live_types(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.types
            .iter()
            .enumerate()
            .filter(|(_, t)| t.merged_into.is_none())
    }
}

/// Calls `f` on every type id mentioned directly in `ty`.
pub fn visit_ty(ty: &Ty, f: &mut impl FnMut(TypeId)) {
    match ty {
        Ty::Named(id) => f(*id),
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => visit_ty(inner, f),
        _ => {}
    }
}

impl TypeKind {
    /// Calls `f` on every type id the kind mentions.
    pub fn visit(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeKind::Struct(fields) => fields.iter().for_each(|x| visit_ty(&x.ty, f)),
            TypeKind::StringEnum(_) => {}
            TypeKind::Tagged { variants, .. } => variants.iter().for_each(|v| f(v.ty)),
            TypeKind::Untagged(variants) => {
                for v in variants {
                    match &v.payload {
                        Payload::Fields(fields) => fields.iter().for_each(|x| visit_ty(&x.ty, f)),
                        Payload::Type(ty) => visit_ty(ty, f),
                    }
                }
            }
            TypeKind::Alias(ty) => visit_ty(ty, f),
        }
    }

    /// Rewrites every type id the kind mentions.
    pub fn rewrite(&mut self, f: &impl Fn(TypeId) -> TypeId) {
        fn ty(t: &mut Ty, f: &impl Fn(TypeId) -> TypeId) {
            match t {
                Ty::Named(id) => *id = f(*id),
                Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => ty(inner, f),
                _ => {}
            }
        }
        match self {
            TypeKind::Struct(fields) => fields.iter_mut().for_each(|x| ty(&mut x.ty, f)),
            TypeKind::StringEnum(_) => {}
            TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| v.ty = f(v.ty)),
            TypeKind::Untagged(variants) => {
                for v in variants {
                    match &mut v.payload {
                        Payload::Fields(fields) => fields.iter_mut().for_each(|x| ty(&mut x.ty, f)),
                        Payload::Type(t) => ty(t, f),
                    }
                }
            }
            TypeKind::Alias(t) => ty(t, f),
        }
    }
}
