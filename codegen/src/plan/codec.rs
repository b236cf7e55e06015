//! Decisions about a struct's generated `Deserialize` and `Serialize` ([`StructPlan::reader`] and
//! [`StructPlan::writer`]): which structs get them, and how each field is read and written.
//!
//! [`StructPlan::reader`]: super::StructPlan::reader
//! [`StructPlan::writer`]: super::StructPlan::writer

use super::types::{FieldPlan, FieldShape};
use crate::ir::Field;

/// How a generated `Serialize` ([`StructPlan::writer`](super::StructPlan::writer)) writes one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldWrite {
    /// The field's Rust name.
    pub field: String,
    /// The JSON object's key.
    pub key: String,
    /// Left out when `None` (an optional field).
    pub when_some: bool,
}

/// How a generated reader ([`StructPlan::reader`](super::StructPlan::reader)) reads one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    /// The field's Rust name.
    pub field: String,
    /// The JSON object's key.
    pub key: String,
    /// What an absent key reads as.
    pub absent: Absent,
}

/// What a generated reader makes of an absent key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// An error naming the key (a required field).
    Missing,
    /// The type's default: `None`, or an empty list (servers omit some required lists).
    Default,
    /// The field keeps what its local holds: an `Option<Option<T>>`, read as `Option<T>` and stored
    /// as `Some`, is `None` when the key is absent and `Some(None)` when it is `null`.
    Kept,
}

/// The generated reader of a decoded struct ([`StructPlan::reader`](super::StructPlan::reader)), unless serde's derive must
/// decode it: a flattened field (serde merges its keys) or one read `with` a module.
pub(super) fn reader(fields: &[Field], plans: &[FieldPlan]) -> Option<Vec<FieldRead>> {
    fields
        .iter()
        .zip(plans)
        .map(|(f, fp)| {
            let absent = match fp.shape {
                FieldShape::Flatten => return None,
                _ if fp.with.is_some() || fp.strict => return None,
                FieldShape::Required {
                    default_when_missing: false,
                } => Absent::Missing,
                FieldShape::Required {
                    default_when_missing: true,
                }
                | FieldShape::RequiredNullable
                | FieldShape::Optional
                | FieldShape::DoubleOption {
                    deserialize_with: false,
                } => Absent::Default,
                FieldShape::DoubleOption {
                    deserialize_with: true,
                } => Absent::Kept,
            };
            Some(FieldRead {
                field: f.name.clone(),
                key: f.wire.clone(),
                absent,
            })
        })
        .collect()
}

/// The generated `Serialize` of a struct ([`StructPlan::writer`](super::StructPlan::writer)), unless serde's derive must
/// encode it: a flattened field (serde merges its keys) or one written `with` a module. A parameter
/// sent outside the body is not written.
pub(super) fn writer(fields: &[Field], plans: &[FieldPlan]) -> Option<Vec<FieldWrite>> {
    let mut out = Vec::new();
    for (f, fp) in fields.iter().zip(plans) {
        if fp.shape == FieldShape::Flatten || fp.with.is_some() {
            return None;
        }
        if fp.skip_serializing {
            continue;
        }
        out.push(FieldWrite {
            field: f.name.clone(),
            key: f.wire.clone(),
            when_some: matches!(
                fp.shape,
                FieldShape::Optional | FieldShape::DoubleOption { .. }
            ),
        });
    }
    Some(out)
}
