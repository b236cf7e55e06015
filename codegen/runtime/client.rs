//! The client: base URL, credentials and settings around one `reqwest::Client`; sending, retries and
//! timeouts are the transport loop's (`transport.rs`).

use super::auth::{Credentials, Secret};
use super::error::{ApiError, Error, Result, TimeoutKind};
use super::request::HttpRequest;
use super::transport::{self, AttemptError, Failure, Policy, Reply};
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// `User-Agent` of the client's own `reqwest::Client`: the generated crate's name and version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The API client: cheap to clone (shared state behind an `Arc`); `Debug` shows no credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    credentials: Credentials,
    /// Timeouts and retries.
    policy: Policy,
    /// The HTTP client, or why it could not be created (reported by every call).
    http: std::result::Result<reqwest::Client, String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("credentials", &i.credentials)
            .field("timeout", &i.policy.attempt_timeout)
            .field("call_timeout", &i.policy.call_timeout)
            .field("retry", &i.policy.retry)
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client for [`DEFAULT_BASE_URL`](super::super::DEFAULT_BASE_URL) with no credentials, a 30 s
    /// per-attempt timeout, no whole-call deadline and 2 retries.
    pub fn new() -> Client {
        Client::builder().build()
    }

    /// A builder, to set the base URL, credentials, timeouts or retries.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Runs one request: base URL + path + query, credentials for the first alternative of the
    /// request's security whose schemes all have credentials, retries (see
    /// [`HttpRequest::idempotent`]; `Retry-After` in seconds or as an HTTP date honoured up to 10 s),
    /// the per-attempt timeout and the whole-call deadline (the transport loop, `transport.rs`). A
    /// non-2xx answer is `Err(Error::Api(..))` with the body decoded as `E` when it is JSON of that
    /// shape (else `body()` is `None`; the raw text is kept).
    pub async fn send<E: serde::de::DeserializeOwned>(
        &self,
        req: HttpRequest,
    ) -> Result<Response, E> {
        self.send_with(req, &CallSettings::default()).await
    }

    /// [`send`](Self::send) with this call's own settings in place of the client's where set.
    pub async fn send_with<E: serde::de::DeserializeOwned>(
        &self,
        req: HttpRequest,
        settings: &CallSettings,
    ) -> Result<Response, E> {
        let inner = &*self.inner;
        let http = inner.http.as_ref().map_err(|e| Error::Request(e.clone()))?;
        let sender = Sender {
            http,
            prepared: self.prepare(&req)?,
            _error_model: PhantomData,
        };
        let mut policy = inner.policy;
        if let Some(t) = settings.timeout {
            policy.attempt_timeout = t;
        }
        if let Some(t) = settings.call_timeout {
            policy.call_timeout = Some(t);
        }
        if let Some(n) = settings.max_retries {
            policy.retry.max_retries = n;
        }
        match transport::send(&sender, &policy, req.idempotent).await {
            Ok(reply) => Ok(Response {
                status: reply.status,
                headers: reply.headers,
                body: reply.body,
            }),
            Err(Failure::Failed { error, .. } | Failure::DeadlineBeforeRetry { error, .. }) => {
                Err(error)
            }
            Err(Failure::DeadlineCut { .. }) => Err(Error::Timeout {
                kind: TimeoutKind::Call,
                after: policy.call_timeout.unwrap_or(policy.attempt_timeout),
            }),
        }
    }

    /// The URL, headers and body of `req` with credentials added.
    fn prepare<E>(&self, req: &HttpRequest) -> Result<Prepared, E> {
        let inner = &*self.inner;
        if let Some(start) = req.path.find('{') {
            let name: String = req.path[start..]
                .chars()
                .take_while(|c| *c != '}')
                .collect();
            return Err(Error::Request(format!(
                "path parameter {name}}} of `{}` was not set",
                req.path
            )));
        }
        let applied = inner
            .credentials
            .apply(super::super::SECURITY_SCHEMES, req.security);
        let mut url = format!("{}{}", inner.base_url, req.path);
        let query: Vec<&str> = req
            .query
            .iter()
            .chain(&applied.query)
            .map(String::as_str)
            .collect();
        if !query.is_empty() {
            url.push(if req.path.contains('?') { '&' } else { '?' });
            url.push_str(&query.join("&"));
        }
        let url = reqwest::Url::parse(&url).map_err(|e| {
            // The URL may hold an API key: name only the base URL and path.
            Error::Request(format!(
                "invalid URL `{}{}` ({e}); set the base URL with ClientBuilder::base_url",
                inner.base_url, req.path
            ))
        })?;
        let mut headers = HeaderMap::new();
        let sensitive = applied.headers.iter().map(|h| (h, true));
        for ((name, value), secret) in req.headers.iter().map(|h| (h, false)).chain(sensitive) {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Request(format!("invalid header name `{name}`")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::Request(format!("header `{name}` has a value a header cannot hold"))
            })?;
            value.set_sensitive(secret);
            headers.append(name, value);
        }
        let cookies: Vec<&str> = req
            .cookies
            .iter()
            .chain(&applied.cookies)
            .map(String::as_str)
            .collect();
        if !cookies.is_empty() {
            let mut value = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|_| Error::Request("a cookie cannot be sent".into()))?;
            value.set_sensitive(!applied.cookies.is_empty());
            headers.append(reqwest::header::COOKIE, value);
        }
        let body = match &req.body {
            Some(b) => {
                let ct = HeaderValue::from_str(&b.content_type).map_err(|_| {
                    Error::Request(format!("invalid content type `{}`", b.content_type))
                })?;
                headers.insert(reqwest::header::CONTENT_TYPE, ct);
                Some(b.data.clone())
            }
            None => None,
        };
        Ok(Prepared {
            method: req.method.to_reqwest(),
            url,
            headers,
            body,
        })
    }
}

