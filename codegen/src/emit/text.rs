//! Doc text the spec does not give: what a field's type says, a variant's or type's default doc, a
//! union accessor's, an endpoint's call shape, a setter's lead and an alias's note.

use std::collections::BTreeSet;

use crate::ir::{
    Field, Ir, Operation, Payload, ResponseBody, Returns, TaggedVariant, Ty, TypeDef, TypeId,
    TypeKind, UntaggedVariant,
};
use crate::plan::types::TEST_UTIL_FEATURE;
use crate::plan::{KindPlan, Plan, StructPlan};

/// Docs for a field the spec does not describe, from what is known of its values: its type's
/// description (first paragraph), a string enum's values, a link to its type, a constant, a string
/// format, a default. `None` when nothing is known beyond the name and type.
pub(super) fn default_field_doc(ir: &Ir, f: &Field) -> Option<String> {
    let notes = &f.meta.values;
    let mut parts: Vec<String> = Vec::new();
    if let Some(what) = describe_ty(ir, &f.ty) {
        parts.push(what);
    }
    if let Some(c) = &notes.constant {
        parts.push(format!("Always `{c}`."));
    } else if let Some(format) = &notes.format {
        parts.push(format!("A `{format}` string."));
    }
    if let Some(d) = &notes.default {
        parts.push(format!("Default: `{d}`."));
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

/// What a field's type says that its Rust type does not: the named type's description or values,
/// or a link to it.
fn describe_ty(ir: &Ir, ty: &Ty) -> Option<String> {
    #[derive(PartialEq)]
    enum Shape {
        One,
        List,
        Map,
    }
    let (shape, inner) = match ty {
        Ty::Option(inner) => return describe_ty(ir, inner),
        Ty::List(inner) => (Shape::List, inner.as_ref()),
        Ty::Map(inner) => (Shape::Map, inner.as_ref()),
        other => (Shape::One, other),
    };
    let inner = match inner {
        Ty::Option(x) => x.as_ref(),
        x => x,
    };
    match inner {
        Ty::Named(id) => {
            let t = &ir.types[ir.resolve(*id)];
            if let Some(first) = t.meta.docs.as_deref().map(crate::docs::first_paragraph) {
                return Some(first);
            }
            if let TypeKind::StringEnum(values) = &t.kind {
                const SHOWN: usize = 24;
                let mut text: Vec<String> = values
                    .iter()
                    .take(SHOWN)
                    .map(|v| format!("`{}`", v.wire))
                    .collect();
                if values.len() > SHOWN {
                    text.push(format!("and {} more", values.len() - SHOWN));
                }
                let lead = match shape {
                    Shape::One => "One of",
                    Shape::List => "Each one of",
                    Shape::Map => "Values: each one of",
                };
                return Some(format!("{lead} {}.", text.join(", ")));
            }
            // The place's own name, as the field's type shows it.
            let name = &ir.types[*id].name;
            // A shared type is hidden, and its name not stable: not shown (the caller names it by
            // the nested place's alias).
            if ir.types[*id].shared {
                return None;
            }
            let link = format!("[`{name}`]({}::models::{name})", ir.mount);
            Some(match shape {
                Shape::One => format!("A {link}."),
                Shape::List => format!("A list of {link}."),
                Shape::Map => format!("{link} values by key."),
            })
        }
        Ty::List(_) | Ty::Map(_) => describe_ty(ir, inner),
        Ty::Json if shape == Shape::One => {
            Some("Any JSON value: the spec gives no shape.".to_string())
        }
        Ty::JsonObject if shape == Shape::One => {
            Some("A JSON object: the spec lists no properties.".to_string())
        }
        _ => None,
    }
}

/// A field as a variant's docs name it: `key`, or `key: value` for a value the spec fixes.
pub(super) fn field_label(f: &Field) -> String {
    match f.fixed_value() {
        Some(v) => format!("`{}: {v}`", f.wire),
        None => format!("`{}`", f.wire),
    }
}

pub(super) fn default_variant_doc(v: &UntaggedVariant) -> String {
    match &v.payload {
        Payload::Fields(fields) if fields.is_empty() => "No properties.".to_string(),
        Payload::Fields(fields) => {
            let req: Vec<String> = fields
                .iter()
                .filter(|f| f.required)
                .map(field_label)
                .collect();
            if req.is_empty() {
                "Only optional properties.".to_string()
            } else {
                format!("With {}.", req.join(" and "))
            }
        }
        Payload::Type(Ty::EmptyString) => {
            "The empty string, which the spec allows here in place of a value (to clear it)."
                .to_string()
        }
        Payload::Type(_) => format!("A {} value.", v.name.to_lowercase()),
    }
}

pub(super) fn default_doc(t: &TypeDef) -> String {
    let words: Vec<&str> = t.hint.iter().map(String::as_str).collect();
    if t.shared {
        return format!(
            "The type that identical `{}` schemas share (each place names it by its own alias).",
            words.join(".")
        );
    }
    match words.last().copied() {
        Some("params") => format!("Parameters of `{}`.", words[..words.len() - 1].join(".")),
        Some("response") => format!("The response of `{}`.", words[..words.len() - 1].join(".")),
        _ => format!(
            "The `{}` value of `{}`.",
            words.last().copied().unwrap_or("?"),
            words.join(".")
        ),
    }
}

/// Docs of a union's accessor, true of every variant: the field's description when all variants
/// give the same one; else the values it takes when each variant fixes one (a tag); else what all
/// variants say of it (format).
pub(super) fn tagged_accessor_doc(
    ir: &Ir,
    variants: &[TaggedVariant],
    f: &Field,
    has_unknown: bool,
) -> String {
    let fields: Vec<&Field> = variants
        .iter()
        .filter_map(|v| ir.struct_fields(v.ty).iter().find(|g| g.wire == f.wire))
        .collect();
    let wire = &f.wire;
    let docs: BTreeSet<Option<&str>> = fields.iter().map(|g| g.meta.docs.as_deref()).collect();
    let constants: Option<Vec<&str>> = fields
        .iter()
        .map(|g| g.meta.values.constant.as_deref())
        .collect();
    let formats: BTreeSet<Option<&str>> = fields
        .iter()
        .map(|g| g.meta.values.format.as_deref())
        .collect();
    let mut text = match (docs.iter().next(), constants) {
        (Some(Some(d)), _) if docs.len() == 1 => d.to_string(),
        (_, Some(values)) => {
            let mut seen = BTreeSet::new();
            let distinct: Vec<&str> = values.into_iter().filter(|v| seen.insert(*v)).collect();
            const SHOWN: usize = 24;
            let mut shown: Vec<String> = distinct
                .iter()
                .take(SHOWN)
                .map(|v| format!("`{v}`"))
                .collect();
            if distinct.len() > SHOWN {
                shown.push(format!(
                    "and {} more (see the variants)",
                    distinct.len() - SHOWN
                ));
            }
            format!("The variant's `{wire}`: {}.", shown.join(", "))
        }
        _ => match formats.iter().next() {
            Some(Some(format)) if formats.len() == 1 => {
                format!("The variant's `{wire}`, a `{format}` string.")
            }
            _ => format!("The variant's `{wire}` (every variant has one)."),
        },
    };
    if has_unknown {
        text.push_str(&format!(
            "\n\n`None` only for an unknown variant whose `{wire}` is missing or of another type."
        ));
    }
    text
}

/// The doc text of an endpoint function.
pub(super) fn operation_doc(op: &Operation) -> String {
    let mut text = String::new();
    if let Some(title) = &op.title {
        text.push_str(title.trim().trim_end_matches('.'));
        text.push_str(".\n\n");
    }
    if let Some(d) = &op.meta.docs {
        text.push_str(d);
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method.wire(), op.path));
    for gate in &op.gates {
        text.push_str(&format!(
            "\n\n{} (feature `{}`): {}",
            gate.label, gate.feature, gate.note
        ));
    }
    if let Some(job) = op.job.as_ref().filter(|j| j.returned) {
        text.push_str("\n\n");
        text.push_str(&job.doc);
    }
    text
}

/// A setter's doc: what it sets, and (unless `brief`) the first paragraph of the field's docs.
pub(super) fn setter_doc(ir: &Ir, f: &Field, clear: bool, brief: bool) -> String {
    let text = f
        .meta
        .docs
        .clone()
        .or_else(|| default_field_doc(ir, f))
        .map(|d| crate::docs::first_paragraph(&d).trim().to_string())
        .unwrap_or_default();
    let lead = if clear {
        format!("Sends `{}` as `null`.", f.wire)
    } else {
        format!("Sets `{}`.", f.wire)
    };
    if text.is_empty() || clear || brief {
        lead
    } else {
        format!("{lead} {text}")
    }
}

/// The doc of the impl block of the setters that exist for tests only (of a struct only responses
/// hold): what they are for, where a value starts (`Default`, or `new` when the struct has one) and
/// the feature they need, once for all of them.
pub(super) fn test_util_note(has_new: bool) -> Vec<String> {
    let start = if has_new { "new" } else { "Default" };
    vec![format!(
        " For tests (cargo feature `{TEST_UTIL_FEATURE}`): the setters of a value that only \
         responses hold (start from `{start}`), e.g. to serve from a mock server."
    )]
}

/// The note on a place's name for a shared type: which place it names, and how to build or read it
/// (a deprecated place's type alias gets no list of methods from rustdoc).
pub(super) fn alias_note(plan: &Plan<'_>, t: &TypeDef, shared: TypeId) -> Vec<String> {
    let ir = plan.ir;
    let target = &ir.types[shared];
    let note = if target.shared {
        let methods = match plan.ty(shared).map(|p| &p.kind) {
            Some(KindPlan::Struct(StructPlan {
                builder: Some(builder),
                ..
            })) => {
                let how = match &builder.new {
                    None => format!(
                        "`{}::default()` and a setter per field, named like the field",
                        t.name
                    ),
                    Some(args) => {
                        let args: Vec<&str> = args.iter().map(|a| a.name.as_str()).collect();
                        format!(
                            "`{}::new({})` and a setter per optional field, named like the field",
                            t.name,
                            args.join(", ")
                        )
                    }
                };
                if builder.test_util {
                    format!(" In tests, with the cargo feature `{TEST_UTIL_FEATURE}`: build it with {how}.")
                } else {
                    format!(" Build it with {how}.")
                }
            }
            Some(KindPlan::StringEnum { .. }) => " `as_str()` gives the value as sent.".to_string(),
            Some(KindPlan::Tagged { accessors, .. }) if !accessors.is_empty() => {
                let names: Vec<String> = accessors
                    .iter()
                    .map(|a| format!("`{}()`", a.field.name))
                    .collect();
                format!(
                    " Accessors of what every variant has: {}.",
                    names.join(", ")
                )
            }
            _ => String::new(),
        };
        format!(
            " Places with identical schemas share one type; this name is this place's own and \
             stays when other places that share the type come or go. The implementations below \
             name the type by the generator's internal name, `{0}`, which is not part of the \
             crate's API.{methods}",
            target.name,
        )
    } else {
        format!(
            " The same schema as [`{0}`]({1}::models::{0}); this name is this place's own and \
             stays if that changes.",
            target.name, ir.mount
        )
    };
    vec![
        String::new(),
        format!(" The type at `{}`.", t.pointer.replace('`', "'")),
        String::new(),
        note,
    ]
}

/// How the docs name a type: its Rust shape, with a link to a model.
fn ty_doc(ir: &Ir, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => {
            let name = &ir.types[*id].name;
            if ir.types[*id].shared {
                format!("`{name}`")
            } else {
                format!("[`{name}`]({}::models::{name})", ir.mount)
            }
        }
        Ty::List(inner) => format!("a `Vec` of {}", ty_doc(ir, inner)),
        Ty::Map(inner) => format!("a map of {} by key", ty_doc(ir, inner)),
        Ty::Option(inner) => format!("{} or `None`", ty_doc(ir, inner)),
        Ty::String => "a `String`".into(),
        Ty::Timestamp => "a `Timestamp`".into(),
        Ty::Integer => "an `i64`".into(),
        Ty::Number => "an `f64`".into(),
        Ty::Boolean => "a `bool`".into(),
        Ty::Json => "a `serde_json::Value`".into(),
        Ty::JsonObject => "a JSON object (`serde_json::Map`)".into(),
        Ty::Bytes => "bytes (`Vec<u8>`)".into(),
        Ty::EmptyString => "the empty string".into(),
        Ty::Tuple(items) => format!(
            "a tuple of {}",
            items
                .iter()
                .map(|t| ty_doc(ir, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// What an endpoint's docs say of the call, after the spec's text: what awaiting the request
/// returns, the other ways to run it (every page, with the job), its setters (each as a call:
/// `name(..)`, or `clear_x()`) and per-call settings.
pub(super) fn endpoint_call_doc(
    ir: &Ir,
    op: &Operation,
    setters: &[String],
    beside_method: &str,
) -> String {
    let mount = &ir.mount;
    let response = op
        .response()
        .map(|id| format!("[`{0}`]({mount}::models::{0})", ir.types[id].name))
        .unwrap_or_else(|| "the response".into());
    let returned_job = op.job.as_ref().is_some_and(|j| j.returned);
    let what = match &op.returns {
        Returns::Unit => "nothing (`()`): the call's success is the result".to_string(),
        Returns::Whole => format!("the whole response, a {response}"),
        Returns::Key {
            wire, ty, optional, ..
        } => {
            let ty = ty_doc(ir, ty);
            let ty = if *optional {
                format!("{ty} (an `Option`)")
            } else {
                ty
            };
            if op.pagination.is_some() {
                format!("the response's `{wire}`: {ty}, of the first page")
            } else if returned_job {
                format!("the response's `{wire}`: {ty}, once it has finished")
            } else {
                format!("the response's `{wire}`: {ty}")
            }
        }
    };
    let mut text = format!("**Returns**, when the request is awaited: {what}.");
    if op.pagination.is_some() {
        text.push_str(" `.pages()` on the request walks every page, one by one or as a stream.");
    }
    if let Some(beside) = op.job.as_ref().and_then(|j| j.beside.as_ref()) {
        text.push_str(&format!(
            " `.{beside_method}()` on the request also returns the response's `{}`.",
            beside.field
        ));
    }
    if !setters.is_empty() {
        let shown: Vec<String> = setters.iter().map(|s| format!("`.{s}`")).collect();
        let params = op
            .params_type
            .map(|p| {
                format!(
                    " (the fields of [`{0}`]({mount}::models::{0}))",
                    ir.types[p].name
                )
            })
            .unwrap_or_default();
        text.push_str(&format!(
            "\n\n**Optional parameters** are setters of the request{params}: {}.",
            shown.join(", ")
        ));
    }
    text.push_str(&format!(
        "\n\n**Per call**: `.timeout(..)`, `.call_timeout(..)`, `.max_retries(..)`, `.options(..)` \
         and the others of [`Request`]({mount}::Request); `.send()` or `.await` sends it."
    ));
    text
}

/// The part of a generic endpoint's docs that says what awaiting its request returns, how its
/// errors read, and which setters it has.
pub(super) fn request_call_doc(
    ir: &Ir,
    op: &Operation,
    setters: &[String],
    empty_statuses: &[u16],
    error: Option<&Ty>,
    body: Option<TypeId>,
) -> String {
    let mount = &ir.mount;
    let what = match &op.success.body {
        ResponseBody::Empty => "nothing (`()`): the call's success is the result".to_string(),
        ResponseBody::Json(ty) => format!("the response body, {}", ty_doc(ir, ty)),
        ResponseBody::Text => "the response body as text (`String`)".to_string(),
        ResponseBody::Bytes => "the response body's bytes (`bytes::Bytes`)".to_string(),
    };
    let mut text = format!("**Returns**, when the request is awaited: {what}");
    if !empty_statuses.is_empty() {
        let statuses: Vec<String> = empty_statuses.iter().map(u16::to_string).collect();
        text.push_str(&format!(
            ", in an `Option`: `None` for status {}, which has no body",
            statuses.join(" or ")
        ));
    }
    text.push('.');
    if op.pagination.is_some() {
        text.push_str(" `.pages()` on the request walks every page (`next_page`, `collect_all`).");
    }
    let error = match error {
        Some(ty) => format!(" with the body decoded as {}", ty_doc(ir, ty)),
        None => " with the body as JSON".to_string(),
    };
    text.push_str(&format!(
        " A non-2xx response is [`Error::Api`]({mount}::Error::Api),{error}."
    ));
    if !setters.is_empty() {
        let shown: Vec<String> = setters.iter().map(|s| format!("`.{s}`")).collect();
        let link = |id: TypeId| format!("[`{0}`]({mount}::models::{0})", ir.types[id].name);
        let params = match (op.params_type, body) {
            (Some(p), Some(b)) => {
                format!(" (the fields of {} and of its body {})", link(p), link(b))
            }
            (Some(p), None) => format!(" (the fields of {})", link(p)),
            _ => String::new(),
        };
        text.push_str(&format!(
            "\n\n**Optional parameters** are setters of the request{params}: {}.",
            shown.join(", ")
        ));
    }
    text.push_str(&format!(
        "\n\n**Per call**: `.timeout(..)`, `.call_timeout(..)`, `.max_retries(..)` and the others of \
         [`Request`]({mount}::Request); `.send()` or `.await` sends it."
    ));
    text
}

/// What an endpoint's docs say of an argument that chooses one of the alternatives the call is
/// made with: the union (of `variants` variants), its variants' functions, and what a string means.
pub(super) fn alternatives_doc(
    ir: &Ir,
    arg: &str,
    union: TypeId,
    variants: usize,
    builder: &crate::plan::UnionBuilder,
) -> String {
    let mount = &ir.mount;
    let name = &ir.types[union].name;
    let ways: Vec<String> = builder
        .constructors
        .iter()
        .map(|c| {
            let args: Vec<&str> = c.args.iter().map(|a| a.name.as_str()).collect();
            let mut way = format!("`{name}::{}({})`", c.method, args.join(", "));
            if builder.from_str == Some(c.variant) {
                way.push_str(", or just the string");
            }
            way
        })
        .collect();
    let others = variants.saturating_sub(builder.constructors.len());
    let more = if others > 0 {
        ", or the enum's other variants"
    } else {
        ""
    };
    format!(
        "**Which one**: `{arg}` is one of the alternatives the server requires, a \
         [`{name}`]({mount}::models::{name}): {}{more}.",
        ways.join("; ")
    )
}
