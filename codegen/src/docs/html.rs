//! HTML in descriptions, as Markdown. Some specs (Stripe's) write `<p>`, `<a href>`, `<code>`,
//! `<ul><li>`, `<strong>`, `<em>`, `<br>` in their descriptions, which rustdoc would show as raw
//! HTML, warn about, or (once escaped) show as literal tags. Each becomes its Markdown form, so that
//! the rest of [`super::sanitize`] treats it like any Markdown.
//!
//! What is a tag: `<name ...>`, `</name>` or `<name/>` where `name` is an HTML element
//! ([`ELEMENTS`]); anything else (`a < b`, `Vec<T>`, `<token>`) stays text, made safe later as
//! before. A one-letter element (`<a>`, `<b>`, `<i>`, ...) counts only in lower case, and its start
//! tag not right after a letter or digit (`Option<b>` is text; `<p>` always counts). An inline
//! element (`<strong>`, `<a>`, `<code>`, ...) that is never closed is text too. Elements without a Markdown form (`<span>`,
//! `<div>`, `<table>`, ...) are dropped and their text kept; block ones leave a line or paragraph
//! break. Entities are decoded; a decoded `<` or `>` outside code is written back as `&lt;` / `&gt;`,
//! so the output has no HTML and converting it again changes nothing. Markdown code (backtick spans
//! and fenced blocks) is copied as it is.

/// HTML elements, in lower case. Tags of other names are text.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "ins",
    "kbd",
    "label",
    "li",
    "main",
    "mark",
    "nav",
    "nobr",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements that end a line (each cell or row of a table, a definition's term and description).
const LINE_BLOCKS: &[&str] = &["dd", "dt", "tr", "caption", "figcaption", "summary"];

/// Elements that stand as a paragraph of their own; their tags are dropped.
const PARAGRAPH_BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "details",
    "div",
    "dl",
    "figure",
    "footer",
    "header",
    "hr",
    "main",
    "nav",
    "section",
    "table",
];

/// The description with its HTML as Markdown (see the module's docs). Text without HTML is returned
/// as it is, but for its entities.
pub(super) fn to_markdown(text: &str) -> String {
    if !text.contains(['<', '&']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut c = Converter::default();
    let mut i = 0;
    while i < chars.len() {
        let at_line_start = i == 0 || chars[i - 1] == '\n';
        if at_line_start {
            if let Some(end) = fenced_block_end(&chars, i) {
                // A Markdown code block: verbatim.
                c.text(&chars[i..end].iter().collect::<String>());
                i = end;
                continue;
            }
        }
        match chars[i] {
            '`' => {
                // A Markdown code span: verbatim, through its closing run of backticks.
                let run = run_length(&chars, i, '`');
                let end = code_span_end(&chars, i + run, run).unwrap_or(i + run);
                c.text(&chars[i..end].iter().collect::<String>());
                i = end;
            }
            '<' => match Tag::parse(&chars, i) {
                Some(tag) => i = c.tag(&chars, tag),
                None => {
                    if let Some(end) = comment_end(&chars, i) {
                        i = end;
                    } else {
                        c.text("<");
                        i += 1;
                    }
                }
            },
            '&' => match entity(&chars, i) {
                Some((decoded, len)) => {
                    c.text(&text_safe(&decoded, &chars[i + len..]));
                    i += len;
                }
                // A `&` of its own, or an entity left for rustdoc (`&copy;`).
                None => {
                    c.text("&");
                    i += 1;
                }
            },
            ch => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], '`' | '<' | '&' | '\n') {
                    i += 1;
                }
                if i == start {
                    // A line break (the next line may open a fenced block).
                    c.text(&ch.to_string());
                    i += 1;
                } else {
                    c.text(&chars[start..i].iter().collect::<String>());
                }
            }
        }
    }
    c.finish()
}

/// A break between blocks, written before the next text (the strongest one asked for wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    /// A new line (`<li>`, a table row).
    Line,
    /// A line break within a paragraph (`<br>`): a trailing `\`.
    Hard,
    /// A blank line (`<p>`, the end of a list).
    Paragraph,
}

