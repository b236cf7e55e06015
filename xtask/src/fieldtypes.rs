//! The second report of `cargo xtask semver`: public struct fields whose type changed.
//!
//! cargo-semver-checks (0.51) has no lint for a changed field type, so `T` → `Option<T>`,
//! `Option<T>` → `Option<Box<T>>` or `Vec<A>` → `Vec<B>` go unreported. This module reads the two
//! rustdoc JSON files that cargo-semver-checks built (format version 57 with Rust 1.95; only the
//! long-stable parts of the format are read), walks every public struct and every struct-like
//! variant of a public enum by path, and for each field present in both crates whose type renders
//! differently says what kind of change it is (see [`Class`]).
//!
//! Types are rendered simply: a named type by its last path segment and its generic arguments,
//! primitives, generics, tuples, slices, arrays and references; anything else is `?`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// A field's type, as much of it as the report needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A named type: its last path segment, whether it belongs to the documented crate, its
    /// generic type arguments.
    Named {
        name: String,
        local: bool,
        args: Vec<Ty>,
    },
    Primitive(String),
    Generic(String),
    Lifetime(String),
    Tuple(Vec<Ty>),
    Slice(Box<Ty>),
    Array(Box<Ty>, String),
    Ref {
        lifetime: Option<String>,
        mutable: bool,
        ty: Box<Ty>,
    },
    /// A shape this renderer does not know.
    Unknown,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list(f: &mut fmt::Formatter<'_>, items: &[Ty]) -> fmt::Result {
            for (i, t) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{t}")?;
            }
            Ok(())
        }
        match self {
            Ty::Named { name, args, .. } => {
                f.write_str(name)?;
                if !args.is_empty() {
                    f.write_str("<")?;
                    list(f, args)?;
                    f.write_str(">")?;
                }
                Ok(())
            }
            Ty::Primitive(s) | Ty::Generic(s) | Ty::Lifetime(s) => f.write_str(s),
            Ty::Tuple(items) => {
                f.write_str("(")?;
                list(f, items)?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Ty::Slice(t) => write!(f, "[{t}]"),
            Ty::Array(t, len) => write!(f, "[{t}; {len}]"),
            Ty::Ref {
                lifetime,
                mutable,
                ty,
            } => {
                f.write_str("&")?;
                if let Some(l) = lifetime {
                    write!(f, "{l} ")?;
                }
                if *mutable {
                    f.write_str("mut ")?;
                }
                write!(f, "{ty}")
            }
            Ty::Unknown => f.write_str("?"),
        }
    }
}

/// Reads a rustdoc JSON `Type`. `local_name(id, path)` is the name of a resolved path that names an
/// item of the documented crate (`None` for other crates' items). Never fails: an unknown shape is
/// [`Ty::Unknown`].
pub fn parse_ty(v: &Value, local_name: &dyn Fn(&Value, &str) -> Option<String>) -> Ty {
    let Some((kind, body)) =
        v.as_object()
            .and_then(|o| if o.len() == 1 { o.iter().next() } else { None })
    else {
        return Ty::Unknown;
    };
    match kind.as_str() {
        "resolved_path" => {
            let Some(path) = body.get("path").and_then(Value::as_str) else {
                return Ty::Unknown;
            };
            let (name, local) = match local_name(body.get("id").unwrap_or(&Value::Null), path) {
                Some(name) => (name, true),
                None => (path.rsplit("::").next().unwrap_or(path).to_string(), false),
            };
            let mut args = Vec::new();
            match body.get("args") {
                None | Some(Value::Null) => {}
                Some(a) => match a.get("angle_bracketed").and_then(|a| a.get("args")) {
                    Some(Value::Array(items)) => {
                        for item in items {
                            args.push(if let Some(t) = item.get("type") {
                                parse_ty(t, local_name)
                            } else if let Some(l) = item.get("lifetime").and_then(Value::as_str) {
                                Ty::Lifetime(l.to_string())
                            } else {
                                Ty::Unknown
                            });
                        }
                    }
                    // `Fn(A) -> B` style arguments, or something newer.
                    _ => args.push(Ty::Unknown),
                },
            }
            Ty::Named { name, local, args }
        }
        "primitive" => body
            .as_str()
            .map_or(Ty::Unknown, |s| Ty::Primitive(s.to_string())),
        "generic" => body
            .as_str()
            .map_or(Ty::Unknown, |s| Ty::Generic(s.to_string())),
        "tuple" => match body.as_array() {
            Some(items) => Ty::Tuple(items.iter().map(|t| parse_ty(t, local_name)).collect()),
            None => Ty::Unknown,
        },
        "slice" => Ty::Slice(Box::new(parse_ty(body, local_name))),
        "array" => match (body.get("type"), body.get("len").and_then(Value::as_str)) {
            (Some(t), Some(len)) => Ty::Array(Box::new(parse_ty(t, local_name)), len.to_string()),
            _ => Ty::Unknown,
        },
        "borrowed_ref" => match body.get("type") {
            Some(t) => Ty::Ref {
                lifetime: body
                    .get("lifetime")
                    .and_then(Value::as_str)
                    .map(String::from),
                mutable: body
                    .get("is_mutable")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                ty: Box::new(parse_ty(t, local_name)),
            },
            None => Ty::Unknown,
        },
        _ => Ty::Unknown,
    }
}

