//! The intermediate representation: plain Rust data between the spec and the tokens.
//!
//! Lowering (`lower.rs`) fills it from the spec; passes (`passes.rs`) name, deduplicate and annotate
//! it; emitting (`emit.rs`) turns it into Rust source.

use std::collections::BTreeSet;

/// The identity of a type: its index in [`Ir::types`]. Any `Vec` indexed by type (`Ir::types`, a
/// pass's per-type table) is indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TypeId(pub usize);

impl TypeId {
    /// Every id of a table of `len` types, in order.
    pub fn all(len: usize) -> impl Iterator<Item = TypeId> {
        (0..len).map(TypeId)
    }
}

impl std::fmt::Display for TypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl<T> std::ops::Index<TypeId> for [T] {
    type Output = T;
    fn index(&self, id: TypeId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<TypeId> for [T] {
    fn index_mut(&mut self, id: TypeId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> std::ops::Index<TypeId> for Vec<T> {
    type Output = T;
    fn index(&self, id: TypeId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<TypeId> for Vec<T> {
    fn index_mut(&mut self, id: TypeId) -> &mut T {
        &mut self[id.0]
    }
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    /// `String` (also `uuid`, `email` and `uri` strings: see codegen/README.md).
    String,
    /// The runtime's `Timestamp`: a `date-time` or `date` string, kept as sent, compared as an instant.
    Timestamp,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: the spec allows any JSON value here.
    Json,
    /// `Vec<u8>`: binary data (`format: binary` in a multipart body, or an octet-stream body).
    Bytes,
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
    /// `(A, B, ..)`: a fixed-length array of these member types (`prefixItems` with `items: false`).
    Tuple(Vec<Ty>),
    /// The empty string, the one value of `{type: string, enum: [""]}`: a union's "or send an empty
    /// string to clear it" alternative (Stripe's), a unit variant `Clear` (`runtime::de::EmptyString`
    /// elsewhere).
    EmptyString,
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
    /// A request parameter sent outside the body (path, query, header or cookie); `None` for body fields.
    pub location: Option<ParamLocation>,
    /// Docs and deprecation.
    pub meta: Meta,
}

impl Field {
    /// The value of a required, non-null string field the spec allows only one value for (a one-value
    /// `enum`, e.g. a union variant's tag): constructors fill it in, so no caller can get it wrong.
    pub fn fixed_value(&self) -> Option<&str> {
        match (&self.ty, &self.meta.values.constant) {
            (Ty::String, Some(c)) if self.required && !self.nullable && !self.flatten => Some(c),
            _ => None,
        }
    }
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    /// The JSON string.
    pub wire: String,
    /// The Rust variant name.
    pub name: String,
}

/// A tag property's constant value in one variant (`enum: [v]` or `const: v`): a string, an
/// integer or a boolean.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TagValue {
    /// A string (`status: success`).
    Str(String),
    /// An integer (Discord's component `type: 14`).
    Int(i64),
    /// A boolean.
    Bool(bool),
}

impl std::fmt::Display for TagValue {
    /// The value as names and docs show it: a string without quotes, a number or boolean as JSON.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TagValue::Str(s) => f.write_str(s),
            TagValue::Int(n) => write!(f, "{n}"),
            TagValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// A variant of a union told apart by the values of tag properties.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// One value per tag property, in the order of [`TypeKind::Tagged::tags`].
    pub tag_values: Vec<TagValue>,
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
    /// A newtype payload held in a `Box` (see `passes::box_objects`).
    pub boxed: bool,
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
    /// Derives (or implements) `Deserialize`: set by the usage pass from every user of the type after
    /// merging (a response, a type no endpoint uses, or any type that itself deserializes and contains it).
    pub deserialize: bool,
    /// Cargo feature conjunctions under which the type is needed (`[["locks"], ["acs", "undocumented"]]`).
    /// Empty when no operation needs it: then it is always compiled.
    pub features: BTreeSet<BTreeSet<String>>,
    /// Grouped with a structurally identical type (set, and cleared again, by the dedup pass).
    pub merged_into: Option<TypeId>,
    /// This place's name for a type identical schemas share: the type is an alias of it (set by the
    /// dedup pass).
    pub shares: Option<TypeId>,
    /// A type created by the dedup pass for identical schemas to share, named after what their places
    /// have in common.
    pub shared: bool,
    /// Types the type's code names besides its kind, which the usage pass gives this type's
    /// features: for an alias made by the dedup pass, the types its own schema contained (whose place
    /// names stay too); for a tagged union, the enums its accessors return.
    pub nested: Vec<TypeId>,
    /// The params or response type of an operation: never merged, so every endpoint has its own.
    pub operation_type: bool,
}

impl TypeDef {
    /// A component schema itself (`#/components/schemas/x`), not a type inside one.
    pub fn is_component_schema(&self) -> bool {
        self.component.is_some() && self.hint.len() == 1
    }

    /// The component schema `name` itself.
    pub fn is_component(&self, name: &str) -> bool {
        self.is_component_schema() && self.component.as_deref() == Some(name)
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method as the spec's path item key (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as sent on the wire (`GET`).
    pub fn wire(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The Rust variant name of the generic runtime's `Method` (`Get`).
    pub fn variant(self) -> &'static str {
        match self {
            HttpMethod::Get => "Get",
            HttpMethod::Put => "Put",
            HttpMethod::Post => "Post",
            HttpMethod::Delete => "Delete",
            HttpMethod::Options => "Options",
            HttpMethod::Head => "Head",
            HttpMethod::Patch => "Patch",
            HttpMethod::Trace => "Trace",
        }
    }

    /// Idempotent by RFC 9110: a repeated request has the same effect, so it is safe to retry.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamLocation {
    /// Substituted into the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `simple` (path and header default): `a,b`.
    Simple,
    /// `label`: `.a.b`.
    Label,
    /// `matrix`: `;k=a,b`.
    Matrix,
    /// `form` (query and cookie default): `k=a&k=b`, or `k=a,b` unexploded.
    Form,
    /// `spaceDelimited`: `k=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `k=a|b`.
    PipeDelimited,
    /// `deepObject`: `k[a]=1&k[b]=2`.
    DeepObject,
}

/// A request parameter: a field of the operation's params struct sent outside the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The field of the params struct that holds it.
    pub field: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// How it is serialized.
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// Declared with `content` (a media type, JSON) rather than a style: sent as the value's JSON
    /// text, placed as a string would be.
    pub json: bool,
    /// Whether it must be sent (path parameters always are).
    pub required: bool,
    /// Its type, without `Option`.
    pub ty: Ty,
    /// Where it is declared in the spec.
    pub pointer: String,
    /// Where its schema is in the spec.
    pub schema_pointer: String,
}

/// A request body's media type, as the runtime encodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyMedia {
    /// JSON (`application/json`, `*/*+json`, with or without parameters such as `charset`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: each property a part; byte fields are binary parts.
    Multipart,
    /// Raw bytes (`application/octet-stream`, images, anything else).
    Bytes,
    /// Text (`text/*`).
    Text,
}

/// Where the request body lives in the params struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyPlacement {
    /// The params struct is the body: its body fields are the body object's properties.
    Flattened,
    /// The params struct has a field holding the body.
    Field {
        /// The Rust field name.
        field: String,
        /// Whether the spec requires a body (else the field is an `Option`).
        required: bool,
    },
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// How it is encoded.
    pub media: BodyMedia,
    /// The media type sent as `Content-Type`, as the spec names it.
    pub content_type: String,
    /// Its type.
    pub ty: Ty,
    /// Where it lives in the params struct.
    pub placement: BodyPlacement,
    /// Where its media type object is in the spec.
    pub pointer: String,
}

/// Which response statuses a response object covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One code (`201`).
    Code(u16),
    /// A class (`2XX` is `Range(2)`).
    Range(u16),
    /// `default`.
    Default,
}

/// What a response body is decoded into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// No body (`204`, or no content in the spec).
    Empty,
    /// JSON of this type.
    Json(Ty),
    /// Text (`text/*`).
    Text,
    /// Raw bytes (any other media type).
    Bytes,
}

/// The success responses of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// Success statuses with no body beside a typed one (e.g. `204` beside `200`): the function then
    /// returns an `Option` (`None` for these).
    pub empty: Vec<StatusMatch>,
    /// The body of the success responses.
    pub body: ResponseBody,
    /// The named type of the JSON body, when it is one (the endpoint's response type).
    pub response_type: Option<TypeId>,
}

