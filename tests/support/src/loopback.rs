//! A scripted HTTP/1.1 server on 127.0.0.1 that records every request it receives.
//!
//! Each connection carries one request (every response says `connection: close`) and gets the next
//! [`Reply`] of the script, in the order connections are accepted; once the script is used up, any
//! further request gets a `599 script exhausted`, which no client treats as success. Each
//! connection is served on its own thread, so a [`Reply::Hang`] holds only its own connection.
//!
//! ```no_run
//! use test_support::loopback::{Reply, Server};
//!
//! let server = Server::start(vec![Reply::json(503, "{}"), Reply::json(200, r#"{"ok":true}"#)]);
//! // ... point a client at `server.url` ...
//! let got = server.received();
//! assert_eq!(got.len(), 2);
//! assert_eq!(got[1].header("content-type"), Some("application/json"));
//! ```

use std::borrow::Cow;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long the server waits for a request's bytes before giving up on the connection.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server does with one connection.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with this status, these headers (besides `connection` and `content-length`, which are
    /// always sent) and this body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then say nothing for this long and close.
    Hang(Duration),
    /// Send a `200` whose `content-length` promises `declared` bytes, send only `body`, and close.
    Truncate { declared: usize, body: Vec<u8> },
}

impl Reply {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::with_type(status, "application/json", body)
    }

    /// A response with a JSON body and one extra header.
    pub fn json_with(status: u16, header: (&str, &str), body: &str) -> Reply {
        Reply::json(status, body).header(header.0, header.1)
    }

    /// A plain-text response.
    pub fn text(status: u16, body: &str) -> Reply {
        Reply::with_type(status, "text/plain", body)
    }

    /// A response with this `content-type` and body.
    pub fn with_type(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// The same reply with one more header (no effect on a hang or a truncated body).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The method as sent, e.g. `POST`.
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Header names (lower-cased) and values (as sent), in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes (de-chunked if the client sent them chunked).
    pub body: Vec<u8>,
}

impl Received {
    /// The value of the first header `name` (any case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query part of the target (empty when none).
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body parsed as JSON; the error names the body.
    pub fn json_body(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body)
            .map_err(|e| format!("request body is not JSON ({e}): {}", self.body_text()))
    }
}

/// A running scripted server; stops accepting connections when dropped.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts the server on a free 127.0.0.1 port; it answers with `script`, in order.
    pub fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the bound address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, stopped) = (Arc::clone(&received), Arc::clone(&stop));
        thread::spawn(move || {
            let mut script = script.into_iter();
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let reply = script
                    .next()
                    .unwrap_or_else(|| Reply::text(599, "script exhausted"));
                let log = Arc::clone(&log);
                thread::spawn(move || serve(stream, reply, &log));
            }
        });
        Server {
            url: format!("http://{addr}"),
            addr,
            received,
            stop,
        }
    }

    /// The server's address, `127.0.0.1:<port>`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in the order they were read.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The only request received; panics when there were none or several.
    pub fn single(&self) -> Received {
        let mut all = self.received();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.remove(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag and closes the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// A `http://127.0.0.1:<port>` URL nobody listens on (the port was free a moment ago): connecting
/// to it is refused.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("the bound address");
    drop(listener);
    format!("http://{addr}")
}

fn serve(mut stream: TcpStream, reply: Reply, log: &Mutex<Vec<Received>>) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let Ok(request) = read_request(&mut stream) else {
        return;
    };
    // Recorded before answering: once a client has its response, `received()` has the request.
    if let Ok(mut log) = log.lock() {
        log.push(request);
    }
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} {}\r\nconnection: close\r\n",
                reason(status)
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&body);
            let _ = stream.write_all(&bytes);
        }
        Reply::Hang(d) => thread::sleep(d),
        Reply::Truncate { declared, body } => {
            let mut bytes = format!(
                "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\n\
                 content-length: {declared}\r\n\r\n"
            )
            .into_bytes();
            bytes.extend_from_slice(&body);
            let _ = stream.write_all(&bytes);
        }
    }
    let _ = stream.flush();
}

/// The reason phrase of a status line (clients ignore it; it only reads better in a capture).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Reads one request: the head, then a `content-length` or chunked body.
fn read_request(stream: &mut TcpStream) -> Result<Received, String> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n", 0) {
            break end;
        }
        read_more(stream, &mut buf)?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    let value = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let start = head_end + 4;
    let body = if value("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(stream, &mut buf, start)?
    } else {
        let len = match value("content-length") {
            Some(v) => v
                .parse::<usize>()
                .map_err(|e| format!("content-length {v:?}: {e}"))?,
            None => 0,
        };
        while buf.len() < start + len {
            read_more(stream, &mut buf)?;
        }
        buf[start..start + len].to_vec()
    };
    Ok(Received {
        method,
        target,
        headers,
        body,
    })
}

/// Decodes a chunked body starting at `at` of `buf`, reading more as needed.
fn read_chunked(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    mut at: usize,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(buf, b"\r\n", at) {
                break end;
            }
            read_more(stream, buf)?;
        };
        let size_text = String::from_utf8_lossy(&buf[at..line_end]).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|e| format!("chunk size {size_hex:?}: {e}"))?;
        at = line_end + 2;
        if size == 0 {
            // Trailers (none expected) end with an empty line.
            while find(buf, b"\r\n", at).is_none() {
                read_more(stream, buf)?;
            }
            return Ok(body);
        }
        while buf.len() < at + size + 2 {
            read_more(stream, buf)?;
        }
        body.extend_from_slice(&buf[at..at + size]);
        at += size + 2;
    }
}

fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), String> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).map_err(|e| format!("read: {e}"))?;
    if n == 0 {
        return Err("connection closed mid-request".into());
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
pub struct ParsedPart {
    /// The `content-disposition` value.
    pub disposition: String,
    /// The `content-type` value, if sent.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: Vec<u8>,
}

/// Parses a captured `multipart/form-data` body as RFC 7578 lays it out; panics, naming the rule,
/// on anything else.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<ParsedPart> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart content type with a boundary");
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut data = b"\r\n".to_vec();
    data.extend_from_slice(body);
    let mut parts = Vec::new();
    let mut at = find(&data, &delimiter, 0).expect("first boundary");
    assert_eq!(at, 0, "the body starts with the boundary");
    loop {
        let after = at + delimiter.len();
        if data[after..].starts_with(b"--") {
            assert_eq!(
                &data[after..],
                b"--\r\n",
                "nothing after the closing boundary"
            );
            return parts;
        }
        assert!(data[after..].starts_with(b"\r\n"), "CRLF after a boundary");
        let head_end = find(&data, b"\r\n\r\n", after).expect("part head");
        let head = String::from_utf8_lossy(&data[after + 2..head_end]).into_owned();
        let next = find(&data, &delimiter, head_end + 4).expect("next boundary");
        let mut part = ParsedPart {
            disposition: String::new(),
            content_type: None,
            data: data[head_end + 4..next].to_vec(),
        };
        for line in head.split("\r\n") {
            let (k, v) = line.split_once(':').expect("header line");
            match k.to_ascii_lowercase().as_str() {
                "content-disposition" => part.disposition = v.trim().to_owned(),
                "content-type" => part.content_type = Some(v.trim().to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        parts.push(part);
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `raw` to the server and returns the whole response.
    fn exchange(server: &Server, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream.write_all(raw).expect("write");
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    }

    #[test]
    fn replies_in_order_and_records_requests() {
        let server = Server::start(vec![
            Reply::json_with(201, ("x-one", "1"), r#"{"a":1}"#),
            Reply::text(404, "nope"),
        ]);
        let first = exchange(
            &server,
            b"POST /a?b=c HTTP/1.1\r\nHost: x\r\nX-Mixed-Case: Value\r\nContent-Length: 2\r\n\r\n{}",
        );
        assert!(first.starts_with("HTTP/1.1 201 Created\r\n"), "{first}");
        assert!(first.contains("x-one: 1\r\n"), "{first}");
        assert!(
            first.ends_with("content-length: 7\r\n\r\n{\"a\":1}"),
            "{first}"
        );
        let second = exchange(&server, b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(second.starts_with("HTTP/1.1 404 Not Found\r\n"), "{second}");
        assert!(second.ends_with("\r\n\r\nnope"), "{second}");
        let third = exchange(&server, b"GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(third.starts_with("HTTP/1.1 599 "), "{third}");

        let got = server.received();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].method, "POST");
        assert_eq!((got[0].path(), got[0].query()), ("/a", "b=c"));
        assert_eq!(got[0].header("x-mixed-case"), Some("Value"));
        assert_eq!(got[0].header("X-MIXED-CASE"), Some("Value"));
        assert_eq!(got[0].json_body(), Ok(serde_json::json!({})));
        assert_eq!(got[1].target, "/b");
        assert!(got[1].body.is_empty());
        assert!(got[1].json_body().is_err());
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let server = Server::start(vec![Reply::json(200, "{}")]);
        exchange(
            &server,
            b"PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
              3\r\nabc\r\na;ext=1\r\n0123456789\r\n0\r\n\r\n",
        );
        assert_eq!(server.single().body_text(), "abc0123456789");
    }

    #[test]
    fn truncated_and_hung_replies() {
        let server = Server::start(vec![
            Reply::Truncate {
                declared: 50,
                body: b"{\"a\":".to_vec(),
            },
            Reply::Hang(Duration::from_millis(300)),
        ]);
        let cut = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        assert!(cut.contains("content-length: 50\r\n\r\n{\"a\":"), "{cut}");
        assert!(cut.ends_with("{\"a\":"), "{cut}");
        let started = std::time::Instant::now();
        let hung = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        assert!(hung.is_empty(), "{hung}");
        assert!(started.elapsed() >= Duration::from_millis(250));
        assert_eq!(
            server.received().len(),
            2,
            "a hang still records the request"
        );
    }

    #[test]
    fn a_dropped_server_and_a_refused_url_accept_nothing() {
        let server = Server::start(Vec::new());
        let addr = server.addr();
        drop(server);
        // The accept loop wakes up, sees the flag and closes the listener.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(addr).is_ok() {
            assert!(std::time::Instant::now() < deadline, "{addr} still accepts");
            thread::sleep(Duration::from_millis(20));
        }
        let url = refused_url();
        let addr = url.trim_start_matches("http://");
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(TcpStream::connect(addr).is_err(), "{url} accepts");
    }

    #[test]
    fn multipart_bodies_parse_into_parts() {
        let body = b"--XyZ\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
                     --XyZ\r\ncontent-disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\
                     content-type: application/octet-stream\r\n\r\n\x00\xff\r\n--XyZ--\r\n";
        let parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].disposition, "form-data; name=\"a\"");
        assert_eq!(
            (parts[0].content_type.as_deref(), &parts[0].data[..]),
            (None, &b"1"[..])
        );
        assert_eq!(
            parts[1].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(parts[1].data, [0x00, 0xff]);
    }
}
