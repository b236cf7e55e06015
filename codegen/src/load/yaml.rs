//! YAML into `serde_json::Value`, with integers beyond 64 bits read as floats: YAML has no limit on
//! an integer literal (`minimum: -9223372036854776000`, `i64::MIN` printed through a float), and
//! `serde_json::Value` refuses 128-bit integers. Such a number only ever bounds a value, where a
//! float is what the writer meant.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

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
