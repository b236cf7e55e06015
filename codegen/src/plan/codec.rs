//! Decisions about a struct's generated `Deserialize` and `Serialize` ([`StructPlan::reader`] and
//! [`StructPlan::writer`]): which structs get them, and how each field is read and written.
//!
//! [`StructPlan::reader`]: super::StructPlan::reader
//! [`StructPlan::writer`]: super::StructPlan::writer

use super::types::{FieldPlan, FieldShape};

/// What a generated reader ([`StructPlan::reader`](super::StructPlan::reader)) makes of an absent key.
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

/// What a generated reader makes of a field's absent key, by its shape.
pub(super) fn absent(shape: FieldShape) -> Absent {
    match shape {
        FieldShape::Required {
            default_when_missing: false,
        } => Absent::Missing,
        FieldShape::DoubleOption {
            deserialize_with: true,
        } => Absent::Kept,
        FieldShape::Flatten
        | FieldShape::Required {
            default_when_missing: true,
        }
        | FieldShape::RequiredNullable
        | FieldShape::Optional
        | FieldShape::DoubleOption {
            deserialize_with: false,
        } => Absent::Default,
    }
}

/// Whether a generated `Serialize` writes a field only when it is `Some` (an optional field).
pub(super) fn when_some(shape: FieldShape) -> bool {
    matches!(
        shape,
        FieldShape::Optional | FieldShape::DoubleOption { .. }
    )
}

/// Whether a decoded struct gets a generated reader
/// ([`StructPlan::reader`](super::StructPlan::reader)): not when serde's derive must decode it, for
/// a flattened field (serde merges its keys) or one read `with` a module or strictly.
pub(super) fn reader(plans: &[FieldPlan<'_>]) -> bool {
    plans
        .iter()
        .all(|fp| fp.shape != FieldShape::Flatten && fp.with.is_none() && !fp.strict)
}

/// Whether a struct gets a generated `Serialize` ([`StructPlan::writer`](super::StructPlan::writer)):
/// not when serde's derive must encode it, for a flattened field (serde merges its keys) or one
/// written `with` a module. A parameter sent outside the body is not written.
pub(super) fn writer(plans: &[FieldPlan<'_>]) -> bool {
    plans
        .iter()
        .all(|fp| fp.shape != FieldShape::Flatten && fp.with.is_none())
}
