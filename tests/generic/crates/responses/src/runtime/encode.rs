// Copied by cargo xtask codegen from codegen/runtime/encode.rs. Do not edit.
//! Parameter and body encoding: pure functions of `serde_json::Value`s (std + serde_json only).
//!
//! Follows the OpenAPI 3.0 parameter styles: `simple`, `label` and `matrix` in paths; `form`,
//! `spaceDelimited`, `pipeDelimited` and `deepObject` in queries. Every character outside the RFC 3986
//! unreserved set (`A-Z a-z 0-9 - . _ ~`) of a name or value is percent-encoded, so `a/b c` becomes
//! `a%2Fb%20c`; the delimiters a style adds (`,` `.` `;` `=` `|` `[` `]`) are written as they are, so
//! the server can tell a delimiter from data.

use serde_json::Value;
use std::fmt;

/// Why a parameter or body could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// The parameter (or body) concerned.
    name: String,
    /// What is wrong with it.
    reason: String,
}

impl EncodeError {
    /// An error about parameter (or body) `name`.
    pub fn new(name: &str, reason: impl Into<String>) -> EncodeError {
        EncodeError {
            name: name.to_owned(),
            reason: reason.into(),
        }
    }

    /// The parameter (or body) concerned.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot encode `{}`: {}", self.name, self.reason)
    }
}

impl std::error::Error for EncodeError {}

/// Style of a path parameter (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathStyle {
    /// `5`, `3,4,5`, `role,admin` (`role=admin` exploded). The default.
    #[default]
    Simple,
    /// `.5`, `.3,4,5` (`.3.4.5` exploded).
    Label,
    /// `;id=5`, `;id=3,4,5` (`;id=3;id=4;id=5` exploded).
    Matrix,
}

/// Style of a query parameter (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryStyle {
    /// `id=5`; arrays `id=3&id=4` (exploded, the default) or `id=3,4`; objects `a=1&b=2` (exploded) or
    /// `id=a,1,b,2`.
    #[default]
    Form,
    /// Arrays as `id=3%204%205` (not exploded; exploded is the same as `Form`).
    SpaceDelimited,
    /// Arrays as `id=3|4|5` (not exploded; exploded is the same as `Form`).
    PipeDelimited,
    /// Objects as `id[a]=1&id[b][c]=2`; arrays inside as `id[a][]=x&id[a][]=y`.
    DeepObject,
}

/// Appends `s` percent-encoded: every byte outside the unreserved set becomes `%XX`.
pub fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `s` percent-encoded (see [`percent_encode_into`]).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

/// `s` encoded as in an `application/x-www-form-urlencoded` body: space as `+`, `*-._` and
/// alphanumerics as they are, every other byte `%XX`.
pub fn form_urlencode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') => {
                out.push(char::from(b))
            }
            b => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
    out
}

/// The text of a scalar: strings as they are, numbers and booleans as JSON text; `None` for null,
/// arrays and objects.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The scalar text of `value`, or an error naming `name` when it is not a scalar.
fn scalar(name: &str, value: &Value, what: &str) -> Result<String, EncodeError> {
    scalar_text(value).ok_or_else(|| {
        EncodeError::new(
            name,
            format!(
                "{what} must be a string, number or boolean, found {}",
                kind(value)
            ),
        )
    })
}

/// A word for the JSON type of `value`, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Percent-encoded items of an array (each a scalar).
fn encoded_items(name: &str, items: &[Value]) -> Result<Vec<String>, EncodeError> {
    items
        .iter()
        .map(|v| scalar(name, v, "an array item").map(|s| percent_encode(&s)))
        .collect()
}

/// Percent-encoded (key, value) pairs of an object (each value a scalar; nulls skipped).
fn encoded_pairs(
    name: &str,
    map: &serde_json::Map<String, Value>,
) -> Result<Vec<(String, String)>, EncodeError> {
    map.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            scalar(name, v, "an object property").map(|s| (percent_encode(k), percent_encode(&s)))
        })
        .collect()
}

