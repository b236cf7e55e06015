//! Requests that run when awaited.
//!
//! Every endpoint function returns a [`Request`]: required parameters are the
//! function's arguments, optional ones are chained setters, per-call settings
//! ([`timeout`](Request::timeout), [`wait_for_action_attempt`](Request::wait_for_action_attempt),
//! ...) sit on the same value, and `.await` sends it:
//!
//! ```no_run
//! # async fn demo(seam: &seam_connect::Seam) -> seam_connect::Result<()> {
//! let code = seam
//!     .access_codes()
//!     .create("device_id")
//!     .name("Guest")
//!     .code("4444")
//!     .await?;
//! # let _ = code;
//! # Ok(())
//! # }
//! ```
//!
//! The shared logic lives here, once; the generated code only says, per
//! endpoint, what its parameters and result are ([`Operation`]), which
//! setters it has, and whether it pages ([`Paginated`]) or starts an action
//! attempt ([`StartsActionAttempt`]).

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

#[cfg(feature = "action_attempts")]
pub use super::action_attempt::WaitForActionAttempt;
pub use super::call::ResponseFuture;
use super::client::Seam;
use super::endpoint::Endpoint;
pub use super::endpoint::NoParams;
use super::error::Result;
use super::options::CallOptions;
use crate::generated::contract::Pagination;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// One endpoint of the API, as a type: what a [`Request`] for it holds and
/// what awaiting it returns. Implemented by the generated marker types
/// (`seam_connect::api::access_codes::AccessCodesCreate`, ...); sealed.
///
/// The generated code only *describes* the endpoint (its path, its response
/// type, what to take out of the response); sending, decoding and waiting are
/// this module's generic code, compiled where a caller uses the endpoint.
pub trait Operation: Sealed + Sized + 'static {
    /// The parameters (`AccessCodesCreateParams`).
    type Params: serde::Serialize + Send + Sync + 'static;
    /// What awaiting the request returns (the response's `x-response-key` value).
    type Output: Send + 'static;
    /// The decoded response.
    #[doc(hidden)]
    type Response: serde::de::DeserializeOwned + Send + 'static;
    /// The endpoint.
    #[doc(hidden)]
    const ENDPOINT: &'static Endpoint;
    /// The query string (most endpoints send everything in the body).
    #[doc(hidden)]
    fn query(_params: &Self::Params) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// What the response becomes: the value awaiting returns, or an action
    /// attempt to finish first.
    #[doc(hidden)]
    fn output(response: Self::Response) -> Finish<Self::Output>;
}

/// What an endpoint's decoded response becomes (see [`Operation::output`]).
#[doc(hidden)]
// Made once per call and taken apart at once: boxing the attempt would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Finish<T> {
    /// The value to return.
    Done(T),
    /// An action attempt to finish first (unless waiting is turned off), and
    /// what to return with the finished attempt.
    #[cfg(feature = "action_attempts")]
    AfterActionAttempt(
        crate::generated::contract::ActionAttempt,
        Box<dyn FnOnce(crate::generated::contract::ActionAttempt) -> T + Send>,
    ),
}

/// An endpoint that starts an action attempt (`locks().unlock_door`,
/// `access_codes().delete`, ...) and returns something else besides it:
/// [`Request::with_action_attempt`] returns both.
pub trait StartsActionAttempt: Operation {
    /// The endpoint's value and the action attempt (or the attempt alone when
    /// the endpoint returns nothing else).
    type WithActionAttempt: Send + 'static;
    /// What the response becomes when the action attempt is returned too.
    #[doc(hidden)]
    fn output_with_action_attempt(response: Self::Response) -> Finish<Self::WithActionAttempt>;
}

/// A paginated list endpoint: [`Request::pages`] walks it page by page.
pub trait Paginated: Operation<Params: Clone> {
    /// One listed item.
    type Item: Send;
    /// Stores the cursor of the next page in the params.
    #[doc(hidden)]
    fn set_cursor(params: &mut Self::Params, cursor: String);
    /// Takes the items and the pagination info out of a response.
    #[doc(hidden)]
    fn split(response: Self::Response) -> (Vec<Self::Item>, Pagination);
}

/// Sends one call of `O` and turns the response into `T` with `output`: the
/// one body every endpoint's future runs.
async fn run<O: Operation, T>(
    client: Seam,
    params: O::Params,
    output: fn(O::Response) -> Finish<T>,
) -> Result<T> {
    let query = O::query(&params);
    // The call timeout bounds the action-attempt wait too.
    #[cfg(feature = "action_attempts")]
    let call_deadline = client.call_deadline();
    let response: O::Response = client.call(O::ENDPOINT, &params, &query).await?;
    match output(response) {
        Finish::Done(value) => Ok(value),
        #[cfg(feature = "action_attempts")]
        Finish::AfterActionAttempt(attempt, then) => Ok(then(
            client.finish_action_attempt(attempt, call_deadline).await?,
        )),
    }
}

