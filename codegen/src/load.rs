//! Loading a spec: YAML or JSON text → `serde_json::Value` → repairs of known defects → `openapiv3`.

use std::path::Path;

use serde_json::Value;

use crate::error::{push_segment, Error, ErrorKind, Warning};

/// The text format of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// Chooses the format from a file name's extension.
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Ok(Format::Yaml),
            Some("json") => Ok(Format::Json),
            _ => Err(Error::new(
                ErrorKind::Io,
                "#",
                format!(
                    "cannot tell the format of {}: expected a file ending in .yaml, .yml or .json",
                    path.display()
                ),
            )),
        }
    }
}

/// A parsed spec with the warnings its repairs produced.
#[derive(Debug)]
pub struct Loaded {
    /// The typed document.
    pub spec: openapiv3::OpenAPI,
    /// The raw document (after repairs), for extensions and pointers.
    pub raw: Value,
    /// Defects found and worked around.
    pub warnings: Vec<Warning>,
}

/// Reads and parses a spec file.
pub fn load_file(path: &Path) -> Result<Loaded, Error> {
    let format = Format::from_path(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            "#",
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    load_str(&text, format)
}

/// Parses spec text only as far as a generic JSON value (the parse floor, for benchmarks).
pub fn parse_value(text: &str, format: Format) -> Result<Value, Error> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "#", format!("malformed JSON: {e}"));
            err.location = Some((e.line(), e.column()));
            err
        }),
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "#", format!("malformed YAML: {e}"));
            err.location = e.location().map(|l| (l.line(), l.column()));
            err
        }),
    }
}

/// Parses spec text.
pub fn load_str(text: &str, format: Format) -> Result<Loaded, Error> {
    let mut raw = parse_value(text, format)?;
    if !raw.is_object() {
        return Err(Error::new(
            ErrorKind::Schema,
            "#",
            "expected an OpenAPI document (a mapping with `openapi`, `info` and `paths`)",
        ));
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => {}
        Some(v) => {
            return Err(Error::new(
                ErrorKind::Schema,
                "#/openapi",
                format!("expected OpenAPI version 3.0.x, found {v}"),
            ))
        }
        None => {
            return Err(Error::new(
                ErrorKind::Schema,
                "#/openapi",
                "expected a string field `openapi` with the version 3.0.x",
            ))
        }
    }
    let mut warnings = Vec::new();
    let resources = resource_schemas(&raw);
    repair(&mut raw, "#", &resources, &mut warnings);
    let spec = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner().to_string();
        Error::new(
            ErrorKind::Schema,
            pointer,
            format!("not a valid OpenAPI 3.0 object: {inner}"),
        )
    })?;
    Ok(Loaded {
        spec,
        raw,
        warnings,
    })
}

/// Component schemas that are API resources (they carry `x-route-path`). Seam never keys a map by
/// them, so an `additionalProperties` that points at one is a defect of the spec's exporter.
fn resource_schemas(raw: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            if schema.get("x-route-path").is_some() {
                out.push(format!("#/components/schemas/{name}"));
            }
        }
    }
    out
}

/// Walks the raw document and works around defects that Seam's spec is known to have, warning for each.
fn repair(value: &mut Value, pointer: &str, resources: &[String], warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(default)) = map.get("default") {
                if default.contains_key("$ref") {
                    warnings.push(Warning {
                        pointer: push_segment(pointer, "default"),
                        message:
                            "a `$ref` stands where a default value belongs; the default is ignored"
                                .into(),
                    });
                    map.remove("default");
                }
            }
            if let Some(Value::Object(extra)) = map.get("additionalProperties") {
                if let Some(Value::String(target)) = extra.get("$ref") {
                    if resources.iter().any(|r| r == target) && extra.len() == 1 {
                        warnings.push(Warning {
                            pointer: push_segment(pointer, "additionalProperties"),
                            message: format!(
                                "`additionalProperties` points at the resource `{target}`, which is never a map value; \
                                 treated as a free-form JSON object"
                            ),
                        });
                        map.insert("additionalProperties".into(), Value::Bool(true));
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    repair(child, &push_segment(pointer, key), resources, warnings);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    repair(
                        child,
                        &push_segment(pointer, &i.to_string()),
                        resources,
                        warnings,
                    );
                }
            }
        }
        _ => {}
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                pointer = push_segment(&pointer, &index.to_string())
            }
            serde_path_to_error::Segment::Map { key } => pointer = push_segment(&pointer, key),
            serde_path_to_error::Segment::Enum { variant } => {
                pointer = push_segment(&pointer, variant)
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}