/// The public fields of one crate, read from its rustdoc JSON.
#[derive(Debug, Default)]
pub struct Fields {
    /// The `format_version` the file carries.
    pub format_version: u64,
    /// Struct path (or `enum path::Variant`) → field name → type.
    pub types: BTreeMap<String, BTreeMap<String, Ty>>,
    /// Names (last segments) of the crate's public structs, enums, unions and type aliases (not
    /// those of hidden modules).
    pub type_names: BTreeSet<String>,
    /// A local type's name (as [`Ty::Named`] shows it) → the public names a caller can write for it:
    /// its own unless it is hidden, and every public alias of it (`pub type Place = _shared::X;`).
    pub callers: BTreeMap<String, BTreeSet<String>>,
    /// Each key of `types` → the name of the type whose fields it holds (an alias's target, with
    /// `::Variant` for a variant's).
    pub target_of: BTreeMap<String, String>,
    /// Public aliases whose target the file does not hold: their fields are not compared.
    pub unresolved_aliases: Vec<String>,
}

/// Reads a rustdoc JSON file (see [`from_json`]).
pub fn load(file: &Path) -> Result<Fields, String> {
    let text = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let json: Value = serde_json::from_slice(&text)
        .map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
    drop(text);
    from_json(&json).map_err(|e| format!("{}: {e}", file.display()))
}

