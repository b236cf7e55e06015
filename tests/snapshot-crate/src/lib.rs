//! Compiles the generator's snapshot trees (`tests/snapshots/<spec>/`), each mounted as a module with
//! the `root` it was generated for (`crate::<spec>`), so that the snapshots are known to build and
//! their models can be tested (`tests/`).
//!
//! Each snapshot module gets its own `Seam` type from [`shim!`]: the generated `api/mod.rs` adds group
//! accessors (`impl Seam { pub fn widgets(&self) .. }`) that would clash between snapshots sharing one.
//! The shim's `call` records the request and answers with a canned response ([`shim::respond_with`]).

/// The runtime module the generated code refers to as `{root}::runtime`; its folder is the generic
/// runtime's, so that `de` is the real `codegen/runtime/de.rs`.
#[path = "../../../codegen/runtime"]
pub mod runtime {
    /// The real deserialization helpers of the SDK's runtime.
    #[allow(dead_code)] // not every snapshot needs every helper
    pub mod de;

    /// The real timestamp type of the runtimes.
    mod timestamp;
    pub use timestamp::{Timestamp, TimestampError};

    /// An endpoint, as the generated functions describe it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Endpoint {
        /// HTTP method.
        pub method: &'static str,
        /// URL path.
        pub path: &'static str,
        /// Safe to retry.
        pub idempotent: bool,
        /// `x-response-key`.
        pub response_key: Option<&'static str>,
        /// Security scheme names.
        pub security: &'static [&'static str],
    }

    /// The parameters of an endpoint without a body: serializes as `{}`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct NoParams;

    impl serde::Serialize for NoParams {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            s.serialize_map(Some(0))?.end()
        }
    }
}

/// A stand-in for the hand-written client the generated code calls (`{root}::Seam`, `{root}::Result`,
/// `{root}::Request`):
/// it records each request and answers with a canned response, so that tests can check what an
/// endpoint function sends and what it returns.
pub mod shim {
    use std::cell::RefCell;
    use std::future::{Future, IntoFuture};
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use serde::Serialize;
    use serde_json::Value;

    pub use crate::runtime;

    /// What a shim call fails with.
    #[derive(Debug)]
    pub struct Error(pub String);

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    /// The result of a shim call.
    pub type Result<T> = std::result::Result<T, Error>;

    /// A request an endpoint function made.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Request {
        /// The endpoint as the generated function describes it.
        pub endpoint: runtime::Endpoint,
        /// The JSON body.
        pub body: Value,
        /// The query string pairs.
        pub query: Vec<(String, String)>,
    }

    thread_local! {
        static LAST_REQUEST: RefCell<Option<Request>> = const { RefCell::new(None) };
        static NEXT_RESPONSE: RefCell<Option<Value>> = const { RefCell::new(None) };
    }

    /// Sets the response body the next call (on this thread) gets.
    pub fn respond_with(body: Value) {
        NEXT_RESPONSE.with(|r| *r.borrow_mut() = Some(body));
    }

    /// The last request made on this thread.
    pub fn last_request() -> Option<Request> {
        LAST_REQUEST.with(|r| r.borrow().clone())
    }

    /// Records the request (serializing `params`) and returns the canned response, if any.
    pub fn call<P: Serialize + ?Sized>(
        endpoint: &runtime::Endpoint,
        params: &P,
        query: &[(&str, String)],
    ) -> Result<Value> {
        let body = serde_json::to_value(params).map_err(|e| Error(e.to_string()))?;
        let request = Request {
            endpoint: *endpoint,
            body,
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        LAST_REQUEST.with(|r| *r.borrow_mut() = Some(request));
        NEXT_RESPONSE
            .with(|r| r.borrow_mut().take())
            .ok_or_else(|| Error(format!("no response set for {}", endpoint.path)))
    }

    /// Runs a future (or a request) that never waits (every shim call is ready at once) to its end.
    pub fn block_on<F: IntoFuture>(future: F) -> F::Output {
        let mut future = pin!(future.into_future());
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("a shim call never waits"),
        }
    }
}