/// A request ready to send, as often as retries need.
struct Prepared {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

/// The generic client's side of the transport loop: the same prepared request every attempt, and
/// the errors of [`Error`].
struct Sender<'a, E> {
    http: &'a reqwest::Client,
    prepared: Prepared,
    _error_model: PhantomData<fn() -> E>,
}

impl<E: serde::de::DeserializeOwned> transport::Layer for Sender<'_, E> {
    type Error = Error<E>;

    fn request(&self, _attempt: u32) -> std::result::Result<reqwest::RequestBuilder, Error<E>> {
        let p = &self.prepared;
        let mut builder = self
            .http
            .request(p.method.clone(), p.url.clone())
            .headers(p.headers.clone());
        if let Some(body) = &p.body {
            builder = builder.body(body.clone());
        }
        Ok(builder)
    }

    fn error(&self, failure: AttemptError) -> Error<E> {
        match failure {
            AttemptError::Status(reply) => Error::Api(api_error::<E>(reply)),
            AttemptError::Timeout(after) => Error::Timeout {
                kind: TimeoutKind::Attempt,
                after,
            },
            AttemptError::Transport(e) => Error::Transport(e.without_url()),
        }
    }
}

/// The [`ApiError`] of a non-2xx response.
fn api_error<E: serde::de::DeserializeOwned>(reply: Reply) -> ApiError<E> {
    ApiError {
        status: reply.status,
        body: serde_json::from_slice(&reply.body).ok(),
        raw: String::from_utf8_lossy(&reply.body).into_owned(),
        headers: reply.headers,
    }
}

/// A 2xx response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the JSON body as `T`; [`Error::Decode`] (with the status and serde's message, which
    /// says where) when it does not match.
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, E> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: self.status,
            message: e.to_string(),
        })
    }

    /// The body as text; [`Error::Decode`] when it is not UTF-8.
    pub fn text<E>(self) -> Result<String, E> {
        String::from_utf8(self.body.to_vec()).map_err(|e| Error::Decode {
            status: self.status,
            message: format!("the body is not UTF-8: {e}"),
        })
    }

    /// The body's bytes.
    pub fn bytes(self) -> Bytes {
        self.body
    }
}

/// The settings one call may set for itself ([`Request::timeout`](super::Request::timeout),
/// ...); those left `None` are the client's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallSettings {
    /// The per-attempt timeout ([`ClientBuilder::timeout`]).
    pub timeout: Option<Duration>,
    /// The whole-call deadline ([`ClientBuilder::call_timeout`]).
    pub call_timeout: Option<Duration>,
    /// How many times the call may be retried ([`ClientBuilder::max_retries`]).
    pub max_retries: Option<u32>,
}

/// Builds a [`Client`]; `Debug` shows no credentials.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Credentials,
    /// Timeouts and retries; defaults: `Policy::default()` (`transport.rs`).
    policy: Policy,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.policy.attempt_timeout)
            .field("call_timeout", &self.policy.call_timeout)
            .field("retry", &self.policy.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The base URL (default [`DEFAULT_BASE_URL`](super::super::DEFAULT_BASE_URL)); a trailing `/` is
    /// dropped. Not checked here: an invalid URL makes every call fail with [`Error::Request`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token of every bearer scheme (also OAuth 2 / OpenID Connect access tokens), unless
    /// [`api_key`](Self::api_key) gave that scheme one of its own.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(Secret(token.into()));
        self
    }

    /// User and password of every HTTP Basic scheme.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((Secret(user.into()), Secret(password.into())));
        self
    }

    /// The credential of the scheme named `scheme_name` in the spec: an API key, or the token of one
    /// particular bearer scheme.
    pub fn api_key(mut self, scheme_name: &str, value: impl Into<String>) -> Self {
        self.credentials
            .by_scheme
            .push((scheme_name.to_owned(), Secret(value.into())));
        self
    }

    /// The per-attempt timeout, from sending to the end of the body (default 30 s).
    pub fn timeout(mut self, per_attempt: Duration) -> Self {
        self.policy.attempt_timeout = per_attempt;
        self
    }

    /// A deadline for the whole call, retries and waits included (default none).
    pub fn call_timeout(mut self, whole_call: Duration) -> Self {
        self.policy.call_timeout = Some(whole_call);
        self
    }

    /// How many times a failed request may be retried (default 2; 0 disables retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.policy.retry.max_retries = n;
        self
    }

    /// The delay before the first retry, doubled for every further one (default 250 ms; up to
    /// 100 ms of jitter is added to every delay).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.policy.retry.base_delay = delay;
        self
    }

    /// The `reqwest::Client` to send with (its own settings, such as proxies, apply). Default: a new
    /// one with `User-Agent: <crate>/<version>`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client. Never fails: an invalid base URL, or an HTTP client that cannot be created, is
    /// reported by every call as [`Error::Request`].
    pub fn build(self) -> Client {
        let http = match self.http {
            Some(c) => Ok(c),
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .build()
                .map_err(|e| format!("cannot create the HTTP client: {e}")),
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| super::super::DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        Client {
            inner: Arc::new(Inner {
                base_url,
                credentials: self.credentials,
                policy: self.policy,
                http,
            }),
        }
    }
}
