//! Emitting: the render plan → Rust source files (tokens with `quote`, formatted with
//! `prettyplease`). Every decision is the plan's ([`crate::plan`]); these modules only render it:
//!
//! - [`models`]: the types of `models/`;
//! - [`api`]: the group handles and the client's accessors of `api/`;
//! - [`endpoint`]: the functions of an `Endpoint` binding (marker types and requests);
//! - [`request`]: the functions of the generic runtime's `Request` binding;
//! - [`text`]: doc text the spec does not give (a field's values, an endpoint's call shape).

mod api;
mod endpoint;
mod models;
mod request;
mod text;

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::error::Error;
use crate::ir::{Ir, Meta, Ty, TypeId};
use crate::naming::ident_tokens;
use crate::plan::{ModelFile, Plan, SHARED_MODULE};
use crate::render::{cfg_attr, cfg_attr_and, doc_lines, render, render_file, FileTokens};

/// Generated files, by path relative to the crate's `src/generated/`, in name order.
pub type Files = BTreeMap<String, String>;

/// Renders the plan into files.
pub fn emit(plan: &Plan<'_>) -> Result<Files, Error> {
    let ir = plan.ir;
    let mut files = Files::new();
    // The model files and the group files of `api/`, rendered on every core.
    let mut jobs: Vec<Job<'_>> = plan
        .model_files
        .iter()
        .map(|(file, model)| Job {
            path: format!("models/{file}.rs"),
            weight: model.types.len().max(1),
            render: Box::new(move |path: &str| model_file(plan, file, model, path)),
        })
        .collect();
    jobs.extend(api::group_jobs(plan));
    files.extend(render_all(jobs)?);
    let all: Vec<&str> = plan.model_files.keys().map(String::as_str).collect();
    files.insert(
        "models/mod.rs".into(),
        models_mod(
            plan,
            &all,
            TokenStream::new(),
            TokenStream::new(),
            "models/mod.rs",
        )?,
    );

    api::emit_api_mod(plan, &mut files)?;

    let doc = format!(" Code generated from the {} OpenAPI spec.", ir.title);
    files.insert(
        "mod.rs".into(),
        render(
            quote! {
                #![doc = #doc]
                // The generated code refers to deprecated items itself (serde impls, enum matches); users
                // of those items still get the deprecation warning.
                #![allow(deprecated)]
                pub mod api;
                pub mod models;
            },
            "mod.rs",
        )?,
    );
    Ok(files)
}

