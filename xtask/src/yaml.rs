//! Writing the spec as YAML that YAML 1.1 readers (PyYAML, older tools) read as YAML 1.2 readers do.
//!
//! `serde_yaml_ng` writes YAML 1.2: it leaves a string plain when a YAML 1.2 reader reads it back as a
//! string, so `=`, `on`, `off`, `y`, `n`, `yes`, `no`, `1:30` or `0777` stay bare. A YAML 1.1 reader
//! reads those as a "value" tag (PyYAML refuses it), booleans, sexagesimal or octal numbers. This writer
//! takes `serde_yaml_ng`'s output and single-quotes every plain string scalar (key or value) that a
//! YAML 1.1 reader would read as anything but that string; everything else is left byte for byte. The
//! result is parsed back and compared with the input, so a rewrite can never change what the file says.

use serde_json::Value;

/// `value` as YAML that YAML 1.1 and 1.2 readers read alike (see the module docs).
pub fn to_string(value: &Value) -> Result<String, String> {
    let plain = serde_yaml_ng::to_string(value).map_err(|e| format!("cannot write YAML: {e}"))?;
    let quoted = quote_ambiguous(&plain);
    let back: Value = serde_yaml_ng::from_str(&quoted)
        .map_err(|e| format!("the quoted YAML does not parse back: {e}"))?;
    if back != *value {
        return Err("quoting the YAML changed what it says; refusing to write it".into());
    }
    Ok(quoted)
}

/// Rewrites the block-style YAML that `serde_yaml_ng` emits, quoting ambiguous plain scalars.
fn quote_ambiguous(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + yaml.len() / 64);
    // Inside a block scalar (`|-`): lines indented deeper than this are its content.
    let mut block_indent: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(b) = block_indent {
            if body.trim().is_empty() || indent > b {
                out.push_str(line);
                continue;
            }
            block_indent = None;
        }
        let (rewritten, opens_block) = rewrite_line(body);
        if opens_block {
            block_indent = Some(indent);
        }
        out.push_str(&rewritten);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One line outside block scalars: `[indent][- ]*[key: ][value]`. Returns the line and whether it
/// opens a block scalar.
fn rewrite_line(line: &str) -> (String, bool) {
    let mut out = String::with_capacity(line.len() + 2);
    let mut rest = line;
    let indent = rest.len() - rest.trim_start_matches(' ').len();
    out.push_str(&rest[..indent]);
    rest = &rest[indent..];
    while let Some(r) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = r;
    }
    if rest == "-" {
        out.push('-');
        return (out, false);
    }
    if let Some(r) = rest.strip_prefix("? ") {
        // A complex key: the rest is the key scalar.
        out.push_str("? ");
        rest = r;
    }
    // The key, if the line has one.
    if let Some((key, after)) = split_key(rest) {
        out.push_str(&quote_if_ambiguous(key));
        out.push(':');
        rest = after;
        if rest.is_empty() {
            return (out, false);
        }
        out.push(' ');
        rest = &rest[1..];
    }
    let opens_block = rest.starts_with('|') || rest.starts_with('>');
    out.push_str(&quote_if_ambiguous(rest));
    (out, opens_block)
}

/// Splits `key: value` or `key:` into the key and what follows the colon; `None` for a bare scalar.
fn split_key(s: &str) -> Option<(&str, &str)> {
    let end = match s.chars().next()? {
        '\'' => closing_single_quote(s)?,
        '"' => closing_double_quote(s)?,
        _ => {
            let at = s.find(": ").or_else(|| s.strip_suffix(':').map(str::len))?;
            return Some((&s[..at], &s[at + 1..]));
        }
    };
    let after = &s[end + 1..];
    if after == ":" || after.starts_with(": ") {
        Some((&s[..=end], &after[1..]))
    } else {
        None
    }
}

