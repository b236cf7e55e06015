//! Lowering: `openapiv3` types → [`Ir`].
//!
//! Every component schema is registered (given a [`TypeId`]) before any is converted, so forward and
//! recursive `$ref`s resolve to ids that already exist.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, AnySchema, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::error::{component_ref, push_segment, Error, ErrorKind, Warning};
use crate::ir::*;
use crate::naming::{self, enum_values, fallback_safe};
use crate::profile::Profile;

use document::{security_schemes, server_url};

mod compose;
mod document;
mod operation;
mod refs;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// A schema or a reference to one, whichever way `openapiv3` boxes it.
#[derive(Clone, Copy)]
enum RefOr<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for RefOr<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for RefOr<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

/// Where a new named type lives and what it is called.
#[derive(Clone)]
struct Ctx {
    pointer: String,
    hint: Vec<String>,
    component: Option<String>,
    group: Option<String>,
}

impl Ctx {
    fn child(&self, segment: &str, word: Option<&str>) -> Ctx {
        let mut hint = self.hint.clone();
        if let Some(w) = word {
            hint.push(w.to_string());
        }
        Ctx {
            pointer: push_segment(&self.pointer, segment),
            hint,
            component: self.component.clone(),
            group: self.group.clone(),
        }
    }

    fn at(&self, pointer: String) -> Ctx {
        Ctx {
            pointer,
            ..self.clone()
        }
    }
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    profile: &'a dyn Profile,
    types: Vec<TypeDef>,
    components: BTreeMap<String, TypeId>,
    warnings: Vec<Warning>,
    /// Set while lowering a union that is a flattened `selector` (an `allOf` member): its object
    /// alternative without properties is `Empty`, "none of the sets" (read once, by that union).
    selector: bool,
    /// The body types of `#/components/responses/<name>` entries, by schema pointer: lowered once,
    /// named after the entry, whichever operations refer to it.
    shared_responses: BTreeMap<String, Ty>,
}

/// Lowers a loaded spec into the IR with a profile's conventions. Warnings about worked-around defects
/// are appended to `warnings`.
pub fn lower(
    spec: &OpenAPI,
    profile: &dyn Profile,
    warnings: &mut Vec<Warning>,
) -> Result<Ir, Error> {
    let mut ir = Ir {
        mount: "crate".into(),
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        ..Ir::default()
    };
    profile.configure(&mut ir);
    let mut l = Lowerer {
        spec,
        profile,
        types: Vec::new(),
        components: BTreeMap::new(),
        warnings: Vec::new(),
        selector: false,
        shared_responses: BTreeMap::new(),
    };
    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    // Register every component first, so that any `$ref` can be resolved to an id.
    if let Some(schemas) = schemas {
        for name in schemas.keys() {
            let id = l.types.len();
            l.types.push(TypeDef {
                name: String::new(),
                hint: vec![name.clone()],
                pointer: format!(
                    "{COMPONENT_PREFIX}{}",
                    push_segment("", name).trim_start_matches('/')
                ),
                component: Some(name.clone()),
                group: None,
                meta: Meta::default(),
                kind: TypeKind::Struct(Vec::new()),
                in_request: false,
                in_response: false,
                deserialize: false,
                features: BTreeSet::new(),
                merged_into: None,
                shares: None,
                shared: false,
                nested: Vec::new(),
                operation_type: false,
            });
            l.components.insert(name.clone(), TypeId(id));
        }
        for (name, schema) in schemas {
            let id = l.components[name];
            let ctx = Ctx {
                pointer: l.types[id].pointer.clone(),
                hint: vec![name.clone()],
                component: Some(name.clone()),
                group: None,
            };
            let schema = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = l.resolve_ref(reference, &ctx.pointer)?;
                    l.types[id].kind = TypeKind::Alias(Ty::Named(target));
                    continue;
                }
                ReferenceOr::Item(s) => s,
            };
            let (kind, meta) = l.lower_definition(schema, &ctx)?;
            l.types[id].kind = kind;
            l.types[id].meta = meta;
        }
    }

    for (path, item) in &spec.paths.paths {
        ir.path_count += 1;
        let path_ptr = push_segment("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    path_ptr,
                    "expected a path item object; `$ref` path items are not supported",
                ))
            }
        };
        l.lower_path(&mut ir, path, item, &path_ptr)?;
    }
    ir.schemes = security_schemes(spec, &mut l.warnings);
    ir.server = server_url(spec);
    ir.operations
        .sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
    ir.types = l.types;
    operation::number_clashes(&mut ir, &profile.clash_policy(), &mut l.warnings);
    warnings.extend(l.warnings);
    Ok(ir)
}

