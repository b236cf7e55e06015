//! Turns spec descriptions (Markdown written for an API's docs site, sometimes with HTML in it)
//! into rustdoc lines that render well and never become doctests, broken intra-doc links, stray
//! HTML or lists clippy rejects (`doc_lazy_continuation`, `doc_overindented_list_items`).

mod html;

/// Returns the doc lines (each with a leading space, as `///` comments have).
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The list items the current line may belong to, innermost last: where their content starts
    // in the text and in the output.
    let mut items: Vec<Item> = Vec::new();
    // The previous line was blank (or there was none): a line that is not indented to an item's
    // content ends that item, where after a line of the item it would continue it.
    let mut after_blank = true;
    // Tabs (clippy's `tabs_in_doc_comments`): four spaces each, before indentation is measured.
    let text = html::to_markdown(&text.replace('\t', "    "));
    for line in dedent(&text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            // Every code block is shown as text: the spec's examples are not Rust.
            out.push(if in_fence {
                " ```".to_string()
            } else {
                " ```text".to_string()
            });
            in_fence = !in_fence;
            items.clear();
            after_blank = false;
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            after_blank = true;
            out.push(String::new());
            continue;
        }
        let original = line.len() - trimmed.len();
        // Four spaces of indentation more than the item a line belongs to (or than the margin) would
        // make an indented code block (a doctest): at most three are kept.
        let nested = |items: &[Item]| match items.last() {
            Some(item) => item.output + (original - item.input).min(3),
            None => original.min(3),
        };
        let indent = match list_marker_width(trimmed) {
            Some(width) => {
                // A list item: inside the items whose content its marker reaches.
                while items.last().is_some_and(|item| item.input > original) {
                    items.pop();
                }
                let indent = nested(&items);
                items.push(Item {
                    input: original + width,
                    output: indent + width,
                });
                indent
            }
            // A line of an item's paragraph: at the item's content, exactly (less would be a lazy
            // continuation, more an overindented one).
            None if !after_blank && !items.is_empty() => items.last().map_or(0, |i| i.output),
            None => {
                while items.last().is_some_and(|item| item.input > original) {
                    items.pop();
                }
                nested(&items)
            }
        };
        after_blank = false;
        let line = escape_line(trimmed);
        out.push(format!(" {}{line}", " ".repeat(indent)));
    }
    if in_fence {
        out.push(" ```".to_string());
    }
    out
}

/// The first paragraph of a description, as Markdown (its HTML converted), for docs that show only
/// that (a setter's, a field's that names its type).
pub fn first_paragraph(text: &str) -> String {
    let text = html::to_markdown(text);
    text.trim_start()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// An open list item: the column its content starts at, in the spec's text and in the output.
struct Item {
    input: usize,
    output: usize,
}

/// The lines of `text` without the indentation they all have (a description indented as a whole,
/// as YAML block scalars may leave it, is not a code block), and without leading or trailing blank
/// lines; the first line's own indentation is dropped too.
fn dedent(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let common = lines
        .iter()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                *l
            } else {
                &l[common..]
            }
        })
        .collect()
}

