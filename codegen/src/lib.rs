//! An OpenAPI 3.0 / 3.1 → Rust client generator: spec → IR (types and a typed plan per operation) →
//! Rust source. The pipeline is generic; an API's own conventions come from a [`profile`].
//!
//! ```text
//! load (YAML/JSON → overrides → normalize: repairs with warnings, 3.1 into 3.0 → openapiv3)
//!   → lower (IR: types with names, operations as typed plans; the profile decides grouping, names,
//!            returns, pagination, jobs, features)
//!   → passes (dedup, usage/features, recursion, naming)
//!   → plan (every decision about the output's shape: derives, constructors, setters, serde shapes,
//!           files, the runtime binding of each operation)
//!   → emit (renders the plan: quote → prettyplease)
//!   → profile's crate files (Cargo.toml, lib.rs, runtime)
//!   → files (write only changed bytes, atomically)
//! ```

pub mod build;
pub mod docs;
pub mod emit;
pub mod error;
pub mod files;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod passes;
pub mod plan;
pub mod profile;
pub mod render;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{Error, ErrorKind, Warning};
pub use load::Format;
pub use profile::ProfileKind;

/// Counts of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Paths in the spec.
    pub paths: usize,
    /// HTTP operations in the spec.
    pub operations: usize,
    /// Endpoint functions generated.
    pub functions: usize,
    /// Types generated, not counting the per-place aliases of shared types.
    pub types: usize,
    /// Inline types that share a structurally identical type: each is a per-place alias of it.
    pub merged: usize,
    /// Types that identical inline schemas share (new types named after their places; a component
    /// among them is counted in `types` only).
    pub shared: usize,
    /// Fields boxed (recursion, and fields holding a struct or union outside an endpoint's params and
    /// response).
    pub boxed: usize,
    /// Fields typed `serde_json::Value` (or a free-form JSON object) because the spec gives no shape.
    pub json_fields: usize,
}

/// The result of a generation.
#[derive(Debug, Clone)]
pub struct Output {
    /// Files by path relative to the generated crate's root (`Cargo.toml`, `src/generated/...`).
    pub files: BTreeMap<String, String>,
    /// Folders (relative to the crate's root) that hold only generated files: stale files there are
    /// removed when writing.
    pub managed_dirs: &'static [&'static str],
    /// Defects of the spec that were worked around.
    pub warnings: Vec<Warning>,
    /// Override entries that no longer match the spec (generation went on without them).
    pub stale_overrides: Vec<load::StaleOverride>,
    /// What was generated.
    pub stats: Stats,
    /// The types a check can feed data to: every component schema and every operation's response
    /// that the crate decodes, by name (at `models::{name}`) and place in the spec.
    pub decoded: Vec<Decoded>,
    /// Every function, as a check calls it and as the spec describes what it sends.
    pub sent: Vec<Sent>,
    /// Every generated type by its Rust name (a shared type's internal name too) → the JSON pointer
    /// of its schema in the spec as written (a shared type: its first place's). `cargo xtask
    /// semver` traces a break to the schema it comes from.
    pub places: BTreeMap<String, String>,
}

/// A function of the generated crate and the request it sends: what `cargo xtask roundtrip` builds
/// from instances of the operation's parameters and body, and checks with a request validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The JSON pointer of the operation object in the spec as written.
    pub pointer: String,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The path template (`/pets/{id}`).
    pub path: String,
    /// A Rust expression that calls the function on a client `client` (a reference) with a value
    /// `params` of [`Sent::params_type`], giving what is awaited.
    pub call: String,
    /// The params type, at `models::{name}` (none: the function takes no params).
    pub params_type: Option<String>,
    /// The parameters outside the body.
    pub params: Vec<SentParam>,
    /// The body.
    pub body: Option<SentBody>,
}

/// A parameter of a [`Sent`] function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentParam {
    /// Its key in the params type's JSON (what `Deserialize` reads).
    pub key: String,
    /// Its name on the wire.
    pub wire: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    /// The spec requires it.
    pub required: bool,
    /// Declared with `content` (sent as its value's JSON text) rather than a style.
    pub json: bool,
    /// The JSON pointer of its schema in the spec as written.
    pub schema: String,
}

/// The body of a [`Sent`] function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBody {
    /// Its key in the params type's JSON; `None` when the params type is the body object itself
    /// (its properties are the params' keys).
    pub key: Option<String>,
    /// The media type sent.
    pub content_type: String,
    /// How it is encoded: `json`, `form`, `multipart`, `bytes` or `text`.
    pub media: &'static str,
    /// The spec requires a body.
    pub required: bool,
    /// The JSON pointer of its schema in the spec as written.
    pub schema: String,
}

/// A type the generated crate decodes and encodes, with the place of its schema in the spec: what
/// `cargo xtask roundtrip` feeds instances of that schema to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decoded {
    /// The Rust name, at `models::{name}`.
    pub name: String,
    /// The JSON pointer of its schema in the spec as written (before the 3.1 normalization).
    pub pointer: String,
    /// A component schema (else an operation's response, whose parts are often components that
    /// are checked on their own).
    pub component: bool,
}

