//! Behaviour of the generated snapshot models: decoding, encoding and the endpoint functions.

#![allow(deprecated)] // some snapshot items are deprecated on purpose

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use seam_snapshots::shim::{block_on, last_request, respond_with};
use seam_snapshots::*;

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("cannot decode {value}: {e}"))
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

// --- string enums ---

#[test]
fn unknown_enum_values_are_kept_and_reencoded_unchanged() {
    use enums::models::LockMode;
    let mode: LockMode = decode(json!("jammed"));
    assert_eq!(mode, LockMode::Unrecognized("jammed".into()));
    assert_eq!(encode(&mode), json!("jammed"));
    assert_eq!(mode.as_str(), "jammed");
    assert_eq!(mode.to_string(), "jammed");
}

#[test]
fn enum_values_with_odd_names_map_to_their_variants() {
    use enums::models::LockMode;
    for (wire, variant) in [
        ("locked", LockMode::Locked),
        ("passage-mode", LockMode::PassageMode),
        ("2fa", LockMode::V2fa),
        // The wire value `unknown` is not the fallback variant.
        ("unknown", LockMode::Unknown),
    ] {
        assert_eq!(decode::<LockMode>(json!(wire)), variant);
        assert_eq!(encode(&variant), json!(wire));
        assert_eq!(LockMode::from(wire), variant);
    }
    assert!(serde_json::from_value::<LockMode>(json!(3)).is_err());
}

#[test]
fn enums_inside_structs_keep_unknown_values() {
    use enums::models::{Lock, LockBrand, LockCapability, LockStatus};
    let body = json!({
        "lock_id": "l1",
        "mode": "locked",
        "capabilities": ["lock", "teleport"],
        "status": null,
        "only_value": "always",
        "brand": "schlage",
    });
    let lock: Lock = decode(body.clone());
    assert_eq!(
        lock.capabilities,
        [
            LockCapability::Lock,
            LockCapability::Unrecognized("teleport".into())
        ]
    );
    assert_eq!(lock.status, None::<LockStatus>);
    assert_eq!(lock.only_value.as_deref(), Some("always"));
    assert_eq!(lock.brand, Some(LockBrand::Schlage));
    let mut expected = body;
    expected.as_object_mut().unwrap().remove("status");
    assert_eq!(encode(&lock), expected);
}

// --- discriminated unions ---

#[test]
fn discriminated_union_decodes_known_variants() {
    use discriminated::models::{DeviceRemoved, Event, EventType};
    let body = json!({
        "event_id": "e2",
        "event_type": "device.removed",
        "device_id": "d1",
        "reason": null,
    });
    let event: Event = decode(body.clone());
    let Event::DeviceRemoved(DeviceRemoved {
        device_id, reason, ..
    }) = &event
    else {
        panic!("expected DeviceRemoved, got {event:?}");
    };
    assert_eq!((device_id.as_str(), reason.as_deref()), ("d1", None));
    assert_eq!(event.event_id(), Some("e2"));
    // The tag's values, as an enum with a catch-all.
    assert_eq!(event.event_type(), Some(EventType::DeviceRemoved));
    let inline: Event = decode(json!({"event_id": "e3", "event_type": "code.set", "code": "1234"}));
    assert!(
        matches!(inline, Event::CodeSet(ref v) if v.code == "1234"),
        "{inline:?}"
    );
}

#[test]
fn discriminated_union_with_an_unknown_tag_is_kept_as_json() {
    use discriminated::models::Event;
    for body in [
        json!({"event_id": "e9", "event_type": "device.exploded", "blast_radius": 3}),
        json!({"event_id": "e9"}),
        json!({"event_id": "e9", "event_type": 5}),
    ] {
        let event: Event = decode(body.clone());
        assert_eq!(event, Event::Unrecognized(body.clone()));
        assert_eq!(event.event_id(), Some("e9"));
        assert_eq!(encode(&event), body);
    }
    // A known tag with a body that does not fit its variant is an error, not an unknown variant.
    assert!(serde_json::from_value::<Event>(json!({"event_type": "device.connected"})).is_err());
}

