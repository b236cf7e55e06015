//! The [`Seam`] client and its HTTP plumbing.
//!
//! Compile-time note: the only generic code per endpoint is [`Seam::call`]
//! (serialize params, then decode the response). Everything in between
//! (URL building, auth, retries, error mapping) lives in non-generic
//! functions that are compiled once.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::error::{ApiError, Error, Result};

/// Default API base URL.
const DEFAULT_ENDPOINT: &str = "https://connect.getseam.com";
/// Default per-attempt request timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of retries for transient failures.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// First retry delay; doubled on every further attempt.
const BASE_RETRY_DELAY: Duration = Duration::from_millis(250);
/// Never wait longer than this between attempts (a larger `Retry-After`
/// means the error is returned instead).
const MAX_RETRY_DELAY: Duration = Duration::from_secs(10);
/// SDK version sent to the API.
const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Response header carrying Seam's request id.
const REQUEST_ID_HEADER: &str = "seam-request-id";

/// Static description of one API operation, emitted by the code generator.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// HTTP method, e.g. `"POST"`.
    pub method: &'static str,
    /// Path below the API base URL, e.g. `"/devices/list"`.
    pub path: &'static str,
    /// Whether the request is safe to retry after a timeout or a 5xx.
    pub idempotent: bool,
    /// Top-level response field holding the result, e.g. `Some("devices")`
    /// (`x-response-key`); the generated function takes it out of the decoded response.
    #[allow(dead_code)]
    pub response_key: Option<&'static str>,
    /// Security scheme names accepted by the endpoint (from the spec).
    ///
    /// Not consulted yet: only API-key auth is implemented, and the server
    /// is the authority on what a credential may do.
    #[allow(dead_code)]
    pub security: &'static [&'static str],
}

/// Parameters of an endpoint without a request body; serializes as `{}`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NoParams;

impl Serialize for NoParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

/// Builder for a [`Seam`] client, obtained from [`Seam::builder`].
#[derive(Clone)]
pub struct SeamBuilder {
    api_key: Option<String>,
    endpoint: Option<String>,
    timeout: Duration,
    max_retries: u32,
}

impl Default for SeamBuilder {
    fn default() -> Self {
        SeamBuilder {
            api_key: None,
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
        }
    }
}

impl fmt::Debug for SeamBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeamBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| Redacted))
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

impl SeamBuilder {
    /// Sets the API key (sent as `Authorization: Bearer <key>`).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Sets the API base URL (default `https://connect.getseam.com`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the timeout of each HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how often transient failures are retried (default 2).
    ///
    /// Connection failures and HTTP 429 are retried for every endpoint;
    /// timeouts and HTTP 502/503/504 only for idempotent endpoints.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] if the API key is missing or empty or the
    /// endpoint is not an absolute `http(s)` URL.
    pub fn build(self) -> Result<Seam> {
        let api_key = self
            .api_key
            .ok_or_else(|| Error::Config("no API key was provided".to_owned()))?;
        let api_key = api_key.trim();
        if api_key.is_empty() {
            return Err(Error::Config("the API key is empty".to_owned()));
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {api_key}")).map_err(|_| {
            Error::Config("the API key contains characters not allowed in a header".to_owned())
        })?;
        auth.set_sensitive(true);

        let endpoint = normalize_endpoint(self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT))?;

        let mut headers = HeaderMap::new();
        headers.insert("seam-sdk-name", HeaderValue::from_static("seam-rust"));
        headers.insert("seam-sdk-version", HeaderValue::from_static(SDK_VERSION));
        let http = reqwest::Client::builder()
            .user_agent(concat!("seam-rust/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .timeout(self.timeout)
            .build()
            .map_err(|e| Error::Config(format!("failed to build HTTP client: {e}")))?;

        Ok(Seam {
            inner: Arc::new(Inner {
                http,
                endpoint,
                auth,
                timeout: self.timeout,
                max_retries: self.max_retries,
            }),
        })
    }
}

/// Checks that `raw` is an absolute http(s) URL without query or fragment
/// and returns it without trailing slashes.
fn normalize_endpoint(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("invalid endpoint URL `{trimmed}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::Config(format!(
            "endpoint URL `{trimmed}` must be an absolute http(s) URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "endpoint URL `{trimmed}` must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// A client for the Seam Connect API.
///
/// Cheap to clone (an `Arc` inside); clones share the connection pool.
#[derive(Clone)]
pub struct Seam {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Base URL without trailing slash.
    endpoint: String,
    /// `Bearer <key>`, marked sensitive.
    auth: HeaderValue,
    timeout: Duration,
    max_retries: u32,
}

/// Placeholder printed instead of secrets.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Seam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seam")
            .field("endpoint", &self.inner.endpoint)
            .field("api_key", &Redacted)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .finish()
    }
}

