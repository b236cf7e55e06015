//! Passes over the IR: deduplication, usage and feature analysis, recursion boxing, naming.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::naming;
use crate::profile::ClashPolicy;

/// Runs every pass in order.
pub fn run(ir: &mut Ir, clash: &ClashPolicy) -> Result<(), Error> {
    check_alias_cycles(ir)?;
    let candidates = candidate_names(ir);
    dedupe_types(ir, &candidates);
    analyse_usage(ir);
    derive_deserialize(ir);
    box_recursion(ir);
    box_large(ir);
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
    for start in 0..ir.types.len() {
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
        op.rewrite(&|x| resolved[x]);
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
    for op in ir.operations.iter_mut() {
        for (id, sent) in op.roots() {
            if sent {
                request.push((id, op.features.clone()));
            } else {
                response.push((id, op.features.clone()));
            }
        }
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
        let runtime = is_runtime_type(ir, t);
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

/// Decides, per live type and after merging, whether it implements `Deserialize`: a type reached
/// from a response does, and so does a type no endpoint uses (it may be used either way); then every
/// type contained in one that deserializes does too. A merged type may be reached from a request-only
/// params struct and from an unused component at once: it needs the trait for the latter.
fn derive_deserialize(ir: &mut Ir) {
    let mut stack: Vec<TypeId> = ir
        .live_types()
        .filter(|(_, t)| t.in_response || !t.in_request)
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

/// Whether the hand-written runtime names the type (the profile lists such component schemas).
pub fn is_runtime_type(ir: &Ir, t: &TypeDef) -> bool {
    t.hint.len() == 1
        && t.component
            .as_ref()
            .is_some_and(|c| ir.runtime_types.contains(c))
}

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

/// Fields holding a struct or union larger than this (estimated bytes) are boxed.
const BOX_ABOVE: usize = 128;

/// Boxes fields whose type is large, so that a struct stays small when the server sends little:
/// `DeviceProperties` holds dozens of optional provider-metadata structs, which inline made a `Device`
/// 6.6 KB, all of it moved on every decode. A boxed field costs an allocation only when present.
/// Sizes are decided bottom-up, so a struct whose large fields are boxed is itself small.
fn box_large(ir: &mut Ir) {
    let mut sizes = Sizes {
        known: vec![None; ir.types.len()],
        visiting: BTreeSet::new(),
        to_box: Vec::new(),
    };
    for (id, _) in ir.live_types().collect::<Vec<_>>() {
        sizes.of_type(ir, id);
    }
    for (id, variant, i) in sizes.to_box {
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

struct Sizes {
    known: Vec<Option<usize>>,
    visiting: BTreeSet<TypeId>,
    to_box: Vec<(TypeId, Option<usize>, usize)>,
}

impl Sizes {
    /// A rough size in bytes of a value of the type as laid out inline, boxing large fields on the way.
    fn of_type(&mut self, ir: &Ir, id: TypeId) -> usize {
        if let Some(s) = self.known[id] {
            return s;
        }
        if !self.visiting.insert(id) {
            return 8;
        }
        let size = match &ir.types[id].kind {
            // An endpoint's params and response are built or decoded once and taken apart at once:
            // their fields stay inline.
            TypeKind::Struct(fields) if ir.types[id].root => {
                fields.iter().map(|f| self.of_ty(ir, &f.ty)).sum()
            }
            TypeKind::Struct(fields) => self.of_fields(ir, id, None, fields),
            TypeKind::StringEnum(_) => 24,
            TypeKind::Tagged { variants, .. } => {
                variants
                    .iter()
                    .map(|v| self.of_type(ir, v.ty))
                    .max()
                    .unwrap_or(0)
                    + 8
            }
            TypeKind::Untagged(variants) => {
                let mut max = 0;
                for (vi, v) in variants.iter().enumerate() {
                    let s = match &v.payload {
                        Payload::Fields(fields) => self.of_fields(ir, id, Some(vi), fields),
                        Payload::Type(ty) => self.of_ty(ir, ty),
                    };
                    max = max.max(s);
                }
                max + 8
            }
            TypeKind::Alias(ty) => self.of_ty(ir, ty),
        };
        self.visiting.remove(&id);
        self.known[id] = Some(size);
        size
    }

    fn of_fields(
        &mut self,
        ir: &Ir,
        id: TypeId,
        variant: Option<usize>,
        fields: &[Field],
    ) -> usize {
        let mut total = 0;
        for (i, f) in fields.iter().enumerate() {
            let option = if f.required && !f.nullable { 0 } else { 8 };
            if f.boxed {
                total += 8;
                continue;
            }
            let s = self.of_ty(ir, &f.ty);
            if !f.flatten && matches!(f.ty, Ty::Named(_)) && s > BOX_ABOVE {
                self.to_box.push((id, variant, i));
                total += 8;
            } else {
                total += s + option;
            }
        }
        total
    }

    fn of_ty(&mut self, ir: &Ir, ty: &Ty) -> usize {
        match ty {
            Ty::String | Ty::List(_) | Ty::Map(_) | Ty::JsonObject => 24,
            Ty::Json => 72,
            Ty::Bytes => 24,
            Ty::Integer | Ty::Number => 8,
            Ty::Boolean => 1,
            Ty::Option(inner) => self.of_ty(ir, inner) + 8,
            Ty::Named(id) => self.of_type(ir, *id),
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
        // The `Endpoint` flavor also generates `<name>_with(params)`.
        if ir.flavor == crate::ir::Flavor::Endpoint {
            if let Some(base) = op.name.strip_suffix("_with") {
                if let Some(other) = ir
                    .operations
                    .iter()
                    .find(|o| o.group == op.group && o.name == base)
                {
                    return Err(Error::new(
                        ErrorKind::Collision,
                        &op.pointer,
                        format!(
                            "the SDK method `{0}.{1}` has the name of `{0}.{2}`'s variant taking a \
                             whole params value (`{3}`); expected a method name not ending in `_with`",
                            op.group.join("."),
                            op.name,
                            base,
                            other.pointer
                        ),
                    ));
                }
            }
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