/// Collects the fields of every public struct (plain or tuple) and of every struct-like or tuple
/// variant of a public enum, keyed by the path rustdoc gives the item in `paths`.
pub fn from_json(json: &Value) -> Result<Fields, String> {
    let format_version = json
        .get("format_version")
        .and_then(Value::as_u64)
        .ok_or("no `format_version`: not a rustdoc JSON file")?;
    let empty = Map::new();
    let index = json
        .get("index")
        .and_then(Value::as_object)
        .ok_or("no `index` object")?;
    let paths = json
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let key = |id: &Value| -> Option<String> {
        match id {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    };
    let crate_of = |id: &Value| -> Option<u64> {
        let k = key(id)?;
        paths
            .get(&k)
            .or_else(|| index.get(&k))
            .and_then(|e| e.get("crate_id"))
            .and_then(Value::as_u64)
    };
    let is_local = |id: &Value, path: &str| match crate_of(id) {
        Some(c) => c == 0,
        None => !path.starts_with("::"),
    };
    let is_hidden_attr = |item: &Value| {
        item.get("attrs")
            .and_then(Value::as_array)
            .is_some_and(|attrs| {
                attrs.iter().any(|a| {
                    a.get("other")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.replace(' ', "") == "#[doc(hidden)]")
                })
            })
    };
    // Hidden modules (`#[doc(hidden)] pub mod _shared_types`): not part of the API, nor is what they hold.
    let hidden_modules: BTreeSet<Vec<String>> = index
        .iter()
        .filter(|(_, item)| {
            item.get("inner").is_some_and(|i| i.get("module").is_some()) && is_hidden_attr(item)
        })
        .filter_map(|(id, _)| segments_of(paths, id))
        .collect();
    // The hidden module holding an item, if any (the innermost): `#[doc(hidden)]`, or internal by
    // its name (`_shared`, where the generator defines the shared types it re-exports hidden).
    let hidden_in = |segments: &[String]| -> Option<String> {
        (2..segments.len())
            .rev()
            .find(|&n| hidden_modules.contains(&segments[..n]) || segments[n - 1].starts_with('_'))
            .map(|n| segments[n - 1].clone())
    };
    // A local type's name: its last segment, after the hidden module's name if it is in one.
    let local_name = |id: &Value, path: &str| -> Option<String> {
        if !is_local(id, path) {
            return None;
        }
        let last = path.rsplit("::").next().unwrap_or(path).to_string();
        let hidden = key(id)
            .and_then(|k| segments_of(paths, &k))
            .and_then(|segments| hidden_in(&segments));
        Some(match hidden {
            Some(module) => format!("{module}::{last}"),
            None => last,
        })
    };
    let path_of = |id: &str, item: &Value| -> String {
        match segments_of(paths, id) {
            Some(segments) => segments.join("::"),
            None => item
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
        }
    };
    // `field ids` → name → type; `public_only` for struct fields (variant fields have no visibility).
    let read_fields = |ids: &[Value], public_only: bool| -> BTreeMap<String, Ty> {
        let mut out = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            // A tuple struct's private field is `null`.
            let Some(field) = key(id).and_then(|k| index.get(&k)) else {
                continue;
            };
            if public_only && field.get("visibility").and_then(Value::as_str) != Some("public") {
                continue;
            }
            let Some(ty) = field.get("inner").and_then(|i| i.get("struct_field")) else {
                continue;
            };
            let name = field
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| i.to_string(), String::from);
            out.insert(name, parse_ty(ty, &local_name));
        }
        out
    };
    let ids_of = |kind: &Value| -> Option<(Vec<Value>, bool)> {
        // Struct kinds: {"plain": {"fields": [...]}}, {"tuple": [...]}, "unit";
        // variant kinds: {"struct": {"fields": [...]}}, {"tuple": [...]}, "plain".
        for k in ["plain", "struct"] {
            if let Some(f) = kind
                .get(k)
                .and_then(|p| p.get("fields"))
                .and_then(Value::as_array)
            {
                return Some((f.clone(), false));
            }
        }
        kind.get("tuple")
            .and_then(Value::as_array)
            .map(|f| (f.clone(), true))
    };

    let mut fields = Fields {
        format_version,
        ..Fields::default()
    };
    // Each public struct or enum: its path, name, whether hidden, and its fields (a struct's under
    // "", each variant's under "::Variant").
    struct Declared {
        path: String,
        name: String,
        hidden: bool,
        entries: Vec<(String, BTreeMap<String, Ty>)>,
    }
    let mut declared: BTreeMap<String, Declared> = BTreeMap::new();
    // Public type aliases without generic arguments, and renaming re-exports of a hidden type
    // (`pub use _shared::X as Place;`): (path, target id).
    let mut aliases: Vec<(String, String)> = Vec::new();
    // Each item → the module whose `items` list it; each module → the glob `use` items that
    // re-export it (a private module's items are named through its parent's glob re-export).
    let mut parent_of: BTreeMap<String, String> = BTreeMap::new();
    let mut globbed_by: BTreeMap<String, String> = BTreeMap::new();
    for (id, item) in index {
        let Some(inner) = item.get("inner") else {
            continue;
        };
        if let Some(items) = inner
            .get("module")
            .and_then(|m| m.get("items"))
            .and_then(Value::as_array)
        {
            for child in items.iter().filter_map(key) {
                parent_of.insert(child, id.clone());
            }
        }
        if let Some(u) = inner.get("use") {
            if u.get("is_glob").and_then(Value::as_bool) == Some(true) {
                if let Some(target) = u.get("id").and_then(key) {
                    globbed_by.insert(target, id.clone());
                }
            }
        }
    }
    // Where callers name what a `use` item re-exports: the first module up its chain of glob
    // re-exports that rustdoc gives a path, then the `use`'s name.
    let use_path = |use_id: &str, name: &str| -> Option<String> {
        let mut module = parent_of.get(use_id)?.clone();
        for _ in 0..16 {
            if let Some(segments) = segments_of(paths, &module) {
                return Some(format!("{}::{name}", segments.join("::")));
            }
            let glob = globbed_by.get(&module)?;
            module = parent_of.get(glob)?.clone();
        }
        None
    };
    for (id, item) in index {
        if item.get("crate_id").and_then(Value::as_u64) != Some(0)
            || item.get("visibility").and_then(Value::as_str) != Some("public")
        {
            continue;
        }
        let Some(inner) = item.get("inner").and_then(Value::as_object) else {
            continue;
        };
        if let Some(u) = inner.get("use") {
            let renamed = (u.get("is_glob").and_then(Value::as_bool) == Some(false))
                .then(|| u.get("name").and_then(Value::as_str))
                .flatten();
            let target = u.get("id").and_then(key).filter(|t| {
                index
                    .get(t)
                    .and_then(|i| i.get("inner"))
                    .is_some_and(|i| i.get("struct").is_some() || i.get("enum").is_some())
            });
            if let (Some(name), Some(target)) = (renamed, target) {
                if let Some(path) = use_path(id, name) {
                    fields.type_names.insert(name.to_string());
                    aliases.push((path, target));
                }
            }
            continue;
        }
        let path = path_of(id, item);
        let segments = segments_of(paths, id).unwrap_or_default();
        let hidden = is_hidden_attr(item) || hidden_in(&segments).is_some();
        if hidden {
            // Not part of the API; reached through its aliases below.
        } else if ["struct", "enum", "union", "type_alias"]
            .iter()
            .any(|k| inner.contains_key(*k))
        {
            fields
                .type_names
                .insert(path.rsplit("::").next().unwrap_or(&path).to_string());
        }
        let mut entries = Vec::new();
        if let Some(kind) = inner.get("struct").and_then(|s| s.get("kind")) {
            if let Some((ids, _)) = ids_of(kind) {
                entries.push((String::new(), read_fields(&ids, true)));
            }
        } else if let Some(variants) = inner
            .get("enum")
            .and_then(|e| e.get("variants"))
            .and_then(Value::as_array)
        {
            for vid in variants {
                let Some(variant) = key(vid).and_then(|k| index.get(&k)) else {
                    continue;
                };
                let Some(kind) = variant
                    .get("inner")
                    .and_then(|i| i.get("variant"))
                    .and_then(|v| v.get("kind"))
                else {
                    continue;
                };
                if let Some((ids, _)) = ids_of(kind) {
                    let name = variant.get("name").and_then(Value::as_str).unwrap_or("?");
                    entries.push((format!("::{name}"), read_fields(&ids, false)));
                }
            }
        } else if let Some(target) = inner
            .get("type_alias")
            .and_then(|a| a.get("type"))
            .and_then(|t| t.get("resolved_path"))
        {
            let plain = target.get("args").is_none_or(|a| {
                a.is_null()
                    || a.get("angle_bracketed")
                        .and_then(|b| b.get("args"))
                        .and_then(Value::as_array)
                        .is_some_and(Vec::is_empty)
            });
            if let (false, true, Some(target)) = (hidden, plain, target.get("id").and_then(key)) {
                aliases.push((path, target));
            }
            continue;
        }
        if inner.contains_key("struct") || inner.contains_key("enum") {
            let name = local_name(&Value::String(id.clone()), &path).unwrap_or_default();
            declared.insert(
                id.clone(),
                Declared {
                    path,
                    name,
                    hidden,
                    entries,
                },
            );
        }
    }
    let last = |path: &str| path.rsplit("::").next().unwrap_or(path).to_string();
    for d in declared.values() {
        if d.hidden {
            continue;
        }
        fields
            .callers
            .entry(d.name.clone())
            .or_default()
            .insert(last(&d.path));
        for (suffix, f) in &d.entries {
            let at = format!("{}{suffix}", d.path);
            fields
                .target_of
                .insert(at.clone(), format!("{}{suffix}", d.name));
            fields.types.insert(at, f.clone());
        }
    }
    for (path, target) in aliases {
        let Some(d) = declared.get(&target) else {
            // Its target is not in the file (e.g. stripped): its fields cannot be compared.
            fields.unresolved_aliases.push(path);
            continue;
        };
        fields
            .callers
            .entry(d.name.clone())
            .or_default()
            .insert(last(&path));
        // A visible type is compared under its own path; a hidden one under its aliases.
        if d.hidden {
            // A field that names the hidden type by this re-export reads as `<module>::<name>`
            // (the path as written, in the hidden module): the same name for callers.
            if let Some((module, _)) = d.name.split_once("::") {
                let name = last(&path);
                fields
                    .callers
                    .entry(format!("{module}::{name}"))
                    .or_default()
                    .insert(name);
            }
            for (suffix, f) in &d.entries {
                let at = format!("{path}{suffix}");
                fields
                    .target_of
                    .insert(at.clone(), format!("{}{suffix}", d.name));
                fields.types.insert(at, f.clone());
            }
        }
    }
    Ok(fields)
}

