//! Turns spec descriptions (Markdown written for an API's docs site) into rustdoc lines that render
//! well and never become doctests, broken intra-doc links or stray HTML.

/// Returns the doc lines (each with a leading space, as `///` comments have).
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Content offset of the list item the previous line belongs to, while no blank line intervenes.
    let mut list_indent: Option<usize> = None;
    // Tabs (clippy's `tabs_in_doc_comments`): four spaces each, before indentation is measured.
    let text = text.replace('\t', "    ");
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            // Every code block is shown as text: the spec's examples are not Rust.
            out.push(if in_fence {
                " ```".to_string()
            } else {
                " ```text".to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        // Four spaces of indentation would make an indented code block (a doctest): keep at most three,
        // enough for list items and their continuation lines.
        let original = line.len() - trimmed.len();
        let indent = match (list_marker_width(trimmed), list_indent) {
            (Some(width), _) => {
                list_indent = Some(original.min(3) + width);
                original.min(3)
            }
            (None, Some(content)) => content.max(original.min(3)),
            (None, None) => original.min(3),
        };
        let line = escape_line(trimmed);
        out.push(format!(" {}{line}", " ".repeat(indent)));
    }
    if in_fence {
        out.push(" ```".to_string());
    }
    out
}

/// Escapes brackets that are not links, HTML-like tags, and wraps bare URLs in `<...>`.
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // A Markdown link `[text](url)` stays; anything else is escaped so rustdoc does not
                // take it for an intra-doc link.
                if let Some(close) = find_close(&chars, i) {
                    if chars.get(close + 1) == Some(&'(') {
                        out.push('[');
                        i += 1;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    // The end of a link text: copy the URL part verbatim.
                    out.push_str("](");
                    i += 2;
                    while i < chars.len() && chars[i] != ')' {
                        out.push(chars[i]);
                        i += 1;
                    }
                    if i < chars.len() {
                        out.push(')');
                        i += 1;
                    }
                    continue;
                }
                out.push_str("\\]");
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            'h' if starts_with(&chars, i, "https://") || starts_with(&chars, i, "http://") => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], ')' | '<' | '>' | '"')
                {
                    i += 1;
                }
                let mut url: String = chars[start..i].iter().collect();
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    if let Some(last) = url.pop() {
                        tail.insert(0, last);
                    }
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                continue;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The width of a list marker (`- `, `* `, `1. `) at the start of `line`.
/// The content starts after the spaces that follow the marker (`*   item` → 4), as Markdown reads
/// it (five or more spaces: after one, the rest is indented code).
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && line[digits..].starts_with(". ") {
            digits + 1
        } else {
            return None;
        }
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    Some(marker + if spaces > 4 { 1 } else { spaces })
}

fn starts_with(chars: &[char], at: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

fn find_close(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn links_stay_and_other_brackets_are_escaped() {
        assert_eq!(
            sanitize("See [devices](https://docs.example.com/x) and [start, end]."),
            [" See [devices](https://docs.example.com/x) and \\[start, end\\]."]
        );
    }

    #[test]
    fn bare_urls_and_tags_are_made_safe() {
        assert_eq!(
            sanitize("Go to https://x.io/a. Use <b>."),
            [" Go to <https://x.io/a>. Use &lt;b&gt;."]
        );
    }

    #[test]
    fn code_is_never_a_doctest() {
        assert_eq!(
            sanitize("a\n\n    indented\n```js\nx()\n```"),
            [" a", "", "    indented", " ```text", " x()", " ```"]
        );
        assert_eq!(sanitize("```\nopen"), [" ```text", " open", " ```"]);
    }

    #[test]
    fn tabs_become_spaces_and_wide_markers_indent_their_continuations() {
        assert_eq!(
            sanitize("*   Renames files.\n  More.\n\tTabbed\tline"),
            [" *   Renames files.", "     More.", "     Tabbed    line"]
        );
    }

    #[test]
    fn list_continuations_stay_in_their_item() {
        assert_eq!(
            sanitize("1. Create\n   Configure it.\n2. Encode\nWrite it.\n\nAfter."),
            [
                " 1. Create",
                "    Configure it.",
                " 2. Encode",
                "    Write it.",
                "",
                " After."
            ]
        );
    }
}
