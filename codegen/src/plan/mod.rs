//! The render plan: every decision about the shape of the generated code, made once from the IR
//! after the passes. The emitters (`emit/`) only render it.
//!
//! - [`types`]: per type, which file it goes in, its derives (`Default` among them), which fields
//!   `Debug` redacts, each field's serde shape, the catch-all variant, the constructor's arguments in
//!   order and the setters with their final names.
//! - [`operations`]: per operation, the binding to the runtime the profile chose, with what it
//!   needs decided (marker type, params shape, query pairs, what the response becomes, the request's
//!   setters, the `_with` method and the checks of their names).
//! - [`Plan::groups`]: the tree of endpoint groups, with the cargo features of each.
//! - [`parts`]: the crates the model files go into when the output is split by group.
//!
//! A new rule about types goes in `types.rs`, about operations in `operations.rs`; an API's own
//! convention goes in its profile (`profile/`), which the plan reads through the IR.

pub mod codec;
pub mod operations;
pub mod parts;
pub mod types;

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::{simplify_features, Features, Ir, Ty, TypeId};
use crate::naming;

pub use codec::Absent;
pub use operations::{
    Call, EndpointPlan, OperationPlan, ParamArg, ParamsShape, QueryParam, RequestPlan,
    RequestSetter,
};
pub use types::{
    Accessor, Arg, Builder, Conversion, Derives, FieldPlan, FieldShape, KindPlan, Setter,
    SetterKind, StructPlan, TypePlan, UnionBuilder, VariantConstructor, VariantPlan,
};

/// The private module of `models` defining the types identical inline schemas share: callers name
/// each by its place's re-export (its page documents the type: fields, methods, trait impls).
/// A leading underscore followed by a letter, which no schema's file name has (`naming::field_name`
/// adds a leading underscore only before a digit), so no component named `shared` can collide.
pub const SHARED_MODULE: &str = "_shared";

/// The decided shape of the generated code.
pub struct Plan<'ir> {
    /// The IR the plan was made from (the data: names, docs, fields).
    pub ir: &'ir Ir,
    /// One plan per type of [`Ir::types`] (`None` for a type merged into another).
    pub types: Vec<Option<TypePlan<'ir>>>,
    /// The model files, by file name.
    pub model_files: BTreeMap<String, ModelFile>,
    /// The crates the model files go into when the output is split by group (the core first).
    pub parts: Vec<parts::Part>,
    /// One plan per operation of [`Ir::operations`], in the same order.
    pub operations: Vec<OperationPlan<'ir>>,
    /// The endpoint groups: the root holds the functions on the client itself.
    pub groups: Group,
}

/// A file of `models/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    /// Its types, by name.
    pub types: Vec<TypeId>,
    /// The features under which the module is compiled (empty: always).
    pub cfg: Features,
    /// The hidden module of the types identical schemas share.
    pub shared: bool,
}

/// A node of the tree of endpoint groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// The group's path (`["acs", "users"]`); empty for the root.
    pub path: Vec<String>,
    /// The handle type's name (`AcsUsers`).
    pub handle: String,
    /// The features under which the group is compiled: those of any of its functions.
    pub cfg: Features,
    /// Indexes into [`Ir::operations`] of the group's own functions.
    pub operations: Vec<usize>,
    /// Sub-groups by name.
    pub children: BTreeMap<String, Group>,
}

impl<'ir> Plan<'ir> {
    /// The plan of a type (`None` for a type merged into another: none is left after the passes).
    pub fn ty(&self, id: TypeId) -> Option<&TypePlan<'ir>> {
        self.types.get(id.0).and_then(Option::as_ref)
    }
}

