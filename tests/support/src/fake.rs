//! The one launcher of Seam's official fake API server (`@seamapi/fake-seam-connect`, pinned in
//! `tests/fake/package.json`), used by the end-to-end tests and by `cargo xtask bench`.
//!
//! Each [`FakeSeam::start`] spawns its own `node` process on its own free port with the default
//! seed loaded, so tests can run in parallel without sharing state. Dropping the handle kills the
//! server.
//!
//! ```no_run
//! let fake = test_support::fake::FakeSeam::start().expect("fake Seam server");
//! // fake.url is e.g. "http://127.0.0.1:38793"
//! # drop(fake);
//! ```
//!
//! The npm packages must be installed first: `cargo xtask test` does that, or run
//! `npm ci --prefix tests/fake` by hand. Missing packages are an error, never a skipped test. See
//! `tests/fake/NOTES.md` for what the fake serves.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// Seeded API key of workspace [`WORKSPACE_ID`] (`Authorization: Bearer …`).
pub const API_KEY: &str = "seam_apikey1_token";
/// Seeded publishable key of workspace [`WORKSPACE_ID`]
/// (`seam-publishable-key` header, e.g. for `/client_sessions/get_or_create`).
pub const PUBLISHABLE_KEY: &str = "seam_pk1_token";
/// Seeded client session token in workspace [`WORKSPACE_ID`]
/// (`Authorization: Bearer …` or `client-session-token` header).
pub const CLIENT_SESSION_TOKEN: &str = "seam_cst1_token";
/// Seeded personal access token; needs the `seam-workspace` header set to
/// [`WORKSPACE_ID`] (many routes; not `/devices/list` in this fake).
pub const PERSONAL_ACCESS_TOKEN: &str = "seam_at1_longtoken";
/// The seeded workspace the keys above belong to.
pub const WORKSPACE_ID: &str = "seed_workspace_1";

/// A few ids the fake's default seed (`--seed`) creates; see
/// `GET /_fake/default_seed` and `tests/fake/NOTES.md`.
pub mod seed {
    /// August account of john@example.com; owns the August, Ecobee and Minut devices.
    pub const JOHN_CONNECTED_ACCOUNT_ID: &str = "john_connected_account_id";
    /// Email of [`JOHN_CONNECTED_ACCOUNT_ID`] (works with `/connected_accounts/get`).
    pub const JOHN_EMAIL: &str = "john@example.com";
    /// Schlage account of jane@example.com; owns [`SCHLAGE_DEVICE_ID`].
    pub const JANE_CONNECTED_ACCOUNT_ID: &str = "jane_connected_account_id";
    /// Email of [`JANE_CONNECTED_ACCOUNT_ID`].
    pub const JANE_EMAIL: &str = "jane@example.com";
    /// A second workspace, not reachable with the seeded keys above.
    pub const WORKSPACE_2_ID: &str = "seed_workspace_2";
    /// August lock (supports lock/unlock and access codes).
    pub const AUGUST_DEVICE_1: &str = "august_device_1";
    /// Second August lock.
    pub const AUGUST_DEVICE_2: &str = "august_device_2";
    /// Ecobee thermostat.
    pub const ECOBEE_DEVICE_1: &str = "ecobee_device_1";
    /// Minut noise sensor.
    pub const MINUT_DEVICE_1: &str = "minut_device_1";
    /// Schlage lock (note the id differs from the seed key `schlage_device_1`).
    pub const SCHLAGE_DEVICE_ID: &str = "schlage_device_id";
}

/// How long to wait for the server to print its URL (node loads a ~5 MB bundle).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to keep trying to connect to the printed port.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The fake picks its port with `get-port` then binds it a moment later; a
/// rare clash with another process makes it exit, so try a few times.
const ATTEMPTS: usize = 3;
/// How long [`FakeSeam::post`] waits for a response.
const POST_TIMEOUT: Duration = Duration::from_secs(30);

/// A running fake Seam API server, killed on drop.
pub struct FakeSeam {
    /// Base URL without a trailing slash, always `http://127.0.0.1:<port>`.
    pub url: String,
    addr: SocketAddr,
    child: Child,
}

impl FakeSeam {
    /// Starts a freshly seeded fake server on a free port and waits until it
    /// accepts TCP connections on 127.0.0.1.
    ///
    /// Errors (never panics, never skips) if the npm packages are missing,
    /// `node` can't be run, or the server doesn't come up in time.
    pub fn start() -> Result<FakeSeam, String> {
        let server_js = server_js();
        if !server_js.is_file() {
            return Err(format!(
                "fake Seam server not installed: {} is missing. \
                 Run `cargo xtask test` (or `npm ci --prefix tests/fake`) first.",
                server_js.display()
            ));
        }
        let mut last_err = String::new();
        for attempt in 1..=ATTEMPTS {
            match Self::start_once(&server_js) {
                Ok(fake) => return Ok(fake),
                Err(e) => last_err = format!("attempt {attempt}/{ATTEMPTS}: {e}"),
            }
        }
        Err(format!("could not start the fake Seam server: {last_err}"))
    }

