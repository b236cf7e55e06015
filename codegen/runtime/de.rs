//! Deserialization helpers used by generated `Deserialize` implementations.
//!
//! These are an implementation detail of the generated code: they are kept
//! small and mostly non-generic to limit compile time.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Visitor};

/// A tagged union's value, captured as JSON text: the tags are read from it, then the chosen variant
/// is decoded from it. Cheaper than buffering a [`serde_json::Value`] tree (no allocation per node); it works with
/// `serde_json`'s deserializers, including `serde_json::from_value`.
pub type Raw = Box<serde_json::value::RawValue>;

/// Reads the string at `key` of the JSON object `raw`, skipping every other value unparsed.
pub fn raw_tag<E: de::Error>(raw: &Raw, key: &str) -> Result<Option<String>, E> {
    // A scan of the (already validated) text that stops at the tag: most unions' values are small
    // objects, and the tag is read once per value. Escapes in the key or the tag's value are left
    // to serde_json's reading below.
    if let Some(found) = scan_tag(raw.get().as_bytes(), key.as_bytes()) {
        return Ok(found);
    }
    probe_tag(raw, key)
}

/// The top-level string at `key` of a JSON object's valid text, without unescaping: `None` when
/// the text is not an object, or the key or the value holds an escape.
fn scan_tag(b: &[u8], key: &[u8]) -> Option<Option<String>> {
    fn skip_ws(b: &[u8], mut i: usize) -> usize {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    }
    /// The index of the quote that closes the string starting at `i` (after its opening quote).
    fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
        while i < b.len() {
            match b[i] {
                b'"' => return Some(i),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        None
    }
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut depth = 1usize;
    let mut expect_key = true;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i + 1)?;
                let s = &b[i + 1..end];
                i = end + 1;
                if depth == 1 && expect_key {
                    expect_key = false;
                    if s.contains(&b'\\') {
                        return None;
                    }
                    if s == key {
                        let j = skip_ws(b, i);
                        if b.get(j) != Some(&b':') {
                            return None;
                        }
                        let j = skip_ws(b, j + 1);
                        if b.get(j) != Some(&b'"') {
                            // Not a string: not a tag.
                            return Some(None);
                        }
                        let vend = string_end(b, j + 1)?;
                        let v = &b[j + 1..vend];
                        if v.contains(&b'\\') {
                            return None;
                        }
                        return Some(Some(std::str::from_utf8(v).ok()?.to_owned()));
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Some(None);
                }
            }
            b',' => {
                if depth == 1 {
                    expect_key = true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// [`raw_tag`] by serde_json's reading of the whole object.
fn probe_tag<E: de::Error>(raw: &Raw, key: &str) -> Result<Option<String>, E> {
    struct Probe<'k>(&'k str);
    impl<'de> de::Visitor<'de> for Probe<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(is_tag) = map.next_key_seed(KeyIs(self.0))? {
                if found.is_none() && is_tag {
                    found = map.next_value::<MaybeStr>()?.0;
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut d = serde_json::Deserializer::from_str(raw.get());
    de::Deserializer::deserialize_map(&mut d, Probe(key)).map_err(E::custom)
}

/// A map key compared with the wanted one without allocating.
struct KeyIs<'k>(&'k str);

impl<'de> de::DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// A string, or `None` for any other JSON value (which is skipped).
struct MaybeStr(Option<String>);

impl<'de> Deserialize<'de> for MaybeStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeStr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MaybeStr, E> {
                Ok(MaybeStr(Some(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<MaybeStr, E> {
                Ok(MaybeStr(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<MaybeStr, E> {
                Ok(MaybeStr(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<MaybeStr, E> {
                Ok(MaybeStr(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<MaybeStr, E> {
                Ok(MaybeStr(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<MaybeStr, E> {
                Ok(MaybeStr(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeStr, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<MaybeStr, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(MaybeStr(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Decodes a variant from the captured JSON text.
pub fn raw_variant<T: DeserializeOwned, E: de::Error>(raw: &Raw) -> Result<T, E> {
    serde_json::from_str(raw.get()).map_err(E::custom)
}

/// Deserializes an open string enum: any string is accepted and converted
/// with `T::from(&str)` (unknown values typically land in an `Other` variant).
///
/// Borrowed input is passed straight through to `T::from` without an
/// intermediate allocation.
pub fn string_enum<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    d.deserialize_str(StringEnumVisitor(PhantomData))
}

struct StringEnumVisitor<T>(PhantomData<fn() -> T>);

impl<T> Visitor<'_> for StringEnumVisitor<T>
where
    T: for<'a> From<&'a str>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v.as_str()))
    }
}

/// A string enum of the spec, which can say whether a value is one it names (not its catch-all).
pub trait KnownValues: for<'a> From<&'a str> {
    /// Whether the value is one the spec names.
    fn is_known(&self) -> bool;
}

/// Deserializes a string enum only when the spec names the value: for a field of a variant of a
/// union told apart by shape, so that a value another variant names is left to that variant (and
/// one no variant names to the union's catch-all, with every field kept).
pub fn known<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: KnownValues,
{
    let value: T = string_enum(d)?;
    if value.is_known() {
        Ok(value)
    } else {
        Err(de::Error::custom("a value this variant does not name"))
    }
}

/// [`known`] for an optional field (with `#[serde(default)]`): `null` is `None`.
pub fn known_option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: KnownValues,
{
    struct Known<T>(T);
    impl<'de, T: KnownValues> Deserialize<'de> for Known<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            known(d).map(Known)
        }
    }
    Ok(Option::<Known<T>>::deserialize(d)?.map(|k| k.0))
}

/// Deserializes a field that distinguishes "absent" from "explicitly null".
///
/// Use together with `#[serde(default)]`: an absent field yields `None`
/// (from `Default`), a present `null` yields `Some(None)` and a present value
/// yields `Some(Some(v))`.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    fn raw(v: serde_json::Value) -> Raw {
        serde_json::value::to_raw_value(&v).unwrap()
    }

    #[test]
    fn the_scan_reads_tags_as_serde_json_does() {
        let cases = [
            json!({"type": "a"}),
            json!({"x": {"type": "nested"}, "type": "top"}),
            json!({"x": [{"type": "in list"}, "type", "}"], "s": "a \"quoted\" } ] {", "type": "t"}),
            json!({"type": 3}),
            json!({"type": null, "other": "type"}),
            json!({"k": "v"}),
            json!({}),
            json!({"type": "with \"escape\""}),
            json!({"type": "émoji ✓"}),
        ];
        for v in cases {
            let r = raw(v.clone());
            let scanned = raw_tag::<serde_json::Error>(&r, "type").unwrap();
            let probed = probe_tag::<serde_json::Error>(&r, "type").unwrap();
            assert_eq!(scanned, probed, "{v}");
        }
        // An escaped key: left to serde_json, which reads it as `type`.
        let escaped: Raw = serde_json::from_str(r#"{"typ\u0065": "escaped key"}"#).unwrap();
        assert_eq!(
            raw_tag::<serde_json::Error>(&escaped, "type")
                .unwrap()
                .as_deref(),
            Some("escaped key")
        );
        // Text with spaces, as a server may send it.
        let spaced: Raw =
            serde_json::from_str(r#" { "a" : [ 1 , { "type" : "no" } ] , "type" : "yes" } "#)
                .unwrap();
        assert_eq!(
            raw_tag::<serde_json::Error>(&spaced, "type")
                .unwrap()
                .as_deref(),
            Some("yes")
        );
    }

    #[test]
    fn raw_tag_reads_string_fields_only() {
        let v = raw(
            json!({"n": {"type": "nested"}, "list": [1, {"type": "x"}], "type": "august_lock"}),
        );
        let tag = |key| raw_tag::<serde_json::Error>(&v, key).unwrap();
        assert_eq!(tag("type").as_deref(), Some("august_lock"));
        assert_eq!(tag("n"), None, "an object is not a tag");
        assert_eq!(tag("list"), None, "a list is not a tag");
        assert_eq!(tag("missing"), None);
        assert!(
            raw_tag::<serde_json::Error>(&raw(json!("type")), "type").is_err(),
            "not an object"
        );
    }

    #[test]
    fn raw_values_come_from_text_and_from_value() {
        // `serde_json::from_value` of a tagged union goes through `Raw` too.
        let r: Raw = serde_json::from_value(json!({"type": "a", "x": [1, 2]})).unwrap();
        assert_eq!(
            raw_tag::<serde_json::Error>(&r, "type").unwrap().as_deref(),
            Some("a")
        );
        let r: Raw = serde_json::from_str(r#"{"type": "b\u0041"}"#).unwrap();
        assert_eq!(
            raw_tag::<serde_json::Error>(&r, "type").unwrap().as_deref(),
            Some("bA")
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        a: u32,
    }

    #[test]
    fn raw_variant_maps_errors() {
        let ok: Result<Inner, serde_json::Error> = raw_variant(&raw(json!({"a": 3})));
        assert_eq!(ok.unwrap(), Inner { a: 3 });
        let err: Result<Inner, serde_json::Error> = raw_variant(&raw(json!({"a": "x"})));
        assert!(err.unwrap_err().to_string().contains("invalid type"));
    }

    #[derive(Debug, PartialEq)]
    enum Kind {
        Lock,
        Other(String),
    }

    impl From<&str> for Kind {
        fn from(s: &str) -> Self {
            match s {
                "lock" => Kind::Lock,
                other => Kind::Other(other.to_owned()),
            }
        }
    }

    #[derive(Debug, Deserialize)]
    struct WithEnum {
        #[serde(deserialize_with = "string_enum")]
        kind: Kind,
    }

    #[test]
    fn string_enum_accepts_known_and_unknown() {
        let w: WithEnum = serde_json::from_str(r#"{"kind":"lock"}"#).unwrap();
        assert_eq!(w.kind, Kind::Lock);
        // escaped string forces the owned/transient path
        let w: WithEnum = serde_json::from_str(r#"{"kind":"new\u0020kind"}"#).unwrap();
        assert_eq!(w.kind, Kind::Other("new kind".into()));
        // owned input (serde_json::Value) goes through visit_string
        let w: WithEnum = serde_json::from_value(json!({"kind": "thermostat"})).unwrap();
        assert_eq!(w.kind, Kind::Other("thermostat".into()));
        assert!(serde_json::from_str::<WithEnum>(r#"{"kind":3}"#).is_err());
    }

    #[derive(Debug, Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "double_option")]
        name: Option<Option<String>>,
    }

    #[test]
    fn double_option_distinguishes_null_and_absent() {
        let p: Patch = serde_json::from_str("{}").unwrap();
        assert_eq!(p.name, None);
        let p: Patch = serde_json::from_str(r#"{"name":null}"#).unwrap();
        assert_eq!(p.name, Some(None));
        let p: Patch = serde_json::from_str(r#"{"name":"x"}"#).unwrap();
        assert_eq!(p.name, Some(Some("x".into())));
        assert!(serde_json::from_str::<Patch>(r#"{"name":1}"#).is_err());
    }
}
