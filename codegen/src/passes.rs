//! Passes over the IR: deduplication, usage and feature analysis, recursion boxing, naming.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::naming;
use crate::profile::ClashPolicy;

/// Runs every pass in order.
/// `decode_requests`: every type deserializes, those only requests send too (see
/// [`crate::Options::decode_requests`]).
pub fn run(ir: &mut Ir, clash: &ClashPolicy, decode_requests: bool) -> Result<(), Error> {
    check_alias_cycles(ir)?;
    dedupe_types(ir);
    unify_errors(ir);
    accessor_enums(ir);
    let candidates = candidate_names(ir);
    analyse_usage(ir);
    derive_deserialize(ir, decode_requests);
    box_recursion(ir);
    box_objects(ir);
    assign_names(ir, &candidates);
    check_operation_names(ir, clash)?;
    Ok(())
}

/// After merging, an operation whose error responses still have different bodies decodes its errors
/// as free-form JSON: a warning names the first body that differs.
pub fn error_warnings(ir: &Ir) -> Vec<crate::error::Warning> {
    let mut out = Vec::new();
    for op in &ir.operations {
        if let Some((first, _)) = op.errors.first() {
            if let Some((_, pointer)) = op.errors.iter().find(|(ty, _)| ty != first) {
                out.push(crate::error::Warning {
                    pointer: pointer.clone(),
                    message:
                        "the operation's error responses have different bodies; its errors are \
                              decoded as free-form JSON"
                            .into(),
                });
            }
        }
    }
    out
}

/// Aliases that name each other in a cycle (`a: {$ref: b}`, `b: {$ref: a}`, or `a: {allOf: [{$ref: b}]}`,
/// or `a: {type: array, items: {$ref: a}}`) would be `type A = B; type B = A;`, which has no Rust type:
/// an error names every schema of the cycle.
fn check_alias_cycles(ir: &Ir) -> Result<(), Error> {
    let alias_targets = |id: TypeId| -> Vec<TypeId> {
        let mut out = Vec::new();
        if let TypeKind::Alias(ty) = &ir.types[id].kind {
            visit_ty(ty, &mut |x| out.push(x));
        }
        out
    };
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; ir.types.len()];
    for start in TypeId::all(ir.types.len()) {
        if state[start] != 0 || !matches!(ir.types[start].kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut path: Vec<TypeId> = vec![start];
        let mut next: Vec<Vec<TypeId>> = vec![alias_targets(start)];
        state[start] = 1;
        while let Some(pending) = next.last_mut() {
            match pending.pop() {
                Some(x) if state[x] == 1 => {
                    let at = path.iter().position(|&p| p == x).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[at..]
                        .iter()
                        .map(|&i| ir.types[i].pointer.as_str())
                        .collect();
                    let first = cycle.iter().copied().min().unwrap_or_default().to_string();
                    cycle.push(ir.types[x].pointer.as_str());
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        first,
                        format!(
                            "these schemas are aliases of each other in a cycle ({}), which no Rust type \
                             can be; expected one of them to be an object or a union",
                            cycle.join(" → ")
                        ),
                    ));
                }
                Some(x) if state[x] == 0 => {
                    state[x] = 1;
                    path.push(x);
                    next.push(alias_targets(x));
                }
                Some(_) => {}
                None => {
                    if let Some(done) = path.pop() {
                        state[done] = 2;
                    }
                    next.pop();
                }
            }
        }
    }
    Ok(())
}

fn candidate_names(ir: &Ir) -> Vec<String> {
    let mut names = HintNames::default();
    ir.types.iter().map(|t| names.name(&t.hint)).collect()
}

/// Names made of hint words (`["device", "error"]` → `DeviceError`), each word cased once: hints
/// repeat their words across thousands of types, and casing is most of the cost of a name.
#[derive(Default)]
struct HintNames {
    words: FxHashMap<String, String>,
}