/// A `models/mod.rs` declaring the given model files (each under its features; all but the shared
/// types' module re-exported, which has `shared_visibility`), after `prelude` (imports, for a crate
/// of a split output).
pub fn models_mod(
    plan: &Plan<'_>,
    file_names: &[&str],
    prelude: TokenStream,
    shared_visibility: TokenStream,
    path: &str,
) -> Result<String, Error> {
    let mut mod_rs = TokenStream::new();
    for (file, model) in file_names
        .iter()
        .filter_map(|f| plan.model_files.get_key_value(*f))
    {
        let m = ident_tokens(file);
        let cfg = cfg_attr(&model.cfg);
        if model.shared {
            // Private: callers name each shared type by its places' re-exports (see
            // `models::emit_type`), each of which rustdoc gives a page with the type's fields,
            // methods and trait impls. The names in here are the generator's choice and change
            // when the sharing does, so they are not part of the crate's API (the core crate of a
            // split output re-exports them, hidden, for the other parts only).
            mod_rs.extend(quote! {
                /// The types that identical schemas share, named by each place's own re-export.
                #cfg #shared_visibility mod #m;
            });
        } else {
            mod_rs.extend(quote! { #cfg mod #m; #cfg pub use #m::*; });
        }
    }
    let text = render(
        quote! {
            //! Data types: the API's schemas and the parameters and responses of every endpoint.
            #prelude
            #mod_rs
        },
        path,
    )?;
    // The macros go before the modules they are in scope in, written out as text: prettyplease
    // prints a macro's body as a line of tokens.
    let doc =
        "//! Data types: the API's schemas and the parameters and responses of every endpoint.\n";
    let macros = MODEL_MACROS.replace("{de}", &format!("{}::runtime::de", plan.ir.mount));
    Ok(text.replacen(doc, &format!("{doc}{macros}"), 1))
}

/// The macros of `models/mod.rs` (`{de}` is the runtime's `de` module), in scope in every model
/// file: the trait impls that are the same for a thousand types, written once (they were a twelfth
/// of the generated text), and the macros a struct's reader, writer and setters are tables to
/// (expanded, those were more than half of it).
const MODEL_MACROS: &str = r#"/// `Deserialize` for a generated type through one of the runtime's readers: a struct's `Object`
/// (`object`), a string enum's values (`string_enum`), a tagged union's `Tagged` with its number
/// of tags (`tagged 1`).
#[allow(unused_macros, reason = "a crate may have no type of some kind")]
macro_rules! deserialize_by {
    ($reader:ident, $ty:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                {de}::$reader(deserializer)
            }
        }
    };
    (tagged $n:literal, $ty:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                {de}::tagged::<D, Self, $n>(deserializer)
            }
        }
    };
}
/// A string enum's `Display` and `Serialize`: its value on the wire, `as_str()`.
#[allow(unused_macros, reason = "a crate may have no string enum")]
macro_rules! as_str_traits {
    ($ty:ident) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
/// A struct's `Object` (its reader) and `Deserialize`: the struct's name, then its fields as
/// `required`, `default` (an absent key gives the type's default) and `kept` (the local is the
/// field: `None` when absent), each `field: "key";`. Each key is read into a local named as its
/// field; then a missing required key is the error, or the struct is built.
#[allow(unused_macros, reason = "a crate may have no type of some kind")]
macro_rules! read_object {
    ($ty:ident;) => {
        impl {de}::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            fn read<'de, M: ::serde::de::MapAccess<'de>>(mut map: M) -> Result<Self, M::Error> {
                while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                    {de}::skip(&mut map)?;
                }
                Ok(Self {})
            }
        }
        deserialize_by!(object, $ty);
    };
    ($ty:ident; $(default $d:ident: $dk:literal;)* $(kept $k:ident: $kk:literal;)*) => {
        impl {de}::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            fn read<'de, M: ::serde::de::MapAccess<'de>>(mut map: M) -> Result<Self, M::Error> {
                $(let mut $d = None;)*
                $(let mut $k = None;)*
                while let Some(key) = map.next_key::<{de}::Key<'de>>()? {
                    match key.as_str() {
                        $($dk => {de}::field(&mut map, &mut $d, &key),)*
                        $($kk => {de}::field(&mut map, &mut $k, &key),)*
                        _ => {de}::skip(&mut map),
                    }?;
                }
                Ok(Self { $($d: $d.unwrap_or_default(),)* $($k,)* })
            }
        }
        deserialize_by!(object, $ty);
    };
    (
        $ty:ident;
        $(required $r:ident: $rk:literal;)+
        $(default $d:ident: $dk:literal;)*
        $(kept $k:ident: $kk:literal;)*
    ) => {
        impl {de}::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            fn read<'de, M: ::serde::de::MapAccess<'de>>(mut map: M) -> Result<Self, M::Error> {
                $(let mut $r = None;)+
                $(let mut $d = None;)*
                $(let mut $k = None;)*
                while let Some(key) = map.next_key::<{de}::Key<'de>>()? {
                    match key.as_str() {
                        $($rk => {de}::field(&mut map, &mut $r, &key),)+
                        $($dk => {de}::field(&mut map, &mut $d, &key),)*
                        $($kk => {de}::field(&mut map, &mut $k, &key),)*
                        _ => {de}::skip(&mut map),
                    }?;
                }
                // The required fields are taken out of their locals by one match, with no early
                // return per field (each would drop every other local again).
                match ($($r,)+) {
                    ($(Some($r),)+) => Ok(Self { $($r,)+ $($d: $d.unwrap_or_default(),)* $($k,)* }),
                    ($($r,)+) => Err({de}::missing(&[$(($rk, $r.is_none())),+])),
                }
            }
        }
        deserialize_by!(object, $ty);
    };
}
/// A struct's setters, in its `impl` block: each `fn method(value: T) { field = value }`, after
/// its docs and attributes, is a `#[must_use]` method that sets the field and returns `self`.
#[allow(unused_macros, reason = "a crate may have no type of some kind")]
macro_rules! setters {
    ($($(#[$attr:meta])* fn $method:ident($($param:tt)*) { $field:ident = $value:expr })*) => {
        $(
            $(#[$attr])*
            #[must_use]
            pub fn $method(mut self, $($param)*) -> Self {
                self.$field = $value;
                self
            }
        )*
    };
}
/// A struct's `Serialize` (its writer): the struct's name, then a call of the runtime's
/// `StructWriter` per field written, `put field: "key";` or, for an optional field written only
/// when set, `put_some field: "key";`.
#[allow(unused_macros, reason = "a crate may have no type of some kind")]
macro_rules! write_object {
    ($ty:ident;) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                {de}::StructWriter::new(serializer, stringify!($ty), 0)?.end()
            }
        }
    };
    ($ty:ident; $($how:ident $field:ident: $key:literal;)+) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let len = [$({de}::count::$how(&self.$field)),+].iter().sum();
                let mut writer = {de}::StructWriter::new(serializer, stringify!($ty), len)?;
                $(writer.$how($key, &self.$field);)+
                writer.end()
            }
        }
    };
}
"#;

