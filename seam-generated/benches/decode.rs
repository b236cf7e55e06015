//! Runtime figures for `cargo xtask bench` (a plain `harness = false` bench, run in the bench profile):
//!
//! - decode throughput of `devices/list` and `events/list` responses with 10,000 objects each, typed
//!   vs `serde_json::Value` vs `serde::de::IgnoredAny`;
//! - per-call overhead of `seam.devices().list(..)` against a loopback HTTP server (127.0.0.1),
//!   beside a raw `reqwest` + `serde_json` call of the same request (server and clients on one thread).
//!
//! The input files (`devices-10k.json`, `events-10k.json`, `devices-list.json`) are written by
//! `cargo xtask bench` from what Seam's fake server returns, into `$SEAM_BENCH_DATA` (default
//! `target/bench/data`). Results are printed as `BENCH <key> <value>` lines for the xtask to read.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use seam_connect::models::{DevicesListResponse, Event, EventsListResponse};
use serde::de::{DeserializeOwned, IgnoredAny};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Decode passes per decoder (after one warm-up); fewer if they take longer than [`DECODE_BUDGET`].
const DECODE_RUNS: usize = 15;
const DECODE_BUDGET: Duration = Duration::from_secs(4);
/// Sequential calls per client.
const CALLS: usize = 4000;
/// Calls are made in alternating blocks (SDK, raw, raw, SDK, SDK, ...) so drift hits both alike;
/// each side's figure is its median block, so a block slowed by other work on the machine does not
/// decide it.
const BLOCK: usize = 100;
const WARM_UP_CALLS: usize = 200;

fn data_dir() -> PathBuf {
    std::env::var_os("SEAM_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench/data"))
}

fn read(name: &str) -> Result<Vec<u8>, String> {
    let path = data_dir().join(name);
    std::fs::read(&path).map_err(|e| {
        format!(
            "cannot read {} ({e}); run `cargo xtask bench` to create it",
            path.display()
        )
    })
}

fn report(key: &str, value: Result<f64, String>) {
    match value {
        Ok(v) => println!("BENCH {key} {v:.3}"),
        Err(e) => println!("BENCH {key} ERROR {}", e.replace('\n', " ")),
    }
}

/// A timed decode of some bytes.
type Decoder = fn(&[u8]) -> Result<Duration, String>;

/// One timed decode of `bytes` as `T` (the value is dropped outside the timing).
fn time_decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<Duration, String> {
    let t = Instant::now();
    let value = serde_json::from_slice::<T>(bytes).map_err(|e| e.to_string())?;
    let elapsed = t.elapsed();
    drop(black_box(value));
    Ok(elapsed)
}

/// Best throughputs (MB/s) of decoding `bytes` as `T`, as `serde_json::Value` and as `IgnoredAny`.
/// The three take turns, pass by pass, so that the machine's drift (other load, the allocator's
/// state) hits them alike.
fn throughputs<T: DeserializeOwned>(bytes: &[u8]) -> [Result<f64, String>; 3] {
    let decoders: [Decoder; 3] = [
        time_decode::<T>,
        time_decode::<serde_json::Value>,
        time_decode::<IgnoredAny>,
    ];
    let mut best = [Ok(Duration::MAX), Ok(Duration::MAX), Ok(Duration::MAX)];
    let started = Instant::now();
    // One warm-up pass, then up to DECODE_RUNS timed ones.
    for run in 0..=DECODE_RUNS {
        for (decode, best) in decoders.iter().zip(best.iter_mut()) {
            if let Ok(b) = best {
                match decode(bytes) {
                    Ok(t) if run > 0 => *b = (*b).min(t),
                    Ok(_) => {}
                    Err(e) => *best = Err(e),
                }
            }
        }
        if run >= 3 && started.elapsed() > DECODE_BUDGET {
            break;
        }
    }
    best.map(|b| b.map(|t| bytes.len() as f64 / 1e6 / t.as_secs_f64()))
}

/// If typed decoding of `events/list` fails, names the event types that do not decode and
/// returns the response without them, so the throughput can still be measured on the rest.
fn decodable_events(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if serde_json::from_slice::<EventsListResponse>(&bytes).is_ok() {
        return Ok(bytes);
    }
    let mut response: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let events = response["events"]
        .as_array_mut()
        .ok_or("`events` is not an array")?;
    let mut failing = std::collections::BTreeMap::new();
    events.retain(|e| match serde_json::from_value::<Event>(e.clone()) {
        Ok(_) => true,
        Err(err) => {
            let kind = e["event_type"].as_str().unwrap_or("?").to_owned();
            failing.entry(kind).or_insert_with(|| err.to_string());
            false
        }
    });
    let list: Vec<String> = failing.iter().map(|(k, e)| format!("{k} ({e})")).collect();
    println!(
        "BENCH decode.events.note TEXT typed decode fails for {}; measured on the other events",
        list.join(", ")
    );
    serde_json::to_vec(&response).map_err(|e| e.to_string())
}

