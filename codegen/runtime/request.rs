//! One HTTP request as generated code builds it: method, path, parameters and body.

use super::encode::{self, EncodeError, MultipartPart, PathStyle, QueryStyle};
use bytes::Bytes;
use std::hash::{BuildHasher, Hasher};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method's name, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether HTTP defines the method as idempotent (all but `POST` and `PATCH`).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    /// The `reqwest` method.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Head => reqwest::Method::HEAD,
            Method::Patch => reqwest::Method::PATCH,
            Method::Trace => reqwest::Method::TRACE,
        }
    }
}

/// A request body, ready to send (and to resend on a retry).
#[derive(Debug, Clone)]
pub(crate) struct Body {
    /// The `Content-Type` header.
    pub(crate) content_type: String,
    /// The bytes.
    pub(crate) data: Bytes,
}

/// One API request: built by generated code, sent by [`Client::send`](super::Client::send).
/// Holds no credentials (the client adds them when sending).
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub(crate) method: Method,
    /// The path template with the parameters substituted so far.
    pub(crate) path: String,
    /// Encoded `k=v` query pieces.
    pub(crate) query: Vec<String>,
    /// Header names and values.
    pub(crate) headers: Vec<(String, String)>,
    /// Encoded `k=v` cookie pieces.
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Option<Body>,
    pub(crate) idempotent: bool,
    pub(crate) security: &'static [&'static [&'static str]],
}

/// `value` as JSON, or an error naming `name`.
fn to_json<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<serde_json::Value, EncodeError> {
    serde_json::to_value(value).map_err(|e| EncodeError::new(name, e.to_string()))
}

impl HttpRequest {
    /// A request for `method` on `path_template` (e.g. `"/pets/{id}"`): not idempotent (so retried
    /// only on 429 and refused connections) until [`idempotent`](Self::idempotent) says so, with no
    /// security.
    pub fn new(method: Method, path_template: &'static str) -> HttpRequest {
        HttpRequest {
            method,
            path: path_template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            idempotent: false,
            security: &[],
        }
    }

    /// Sets whether the request may be retried after a timeout or a 502/503/504 (generated from the
    /// HTTP method: GET, HEAD, PUT, DELETE, OPTIONS and TRACE are idempotent). Any request is retried
    /// on 429 and on a refused connection.
    pub fn idempotent(&mut self, yes: bool) {
        self.idempotent = yes;
    }