/// An open inline element, gathering its text until it is closed.
struct Frame {
    kind: Inline,
    /// The tag that opened it, shown as text if it is never closed.
    open: String,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Inline {
    Strong,
    Em,
    /// A link, `None` when its target is not an absolute URL (the text is kept, not linked).
    Link(Option<String>),
}

/// An open list and the items it has had.
struct List {
    ordered: bool,
    items: u32,
    /// The content column of its current item.
    content: usize,
}

#[derive(Default)]
struct Converter {
    out: String,
    frames: Vec<Frame>,
    lists: Vec<List>,
    pending: Option<Break>,
    /// Written after the pending break, at the start of the next line: a list marker, or the
    /// indentation of the item a new paragraph belongs to.
    prefix: String,
    /// The pending prefix is a list item's marker (no text of the item yet).
    item_open: bool,
}

impl Converter {
    /// Text (Markdown) into the innermost open element, or the output.
    fn text(&mut self, s: &str) {
        if let Some(frame) = self.frames.last_mut() {
            frame.text.push_str(s);
            return;
        }
        let s = if self.pending.is_some() || self.item_open {
            // After a break, the source's own spacing (newlines between tags) is not text.
            let rest = s.trim_start();
            if rest.is_empty() {
                return;
            }
            self.flush(rest);
            rest
        } else {
            s
        };
        self.out.push_str(s);
    }

    /// Markdown copied as it is, at the start of a line (a `<pre>` block as a fenced one).
    fn raw(&mut self, s: &str) {
        self.close_inline();
        self.flush("");
        self.out.push_str(s);
    }

    /// Writes the pending break and prefix, before `next`.
    fn flush(&mut self, next: &str) {
        let pending = self.pending.take();
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            let newlines = self.out.len() - self.out.trim_end_matches('\n').len();
            let wanted = match pending {
                None => 0,
                // Not before a line that would start a block (a list item, a quote): a trailing `\`
                // there would be shown as text.
                Some(Break::Hard) if newlines == 0 && !starts_block(next) => {
                    self.out.push('\\');
                    1
                }
                Some(Break::Line | Break::Hard) => 1,
                Some(Break::Paragraph) => 2,
            };
            for _ in newlines..wanted {
                self.out.push('\n');
            }
        }
        self.out.push_str(&self.prefix);
        self.prefix.clear();
        self.item_open = false;
    }

    /// Asks for a break before the next text; inline elements still open end here.
    fn block_break(&mut self, b: Break) {
        self.close_inline();
        if self.item_open {
            // A list item's first block (`<li><p>`): the item's marker is enough.
            return;
        }
        self.pending = Some(match (self.pending, b) {
            (Some(Break::Hard), Break::Hard) => Break::Paragraph,
            (Some(p), b) => p.max(b),
            (None, b) => b,
        });
        if self.pending == Some(Break::Paragraph) && self.prefix.trim().is_empty() {
            // A new paragraph inside a list item stays in the item.
            self.prefix = " ".repeat(self.lists.last().map_or(0, |l| l.content));
        }
    }

    /// Ends the inline elements still open: their text is kept, and their opening tags shown as
    /// text (an element never closed was not meant as HTML).
    fn close_inline(&mut self) {
        while let Some(frame) = self.frames.pop() {
            self.text(&format!("{}{}", escape_tag(&frame.open), frame.text));
        }
    }

