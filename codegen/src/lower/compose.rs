//! Lowering of schema compositions: `allOf` (members merged into one struct) and `oneOf` / `anyOf`
//! (tagged unions, when constant properties tell the alternatives apart, else untagged ones).

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use crate::ir::TagValue;

use super::*;

impl<'a> Lowerer<'a> {
    /// `allOf`: the members' properties merged into one struct; a member that is a union becomes a
    /// flattened field.
    pub(super) fn lower_all_of(
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
        // Members that are not objects (`allOf: [{type: number}, {type: string}]`): one type when
        // they agree, else no Rust type holds the intersection.
        let mut scalars: Vec<&str> = Vec::new();
        for (i, m) in &typed {
            let at = push_segment(&push_segment(&ctx.pointer, "allOf"), &i.to_string());
            if let Some(t) = scalar_type(self.deref((*m).into(), &at)?) {
                scalars.push(t);
            }
        }
        if !scalars.is_empty() {
            let (i, first) = typed[0];
            if scalars.len() == typed.len() && scalars.iter().all(|t| *t == scalars[0]) {
                let child = ctx.child("allOf", None).child(&i.to_string(), None);
                let (ty, _) = self.lower_schema(first.into(), &child)?;
                return Ok(TypeKind::Alias(ty));
            }
            self.warnings.push(Warning {
                pointer: push_segment(&ctx.pointer, "allOf"),
                message: format!(
                    "`allOf` of members that are not all objects ({}); typed as any JSON value",
                    scalars.join(", ")
                ),
            });
            return Ok(TypeKind::Alias(Ty::Json));
        }
        let mut merge = AllOfMerge {
            fields: Vec::new(),
            flattened: 0,
            required: Vec::new(),
            visiting: vec![ctx.pointer.clone()],
        };
        self.merge_all_of(all_of, &ctx.child("allOf", None), ctx, &mut merge)?;
        Ok(self.finish_merge(merge))
    }