    /// Sets the security requirement alternatives, e.g. `&[&["bearerAuth"], &[]]` (`&[]` = anonymous
    /// allowed). An empty slice means no security.
    pub fn security(&mut self, alternatives: &'static [&'static [&'static str]]) {
        self.security = alternatives;
    }

    /// Substitutes `{name}` in the path: the value serialized (serde) then encoded in `style`, every
    /// reserved character percent-encoded (`a/b c` → `a%2Fb%20c`). An error when the path has no
    /// `{name}`, or the value is null or nested.
    pub fn path_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: PathStyle,
        explode: bool,
    ) -> Result<(), EncodeError> {
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            return Err(EncodeError::new(name, "the path has no such parameter"));
        }
        let encoded = encode::path_value(name, &to_json(name, value)?, style, explode)?;
        self.path = self.path.replace(&placeholder, &encoded);
        Ok(())
    }

    /// Adds a query parameter; `None` (null) adds nothing. `form` (exploded by default: arrays as
    /// `k=a&k=b`, objects as `a=1&b=2`; not exploded: `k=a,b`), `spaceDelimited`, `pipeDelimited`,
    /// `deepObject` (`k[a]=1&k[b][c]=2`). Strings as they are, numbers and booleans as JSON text.
    pub fn query_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Result<(), EncodeError> {
        let pairs = encode::query_pairs(name, &to_json(name, value)?, style, explode)?;
        self.query.extend(pairs);
        Ok(())
    }

    /// Adds a header parameter (`simple` style); `None` (null) adds nothing.
    pub fn header_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), EncodeError> {
        if !encode::is_header_name(name) {
            return Err(EncodeError::new(name, "not a valid header name"));
        }
        if let Some(v) = encode::header_value(name, &to_json(name, value)?)? {
            self.headers.push((name.to_owned(), v));
        }
        Ok(())
    }

    /// Adds a cookie parameter (`form` style, sent in one `Cookie` header); `None` (null) adds
    /// nothing.
    pub fn cookie_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), EncodeError> {
        if let Some(pair) = encode::cookie_pair(name, &to_json(name, value)?)? {
            self.cookies.push(pair);
        }
        Ok(())
    }

    /// A JSON body; `content_type` is the spec's media type (e.g. `application/vnd.api+json`), sent
    /// as given.
    pub fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), EncodeError> {
        let data = serde_json::to_vec(body).map_err(|e| EncodeError::new("body", e.to_string()))?;
        self.set_body(content_type, data);
        Ok(())
    }

    /// An `application/x-www-form-urlencoded` body: the body serialized to a JSON object, each
    /// property a pair; arrays exploded (`k=a&k=b`), nested objects as JSON text, nulls skipped.
    pub fn form_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), EncodeError> {
        let text = encode::form_body(&to_json("body", body)?)?;
        self.set_body("application/x-www-form-urlencoded", text);
        Ok(())
    }

    /// A `multipart/form-data` body of `parts`, in order, with a random boundary that occurs in
    /// none of them.
    pub fn multipart_body(&mut self, parts: Vec<Part>) {
        let borrowed: Vec<MultipartPart<'_>> = parts
            .iter()
            .map(|p| MultipartPart {
                name: &p.name,
                file_name: p.file_name.as_deref(),
                content_type: p.content_type.as_deref(),
                data: &p.data,
            })
            .collect();
        let mut boundary = random_boundary(0);
        let mut salt = 1;
        while !encode::boundary_fits(&boundary, &borrowed) {
            boundary = random_boundary(salt);
            salt += 1;
        }
        let data = encode::multipart_body(&boundary, &borrowed);
        self.set_body(format!("multipart/form-data; boundary={boundary}"), data);
    }

    /// A body of raw bytes with this content type.
    pub fn bytes_body(&mut self, content_type: &'static str, data: impl Into<Bytes>) {
        self.set_body(content_type, data);
    }

    /// A text body with this content type.
    pub fn text_body(&mut self, content_type: &'static str, text: impl Into<String>) {
        self.set_body(content_type, text.into());
    }

    fn set_body(&mut self, content_type: impl Into<String>, data: impl Into<Bytes>) {
        self.body = Some(Body {
            content_type: content_type.into(),
            data: data.into(),
        });
    }
}

/// A boundary of 32 hex digits from std's randomly seeded hasher.
fn random_boundary(salt: u64) -> String {
    let state = std::collections::hash_map::RandomState::new();
    let mut digits = String::from("----runtime-boundary-");
    for i in 0..2u64 {
        let mut h = state.build_hasher();
        h.write_u64(salt);
        h.write_u64(i);
        if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(t.as_nanos());
        }
        digits.push_str(&format!("{:016x}", h.finish()));
    }
    digits
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Part {
    /// A text part: strings as they are, numbers and booleans as JSON text, arrays and objects as
    /// JSON with content type `application/json`. `None` when the value is null (no part).
    pub fn text<T: serde::Serialize + ?Sized>(
        name: &str,
        value: &T,
    ) -> Result<Option<Part>, EncodeError> {
        let json = to_json(name, value)?;
        let (text, content_type) = match &json {
            serde_json::Value::Null => return Ok(None),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                (json.to_string(), Some("application/json".to_owned()))
            }
            v => (encode::scalar_text(v).unwrap_or_default(), None),
        };
        Ok(Some(Part {
            name: name.to_owned(),
            file_name: None,
            content_type,
            data: Bytes::from(text),
        }))
    }

    /// A binary part (`format: binary`); content type `application/octet-stream` unless given.
    pub fn bytes(
        name: &str,
        data: impl Into<Bytes>,
        content_type: Option<&'static str>,
        file_name: Option<String>,
    ) -> Part {
        Part {
            name: name.to_owned(),
            file_name,
            content_type: Some(
                content_type
                    .unwrap_or("application/octet-stream")
                    .to_owned(),
            ),
            data: data.into(),
        }
    }
}

/// A parameter the spec declares with `content` (a media type) rather than a style: it is sent as
/// its value's JSON text, placed as a string would be (`X-Filter: {"a":1}`, `?f=%7B%22a%22%3A1%7D`);
/// `None` (null) sends nothing.
pub struct JsonText<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> serde::Serialize for JsonText<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.0).map_err(serde::ser::Error::custom)?;
        if value.is_null() {
            return serializer.serialize_none();
        }
        serializer.serialize_str(&value.to_string())
    }
}
