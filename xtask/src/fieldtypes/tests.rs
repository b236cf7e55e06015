//! Tests of the field-type report.
use super::*;
use serde_json::json;

fn local(name: &str) -> Ty {
    Ty::Named {
        name: name.into(),
        local: true,
        args: vec![],
    }
}
fn std(name: &str, args: Vec<Ty>) -> Ty {
    Ty::Named {
        name: name.into(),
        local: false,
        args,
    }
}
fn opt(t: Ty) -> Ty {
    std("Option", vec![t])
}
fn boxed(t: Ty) -> Ty {
    std("Box", vec![t])
}

/// A rustdoc JSON `resolved_path` type, as format 57 writes it.
fn path(p: &str, id: u64, args: Vec<Value>) -> Value {
    let args = if args.is_empty() {
        Value::Null
    } else {
        json!({"angle_bracketed": {
            "args": args.into_iter().map(|a| json!({"type": a})).collect::<Vec<_>>(),
            "constraints": []
        }})
    };
    json!({"resolved_path": {"path": p, "id": id, "args": args}})
}

/// A small crate in rustdoc JSON format 57: a public struct `models::Entrance` (fields `meta`,
/// `items`, `name`, `count` and a private one), a public enum `models::Deep` with a struct-like
/// variant, and the types they name. `version` picks the baseline (0) or the current crate (1).
fn krate(version: u32) -> Value {
    let option = |t| path("::std::option::Option", 900, vec![t]);
    let vec_of = |t| path("::std::vec::Vec", 901, vec![t]);
    let boxed = |t| path("::std::boxed::Box", 902, vec![t]);
    let string = path("::std::string::String", 903, vec![]);
    let meta = path("crate::models::EntranceMeta", 10, vec![]);
    let (meta_ty, items_ty, name_ty, count_ty, deep_ty) = if version == 0 {
        (
            option(meta.clone()),
            vec_of(path("crate::models::PhoneError", 11, vec![])),
            string.clone(),
            json!({"primitive": "f64"}),
            json!({"primitive": "bool"}),
        )
    } else {
        (
            option(boxed(meta.clone())),
            vec_of(path("crate::models::AcsCredentialError", 12, vec![])),
            option(string.clone()),
            json!({"tuple": [{"primitive": "f64"}, {"slice": {"generic": "T"}}]}),
            json!({"borrowed_ref": {"lifetime": "'a", "is_mutable": false, "type": {"dyn_trait": {}}}}),
        )
    };
    let field = |id: u64, name: &str, vis: &str, ty: Value| {
        (
            id.to_string(),
            json!({"id": id, "crate_id": 0, "name": name, "visibility": vis,
                   "inner": {"struct_field": ty}}),
        )
    };
    let mut index = serde_json::Map::new();
    for (k, v) in [
        field(2, "meta", "public", meta_ty),
        field(3, "items", "public", items_ty),
        field(4, "name", "public", name_ty),
        field(5, "count", "public", count_ty),
        field(6, "secret", "default", json!({"primitive": "u8"})),
        field(8, "flag", "default", deep_ty),
    ] {
        index.insert(k, v);
    }
    index.insert("1".into(), json!({"id": 1, "crate_id": 0, "name": "Entrance", "visibility": "public",
        "inner": {"struct": {"kind": {"plain": {"fields": [2, 3, 4, 5, 6], "has_stripped_fields": false}},
                             "generics": {"params": [], "where_predicates": []}, "impls": []}}}));
    index.insert("7".into(), json!({"id": 7, "crate_id": 0, "name": "Deep", "visibility": "public",
        "inner": {"enum": {"variants": [9, 13], "generics": {}, "has_stripped_variants": false, "impls": []}}}));
    index.insert("9".into(), json!({"id": 9, "crate_id": 0, "name": "Link", "visibility": "default",
        "inner": {"variant": {"kind": {"struct": {"fields": [8], "has_stripped_fields": false}}, "discriminant": null}}}));
    index.insert(
        "13".into(),
        json!({"id": 13, "crate_id": 0, "name": "Unit", "visibility": "default",
        "inner": {"variant": {"kind": "plain", "discriminant": null}}}),
    );
    let mut paths = json!({
        "1": {"crate_id": 0, "path": ["krate", "models", "Entrance"], "kind": "struct"},
        "7": {"crate_id": 0, "path": ["krate", "models", "Deep"], "kind": "enum"},
        "10": {"crate_id": 0, "path": ["krate", "models", "EntranceMeta"], "kind": "struct"},
        "900": {"crate_id": 1, "path": ["core", "option", "Option"], "kind": "enum"},
        "901": {"crate_id": 2, "path": ["alloc", "vec", "Vec"], "kind": "struct"},
        "902": {"crate_id": 2, "path": ["alloc", "boxed", "Box"], "kind": "struct"},
        "903": {"crate_id": 2, "path": ["alloc", "string", "String"], "kind": "struct"}
    });
    for (id, name) in [(11, "PhoneError"), (12, "AcsCredentialError")] {
        paths[id.to_string()] =
            json!({"crate_id": 0, "path": ["krate", "models", name], "kind": "struct"});
        if (version == 0) == (id == 11) {
            index.insert(
                id.to_string(),
                json!({"id": id, "crate_id": 0, "name": name,
                "visibility": "public", "inner": {"struct": {"kind": "unit"}}}),
            );
        }
    }
    // A hidden module `shared` with the type two places share, `Owner` (renamed `Owner2` in
    // the current crate, which also makes its `name` optional), and its nested `Address`
    // (renamed `Address2`); the places' aliases stay.
    let (owner, address) = if version == 0 {
        ("Owner", "Address")
    } else {
        ("Owner2", "Address2")
    };
    index.insert("20".into(), json!({"id": 20, "crate_id": 0, "name": "shared", "visibility": "public",
        "attrs": [{"other": "#[doc(hidden)]"}], "inner": {"module": {"is_crate": false, "items": [21, 24]}}}));
    index.insert(
        "21".into(),
        json!({"id": 21, "crate_id": 0, "name": owner, "visibility": "public",
        "inner": {"struct": {"kind": {"plain": {"fields": [22, 23], "has_stripped_fields": false}},
                             "generics": {"params": [], "where_predicates": []}, "impls": []}}}),
    );
    index.insert(
        "24".into(),
        json!({"id": 24, "crate_id": 0, "name": address, "visibility": "public",
        "inner": {"struct": {"kind": "unit"}}}),
    );
    for (k, v) in [
        field(
            22,
            "name",
            "public",
            if version == 0 {
                string.clone()
            } else {
                option(string.clone())
            },
        ),
        field(
            23,
            "address",
            "public",
            path(&format!("crate::models::shared::{address}"), 24, vec![]),
        ),
    ] {
        index.insert(k, v);
    }
    paths["20"] = json!({"crate_id": 0, "path": ["krate", "models", "shared"], "kind": "module"});
    paths["21"] =
        json!({"crate_id": 0, "path": ["krate", "models", "shared", owner], "kind": "struct"});
    paths["24"] =
        json!({"crate_id": 0, "path": ["krate", "models", "shared", address], "kind": "struct"});
    for (id, name, target, target_name) in [
        (30, "WidgetOwner", 21, owner),
        (31, "GadgetOwner", 21, owner),
        (32, "WidgetOwnerAddress", 24, address),
    ] {
        index.insert(id.to_string(), json!({"id": id, "crate_id": 0, "name": name, "visibility": "public",
            "inner": {"type_alias": {"type": path(&format!("crate::models::shared::{target_name}"), target, vec![]),
                                     "generics": {"params": [], "where_predicates": []}}}}));
        paths[id.to_string()] =
            json!({"crate_id": 0, "path": ["krate", "models", name], "kind": "type_alias"});
    }
    json!({"root": 0, "crate_version": "0.1.0", "includes_private": false,
           "index": index, "paths": paths, "external_crates": {}, "format_version": 57})
}

