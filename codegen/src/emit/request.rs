//! Renders an operation of the generic runtime's `Request` binding: an `async fn` that builds a
//! `runtime::Request` from the plan (parameters by location, a body by media type) and decodes the
//! response by status.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{cfg_attr, deprecated_attr, doc_attrs, mount, text, ty_tokens, type_ident};
use crate::ir::{
    BodyMedia, BodyPlacement, Features, Ir, Operation, ParamLocation, ParamStyle, ResponseBody, Ty,
};
use crate::naming::ident_tokens;
use crate::plan::RequestPlan;

/// The runtime's `PathStyle` / `QueryStyle` variant for a parameter style.
fn style_tokens(root: &TokenStream, location: ParamLocation, style: ParamStyle) -> TokenStream {
    match (location, style) {
        (ParamLocation::Path, ParamStyle::Label) => quote! { #root::runtime::PathStyle::Label },
        (ParamLocation::Path, ParamStyle::Matrix) => quote! { #root::runtime::PathStyle::Matrix },
        (ParamLocation::Path, _) => quote! { #root::runtime::PathStyle::Simple },
        (_, ParamStyle::SpaceDelimited) => quote! { #root::runtime::QueryStyle::SpaceDelimited },
        (_, ParamStyle::PipeDelimited) => quote! { #root::runtime::QueryStyle::PipeDelimited },
        (_, ParamStyle::DeepObject) => quote! { #root::runtime::QueryStyle::DeepObject },
        _ => quote! { #root::runtime::QueryStyle::Form },
    }
}

/// A function of the `Request` flavor: builds a `runtime::Request` from the plan and decodes the
/// response by status.
pub(super) fn emit(ir: &Ir, op: &Operation, cfg: &Features, plan: &RequestPlan) -> TokenStream {
    let root = mount(ir);
    let fname = ident_tokens(&op.name);
    let cfg = cfg_attr(cfg);
    let deprecated = deprecated_attr(&op.meta);
    let docs = doc_attrs(Some(&text::operation_doc(op)));
    let client = if plan.on_client {
        quote! { self }
    } else {
        quote! { self.client }
    };
    let method = format_ident!("{}", op.method.variant());
    let path = &op.path;
    let idempotent = op.idempotent;
    let alternatives = op.security.iter().map(|alt| quote! { &[#(#alt),*] });
    let arg = match op.params_type {
        Some(p) => {
            let p = type_ident(ir, p);
            quote! { params: &#root::models::#p }
        }
        None => TokenStream::new(),
    };
    let encode = quote! { .map_err(#root::runtime::Error::encode)? };
    let mut build = TokenStream::new();
    for p in &op.params {
        let wire = &p.wire;
        let field = ident_tokens(&p.field);
        let style = style_tokens(&root, p.location, p.style);
        let explode = p.explode;
        // A `content` parameter: its JSON text, placed as a string.
        let value = if p.json {
            quote! { &#root::runtime::JsonText(&params.#field) }
        } else {
            quote! { &params.#field }
        };
        build.extend(match p.location {
            ParamLocation::Path => {
                quote! { request.path_param(#wire, #value, #style, #explode)#encode; }
            }
            ParamLocation::Query => {
                quote! { request.query_param(#wire, #value, #style, #explode)#encode; }
            }
            ParamLocation::Header => quote! { request.header_param(#wire, #value)#encode; },
            ParamLocation::Cookie => quote! { request.cookie_param(#wire, #value)#encode; },
        });
    }
    if let Some(body) = &op.body {
        let content_type = &body.content_type;
        let (value, optional) = match &body.placement {
            BodyPlacement::Field { field, required } => {
                let f = ident_tokens(field);
                (quote! { &params.#f }, !required)
            }
            BodyPlacement::Flattened => (quote! { params }, false),
        };
        let set = match body.media {
            BodyMedia::Json => quote! { request.json_body(#content_type, body)#encode; },
            BodyMedia::Form => quote! { request.form_body(body)#encode; },
            BodyMedia::Bytes => quote! { request.bytes_body(#content_type, body.clone()); },
            BodyMedia::Text => quote! { request.text_body(#content_type, body.clone()); },
            BodyMedia::Multipart => multipart_tokens(ir, &root, &body.ty),
        };
        build.extend(if optional {
            quote! { if let ::std::option::Option::Some(body) = #value { #set } }
        } else {
            quote! { let body = #value; #set }
        });
    }
    let error = match &plan.error {
        Some(ty) => ty_tokens(ir, ty),
        None => quote! { ::serde_json::Value },
    };
    // The decoded body, and the same as an `Option` (when empty statuses sit beside it). Bytes
    // cannot fail: `Ok(Some(..))` outright, not `Ok(..).map(Some)` (clippy's
    // `unnecessary_map_on_constructor`).
    let (ret, decode, decode_some) = match &op.success.body {
        ResponseBody::Empty => (
            quote! { () },
            quote! { let _ = response; ::std::result::Result::Ok(()) },
            quote! { ::std::result::Result::Ok(::std::option::Option::Some(())) },
        ),
        ResponseBody::Json(ty) => (
            ty_tokens(ir, ty),
            quote! { response.json() },
            quote! { response.json().map(::std::option::Option::Some) },
        ),
        ResponseBody::Text => (
            quote! { ::std::string::String },
            quote! { response.text() },
            quote! { response.text().map(::std::option::Option::Some) },
        ),
        ResponseBody::Bytes => (
            quote! { ::bytes::Bytes },
            quote! { ::std::result::Result::Ok(response.bytes()) },
            quote! { ::std::result::Result::Ok(::std::option::Option::Some(response.bytes())) },
        ),
    };
    let empty: Vec<proc_macro2::Literal> = plan
        .empty_statuses
        .iter()
        .map(|c| proc_macro2::Literal::u16_unsuffixed(*c))
        .collect();
    let (ret, decode) = if empty.is_empty() {
        (ret, decode)
    } else {
        (
            quote! { ::std::option::Option<#ret> },
            quote! {
                match response.status() {
                    #(#empty)|* => ::std::result::Result::Ok(::std::option::Option::None),
                    _ => #decode_some,
                }
            },
        )
    };
    let mutable = if plan.mutable {
        quote! { mut }
    } else {
        TokenStream::new()
    };
    let security = if op.security.is_empty() {
        TokenStream::new()
    } else {
        quote! { request.security(&[#(#alternatives),*]); }
    };
    let idempotent = if idempotent {
        quote! { request.idempotent(true); }
    } else {
        TokenStream::new()
    };
    quote! {
        #docs #deprecated #cfg
        pub async fn #fname(&self, #arg) -> #root::runtime::Result<#ret, #error> {
            let #mutable request = #root::runtime::Request::new(#root::runtime::Method::#method, #path);
            #idempotent
            #security
            #build
            let response = #client.send::<#error>(request).await?;
            #decode
        }
    }
}

/// The parts of a multipart body: one per property; byte fields are binary parts.
fn multipart_tokens(ir: &Ir, root: &TokenStream, ty: &Ty) -> TokenStream {
    let encode = quote! { .map_err(#root::runtime::Error::encode)? };
    let fields = match ty {
        Ty::Named(id) => ir.struct_fields(*id),
        _ => &[],
    };
    if fields.is_empty() {
        // Not an object with properties (warned at lowering): one part holding the value.
        return quote! {
            let mut parts = ::std::vec::Vec::new();
            if let ::std::option::Option::Some(part) = #root::runtime::Part::text("body", body)#encode {
                parts.push(part);
            }
            request.multipart_body(parts);
        };
    }
    // Only required binary parts: the list is built at once (`Vec::new()` then only pushes trips
    // clippy's `vec_init_then_push`).
    if fields
        .iter()
        .all(|f| matches!(f.ty, Ty::Bytes) && f.required && !f.nullable)
    {
        let first = fields.iter().map(|f| {
            let wire = &f.wire;
            let name = ident_tokens(&f.name);
            quote! {
                #root::runtime::Part::bytes(#wire, ::std::clone::Clone::clone(&body.#name), ::std::option::Option::None, ::std::option::Option::None)
            }
        });
        return quote! {
            let parts = ::std::vec![#(#first),*];
            request.multipart_body(parts);
        };
    }
    let parts = fields.iter().map(|f| {
        let wire = &f.wire;
        let name = ident_tokens(&f.name);
        let optional = !f.required || f.nullable;
        let part = |value: TokenStream| match f.ty {
            Ty::Bytes => quote! {
                parts.push(#root::runtime::Part::bytes(#wire, ::std::clone::Clone::clone(#value), ::std::option::Option::None, ::std::option::Option::None));
            },
            _ => quote! {
                if let ::std::option::Option::Some(part) = #root::runtime::Part::text(#wire, #value)#encode {
                    parts.push(part);
                }
            },
        };
        if optional {
            let inner = part(quote! { value });
            quote! { if let ::std::option::Option::Some(value) = &body.#name { #inner } }
        } else {
            part(quote! { &body.#name })
        }
    });
    quote! {
        let mut parts = ::std::vec::Vec::new();
        #(#parts)*
        request.multipart_body(parts);
    }
}