/// Generation settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Rust path the generated modules are mounted at: `crate` for a crate. The generated code
    /// refers to `{mount}::models`, `{mount}::runtime` and the client type at `{mount}`; snapshot
    /// tests mount several generated trees in one crate at different paths.
    pub mount: String,
    /// The conventions to generate with.
    pub profile: ProfileKind,
    /// Derive `Deserialize` on what requests send too (params structs and the types they hold), so
    /// that a check can build every request from data (`cargo xtask roundtrip`). Off for crates
    /// people use: a request type is only ever encoded there.
    pub decode_requests: bool,
    /// The package name of a standalone crate (generic profile; `None`: made from the API's
    /// title, `Swagger Petstore` → `swagger-petstore`). See [`valid_package_name`].
    pub package: Option<String>,
    /// Write the model files each resource group alone needs into a crate of that group, each
    /// heavy file several groups need into a crate of its own, and the rest, with the runtime
    /// parts the models use, into a core crate; the crate at the root
    /// re-exports them ([`plan::parts`] decides what goes where; a profile that writes a
    /// standalone crate, the generic one, writes one crate). Each crate is compiled by its own
    /// rustc: less peak memory, groups built side by side. Off: one crate, as every check that
    /// builds a generated crate from its own files expects.
    pub split_groups: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mount: "crate".into(),
            profile: ProfileKind::default(),
            decode_requests: false,
            package: None,
            split_groups: false,
        }
    }
}

/// Whether `name` can name a cargo package: ASCII letters, digits, `-` and `_`, starting with a
/// letter, at most 64 characters.
pub fn valid_package_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Generates the crate's files from spec text. Nothing is written.
pub fn generate_str(text: &str, format: Format) -> Result<Output, Error> {
    generate_str_with(text, format, &Options::default())
}

/// Generates the crate's files from spec text with the given options. Nothing is written.
pub fn generate_str_with(text: &str, format: Format, options: &Options) -> Result<Output, Error> {
    let loaded = load::load_str(text, format)?;
    generate_loaded(loaded, options)
}

/// Generates the crate's files from a spec file with the default options. Nothing is written.
pub fn generate_file(path: &Path) -> Result<Output, Error> {
    generate_file_with(path, &Options::default())
}

/// Generates the crate's files from a spec file. Nothing is written.
pub fn generate_file_with(path: &Path, options: &Options) -> Result<Output, Error> {
    let loaded = load::load_file(path)?;
    generate_loaded(loaded, options)
}

/// Generates the crate's files from a loaded spec (see [`load::load_file_with`] to choose the
/// overrides file). Nothing is written.
pub fn generate_loaded(loaded: load::Loaded, options: &Options) -> Result<Output, Error> {
    let profile = options.profile.profile();
    let moves = loaded.moves;
    let mut warnings = loaded.warnings;
    let stale_overrides = loaded.stale_overrides;
    let ir = generate_ir(&loaded.spec, options, &mut warnings).map_err(|mut e| {
        e.pointer = moves.original(&e.pointer);
        e
    })?;
    let plan = plan::build(&ir).map_err(|mut e| {
        e.pointer = moves.original(&e.pointer);
        e
    })?;
    let generated = emit::emit(&plan)?;
    let sent = sent(&plan, &moves);
    let files = profile.crate_files(&plan, generated, &mut warnings)?;
    for w in &mut warnings {
        w.pointer = moves.original(&w.pointer);
    }
    warnings.sort();
    warnings.dedup();
    let stats = stats(&ir);
    let decoded = decoded(&ir, &moves);
    let places = ir
        .live_types()
        .map(|(_, t)| (t.name.clone(), moves.original(&t.pointer)))
        .collect();
    Ok(Output {
        files,
        managed_dirs: profile.managed_dirs(),
        warnings,
        stale_overrides,
        stats,
        decoded,
        sent,
        places,
    })
}

