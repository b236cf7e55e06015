//! Emulates a standalone generated crate around the generic runtime (`codegen/runtime/`), so that
//! the runtime is built, linted and tested here exactly as it is in generated crates: the runtime
//! mounted at `runtime`, and the two items it reads from the crate root.

#[path = "../../../codegen/runtime/mod.rs"]
pub mod runtime;

pub use runtime::{ApiError, Client, ClientBuilder, Error, Result};

/// The spec's first server; empty as in a spec without `servers` (tests set the base URL).
pub const DEFAULT_BASE_URL: &str = "";

/// One scheme of every kind, as the generator emits them from `components.securitySchemes`.
pub(crate) static SECURITY_SCHEMES: &[runtime::SecurityScheme] = &[
    runtime::SecurityScheme {
        name: "bearerAuth",
        kind: runtime::SchemeKind::Bearer,
    },
    runtime::SecurityScheme {
        name: "basic",
        kind: runtime::SchemeKind::Basic,
    },
    runtime::SecurityScheme {
        name: "key_header",
        kind: runtime::SchemeKind::ApiKey {
            location: runtime::ApiKeyLocation::Header,
            param: "X-API-Key",
        },
    },
    runtime::SecurityScheme {
        name: "key_query",
        kind: runtime::SchemeKind::ApiKey {
            location: runtime::ApiKeyLocation::Query,
            param: "api_key",
        },
    },
    runtime::SecurityScheme {
        name: "key_cookie",
        kind: runtime::SchemeKind::ApiKey {
            location: runtime::ApiKeyLocation::Cookie,
            param: "session",
        },
    },
];