/// The segments of an item's path in `paths` (`["krate", "models", "shared", "Owner"]`).
fn segments_of(paths: &Map<String, Value>, id: &str) -> Option<Vec<String>> {
    let segments = paths.get(id)?.get("path")?.as_array()?;
    Some(
        segments
            .iter()
            .map(|s| s.as_str().unwrap_or("?").to_string())
            .collect(),
    )
}

/// What kind of change a field's type went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// `T` → `Option<T>`: the spec made the property optional.
    Optional,
    /// `Option<T>` → `T`: the spec made the property required.
    Required,
    /// A `Box` added, nothing else: the generator's boxing decision (ours).
    Boxed,
    /// A `Box` removed, nothing else: the generator's boxing decision (ours).
    Unboxed,
    /// Same shape, another type of the crate: the generator's naming (ours), unless the old type is
    /// gone because the spec renamed its schema.
    Renamed,
    /// Anything else: the spec changed the property's type.
    Other,
}

impl Class {
    pub const ALL: [Class; 6] = [
        Class::Optional,
        Class::Required,
        Class::Boxed,
        Class::Unboxed,
        Class::Renamed,
        Class::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Optional => "optional",
            Class::Required => "required",
            Class::Boxed => "boxed",
            Class::Unboxed => "unboxed",
            Class::Renamed => "renamed",
            Class::Other => "other",
        }
    }

    /// Whether this kind of change is the generator's doing rather than the spec's.
    pub fn is_ours(self) -> bool {
        matches!(self, Class::Boxed | Class::Unboxed | Class::Renamed)
    }
}