#[test]
fn renders_rustdoc_json_types() {
    let old = from_json(&krate(0)).unwrap();
    let new = from_json(&krate(1)).unwrap();
    assert_eq!(new.format_version, 57);
    let e = &new.types["krate::models::Entrance"];
    assert_eq!(
        e.keys().collect::<Vec<_>>(),
        ["count", "items", "meta", "name"],
        "the private field is left out"
    );
    assert_eq!(e["meta"].to_string(), "Option<Box<EntranceMeta>>");
    assert_eq!(e["items"].to_string(), "Vec<AcsCredentialError>");
    assert_eq!(e["count"].to_string(), "(f64, [T])");
    assert_eq!(
        old.types["krate::models::Entrance"]["count"].to_string(),
        "f64"
    );
    assert_eq!(
        new.types["krate::models::Deep::Link"]["flag"].to_string(),
        "&'a ?"
    );
    assert!(!new.types.contains_key("krate::models::Deep::Unit"));
    assert!(new.type_names.contains("AcsCredentialError"));
    assert!(!old.type_names.contains("AcsCredentialError"));
    // Unknown or malformed shapes never panic.
    let any = |_: &Value, p: &str| Some(p.to_string());
    for v in [
        json!(null),
        json!("x"),
        json!({}),
        json!({"resolved_path": {"id": 1}}),
        json!({"impl_trait": []}),
        json!({"array": {"type": {"primitive": "u8"}}}),
        json!({"a": 1, "b": 2}),
    ] {
        assert_eq!(parse_ty(&v, &any), Ty::Unknown, "{v}");
    }
    assert_eq!(
        parse_ty(
            &json!({"array": {"type": {"primitive": "u8"}, "len": "4"}}),
            &any
        )
        .to_string(),
        "[u8; 4]"
    );
    assert!(from_json(&json!({"index": {}})).is_err());
    assert!(from_json(&json!({"format_version": 57})).is_err());
}

