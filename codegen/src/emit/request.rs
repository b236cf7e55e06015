//! Renders an operation of the generic runtime's `Request` binding: a marker type whose `Operation`
//! builds the `runtime::HttpRequest` from the plan (parameters by location, a body by media type) and
//! decodes the response by status, the setters of its `Request`, and the function that starts the
//! request from the required parameters (and `<name>_with(params)`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::{arg_list, render_setter};
use super::{cfg_attr, construct, deprecated_attr, doc_attrs, mount, text, StartMethods};
use super::{ty_tokens, type_ident};
use crate::ir::{
    BodyMedia, BodyPlacement, Features, Ir, NextCursor, Operation, ParamLocation, ParamStyle,
    ResponseBody, Ty,
};
use crate::naming::ident_tokens;
use crate::plan::{KindPlan, ParamArg, ParamsShape, Plan, RequestPlan, SetterKind};

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

/// The function (inside its group's `impl`) and the module items (the marker type, its
/// `Operation`, the request's setters) of one endpoint of the generic runtime.
pub(super) fn emit(
    plan: &Plan<'_>,
    op: &Operation,
    cfg: &Features,
    r: &RequestPlan,
) -> (TokenStream, TokenStream) {
    let ir = plan.ir;
    let root = mount(ir);
    let fname = ident_tokens(&op.name);
    let cfg = cfg_attr(cfg);
    let deprecated = deprecated_attr(&op.meta);
    let on_client = op.group.is_empty();
    let client = if on_client {
        quote! { self }
    } else {
        quote! { self.client }
    };
    let method = format_ident!("{}", op.method.variant());
    let path = &op.path;
    let marker = format_ident!("{}", r.marker);
    let rt = quote! { #root::runtime };
    let params_ty = match op.params_type {
        Some(p) => {
            let p = type_ident(ir, p);
            quote! { #root::models::#p }
        }
        None => quote! { #rt::NoParams },
    };
    let encode = quote! { .map_err(#rt::Error::encode)? };
    let mut build = TokenStream::new();
    for p in &op.params {
        let wire = &p.wire;
        let field = ident_tokens(&p.field);
        let style = style_tokens(&root, p.location, p.style);
        let explode = p.explode;
        // A `content` parameter: its JSON text, placed as a string.
        let value = if p.json {
            quote! { &#rt::JsonText(&params.#field) }
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
            quote! { if let Some(body) = #value { #set } }
        } else {
            quote! { let body = #value; #set }
        });
    }
    let error = match &r.error {
        Some(ty) => ty_tokens(ir, ty),
        None => quote! { ::serde_json::Value },
    };
    // The decoded body, and the same as an `Option` (when empty statuses sit beside it). Bytes
    // cannot fail: `Ok(Some(..))` outright, not `Ok(..).map(Some)` (clippy's
    // `unnecessary_map_on_constructor`).
    let (ret, decode, decode_some) = match &op.success.body {
        ResponseBody::Empty => (
            quote! { () },
            quote! { let _ = response; Ok(()) },
            quote! { Ok(Some(())) },
        ),
        ResponseBody::Json(ty) => (
            ty_tokens(ir, ty),
            quote! { response.json() },
            quote! { response.json().map(Some) },
        ),
        ResponseBody::Text => (
            quote! { String },
            quote! { response.text() },
            quote! { response.text().map(Some) },
        ),
        ResponseBody::Bytes => (
            quote! { ::bytes::Bytes },
            quote! { Ok(response.bytes()) },
            quote! { Ok(Some(response.bytes())) },
        ),
    };
    let empty: Vec<proc_macro2::Literal> = r
        .empty_statuses
        .iter()
        .map(|c| proc_macro2::Literal::u16_unsuffixed(*c))
        .collect();
    let (ret, decode) = if empty.is_empty() {
        (ret, decode)
    } else {
        (
            quote! { Option<#ret> },
            quote! {
                match response.status() {
                    #(#empty)|* => Ok(None),
                    _ => #decode_some,
                }
            },
        )
    };
    let mutable = if r.mutable {
        quote! { mut }
    } else {
        TokenStream::new()
    };
    let security = if op.security.is_empty() {
        TokenStream::new()
    } else {
        let alternatives = op.security.iter().map(|alt| quote! { &[#(#alt),*] });
        quote! { request.security(&[#(#alternatives),*]); }
    };
    let idempotent = if op.idempotent {
        quote! { request.idempotent(true); }
    } else {
        TokenStream::new()
    };
    let params_arg = if op.params_type.is_some() {
        quote! { params }
    } else {
        quote! { _params }
    };
    let dotted: Vec<&str> = op
        .group
        .iter()
        .chain(std::iter::once(&op.name))
        .map(String::as_str)
        .collect();
    let owner = if on_client {
        ir.client.clone()
    } else {
        crate::plan::handle_name(&op.group)
    };
    let target = if on_client {
        format!("{}::{}::{}", ir.mount, owner, op.name)
    } else {
        format!("{}::api::{}::{}", ir.mount, owner, op.name)
    };
    let marker_doc = format!(
        " The `{}` endpoint (`{} {}`) as a type: [`{}::{}`]({target}) returns a \
         [`Request`]({}::Request) of it.",
        dotted.join("."),
        op.method.wire(),
        path,
        owner,
        op.name,
        ir.mount,
    );
    let mut items = quote! {
        #[doc = #marker_doc]
        #deprecated #cfg
        #[derive(Debug, Clone, Copy)]
        pub enum #marker {}
        #cfg
        impl #rt::Sealed for #marker {}
        #cfg
        impl #rt::Operation for #marker {
            type Params = #params_ty;
            type Output = #ret;
            type Error = #error;
            fn request(#params_arg: &Self::Params) -> #rt::Result<#rt::HttpRequest, Self::Error> {
                let #mutable request = #rt::HttpRequest::new(#rt::Method::#method, #path);
                #idempotent
                #security
                #build
                Ok(request)
            }
            fn output(response: #rt::Response) -> #rt::Result<Self::Output, Self::Error> {
                #decode
            }
        }
    };

    if let (Some(pages), Some(_)) = (&op.pagination, op.params_type) {
        let item = ty_tokens(ir, &pages.item);
        let cursor_field = ident_tokens(&pages.cursor_field);
        let set = if pages.cursor_double_option {
            quote! { Some(Some(cursor)) }
        } else {
            quote! { Some(cursor) }
        };
        let items_field = ident_tokens(&pages.items_field);
        let value = |ty: TokenStream, field: &str| {
            let field = ident_tokens(field);
            quote! { #rt::PageValue::<#ty>::into_value(output.#field) }
        };
        let next = match &pages.next {
            NextCursor::Field { field, .. } => value(quote! { String }, field),
            NextCursor::AfterLastItem {
                has_more_field,
                id_field,
                ..
            } => {
                let more = value(quote! { bool }, has_more_field);
                let id = ident_tokens(id_field);
                quote! {
                    if #more.unwrap_or(false) {
                        items.last().map(|item| Clone::clone(&item.#id))
                    } else {
                        None
                    }
                }
            }
            // The generic runtime has no page type of its own (no profile of it makes one).
            NextCursor::PageInfo { .. } => quote! { None },
        };
        items.extend(quote! {
            #cfg
            impl #rt::Paginated for #marker {
                type Item = #item;
                fn set_cursor(params: &mut Self::Params, cursor: String) {
                    params.#cursor_field = #set;
                }
                fn split(output: Self::Output) -> (Vec<Self::Item>, Option<String>) {
                    let items: Vec<Self::Item> = #rt::PageValue::<Vec<Self::Item>>::into_value(output.#items_field).unwrap_or_default();
                    let next = #next;
                    (items, next)
                }
            }
        });
    }

    // Setters of the optional parameters (and of the body's, when its arguments are the
    // function's) on the request.
    let param_fields = op.params_type.map_or(&[][..], |p| ir.struct_fields(p));
    let none = TokenStream::new();
    let setters: Vec<TokenStream> = r
        .setters
        .iter()
        .map(|s| match &s.body_field {
            None => render_setter(
                ir,
                param_fields,
                &s.setter,
                &quote! { self.params },
                &none,
                false,
            ),
            Some(field) => {
                let f = ident_tokens(field);
                let body_fields = param_fields
                    .iter()
                    .find(|pf| &pf.name == field)
                    .and_then(|pf| match pf.ty {
                        Ty::Named(id) => Some(ir.struct_fields(id)),
                        _ => None,
                    })
                    .unwrap_or(&[]);
                render_setter(
                    ir,
                    body_fields,
                    &s.setter,
                    &quote! { self.params.#f },
                    &none,
                    false,
                )
            }
        })
        .collect();
    if !setters.is_empty() {
        items.extend(quote! {
            #cfg
            impl #root::Request<#marker> {
                #(#setters)*
            }
        });
    }

    // The function.
    let setter_names: Vec<String> = r
        .setters
        .iter()
        .map(|s| match s.setter.kind {
            SetterKind::Clear => format!("{}()", s.setter.method),
            SetterKind::Set { .. } | SetterKind::Replace { .. } => {
                format!("{}(..)", s.setter.method)
            }
        })
        .collect();
    let mut doc = text::operation_doc(op);
    if let (ParamsShape::Whole, Some(p)) = (&r.params, op.params_type) {
        if let Some(KindPlan::Untagged {
            builder: Some(b),
            variants,
            ..
        }) = plan.ty(p).map(|t| &t.kind)
        {
            doc.push_str("\n\n");
            doc.push_str(&text::alternatives_doc(ir, "params", p, variants.len(), b));
        }
    }
    doc.push_str("\n\n");
    doc.push_str(&text::request_call_doc(
        ir,
        op,
        &setter_names,
        &r.empty_statuses,
        r.error.as_ref(),
        r.args.iter().find_map(|a| match a {
            ParamArg::Body { ty, .. } => Some(*ty),
            ParamArg::Plain(_) => None,
        }),
    ));
    let docs = doc_attrs(Some(&doc));
    let request = quote! { #root::Request<#marker> };
    let mut methods = TokenStream::new();
    match &r.params {
        ParamsShape::None => methods.extend(quote! {
            #docs #deprecated #cfg
            pub fn #fname(&self) -> #request {
                #root::Request::new(#client, #rt::NoParams)
            }
        }),
        ParamsShape::Whole => methods.extend(quote! {
            #docs #deprecated #cfg
            pub fn #fname(&self, params: impl Into<#params_ty>) -> #request {
                #root::Request::new(#client, params.into())
            }
        }),
        ParamsShape::Struct { .. } => {
            // The parameters first, then the body's properties.
            let mut sig: Vec<TokenStream> = Vec::new();
            let mut body_sig: Vec<TokenStream> = Vec::new();
            let mut make: Vec<TokenStream> = Vec::new();
            for a in &r.args {
                match a {
                    ParamArg::Plain(arg) => {
                        for (n, t) in arg_list(ir, param_fields, std::slice::from_ref(arg)) {
                            sig.push(quote! { #n: #t });
                            make.push(quote! { #n });
                        }
                    }
                    ParamArg::Body { ty, args, .. } => {
                        let list = arg_list(ir, ir.struct_fields(*ty), args);
                        let names: Vec<TokenStream> =
                            list.iter().map(|(n, _)| quote! { #n }).collect();
                        body_sig.extend(list.iter().map(|(n, t)| quote! { #n: #t }));
                        let body_ty = type_ident(ir, *ty);
                        make.push(construct(
                            plan,
                            *ty,
                            &quote! { #root::models::#body_ty },
                            &names,
                        ));
                    }
                }
            }
            sig.extend(body_sig);
            let params = match op.params_type {
                Some(p) => construct(plan, p, &params_ty, &make),
                None => quote! { Default::default() },
            };
            methods.extend(
                StartMethods {
                    name: &op.name,
                    with_method: &r.with_method,
                    docs,
                    deprecated,
                    cfg,
                    inline: false,
                    args: sig,
                    params,
                    params_ty,
                    request,
                    client,
                    root,
                }
                .render(),
            );
        }
    }
    (methods, items)
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
            let mut parts = Vec::new();
            if let Some(part) = #root::runtime::Part::text("body", body)#encode {
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
                #root::runtime::Part::bytes(#wire, Clone::clone(&body.#name), None, None)
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
                parts.push(#root::runtime::Part::bytes(#wire, Clone::clone(#value), None, None));
            },
            _ => quote! {
                if let Some(part) = #root::runtime::Part::text(#wire, #value)#encode {
                    parts.push(part);
                }
            },
        };
        if optional {
            let inner = part(quote! { value });
            quote! { if let Some(value) = &body.#name { #inner } }
        } else {
            part(quote! { &body.#name })
        }
    });
    quote! {
        let mut parts = Vec::new();
        #(#parts)*
        request.multipart_body(parts);
    }
}