/// Encodes a path parameter value in `style`; the result replaces `{name}` in the path.
/// Objects are allowed (`a,1,b,2`); nested arrays or objects and null are not.
pub fn path_value(
    name: &str,
    value: &Value,
    style: PathStyle,
    explode: bool,
) -> Result<String, EncodeError> {
    let n = percent_encode(name);
    match value {
        Value::Null => Err(EncodeError::new(name, "a path parameter cannot be null")),
        Value::Array(items) => {
            let items = encoded_items(name, items)?;
            Ok(match (style, explode) {
                (PathStyle::Simple, _) => items.join(","),
                (PathStyle::Label, false) => format!(".{}", items.join(",")),
                (PathStyle::Label, true) => items.iter().map(|i| format!(".{i}")).collect(),
                (PathStyle::Matrix, false) if items.is_empty() => format!(";{n}"),
                (PathStyle::Matrix, false) => format!(";{n}={}", items.join(",")),
                (PathStyle::Matrix, true) if items.is_empty() => format!(";{n}"),
                (PathStyle::Matrix, true) => items.iter().map(|i| format!(";{n}={i}")).collect(),
            })
        }
        Value::Object(map) => {
            let pairs = encoded_pairs(name, map)?;
            let flat = || {
                pairs
                    .iter()
                    .map(|(k, v)| format!("{k},{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let joined = |sep: &str| {
                pairs
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            Ok(match (style, explode) {
                (PathStyle::Simple, false) => flat(),
                (PathStyle::Simple, true) => joined(","),
                (PathStyle::Label, false) => format!(".{}", flat()),
                (PathStyle::Label, true) => format!(".{}", joined(".")),
                (PathStyle::Matrix, false) => format!(";{n}={}", flat()),
                (PathStyle::Matrix, true) => format!(";{}", joined(";")),
            })
        }
        scalar_value => {
            let text = percent_encode(&scalar(name, scalar_value, "the value")?);
            Ok(match style {
                PathStyle::Simple => text,
                PathStyle::Label => format!(".{text}"),
                PathStyle::Matrix => format!(";{n}={text}"),
            })
        }
    }
}

/// Encodes a query parameter as `k=v` pieces (already percent-encoded, to be joined with `&`).
/// Null adds nothing; nested arrays or objects are an error except under `deepObject`.
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: QueryStyle,
    explode: bool,
) -> Result<Vec<String>, EncodeError> {
    let n = percent_encode(name);
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            if style == QueryStyle::DeepObject {
                let mut out = Vec::new();
                deep_pairs(name, &n, value, 0, &mut out)?;
                return Ok(out);
            }
            let items = encoded_items(name, items)?;
            if explode {
                return Ok(items.iter().map(|i| format!("{n}={i}")).collect());
            }
            if items.is_empty() {
                return Ok(Vec::new());
            }
            Ok(vec![format!("{n}={}", items.join(delimiter(style)))])
        }
        Value::Object(_) if style == QueryStyle::DeepObject => {
            let mut out = Vec::new();
            deep_pairs(name, &n, value, 0, &mut out)?;
            Ok(out)
        }
        Value::Object(map) => {
            let pairs = encoded_pairs(name, map)?;
            if explode && style == QueryStyle::Form {
                return Ok(pairs.iter().map(|(k, v)| format!("{k}={v}")).collect());
            }
            if pairs.is_empty() {
                return Ok(Vec::new());
            }
            let flat: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{k}{}{v}", delimiter(style)))
                .collect();
            Ok(vec![format!("{n}={}", flat.join(delimiter(style)))])
        }
        scalar_value => Ok(vec![format!(
            "{n}={}",
            percent_encode(&scalar(name, scalar_value, "the value")?)
        )]),
    }
}

/// The delimiter of array items in an unexploded query parameter.
fn delimiter(style: QueryStyle) -> &'static str {
    match style {
        QueryStyle::Form | QueryStyle::DeepObject => ",",
        QueryStyle::SpaceDelimited => "%20",
        QueryStyle::PipeDelimited => "|",
    }
}

/// How deep `deepObject` nesting may go (guards against runaway recursion).
const MAX_DEPTH: usize = 32;

/// `deepObject` pairs of `value` under the already-encoded key `prefix`.
fn deep_pairs(
    name: &str,
    prefix: &str,
    value: &Value,
    depth: usize,
    out: &mut Vec<String>,
) -> Result<(), EncodeError> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::new(name, "nested deeper than 32 levels"));
    }
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep_pairs(
                    name,
                    &format!("{prefix}[{}]", percent_encode(k)),
                    v,
                    depth + 1,
                    out,
                )?;
            }
        }
        Value::Array(items) => {
            let key = if depth == 0 {
                prefix.to_owned()
            } else {
                format!("{prefix}[]")
            };
            for item in items {
                match item {
                    Value::Array(_) | Value::Object(_) => {
                        return Err(EncodeError::new(
                            name,
                            "arrays of arrays or objects have no deepObject encoding",
                        ))
                    }
                    Value::Null => {}
                    v => {
                        let text = scalar(name, v, "an array item")?;
                        out.push(format!("{key}={}", percent_encode(&text)));
                    }
                }
            }
        }
        v => {
            let text = scalar(name, v, "the value")?;
            out.push(format!("{prefix}={}", percent_encode(&text)));
        }
    }
    Ok(())
}

