//! Lossless-decoding checks for end-to-end tests, plus a tiny raw HTTP client.
//!
//! The generated SDK hides the raw response body, so the end-to-end suite
//! fetches the same request a second time as raw JSON ([`post_json`]) and
//! hands it to [`check`]: the body is decoded into the typed response model
//! (with [`serde_path_to_error`], so a failure names the JSON path), encoded
//! again with [`serde_json::to_value`] and compared with the original:
//!
//! - a key present in the raw body but absent after re-encoding is an
//!   **unknown field** (the model doesn't know it): recorded, not a failure;
//! - a value that differs is **lossy**: a failure;
//! - `null` and an absent key count as equal; a key the model adds that the
//!   server didn't send (a serde default) is recorded as **defaulted**.
//!
//! Findings go to a process-wide collector ([`report`] prints them), together
//! with the set of exercised routes ([`record_route`], [`exercised_routes`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// A raw HTTP response from [`post_json`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub text: String,
    /// The body parsed as JSON, if it is JSON.
    pub json: Option<Value>,
}

/// Sends `POST <path>` with a JSON `body` to the server at `addr` (HTTP/1.1,
/// `Connection: close`), with `Authorization: Bearer <bearer>` if given and
/// any `extra_headers`, and returns the response. Blocking; meant for a
/// local fake server.
pub fn post_json(
    addr: SocketAddr,
    path: &str,
    bearer: Option<&str>,
    extra_headers: &[(&str, &str)],
    body: &Value,
) -> Result<RawResponse, String> {
    let body = serde_json::to_string(body).map_err(|e| format!("encode body: {e}"))?;
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(token) = bearer {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    for (name, value) in extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");

    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("send {path}: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("read {path}: {e}"))?;
    parse_response(&response).map_err(|e| format!("{path}: {e}"))
}

/// Splits a raw HTTP/1.1 response into status and body (handles chunked bodies).
fn parse_response(raw: &[u8]) -> Result<RawResponse, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers in response")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if chunked {
        body = dechunk(&body)?;
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&text).ok();
    Ok(RawResponse { status, text, json })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk")?;
        let size_str = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size {size_str:?}: {e}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or_default();
    }
}

/// What [`compare`] found for one body.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Diff {
    /// JSON paths present in the raw body but dropped by the model.
    pub unknown: Vec<String>,
    /// JSON paths the model emits although the server sent nothing there.
    pub defaulted: Vec<String>,
    /// `path: raw … vs re-encoded …` for every value that changed.
    pub lossy: Vec<String>,
}