#[test]
fn classifies_and_reports() {
    let old = from_json(&krate(0)).unwrap();
    let new = from_json(&krate(1)).unwrap();
    let changes = compare(&old, &new);
    let by_field = |f: &str| changes.iter().find(|c| c.field == f).unwrap();
    assert_eq!(by_field("meta").class, Class::Boxed);
    assert_eq!(by_field("items").class, Class::Renamed);
    assert_eq!(
        by_field("items").notes,
        [
            "PhoneError → AcsCredentialError",
            "PhoneError is gone: did the spec rename it?"
        ]
    );
    let mut kept = from_json(&krate(1)).unwrap();
    kept.type_names.insert("PhoneError".into());
    assert_eq!(
        compare(&old, &kept)
            .iter()
            .find(|c| c.field == "items")
            .unwrap()
            .notes,
        ["PhoneError → AcsCredentialError", "PhoneError still exists"]
    );
    // Fields of a hidden shared type: compared under its aliases, reported once; its nested
    // type's hidden name changed but the alias that names it stayed, so that is no change.
    assert!(!new.type_names.contains("Owner2") && !new.type_names.contains("shared::Owner2"));
    assert!(new.type_names.contains("WidgetOwner"));
    assert_eq!(
        new.callers["shared::Address2"],
        BTreeSet::from(["WidgetOwnerAddress".to_string()])
    );
    let owner: Vec<&Change> = changes
        .iter()
        .filter(|c| c.path.ends_with("Owner"))
        .collect();
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert_eq!(owner[0].path, "krate::models::GadgetOwner");
    assert_eq!(owner[0].field, "name");
    assert_eq!(owner[0].class, Class::Optional);
    let entrance = |f: &str| {
        changes
            .iter()
            .find(|c| c.field == f && c.path.ends_with("Entrance"))
            .unwrap()
    };
    assert_eq!(entrance("name").class, Class::Optional);
    assert_eq!(by_field("count").class, Class::Other);
    assert_eq!(by_field("flag").class, Class::Other);
    assert_eq!(by_field("flag").path, "krate::models::Deep::Link");
    assert_eq!(
        summary(&changes),
        "field types: 6 changed (optional 2, required 0, boxed 1, unboxed 0, renamed 1, other 2)"
    );
    let report = report(&changes, &old, &new);
    assert!(
        report[0].contains("rustdoc JSON format 57"),
        "{}",
        report[0]
    );
    assert!(report.contains(
        &"  krate::models::Entrance.meta: Option<EntranceMeta> → Option<Box<EntranceMeta>>"
            .to_string()
    ));
    assert_eq!(report.last().unwrap(), &summary(&changes));

    let s = || std("String", vec![]);
    let a = local("A");
    assert_eq!(classify(&s(), &opt(s())), (Class::Optional, vec![]));
    assert_eq!(classify(&opt(s()), &s()), (Class::Required, vec![]));
    assert_eq!(classify(&boxed(a.clone()), &a), (Class::Unboxed, vec![]));
    assert_eq!(
        classify(&a, &opt(boxed(a.clone()))),
        (Class::Optional, vec!["Box added too".into()])
    );
    assert_eq!(
        classify(&opt(a.clone()), &opt(local("B"))),
        (Class::Renamed, vec!["A → B".into()])
    );
    // A local type for a std one is the spec's doing, not a rename.
    assert_eq!(classify(&opt(s()), &opt(a.clone())).0, Class::Other);
    assert_eq!(
        classify(&std("Vec", vec![a.clone()]), &std("HashMap", vec![s(), a])).0,
        Class::Other
    );
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|n| n.to_string()).collect()
}

