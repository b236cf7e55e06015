//! YAML into `serde_json::Value`, with integers beyond 64 bits read as floats: YAML has no limit on
//! an integer literal (`minimum: -9223372036854776000`, `i64::MIN` printed through a float), and
//! `serde_json::Value` refuses 128-bit integers. Such a number only ever bounds a value, where a
//! float is what the writer meant.

use std::borrow::Cow;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Below this size a document is read on one thread: two would not pay for themselves.
const HALVES_FROM: usize = 256 * 1024;

/// Reads a YAML document leniently ([`Lenient`]), a large one in two halves on two threads when
/// it can be cut in two ([`halves`]); else, or when either half does not read as a mapping, on one
/// thread, which also gives every error its place in the whole text.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    match halves(text, HALVES_FROM) {
        Some(value) => Ok(value),
        None => serde_yaml_ng::from_str::<Lenient>(text).map(|v| v.0),
    }
}

/// Where a document is cut in two: the byte offset where the second half starts and, when the cut
/// is between two entries of a top-level key's mapping (`paths:`), that key's line, which starts the
/// second half too.
struct Cut<'t> {
    at: usize,
    parent: Option<(&'t str, &'t str)>,
}

/// The document read as two halves on two threads, their mappings joined in document order: the same
/// value as one read, or `None` when the text is not a plain block mapping that can be cut (under
/// `min` bytes, markers, directives, flow style, tabs), or a half does not read alone (an alias of
/// an anchor in the other half), or the halves share a top-level key.
fn halves(text: &str, min: usize) -> Option<Value> {
    if text.len() < min || std::thread::available_parallelism().map_or(true, |n| n.get() < 2) {
        return None;
    }
    let cut = cut(text)?;
    let (first, rest) = text.split_at(cut.at);
    let second: Cow<'_, str> = match cut.parent {
        Some((line, _)) => format!("{line}\n{rest}").into(),
        None => rest.into(),
    };
    let (a, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| serde_yaml_ng::from_str::<Lenient>(&second));
        let first = serde_yaml_ng::from_str::<Lenient>(first);
        (first, second.join())
    });
    let (Ok(Lenient(Value::Object(mut joined))), Ok(Ok(Lenient(Value::Object(b))))) = (a, b) else {
        return None;
    };
    let parent = cut.parent.map(|(_, key)| key);
    for (key, value) in b {
        match (joined.get_mut(&key), value) {
            (Some(Value::Object(into)), Value::Object(entries)) if parent == Some(key.as_str()) => {
                // As one read inserts them: in order, a repeated key keeping its first place.
                for (k, v) in entries {
                    into.insert(k, v);
                }
            }
            (Some(_), _) => return None,
            (None, value) => {
                joined.insert(key, value);
            }
        }
    }
    Some(Value::Object(joined))
}

/// A line's text without its line break.
fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// Where to cut a block-mapping document near its middle (see [`Cut`]): before the top-level key
/// nearest the middle, or, when the middle falls in a key whose value is a block mapping, before the
/// entry of that mapping nearest the middle. `None` for a document that is not plainly a block
/// mapping of keys at column 0.
fn cut(text: &str) -> Option<Cut<'_>> {
    // (offset, line) of every line.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    let significant = |l: &str| {
        let t = content(l).trim_start_matches(' ');
        !t.is_empty() && !t.starts_with('#')
    };
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    // A key of a block mapping: text up to a `:` that ends the line or is followed by a space.
    let is_key = |l: &str| {
        let t = content(l);
        !t.starts_with([
            '-', '?', '{', '[', '"', '\'', '&', '*', '!', '|', '>', '%', '@', '`',
        ]) && (t.contains(": ") || t.ends_with(':'))
    };
    let mut top: Vec<usize> = Vec::new();
    for (i, &(_, line)) in lines.iter().enumerate() {
        if line.starts_with('\t') || line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        if significant(line) && indent(line) == 0 {
            if line.starts_with('-') {
                // A block sequence may sit at its key's column.
                continue;
            }
            if !is_key(line) {
                return None;
            }
            top.push(i);
        }
    }
    if top
        .first()
        .map(|&i| lines[..i].iter().any(|(_, l)| significant(l)))
        != Some(false)
    {
        return None;
    }
    let mid = text.len() / 2;
    // The top-level section the middle falls in.
    let section = top.iter().rposition(|&i| lines[i].0 <= mid)?;
    let start = top[section];
    let end = top.get(section + 1).copied().unwrap_or(lines.len());
    let key_line = content(lines[start].1);
    let nearest = |candidates: &[usize]| {
        candidates
            .iter()
            .copied()
            .min_by_key(|&i| lines[i].0.abs_diff(mid))
    };
    // Inside the section: its entries, when its value is a block mapping on the lines below.
    if let Some(key) = key_line.strip_suffix(':').filter(|k| !k.contains(": ")) {
        let body = &lines[start + 1..end];
        let first = body
            .iter()
            .find(|(_, l)| significant(l))
            .map(|(_, l)| indent(l));
        if let Some(width) = first.filter(|&w| w > 0) {
            // An entry's key; a block sequence may sit at its key's column.
            let aligned =
                |l: &str| significant(l) && indent(l) == width && !l[width..].starts_with('-');
            let shallower = body
                .iter()
                .any(|(_, l)| significant(l) && indent(l) < width);
            let entries: Vec<usize> = (start + 1..end).filter(|&i| aligned(lines[i].1)).collect();
            if !shallower && entries.iter().all(|&i| is_key(&lines[i].1[width..])) {
                // Not before the first entry: the first half would hold the key with no value.
                if let Some(i) = nearest(entries.get(1..).unwrap_or_default()) {
                    return Some(Cut {
                        at: lines[i].0,
                        parent: Some((key_line, key)),
                    });
                }
            }
        }
    }
    nearest(top.get(1..).unwrap_or_default()).map(|i| Cut {
        at: lines[i].0,
        parent: None,
    })
}