/// Compares a raw body with its decoded-and-re-encoded form.
pub fn compare(raw: &Value, encoded: &Value) -> Diff {
    let mut diff = Diff::default();
    walk(raw, encoded, "", &mut diff);
    diff
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(raw: &Value, enc: &Value, path: &str, diff: &mut Diff) {
    match (raw, enc) {
        (Value::Object(r), Value::Object(e)) => walk_object(r, e, path, diff),
        (Value::Array(r), Value::Array(e)) => {
            if r.len() != e.len() {
                diff.lossy.push(format!(
                    "{}: array of {} items re-encoded as {} items",
                    display(path),
                    r.len(),
                    e.len()
                ));
                return;
            }
            for (i, (rv, ev)) in r.iter().zip(e).enumerate() {
                walk(rv, ev, &format!("{path}[{i}]"), diff);
            }
        }
        (Value::Number(r), Value::Number(e)) => {
            if r != e && r.as_f64() != e.as_f64() {
                diff.lossy
                    .push(format!("{}: raw {r} vs re-encoded {e}", display(path)));
            }
        }
        (r, e) if r == e => {}
        (r, e) => diff.lossy.push(format!(
            "{}: raw {} vs re-encoded {}",
            display(path),
            short(r),
            short(e)
        )),
    }
}

fn walk_object(r: &Map<String, Value>, e: &Map<String, Value>, path: &str, diff: &mut Diff) {
    for (key, rv) in r {
        let p = join(path, key);
        match e.get(key) {
            Some(ev) => walk(rv, ev, &p, diff),
            None if rv.is_null() => {}
            None => diff.unknown.push(p),
        }
    }
    for (key, ev) in e {
        if !r.contains_key(key) && !ev.is_null() {
            diff.defaulted
                .push(format!("{} = {}", join(path, key), short(ev)));
        }
    }
}

fn display(path: &str) -> &str {
    if path.is_empty() {
        "."
    } else {
        path
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// Replaces array indices by `[]` so findings aggregate per field.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Decodes `raw` as `R` (naming the JSON path on failure), re-encodes it and
/// compares. Records every finding under `route` in the global collector.
///
/// Errors on a decode failure or a lossy value; unknown and defaulted fields
/// are only recorded.
pub fn check<R: DeserializeOwned + Serialize>(route: &str, raw: &Value) -> Result<Diff, String> {
    let type_name = std::any::type_name::<R>();
    let decoded: R = match serde_path_to_error::deserialize(raw) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let at = value_at(raw, &path)
                .map(short)
                .unwrap_or_else(|| "<absent>".into());
            let msg = format!(
                "{route}: decoding into {type_name} failed at `{path}`: {} (server sent {at})",
                e.inner()
            );
            collector().decode_failures.insert(msg.clone());
            return Err(msg);
        }
    };
    let encoded = serde_json::to_value(&decoded)
        .map_err(|e| format!("{route}: re-encoding {type_name} failed: {e}"))?;
    let diff = compare(raw, &encoded);
    {
        let mut c = collector();
        for p in &diff.unknown {
            c.unknown
                .entry(normalize_path(p))
                .or_default()
                .insert(route.to_owned());
        }
        for p in &diff.defaulted {
            c.defaulted
                .entry(normalize_path(p))
                .or_default()
                .insert(route.to_owned());
        }
        for p in &diff.lossy {
            c.lossy.insert(format!("{route}: {p}"));
        }
        c.checked_bodies += 1;
    }
    if diff.lossy.is_empty() {
        Ok(diff)
    } else {
        Err(format!(
            "{route}: re-encoding {type_name} lost data:\n  {}",
            diff.lossy.join("\n  ")
        ))
    }
}

/// Looks up a `serde_path_to_error` path (`a.b[2].c`) in `v`.
fn value_at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if path == "." || path.is_empty() {
        return Some(v);
    }
    let mut cur = v;
    for segment in path.split('.') {
        let (name, rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            cur = cur.get(idx.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(cur)
}

/// Everything recorded during a test run.
#[derive(Debug, Default)]
pub struct Findings {
    /// Spec paths called through the typed client.
    pub routes: BTreeSet<String>,
    /// Normalized JSON path → routes where the model dropped it.
    pub unknown: BTreeMap<String, BTreeSet<String>>,
    /// Normalized JSON path (`= value`) → routes where the model invented it.
    pub defaulted: BTreeMap<String, BTreeSet<String>>,
    /// Lossy values (failures).
    pub lossy: BTreeSet<String>,
    /// Decode failures (failures).
    pub decode_failures: BTreeSet<String>,
    /// Number of bodies checked.
    pub checked_bodies: usize,
}

static FINDINGS: Mutex<Findings> = Mutex::new(Findings {
    routes: BTreeSet::new(),
    unknown: BTreeMap::new(),
    defaulted: BTreeMap::new(),
    lossy: BTreeSet::new(),
    decode_failures: BTreeSet::new(),
    checked_bodies: 0,
});

/// The global collector (poisoning is ignored: a panicking test must not
/// hide the others' findings).
pub fn collector() -> MutexGuard<'static, Findings> {
    FINDINGS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Marks a spec path as exercised.
pub fn record_route(route: &str) {
    collector().routes.insert(route.to_owned());
}

/// The spec paths exercised so far.
pub fn exercised_routes() -> BTreeSet<String> {
    collector().routes.clone()
}

/// A human-readable summary of the findings.
pub fn report() -> String {
    let c = collector();
    let mut out = format!(
        "lossless check: {} response bodies checked\n",
        c.checked_bodies
    );
    let section = |out: &mut String, title: &str, map: &BTreeMap<String, BTreeSet<String>>| {
        out.push_str(&format!("{title} ({}):\n", map.len()));
        for (path, routes) in map {
            let routes: Vec<&str> = routes.iter().map(String::as_str).collect();
            out.push_str(&format!("  {path}  [{}]\n", routes.join(", ")));
        }
    };
    section(
        &mut out,
        "unknown fields (sent by the server, dropped by the model)",
        &c.unknown,
    );
    section(
        &mut out,
        "defaulted fields (not sent, emitted by the model)",
        &c.defaulted,
    );
    out.push_str(&format!("lossy values ({}):\n", c.lossy.len()));
    for l in &c.lossy {
        out.push_str(&format!("  {l}\n"));
    }
    out.push_str(&format!("decode failures ({}):\n", c.decode_failures.len()));
    for l in &c.decode_failures {
        out.push_str(&format!("  {l}\n"));
    }
    out
}

/// Spec paths of an OpenAPI YAML document: the keys under `paths:` (lines
/// `  /…:` at two spaces of indentation).
pub fn spec_paths(yaml: &str) -> BTreeSet<String> {
    let mut in_paths = false;
    let mut out = BTreeSet::new();
    for line in yaml.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_paths = line.trim_end() == "paths:";
            continue;
        }
        if in_paths {
            if let Some(p) = line
                .strip_prefix("  /")
                .and_then(|rest| rest.trim_end().strip_suffix(':'))
            {
                if !p.starts_with(' ') {
                    out.insert(format!("/{}", p.trim_matches(['\'', '"'])));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compare_classifies() {
        let raw = json!({"a": 1, "b": null, "c": {"x": [1, {"y": 2, "z": 3}]}, "d": "s"});
        let enc = json!({"a": 1.0, "c": {"x": [1, {"y": 2}]}, "d": "t", "e": []});
        let d = compare(&raw, &enc);
        assert_eq!(d.unknown, vec!["c.x[1].z"]);
        assert_eq!(d.defaulted, vec!["e = []"]);
        assert_eq!(d.lossy, vec![r#"d: raw "s" vs re-encoded "t""#]);
        assert_eq!(normalize_path("c.x[1].z"), "c.x[].z");
        assert_eq!(value_at(&raw, "c.x[1].y"), Some(&json!(2)));
    }

    #[test]
    fn parses_plain_and_chunked() {
        let r = parse_response(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\n{\"ok\":true}").unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.json, Some(json!({"ok": true})));
        let r = parse_response(
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n40\r\n1\r\n4\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (r.status, r.text.as_str(), r.json),
            (404, "404", Some(json!(404)))
        );
    }

    #[test]
    fn spec_path_scan() {
        let yaml = "openapi: 3.0.0\npaths:\n  /a/b:\n    post:\n      x: 1\n  /c:\n    get: {}\ncomponents:\n  /nope:\n";
        let p: Vec<_> = spec_paths(yaml).into_iter().collect();
        assert_eq!(p, vec!["/a/b", "/c"]);
    }
}