/// The index of the quote that closes the single-quoted scalar starting `s` (`''` is an escaped quote).
fn closing_single_quote(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the double-quoted scalar starting `s`.
fn closing_double_quote(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `scalar` single-quoted if it is a plain scalar that YAML 1.2 reads as a string and YAML 1.1 as
/// something else; else unchanged.
fn quote_if_ambiguous(scalar: &str) -> String {
    let plain = !scalar.is_empty()
        && !matches!(
            scalar.as_bytes()[0],
            b'\'' | b'"' | b'|' | b'>' | b'[' | b'{' | b'&' | b'*' | b'!'
        );
    if plain && yaml11_reads_as_non_string(scalar) && yaml12_reads_as_string(scalar) {
        format!("'{}'", scalar.replace('\'', "''"))
    } else {
        scalar.to_string()
    }
}

/// Whether `serde_yaml_ng` (YAML 1.2) reads the plain scalar as a string (numbers, booleans and
/// nulls it wrote itself stay plain).
fn yaml12_reads_as_string(scalar: &str) -> bool {
    matches!(
        serde_yaml_ng::from_str::<Value>(scalar),
        Ok(Value::String(_))
    )
}

/// Whether a YAML 1.1 reader could resolve the plain scalar to a non-string (null, boolean, integer,
/// float, sexagesimal, timestamp, merge key or the `=` value key). Errs on the side of quoting:
/// quoting a string never changes it.
pub fn yaml11_reads_as_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        "=", "<<", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF",
        ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    // Numbers of every base and sexagesimal form, and timestamps: anything that starts (after a
    // sign) with a digit or a dot followed by a digit and holds only number-like characters.
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut chars = unsigned.chars();
    let starts_numeric = match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    // Digits, separators, signs, exponents, base prefixes and hex digits, timestamp letters.
    starts_numeric
        && unsigned.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '_' | '.'
                        | ':'
                        | '-'
                        | '+'
                        | ' '
                        | 'x'
                        | 'X'
                        | 'o'
                        | 'O'
                        | 't'
                        | 'T'
                        | 'z'
                        | 'Z'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ambiguous_scalars_are_quoted_everything_else_is_kept() {
        let value = json!({
            "enum": ["=", "on", "off", "y", "n", "yes", "No", "~", "1:30", "0777", "2024-01-01", "plain", "a: b"],
            "on": {"x": "it's", "count": 3, "ratio": 1.5, "flag": true, "none": null},
            "text": "line one\nline two",
            "quoted": "true",
        });
        let yaml = to_string(&value).unwrap();
        for expected in [
            "- '='\n",
            "- 'on'\n",
            "- 'off'\n",
            "- 'y'\n",
            "- 'n'\n",
            "- 'yes'\n",
            "- 'No'\n",
            "- '~'\n",
            "- '1:30'\n",
            "- '0777'\n",
            "- '2024-01-01'\n",
            "- plain\n",
            "'on':\n",
            "count: 3\n",
            "ratio: 1.5\n",
            "flag: true\n",
            "none: null\n",
            "quoted: 'true'\n",
        ] {
            assert!(yaml.contains(expected), "expected `{expected}` in\n{yaml}");
        }
        // Block scalars are left alone, and the whole document reads back the same.
        assert!(
            yaml.contains("text: |-\n  line one\n  line two\n"),
            "{yaml}"
        );
        let back: Value = serde_yaml_ng::from_str(&yaml).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn block_scalar_content_is_never_rewritten() {
        let value = json!({"a": "on\n=\nyes", "b": ["x\nno", "off"]});
        let yaml = to_string(&value).unwrap();
        assert!(yaml.contains("  on\n  =\n  yes"), "{yaml}");
        assert!(yaml.contains("- 'off'"), "{yaml}");
    }

    #[test]
    fn the_yaml_1_1_classification() {
        for s in [
            "=",
            "on",
            "Y",
            "NULL",
            "12:30:00",
            "0x1F",
            "0b101",
            "1_000",
            ".5",
            "-1.5e+3",
            "2001-12-14 21:59:43.10 -5",
        ] {
            assert!(yaml11_reads_as_non_string(s), "{s}");
        }
        for s in [
            "one",
            "o=n",
            "only",
            "yesterday",
            "v1.2",
            "=>",
            "-",
            "a:1",
            ".x",
            "1hour",
            "2days",
        ] {
            assert!(!yaml11_reads_as_non_string(s), "{s}");
        }
    }
}