#[test]
fn constant_properties_tell_variants_apart_without_a_discriminator() {
    use const_tags::models::{Credential, CredentialsGetResponse, CredentialsGetResponseWarning};
    let c: Credential = decode(json!({"kind": "code", "format": "alpha", "letters": "abc"}));
    assert!(
        matches!(c, Credential::CodeAlpha(ref v) if v.letters == "abc"),
        "{c:?}"
    );
    let c: Credential = decode(json!({"kind": "card", "format": "numeric", "card_number": "42"}));
    assert!(matches!(c, Credential::CardNumeric(_)), "{c:?}");
    let odd = json!({"kind": "card", "format": "alpha"});
    assert_eq!(
        decode::<Credential>(odd.clone()),
        Credential::Unrecognized(odd)
    );

    let response: CredentialsGetResponse = decode(json!({
        "credential": {"kind": "code", "format": "numeric", "pin": "1234"},
        "warnings": [
            {"warning_code": "revoked", "message": "gone", "since": "2024-01-01T00:00:00Z"},
            {"warning_code": "melted", "message": "hot"},
        ],
    }));
    assert!(matches!(response.credential, Credential::CodeNumeric(ref v) if v.pin == "1234"));
    assert!(matches!(
        response.warnings[0],
        CredentialsGetResponseWarning::Revoked(_)
    ));
    assert_eq!(response.warnings[1].message(), Some("hot"));
    assert!(matches!(
        response.warnings[1],
        CredentialsGetResponseWarning::Unrecognized(_)
    ));
}

// --- shape-only unions ---

#[test]
fn untagged_unions_are_told_apart_by_shape() {
    use plain_one_of::models::{User, UserContact, UserValue};
    let user: User = decode(json!({
        "user_id": "u1",
        "contact": {"street": "Main St", "city": "Springfield"},
        "value": [ "a", "b" ],
    }));
    assert!(matches!(*user.contact, UserContact::Address(ref a) if a.city == "Springfield"));
    assert_eq!(
        user.value,
        Some(UserValue::List(vec!["a".into(), "b".into()]))
    );
    let contact: UserContact = decode(json!({"number": "555"}));
    assert!(matches!(contact, UserContact::Phone(_)));
    assert_eq!(
        decode::<UserContact>(json!("x")),
        UserContact::String("x".into())
    );
    assert_eq!(
        decode::<UserContact>(json!(7)),
        UserContact::Unrecognized(json!(7))
    );
    assert_eq!(decode::<UserValue>(json!(true)), UserValue::Bool(true));
    assert_eq!(decode::<UserValue>(json!(1.5)), UserValue::Number(1.5));
    assert_eq!(
        decode::<UserValue>(json!("s")),
        UserValue::String("s".into())
    );
}

#[test]
fn either_or_request_bodies_serialize_as_the_chosen_alternative() {
    use plain_one_of::models::{UsersGetParams, UsersUpdateParams, UsersUpdateParamsSetting};
    let by_id = UsersGetParams::UserId {
        user_id: "u1".into(),
    };
    assert_eq!(encode(&by_id), json!({"user_id": "u1"}));
    let by_email = UsersGetParams::Email {
        email: "a@b.c".into(),
        include_deleted: None,
    };
    assert_eq!(encode(&by_email), json!({"email": "a@b.c"}));
    let update = UsersUpdateParams::new("u1", UsersUpdateParamsSetting::Bool(false));
    assert_eq!(encode(&update), json!({"user_id": "u1", "setting": false}));
}

// --- allOf ---

#[test]
fn all_of_with_a_one_of_member_flattens_the_selector() {
    use all_of::models::{AccessCode, CodesCreateParams, CodesCreateParamsSelector};
    let params = CodesCreateParams::new(
        CodesCreateParamsSelector::DeviceIds {
            device_ids: vec!["d1".into(), "d2".into()],
        },
        "1234",
    );
    assert_eq!(
        encode(&params),
        json!({"device_ids": ["d1", "d2"], "code": "1234"})
    );
    let code: AccessCode = decode(json!({"id": "c1", "created_at": "now", "code": "1234"}));
    assert_eq!((code.id.as_str(), code.starts_at), ("c1", None));
    // `created_at` is required by the second member.
    assert!(serde_json::from_value::<AccessCode>(json!({"id": "c1", "code": "1"})).is_err());
}

// --- the required / optional / nullable matrix ---

#[test]
fn missing_required_lists_and_maps_decode_as_empty() {
    use nullable::models::Widget;
    let widget: Widget = decode(json!({"widget_id": "w1", "name": "n", "parent_id": null}));
    assert!(widget.errors.is_empty());
    assert!(widget.labels.is_empty());
    assert_eq!(widget.parent_id, None);
    // A required non-nullable scalar is still required.
    assert!(
        serde_json::from_value::<Widget>(json!({"widget_id": "w1", "parent_id": null})).is_err()
    );
}