#[test]
fn a_hidden_rename_is_no_change_only_while_every_old_name_still_names_the_type() {
    let with = |ty: &str| BTreeMap::from([("address".to_string(), opt(local(ty)))]);
    let mut old = Fields::default();
    old.types
        .insert("m::WidgetOwner".into(), with("_shared::Address"));
    old.callers.insert(
        "_shared::Address".into(),
        names(&["WidgetOwnerAddress", "GadgetOwnerAddress"]),
    );
    old.type_names = names(&["WidgetOwner", "WidgetOwnerAddress", "GadgetOwnerAddress"]);
    let mut new = Fields::default();
    new.types
        .insert("m::WidgetOwner".into(), with("_shared::Address2"));
    new.callers.insert(
        "_shared::Address2".into(),
        names(&[
            "WidgetOwnerAddress",
            "GadgetOwnerAddress",
            "DoohickeyOwnerAddress",
        ]),
    );
    new.type_names = names(&[
        "WidgetOwner",
        "WidgetOwnerAddress",
        "GadgetOwnerAddress",
        "DoohickeyOwnerAddress",
    ]);
    assert!(
        compare(&old, &new).is_empty(),
        "only the hidden name changed"
    );
    // `GadgetOwnerAddress` now names another type: a rename for whoever used it.
    new.callers
        .insert("_shared::Address2".into(), names(&["WidgetOwnerAddress"]));
    new.callers
        .insert("_shared::Other".into(), names(&["GadgetOwnerAddress"]));
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].class, Class::Renamed);
    // A name the spec removed is not held against the field.
    new.type_names.remove("GadgetOwnerAddress");
    new.callers.remove("_shared::Other");
    assert!(compare(&old, &new).is_empty());
}

#[test]
fn each_variant_of_a_hidden_enum_is_compared() {
    let mut old = Fields::default();
    let mut new = Fields::default();
    for (fields, suffix) in [(&mut old, ""), (&mut new, "2")] {
        for variant in ["A", "B"] {
            let at = format!("m::PlaceError::{variant}");
            fields.types.insert(
                at.clone(),
                BTreeMap::from([("0".to_string(), local(&format!("{variant}Payload{suffix}")))]),
            );
            fields
                .target_of
                .insert(at, format!("_shared::Error::{variant}"));
        }
    }
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes.iter().all(|c| c.class == Class::Renamed));
}