    /// Handles a tag; returns where the text goes on.
    fn tag(&mut self, chars: &[char], tag: Tag) -> usize {
        let name = tag.name.as_str();
        match name {
            "code" | "tt" | "kbd" | "samp" if !tag.closing => {
                match find_closing(chars, tag.end, name) {
                    Some((content_end, after)) => {
                        let content = inner_text(&chars[tag.end..content_end]);
                        let content = content.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !content.is_empty() {
                            self.text(&code_span(&content));
                        }
                        after
                    }
                    // Never closed: text.
                    None => self.literal(chars, &tag),
                }
            }
            "pre" if !tag.closing => {
                let (content_end, after) =
                    find_closing(chars, tag.end, "pre").unwrap_or((chars.len(), chars.len()));
                let content = inner_text(&chars[tag.end..content_end]);
                let content = content.trim_matches('\n').trim_end();
                self.block_break(Break::Paragraph);
                if !content.is_empty() {
                    let fence = if content.contains("```") {
                        "~~~"
                    } else {
                        "```"
                    };
                    self.raw(&format!("{fence}\n{content}\n{fence}"));
                }
                self.block_break(Break::Paragraph);
                after
            }
            "script" | "style" if !tag.closing => {
                find_closing(chars, tag.end, name).map_or(chars.len(), |(_, after)| after)
            }
            "strong" | "b" | "em" | "i" | "a" if !tag.closing => {
                let kind = match name {
                    "strong" | "b" => Inline::Strong,
                    "em" | "i" => Inline::Em,
                    _ => Inline::Link(tag.href.as_deref().and_then(link_target)),
                };
                if find_closing(chars, tag.end, name).is_none() {
                    return self.literal(chars, &tag);
                }
                self.frames.push(Frame {
                    kind,
                    open: chars[tag.start..tag.end].iter().collect(),
                    text: String::new(),
                });
                tag.end
            }
            "strong" | "b" | "em" | "i" | "a" => {
                let kind = match name {
                    "strong" | "b" => Inline::Strong,
                    "em" | "i" => Inline::Em,
                    _ => Inline::Link(None),
                };
                let matches = |f: &Frame| match (&f.kind, &kind) {
                    (Inline::Link(_), Inline::Link(_)) => true,
                    (a, b) => a == b,
                };
                if self.frames.iter().any(matches) {
                    // Close it (and any left open inside it).
                    while let Some(frame) = self.frames.pop() {
                        let done = matches(&frame);
                        let text = if done {
                            render(&frame)
                        } else {
                            format!("{}{}", escape_tag(&frame.open), frame.text)
                        };
                        self.text(&text);
                        if done {
                            break;
                        }
                    }
                }
                tag.end
            }
            "br" => {
                self.block_break(Break::Hard);
                tag.end
            }
            "p" => {
                self.block_break(Break::Paragraph);
                tag.end
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // A heading is a paragraph in bold: rustdoc's headings belong to the page's outline.
                if tag.closing {
                    if self.frames.last().is_some_and(|f| f.kind == Inline::Strong) {
                        if let Some(frame) = self.frames.pop() {
                            self.text(&render(&frame));
                        }
                    }
                    self.block_break(Break::Paragraph);
                } else {
                    self.block_break(Break::Paragraph);
                    if find_closing(chars, tag.end, name).is_some() {
                        self.frames.push(Frame {
                            kind: Inline::Strong,
                            open: chars[tag.start..tag.end].iter().collect(),
                            text: String::new(),
                        });
                    }
                }
                tag.end
            }
            "ul" | "ol" if !tag.closing => {
                if self.item_open {
                    // An item that holds only a list: its marker, then the list.
                    self.flush("");
                }
                self.block_break(if self.lists.is_empty() {
                    Break::Paragraph
                } else {
                    Break::Line
                });
                self.item_open = false;
                let content = self.lists.last().map_or(0, |l| l.content);
                self.lists.push(List {
                    ordered: name == "ol",
                    items: 0,
                    content,
                });
                tag.end
            }
            "ul" | "ol" => {
                if self.lists.pop().is_some() {
                    self.item_open = false;
                    self.prefix.clear();
                    self.block_break(Break::Paragraph);
                }
                tag.end
            }
            "li" if !tag.closing => {
                self.close_inline();
                if self.lists.is_empty() {
                    // An item outside any list: a list of its own.
                    self.lists.push(List {
                        ordered: false,
                        items: 0,
                        content: 0,
                    });
                }
                let depth = self.lists.len();
                let indent = if depth > 1 {
                    self.lists[depth - 2].content
                } else {
                    0
                };
                let list = &mut self.lists[depth - 1];
                list.items += 1;
                let marker = if list.ordered {
                    format!("{}. ", list.items)
                } else {
                    "- ".to_string()
                };
                list.content = indent + marker.len();
                let first = list.items == 1;
                self.item_open = false;
                if first {
                    self.block_break(Break::Line);
                } else {
                    // Items of one list are never apart (a `</p>` before this one asked for that).
                    self.pending = Some(Break::Line);
                }
                self.prefix = format!("{}{marker}", " ".repeat(indent));
                self.item_open = true;
                tag.end
            }
            "li" => {
                self.block_break(Break::Line);
                tag.end
            }
            _ if LINE_BLOCKS.contains(&name) => {
                self.block_break(Break::Line);
                tag.end
            }
            _ if PARAGRAPH_BLOCKS.contains(&name) => {
                self.block_break(Break::Paragraph);
                tag.end
            }
            "td" | "th" if !tag.closing => {
                self.text(" ");
                tag.end
            }
            // Anything else (`<span>`, `<sup>`, `<img>`, ...): the tag is dropped, its text kept.
            _ => tag.end,
        }
    }

