//! Seam's conventions: everything the generator knows of the Seam Connect API beyond OpenAPI.
//!
//! | convention | where in the spec | decided in |
//! | --- | --- | --- |
//! | every endpoint is served by `POST`; `GET`/`PUT`/`PATCH`/`DELETE` are aliases (walked, not generated) | path items | [`Seam::functions_of_path`] |
//! | which calls are sent again after the server may have acted on them (a 5xx, a timeout): by what the call does, see [`RetryClass`] | path, response | [`Seam::idempotent`] |
//! | grouping and names: `x-fern-sdk-group-name`, `x-fern-sdk-method-name` (else the path's words) | operation | [`Seam::locate`] |
//! | titles: `x-title` | operation | [`Seam::title`] |
//! | cargo features: one per top-level group; `x-undocumented` → `undocumented`, `x-draft` → `draft` | operation | [`Seam::features`], [`cargo_features`] |
//! | the JSON body object is the params struct | request body | [`Seam::flatten_body`] |
//! | `additionalProperties` naming a resource (`x-route-path`) is a free-form object (a spec defect) | map schemas | [`Seam::free_form_map_value`] |
//! | a function returns the response's `x-response-key` property (`null`: nothing) | operation | [`Seam::returns`] |
//! | action attempts: a returned `action_attempt` is waited for; one beside the key: the request's `.with_action_attempt()` returns it too | response | [`Seam::extras`] |
//! | pagination: a `page_cursor` param and a `pagination` response object give the request `.pages()` (a `Paginator`) | params, response | [`Seam::extras`] |
//! | the runtime names `pagination`; the `Seam` client; the `Endpoint` binding with the runtime's names ([`RUNTIME`]) | — | [`Seam::configure`] |
//! | the runtime sends only query parameters (scalars) beside a JSON body, and decodes the `200` JSON response | parameters, bodies, responses | [`Seam::check_operation`], [`Seam::responses`] |
//! | duplicate method names are an error (both come from `x-fern-*`) | — | [`Seam::clash_policy`] |
//! | an untagged union's inline alternative of more than 8 properties is a struct of its own, boxed (clippy's `large_enum_variant`) | `oneOf`/`anyOf` | [`Seam::inline_variant_fields`] |
//! | what the hand-written runtime takes from the generated code (`Pagination`, `Event`, `EventType`, `ActionAttempt`, `ActionAttemptStatus`, `ActionAttempts`): stand-ins for `Pagination` and `EventType` when a spec version lacks them, an error for a spec whose `events` or `action_attempts` group lacks its schema | `pagination`, `event`, `action_attempt` | `contract` (in [`Seam::crate_files`]) |
//! | the crate: `src/generated/`, the generic runtime's shared parts in `src/runtime/shared/`, and a `Cargo.toml` from a template with the features | — | [`Seam::crate_files`] |
//!
//! Token prefixes and auth modes are the hand-written runtime's (`seam-generated/src/runtime/auth.rs`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::Operation as SpecOperation;
use proc_macro2::TokenStream;
use serde_json::Value;

use super::{ClashPolicy, Location, OperationSource, Profile, Responses};
use crate::error::{push_segment, Error, ErrorKind, Warning};
use crate::ir::{
    Binding, BodyMedia, EndpointRuntime, Field, Gate, HttpMethod, Ir, Job, JobBeside, JobRuntime,
    NextCursor, Operation, Pagination, ParamLocation, Returns, Ty, TypeDef, TypeId, TypeKind,
};

/// The template of the `seam-connect` crate's `Cargo.toml`; `{{layout-dependencies}}`,
/// `{{time-features}}` and `{{features}}` are replaced (see [`Seam::crate_files`]).
pub const CARGO_TEMPLATE: &str = include_str!("../../templates/seam-generated.Cargo.toml");

