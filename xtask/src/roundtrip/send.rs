//! Step 4 of `cargo xtask roundtrip`: requests. For every function of the generated crate,
//! `tests/roundtrip/requests.py` makes instances of its parameters and body from the spec
//! (hypothesis-jsonschema), the driver's `send` binary builds the params value from each (the
//! harness's crate derives `Deserialize` on request types: `codegen::Options::decode_requests`),
//! calls the function on a client pointed at a loopback listener, and reports what arrived; the
//! same script then checks each request with openapi-core's request validator (parameters and
//! body) against the spec.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The operations as `requests.py` reads them.
pub(super) fn ops_json(sent: &[codegen::Sent]) -> Value {
    Value::Array(
        sent.iter()
            .map(|s| {
                serde_json::json!({
                    "pointer": s.pointer,
                    "method": s.method,
                    "path": s.path,
                    "params": s.params.iter().map(|p| serde_json::json!({
                        "key": p.key, "wire": p.wire, "location": p.location,
                        "required": p.required, "json": p.json, "schema": p.schema,
                    })).collect::<Vec<_>>(),
                    "body": s.body.as_ref().map(|b| serde_json::json!({
                        "key": b.key, "content_type": b.content_type, "media": b.media,
                        "required": b.required, "schema": b.schema,
                    })),
                })
            })
            .collect(),
    )
}

/// The source of the driver's `send` binary: reads `index<TAB>json` lines (an index into `sent`,
/// the params value as JSON), answers each with one JSON line, `{"ok": {"method", "target",
/// "headers", "body"}}` (what the loopback listener received; the body in hex) or `{"error"}`.
pub(super) fn driver_source(sent: &[codegen::Sent], lib: &str, seam: bool) -> String {
    let mut arms = String::new();
    for (i, s) in sent.iter().enumerate() {
        let call = &s.call;
        let make = match &s.params_type {
            Some(ty) => format!(
                "let params: {lib}::models::{ty} = serde_json::from_str(text).map_err(|e| format!(\"params: {{e}}\"))?;"
            ),
            None => "let _ = text;".to_string(),
        };
        let _ = writeln!(
            arms,
            "        {i} => {{\n            {make}\n            outcome({call}.await)\n        }}"
        );
    }
    let client = if seam {
        format!(
            "{lib}::Seam::builder().api_key(\"seam_apikey_roundtrip\").endpoint(base).max_retries(0)\
             .wait_for_action_attempt(false).build().map_err(|e| e.to_string())?"
        )
    } else {
        format!("{lib}::Client::builder().base_url(base).max_retries(0).build()")
    };
    let client_ty = if seam {
        format!("{lib}::Seam")
    } else {
        format!("{lib}::Client")
    };
    format!(
        r#"// Written by cargo xtask roundtrip: builds the params of function `index` from each
// `index<TAB>json` line of stdin, calls the function on a client whose base URL is a loopback
// listener, and answers with one JSON line: {{"ok": {{"method", "target", "headers", "body"}}}}
// (what the listener received, the body in hex) or {{"error": "..."}}.
use std::io::{{BufRead, Read, Write}};
use std::sync::mpsc;
use std::time::Duration;

fn outcome<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<String, String> {{
    Ok(match result {{
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    }})
}}

async fn call(client: &{client_ty}, index: usize, text: &str) -> Result<String, String> {{
    match index {{
{arms}        _ => Err(format!("no function {{index}}")),
    }}
}}

/// Reads one HTTP/1.1 request (a `Content-Length` or chunked body).
fn read_request(stream: &mut std::net::TcpStream) -> Option<serde_json::Value> {{
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut data = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {{
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {{
            break at;
        }}
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {{
            return None;
        }}
        data.extend_from_slice(&buf[..n]);
    }};
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut rest = data[head_end + 4..].to_vec();
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {{
        let mut body = Vec::new();
        loop {{
            while !rest.windows(2).any(|w| w == b"\r\n") {{
                let n = stream.read(&mut buf).ok()?;
                if n == 0 {{ return None; }}
                rest.extend_from_slice(&buf[..n]);
            }}
            let at = rest.windows(2).position(|w| w == b"\r\n")?;
            let size_text = String::from_utf8_lossy(&rest[..at]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            rest.drain(..at + 2);
            while rest.len() < size + 2 {{
                let n = stream.read(&mut buf).ok()?;
                if n == 0 {{ return None; }}
                rest.extend_from_slice(&buf[..n]);
            }}
            if size == 0 {{ break; }}
            body.extend_from_slice(&rest[..size]);
            rest.drain(..size + 2);
        }}
        body
    }} else {{
        let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while rest.len() < length {{
            let n = stream.read(&mut buf).ok()?;
            if n == 0 {{ return None; }}
            rest.extend_from_slice(&buf[..n]);
        }}
        rest.truncate(length);
        rest
    }};
    let hex: String = body.iter().map(|b| format!("{{b:02x}}")).collect();
    Some(serde_json::json!({{ "method": method, "target": target, "headers": headers, "body": hex }}))
}}

fn main() -> Result<(), String> {{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let base = format!("http://{{}}", listener.local_addr().map_err(|e| e.to_string())?);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {{
        // What arrived is passed on before the answer (`200 {{}}`), so it is there when the call ends.
        for mut stream in listener.incoming().flatten() {{
            if let Some(request) = read_request(&mut stream) {{
                if tx.send(request).is_err() {{
                    break;
                }}
            }}
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}");
        }}
    }});
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = {client};
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {{
        let line = line.map_err(|e| e.to_string())?;
        let (index, text) = line.split_once('\t').unwrap_or((&line, ""));
        while rx.try_recv().is_ok() {{}}
        let answer = match index.parse::<usize>() {{
            Err(e) => serde_json::json!({{ "error": format!("bad index: {{e}}") }}),
            Ok(index) => match runtime.block_on(call(&client, index, text)) {{
                Err(e) => serde_json::json!({{ "error": e }}),
                Ok(result) => match rx.recv_timeout(Duration::from_millis(200)) {{
                    Ok(request) => serde_json::json!({{ "ok": request }}),
                    Err(_) => serde_json::json!({{ "error": format!("no request arrived: {{result}}") }}),
                }},
            }},
        }};
        writeln!(out, "{{answer}}").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }}
    Ok(())
}}
"#
    )
}

