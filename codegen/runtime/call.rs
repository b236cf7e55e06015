//! Requests that run when awaited.
//!
//! Every endpoint function returns a [`Request`]: the required parameters are the function's
//! arguments, the optional ones chained setters, per-call settings ([`timeout`](Request::timeout),
//! [`max_retries`](Request::max_retries), ...) sit on the same value, and `.await` sends it.
//!
//! The shared logic lives here, once: the generated code only says, per endpoint, how its
//! parameters become an HTTP request and what its response becomes ([`Operation`]), and which
//! setters its request has.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use super::client::{CallSettings, Client, Response};
use super::error::Result;
use super::request::HttpRequest;

mod sealed {
    pub trait Sealed {}
}
#[doc(hidden)]
pub use sealed::Sealed;

/// One endpoint of the API, as a type: what a [`Request`] for it holds and what awaiting it
/// returns. Implemented by the generated marker types (one per endpoint, in the crate's `api`
/// module); sealed.
pub trait Operation: Sealed + Sized + 'static {
    /// The parameters: the endpoint's params struct, or [`NoParams`].
    type Params: Send + 'static;
    /// What awaiting the request returns: the decoded success body.
    type Output: Send + 'static;
    /// What the endpoint's non-2xx responses decode into ([`ApiError::body`](super::ApiError)).
    type Error: serde::de::DeserializeOwned + Send + 'static;
    /// The HTTP request of `params`.
    #[doc(hidden)]
    fn request(params: &Self::Params) -> Result<HttpRequest, Self::Error>;
    /// The value a 2xx response becomes.
    #[doc(hidden)]
    fn output(response: Response) -> Result<Self::Output, Self::Error>;
}

/// The params of an endpoint that has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoParams;

/// A call of endpoint `O`: set its optional parameters and settings, then `.await` it (or
/// [`send`](Self::send) it). Cheap to build; nothing is sent until it is awaited.
pub struct Request<O: Operation> {
    client: Client,
    pub(crate) params: O::Params,
    settings: CallSettings,
}

impl<O: Operation> Clone for Request<O>
where
    O::Params: Clone,
{
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            params: self.params.clone(),
            settings: self.settings,
        }
    }
}

impl<O: Operation> fmt::Debug for Request<O>
where
    O::Params: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("params", &self.params)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Request<O> {
    /// A request of `params` on `client` (generated endpoint functions call this).
    #[doc(hidden)]
    pub fn new(client: &Client, params: O::Params) -> Self {
        Request {
            client: client.clone(),
            params,
            settings: CallSettings::default(),
        }
    }

    /// The parameters set so far.
    pub fn params(&self) -> &O::Params {
        &self.params
    }

    /// Replaces every parameter at once (e.g. a value built from data).
    pub fn with_params(mut self, params: O::Params) -> Self {
        self.params = params;
        self
    }

    /// This call's per-attempt timeout, in place of the client's
    /// ([`ClientBuilder::timeout`](super::ClientBuilder::timeout)).
    pub fn timeout(mut self, per_attempt: Duration) -> Self {
        self.settings.timeout = Some(per_attempt);
        self
    }

    /// This call's whole-call deadline, retries and waits included, in place of the client's
    /// ([`ClientBuilder::call_timeout`](super::ClientBuilder::call_timeout)).
    pub fn call_timeout(mut self, whole_call: Duration) -> Self {
        self.settings.call_timeout = Some(whole_call);
        self
    }

    /// How many times this call may be retried (0: never), in place of the client's
    /// ([`ClientBuilder::max_retries`](super::ClientBuilder::max_retries)).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.settings.max_retries = Some(n);
        self
    }

    /// This call's settings, all at once.
    pub fn settings(mut self, settings: CallSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Sends the request: the same as `.await` on it.
    pub fn send(self) -> ResponseFuture<O::Output, O::Error> {
        Box::pin(async move {
            let request = O::request(&self.params)?;
            let response = self
                .client
                .send_with::<O::Error>(request, &self.settings)
                .await?;
            O::output(response)
        })
    }
}

/// The future a [`Request`] becomes when awaited.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'static>>;

impl<O: Operation> IntoFuture for Request<O> {
    type Output = Result<O::Output, O::Error>;
    type IntoFuture = ResponseFuture<O::Output, O::Error>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}