/// What an endpoint function returns of its success body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// Nothing: the body carries no value the caller needs.
    Unit,
    /// The whole body.
    Whole,
    /// One property of the body object.
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

/// A cursor-paginated list: a paginator walks its pages by setting a params field from each page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The params field that takes the cursor.
    pub cursor_field: String,
    /// The cursor field is optional and nullable (`Option<Option<String>>`).
    pub cursor_double_option: bool,
    /// The response field holding the items ([`Returns::Key`]).
    pub items_field: String,
    /// The item type.
    pub item: Ty,
    /// The items field may be absent or `null` (an `Option`: none is an empty page).
    pub items_optional: bool,
    /// Where the next page's cursor comes from.
    pub next: NextCursor,
}

/// Where a paginated list's next cursor comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextCursor {
    /// A page-information object beside the items (the runtime's page type: whether there is a
    /// next page, and its cursor).
    PageInfo {
        /// The response field holding it.
        field: String,
        /// Always present (else a missing one reads as the last page).
        required: bool,
    },
    /// A string field of the response is the next page's cursor (`next_page`, `next-page-token`);
    /// absent, `null` or empty: the last page.
    Field {
        /// The response field.
        field: String,
        /// It is an `Option<String>` (else a `String`).
        optional: bool,
        /// It is an `Option<Option<String>>`.
        double_option: bool,
    },
    /// A boolean `has_more`: the next page starts after the last item's id (`starting_after`).
    AfterLastItem {
        /// The boolean response field.
        has_more_field: String,
        /// It is an `Option<bool>`.
        has_more_optional: bool,
        /// The items' id field (a required string).
        id_field: String,
    },
}