#[test]
fn optional_nullable_request_fields_tell_absent_from_null() {
    use nullable::models::WidgetsUpdateParams;
    let params = WidgetsUpdateParams::new("w1", Vec::<String>::new());
    // `label` is required and nullable: `None` is sent as `null`.
    assert_eq!(
        encode(&params),
        json!({"widget_id": "w1", "label": null, "tags": []})
    );
    let params = params.clear_color();
    assert_eq!(params.color, Some(None));
    assert_eq!(encode(&params)["color"], Value::Null);
    assert!(encode(&params).as_object().unwrap().contains_key("color"));
    let params = params.color("red").label("L");
    assert_eq!(encode(&params)["color"], json!("red"));
    assert_eq!(encode(&params)["label"], json!("L"));
}

#[test]
fn optional_nullable_fields_of_types_in_both_directions_round_trip() {
    use nullable::models::WidgetPatch;
    for body in [
        json!({"name": "n"}),
        json!({"name": "n", "color": null, "size": null}),
        json!({"name": "n", "color": "red", "size": 3}),
    ] {
        let patch: WidgetPatch = decode(body.clone());
        assert_eq!(encode(&patch), body);
    }
    let patch: WidgetPatch = decode(json!({"name": "n", "color": null}));
    assert_eq!((patch.color, patch.size), (Some(None), None));
}

// --- names ---