fn decode_bench<T: DeserializeOwned>(name: &str, file: &str) {
    let bytes = match read(file) {
        Ok(b) if name == "events" => decodable_events(b),
        other => other,
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            report(&format!("decode.{name}.typed"), Err(e));
            return;
        }
    };
    report(&format!("decode.{name}.bytes"), Ok(bytes.len() as f64));
    let [typed, value, ignored] = throughputs::<T>(&bytes);
    report(&format!("decode.{name}.typed"), typed);
    report(&format!("decode.{name}.value"), value);
    report(&format!("decode.{name}.ignored"), ignored);
}

/// Serves every request on one keep-alive connection with `body`.
async fn serve(stream: TcpStream, body: &[u8]) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         seam-request-id: bench\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    let mut line = String::new();
    let mut request_body = Vec::new();
    loop {
        let mut content_length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                if first {
                    continue;
                }
                break;
            }
            first = false;
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        request_body.resize(content_length, 0);
        reader.read_exact(&mut request_body).await?;
        writer.write_all(&response).await?;
    }
}

async fn sdk_call(seam: &seam_connect::Seam) -> Result<usize, String> {
    let devices = seam.devices().list().await.map_err(|e| e.to_string())?;
    Ok(black_box(devices).len())
}

async fn raw_call(client: &reqwest::Client, url: &str) -> Result<usize, String> {
    let response = client
        .post(format!("{url}/devices/list"))
        .header(reqwest::header::AUTHORIZATION, "Bearer seam_test")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    let decoded: DevicesListResponse = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    Ok(black_box(decoded.devices).len())
}

/// Mean µs per call for the SDK and for raw reqwest.
/// The median of `values` (not empty).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Per-call microseconds (median block) of the SDK's `devices().list()` and of the raw call.
fn client_bench() -> Result<(f64, f64), String> {
    let body: &'static [u8] = read("devices-list.json")?.leak();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        // The server runs on the same thread as the clients: no wake-up of another thread (whose
        // latency on a shared machine swung the figures by 2x between runs) is in a call's time,
        // and its work is the same for both sides.
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("loopback server: {e}"))?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let _ = serve(stream, body).await;
                });
            }
        });
        let seam = seam_connect::Seam::builder()
            .api_key("seam_test")
            .endpoint(url.as_str())
            .build()
            .map_err(|e| e.to_string())?;
        let raw = reqwest::Client::new();
        let expected = raw_call(&raw, &url).await?;
        if sdk_call(&seam).await? != expected {
            return Err("the SDK and the raw call decoded different device counts".into());
        }
        for _ in 0..WARM_UP_CALLS {
            sdk_call(&seam).await?;
            raw_call(&raw, &url).await?;
        }
        // Per-call time of each block; which side goes first alternates from pair to pair.
        let (mut sdk_blocks, mut raw_blocks) = (Vec::new(), Vec::new());
        for pair in 0..CALLS / BLOCK {
            for side in [pair % 2, 1 - pair % 2] {
                let t = Instant::now();
                for _ in 0..BLOCK {
                    if side == 0 {
                        sdk_call(&seam).await?;
                    } else {
                        raw_call(&raw, &url).await?;
                    }
                }
                let us = t.elapsed().as_secs_f64() * 1e6 / BLOCK as f64;
                if side == 0 {
                    &mut sdk_blocks
                } else {
                    &mut raw_blocks
                }
                .push(us);
            }
        }
        Ok((median(&mut sdk_blocks), median(&mut raw_blocks)))
    })
}

fn main() {
    decode_bench::<DevicesListResponse>("devices", "devices-10k.json");
    decode_bench::<EventsListResponse>("events", "events-10k.json");
    match client_bench() {
        Ok((sdk, raw)) => {
            report("client.calls", Ok(CALLS as f64));
            report("client.sdk_us", Ok(sdk));
            report("client.raw_us", Ok(raw));
        }
        Err(e) => report("client.sdk_us", Err(e)),
    }
}