    /// An object with its own `properties` beside `allOf`, `oneOf` or `anyOf` (JSON Schema applies
    /// them all): read as `allOf: [its properties, the allOf members…, the oneOf, the anyOf]`, one
    /// struct whose unions are flattened fields, so that no declared property is dropped.
    pub(super) fn lower_object_composition(
        &mut self,
        a: &'a openapiv3::AnySchema,
        schema: &'a Schema,
        ctx: &Ctx,
    ) -> Result<TypeKind, Error> {
        let req_ptr = push_segment(&ctx.pointer, "required");
        let mut merge = AllOfMerge {
            fields: self.lower_properties(&a.properties, &a.required, ctx)?,
            flattened: 0,
            required: a
                .required
                .iter()
                .enumerate()
                .map(|(i, r)| (r.clone(), push_segment(&req_ptr, &i.to_string())))
                .collect(),
            visiting: vec![ctx.pointer.clone()],
        };
        if !a.all_of.is_empty() {
            self.merge_all_of(&a.all_of, &ctx.child("allOf", None), ctx, &mut merge)?;
        }
        for (keyword, alts) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
            if alts.is_empty() {
                continue;
            }
            let list = ctx.child(keyword, None);
            let word = merge.next_selector();
            let child = ctx_with_hint(&list, ctx, &word);
            let ty = match self.lower_union(alts, schema, &child)? {
                TypeKind::Alias(ty) => ty,
                kind => Ty::Named(self.new_type(&child, Meta::default(), kind)),
            };
            merge.fields.push(selector_field(
                word,
                ty,
                format!("Which of the schema's `{keyword}` alternatives the value also is."),
            ));
        }
        Ok(self.finish_merge(merge))
    }

    /// The merged struct: a member may require a property another member declares; a required
    /// name no member declares is warned about.
    fn finish_merge(&mut self, merge: AllOfMerge) -> TypeKind {
        let AllOfMerge {
            mut fields,
            required,
            ..
        } = merge;
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
        TypeKind::Struct(fields)
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
            // A member that is itself an `allOf` (also beside `type: object` or properties, as
            // `{type: object, allOf: [..]}`): its members are merged first, then its own properties.
            let nested = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => Some(all_of),
                SchemaKind::Any(a) if !a.all_of.is_empty() => Some(&a.all_of),
                _ => None,
            };
            if let Some(all_of) = nested {
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
                if matches!(schema.schema_kind, SchemaKind::AllOf { .. })
                    || object_parts(schema).is_none_or(|(p, _)| p.is_empty())
                        && additional_properties(schema).is_none()
                {
                    continue;
                }
            }
            match &schema.schema_kind {
                // Merged above.
                SchemaKind::AllOf { .. } => {}
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                    let word = merge.next_selector();
                    let child = ctx_with_hint(&here, name_ctx, &word);
                    self.selector = true;
                    let lowered = self.lower_schema(RefOr::Item(schema), &child);
                    self.selector = false;
                    let (ty, _) = lowered?;
                    merge.fields.push(selector_field(
                        word,
                        ty,
                        "One of the alternative sets of parameters the endpoint accepts.".into(),
                    ));
                }
                _ => match object_parts(schema).or_else(|| map_only(schema)) {
                    Some((properties, required)) => {
                        // A member's `additionalProperties`: the keys no member declares, in a
                        // flattened map (one per struct, the first member's that has one).
                        if let Some(extra) = additional_properties(schema) {
                            if !merge.fields.iter().any(|f| f.flatten && f.wire == ADDITIONAL) {
                                let field = self.additional_field(extra, &here)?;
                                merge.fields.push(field);
                            }
                            if properties.is_empty() {
                                continue;
                            }
                        }
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

    /// An object whose `oneOf` / `anyOf` members only list `required` properties it declares (JSON
    /// Schema's way to say "one of these sets of properties is required"): a struct of the other
    /// properties and a flattened `selector` union with one variant per set, so that a call cannot
    /// be made without one. `None` when a member is anything else (the caller warns).
    pub(super) fn lower_required_alternatives(
        &mut self,
        a: &'a openapiv3::AnySchema,
        alts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        ctx: &Ctx,
    ) -> Result<Option<TypeKind>, Error> {
        let list = ctx.child(keyword, None);
        let mut sets: Vec<(&'a [String], Meta)> = Vec::with_capacity(alts.len());
        for alt in alts {
            let ReferenceOr::Item(member) = alt else {
                return Ok(None);
            };
            let SchemaKind::Any(m) = &member.schema_kind else {
                return Ok(None);
            };
            let only_required = m.properties.is_empty()
                && matches!(m.typ.as_deref(), None | Some("object"))
                && m.one_of.is_empty()
                && m.any_of.is_empty()
                && m.all_of.is_empty()
                && m.not.is_none()
                && m.enumeration.is_empty()
                && m.additional_properties.is_none()
                && !m.required.is_empty();
            if !only_required {
                return Ok(None);
            }
            sets.push((&m.required, schema_meta(member)));
        }
        // A set naming a property the object does not declare (an older spec, under overrides
        // written for a newer one) is left out, with a warning: the others still stand.
        let mut kept = Vec::with_capacity(sets.len());
        for (i, (names, meta)) in sets.into_iter().enumerate() {
            match names.iter().position(|n| !a.properties.contains_key(n)) {
                None => kept.push((names, meta)),
                Some(j) => self.warnings.push(Warning {
                    pointer: push_segment(
                        &push_segment(&push_segment(&list.pointer, &i.to_string()), "required"),
                        &j.to_string(),
                    ),
                    message: format!(
                        "`{}` is not one of the object's `properties`; this alternative is left out",
                        names[j]
                    ),
                }),
            }
        }
        let sets = kept;
        let fields = self.lower_fields(&a.properties, &a.required, ctx)?;
        if sets.is_empty() {
            return Ok(Some(TypeKind::Struct(fields)));
        }
        let chosen: BTreeSet<&str> = sets
            .iter()
            .flat_map(|(names, _)| names.iter().map(String::as_str))
            .collect();
        let mut variants = Vec::with_capacity(sets.len());
        for (names, meta) in &sets {
            let vfields = names
                .iter()
                .filter_map(|n| fields.iter().find(|f| f.wire == *n))
                .map(|f| Field {
                    required: true,
                    ..f.clone()
                })
                .collect();
            variants.push(UntaggedVariant {
                name: set_name(names),
                payload: Payload::Fields(vfields),
                boxed: false,
                meta: meta.clone(),
            });
        }
        dedupe_variant_names(&mut variants);
        let sets_text: Vec<String> = sets
            .iter()
            .map(|(names, _)| {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        let docs = format!(
            "Which of the alternatives the call is made with (one is required): {}.",
            sets_text.join(", or ")
        );
        let child = ctx_with_hint(&list, ctx, "selector");
        let union = self.new_type(
            &child,
            Meta {
                docs: Some(docs),
                ..Meta::default()
            },
            TypeKind::Untagged(variants),
        );
        let mut out = vec![Field {
            wire: "selector".into(),
            name: "selector".into(),
            ty: Ty::Named(union),
            required: true,
            nullable: false,
            boxed: false,
            flatten: true,
            location: None,
            meta: Meta {
                docs: Some(format!(
                    "Which of the alternatives the call is made with: {}.",
                    sets_text.join(", or ")
                )),
                ..Meta::default()
            },
        }];
        out.extend(
            fields
                .into_iter()
                .filter(|f| !chosen.contains(f.wire.as_str())),
        );
        dedupe_field_names(&mut out);
        Ok(Some(TypeKind::Struct(out)))
    }

    /// `oneOf` / `anyOf`.
    pub(super) fn lower_union(
        &mut self,
        alts: &'a [ReferenceOr<Schema>],
        parent: &'a Schema,
        ctx: &Ctx,
    ) -> Result<TypeKind, Error> {
        let name_ctx = Ctx {
            pointer: ctx.pointer.clone(),
            ..ctx.clone()
        };
        let selector = std::mem::take(&mut self.selector);
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

        // Every alternative an object (or an `allOf` of objects): look for constant tag
        // properties.
        let objects: Vec<Vec<&PropertyMap>> = resolved
            .iter()
            .map(|(s, p)| self.tag_parts(s, p, 0))
            .collect();
        let tagged = if objects.iter().all(|o| !o.is_empty()) {
            find_tags(&objects, parent)
        } else {
            None
        };
        {
            if let Some((tags, values)) = tagged.or_else(|| mapped_tags(alts, parent)) {
                let mut variants = Vec::with_capacity(alts.len());
                for (i, alt) in alts.iter().enumerate() {
                    let vals = values[i].clone();
                    let word = tagged_variant_word(&tags, &vals, alt);
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
            // An inline object with properties is a struct-like variant; one without is a map
            // (`additionalProperties`), any object (nothing said of its keys), or, only when it
            // allows no key at all (`additionalProperties: false`), `Empty`.
            let inline_object = matches!(alt, ReferenceOr::Item(_))
                && object_parts(schema).is_some_and(|(properties, _)| {
                    !properties.is_empty()
                        || allows_no_key(schema)
                        || selector && additional_properties(schema).is_none()
                });
            let (name, payload) = if inline_object {
                let (properties, required) = object_parts(schema).unwrap_or_else(|| unreachable!());
                let here = ctx.at(p);
                let fields = self.object_fields(schema, properties, required, &here)?;
                let title = schema.schema_data.title.as_deref().map(str::trim);
                let name = if required.is_empty() {
                    if properties.is_empty() {
                        "Empty".to_string()
                    } else if let Some(title) = title.filter(|t| !t.is_empty()) {
                        // Its own title names it (Stripe's `range_query_specs`).
                        naming::type_name(title)
                    } else {
                        // Named by what it may hold: `WithCode`, `WithNameAndColorEtc`.
                        let names: Vec<String> = properties.keys().take(2).cloned().collect();
                        let more = if properties.len() > 2 { "Etc" } else { "" };
                        format!("With{}{more}", set_name(&names))
                    }
                } else {
                    // A required one-value property names the variant by its value, which is what
                    // tells it apart (`mode: eco`).
                    let parts: Vec<String> = required
                        .iter()
                        .map(|r| {
                            fields
                                .iter()
                                .find(|f| f.wire == *r)
                                .and_then(Field::fixed_value)
                                .unwrap_or(r)
                                .to_string()
                        })
                        .collect();
                    set_name(&parts)
                };
                if self
                    .profile
                    .inline_variant_fields()
                    .is_some_and(|most| fields.len() > most)
                {
                    // A large inline alternative: a struct of its own, held (boxed, see
                    // `passes::box_objects`) by a newtype variant of the same name, so the union
                    // stays small (clippy's `large_enum_variant`). Decided by the alternative's own
                    // schema; the profile sets the limit.
                    let child = ctx_with_hint(&here, ctx, &format!("variant_{i}"));
                    let id = self.new_type(&child, meta.clone(), TypeKind::Struct(fields));
                    (name, Payload::Type(Ty::Named(id)))
                } else {
                    (name, Payload::Fields(fields))
                }
            } else if string_enum_values(schema).is_some_and(|v| v.len() == 1 && v[0].is_empty()) {
                // `{type: string, enum: [""]}`: "or an empty string", which clears the value
                // (Stripe's idiom): a unit variant `Clear`, never a `String` of any text.
                (
                    self.shape_name(&Ty::EmptyString),
                    Payload::Type(Ty::EmptyString),
                )
            } else {
                let child = ctx_with_hint(&ctx.at(p), ctx, &format!("variant_{i}"));
                let (ty, nullable) = self.lower_schema(alt.into(), &child)?;
                // A nullable alternative (`type: [number, "null"]`) holds an `Option`: `null` is
                // one of its values, never a value no variant takes.
                let ty = if nullable {
                    Ty::Option(Box::new(ty))
                } else {
                    ty
                };
                (self.shape_name(&ty), Payload::Type(ty))
            };
            variants.push(UntaggedVariant {
                name,
                payload,
                boxed: false,
                meta,
            });
        }
        dedupe_variant_names(&mut variants);
        Ok(TypeKind::Untagged(variants))
    }

    pub(super) fn shape_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::Timestamp => "Timestamp".into(),
            Ty::Integer => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::Boolean => "Bool".into(),
            Ty::Json => "Json".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::EmptyString => "Clear".into(),
            Ty::JsonObject => "Object".into(),
            Ty::List(_) => "List".into(),
            Ty::Tuple(_) => "Tuple".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Option(inner) => self.shape_name(inner),
            Ty::Named(id) => match &self.types[*id].component {
                Some(c) if self.types[*id].hint.len() == 1 => naming::type_name(c),
                _ => "Object".into(),
            },
        }
    }
}

/// What merging the members of an `allOf` has gathered so far.
/// A scalar or array schema's type (not an object, not a composition).
/// A variant named by the properties it requires: `DeviceIdAndCode`.
fn set_name(required: &[String]) -> String {
    required
        .iter()
        .map(|r| naming::type_name(r))
        .collect::<Vec<_>>()
        .join("And")
}

/// Variant names made unique (numbered in order), none the catch-all's.
fn dedupe_variant_names(variants: &mut [UntaggedVariant]) {
    let mut names: Vec<String> = variants.iter().map(|v| fallback_safe(&v.name)).collect();
    naming::dedupe(&mut names, "");
    for (v, n) in variants.iter_mut().zip(names) {
        v.name = n;
    }
}

fn scalar_type(schema: &Schema) -> Option<&'static str> {
    use openapiv3::Type;
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Type(Type::Array(_)) => Some("array"),
        SchemaKind::Any(a) => match a.typ.as_deref() {
            Some("string") => Some("string"),
            Some("number") => Some("number"),
            Some("integer") => Some("integer"),
            Some("boolean") => Some("boolean"),
            Some("array") => Some("array"),
            _ => None,
        },
        _ => None,
    }
}

/// The wire name of the flattened map that holds the keys an object's properties do not declare (a
/// flattened field has no key of its own on the wire).
pub(super) const ADDITIONAL: &str = "additional_properties";

impl<'a> Lowerer<'a> {
    /// The flattened map field of an object that declares `additionalProperties` beside its
    /// properties: every key the properties do not declare, so that none is dropped.
    pub(super) fn additional_field(
        &mut self,
        extra: &'a openapiv3::AdditionalProperties,
        ctx: &Ctx,
    ) -> Result<Field, Error> {
        let ty = self.lower_map(Some(extra), ctx)?;
        Ok(Field {
            wire: ADDITIONAL.into(),
            name: ADDITIONAL.into(),
            ty,
            // Not a constructor argument: it starts empty.
            required: false,
            nullable: false,
            boxed: false,
            flatten: true,
            location: None,
            meta: Meta {
                docs: Some(
                    "The properties this type does not declare (`additionalProperties`).".into(),
                ),
                ..Meta::default()
            },
        })
    }

    /// The fields of an object schema and, when it allows other keys (`additionalProperties`),
    /// the flattened map that keeps them.
    pub(super) fn object_fields(
        &mut self,
        schema: &'a Schema,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        ctx: &Ctx,
    ) -> Result<Vec<Field>, Error> {
        let mut fields = self.lower_fields(properties, required, ctx)?;
        if let Some(extra) = additional_properties(schema) {
            let mut field = self.additional_field(extra, ctx)?;
            // A property of that name: the map's Rust name gives way.
            while fields.iter().any(|f| f.name == field.name) {
                field.name.push('_');
            }
            fields.push(field);
        }
        Ok(fields)
    }
}

/// The `additionalProperties` of an object schema, when it allows more keys (`true` or a schema).
pub(super) fn additional_properties(schema: &Schema) -> Option<&openapiv3::AdditionalProperties> {
    use openapiv3::{AdditionalProperties, Type};
    let extra = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.additional_properties.as_ref(),
        SchemaKind::Any(a) => a.additional_properties.as_ref(),
        _ => None,
    };
    extra.filter(|e| !matches!(e, AdditionalProperties::Any(false)))
}

/// An object schema that allows no key at all: no properties, `additionalProperties: false`.
fn allows_no_key(schema: &Schema) -> bool {
    use openapiv3::{AdditionalProperties, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            o.properties.is_empty()
                && matches!(
                    o.additional_properties,
                    Some(AdditionalProperties::Any(false))
                )
        }
        SchemaKind::Any(a) => {
            a.properties.is_empty()
                && matches!(
                    a.additional_properties,
                    Some(AdditionalProperties::Any(false))
                )
        }
        _ => false,
    }
}

