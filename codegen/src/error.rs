//! Errors and warnings, each naming the place in the spec they are about.

use std::fmt;

/// What went wrong, in broad terms, so that callers and tests can tell cases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The spec file could not be read, or the output could not be written.
    Io,
    /// The file is not well-formed YAML or JSON.
    Syntax,
    /// The document is well-formed but is not an OpenAPI 3.0 document of the expected shape.
    Schema,
    /// A `$ref` points at nothing.
    DanglingRef,
    /// A schema uses a construct the generator cannot map to Rust.
    Unsupported,
    /// Two things want the same Rust name and no rule can tell them apart.
    Collision,
}

/// A generation error: where in the spec it happened and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// A JSON pointer into the spec (`#/paths/~1devices~1list/post/...`), or `#` for the whole document.
    pub pointer: String,
    /// Line and column (1-based) in the spec file, when the failure is a syntax error.
    pub location: Option<(usize, usize)>,
    /// What was found and what was expected.
    pub message: String,
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}", self.message),
            None => write!(f, "{}: {}", self.pointer, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// A defect in the spec that the generator worked around.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// A JSON pointer to the defective schema.
    pub pointer: String,
    /// What is wrong and what the generator did instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

/// Builds JSON pointers (RFC 6901, in URI fragment form) one segment at a time.
pub(crate) fn push_segment(pointer: &str, segment: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + segment.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Reads one segment of a JSON pointer (`~1` is `/`, `~0` is `~`).
pub(crate) fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The segments of a JSON pointer in URI fragment form (`#/a/b~1c` → `["a", "b/c"]`).
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    pointer
        .strip_prefix('#')
        .unwrap_or(pointer)
        .split('/')
        .skip(1)
        .map(unescape_segment)
        .collect()
}

/// The section and name a `$ref` to a component names (`#/components/schemas/a~1b` →
/// `("schemas", "a/b")`); `None` for any other reference. Every `$ref` the generator follows is read
/// here.
pub(crate) fn component_ref(reference: &str) -> Option<(&str, String)> {
    let (section, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    Some((section, unescape_segment(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_pointers_are_read_with_their_escapes() {
        assert_eq!(
            component_ref("#/components/schemas/a~1b~0c"),
            Some(("schemas", "a/b~c".to_string()))
        );
        assert_eq!(component_ref("#/definitions/a"), None);
        assert_eq!(component_ref("#/components/schemas"), None);
        assert_eq!(
            segments("#/paths/~1devices~1list/post"),
            ["paths", "/devices/list", "post"]
        );
        // `~01` is `~1`, not `/`.
        assert_eq!(unescape_segment("~01"), "~1");
        assert_eq!(unescape_segment(&push_segment("", "a/~b")[1..]), "a/~b");
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(
            push_segment(&push_segment("#/paths", "/devices/list"), "post"),
            "#/paths/~1devices~1list/post"
        );
        assert_eq!(push_segment("#", "a~b"), "#/a~0b");
    }
}
