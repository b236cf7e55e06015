//! Lowering of the document-level parts the generated crate needs beside its types and
//! operations: the security schemes and the base URL.

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{push_segment, Warning};
use crate::ir::{ParamLocation, SchemeKind};

/// The spec's security schemes, as the generic runtime applies them.
pub(super) fn security_schemes(
    spec: &OpenAPI,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, SchemeKind)> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for (name, scheme) in &components.security_schemes {
        let pointer = push_segment("#/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            warnings.push(Warning {
                pointer,
                message: "a `$ref` security scheme is not followed; the client sends no credentials for it".into(),
            });
            continue;
        };
        let kind = match scheme {
            openapiv3::SecurityScheme::APIKey { location, name, .. } => SchemeKind::ApiKey {
                location: match location {
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                },
                name: name.clone(),
            },
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("basic") =>
            {
                SchemeKind::Basic
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                SchemeKind::Bearer
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                warnings.push(Warning {
                    pointer,
                    message: format!(
                        "HTTP auth scheme `{scheme}` is not supported; the client sends a bearer token for it"
                    ),
                });
                SchemeKind::Bearer
            }
            // The user obtains the access token; the client sends it as a bearer token.
            openapiv3::SecurityScheme::OAuth2 { .. }
            | openapiv3::SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
        };
        out.push((name.clone(), kind));
    }
    out
}

/// The first server's URL with its variables at their defaults.
pub(super) fn server_url(spec: &OpenAPI) -> Option<String> {
    let server = spec.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    Some(url.trim_end_matches('/').to_string())
}
