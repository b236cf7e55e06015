//! Renders an operation of an `Endpoint` binding: a marker type implementing the runtime's
//! `Operation` (and the job trait and `Paginated` where they apply), setters on its `Request`, and
//! the group method that starts the request from the required parameters (and `<name>_with(params)`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::models::{arg_list, render_setter};
use super::{
    cfg_attr, construct, deprecated_attr, doc_attrs, mount, text, ty_tokens, StartMethods,
};
use super::{type_ident, Ir};
use crate::ir::{Features, NextCursor, Operation, Returns, Ty, TypeId};
use crate::naming::ident_tokens;
use crate::plan::{EndpointPlan, KindPlan, ParamsShape, Plan, SetterKind};

/// The type an endpoint returns for its returned property (`Option<T>` when optional) and the
/// response field it is taken from.
fn key_value(ir: &Ir, returns: &Returns) -> (TokenStream, Ident) {
    match returns {
        Returns::Key {
            field,
            ty,
            optional,
            ..
        } => {
            let ty = ty_tokens(ir, ty);
            let ret = if *optional {
                quote! { Option<#ty> }
            } else {
                ty
            };
            (ret, ident_tokens(field))
        }
        Returns::Unit | Returns::Whole => (quote! { () }, format_ident!("ok")),
    }
}

/// The group methods and the module items of one endpoint.
pub(super) fn emit(
    plan: &Plan<'_>,
    op: &Operation,
    cfg: &Features,
    e: &EndpointPlan,
) -> (TokenStream, TokenStream) {
    let ir = plan.ir;
    let root = mount(ir);
    let fname = ident_tokens(&op.name);
    let cfg = cfg_attr(cfg);
    let deprecated = deprecated_attr(&op.meta);
    let method = op.method.wire();
    let path = &op.path;
    let idempotent = op.idempotent;
    let response_key = match &op.returns {
        Returns::Key { wire, .. } => quote! { Some(#wire) },
        Returns::Unit | Returns::Whole => quote! { None },
    };
    let security = &e.security;
    let response = type_ident(ir, e.response);
    let marker = format_ident!("{}", e.marker);
    let req = quote! { #root::runtime::request };
    let params_ty = match op.params_type {
        Some(p) => {
            let p = type_ident(ir, p);
            quote! { #root::models::#p }
        }
        None => quote! { #root::runtime::NoParams },
    };
    let required: Vec<TokenStream> = e
        .query
        .iter()
        .filter(|q| q.required)
        .map(|q| {
            let (wire, field) = (&q.wire, ident_tokens(&q.field));
            quote! { (#wire, params.#field.to_string()) }
        })
        .collect();
    let optional: Vec<TokenStream> = e
        .query
        .iter()
        .filter(|q| !q.required)
        .map(|q| {
            let (wire, field) = (&q.wire, ident_tokens(&q.field));
            quote! { if let Some(v) = &params.#field { query.push((#wire, v.to_string())); } }
        })
        .collect();
    // The query string, when the endpoint has query parameters (else the trait's default: none).
    let query_fn = if e.query.is_empty() {
        TokenStream::new()
    } else {
        let body = if optional.is_empty() {
            quote! { ::std::vec![#(#required),*] }
        } else {
            quote! {
                let mut query: Vec<(&'static str, String)> = ::std::vec![#(#required),*];
                #(#optional)*
                query
            }
        };
        quote! {
            #[inline]
            fn query(params: &Self::Params) -> Vec<(&'static str, String)> {
                #body
            }
        }
    };
    let endpoint_value = quote! {
        #root::runtime::Endpoint {
            method: #method,
            path: #path,
            idempotent: #idempotent,
            response_key: #response_key,
            security: &[#(#security),*],
        }
    };

    // What the decoded response becomes: the runtime sends, decodes and waits (generic code); per
    // endpoint only this mapping is generated.
    let finish = format_ident!("{}", e.runtime.job.finish);
    let job = op.job.as_ref();
    let returned_job = job.is_some_and(|j| j.returned);
    let (ret, output) = match &op.returns {
        Returns::Unit => (
            quote! { () },
            quote! { let _ = response; #req::Finish::Done(()) },
        ),
        Returns::Whole => (
            quote! { #root::models::#response },
            quote! { #req::Finish::Done(response) },
        ),
        Returns::Key { .. } => {
            let (ret, field) = key_value(ir, &op.returns);
            if returned_job {
                (
                    ret,
                    quote! { #req::Finish::#finish(response.#field, Box::new(|job| job)) },
                )
            } else {
                (ret, quote! { #req::Finish::Done(response.#field) })
            }
        }
    };
    let dotted: Vec<&str> = op
        .group
        .iter()
        .chain(std::iter::once(&op.name))
        .map(String::as_str)
        .collect();
    let marker_doc = format!(
        " The `{}` endpoint (`{} {}`) as a type: [`{}::{}`] returns a [`Request`]({}::Request) of it.",
        dotted.join("."),
        method,
        path,
        crate::plan::handle_name(&op.group),
        op.name,
        ir.mount,
    );
    // Every function below is `#[inline]` and none is `async`: nothing per endpoint is compiled to
    // machine code in this crate, and no future is type-checked here; the runtime's generic `run`
    // is instantiated where a caller awaits the request (with the JSON decoding of the response
    // type, most of a build's time).
    let mut items = quote! {
        #[doc = #marker_doc]
        #deprecated #cfg
        #[derive(Debug, Clone, Copy)]
        pub enum #marker {}
        #cfg
        impl #req::Sealed for #marker {}
        #cfg
        impl #req::Operation for #marker {
            type Params = #params_ty;
            type Output = #ret;
            type Response = #root::models::#response;
            const ENDPOINT: &'static #root::runtime::Endpoint = &#endpoint_value;
            #query_fn
            #[inline]
            fn output(response: Self::Response) -> #req::Finish<Self::Output> {
                #output
            }
        }
    };

    if let Some(beside) = job.and_then(|j| j.beside.as_ref()) {
        let job_field = ident_tokens(&beside.field);
        let job_ty = ty_tokens(ir, &beside.ty);
        let job_trait = format_ident!("{}", e.runtime.job.beside_trait);
        let job_output = format_ident!("{}", e.runtime.job.beside_output);
        let output_fn = format_ident!("{}", e.runtime.job.beside_fn);
        let (ret, output) = match &op.returns {
            Returns::Unit => (
                job_ty,
                quote! { #req::Finish::#finish(response.#job_field, Box::new(|job| job)) },
            ),
            Returns::Whole => (
                quote! { (#root::models::#response, #job_ty) },
                quote! {
                    let job = response.#job_field.clone();
                    #req::Finish::#finish(job, Box::new(move |job| (response, job)))
                },
            ),
            Returns::Key { .. } => {
                let (value, field) = key_value(ir, &op.returns);
                (
                    quote! { (#value, #job_ty) },
                    quote! {
                        let value = response.#field;
                        #req::Finish::#finish(response.#job_field, Box::new(move |job| (value, job)))
                    },
                )
            }
        };
        items.extend(quote! {
            #cfg
            impl #req::#job_trait for #marker {
                type #job_output = #ret;
                #[inline]
                fn #output_fn(response: Self::Response) -> #req::Finish<Self::#job_output> {
                    #output
                }
            }
        });
    }

    // The runtime's paginator reads its page type: the only cursor this binding has.
    let page_info = op.pagination.as_ref().and_then(|p| match &p.next {
        NextCursor::PageInfo { field, required } => Some((p, field, *required)),
        _ => None,
    });
    if let (Some((pages, page_field, page_required)), Some(_)) = (page_info, op.params_type) {
        let item = ty_tokens(ir, &pages.item);
        let cursor_field = ident_tokens(&pages.cursor_field);
        let set = if pages.cursor_double_option {
            quote! { Some(Some(cursor)) }
        } else {
            quote! { Some(cursor) }
        };
        let items_field = ident_tokens(&pages.items_field);
        let page = ident_tokens(page_field);
        let page_type = format_ident!("{}", e.runtime.page_type);
        let page_value = if page_required {
            quote! { response.#page }
        } else {
            quote! { response.#page.unwrap_or_default() }
        };
        items.extend(quote! {
            #cfg
            impl #req::Paginated for #marker {
                type Item = #item;
                #[inline]
                fn set_cursor(params: &mut Self::Params, cursor: String) {
                    params.#cursor_field = #set;
                }
                #[inline]
                fn split(response: Self::Response) -> (Vec<Self::Item>, #root::models::#page_type) {
                    (response.#items_field, #page_value)
                }
            }
        });
    }

    // Setters of the optional parameters on the request: the params struct's setters, on the
    // request's params (the same one-line body, not a call: cheaper to compile).
    if let (ParamsShape::Struct { .. }, Some(p)) = (&e.params, op.params_type) {
        let fields = ir.struct_fields(p);
        let owner = quote! { self.params };
        let none = TokenStream::new();
        let setters: Vec<TokenStream> = e
            .setters
            .iter()
            .map(|s| render_setter(ir, fields, s, &owner, &none, false))
            .collect();
        if !setters.is_empty() {
            items.extend(quote! {
                #cfg
                impl<V: #req::Variant> #root::Request<#marker, V> {
                    #(#setters)*
                }
            });
        }
    }

    // The group methods.
    let mut doc = text::operation_doc(op);
    let choices: Vec<(String, TypeId)> = match (&e.params, op.params_type) {
        (ParamsShape::Struct { args }, Some(p)) => {
            let fields = ir.struct_fields(p);
            args.iter()
                .filter_map(|a| match &fields[a.field] {
                    f if f.flatten => match f.ty {
                        Ty::Named(id) => Some((a.name.clone(), id)),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        }
        (ParamsShape::Whole, Some(p)) => vec![("params".to_string(), p)],
        _ => Vec::new(),
    };
    for (arg, id) in choices {
        if let Some(KindPlan::Untagged {
            builder: Some(b),
            variants,
            ..
        }) = plan.ty(id).map(|t| &t.kind)
        {
            doc.push_str("\n\n");
            doc.push_str(&text::alternatives_doc(ir, &arg, id, variants.len(), b));
        }
    }
    let setter_names: Vec<String> = e
        .setters
        .iter()
        .map(|s| match s.kind {
            SetterKind::Clear => format!("{}()", s.method),
            SetterKind::Set { .. } | SetterKind::Replace { .. } => format!("{}(..)", s.method),
        })
        .collect();
    doc.push_str("\n\n");
    doc.push_str(&text::endpoint_call_doc(
        ir,
        op,
        &setter_names,
        e.runtime.job.beside_method,
    ));
    let docs = doc_attrs(Some(&doc));
    let request = quote! { #root::Request<#marker> };
    let mut methods = TokenStream::new();
    match &e.params {
        ParamsShape::None => methods.extend(quote! {
            #docs #deprecated #cfg
            #[inline]
            pub fn #fname(&self) -> #request {
                #root::Request::new(self.client, #root::runtime::NoParams)
            }
        }),
        ParamsShape::Whole => methods.extend(quote! {
            #docs #deprecated #cfg
            #[inline]
            pub fn #fname(&self, params: impl Into<#params_ty>) -> #request {
                #root::Request::new(self.client, params.into())
            }
        }),
        ParamsShape::Struct { args } => {
            let fields = op.params_type.map_or(&[][..], |p| ir.struct_fields(p));
            let args = arg_list(ir, fields, args);
            let names: Vec<TokenStream> = args.iter().map(|(n, _)| quote! { #n }).collect();
            let params = match op.params_type {
                Some(p) => construct(plan, p, &params_ty, &names),
                None => quote! { Default::default() },
            };
            methods.extend(
                StartMethods {
                    name: &op.name,
                    with_method: &e.with_method,
                    docs,
                    deprecated,
                    cfg,
                    inline: true,
                    args: args.iter().map(|(n, t)| quote! { #n: #t }).collect(),
                    params,
                    params_ty,
                    request,
                    client: quote! { self.client },
                    root,
                }
                .render(),
            );
        }
    }
    (methods, items)
}