/// What a [`Request`] returns when awaited: the endpoint's value ([`Plain`],
/// the default) or the value with the action attempt ([`WithActionAttempt`]).
pub trait Variant: Sealed + 'static {}

/// The default [`Variant`]: awaiting returns the endpoint's value.
#[derive(Debug, Clone, Copy)]
pub enum Plain {}
/// The [`Variant`] of [`Request::with_action_attempt`].
#[derive(Debug, Clone, Copy)]
pub enum WithActionAttempt {}
impl Sealed for Plain {}
impl Sealed for WithActionAttempt {}
impl Variant for Plain {}
impl Variant for WithActionAttempt {}

/// A call of one endpoint: parameters and per-call settings, sent when awaited
/// (or with [`send`](Request::send)).
///
/// Obtained from an endpoint function (`seam.devices().list()`); the setters of
/// the endpoint's optional parameters are listed with the endpoint's params
/// type and here, under its `impl` block. Cloning a request clones its
/// parameters; both can be sent.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<O: Operation, V: Variant = Plain> {
    pub(crate) client: Seam,
    pub(crate) params: O::Params,
    _variant: PhantomData<fn() -> (O, V)>,
}

impl<O: Operation> Request<O> {
    /// Called by the generated endpoint functions.
    #[allow(
        dead_code,
        reason = "a build without any group feature has no endpoint function to call it"
    )]
    pub(crate) fn new(client: &Seam, params: O::Params) -> Self {
        Request {
            client: client.clone(),
            params,
            _variant: PhantomData,
        }
    }
}

impl<O: Operation, V: Variant> Request<O, V> {
    /// This call's [`timeout`](CallOptions::timeout()) of each HTTP attempt.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().timeout(timeout))
    }

    /// This call's [`call_timeout`](CallOptions::call_timeout()): a deadline
    /// for all its attempts and retry delays.
    pub fn call_timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().call_timeout(timeout))
    }

    /// This call's [`max_retries`](CallOptions::max_retries()) of transient
    /// failures.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.options(CallOptions::new().max_retries(max_retries))
    }

    /// Whether this call waits for the action attempt it returns
    /// ([`wait_for_action_attempt`](CallOptions::wait_for_action_attempt());
    /// default: the client's setting, `true` unless changed).
    pub fn wait_for_action_attempt(self, wait: bool) -> Self {
        self.options(CallOptions::new().wait_for_action_attempt(wait))
    }

    /// How long this call waits for its action attempt
    /// ([`action_attempt_timeout`](CallOptions::action_attempt_timeout())).
    pub fn action_attempt_timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().action_attempt_timeout(timeout))
    }

    /// Any of the per-call settings at once ([`CallOptions`]); `None` fields
    /// keep the current value.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.client.options = self.client.options.apply(&options);
        self
    }

    /// The parameters as set so far.
    pub fn params(&self) -> &O::Params {
        &self.params
    }

    /// The parameters, to change in place (e.g. from data, field by field).
    pub fn params_mut(&mut self) -> &mut O::Params {
        &mut self.params
    }

    /// The parameters, without sending anything.
    pub fn into_params(self) -> O::Params {
        self.params
    }
}

impl<O: StartsActionAttempt> Request<O> {
    /// Returns the action attempt the call starts with the endpoint's value:
    /// finished, unless waiting is turned off
    /// ([`wait_for_action_attempt(false)`](Request::wait_for_action_attempt)).
    pub fn with_action_attempt(self) -> Request<O, WithActionAttempt> {
        Request {
            client: self.client,
            params: self.params,
            _variant: PhantomData,
        }
    }
}

impl<O: Operation> Request<O> {
    /// Sends the request; the same as awaiting it.
    pub fn send(self) -> ResponseFuture<O::Output> {
        Box::pin(run::<O, O::Output>(self.client, self.params, O::output))
    }
}

impl<O: StartsActionAttempt> Request<O, WithActionAttempt> {
    /// Sends the request; the same as awaiting it.
    pub fn send(self) -> ResponseFuture<O::WithActionAttempt> {
        Box::pin(run::<O, O::WithActionAttempt>(
            self.client,
            self.params,
            O::output_with_action_attempt,
        ))
    }
}

impl<O: Operation> IntoFuture for Request<O> {
    type Output = Result<O::Output>;
    type IntoFuture = ResponseFuture<O::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<O: StartsActionAttempt> IntoFuture for Request<O, WithActionAttempt> {
    type Output = Result<O::WithActionAttempt>;
    type IntoFuture = ResponseFuture<O::WithActionAttempt>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<O: Operation, V: Variant> Clone for Request<O, V>
where
    O::Params: Clone,
{
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            params: self.params.clone(),
            _variant: PhantomData,
        }
    }
}

impl<O: Operation, V: Variant> fmt::Debug for Request<O, V>
where
    O::Params: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = O::ENDPOINT;
        f.debug_struct("Request")
            .field(
                "endpoint",
                &format_args!("{} {}", endpoint.method, endpoint.path),
            )
            .field("params", &self.params)
            .field("options", &self.client.options)
            .finish_non_exhaustive()
    }
}