/// A long-running job the call starts, which the runtime waits for before returning (the runtime's
/// names for it are the binding's: [`EndpointRuntime::job`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The returned value ([`Returns::Key`]) is the job itself.
    pub returned: bool,
    /// The job is beside the returned value: a second function returns both.
    pub beside: Option<JobBeside>,
    /// What the docs say of the wait.
    pub doc: String,
}

/// A job returned beside the function's value, by a variant of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobBeside {
    /// The response field holding the job.
    pub field: String,
    /// Its type.
    pub ty: Ty,
    /// What its docs add to the first function's ("and also returns the job ...").
    pub doc: String,
}

/// A cargo feature an operation needs beyond its group's, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    /// The feature.
    pub feature: String,
    /// How the docs introduce it (`Undocumented`).
    pub label: String,
    /// The spec's note.
    pub note: String,
}

/// An endpoint function: the typed plan of one operation, every decision made once.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The URL path template (`/devices/list`, `/pets/{id}`).
    pub path: String,
    /// The HTTP method the client sends.
    pub method: HttpMethod,
    /// Pointer to the operation object.
    pub pointer: String,
    /// Group path of the function (`["acs", "users"]`); empty for a function on the client itself.
    pub group: Vec<String>,
    /// The Rust function name.
    pub name: String,
    /// A one-line title.
    pub title: Option<String>,
    /// Deprecation and description.
    pub meta: Meta,
    /// Cargo features the function needs beyond its group's, with their notes.
    pub gates: Vec<Gate>,
    /// Parameters sent outside the body (path, query, header, cookie), in spec order.
    pub params: Vec<Param>,
    /// The params struct (parameters and body), when the function takes any.
    pub params_type: Option<TypeId>,
    /// The request body.
    pub body: Option<Body>,
    /// The success responses.
    pub success: Success,
    /// The types of the error responses' JSON bodies, with their pointers (one after the dedup pass,
    /// or several: see [`Operation::error`]).
    pub errors: Vec<(Ty, String)>,
    /// What the function returns of the success body.
    pub returns: Returns,
    /// A paginator twin.
    pub pagination: Option<Pagination>,
    /// A job the call starts and waits for.
    pub job: Option<Job>,
    /// Safe to retry on transient failures.
    pub idempotent: bool,
    /// Security requirement alternatives (each a list of scheme names; empty list: anonymous).
    pub security: Vec<Vec<String>>,
    /// The cargo features the function needs (empty: always compiled).
    pub features: BTreeSet<String>,
}

impl Operation {
    /// The JSON response type, for functions decoded into one.
    pub fn response(&self) -> Option<TypeId> {
        self.success.response_type
    }

    /// The type error responses decode into: the one type all error bodies share, free-form JSON
    /// when they differ, `None` when the spec gives none.
    pub fn error(&self) -> Option<Ty> {
        let first = &self.errors.first()?.0;
        if self.errors.iter().all(|(ty, _)| ty == first) {
            Some(first.clone())
        } else {
            Some(Ty::Json)
        }
    }

    /// Every type the plan mentions, with whether it is sent (`true`) or received (`false`): the one
    /// walker every pass uses.
    pub fn types_mut(&mut self) -> Vec<(&mut Ty, bool)> {
        let mut out: Vec<(&mut Ty, bool)> = Vec::new();
        for p in self.params.iter_mut() {
            out.push((&mut p.ty, true));
        }
        if let Some(b) = self.body.as_mut() {
            out.push((&mut b.ty, true));
        }
        if let ResponseBody::Json(ty) = &mut self.success.body {
            out.push((ty, false));
        }
        for (ty, _) in self.errors.iter_mut() {
            out.push((ty, false));
        }
        if let Returns::Key { ty, .. } = &mut self.returns {
            out.push((ty, false));
        }
        if let Some(p) = self.pagination.as_mut() {
            out.push((&mut p.item, false));
        }
        if let Some(b) = self.job.as_mut().and_then(|j| j.beside.as_mut()) {
            out.push((&mut b.ty, false));
        }
        out
    }

