//! Names and boxing stay when a spec changes elsewhere (codegen/README.md, "Names that stay" and
//! "Decoding speed and boxing"): `data/stable_v2.yaml` is `data/stable_v1.yaml` with fields added to structs, a new user
//! of a shared inline type under another parent, one user removed, and a new inline type. For every
//! field both versions have, the Rust type a caller sees there (the emitted text, `Box` and `Option`
//! included) is the same, and every public type of version 1 still exists.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::{Options, Output, ProfileKind};
use quote::ToTokens;

/// What a caller sees in the generated models: fields (`Type.field`, `Enum::Variant.field`) with
/// their type text, and public type names with their kind (`struct`, `enum`, `type = target`). The
/// types identical places share live in the hidden `models::_shared` module, which is not part of the
/// API: their fields are listed under each alias that names them, and a hidden type's name inside a
/// field's type is `shared::_` (the place it stands for has its own alias, checked on its own).
#[derive(Default)]
struct Models {
    fields: BTreeMap<String, String>,
    types: BTreeMap<String, String>,
    /// The hidden shared types: name → kind.
    shared: BTreeMap<String, String>,
}

/// The path prefix of a hidden shared type in a type's text.
const SHARED: &str = "crate :: models :: _shared :: ";

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

/// A type's text with hidden shared names as `shared::_`.
fn caller_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(SHARED) {
        out.push_str(&rest[..at]);
        out.push_str("shared :: _");
        rest = &rest[at + SHARED.len()..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Per type name, its fields (`.field` or `::Variant.field` → type text).
type FieldsByType = BTreeMap<String, BTreeMap<String, String>>;

/// Fields and kind (`struct`, `enum`, `type = target`) of every type of one file.
fn declared(text: &str, path: &str) -> (FieldsByType, Vec<(String, String)>) {
    let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut fields = FieldsByType::new();
    let mut kinds = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                let own = fields.entry(name.clone()).or_default();
                for f in &s.fields {
                    if let Some(field) = &f.ident {
                        own.insert(format!(".{field}"), type_text(&f.ty));
                    }
                }
                kinds.push((name, "struct".to_string()));
            }
            syn::Item::Enum(e) => {
                let name = e.ident.to_string();
                let own = fields.entry(name.clone()).or_default();
                for v in &e.variants {
                    for f in &v.fields {
                        if let Some(field) = &f.ident {
                            own.insert(format!("::{}.{field}", v.ident), type_text(&f.ty));
                        }
                    }
                }
                kinds.push((name, "enum".to_string()));
            }
            syn::Item::Type(t) => {
                let target = t.ty.to_token_stream().to_string();
                kinds.push((t.ident.to_string(), format!("type = {target}")));
            }
            // A place of a shared type: `pub use crate::models::_shared::X as Place;`.
            syn::Item::Use(u) => {
                let text = u.tree.to_token_stream().to_string();
                if let Some((target, name)) = text.rsplit_once(" as ") {
                    kinds.push((name.trim().to_string(), format!("use = {}", target.trim())));
                }
            }
            _ => {}
        }
    }
    (fields, kinds)
}