fn is_std<'a>(t: &'a Ty, wrapper: &str) -> Option<&'a Ty> {
    match t {
        Ty::Named { name, local, args } if !local && name == wrapper && args.len() == 1 => {
            Some(&args[0])
        }
        _ => None,
    }
}

/// `t` without any `Box`, and how many it had.
fn unbox(t: &Ty) -> (Ty, usize) {
    let mut boxes = 0;
    fn go(t: &Ty, boxes: &mut usize) -> Ty {
        if let Some(inner) = is_std(t, "Box") {
            *boxes += 1;
            return go(inner, boxes);
        }
        match t {
            Ty::Named { name, local, args } => Ty::Named {
                name: name.clone(),
                local: *local,
                args: args.iter().map(|a| go(a, boxes)).collect(),
            },
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|a| go(a, boxes)).collect()),
            Ty::Slice(a) => Ty::Slice(Box::new(go(a, boxes))),
            Ty::Array(a, n) => Ty::Array(Box::new(go(a, boxes)), n.clone()),
            Ty::Ref {
                lifetime,
                mutable,
                ty,
            } => Ty::Ref {
                lifetime: lifetime.clone(),
                mutable: *mutable,
                ty: Box::new(go(ty, boxes)),
            },
            other => other.clone(),
        }
    }
    let t = go(t, &mut boxes);
    (t, boxes)
}

