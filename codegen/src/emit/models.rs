//! Renders the types of `models/`: structs (with their constructor and setters), string enums,
//! tagged and untagged unions, aliases.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{
    allow_many_arguments, cfg_attr, cfg_attr_and, deprecated_attr, doc_attrs, mount, text,
    ty_tokens,
};
use crate::docs;
use crate::ir::{EnumValue, Field, Ir, Payload, TagValue, TaggedVariant, Ty, TypeId};
use crate::naming::ident_tokens;
use crate::plan::types::TEST_UTIL_FEATURE;
use crate::plan::{
    Absent, Accessor, Arg, Builder, Conversion, Derives, FieldPlan, FieldShape, KindPlan, Plan,
    Setter, SetterKind, TypePlan, UnionBuilder, VariantPlan,
};
use crate::render::{doc_comment_lines, doc_lines, inline_text, FileTokens};

/// Renders one type, from its plan alone.
pub(super) fn emit_type(plan: &Plan<'_>, id: TypeId, out: &mut FileTokens) {
    let ir = plan.ir;
    let Some(tp) = plan.ty(id) else {
        return;
    };
    let t = tp.def;
    let name = format_ident!("{}", t.name);
    let cfg = cfg_attr(&tp.cfg);
    let mut doc_text = t.meta.docs.clone().unwrap_or_default();
    if doc_text.is_empty() {
        doc_text = text::default_doc(t);
    }
    let own = doc_attrs(Some(&doc_text));
    let docs = match t.shares {
        // A place's alias of a shared type: the docs are the shared type's; these say which place
        // the alias names (written here, not taken from the spec, so not sanitized).
        Some(shared) => {
            let note = doc_lines(text::alias_note(plan, t, shared));
            quote! { #own #note }
        }
        // A shared type is documented by its places' re-exports, whose docs rustdoc puts first
        // on each page: its own would repeat them (identical schemas have the same docs).
        None if t.shared => quote! {
            #[allow(missing_docs, reason = "documented by each place's re-export")]
        },
        None => own,
    };
    let deprecated = deprecated_attr(&t.meta);
    let derives = tp.derives;
    let test_default = if derives.test_default && !derives.test_default_derived {
        test_default(tp, &name)
    } else {
        TokenStream::new()
    };
    let body = match &tp.kind {
        KindPlan::Struct(sp) => {
            let derived = Derives {
                deserialize: derives.deserialize && !sp.reader,
                serialize: derives.serialize && !sp.writer,
                ..derives
            };
            let derive = derive_attr(derived);
            // Fields carry `#[serde]` attributes only for serde's derives.
            let attrs = derived.serialize || derived.deserialize;
            let debug = if sp.redacted {
                secret_debug(&name, &sp.fields, &cfg)
            } else {
                TokenStream::new()
            };
            let builder = match &sp.builder {
                Some(b) if b.test_util => {
                    let cfg = cfg_attr_and(&tp.cfg, TEST_UTIL_FEATURE);
                    struct_builder(ir, &name, &sp.fields, b, &cfg, out)
                }
                Some(b) => struct_builder(ir, &name, &sp.fields, b, &cfg, out),
                None => TokenStream::new(),
            };
            let fields = sp.fields.iter().map(|fp| field_tokens(ir, fp, true, attrs));
            out.extend(quote! {
                #docs #deprecated #cfg #derive
                #[non_exhaustive]
                pub struct #name { #(#fields,)* }
            });
            if sp.reader {
                struct_reader(&name, &sp.fields, &cfg, out);
            }
            if sp.writer {
                struct_writer(&name, &sp.fields, &cfg, out);
            }
            quote! {
                #debug
                #builder
            }
        }
        KindPlan::Alias { target, reexport } => {
            let target = ty_tokens(ir, target);
            if *reexport {
                quote! { #docs #cfg pub use #target as #name; }
            } else {
                quote! { #docs #deprecated #cfg pub type #name = #target; }
            }
        }
        KindPlan::StringEnum { values, strict } => {
            emit_string_enum(ir, derives, *strict, &name, values, docs, deprecated, cfg)
        }
        KindPlan::Tagged {
            tags,
            variants,
            accessors,
            ..
        } => emit_tagged(
            ir, derives, accessors, &name, tags, variants, docs, deprecated, cfg,
        ),
        KindPlan::Untagged {
            unrecognized,
            variants,
            builder,
            declared_first,
        } => {
            let builder = match builder {
                Some(b) => union_builder(ir, &name, variants, b, &cfg),
                None => TokenStream::new(),
            };
            let derive = derive_attr(Derives {
                deserialize: derives.deserialize && !declared_first,
                ..derives
            });
            let vs: Vec<TokenStream> = variants
                .iter()
                .map(|vp| {
                    let v = vp.variant;
                    let vname = format_ident!("{}", v.name);
                    let vdocs = doc_attrs(Some(
                        v.meta
                            .docs
                            .clone()
                            .unwrap_or_else(|| text::default_variant_doc(v))
                            .as_str(),
                    ));
                    let vdep = deprecated_attr(&v.meta);
                    match &v.payload {
                        Payload::Fields(_) => {
                            let fields =
                                vp.fields.iter().map(|fp| field_tokens(ir, fp, false, true));
                            quote! { #vdocs #vdep #vname { #(#fields,)* } }
                        }
                        // The empty string (`enum: [""]`): a unit variant, sent and read as `""`.
                        Payload::Type(Ty::EmptyString) => {
                            let mount = mount(ir);
                            let ser = format!("{mount}::runtime::de::serialize_empty_string")
                                .replace(' ', "");
                            let de = format!("{mount}::runtime::de::deserialize_empty_string")
                                .replace(' ', "");
                            quote! {
                                #vdocs #vdep
                                #[serde(serialize_with = #ser, deserialize_with = #de)]
                                #vname
                            }
                        }
                        Payload::Type(ty) => {
                            let mut ty = ty_tokens(ir, ty);
                            if v.boxed {
                                ty = quote! { Box<#ty> };
                            }
                            quote! { #vdocs #vdep #vname(#ty) }
                        }
                    }
                })
                .collect();
            let unknown = if *unrecognized {
                quote! {
                    /// A value of a shape this version of the SDK does not know (not a value the
                    /// spec names).
                    Unrecognized(::serde_json::Value),
                }
            } else {
                TokenStream::new()
            };
            let de = if *declared_first {
                declared_first_de(ir, &name, variants, &vs, &unknown, *unrecognized, &cfg)
            } else {
                TokenStream::new()
            };
            quote! {
                #docs #deprecated #cfg #derive
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name { #(#vs,)* #unknown }
                #de
                #builder
            }
        }
    };
    out.extend(body);
    out.extend(test_default);
}

/// The placeholder `Default` of a decoded type, compiled only with the test-util feature
/// ([`Derives::test_default`]): a struct's [`Builder::placeholders`] get their type's `Default`
/// (empty, zero, `false`, recursively), a fixed value its value, the optional fields `None`; an
/// enum is its first value or variant.
fn test_default(tp: &TypePlan<'_>, name: &Ident) -> TokenStream {
    let default = quote! { Default::default() };
    let value = match &tp.kind {
        KindPlan::Struct(sp) => {
            let placeholders = sp.builder.as_ref().map_or(&[][..], |b| &b.placeholders[..]);
            let inits = field_inits(sp.fields.iter().map(|fp| fp.field), |i, _, _| {
                placeholders.contains(&i).then(|| default.clone())
            });
            quote! { Self { #(#inits,)* } }
        }
        KindPlan::StringEnum { values, .. } => match values.first() {
            Some(v) => {
                let v = format_ident!("{}", v.name);
                quote! { Self::#v }
            }
            None => quote! { Self::Unrecognized(String::new()) },
        },
        KindPlan::Tagged { variants, .. } => match variants.first() {
            Some(v) => {
                let v = format_ident!("{}", v.name);
                quote! { Self::#v(#default) }
            }
            None => return TokenStream::new(),
        },
        KindPlan::Untagged { variants, .. } => match variants.first() {
            Some(VariantPlan { variant: v, .. }) => {
                let vname = format_ident!("{}", v.name);
                match &v.payload {
                    Payload::Fields(fields) => {
                        let names = fields.iter().map(|f| ident_tokens(&f.name));
                        quote! { Self::#vname { #(#names: #default,)* } }
                    }
                    Payload::Type(Ty::EmptyString) => quote! { Self::#vname },
                    Payload::Type(_) => quote! { Self::#vname(#default) },
                }
            }
            None => return TokenStream::new(),
        },
        KindPlan::Alias { .. } => return TokenStream::new(),
    };
    let cfg = cfg_attr_and(&tp.cfg, TEST_UTIL_FEATURE);
    let doc = if matches!(tp.kind, KindPlan::Struct(_)) {
        format!(
            " For tests (cargo feature `{TEST_UTIL_FEATURE}`): placeholders (empty, zero, `false`, \
             a first value or variant), not data a server sends; change them with the setters."
        )
    } else {
        format!(
            " For tests (cargo feature `{TEST_UTIL_FEATURE}`): a placeholder, the first value or \
             variant."
        )
    };
    quote! {
        #cfg
        impl Default for #name {
            #[doc = #doc]
            fn default() -> Self {
                #value
            }
        }
    }
}

/// The `Deserialize` of a union whose variants are tried declaring-every-key first
/// ([`KindPlan::Untagged::declared_first`]): the value is read once into JSON, decoded as the first
/// newtype variant whose struct declares every key it has, else the first struct-like variant that
/// does (unknown keys refused), else as the first that decodes (unknown keys ignored), else, in
/// responses, kept whole as `Unrecognized`. The struct-like passes are private mirrors of the
/// union's variants, moved into it.
fn declared_first_de(
    ir: &Ir,
    name: &Ident,
    variants: &[VariantPlan<'_>],
    vs: &[TokenStream],
    unknown: &TokenStream,
    unrecognized: bool,
    cfg: &TokenStream,
) -> TokenStream {
    // Newtype variants holding a struct: chosen when the struct declares every key of the object.
    let newtypes: Vec<TokenStream> = variants
        .iter()
        .filter_map(|vp| {
            let v = vp.variant;
            let (Payload::Type(ty), Some(keys)) = (&v.payload, &vp.declared_keys) else {
                return None;
            };
            let vname = format_ident!("{}", v.name);
            let ty = ty_tokens(ir, ty);
            let wrap = if v.boxed {
                quote! { Box::new(v) }
            } else {
                quote! { v }
            };
            Some(quote! {
                {
                    const KEYS: &[&str] = &[#(#keys),*];
                    if object.keys().all(|k| KEYS.contains(&k.as_str())) {
                        if let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                            return Ok(Self::#vname(#wrap));
                        }
                    }
                }
            })
        })
        .collect();
    let newtype_pass = if newtypes.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            if let Some(object) = value.as_object() {
                #(#newtypes)*
            }
        }
    };
    let arms: Vec<TokenStream> = variants
        .iter()
        .map(|vp| {
            let v = vp.variant;
            let vname = format_ident!("{}", v.name);
            match &v.payload {
                Payload::Fields(fields) => {
                    let names: Vec<Ident> = fields.iter().map(|f| ident_tokens(&f.name)).collect();
                    quote! { M::#vname { #(#names),* } => Self::#vname { #(#names),* }, }
                }
                Payload::Type(Ty::EmptyString) => quote! { M::#vname => Self::#vname, },
                Payload::Type(_) => quote! { M::#vname(value) => Self::#vname(value), },
            }
        })
        .collect();
    // Struct-like variants: a mirror of them that refuses unknown keys.
    let struct_like: Vec<usize> = (0..variants.len())
        .filter(|&i| matches!(variants[i].variant.payload, Payload::Fields(_)))
        .collect();
    let (declared_def, declared_pass) = if struct_like.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        let dvs = struct_like.iter().map(|&i| &vs[i]);
        let darms = struct_like.iter().map(|&i| &arms[i]);
        let allow = quote! {
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::upper_case_acronyms)]
        };
        (
            quote! {
                /// The struct-like variants, each refusing keys it does not declare.
                #[derive(::serde::Deserialize)]
                #[serde(untagged, deny_unknown_fields)]
                #allow
                enum Declared { #(#dvs,)* }
            },
            quote! {
                if let Ok(declared) = <Declared as ::serde::Deserialize>::deserialize(&value) {
                    use Declared as M;
                    return Ok(match declared { #(#darms)* });
                }
            },
        )
    };
    let unknown_arm = if unrecognized {
        quote! { M::Unrecognized(value) => Self::Unrecognized(value), }
    } else {
        TokenStream::new()
    };
    let msg = format!("data did not match any variant of {name}");
    // The mirrors have the public union's names, which clippy lints only on private items.
    let allow = quote! {
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::upper_case_acronyms)]
    };
    quote! {
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            #[allow(deprecated)]
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #declared_def
                /// The variants as the union has them.
                #[derive(::serde::Deserialize)]
                #[serde(untagged)]
                #allow
                enum FirstFit { #(#vs,)* #unknown }
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #newtype_pass
                #declared_pass
                match <FirstFit as ::serde::Deserialize>::deserialize(value) {
                    Ok(first) => {
                        use FirstFit as M;
                        Ok(match first { #(#arms)* #unknown_arm })
                    }
                    Err(_) => Err(
                        <D::Error as ::serde::de::Error>::custom(#msg),
                    ),
                }
            }
        }
    }
}

/// A field's Rust type: its schema's type, boxed, in the `Option`s of its shape.
fn field_type(ir: &Ir, fp: &FieldPlan<'_>) -> TokenStream {
    let mut base = ty_tokens(ir, &fp.field.ty);
    if fp.boxed {
        base = quote! { Box<#base> };
    }
    match fp.shape {
        FieldShape::Flatten | FieldShape::Required { .. } => base,
        FieldShape::RequiredNullable | FieldShape::Optional => {
            quote! { Option<#base> }
        }
        FieldShape::DoubleOption { .. } => {
            quote! { Option<Option<#base>> }
        }
    }
}

/// The field declaration (with visibility when `public`) and, when `serde_attrs` (a serde derive
/// reads them), its serde attributes.
fn field_tokens(ir: &Ir, fp: &FieldPlan<'_>, public: bool, serde_attrs: bool) -> TokenStream {
    let f = fp.field;
    let name = ident_tokens(&f.name);
    let docs = match f.meta.docs.as_deref() {
        Some(d) => doc_attrs(Some(d)),
        None => match text::default_field_doc(ir, f) {
            Some(d) => doc_attrs(Some(&d)),
            // The spec says nothing of the field but its name and type, which rustdoc shows.
            None => quote! { #[allow(missing_docs)] },
        },
    };
    let deprecated = deprecated_attr(&f.meta);
    let mut serde: Vec<TokenStream> = Vec::new();
    if let Some(wire) = &fp.rename {
        serde.push(quote! { rename = #wire });
    }
    if fp.skip_serializing {
        serde.push(quote! { skip_serializing });
    }
    if let Some(module) = fp.with {
        let path = format!("{}::runtime::de::{module}", ir.mount);
        serde.push(quote! { with = #path });
    }
    match fp.shape {
        FieldShape::Flatten => {
            serde.push(quote! { flatten });
        }
        FieldShape::Required {
            default_when_missing,
        } => {
            if default_when_missing {
                serde.push(quote! { default });
            }
            if fp.strict {
                let path = format!("{}::runtime::de::known", ir.mount);
                serde.push(quote! { deserialize_with = #path });
            }
        }
        FieldShape::RequiredNullable => {
            serde.push(quote! { default });
            if fp.strict {
                let path = format!("{}::runtime::de::known_option", ir.mount);
                serde.push(quote! { deserialize_with = #path });
            }
        }
        FieldShape::DoubleOption { deserialize_with } => {
            serde.push(quote! { default, skip_serializing_if = "Option::is_none" });
            if deserialize_with {
                let path = format!("{}::runtime::de::double_option", ir.mount);
                serde.push(quote! { deserialize_with = #path });
            }
        }
        FieldShape::Optional => {
            serde.push(quote! { default, skip_serializing_if = "Option::is_none" });
            if fp.strict {
                let path = format!("{}::runtime::de::known_option", ir.mount);
                serde.push(quote! { deserialize_with = #path });
            }
        }
    }
    let ty = field_type(ir, fp);
    let serde_attr = if serde.is_empty() || !serde_attrs {
        TokenStream::new()
    } else {
        quote! { #[serde(#(#serde),*)] }
    };
    let vis = if public {
        quote! { pub }
    } else {
        TokenStream::new()
    };
    quote! { #docs #deprecated #serde_attr #vis #name: #ty }
}

/// A struct's generated reader ([`crate::plan::StructPlan::reader`]): a call of the crate's
/// `read_object!` (see [`super::models_mod`]) with its fields by what an absent key gives, each
/// read into a local named as the field.
fn struct_reader(name: &Ident, reads: &[FieldPlan<'_>], cfg: &TokenStream, out: &mut FileTokens) {
    let mut lines = vec![format!("{name};")];
    for (absent, word) in [
        (Absent::Missing, "required"),
        (Absent::Default, "default"),
        (Absent::Kept, "kept"),
    ] {
        lines.extend(
            reads
                .iter()
                .filter(|r| r.absent == absent)
                .map(|r| field_line(word, r)),
        );
    }
    let call = out.macro_call(cfg.clone(), "read_object", lines);
    out.extend(call);
}

/// A struct's generated `Serialize` ([`crate::plan::StructPlan::writer`]): a call of the crate's
/// `write_object!` with a line per field written, an optional one only when set.
fn struct_writer(name: &Ident, fields: &[FieldPlan<'_>], cfg: &TokenStream, out: &mut FileTokens) {
    let mut lines = vec![format!("{name};")];
    lines.extend(
        fields
            .iter()
            .filter(|w| !w.skip_serializing)
            .map(|w| field_line(if w.when_some { "put_some" } else { "put" }, w)),
    );
    let call = out.macro_call(cfg.clone(), "write_object", lines);
    out.extend(call);
}

/// A field's line in a reader's or writer's table: `how field: "key";`.
fn field_line(how: &str, fp: &FieldPlan<'_>) -> String {
    format!(
        "{how} {}: {};",
        ident_tokens(&fp.field.name),
        proc_macro2::Literal::string(&fp.field.wire)
    )
}

fn derive_attr(derives: Derives) -> TokenStream {
    let mut out: Vec<TokenStream> = Vec::new();
    if derives.debug {
        out.push(quote! { Debug });
    }
    out.extend([quote! { Clone }, quote! { PartialEq }]);
    if derives.default {
        out.push(quote! { Default });
    }
    if derives.serialize {
        out.push(quote! { ::serde::Serialize });
    }
    if derives.deserialize {
        out.push(quote! { ::serde::Deserialize });
    }
    let test_default = if derives.test_default_derived {
        quote! { #[cfg_attr(feature = #TEST_UTIL_FEATURE, derive(Default))] }
    } else {
        TokenStream::new()
    };
    quote! { #[derive(#(#out),*)] #test_default }
}

/// A `Debug` impl that prints every field but the credentials, which show as `<redacted>`.
fn secret_debug(name: &Ident, fields: &[FieldPlan<'_>], cfg: &TokenStream) -> TokenStream {
    let shown = name.to_string();
    let entries = fields.iter().map(|fp| {
        let field = ident_tokens(&fp.field.name);
        let label = &fp.field.name;
        if fp.redacted {
            quote! { .field(#label, &"<redacted>") }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    quote! {
        #cfg
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#shown) #(#entries)* .finish()
            }
        }
    }
}

#[allow(clippy::too_many_arguments)] // Each is a part of the item rendered.
fn emit_string_enum(
    ir: &Ir,
    derives: Derives,
    strict: bool,
    name: &Ident,
    values: &[EnumValue],
    docs: TokenStream,
    deprecated: TokenStream,
    cfg: TokenStream,
) -> TokenStream {
    let variants: Vec<Ident> = values.iter().map(|v| format_ident!("{}", v.name)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let vdocs: Vec<String> = wires.iter().map(|w| format!(" `{w}`")).collect();
    // `Display` and `Serialize` write `as_str()` (see `models_mod`'s `as_str_traits`).
    let text_traits = if derives.serialize {
        quote! {
            #cfg
            as_str_traits!(#name);
        }
    } else {
        quote! {
            #cfg
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        }
    };
    let de = if derives.deserialize {
        quote! {
            #cfg
            deserialize_by!(string_enum, #name);
        }
    } else {
        TokenStream::new()
    };
    let known = if strict && derives.deserialize {
        let root = mount(ir);
        quote! {
            #cfg
            impl #root::runtime::de::KnownValues for #name {
                fn is_known(&self) -> bool {
                    !matches!(self, Self::Unrecognized(_))
                }
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #known
        #docs #deprecated #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #vdocs] #variants, )*
            /// A value this version of the SDK does not know yet (not a value the spec names):
            /// match on [`as_str`](Self::as_str) to handle it.
            Unrecognized(String),
        }
        #cfg
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unrecognized(value) => value,
                }
            }
        }
        #cfg
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }
        #text_traits
        #de
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_tagged(
    ir: &Ir,
    derives: Derives,
    accessors: &[Accessor],
    name: &Ident,
    tags: &[String],
    variants: &[TaggedVariant],
    docs: TokenStream,
    deprecated: TokenStream,
    cfg: TokenStream,
) -> TokenStream {
    let vnames: Vec<Ident> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let vtys: Vec<TokenStream> = variants
        .iter()
        .map(|v| ty_tokens(ir, &Ty::Named(v.ty)))
        .collect();
    let vdocs: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let desc: Vec<String> = tags
                .iter()
                .zip(&v.tag_values)
                .map(|(k, val)| format!("`{k}: {val}`"))
                .collect();
            let text = format!("The variant with {}.", desc.join(", "));
            doc_attrs(Some(&text))
        })
        .collect();
    let vdeps: Vec<TokenStream> = variants
        .iter()
        .map(|v| deprecated_attr(&ir.types[ir.resolve(v.ty)].meta))
        .collect();
    let tr = derives;
    let mut derives = vec![quote! { Debug }, quote! { Clone }, quote! { PartialEq }];
    if tr.serialize {
        derives.push(quote! { ::serde::Serialize });
    }
    let unknown = if tr.deserialize {
        quote! {
            /// A variant this version of the SDK does not know yet (not one the spec names), kept
            /// as JSON.
            Unrecognized(::serde_json::Value),
        }
    } else {
        TokenStream::new()
    };
    let root = mount(ir);
    let de = if tr.deserialize {
        let n = proc_macro2::Literal::usize_unsuffixed(tags.len());
        let arms = variants.iter().zip(&vnames).map(|(v, vname)| {
            let pats = v.tag_values.iter().map(|x| match x {
                TagValue::Str(s) => quote! { Tag::Str(#s) },
                TagValue::Int(n) => {
                    let n = proc_macro2::Literal::i64_unsuffixed(*n);
                    quote! { Tag::Int(#n) }
                }
                TagValue::Bool(b) => quote! { Tag::Bool(#b) },
            });
            quote! { [#(#pats),*] => rest.decode().map(Self::#vname), }
        });
        quote! {
            #cfg
            deserialize_by!(tagged #n, #name);
            #cfg
            #[doc(hidden)]
            impl #root::runtime::de::Tagged<#n> for #name {
                const TAGS: [&'static str; #n] = [#(#tags),*];
                fn choose<'de, M: ::serde::de::MapAccess<'de>>(
                    tags: [#root::runtime::de::Tag<'_>; #n],
                    rest: #root::runtime::de::Rest<'_, 'de, M, #n>,
                ) -> Result<Self, M::Error> {
                    use #root::runtime::de::Tag;
                    match tags {
                        #(#arms)*
                        _ => rest.decode().map(Self::Unrecognized),
                    }
                }
            }
        }
    } else {
        TokenStream::new()
    };
    // Variants are decoded one value at a time and matched by users; boxing them would cost an
    // allocation per value for no gain, so the size difference between variants is accepted.
    let large = quote! { #[allow(clippy::large_enum_variant)] };
    let tag_doc = format!(
        " Told apart by {}.",
        tags.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let accessors = tagged_accessors(ir, accessors, name, &cfg, &vnames, variants, tr.deserialize);
    quote! {
        #accessors
        #docs
        #[doc = ""]
        #[doc = #tag_doc]
        #deprecated #cfg
        #[derive(#(#derives),*)]
        #[serde(untagged)]
        #large
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #vdeps #vnames(#vtys), )*
            #unknown
        }
        #de
    }
}

fn tagged_accessors(
    ir: &Ir,
    common: &[Accessor],
    name: &Ident,
    cfg: &TokenStream,
    vnames: &[Ident],
    variants: &[TaggedVariant],
    has_unknown: bool,
) -> TokenStream {
    if common.is_empty() {
        return TokenStream::new();
    }
    let methods = common.iter().map(|a| {
        let f = &a.field;
        let field = ident_tokens(&f.name);
        let wire = &f.wire;
        let doc = doc_attrs(Some(&text::tagged_accessor_doc(
            ir,
            variants,
            f,
            has_unknown,
        )));
        let (ret, get, json) = match (&f.ty, a.values) {
            // Every variant fixes the value: an enum of the values.
            (Ty::String, Some(values)) => {
                let ty = ty_tokens(ir, &Ty::Named(values));
                (
                    ty.clone(),
                    quote! { #ty::from(v.#field.as_str()) },
                    quote! { |value: &::serde_json::Value| value.as_str().map(#ty::from) },
                )
            }
            (Ty::String, None) => (
                quote! { &str },
                quote! { v.#field.as_str() },
                quote! { ::serde_json::Value::as_str },
            ),
            (Ty::Boolean, _) => (
                quote! { bool },
                quote! { v.#field },
                quote! { ::serde_json::Value::as_bool },
            ),
            (Ty::Timestamp, _) => {
                let ty = ty_tokens(ir, &f.ty);
                (
                    ty.clone(),
                    quote! { v.#field.clone() },
                    quote! { |value: &::serde_json::Value| value.as_str().map(#ty::from) },
                )
            }
            (Ty::Integer, _) => (
                quote! { i64 },
                quote! { v.#field },
                quote! { ::serde_json::Value::as_i64 },
            ),
            _ => (
                quote! { f64 },
                quote! { v.#field },
                quote! { ::serde_json::Value::as_f64 },
            ),
        };
        let unknown = if has_unknown {
            quote! { Self::Unrecognized(value) => value.get(#wire).and_then(#json), }
        } else {
            TokenStream::new()
        };
        quote! {
            #doc
            pub fn #field(&self) -> Option<#ret> {
                match self {
                    #( Self::#vnames(v) => Some(#get), )*
                    #unknown
                }
            }
        }
    });
    quote! {
        #cfg
        impl #name {
            #(#methods)*
        }
    }
}

/// The argument type of a constructor argument or setter, and how the stored value is made from
/// `value`.
pub(super) fn arg_tokens(
    ir: &Ir,
    f: &Field,
    conversion: Conversion,
    value: &Ident,
) -> (TokenStream, TokenStream) {
    let (arg, mut expr) = match conversion {
        Conversion::IntoString => (quote! { impl Into<String> }, quote! { #value.into() }),
        Conversion::StringIter => (
            quote! { impl IntoIterator<Item = impl Into<String>> },
            quote! { #value.into_iter().map(Into::into).collect() },
        ),
        Conversion::Plain => (ty_tokens(ir, &f.ty), quote! { #value }),
        Conversion::Into => {
            let ty = ty_tokens(ir, &f.ty);
            (quote! { impl Into<#ty> }, quote! { #value.into() })
        }
    };
    if f.boxed {
        expr = quote! { Box::new(#expr) };
    }
    (arg, expr)
}

/// The fields of a struct by index, as [`Arg::field`] and [`Setter::field`] name them: a struct's
/// plan ([`crate::plan::StructPlan::fields`]), or the fields of an operation's params struct.
pub(super) trait Fields {
    /// The field at index `i`.
    fn at(&self, i: usize) -> &Field;
}

impl Fields for [Field] {
    fn at(&self, i: usize) -> &Field {
        &self[i]
    }
}

impl Fields for [FieldPlan<'_>] {
    fn at(&self, i: usize) -> &Field {
        self[i].field
    }
}

/// The group method's or constructor's parameter list: `name: type` per argument.
pub(super) fn arg_list(
    ir: &Ir,
    fields: &(impl Fields + ?Sized),
    args: &[Arg],
) -> Vec<(Ident, TokenStream)> {
    args.iter()
        .map(|a| {
            let n = ident_tokens(&a.name);
            let (ty, _) = arg_tokens(ir, fields.at(a.field), a.conversion, &n);
            (n, ty)
        })
        .collect()
}

/// A setter's parts, rendered as a method ([`render_setter`]) or as lines of a crate's `setters!`
/// ([`setter_lines`]); documented with the field's first paragraph, or, when `brief` (a setter for
/// tests, on the page that documents the field), by the field's name alone.
struct SetterParts {
    /// The doc text (unsanitized).
    doc: String,
    /// `#[deprecated]` and lint attributes.
    attrs: TokenStream,
    method: Ident,
    /// `value: T`, or nothing (a setter that clears).
    param: TokenStream,
    field: Ident,
    /// What the field is set to.
    value: TokenStream,
}

fn setter_parts(
    ir: &Ir,
    fields: &(impl Fields + ?Sized),
    setter: &Setter,
    brief: bool,
) -> SetterParts {
    let f = fields.at(setter.field);
    let (doc, param, value) = match setter.kind {
        SetterKind::Set {
            conversion,
            double_option,
        } => {
            let (arg, value) = arg_tokens(ir, f, conversion, &format_ident!("value"));
            let stored = if double_option {
                quote! { Some(Some(#value)) }
            } else {
                quote! { Some(#value) }
            };
            (
                text::setter_doc(ir, f, false, brief),
                quote! { value: #arg },
                stored,
            )
        }
        SetterKind::Clear => (
            text::setter_doc(ir, f, true, brief),
            TokenStream::new(),
            quote! { Some(None) },
        ),
        SetterKind::Replace { conversion } => {
            let (arg, value) = arg_tokens(ir, f, conversion, &format_ident!("value"));
            (
                text::setter_doc(ir, f, false, brief),
                quote! { value: #arg },
                value,
            )
        }
    };
    let mut attrs = deprecated_attr(&f.meta);
    // Clippy expects `is_`/`to_`/`as_`/`from_` methods to borrow `self` (or take none); a setter
    // takes it by value, and keeps its field's name.
    if ["is_", "to_", "as_", "from_"]
        .iter()
        .any(|p| setter.method.starts_with(p))
    {
        attrs.extend(quote! {
            #[allow(clippy::wrong_self_convention, reason = "a setter named like its field")]
        });
    }
    SetterParts {
        doc,
        attrs,
        method: ident_tokens(&setter.method),
        param,
        field: ident_tokens(&f.name),
        value,
    }
}

/// A setter as a method, setting the field of `owner` (`self`, or `self.params` on a request) and
/// returning `self`, with `extra` attributes.
pub(super) fn render_setter(
    ir: &Ir,
    fields: &(impl Fields + ?Sized),
    setter: &Setter,
    owner: &TokenStream,
    extra: &TokenStream,
    brief: bool,
) -> TokenStream {
    let SetterParts {
        doc,
        attrs,
        method,
        param,
        field,
        value,
    } = setter_parts(ir, fields, setter, brief);
    let doc = doc_attrs(Some(&doc));
    // No `#[inline]`: a setter is generic (`impl Into<..>`) or small enough for the compiler to
    // inline across crates on its own, and the attribute on 7,000 of them changed no build time
    // (docs/performance.md) but was text to generate.
    quote! {
        #doc
        #attrs
        #extra
        pub fn #method(mut self, #param) -> Self {
            #owner.#field = #value;
            self
        }
    }
}

/// A struct's setters as the body of the crate's `setters!` (see [`super::models_mod`]): each its
/// docs and attributes, then `fn method(value: T) { field = value }`, which the macro makes a
/// `#[must_use]` method that sets the field and returns `self`.
fn setter_lines(
    ir: &Ir,
    fields: &(impl Fields + ?Sized),
    setters: &[Setter],
    brief: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    for setter in setters {
        let SetterParts {
            doc,
            attrs,
            method,
            param,
            field,
            value,
        } = setter_parts(ir, fields, setter, brief);
        lines.extend(doc_comment_lines(docs::sanitize(&doc)));
        if !attrs.is_empty() {
            lines.push(inline_text(attrs));
        }
        lines.push(format!(
            "fn {method}({}) {{ {field} = {} }}",
            inline_text(param),
            inline_text(value)
        ));
    }
    lines
}

/// A constructor's parameters (`name: type`) and its field initializers: each argument converted
/// into its field (`name` alone when no conversion is needed), the other fields `None`.
fn ctor_parts(
    ir: &Ir,
    fields: &[FieldPlan<'_>],
    args: &[Arg],
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let params = arg_list(ir, fields, args)
        .into_iter()
        .map(|(n, ty)| quote! { #n: #ty })
        .collect();
    let inits = field_inits(fields.iter().map(|fp| fp.field), |i, f, n| {
        let a = args.iter().find(|a| a.field == i)?;
        Some(arg_tokens(ir, f, a.conversion, n).1)
    });
    (params, inits)
}

/// A struct literal's field initializers: `value(index, field, its ident)` for the fields it gives
/// a value (a constructor's arguments, a test value's placeholders; `name` alone when the value is
/// the field's own name), a fixed value's text, an empty flattened map, `None` for the rest.
fn field_inits<'f>(
    fields: impl Iterator<Item = &'f Field>,
    value: impl Fn(usize, &Field, &Ident) -> Option<TokenStream>,
) -> Vec<TokenStream> {
    fields
        .enumerate()
        .map(|(i, f)| {
            let n = ident_tokens(&f.name);
            match (value(i, f, &n), f.fixed_value()) {
                (Some(expr), _) if n == expr.to_string() => quote! { #n },
                (Some(expr), _) => quote! { #n: #expr },
                (None, Some(fixed)) => quote! { #n: String::from(#fixed) },
                // A flattened map that is no argument starts empty.
                (None, None) if f.flatten => quote! { #n: Default::default() },
                (None, None) => quote! { #n: None },
            }
        })
        .collect()
}

/// A function per struct-like variant of a union that requests send, and `From` a string for the
/// variant a string converts into.
fn union_builder(
    ir: &Ir,
    name: &Ident,
    variants: &[VariantPlan<'_>],
    builder: &UnionBuilder,
    cfg: &TokenStream,
) -> TokenStream {
    let fns = builder.constructors.iter().map(|c| {
        let vp = &variants[c.variant];
        let v = vp.variant;
        let vname = format_ident!("{}", v.name);
        let method = ident_tokens(&c.method);
        let (params, inits) = ctor_parts(ir, &vp.fields, &c.args);
        let set: Vec<String> = vp
            .fields
            .iter()
            .map(|fp| text::field_label(fp.field))
            .collect();
        let doc = format!(" [`Self::{}`]: with {}.", v.name, set.join(" and "));
        let deprecated = deprecated_attr(&v.meta);
        let many = allow_many_arguments(params.len());
        quote! {
            #[doc = #doc]
            #deprecated
            #[inline]
            #many
            pub fn #method(#(#params),*) -> Self {
                Self::#vname { #(#inits,)* }
            }
        }
    });
    let from_str = builder.from_str.map(|i| {
        let vp = &variants[i];
        let vname = format_ident!("{}", vp.variant.name);
        // The plan chose a variant of one string field.
        let Some(f) = vp.fields.first().map(|fp| fp.field) else {
            return TokenStream::new();
        };
        let (field, wire) = (ident_tokens(&f.name), &f.wire);
        let v = vp.variant;
        let doc = format!(" A string is a `{wire}`: [`Self::{}`].", v.name);
        quote! {
            #cfg
            impl From<&str> for #name {
                #[doc = #doc]
                #[inline]
                fn from(value: &str) -> Self {
                    Self::#vname { #field: value.into() }
                }
            }
            #cfg
            impl From<&String> for #name {
                #[doc = #doc]
                #[inline]
                fn from(value: &String) -> Self {
                    Self::#vname { #field: value.clone() }
                }
            }
            #cfg
            impl From<String> for #name {
                #[doc = #doc]
                #[inline]
                fn from(value: String) -> Self {
                    Self::#vname { #field: value }
                }
            }
        }
    });
    quote! {
        #cfg
        impl #name {
            #(#fns)*
        }
        #from_str
    }
}

/// `new(required…)` (unless the struct is `Default`) and a setter per field of a struct: the struct
/// is `#[non_exhaustive]`, so a field added to the spec breaks no caller. Those of a struct only
/// responses hold (for tests, `cfg` has the feature) say so in their docs.
fn struct_builder(
    ir: &Ir,
    name: &Ident,
    fields: &[FieldPlan<'_>],
    builder: &Builder,
    cfg: &TokenStream,
    out: &mut FileTokens,
) -> TokenStream {
    // Said once, on the impl block (rustdoc shows it above the methods), not on each method.
    let note = if builder.test_util {
        doc_lines(text::test_util_note(builder.new.is_some()))
    } else {
        TokenStream::new()
    };
    let ctor = match &builder.new {
        None => TokenStream::new(),
        Some(args) => {
            let (params, inits) = ctor_parts(ir, fields, args);
            let required: Vec<String> = args
                .iter()
                .map(|a| format!("`{}`", fields.at(a.field).wire))
                .collect();
            let fixed: Vec<String> = fields
                .iter()
                .filter_map(|fp| {
                    let f = fp.field;
                    f.fixed_value().map(|v| format!("`{}` is `{v:?}`", f.wire))
                })
                .collect();
            let mut doc = if !required.is_empty() {
                format!(
                    " With the required {}; the rest unset (set them with the setters).",
                    required.join(", ")
                )
            } else if fixed.is_empty() {
                " Nothing set; every field is optional or `null`.".to_string()
            } else {
                " The rest unset (set them with the setters).".to_string()
            };
            if !fixed.is_empty() {
                doc.push_str(&format!(
                    " {} (the only value the spec allows).",
                    fixed.join(", ")
                ));
            }
            let many = allow_many_arguments(params.len());
            quote! {
                #[doc = #doc]
                #[inline]
                #many
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits,)* }
                }
            }
        }
    };
    let setters = if builder.setters.is_empty() {
        TokenStream::new()
    } else {
        let lines = setter_lines(ir, fields, &builder.setters, builder.test_util);
        out.macro_call(TokenStream::new(), "setters", lines)
    };
    let default = if builder.default_from_new {
        quote! {
            #cfg
            impl Default for #name {
                /// [`Self::new`]: its fixed values set, the rest unset.
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #note
        #cfg
        impl #name {
            #ctor
            #setters
        }
        #default
    }
}