/// Encodes a header parameter (`simple` style): scalars as text, arrays `a,b`, objects `k,v,k2,v2`.
/// `None` for null. Characters a header value cannot hold (control characters such as CR and LF) are
/// an error; nothing is percent-encoded.
pub fn header_value(name: &str, value: &Value) -> Result<Option<String>, EncodeError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::Array(items) => items
            .iter()
            .map(|v| scalar(name, v, "an array item"))
            .collect::<Result<Vec<_>, _>>()?
            .join(","),
        Value::Object(map) => {
            let mut parts = Vec::new();
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                parts.push(k.clone());
                parts.push(scalar(name, v, "an object property")?);
            }
            parts.join(",")
        }
        v => scalar(name, v, "the value")?,
    };
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(EncodeError::new(
            name,
            "a header value cannot contain control characters (such as line breaks)",
        ));
    }
    Ok(Some(text))
}

/// Whether `name` is a valid HTTP header name (an RFC 9110 token).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// Encodes a cookie parameter as `name=value` (`form` style, not exploded: arrays `a,b`, objects
/// `k,v,k2,v2`), every name and item percent-encoded. `None` for null.
pub fn cookie_pair(name: &str, value: &Value) -> Result<Option<String>, EncodeError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::Array(items) => encoded_items(name, items)?.join(","),
        Value::Object(map) => encoded_pairs(name, map)?
            .into_iter()
            .map(|(k, v)| format!("{k},{v}"))
            .collect::<Vec<_>>()
            .join(","),
        v => percent_encode(&scalar(name, v, "the value")?),
    };
    Ok(Some(format!("{}={text}", percent_encode(name))))
}

/// Encodes an `application/x-www-form-urlencoded` body from a JSON object: one pair per property,
/// arrays exploded (`k=a&k=b`), objects (and arrays inside arrays) as JSON text, nulls skipped.
pub fn form_body(value: &Value) -> Result<String, EncodeError> {
    let map = match value {
        Value::Object(map) => map,
        other => {
            return Err(EncodeError::new(
                "body",
                format!("a form body must be an object, found {}", kind(other)),
            ))
        }
    };
    let mut pairs = Vec::new();
    let text = |v: &Value| scalar_text(v).unwrap_or_else(|| v.to_string());
    for (k, v) in map {
        match v {
            Value::Null => {}
            Value::Array(items) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    pairs.push(format!(
                        "{}={}",
                        form_urlencode(k),
                        form_urlencode(&text(item))
                    ));
                }
            }
            v => pairs.push(format!(
                "{}={}",
                form_urlencode(k),
                form_urlencode(&text(v))
            )),
        }
    }
    Ok(pairs.join("&"))
}

/// One part of a `multipart/form-data` body, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct MultipartPart<'a> {
    /// The form field name.
    pub name: &'a str,
    /// `filename` of the part, if any.
    pub file_name: Option<&'a str>,
    /// `Content-Type` of the part; none means `text/plain` (RFC 7578).
    pub content_type: Option<&'a str>,
    /// The part's bytes.
    pub data: &'a [u8],
}

/// Escapes a `Content-Disposition` parameter value as browsers do: `"` → `%22`, CR → `%0D`,
/// LF → `%0A`.
fn disposition_quote(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Whether `boundary` can delimit `parts`: it occurs in none of their bytes.
pub fn boundary_fits(boundary: &str, parts: &[MultipartPart<'_>]) -> bool {
    let b = boundary.as_bytes();
    parts
        .iter()
        .all(|p| b.is_empty() || !p.data.windows(b.len()).any(|w| w == b))
}

/// The `multipart/form-data` body of `parts` delimited by `boundary` (RFC 7578). Content types with
/// line breaks are dropped (they cannot be written in a part header).
pub fn multipart_body(boundary: &str, parts: &[MultipartPart<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\ncontent-disposition: form-data; name=\"");
        out.extend_from_slice(disposition_quote(part.name).as_bytes());
        out.push(b'"');
        if let Some(file) = part.file_name {
            out.extend_from_slice(b"; filename=\"");
            out.extend_from_slice(disposition_quote(file).as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = part.content_type.filter(|ct| !ct.contains(['\r', '\n'])) {
            out.extend_from_slice(b"content-type: ");
            out.extend_from_slice(ct.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part.data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    out
}

/// Standard base64 (RFC 4648, with padding), as used by HTTP Basic authentication.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