/// Escapes brackets that are not links, HTML-like tags, and wraps bare URLs in `<...>`. Code spans
/// (a run of backticks to the next run of the same length on the line) are copied as they are.
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    // Inside a link's text (`[text](url)`), where a URL is text, not a link of its own.
    let mut link_depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|&&x| x == '`').count();
                let mut end = None;
                let mut k = i + run;
                while k < chars.len() {
                    let n = chars[k..].iter().take_while(|&&x| x == '`').count();
                    if n == run {
                        end = Some(k + n);
                        break;
                    }
                    k += n.max(1);
                }
                // Without a closing run the backticks are text, and so is what follows.
                let end = end.unwrap_or(i + run);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '[' => {
                // A Markdown link `[text](url)` stays; anything else is escaped so rustdoc does not
                // take it for an intra-doc link.
                if let Some(close) = find_close(&chars, i) {
                    if chars.get(close + 1) == Some(&'(') {
                        out.push('[');
                        link_depth += 1;
                        i += 1;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    // The end of a link text: copy the URL part verbatim.
                    link_depth = link_depth.saturating_sub(1);
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
            '<' if link_depth == 0 && autolink_end(&chars, i).is_some() => {
                // An autolink (`<https://...>`) stays.
                let end = autolink_end(&chars, i).unwrap_or(i + 1);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            'h' if link_depth == 0
                && (starts_with(&chars, i, "https://") || starts_with(&chars, i, "http://")) =>
            {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], ')' | '<' | '>' | '"' | '`')
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

/// The end of an autolink `<http://...>` / `<https://...>` at `i`: no spaces or brackets inside.
fn autolink_end(chars: &[char], i: usize) -> Option<usize> {
    if !(starts_with(chars, i + 1, "https://") || starts_with(chars, i + 1, "http://")) {
        return None;
    }
    let close = (i + 1..chars.len()).find(|&k| chars[k] == '>')?;
    let inside = &chars[i + 1..close];
    inside
        .iter()
        .all(|c| !c.is_whitespace() && !matches!(c, '<' | '`'))
        .then_some(close + 1)
}

/// The width of a list marker (`- `, `* `, `1. `, `1) `) at the start of `line`.
/// The content starts after the spaces that follow the marker (`*   item` → 4), as Markdown reads
/// it (five or more spaces: after one, the rest is indented code).
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        1
    } else {
        // `1.` or `1)`, as CommonMark reads both.
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if (1..=9).contains(&digits)
            && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
        {
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
    use super::{first_paragraph, sanitize};

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

    #[test]
    fn continuations_sit_at_their_item_and_nested_items_stay_nested() {
        // Four spaces after `- ` (clippy's `doc_overindented_list_items`), none after `1)`
        // (`doc_lazy_continuation`).
        assert_eq!(
            sanitize("- zip: its entries\n    keep modes.\n1) Ask\nthen wait."),
            [
                " - zip: its entries",
                "   keep modes.",
                " 1) Ask",
                "    then wait."
            ]
        );
        // A list indented as a whole keeps its items side by side.
        assert_eq!(
            sanitize("    - short\n    - long with its\n      owner's"),
            [" - short", " - long with its", "   owner's"]
        );
        // Nested items, and a paragraph of an item after a blank line.
        assert_eq!(
            sanitize("- a\n  - b\n        c\n\n  more of a\n\nAfter."),
            [
                " - a",
                "   - b",
                "     c",
                "",
                "   more of a",
                "",
                " After."
            ]
        );
    }

    #[test]
    fn html_descriptions_render_as_markdown() {
        assert_eq!(
            sanitize(
                "<p>See <a href=\"https://x.io/a\">the <strong>guide</strong></a>.</p>\
                 <ul><li><code>a</code>: one,<br>two</li><li><em>b</em></li></ul>\
                 <p>Tom &amp; <b>Vec&lt;T&gt;</b>, Vec<T>, a < b, <span>kept</span> [x]</p>"
            ),
            [
                " See [the **guide**](https://x.io/a).",
                "",
                " - `a`: one,\\",
                "   two",
                " - *b*",
                "",
                " Tom & **Vec&lt;T&gt;**, Vec&lt;T&gt;, a &lt; b, kept \\[x\\]",
            ]
        );
        // A link's text that is a URL is not a link of its own; an autolink stays one.
        assert_eq!(
            sanitize("[https://x.io](https://x.io/a) <https://y.io>"),
            [" [https://x.io](https://x.io/a) <https://y.io>"]
        );
        // Code spans: any run of backticks; without a closing one, the rest is still made safe.
        assert_eq!(
            sanitize("``a ` <b>`` and ` <c>"),
            [" ``a ` <b>`` and ` &lt;c&gt;"]
        );
    }

    #[test]
    fn first_paragraphs_of_html() {
        assert_eq!(
            first_paragraph("<p>One <b>x</b>.</p><p>Two.</p>"),
            "One **x**."
        );
        assert_eq!(first_paragraph("One.\n\nTwo."), "One.");
    }
}
