//! Lowering: `openapiv3` types → [`Ir`].
//!
//! Every component schema is registered (given a [`TypeId`]) before any is converted, so forward and
//! recursive `$ref`s resolve to ids that already exist.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use crate::error::{push_segment, Error, ErrorKind, Warning};
use crate::ir::*;
use crate::naming;

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
    types: Vec<TypeDef>,
    components: BTreeMap<String, TypeId>,
    warnings: Vec<Warning>,
}

/// Lowers a loaded spec into the IR. Warnings about worked-around defects are appended to `warnings`.
pub fn lower(spec: &OpenAPI, warnings: &mut Vec<Warning>) -> Result<Ir, Error> {
    let mut l = Lowerer {
        spec,
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
                features: BTreeSet::new(),
                merged_into: None,
                root: false,
            });
            l.components.insert(name.clone(), id);
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

    let mut ir = Ir {
        root: "crate".into(),
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        ..Ir::default()
    };
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
        let methods = [
            ("post", &item.post),
            ("get", &item.get),
            ("put", &item.put),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ];
        let present: Vec<_> = methods
            .iter()
            .filter_map(|(m, op)| op.as_ref().map(|op| (*m, op)))
            .collect();
        ir.operation_count += present.len();
        // Seam serves every endpoint by POST (its SDKs use nothing else); other methods are aliases of it.
        // They are walked for dangling references, and the first present method (POST first) is generated.
        for (method, op) in present.iter().skip(1) {
            l.check_refs_in_operation(op, &push_segment(&path_ptr, method))?;
        }
        if let Some((method, op)) = present.first() {
            let mut operation =
                l.lower_operation(path, method, op, &push_segment(&path_ptr, method))?;
            operation.idempotent = present
                .iter()
                .any(|(m, _)| matches!(*m, "get" | "put" | "delete"));
            ir.groups.insert(operation.group[0].clone());
            ir.operations.push(operation);
        }
    }
    ir.operations.sort_by(|a, b| a.path.cmp(&b.path));
    ir.types = l.types;
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
    let deprecated = extension_note(&data.extensions, "x-deprecated").or(if data.deprecated {
        Some(String::new())
    } else {
        None
    });
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
    Meta {
        docs,
        deprecated,
        values,
    }
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