/// Runs `requests.py selftest`: the request check must refuse known-bad requests before its
/// "valid" means anything.
pub(super) fn selftest(root: &Path, python: &Path) -> Result<(), String> {
    let status = Command::new(python)
        .arg(root.join("tests/roundtrip/requests.py"))
        .arg("selftest")
        .status()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err("the request check's self-test failed (see above)".into())
    }
}

/// The request maker, running while the driver builds.
pub(super) struct Started {
    child: std::process::Child,
    spec: std::path::PathBuf,
    ops: std::path::PathBuf,
    cases: std::path::PathBuf,
    summary: std::path::PathBuf,
    work: std::path::PathBuf,
    script: std::path::PathBuf,
}

/// Writes the operations and starts `requests.py make`.
pub(super) fn start(
    root: &Path,
    python: &Path,
    work: &Path,
    spec: &Path,
    sent: &[codegen::Sent],
    settings: &super::Settings,
) -> Result<Started, String> {
    let ops = work.join("ops.json");
    super::write(&ops, &ops_json(sent).to_string())?;
    let cases = work.join("requests.jsonl");
    let summary = work.join("requests-summary.json");
    let script = root.join("tests/roundtrip/requests.py");
    let child = Command::new(python)
        .arg(&script)
        .arg("make")
        .arg("--spec")
        .arg(spec)
        .arg("--ops")
        .arg(&ops)
        .arg("--out")
        .arg(&cases)
        .arg("--summary")
        .arg(&summary)
        .args(["--seed", &settings.seed.to_string()])
        .args(["--examples", &settings.examples.to_string()])
        .args(["--op-budget", &settings.op_budget.to_string()])
        .args(["--budget", &settings.request_budget.to_string()])
        .args(["--depth", &settings.depth.to_string()])
        .args(["--jobs", &settings.jobs.max(1).to_string()])
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    Ok(Started {
        child,
        spec: spec.to_path_buf(),
        ops,
        cases,
        summary,
        work: work.to_path_buf(),
        script,
    })
}

