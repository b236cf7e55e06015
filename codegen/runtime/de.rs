//! Deserialization helpers used by generated `Deserialize` implementations.
//!
//! These are an implementation detail of the generated code: they are kept
//! small and mostly non-generic to limit compile time.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A union told apart by the string values at `N` keys of its JSON object (its tags), decoded in
/// one pass by [`tagged`].
///
/// The generated `Deserialize` impl of each such union calls [`tagged`]. It reads the object's
/// entries up to its tags, keeping the ones before them, then [`Tagged::choose`] picks the variant
/// and decodes it from those entries followed by the rest of the object, read directly from the
/// input. The tags of Seam's objects come early, so most of an object is read once, as it would be
/// for a plain struct.
pub trait Tagged<const N: usize>: Sized {
    /// The keys whose values tell the variants apart.
    const TAGS: [&'static str; N];

    /// Decodes the variant the tags' values choose from `rest`, the whole object.
    fn choose<'de, M: de::MapAccess<'de>>(
        tags: [Tag<'_>; N],
        rest: Rest<'_, 'de, M, N>,
    ) -> Result<Self, M::Error>;
}

/// A tag's value as [`Tagged::choose`] sees it: the scalars a spec's constants can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag<'a> {
    /// The key is absent.
    Absent,
    /// A string.
    Str(&'a str),
    /// An integer that fits `i64`.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Any other value (`null`, a fraction, an array, an object).
    Other,
}

/// Where in `body` serde_json stopped with an error at `line` and `column` (as its error reports
/// them): the path of keys and indices to the value it was reading, `devices[1].device_type` (`.`
/// for the whole document), as `serde_path_to_error` writes it.
///
/// It is found by scanning the JSON text up to that place, so decoding needs no second,
/// path-tracking instantiation of every response type's `Deserialize` (which doubled the decoding
/// code in users' binaries). A malformed document gives the path of its last well-formed part.
pub fn json_path(body: &[u8], line: usize, column: usize) -> String {
    enum Frame {
        Object {
            key: Option<String>,
            awaiting_key: bool,
        },
        Array(usize),
    }
    // The byte offset of the error: serde_json counts lines from 1 and a line's bytes from 1.
    let mut offset = body.len();
    let mut current = 1;
    let mut line_start = 0;
    for (i, b) in body.iter().enumerate() {
        if current == line {
            break;
        }
        if *b == b'\n' {
            current += 1;
            line_start = i + 1;
        }
    }
    if current == line {
        offset = offset.min(line_start + column);
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < offset {
        match body[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                awaiting_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object { key, awaiting_key }) => {
                    *key = None;
                    *awaiting_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, awaiting_key }) = stack.last_mut() {
                    if *awaiting_key && i < body.len() {
                        let text = &body[start..=i];
                        *key = Some(
                            serde_json::from_slice::<String>(text)
                                .unwrap_or_else(|_| String::from_utf8_lossy(text).into_owned()),
                        );
                        *awaiting_key = false;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(n) => {
                path.push('[');
                path.push_str(&n.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Deserializes a [`Tagged`] union from a JSON object.
pub fn tagged<'de, D, T, const N: usize>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Tagged<N>,
{
    d.deserialize_map(TaggedVisitor::<T, N>(PhantomData))
}

struct TaggedVisitor<T, const N: usize>(PhantomData<fn() -> T>);

impl<'de, T: Tagged<N>, const N: usize> Visitor<'de> for TaggedVisitor<T, N> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // The entries read before the last tag, in order; the tags' own values are kept apart.
        let mut seen = Kept::default();
        let mut tags: [Option<(Key<'de>, TagValue<'de>)>; N] = std::array::from_fn(|_| None);
        let mut ended = false;
        while tags.iter().any(Option::is_none) {
            let Some(key) = map.next_key_seed(KeySeed)? else {
                ended = true;
                break;
            };
            match T::TAGS.iter().position(|t| *t == key.as_str()) {
                Some(i) if tags[i].is_none() => {
                    tags[i] = Some((key, map.next_value::<TagValue<'de>>()?));
                    seen.push(Seen::Tag(i));
                }
                _ => {
                    let value = map.next_value::<serde_json::Value>()?;
                    seen.push(Seen::Entry(key, value));
                }
            }
        }
        let chosen: [Tag<'_>; N] = std::array::from_fn(|i| match &tags[i] {
            None => Tag::Absent,
            Some((_, TagValue::Str(s))) => Tag::Str(s.as_str()),
            Some((_, TagValue::Other(serde_json::Value::Bool(b)))) => Tag::Bool(*b),
            Some((_, TagValue::Other(serde_json::Value::Number(n)))) => {
                n.as_i64().map_or(Tag::Other, Tag::Int)
            }
            Some(_) => Tag::Other,
        });
        T::choose(
            chosen,
            Rest {
                seen: &mut seen,
                tags: &tags,
                pending: None,
                map,
                ended,
            },
        )
    }
}

/// How many entries before the tags are kept without allocating (Seam's come within five).
const INLINE: usize = 8;

/// The entries read while looking for the tags, in order: the first [`INLINE`] on the stack.
struct Kept<'de> {
    inline: [Option<Seen<'de>>; INLINE],
    more: std::collections::VecDeque<Seen<'de>>,
    len: usize,
    next: usize,
}

impl Default for Kept<'_> {
    fn default() -> Self {
        Kept {
            inline: std::array::from_fn(|_| None),
            more: std::collections::VecDeque::new(),
            len: 0,
            next: 0,
        }
    }
}

impl<'de> Kept<'de> {
    fn push(&mut self, entry: Seen<'de>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(entry),
            None => self.more.push_back(entry),
        }
        self.len += 1;
    }

    /// The next kept entry; `None` once all are replayed (at once: no slot is looked at).
    fn take_next(&mut self) -> Option<Seen<'de>> {
        if self.next == self.len {
            return None;
        }
        let entry = match self.inline.get_mut(self.next) {
            Some(slot) => slot.take(),
            None => self.more.pop_front(),
        };
        self.next += usize::from(entry.is_some());
        entry
    }
}

/// An entry read while looking for the tags.
enum Seen<'de> {
    Entry(Key<'de>, serde_json::Value),
    /// The `i`th tag, whose key and value are kept apart to be read by [`Tagged::choose`].
    Tag(usize),
}

/// An object key or string, borrowed from the input when it has no escapes.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Unescaped into a string of its own.
    Owned(String),
}

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

/// A struct read from a JSON object by a generated reader: one match arm per key, with [`field`],
/// [`skip`] and [`missing`]; its `Deserialize` calls [`object`]. This is far less code for the
/// compiler than serde's derive (no field enum and visitor per struct, no reading from arrays), and
/// decodes the same objects alike: unknown keys are skipped, a repeated key is an error, an absent
/// required key is an error naming it.
pub trait Object: Sized {
    /// The struct's name, for errors (`expected struct Device`).
    const NAME: &'static str;

    /// Reads the struct from the entries of an object.
    fn read<'de, M: de::MapAccess<'de>>(map: M) -> Result<Self, M::Error>;
}

/// Deserializes an [`Object`]: the one visitor every generated reader shares.
pub fn object<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<T, D::Error> {
    // A map, not `deserialize_struct`: a JSON object either way, and a flattened struct reads the
    // entries its parent does not declare.
    d.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        T::read(map)
    }
}

/// Reads the value of `key`, just read, into `slot`; a key read before is an error.
#[inline]
pub fn field<'de, M, T>(map: &mut M, slot: &mut Option<T>, key: &Key<'_>) -> Result<(), M::Error>
where
    M: de::MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(duplicate(key.as_str()));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// serde's error for a repeated key, for a key that is no `&'static str`.
#[cold]
fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

/// Skips the value of a key the struct does not declare.
#[inline]
pub fn skip<'de, M: de::MapAccess<'de>>(map: &mut M) -> Result<(), M::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// What a generated `Serialize` of a struct writes through: a call per field, no early return per
/// field (less code to compile); it keeps the first error, and writes nothing after it.
pub struct StructWriter<S: serde::Serializer> {
    state: S::SerializeStruct,
    result: Result<(), S::Error>,
}

impl<S: serde::Serializer> StructWriter<S> {
    /// Starts the struct `name` of `len` fields.
    pub fn new(serializer: S, name: &'static str, len: usize) -> Result<Self, S::Error> {
        Ok(StructWriter {
            state: serializer.serialize_struct(name, len)?,
            result: Ok(()),
        })
    }