/// A schema with only `additionalProperties` (no `type`, no properties) as object parts.
fn map_only(schema: &Schema) -> Option<Parts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Any(a) if a.additional_properties.is_some() => {
            Some((&a.properties, &a.required))
        }
        _ => None,
    }
}

struct AllOfMerge {
    fields: Vec<Field>,
    /// `oneOf` members flattened so far (they are named `selector`, `selector_2`, ...).
    flattened: usize,
    /// Every member's `required` entries, with their pointers.
    required: Vec<(String, String)>,
    /// The schemas being merged, outermost first (a schema met again is a cycle).
    visiting: Vec<String>,
}

impl AllOfMerge {
    /// The name of the next flattened union: `selector`, `selector_2`, ...
    fn next_selector(&mut self) -> String {
        self.flattened += 1;
        match self.flattened {
            1 => "selector".to_string(),
            n => format!("selector_{n}"),
        }
    }
}

/// A required, flattened field holding a union merged into a struct.
fn selector_field(word: String, ty: Ty, docs: String) -> Field {
    Field {
        wire: word.clone(),
        name: word,
        ty,
        required: true,
        nullable: false,
        boxed: false,
        flatten: true,
        location: None,
        meta: Meta {
            docs: Some(docs),
            ..Meta::default()
        },
    }
}

