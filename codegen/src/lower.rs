//! Lowering: `openapiv3` types → [`Ir`].
//!
//! Every component schema is registered (given a [`TypeId`]) before any is converted, so forward and
//! recursive `$ref`s resolve to ids that already exist.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, AnySchema, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::error::{component_ref, push_segment, Error, ErrorKind, Warning};
use crate::ir::*;
use crate::naming;
use crate::profile::Profile;

mod operation;

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

/// The spec's security schemes, as the generic runtime applies them.
fn security_schemes(spec: &OpenAPI, warnings: &mut Vec<Warning>) -> Vec<(String, SchemeKind)> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for (name, scheme) in &components.security_schemes {
        let pointer = push_segment("#/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            warnings.push(Warning {
                pointer,
                message: "a `$ref` security scheme is not followed; the client sends no credentials for it".into(),
            });
            continue;
        };
        let kind = match scheme {
            openapiv3::SecurityScheme::APIKey { location, name, .. } => SchemeKind::ApiKey {
                location: match location {
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                },
                name: name.clone(),
            },
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("basic") =>
            {
                SchemeKind::Basic
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                SchemeKind::Bearer
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                warnings.push(Warning {
                    pointer,
                    message: format!(
                        "HTTP auth scheme `{scheme}` is not supported; the client sends a bearer token for it"
                    ),
                });
                SchemeKind::Bearer
            }
            // The user obtains the access token; the client sends it as a bearer token.
            openapiv3::SecurityScheme::OAuth2 { .. }
            | openapiv3::SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
        };
        out.push((name.clone(), kind));
    }
    out
}