/// [`Output::sent`]: each function, how to call it, and where each part of its params goes.
fn sent(plan: &plan::Plan<'_>, moves: &load::normalize::Moves) -> Vec<Sent> {
    let ir = plan.ir;
    let name_of = |mut id: ir::TypeId| {
        while let Some(next) = ir.types[id].merged_into {
            id = next;
        }
        ir.types[id].name.clone()
    };
    let mut out = Vec::with_capacity(ir.operations.len());
    for (op, op_plan) in ir.operations.iter().zip(&plan.operations) {
        let fields = op.params_type.map_or(&[][..], |p| ir.struct_fields(p));
        let key_of = |name: &str| {
            fields
                .iter()
                .find(|f| f.name == name)
                .map_or_else(|| name.to_string(), |f| f.wire.clone())
        };
        let mut call = String::from("client");
        for segment in &op.group {
            call.push_str(&format!(".{}()", naming::ident_tokens(segment)));
        }
        let function = naming::ident_tokens(&op.name);
        let (shape, with_method) = match &op_plan.call {
            plan::Call::Request(r) => (&r.params, &r.with_method),
            plan::Call::Endpoint(e) => (&e.params, &e.with_method),
        };
        match (shape, op.params_type) {
            (plan::ParamsShape::Struct { .. }, Some(_)) => {
                let with = naming::ident_tokens(with_method);
                call.push_str(&format!(".{with}(params)"));
            }
            (plan::ParamsShape::Whole, Some(_)) => call.push_str(&format!(".{function}(params)")),
            _ => call.push_str(&format!(".{function}()")),
        }
        let params = op
            .params
            .iter()
            .map(|p| SentParam {
                key: key_of(&p.field),
                wire: p.wire.clone(),
                location: match p.location {
                    ir::ParamLocation::Path => "path",
                    ir::ParamLocation::Query => "query",
                    ir::ParamLocation::Header => "header",
                    ir::ParamLocation::Cookie => "cookie",
                },
                required: p.required,
                json: p.json,
                schema: moves.original(&p.schema_pointer),
            })
            .collect();
        let body = op.body.as_ref().map(|b| {
            let (key, required) = match &b.placement {
                ir::BodyPlacement::Flattened => (None, true),
                ir::BodyPlacement::Field { field, required } => (Some(key_of(field)), *required),
            };
            SentBody {
                key,
                content_type: b.content_type.clone(),
                media: match b.media {
                    ir::BodyMedia::Json => "json",
                    ir::BodyMedia::Form => "form",
                    ir::BodyMedia::Multipart => "multipart",
                    ir::BodyMedia::Bytes => "bytes",
                    ir::BodyMedia::Text => "text",
                },
                required,
                schema: moves.original(&format!("{}/schema", b.pointer)),
            }
        });
        out.push(Sent {
            pointer: moves.original(&op.pointer),
            method: op.method.wire(),
            path: op.path.clone(),
            call,
            params_type: op.params_type.map(name_of),
            params,
            body,
        });
    }
    out
}

/// The roots of [`Output::decoded`]: component schemas and operation responses that deserialize.
/// Inline schemas are reached through them.
fn decoded(ir: &ir::Ir, moves: &load::normalize::Moves) -> Vec<Decoded> {
    let mut out: Vec<Decoded> = ir
        .live_types()
        .filter(|(_, t)| t.deserialize && (t.is_component_schema() || t.operation_type))
        // Raw bytes are a body of their own (an image, a file), never JSON.
        .filter(|(_, t)| t.kind != ir::TypeKind::Alias(ir::Ty::Bytes))
        // A params struct that holds parameters beside the body is more than the body's schema
        // (its requests are checked as requests).
        .filter(|(_, t)| {
            !matches!(&t.kind, ir::TypeKind::Struct(fields) if fields.iter().any(|f| f.location.is_some()))
        })
        // A type made for a response the spec gives no schema (an empty struct) has none to feed.
        .filter(|(_, t)| {
            t.pointer
                .split('/')
                .any(|s| s == "schema" || s == "schemas")
        })
        .map(|(_, t)| Decoded {
            name: t.name.clone(),
            pointer: moves.original(&t.pointer),
            component: t.is_component_schema(),
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.pointer == b.pointer);
    out
}

/// Lowering and the passes: the IR of a loaded spec.
fn generate_ir(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<ir::Ir, Error> {
    let profile = options.profile.profile();
    let mut ir = lower::lower(spec, profile, warnings)?;
    ir.mount = options.mount.clone();
    ir.package = options.package.clone();
    ir.split_groups = options.split_groups;
    passes::run(&mut ir, &profile.clash_policy(), options.decode_requests)?;
    warnings.extend(passes::error_warnings(&ir));
    Ok(ir)
}

fn stats(ir: &ir::Ir) -> Stats {
    let mut json_fields = 0;
    let mut boxed = 0;
    let mut count = |fields: &[ir::Field]| {
        json_fields += fields.iter().filter(|f| contains_json(&f.ty)).count();
        boxed += fields.iter().filter(|f| f.boxed).count();
    };
    for (_, t) in ir.live_types() {
        match &t.kind {
            ir::TypeKind::Struct(fields) => count(fields),
            ir::TypeKind::Untagged(vs) => {
                for v in vs {
                    if let ir::Payload::Fields(fields) = &v.payload {
                        count(fields);
                    }
                }
            }
            _ => {}
        }
    }
    Stats {
        paths: ir.path_count,
        operations: ir.operation_count,
        functions: ir.operations.len(),
        types: ir.live_types().filter(|(_, t)| t.shares.is_none()).count(),
        merged: ir.types.iter().filter(|t| t.shares.is_some()).count(),
        shared: ir.types.iter().filter(|t| t.shared).count(),
        boxed,
        json_fields,
    }
}

fn contains_json(ty: &ir::Ty) -> bool {
    match ty {
        ir::Ty::Json | ir::Ty::JsonObject => true,
        ir::Ty::List(inner) | ir::Ty::Map(inner) | ir::Ty::Option(inner) => contains_json(inner),
        ir::Ty::Tuple(members) => members.iter().any(contains_json),
        _ => false,
    }
}