/// The `discriminator`'s values from its `mapping` (or, where it has none, the component names, as
/// OpenAPI defines), when every alternative is a `$ref` and the values tell them apart.
fn mapped_tags(
    alts: &[ReferenceOr<Schema>],
    parent: &Schema,
) -> Option<(Vec<String>, Vec<Vec<TagValue>>)> {
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
        values.push(vec![TagValue::Str(value.to_string())]);
    }
    let unique: BTreeSet<&Vec<TagValue>> = values.iter().collect();
    (unique.len() == values.len()).then(|| (vec![d.property_name.clone()], values))
}

/// The word a tagged variant is named by: its tags' string values (`unlock_door_success`); where a
/// tag is a number or boolean, the component the alternative refers to (`SectionComponent`), else
/// the tag and its value (`type_14`).
fn tagged_variant_word(tags: &[String], values: &[TagValue], alt: &ReferenceOr<Schema>) -> String {
    if values.iter().all(|v| matches!(v, TagValue::Str(_))) {
        return values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("_");
    }
    if let ReferenceOr::Reference { reference } = alt {
        if let Some(("schemas", name)) = component_ref(reference) {
            return name.to_string();
        }
    }
    tags.iter()
        .zip(values)
        .map(|(t, v)| format!("{t}_{v}"))
        .collect::<Vec<_>>()
        .join("_")
}