    /// Rewrites every type id the plan mentions.
    pub fn rewrite(&mut self, f: &impl Fn(TypeId) -> TypeId) {
        if let Some(p) = self.params_type.as_mut() {
            *p = f(*p);
        }
        if let Some(r) = self.success.response_type.as_mut() {
            *r = f(*r);
        }
        for (ty, _) in self.types_mut() {
            rewrite_ty(ty, f);
        }
    }

    /// The type ids sent (`true`) and received (`false`) by the function.
    pub fn type_uses(&mut self) -> Vec<(TypeId, bool)> {
        let mut out = Vec::new();
        if let Some(p) = self.params_type {
            out.push((p, true));
        }
        if let Some(r) = self.success.response_type {
            out.push((r, false));
        }
        for (ty, sent) in self.types_mut() {
            visit_ty(ty, &mut |id| out.push((id, sent)));
        }
        out
    }
}

/// Rewrites every type id in `ty`.
pub fn rewrite_ty(ty: &mut Ty, f: &impl Fn(TypeId) -> TypeId) {
    match ty {
        Ty::Named(id) => *id = f(*id),
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => rewrite_ty(inner, f),
        Ty::Tuple(members) => members.iter_mut().for_each(|m| rewrite_ty(m, f)),
        _ => {}
    }
}

/// A security scheme of the spec, as the generic runtime applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (also OAuth 2 and OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where.
        location: ParamLocation,
        /// Under which name.
        name: String,
    },
}

/// The whole lowered spec.
#[derive(Debug, Default)]
pub struct Ir {
    /// All types, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// All endpoint functions, sorted by path then method.
    pub operations: Vec<Operation>,
    /// Every top-level group, sorted.
    pub groups: BTreeSet<String>,
    /// Security schemes by name.
    pub schemes: Vec<(String, SchemeKind)>,
    /// The first server URL of the spec, if any.
    pub server: Option<String>,
    /// The API title and version from `info`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    /// Every path in the spec, and every HTTP operation walked.
    pub path_count: usize,
    /// The number of HTTP operations in the spec.
    pub operation_count: usize,
    /// The Rust path the generated code is mounted at: `crate` for a crate; the models are at
    /// `{mount}::models`, the runtime at `{mount}::runtime`, the client at `{mount}::{client}`.
    pub mount: String,
    /// The package name of a standalone crate, when the caller chose one (else the profile makes one
    /// from the API's title).
    pub package: Option<String>,
    /// The output is split into a crate per group beside a core ([`crate::Options::split_groups`]).
    pub split_groups: bool,
    /// How generated functions call the runtime: chosen by the profile.
    pub binding: Binding,
    /// The client type the functions are methods of (`{root}::{client}`).
    pub client: String,
    /// Component schemas the hand-written runtime names: compiled whatever the features.
    pub runtime_types: Vec<String>,
    /// For a tagged union's accessor whose variants each fix the field's value (a tag such as
    /// `status` or `event_type`): the string enum of those values the accessor returns, by union
    /// and field wire name (set by the passes).
    pub accessor_enums: std::collections::BTreeMap<(TypeId, String), TypeId>,
}

/// How generated functions call the runtime, with the runtime's own names: the profile chooses it
/// (`Profile::configure`), the plan and the emitters follow it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Binding {
    /// The generic runtime (`codegen/runtime/`): each endpoint is a marker type implementing the
    /// runtime's `Operation` (the `runtime::HttpRequest` of its params: path, query, header and
    /// cookie parameters, a body by media type; the response decoded by status), and its function
    /// returns the runtime's `Request` of it.
    #[default]
    Request,
    /// A runtime with its own conventions: each endpoint is a marker type implementing the
    /// runtime's `request::Operation` (a static `runtime::Endpoint`, the params struct as the JSON
    /// body, its query pairs, a mapping of the response), and the group methods return the runtime's
    /// `Request` of it.
    Endpoint(EndpointRuntime),
}

impl Binding {
    /// Methods the runtime's `Request` has for every endpoint (`timeout`, `send`, ...): a parameter
    /// setter of such a name is called `set_<name>`.
    pub fn request_methods(&self) -> &'static [&'static str] {
        match self {
            Binding::Request => GENERIC_REQUEST_METHODS,
            Binding::Endpoint(runtime) => runtime.request_methods,
        }
    }
}