/// Whether `a` and `b` are the same type once the names of the crate's own types are ignored;
/// pushes each pair of differing local names.
fn same_shape(a: &Ty, b: &Ty, renames: &mut Vec<(String, String)>) -> bool {
    match (a, b) {
        (
            Ty::Named {
                name: na,
                local: la,
                args: aa,
            },
            Ty::Named {
                name: nb,
                local: lb,
                args: ab,
            },
        ) => {
            let names_ok = if *la && *lb {
                if na != nb {
                    renames.push((na.clone(), nb.clone()));
                }
                true
            } else {
                na == nb && la == lb
            };
            names_ok
                && aa.len() == ab.len()
                && aa.iter().zip(ab).all(|(x, y)| same_shape(x, y, renames))
        }
        (Ty::Tuple(x), Ty::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_shape(x, y, renames))
        }
        (Ty::Slice(x), Ty::Slice(y)) => same_shape(x, y, renames),
        (Ty::Array(x, n), Ty::Array(y, m)) => n == m && same_shape(x, y, renames),
        (
            Ty::Ref {
                lifetime: l1,
                mutable: m1,
                ty: x,
            },
            Ty::Ref {
                lifetime: l2,
                mutable: m2,
                ty: y,
            },
        ) => l1 == l2 && m1 == m2 && same_shape(x, y, renames),
        _ => a == b,
    }
}

/// Classifies a change of a field's type from `old` to `new` (which differ). Returns the class and
/// a note on what else changed, if anything: `Box`es moved along an optional/required/renamed
/// change, or the renamed types.
pub fn classify(old: &Ty, new: &Ty) -> (Class, Vec<String>) {
    if is_std(new, "Option").is_some_and(|t| t == old) {
        return (Class::Optional, vec![]);
    }
    if is_std(old, "Option").is_some_and(|t| t == new) {
        return (Class::Required, vec![]);
    }
    let (old_u, old_boxes) = unbox(old);
    let (new_u, new_boxes) = unbox(new);
    let box_note = || match new_boxes.cmp(&old_boxes) {
        std::cmp::Ordering::Greater => vec!["Box added too".to_string()],
        std::cmp::Ordering::Less => vec!["Box removed too".to_string()],
        std::cmp::Ordering::Equal => vec!["Box moved too".to_string()],
    };
    if old_u == new_u {
        let class = if new_boxes >= old_boxes {
            Class::Boxed
        } else {
            Class::Unboxed
        };
        return (class, vec![]);
    }
    if is_std(&new_u, "Option").is_some_and(|t| *t == old_u) {
        return (Class::Optional, box_note());
    }
    if is_std(&old_u, "Option").is_some_and(|t| *t == new_u) {
        return (Class::Required, box_note());
    }
    let mut renames = Vec::new();
    if same_shape(&old_u, &new_u, &mut renames) {
        let mut notes: Vec<String> = renames.iter().map(|(a, b)| format!("{a} → {b}")).collect();
        notes.dedup();
        if old_boxes != new_boxes {
            notes.extend(box_note());
        }
        return (Class::Renamed, notes);
    }
    (Class::Other, vec![])
}

/// One field whose type changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub field: String,
    pub old: Ty,
    pub new: Ty,
    pub class: Class,
    pub notes: Vec<String>,
}

/// Every field present in the same struct (or variant) of both crates whose type differs.
///
/// A hidden type's fields are compared under each public alias of it, once per pair of old and new
/// types (under the first alias in path order). A local type whose name changed is the same for a
/// caller when some public name (its own, or an alias) designates it in both crates: that is no
/// change (a hidden shared type renamed while every place keeps its alias).
pub fn compare(old: &Fields, new: &Fields) -> Vec<Change> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<(Option<&String>, Option<&String>, &String)> = BTreeSet::new();
    // The same type for callers: every public name of the old type that still exists names the
    // new one, and at least one does.
    let same_for_callers = |a: &String, b: &String| match (old.callers.get(a), new.callers.get(b)) {
        (Some(x), Some(y)) => {
            let kept: Vec<&String> = x.iter().filter(|n| new.type_names.contains(*n)).collect();
            !kept.is_empty() && kept.iter().all(|n| y.contains(*n))
        }
        _ => false,
    };
    for (path, old_fields) in &old.types {
        let Some(new_fields) = new.types.get(path) else {
            continue;
        };
        for (field, old_ty) in old_fields {
            let Some(new_ty) = new_fields.get(field) else {
                continue;
            };
            if old_ty.to_string() == new_ty.to_string()
                || !seen.insert((old.target_of.get(path), new.target_of.get(path), field))
            {
                continue;
            }
            let (class, mut notes) = classify(old_ty, new_ty);
            if class == Class::Renamed {
                let (old_u, old_boxes) = unbox(old_ty);
                let (new_u, new_boxes) = unbox(new_ty);
                let mut renames = Vec::new();
                same_shape(&old_u, &new_u, &mut renames);
                if old_boxes == new_boxes && renames.iter().all(|(a, b)| same_for_callers(a, b)) {
                    continue;
                }
                // Is the old type still there? If it is gone, the spec may have renamed the schema.
                let mut olds: Vec<String> = Vec::new();
                for (a, _) in renames {
                    if !olds.contains(&a) {
                        olds.push(a);
                    }
                }
                for a in olds {
                    notes.push(if new.type_names.contains(&a) {
                        format!("{a} still exists")
                    } else {
                        format!("{a} is gone: did the spec rename it?")
                    });
                }
            }
            out.push(Change {
                path: path.clone(),
                field: field.clone(),
                old: old_ty.clone(),
                new: new_ty.clone(),
                class,
                notes,
            });
        }
    }
    out
}