/// A raw 2xx response, before decoding.
struct RawResponse {
    status: u16,
    request_id: Option<String>,
    body: Bytes,
}

/// Outcome of one HTTP attempt.
enum Attempt {
    Done(RawResponse),
    /// Failed; `retry_after` is the delay to honour if retried.
    Failed {
        error: Error,
        retryable: bool,
        retry_after: Option<Duration>,
    },
}

impl Seam {
    /// Creates a client for the default endpoint with the given API key.
    pub fn new(api_key: impl Into<String>) -> Result<Seam> {
        Seam::builder().api_key(api_key).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> SeamBuilder {
        SeamBuilder::default()
    }

    /// Creates a client from the `SEAM_API_KEY` and (optional)
    /// `SEAM_ENDPOINT` environment variables.
    pub fn from_env() -> Result<Seam> {
        let api_key = std::env::var("SEAM_API_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Config("SEAM_API_KEY is not set".to_owned()))?;
        let mut builder = Seam::builder().api_key(api_key);
        if let Some(endpoint) = std::env::var("SEAM_ENDPOINT")
            .ok()
            .filter(|e| !e.trim().is_empty())
        {
            builder = builder.endpoint(endpoint);
        }
        builder.build()
    }

    /// The API base URL this client talks to (without trailing slash).
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Performs one API call: serializes `params` as the JSON body, sends it
    /// and decodes the response (or its `endpoint.response_key` field) as `R`.
    pub(crate) async fn call<P, R>(
        &self,
        endpoint: &Endpoint,
        params: &P,
        query: &[(&str, String)],
    ) -> Result<R>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let body = serde_json::to_vec(params).map_err(Error::Encode)?;
        let raw = self.send(endpoint, body, query).await?;
        decode::<R>(&raw)
    }

    /// Non-generic transport: sends the request (with retries) and returns
    /// the raw 2xx response, or an error for anything else.
    async fn send(
        &self,
        endpoint: &Endpoint,
        body: Vec<u8>,
        query: &[(&str, String)],
    ) -> Result<RawResponse> {
        let url = build_url(&self.inner.endpoint, endpoint.path, query)?;
        let method = Method::from_bytes(endpoint.method.as_bytes())
            .map_err(|_| Error::Config(format!("invalid HTTP method `{}`", endpoint.method)))?;
        let with_body = !matches!(method, Method::GET | Method::HEAD);
        let body = Bytes::from(body);

        let mut attempt: u32 = 0;
        loop {
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .header(AUTHORIZATION, self.inner.auth.clone());
            if with_body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            match execute(request, endpoint.idempotent).await {
                Attempt::Done(raw) => return Ok(raw),
                Attempt::Failed {
                    error,
                    retryable,
                    retry_after,
                } => {
                    if !retryable || attempt >= self.inner.max_retries {
                        return Err(error);
                    }
                    let delay = match retry_after {
                        Some(d) if d > MAX_RETRY_DELAY => return Err(error),
                        Some(d) => d,
                        None => backoff(attempt),
                    };
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }
}

/// Joins base URL, path and percent-encoded query pairs.
fn build_url(base: &str, path: &str, query: &[(&str, String)]) -> Result<Url> {
    let sep = if path.starts_with('/') { "" } else { "/" };
    let mut url = Url::parse(&format!("{base}{sep}{path}"))
        .map_err(|e| Error::Config(format!("invalid request URL for `{path}`: {e}")))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    Ok(url)
}

/// Delay before retry number `attempt + 1`: exponential with a little jitter.
fn backoff(attempt: u32) -> Duration {
    let exp = BASE_RETRY_DELAY.saturating_mul(1u32 << attempt.min(6));
    let jitter_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos() % 100))
        .unwrap_or(0);
    exp.saturating_add(Duration::from_millis(jitter_ms))
        .min(MAX_RETRY_DELAY)
}

/// Maps a transport error; says whether retrying is safe.
fn transport_error(e: reqwest::Error, idempotent: bool) -> Attempt {
    let retryable =
        e.is_connect() || (idempotent && (e.is_timeout() || e.is_request() || e.is_body()));
    let error = if e.is_timeout() {
        Error::Timeout
    } else {
        // The API key travels in a header, never in the URL, so keeping the
        // URL in the error leaks nothing.
        Error::Http(e)
    };
    Attempt::Failed {
        error,
        retryable,
        retry_after: None,
    }
}

/// Performs one HTTP attempt and classifies the result.
async fn execute(request: reqwest::RequestBuilder, idempotent: bool) -> Attempt {
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return transport_error(e, idempotent),
    };
    let status = response.status();
    let headers = response.headers();
    let request_id = headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return transport_error(e, idempotent),
    };
    if status.is_success() {
        return Attempt::Done(RawResponse {
            status: status.as_u16(),
            request_id,
            body,
        });
    }
    let retryable = status == StatusCode::TOO_MANY_REQUESTS
        || (idempotent
            && matches!(
                status,
                StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ));
    Attempt::Failed {
        error: ApiError::from_response(status.as_u16(), request_id, &body).into(),
        retryable,
        retry_after,
    }
}