/// The first server's URL with its variables at their defaults.
fn server_url(spec: &OpenAPI) -> Option<String> {
    let server = spec.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    Some(url.trim_end_matches('/').to_string())
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
    fn resolve_ref(&self, reference: &str, pointer: &str) -> Result<TypeId, Error> {
        let Some(("schemas", name)) = component_ref(reference) else {
            return Err(Error::new(
                ErrorKind::DanglingRef,
                pointer,
                format!("expected a `$ref` to `#/components/schemas/<name>`, found `{reference}`"),
            ));
        };
        self.components.get(&name).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::DanglingRef,
                pointer,
                format!(
                    "`$ref` points at `{reference}`, but the spec has no such component schema"
                ),
            )
        })
    }

    fn component_schema(&self, id: TypeId) -> Option<&'a Schema> {
        let name = self.types[id].component.as_ref()?;
        if self.types[id].hint.len() != 1 {
            return None;
        }
        match self.spec.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// Follows a reference (and alias chains of component references) to the schema it names.
    fn deref(&self, r: RefOr<'a>, pointer: &str) -> Result<&'a Schema, Error> {
        let mut reference = match r {
            RefOr::Item(s) => return Ok(s),
            RefOr::Ref(reference) => reference,
        };
        let mut seen = BTreeSet::new();
        loop {
            let id = self.resolve_ref(reference, pointer)?;
            if let Some(s) = self.component_schema(id) {
                return Ok(s);
            }
            let name = self.types[id].component.clone().unwrap_or_default();
            let next = self
                .spec
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(&name));
            match next {
                Some(ReferenceOr::Reference { reference: r }) if seen.insert(name.clone()) => {
                    reference = r;
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::Schema,
                        pointer,
                        format!("`{reference}` is part of a cycle of references"),
                    ))
                }
            }
        }
    }

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
                Ok(Some(TypeKind::Struct(self.lower_fields(
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
            return Ok(Some(TypeKind::Struct(self.lower_fields(
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
            SchemaKind::Type(Type::String(_)) => Ty::String,
            SchemaKind::Type(Type::Number(_)) => Ty::Number,
            SchemaKind::Type(Type::Integer(_)) => Ty::Integer,
            SchemaKind::Type(Type::Boolean(_)) => Ty::Boolean,
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

    /// `allOf`: the members' properties merged into one struct; a member that is a union becomes a
    /// flattened field.
    fn lower_all_of(
        &mut self,
        all_of: &'a [ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<TypeKind, Error> {
        // One member beside annotation-only ones (`[{$ref}, {nullable: true}]`) is that member; the
        // annotations are read by `schema_meta` and `is_nullable`.
        let typed: Vec<(usize, &'a ReferenceOr<Schema>)> = all_of
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_annotation_only(m))
            .collect();
        if let [(i, member)] = typed.as_slice() {
            let child = ctx.child("allOf", None).child(&i.to_string(), None);
            let (ty, _) = self.lower_schema((*member).into(), &child)?;
            return Ok(TypeKind::Alias(ty));
        }
        let mut merge = AllOfMerge {
            fields: Vec::new(),
            flattened: 0,
            required: Vec::new(),
            visiting: vec![ctx.pointer.clone()],
        };
        self.merge_all_of(all_of, &ctx.child("allOf", None), ctx, &mut merge)?;
        let AllOfMerge {
            mut fields,
            required,
            ..
        } = merge;
        // A member may require a property another member declares.
        for f in fields.iter_mut() {
            f.required |= required.iter().any(|(name, _)| *name == f.wire);
        }
        let known: BTreeSet<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        self.warn_unknown_required(
            required
                .iter()
                .map(|(name, pointer)| (name, pointer.clone())),
            &|name| known.contains(name),
        );
        dedupe_field_names(&mut fields);
        Ok(TypeKind::Struct(fields))
    }

    fn merge_all_of(
        &mut self,
        all_of: &'a [ReferenceOr<Schema>],
        list_ctx: &Ctx,
        name_ctx: &Ctx,
        merge: &mut AllOfMerge,
    ) -> Result<(), Error> {
        for (i, member) in all_of.iter().enumerate() {
            if is_annotation_only(member) {
                continue;
            }
            let member_ptr = push_segment(&list_ctx.pointer, &i.to_string());
            let (schema, schema_ptr) = match member {
                ReferenceOr::Item(s) => (s, member_ptr.clone()),
                ReferenceOr::Reference { reference } => {
                    let id = self.resolve_ref(reference, &member_ptr)?;
                    let s = self.deref(RefOr::Ref(reference), &member_ptr)?;
                    (s, self.types[id].pointer.clone())
                }
            };
            let here = name_ctx.at(schema_ptr.clone());
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => {
                    if let Some(at) = merge.visiting.iter().position(|p| *p == schema_ptr) {
                        let mut cycle = merge.visiting[at..].to_vec();
                        cycle.push(schema_ptr);
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            member_ptr,
                            format!(
                                "`allOf` members include each other in a cycle ({}); expected each schema to \
                                 merge only schemas that do not merge it back",
                                cycle.join(" → ")
                            ),
                        ));
                    }
                    merge.visiting.push(schema_ptr.clone());
                    self.merge_all_of(all_of, &here.child("allOf", None), name_ctx, merge)?;
                    merge.visiting.pop();
                }
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                    merge.flattened += 1;
                    let flattened = merge.flattened;
                    let word = if flattened == 1 { "selector".to_string() } else { format!("selector_{flattened}") };
                    let child = ctx_with_hint(&here, name_ctx, &word);
                    let (ty, _) = self.lower_schema(RefOr::Item(schema), &child)?;
                    merge.fields.push(Field {
                        wire: word.clone(),
                        name: word,
                        ty,
                        required: true,
                        nullable: false,
                        boxed: false,
                        flatten: true,
                        location: None,
                        meta: Meta {
                            docs: Some("One of the alternative sets of parameters the endpoint accepts.".into()),
                            deprecated: None,
                            ..Meta::default()
                        },
                    });
                }
                _ => match object_parts(schema) {
                    Some((properties, required)) => {
                        let new = self.lower_properties(properties, required, &here.at(schema_ptr.clone()))?;
                        let req_ptr = push_segment(&schema_ptr, "required");
                        for (i, r) in required.iter().enumerate() {
                            merge.required.push((r.clone(), push_segment(&req_ptr, &i.to_string())));
                        }
                        for f in new {
                            if let Some(existing) = merge.fields.iter_mut().find(|x| x.wire == f.wire && !x.flatten) {
                                let required = existing.required || f.required;
                                *existing = Field { required, ..f };
                            } else {
                                merge.fields.push(f);
                            }
                        }
                    }
                    None => {
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            member_ptr,
                            "expected an object schema (or a `oneOf` of objects) as a member of `allOf`",
                        ))
                    }
                },
            }
        }
        Ok(())
    }

    /// `oneOf` / `anyOf`.
    fn lower_union(
        &mut self,
        alts: &'a [ReferenceOr<Schema>],
        parent: &'a Schema,
        ctx: &Ctx,
    ) -> Result<TypeKind, Error> {
        let name_ctx = Ctx {
            pointer: ctx.pointer.clone(),
            ..ctx.clone()
        };
        if alts.is_empty() {
            return Err(Error::new(
                ErrorKind::Schema,
                &ctx.pointer,
                "expected at least one alternative",
            ));
        }
        if alts.len() == 1 {
            let (ty, _) = self.lower_schema((&alts[0]).into(), &ctx.child("0", None))?;
            return Ok(TypeKind::Alias(ty));
        }
        let mut resolved = Vec::with_capacity(alts.len());
        for (i, alt) in alts.iter().enumerate() {
            let p = push_segment(&ctx.pointer, &i.to_string());
            resolved.push((self.deref(alt.into(), &p)?, p));
        }

        // Every alternative a string enum: one enum of all their values.
        let enums: Vec<_> = resolved
            .iter()
            .filter_map(|(s, _)| string_enum_values(s))
            .collect();
        if enums.len() == alts.len() {
            let mut values: Vec<String> = Vec::new();
            for v in enums.into_iter().flatten() {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            return Ok(TypeKind::StringEnum(enum_values(&values)));
        }

        // Every alternative an object: look for constant tag properties.
        let objects: Vec<_> = resolved
            .iter()
            .filter_map(|(s, _)| object_parts(s))
            .collect();
        let tagged = if objects.len() == alts.len() {
            find_tags(&objects, parent)
        } else {
            None
        };
        {
            if let Some((tags, values)) = tagged.or_else(|| mapped_tags(alts, parent)) {
                let mut variants = Vec::with_capacity(alts.len());
                for (i, alt) in alts.iter().enumerate() {
                    let vals = values[i].clone();
                    let word = vals.join("_");
                    let child = ctx_with_hint(&name_ctx.child(&i.to_string(), None), ctx, &word);
                    let (ty, _) = self.lower_schema(alt.into(), &child)?;
                    let id = match ty {
                        Ty::Named(id) => id,
                        _ => return Err(Error::new(
                            ErrorKind::Unsupported,
                            child.pointer,
                            "expected an object with properties as a tagged `oneOf` alternative",
                        )),
                    };
                    variants.push(TaggedVariant {
                        name: naming::type_name(&word),
                        tag_values: vals,
                        ty: id,
                    });
                }
                let mut names: Vec<String> =
                    variants.iter().map(|v| fallback_safe(&v.name)).collect();
                naming::dedupe(&mut names, "");
                for (v, n) in variants.iter_mut().zip(names) {
                    v.name = n;
                }
                return Ok(TypeKind::Tagged { tags, variants });
            }
        }

        // Otherwise: told apart by shape.
        let mut variants = Vec::with_capacity(alts.len());
        for (i, alt) in alts.iter().enumerate() {
            let (schema, p) = (resolved[i].0, resolved[i].1.clone());
            let meta = match alt {
                ReferenceOr::Item(s) => schema_meta(s),
                ReferenceOr::Reference { .. } => Meta::default(),
            };
            let inline_object =
                matches!(alt, ReferenceOr::Item(_)) && object_parts(schema).is_some();
            let (name, payload) = if inline_object {
                let (properties, required) = object_parts(schema).unwrap_or_else(|| unreachable!());
                let here = ctx.at(p);
                let fields = self.lower_fields(properties, required, &here)?;
                let name = if required.is_empty() {
                    if properties.is_empty() {
                        "Empty".to_string()
                    } else {
                        "Other".to_string()
                    }
                } else {
                    required
                        .iter()
                        .map(|r| naming::type_name(r))
                        .collect::<Vec<_>>()
                        .join("And")
                };
                (name, Payload::Fields(fields))
            } else {
                let child = ctx_with_hint(&ctx.at(p), ctx, &format!("variant_{i}"));
                let (ty, _) = self.lower_schema(alt.into(), &child)?;
                (self.shape_name(&ty), Payload::Type(ty))
            };
            variants.push(UntaggedVariant {
                name,
                payload,
                meta,
            });
        }
        let mut names: Vec<String> = variants.iter().map(|v| fallback_safe(&v.name)).collect();
        naming::dedupe(&mut names, "");
        for (v, n) in variants.iter_mut().zip(names) {
            v.name = n;
        }
        Ok(TypeKind::Untagged(variants))
    }

    fn shape_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::Integer => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::Boolean => "Bool".into(),
            Ty::Json => "Json".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::JsonObject => "Object".into(),
            Ty::List(_) => "List".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Option(inner) => self.shape_name(inner),
            Ty::Named(id) => match &self.types[*id].component {
                Some(c) if self.types[*id].hint.len() == 1 => naming::type_name(c),
                _ => "Object".into(),
            },
        }
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

    /// Resolves every `$ref` under an operation that is not generated (so a dangling one is reported).
    fn check_refs_in_operation(
        &self,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(op)
            .map_err(|e| Error::new(ErrorKind::Schema, pointer, e.to_string()))?;
        self.check_refs(&value, pointer)
    }

    /// A `$ref` to another section of `#/components` (parameters, responses, ...) must name an entry.
    fn check_component_ref(&self, reference: &str, pointer: &str) -> Result<(), Error> {
        let found = component_ref(reference).and_then(|(section, name)| {
            let c = self.spec.components.as_ref()?;
            let present = match section {
                "parameters" => c.parameters.contains_key(&name),
                "responses" => c.responses.contains_key(&name),
                "requestBodies" => c.request_bodies.contains_key(&name),
                "headers" => c.headers.contains_key(&name),
                "examples" => c.examples.contains_key(&name),
                "links" => c.links.contains_key(&name),
                "callbacks" => c.callbacks.contains_key(&name),
                "securitySchemes" => c.security_schemes.contains_key(&name),
                _ => false,
            };
            present.then_some(())
        });
        found.ok_or_else(|| {
            Error::new(
                ErrorKind::DanglingRef,
                pointer,
                format!("`$ref` points at `{reference}`, but the spec has no such component"),
            )
        })
    }

    fn check_refs(&self, value: &Value, pointer: &str) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if r.starts_with(COMPONENT_PREFIX) {
                        self.resolve_ref(r, pointer)?;
                    } else {
                        self.check_component_ref(r, pointer)?;
                    }
                }
                for (k, v) in map {
                    if v.is_object() || v.is_array() {
                        self.check_refs(v, &push_segment(pointer, k))?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.check_refs(v, &push_segment(pointer, &i.to_string()))?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// What merging the members of an `allOf` has gathered so far.
struct AllOfMerge {
    fields: Vec<Field>,
    /// `oneOf` members flattened so far (they are named `selector`, `selector_2`, ...).
    flattened: usize,
    /// Every member's `required` entries, with their pointers.
    required: Vec<(String, String)>,
    /// The schemas being merged, outermost first (a schema met again is a cycle).
    visiting: Vec<String>,
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

/// `Unrecognized` is the name of the fallback variant of every enum and union (values the SDK does
/// not know); a spec value of that name becomes `UnrecognizedValue`. A spec value `unknown` is
/// `Unknown`, which is not confusable with the fallback.
fn fallback_safe(name: &str) -> String {
    if name == FALLBACK {
        format!("{FALLBACK}Value")
    } else {
        name.to_string()
    }
}

/// The fallback variant's name.
const FALLBACK: &str = "Unrecognized";

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut names: Vec<String> = values.iter().map(|v| naming::type_name(v)).collect();
    for n in names.iter_mut() {
        *n = fallback_safe(n);
    }
    naming::dedupe(&mut names, "");
    values
        .iter()
        .zip(names)
        .map(|(w, n)| EnumValue {
            wire: w.clone(),
            name: n,
        })
        .collect()
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

/// The `discriminator`'s values from its `mapping` (or, where it has none, the component names, as
/// OpenAPI defines), when every alternative is a `$ref` and the values tell them apart.
fn mapped_tags(
    alts: &[ReferenceOr<Schema>],
    parent: &Schema,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let d = parent.schema_data.discriminator.as_ref()?;
    let mut values = Vec::with_capacity(alts.len());
    for alt in alts {
        let ReferenceOr::Reference { reference } = alt else {
            return None;
        };
        let Some(("schemas", name)) = component_ref(reference) else {
            return None;
        };
        let value = d
            .mapping
            .iter()
            .find(|(_, target)| target.as_str() == reference || **target == name)
            .map_or(name.as_str(), |(value, _)| value.as_str());
        values.push(vec![value.to_string()]);
    }
    let unique: BTreeSet<&Vec<String>> = values.iter().collect();
    (unique.len() == values.len()).then(|| (vec![d.property_name.clone()], values))
}

/// Finds properties whose constant values tell every alternative apart: the `discriminator` if the
/// spec names one, else the smallest set of single-valued enum properties present in all alternatives.
fn find_tags(objects: &[Parts<'_>], parent: &Schema) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let constant = |props: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
                    name: &str|
     -> Option<String> {
        match props.get(name)? {
            ReferenceOr::Item(s) => match string_enum_values(s) {
                Some(v) if v.len() == 1 => Some(v[0].clone()),
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        }
    };
    let candidates: Vec<String> = match &parent.schema_data.discriminator {
        Some(d) => vec![d.property_name.clone()],
        None => objects[0]
            .0
            .keys()
            .filter(|k| {
                objects
                    .iter()
                    .all(|(props, _)| constant(props, k).is_some())
            })
            .cloned()
            .collect(),
    };
    if candidates.is_empty() {
        return None;
    }
    // Try subsets in order of size: single properties first, then pairs, then all.
    let mut subsets: Vec<Vec<String>> = candidates.iter().map(|c| vec![c.clone()]).collect();
    for (i, a) in candidates.iter().enumerate() {
        for b in &candidates[i + 1..] {
            subsets.push(vec![a.clone(), b.clone()]);
        }
    }
    subsets.push(candidates.clone());
    for tags in subsets {
        let values: Option<Vec<Vec<String>>> = objects
            .iter()
            .map(|(props, _)| {
                tags.iter()
                    .map(|t| constant(props, t))
                    .collect::<Option<Vec<_>>>()
            })
            .collect();
        let Some(values) = values else { continue };
        let unique: BTreeSet<&Vec<String>> = values.iter().collect();
        if unique.len() == values.len() {
            return Some((tags, values));
        }
    }
    None
}