fn extension_note(extensions: &indexmap::IndexMap<String, Value>, key: &str) -> Option<String> {
    match extensions.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some(String::new()),
        Value::Bool(false) | Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn schema_meta(schema: &Schema) -> Meta {
    let data = &schema.schema_data;
    let docs = data.description.clone().filter(|d| !d.trim().is_empty());
    // The notes stand in for a description (and tell union tags apart); recorded only then, so
    // that types alike in all the docs show still merge.
    let values = match docs {
        None => value_notes(schema),
        Some(_) => ValueNotes {
            constant: value_notes(schema).constant,
            ..ValueNotes::default()
        },
    };
    let mut meta = Meta {
        docs,
        deprecated: extension_note(&data.extensions, "x-deprecated")
            .or(data.deprecated.then(String::new)),
        values,
    };
    // `allOf: [{$ref}, {description, deprecated}]`: the annotations of the wrapper's members.
    for member in annotation_members(schema) {
        let m = schema_meta(member);
        meta.docs = meta.docs.or(m.docs);
        meta.deprecated = meta.deprecated.or(m.deprecated);
    }
    meta
}

/// A string's `format`, the `default` and a one-value enum's value, for generated docs.
fn value_notes(schema: &Schema) -> ValueNotes {
    let format = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match &s.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(f) => Some(
                match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                }
                .to_string(),
            ),
            openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
            openapiv3::VariantOrUnknownOrEmpty::Empty => None,
        },
        _ => None,
    };
    // Short defaults only: a docs line, not a JSON document.
    let default = match &schema.schema_data.default {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.to_string()).filter(|text| text.len() <= 80),
    };
    let constant = match string_enum_values(schema) {
        Some(values) if values.len() == 1 => values.into_iter().next(),
        _ => None,
    };
    ValueNotes {
        format,
        default,
        constant,
    }
}

/// An `allOf` member that only annotates (description, `nullable`, `deprecated`, ...): no type, no
/// properties, no composition.
fn is_annotation_only(r: &ReferenceOr<Schema>) -> bool {
    matches!(r, ReferenceOr::Item(s) if s.schema_kind == SchemaKind::Any(AnySchema::default()))
}

/// The annotation-only members of an `allOf` schema.
fn annotation_members(schema: &Schema) -> impl Iterator<Item = &Schema> {
    let all_of: &[ReferenceOr<Schema>] = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        _ => &[],
    };
    all_of.iter().filter_map(|m| match m {
        ReferenceOr::Item(s) if is_annotation_only(m) => Some(s),
        _ => None,
    })
}

/// `nullable` on the schema or, for an `allOf` wrapper, on one of its annotation-only members.
fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable || annotation_members(schema).any(|m| m.schema_data.nullable)
}

/// The non-null string values of an enum, if the schema is a string enum.
fn string_enum_values(schema: &Schema) -> Option<Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            Some(unique(s.enumeration.iter().flatten().cloned()))
        }
        SchemaKind::Any(a)
            if !a.enumeration.is_empty()
                && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(unique(
                a.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string)),
            ))
        }
        _ => None,
    }
}

/// The values in their first order, each once (specs list some enum values twice: see
/// `Lowerer::warn_duplicate_enum_values`).
fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

/// The string values an enum lists more than once, each once, in their first order.
fn duplicate_enum_values(schema: &Schema) -> Vec<String> {
    let all: Vec<&str> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            s.enumeration.iter().flatten().map(String::as_str).collect()
        }
        SchemaKind::Any(a) => a.enumeration.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut seen = BTreeSet::new();
    let mut twice = Vec::new();
    for v in all {
        if !seen.insert(v) && !twice.contains(&v) {
            twice.push(v);
        }
    }
    twice.into_iter().map(str::to_string).collect()
}