    /// Writes a field.
    #[inline]
    pub fn put<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        use serde::ser::SerializeStruct as _;
        if self.result.is_ok() {
            self.result = self.state.serialize_field(key, value);
        }
    }

    /// Writes an optional field when it is set (as `Some(value)`: the format decides how).
    #[inline]
    pub fn put_some<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_some() {
            self.put(key, value);
        }
    }

    /// Ends the struct, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        self.result?;
        self.state.end()
    }
}

/// How many entries a generated `Serialize` writes for a field, by the [`StructWriter`] method it
/// writes the field with (the struct's length is their sum).
pub mod count {
    /// A field written by [`StructWriter::put`](super::StructWriter::put): one.
    #[inline]
    pub fn put<T: ?Sized>(_: &T) -> usize {
        1
    }

    /// A field written by [`StructWriter::put_some`](super::StructWriter::put_some): one when it is
    /// set.
    #[inline]
    pub fn put_some<T>(value: &Option<T>) -> usize {
        usize::from(value.is_some())
    }
}

/// The error for the first of a struct's required keys that is missing (`(key, missing)` pairs).
#[cold]
pub fn missing<E: de::Error>(keys: &[(&'static str, bool)]) -> E {
    match keys.iter().find(|(_, missing)| *missing) {
        Some((key, _)) => E::missing_field(key),
        None => E::custom("a required key is missing"),
    }
}

struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// A tag's value: a string (the usual case), or any other JSON value, kept to be decoded.
enum TagValue<'de> {
    Str(Key<'de>),
    Other(serde_json::Value),
}

impl<'de> Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(TagValue::Str(Key::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TagValue::Str(Key::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(TagValue::Str(Key::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(TagValue::Other(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TagValue::Other(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TagValue::Other(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TagValue::Other(v.into()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TagValue::Other(serde_json::Value::Null))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(TagValue::Other)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(TagValue::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A tagged union's whole object, for [`Tagged::choose`] to decode the chosen variant from: the
/// entries read while looking for the tags, then the rest of the input's object.
pub struct Rest<'a, 'de, M, const N: usize> {
    seen: &'a mut Kept<'de>,
    tags: &'a [Option<(Key<'de>, TagValue<'de>)>; N],
    /// The value of the entry whose key was just replayed.
    pending: Option<Pending<'a, 'de>>,
    map: M,
    ended: bool,
}

enum Pending<'a, 'de> {
    Value(serde_json::Value),
    Tag(&'a TagValue<'de>),
}

impl<'de, M: de::MapAccess<'de>, const N: usize> Rest<'_, 'de, M, N> {
    /// Decodes the object as `T`.
    pub fn decode<T: Deserialize<'de>>(self) -> Result<T, M::Error> {
        T::deserialize(self)
    }
}

impl<'de, M: de::MapAccess<'de>, const N: usize> de::MapAccess<'de> for Rest<'_, 'de, M, N> {
    type Error = M::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        let key = match self.seen.take_next() {
            Some(Seen::Entry(key, value)) => {
                self.pending = Some(Pending::Value(value));
                key
            }
            Some(Seen::Tag(i)) => {
                let Some((key, value)) = &self.tags[i] else {
                    return Err(de::Error::custom("a tag was lost"));
                };
                self.pending = Some(Pending::Tag(value));
                return seed.deserialize(key_str(key)).map(Some);
            }
            // Past the kept entries (most of an object): straight from the input.
            None if self.ended => return Ok(None),
            None => return self.map.next_key_seed(seed),
        };
        seed.deserialize(key_str(&key)).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, M::Error> {
        match self.pending.take() {
            Some(Pending::Value(value)) => seed.deserialize(value).map_err(de::Error::custom),
            Some(Pending::Tag(TagValue::Str(s))) => seed.deserialize(key_str(s)),
            Some(Pending::Tag(TagValue::Other(value))) => {
                seed.deserialize(value.clone()).map_err(de::Error::custom)
            }
            None => self.map.next_value_seed(seed),
        }
    }
}