fn models(output: &Output) -> Models {
    let mut m = Models::default();
    let mut shared_fields = BTreeMap::new();
    let mut public = Vec::new();
    for (path, text) in &output.files {
        if !path.contains("models/") || !path.ends_with(".rs") {
            continue;
        }
        let (fields, kinds) = declared(text, path);
        if path.ends_with("models/_shared.rs") {
            shared_fields = fields;
            m.shared.extend(kinds);
        } else {
            // Outside the shared types, fields name places (checked in the rules test): as is.
            for (name, own) in fields {
                for (field, ty) in own {
                    m.fields.insert(format!("{name}{field}"), ty);
                }
            }
            public.extend(kinds);
        }
    }
    for (name, kind) in public {
        // A place of a shared type shows the shared type's fields under the place's name.
        if let Some(target) = kind
            .strip_prefix("use = ")
            .or_else(|| kind.strip_prefix("type = "))
            .and_then(|t| t.strip_prefix(SHARED))
        {
            for (field, ty) in shared_fields.get(target).into_iter().flatten() {
                m.fields.insert(format!("{name}{field}"), caller_text(ty));
            }
        }
        m.types.insert(name, kind);
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

/// The rules themselves, on both versions: identical inline types share one hidden type, named after
/// what their places share, every place keeps its own name as an alias, fields outside the shared
/// types name places (never a hidden type), and fields holding structs are boxed (endpoint roots aside).
#[test]
fn shared_types_are_named_after_their_places() {
    // A place of a shared type re-exports it under its own name.
    let alias = |target: &str| format!("use = {SHARED}{target}");
    for version in ["stable_v1.yaml", "stable_v2.yaml"] {
        let m = models(&generate(version));
        let ty = |name: &str| m.types.get(name).map(String::as_str).unwrap_or("(missing)");
        let hidden = |name: &str| {
            m.shared
                .get(name)
                .map(String::as_str)
                .unwrap_or("(missing)")
        };
        // The owner: shared by widget, gadget and gizmo (v1) or doohickey (v2), hidden.
        assert_eq!(hidden("Owner"), "struct", "{version}");
        assert_eq!(ty("Owner"), "(missing)", "{version}: not a public name");
        assert_eq!(ty("WidgetOwner"), alias("Owner"), "{version}");
        assert_eq!(ty("GadgetOwner"), alias("Owner"), "{version}");
        // Nested places keep their names too; the shared type refers to the shared nested type,
        // which a caller names by the nested place's alias.
        assert_eq!(hidden("Address"), "struct", "{version}");
        assert_eq!(ty("WidgetOwnerAddress"), alias("Address"), "{version}");
        assert_eq!(
            m.fields["WidgetOwner.address"], "Option < Box < shared :: _ > >",
            "{version}"
        );
        assert_eq!(
            m.fields["Widget.owner"], "Option < Box < crate :: models :: WidgetOwner > >",
            "{version}"
        );
        assert_eq!(hidden("Label"), "struct", "{version}");
        assert_eq!(ty("WidgetLabel"), alias("Label"), "{version}");
        // The same shape under `meta` and `extra`: shared too; the places share no name word, so
        // the shared type is named after both, never after one of them.
        assert_eq!(ty("WidgetMeta"), alias("ExtraOrMeta"), "{version}");
        assert_eq!(ty("GadgetExtra"), alias("ExtraOrMeta"), "{version}");
        // Two shapes whose places are all `errors` items: two shared types, the second numbered
        // (in pointer order of their first places).
        assert_eq!(hidden("Error"), "struct", "{version}");
        assert_eq!(hidden("Error2"), "struct", "{version}");
        assert_eq!(ty("WidgetError"), alias("Error"), "{version}");
        assert_eq!(ty("GadgetError"), alias("Error"), "{version}");
        assert_eq!(ty("GizmoError"), alias("Error2"), "{version}");
        assert_eq!(ty("NodeError"), alias("Error2"), "{version}");
        // Recursion is boxed as before.
        assert_eq!(
            m.fields["Node.parent"], "Option < Box < crate :: models :: Node > >",
            "{version}"
        );
        // Outside the shared types' own file, the hidden module appears only in the places'
        // re-exports (or a deprecated place's type alias).
        for (path, text) in &generate(version).files {
            if path.ends_with("models/_shared.rs") || path.ends_with("models/mod.rs") {
                continue;
            }
            for line in text.lines().filter(|l| l.contains("_shared::")) {
                assert!(
                    line.starts_with("pub use ") || line.starts_with("pub type "),
                    "{version}: {path} names a hidden type outside a place's name: {line}"
                );
            }
        }
        // No field outside the shared types names a hidden type.
        for (field, text) in &m.fields {
            let public = !m
                .types
                .get(field.split(['.', ':']).next().unwrap_or_default())
                .is_some_and(|kind| {
                    kind.starts_with(&format!("use = {SHARED}"))
                        || kind.starts_with(&format!("type = {SHARED}"))
                });
            assert!(
                !public || !text.contains(SHARED),
                "{version}: {field} names a hidden type: {text}"
            );
        }
    }
}
