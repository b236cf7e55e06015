//! The Seam profile names parts of the hand-written runtime (`seam-generated/src/runtime/`); these
//! tests read that runtime's source and check the names still exist, so a runtime change that the
//! profile does not follow fails here rather than as a shadowed method or a compile error in the
//! generated crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::profile::seam::{REQUEST_METHODS, RUNTIME};

fn runtime_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seam-generated/src/runtime")
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} readable: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{} parses: {e}", path.display()))
}

fn runtime_file(name: &str) -> syn::File {
    parse(&runtime_dir().join(name))
}

/// Every hand-written file of the runtime (`shared/`, the generator's copies, aside).
fn runtime_files() -> Vec<syn::File> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(runtime_dir())
        .expect("the runtime folder is readable")
        .map(|e| e.expect("a runtime folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse(p)).collect()
}

/// The last segment of an `impl` block's self type (`Request` of `impl<O> Request<O>`).
fn self_type(item: &syn::ItemImpl) -> Option<String> {
    match &*item.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[test]
fn request_methods_are_the_runtime_requests_public_methods() {
    // `Request` is request.rs's, but an `impl` block of it may sit in another module (`pages`, in
    // paginator.rs, which uses request.rs rather than the other way round).
    let files = runtime_files();
    let mut methods = BTreeSet::new();
    for item in files.iter().flat_map(|f| &f.items) {
        let syn::Item::Impl(imp) = item else { continue };
        // Inherent impls of `Request` only: trait impls (`Clone`, `IntoFuture`) add no method a
        // setter could shadow that the reserved list does not already hold.
        if imp.trait_.is_some() || self_type(imp).as_deref() != Some("Request") {
            continue;
        }
        for it in &imp.items {
            if let syn::ImplItem::Fn(f) = it {
                if matches!(f.vis, syn::Visibility::Public(_)) {
                    methods.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    // `new` is the runtime's own (`pub(crate)`) and reserved for every struct anyway.
    let listed: BTreeSet<String> = REQUEST_METHODS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        listed, methods,
        "codegen/src/profile/seam.rs REQUEST_METHODS must list exactly the public methods of \
         the Request of seam-generated/src/runtime/"
    );
    assert_eq!(RUNTIME.request_methods, REQUEST_METHODS);
}

#[test]
fn the_job_names_are_the_runtimes() {
    let file = runtime_file("request.rs");
    let mut names = BTreeSet::new();
    for item in &file.items {
        match item {
            syn::Item::Trait(t) => {
                names.insert(t.ident.to_string());
                for it in &t.items {
                    match it {
                        syn::TraitItem::Fn(f) => names.insert(f.sig.ident.to_string()),
                        syn::TraitItem::Type(ty) => names.insert(ty.ident.to_string()),
                        _ => false,
                    };
                }
            }
            syn::Item::Enum(e) => {
                names.insert(e.ident.to_string());
                for v in &e.variants {
                    names.insert(v.ident.to_string());
                }
            }
            _ => {}
        }
    }
    let job = RUNTIME.job;
    assert!(
        REQUEST_METHODS.contains(&job.beside_method),
        "the runtime's Request has no `{}`",
        job.beside_method
    );
    for name in [
        job.finish,
        job.beside_trait,
        job.beside_output,
        job.beside_fn,
    ] {
        assert!(
            names.contains(name),
            "the runtime's request.rs has no `{name}`"
        );
    }
}