impl<'de, M: de::MapAccess<'de>, const N: usize> Deserializer<'de> for Rest<'_, 'de, M, N> {
    type Error = M::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// A kept key or tag value, replayed as a string (borrowed from the input when it was).
struct KeyStr<'a, 'de, E>(&'a Key<'de>, PhantomData<E>);

fn key_str<'a, 'de, E>(key: &'a Key<'de>) -> KeyStr<'a, 'de, E> {
    KeyStr(key, PhantomData)
}

impl<'de, E: de::Error> Deserializer<'de> for KeyStr<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Key::Borrowed(s) => visitor.visit_borrowed_str(s),
            Key::Owned(s) => visitor.visit_str(s),
        }
    }

    // A string is present: an optional field (a tag a variant does not require) is `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
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

    #[derive(Debug, PartialEq, Deserialize)]
    struct A {
        r#type: String,
        x: u32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct B {
        y: Vec<String>,
        #[serde(default)]
        nested: Option<serde_json::Value>,
    }

    /// A variant whose tag is optional (a discriminator property the variant does not require).
    #[derive(Debug, PartialEq, Deserialize)]
    struct C {
        #[serde(default)]
        r#type: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    enum OneTag {
        A(A),
        B(B),
        C(C),
        Unrecognized(serde_json::Value),
    }

    impl Tagged<1> for OneTag {
        const TAGS: [&'static str; 1] = ["type"];
        fn choose<'de, M: de::MapAccess<'de>>(
            tags: [Tag<'_>; 1],
            rest: Rest<'_, 'de, M, 1>,
        ) -> Result<Self, M::Error> {
            match tags {
                [Tag::Str("a")] => rest.decode().map(Self::A),
                [Tag::Str("b \"quoted\"")] => rest.decode().map(Self::B),
                [Tag::Str("c")] => rest.decode().map(Self::C),
                _ => rest.decode().map(Self::Unrecognized),
            }
        }
    }

    impl<'de> Deserialize<'de> for OneTag {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            tagged::<D, Self, 1>(d)
        }
    }

    /// Decodes `text` from a string, from bytes, from a reader (no borrowed keys) and from a
    /// `serde_json::Value`, and checks the four agree.
    fn every_way<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        text: &str,
    ) -> Result<T, String> {
        let from_str = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        let from_slice = serde_json::from_slice::<T>(text.as_bytes()).map_err(|e| e.to_string());
        let from_reader =
            serde_json::from_reader::<_, T>(text.as_bytes()).map_err(|e| e.to_string());
        // Readers place errors one column apart: compare what they say, not where.
        let what = |r: &Result<T, String>| match r {
            Ok(v) => Ok(format!("{v:?}")),
            Err(e) => Err(e.split(" at line").next().unwrap_or(e).to_owned()),
        };
        assert_eq!(from_str, from_slice, "{text}");
        assert_eq!(what(&from_str), what(&from_reader), "{text}");
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            let from_value = serde_json::from_value::<T>(value).map_err(|e| e.to_string());
            assert_eq!(
                from_str.is_ok(),
                from_value.is_ok(),
                "{text}: {from_value:?}"
            );
            if from_str.is_ok() {
                assert_eq!(from_str, from_value, "{text}");
            }
        }
        from_str
    }

    #[test]
    fn tagged_unions_choose_by_the_tag_wherever_it_is() {
        let a = OneTag::A(A {
            r#type: "a".into(),
            x: 3,
        });
        assert_eq!(every_way(r#"{"type": "a", "x": 3}"#), Ok(a));
        // Tag last, after values holding the tag's key and text that looks like JSON.
        let b = every_way::<OneTag>(
            r#" { "nested" : {"type": "a", "l": [{"type": "x"}]} , "y" : ["type", "}"], "type" : "b \"quoted\"" } "#,
        );
        assert_eq!(
            b,
            Ok(OneTag::B(B {
                y: vec!["type".into(), "}".into()],
                nested: Some(json!({"type": "a", "l": [{"type": "x"}]})),
            }))
        );
        // A tag the variant holds as an optional field (replayed as `Some`).
        assert_eq!(
            every_way(r#"{"type": "c"}"#),
            Ok(OneTag::C(C {
                r#type: Some("c".into())
            }))
        );
        // Escapes in the key and in the tag's value.
        assert_eq!(
            every_way(r#"{"x": 1, "typ\u0065": "\u0061"}"#),
            Ok(OneTag::A(A {
                r#type: "a".into(),
                x: 1
            }))
        );
        // More entries before the tag than are kept on the stack.
        let many: Vec<String> = (0..20).map(|i| format!(r#""k{i}": [{i}]"#)).collect();
        let text = format!(
            r#"{{{}, "y": ["last"], "type": "b \"quoted\""}}"#,
            many.join(", ")
        );
        assert_eq!(
            every_way(&text),
            Ok(OneTag::B(B {
                y: vec!["last".into()],
                nested: None
            }))
        );
        let text = format!(r#"{{{}, "type": "new"}}"#, many.join(", "));
        assert_eq!(
            every_way(&text),
            Ok(OneTag::Unrecognized(serde_json::from_str(&text).unwrap()))
        );
        // Entries after the tag are read directly, with borrowed or owned keys.
        assert_eq!(
            every_way(r#"{"type": "b \"quoted\"", "y": [], "unknown": {"k": [1, 2]}}"#),
            Ok(OneTag::B(B {
                y: vec![],
                nested: None
            }))
        );
    }

    #[test]
    fn unknown_absent_or_odd_tags_keep_the_whole_object() {
        for text in [
            r#"{"type": "new", "x": {"deep": [1, "two", null]}, "z": 1.5}"#,
            r#"{"x": 1, "y": ["no tag"]}"#,
            r#"{"type": 3, "x": 3}"#,
            r#"{"type": null}"#,
            r#"{}"#,
        ] {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                every_way(text),
                Ok(OneTag::Unrecognized(expected)),
                "{text}"
            );
        }
    }

    #[test]
    fn tagged_unions_report_bad_input() {
        let not_object = every_way::<OneTag>(r#""a""#).unwrap_err();
        assert!(not_object.contains("a JSON object"), "{not_object}");
        let bad_field = every_way::<OneTag>(r#"{"x": "three", "type": "a"}"#).unwrap_err();
        assert!(bad_field.contains("invalid type"), "{bad_field}");
        let late_bad_field = every_way::<OneTag>(r#"{"type": "a", "x": "three"}"#).unwrap_err();
        assert!(late_bad_field.contains("invalid type"), "{late_bad_field}");
        let missing = every_way::<OneTag>(r#"{"type": "a"}"#).unwrap_err();
        assert!(missing.contains("missing field `x`"), "{missing}");
        // (A `serde_json::Value` cannot hold a duplicate key: from text only.)
        let duplicate = serde_json::from_str::<OneTag>(r#"{"type": "a", "x": 1, "x": 2}"#)
            .unwrap_err()
            .to_string();
        assert!(duplicate.contains("duplicate field `x`"), "{duplicate}");
        assert!(every_way::<OneTag>(r#"{"type": "a", "x": 1"#).is_err());
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Done {
        kind: String,
        status: String,
        result: u32,
    }

    #[derive(Debug, PartialEq)]
    enum TwoTags {
        LockDone(Done),
        Unrecognized(serde_json::Value),
    }

    impl Tagged<2> for TwoTags {
        const TAGS: [&'static str; 2] = ["kind", "status"];
        fn choose<'de, M: de::MapAccess<'de>>(
            tags: [Tag<'_>; 2],
            rest: Rest<'_, 'de, M, 2>,
        ) -> Result<Self, M::Error> {
            match tags {
                [Tag::Str("LOCK"), Tag::Str("done")] => rest.decode().map(Self::LockDone),
                _ => rest.decode().map(Self::Unrecognized),
            }
        }
    }

    impl<'de> Deserialize<'de> for TwoTags {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            tagged::<D, Self, 2>(d)
        }
    }

    #[test]
    fn two_tags_choose_together() {
        let done = TwoTags::LockDone(Done {
            kind: "LOCK".into(),
            status: "done".into(),
            result: 7,
        });
        assert_eq!(
            every_way(r#"{"status": "done", "result": 7, "kind": "LOCK"}"#),
            Ok(done)
        );
        let pending = r#"{"kind": "LOCK", "status": "pending", "result": 7}"#;
        assert_eq!(
            every_way(pending),
            Ok(TwoTags::Unrecognized(
                serde_json::from_str(pending).unwrap()
            ))
        );
        let one_missing = r#"{"kind": "LOCK", "result": 7}"#;
        assert_eq!(
            every_way(one_missing),
            Ok(TwoTags::Unrecognized(
                serde_json::from_str(one_missing).unwrap()
            ))
        );
    }

    /// A union told apart by an integer and a boolean (Discord's components: `type: 14`).
    #[derive(Debug, PartialEq, Deserialize)]
    struct Section {
        r#type: i64,
        accessory: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Separator {
        r#type: i64,
        divider: bool,
    }

    #[derive(Debug, PartialEq)]
    enum Component {
        Section(Section),
        Separator(Separator),
        Unrecognized(serde_json::Value),
    }

    impl Tagged<1> for Component {
        const TAGS: [&'static str; 1] = ["type"];
        fn choose<'de, M: de::MapAccess<'de>>(
            tags: [Tag<'_>; 1],
            rest: Rest<'_, 'de, M, 1>,
        ) -> Result<Self, M::Error> {
            match tags {
                [Tag::Int(9)] => rest.decode().map(Self::Section),
                [Tag::Int(14)] => rest.decode().map(Self::Separator),
                _ => rest.decode().map(Self::Unrecognized),
            }
        }
    }

    impl<'de> Deserialize<'de> for Component {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            tagged::<D, Self, 1>(d)
        }
    }

    #[test]
    fn integer_tags_choose_and_keep_their_fields() {
        // Both shapes would fit a struct that ignores unknown keys: the tag decides, nothing lost.
        assert_eq!(
            every_way(r#"{"divider": true, "type": 14}"#),
            Ok(Component::Separator(Separator {
                r#type: 14,
                divider: true
            }))
        );
        assert_eq!(
            every_way(r#"{"type": 9, "accessory": "button"}"#),
            Ok(Component::Section(Section {
                r#type: 9,
                accessory: "button".into()
            }))
        );
        // A number no variant names, the string "14", and a fraction are not tags of a variant.
        for text in [r#"{"type": 15}"#, r#"{"type": "14"}"#, r#"{"type": 14.5}"#] {
            assert_eq!(
                every_way(text),
                Ok(Component::Unrecognized(serde_json::from_str(text).unwrap()))
            );
        }
    }

    #[test]
    fn tagged_unions_nest() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Outer {
            items: Vec<OneTag>,
        }
        let text = r#"{"items": [{"x": 1, "type": "a"}, {"type": "z"}, {"type": "b \"quoted\"", "y": ["v"]}]}"#;
        let outer = every_way::<Outer>(text).unwrap();
        assert_eq!(outer.items.len(), 3);
        assert!(matches!(outer.items[0], OneTag::A(A { x: 1, .. })));
        assert_eq!(outer.items[1], OneTag::Unrecognized(json!({"type": "z"})));
        assert!(matches!(&outer.items[2], OneTag::B(b) if b.y == ["v"]));
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

/// The empty string: the one value of `{type: string, enum: [""]}`, a union's "or send an empty
/// string to clear it" alternative. Encodes as `""`; decodes from `""` only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EmptyString;

impl serde::Serialize for EmptyString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("")
    }
}

impl<'de> serde::Deserialize<'de> for EmptyString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = EmptyString;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the empty string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EmptyString, E> {
                if v.is_empty() {
                    Ok(EmptyString)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Encodes a union's unit variant that stands for the empty string (`Clear`).
#[doc(hidden)]
pub fn serialize_empty_string<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("")
}

/// Decodes a union's unit variant that stands for the empty string (`Clear`): `""` only.
#[doc(hidden)]
pub fn deserialize_empty_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<(), D::Error> {
    <EmptyString as serde::Deserialize>::deserialize(deserializer).map(|_| ())
}

/// Bytes (`format: binary`) in a JSON model, sent and read as text: JSON has no bytes. Bytes that
/// are not UTF-8 text cannot be sent this way (an error, never a lossy string).
#[doc(hidden)]
pub mod bytes_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => Err(serde::ser::Error::custom(
                "binary data that is not UTF-8 text cannot be sent in JSON",
            )),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        String::deserialize(deserializer).map(String::into_bytes)
    }
}

/// [`bytes_text`] for an optional field.
#[doc(hidden)]
pub mod option_bytes_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => super::bytes_text::serialize(b, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.map(String::into_bytes))
    }
}

/// [`bytes_text`] for a list.
#[doc(hidden)]
pub mod list_bytes_text {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(list: &[Vec<u8>], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for bytes in list {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                serde::ser::Error::custom(
                    "binary data that is not UTF-8 text cannot be sent in JSON",
                )
            })?;
            seq.serialize_element(text)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Vec<u8>>, D::Error> {
        Ok(Vec::<String>::deserialize(deserializer)?
            .into_iter()
            .map(String::into_bytes)
            .collect())
    }
}

/// [`list_bytes_text`] for an optional field.
#[doc(hidden)]
pub mod option_list_bytes_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        list: &Option<Vec<Vec<u8>>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match list {
            Some(l) => super::list_bytes_text::serialize(l, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<Vec<u8>>>, D::Error> {
        Ok(Option::<Vec<String>>::deserialize(deserializer)?
            .map(|l| l.into_iter().map(String::into_bytes).collect()))
    }
}
