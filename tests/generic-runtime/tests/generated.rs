//! The generic profile end to end: functions generated from the specs in `tests/generic/specs/`
//! (the committed snapshot crates) called against a scripted server on 127.0.0.1, checking what goes
//! on the wire and what comes back.

use std::time::Duration;
use test_support::loopback::{parse_multipart, Reply, Server};

fn text(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("content-type".into(), "text/plain".into())],
        body: body.as_bytes().to_vec(),
    }
}

#[tokio::test]
async fn path_header_and_cookie_parameters_go_where_the_spec_says() {
    let server = Server::start(vec![text(200, "v3 contents")]);
    let client = snapshot_params::Client::builder()
        .base_url(&server.url)
        .build();
    // Required path parameters are arguments, optional header and cookie parameters setters.
    let body = client
        .get_file_version("a/b c", 3)
        .x_request_id("req-1")
        .session("s1")
        .await
        .expect("200");
    assert_eq!(body, "v3 contents");
    let got = server.single();
    assert_eq!(got.method, "GET");
    // `/` and the space are percent-encoded; the operation's integer `version` overrides the path
    // item's string one.
    assert_eq!(got.target, "/files/a%2Fb%20c/versions/3");
    assert_eq!(got.header("x-request-id"), Some("req-1"));
    assert_eq!(got.header("cookie"), Some("session=s1"));
}