/// The non-null string values of an enum, if the schema is a string enum.
fn string_enum_values(schema: &Schema) -> Option<Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            Some(s.enumeration.iter().flatten().cloned().collect())
        }
        SchemaKind::Any(a)
            if !a.enumeration.is_empty()
                && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(
                a.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            )
        }
        _ => None,
    }
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
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else {
            return Err(Error::new(
                ErrorKind::DanglingRef,
                pointer,
                format!("expected a `$ref` to `#/components/schemas/<name>`, found `{reference}`"),
            ));
        };
        let name = name.replace("~1", "/").replace("~0", "~");
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

    /// Follows a reference to the schema it names (for classifying `oneOf` alternatives).
    fn deref(&self, r: RefOr<'a>, pointer: &str) -> Result<&'a Schema, Error> {
        match r {
            RefOr::Item(s) => Ok(s),
            RefOr::Ref(reference) => {
                let id = self.resolve_ref(reference, pointer)?;
                self.component_schema(id).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Unsupported,
                        pointer,
                        format!("`{reference}` is itself a reference"),
                    )
                })
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
            features: BTreeSet::new(),
            merged_into: None,
            root: false,
        });
        id
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
        let nullable = schema.schema_data.nullable;
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

    fn lower_fields(
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
                query: false,
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
        if all_of.len() == 1 {
            let child = ctx.child("allOf", None).child("0", None);
            let (ty, _) = self.lower_schema((&all_of[0]).into(), &child)?;
            return Ok(TypeKind::Alias(ty));
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut flattened = 0;
        self.merge_all_of(
            all_of,
            &ctx.child("allOf", None),
            ctx,
            &mut fields,
            &mut flattened,
        )?;
        dedupe_field_names(&mut fields);
        Ok(TypeKind::Struct(fields))
    }

    fn merge_all_of(
        &mut self,
        all_of: &'a [ReferenceOr<Schema>],
        list_ctx: &Ctx,
        name_ctx: &Ctx,
        fields: &mut Vec<Field>,
        flattened: &mut usize,
    ) -> Result<(), Error> {
        for (i, member) in all_of.iter().enumerate() {
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
                    self.merge_all_of(all_of, &here.child("allOf", None), name_ctx, fields, flattened)?
                }
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                    *flattened += 1;
                    let word = if *flattened == 1 { "selector".to_string() } else { format!("selector_{flattened}") };
                    let child = ctx_with_hint(&here, name_ctx, &word);
                    let (ty, _) = self.lower_schema(RefOr::Item(schema), &child)?;
                    fields.push(Field {
                        wire: word.clone(),
                        name: word,
                        ty,
                        required: true,
                        nullable: false,
                        boxed: false,
                        flatten: true,
                        query: false,
                        meta: Meta {
                            docs: Some("One of the alternative sets of parameters the endpoint accepts.".into()),
                            deprecated: None,
                            ..Meta::default()
                        },
                    });
                }
                _ => match object_parts(schema) {
                    Some((properties, required)) => {
                        let new = self.lower_fields(properties, required, &here.at(schema_ptr.clone()))?;
                        for f in new {
                            if let Some(existing) = fields.iter_mut().find(|x| x.wire == f.wire && !x.flatten) {
                                let required = existing.required || f.required;
                                *existing = Field { required, ..f };
                            } else {
                                fields.push(f);
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
        if objects.len() == alts.len() {
            if let Some((tags, values)) = find_tags(&objects, parent) {
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

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let ext = &op.extensions;
        let group: Vec<String> = match ext.get("x-fern-sdk-group-name") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Schema,
                        push_segment(pointer, "x-fern-sdk-group-name"),
                        "expected a list of strings",
                    )
                })?,
            Some(Value::String(s)) => vec![s.clone()],
            _ => {
                // No SDK grouping: derive it from the path (`/a/b/c` → group a.b, method c).
                let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
                if parts.len() < 2 {
                    vec!["root".to_string()]
                } else {
                    parts[..parts.len() - 1]
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                }
            }
        };
        let group: Vec<String> = group.iter().map(|g| naming::field_name(g)).collect();
        let method_name = match ext.get("x-fern-sdk-method-name") {
            Some(Value::String(s)) => s.clone(),
            _ => path
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or("call")
                .to_string(),
        };
        let name = naming::field_name(&method_name);
        let top = group[0].clone();
        let base_hint: Vec<String> = group
            .iter()
            .cloned()
            .chain(std::iter::once(method_name.clone()))
            .collect();
        let op_ctx = Ctx {
            pointer: pointer.to_string(),
            hint: base_hint.clone(),
            component: None,
            group: Some(top.clone()),
        };

        // Request body.
        let mut params = None;
        let mut params_all_optional = true;
        if let Some(body) = &op.request_body {
            let body_ptr = push_segment(pointer, "requestBody");
            let body = match body {
                ReferenceOr::Item(b) => b,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        body_ptr,
                        "`$ref` request bodies are not supported",
                    ))
                }
            };
            if let Some(media) = body.content.get("application/json") {
                let media_ptr =
                    push_segment(&push_segment(&body_ptr, "content"), "application/json");
                if let Some(schema) = &media.schema {
                    let mut hint = base_hint.clone();
                    hint.push("params".into());
                    let ctx = Ctx {
                        pointer: push_segment(&media_ptr, "schema"),
                        hint,
                        ..op_ctx.clone()
                    };
                    params = Some(self.lower_body(schema.into(), &ctx)?);
                }
            }
        }

        // Query parameters: fields of the params struct, sent in the query string.
        let mut query = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let p_ptr = push_segment(&push_segment(pointer, "parameters"), &i.to_string());
            let ReferenceOr::Item(Parameter::Query { parameter_data, .. }) = p else {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    p_ptr,
                    "expected an inline `in: query` parameter; path, header, cookie and `$ref` parameters are not supported",
                ));
            };
            let ParameterSchemaOrContent::Schema(schema) = &parameter_data.format else {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    p_ptr,
                    "expected a parameter with a `schema`",
                ));
            };
            let ctx = ctx_with_hint(
                &op_ctx.at(push_segment(&p_ptr, "schema")),
                &op_ctx,
                &parameter_data.name,
            );
            let (ty, _) = self.lower_schema(schema.into(), &ctx)?;
            if !matches!(ty, Ty::String | Ty::Integer | Ty::Number | Ty::Boolean) {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    push_segment(&p_ptr, "schema"),
                    "expected a string, number, integer or boolean query parameter",
                ));
            }
            let field = Field {
                wire: parameter_data.name.clone(),
                name: naming::field_name(&parameter_data.name),
                ty,
                required: parameter_data.required,
                nullable: false,
                boxed: false,
                flatten: false,
                query: true,
                meta: Meta {
                    docs: parameter_data.description.clone(),
                    deprecated: None,
                    ..Meta::default()
                },
            };
            query.push(QueryParam {
                wire: field.wire.clone(),
                field: field.name.clone(),
                required: field.required,
            });
            let pid = match params {
                Some(id) => id,
                None => {
                    let mut hint = base_hint.clone();
                    hint.push("params".into());
                    let ctx = Ctx {
                        pointer: pointer.to_string(),
                        hint,
                        ..op_ctx.clone()
                    };
                    let id = self.new_type(&ctx, Meta::default(), TypeKind::Struct(Vec::new()));
                    params = Some(id);
                    id
                }
            };
            if let TypeKind::Alias(Ty::Json | Ty::JsonObject) = self.types[pid].kind {
                // A free-form body beside query parameters: the body becomes a flattened JSON object.
                self.types[pid].kind = TypeKind::Struct(vec![Field {
                    wire: "body".into(),
                    name: "body".into(),
                    ty: Ty::JsonObject,
                    required: true,
                    nullable: false,
                    boxed: false,
                    flatten: true,
                    query: false,
                    meta: Meta {
                        docs: Some("The JSON body: any object.".into()),
                        deprecated: None,
                        ..Meta::default()
                    },
                }]);
            }
            match &mut self.types[pid].kind {
                TypeKind::Struct(fields) => fields.push(field),
                _ => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        p_ptr,
                        "expected query parameters only beside an object request body",
                    ))
                }
            }
        }
        if let Some(pid) = params {
            if let TypeKind::Struct(fields) = &mut self.types[pid].kind {
                dedupe_field_names(fields);
                params_all_optional = fields.iter().all(|f| !f.required && !f.flatten);
                for q in query.iter_mut() {
                    if let Some(f) = fields.iter().find(|f| f.wire == q.wire) {
                        q.field = f.name.clone();
                    }
                }
            } else {
                params_all_optional = false;
            }
        }

        // The 200 response.
        let responses_ptr = push_segment(pointer, "responses");
        let ok = op
            .responses
            .responses
            .get(&StatusCode::Code(200))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Schema,
                    &responses_ptr,
                    "expected a `200` response",
                )
            })?;
        let ok_ptr = push_segment(&responses_ptr, "200");
        let ok = match ok {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { .. } => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    ok_ptr,
                    "`$ref` responses are not supported",
                ))
            }
        };
        let mut response_hint = base_hint.clone();
        response_hint.push("response".into());
        let response = match ok
            .content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
        {
            Some(schema) => {
                let schema_ptr = push_segment(
                    &push_segment(&push_segment(&ok_ptr, "content"), "application/json"),
                    "schema",
                );
                let ctx = Ctx {
                    pointer: schema_ptr,
                    hint: response_hint,
                    ..op_ctx.clone()
                };
                self.lower_body(schema.into(), &ctx)?
            }
            None => {
                let ctx = Ctx {
                    pointer: ok_ptr.clone(),
                    hint: response_hint,
                    ..op_ctx.clone()
                };
                self.new_type(&ctx, Meta::default(), TypeKind::Struct(Vec::new()))
            }
        };
        self.types[response].root = true;
        if let Some(p) = params {
            self.types[p].root = true;
        }
        let response_fields = match &self.types[response].kind {
            TypeKind::Struct(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let returns = match ext.get("x-response-key") {
            Some(Value::String(key)) => {
                let field = response_fields.iter().find(|f| &f.wire == key).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Schema,
                        push_segment(pointer, "x-response-key"),
                        format!("`x-response-key` names `{key}`, but the 200 response has no such property"),
                    )
                })?;
                Returns::Key {
                    wire: key.clone(),
                    field: field.name.clone(),
                    ty: field.ty.clone(),
                    optional: field.nullable || !field.required,
                }
            }
            Some(Value::Null) => Returns::Unit,
            _ => Returns::Whole,
        };
        let returns_action_attempt = response_fields.iter().any(|f| f.wire == "action_attempt");
        let paginated = response_fields.iter().any(|f| f.wire == "pagination");

        let mut security: Vec<String> = op
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.keys().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        security.sort();

        let undocumented = extension_note(ext, "x-undocumented");
        let draft = extension_note(ext, "x-draft");
        let mut features = BTreeSet::from([top]);
        if undocumented.is_some() {
            features.insert("undocumented".into());
        }
        if draft.is_some() {
            features.insert("draft".into());
        }
        let deprecated = extension_note(ext, "x-deprecated").or(if op.deprecated {
            Some(String::new())
        } else {
            None
        });
        let title = match ext.get("x-title") {
            Some(Value::String(t)) => Some(t.clone()),
            _ => op.summary.clone(),
        };
        Ok(Operation {
            path: path.to_string(),
            method: method.to_uppercase(),
            pointer: pointer.to_string(),
            group,
            name,
            title,
            meta: Meta {
                docs: op.description.clone(),
                deprecated,
                ..Meta::default()
            },
            undocumented,
            draft,
            params,
            query,
            params_all_optional,
            response,
            returns,
            action_attempt_type: ext
                .get("x-action-attempt-type")
                .and_then(Value::as_str)
                .map(str::to_string),
            returns_action_attempt,
            paginated,
            idempotent: false,
            security,
            features,
        })
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

    fn check_refs(&self, value: &Value, pointer: &str) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    self.resolve_ref(r, pointer)?;
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

/// `Unknown` is the name of the fallback variant of every enum and union; a spec value of that name
/// becomes `UnknownValue`.
fn fallback_safe(name: &str) -> String {
    if name == "Unknown" {
        "UnknownValue".to_string()
    } else {
        name.to_string()
    }
}

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut names: Vec<String> = values.iter().map(|v| naming::type_name(v)).collect();
    // `Unknown` is the fallback variant's name.
    for n in names.iter_mut() {
        if n == "Unknown" {
            n.push_str("Value");
        }
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