/// `field types: N changed (optional a, required b, boxed c, unboxed d, renamed e, other f)`.
pub fn summary(changes: &[Change]) -> String {
    let counts: Vec<String> = Class::ALL
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.name(),
                changes.iter().filter(|x| x.class == *c).count()
            )
        })
        .collect();
    format!(
        "field types: {} changed ({})",
        changes.len(),
        counts.join(", ")
    )
}

/// The report: one line per changed field, grouped by class (the generator's first), then the
/// summary line.
pub fn report(changes: &[Change], old: &Fields, new: &Fields) -> Vec<String> {
    let mut lines =
        vec![format!(
        "field types: {} structs and struct-like variants in both crates compared field by field \
         (rustdoc JSON format {}{})",
        old.types.keys().filter(|p| new.types.contains_key(*p)).count(),
        new.format_version,
        if old.format_version == new.format_version {
            String::new()
        } else {
            format!(", baseline {}", old.format_version)
        }
    )];
    for (which, fields) in [("baseline", old), ("current", new)] {
        if !fields.unresolved_aliases.is_empty() {
            lines.push(format!(
                "field types: {} public aliases of the {which} crate name a type its rustdoc JSON \
                 does not hold, so their fields were not compared (first: {})",
                fields.unresolved_aliases.len(),
                fields.unresolved_aliases[0]
            ));
        }
    }
    let mut order = Class::ALL.to_vec();
    order.sort_by_key(|c| !c.is_ours());
    for class in order {
        let rows: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if rows.is_empty() {
            continue;
        }
        let whose = if class.is_ours() {
            "the generator's"
        } else {
            "the spec's"
        };
        lines.push(String::new());
        lines.push(format!("{} ({}, {whose}):", class.name(), rows.len()));
        for c in rows {
            let notes = if c.notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", c.notes.join("; "))
            };
            lines.push(format!(
                "  {}.{}: {} → {}{notes}",
                c.path, c.field, c.old, c.new
            ));
        }
    }
    lines.push(String::new());
    lines.push(summary(changes));
    lines
}

/// The rustdoc JSON of library `lib` that cargo-semver-checks built for the workspace `ws`: it keeps
/// one build folder per crate under `<ws>/target/semver-checks/` and writes
/// `<that>/target/doc/<lib>.json`. The newest, if there are several.
pub fn find_rustdoc_json(ws: &Path, lib: &str) -> Result<PathBuf, String> {
    let root = ws.join("target").join("semver-checks");
    let entries = std::fs::read_dir(&root).map_err(|e| {
        format!(
            "cannot read {} (where cargo-semver-checks builds its rustdoc JSON): {e}",
            root.display()
        )
    })?;
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in entries.flatten() {
        let file = entry
            .path()
            .join("target")
            .join("doc")
            .join(format!("{lib}.json"));
        if let Ok(modified) = std::fs::metadata(&file).and_then(|m| m.modified()) {
            if best.as_ref().is_none_or(|(t, _)| modified > *t) {
                best = Some((modified, file));
            }
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        format!(
            "no {lib}.json under {}/*/target/doc/: did cargo-semver-checks build the rustdoc JSON?",
            root.display()
        )
    })
}

#[cfg(test)]
mod tests;