    /// A tag shown as text (an inline element never closed).
    fn literal(&mut self, chars: &[char], tag: &Tag) -> usize {
        let raw: String = chars[tag.start..tag.end].iter().collect();
        self.text(&escape_tag(&raw));
        tag.end
    }

    fn finish(mut self) -> String {
        self.close_inline();
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out
    }
}

/// An inline element's Markdown, with the spaces at the edges of its text outside it (`** a**`
/// is not bold).
fn render(frame: &Frame) -> String {
    let text = frame.text.as_str();
    let inner = text.trim();
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    let body = match &frame.kind {
        _ if inner.is_empty() && !matches!(frame.kind, Inline::Link(Some(_))) => String::new(),
        Inline::Strong => format!("**{inner}**"),
        Inline::Em => format!("*{inner}*"),
        Inline::Link(Some(url)) if inner.is_empty() || inner == url => url.clone(),
        Inline::Link(Some(url)) => format!("[{inner}]({url})"),
        Inline::Link(None) => inner.to_string(),
    };
    format!("{lead}{body}{tail}")
}

/// A link's target when it can be one in rustdoc: an absolute `http`, `https` or `mailto` URL,
/// with the characters that would end a Markdown link encoded. A relative URL would resolve
/// against the docs site the crate's docs are on, so the text is kept without the link.
fn link_target(href: &str) -> Option<String> {
    let href = decode_entities(href.trim());
    let lower = href.to_ascii_lowercase();
    if !(lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:"))
    {
        return None;
    }
    let mut url = String::with_capacity(href.len());
    for ch in href.chars() {
        match ch {
            ' ' => url.push_str("%20"),
            '(' => url.push_str("%28"),
            ')' => url.push_str("%29"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '`' => url.push_str("%60"),
            c if c.is_whitespace() || c.is_control() => {}
            c => url.push(c),
        }
    }
    Some(url)
}

/// `content` as a Markdown code span: fenced by more backticks than it holds in a row.
fn code_span(content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in content.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if content.starts_with('`') || content.ends_with('`') {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

/// The text of an element's content (inside `<code>` or `<pre>`): its tags dropped, entities
/// decoded, nothing escaped (code shows text as it is).
fn inner_text(chars: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '<' => match Tag::parse(chars, i) {
                Some(tag) => {
                    if tag.name == "br" {
                        out.push('\n');
                    }
                    i = tag.end;
                }
                None => {
                    out.push('<');
                    i += 1;
                }
            },
            '&' => {
                let (decoded, len) = entity(chars, i).unwrap_or_else(|| ("&".to_string(), 1));
                out.push_str(&decoded);
                i += len;
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// A decoded entity as it can stand in Markdown text: `<` and `>` as entities again (the later
/// steps would escape them the same way), and `&` as `&amp;` where what follows would read as an
/// entity.
fn text_safe(decoded: &str, rest: &[char]) -> String {
    match decoded {
        "<" => "&lt;".to_string(),
        ">" => "&gt;".to_string(),
        "&" if looks_like_entity(rest) => "&amp;".to_string(),
        other => other.to_string(),
    }
}

/// Whether text after a `&` would be read as an entity (`lt;`, `copy;`, `#39;`).
fn looks_like_entity(rest: &[char]) -> bool {
    let Some(end) = rest.iter().take(32).position(|&c| c == ';') else {
        return false;
    };
    let name = &rest[..end];
    match name {
        ['#', 'x' | 'X', hex @ ..] => !hex.is_empty() && hex.iter().all(char::is_ascii_hexdigit),
        ['#', digits @ ..] => !digits.is_empty() && digits.iter().all(char::is_ascii_digit),
        [first, ..] => first.is_ascii_alphabetic() && name.iter().all(char::is_ascii_alphanumeric),
        [] => false,
    }
}

/// Decodes the entities of an attribute's value.
fn decode_entities(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '&' {
            if let Some((decoded, len)) = entity(&chars, i) {
                out.push_str(&decoded);
                i += len;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The entity at `i` (`&amp;`, `&#39;`, `&#x27;`, ...): its text and length. Named entities other
/// than the common ones are not decoded (rustdoc shows them as they are meant).
fn entity(chars: &[char], i: usize) -> Option<(String, usize)> {
    let end = (i + 1..chars.len().min(i + 12)).find(|&k| chars[k] == ';')?;
    let name: String = chars[i + 1..end].iter().collect();
    let decoded = match name.as_str() {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            match char::from_u32(code)? {
                c if c.is_control() && c != '\n' => return None,
                '\u{a0}' => ' ',
                c => c,
            }
        }
    };
    Some((decoded.to_string(), end + 1 - i))
}

/// A tag's text made safe (shown, not read as HTML).
fn escape_tag(raw: &str) -> String {
    raw.replace('<', "&lt;").replace('>', "&gt;")
}

/// A start or end tag.
#[derive(Debug)]
struct Tag {
    /// In lower case.
    name: String,
    closing: bool,
    /// `href`, for links.
    href: Option<String>,
    start: usize,
    /// Just after the `>`.
    end: usize,
}

impl Tag {
    /// The tag at `i` (a `<`), if it is one of an HTML element, on one line.
    fn parse(chars: &[char], i: usize) -> Option<Tag> {
        let mut k = i + 1;
        let closing = chars.get(k) == Some(&'/');
        if closing {
            k += 1;
        }
        let name_start = k;
        while k < chars.len() && chars[k].is_ascii_alphanumeric() {
            k += 1;
        }
        let raw_name: String = chars[name_start..k].iter().collect();
        if !raw_name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let name = raw_name.to_ascii_lowercase();
        if !ELEMENTS.contains(&name.as_str()) {
            return None;
        }
        if raw_name.len() == 1 {
            // `<b>` but not `<B>` (a type parameter), and not in `Option<b>` (a `<p>` or a closing
            // tag is never a type's).
            let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
            if raw_name != name || (after_word && !closing && name != "p") {
                return None;
            }
        }
        // Attributes, up to the `>`.
        let mut href = None;
        loop {
            while k < chars.len() && chars[k] == ' ' {
                k += 1;
            }
            match chars.get(k)? {
                '>' => break,
                '/' if chars.get(k + 1) == Some(&'>') => {
                    k += 1;
                    break;
                }
                c if (c.is_ascii_alphabetic() || *c == '_' || *c == ':') && !closing => {
                    if k > 0 && chars[k - 1] != ' ' {
                        return None;
                    }
                    let attr_start = k;
                    while k < chars.len()
                        && (chars[k].is_ascii_alphanumeric()
                            || matches!(chars[k], '-' | '_' | ':' | '.'))
                    {
                        k += 1;
                    }
                    let attr: String = chars[attr_start..k].iter().collect();
                    while k < chars.len() && chars[k] == ' ' {
                        k += 1;
                    }
                    if chars.get(k) == Some(&'=') {
                        k += 1;
                        while k < chars.len() && chars[k] == ' ' {
                            k += 1;
                        }
                        let value = match chars.get(k)? {
                            q @ ('"' | '\'') => {
                                let close = (k + 1..chars.len()).find(|&j| chars[j] == *q)?;
                                let value: String = chars[k + 1..close].iter().collect();
                                k = close + 1;
                                value
                            }
                            _ => {
                                let start = k;
                                while k < chars.len()
                                    && !chars[k].is_whitespace()
                                    && !matches!(chars[k], '>' | '"' | '\'' | '<' | '`' | '=')
                                {
                                    k += 1;
                                }
                                if k == start {
                                    return None;
                                }
                                chars[start..k].iter().collect()
                            }
                        };
                        if value.contains('\n') {
                            return None;
                        }
                        if attr.eq_ignore_ascii_case("href") {
                            href = Some(value);
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(Tag {
            name,
            closing,
            href,
            start: i,
            end: k + 1,
        })
    }
}

/// Where the content of an element opened before `from` ends, and where its closing tag ends, if
/// it is closed (elements of the same name opened in between are counted).
fn find_closing(chars: &[char], from: usize, name: &str) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut k = from;
    while k < chars.len() {
        if chars[k] == '<' {
            if let Some(tag) = Tag::parse(chars, k) {
                if tag.name == name {
                    if tag.closing {
                        if depth == 0 {
                            return Some((k, tag.end));
                        }
                        depth -= 1;
                    } else {
                        depth += 1;
                    }
                }
                k = tag.end;
                continue;
            }
        }
        k += 1;
    }
    None
}

/// The end of an HTML comment at `i`, if one starts there.
fn comment_end(chars: &[char], i: usize) -> Option<usize> {
    let open: Vec<char> = "<!--".chars().collect();
    if !chars[i..].starts_with(&open) {
        return None;
    }
    (i + 4..chars.len().saturating_sub(2))
        .find(|&k| chars[k] == '-' && chars[k + 1] == '-' && chars[k + 2] == '>')
        .map(|k| k + 3)
}

fn run_length(chars: &[char], i: usize, c: char) -> usize {
    chars[i..].iter().take_while(|&&x| x == c).count()
}

/// The end of a code span whose opening run of `run` backticks ends at `from`: just after a
/// closing run of the same length, within the paragraph.
fn code_span_end(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut k = from;
    while k < chars.len() {
        match chars[k] {
            '`' => {
                let n = run_length(chars, k, '`');
                if n == run {
                    return Some(k + n);
                }
                k += n;
            }
            '\n' if blank_line_at(chars, k + 1) => return None,
            _ => k += 1,
        }
    }
    None
}

fn blank_line_at(chars: &[char], i: usize) -> bool {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|&&c| c != '\n')
        .all(|c| c.is_whitespace())
}

/// The end of the Markdown fenced code block starting at `i` (a line start), if one does.
fn fenced_block_end(chars: &[char], i: usize) -> Option<usize> {
    let line_end = |from: usize| {
        (from..chars.len())
            .find(|&k| chars[k] == '\n')
            .unwrap_or(chars.len())
    };
    let is_fence = |from: usize| {
        let line: String = chars[from..line_end(from)].iter().collect();
        line.trim_start().starts_with("```")
    };
    if !is_fence(i) {
        return None;
    }
    let mut k = line_end(i);
    while k < chars.len() {
        let start = k + 1;
        if start >= chars.len() {
            break;
        }
        if is_fence(start) {
            return Some(line_end(start));
        }
        k = line_end(start);
    }
    Some(chars.len())
}

/// Whether a line starting with `s` would start a Markdown block (a list item, a quote, a heading,
/// a fence) rather than continue a paragraph.
fn starts_block(s: &str) -> bool {
    let s = s.trim_start();
    if s.starts_with(['>', '#']) || s.starts_with("```") {
        return true;
    }
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("+ ") {
        return true;
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") "))
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_and_line_breaks() {
        assert_eq!(
            to_markdown("<p>One.</p><p>Two<br>lines.</p>\n<p>Three.</p>"),
            "One.\n\nTwo\\\nlines.\n\nThree."
        );
        assert_eq!(to_markdown("a<br><br>b<br/>c"), "a\n\nb\\\nc");
        // Before a line that would start a list, no `\` (it would be shown).
        assert_eq!(to_markdown("Values:<br>- one"), "Values:\n- one");
    }

    #[test]
    fn links_bold_and_emphasis() {
        assert_eq!(
            to_markdown(r#"See <a href="https://x.io/a?b=1&amp;c=2">the <em>guide</em></a>."#),
            "See [the *guide*](https://x.io/a?b=1&c=2)."
        );
        assert_eq!(
            to_markdown("<strong>Note: </strong>it <b>is</b> <i>so</i>."),
            "**Note:** it **is** *so*."
        );
        // Relative links lose their target (it would resolve against the crate's docs); a link
        // whose text is its URL is the URL.
        assert_eq!(
            to_markdown(
                r#"<a href="/docs/api">Charges</a>, <a href='https://x.io'>https://x.io</a>"#
            ),
            "Charges, https://x.io"
        );
        assert_eq!(
            to_markdown(r#"<a href="https://x.io/a (b)">x</a>"#),
            "[x](https://x.io/a%20%28b%29)"
        );
    }

    #[test]
    fn code_spans_and_blocks() {
        assert_eq!(
            to_markdown("Use <code>Vec&lt;T&gt;</code> or <code>a`b</code>."),
            "Use `Vec<T>` or ``a`b``."
        );
        assert_eq!(
            to_markdown("<pre><code>{\n  &quot;id&quot;: 1\n}</code></pre>After."),
            "```\n{\n  \"id\": 1\n}\n```\n\nAfter."
        );
        // Markdown code is left alone.
        assert_eq!(to_markdown("`<b>` and ```<p>```"), "`<b>` and ```<p>```");
        assert_eq!(
            to_markdown("```\n<p>x</p>\n```\n<p>y</p>"),
            "```\n<p>x</p>\n```\n\ny"
        );
        assert_eq!(
            to_markdown("- a\n  ```\n  <b>\n  ```\n  b &amp; c"),
            "- a\n  ```\n  <b>\n  ```\n  b & c"
        );
    }

    #[test]
    fn lists_nested_and_ordered() {
        assert_eq!(
            to_markdown("Kinds:<ul><li>one</li><li>two<ul><li>inner</li></ul></li><li><p>three</p></li></ul>Done."),
            "Kinds:\n\n- one\n- two\n  - inner\n- three\n\nDone."
        );
        assert_eq!(
            to_markdown("<ol>\n  <li>First</li>\n  <li>Second<p>More.</p></li>\n</ol>"),
            "1. First\n2. Second\n\n   More."
        );
    }

    #[test]
    fn entities_are_decoded_and_stay_safe() {
        assert_eq!(
            to_markdown("Tom &amp; Jerry&#39;s &quot;a &lt; b&quot; &#x2014; &amp;lt; &copy;"),
            "Tom & Jerry's \"a &lt; b\" \u{2014} &amp;lt; &copy;"
        );
        // Converting twice changes nothing.
        let once = to_markdown("<p>&lt;p&gt; is a tag</p>");
        assert_eq!(once, "&lt;p&gt; is a tag");
        assert_eq!(to_markdown(&once), once);
    }

    #[test]
    fn unknown_tags_are_dropped_and_text_kept() {
        assert_eq!(
            to_markdown(r#"<span class="x">Hi</span> <div>there</div><!-- note -->!"#),
            "Hi\n\nthere\n\n!"
        );
        assert_eq!(to_markdown("x<sup>2</sup>"), "x2");
    }

    #[test]
    fn what_is_not_a_tag_stays_text() {
        for text in [
            "a < b and c > d",
            "Vec<T> and Option<b>",
            "Send <token> in <B>",
            "x<5",
            "<https://x.io>",
            "Use <b>.",
        ] {
            let out = to_markdown(text);
            assert_eq!(out, text.replace("<b>.", "&lt;b&gt;."), "{text}");
        }
        // An inline element never closed is text.
        assert_eq!(to_markdown("<em>open"), "&lt;em&gt;open");
        assert_eq!(to_markdown("<strong>a<p>b"), "&lt;strong&gt;a\n\nb");
    }
}
