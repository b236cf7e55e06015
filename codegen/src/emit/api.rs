//! Renders `api/`: a file per top-level group with its handle types and functions, and the client's
//! accessors of the groups (and its own functions) in `api/mod.rs`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{cfg_attr, endpoint, mount, render, request, Files, Job};
use crate::error::Error;
use crate::naming::ident_tokens;
use crate::plan::{Call, Group, Plan};

/// The files of the top-level groups (`api/<group>.rs`), to render on every core.
pub(super) fn group_jobs<'p>(plan: &'p Plan<'p>) -> Vec<Job<'p>> {
    plan.groups
        .children
        .iter()
        .map(|(name, group)| Job {
            path: format!("api/{name}.rs"),
            weight: operations(group),
            render: Box::new(move |path: &str| {
                let mut items = TokenStream::new();
                emit_group(plan, group, &mut items);
                let doc = format!(" Endpoints of the `{name}` group.");
                render(quote! { #![doc = #doc] #items }, path)
            }),
        })
        .collect()
}

/// The functions of a group and its sub-groups.
fn operations(group: &Group) -> usize {
    group.operations.len() + group.children.values().map(operations).sum::<usize>()
}

/// `api/mod.rs`: the modules of the groups ([`group_jobs`] renders their files), the client's
/// accessors of them, and the functions outside any group.
pub(super) fn emit_api_mod(plan: &Plan<'_>, files: &mut Files) -> Result<(), Error> {
    let ir = plan.ir;
    let tree = &plan.groups;
    let root = mount(ir);
    let client = client_ident(plan);
    let mut mod_rs = TokenStream::new();
    let mut accessors = TokenStream::new();
    for (name, group) in &tree.children {
        let m = ident_tokens(name);
        let cfg = cfg_attr(&group.cfg);
        let handle = format_ident!("{}", group.handle);
        let fname = ident_tokens(name);
        let doc = format!(" The `{name}` endpoints.");
        mod_rs.extend(quote! { #cfg pub mod #m; });
        accessors.extend(quote! {
            #[doc = #doc]
            #cfg
            pub fn #fname(&self) -> #m::#handle<'_> {
                #m::#handle { client: self }
            }
        });
    }
    // Functions outside any group are methods of the client itself.
    let mut top_items = TokenStream::new();
    for &index in &tree.operations {
        let (methods, items) = emit_operation(plan, index);
        accessors.extend(methods);
        top_items.extend(items);
    }
    let doc = if tree.children.is_empty() {
        " Endpoint functions: one method of the client per operation.".to_string()
    } else {
        " Endpoint functions, in groups: `client.group().sub_group().function(..)`.".to_string()
    };
    files.insert(
        "api/mod.rs".into(),
        render(
            quote! {
                #![doc = #doc]
                #mod_rs
                impl #root::#client {
                    #accessors
                }
                #top_items
            },
            "api/mod.rs",
        )?,
    );
    Ok(())
}

fn client_ident(plan: &Plan<'_>) -> Ident {
    format_ident!("{}", plan.ir.client)
}

fn emit_group(plan: &Plan<'_>, group: &Group, out: &mut TokenStream) {
    let root = mount(plan.ir);
    let client = client_ident(plan);
    let handle = format_ident!("{}", group.handle);
    let cfg = cfg_attr(&group.cfg);
    let doc = format!(" Endpoints under `{}`.", group.path.join("."));
    let mut methods = TokenStream::new();
    for (name, child) in &group.children {
        let child_handle = format_ident!("{}", child.handle);
        let child_cfg = cfg_attr(&child.cfg);
        let fname = ident_tokens(name);
        let cdoc = format!(" The `{}` endpoints.", child.path.join("."));
        methods.extend(quote! {
            #[doc = #cdoc]
            #child_cfg
            pub fn #fname(&self) -> #child_handle<'a> {
                #child_handle { client: self.client }
            }
        });
        emit_group(plan, child, out);
    }
    let mut items = TokenStream::new();
    for &index in &group.operations {
        let (m, i) = emit_operation(plan, index);
        methods.extend(m);
        items.extend(i);
    }
    out.extend(quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            pub(crate) client: &'a #root::#client,
        }
        #cfg
        impl<'a> #handle<'a> {
            #methods
        }
        #items
    });
}

/// An operation's group methods (inside the group's `impl`) and module items (beside it).
fn emit_operation(plan: &Plan<'_>, index: usize) -> (TokenStream, TokenStream) {
    let op_plan = &plan.operations[index];
    let op = op_plan.op;
    match &op_plan.call {
        Call::Endpoint(e) => endpoint::emit(plan, op, &op_plan.cfg, e),
        Call::Request(r) => request::emit(plan, op, &op_plan.cfg, r),
    }
}
