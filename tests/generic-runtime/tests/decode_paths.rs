//! A response that does not decode names where (the Seam SDK's `Error::Decode::path` and
//! `UndecodedEvent::path`). The runtime finds the path by scanning the JSON text up to where
//! serde_json stopped (`runtime::de::json_path`, shared by both runtimes), not by decoding again
//! with `serde_path_to_error`; these tests hold it to the paths `serde_path_to_error` gives, on
//! nested shapes and on generated types (whose readers are the generator's, not serde's derive).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use snapshot_schemas::models::Cat;
use snapshot_schemas::runtime::de::json_path;

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // read only by decoding
struct Outer {
    items: Vec<Inner>,
    by_name: BTreeMap<String, Inner>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // read only by decoding
struct Inner {
    id: u32,
    #[serde(default)]
    tags: Vec<String>,
}

/// The path `json_path` finds for `text`'s error beside the one `serde_path_to_error` tracks.
fn both<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (String, String) {
    let error = serde_json::from_str::<T>(text).expect_err(text);
    let found = json_path(text.as_bytes(), error.line(), error.column());
    let tracked =
        serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(text))
            .expect_err(text)
            .path()
            .to_string();
    (found, tracked)
}

#[test]
fn paths_of_nested_errors_are_the_ones_serde_path_to_error_tracks() {
    let cases = [
        // A wrong type in a list's second item, in a map's value, in a nested list.
        r#"{"items": [{"id": 1}, {"id": "two"}], "by_name": {}}"#,
        r#"{"items": [], "by_name": {"a": {"id": 1}, "b\"c": {"id": -1}}}"#,
        r#"{"items": [{"id": 1, "tags": ["x", 2]}], "by_name": {}}"#,
        // A missing key: the object's path.
        r#"{"items": [{"id": 1}, {"tags": []}], "by_name": {}}"#,
        r#"{"items": []}"#,
        // Across lines, with escapes in keys and strings before the error.
        "{\n  \"note\": \"a \\\"quoted\\\" [note]\",\n  \"items\": [\n    {\"id\": 1},\n    {\"id\": 2, \"tags\": [\"\\u0041\", {}]}\n  ],\n  \"by_name\": {}\n}",
        // The root.
        r#"[1, 2]"#,
        r#"{"items": [], "by_name": {}, "note": 5}"#,
    ];
    for text in cases {
        let (found, tracked) = both::<Outer>(text);
        assert_eq!(found, tracked, "{text}");
    }
}

#[test]
fn paths_inside_generated_types_are_the_tracked_ones() {
    // A wrong type and a missing key inside generated readers.
    let cat = r#"{"kind": "cat", "name": "Tom"}"#;
    for (text, expected) in [
        (
            format!(r#"[{cat}, {{"kind": "cat", "name": 7}}]"#),
            "[1].name",
        ),
        (format!(r#"{{"a": {cat}, "b": {{"kind": "cat"}}}}"#), "b"),
        (
            r#"{"a": {"kind": "cat", "name": "x", "lives": "nine"}}"#.to_string(),
            "a.lives",
        ),
    ] {
        let (found, tracked) = if text.starts_with('[') {
            both::<Vec<Cat>>(&text)
        } else {
            both::<BTreeMap<String, Cat>>(&text)
        };
        assert_eq!(found, tracked, "{text}");
        assert_eq!(found, expected, "{text}");
    }
}

#[test]
fn a_repeated_key_is_named() {
    // serde_path_to_error names the object (`b`); the key itself is more use.
    let text =
        r#"{"a": {"kind": "cat", "name": "x"}, "b": {"kind": "cat", "name": "x", "name": "y"}}"#;
    let error = serde_json::from_str::<BTreeMap<String, Cat>>(text).expect_err("repeated");
    assert!(
        error.to_string().contains("duplicate field `name`"),
        "{error}"
    );
    assert_eq!(
        json_path(text.as_bytes(), error.line(), error.column()),
        "b.name"
    );
}

#[test]
fn malformed_text_gives_the_path_of_its_last_well_formed_part() {
    let text = r#"{"items": [{"id": 1}, {"id": 2,"#;
    let error = serde_json::from_str::<Outer>(text).expect_err("truncated");
    assert_eq!(
        json_path(text.as_bytes(), error.line(), error.column()),
        "items[1]"
    );
    assert_eq!(json_path(b"", 1, 0), ".");
    assert_eq!(json_path(b"{\"a\": [1, 2", 99, 99), "a[1]");
}