#[tokio::test]
async fn query_arrays_enums_and_deep_objects_are_serialized_by_style() {
    use snapshot_params::models::{
        SearchFilter, SearchParams, SearchSort, SearchWhere, SearchXOwner,
    };
    let server = Server::start(vec![Reply::json(200, r#"["x"]"#)]);
    let client = snapshot_params::Client::builder()
        .base_url(&server.url)
        .build();
    let params = SearchParams::new(SearchSort::Date)
        .tags(["a", "b c"])
        .ids(vec![1, 2])
        .filter(SearchFilter::default().owner("me").size(2))
        .words(["x", "y"])
        .r#where(SearchWhere::default().size(3))
        .x_owner(SearchXOwner::default().name("Ada"));
    assert_eq!(params.limit, None);
    // The whole params value, built first (e.g. from data).
    let found = client.search_with(params.clone()).await.expect("200");
    assert_eq!(found, vec!["x".to_string()]);
    let got = server.single();
    assert_eq!(got.path(), "/search");
    // Values are percent-encoded; the styles' own delimiters (`,`, `|`, `[]`) are sent as they are;
    // a parameter declared with `content` is its JSON text.
    assert_eq!(
        got.query(),
        "tags=a&tags=b%20c&ids=1,2&sort=date&filter[owner]=me&filter[size]=2&words=x|y\
         &where=%7B%22size%22%3A3%7D"
    );
    assert_eq!(got.header("x-owner"), Some(r#"{"name":"Ada"}"#));
}

#[tokio::test]
async fn a_label_path_parameter_and_a_204_without_body() {
    let server = Server::start(vec![Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }]);
    let client = snapshot_params::Client::builder()
        .base_url(&server.url)
        .build();
    client.delete_label("red").await.expect("204");
    assert_eq!(server.single().target, "/labels/.red");
}

#[tokio::test]
async fn form_bodies_are_url_encoded_pairs() {
    let server = Server::start(vec![Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }]);
    let client = snapshot_bodies::Client::builder()
        .base_url(&server.url)
        .build();
    // The body's required property is an argument, its optional ones setters of the request.
    client
        .send_form("Jane Doe & co")
        .tags(["a", "b"])
        .await
        .expect("204");
    let got = server.single();
    assert_eq!(
        got.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&got.body),
        "name=Jane+Doe+%26+co&tags=a&tags=b"
    );
}

#[tokio::test]
async fn a_body_property_named_like_a_parameter_is_set_apart_from_it() {
    let server = Server::start(vec![Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }]);
    let client = snapshot_bodies::Client::builder()
        .base_url(&server.url)
        .build();
    // `id` is the path's, `body_id` the body's; `label` the query's, `body_label` the body's.
    let request = client
        .move_note("n1", "n2")
        .label("q")
        .body_label("b")
        .timeout(Duration::from_secs(5));
    assert_eq!(request.params().body.id, "n2");
    request.await.expect("204");
    let got = server.single();
    assert_eq!(got.method, "PATCH");
    assert_eq!(got.target, "/notes/n1?label=q");
    let body: serde_json::Value = serde_json::from_slice(&got.body).expect("JSON");
    assert_eq!(body, serde_json::json!({"id": "n2", "label": "b"}));
}

#[tokio::test]
async fn multipart_bodies_send_binary_and_text_parts() {
    use snapshot_bodies::models::{UploadBody, UploadParams};
    let server = Server::start(vec![Reply::json(200, r#"{"size": 6}"#)]);
    let client = snapshot_bodies::Client::builder()
        .base_url(&server.url)
        .build();
    let file = vec![0u8, 255, b'\r', b'\n', b'-', b'-'];
    let params = UploadParams::new(UploadBody::new(file.clone()).title("notes"));
    assert_eq!(params.body.count, None);
    let stored = client.upload_with(params).await.expect("200");
    assert_eq!(stored.size, Some(6));
    let got = server.single();
    let content_type = got.header("content-type").expect("content type").to_owned();
    let parts = parse_multipart(&content_type, &got.body);
    assert_eq!(
        parts.len(),
        2,
        "an unset optional field sends no part: {parts:?}"
    );
    assert_eq!(parts[0].disposition, r#"form-data; name="file""#);
    assert_eq!(
        parts[0].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(parts[0].data, file);
    assert_eq!(parts[1].disposition, r#"form-data; name="title""#);
    assert_eq!(parts[1].data, b"notes");
}

#[tokio::test]
async fn octet_stream_and_text_bodies_round_trip() {
    let server = Server::start(vec![
        Reply::Respond {
            status: 200,
            headers: vec![("content-type".into(), "application/octet-stream".into())],
            body: vec![1, 2, 3],
        },
        text(200, "hello back"),
    ]);
    let client = snapshot_bodies::Client::builder()
        .base_url(&server.url)
        .build();
    let bytes = client.put_blob(vec![9, 8]).await.expect("200");
    assert_eq!(bytes.as_ref(), [1, 2, 3]);
    let echoed = client.send_text("hello").await.expect("200");
    assert_eq!(echoed, "hello back");
    let got = server.received();
    assert_eq!(got[0].method, "PUT");
    assert_eq!(
        got[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(got[0].body, vec![9, 8]);
    assert_eq!(got[1].header("content-type"), Some("text/plain"));
    assert_eq!(got[1].body, b"hello");
}

#[tokio::test]
async fn an_error_response_is_decoded_into_the_spec_s_error_type() {
    use snapshot_responses::models::{CreateItemParams, Item};
    let server = Server::start(vec![Reply::json(
        422,
        r#"{"code": "invalid", "message": "label too long"}"#,
    )]);
    let client = snapshot_responses::Client::builder()
        .base_url(&server.url)
        .build();
    let params = CreateItemParams::new(Item::new("i1").label("x".repeat(300)));
    let err = client.create_item_with(params).await.expect_err("422");
    let api = err.api().expect("an API error");
    assert_eq!(api.status(), 422);
    let problem = api.body().expect("decoded into Problem");
    assert_eq!(problem.code, "invalid");
    assert_eq!(problem.message, "label too long");
}

#[tokio::test]
async fn a_204_beside_a_typed_200_reads_as_none() {
    let server = Server::start(vec![
        Reply::Respond {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        },
        Reply::json(200, r#"{"id": "i1", "label": "first"}"#),
    ]);
    let client = snapshot_responses::Client::builder()
        .base_url(&server.url)
        .build();
    let request = client.get_item("i1");
    assert_eq!(request.clone().await.expect("204"), None);
    let item = request.await.expect("200").expect("an item");
    assert_eq!(item.label.as_deref(), Some("first"));
}

#[tokio::test]
async fn per_call_settings_override_the_client_s() {
    let server = Server::start(vec![
        Reply::json(503, "{}"),
        Reply::json(503, "{}"),
        Reply::json(200, r#"{"id": "i1"}"#),
    ]);
    let client = snapshot_responses::Client::builder()
        .base_url(&server.url)
        .max_retries(2)
        .retry_base_delay(Duration::from_millis(1))
        .build();
    // This call may not be retried: the first 503 is its answer.
    let err = client.get_item("i1").max_retries(0).await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 1);
    // The client's own setting retries the next call through the second 503.
    let item = client.get_item("i1").send().await.expect("200");
    assert_eq!(item.map(|i| i.id), Some("i1".to_string()));
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_discriminator_mapping_picks_the_variant_and_keeps_unknown_ones() {
    use snapshot_schemas::models::Pet;
    let server = Server::start(vec![
        Reply::json(200, r#"{"kind": "dog", "name": "Rex", "good": true}"#),
        Reply::json(200, r#"{"kind": "axolotl", "name": "Axl"}"#),
    ]);
    let client = snapshot_schemas::Client::builder()
        .base_url(&server.url)
        .build();
    match client.get_pet(1).await.expect("200") {
        Pet::Dog(dog) => assert_eq!((dog.name.as_str(), dog.good), ("Rex", Some(true))),
        other => panic!("expected a dog: {other:?}"),
    }
    let unknown = client.get_pet(2).await.expect("200");
    assert!(matches!(unknown, Pet::Unrecognized(_)), "{unknown:?}");
    assert_eq!(unknown.name(), Some("Axl"));
}

#[test]
fn properties_beside_all_of_and_one_of_are_all_kept() {
    use snapshot_schemas::models::{Adoption, Pet, Shelter, Visit};
    // Own properties beside `allOf`: both sets are fields, both required as declared.
    let shelter: Shelter =
        serde_json::from_str(r#"{"capacity": 12, "city": "Oslo"}"#).expect("a shelter");
    assert_eq!((shelter.capacity, shelter.city.as_str()), (12, "Oslo"));
    assert!(serde_json::from_str::<Shelter>(r#"{"city": "Oslo"}"#).is_err());
    // Own properties beside a `oneOf` of shapes: the fields, and the chosen alternative.
    let text = r#"{"adopted_at": "2030-01-01", "kind": "dog", "name": "Rex", "good": true}"#;
    let adoption: Adoption = serde_json::from_str(text).expect("an adoption");
    assert_eq!(adoption.adopted_at, "2030-01-01");
    match &adoption.selector {
        Pet::Dog(dog) => assert_eq!((dog.name.as_str(), dog.good), ("Rex", Some(true))),
        other => panic!("expected a dog: {other:?}"),
    }
    // What is decoded encodes back to the same object.
    assert_eq!(
        serde_json::to_value(&adoption).expect("encodes"),
        serde_json::from_str::<serde_json::Value>(text).expect("json")
    );
    // `required` beside `allOf` makes a member's optional property required.
    let visit: Visit = serde_json::from_str(r#"{"city": "Oslo", "note": "n"}"#).expect("a visit");
    assert_eq!(visit.note, "n");
    assert!(serde_json::from_str::<Visit>(r#"{"city": "Oslo"}"#).is_err());
    // A member that is itself properties beside an `allOf`: its members' properties too (the
    // address's `city` was dropped).
    let kennel: snapshot_schemas::models::Kennel =
        round_trip(r#"{"city": "Oslo", "capacity": 3, "runs": 2}"#);
    assert_eq!(
        (kennel.city.as_str(), kennel.capacity, kennel.runs),
        ("Oslo", 3, Some(2))
    );
}

/// Decodes `text` as `T` and checks that it encodes back to the same JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(
    text: &str,
) -> T {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(
        serde_json::to_value(&value).expect("encodes"),
        serde_json::from_str::<serde_json::Value>(text).expect("json"),
        "{text} came back as {value:?}"
    );
    value
}

#[test]
fn maps_beside_properties_and_as_union_alternatives_keep_every_key() {
    use snapshot_maps::models::{Customer, CustomerMetadata, CustomerShipping, ErrorDetails};
    // `properties` and `additionalProperties`: the other keys in the flattened map.
    let c: Customer = round_trip(
        r#"{"name": "Ada", "labels": {"color": "red", "guesty_name": "Loft", "other": null}}"#,
    );
    let labels = c.labels.as_deref().expect("labels");
    assert_eq!(labels.color, Some(Some("red".into())));
    assert_eq!(
        labels.additional_properties["guesty_name"].as_deref(),
        Some("Loft")
    );
    assert_eq!(labels.additional_properties["other"], None);
    // A map alternative holds its entries (it was an empty variant that kept nothing).
    let c: Customer = round_trip(r#"{"name": "Ada", "metadata": {"plan": "pro", "seats": "3"}}"#);
    match c.metadata {
        Some(CustomerMetadata::Map(m)) => assert_eq!(m["seats"], "3"),
        other => panic!("expected the map: {other:?}"),
    }
    // `anyOf: [map, {enum: [""]}]`, Stripe's "or an empty string to clear them": a `Clear`
    // variant, sent and read as `""` only (any other string is not the spec's).
    let c: Customer = round_trip(r#"{"name": "Ada", "metadata": ""}"#);
    assert_eq!(c.metadata, Some(CustomerMetadata::Clear));
    let c: Customer = round_trip(r#"{"name": "Ada", "metadata": "x"}"#);
    assert!(
        matches!(c.metadata, Some(CustomerMetadata::Unrecognized(_))),
        "{:?}",
        c.metadata
    );
    // Any object, and an alternative that allows no key at all.
    round_trip::<Customer>(r#"{"name": "Ada", "arguments": {"x": [1, {"y": null}]}}"#);
    let c: Customer = round_trip(r#"{"name": "Ada", "shipping": {}}"#);
    assert!(matches!(
        c.shipping.as_deref(),
        Some(CustomerShipping::Empty {})
    ));
    // A recursive map.
    let e: ErrorDetails = round_trip(
        r#"{"address": {"city": [{"code": "blank", "message": "is blank"}]}, "name": []}"#,
    );
    let ErrorDetails::Map(top) = e else {
        panic!("expected the map")
    };
    assert!(
        matches!(&top["address"], ErrorDetails::Map(m) if matches!(&m["city"], ErrorDetails::List(l) if l[0].code == "blank"))
    );
}

#[test]
fn a_shape_union_decodes_as_the_alternative_that_declares_every_key() {
    use snapshot_schemas::models::Filter;
    // Both alternatives hold only optional properties: the first used to take `{"bar": ..}` and
    // drop `bar`.
    let f: Filter = round_trip(r#"{"bar": "b"}"#);
    assert!(
        matches!(&f, Filter::WithBar { bar } if bar.as_deref() == Some("b")),
        "{f:?}"
    );
    let f: Filter = round_trip(r#"{"foo": "a"}"#);
    assert!(matches!(f, Filter::WithFoo { .. }));
    // A key no alternative declares (a newer server's): the first that decodes, as before.
    let f: Filter = serde_json::from_str(r#"{"bar": "b", "new": 1}"#).expect("decodes");
    assert!(
        matches!(f, Filter::WithFoo { .. } | Filter::WithBar { .. }),
        "{f:?}"
    );
    assert!(serde_json::from_str::<Filter>("[1]").is_err());
}

#[test]
fn a_union_of_refs_decodes_as_the_one_whose_struct_declares_every_key() {
    use snapshot_schemas::models::RefFilter;
    // `$ref` alternatives of only optional properties: `{"bar": ..}` used to decode as `FooOnly`
    // and drop `bar`.
    let f: RefFilter = round_trip(r#"{"bar": "b"}"#);
    assert!(
        matches!(&f, RefFilter::BarOnly(b) if b.bar.as_deref() == Some("b")),
        "{f:?}"
    );
    let f: RefFilter = round_trip(r#"{"foo": "a"}"#);
    assert!(matches!(f, RefFilter::FooOnly(_)), "{f:?}");
    // A key neither declares: the first that decodes.
    let f: RefFilter = serde_json::from_str(r#"{"bar": "b", "new": 1}"#).expect("decodes");
    assert!(matches!(f, RefFilter::FooOnly(_)), "{f:?}");
}

#[test]
fn an_integer_constant_tells_variants_apart_and_nothing_is_dropped() {
    use snapshot_schemas::models::Component;
    // A separator's fields would fit the section (all optional): the tag decides.
    let c: Component = round_trip(r#"{"type": 14, "divider": true, "spacing": 2}"#);
    assert!(
        matches!(&c, Component::SeparatorComponent(s) if s.divider == Some(true)),
        "{c:?}"
    );
    assert_eq!(c.r#type(), Some(14));
    let c: Component = round_trip(r#"{"type": 9, "accessory": "button"}"#);
    assert!(matches!(c, Component::SectionComponent(_)));
    let c: Component = round_trip(r#"{"enabled": false, "type": 3}"#);
    assert!(matches!(c, Component::Type3(_)));
    // A number no variant names is kept whole.
    let c: Component = round_trip(r#"{"type": 99, "new": [1]}"#);
    assert!(matches!(c, Component::Unrecognized(_)));
}

#[tokio::test]
async fn security_alternatives_send_the_configured_credentials() {
    let server = Server::start(vec![
        Reply::json(200, r#"["a"]"#),
        Reply::json(200, r#"["b"]"#),
        text(200, "pong"),
    ]);
    let client = snapshot_flat::Client::builder()
        .base_url(&server.url)
        .bearer_token("token-1")
        .basic_auth("user", "pass")
        .timeout(Duration::from_secs(5))
        .build();
    // `/other-things` (basic) sorts first and keeps `list`; `/things` (bearer or key) is `list_2`.
    assert_eq!(client.list().await.expect("200"), vec!["a".to_string()]);
    assert_eq!(client.list_2().await.expect("200"), vec!["b".to_string()]);
    assert_eq!(client.get_ping().await.expect("200"), "pong");
    let got = server.received();
    assert_eq!(got[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(got[1].header("authorization"), Some("Bearer token-1"));
    assert_eq!(
        got[2].header("authorization"),
        None,
        "`security: []` sends nothing"
    );
}

#[test]
fn a_union_of_all_of_alternatives_with_a_constant_kind_is_tagged_by_it() {
    use snapshot_alternatives::models::Credential;
    // Each alternative is `allOf: [{$ref: ..}, {kind: {enum: [..]}}]`: decoded by `kind`, never
    // as the first alternative that fits (a token credential read as a key drops `token`).
    let c: Credential = round_trip(r#"{"kind": "token", "key_id": "k1", "token": "t"}"#);
    match &c {
        Credential::Token(t) => assert_eq!(t.token, "t"),
        other => panic!("expected the token credential: {other:?}"),
    }
    assert_eq!(c.key_id(), Some("k1"));
    // Two kinds built on one component stay two variants.
    let c: Credential = round_trip(r#"{"kind": "legacy_key", "key_id": "k2", "secret": "s"}"#);
    assert!(matches!(c, Credential::LegacyKey(_)), "{c:?}");
    // A kind this version does not know is kept whole.
    let c: Credential = round_trip(r#"{"kind": "passkey", "key_id": "k3"}"#);
    assert!(matches!(c, Credential::Unrecognized(_)), "{c:?}");
}

#[test]
fn binary_in_a_json_model_is_sent_and_read_as_text() {
    use snapshot_schemas::models::Attachment;
    // JSON has no bytes: `format: binary` there is a string, held as its bytes.
    let a: Attachment = round_trip(r#"{"data": "hello", "chunks": ["a", "b"]}"#);
    assert_eq!(a.data, b"hello");
    assert_eq!(
        a.chunks.as_deref(),
        Some(&[b"a".to_vec(), b"b".to_vec()][..])
    );
    assert_eq!(a.preview, None);
    let a: Attachment = round_trip(r#"{"data": "", "preview": "p"}"#);
    assert_eq!(a.preview.as_deref(), Some(&b"p"[..]));
    // Bytes that are not text cannot be sent in JSON: an error, never a lossy string.
    let mut bad: Attachment = serde_json::from_str(r#"{"data": ""}"#).expect("decodes");
    bad.data = vec![0xff, 0xfe];
    assert!(serde_json::to_string(&bad).is_err());
}

#[test]
fn a_nullable_alternative_of_a_union_takes_null() {
    use snapshot_oas31::models::PetUpToThreeItem;
    // `[string, [integer, "null"], number]` read as a list: `null` is the integer alternative's,
    // not a value no variant takes.
    let items: Vec<PetUpToThreeItem> = round_trip(r#"["a", null, 2]"#);
    assert_eq!(items[1], PetUpToThreeItem::Integer(None));
    assert_eq!(items[2], PetUpToThreeItem::Integer(Some(2)));
}

/// A struct's `Deserialize` and `Serialize` are generated (one match arm per key, one call per
/// field), not serde's derives: they must decode and encode every object as the derives did.
#[test]
fn generated_struct_readers_and_writers_behave_like_serde_s_derives() {
    use snapshot_schemas::models::Cat;
    // Unknown keys are skipped; an absent or `null` optional field is `None`, and left out when
    // encoded; a key with escapes is read as well as a borrowed one.
    let cat: Cat = round_trip(r#"{"kind": "cat", "name": "Tom", "lives": 9}"#);
    assert_eq!((cat.name.as_str(), cat.lives), ("Tom", Some(9)));
    let cat: Cat = serde_json::from_str(
        r#"{"kind": "cat", "na\u006de": "Tom", "lives": null, "extra": [1, {"a": 2}]}"#,
    )
    .expect("unknown keys and escaped keys");
    assert_eq!((cat.name.as_str(), cat.lives), ("Tom", None));
    assert_eq!(
        serde_json::to_value(&cat).expect("encodes"),
        serde_json::json!({"kind": "cat", "name": "Tom"})
    );
    // What serde's derive refuses, with its messages: an absent required key, a repeated key, a
    // value that is no object.
    let error = |text: &str| {
        serde_json::from_str::<Cat>(text)
            .expect_err(text)
            .to_string()
    };
    assert!(error(r#"{"kind": "cat"}"#).contains("missing field `name`"));
    assert!(
        error(r#"{"kind": "cat", "name": "a", "name": "b"}"#).contains("duplicate field `name`")
    );
    assert!(error(r#""Tom""#).contains("expected struct Cat"));
    assert!(error(r#"["cat", "Tom"]"#).contains("expected struct Cat"));
    // Keys that are no Rust names, and a field renamed from a keyword.
    let reactions: snapshot_lints::models::AssetReactions = round_trip(r#"{"+1": 2, "-1": 0}"#);
    assert_eq!((reactions.plus_1, reactions.minus_1), (2, 0));
    let links: snapshot_lints::models::AssetLinks = round_trip(r#"{"self": {"href": "/a/1"}}"#);
    assert!(links.self_.is_some());
    // Another deserializer (a `Value`) reads it alike.
    let value = serde_json::to_value(&cat).expect("encodes");
    let back: Cat = serde_json::from_value(value).expect("from a Value too");
    assert_eq!(back, cat);
}