/// Declares a snapshot module's own `Seam` client type and brings in the shared runtime.
macro_rules! shim {
    () => {
        pub use crate::shim::Result;
        pub use runtime::request::Request;

        /// The runtime as the generated code sees it: the shared parts, and a request type of this
        /// snapshot's `Seam` (the real one's shape: `Operation`, `Request<O, V>`, `IntoFuture`).
        pub mod runtime {
            pub use crate::runtime::{de, Endpoint, NoParams, Timestamp};

            /// Requests that run when awaited, as in the SDK's runtime.
            pub mod request {
                use std::future::{Future, IntoFuture};
                use std::marker::PhantomData;
                use std::pin::Pin;

                /// What awaiting a request gives.
                pub type ResponseFuture<T> =
                    Pin<Box<dyn Future<Output = crate::shim::Result<T>> + Send + 'static>>;

                /// Not implementable outside.
                pub trait Sealed {}

                /// One endpoint as a type: a description the runtime sends by.
                pub trait Operation: Sealed + Sized + 'static {
                    /// Its parameters.
                    type Params: ::serde::Serialize + Send + Sync + 'static;
                    /// What awaiting returns.
                    type Output: Send + 'static;
                    /// The decoded response.
                    type Response: ::serde::de::DeserializeOwned + Send + 'static;
                    /// The endpoint.
                    const ENDPOINT: &'static super::Endpoint;
                    /// The query string.
                    fn query(_params: &Self::Params) -> Vec<(&'static str, String)> {
                        Vec::new()
                    }
                    /// What the response becomes.
                    fn output(response: Self::Response) -> Finish<Self::Output>;
                }

                /// What a response becomes (the snapshots start no action attempts).
                pub enum Finish<T> {
                    /// The value.
                    Done(T),
                }

                /// The one body every endpoint's future runs, as in the SDK's runtime.
                async fn run<O: Operation>(
                    client: super::super::Seam,
                    params: O::Params,
                ) -> crate::shim::Result<O::Output> {
                    let query = O::query(&params);
                    let response: O::Response = client.call(O::ENDPOINT, &params, &query).await?;
                    match O::output(response) {
                        Finish::Done(value) => Ok(value),
                    }
                }

                /// What a request returns.
                pub trait Variant: 'static {}
                /// The endpoint's value.
                #[derive(Debug)]
                pub enum Plain {}
                impl Variant for Plain {}

                /// A call: parameters, sent when awaited.
                pub struct Request<O: Operation, V: Variant = Plain> {
                    pub(crate) client: super::super::Seam,
                    pub(crate) params: O::Params,
                    _variant: PhantomData<fn() -> (O, V)>,
                }

                impl<O: Operation> Request<O> {
                    // Unused when every group of the snapshot is turned off.
                    #[allow(dead_code)]
                    pub(crate) fn new(client: &super::super::Seam, params: O::Params) -> Self {
                        Request {
                            client: client.clone(),
                            params,
                            _variant: PhantomData,
                        }
                    }

                    /// The parameters as set.
                    pub fn params(&self) -> &O::Params {
                        &self.params
                    }
                }

                impl<O: Operation> IntoFuture for Request<O> {
                    type Output = crate::shim::Result<O::Output>;
                    type IntoFuture = ResponseFuture<O::Output>;
                    fn into_future(self) -> Self::IntoFuture {
                        Box::pin(run::<O>(self.client, self.params))
                    }
                }
            }
        }

        /// This snapshot's client: the generated `api/mod.rs` adds its group accessors.
        #[derive(Debug, Clone, Default)]
        pub struct Seam(());

        impl Seam {
            /// A client (that cannot send anything).
            pub fn new() -> Self {
                Seam(())
            }

            // Unused when every group of the snapshot is turned off.
            #[allow(dead_code)]
            pub(crate) async fn call<
                P: ::serde::Serialize + ?Sized,
                R: ::serde::de::DeserializeOwned,
            >(
                &self,
                endpoint: &runtime::Endpoint,
                params: &P,
                query: &[(&str, ::std::string::String)],
            ) -> Result<R> {
                let body = crate::shim::call(endpoint, params, query)?;
                ::serde_json::from_value(body).map_err(|e| crate::shim::Error(e.to_string()))
            }
        }
    };
}

/// Mounts `tests/snapshots/<name>/` (its `models/` and `api/`) as `pub mod <name>`.
///
/// The generated `mod.rs` (not mounted) carries `#![allow(deprecated)]` for the generated code's own
/// uses of deprecated items; the module declarations here carry it instead. The files are formatted by
/// the generator, so rustfmt skips them.
macro_rules! snapshot {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        pub mod $name {
            shim!();
            #[allow(deprecated)]
            #[rustfmt::skip]
            pub mod models;
            #[allow(deprecated)]
            #[rustfmt::skip]
            pub mod api;
        }
    };
}

snapshot!(
    #[path = "../../snapshots/nullable"]
    nullable
);
snapshot!(
    #[path = "../../snapshots/deprecated"]
    deprecated
);
snapshot!(
    #[path = "../../snapshots/enums"]
    enums
);
snapshot!(
    #[path = "../../snapshots/discriminated"]
    discriminated
);
snapshot!(
    #[path = "../../snapshots/const_tags"]
    const_tags
);
snapshot!(
    #[path = "../../snapshots/plain_one_of"]
    plain_one_of
);
snapshot!(
    #[path = "../../snapshots/all_of"]
    all_of
);
snapshot!(
    #[path = "../../snapshots/additional_properties"]
    additional_properties
);
snapshot!(
    #[path = "../../snapshots/recursive"]
    recursive
);
snapshot!(
    #[path = "../../snapshots/keywords"]
    keywords
);
snapshot!(
    #[path = "../../snapshots/collisions"]
    collisions
);
snapshot!(
    #[path = "../../snapshots/groups"]
    groups
);
snapshot!(
    #[path = "../../snapshots/response_key"]
    response_key
);
snapshot!(
    #[path = "../../snapshots/features"]
    features
);
snapshot!(
    #[path = "../../snapshots/duplicate_enum_values"]
    duplicate_enum_values
);
snapshot!(
    #[path = "../../snapshots/shared_traits"]
    shared_traits
);
snapshot!(
    #[path = "../../snapshots/evolution_v1"]
    evolution_v1
);
snapshot!(
    #[path = "../../snapshots/evolution_v2"]
    evolution_v2
);
snapshot!(
    #[path = "../../snapshots/query_params"]
    query_params
);
