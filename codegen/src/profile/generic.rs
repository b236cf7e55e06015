//! The generic profile: any OpenAPI 3.0 or 3.1 spec, written as a standalone crate.
//!
//! - Every method of every path is a function on the client (`client.list_pets()`), named from
//!   its `operationId` (else the method and the path's words); two functions with one name are
//!   numbered, with a warning.
//! - A function takes the required parameters (path, query, header, cookie) as arguments, a required
//!   object body's required properties too, and returns a `Request` whose setters set the optional
//!   ones; awaiting it returns the success body. `<name>_with(params)` takes the params struct
//!   (the parameters, and the body in a `body` field) whole.
//! - Idempotency from the HTTP method (RFC 9110): `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS` and `TRACE`
//!   calls are retried on transient failures, `POST` and `PATCH` calls are not.
//! - The crate: its own `Cargo.toml` (no workspace inheritance), a generated `lib.rs` with the base URL
//!   from `servers` and the security schemes, the generic runtime (`codegen/runtime/`, copied), and
//!   the generated models and functions. [`mount_runtime`] turns such a crate into one that mounts
//!   the runtime from elsewhere instead (the generic snapshot crates mount `codegen/runtime/`).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use openapiv3::Operation as SpecOperation;
use quote::quote;

use super::{ClashPolicy, Location, OperationSource, Profile};
use crate::error::{Error, Warning};
use crate::ir::{
    Binding, Field, Gate, HttpMethod, Ir, NextCursor, Operation, Pagination, ParamLocation,
    ResponseBody, Returns, SchemeKind, Ty, TypeDef, TypeKind,
};

/// The template of a standalone crate's `Cargo.toml`: `{{name}}`, `{{description}}` are replaced.
pub const CARGO_TEMPLATE: &str = include_str!("../../templates/standalone.Cargo.toml");

