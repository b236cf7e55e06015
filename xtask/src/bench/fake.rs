//! Realistic response bodies for the runtime benches, taken from Seam's fake server.
//!
//! Starts `tests/fake`'s `@seamapi/fake-seam-connect` with its default seed (on
//! its own port; only 127.0.0.1 is dialled), causes some events (locks,
//! unlocks, access codes), reads `/devices/list` and `/events/list`, and
//! replicates the objects with fresh ids to [`COUNT`] of each.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Objects per large response.
pub const COUNT: usize = 10_000;
const API_KEY: &str = "seam_apikey1_token";

/// The fake server, killed on drop.
struct Fake {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn start(root: &Path) -> Result<Fake, String> {
    let dir = root.join("tests/fake");
    let server = dir.join("node_modules/@seamapi/fake-seam-connect/dist/server.js");
    if !server.is_file() {
        return Err(format!(
            "the fake Seam server is not installed ({} is missing): run `npm ci --prefix tests/fake`",
            server.display()
        ));
    }
    let mut child = Command::new("node")
        .arg(&server)
        .arg("--seed")
        .current_dir(&dir)
        .env_remove("PORT")
        .env_remove("SEAM_LOGGER_FORMAT")
        .env("SEAM_LOGGER_LEVEL", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                // Keep draining so the child never blocks on a full pipe.
                continue;
            }
        }
    });
    let mut fake = Fake {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .map_err(|_| "the fake server did not print its URL within 30 s".to_string())?;
        let line = strip_ansi(&line);
        if let Some(port) = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.rsplit(':').next())
            .and_then(|p| p.trim().parse::<u16>().ok())
        {
            break port;
        }
    };
    fake.addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(fake.addr).is_err() {
        if Instant::now() > deadline {
            return Err(format!(
                "cannot connect to the fake server at {}",
                fake.addr
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(fake)
}

/// `POST path` with a JSON body; returns the status and the body.
fn post(addr: SocketAddr, path: &str, body: &Value) -> Result<(u16, Vec<u8>), String> {
    let body = body.to_string();
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    // HTTP/1.0: no chunked encoding, the server closes the connection after the body.
    let request = format!(
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer {API_KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("POST {path}: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("POST {path}: {e}"))?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("POST {path}: malformed response"))?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("POST {path}: no status in `{head}`"))?;
    Ok((status, response[split + 4..].to_vec()))
}

fn post_ok(addr: SocketAddr, path: &str, body: &Value) -> Result<Value, String> {
    let (status, bytes) = post(addr, path, body)?;
    if status != 200 {
        return Err(format!(
            "POST {path}: HTTP {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("POST {path}: not JSON: {e}"))
}

/// `n` copies of `items` (cycled), each with `id_key` (and any `name`/`display_name`) made unique.
fn replicate(items: &[Value], id_key: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let mut item = items[i % items.len()].clone();
            if let Some(obj) = item.as_object_mut() {
                if let Some(Value::String(id)) = obj.get_mut(id_key) {
                    *id = format!("{id}_{i:05}");
                }
                for key in ["display_name", "name"] {
                    if let Some(Value::String(s)) = obj.get_mut(key) {
                        *s = format!("{s} {i}");
                    }
                }
            }
            item
        })
        .collect()
}

/// What was written, for the report.
pub struct Data {
    /// Distinct event types among the replicated events.
    pub event_types: Vec<String>,
    /// Distinct device types among the replicated devices.
    pub device_types: Vec<String>,
}

/// Writes `devices-list.json` (the fake's own response), `devices-10k.json`
/// and `events-10k.json` into `dir`.
pub fn write_data(root: &Path, dir: &Path) -> Result<Data, String> {
    let fake = start(root)?;
    let addr = fake.addr;
    // Cause events of several types; failures only mean fewer types.
    for device in ["august_device_1", "august_device_2", "schlage_device_id"] {
        let _ = post_ok(addr, "/locks/unlock_door", &json!({ "device_id": device }));
        let _ = post_ok(addr, "/locks/lock_door", &json!({ "device_id": device }));
    }
    for (i, device) in ["august_device_1", "august_device_2"].iter().enumerate() {
        let created = post_ok(
            addr,
            "/access_codes/create",
            &json!({ "device_id": device, "code": format!("12{i}4"), "name": format!("bench {i}") }),
        );
        if let Some(id) = created.ok().and_then(|c| {
            c["access_code"]["access_code_id"]
                .as_str()
                .map(str::to_owned)
        }) {
            if i == 0 {
                let _ = post_ok(
                    addr,
                    "/access_codes/delete",
                    &json!({ "access_code_id": id }),
                );
            }
        }
    }

    let (status, devices_body) = post(addr, "/devices/list", &json!({}))?;
    if status != 200 {
        return Err(format!("POST /devices/list: HTTP {status}"));
    }
    let devices: Value = serde_json::from_slice(&devices_body).map_err(|e| e.to_string())?;
    let events = post_ok(
        addr,
        "/events/list",
        &json!({ "since": "2000-01-01T00:00:00.000Z" }),
    )?;
    drop(fake);

    let device_items = devices["devices"].as_array().cloned().unwrap_or_default();
    let event_items = events["events"].as_array().cloned().unwrap_or_default();
    if device_items.is_empty() || event_items.is_empty() {
        return Err(format!(
            "the fake returned {} devices and {} events; need some of each",
            device_items.len(),
            event_items.len()
        ));
    }
    let distinct = |items: &[Value], key: &str| {
        let mut v: Vec<String> = items
            .iter()
            .filter_map(|d| d[key].as_str().map(str::to_owned))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let data = Data {
        event_types: distinct(&event_items, "event_type"),
        device_types: distinct(&device_items, "device_type"),
    };

    let mut big_devices = devices.clone();
    big_devices["devices"] = Value::Array(replicate(&device_items, "device_id", COUNT));
    let mut big_events = events.clone();
    big_events["events"] = Value::Array(replicate(&event_items, "event_id", COUNT));

    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("devices-list.json", &devices_body)?;
    write(
        "devices-10k.json",
        &serde_json::to_vec(&big_devices).map_err(|e| e.to_string())?,
    )?;
    write(
        "events-10k.json",
        &serde_json::to_vec(&big_events).map_err(|e| e.to_string())?,
    )?;
    Ok(data)
}
