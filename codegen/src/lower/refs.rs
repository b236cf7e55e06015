//! `$ref`s in the lowering: the one follower of references into `#/components` (schemas and every
//! other section, chains followed, cycles refused), the map from a schema reference to its type, and
//! the check that every reference of an operation names something.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::{Lowerer, RefOr, COMPONENT_PREFIX};
use crate::error::{component_ref, push_segment, Error, ErrorKind};
use crate::ir::TypeId;

impl<'a> Lowerer<'a> {
    /// The type of the component schema `reference` names (at `pointer`).
    pub(super) fn resolve_ref(&self, reference: &str, pointer: &str) -> Result<TypeId, Error> {
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

    /// Follows a schema reference (and chains of component references) to the schema it names.
    pub(super) fn deref(&self, r: RefOr<'a>, pointer: &str) -> Result<&'a Schema, Error> {
        match r {
            RefOr::Item(s) => Ok(s),
            RefOr::Ref(reference) => {
                let (schema, _) = self.follow_ref(reference, "schemas", |c| &c.schemas, pointer)?;
                Ok(schema)
            }
        }
    }

    /// The one follower of `$ref`s: from `reference` (at `pointer`) into `#/components/<section>`
    /// (`map` of the components), through chains of component references, to an item; the item and
    /// the pointer it is at. A reference to another section, to a missing entry, or a cycle is an
    /// error at the reference that makes it.
    pub(super) fn follow_ref<T>(
        &self,
        reference: &'a str,
        section: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<(&'a T, String), Error> {
        let mut reference = reference;
        let mut here = pointer.to_string();
        let mut seen = BTreeSet::new();
        loop {
            let name = match component_ref(reference) {
                Some((s, name)) if s == section => name,
                _ => {
                    return Err(Error::new(
                        ErrorKind::DanglingRef,
                        here,
                        format!(
                        "expected a `$ref` to `#/components/{section}/<name>`, found `{reference}`"
                    ),
                    ))
                }
            };
            if !seen.insert(name.clone()) {
                return Err(Error::new(
                    ErrorKind::Schema,
                    here,
                    format!("`$ref` `{reference}` is part of a cycle of references"),
                ));
            }
            let kind = if section == "schemas" {
                "component schema"
            } else {
                "component"
            };
            let next = self
                .spec
                .components
                .as_ref()
                .and_then(|c| map(c).get(&name))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::DanglingRef,
                        &here,
                        format!("`$ref` points at `{reference}`, but the spec has no such {kind}"),
                    )
                })?;
            here = push_segment(&format!("#/components/{section}"), &name);
            match next {
                ReferenceOr::Item(item) => return Ok((item, here)),
                ReferenceOr::Reference { reference: r } => reference = r,
            }
        }
    }

    /// Resolves every `$ref` under an operation that is not generated (so a dangling one is reported).
    pub(super) fn check_refs_in_operation(
        &self,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(op)
            .map_err(|e| Error::new(ErrorKind::Schema, pointer, e.to_string()))?;
        self.check_refs(&value, pointer)
    }

    /// A `$ref` to another section of `#/components` (parameters, responses, ...) must name an entry.
    pub(super) fn check_component_ref(&self, reference: &str, pointer: &str) -> Result<(), Error> {
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

    pub(super) fn check_refs(&self, value: &Value, pointer: &str) -> Result<(), Error> {
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