/// Decodes a 2xx body as `R`: the whole response object (the generated code takes the
/// `x-response-key` field out of it).
///
/// Fast path: plain `serde_json`. Only on failure is the body decoded again
/// with `serde_path_to_error` to report where it went wrong.
fn decode<R: DeserializeOwned>(raw: &RawResponse) -> Result<R> {
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &raw.body
    };
    match serde_json::from_slice::<R>(body) {
        Ok(v) => Ok(v),
        Err(e) => Err(decode_error::<R>(raw, body, e)),
    }
}

/// Slow path of [`decode`]: re-decodes with path tracking to build the error.
#[cold]
#[inline(never)]
fn decode_error<R: DeserializeOwned>(
    raw: &RawResponse,
    body: &[u8],
    fast_error: serde_json::Error,
) -> Error {
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    let (path, message) = match R::deserialize(tracked).map(drop) {
        Err(e) => (track.path().to_string(), e.to_string()),
        // e.g. trailing characters: only the fast path checks for them.
        Ok(()) => (".".to_owned(), fast_error.to_string()),
    };
    Error::Decode {
        path,
        message,
        status: raw.status,
        request_id: raw.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn raw(body: &str) -> RawResponse {
        RawResponse {
            status: 200,
            request_id: Some("req_42".into()),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Device {
        device_id: String,
        device_type: String,
    }

    #[test]
    fn no_params_serializes_as_empty_object() {
        assert_eq!(serde_json::to_string(&NoParams).unwrap(), "{}");
    }

    #[test]
    fn debug_redacts_api_key() {
        let seam = Seam::new("seam_test_SECRET_token").unwrap();
        let dbg = format!("{seam:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
        assert!(dbg.contains("<redacted>"));
        assert!(dbg.contains("https://connect.getseam.com"));
        let builder = Seam::builder().api_key("seam_test_SECRET_token");
        let dbg = format!("{builder:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
        assert!(format!("{:?}", seam.inner.auth).contains("Sensitive"));
    }

    #[test]
    fn builder_validates_config() {
        assert!(matches!(Seam::builder().build(), Err(Error::Config(_))));
        assert!(matches!(Seam::new("  "), Err(Error::Config(_))));
        let err = Seam::new("seam_bad\nSECRET").unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(!err.to_string().contains("SECRET"));
        for bad in [
            "not a url",
            "ftp://x.example",
            "https://x.example/?a=b",
            "/relative",
        ] {
            let r = Seam::builder().api_key("k").endpoint(bad).build();
            assert!(matches!(r, Err(Error::Config(_))), "{bad}");
        }
        let seam = Seam::builder()
            .api_key("k")
            .endpoint("http://localhost:3020/api/")
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        assert_eq!(seam.endpoint(), "http://localhost:3020/api");
    }

    #[test]
    fn url_building() {
        let url = build_url("https://connect.getseam.com", "/devices/list", &[]).unwrap();
        assert_eq!(url.as_str(), "https://connect.getseam.com/devices/list");
        let url = build_url(
            "http://localhost:1/api",
            "devices/get",
            &[("device_id", "a b&c=d/é".to_owned()), ("x", "1".to_owned())],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://localhost:1/api/devices/get?device_id=a+b%26c%3Dd%2F%C3%A9&x=1"
        );
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct DevicesResponse {
        devices: Vec<Device>,
    }

    #[test]
    fn decode_whole_response() {
        let body = r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"august_lock","extra":1}],"pagination":{}}"#;
        let response: DevicesResponse = decode(&raw(body)).unwrap();
        assert_eq!(response.devices.len(), 1);
        assert_eq!(response.devices[0].device_type, "august_lock");
        // A body missing the response key names it.
        let err = decode::<DevicesResponse>(&raw(r#"{"ok":true}"#)).unwrap_err();
        assert!(err.to_string().contains("missing field `devices`"), "{err}");
        // An empty body counts as `{}`.
        let v: serde_json::Value = decode(&raw("")).unwrap();
        assert_eq!(v, serde_json::json!({}));
    }

    #[test]
    fn decode_error_reports_path() {
        let body = r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"a"},{"device_id":"d2","device_type":7}]}"#;
        let err = decode::<DevicesResponse>(&raw(body)).unwrap_err();
        match err {
            Error::Decode {
                path,
                message,
                status,
                request_id,
            } => {
                assert_eq!(path, "devices[1].device_type");
                assert!(message.contains("invalid type"), "{message}");
                assert_eq!(status, 200);
                assert_eq!(request_id.as_deref(), Some("req_42"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = decode::<DevicesResponse>(&raw("1")).unwrap_err();
        assert!(
            matches!(err, Error::Decode { ref path, ref message, .. } if path == "." && message.contains("expected struct DevicesResponse")),
            "{err:?}"
        );
        let err = decode::<serde_json::Value>(&raw("{} x")).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    /// Minimal blocking HTTP/1.1 server answering each connection with the
    /// next canned response; returns the base URL and the received requests.
    fn serve(
        responses: Vec<(&'static str, &'static str)>,
    ) -> (String, std::sync::mpsc::Receiver<String>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (head, body) in responses {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&buf).to_string());
                if head == "HANG" {
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                }
                let response = format!(
                    "{head}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        (base, rx)
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    const LIST: Endpoint = Endpoint {
        method: "POST",
        path: "/devices/list",
        idempotent: true,
        response_key: Some("devices"),
        security: &["api_key"],
    };

    #[test]
    fn end_to_end_success_headers_and_body() {
        let (base, rx) = serve(vec![(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json",
            r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"august_lock"}]}"#,
        )]);
        let seam = Seam::builder()
            .api_key("seam_key_1")
            .endpoint(base)
            .build()
            .unwrap();
        let response: DevicesResponse = block_on(seam.call(
            &LIST,
            &serde_json::json!({"limit": 5}),
            &[("q", "a b".to_owned())],
        ))
        .unwrap();
        assert_eq!(response.devices[0].device_id, "d1");
        let req = rx.recv().unwrap().to_ascii_lowercase();
        assert!(
            req.starts_with("post /devices/list?q=a+b http/1.1"),
            "{req}"
        );
        assert!(req.contains("authorization: bearer seam_key_1"), "{req}");
        assert!(req.contains("content-type: application/json"));
        assert!(req.contains("seam-sdk-name: seam-rust"));
        assert!(req.contains(&format!("seam-sdk-version: {SDK_VERSION}")));
        assert!(req.contains(&format!("user-agent: seam-rust/{SDK_VERSION}")));
        assert!(req.ends_with("{\"limit\":5}"), "{req}");
    }

    #[test]
    fn end_to_end_api_error_and_retry() {
        let (base, rx) = serve(vec![
            ("HTTP/1.1 503 Service Unavailable\r\nretry-after: 0", "oops"),
            (
                "HTTP/1.1 404 Not Found\r\nseam-request-id: req_9",
                r#"{"error":{"type":"device_not_found","message":"Not found"}}"#,
            ),
        ]);
        let seam = Seam::builder()
            .api_key("seam_key_1")
            .endpoint(base)
            .build()
            .unwrap();
        let err = block_on(seam.call::<_, Vec<Device>>(&LIST, &NoParams, &[])).unwrap_err();
        assert_eq!(rx.iter().count(), 2);
        assert!(err.is_not_found());
        assert_eq!(err.error_type(), Some("device_not_found"));
        assert_eq!(err.request_id(), Some("req_9"));
        assert!(!err.to_string().contains("seam_key_1"));
    }

    #[test]
    fn end_to_end_timeout() {
        let (base, _rx) = serve(vec![("HANG", "")]);
        let seam = Seam::builder()
            .api_key("k")
            .endpoint(base)
            .timeout(Duration::from_millis(200))
            .max_retries(0)
            .build()
            .unwrap();
        let err = block_on(seam.call::<_, serde_json::Value>(&LIST, &NoParams, &[])).unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
    }

    #[test]
    fn call_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let seam = Seam::new("k").unwrap();
        let fut = seam.call::<NoParams, serde_json::Value>(&LIST, &NoParams, &[]);
        assert_send(&fut);
    }
}