/// The properties and required list of an object-like schema.
fn object_parts(schema: &Schema) -> Option<Parts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if !a.properties.is_empty() || a.typ.as_deref() == Some("object") => {
            Some((&a.properties, &a.required))
        }
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// An enum that lists a value twice (a real spec lists `kisi` and `korelock` twice in
    /// `manufacturer`) gets one variant per value: a warning names the enum.
    fn warn_duplicate_enum_values(&mut self, schema: &Schema, ctx: &Ctx) {
        let twice = duplicate_enum_values(schema);
        if !twice.is_empty() {
            let list: Vec<String> = twice.iter().map(|v| format!("`{v}`")).collect();
            self.warnings.push(Warning {
                pointer: push_segment(&ctx.pointer, "enum"),
                message: format!(
                    "the enum lists {} more than once; each value is one variant",
                    list.join(", ")
                ),
            });
        }
    }

    /// A `required` entry that names no property is reported (and has no effect).
    fn warn_unknown_required<'r>(
        &mut self,
        required: impl IntoIterator<Item = (&'r String, String)>,
        known: &dyn Fn(&str) -> bool,
    ) {
        for (name, pointer) in required {
            if !known(name) {
                self.warnings.push(Warning {
                    pointer,
                    message: format!(
                        "`required` names `{name}`, which is not among the properties; the entry is ignored"
                    ),
                });
            }
        }
    }

    fn new_type(&mut self, ctx: &Ctx, meta: Meta, kind: TypeKind) -> TypeId {
        let id = self.types.len();
        self.types.push(TypeDef {
            name: String::new(),
            hint: ctx.hint.clone(),
            pointer: ctx.pointer.clone(),
            component: ctx.component.clone(),
            group: ctx.group.clone(),
            meta,
            kind,
            in_request: false,
            in_response: false,
            deserialize: false,
            features: BTreeSet::new(),
            merged_into: None,
            shares: None,
            shared: false,
            nested: Vec::new(),
            operation_type: false,
        });
        TypeId(id)
    }

    /// Lowers a schema that is given its own name (a component): returns its kind.
    fn lower_definition(
        &mut self,
        schema: &'a Schema,
        ctx: &Ctx,
    ) -> Result<(TypeKind, Meta), Error> {
        let meta = schema_meta(schema);
        if let Some(kind) = self.named_kind(schema, ctx)? {
            return Ok((kind, meta));
        }
        let (ty, _) = self.lower_schema(RefOr::Item(schema), ctx)?;
        Ok((TypeKind::Alias(ty), meta))
    }

    /// The kind of a schema that needs a named type of its own, or `None` for one that maps to an
    /// existing Rust type.
    fn named_kind(&mut self, schema: &'a Schema, ctx: &Ctx) -> Result<Option<TypeKind>, Error> {
        if let Some(values) = string_enum_values(schema) {
            self.warn_duplicate_enum_values(schema, ctx);
            if values.len() > 1 {
                return Ok(Some(TypeKind::StringEnum(enum_values(&values))));
            }
            return Ok(None);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                if o.properties.is_empty() {
                    return Ok(None);
                }
                Ok(Some(TypeKind::Struct(self.object_fields(
                    schema,
                    &o.properties,
                    &o.required,
                    ctx,
                )?)))
            }
            SchemaKind::OneOf { one_of } => self
                .lower_union(one_of, schema, &ctx.child("oneOf", None))
                .map(Some),
            SchemaKind::AnyOf { any_of } => self
                .lower_union(any_of, schema, &ctx.child("anyOf", None))
                .map(Some),
            SchemaKind::AllOf { all_of } => self.lower_all_of(all_of, ctx).map(Some),
            SchemaKind::Any(a) => self.any_kind(a, schema, ctx),
            _ => Ok(None),
        }
    }

    fn any_kind(
        &mut self,
        a: &'a AnySchema,
        schema: &'a Schema,
        ctx: &Ctx,
    ) -> Result<Option<TypeKind>, Error> {
        // Properties beside a `oneOf` / `anyOf` of `required` lists: one of those sets is required.
        if !a.properties.is_empty() && a.all_of.is_empty() {
            for (keyword, alts) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
                if !alts.is_empty() {
                    if let Some(kind) = self.lower_required_alternatives(a, alts, keyword, ctx)? {
                        return Ok(Some(kind));
                    }
                }
            }
        }
        // Properties (or, beside `allOf`, `required` names) beside compositions: all apply.
        let composed = !a.all_of.is_empty() || !a.one_of.is_empty() || !a.any_of.is_empty();
        let own = !a.properties.is_empty() || (!a.required.is_empty() && !a.all_of.is_empty());
        if composed && own {
            return self.lower_object_composition(a, schema, ctx).map(Some);
        }
        if !a.one_of.is_empty() {
            return self
                .lower_union(&a.one_of, schema, &ctx.child("oneOf", None))
                .map(Some);
        }
        if !a.any_of.is_empty() {
            return self
                .lower_union(&a.any_of, schema, &ctx.child("anyOf", None))
                .map(Some);
        }
        if !a.all_of.is_empty() {
            return self.lower_all_of(&a.all_of, ctx).map(Some);
        }
        if a.not.is_some() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                push_segment(&ctx.pointer, "not"),
                "`not` schemas cannot be mapped to a Rust type; expected a type, `oneOf`, `anyOf` or `allOf`",
            ));
        }
        if !a.properties.is_empty() {
            return Ok(Some(TypeKind::Struct(self.object_fields(
                schema,
                &a.properties,
                &a.required,
                ctx,
            )?)));
        }
        Ok(None)
    }

    /// Lowers a schema used in a field, array, map or variant position.
    /// Returns the type and whether the schema is nullable.
    fn lower_schema(&mut self, r: RefOr<'a>, ctx: &Ctx) -> Result<(Ty, bool), Error> {
        let schema = match r {
            RefOr::Ref(reference) => {
                return Ok((Ty::Named(self.resolve_ref(reference, &ctx.pointer)?), false))
            }
            RefOr::Item(s) => s,
        };
        let nullable = is_nullable(schema);
        if let SchemaKind::Not { .. } = schema.schema_kind {
            return Err(Error::new(
                ErrorKind::Unsupported,
                push_segment(&ctx.pointer, "not"),
                "`not` schemas cannot be mapped to a Rust type; expected a type, `oneOf`, `anyOf` or `allOf`",
            ));
        }
        if let Some(kind) = self.named_kind(schema, ctx)? {
            // A `oneOf` of one alternative, or an `allOf` of one reference, is that alternative.
            if let TypeKind::Alias(ty) = kind {
                return Ok((ty, nullable));
            }
            let id = self.new_type(ctx, schema_meta(schema), kind);
            return Ok((Ty::Named(id), nullable));
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s))
                if s.format
                    == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) =>
            {
                Ty::Bytes
            }
            SchemaKind::Type(Type::String(s))
                if matches!(
                    s.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(
                        openapiv3::StringFormat::DateTime | openapiv3::StringFormat::Date
                    )
                ) =>
            {
                Ty::Timestamp
            }
            SchemaKind::Type(Type::String(_)) => Ty::String,
            SchemaKind::Type(Type::Number(_)) => Ty::Number,
            SchemaKind::Type(Type::Integer(_)) => Ty::Integer,
            SchemaKind::Type(Type::Boolean(_)) => Ty::Boolean,
            SchemaKind::Type(Type::Array(a)) if schema.schema_data.extensions.contains_key(crate::load::normalize::TUPLE) => {
                self.lower_tuple(a.items.as_ref(), ctx)?
            }
            SchemaKind::Type(Type::Array(a)) => Ty::List(Box::new(self.lower_items(a.items.as_ref(), ctx)?)),
            SchemaKind::Type(Type::Object(o)) => self.lower_map(o.additional_properties.as_ref(), ctx)?,
            SchemaKind::Any(a) => match a.typ.as_deref() {
                Some("string") => Ty::String,
                Some("number") => Ty::Number,
                Some("integer") => Ty::Integer,
                Some("boolean") => Ty::Boolean,
                Some("array") => Ty::List(Box::new(self.lower_items(a.items.as_ref(), ctx)?)),
                Some("object") => self.lower_map(a.additional_properties.as_ref(), ctx)?,
                None if a.enumeration.iter().any(Value::is_boolean) => Ty::Boolean,
                // `additionalProperties` alone says "an object whose values are ...".
                None if a.additional_properties.is_some() => {
                    self.lower_map(a.additional_properties.as_ref(), ctx)?
                }
                None => Ty::Json,
                Some(other) => {
                    return Err(Error::new(
                        ErrorKind::Schema,
                        push_segment(&ctx.pointer, "type"),
                        format!("unknown type `{other}`; expected string, number, integer, boolean, array or object"),
                    ))
                }
            },
            _ => Ty::Json,
        };
        Ok((ty, nullable))
    }

    fn lower_items(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        ctx: &Ctx,
    ) -> Result<Ty, Error> {
        let Some(items) = items else {
            return Ok(Ty::Json);
        };
        let word = ctx.hint.last().map(|w| naming::singular(w));
        let mut child = ctx.child("items", None);
        if let (Some(word), Some(last)) = (word, child.hint.last_mut()) {
            *last = word;
        }
        let (ty, nullable) = self.lower_schema(items.into(), &child)?;
        Ok(if nullable {
            Ty::Option(Box::new(ty))
        } else {
            ty
        })
    }

    /// A tuple: the members of `items.anyOf` (see [`crate::load::normalize::TUPLE`]), in order.
    fn lower_tuple(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        ctx: &Ctx,
    ) -> Result<Ty, Error> {
        let members: &'a [ReferenceOr<Schema>] = match items {
            Some(ReferenceOr::Item(s)) => match &s.schema_kind {
                SchemaKind::AnyOf { any_of } => any_of,
                SchemaKind::Any(a) => &a.any_of,
                _ => &[],
            },
            _ => &[],
        };
        if members.is_empty() {
            return self.lower_items(items, ctx);
        }
        let list = ctx.child("items", None).child("anyOf", None);
        let mut tys = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let word = format!("member_{i}");
            let child = ctx_with_hint(&list.child(&i.to_string(), None), ctx, &word);
            let (ty, nullable) = self.lower_schema(m.into(), &child)?;
            tys.push(if nullable {
                Ty::Option(Box::new(ty))
            } else {
                ty
            });
        }
        Ok(Ty::Tuple(tys))
    }

    fn lower_map(
        &mut self,
        extra: Option<&'a AdditionalProperties>,
        ctx: &Ctx,
    ) -> Result<Ty, Error> {
        match extra {
            None | Some(AdditionalProperties::Any(_)) => Ok(Ty::JsonObject),
            Some(AdditionalProperties::Schema(s)) => {
                if let ReferenceOr::Reference { reference } = s.as_ref() {
                    let target = self.deref(RefOr::Ref(reference), &ctx.pointer)?;
                    if self.profile.free_form_map_value(target) {
                        self.warnings.push(Warning {
                            pointer: push_segment(&ctx.pointer, "additionalProperties"),
                            message: format!(
                                "`additionalProperties` points at the resource `{reference}`, which is never \
                                 a map value; treated as a free-form JSON object"
                            ),
                        });
                        return Ok(Ty::JsonObject);
                    }
                }
                let child = ctx.child("additionalProperties", Some("value"));
                let (ty, nullable) = self.lower_schema(s.as_ref().into(), &child)?;
                Ok(Ty::Map(Box::new(if nullable {
                    Ty::Option(Box::new(ty))
                } else {
                    ty
                })))
            }
        }
    }

    /// The fields of an object schema; `required` entries that name no property are reported.
    fn lower_fields(
        &mut self,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        ctx: &Ctx,
    ) -> Result<Vec<Field>, Error> {
        let req_ptr = push_segment(&ctx.pointer, "required");
        self.warn_unknown_required(
            required
                .iter()
                .enumerate()
                .map(|(i, r)| (r, push_segment(&req_ptr, &i.to_string()))),
            &|name| properties.contains_key(name),
        );
        self.lower_properties(properties, required, ctx)
    }

    fn lower_properties(
        &mut self,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        ctx: &Ctx,
    ) -> Result<Vec<Field>, Error> {
        let props_ctx = ctx.child("properties", None);
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, prop) in properties {
            let child = props_ctx.child(wire, Some(wire));
            let (ty, nullable) = self.lower_schema(prop.into(), &child)?;
            let meta = match prop {
                ReferenceOr::Item(s) => schema_meta(s),
                ReferenceOr::Reference { .. } => Meta::default(),
            };
            fields.push(Field {
                wire: wire.clone(),
                name: naming::field_name(wire),
                ty,
                required: required.contains(wire),
                nullable,
                boxed: false,
                flatten: false,
                location: None,
                meta,
            });
        }
        dedupe_field_names(&mut fields);
        Ok(fields)
    }

    /// A request or response body: always a named type of its own.
    fn lower_body(&mut self, r: RefOr<'a>, ctx: &Ctx) -> Result<TypeId, Error> {
        let (ty, _) = self.lower_schema(r, ctx)?;
        match ty {
            Ty::Named(id) if !matches!(r, RefOr::Ref(_)) => Ok(id),
            ty => {
                // A reference or a plain type: wrap it so the operation has a type of its own.
                let kind = match ty {
                    Ty::JsonObject => TypeKind::Struct(Vec::new()),
                    ty => TypeKind::Alias(ty),
                };
                Ok(self.new_type(ctx, Meta::default(), kind))
            }
        }
    }
}

/// A context whose pointer is `here` and whose name hint is `name_ctx`'s plus `word`.
fn ctx_with_hint(here: &Ctx, name_ctx: &Ctx, word: &str) -> Ctx {
    let mut hint = name_ctx.hint.clone();
    hint.push(word.to_string());
    Ctx {
        pointer: here.pointer.clone(),
        hint,
        component: here.component.clone(),
        group: here.group.clone(),
    }
}

fn dedupe_field_names(fields: &mut [Field]) {
    let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    naming::dedupe(&mut names, "_");
    for (f, n) in fields.iter_mut().zip(names) {
        f.name = n;
    }
}

type Parts<'a> = (
    &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    &'a [String],
);

#[cfg(test)]
mod tests;