/// The generic runtime's files the Seam runtime is layered on, written to `src/runtime/shared/`
/// (`de.rs` and `timestamp.rs` to the core crate when the output is split by group).
pub const SHARED_RUNTIME_FILES: &[(&str, &str)] = &[
    ("de.rs", include_str!("../../runtime/de.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("timestamp.rs", include_str!("../../runtime/timestamp.rs")),
    ("transport.rs", include_str!("../../runtime/transport.rs")),
];

/// `Timestamp`'s conversions to and from the time crates' types (features `chrono`, `time`,
/// `jiff`), written beside `timestamp.rs`.
const TIME_CRATES_FILE: (&str, &str) = (
    "time_crates.rs",
    include_str!("../../templates/time_crates.rs"),
);

/// The runtime files the core crate holds when the output is split by group: what the models use,
/// and `Timestamp`'s conversions (trait impls on the core's type).
const CORE_RUNTIME_FILES: &[&str] = &["de.rs", "timestamp.rs", "time_crates.rs"];

/// The component schema of an action attempt.
const ACTION_ATTEMPT: &str = "action_attempt";
/// The group whose endpoints poll action attempts (they never wait themselves).
const ACTION_ATTEMPTS_GROUP: &str = "action_attempts";

/// The feature of the endpoints Seam marks `x-undocumented`.
const UNDOCUMENTED: &str = "undocumented";
/// The feature of the endpoints Seam marks `x-draft`.
const DRAFT: &str = "draft";

/// Seam's profile.
pub struct Seam;

mod split;

/// Reads a vendor extension that holds a note: a string, or `true` (an empty note).
pub fn extension_note(op: &SpecOperation, key: &str) -> Option<String> {
    match op.extensions.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some(String::new()),
        Value::Bool(false) | Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// What a Seam call does, which decides whether it is sent again after the server may have acted on
/// it (a 500, 502, 503 or 504, a timeout, a connection lost mid-response). Any call is retried after
/// a 429 and when no connection could be made (the runtime's retry decision, `retry.rs`). The SDK
/// sends every call by `POST`, so the method says nothing; the class comes from the path's last
/// segment (Seam names endpoints by what they do) and the response, first match wins (docs/sdk.md,
/// "Which calls are retried", counts the endpoints of each class):
///
/// | class | which | retried after a 5xx or timeout | why |
/// | --- | --- | --- | --- |
/// | [`DeviceCommand`](Self::DeviceCommand) | starts an action attempt (returns one, or one beside its result): `locks/unlock_door`, `thermostats/set_fan_mode`, `access_codes/delete`, ... | no | each attempt is a command to a device (a door opens twice, a second code is programmed) |
/// | [`Simulation`](Self::Simulation) | a `simulate` segment in the path | no | each call fires an event |
/// | [`GetOrCreate`](Self::GetOrCreate) | `get_or_create` | yes | returns the existing resource the second time |
/// | [`Read`](Self::Read) | `get`, `list`, `get_*`, `list_*`, `find_*`, `me`, `connector_types` | yes | changes nothing |
/// | [`Delete`](Self::Delete) | `delete`, `delete_*`, `remove`, `remove_*`, `revoke`, `revoke_*`, `unassign`, `deactivate` | yes | the end state is the same (a repeat may answer "not found") |
/// | [`Update`](Self::Update) | `update`, `update_*`, `set_*`, `configure_*` | yes | sets the values given, not relative to the old ones, so a repeat leaves the same state |
/// | [`Other`](Self::Other) | the rest: `create`, `create_*`, `add*`, `generate_*`, `push_*`, `grant*`, `assign`, `sync`, `launch`, ... | no | may create or act twice (Seam's own SDKs never resend a `POST` after a status) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RetryClass {
    /// Starts an action attempt: a command to a device.
    DeviceCommand,
    /// Simulates an event in a sandbox.
    Simulation,
    /// `get_or_create`.
    GetOrCreate,
    /// Reads.
    Read,
    /// Deletes, removes, revokes.
    Delete,
    /// Sets values.
    Update,
    /// Creates and every other action.
    Other,
}

impl RetryClass {
    /// The class of a lowered operation (its [`Job`] decided by [`Seam::extras`]).
    pub fn of(op: &Operation) -> RetryClass {
        if op.job.is_some() {
            return RetryClass::DeviceCommand;
        }
        let mut segments = op.path.split('/').filter(|s| !s.is_empty());
        let last = segments.next_back().unwrap_or("");
        if segments.any(|s| s == "simulate") {
            return RetryClass::Simulation;
        }
        let word = |w: &str| last == w || last.starts_with(&format!("{w}_"));
        if last == "get_or_create" {
            RetryClass::GetOrCreate
        } else if word("get")
            || word("list")
            || word("find")
            || matches!(last, "me" | "connector_types")
        {
            RetryClass::Read
        } else if word("delete")
            || word("remove")
            || word("revoke")
            || matches!(last, "unassign" | "deactivate")
        {
            RetryClass::Delete
        } else if word("update") || word("set") || word("configure") {
            RetryClass::Update
        } else {
            RetryClass::Other
        }
    }

    /// Whether a call of this class is sent again after the server may have acted on it.
    pub fn idempotent(self) -> bool {
        matches!(
            self,
            RetryClass::GetOrCreate | RetryClass::Read | RetryClass::Delete | RetryClass::Update
        )
    }
}

/// The names the hand-written runtime (`seam-generated/src/runtime/`) gives its parts.
pub const RUNTIME: EndpointRuntime = EndpointRuntime {
    request_methods: REQUEST_METHODS,
    page_type: "Pagination",
    job: JobRuntime {
        finish: "AfterActionAttempt",
        beside_trait: "StartsActionAttempt",
        beside_output: "WithActionAttempt",
        beside_fn: "output_with_action_attempt",
        beside_method: "with_action_attempt",
    },
};

/// The methods of the runtime's `Request` (`seam-generated/src/runtime/request.rs`; `pages` is
/// paginator.rs's) that every endpoint's request has: a parameter of such a name gets the setter
/// `set_<name>` (a test checks this list against the runtime's `impl Request` blocks).
pub const REQUEST_METHODS: &[&str] = &[
    "timeout",
    "call_timeout",
    "max_retries",
    "wait_for_action_attempt",
    "action_attempt_timeout",
    "options",
    "params",
    "params_mut",
    "into_params",
    "with_action_attempt",
    "pages",
    "send",
];

impl Profile for Seam {
    /// As the generic profile: eight fields of at most 24 bytes stay under clippy's
    /// `large_enum_variant` threshold beside a small variant (Seam's spec 1.405.0 had a 12-field
    /// alternative beside a list).
    fn inline_variant_fields(&self) -> Option<usize> {
        Some(8)
    }

    fn configure(&self, ir: &mut Ir) {
        ir.binding = Binding::Endpoint(RUNTIME);
        ir.client = "Seam".into();
        ir.runtime_types = vec![PAGINATION.into()];
    }

    fn responses(&self) -> Responses {
        Responses::Only200
    }

    /// The runtime sends the params struct as a JSON body and only scalar query parameters beside it.
    fn check_operation(&self, op: &Operation) -> Result<(), Error> {
        for p in &op.params {
            if p.location != ParamLocation::Query {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    &p.pointer,
                    "expected an `in: query` parameter: this profile's runtime sends only query parameters beside the JSON body",
                ));
            }
            if !matches!(
                p.ty,
                Ty::String | Ty::Timestamp | Ty::Integer | Ty::Number | Ty::Boolean
            ) {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    &p.schema_pointer,
                    "expected a string, number, integer or boolean query parameter",
                ));
            }
        }
        match &op.body {
            Some(body) if body.media != BodyMedia::Json => Err(Error::new(
                ErrorKind::Unsupported,
                &body.pointer,
                "expected an `application/json` request body: this profile's runtime sends JSON",
            )),
            _ => Ok(()),
        }
    }

    fn functions_of_path(&self, present: &[HttpMethod]) -> Vec<HttpMethod> {
        // Seam serves every endpoint by POST (its SDKs use nothing else); other methods are aliases.
        [
            HttpMethod::Post,
            HttpMethod::Get,
            HttpMethod::Put,
            HttpMethod::Patch,
            HttpMethod::Delete,
        ]
        .into_iter()
        .find(|m| present.contains(m))
        .into_iter()
        .collect()
    }

    /// By what the call does ([`RetryClass::of`]), never by the other methods the path serves: the
    /// SDK always sends `POST`, and Seam serves creates by `PUT` too (`client_sessions/create`).
    fn idempotent(&self, op: &Operation, _present: &[HttpMethod]) -> bool {
        RetryClass::of(op).idempotent()
    }

    fn locate(&self, source: &OperationSource<'_>) -> Result<Location, Error> {
        let ext = &source.op.extensions;
        let group: Vec<String> = match ext.get("x-fern-sdk-group-name") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Schema,
                        push_segment(source.pointer, "x-fern-sdk-group-name"),
                        "expected a list of strings",
                    )
                })?,
            Some(Value::String(s)) => vec![s.clone()],
            _ => {
                // No SDK grouping: derive it from the path (`/a/b/c` → group a.b, method c).
                let parts: Vec<&str> = source.path.split('/').filter(|s| !s.is_empty()).collect();
                if parts.len() < 2 {
                    vec!["root".to_string()]
                } else {
                    parts[..parts.len() - 1]
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                }
            }
        };
        let name = match ext.get("x-fern-sdk-method-name") {
            Some(Value::String(s)) => s.clone(),
            _ => source
                .path
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or("call")
                .to_string(),
        };
        Ok(Location { group, name })
    }

    fn title(&self, op: &SpecOperation) -> Option<String> {
        match op.extensions.get("x-title") {
            Some(Value::String(t)) => Some(t.clone()),
            _ => op.summary.clone(),
        }
    }

    fn features(&self, op: &SpecOperation, location: &Location) -> (BTreeSet<String>, Vec<Gate>) {
        let mut features = BTreeSet::new();
        if let Some(top) = location.group.first() {
            features.insert(crate::naming::field_name(top));
        }
        let mut gates = Vec::new();
        for (key, feature, label) in [
            ("x-undocumented", UNDOCUMENTED, "Undocumented"),
            ("x-draft", DRAFT, "Draft"),
        ] {
            if let Some(note) = extension_note(op, key) {
                features.insert(feature.to_string());
                gates.push(Gate {
                    feature: feature.into(),
                    label: label.into(),
                    note,
                });
            }
        }
        (features, gates)
    }

    fn flatten_body(&self) -> bool {
        true
    }

    /// API resources (components with `x-route-path`) are never map values: 20 schemas of Seam's spec
    /// have `additionalProperties: {$ref: '#/components/schemas/access_code'}` on free-form records
    /// (connector configs, timeline payloads), a defect of its exporter.
    fn free_form_map_value(&self, component: &openapiv3::Schema) -> bool {
        component
            .schema_data
            .extensions
            .contains_key("x-route-path")
    }

    fn returns(&self, source: &OperationSource<'_>, response: &[Field]) -> Result<Returns, Error> {
        match source.op.extensions.get("x-response-key") {
            Some(Value::String(key)) => {
                let field = response.iter().find(|f| &f.wire == key).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Schema,
                        push_segment(source.pointer, "x-response-key"),
                        format!(
                            "`x-response-key` names `{key}`, but the 200 response has no such property"
                        ),
                    )
                })?;
                Ok(Returns::Key {
                    wire: key.clone(),
                    field: field.name.clone(),
                    ty: field.ty.clone(),
                    optional: field.nullable || !field.required,
                })
            }
            Some(Value::Null) => Ok(Returns::Unit),
            _ => Ok(Returns::Whole),
        }
    }

    fn extras(&self, types: &[TypeDef], op: &mut Operation) {
        let fields_of = |id: Option<TypeId>| -> &[Field] {
            match id.map(|id| &types[id].kind) {
                Some(TypeKind::Struct(fields)) => fields,
                _ => &[],
            }
        };
        let response = fields_of(op.response());
        let is_attempt = |ty: &Ty| match ty {
            Ty::Named(id) => {
                let t = &types[*id];
                t.is_component(ACTION_ATTEMPT)
            }
            _ => false,
        };

        // Action attempts. Waiting polls `action_attempts/get`, so that group's endpoints never wait.
        if op.group.first().map(String::as_str) != Some(ACTION_ATTEMPTS_GROUP) {
            let returned = matches!(&op.returns, Returns::Key { wire, ty, optional: false, .. }
                if wire == ACTION_ATTEMPT && is_attempt(ty));
            let key_is_attempt =
                matches!(&op.returns, Returns::Key { wire, .. } if wire == ACTION_ATTEMPT);
            let beside = response
                .iter()
                .find(|f| {
                    f.wire == ACTION_ATTEMPT && f.required && !f.nullable && is_attempt(&f.ty)
                })
                .filter(|_| !key_is_attempt)
                .map(|f| JobBeside {
                    field: f.name.clone(),
                    ty: f.ty.clone(),
                    doc: "and also returns the action attempt the call started, finished unless \
                          waiting is turned off."
                        .into(),
                });
            if returned || beside.is_some() {
                op.job = Some(Job {
                    returned,
                    beside,
                    doc: "Returns the action attempt once it has finished, unless waiting is turned off \
                          (see `CallOptions`): a failed attempt is an error that carries it."
                        .into(),
                });
            }
        }

        // Pagination: a `page_cursor` parameter and a `pagination` object beside a returned list.
        let cursor = fields_of(op.params_type)
            .iter()
            .find(|f| f.wire == "page_cursor");
        let page = response.iter().find(|f| f.wire == "pagination");
        if let (
            Some(cursor),
            Some(page),
            Returns::Key {
                field,
                ty: Ty::List(item),
                optional: false,
                ..
            },
        ) = (cursor, page, &op.returns)
        {
            op.pagination = Some(Pagination {
                cursor_field: cursor.name.clone(),
                cursor_double_option: cursor.nullable && !cursor.required,
                items_field: field.clone(),
                item: (**item).clone(),
                items_optional: false,
                next: NextCursor::PageInfo {
                    field: page.name.clone(),
                    required: page.required && !page.nullable,
                },
            });
        }
    }

    fn clash_policy(&self) -> ClashPolicy {
        ClashPolicy::Error(
            "expected unique `x-fern-sdk-group-name` / `x-fern-sdk-method-name` pairs",
        )
    }

    fn crate_files(
        &self,
        plan: &crate::plan::Plan<'_>,
        generated: BTreeMap<String, String>,
        _warnings: &mut Vec<Warning>,
    ) -> Result<BTreeMap<String, String>, Error> {
        let ir = plan.ir;
        let mut generated = generated;
        generated.insert("contract.rs".into(), contract(ir)?);
        if let Some(mod_rs) = generated.get_mut("mod.rs") {
            mod_rs.push_str(
                "/// What the hand-written runtime takes from the generated code (see `contract.rs`).\n\
                 pub(crate) mod contract;\n",
            );
        }
        let mut files = super::generated_files(generated);
        let parts = ir.split_groups.then_some(&plan.parts[..]);
        let version = split::version(CARGO_TEMPLATE)?;
        files.insert(
            "Cargo.toml".into(),
            CARGO_TEMPLATE
                .replace(
                    "{{layout-dependencies}}",
                    &split::layout_dependencies(parts, version),
                )
                .replace("{{time-features}}", &split::time_features(parts))
                .replace("{{features}}", &cargo_features(ir, parts)),
        );
        // `src/runtime/shared/`: the generic runtime's files and the time crates' conversions, or
        // (split) those the core does not hold, beside the core's re-exported.
        let (here, core): (Vec<_>, Vec<_>) = SHARED_RUNTIME_FILES
            .iter()
            .chain([&TIME_CRATES_FILE])
            .partition(|(name, _)| parts.is_none() || !CORE_RUNTIME_FILES.contains(name));
        let here: Vec<(&str, &str)> = here.into_iter().copied().collect();
        let mut shared_mod = String::from(
            "// @generated by cargo xtask codegen. Do not edit.\n\
             //! The generic runtime's parts (`codegen/runtime/`) the Seam runtime is layered on",
        );
        if parts.is_some() {
            shared_mod.push_str(&format!(
                " (`de`\n//! and `timestamp` are the core crate's, with the time crates' conversions of\n\
                 //! `Timestamp`).\n\
                 pub use {}::runtime::{{de, timestamp}};\n",
                split::lib_name(crate::plan::parts::CORE)
            ));
        } else {
            shared_mod.push_str(", and\n//! the time crates' conversions of `Timestamp`.\n");
        }
        super::copy_runtime(&mut files, "src/runtime/shared", &here);
        for (name, _) in &here {
            let module = name.trim_end_matches(".rs");
            if *name == TIME_CRATES_FILE.0 {
                shared_mod.push_str(&format!(
                    "#[cfg(any(feature = \"chrono\", feature = \"time\", feature = \"jiff\"))]\nmod {module};\n"
                ));
            } else {
                shared_mod.push_str(&format!("pub mod {module};\n"));
            }
        }
        files.insert("src/runtime/shared/mod.rs".into(), shared_mod);
        if parts.is_some() {
            let core: Vec<(&str, &str)> = core.into_iter().copied().collect();
            split::split(plan, &mut files, &core, version)?;
        }
        Ok(files)
    }

    fn managed_dirs(&self) -> &'static [&'static str] {
        &["src/generated", "src/runtime/shared", split::PARTS_DIR]
    }
}