/// The methods of the generic runtime's `Request` (`codegen/runtime/call.rs`).
pub const GENERIC_REQUEST_METHODS: &[&str] = &[
    "timeout",
    "call_timeout",
    "max_retries",
    "settings",
    "params",
    "with_params",
    "send",
];

/// The names an `Endpoint` binding's runtime gives its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRuntime {
    /// Methods the runtime's `Request` has for every endpoint (`timeout`, `send`, ...): a parameter
    /// setter of such a name is called `set_<name>`.
    pub request_methods: &'static [&'static str],
    /// The model type a paginated response's page information decodes into (`Pagination`).
    pub page_type: &'static str,
    /// The runtime's names for waiting on a job.
    pub job: JobRuntime,
}

/// The runtime's names for a job an endpoint starts ([`Job`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobRuntime {
    /// The variant of the runtime's `Finish` that waits for the job before returning
    /// (`Finish::<finish>(job, then)`).
    pub finish: &'static str,
    /// The trait an operation with a job beside its value implements (its request gets a method
    /// that returns the job too).
    pub beside_trait: &'static str,
    /// The trait's associated type: what the request returns then.
    pub beside_output: &'static str,
    /// The trait's function that maps the response to the value and the job.
    pub beside_fn: &'static str,
    /// The request's method that makes it return the job too.
    pub beside_method: &'static str,
}

impl Ir {
    /// Follows `merged_into` links (during the dedup pass) and per-place aliases of shared types to
    /// the type that holds the structure of `id`.
    pub fn resolve(&self, mut id: TypeId) -> TypeId {
        while let Some(next) = self.types[id].merged_into.or(self.types[id].shares) {
            id = next;
        }
        id
    }

    /// Whether the hand-written runtime names the type (the profile lists such component schemas):
    /// it is compiled whatever the features, and is `Default` when it can be.
    pub fn is_runtime_type(&self, t: &TypeDef) -> bool {
        t.is_component_schema()
            && t.component
                .as_ref()
                .is_some_and(|c| self.runtime_types.contains(c))
    }

    /// The fields of a struct type, if it is one.
    pub fn struct_fields(&self, id: TypeId) -> &[Field] {
        match &self.types[self.resolve(id)].kind {
            TypeKind::Struct(fields) => fields,
            _ => &[],
        }
    }

    /// The scalar fields every variant of a tagged union has alike (`Pet::name()` of a `Cat | Dog`
    /// union): each gets an accessor on the union, `None` only for an unknown variant without it.
    pub fn accessor_fields(&self, variants: &[TaggedVariant]) -> Vec<&Field> {
        let Some(first) = variants.first() else {
            return Vec::new();
        };
        let scalar = |f: &Field| {
            f.required
                && !f.nullable
                && !f.boxed
                && matches!(
                    f.ty,
                    Ty::String | Ty::Timestamp | Ty::Boolean | Ty::Integer | Ty::Number
                )
        };
        self.struct_fields(first.ty)
            .iter()
            .filter(|f| scalar(f))
            .filter(|f| {
                variants.iter().all(|v| {
                    matches!(self.types[self.resolve(v.ty)].kind, TypeKind::Struct(_))
                        && self.struct_fields(v.ty).iter().any(|g| {
                            g.wire == f.wire && g.name == f.name && g.ty == f.ty && scalar(g)
                        })
                })
            })
            .collect()
    }

    /// The live types (not merged into another).
    pub fn live_types(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.types
            .iter()
            .enumerate()
            .filter(|(_, t)| t.merged_into.is_none())
            .map(|(i, t)| (TypeId(i), t))
    }
}

/// Cargo feature conditions: a disjunction of conjunctions (`[["locks"], ["acs", "undocumented"]]`).
pub type Features = BTreeSet<BTreeSet<String>>;

/// Drops conjunctions implied by a smaller one (`{a} ∨ {a, b}` is `{a}`).
pub fn simplify_features(set: Features) -> Features {
    set.iter()
        .filter(|c| !set.iter().any(|o| o != *c && o.is_subset(c)))
        .cloned()
        .collect()
}

/// Calls `f` on every type id mentioned directly in `ty`.
pub fn visit_ty(ty: &Ty, f: &mut impl FnMut(TypeId)) {
    match ty {
        Ty::Named(id) => f(*id),
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => visit_ty(inner, f),
        Ty::Tuple(members) => members.iter().for_each(|m| visit_ty(m, f)),
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
        let ty = rewrite_ty;
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