impl Started {
    /// Waits for the cases, sends each with the driver's `send` binary, checks what arrived.
    pub(super) fn finish(
        mut self,
        python: &Path,
        sender: &Path,
        sent: &[codegen::Sent],
        row: &mut super::Row,
    ) -> Result<(), String> {
        let status = self
            .child
            .wait()
            .map_err(|e| format!("the request maker: {e}"))?;
        if !status.success() {
            return Err(format!("the request maker failed ({status})"));
        }
        let summary: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(&self.summary)
                .map_err(|e| format!("cannot read {}: {e}", self.summary.display()))?,
        )
        .map_err(|e| format!("{}: {e}", self.summary.display()))?;
        for s in &summary {
            let count = s["cases"].as_u64().unwrap_or(0);
            if count > 0 {
                row.functions_reached += 1;
            } else {
                row.functions_unreached.push((
                    s["pointer"].as_str().unwrap_or_default().to_string(),
                    s["note"].as_str().unwrap_or("no instance").to_string(),
                ));
            }
        }
        let file = std::fs::File::open(&self.cases)
            .map_err(|e| format!("cannot read {}: {e}", self.cases.display()))?;
        let mut cases = Vec::new();
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("{}: {e}", self.cases.display()))?;
            let case: Value = serde_json::from_str(&line)
                .map_err(|e| format!("{} line {}: {e}", self.cases.display(), i + 1))?;
            cases.push(case);
        }
        row.requests = cases.len();
        let input: String = cases
            .iter()
            .map(|c| format!("{}\t{}\n", c["op"], c["params"]))
            .collect();
        let stdout = super::feed(sender, input)?;
        let answers = self.work.join("requests-sent.jsonl");
        std::fs::write(&answers, &stdout)
            .map_err(|e| format!("cannot write {}: {e}", answers.display()))?;
        let answered = stdout.iter().filter(|b| **b == b'\n').count();
        if answered != cases.len() {
            return Err(format!(
                "the sender answered {answered} of {} requests",
                cases.len()
            ));
        }
        let findings = self.work.join("requests-findings.jsonl");
        let status = Command::new(python)
            .arg(&self.script)
            .arg("check")
            .arg("--spec")
            .arg(&self.spec)
            .arg("--ops")
            .arg(&self.ops)
            .arg("--cases")
            .arg(&self.cases)
            .arg("--sent")
            .arg(&answers)
            .arg("--out")
            .arg(&findings)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
        if !status.success() {
            return Err(format!("the request validator failed ({status})"));
        }
        let text = std::fs::read_to_string(&findings)
            .map_err(|e| format!("cannot read {}: {e}", findings.display()))?;
        for line in text.lines() {
            let f: Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", findings.display()))?;
            if f["ok"].as_bool() == Some(true) {
                continue;
            }
            let case = f["case"].as_u64().and_then(|i| cases.get(i as usize));
            let op = f["op"].as_u64().and_then(|i| sent.get(i as usize));
            let what = f["what"].as_str().unwrap_or_default().to_string();
            let finding = super::Finding {
                name: op
                    .map(|o| format!("{} {}", o.method, o.path))
                    .unwrap_or_default(),
                pointer: op.map(|o| o.pointer.clone()).unwrap_or_default(),
                mode: case
                    .and_then(|c| c["label"].as_str())
                    .unwrap_or_default()
                    .to_string(),
                instance: case.map(|c| c["params"].to_string()).unwrap_or_default(),
                what: what.clone(),
            };
            if what.starts_with("not sent: ") {
                row.unsent.push(finding);
            } else {
                row.invalid.push(finding);
            }
        }
        Ok(())
    }
}