/// A file to render: its path, how much work it is (types or functions) relative to the others,
/// and how its text is made (given its path).
struct Job<'p> {
    path: String,
    weight: usize,
    render: RenderFile<'p>,
}

/// How a [`Job`]'s text is made from its path.
type RenderFile<'p> = Box<dyn Fn(&str) -> Result<String, Error> + Send + Sync + 'p>;

/// A file of `models/` (but `mod.rs`): each type's tokens, then the file's text.
fn model_file(plan: &Plan<'_>, file: &str, model: &ModelFile, path: &str) -> Result<String, Error> {
    let doc = format!(" Types of `{file}`.");
    let mut items = FileTokens::default();
    items.extend(quote! { #![doc = #doc] });
    for &id in &model.types {
        models::emit_type(plan, id, &mut items);
    }
    render_file(items, path)
}

/// Renders independent files on up to as many threads as the machine has cores: rendering them is
/// most of a generation. Each thread takes the next file, heaviest first, until none is left; the
/// output does not depend on how they were shared out, and the error reported is the first file's
/// in path order, whatever the number of threads.
fn render_all(mut jobs: Vec<Job<'_>>) -> Result<Vec<(String, String)>, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    jobs.sort_by_key(|j| std::cmp::Reverse(j.weight));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    type Rendered<'j> = Vec<(&'j str, Result<String, Error>)>;
    let mut rendered: Rendered = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (jobs, next) = (&jobs, &next);
                scope.spawn(move || -> Rendered<'_> {
                    let mut out = Vec::new();
                    while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.push((job.path.as_str(), (job.render)(&job.path)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    rendered.sort_by_key(|(path, _)| *path);
    rendered
        .into_iter()
        .map(|(path, text)| Ok((path.to_string(), text?)))
        .collect()
}

/// The path the generated code is mounted at (`crate` for the SDK crate).
fn mount(ir: &Ir) -> TokenStream {
    ir.mount.parse().unwrap_or_else(|_| quote! { crate })
}

fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    doc_lines(docs::sanitize(text))
}

fn deprecated_attr(meta: &Meta) -> TokenStream {
    match meta.deprecated.as_deref() {
        None => TokenStream::new(),
        Some("") => quote! { #[deprecated] },
        Some(note) => quote! { #[deprecated(note = #note)] },
    }
}

/// A type's own name: a place that shares another's type is named by its alias.
fn type_ident(ir: &Ir, id: TypeId) -> Ident {
    format_ident!("{}", ir.types[id].name)
}

fn ty_tokens(ir: &Ir, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote! { String },
        Ty::Timestamp => {
            let mount = mount(ir);
            quote! { #mount::runtime::Timestamp }
        }
        Ty::Integer => quote! { i64 },
        Ty::Number => quote! { f64 },
        Ty::Boolean => quote! { bool },
        Ty::Json => quote! { ::serde_json::Value },
        Ty::Bytes => quote! { Vec<u8> },
        Ty::EmptyString => {
            let mount = mount(ir);
            quote! { #mount::runtime::de::EmptyString }
        }
        Ty::JsonObject => quote! { ::serde_json::Map<String, ::serde_json::Value> },
        Ty::Named(id) => {
            let name = type_ident(ir, *id);
            let mount = mount(ir);
            if ir.types[*id].shared {
                let module = format_ident!("{SHARED_MODULE}");
                quote! { #mount::models::#module::#name }
            } else {
                quote! { #mount::models::#name }
            }
        }
        Ty::List(inner) => {
            let inner = ty_tokens(ir, inner);
            quote! { Vec<#inner> }
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(ir, inner);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(ir, inner);
            quote! { Option<#inner> }
        }
        Ty::Tuple(members) => {
            let members = members.iter().map(|m| ty_tokens(ir, m));
            quote! { (#(#members,)*) }
        }
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a function of more than clippy's seven arguments: a
/// constructor or endpoint method takes what the spec requires.
fn allow_many_arguments(arguments: usize) -> TokenStream {
    if arguments > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    }
}

/// Whether the struct `id` has `new(..)`: a struct without arguments has `Default` instead, unless
/// it fills in a fixed value.
fn has_new(plan: &Plan<'_>, id: TypeId) -> bool {
    matches!(
        plan.ty(plan.ir.resolve(id)).map(|t| &t.kind),
        Some(crate::plan::KindPlan::Struct(s)) if s.builder.as_ref().is_some_and(|b| b.new.is_some())
    )
}

/// `ty::new(args…)`, or `Default::default()` for a struct that has no `new` (see [`has_new`]).
fn construct(plan: &Plan<'_>, id: TypeId, ty: &TokenStream, args: &[TokenStream]) -> TokenStream {
    if args.is_empty() && !has_new(plan, id) {
        quote! { Default::default() }
    } else {
        quote! { #ty::new(#(#args),*) }
    }
}

/// What the function starting an endpoint's request is made of (both runtimes' functions read
/// alike: `name(required…)` and `name_with(params)`).
struct StartMethods<'a> {
    /// The function's name.
    name: &'a str,
    /// `<name>_with`.
    with_method: &'a str,
    /// Docs, `#[deprecated]` and `#[cfg]` of the function.
    docs: TokenStream,
    deprecated: TokenStream,
    cfg: TokenStream,
    /// `#[inline]` on both (the `Endpoint` binding's functions compile nothing per endpoint).
    inline: bool,
    /// The function's arguments, `name: type` each.
    args: Vec<TokenStream>,
    /// The params value made of them.
    params: TokenStream,
    /// The params type.
    params_ty: TokenStream,
    /// The request type returned.
    request: TokenStream,
    /// The client expression (`self`, `self.client`).
    client: TokenStream,
    /// The mount of the generated code.
    root: TokenStream,
}

impl StartMethods<'_> {
    fn render(self) -> TokenStream {
        let StartMethods {
            name,
            with_method,
            docs,
            deprecated,
            cfg,
            inline,
            args,
            params,
            params_ty,
            request,
            client,
            root,
        } = self;
        let fname = ident_tokens(name);
        let with = ident_tokens(with_method);
        let inline = if inline {
            quote! { #[inline] }
        } else {
            TokenStream::new()
        };
        // `&self` counts too.
        let many = allow_many_arguments(args.len() + 1);
        let with_doc = format!(
            " Like [`Self::{name}`], with every parameter in one value (e.g. built from data)."
        );
        quote! {
            #docs #deprecated #cfg
            #inline
            #many
            pub fn #fname(&self, #(#args),*) -> #request {
                #root::Request::new(#client, #params)
            }
            #[doc = #with_doc]
            #deprecated #cfg
            #inline
            pub fn #with(&self, params: #params_ty) -> #request {
                #root::Request::new(#client, params)
            }
        }
    }
}
