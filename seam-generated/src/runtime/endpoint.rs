//! What the generated code says of each endpoint ([`Endpoint`], [`NoParams`]),
//! and what the SDK says of itself on every request (name, version, user
//! agent). The lowest part of the runtime: it uses none of the others.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// SDK name sent to the API (`seam-sdk-name`).
pub(super) const SDK_NAME: &str = "seam-rust";
/// SDK version sent to the API (`seam-sdk-version`).
pub(super) const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// `User-Agent` of every request.
pub(super) const SDK_USER_AGENT: &str = concat!("seam-rust/", env!("CARGO_PKG_VERSION"));

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
    /// Not consulted: the server is the authority on what a credential may do.
    #[allow(dead_code)]
    pub security: &'static [&'static str],
}

/// Parameters of an endpoint without a request body; serializes as `{}`.
#[allow(dead_code)] // not every feature set has such an endpoint
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NoParams;

impl Serialize for NoParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_params_serializes_as_empty_object() {
        assert_eq!(serde_json::to_string(&NoParams).unwrap(), "{}");
    }
}