impl HintNames {
    fn name(&mut self, hint: &[String]) -> String {
        let mut joined = String::new();
        for w in hint {
            let word = self.words.entry(w.clone()).or_insert_with(|| {
                // `Self` needs its `_` only as the whole name: `Links` + `self` is `LinksSelf`,
                // which stays UpperCamelCase when numbered (`LinksSelf2`).
                let name = naming::type_name(w);
                match name.strip_suffix('_') {
                    Some(stem) if stem == "Self" => stem.to_string(),
                    _ => name,
                }
            });
            joined.push_str(word);
        }
        naming::item_name(joined)
    }
}

/// Shares one type among structurally identical inline types (same shape, same docs), without
/// renaming any of them: every inline type keeps its own place-derived name, as an alias of the
/// shared type (see codegen/README.md, "Names that stay").
///
/// The shared type of a group is the component schema among them, if one is; else a new type in the
/// private `_shared` module (reachable only through a hidden one), which is not part of the crate's
/// API: callers name every place by its own
/// alias, so a shared type's name may change between versions without breaking anyone. It is named,
/// for readers of the code, from what its places share ([`shared_name`]); collisions among shared
/// types are numbered in [`assign_names`].
fn dedupe_types(ir: &mut Ir) {
    merge_identical(ir);
    let mut classes: BTreeMap<TypeId, Vec<TypeId>> = BTreeMap::new();
    for id in TypeId::all(ir.types.len()) {
        let rep = ir.resolve(id);
        if rep != id {
            classes.entry(rep).or_default().push(id);
        }
    }
    for (rep, members) in classes.iter_mut() {
        members.push(*rep);
        members.sort_unstable();
    }
    let names: BTreeMap<TypeId, Vec<String>> = classes
        .iter()
        .map(|(&rep, members)| (rep, shared_name(ir, members)))
        .collect();

    // One shared type per group: the component among them, or a new type.
    let mut shared_of_rep: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for (&rep, members) in &classes {
        let shared = match members
            .iter()
            .copied()
            .find(|&m| ir.types[m].is_component_schema())
        {
            Some(component) => component,
            None => {
                let pointer = members
                    .iter()
                    .map(|&m| ir.types[m].pointer.clone())
                    .min()
                    .unwrap_or_default();
                let t = &ir.types[rep];
                let def = TypeDef {
                    name: String::new(),
                    hint: names[&rep].clone(),
                    pointer,
                    component: None,
                    group: None,
                    meta: t.meta.clone(),
                    kind: t.kind.clone(),
                    in_request: false,
                    in_response: false,
                    deserialize: false,
                    features: BTreeSet::new(),
                    merged_into: None,
                    operation_type: false,
                    shares: None,
                    shared: true,
                    nested: Vec::new(),
                };
                ir.types.push(def);
                TypeId(ir.types.len() - 1)
            }
        };
        shared_of_rep.insert(rep, shared);
    }
    let shared_of: Vec<TypeId> = TypeId::all(ir.types.len())
        .map(|i| {
            let rep = ir.resolve(i);
            shared_of_rep.get(&rep).copied().unwrap_or(i)
        })
        .collect();
    // The new shared types refer to the shared types of what they contain; every user becomes an alias
    // of its shared type and remembers the places its own schema contained, whose names stay too.
    for (&rep, members) in &classes {
        let shared = shared_of_rep[&rep];
        if ir.types[shared].shared {
            ir.types[shared].kind.rewrite(&|x| shared_of[x]);
        }
        for &m in members {
            if m == shared {
                continue;
            }
            let t = &mut ir.types[m];
            let mut nested = Vec::new();
            t.kind.visit(&mut |x| nested.push(x));
            t.nested = nested;
            t.kind = TypeKind::Alias(Ty::Named(shared));
            t.shares = Some(shared);
        }
    }
    for t in ir.types.iter_mut() {
        t.merged_into = None;
    }
}