/// The one value a schema allows, when it is a string, an integer or a boolean (`enum: [v]`, which
/// `const: v` becomes).
fn constant_value(schema: &Schema) -> Option<TagValue> {
    use openapiv3::Type;
    if let Some(v) = string_enum_values(schema) {
        return (v.len() == 1).then(|| TagValue::Str(v[0].clone()));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => match i.enumeration.as_slice() {
            [Some(n)] => Some(TagValue::Int(*n)),
            _ => None,
        },
        SchemaKind::Type(Type::Boolean(b)) => match b.enumeration.as_slice() {
            [Some(v)] => Some(TagValue::Bool(*v)),
            _ => None,
        },
        SchemaKind::Any(a) => match a.enumeration.as_slice() {
            [v] => v
                .as_i64()
                .map(TagValue::Int)
                .or_else(|| v.as_bool().map(TagValue::Bool)),
            _ => None,
        },
        _ => None,
    }
}

/// Finds properties whose constant values tell every alternative apart: the `discriminator` if the
/// spec names one, else the smallest set of single-valued enum properties present in all alternatives.
/// An object's declared properties.
type PropertyMap = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

impl<'a> Lowerer<'a> {
    /// The property maps of a union alternative that tags may be among: an object's own, and,
    /// for an `allOf` (`[{$ref: Credential}, {properties: {kind: {enum: [key]}}}]`), its
    /// members', followed through `$ref`s (a few levels). Empty for anything else.
    fn tag_parts(&self, schema: &'a Schema, pointer: &str, depth: usize) -> Vec<&'a PropertyMap> {
        let mut out = Vec::new();
        if depth > 4 {
            return out;
        }
        if let Some((props, _)) = object_parts(schema) {
            out.push(props);
        }
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => &all_of[..],
            SchemaKind::Any(a) => &a.all_of[..],
            _ => &[][..],
        };
        for (i, member) in members.iter().enumerate() {
            let at = push_segment(&push_segment(pointer, "allOf"), &i.to_string());
            if let Ok(m) = self.deref(member.into(), &at) {
                out.extend(self.tag_parts(m, &at, depth + 1));
            }
        }
        out
    }
}