/// Decides everything the emitters render.
pub fn build(ir: &Ir) -> Result<Plan<'_>, Error> {
    let mut types: Vec<Option<TypePlan>> = vec![None; ir.types.len()];
    let mut model_files: BTreeMap<String, ModelFile> = BTreeMap::new();
    for (id, t) in ir.live_types() {
        let plan = types::plan_type(ir, id, t);
        let file = model_files
            .entry(plan.file.clone())
            .or_insert_with(|| ModelFile {
                types: Vec::new(),
                cfg: Features::new(),
                shared: plan.file == SHARED_MODULE,
            });
        file.types.push(id);
        types[id] = Some(plan);
    }
    // A string enum that a strict field holds says which of its values are known.
    let mut strict: Vec<TypeId> = Vec::new();
    for plan in types.iter().flatten() {
        let KindPlan::Untagged { variants, .. } = &plan.kind else {
            continue;
        };
        for fp in variants.iter().flat_map(|v| &v.fields) {
            if let (true, Ty::Named(e)) = (fp.strict, &fp.field.ty) {
                strict.push(ir.resolve(*e));
            }
        }
    }
    for e in strict {
        if let Some(TypePlan {
            kind: KindPlan::StringEnum { strict, .. },
            ..
        }) = &mut types[e]
        {
            *strict = true;
        }
    }
    for file in model_files.values_mut() {
        file.types
            .sort_by(|&a, &b| ir.types[a].name.cmp(&ir.types[b].name));
        // Compiled always when any of its types is; else under any of their features.
        file.cfg = if file
            .types
            .iter()
            .any(|&id| ir.types[id].features.is_empty())
        {
            Features::new()
        } else {
            simplify_features(
                file.types
                    .iter()
                    .flat_map(|&id| ir.types[id].features.iter().cloned())
                    .collect(),
            )
        };
    }
    // A type compiled under exactly its file's conditions needs no `#[cfg]` of its own.
    for plan in types.iter_mut().flatten() {
        if model_files
            .get(&plan.file)
            .is_some_and(|f| f.cfg == plan.def.features)
        {
            plan.cfg = Features::new();
        }
    }
    let operations = operations::plan_operations(ir, &types)?;
    let groups = group_tree(ir);
    let parts = parts::parts(ir, &types, &model_files);
    Ok(Plan {
        ir,
        types,
        model_files,
        parts,
        operations,
        groups,
    })
}

/// The handle type of a group path: its words in UpperCamelCase (`["acs", "users"]` → `AcsUsers`),
/// as an item name ([`naming::item_name`]).
pub fn handle_name(path: &[String]) -> String {
    naming::item_name(path.iter().map(|p| naming::type_name(p)).collect())
}

fn group_tree(ir: &Ir) -> Group {
    let mut root = Group::default();
    for (index, op) in ir.operations.iter().enumerate() {
        let mut node = &mut root;
        for (depth, g) in op.group.iter().enumerate() {
            node = node.children.entry(g.clone()).or_insert_with(|| Group {
                path: op.group[..=depth].to_vec(),
                handle: handle_name(&op.group[..=depth]),
                ..Group::default()
            });
        }
        node.operations.push(index);
    }
    fill_cfg(ir, &mut root);
    root
}

