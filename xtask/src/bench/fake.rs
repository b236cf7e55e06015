//! Realistic response bodies for the runtime benches, taken from Seam's fake server.
//!
//! Starts `tests/fake`'s `@seamapi/fake-seam-connect` with its default seed, with
//! the tests' own launcher (`test_support::fake`: its own port, only 127.0.0.1
//! is dialled), causes some events (locks, unlocks, access codes), reads
//! `/devices/list` and `/events/list`, and replicates the objects with fresh ids
//! to [`COUNT`] of each.

use std::net::SocketAddr;
use std::path::Path;

use serde_json::{json, Value};
use test_support::fake::{FakeSeam, API_KEY};

/// Objects per large response.
pub const COUNT: usize = 10_000;

/// `POST path` with a JSON body and the seeded API key; returns the status and the body.
fn post(addr: SocketAddr, path: &str, body: &Value) -> Result<(u16, Vec<u8>), String> {
    test_support::fake::post(addr, path, &body.to_string(), Some(API_KEY))
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
pub fn write_data(dir: &Path) -> Result<Data, String> {
    let fake = FakeSeam::start()?;
    let addr = fake.addr();
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