    fn start_once(server_js: &Path) -> Result<FakeSeam, String> {
        let mut child = Command::new("node")
            .arg(server_js)
            .arg("--seed")
            .current_dir(fake_dir())
            .env_remove("PORT")
            .env_remove("SEAM_LOGGER_FORMAT")
            .env("SEAM_LOGGER_LEVEL", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!(
                    "failed to run `node {}`: {e} (is Node.js installed and on PATH?)",
                    server_js.display()
                )
            })?;

        // Both pipes are read for the whole life of the child so it never
        // blocks on a full pipe; lines go to `rx` while anyone listens.
        let (tx, rx) = mpsc::channel();
        let stdout = child
            .stdout
            .take()
            .ok_or("the child's stdout is not piped")?;
        let stderr = child
            .stderr
            .take()
            .ok_or("the child's stderr is not piped")?;
        spawn_drain(stdout, tx.clone());
        spawn_drain(stderr, tx);

        // From here on `guard` kills the child if we bail out.
        let mut guard = FakeSeam {
            url: String::new(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            child,
        };
        let port = wait_for_port(&rx, &mut guard.child)?;
        drop(rx);
        guard.addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_for_connect(guard.addr, &mut guard.child)?;
        guard.url = format!("http://{}", guard.addr);
        Ok(guard)
    }

    /// The server's address, `127.0.0.1:<port>`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `POST path` with a JSON `body` to this server: see [`post`].
    pub fn post(
        &self,
        path: &str,
        body: &str,
        bearer: Option<&str>,
    ) -> Result<(u16, Vec<u8>), String> {
        post(self.addr, path, body, bearer)
    }
}

impl Drop for FakeSeam {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `POST path` with a JSON `body` to the fake at `addr` (e.g. from a thread that does not own the
/// [`FakeSeam`]), with `Authorization: Bearer <bearer>` if given (the
/// `/_fake/*` routes need none), over plain HTTP/1.0 so that the body is never chunked.
/// Returns the status and the body.
pub fn post(
    addr: SocketAddr,
    path: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(POST_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let auth = bearer
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    // HTTP/1.0: no chunked encoding, the server closes the connection after the body.
    let request = format!(
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
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

/// `<repo>/tests/fake`.
fn fake_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fake")
}

fn server_js() -> PathBuf {
    fake_dir().join("node_modules/@seamapi/fake-seam-connect/dist/server.js")
}

/// Reads `pipe` line by line until EOF, forwarding lines to `tx` until the
/// receiver is gone and discarding them after that.
fn spawn_drain<R: Read + Send + 'static>(pipe: R, tx: Sender<String>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        let mut tx = Some(tx);
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if let Some(sender) = &tx {
                        let line = String::from_utf8_lossy(&buf).into_owned();
                        if sender.send(line).is_err() {
                            tx = None;
                        }
                    }
                }
            }
        }
    });
}

/// Waits for the log line carrying the server URL
/// (`<timestamp> info: http://localhost:<port>`) and returns the port.
fn wait_for_port(rx: &Receiver<String>, child: &mut Child) -> Result<u16, String> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let mut output = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let line = strip_ansi(&line);
                if let Some(port) = parse_port(&line) {
                    return Ok(port);
                }
                output.push_str(&line);
            }
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "fake Seam server printed no URL within {STARTUP_TIMEOUT:?}; output:\n{output}"
                ));
            }
            Err(RecvTimeoutError::Disconnected) => {
                // Both pipes closed: the child is exiting; don't block on it.
                thread::sleep(Duration::from_millis(200));
                let status = match child.try_wait() {
                    Ok(Some(status)) => status.to_string(),
                    _ => "still running, pipes closed".to_string(),
                };
                return Err(format!(
                    "fake Seam server exited ({status}) before printing its URL; output:\n{output}"
                ));
            }
        }
    }
}

/// Finds `http://<host>:<port>` in a log line and returns the port.
fn parse_port(line: &str) -> Option<u16> {
    let rest = &line[line.find("http://")? + "http://".len()..];
    let authority = rest.split(|c: char| c.is_whitespace() || c == '/').next()?;
    let (_host, port) = authority.rsplit_once(':')?;
    port.parse().ok()
}

/// Removes ANSI escape sequences (`ESC [ … letter`), e.g. winston's colours.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Retries a TCP connect to `addr` until it succeeds.
fn wait_for_connect(addr: SocketAddr, child: &mut Child) -> Result<(), String> {
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(_) => return Ok(()),
            Err(e) => {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!(
                        "fake Seam server exited ({status}) after printing {addr}"
                    ));
                }
                if Instant::now() >= deadline {
                    return Err(format!(
                        "fake Seam server said it listens on {addr} but it refused \
                         connections for {CONNECT_TIMEOUT:?}: {e}"
                    ));
                }
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_coloured_log_line() {
        let line = "2026-11-22T02:24:41.214Z \u{1b}[32minfo\u{1b}[39m: http://localhost:38793\n";
        let clean = strip_ansi(line);
        assert_eq!(
            clean,
            "2026-11-22T02:24:41.214Z info: http://localhost:38793\n"
        );
        assert_eq!(parse_port(&clean), Some(38793));
        assert_eq!(
            parse_port("Starting fake on http://localhost:1234"),
            Some(1234)
        );
        assert_eq!(parse_port("info: listening"), None);
    }

    #[test]
    fn strips_sequences_with_parameters() {
        assert_eq!(strip_ansi("\u{1b}[1;31mred\u{1b}[0m."), "red.");
    }
}