/// The tag properties of a union's alternatives (each given by its property maps, see
/// `Lowerer::tag_parts`), and each alternative's tag values.
fn find_tags(
    objects: &[Vec<&PropertyMap>],
    parent: &Schema,
) -> Option<(Vec<String>, Vec<Vec<TagValue>>)> {
    let constant = |parts: &[&PropertyMap], name: &str| -> Option<TagValue> {
        parts.iter().find_map(|props| match props.get(name)? {
            ReferenceOr::Item(s) => constant_value(s),
            ReferenceOr::Reference { .. } => None,
        })
    };
    let candidates: Vec<String> = match &parent.schema_data.discriminator {
        Some(d) => vec![d.property_name.clone()],
        None => {
            let mut keys: Vec<String> = Vec::new();
            for props in &objects[0] {
                for k in props.keys() {
                    if !keys.contains(k) && objects.iter().all(|o| constant(o, k).is_some()) {
                        keys.push(k.clone());
                    }
                }
            }
            keys
        }
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
        let values: Option<Vec<Vec<TagValue>>> = objects
            .iter()
            .map(|parts| {
                tags.iter()
                    .map(|t| constant(parts, t))
                    .collect::<Option<Vec<_>>>()
            })
            .collect();
        let Some(values) = values else { continue };
        // One JSON type per tag: a string tag and an integer tag are never the same tag.
        let one_type = (0..tags.len()).all(|k| {
            values
                .iter()
                .all(|v| std::mem::discriminant(&v[k]) == std::mem::discriminant(&values[0][k]))
        });
        if !one_type {
            continue;
        }
        let unique: BTreeSet<&Vec<TagValue>> = values.iter().collect();
        if unique.len() == values.len() {
            return Some((tags, values));
        }
    }
    None
}
