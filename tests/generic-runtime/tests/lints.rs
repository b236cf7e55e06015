//! The shapes of `tests/generic/specs/lints.yaml` (from large real specs) at work: an undeclared path
//! variable sent as a path parameter, a multipart body of only files, and an untagged union of an
//! id and a boxed object.

use serde_json::json;
use snapshot_lints::models::{Asset, AssetUploader, Reviewer};
use test_support::loopback::{parse_multipart, Reply, Server};

#[tokio::test]
async fn an_undeclared_path_variable_is_a_required_argument_and_files_are_parts() {
    let server = Server::start(vec![Reply::json(
        201,
        r#"{"id": "a1", "uploader": {"login": "octo", "id": 1}}"#,
    )]);
    let client = snapshot_lints::Client::builder()
        .base_url(&server.url)
        .build();
    // The path variable, then the body's required files: `&[u8]`, `&str` or `Vec<u8>`.
    let asset = client
        .upload_asset("my org", b"data", "sig")
        .await
        .expect("201");
    match asset.uploader.as_ref() {
        AssetUploader::User(user) => assert_eq!(user.login, "octo"),
        other => panic!("expected the whole user, got {other:?}"),
    }
    let got = server.single();
    assert_eq!(got.target, "/repos/my%20org/assets");
    let content_type = got.header("content-type").expect("content type").to_owned();
    let parts = parse_multipart(&content_type, &got.body);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].data, b"data");
    assert_eq!(parts[1].disposition, r#"form-data; name="signature""#);
}

#[test]
fn an_id_or_a_whole_object_decodes_either_way() {
    let a: Asset = serde_json::from_value(json!({"id": "a1", "uploader": "u9"})).expect("decodes");
    assert_eq!(*a.uploader, AssetUploader::String("u9".into()));
    // The boxed object keeps the union as small as its other variants (the id, and the catch-all
    // `Value`, whose size depends on serde_json's features), not as large as a user.
    use std::mem::size_of;
    assert!(size_of::<AssetUploader>() <= size_of::<serde_json::Value>() + 8);
    assert!(size_of::<AssetUploader>() < size_of::<snapshot_lints::models::User>());
}

#[test]
fn a_large_inline_alternative_is_a_boxed_struct_of_its_own() {
    let r: Reviewer =
        serde_json::from_value(json!({"slug": "core", "name": "Core"})).expect("decodes");
    match r {
        Reviewer::SlugAndName(team) => {
            assert_eq!((team.slug.as_str(), team.name.as_str()), ("core", "Core"))
        }
        other => panic!("expected the team, got {other:?}"),
    }
    let r: Reviewer = serde_json::from_value(json!({"login": "octo"})).expect("decodes");
    assert!(matches!(r, Reviewer::Login { ref login } if login == "octo"));
    assert!(
        std::mem::size_of::<Reviewer>()
            < std::mem::size_of::<snapshot_lints::models::ReviewerVariant1>()
    );
}

/// Fields named like the locals of the generated reader and writer, or a keyword, read and write
/// their own keys: the generated code's `map`, `key`, `len`, `writer` and `serializer` are not
/// theirs.
#[test]
fn fields_named_like_the_readers_locals_keep_their_values() {
    let doc = json!({
        "ok": true, "map": "m", "key": 7, "len": false, "writer": "w", "serializer": "s",
        "type": "t", "note": "n",
    });
    let r: snapshot_lints::models::Result_ = serde_json::from_value(doc.clone()).expect("decodes");
    assert_eq!(r.map, "m");
    assert_eq!((r.key, r.len), (Some(7), Some(false)));
    assert_eq!(r.writer.as_deref(), Some("w"));
    assert_eq!(r.serializer.as_deref(), Some("s"));
    assert_eq!(r.r#type.as_deref(), Some("t"));
    assert_eq!(serde_json::to_value(&r).expect("encodes"), doc);
    // The first required key that is absent is named; an absent optional one is `None`.
    let err = serde_json::from_value::<snapshot_lints::models::Result_>(json!({"ok": true}))
        .expect_err("`map` is required");
    assert!(err.to_string().contains("missing field `map`"), "{err}");
    let r: snapshot_lints::models::Result_ =
        serde_json::from_value(json!({"ok": false, "map": ""})).expect("decodes");
    assert_eq!((r.key, r.r#type), (None, None));
}