/// An operation whose error responses are identical schemas (one type shared by their places)
/// decodes its errors into one type: the first error response's place name.
fn unify_errors(ir: &mut Ir) {
    let resolved: Vec<TypeId> = TypeId::all(ir.types.len()).map(|i| ir.resolve(i)).collect();
    let resolve = |id: TypeId| resolved[id];
    for op in ir.operations.iter_mut() {
        let resolved: Vec<Ty> = op
            .errors
            .iter()
            .map(|(ty, _)| {
                let mut ty = ty.clone();
                rewrite_ty(&mut ty, &resolve);
                ty
            })
            .collect();
        if let Some((first, _)) = op.errors.first().cloned() {
            if resolved.windows(2).all(|w| w[0] == w[1]) {
                for (ty, _) in op.errors.iter_mut() {
                    *ty = first.clone();
                }
            }
        }
    }
}

/// A tagged union's accessor of a string field whose value each variant fixes (a tag: `kind`,
/// `status`, `error_code`) returns an enum of those values, with a catch-all, rather than a `&str`:
/// `job.status() == Some(JobStatus::Done)` is checked by the compiler. The enum is named after the
/// union and the field (`Job` + `status`; `JobError` + `error_code` is `JobErrorCode`) and lives
/// beside the union.
fn accessor_enums(ir: &mut Ir) {
    let mut wanted: Vec<(TypeId, String, Vec<String>)> = Vec::new();
    for (id, t) in ir.live_types() {
        let TypeKind::Tagged { variants, .. } = &t.kind else {
            continue;
        };
        // A type identical schemas share is hidden and its name may change between versions: an
        // enum named after it would not keep its name.
        if t.shared {
            continue;
        }
        for f in ir.accessor_fields(variants) {
            if f.ty != Ty::String {
                continue;
            }
            let constants: Option<Vec<&str>> = variants
                .iter()
                .map(|v| {
                    ir.struct_fields(v.ty)
                        .iter()
                        .find(|g| g.wire == f.wire)
                        .and_then(|g| g.meta.values.constant.as_deref())
                })
                .collect();
            let Some(constants) = constants else {
                continue;
            };
            let mut seen = BTreeSet::new();
            let values: Vec<String> = constants
                .into_iter()
                .filter(|v| seen.insert(*v))
                .map(str::to_string)
                .collect();
            wanted.push((id, f.wire.clone(), values));
        }
    }
    let mut names = HintNames::default();
    let taken: BTreeSet<String> = ir.live_types().map(|(_, t)| names.name(&t.hint)).collect();
    for (union, wire, values) in wanted {
        let u = &ir.types[union];
        let mut hint = u.hint.clone();
        // `AcsSystemError` + `error_code` is `AcsSystemErrorCode`, unless another type has that name.
        let last = u
            .hint
            .last()
            .and_then(|w| w.rsplit('_').next())
            .unwrap_or("");
        match wire.split_once('_') {
            Some((first, rest)) if first == last && !rest.is_empty() => {
                let mut short = hint.clone();
                short.push(rest.to_string());
                if taken.contains(&names.name(&short)) {
                    hint.push(wire.clone());
                } else {
                    hint = short;
                }
            }
            _ => hint.push(wire.clone()),
        }
        let def = TypeDef {
            name: String::new(),
            meta: Meta {
                docs: Some(format!(
                    "The values of `{wire}` that the variants of `{}` fix (an accessor of the \
                     union returns it); `Unrecognized` holds one this version does not know.",
                    u.hint.join(".")
                )),
                ..Meta::default()
            },
            pointer: u.pointer.clone(),
            component: u.component.clone(),
            group: u.group.clone(),
            hint,
            kind: TypeKind::StringEnum(crate::naming::enum_values(&values)),
            in_request: false,
            in_response: false,
            deserialize: false,
            features: BTreeSet::new(),
            merged_into: None,
            shares: None,
            shared: false,
            nested: Vec::new(),
            operation_type: false,
        };
        ir.types.push(def);
        let id = TypeId(ir.types.len() - 1);
        ir.types[union].nested.push(id);
        ir.accessor_enums.insert((union, wire), id);
    }
}