/// A group is compiled when any of its functions is.
fn fill_cfg(ir: &Ir, group: &mut Group) -> Features {
    let mut all: Features = group
        .operations
        .iter()
        .map(|&i| ir.operations[i].features.clone())
        .collect();
    for child in group.children.values_mut() {
        all.extend(fill_cfg(ir, child));
    }
    group.cfg = simplify_features(all);
    group.cfg.clone()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn features(sets: &[&[&str]]) -> Features {
        sets.iter()
            .map(|s| s.iter().map(|f| f.to_string()).collect::<BTreeSet<_>>())
            .collect()
    }

    #[test]
    fn a_group_is_compiled_under_any_of_its_functions_features() {
        let mut ir = Ir::default();
        for (group, f) in [
            (vec!["acs", "users"], &["acs"][..]),
            (vec!["acs"], &["acs", "undocumented"][..]),
            (vec!["locks"], &["locks"][..]),
        ] {
            ir.operations.push(crate::ir::Operation {
                group: group.iter().map(|g| g.to_string()).collect(),
                features: f.iter().map(|x| x.to_string()).collect(),
                ..test_operation()
            });
        }
        let tree = group_tree(&ir);
        assert_eq!(tree.children["acs"].cfg, features(&[&["acs"]]));
        assert_eq!(tree.children["acs"].children["users"].handle, "AcsUsers");
        assert_eq!(tree.children["locks"].operations, vec![2]);
        assert!(tree.operations.is_empty());
    }

    #[test]
    fn a_type_compiled_under_its_files_conditions_carries_no_cfg_of_its_own() {
        let ty = |component: &str, name: &str, features: Features| crate::ir::TypeDef {
            features,
            ..test_component(component, name)
        };
        let ir = Ir {
            types: vec![
                ty("device", "Device", features(&[&["locks"], &["devices"]])),
                ty(
                    "device",
                    "DeviceError",
                    features(&[&["locks"], &["devices"]]),
                ),
                ty("acs_user", "AcsUser", features(&[&["acs"]])),
                ty("acs_user", "AcsUserLock", features(&[&["acs", "locks"]])),
            ],
            ..Ir::default()
        };
        let plan = build(&ir).expect("plans");
        let cfg = |i: usize| plan.ty(TypeId(i)).map(|t| t.cfg.clone());
        // The file is compiled under exactly the types' conditions: they say nothing more.
        assert_eq!(
            plan.model_files["device"].cfg,
            features(&[&["locks"], &["devices"]])
        );
        assert_eq!(cfg(0), Some(Features::new()));
        assert_eq!(cfg(1), Some(Features::new()));
        // `acs` implies the file; `acs` and `locks` is narrower and keeps its own.
        assert_eq!(plan.model_files["acs_user"].cfg, features(&[&["acs"]]));
        assert_eq!(cfg(2), Some(Features::new()));
        assert_eq!(cfg(3), Some(features(&[&["acs", "locks"]])));
    }

    #[test]
    fn model_files_go_to_the_crate_of_the_one_group_that_needs_them_else_the_core() {
        use crate::ir::{Field, Ty, TypeKind};
        use parts::{PartKind, CORE, HEAVY_FILE};
        let field = |ty: Ty| Field {
            wire: "x".into(),
            name: "x".into(),
            ty,
            required: true,
            nullable: false,
            boxed: false,
            flatten: false,
            location: None,
            meta: Default::default(),
        };
        let ty =
            |component: &str, name: &str, features: Features, kind: TypeKind| crate::ir::TypeDef {
                features,
                kind,
                ..test_component(component, name)
            };
        let mut types = vec![
            // 0: needed by `locks` alone (and under `undocumented` too): the group's crate; it
            // holds a device.
            ty(
                "lock_detail",
                "LockDetail",
                features(&[&["locks"], &["locks", "undocumented"]]),
                TypeKind::Struct(vec![field(Ty::Named(TypeId(1)))]),
            ),
            // 1: needed by two groups: the core.
            ty(
                "device",
                "Device",
                features(&[&["locks"], &["devices"]]),
                TypeKind::Struct(Vec::new()),
            ),
            // 2: always compiled: the core.
            ty(
                "pagination",
                "Pagination",
                Features::new(),
                TypeKind::Struct(Vec::new()),
            ),
        ];
        // A heavy file two groups need, holding a device: a crate of its own, using the core.
        for i in 0..HEAVY_FILE {
            types.push(ty(
                "event",
                &format!("Event{i}"),
                features(&[&["events"], &["webhooks"]]),
                TypeKind::Struct(vec![field(Ty::Named(TypeId(1)))]),
            ));
        }
        let ir = Ir {
            types,
            groups: ["devices", "events", "locks", "webhooks"]
                .map(String::from)
                .into(),
            ..Ir::default()
        };
        let plan = build(&ir).expect("plans");
        let summary: Vec<(&str, PartKind, Vec<&str>, Vec<&str>)> = plan
            .parts
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.kind,
                    p.files.iter().map(String::as_str).collect(),
                    p.uses.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (CORE, PartKind::Core, vec!["device", "pagination"], vec![]),
                ("event", PartKind::File, vec!["event"], vec![]),
                ("locks", PartKind::Group, vec!["lock_detail"], vec![]),
            ]
        );
    }

    #[test]
    fn a_group_crate_the_core_would_need_is_folded_into_the_core() {
        use crate::ir::{Field, Ty, TypeKind};
        let field = |ty: Ty| Field {
            wire: "x".into(),
            name: "x".into(),
            ty,
            required: true,
            nullable: false,
            boxed: false,
            flatten: false,
            location: None,
            meta: Default::default(),
        };
        // `shared_thing` (two groups) holds `lock_only`, which only `locks` needs by its own
        // features (a spec whose features disagree with its references): the core cannot depend
        // on the `locks` crate, so `lock_only` stays in the core.
        let ir = Ir {
            types: vec![
                crate::ir::TypeDef {
                    features: features(&[&["locks"], &["devices"]]),
                    kind: TypeKind::Struct(vec![field(Ty::Named(TypeId(1)))]),
                    ..test_component("shared_thing", "SharedThing")
                },
                crate::ir::TypeDef {
                    features: features(&[&["locks"]]),
                    ..test_component("lock_only", "LockOnly")
                },
            ],
            groups: ["devices", "locks"].map(String::from).into(),
            ..Ir::default()
        };
        let plan = build(&ir).expect("plans");
        assert_eq!(plan.parts.len(), 1, "{:?}", plan.parts);
        assert_eq!(plan.parts[0].files, vec!["lock_only", "shared_thing"]);
    }

    /// A component schema's type for tests: a struct of no fields, decoded, held by responses only,
    /// compiled always.
    pub(crate) fn test_component(component: &str, name: &str) -> crate::ir::TypeDef {
        crate::ir::TypeDef {
            name: name.into(),
            hint: vec![component.into()],
            pointer: format!("#/components/schemas/{component}"),
            component: Some(component.into()),
            group: None,
            meta: Default::default(),
            kind: crate::ir::TypeKind::Struct(Vec::new()),
            in_request: false,
            in_response: true,
            deserialize: true,
            features: Features::new(),
            merged_into: None,
            shares: None,
            shared: false,
            nested: Vec::new(),
            operation_type: false,
        }
    }

    /// A runtime of `Operation` marker types, for tests.
    pub(crate) fn test_runtime() -> crate::ir::EndpointRuntime {
        crate::ir::EndpointRuntime {
            request_methods: &["timeout"],
            page_type: "Pagination",
            job: crate::ir::JobRuntime {
                finish: "Finish",
                beside_trait: "Beside",
                beside_output: "Output",
                beside_fn: "output",
                beside_method: "with_job",
            },
        }
    }

    /// An operation with nothing in it, for tests of decisions about one part.
    pub(crate) fn test_operation() -> crate::ir::Operation {
        crate::ir::Operation {
            path: "/x".into(),
            method: crate::ir::HttpMethod::Post,
            pointer: "#/paths/~1x/post".into(),
            group: Vec::new(),
            name: "x".into(),
            title: None,
            meta: Default::default(),
            gates: Vec::new(),
            params: Vec::new(),
            params_type: None,
            body: None,
            success: crate::ir::Success {
                empty: Vec::new(),
                body: crate::ir::ResponseBody::Empty,
                response_type: None,
            },
            errors: Vec::new(),
            returns: crate::ir::Returns::Unit,
            pagination: None,
            job: None,
            idempotent: false,
            security: Vec::new(),
            features: BTreeSet::new(),
        }
    }
}
