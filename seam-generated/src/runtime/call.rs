//! Sending a call of an [`Endpoint`]: the JSON body, the Seam layer on the
//! shared transport loop (`shared/transport.rs`: attempts, timeouts, retries,
//! `Retry-After`), and decoding.
//!
//! Compile-time note: the only generic code per endpoint is [`Seam::call`]
//! (serialize params, then decode the response). Everything in between
//! (URL building, auth, retries, error mapping) lives in non-generic
//! functions that are compiled once.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::ser::Serialize;

use super::client::Seam;
use super::endpoint::{Endpoint, SDK_NAME, SDK_USER_AGENT, SDK_VERSION};
use super::error::{ApiError, Error, Result};
use super::shared::transport::{self, AttemptError, Failure};
use super::trace::CallTrace;

/// The headers naming the SDK, as constants: not parsed again on every attempt.
const SDK_NAME_HEADER: HeaderName = HeaderName::from_static("seam-sdk-name");
const SDK_VERSION_HEADER: HeaderName = HeaderName::from_static("seam-sdk-version");
/// Response header carrying Seam's request id.
const REQUEST_ID_HEADER: &str = "seam-request-id";

/// The future a request (or a wait for an action attempt) becomes when
/// awaited.
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// Where a call goes and whether it may be repeated: an [`Endpoint`]'s, or a raw call's.
#[derive(Debug, Clone, Copy)]
struct Target<'a> {
    method: &'a str,
    path: &'a str,
    idempotent: bool,
}

impl<'a> From<&'a Endpoint> for Target<'a> {
    fn from(e: &'a Endpoint) -> Target<'a> {
        Target {
            method: e.method,
            path: e.path,
            idempotent: e.idempotent,
        }
    }
}

/// A raw 2xx response, before decoding.
struct RawResponse {
    status: u16,
    request_id: Option<String>,
    body: Bytes,
}

impl Seam {
    /// Performs one API call: serializes `params` as the JSON body, sends it
    /// and decodes the whole response as `R`.
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
        let raw = self.send(endpoint.into(), body, query).await?;
        decode::<R>(&raw)
    }

    /// Calls an endpoint by its path, for one this version of the SDK does not have: `POST`s
    /// `body` as JSON to `path` (`"/devices/list"`) with this client's auth, headers, timeouts,
    /// retries and errors, and decodes the whole response object as `T` (`serde_json::Value`
    /// takes anything).
    ///
    /// The SDK cannot know whether an endpoint it does not have is safe to repeat, so the call is
    /// retried only where a create would be: when it cannot have reached the server (a refused
    /// connection) or the server asks (`429`).
    ///
    /// ```no_run
    /// # async fn demo(seam: &seam_connect::Seam) -> seam_connect::Result<()> {
    /// let response: serde_json::Value = seam
    ///     .request("/devices/list", &serde_json::json!({ "limit": 10 }))
    ///     .await?;
    /// println!("{}", response["devices"]);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn request<T, B>(&self, path: &str, body: &B) -> Result<T>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let body = serde_json::to_vec(body).map_err(Error::Encode)?;
        let target = Target {
            method: "POST",
            path,
            idempotent: false,
        };
        let raw = self.send(target, body, &[]).await?;
        decode::<T>(&raw)
    }

    /// Non-generic transport: sends the request through the transport loop
    /// (with retries, within the call deadline) and returns the raw 2xx
    /// response, or an error for anything else.
    async fn send(
        &self,
        target: Target<'_>,
        body: Vec<u8>,
        query: &[(&str, String)],
    ) -> Result<RawResponse> {
        let trace = CallTrace::new(target.method, target.path);
        let result = trace
            .instrument(self.send_attempts(target, body, query, &trace))
            .await;
        trace.finished(result.as_ref().err());
        result
    }

    async fn send_attempts(
        &self,
        target: Target<'_>,
        body: Vec<u8>,
        query: &[(&str, String)],
        trace: &CallTrace,
    ) -> Result<RawResponse> {
        let url = build_url(&self.shared.endpoint, target.path, query)?;
        let method = Method::from_bytes(target.method.as_bytes())
            .map_err(|_| Error::Config(format!("invalid HTTP method `{}`", target.method)))?;
        let with_body = !matches!(method, Method::GET | Method::HEAD);
        let layer = SeamLayer {
            seam: self,
            method,
            url,
            body: with_body.then(|| Bytes::from(body)),
            trace,
        };
        match transport::send(&layer, &self.options.transport, target.idempotent).await {
            Ok(reply) => Ok(RawResponse {
                status: reply.status,
                request_id: request_id(&reply.headers),
                body: reply.body,
            }),
            Err(Failure::Failed { error, .. }) => Err(error),
            Err(Failure::DeadlineCut { attempts, last }) => {
                Err(Error::call_timeout(attempts, last))
            }
            Err(Failure::DeadlineBeforeRetry { attempts, error }) => {
                // The next attempt could not even start in time.
                Err(Error::call_timeout(attempts, Some(error)))
            }
        }
    }
}