/// `src/generated/contract.rs`: the names the hand-written runtime (`seam-generated/src/runtime/`)
/// uses for what a spec may or may not declare, so that the runtime compiles against every version
/// of the spec rather than naming generated items a later (or earlier) spec takes away:
///
/// - `Pagination`, a page's cursor info: the spec's `pagination` schema, else a struct of the two
///   fields the runtime reads (`has_next_page`, `next_page_cursor`), and no endpoint is paginated;
/// - `EventType`, what [`crate`]'s webhook `event_type()` returns: the enum of the `event` union's
///   `event_type` values when the spec gives one (the union's accessor returns it), else `String`;
///   `event_type(&Event)` reads it from an event of either shape; `Event`, the `event` schema,
///   which a spec with an `events` group must have (an error here otherwise);
/// - `ActionAttempt`, `ActionAttemptStatus` and `ActionAttempts` (the group's handle), which the
///   wait for an action attempt polls (feature `action_attempts`): the `action_attempt` union, the
///   enum of its `status` values and the `action_attempts` group. A spec whose `action_attempts`
///   group has no such union (with `action_attempt_id` and a `status` of `pending`, `success` and
///   `error` in every variant) is an error here, with the schema's pointer, not a compile error in
///   the runtime.
fn contract(ir: &Ir) -> Result<String, Error> {
    use crate::render::cfg_attr;
    use quote::{format_ident, quote};
    let component = |name: &str| {
        TypeId::all(ir.types.len()).find(|&id| {
            let t = &ir.types[id];
            t.is_component_schema() && t.component.as_deref() == Some(name)
        })
    };
    let reexport = |id: TypeId, as_name: &str| {
        let t = &ir.types[id];
        let name = format_ident!("{}", t.name);
        let rename = (t.name != as_name).then(|| {
            let as_name = format_ident!("{as_name}");
            quote! { as #as_name }
        });
        (
            cfg_attr(&t.features),
            quote! { crate::models::#name #rename },
        )
    };
    let pagination = match component(PAGINATION) {
        Some(id) => {
            let (cfg, path) = reexport(id, "Pagination");
            quote! {
                /// Seam's pagination info: the spec's `pagination` schema.
                #cfg
                pub use #path;
            }
        }
        None => quote! {
            /// Seam's pagination info. This version of the spec declares none (no endpoint is
            /// paginated): the two fields a paginator reads.
            #[derive(Debug, Clone, PartialEq, Default, ::serde::Deserialize, ::serde::Serialize)]
            #[non_exhaustive]
            pub struct Pagination {
                /// Whether another page follows.
                #[serde(default)]
                pub has_next_page: bool,
                /// The cursor of the next page.
                #[serde(default)]
                pub next_page_cursor: ::std::option::Option<::std::string::String>,
            }
        },
    };
    let event = component(EVENT).map(|id| (id, &ir.types[id]));
    let accessor_enum = event.and_then(|(id, t)| match &t.kind {
        TypeKind::Tagged { variants, .. } => {
            let has = ir
                .accessor_fields(variants)
                .iter()
                .any(|f| f.wire == EVENT_TYPE && f.name == EVENT_TYPE);
            let values = ir.accessor_enums.get(&(id, EVENT_TYPE.to_string()))?;
            has.then_some(*values)
        }
        _ => None,
    });
    // The webhook module (feature `events`, the group's) reads events: a spec with the group and no
    // `event` schema would leave it without its type.
    if ir.groups.contains(EVENTS_GROUP) && event.is_none() {
        return Err(Error::new(
            ErrorKind::Schema,
            format!("#/components/schemas/{EVENT}"),
            format!(
                "the `{EVENTS_GROUP}` endpoints need an `{EVENT}` schema, which webhooks decode: \
                 the spec has none"
            ),
        ));
    }
    let event_reexport = match event {
        Some((id, _)) if ir.groups.contains(EVENTS_GROUP) => {
            let (_, path) = reexport(id, "Event");
            quote! {
                /// An event: the spec's `event` schema.
                #[cfg(feature = "events")]
                pub use #path;
            }
        }
        _ => TokenStream::new(),
    };
    let attempts = action_attempt_contract(ir, component(ACTION_ATTEMPT), reexport)?;
    let events = match (event, accessor_enum) {
        (None, _) => TokenStream::new(),
        (Some((id, t)), Some(values)) => {
            let (cfg, path) = reexport(values, "EventType");
            let event_cfg = cfg_attr(&t.features);
            let (_, event) = reexport(id, &t.name);
            quote! {
                /// An event's type: the spec's enum of the `event_type` values.
                #cfg
                pub use #path;
                /// The event's `event_type`.
                #event_cfg
                #[allow(dead_code, reason = "used by the webhook module (feature `events`)")]
                pub(crate) fn event_type(event: &#event) -> ::std::option::Option<EventType> {
                    event.event_type()
                }
            }
        }
        (Some((_, t)), None) => {
            let name = format_ident!("{}", t.name);
            let cfg = cfg_attr(&t.features);
            quote! {
                /// An event's type: this version of the spec gives no enum of them, so the text.
                pub use ::std::string::String as EventType;
                /// The event's `event_type`, read from the event as it encodes (whatever its shape).
                #cfg
                #[allow(dead_code, reason = "used by the webhook module (feature `events`)")]
                pub(crate) fn event_type(event: &crate::models::#name) -> ::std::option::Option<EventType> {
                    let value = ::serde_json::to_value(event).ok()?;
                    value.get(#EVENT_TYPE)?.as_str().map(::std::string::String::from)
                }
            }
        }
    };
    crate::render::render(
        quote! {
            //! What the hand-written runtime takes from the generated code: every generated name
            //! it uses is here, the spec's own type or, where a spec version may lack it, a
            //! stand-in; what the runtime cannot do without was checked by the generator.
            #pagination
            #event_reexport
            #events
            #attempts
        },
        "contract.rs",
    )
}

/// The contract's action-attempt names (see [`contract`]): nothing when the spec has no
/// `action_attempts` group (no feature compiles the wait), an error when the group's attempts are
/// not the union the wait reads.
fn action_attempt_contract(
    ir: &Ir,
    attempt: Option<TypeId>,
    reexport: impl Fn(TypeId, &str) -> (TokenStream, TokenStream),
) -> Result<TokenStream, Error> {
    use quote::{format_ident, quote};
    if !ir.groups.contains(ACTION_ATTEMPTS_GROUP) {
        return Ok(TokenStream::new());
    }
    let pointer = format!("#/components/schemas/{ACTION_ATTEMPT}");
    let expected = |what: &str| {
        Error::new(
            ErrorKind::Schema,
            &pointer,
            format!(
                "the `{ACTION_ATTEMPTS_GROUP}` endpoints need an `{ACTION_ATTEMPT}` schema that \
                 waiting for an attempt can read: {what}"
            ),
        )
    };
    let Some(id) = attempt.map(|id| ir.resolve(id)) else {
        return Err(expected("the spec has none"));
    };
    let TypeKind::Tagged { variants, .. } = &ir.types[id].kind else {
        return Err(expected("a `oneOf` whose variants carry tags"));
    };
    let fields = ir.accessor_fields(variants);
    let has_id = fields.iter().any(|f| {
        f.wire == "action_attempt_id" && f.name == "action_attempt_id" && f.ty == Ty::String
    });
    if !has_id {
        return Err(expected("an `action_attempt_id` string in every variant"));
    }
    let Some(&status) = ir.accessor_enums.get(&(id, "status".to_string())) else {
        return Err(expected("a `status` every variant fixes to one value"));
    };
    let TypeKind::StringEnum(values) = &ir.types[ir.resolve(status)].kind else {
        return Err(expected("a `status` every variant fixes to one value"));
    };
    for (wire, name) in [
        ("pending", "Pending"),
        ("success", "Success"),
        ("error", "Error"),
    ] {
        if !values.iter().any(|v| v.wire == wire && v.name == name) {
            return Err(expected(&format!("a variant of `status` `{wire}`")));
        }
    }
    let (_, attempt) = reexport(id, "ActionAttempt");
    let (_, status) = reexport(ir.resolve(status), "ActionAttemptStatus");
    let module = format_ident!("{}", crate::naming::field_name(ACTION_ATTEMPTS_GROUP));
    let handle = format_ident!(
        "{}",
        crate::plan::handle_name(&[ACTION_ATTEMPTS_GROUP.to_string()])
    );
    Ok(quote! {
        /// An action attempt: the spec's `action_attempt` union.
        #[cfg(feature = "action_attempts")]
        pub use #attempt;
        /// An action attempt's status: the enum of the `status` values its variants fix
        /// (`pending`, `success`, `error` among them).
        #[cfg(feature = "action_attempts")]
        pub use #status;
        /// The `action_attempts` group's handle: the wait for an attempt extends it.
        #[cfg(feature = "action_attempts")]
        pub use crate::api::#module::#handle;
    })
}

/// The component schema of a page's cursor info.
const PAGINATION: &str = "pagination";
/// The component schema of an event (webhooks deliver them).
const EVENT: &str = "event";
/// The group of the events endpoints, whose feature compiles the webhook module.
const EVENTS_GROUP: &str = "events";
/// The property naming an event's type.
const EVENT_TYPE: &str = "event_type";

/// The `[features]` table entries of the crate: one per top-level group, plus `undocumented` and
/// `draft`; documented groups are on by default; a group with endpoints that wait for action attempts
/// enables `action_attempts` (waiting polls `action_attempts/get`).
pub fn cargo_features(ir: &Ir, parts: Option<&[crate::plan::parts::Part]>) -> String {
    let mut out = String::new();
    let line = |feature: &str, mut enables: Vec<String>| {
        enables.extend(split::forward(parts, feature));
        format!("{feature} = [{}]\n", enables.join(", "))
    };
    out.push_str(&line(crate::plan::types::TEST_UTIL_FEATURE, Vec::new()));
    let groups: Vec<&String> = ir.groups.iter().collect();
    let top = |op: &Operation| crate::naming::field_name(op.group.first().map_or("", |g| g));
    let documented: BTreeSet<String> = ir
        .operations
        .iter()
        .filter(|op| op.gates.is_empty())
        .map(top)
        .collect();
    let default: Vec<String> = groups
        .iter()
        .filter(|g| documented.contains(g.as_str()))
        .map(|g| format!("\"{g}\""))
        .collect();
    out.push_str(&format!("default = [{}]\n", default.join(", ")));
    let mut full: Vec<String> = groups.iter().map(|g| format!("\"{g}\"")).collect();
    full.extend([format!("\"{UNDOCUMENTED}\""), format!("\"{DRAFT}\"")]);
    out.push_str(&format!("full = [{}]\n", full.join(", ")));
    let needs_attempts: BTreeSet<String> = ir
        .operations
        .iter()
        .filter(|op| op.job.is_some())
        .map(top)
        .collect();
    for g in groups {
        let implied = (needs_attempts.contains(g.as_str())
            && g != ACTION_ATTEMPTS_GROUP
            && ir.groups.contains(ACTION_ATTEMPTS_GROUP))
        .then(|| format!("\"{ACTION_ATTEMPTS_GROUP}\""));
        out.push_str(&line(g, implied.into_iter().collect()));
    }
    out.push_str(&line(UNDOCUMENTED, Vec::new()));
    out.push_str(&line(DRAFT, Vec::new()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, BodyPlacement, Param, ParamStyle};
    use crate::plan::tests::{test_component, test_operation};

    #[test]
    fn the_runtime_contract_stands_in_for_what_a_spec_lacks() {
        // No `pagination` schema and no `event`: a stand-in paging struct, no event names (the
        // webhook module needs the `events` feature, which such a spec has not either).
        let text = contract(&Ir::default()).expect("renders");
        assert!(text.contains("pub struct Pagination {"), "{text}");
        assert!(text.contains("pub has_next_page: bool"), "{text}");
        assert!(!text.contains("EventType"), "{text}");
        // An `event` struct (an old spec: no union, so no enum of event types): the text.
        let mut ir = Ir::default();
        ir.types.push(test_component(EVENT, "Event"));
        let text = contract(&ir).expect("renders");
        assert!(
            text.contains("pub use ::std::string::String as EventType;"),
            "{text}"
        );
        assert!(text.contains("event: &crate::models::Event"), "{text}");
        assert!(text.contains("value.get(\"event_type\")"), "{text}");
    }

    #[test]
    fn webhooks_need_the_event_schema() {
        let mut ir = Ir::default();
        ir.groups.insert(EVENTS_GROUP.into());
        let err = contract(&ir).expect_err("an events group without an event schema");
        assert_eq!(err.pointer, "#/components/schemas/event");
        assert!(err.message.contains("the spec has none"), "{}", err.message);
    }

    #[test]
    fn the_wait_for_action_attempts_needs_the_union_it_reads() {
        // No `action_attempts` group: no feature compiles the wait, nothing is needed.
        let text = contract(&Ir::default()).expect("renders");
        assert!(!text.contains("ActionAttempt"), "{text}");
        // The group without an `action_attempt` schema: an error at the schema's place, not a
        // runtime that fails to compile.
        let mut ir = Ir::default();
        ir.groups.insert(ACTION_ATTEMPTS_GROUP.into());
        let err = contract(&ir).expect_err("no action_attempt schema");
        assert_eq!(err.pointer, "#/components/schemas/action_attempt");
        assert!(err.message.contains("the spec has none"), "{}", err.message);
        // A struct, not a union whose variants carry tags.
        ir.types
            .push(test_component(ACTION_ATTEMPT, "ActionAttempt"));
        let err = contract(&ir).expect_err("a struct");
        assert!(
            err.message.contains("whose variants carry tags"),
            "{}",
            err.message
        );
    }

    fn param(location: ParamLocation, ty: Ty) -> Param {
        Param {
            wire: "p".into(),
            field: "p".into(),
            location,
            style: ParamStyle::Form,
            explode: true,
            json: false,
            required: false,
            ty,
            pointer: "#/paths/~1x/post/parameters/0".into(),
            schema_pointer: "#/paths/~1x/post/parameters/0/schema".into(),
        }
    }

    #[test]
    fn the_runtime_sends_scalar_query_parameters_beside_a_json_body() {
        let mut op = test_operation();
        op.params = vec![param(ParamLocation::Query, Ty::Integer)];
        op.body = Some(Body {
            media: BodyMedia::Json,
            content_type: "application/json".into(),
            ty: Ty::Json,
            placement: BodyPlacement::Flattened,
            pointer: "#/paths/~1x/post/requestBody/content/application~1json".into(),
        });
        assert!(Seam.check_operation(&op).is_ok());

        op.params = vec![param(ParamLocation::Header, Ty::String)];
        let err = Seam.check_operation(&op).expect_err("a header");
        assert_eq!(err.pointer, "#/paths/~1x/post/parameters/0");
        assert!(err.to_string().contains("`in: query`"), "{err}");

        op.params = vec![param(ParamLocation::Query, Ty::List(Box::new(Ty::String)))];
        let err = Seam.check_operation(&op).expect_err("a list");
        assert_eq!(err.pointer, "#/paths/~1x/post/parameters/0/schema");

        op.params.clear();
        if let Some(body) = op.body.as_mut() {
            body.media = BodyMedia::Multipart;
        }
        let err = Seam.check_operation(&op).expect_err("multipart");
        assert!(err.pointer.ends_with("/content/application~1json"), "{err}");
    }

    #[test]
    fn both_profiles_crates_declare_the_test_util_feature_off_by_default() {
        use crate::plan::types::TEST_UTIL_FEATURE;
        let seam = CARGO_TEMPLATE.replace("{{features}}", &cargo_features(&Ir::default(), None));
        for template in [seam.as_str(), super::super::generic::CARGO_TEMPLATE] {
            let features = template
                .split_once("\n[features]\n")
                .map(|(_, table)| table)
                .expect("a [features] table");
            assert!(
                features
                    .lines()
                    .any(|l| l == format!("{TEST_UTIL_FEATURE} = []")),
                "{template}"
            );
            // Not enabled by default: `default` is the spec's groups (no `test-util`).
            assert!(
                !features.contains(&format!("\"{TEST_UTIL_FEATURE}\"")),
                "{template}"
            );
        }
    }

    #[test]
    fn split_by_group_every_feature_reaches_every_part_and_a_group_enables_its_crate() {
        use crate::plan::parts::{Part, PartKind};
        let part = |name: &str, kind| Part {
            name: name.into(),
            kind,
            files: vec![name.into()],
            uses: BTreeSet::new(),
        };
        let parts = [
            part(crate::plan::parts::CORE, PartKind::Core),
            part("event", PartKind::File),
            part("locks", PartKind::Group),
        ];
        let ir = Ir {
            groups: ["devices", "locks"].map(String::from).into(),
            ..Ir::default()
        };
        let features = cargo_features(&ir, Some(&parts));
        let line = |name: &str| {
            features
                .lines()
                .find(|l| l.starts_with(&format!("{name} = ")))
                .unwrap_or_else(|| panic!("no {name}:\n{features}"))
                .to_string()
        };
        assert_eq!(
            line("locks"),
            "locks = [\"dep:seam-connect-locks\", \"seam-connect-core/locks\", \
             \"seam-connect-event/locks\", \"seam-connect-locks?/locks\"]"
        );
        // A group without a crate of its own: only forwarded.
        assert_eq!(
            line("devices"),
            "devices = [\"seam-connect-core/devices\", \"seam-connect-event/devices\", \
             \"seam-connect-locks?/devices\"]"
        );
        assert!(line("test-util").contains("\"seam-connect-locks?/test-util\""));
        assert_eq!(
            split::time_features(Some(&parts)),
            "chrono = [\"seam-connect-core/chrono\"]\ntime = [\"seam-connect-core/time\"]\n\
             jiff = [\"seam-connect-core/jiff\"]"
        );
    }

    #[test]
    fn split_by_group_a_group_named_like_the_core_is_refused() {
        let ir = Ir {
            groups: ["core"].map(String::from).into(),
            split_groups: true,
            ..Ir::default()
        };
        let plan = crate::plan::build(&ir).expect("plans");
        let err = Seam
            .crate_files(&plan, BTreeMap::new(), &mut Vec::new())
            .expect_err("refused");
        assert_eq!(err.pointer, "#/paths");
        assert!(err.to_string().contains("group named `core`"), "{err}");
    }

    fn class_of(path: &str) -> RetryClass {
        let mut op = test_operation();
        op.path = path.into();
        RetryClass::of(&op)
    }

    #[test]
    fn retries_follow_what_the_call_does_not_the_other_methods_of_its_path() {
        use RetryClass::*;
        for (path, class) in [
            ("/client_sessions/create", Other),
            ("/access_codes/create_multiple", Other),
            ("/acs/access_groups/add_user", Other),
            ("/user_identities/generate_instant_key", Other),
            ("/customers/push_data", Other),
            ("/connected_accounts/sync", Other),
            ("/client_sessions/get_or_create", GetOrCreate),
            ("/devices/get", Read),
            ("/devices/list", Read),
            ("/access_codes/get_timeline", Read),
            ("/user_identities/list_acs_users", Read),
            ("/workspaces/find_anything", Read),
            ("/seam/customer/v1/customers/me", Read),
            ("/access_codes/delete", Delete),
            ("/acs/access_groups/remove_user", Delete),
            ("/client_sessions/revoke", Delete),
            ("/acs/credentials/unassign", Delete),
            ("/access_codes/update", Update),
            ("/thermostats/set_temperature_threshold", Update),
            ("/devices/simulate/remove", Simulation),
            (
                "/access_codes/simulate/create_unmanaged_access_code",
                Simulation,
            ),
        ] {
            assert_eq!(class_of(path), class, "{path}");
        }
        // What the spec also serves the path by does not matter: `client_sessions/create` is served by
        // PUT too, `client_sessions/get_or_create` by POST only.
        let mut op = test_operation();
        op.path = "/client_sessions/create".into();
        assert!(!Seam.idempotent(&op, &[HttpMethod::Post, HttpMethod::Put]));
        op.path = "/client_sessions/get_or_create".into();
        assert!(Seam.idempotent(&op, &[HttpMethod::Post]));
        // A call that starts an action attempt is a device command, whatever its name.
        op.path = "/thermostats/set_fan_mode".into();
        assert!(Seam.idempotent(&op, &[HttpMethod::Post]));
        op.job = Some(Job {
            returned: true,
            beside: None,
            doc: String::new(),
        });
        assert_eq!(RetryClass::of(&op), DeviceCommand);
        assert!(!Seam.idempotent(&op, &[HttpMethod::Post]));
        let retried: Vec<RetryClass> = [
            DeviceCommand,
            Simulation,
            GetOrCreate,
            Read,
            Delete,
            Update,
            Other,
        ]
        .into_iter()
        .filter(|c| c.idempotent())
        .collect();
        assert_eq!(retried, [GetOrCreate, Read, Delete, Update]);
    }
}