/// The longest common suffix of word lists.
fn common_suffix<'a>(mut lists: impl Iterator<Item = &'a [String]>) -> Vec<String> {
    let Some(first) = lists.next() else {
        return Vec::new();
    };
    let mut len = first.len();
    for l in lists {
        len = len.min(
            first
                .iter()
                .rev()
                .zip(l.iter().rev())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[first.len() - len..].to_vec()
}

/// The words that name a place: its last word from the spec (a property, a list item, a tag value)
/// and the words the generator added after it (`value` of a map, `selector`, `variant_N`), without
/// the first word (the component or endpoint): `[connected_account, custom_metadata, value]` →
/// `[custom_metadata, value]`. `None` when the place has no such word.
fn place_key(hint: &[String]) -> Option<&[String]> {
    let words = hint.get(1..)?;
    let added = |w: &str| w == "value" || w.starts_with("selector") || w.starts_with("variant_");
    let last = words.iter().rposition(|w| !added(w))?;
    Some(&words[last..])
}

/// The name words of the type a group of identical places shares (the type itself is hidden, see
/// [`dedupe_types`]): the places' common name words ([`place_key`]) when they all have the same
/// (`[custom_metadata, value]` for `connected_account.custom_metadata`'s and `phone.custom_metadata`'s
/// values), else the longest common suffix of their names without the first word
/// (`[properties, battery, status]`), else all the places' own words joined by `or` (`ExtraOrMeta`; never
/// one place's name alone).
fn shared_name(ir: &Ir, members: &[TypeId]) -> Vec<String> {
    let keys: BTreeSet<Option<&[String]>> = members
        .iter()
        .map(|&m| place_key(&ir.types[m].hint))
        .collect();
    if let [Some(key)] = keys.iter().copied().collect::<Vec<_>>()[..] {
        return key.to_vec();
    }
    let suffix = common_suffix(
        members
            .iter()
            .map(|&m| ir.types[m].hint.get(1..).unwrap_or_default()),
    );
    if !suffix.is_empty() {
        return suffix;
    }
    // No word in common: every place's own words, in name order (`extra`, `meta` → `ExtraOrMeta`),
    // the first three when there are more.
    let mut keys: Vec<&[String]> = members
        .iter()
        .map(|&m| {
            let hint = &ir.types[m].hint;
            place_key(hint).unwrap_or(hint)
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut words: Vec<String> = Vec::new();
    for (i, key) in keys.iter().take(3).enumerate() {
        if i > 0 {
            words.push("or".to_string());
        }
        words.extend(key.iter().cloned());
    }
    if keys.len() > 3 {
        words.push("etc".to_string());
    }
    if words.is_empty() {
        words.push("shared".to_string());
    }
    words
}

/// Groups structurally identical inline types (same shape, same docs), repeatedly, until nothing
/// changes: each merged type's `merged_into` points at its group's representative (the component
/// schema among them, else the first in id order). Component schemas and operation types are never
/// merged away.
fn merge_identical(ir: &mut Ir) {
    for t in ir.types.iter_mut() {
        t.merged_into = None;
    }
    loop {
        let mut by_key: FxHashMap<(TypeKind, &Meta), Vec<TypeId>> = FxHashMap::default();
        for (id, t) in ir.live_types() {
            if t.operation_type {
                continue;
            }
            let mut kind = t.kind.clone();
            kind.rewrite(&|x| ir.resolve(x));
            by_key.entry((kind, &t.meta)).or_default().push(id);
        }
        let mut merge: Vec<(TypeId, TypeId)> = Vec::new();
        for ids in by_key.values() {
            if ids.len() < 2 {
                continue;
            }
            // A component among them stands for all (other components stay themselves).
            let keep = ids
                .iter()
                .copied()
                .find(|&i| ir.types[i].is_component_schema())
                .unwrap_or_else(|| ids.iter().copied().min().unwrap_or_default());
            for &id in ids {
                if id != keep && !ir.types[id].is_component_schema() {
                    merge.push((id, keep));
                }
            }
        }
        if merge.is_empty() {
            break;
        }
        for (id, keep) in merge {
            ir.types[id].merged_into = Some(keep);
        }
    }
}

/// Marks which types are reached from requests and from responses, and under which features.
fn analyse_usage(ir: &mut Ir) {
    let mut edges: Vec<Vec<TypeId>> = vec![Vec::new(); ir.types.len()];
    for (id, t) in ir.live_types() {
        t.kind.visit(&mut |x| edges[id].push(x));
        // An alias's own places keep their names, under its features.
        edges[id].extend(t.nested.iter().copied());
    }
    // Everything reachable from any of `starts`, each once.
    let reach = |starts: &[TypeId]| -> Vec<TypeId> {
        let mut seen = vec![false; edges.len()];
        let mut out = Vec::new();
        let mut stack = starts.to_vec();
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id], true) {
                out.push(id);
                stack.extend(edges[id].iter().copied());
            }
        }
        out
    };
    // The types each feature set's operations send and receive: one walk per feature set (a
    // group's operations share theirs) rather than one per type an operation uses.
    type Starts = BTreeMap<BTreeSet<String>, Vec<TypeId>>;
    let (mut request, mut response): (Starts, Starts) = Default::default();
    for op in ir.operations.iter_mut() {
        for (id, sent) in op.type_uses() {
            let starts = if sent { &mut request } else { &mut response };
            starts.entry(op.features.clone()).or_default().push(id);
        }
    }
    for (features, starts) in request {
        for id in reach(&starts) {
            ir.types[id].in_request = true;
            ir.types[id].features.insert(features.clone());
        }
    }
    for (features, starts) in response {
        for id in reach(&starts) {
            ir.types[id].in_response = true;
            ir.types[id].features.insert(features.clone());
        }
    }
    for t in ir.types.iter_mut() {
        t.features = simplify_features(std::mem::take(&mut t.features));
    }
    // Types the hand-written runtime names are compiled whatever the features, and so are types no
    // endpoint uses (unused components): so is everything they contain.
    let always: Vec<TypeId> = TypeId::all(ir.types.len())
        .zip(&ir.types)
        .filter(|(_, t)| {
            t.merged_into.is_none() && (ir.is_runtime_type(t) || t.features.is_empty())
        })
        .map(|(id, _)| id)
        .collect();
    for id in reach(&always) {
        ir.types[id].features.clear();
    }
}

/// Decides, per live type and after merging, whether it implements `Deserialize`: a type reached
/// from a response does, and so does a type no endpoint uses (it may be used either way); then every
/// type contained in one that deserializes does too. A merged type may be reached from a request-only
/// params struct and from an unused component at once: it needs the trait for the latter.
/// With `all`, every live type does.
fn derive_deserialize(ir: &mut Ir, all: bool) {
    let mut stack: Vec<TypeId> = ir
        .live_types()
        .filter(|(_, t)| all || t.in_response || !t.in_request)
        .map(|(id, _)| id)
        .collect();
    while let Some(id) = stack.pop() {
        if ir.types[id].deserialize {
            continue;
        }
        ir.types[id].deserialize = true;
        ir.types[id].kind.visit(&mut |x| stack.push(x));
    }
}

/// Boxes fields whose type contains, without indirection through a list or map, the type itself.
fn box_recursion(ir: &mut Ir) {
    let mut direct: Vec<Vec<TypeId>> = vec![Vec::new(); ir.types.len()];
    for (id, t) in ir.live_types() {
        let mut push = |ty: &Ty| {
            if let Ty::Named(x) = ty {
                direct[id].push(*x);
            }
        };
        match &t.kind {
            TypeKind::Struct(fields) => fields.iter().for_each(|f| push(&f.ty)),
            TypeKind::Tagged { variants, .. } => {
                variants.iter().for_each(|v| direct[id].push(v.ty))
            }
            TypeKind::Untagged(variants) => {
                for v in variants {
                    match &v.payload {
                        Payload::Fields(fields) => fields.iter().for_each(|f| push(&f.ty)),
                        Payload::Type(ty) => push(ty),
                    }
                }
            }
            TypeKind::Alias(ty) => push(ty),
            TypeKind::StringEnum(_) => {}
        }
    }
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id) {
                stack.extend(direct[id].iter().copied());
            }
        }
        false
    };
    let mut to_box: Vec<(TypeId, Option<usize>, usize)> = Vec::new();
    for (id, t) in ir.live_types() {
        let mut check = |variant: Option<usize>, fields: &[Field]| {
            for (i, f) in fields.iter().enumerate() {
                if let Ty::Named(x) = f.ty {
                    if reaches(x, id) {
                        to_box.push((id, variant, i));
                    }
                }
            }
        };
        match &t.kind {
            TypeKind::Struct(fields) => check(None, fields),
            TypeKind::Untagged(variants) => {
                for (vi, v) in variants.iter().enumerate() {
                    if let Payload::Fields(fields) = &v.payload {
                        check(Some(vi), fields);
                    }
                }
            }
            _ => {}
        }
    }
    for (id, variant, i) in to_box {
        match (&mut ir.types[id].kind, variant) {
            (TypeKind::Struct(fields), None) => fields[i].boxed = true,
            (TypeKind::Untagged(variants), Some(vi)) => {
                if let Payload::Fields(fields) = &mut variants[vi].payload {
                    fields[i].boxed = true;
                }
            }
            _ => {}
        }
    }
}