/// The generic runtime's files (`codegen/runtime/`), copied into every standalone crate's
/// `src/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("auth.rs", include_str!("../../runtime/auth.rs")),
    ("call.rs", include_str!("../../runtime/call.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("de.rs", include_str!("../../runtime/de.rs")),
    ("encode.rs", include_str!("../../runtime/encode.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("pages.rs", include_str!("../../runtime/pages.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("timestamp.rs", include_str!("../../runtime/timestamp.rs")),
    ("transport.rs", include_str!("../../runtime/transport.rs")),
];

/// The line of a standalone crate's `src/lib.rs` that mounts the copied runtime (`src/runtime/`).
const RUNTIME_MOD: &str = "\npub mod runtime;\n";

/// Mounts the runtime from `path` instead of copying it, in the files of a standalone crate: the
/// copied `src/runtime/` files are dropped and `src/lib.rs` mounts the `runtime` module from `path`
/// (`#[path]`, relative to `src/`, naming a runtime's `mod.rs`). For crates that live beside the
/// generator and should not carry a copy of `codegen/runtime/` (the generic snapshot crates): the
/// crate is then the standalone one with its runtime files in another place, nothing else changed.
pub fn mount_runtime(files: &mut BTreeMap<String, String>, path: &str) -> Result<(), String> {
    let lib = files
        .get_mut("src/lib.rs")
        .ok_or("the crate has no src/lib.rs")?;
    if lib.matches(RUNTIME_MOD).count() != 1 {
        return Err(format!(
            "src/lib.rs should have one `{}` line",
            RUNTIME_MOD.trim()
        ));
    }
    *lib = lib.replacen(
        RUNTIME_MOD,
        &format!("\n#[path = {path:?}]{RUNTIME_MOD}"),
        1,
    );
    files.retain(|name, _| !name.starts_with("src/runtime/"));
    Ok(())
}

/// The generic profile.
pub struct Generic;

impl Profile for Generic {
    fn configure(&self, ir: &mut Ir) {
        ir.binding = Binding::Request;
        ir.client = "Client".into();
        ir.runtime_types = Vec::new();
    }

    fn functions_of_path(&self, present: &[HttpMethod]) -> Vec<HttpMethod> {
        present.to_vec()
    }

    fn idempotent(&self, op: &Operation, _present: &[HttpMethod]) -> bool {
        op.method.is_idempotent()
    }

    fn locate(&self, source: &OperationSource<'_>) -> Result<Location, Error> {
        let name = match source.op.operation_id.as_deref().map(str::trim) {
            Some(id) if id.chars().any(|c| c.is_ascii_alphanumeric()) => id.to_string(),
            _ => {
                let words: Vec<&str> = source
                    .path
                    .split(['/', '{', '}', '.', '-'])
                    .filter(|s| !s.is_empty())
                    .collect();
                format!("{}_{}", source.method.key(), words.join("_"))
            }
        };
        Ok(Location {
            group: Vec::new(),
            name,
        })
    }

    fn title(&self, op: &SpecOperation) -> Option<String> {
        op.summary.clone()
    }

    fn features(&self, _op: &SpecOperation, _location: &Location) -> (BTreeSet<String>, Vec<Gate>) {
        (BTreeSet::new(), Vec::new())
    }

    /// Eight fields of at most 24 bytes stay under clippy's `large_enum_variant` threshold (200
    /// bytes) beside a small variant; a larger inline alternative is a struct of its own, boxed.
    fn inline_variant_fields(&self) -> Option<usize> {
        Some(8)
    }

    fn flatten_body(&self) -> bool {
        false
    }

    fn returns(
        &self,
        _source: &OperationSource<'_>,
        _response: &[Field],
    ) -> Result<Returns, Error> {
        Ok(Returns::Whole)
    }

    fn extras(&self, types: &[TypeDef], op: &mut Operation) {
        op.pagination = pagination(types, op);
    }

    fn clash_policy(&self) -> ClashPolicy {
        ClashPolicy::Number
    }

    fn crate_files(
        &self,
        plan: &crate::plan::Plan<'_>,
        generated: BTreeMap<String, String>,
        _warnings: &mut Vec<Warning>,
    ) -> Result<BTreeMap<String, String>, Error> {
        let ir = plan.ir;
        let mut files = super::generated_files(generated);
        super::copy_runtime(&mut files, "src/runtime", RUNTIME_FILES);
        files.insert("src/lib.rs".into(), lib_rs(ir)?);
        let description = format!(
            "Client for {} {}, generated from its OpenAPI spec",
            ir.title, ir.version
        );
        files.insert(
            "Cargo.toml".into(),
            CARGO_TEMPLATE
                .replace(
                    "{{name}}",
                    &ir.package.clone().unwrap_or_else(|| crate_name(&ir.title)),
                )
                .replace("{{description}}", &toml_escape(&description)),
        );
        Ok(files)
    }

    fn managed_dirs(&self) -> &'static [&'static str] {
        &["src/generated", "src/runtime"]
    }
}

/// A package name from the API's title (`Swagger Petstore` → `swagger-petstore`).
pub fn crate_name(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_kebab_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("api-{name}"),
        None => "api-client".into(),
    }
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The crate root: docs from `info`, the modules, the base URL and the security schemes.
fn lib_rs(ir: &Ir) -> Result<String, Error> {
    let doc = format!(
        " A client for {} (API version {}), generated from its OpenAPI spec.",
        ir.title, ir.version
    );
    let server = ir.server.clone().unwrap_or_default();
    let schemes = ir.schemes.iter().map(|(name, kind)| {
        let kind = match kind {
            SchemeKind::Bearer => quote! { runtime::SchemeKind::Bearer },
            SchemeKind::Basic => quote! { runtime::SchemeKind::Basic },
            SchemeKind::ApiKey { location, name } => {
                let location = match location {
                    ParamLocation::Query => quote! { runtime::ApiKeyLocation::Query },
                    ParamLocation::Cookie => quote! { runtime::ApiKeyLocation::Cookie },
                    _ => quote! { runtime::ApiKeyLocation::Header },
                };
                quote! { runtime::SchemeKind::ApiKey { location: #location, param: #name } }
            }
        };
        quote! { runtime::SecurityScheme { name: #name, kind: #kind } }
    });
    let tokens = quote! {
        #![doc = #doc]
        //!
        //! Build a [`Client`] (base URL, credentials, timeouts, retries) and call one method per
        //! operation of the spec: it takes the operation's required parameters and returns a
        //! [`Request`], whose setters set the optional ones and per-call settings; `.await` sends
        //! it (`client.list_pets().limit(10).await?`). `<method>_with(params)` takes every
        //! parameter in one value of [`models`] instead.
        //!
        //! For your tests, the cargo feature `test-util` makes every decoded model `Default`
        //! (placeholders in the required fields) and gives the structs only responses hold a
        //! setter per field: build a response, serve it from any HTTP mock and point
        //! [`ClientBuilder::base_url`] at it.

        #[rustfmt::skip] // generated files are formatted by the generator (prettyplease)
        mod generated;
        pub mod runtime;

        pub use generated::{api, models};
        pub use runtime::{ApiError, Client, ClientBuilder, Error, Request, Result};

        /// The API's base URL, from the spec's first `servers` entry (empty when it has none): override
        /// it with [`ClientBuilder::base_url`].
        pub const DEFAULT_BASE_URL: &str = #server;

        /// The spec's security schemes: the client sends the credentials it has for them.
        pub(crate) static SECURITY_SCHEMES: &[runtime::SecurityScheme] = &[#(#schemes),*];
    };
    crate::render::render(tokens, "lib.rs")
}

/// A name's letters and digits, lowercased: `next-page-token`, `nextPageToken` and `next_page_token`
/// are one name.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Response fields that hold the next page's cursor.
const NEXT_FIELDS: &[&str] = &[
    "nextpage",
    "nextpagetoken",
    "nextcursor",
    "nexttoken",
    "nextpagecursor",
    "cursor",
];

/// Query parameters that take a page's cursor.
const CURSOR_PARAMS: &[&str] = &[
    "pagetoken",
    "cursor",
    "pagecursor",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
];

/// Response fields that hold a page's items, when the response has more than one list.
const ITEM_FIELDS: &[&str] = &["items", "data", "results", "entries", "records", "values"];

/// The cursor pagination a list operation's request and response make recognisable:
/// - a string response field named like `next_page` / `next-page-token` / `next_cursor` beside the
///   items, whose value goes into an optional string query parameter named like `page_token` /
///   `pageToken` / `cursor` (Oxide's dropshot, Iceberg's REST catalog, Google's APIs);
/// - a boolean `has_more` beside the items, with a `starting_after` query parameter taking the last
///   item's `id` (Stripe).
///
/// The items are the response's one list field (or, of several, the one named `items`, `data`,
/// `results`, ...). Anything else (offset paging, `Link` headers, a `next` URL) is not recognised:
/// the operation is a plain request.
fn pagination(types: &[TypeDef], op: &Operation) -> Option<Pagination> {
    if !op.success.empty.is_empty() {
        return None;
    }
    let ResponseBody::Json(Ty::Named(response)) = &op.success.body else {
        return None;
    };
    let TypeKind::Struct(fields) = &types.get(response.0)?.kind else {
        return None;
    };
    let lists: Vec<&Field> = fields
        .iter()
        .filter(|f| matches!(f.ty, Ty::List(_)))
        .collect();
    let items = match lists[..] {
        [one] => one,
        _ => lists
            .iter()
            .copied()
            .find(|f| ITEM_FIELDS.contains(&squashed(&f.wire).as_str()))?,
    };
    let Ty::List(item) = &items.ty else {
        return None;
    };
    let cursor_param = |names: &[&str]| {
        op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && p.ty == Ty::String
                && names.contains(&squashed(&p.wire).as_str())
        })
    };
    let optional = |f: &Field| !f.required || f.nullable;
    let next = if let Some(next) = fields
        .iter()
        .find(|f| f.ty == Ty::String && NEXT_FIELDS.contains(&squashed(&f.wire).as_str()))
    {
        let param = cursor_param(CURSOR_PARAMS)?;
        (
            param,
            NextCursor::Field {
                field: next.name.clone(),
                optional: optional(next),
                double_option: !next.required && next.nullable,
            },
        )
    } else {
        let has_more = fields
            .iter()
            .find(|f| f.ty == Ty::Boolean && squashed(&f.wire) == "hasmore")?;
        let Ty::Named(item_type) = &**item else {
            return None;
        };
        let TypeKind::Struct(item_fields) = &types.get(item_type.0)?.kind else {
            return None;
        };
        let id = item_fields
            .iter()
            .find(|f| f.wire == "id" && f.ty == Ty::String && f.required && !f.nullable)?;
        let param = cursor_param(&["startingafter"])?;
        (
            param,
            NextCursor::AfterLastItem {
                has_more_field: has_more.name.clone(),
                has_more_optional: optional(has_more),
                id_field: id.name.clone(),
            },
        )
    };
    let (param, next) = next;
    // The params field of a nullable parameter is an `Option<Option<String>>`.
    let params: &[Field] = match op.params_type.and_then(|p| types.get(p.0)).map(|t| &t.kind) {
        Some(TypeKind::Struct(fields)) => fields,
        _ => &[],
    };
    let cursor_double_option = params
        .iter()
        .any(|f| f.name == param.field && !f.required && f.nullable);
    Some(Pagination {
        cursor_field: param.field.clone(),
        cursor_double_option,
        items_field: items.name.clone(),
        item: (**item).clone(),
        items_optional: optional(items),
        next,
    })
}
