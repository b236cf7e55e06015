//! Shared helpers of the `runtime_*` tests: a scripted, misbehaving HTTP/1.1
//! server on 127.0.0.1 that records every request it receives.

#![allow(dead_code)] // each test binary uses a different subset

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the server does with one connection (one request: every response
/// says `connection: close`).
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with this status line, extra header lines and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then say nothing for this long and close.
    Hang(Duration),
    /// Send a 200 whose `content-length` promises more than is sent, then close.
    Truncate { declared: usize, body: String },
}

impl Reply {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_owned(),
        }
    }

    /// A response with a JSON body and one extra header.
    pub fn json_with(status: u16, header: (&str, &str), body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                (header.0.into(), header.1.into()),
            ],
            body: body.to_owned(),
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.to_owned(),
        }
    }
}

/// A request as received: lower-cased head (request line + headers) and body.
#[derive(Debug, Clone)]
pub struct Received {
    /// Request line and header lines, lower-cased.
    pub head: String,
    /// The body, as sent.
    pub body: String,
}

impl Received {
    /// The value of header `name` (lower-cased), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == name).then(|| v.trim().to_owned())
        })
    }

    /// The request line, e.g. `post /devices/list http/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }
}

/// A running scripted server; replies in order, then answers 599 to
/// anything unexpected.
pub struct Scripted {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Scripted {
    /// Starts the server on a free 127.0.0.1 port.
    pub fn start(script: Vec<Reply>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        thread::spawn(move || {
            let mut script = script.into_iter();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let reply = script
                    .next()
                    .unwrap_or_else(|| Reply::text(599, "script exhausted"));
                let log = Arc::clone(&log);
                thread::spawn(move || serve(stream, reply, &log));
            }
        });
        Scripted { url, received }
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn serve(mut stream: TcpStream, reply: Reply, log: &Mutex<Vec<Received>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&mut stream) else {
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
            out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
            let _ = stream.write_all(out.as_bytes());
        }
        Reply::Hang(d) => thread::sleep(d),
        Reply::Truncate { declared, body } => {
            let out = format!(
                "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\n\
                 content-length: {declared}\r\n\r\n{body}"
            );
            let _ = stream.write_all(out.as_bytes());
        }
    }
    let _ = stream.flush();
}

/// Reads one request (head + `content-length` body).
fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = text[..end].to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    (k.trim() == "content-length").then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned();
                return Some(Received { head, body });
            }
        }
    }
}

/// A minimal `{"devices":[],...}` list response.
pub const EMPTY_DEVICES: &str = r#"{"devices":[],"pagination":{"has_next_page":false,"next_page_cursor":null,"next_page_url":null},"ok":true}"#;

/// A pending UNLOCK_DOOR action attempt response.
pub const PENDING_UNLOCK: &str = r#"{"action_attempt":{"action_type":"UNLOCK_DOOR","action_attempt_id":"aa1","result":null,"error":null,"status":"pending"},"ok":true}"#;

/// Posts `body` to a `/_fake/*` route of the fake server (raw HTTP, no auth).
pub fn fake_post(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect to fake");
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}