/// A JSON value read leniently (see the module docs).
pub(super) struct Lenient(pub Value);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => match u64::try_from(v) {
                Ok(v) => Value::Number(v.into()),
                Err(_) => float(v as f64),
            },
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Lenient::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Lenient(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((k, Lenient(v))) = map.next_entry::<MapKey, Lenient>()? {
            out.insert(k.0, v);
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key, read as `serde_json::Value` reads it (as a string: `200:` is `"200"`).
struct MapKey(String);

impl<'de> Deserialize<'de> for MapKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(MapKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_read(text: &str) -> Value {
        serde_yaml_ng::from_str::<Lenient>(text).expect("parses").0
    }

    /// Read in halves, a document is the same value as read at once, cut between top-level keys
    /// or inside the key the middle falls in; what cannot be cut or read in halves is read at once.
    #[test]
    fn halves_read_as_one_read_does() {
        let doc = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\n# a comment\npaths:\n  /a:\n    get: {summary: a}\n  /b:\n    description: |\n      text\n\n      more: text\n  /c: {x: 1}\n  /a: {repeated: true}\n  /d:\n  - listed\ntags:\n- name: t\ncomponents:\n  schemas:\n    A: {type: string}\n";
        let cut_at = cut(doc).expect("a cut");
        assert_eq!(cut_at.parent.map(|(_, key)| key), Some("paths"));
        assert!(doc[cut_at.at..].starts_with("  /"), "{}", &doc[cut_at.at..]);
        let value = halves(doc, 0).expect("cut and read");
        assert_eq!(value, one_read(doc));
        // The middle in the last key: a cut between top-level keys.
        let doc = "a: 1\nb: [1, 2]\nc:\n  d: |\n    long long long long long long long long long long long text\n";
        assert_eq!(halves(doc, 0), Some(one_read(doc)));
        // Not cut: a flow document, document markers, an anchor used across the cut, a top-level
        // key repeated across it.
        for doc in [
            "{a: 1, b: 2}\n",
            "---\na: 1\nb: 2\n",
            "a: &x {k: v}\nb: 1\nc: 2\nd: *x\n",
            "a: 1\nb: 2\nc: 3\na: 4\n",
        ] {
            assert_eq!(halves(doc, 0), None, "{doc}");
            assert!(parse(doc).is_ok(), "{doc}");
        }
        // A small document is read at once.
        assert_eq!(halves("a: 1\nb: 2\n", HALVES_FROM), None);
    }

    #[test]
    fn big_integers_are_floats_and_the_rest_is_as_serde_json_reads_it() {
        let text =
            "a: -9223372036854776000\nb: 18446744073709551615\n200: {x: [1, 2.5, true, null, s]}\n";
        let v = serde_yaml_ng::from_str::<Lenient>(text).expect("parses").0;
        assert_eq!(v["a"], serde_json::json!(-9223372036854776000.0_f64));
        assert_eq!(v["b"], serde_json::json!(18446744073709551615_u64));
        assert_eq!(
            v["200"],
            serde_json::json!({"x": [1, 2.5, true, null, "s"]})
        );
        let plain: Value = serde_yaml_ng::from_str(
            "openapi: 3.0.0\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
        )
        .expect("parses");
        let lenient = serde_yaml_ng::from_str::<Lenient>(
            "openapi: 3.0.0\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
        )
        .expect("parses")
        .0;
        assert_eq!(plain, lenient);
    }
}
