//! Names and boxing stay when a spec changes elsewhere (codegen/README.md, "Names that stay" and
//! "Boxing"): `data/stable_v2.yaml` is `data/stable_v1.yaml` with fields added to structs, a new user
//! of a shared inline type under another parent, one user removed, and a new inline type. For every
//! field both versions have, the Rust type a caller sees there (the emitted text, `Box` and `Option`
//! included) is the same, and every public type of version 1 still exists.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::{Options, Output, ProfileKind};
use quote::ToTokens;

/// What the generated models declare: fields (`Type.field`, `Enum::Variant.field`) with their type
/// text, and public type names with their kind (`struct`, `enum`, `type = target`).
#[derive(Default)]
struct Models {
    fields: BTreeMap<String, String>,
    types: BTreeMap<String, String>,
}

fn generate(name: &str) -> Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let options = Options {
        profile: ProfileKind::Generic,
        ..Options::default()
    };
    codegen::generate_file_with(&path, &options)
        .unwrap_or_else(|e| panic!("{name} does not generate: {e}"))
}

/// A type's text, without the trailing commas line-breaking puts in generic arguments.
fn type_text(ty: &syn::Type) -> String {
    ty.to_token_stream().to_string().replace(" , >", " >")
}

fn models(output: &Output) -> Models {
    let mut m = Models::default();
    for (path, text) in &output.files {
        if !path.contains("models/") || !path.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for item in file.items {
            match item {
                syn::Item::Struct(s) => {
                    let name = s.ident.to_string();
                    for f in &s.fields {
                        if let Some(field) = &f.ident {
                            m.fields.insert(format!("{name}.{field}"), type_text(&f.ty));
                        }
                    }
                    m.types.insert(name, "struct".into());
                }
                syn::Item::Enum(e) => {
                    let name = e.ident.to_string();
                    for v in &e.variants {
                        for f in &v.fields {
                            if let Some(field) = &f.ident {
                                m.fields.insert(
                                    format!("{name}::{}.{field}", v.ident),
                                    type_text(&f.ty),
                                );
                            }
                        }
                    }
                    m.types.insert(name, "enum".into());
                }
                syn::Item::Type(t) => {
                    let target = t.ty.to_token_stream().to_string();
                    m.types
                        .insert(t.ident.to_string(), format!("type = {target}"));
                }
                _ => {}
            }
        }
    }
    m
}

/// The places version 2 removed (the gizmo's owner): their names and fields may go.
fn removed(name: &str) -> bool {
    name.starts_with("GizmoOwner") || name == "Gizmo.owner"
}

#[test]
fn fields_and_names_stay_between_spec_versions() {
    let v1 = models(&generate("stable_v1.yaml"));
    let v2 = models(&generate("stable_v2.yaml"));
    let mut problems = Vec::new();
    for (field, ty) in &v1.fields {
        match v2.fields.get(field) {
            Some(ty2) if ty2 == ty => {}
            Some(ty2) => problems.push(format!("{field}: `{ty}` became `{ty2}`")),
            None if removed(field) => {}
            None => problems.push(format!("{field}: gone")),
        }
    }
    for name in v1.types.keys() {
        if !v2.types.contains_key(name) && !removed(name) {
            problems.push(format!("type {name}: gone"));
        }
    }
    assert!(
        problems.is_empty(),
        "what callers see changed between versions:\n{}",
        problems.join("\n")
    );
}

/// The rules themselves, on both versions: shared types are named after their places' own name words, every
/// place keeps its own name as an alias, places that share no name or whose shared name collides stay
/// their own types, and fields holding structs are boxed (endpoint roots aside).
#[test]
fn shared_types_are_named_after_their_places() {
    for version in ["stable_v1.yaml", "stable_v2.yaml"] {
        let m = models(&generate(version));
        let ty = |name: &str| m.types.get(name).map(String::as_str).unwrap_or("(missing)");
        // The owner: shared by widget, gadget and gizmo (v1) or doohickey (v2).
        assert_eq!(ty("Owner"), "struct", "{version}");
        assert_eq!(
            ty("WidgetOwner"),
            "type = crate :: models :: Owner",
            "{version}"
        );
        assert_eq!(
            ty("GadgetOwner"),
            "type = crate :: models :: Owner",
            "{version}"
        );
        assert_eq!(ty("Address"), "struct", "{version}");
        // Nested places keep their names too, and the shared type refers to the shared nested type.
        assert_eq!(
            ty("WidgetOwnerAddress"),
            "type = crate :: models :: Address",
            "{version}"
        );
        assert_eq!(
            m.fields["Owner.address"],
            ":: std :: option :: Option < :: std :: boxed :: Box < crate :: models :: Address > >",
            "{version}"
        );
        assert_eq!(
            m.fields["Widget.owner"],
            ":: std :: option :: Option < :: std :: boxed :: Box < crate :: models :: WidgetOwner > >",
            "{version}"
        );
        assert_eq!(ty("Label"), "struct", "{version}");
        assert_eq!(
            ty("WidgetLabel"),
            "type = crate :: models :: Label",
            "{version}"
        );
        // The same shape under `meta` and `extra`: no common name, no merging.
        assert_eq!(ty("WidgetMeta"), "struct", "{version}");
        assert_eq!(ty("GadgetExtra"), "struct", "{version}");
        // Two groups whose places would both be `Error`: neither is merged.
        assert_eq!(ty("Error"), "(missing)", "{version}");
        for name in ["WidgetError", "GadgetError", "GizmoError", "NodeError"] {
            assert_eq!(ty(name), "struct", "{version}: {name}");
        }
        // Recursion is boxed as before.
        assert_eq!(
            m.fields["Node.parent"],
            ":: std :: option :: Option < :: std :: boxed :: Box < crate :: models :: Node > >",
            "{version}"
        );
    }
}