#[test]
fn keyword_fields_serialize_with_their_wire_names() {
    use keywords::models::{KeywordHolder, KeywordsTypeParams, Kind};
    let params = KeywordsTypeParams::new("t")
        .self_("s")
        .r#match(true)
        .r#async(1)
        .crate_("c")
        .super_("u")
        ._2fa(false)
        .seam_request_id("r");
    assert_eq!(
        encode(&params),
        json!({
            "type": "t", "self": "s", "match": true, "async": 1, "crate": "c", "super": "u",
            "2fa": false, "seam-request-id": "r",
        })
    );
    let body = json!({"type": "self", "fn": "f", "where": "w", "loop": true});
    let holder: KeywordHolder = decode(body.clone());
    assert_eq!(holder.r#type, Kind::Self_);
    assert_eq!(holder.r#fn, "f");
    assert_eq!(encode(&holder), body);
    assert_eq!(encode(&Kind::RRaw), json!("r#raw"));
}

#[test]
fn colliding_names_keep_their_wire_names() {
    use collisions::models::{WidgetsListParams2, WidgetsListParamsSort};
    let params = WidgetsListParams2::default()
        .foo_bar("1")
        .foo_bar_2("2")
        .foo_bar_3("3")
        .sort(WidgetsListParamsSort::AB2);
    assert_eq!(
        encode(&params),
        json!({"fooBar": "1", "foo_bar": "2", "foo-bar": "3", "sort": "a_b"})
    );
    assert_eq!(encode(&WidgetsListParamsSort::AB), json!("a-b"));
    assert_eq!(encode(&WidgetsListParamsSort::Unknown2), json!("Unknown"));
}

// --- maps ---

#[test]
fn additional_properties_decode_as_maps() {
    use additional_properties::models::Config;
    let body = json!({
        "values": {"a": 1, "b": 2},
        "entries": {"x": {"key": "k"}},
        "lists": {"l": ["1", "2"]},
        "nested": {"n": {"enabled": true}},
        "anything": {"deep": {"er": [1, null]}},
        "free": {"k": "v"},
        "nullable_values": {"a": null, "b": "x"},
        "untyped": [1, "two"],
    });
    let config: Config = decode(body.clone());
    assert_eq!(config.values["b"], 2);
    assert_eq!(config.entries["x"].key, "k");
    assert_eq!(config.anything["deep"], json!({"er": [1, null]}));
    assert_eq!(encode(&config), body);
}

// --- recursion ---

#[test]
fn recursive_types_round_trip() {
    use recursive::models::{Ping, Pong, TreeNode};
    let body = json!({
        "name": "root",
        "children": [
            {"name": "a", "children": [], "parent": null},
            {"name": "b", "children": [{"name": "b1", "children": [], "parent": null}], "parent": null},
        ],
        "parent": {"name": "up", "children": [], "parent": null},
        "first_child": {"name": "a", "children": [], "parent": null},
        "by_name": {"a": {"name": "a", "children": [], "parent": null}},
    });
    let tree: TreeNode = decode(body.clone());
    assert_eq!(tree.children[1].children[0].name, "b1");
    assert_eq!(tree.parent.as_ref().map(|p| p.name.as_str()), Some("up"));
    assert_eq!(encode(&tree), body);
    let ping: Ping = decode(json!({"pong": {"ping": {"pong": {}}}}));
    assert_eq!(
        ping.pong.and_then(|p| p.ping).and_then(|p| p.pong),
        Some(Box::new(Pong::default()))
    );
}

#[test]
fn recursive_unions_serialize() {
    use recursive::models::{Filter, FilterEq, FilterNot};
    // The tags (`op`) are filled in: the only value each variant allows.
    let filter = Filter::Not(FilterNot::new(Filter::Eq(FilterEq::new("x"))));
    assert_eq!(
        encode(&filter),
        json!({"op": "not", "inner": {"op": "eq", "value": "x"}})
    );
}

// --- endpoint functions ---

#[test]
fn endpoints_send_their_params_and_return_the_response_key() {
    use response_key::models::{Item, ItemsDeleteParams};
    let seam = response_key::Seam::new();

    respond_with(json!({"item": {"item_id": "i1"}, "ok": true}));
    let item: Item = block_on(seam.items().get()).unwrap();
    assert_eq!(item.item_id, "i1");
    let request = last_request().unwrap();
    assert_eq!(request.body, json!({}));
    assert_eq!(
        (
            request.endpoint.method,
            request.endpoint.path,
            request.endpoint.response_key
        ),
        ("POST", "/items/get", Some("item"))
    );

    respond_with(json!({"items": [{"item_id": "i1"}, {"item_id": "i2"}]}));
    assert_eq!(block_on(seam.items().list()).unwrap().len(), 2);

    respond_with(json!({"item": null}));
    assert_eq!(block_on(seam.items().find()).unwrap(), None);
    respond_with(json!({}));
    assert_eq!(block_on(seam.items().peek()).unwrap(), None);

    respond_with(json!({"ok": true}));
    block_on(seam.items().delete("i1")).unwrap();
    assert_eq!(last_request().unwrap().body, json!({"item_id": "i1"}));
    respond_with(json!({"ok": true}));
    let params = ItemsDeleteParams::new("i1");
    block_on(seam.items().delete_with(params)).unwrap();
    assert_eq!(last_request().unwrap().body, json!({"item_id": "i1"}));
    assert_eq!(last_request().unwrap().endpoint.response_key, None);

    // A response without the key is an error.
    respond_with(json!({"ok": true}));
    assert!(block_on(seam.items().get()).is_err());
}

#[test]
fn groups_nest_and_carry_idempotency_and_security() {
    use groups::models::DevicesSimulateConnectParams;
    let seam = groups::Seam::new();
    respond_with(json!({}));
    block_on(seam.acs().users().unmanaged().get()).unwrap();
    let read = last_request().unwrap().endpoint;
    assert_eq!(read.path, "/acs/users/unmanaged/get");
    // A read is safe to retry.
    assert!(read.idempotent);
    respond_with(json!({}));
    block_on(seam.acs().info()).unwrap();
    assert_eq!(last_request().unwrap().endpoint.path, "/acs/get_info");
    respond_with(json!({}));
    block_on(seam.root().health()).unwrap();
    respond_with(json!({}));
    block_on(seam.locks().unlock_door()).unwrap();
    respond_with(json!({}));
    let request = seam.devices().simulate_connect("d1");
    assert_eq!(request.params(), &DevicesSimulateConnectParams::new("d1"));
    block_on(request).unwrap();
    let endpoint = last_request().unwrap().endpoint;
    // A simulation is sent once, even though the spec also serves the path by GET (the Seam
    // profile's retry classes decide by what a call does).
    assert!(!endpoint.idempotent);
    assert_eq!(endpoint.method, "POST");
    assert_eq!(endpoint.security, ["api_key", "client_session"]);
}

#[test]
fn keyword_methods_and_response_keys_work() {
    use keywords::models::Kind;
    let seam = keywords::Seam::new();
    respond_with(json!({"self": {"type": "match", "fn": "f"}}));
    let holder = block_on(seam.keywords().r#type("t")).unwrap();
    assert_eq!(last_request().unwrap().body, json!({"type": "t"}));
    assert_eq!(holder.r#type, Kind::Match);
    respond_with(json!({}));
    block_on(seam.keywords().r#move()).unwrap();
}