/// The Seam layer of one call on the transport loop: the SDK's headers and
/// the current credential on every attempt, Seam's errors, and the trace.
struct SeamLayer<'a> {
    seam: &'a Seam,
    method: Method,
    url: Url,
    /// The JSON body (`None` for `GET` and `HEAD`).
    body: Option<Bytes>,
    trace: &'a CallTrace,
}

impl transport::Layer for SeamLayer<'_> {
    type Error = Error;

    fn request(&self, _attempt: u32) -> Result<reqwest::RequestBuilder> {
        // Re-read on every attempt: the client session token may have been replaced.
        let auth = self.seam.auth();
        let mut request = self
            .seam
            .shared
            .http
            .request(self.method.clone(), self.url.clone())
            .header(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT))
            .header(SDK_NAME_HEADER, HeaderValue::from_static(SDK_NAME))
            .header(SDK_VERSION_HEADER, HeaderValue::from_static(SDK_VERSION));
        for (name, value) in &auth.headers {
            request = request.header(name.clone(), value.clone());
        }
        if let Some(body) = &self.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        Ok(request)
    }

    fn error(&self, failure: AttemptError) -> Error {
        match failure {
            AttemptError::Status(reply) => {
                let request_id = request_id(&reply.headers);
                ApiError::from_response(reply.status, request_id, reply.body).into()
            }
            AttemptError::Timeout(_) => Error::Timeout,
            // A timeout of a caller's own `reqwest::Client`.
            AttemptError::Transport(e) if e.is_timeout() => Error::Timeout,
            // Credentials travel in headers, never in the URL (userinfo is
            // rejected by `normalize_endpoint`), so the URL in the error leaks nothing.
            AttemptError::Transport(e) => Error::Http(e),
        }
    }

    fn attempt_ended(&self, attempt: u32, response: Option<(u16, &HeaderMap)>) {
        let request_id = response.and_then(|(_, headers)| header_str(headers, REQUEST_ID_HEADER));
        self.trace
            .attempt(attempt, response.map(|(status, _)| status), request_id);
    }

    fn retrying(&self, attempt: u32, delay: Duration, error: &Error) {
        self.trace.retrying(attempt, delay, error);
    }
}

/// The value of header `name`, if it is text.
fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `seam-request-id` of a response.
fn request_id(headers: &HeaderMap) -> Option<String> {
    header_str(headers, REQUEST_ID_HEADER).map(str::to_owned)
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

/// Decodes a 2xx body as `R`: the whole response object (the generated code takes the
/// `x-response-key` field out of it).
///
/// On failure, the error's path is read from the text at the position serde_json reports
/// ([`de::json_path`](crate::runtime::de::json_path)): a second, path-tracking decode would
/// instantiate every response type's decoding twice in users' binaries.
fn decode<R: DeserializeOwned>(raw: &RawResponse) -> Result<R> {
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &raw.body
    };
    serde_json::from_slice::<R>(body).map_err(|e| decode_error(raw, body, &e))
}

/// The error of a body that did not decode: where, and what serde said.
#[cold]
#[inline(never)]
fn decode_error(raw: &RawResponse, body: &[u8], error: &serde_json::Error) -> Error {
    Error::Decode {
        path: crate::runtime::de::json_path(body, error.line(), error.column()),
        message: error.to_string(),
        status: raw.status,
        request_id: raw.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::endpoint::NoParams;
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

    const LIST: Endpoint = Endpoint {
        method: "POST",
        path: "/devices/list",
        idempotent: true,
        response_key: Some("devices"),
        security: &["api_key"],
    };

    #[test]
    fn call_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let seam = Seam::new("seam_k").unwrap();
        let fut = seam.call::<NoParams, serde_json::Value>(&LIST, &NoParams, &[]);
        assert_send(&fut);
    }
}