/// A shared type in a private module `_shared`, named by a renaming re-export in a private module
/// that `models` re-exports with a glob (`pub use crate::models::_shared::Owner2 as WidgetOwner;`),
/// as the generator writes them: its fields are compared under the re-export's path, and the
/// re-export is the name callers write for it.
#[test]
fn renaming_reexports_of_a_private_shared_type_are_its_names() {
    let string = path("String", 903, vec![]);
    let mut index = Map::new();
    for (id, item) in [
        (
            0,
            json!({"name": "krate", "inner": {"module": {"is_crate": true, "items": [1]}}}),
        ),
        (
            1,
            json!({"name": "models", "inner": {"module": {"is_crate": false, "items": [2]}}}),
        ),
        // `pub use widget::*;` in `models`, `widget` private (rustdoc gives it no path).
        (
            2,
            json!({"inner": {"use": {"source": "widget", "name": "widget", "id": 3, "is_glob": true}}}),
        ),
        (
            3,
            json!({"name": "widget", "visibility": "crate",
                   "inner": {"module": {"is_crate": false, "items": [4], "is_stripped": true}}}),
        ),
        (
            4,
            json!({"inner": {"use": {"source": "crate::models::_shared::Owner2",
                                     "name": "WidgetOwner", "id": 5, "is_glob": false}}}),
        ),
        (
            5,
            json!({"name": "Owner2", "inner": {"struct": {"kind": {"plain": {"fields": [6],
                   "has_stripped_fields": false}}, "generics": {"params": [], "where_predicates": []},
                   "impls": []}}}),
        ),
        (
            6,
            json!({"name": "name", "inner": {"struct_field": string}}),
        ),
        // A public struct whose field names the shared type by the re-export.
        (
            7,
            json!({"name": "Holder", "inner": {"struct": {"kind": {"plain": {"fields": [8],
                   "has_stripped_fields": false}}, "generics": {"params": [], "where_predicates": []},
                   "impls": []}}}),
        ),
        (
            8,
            json!({"name": "owner",
                   "inner": {"struct_field": path("crate::models::WidgetOwner", 5, vec![])}}),
        ),
    ] {
        let mut item = item;
        item["id"] = json!(id);
        item["crate_id"] = json!(0);
        if item.get("visibility").is_none() {
            item["visibility"] = json!("public");
        }
        index.insert(id.to_string(), item);
    }
    let paths = json!({
        "0": {"crate_id": 0, "path": ["krate"], "kind": "module"},
        "1": {"crate_id": 0, "path": ["krate", "models"], "kind": "module"},
        "5": {"crate_id": 0, "path": ["krate", "models", "_shared", "Owner2"], "kind": "struct"},
        "7": {"crate_id": 0, "path": ["krate", "models", "Holder"], "kind": "struct"},
        "903": {"crate_id": 2, "path": ["alloc", "string", "String"], "kind": "struct"}
    });
    let krate = json!({"root": 0, "crate_version": "0.1.0", "includes_private": false,
        "index": index, "paths": paths, "external_crates": {}, "format_version": 57});
    let fields = from_json(&krate).unwrap();
    assert_eq!(
        fields.types["krate::models::WidgetOwner"]["name"].to_string(),
        "String"
    );
    assert!(!fields.types.contains_key("krate::models::_shared::Owner2"));
    assert_eq!(
        fields.callers["_shared::Owner2"],
        BTreeSet::from(["WidgetOwner".to_string()])
    );
    assert!(fields.type_names.contains("WidgetOwner") && !fields.type_names.contains("Owner2"));
    assert!(fields.unresolved_aliases.is_empty());
    // The field's type reads as the re-export's name in the hidden module, which callers write as
    // the re-export's name.
    assert_eq!(
        fields.types["krate::models::Holder"]["owner"].to_string(),
        "_shared::WidgetOwner"
    );
    assert_eq!(
        fields.callers["_shared::WidgetOwner"],
        BTreeSet::from(["WidgetOwner".to_string()])
    );
}