/// Boxes every field, outside an endpoint's params and response, whose type is a struct or a union
/// with an object among its variants (through aliases): a rule of the field's own schema, so a field's type never changes when another
/// type grows. A struct then stays small when the server sends little (`DeviceProperties` holds dozens
/// of optional provider-metadata structs, which inline made a `Device` 6.6 KB, all of it moved on every
/// decode), and a boxed field costs an allocation only when present. An endpoint's params and response
/// are built or decoded once and taken apart at once: their fields stay inline (unless recursive).
fn box_objects(ir: &mut Ir) {
    // A struct, a tagged union (of structs), or an untagged union with an object among its variants
    // (a union of strings and lists stays inline, as small as a `String`).
    fn is_object(ir: &Ir, mut id: TypeId, depth: usize) -> bool {
        // Aliases never form a cycle (checked first), so this ends; the bound is a safeguard.
        for _ in 0..=ir.types.len() {
            match &ir.types[id].kind {
                TypeKind::Struct(_) | TypeKind::Tagged { .. } => return true,
                TypeKind::Untagged(variants) => {
                    return variants.iter().any(|v| match &v.payload {
                        Payload::Fields(_) => true,
                        Payload::Type(Ty::Named(x)) => depth < 8 && is_object(ir, *x, depth + 1),
                        Payload::Type(_) => false,
                    })
                }
                TypeKind::Alias(Ty::Named(x)) => id = *x,
                _ => return false,
            }
        }
        false
    }
    let boxes = |ir: &Ir, f: &Field| -> bool {
        !f.flatten && !f.boxed && matches!(f.ty, Ty::Named(x) if is_object(ir, x, 0))
    };
    let mut to_box: Vec<(TypeId, Option<usize>, usize)> = Vec::new();
    for (id, t) in ir.live_types() {
        if t.operation_type {
            continue;
        }
        match &t.kind {
            TypeKind::Struct(fields) => {
                for (i, f) in fields.iter().enumerate() {
                    if boxes(ir, f) {
                        to_box.push((id, None, i));
                    }
                }
            }
            TypeKind::Untagged(variants) => {
                for (vi, v) in variants.iter().enumerate() {
                    if let Payload::Fields(fields) = &v.payload {
                        for (i, f) in fields.iter().enumerate() {
                            if boxes(ir, f) {
                                to_box.push((id, Some(vi), i));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // An untagged union's newtype variant holding a struct or a tagged union (through aliases) is
    // boxed too, wherever the union is: a rule of the payload's own type, so a variant never changes
    // when another grows; the union stays as small as its other variants (clippy's
    // `large_enum_variant`: an id string beside a whole object). A payload that is itself an
    // untagged union stays inline: its own struct variants are boxed.
    fn is_struct(ir: &Ir, mut id: TypeId) -> bool {
        for _ in 0..=ir.types.len() {
            match &ir.types[id].kind {
                TypeKind::Struct(_) | TypeKind::Tagged { .. } => return true,
                TypeKind::Alias(Ty::Named(x)) => id = *x,
                _ => return false,
            }
        }
        false
    }
    let mut variants_to_box: Vec<(TypeId, usize)> = Vec::new();
    for (id, t) in ir.live_types() {
        if let TypeKind::Untagged(variants) = &t.kind {
            for (vi, v) in variants.iter().enumerate() {
                if matches!(v.payload, Payload::Type(Ty::Named(x)) if is_struct(ir, x)) {
                    variants_to_box.push((id, vi));
                }
            }
        }
    }
    for (id, vi) in variants_to_box {
        if let TypeKind::Untagged(variants) = &mut ir.types[id].kind {
            variants[vi].boxed = true;
        }
    }
    for (id, variant, i) in to_box {
        match (&mut ir.types[id].kind, variant) {
            (TypeKind::Struct(fields), None) => fields[i].boxed = true,
            (TypeKind::Untagged(variants), Some(v)) => {
                if let Payload::Fields(fields) = &mut variants[v].payload {
                    fields[i].boxed = true;
                }
            }
            _ => {}
        }
    }
}

/// Gives every live type a unique Rust name. Where candidates collide, the component schema keeps
/// the plain name, then the one earliest in pointer order; the rest are numbered.
fn assign_names(ir: &mut Ir, candidates: &[String]) {
    // Two namespaces: the crate's own types, and the hidden shared ones (their own module), so that
    // no shared type ever takes or moves a place's name.
    for shared in [false, true] {
        let mut by_name: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (id, t) in ir.live_types() {
            if t.shared == shared {
                by_name.entry(candidates[id].clone()).or_default().push(id);
            }
        }
        number_names(ir, by_name);
    }
}

/// Gives each group of types wanting one name that name in turn (a component schema first, then in
/// pointer order), numbering the later ones.
fn number_names(ir: &mut Ir, by_name: BTreeMap<String, Vec<TypeId>>) {
    let mut taken: BTreeSet<String> = by_name.keys().cloned().collect();
    for (name, mut ids) in by_name {
        ids.sort_by(|&a, &b| {
            let (ta, tb) = (&ir.types[a], &ir.types[b]);
            (!ta.is_component_schema(), &ta.pointer).cmp(&(!tb.is_component_schema(), &tb.pointer))
        });
        for (i, id) in ids.into_iter().enumerate() {
            ir.types[id].name = if i == 0 {
                name.clone()
            } else {
                // `Self_`, `From_` (see `naming::item_name`) number as `Self2`, `From2`.
                let stem = name.strip_suffix('_').unwrap_or(&name);
                let mut n = i + 1;
                loop {
                    let candidate = format!("{stem}{n}");
                    if taken.insert(candidate.clone()) {
                        break candidate;
                    }
                    n += 1;
                }
            };
        }
    }
}

/// Two endpoints may not share a function name in one group, and a function may not share its name
/// with a sub-group's accessor: both names come from the spec, so no rule can pick between them.
fn check_operation_names(ir: &Ir, clash: &ClashPolicy) -> Result<(), Error> {
    let expected = match clash {
        ClashPolicy::Error(expected) => *expected,
        ClashPolicy::Number => "expected unique function names",
    };
    let mut seen: BTreeMap<(Vec<String>, String), &Operation> = BTreeMap::new();
    let mut subgroups: BTreeSet<(Vec<String>, String)> = BTreeSet::new();
    for op in &ir.operations {
        for depth in 1..op.group.len() {
            subgroups.insert((op.group[..depth].to_vec(), op.group[depth].clone()));
        }
    }
    for op in &ir.operations {
        let key = (op.group.clone(), op.name.clone());
        if let Some(other) = seen.insert(key.clone(), op) {
            return Err(Error::new(
                ErrorKind::Collision,
                &op.pointer,
                format!(
                    "the SDK method `{}.{}` is also generated for `{}`; {expected}",
                    op.group.join("."),
                    op.name,
                    other.pointer
                ),
            ));
        }
        if subgroups.contains(&key) {
            return Err(Error::new(
                ErrorKind::Collision,
                &op.pointer,
                format!(
                    "the SDK method `{}.{}` has the name of the sub-group `{}.{}`; expected a method name \
                     that no sub-group uses",
                    op.group.join("."),
                    op.name,
                    op.group.join("."),
                    op.name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
