//! Passes over the IR: deduplication, usage and feature analysis, recursion boxing, naming.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::naming;

/// Runs every pass in order.
pub fn run(ir: &mut Ir) -> Result<(), Error> {
    let candidates = candidate_names(ir);
    dedupe_types(ir, &candidates);
    analyse_usage(ir);
    box_recursion(ir);
    assign_names(ir, &candidates);
    check_operation_names(ir)?;
    Ok(())
}

fn candidate_names(ir: &Ir) -> Vec<String> {
    ir.types
        .iter()
        .map(|t| {
            t.hint
                .iter()
                .map(|w| naming::type_name(w))
                .collect::<String>()
        })
        .collect()
}

fn is_component_root(t: &TypeDef) -> bool {
    t.component.is_some() && t.hint.len() == 1
}

/// Merges structurally identical inline types (same shape, same docs) into one, repeatedly, until
/// nothing changes. Component schemas are never merged away. The type that stays is a component if
/// one is among them, else the one whose candidate name sorts first.
fn dedupe_types(ir: &mut Ir, candidates: &[String]) {
    loop {
        let mut by_key: HashMap<String, Vec<TypeId>> = HashMap::new();
        for (id, t) in ir.live_types() {
            if t.root {
                continue;
            }
            let mut kind = t.kind.clone();
            kind.rewrite(&|x| ir.resolve(x));
            let key = format!("{:?}{:?}", kind, t.meta);
            by_key.entry(key).or_default().push(id);
        }
        let mut changed = false;
        for ids in by_key.values() {
            if ids.len() < 2 {
                continue;
            }
            let roots: Vec<TypeId> = ids
                .iter()
                .copied()
                .filter(|&i| is_component_root(&ir.types[i]))
                .collect();
            let keep = match roots.first() {
                Some(&r) => r,
                None => match ids.iter().copied().min_by(|&a, &b| {
                    (candidates[a].len(), &candidates[a], &ir.types[a].pointer).cmp(&(
                        candidates[b].len(),
                        &candidates[b],
                        &ir.types[b].pointer,
                    ))
                }) {
                    Some(k) => k,
                    None => continue,
                },
            };
            for &id in ids {
                if id != keep && !is_component_root(&ir.types[id]) {
                    ir.types[id].merged_into = Some(keep);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Point every reference at the type that stands for it.
    let resolved: Vec<TypeId> = (0..ir.types.len()).map(|i| ir.resolve(i)).collect();
    for t in ir.types.iter_mut() {
        t.kind.rewrite(&|x| resolved[x]);
    }
    for op in ir.operations.iter_mut() {
        if let Some(p) = op.params.as_mut() {
            *p = resolved[*p];
        }
        op.response = resolved[op.response];
        if let Returns::Key { ty, .. } = &mut op.returns {
            rewrite_ty(ty, &resolved);
        }
    }
}

fn rewrite_ty(ty: &mut Ty, resolved: &[TypeId]) {
    match ty {
        Ty::Named(id) => *id = resolved[*id],
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => rewrite_ty(inner, resolved),
        _ => {}
    }
}

/// Marks which types are reached from requests and from responses, and under which features.
fn analyse_usage(ir: &mut Ir) {
    let mut edges: Vec<Vec<TypeId>> = vec![Vec::new(); ir.types.len()];
    for (id, t) in ir.live_types() {
        t.kind.visit(&mut |x| edges[id].push(x));
    }
    let reach = |start: TypeId| -> Vec<TypeId> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(edges[id].iter().copied());
            }
        }
        seen.into_iter().collect()
    };
    let mut always: Vec<TypeId> = Vec::new();
    let mut request: Vec<(TypeId, BTreeSet<String>)> = Vec::new();
    let mut response: Vec<(TypeId, BTreeSet<String>)> = Vec::new();
    for op in &ir.operations {
        if let Some(p) = op.params {
            request.push((p, op.features.clone()));
        }
        response.push((op.response, op.features.clone()));
    }
    for (start, features) in request {
        for id in reach(start) {
            ir.types[id].in_request = true;
            ir.types[id].features.insert(features.clone());
        }
    }
    for (start, features) in response {
        for id in reach(start) {
            ir.types[id].in_response = true;
            ir.types[id].features.insert(features.clone());
        }
    }
    for t in ir.types.iter_mut() {
        t.features = simplify(std::mem::take(&mut t.features));
    }
    // Types the hand-written runtime names are compiled whatever the features, and so are types no
    // endpoint uses (unused components): so is everything they contain.
    for (id, t) in ir.types.iter().enumerate() {
        let runtime =
            t.hint.len() == 1 && RUNTIME_TYPES.contains(&t.component.as_deref().unwrap_or(""));
        if t.merged_into.is_none() && (runtime || t.features.is_empty()) {
            for x in reach(id) {
                always.push(x);
            }
        }
    }
    for id in always {
        ir.types[id].features.clear();
    }
}

/// Component schemas the hand-written runtime refers to (the paginator's `Pagination`).
pub const RUNTIME_TYPES: &[&str] = &["pagination"];

/// Drops conjunctions implied by a smaller one (`{a} ∨ {a, b}` is `{a}`).
pub fn simplify(set: BTreeSet<BTreeSet<String>>) -> BTreeSet<BTreeSet<String>> {
    set.iter()
        .filter(|c| !set.iter().any(|o| o != *c && o.is_subset(c)))
        .cloned()
        .collect()
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

/// Gives every live type a unique Rust name. Where candidates collide, the component schema keeps
/// the plain name, then the one earliest in pointer order; the rest are numbered.
fn assign_names(ir: &mut Ir, candidates: &[String]) {
    let mut by_name: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for (id, _) in ir.live_types() {
        by_name.entry(candidates[id].clone()).or_default().push(id);
    }
    let mut taken: BTreeSet<String> = by_name.keys().cloned().collect();
    for (name, mut ids) in by_name {
        ids.sort_by(|&a, &b| {
            let (ta, tb) = (&ir.types[a], &ir.types[b]);
            (!is_component_root(ta), &ta.pointer).cmp(&(!is_component_root(tb), &tb.pointer))
        });
        for (i, id) in ids.into_iter().enumerate() {
            ir.types[id].name = if i == 0 {
                name.clone()
            } else {
                let mut n = i + 1;
                loop {
                    let candidate = format!("{name}{n}");
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
fn check_operation_names(ir: &Ir) -> Result<(), Error> {
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
                    "the SDK method `{}.{}` is also generated for `{}`; expected unique \
                     `x-fern-sdk-group-name` / `x-fern-sdk-method-name` pairs",
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
