//! A scripted HTTP/1.1 server on 127.0.0.1 (tokio) that records every request byte for byte.
//!
//! The `runtime_*` tests of `seam-tests` have a similar one, but it runs on std threads and keeps
//! bodies as (lossy) text; the multipart tests here need the exact bytes.

#![allow(dead_code)] // each test binary uses a different subset

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request (one request per connection: every response says
/// `connection: close`).
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with this status, extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then say nothing for this long and close.
    Hang(Duration),
}

impl Reply {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A response with a JSON body and one extra header.
    pub fn json_with(status: u16, header: (&str, &str), body: &str) -> Reply {
        let mut reply = Reply::json(status, body);
        if let Reply::Respond { headers, .. } = &mut reply {
            headers.push((header.0.into(), header.1.into()));
        }
        reply
    }
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// E.g. `GET`.
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Received {
    /// The value of the first header `name` (lower-case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
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
}

/// A running scripted server; replies in order, then answers 599 to anything unexpected.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts the server on a free 127.0.0.1 port.
    pub async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let task = tokio::spawn(async move {
            let mut script = script.into_iter();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = script.next().unwrap_or(Reply::Respond {
                    status: 599,
                    headers: Vec::new(),
                    body: b"script exhausted".to_vec(),
                });
                let log = Arc::clone(&log);
                tokio::spawn(serve(stream, reply, log));
            }
        });
        Server {
            url,
            received,
            task,
        }
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The only request received; panics when there were none or several.
    pub fn single(&self) -> Received {
        let mut all = self.received();
        assert_eq!(all.len(), 1, "expected one request, got {all:#?}");
        all.remove(0)
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, log: Arc<Mutex<Vec<Received>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    if let Ok(mut log) = log.lock() {
        log.push(request);
    }
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&body);
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Hang(d) => tokio::time::sleep(d).await,
    }
    let _ = stream.shutdown().await;
}

/// Reads one request: head, then a `content-length` body.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let method = first.next()?.to_owned();
            let target = first.next()?.to_owned();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                })
                .collect();
            let len = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(Received {
                method,
                target,
                headers,
                body: buf[end + 4..end + 4 + len].to_vec(),
            });
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// One parsed part of a multipart body.
#[derive(Debug)]
pub struct ParsedPart {
    /// The `content-disposition` value.
    pub disposition: String,
    /// The `content-type` value, if sent.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Parses a `multipart/form-data` body as RFC 7578 lays it out.
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
