//! `cargo xtask mutate [--seed N] [--budget SECONDS] [--spec FILE|DIR]... [--replay SEED:INDEX]`: a
//! seeded, reproducible mutation test of the generator (issue 27, "Robustness": no input makes the
//! generator panic or leave a partial crate).
//!
//! Each spec is parsed once into a JSON value. Mutant `INDEX` of seed `SEED` is built from spec
//! `INDEX % specs` by a PRNG seeded with `(SEED, INDEX)` alone, so any mutant can be rebuilt without
//! the ones before it (`--replay SEED:INDEX`, with the same specs). A mutant is one to five
//! mutations of the value (keys dropped or copied under another name, values of the wrong type,
//! deep nesting and long `$ref` chains, cyclic and dangling `$ref`s, huge numbers, odd Unicode in
//! names and text, names that collide once made identifiers, odd types, keywords and operation
//! parts), serialized as JSON or YAML, sometimes truncated. Replay ids hold for one version of this
//! command: a change to the mutations changes what an id builds.
//!
//! Every mutant runs on a thread of its own with a fixed stack ([`STACK`]), inside `catch_unwind`
//! with the panic hook silenced (its message and place are recorded). A stack overflow aborts the
//! whole process: Rust's message then names the thread, `mutant SEED:INDEX`, to replay. Outcomes:
//! - generated: every `.rs` file must parse with `syn::parse_file` (else "unparsable");
//! - refused: an error (one the generator calls internal counts as unparsable output);
//! - panicked, or hung (no result within [`HANG`]: the run stops there).
//!
//! For a sample of refused mutants the command also runs itself as `cargo xtask codegen --spec
//! MUTANT --out DIR`, the path users take, and checks that DIR is still absent (or, when it held a
//! crate, unchanged) after the error. The command fails on any panic, unparsable output, hang or
//! write after an error.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use codegen::Format;
use serde_json::{json, Map, Value};

/// The stack of the thread each mutant runs on: the main thread's usual size, so that a mutant
/// that runs here runs under `cargo xtask codegen` too.
const STACK: usize = 8 << 20;
/// A mutant that takes longer than this is reported as hung, and the run stops.
const HANG: Duration = Duration::from_secs(60);
/// The default seed: fixed, so that CI runs the same mutants each time (pass `--seed` to explore).
const DEFAULT_SEED: u64 = 27;
/// The default time budget in seconds.
const DEFAULT_BUDGET: u64 = 60;
/// Per spec, refused mutants whose writing is checked: the first few, then one in this many.
const WRITE_CHECK_FIRST: usize = 2;
const WRITE_CHECK_EVERY: usize = 40;
/// Panics listed with their replay command.
const SHOWN_PANICS: usize = 8;

// --- the PRNG ---

/// SplitMix64: small, fast, and good enough to choose mutations.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    /// The generator of mutant `index` of `seed`: independent of every other mutant.
    fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed);
        let a = r.next();
        Rng(a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)).skip()
    }

    fn skip(mut self) -> Rng {
        self.next();
        self
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`%.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

// --- specs, parsed once ---

/// What a node of the document is, as far as mutations care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A schema object.
    Schema,
    /// A map of names to schemas (`properties`, `components/schemas`, `$defs`).
    SchemaMap,
    /// A list of schemas (`allOf`, `anyOf`, `oneOf`, `prefixItems`).
    SchemaList,
    /// A map of names to other objects (`paths`, `responses`, `content`, ...).
    NameMap,
    /// Example values, enum members, defaults, extensions.
    Data,
    /// Anything else.
    Other,
}

const NAME_MAPS: &[&str] = &[
    "paths",
    "responses",
    "content",
    "securitySchemes",
    "parameters",
    "headers",
    "links",
    "callbacks",
    "requestBodies",
    "encoding",
    "variables",
    "mapping",
    "webhooks",
    "pathItems",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A node of a spec: its JSON pointer (`/a/b`, without `#`) and what it is.
struct Node {
    pointer: String,
    ctx: Ctx,
    /// Its key in its parent (unescaped), or its index.
    key: String,
}

struct Spec {
    /// As the user would name it.
    shown: String,
    /// The argument that selects it (for replay commands).
    format: Format,
    doc: Value,
    nodes: Vec<Node>,
    /// Indices into `nodes`: objects outside data.
    objects: Vec<usize>,
    /// Schema objects.
    schemas: Vec<usize>,
    /// Entries whose key is a name.
    names: Vec<usize>,
    /// Strings that are names or text: `name`, `operationId`, `description`, enum members, ...
    texts: Vec<usize>,
    /// Objects with a `$ref`.
    refs: Vec<usize>,
    /// Component names per section (`schemas`, `parameters`, ...).
    components: BTreeMap<String, Vec<String>>,
    /// Operations (`/paths/<path>/<method>`).
    operations: Vec<String>,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

impl Spec {
    fn parse(path: &Path) -> Result<Spec, String> {
        let format = Format::from_path(path).map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let doc = codegen::load::parse_value(&text, format)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut spec = Spec {
            shown: super::shown_path(path),
            format,
            doc: Value::Null,
            nodes: Vec::new(),
            objects: Vec::new(),
            schemas: Vec::new(),
            names: Vec::new(),
            texts: Vec::new(),
            refs: Vec::new(),
            components: BTreeMap::new(),
            operations: Vec::new(),
        };
        spec.walk(&doc, String::new(), Ctx::Other, String::new(), false);
        if let Some(Value::Object(sections)) = doc.get("components") {
            for (section, entries) in sections {
                if let Value::Object(entries) = entries {
                    spec.components
                        .insert(section.clone(), entries.keys().cloned().collect());
                }
            }
        }
        if let Some(Value::Object(paths)) = doc.get("paths") {
            for (path, item) in paths {
                for method in METHODS {
                    if item.get(method).is_some_and(Value::is_object) {
                        spec.operations
                            .push(format!("/paths/{}/{method}", escape(path)));
                    }
                }
            }
        }
        spec.doc = doc;
        Ok(spec)
    }

    fn walk(&mut self, value: &Value, pointer: String, ctx: Ctx, key: String, named: bool) {
        let index = self.nodes.len();
        if !pointer.is_empty() {
            self.nodes.push(Node {
                pointer: pointer.clone(),
                ctx,
                key: key.clone(),
            });
            if ctx != Ctx::Data {
                if value.is_object() {
                    self.objects.push(index);
                }
                if ctx == Ctx::Schema && value.is_object() {
                    self.schemas.push(index);
                }
                if named {
                    self.names.push(index);
                }
                if value.get("$ref").is_some() {
                    self.refs.push(index);
                }
                if value.is_string()
                    && matches!(
                        key.as_str(),
                        "name"
                            | "operationId"
                            | "description"
                            | "summary"
                            | "title"
                            | "propertyName"
                    )
                {
                    self.texts.push(index);
                }
            } else if value.is_string() && ctx == Ctx::Data && !key.is_empty() {
                // Enum members and the like: their text becomes variant names.
                self.texts.push(index);
            }
        }
        match value {
            Value::Object(map) => {
                for (k, child) in map {
                    let child_ctx = match ctx {
                        Ctx::Data => Ctx::Data,
                        Ctx::SchemaMap => Ctx::Schema,
                        Ctx::NameMap => Ctx::Other,
                        Ctx::Schema => match k.as_str() {
                            "properties" | "patternProperties" | "$defs" | "definitions" => {
                                Ctx::SchemaMap
                            }
                            "items"
                            | "additionalProperties"
                            | "not"
                            | "contains"
                            | "propertyNames"
                            | "unevaluatedProperties"
                            | "if"
                            | "then"
                            | "else" => Ctx::Schema,
                            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Ctx::SchemaList,
                            "example" | "examples" | "default" | "enum" | "const" => Ctx::Data,
                            k if k.starts_with("x-") => Ctx::Data,
                            _ => Ctx::Other,
                        },
                        Ctx::SchemaList | Ctx::Other => match k.as_str() {
                            "schema" => Ctx::Schema,
                            "schemas" => Ctx::SchemaMap,
                            "example" | "examples" | "default" => Ctx::Data,
                            k if k.starts_with("x-") => Ctx::Data,
                            k if NAME_MAPS.contains(&k) => Ctx::NameMap,
                            _ => Ctx::Other,
                        },
                    };
                    let child_named = matches!(ctx, Ctx::SchemaMap | Ctx::NameMap);
                    self.walk(
                        child,
                        format!("{pointer}/{}", escape(k)),
                        child_ctx,
                        k.clone(),
                        child_named,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let child_ctx = match ctx {
                        Ctx::SchemaList => Ctx::Schema,
                        Ctx::Data => Ctx::Data,
                        _ => Ctx::Other,
                    };
                    // Array members of data keep their parent's key (an enum member's is `enum`).
                    let child_key = if ctx == Ctx::Data {
                        key.clone()
                    } else {
                        i.to_string()
                    };
                    self.walk(child, format!("{pointer}/{i}"), child_ctx, child_key, false);
                }
            }
            _ => {}
        }
    }
}

// --- mutations ---

/// The kinds of mutation, for the per-kind table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    DropKey,
    CopyKey,
    WrongType,
    DeepNesting,
    RefChain,
    CyclicRef,
    DanglingRef,
    HugeNumber,
    OddName,
    OddText,
    OddType,
    OddKeyword,
    Collide,
    OddOperation,
    Truncate,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::DropKey => "drop a key",
            Op::CopyKey => "copy a key under another name",
            Op::WrongType => "value of the wrong type",
            Op::DeepNesting => "deep nesting",
            Op::RefChain => "long $ref chain",
            Op::CyclicRef => "cyclic $ref",
            Op::DanglingRef => "dangling $ref",
            Op::HugeNumber => "huge number",
            Op::OddName => "odd Unicode name",
            Op::OddText => "odd Unicode text",
            Op::OddType => "odd type or format",
            Op::OddKeyword => "odd keyword",
            Op::Collide => "names that collide",
            Op::OddOperation => "odd operation part",
            Op::Truncate => "truncated text",
        }
    }
}

/// Weights of the value mutations (truncation is decided separately).
const OPS: &[(Op, usize)] = &[
    (Op::DropKey, 4),
    (Op::CopyKey, 2),
    (Op::WrongType, 5),
    (Op::DeepNesting, 2),
    (Op::RefChain, 1),
    (Op::CyclicRef, 4),
    (Op::DanglingRef, 3),
    (Op::HugeNumber, 3),
    (Op::OddName, 4),
    (Op::OddText, 2),
    (Op::OddType, 3),
    (Op::OddKeyword, 3),
    (Op::Collide, 3),
    (Op::OddOperation, 4),
];

/// Names that stress identifiers: keywords, Unicode that is invisible, combining, right-to-left or
/// outside the BMP, characters that mean something in Rust, JSON pointers, YAML or doc comments.
const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "\u{200F}rtl\u{200F}",
    "\u{202E}desrever",
    "nul\u{0}byte",
    "\u{0}",
    "e\u{301}\u{302}\u{303}",
    "\u{301}",
    "😀",
    "👨\u{200D}👩\u{200D}👧",
    "self",
    "Self",
    "type",
    "Type",
    "crate",
    "super",
    "r#type",
    "async",
    "fn",
    "mod",
    "dyn",
    "gen",
    "try",
    "union",
    "_",
    "__",
    "0",
    "123abc",
    "-",
    "a-b",
    "a b",
    "A",
    "a",
    "ǅungla",
    "straße",
    "İstanbul",
    "\u{FEFF}bom",
    "\u{10FFFF}",
    "/",
    "~",
    "~1",
    "{",
    "}",
    "*/",
    "/*",
    "\"",
    "'",
    "\\",
    "`",
    "\n",
    "\r\n",
    "\t",
    "#",
    "$ref",
    "::",
    "a::b",
    "<T>",
    "std",
    "core",
    "Option",
    "Result",
    "Box",
    "String",
    "Vec",
    "Default",
    "None",
    "Some",
    "Ok",
    "Err",
    "models",
    "runtime",
    "api",
    "ﬁle",
    ".",
    "..",
    "@",
    "$",
    "%00",
    "\u{7f}",
    "\u{2028}",
    "ǅ",
    "Ⅻ",
    "٣",
    "ⓐ",
];

/// Texts for descriptions and summaries.
const ODD_TEXTS: &[&str] = &[
    "*/ /* unclosed",
    "```rust\npanic!()\n```",
    "```\nunclosed fence",
    "#![deny(warnings)]",
    "nul \u{0} inside",
    "\u{202E}reversed\u{202C} text",
    "[link](javascript:alert(1)) <script>",
    "\\ \\\\ \\u0000",
    "\"# r#\" \"###",
    "line\u{2028}separator\u{2029}",
    "\r\nCRLF\r\n\r\n",
    "   ",
    "",
    "😀👍🏽 e\u{301}",
    "<!-- -->",
    "///",
    "[`Self`]",
    "\t\ttabs",
];

/// Literal numbers written into the text as they are (`serde_json::Value` cannot hold all of them).
const HUGE_NUMBERS: &[&str] = &[
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775808",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "123456789012345678901234567890123456789012345678901234567890",
    "-0",
    "-0.0",
    "0",
    "-1",
    "1e-320",
    "4.9e-324",
    "0.1",
    "1.5",
    "2147483648",
    "-2147483649",
];

const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "default",
    "example",
];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "any", "",
];

const FORMATS: &[&str] = &[
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint64",
    "float",
    "double",
    "decimal",
    "date",
    "date-time",
    "time",
    "duration",
    "uuid",
    "uri",
    "byte",
    "binary",
    "base64",
    "email",
    "password",
    "😀",
    "",
];

/// A built mutant.
struct Mutant {
    /// One line per mutation.
    description: Vec<String>,
    ops: Vec<Op>,
    text: String,
    format: Format,
}

/// Builds mutant `index` of `seed` from `spec`.
fn build(spec: &Spec, seed: u64, index: u64) -> Mutant {
    let mut rng = Rng::new(seed, index);
    let mut doc = spec.doc.clone();
    let mut m = Mutator {
        spec,
        rng: &mut rng,
        literals: Vec::new(),
        description: Vec::new(),
        ops: Vec::new(),
    };
    let count = match m.rng.below(100) {
        0..60 => 1,
        60..85 => 2,
        _ => 3 + m.rng.below(3),
    };
    let total: usize = OPS.iter().map(|(_, w)| w).sum();
    for _ in 0..count {
        let mut roll = m.rng.below(total);
        let op = OPS
            .iter()
            .find(|(_, w)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map_or(Op::WrongType, |(op, _)| *op);
        // A mutation finds no place (a spec without component schemas has no cycle to make):
        // try a few times, then let it be.
        for _ in 0..8 {
            if let Some(line) = m.apply(op, &mut doc) {
                m.description.push(line);
                m.ops.push(op);
                break;
            }
        }
    }
    let format = if m.rng.chance(30) {
        match spec.format {
            Format::Json => Format::Yaml,
            Format::Yaml => Format::Json,
        }
    } else {
        spec.format
    };
    let mut text = match format {
        Format::Json if m.rng.chance(50) => serde_json::to_string(&doc).map_err(|e| e.to_string()),
        Format::Json => serde_json::to_string_pretty(&doc).map_err(|e| e.to_string()),
        Format::Yaml => serde_yaml_ng::to_string(&doc).map_err(|e| e.to_string()),
    }
    .unwrap_or_else(|e| panic!("the mutator cannot serialize its mutant: {e}"));
    drop(doc);
    for (i, literal) in m.literals.iter().enumerate() {
        let token = sentinel(i);
        for quoted in [format!("\"{token}\""), format!("'{token}'"), token] {
            text = text.replace(&quoted, literal);
        }
    }
    if m.rng.chance(12) && !text.is_empty() {
        let len = text.len();
        let mut cut = m.rng.below(len);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        if m.rng.chance(40) {
            // At a line break: a YAML prefix that often still parses.
            cut = text[..cut].rfind('\n').map_or(0, |i| i + 1);
        }
        text.truncate(cut);
        let name = match format {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        };
        m.description
            .push(format!("truncate the {name} text at byte {cut} of {len}"));
        m.ops.push(Op::Truncate);
    }
    if m.description.is_empty() {
        m.description.push("no mutation applied".into());
    }
    Mutant {
        description: m.description,
        ops: m.ops,
        text,
        format,
    }
}

/// Stands for a literal number in the value until the text is written.
fn sentinel(i: usize) -> String {
    format!("__mutate_literal_{i}__")
}

struct Mutator<'a> {
    spec: &'a Spec,
    rng: &'a mut Rng,
    literals: Vec<String>,
    description: Vec<String>,
    ops: Vec<Op>,
}

/// A short, escaped rendering of a value for descriptions.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", escape(name)) })
}

/// Replaces every `$ref` equal to `from` with `to`.
fn rewrite_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if r == from {
                    *r = to.to_string();
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, from, to);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, from, to)),
        _ => {}
    }
}

/// Names that become the same identifier as `name`, or almost.
fn variants(name: &str) -> Vec<String> {
    let mut flipped: String = name.chars().take(1).flat_map(char::to_uppercase).collect();
    flipped.extend(name.chars().skip(1));
    let snake: String = name
        .chars()
        .flat_map(|c| {
            if c.is_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    let mut out = vec![
        name.to_uppercase(),
        name.to_lowercase(),
        flipped,
        snake,
        format!("{name}_"),
        format!("_{name}"),
        name.replace('_', "-"),
        name.replace(['_', '-'], " "),
        name.replace(['_', '-'], ""),
        format!("{name} "),
        format!("{name}2"),
        format!("r#{name}"),
    ];
    out.retain(|n| n != name);
    out.dedup();
    out
}

/// Renames `old` to `new` in `map`, keeping its place.
fn rename_key(map: &mut Map<String, Value>, old: &str, new: &str) -> bool {
    if map.contains_key(new) || !map.contains_key(old) {
        return false;
    }
    let entries = std::mem::take(map);
    for (k, v) in entries {
        if k == old {
            map.insert(new.to_string(), v);
        } else {
            map.insert(k, v);
        }
    }
    true
}

impl<'a> Mutator<'a> {
    fn node(&mut self, list: &[usize]) -> Option<&'a Node> {
        let spec = self.spec;
        self.rng.pick(list).map(|&i| &spec.nodes[i])
    }

    fn odd_name(&mut self) -> String {
        if self.rng.chance(10) {
            // Long, and mixed.
            let n = 1 + self.rng.below(300);
            return (0..n)
                .map(|_| {
                    *self
                        .rng
                        .pick(&['a', 'Z', '_', '-', ' ', 'é', '😀', '9'])
                        .unwrap_or(&'a')
                })
                .collect();
        }
        let a = self.rng.pick(ODD_NAMES).copied().unwrap_or("");
        if self.rng.chance(25) {
            let b = self.rng.pick(ODD_NAMES).copied().unwrap_or("");
            format!("{a}{b}")
        } else {
            a.to_string()
        }
    }

    fn component(&mut self, section: &str) -> Option<String> {
        let spec = self.spec;
        let names = spec.components.get(section)?;
        self.rng.pick(names).cloned()
    }

    /// A literal number: a sentinel string now, the literal in the text.
    fn literal(&mut self, text: &str) -> Value {
        self.literals.push(text.to_string());
        Value::String(sentinel(self.literals.len() - 1))
    }

    fn apply(&mut self, op: Op, doc: &mut Value) -> Option<String> {
        match op {
            Op::DropKey => self.drop_key(doc),
            Op::CopyKey => self.copy_key(doc),
            Op::WrongType => self.wrong_type(doc),
            Op::DeepNesting => self.deep_nesting(doc),
            Op::RefChain => self.ref_chain(doc),
            Op::CyclicRef => self.cyclic_ref(doc),
            Op::DanglingRef => self.dangling_ref(doc),
            Op::HugeNumber => self.huge_number(doc),
            Op::OddName => self.odd_name_mutation(doc),
            Op::OddText => self.odd_text(doc),
            Op::OddType => self.odd_type(doc),
            Op::OddKeyword => self.odd_keyword(doc),
            Op::Collide => self.collide(doc),
            Op::OddOperation => self.odd_operation(doc),
            Op::Truncate => None,
        }
    }

    /// An object node: a schema half of the time.
    fn some_object(&mut self) -> Option<String> {
        let spec = self.spec;
        let list = if self.rng.chance(50) && !spec.schemas.is_empty() {
            &spec.schemas
        } else {
            &spec.objects
        };
        self.node(list).map(|n| n.pointer.clone())
    }

    fn drop_key(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.some_object()?;
        let map = doc.pointer_mut(&pointer)?.as_object_mut()?;
        let keys: Vec<String> = map.keys().cloned().collect();
        let key = self.rng.pick(&keys)?.clone();
        map.shift_remove(&key);
        Some(format!("drop #{pointer}/{}", escape(&key)))
    }

    fn copy_key(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.some_object()?;
        let odd = self.odd_name();
        let map = doc.pointer_mut(&pointer)?.as_object_mut()?;
        let keys: Vec<String> = map.keys().cloned().collect();
        let key = self.rng.pick(&keys)?.clone();
        let mut swapped: String = key
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        if swapped == key {
            swapped.push('_');
        }
        let candidates = [
            format!("{key}_"),
            format!("{key}-"),
            key.replace('_', "-"),
            key.replace(['-', '_'], ""),
            swapped,
            odd,
        ];
        let new = self.rng.pick(&candidates)?.clone();
        if map.contains_key(&new) {
            return None;
        }
        let value = map.get(&key)?.clone();
        map.insert(new.clone(), value);
        Some(format!("copy #{pointer}/{} to {new:?}", escape(&key)))
    }

    fn wrong_type(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        let pointer = if self.rng.chance(40) {
            self.node(&spec.schemas)?.pointer.clone()
        } else {
            let n = self.rng.pick(&spec.nodes)?;
            if n.ctx == Ctx::Data && self.rng.chance(80) {
                return None;
            }
            n.pointer.clone()
        };
        let pool = [
            json!("x"),
            json!(""),
            json!(7),
            json!(-1.5),
            json!([]),
            json!(["x", 1]),
            json!({}),
            json!({"x": 1}),
            Value::Null,
            json!(true),
            json!(false),
        ];
        let node = doc.pointer_mut(&pointer)?;
        let old = type_of(node);
        let candidates: Vec<&Value> = pool.iter().filter(|v| type_of(v) != old).collect();
        let new = (*self.rng.pick(&candidates)?).clone();
        let line = format!("#{pointer}: {old} → {}", short(&new));
        *node = new;
        Some(line)
    }

    fn deep_nesting(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.node(&self.spec.schemas)?.pointer.clone();
        let wrappers = [
            "allOf",
            "anyOf",
            "oneOf",
            "items",
            "properties",
            "additionalProperties",
            "not",
            "mixed",
        ];
        let wrapper = *self.rng.pick(&wrappers)?;
        // Often as deep as the YAML and JSON readers allow (128 levels of mappings and lists),
        // else a depth from a list, beyond that limit too.
        let per_level = match wrapper {
            "allOf" | "anyOf" | "oneOf" | "properties" | "mixed" => 2,
            _ => 1,
        };
        let here = pointer.matches('/').count() + 1;
        let readable = 127usize.saturating_sub(here) / per_level;
        let depth = if self.rng.chance(40) && readable > 1 {
            readable
        } else {
            *self.rng.pick(&[8usize, 30, 62, 64, 100, 200, 1000])?
        };
        let kind = |level: usize| {
            if wrapper == "mixed" {
                wrappers[level % (wrappers.len() - 1)]
            } else {
                wrapper
            }
        };
        // Half the time the innermost schema is a `$ref` to the outermost wrapper's member: a
        // `$ref` into a schema is read as a copy of it, so each copy holds the `$ref` again.
        let self_copying = self.rng.chance(50);
        let node = doc.pointer_mut(&pointer)?;
        let mut v = if self_copying {
            let member = match kind(depth - 1) {
                "allOf" | "anyOf" | "oneOf" => format!("{}/0", kind(depth - 1)),
                "properties" => "properties/p".into(),
                w => w.to_string(),
            };
            json!({ "$ref": format!("#{pointer}/{member}") })
        } else {
            node.take()
        };
        for level in 0..depth {
            let w = kind(level);
            v = match w {
                "allOf" | "anyOf" | "oneOf" => json!({ w: [v] }),
                "items" => json!({"type": "array", "items": v}),
                "properties" => json!({"type": "object", "properties": {"p": v}}),
                "additionalProperties" => json!({"type": "object", "additionalProperties": v}),
                _ => json!({ "not": v }),
            };
        }
        *node = v;
        Some(if self_copying {
            format!("#{pointer} = {depth}-deep {wrapper} around a $ref to its outermost member")
        } else {
            format!("wrap #{pointer} in {depth}-deep {wrapper}")
        })
    }

    /// A schema replaced by a `$ref` to the first of many new component schemas, each standing for
    /// the next: depth for the generator without depth in the text.
    fn ref_chain(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.node(&self.spec.schemas)?.pointer.clone();
        let length = *self.rng.pick(&[10usize, 100, 1000, 5000])?;
        let links = ["$ref", "allOf", "items", "property", "oneOf"];
        let link = *self.rng.pick(&links)?;
        let old = doc.pointer_mut(&pointer)?.take();
        *doc.pointer_mut(&pointer)? = schema_ref("chain0");
        let schemas = doc
            .as_object_mut()?
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()?
            .entry("schemas")
            .or_insert_with(|| json!({}))
            .as_object_mut()?;
        for i in 0..length {
            let next = schema_ref(&format!("chain{}", i + 1));
            let v = match link {
                "$ref" => next,
                "allOf" => json!({"allOf": [next]}),
                "items" => json!({"type": "array", "items": next}),
                "property" => {
                    json!({"type": "object", "properties": {"next": next}, "required": ["next"]})
                }
                _ => json!({"oneOf": [next, {"type": "string"}]}),
            };
            schemas.insert(format!("chain{i}"), v);
        }
        schemas.insert(format!("chain{length}"), old);
        Some(format!(
            "#{pointer}: a chain of {length} component schemas linked by {link}, ending in the old schema"
        ))
    }

    fn cyclic_ref(&mut self, doc: &mut Value) -> Option<String> {
        let variant = self.rng.below(9);
        let set = |doc: &mut Value, pointer: &str, v: Value| -> Option<()> {
            *doc.pointer_mut(pointer)? = v;
            Some(())
        };
        let comp = |name: &str| format!("/components/schemas/{}", escape(name));
        match variant {
            0 => {
                let a = self.component("schemas")?;
                set(doc, &comp(&a), schema_ref(&a))?;
                Some(format!("#{} = a $ref to itself", comp(&a)))
            }
            1 => {
                let a = self.component("schemas")?;
                let b = self.component("schemas")?;
                set(doc, &comp(&a), schema_ref(&b))?;
                set(doc, &comp(&b), schema_ref(&a))?;
                Some(format!("#{} → {b:?} → {a:?}: an alias cycle", comp(&a)))
            }
            2 => {
                let a = self.component("schemas")?;
                let b = self.component("schemas")?;
                let target = doc.pointer_mut(&comp(&a))?.as_object_mut()?;
                let all_of = target.entry("allOf").or_insert_with(|| json!([]));
                all_of.as_array_mut()?.push(schema_ref(&b));
                let target = doc.pointer_mut(&comp(&b))?.as_object_mut()?;
                let all_of = target.entry("allOf").or_insert_with(|| json!([]));
                all_of.as_array_mut()?.push(schema_ref(&a));
                Some(format!("{a:?} and {b:?} each allOf the other"))
            }
            3 | 4 => {
                // A schema inside a component refers to a schema that contains it.
                let spec = self.spec;
                let inner: Vec<usize> = spec
                    .schemas
                    .iter()
                    .copied()
                    .filter(|&i| {
                        spec.nodes[i].pointer.starts_with("/components/schemas/")
                            && spec.nodes[i].pointer.matches('/').count() > 3
                    })
                    .collect();
                let pointer = self.node(&inner)?.pointer.clone();
                let ancestors: Vec<&str> = pointer
                    .match_indices('/')
                    .map(|(i, _)| &pointer[..i])
                    .filter(|p| p.matches('/').count() >= 3)
                    .collect();
                let parent = self.rng.pick(&ancestors)?.to_string();
                set(doc, &pointer, json!({ "$ref": format!("#{parent}") }))?;
                Some(format!("#{pointer} = a $ref to its ancestor #{parent}"))
            }
            5 => {
                let pointer = self.node(&self.spec.schemas)?.pointer.clone();
                set(doc, &pointer, json!({ "$ref": format!("#{pointer}") }))?;
                Some(format!("#{pointer} = a $ref to its own place"))
            }
            6 => {
                let a = self.component("schemas")?;
                let b = self.component("schemas")?;
                for (from, to, field) in [(&a, &b, "cycle_a"), (&b, &a, "cycle_b")] {
                    let target = doc.pointer_mut(&comp(from))?.as_object_mut()?;
                    target
                        .entry("properties")
                        .or_insert_with(|| json!({}))
                        .as_object_mut()?
                        .insert(field.into(), schema_ref(to));
                    let required = target.entry("required").or_insert_with(|| json!([]));
                    required.as_array_mut()?.push(json!(field));
                }
                Some(format!(
                    "{a:?} and {b:?} each hold the other in a required property"
                ))
            }
            7 => {
                let a = self.component("schemas")?;
                let via = *self
                    .rng
                    .pick(&["oneOf", "anyOf", "items", "additionalProperties"])?;
                let v = match via {
                    "oneOf" | "anyOf" => json!({ via: [schema_ref(&a), {"type": "string"}] }),
                    "items" => json!({"type": "array", "items": schema_ref(&a)}),
                    _ => json!({"type": "object", "additionalProperties": schema_ref(&a)}),
                };
                set(doc, &comp(&a), v)?;
                Some(format!("#{} = a {via} of itself", comp(&a)))
            }
            _ => {
                // Parameters, responses, request bodies, headers: `$ref`s to themselves or each other.
                let sections = ["parameters", "responses", "requestBodies", "headers"];
                let section = *self.rng.pick(&sections)?;
                let a = self.component(section)?;
                let b = self.component(section)?;
                let p = |n: &str| format!("/components/{section}/{}", escape(n));
                set(doc, &p(&a), json!({ "$ref": format!("#{}", p(&b)) }))?;
                if a != b {
                    set(doc, &p(&b), json!({ "$ref": format!("#{}", p(&a)) }))?;
                }
                Some(format!("#{} ↔ #{}: a $ref cycle", p(&a), p(&b)))
            }
        }
    }

    fn dangling_ref(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        let pointer = if self.rng.chance(60) && !spec.refs.is_empty() {
            self.node(&spec.refs)?.pointer.clone()
        } else {
            self.node(&spec.schemas)?.pointer.clone()
        };
        let name = self.component("schemas").unwrap_or_else(|| "x".into());
        let e = escape(&name);
        let pool = [
            "#/components/schemas/__missing__".to_string(),
            "#/components/schemas/".into(),
            "#/components/schemas".into(),
            "#/components".into(),
            "#".into(),
            "".into(),
            "#/".into(),
            "//".into(),
            "other.yaml".into(),
            format!("other.yaml#/components/schemas/{e}"),
            "https://example.com/s.json#/x".into(),
            format!("#/components/schemas/{e}/properties/__missing__"),
            "#/paths/~1nope".into(),
            "#/paths".into(),
            format!("#/components/parameters/{e}"),
            format!("#/components/responses/{e}"),
            format!("#/components/schemas/{e}~"),
            format!("#/components/schemas/{e}~2"),
            format!("#/components/schemas/{e}%20"),
            format!("#/components/schemas/{e}/"),
            format!("#/definitions/{e}"),
            format!("#/components/schemas/{e}#"),
            "#/info".into(),
            "#/info/title".into(),
            "#/openapi".into(),
            "#/components/schemas/\u{0}".into(),
        ];
        let target = self.rng.pick(&pool)?.clone();
        let node = doc.pointer_mut(&pointer)?.as_object_mut()?;
        if self.rng.chance(20) {
            // Siblings beside the `$ref`, the 3.1 way.
            node.insert("description".into(), json!("beside a dangling $ref"));
        } else {
            node.clear();
        }
        node.insert("$ref".into(), Value::String(target.clone()));
        Some(format!("#{pointer}/$ref = {target:?}"))
    }

    fn huge_number(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.node(&self.spec.schemas)?.pointer.clone();
        let keyword = *self.rng.pick(NUMBER_KEYWORDS)?;
        let literal = *self.rng.pick(HUGE_NUMBERS)?;
        let mut line = format!("#{pointer}/{keyword} = {literal}");
        let value = self.literal(literal);
        let retype = if self.rng.chance(30) {
            let t = *self.rng.pick(&["integer", "number"])?;
            let f = *self
                .rng
                .pick(&["int8", "int32", "int64", "uint64", "float", "double"])?;
            Some((t, f))
        } else {
            None
        };
        let as_enum = self.rng.chance(15);
        let other = if as_enum {
            let l = *self.rng.pick(HUGE_NUMBERS)?;
            Some((l, self.literal(l)))
        } else {
            None
        };
        let node = doc.pointer_mut(&pointer)?.as_object_mut()?;
        if let Some((t, f)) = retype {
            node.insert("type".into(), json!(t));
            node.insert("format".into(), json!(f));
            let _ = write!(line, " with type {t}, format {f}");
        }
        match other {
            Some((l, v)) => {
                node.insert("enum".into(), json!([value, v]));
                line = format!("#{pointer}/enum = [{literal}, {l}]");
            }
            None => {
                node.insert(keyword.into(), value);
            }
        }
        Some(line)
    }

    fn odd_name_mutation(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        if self.rng.chance(30) {
            // A string that becomes a name: a parameter's, an operationId, an enum member.
            let strings: &[usize] = &spec.texts;
            let n = self.node(strings)?;
            if !matches!(
                n.key.as_str(),
                "name" | "operationId" | "propertyName" | "enum" | "const"
            ) {
                return None;
            }
            let pointer = n.pointer.clone();
            let odd = self.odd_name();
            *doc.pointer_mut(&pointer)? = Value::String(odd.clone());
            return Some(format!("#{pointer} = {odd:?}"));
        }
        let n = self.node(&spec.names)?;
        let pointer = n.pointer.clone();
        let old = n.key.clone();
        let odd = self.odd_name();
        let (parent, _) = pointer.rsplit_once('/')?;
        let parent = parent.to_string();
        let map = doc.pointer_mut(&parent)?.as_object_mut()?;
        if !rename_key(map, &old, &odd) {
            return None;
        }
        // Keep the spec consistent where it is cheap: a renamed property stays required, a
        // renamed component stays referred to.
        if let Some(schema) = parent.strip_suffix("/properties") {
            if let Some(Value::Array(required)) =
                doc.pointer_mut(schema).and_then(|s| s.get_mut("required"))
            {
                for r in required.iter_mut() {
                    if r.as_str() == Some(old.as_str()) {
                        *r = Value::String(odd.clone());
                    }
                }
            }
        }
        if let Some(section) = parent.strip_prefix("/components/") {
            if !section.contains('/') {
                let from = format!("#{parent}/{}", escape(&old));
                let to = format!("#{parent}/{}", escape(&odd));
                rewrite_refs(doc, &from, &to);
            }
        }
        Some(format!("rename #{pointer} to {odd:?}"))
    }

    fn odd_text(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        let pointer = if self.rng.chance(70) && !spec.texts.is_empty() {
            self.node(&spec.texts)?.pointer.clone()
        } else {
            let p = self.node(&spec.schemas)?.pointer.clone();
            format!("{p}/description")
        };
        let text = self.rng.pick(ODD_TEXTS)?.to_string();
        let (parent, key) = pointer.rsplit_once('/')?;
        let key = key.replace("~1", "/").replace("~0", "~");
        let target = doc.pointer_mut(parent)?;
        match target {
            Value::Object(map) => {
                map.insert(key, Value::String(text.clone()));
            }
            Value::Array(items) => {
                *items.get_mut(key.parse::<usize>().ok()?)? = Value::String(text.clone());
            }
            _ => return None,
        }
        Some(format!("#{pointer} = {text:?}"))
    }

    fn odd_type(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.node(&self.spec.schemas)?.pointer.clone();
        let ty: Value = match self.rng.below(10) {
            0 => json!(["string", "null"]),
            1 => json!(["integer", "number"]),
            2 => json!(["null"]),
            3 => json!([]),
            4 => json!(["array", "object", "string", "null"]),
            _ => json!(self.rng.pick(TYPES)?),
        };
        let format = self.rng.chance(50).then(|| self.rng.pick(FORMATS).copied());
        let node = doc.pointer_mut(&pointer)?.as_object_mut()?;
        node.insert("type".into(), ty.clone());
        let mut line = format!("#{pointer}/type = {ty}");
        if let Some(Some(f)) = format {
            node.insert("format".into(), json!(f));
            let _ = write!(line, ", format {f:?}");
        }
        Some(line)
    }

    /// Siblings named so that they collide with an entry once made identifiers (`petId`, `pet_id`,
    /// `PetId`, `pet-id`, ...), or operations that share an `operationId`.
    fn collide(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        if self.rng.chance(20) && spec.operations.len() >= 2 {
            let a = self.rng.pick(&spec.operations)?.clone();
            let b = self.rng.pick(&spec.operations)?.clone();
            let id = doc
                .pointer(&format!("{a}/operationId"))
                .and_then(Value::as_str)
                .map_or_else(|| "op".to_string(), str::to_string);
            let other = if self.rng.chance(50) {
                id.clone()
            } else {
                variants(&id).into_iter().next()?
            };
            doc.pointer_mut(&b)?
                .as_object_mut()?
                .insert("operationId".into(), json!(other));
            return Some(format!("#{b}/operationId = {other:?}, like #{a}'s"));
        }
        let n = self.node(&spec.names)?;
        let pointer = n.pointer.clone();
        let key = n.key.clone();
        let (parent, _) = pointer.rsplit_once('/')?;
        let parent = parent.to_string();
        let names = variants(&key);
        let count = 1 + self.rng.below(3);
        let retype = self.rng.chance(30);
        let map = doc.pointer_mut(&parent)?.as_object_mut()?;
        let value = map.get(&key)?.clone();
        let mut added = Vec::new();
        for _ in 0..count {
            let name = self.rng.pick(&names)?.clone();
            if map.contains_key(&name) {
                continue;
            }
            let v = if retype && value.is_object() {
                json!({"type": "integer"})
            } else {
                value.clone()
            };
            map.insert(name.clone(), v);
            added.push(name);
        }
        if added.is_empty() {
            return None;
        }
        if let Some(schema) = parent.strip_suffix("/properties") {
            if let Some(Value::Array(required)) =
                doc.pointer_mut(schema).and_then(|s| s.get_mut("required"))
            {
                required.extend(added.iter().map(|a| json!(a)));
            }
        }
        Some(format!("beside #{pointer}: {added:?}"))
    }

    /// An odd part of an operation: response codes, media types, parameters, bodies, paths, servers,
    /// security, tags.
    fn odd_operation(&mut self, doc: &mut Value) -> Option<String> {
        let spec = self.spec;
        let op = self.rng.pick(&spec.operations)?.clone();
        let odd = self.odd_name();
        match self.rng.below(10) {
            0 => {
                let codes = [
                    "2XX", "2xx", "20O", "99", "600", "", "default", "1XX", "3XX", "200 ", "+200",
                    "0200", "204", "4XX",
                ];
                let code = *self.rng.pick(&codes)?;
                let responses = doc
                    .pointer_mut(&format!("{op}/responses"))?
                    .as_object_mut()?;
                let keys: Vec<String> = responses.keys().cloned().collect();
                let old = self.rng.pick(&keys)?.clone();
                if !rename_key(responses, &old, code) {
                    return None;
                }
                Some(format!("#{op}/responses/{old}: renamed {code:?}"))
            }
            1 => {
                let media = [
                    "*/*",
                    "",
                    "application/json; charset=😀",
                    "text/*",
                    "multipart/form-data",
                    "application/x-www-form-urlencoded",
                    "application/octet-stream",
                    "application/vnd.x+json;v=2",
                    "APPLICATION/JSON",
                    "json",
                    "text/plain",
                ];
                let new = *self.rng.pick(&media)?;
                let place = if self.rng.chance(50) {
                    format!("{op}/requestBody/content")
                } else {
                    let responses = doc.pointer(&format!("{op}/responses"))?.as_object()?;
                    let codes: Vec<String> = responses.keys().cloned().collect();
                    let code = self.rng.pick(&codes)?;
                    format!("{op}/responses/{}/content", escape(code))
                };
                let content = doc.pointer_mut(&place)?.as_object_mut()?;
                let keys: Vec<String> = content.keys().cloned().collect();
                let old = self.rng.pick(&keys)?.clone();
                if !rename_key(content, &old, new) {
                    return None;
                }
                Some(format!("#{place}/{}: renamed {new:?}", escape(&old)))
            }
            2 | 3 => {
                let locations = [
                    "query", "header", "path", "cookie", "body", "formData", "", "QUERY",
                ];
                let styles = [
                    "form",
                    "simple",
                    "deepObject",
                    "spaceDelimited",
                    "pipeDelimited",
                    "matrix",
                    "label",
                    "weird",
                ];
                let schemas = [
                    json!({"type": "string"}),
                    json!({"type": "array", "items": {"type": "object"}}),
                    json!({"type": "object", "properties": {"a": {"type": "string"}}}),
                    json!({}),
                    json!({"$ref": "#/components/schemas/__missing__"}),
                    json!({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}),
                ];
                let params = doc
                    .pointer_mut(&op)?
                    .as_object_mut()?
                    .entry("parameters")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()?;
                let param = if self.rng.chance(40) && !params.is_empty() {
                    // The same name and place as another, another schema.
                    let mut p = self.rng.pick(params)?.clone();
                    p.as_object_mut()?
                        .insert("schema".into(), self.rng.pick(&schemas)?.clone());
                    p
                } else {
                    json!({
                        "name": odd,
                        "in": self.rng.pick(&locations)?,
                        "required": self.rng.chance(50),
                        "style": self.rng.pick(&styles)?,
                        "explode": self.rng.chance(50),
                        "schema": self.rng.pick(&schemas)?,
                    })
                };
                let line = format!("#{op}/parameters += {}", short(&param));
                params.push(param);
                Some(line)
            }
            4 => {
                let bodies = [
                    json!({"content": {"multipart/form-data": {"schema": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}),
                    json!({"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"f": {"type": "string", "format": "binary"}, odd.as_str(): {"type": "object"}}, "required": ["f"]}}}}),
                    json!({"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "object"}}}}}}}),
                    json!({"required": true, "content": {}}),
                    json!({"$ref": "#/components/requestBodies/__missing__"}),
                    json!({"content": {"application/json": {"schema": {"type": "string", "format": "binary"}}}}),
                    json!({"content": {"application/octet-stream": {"schema": {"type": "object"}}}}),
                ];
                let body = self.rng.pick(&bodies)?.clone();
                let line = format!("#{op}/requestBody = {}", short(&body));
                doc.pointer_mut(&op)?
                    .as_object_mut()?
                    .insert("requestBody".into(), body);
                Some(line)
            }
            5 => {
                doc.pointer_mut(&op)?
                    .as_object_mut()?
                    .insert("operationId".into(), json!(odd));
                Some(format!("#{op}/operationId = {odd:?}"))
            }
            6 => {
                let paths = [
                    "/a/{}",
                    "/{a}/{a}",
                    "/a/{b",
                    "no-slash",
                    "",
                    "/a b/{😀}",
                    "/{self}",
                    "//x",
                    "/{Self}/{type}",
                    "/}{",
                ];
                let new = *self.rng.pick(&paths)?;
                let (_, rest) = op.split_once("/paths/")?;
                let (old, _) = rest.rsplit_once('/')?;
                let old = old.replace("~1", "/").replace("~0", "~");
                let map = doc.get_mut("paths")?.as_object_mut()?;
                if !rename_key(map, &old, new) {
                    return None;
                }
                Some(format!("path {old:?} renamed {new:?}"))
            }
            7 => {
                let urls = [
                    "",
                    "{host}/v1",
                    "http://[::1",
                    "ftp://x",
                    "/relative",
                    "http://a/{v}",
                    "😀://x",
                    "http://a b",
                ];
                let url = *self.rng.pick(&urls)?;
                let servers =
                    json!([{"url": url, "variables": {"v": {"default": odd, "enum": ["x"]}}}]);
                let line = format!("servers = {}", short(&servers));
                doc.as_object_mut()?.insert("servers".into(), servers);
                Some(line)
            }
            8 => {
                let schemes = [
                    json!({"type": "http", "scheme": odd}),
                    json!({"type": "apiKey", "in": "body", "name": ""}),
                    json!({"type": "apiKey", "in": "header", "name": odd}),
                    json!({"type": "oauth2", "flows": {}}),
                    json!({"type": "openIdConnect"}),
                    json!({"type": "mutualTLS"}),
                ];
                let scheme = self.rng.pick(&schemes)?.clone();
                let line = format!("a security scheme {odd:?} = {}", short(&scheme));
                doc.as_object_mut()?
                    .entry("components")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()?
                    .entry("securitySchemes")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()?
                    .insert(odd.clone(), scheme);
                doc.pointer_mut(&op)?.as_object_mut()?.insert(
                    "security".into(),
                    json!([{ odd.as_str(): [] }, {"__missing__": ["x"]}]),
                );
                Some(line)
            }
            _ => {
                let other = self.odd_name();
                doc.pointer_mut(&op)?
                    .as_object_mut()?
                    .insert("tags".into(), json!([odd, other]));
                Some(format!("#{op}/tags = [{odd:?}, {other:?}]"))
            }
        }
    }

    fn odd_keyword(&mut self, doc: &mut Value) -> Option<String> {
        let pointer = self.node(&self.spec.schemas)?.pointer.clone();
        let odd = self.odd_name();
        let missing = "#/components/schemas/__missing__";
        let some = self
            .component("schemas")
            .map(|n| format!("#/components/schemas/{}", escape(&n)))
            .unwrap_or_else(|| missing.to_string());
        let choices: Vec<(&str, Value)> = vec![
            ("discriminator", json!({"propertyName": odd})),
            (
                "discriminator",
                json!({"propertyName": "kind", "mapping": {"a": missing, odd.as_str(): some}}),
            ),
            ("discriminator", json!({})),
            ("enum", json!([])),
            ("enum", json!([null])),
            ("enum", json!([1, "1", true, {}, [], null, 1.5])),
            (
                "enum",
                json!(["", "a", "A", "a-", "a_", "self", "Self", "😀", odd]),
            ),
            ("enum", json!(["x", "x", "X"])),
            ("required", json!(["__missing__", "", "__missing__"])),
            ("required", json!(true)),
            ("additionalProperties", json!(false)),
            ("additionalProperties", json!(true)),
            ("additionalProperties", json!({})),
            (
                "additionalProperties",
                json!({"$ref": format!("#{pointer}")}),
            ),
            ("nullable", json!(true)),
            ("nullable", json!("yes")),
            ("readOnly", json!(true)),
            ("writeOnly", json!(true)),
            ("const", json!(odd)),
            ("const", json!(null)),
            ("oneOf", json!([])),
            ("allOf", json!([])),
            ("anyOf", json!([{}])),
            ("oneOf", json!([{"type": "string"}, {"type": "string"}])),
            ("allOf", json!([{"type": "string"}, {"type": "integer"}])),
            ("items", json!(false)),
            ("items", json!(true)),
            ("properties", json!({})),
            (
                "properties",
                json!({ odd.as_str(): {}, "": {"type": "string"} }),
            ),
            ("pattern", json!("(")),
            ("default", json!({"$ref": some})),
            ("prefixItems", json!([{"type": "string"}, {"$ref": some}])),
            ("$defs", json!({ odd.as_str(): {"type": "integer"} })),
            ("x-enum-varnames", json!(["a"])),
        ];
        let (key, value) = self.rng.pick(&choices)?.clone();
        let node = doc.pointer_mut(&pointer)?.as_object_mut()?;
        let line = format!("#{pointer}/{key} = {}", short(&value));
        node.insert(key.to_string(), value);
        Some(line)
    }
}

// --- running mutants ---

enum Outcome {
    Generated(BTreeMap<String, String>),
    Refused(codegen::Error),
    Panicked(String),
}

struct Done {
    mutant: Mutant,
    outcome: Outcome,
}

thread_local! {
    /// The message and place of the last panic on this thread (the silenced hook records it).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Why a mutant gave no outcome.
enum Stop {
    /// No result within [`HANG`].
    Hung,
    /// The thread ended without one: the mutator panicked (its message), or, in a replay, the
    /// generator did (the default hook printed it).
    Died(String),
}

/// Builds and runs mutant `index` of `seed` on a thread of its own. `catch`: catch the generator's
/// panics (else they reach the default hook, as in a replay).
fn run_mutant(spec: &Arc<Spec>, seed: u64, index: u64, catch: bool) -> Result<Done, Stop> {
    let (tx, rx) = mpsc::channel();
    let spec = Arc::clone(spec);
    let thread = std::thread::Builder::new()
        .name(format!("mutant {seed}:{index}"))
        .stack_size(STACK)
        .spawn(move || {
            let mutant = match catch_unwind(AssertUnwindSafe(|| build(&spec, seed, index))) {
                Ok(m) => m,
                Err(payload) => {
                    let _ = tx.send(Err(panic_message(payload.as_ref())));
                    return;
                }
            };
            let options = codegen::Options {
                profile: codegen::ProfileKind::Generic,
                ..Default::default()
            };
            let generate = || codegen::generate_str_with(&mutant.text, mutant.format, &options);
            let outcome = if catch {
                match catch_unwind(AssertUnwindSafe(generate)) {
                    Ok(Ok(output)) => Outcome::Generated(output.files),
                    Ok(Err(e)) => Outcome::Refused(e),
                    Err(payload) => {
                        let place = LAST_PANIC.with(|p| p.borrow_mut().take());
                        let message = panic_message(payload.as_ref());
                        Outcome::Panicked(match place {
                            Some(place) => format!("{message} ({place})"),
                            None => message,
                        })
                    }
                }
            } else {
                match generate() {
                    Ok(output) => Outcome::Generated(output.files),
                    Err(e) => Outcome::Refused(e),
                }
            };
            let _ = tx.send(Ok(Done { mutant, outcome }));
        })
        .expect("a thread starts");
    match rx.recv_timeout(HANG) {
        Ok(result) => {
            let _ = thread.join();
            result.map_err(|m| Stop::Died(format!("the mutator panicked building it: {m}")))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = thread.join();
            Err(Stop::Died("it panicked (above)".into()))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Stop::Hung),
    }
}

/// The `.rs` files that do not parse, with syn's message. Files seen to parse before are skipped
/// (most files of a mutant are the same as the last one's).
fn unparsable(files: &BTreeMap<String, String>, parsed: &mut HashSet<u64>) -> Vec<String> {
    let mut bad = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let mut h = std::hash::DefaultHasher::new();
        text.hash(&mut h);
        let key = h.finish();
        if parsed.contains(&key) {
            continue;
        }
        match syn::parse_file(text) {
            Ok(_) => {
                parsed.insert(key);
            }
            Err(e) => bad.push(format!("{path}: {e}")),
        }
    }
    bad
}

/// Runs `cargo xtask codegen --spec MUTANT --out DIR` (this program) on a mutant that failed to
/// generate; returns what is wrong, if anything: DIR written, or the command succeeded or crashed.
fn check_no_partial_output(
    work: &Path,
    mutant: &Mutant,
    tag: &str,
    existing: bool,
) -> Option<String> {
    let dir = work.join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    let ext = match mutant.format {
        Format::Json => "json",
        Format::Yaml => "yaml",
    };
    let spec = dir.join(format!("mutant.{ext}"));
    let out = dir.join("out");
    let setup = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&spec, &mutant.text)?;
        if existing {
            // A crate from an earlier run: it must stay as it is.
            std::fs::create_dir_all(out.join("src"))?;
            std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"earlier\"\n")?;
            std::fs::write(out.join("src/lib.rs"), "// an earlier crate\n")?;
        }
        Ok(())
    })();
    if let Err(e) = setup {
        return Some(format!("cannot prepare {}: {e}", dir.display()));
    }
    let before = tree(&out);
    let result = this_program().and_then(|exe| {
        Command::new(exe)
            .arg("codegen")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
    });
    let problem = match result {
        Err(e) => Some(format!("cannot run `cargo xtask codegen`: {e}")),
        Ok(o) if o.status.success() => {
            Some("`cargo xtask codegen` succeeded where the generator had refused the spec".into())
        }
        Ok(o) if o.status.code() != Some(1) => Some(format!(
            "`cargo xtask codegen` crashed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        )),
        Ok(_) => {
            let after = tree(&out);
            if after == before {
                None
            } else if before.is_none() {
                Some("`cargo xtask codegen` failed but created the output folder".into())
            } else {
                Some("`cargo xtask codegen` failed but changed the output folder".into())
            }
        }
    };
    if problem.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    problem
}

/// This program. On Linux `/proc/self/exe`, which stays this binary when a build in the same target
/// folder replaces the file meanwhile.
fn this_program() -> std::io::Result<PathBuf> {
    let proc = PathBuf::from("/proc/self/exe");
    if cfg!(target_os = "linux") && proc.exists() {
        Ok(proc)
    } else {
        std::env::current_exe()
    }
}

/// Every file under `dir` with its bytes; `None` when `dir` does not exist.
fn tree(dir: &Path) -> Option<BTreeMap<PathBuf, Vec<u8>>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.insert(path.clone(), Vec::new());
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    Some(out)
}

// --- the command ---

#[derive(Default, Clone)]
struct Counts {
    run: usize,
    generated: usize,
    refused: usize,
    panicked: usize,
    unparsable: usize,
    write_checked: usize,
    wrote: usize,
    /// Time spent on this spec's mutants (building, generating, checking).
    time: Duration,
}

/// A failure worth listing, with what replays it.
struct Finding {
    what: &'static str,
    seed: u64,
    index: u64,
    spec: String,
    description: Vec<String>,
    message: String,
}

struct Args {
    seed: u64,
    budget: Duration,
    specs: Vec<PathBuf>,
    /// The `--spec` arguments as given (for replay commands).
    spec_args: Vec<String>,
    replay: Option<(u64, u64)>,
}

fn parse_args(root: &Path, args: &[String]) -> Result<Args, String> {
    let mut seed = DEFAULT_SEED;
    let mut budget = Duration::from_secs(DEFAULT_BUDGET);
    let mut spec_args = Vec::new();
    let mut replay = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: `{v}` is not a number"))?;
            }
            "--budget" => {
                let v = it.next().ok_or("--budget needs a number of seconds")?;
                let secs: f64 = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s >= 0.0)
                    .ok_or_else(|| format!("--budget: `{v}` is not a number of seconds"))?;
                budget = Duration::from_secs_f64(secs);
            }
            "--spec" => spec_args.push(it.next().ok_or("--spec needs a file or folder")?.clone()),
            "--replay" => {
                let v = it.next().ok_or("--replay needs SEED:INDEX")?;
                let parsed = v
                    .split_once(':')
                    .and_then(|(s, i)| Some((s.parse().ok()?, i.parse().ok()?)));
                replay = Some(parsed.ok_or_else(|| format!("--replay: `{v}` is not SEED:INDEX"))?);
            }
            other => return Err(format!("unknown option `{other}` for mutate")),
        }
    }
    let mut specs = Vec::new();
    if spec_args.is_empty() {
        for dir in ["../shared/specs", "../shared/specs-3.1"] {
            specs.extend(spec_files(&root.join(dir))?);
        }
        specs.push(root.join(super::SPEC));
    } else {
        for a in &spec_args {
            let p = PathBuf::from(a);
            if p.is_dir() {
                specs.extend(spec_files(&p)?);
            } else {
                specs.push(p);
            }
        }
    }
    Ok(Args {
        seed,
        budget,
        specs,
        spec_args,
        replay,
    })
}

/// The spec files of `dir`, sorted.
fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        })
        .collect();
    out.sort();
    Ok(out)
}

fn replay_command(args: &Args, seed: u64, index: u64) -> String {
    let mut c = format!("cargo xtask mutate --replay {seed}:{index}");
    for s in &args.spec_args {
        let _ = write!(c, " --spec {s}");
    }
    c
}

/// Runs the command.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = parse_args(root, args)?;
    let start = Instant::now();
    let specs: Vec<Arc<Spec>> = args
        .specs
        .iter()
        .map(|p| Spec::parse(p).map(Arc::new))
        .collect::<Result<_, _>>()?;
    if specs.is_empty() {
        return Err("no spec to mutate".into());
    }
    let work = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("mutate");
    eprintln!(
        "mutate: {} specs parsed in {:.1?}",
        specs.len(),
        start.elapsed()
    );
    if let Some((seed, index)) = args.replay {
        return replay(&specs, &work, seed, index);
    }

    // Silence the default hook (it would print every caught panic) but keep its message and place.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(place));
    }));

    let seed = args.seed;
    let mut counts = vec![Counts::default(); specs.len()];
    let mut by_op: BTreeMap<Op, Counts> = BTreeMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut parsed = HashSet::new();
    let mut hung = None;
    let mut slowest: Option<(Duration, u64)> = None;
    let run_start = Instant::now();
    let mut index: u64 = 0;
    // The budget counts from the start, parsing included.
    while start.elapsed() < args.budget {
        let s = (index % specs.len() as u64) as usize;
        let spec = &specs[s];
        let mutant_start = Instant::now();
        let done = match run_mutant(spec, seed, index, true) {
            Ok(done) => done,
            Err(Stop::Hung) => {
                hung = Some(index);
                break;
            }
            Err(Stop::Died(why)) => {
                return Err(format!(
                    "mutant {seed}:{index} of {}: {why} (replay: {})",
                    spec.shown,
                    replay_command(&args, seed, index)
                ))
            }
        };
        let c = &mut counts[s];
        c.run += 1;
        let finding = |what, message: String| Finding {
            what,
            seed,
            index,
            spec: spec.shown.clone(),
            description: done.mutant.description.clone(),
            message,
        };
        let mut ops: Vec<Op> = done.mutant.ops.clone();
        ops.sort();
        ops.dedup();
        let mut tally = |f: &dyn Fn(&mut Counts)| {
            for op in &ops {
                f(by_op.entry(*op).or_default());
            }
        };
        tally(&|c| c.run += 1);
        match &done.outcome {
            Outcome::Generated(files) => {
                let bad = unparsable(files, &mut parsed);
                if bad.is_empty() {
                    c.generated += 1;
                    tally(&|c| c.generated += 1);
                } else {
                    c.unparsable += 1;
                    tally(&|c| c.unparsable += 1);
                    findings.push(finding("unparsable output", bad.join("; ")));
                }
            }
            Outcome::Refused(e) if e.message.contains("internal error") => {
                c.unparsable += 1;
                tally(&|c| c.unparsable += 1);
                findings.push(finding("unparsable output", e.to_string()));
            }
            Outcome::Refused(_) => {
                c.refused += 1;
                tally(&|c| c.refused += 1);
                let sample = c.refused <= WRITE_CHECK_FIRST || c.refused % WRITE_CHECK_EVERY == 0;
                if sample {
                    c.write_checked += 1;
                    let tag = format!("{seed}-{index}");
                    let existing = c.write_checked % 2 == 0;
                    if let Some(problem) =
                        check_no_partial_output(&work, &done.mutant, &tag, existing)
                    {
                        c.wrote += 1;
                        findings.push(finding("output after an error", problem));
                    }
                }
            }
            Outcome::Panicked(message) => {
                c.panicked += 1;
                tally(&|c| c.panicked += 1);
                findings.push(finding("panic", message.clone()));
            }
        }
        let spent = mutant_start.elapsed();
        counts[s].time += spent;
        if slowest.is_none_or(|(t, _)| t < spent) {
            slowest = Some((spent, index));
        }
        index += 1;
    }
    let took = run_start.elapsed();
    let _ = std::panic::take_hook();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "mutate: seed {seed}: {index} mutants in {:.1} s ({}; budget {:.0} s)\n",
        took.as_secs_f64(),
        if hung.is_some() {
            "stopped by a hung mutant"
        } else {
            "stopped by the budget"
        },
        args.budget.as_secs_f64()
    );
    if let Some((t, i)) = slowest {
        let _ = writeln!(
            out,
            "slowest mutant: {seed}:{i} of {}, {:.1} s\n",
            specs[(i % specs.len() as u64) as usize].shown,
            t.as_secs_f64()
        );
    }
    out.push_str(&table(
        "spec",
        specs
            .iter()
            .map(|s| s.shown.clone())
            .zip(counts.iter().cloned()),
        true,
    ));
    out.push('\n');
    out.push_str(&table(
        "mutation (a mutant may have several)",
        by_op
            .iter()
            .map(|(op, c)| (op.name().to_string(), c.clone())),
        false,
    ));
    print!("{out}");

    let mut problems = Vec::new();
    if let Some(i) = hung {
        problems.push(format!(
            "mutant {seed}:{i} did not finish within {} s (replay: {})",
            HANG.as_secs(),
            replay_command(&args, seed, i)
        ));
    }
    let total = findings.len();
    for f in findings.iter().take(SHOWN_PANICS) {
        let mut p = format!(
            "{} in mutant {}:{} of {}: {}\n  mutations: {}\n  replay: {}",
            f.what,
            f.seed,
            f.index,
            f.spec,
            f.message,
            f.description.join("; "),
            replay_command(&args, f.seed, f.index)
        );
        p = p.replace('\u{0}', "\\0");
        problems.push(p);
    }
    if total > SHOWN_PANICS {
        problems.push(format!("... and {} more", total - SHOWN_PANICS));
    }
    if problems.is_empty() {
        println!("\nmutate: no panic, no unparsable output, nothing written after an error");
        Ok(())
    } else {
        Err(format!(
            "{} problem(s):\n\n{}",
            total + usize::from(hung.is_some()),
            problems.join("\n\n")
        ))
    }
}

fn table(first: &str, rows: impl Iterator<Item = (String, Counts)>, writes: bool) -> String {
    let mut t = format!(
        "| {first} | mutants | generated | refused | panicked | unparsable output |{}\n| --- | ---: | ---: | ---: | ---: | ---: |{}\n",
        if writes { " writes checked after an error | time |" } else { "" },
        if writes { " --- | ---: |" } else { "" }
    );
    let mut sum = Counts::default();
    for (name, c) in rows {
        let _ = write!(
            t,
            "| {name} | {} | {} | {} | {} | {} |",
            c.run, c.generated, c.refused, c.panicked, c.unparsable
        );
        if writes {
            let _ = write!(t, " {} | {:.1} s |", writes_cell(&c), c.time.as_secs_f64());
        }
        t.push('\n');
        sum.run += c.run;
        sum.generated += c.generated;
        sum.refused += c.refused;
        sum.panicked += c.panicked;
        sum.unparsable += c.unparsable;
        sum.write_checked += c.write_checked;
        sum.wrote += c.wrote;
        sum.time += c.time;
    }
    if writes {
        let _ = writeln!(
            t,
            "| **total** | {} | {} | {} | {} | {} | {} | {:.1} s |",
            sum.run,
            sum.generated,
            sum.refused,
            sum.panicked,
            sum.unparsable,
            writes_cell(&sum),
            sum.time.as_secs_f64()
        );
    }
    t
}

fn writes_cell(c: &Counts) -> String {
    if c.wrote == 0 {
        format!("{} clean", c.write_checked)
    } else {
        format!("**{} of {} wrote**", c.wrote, c.write_checked)
    }
}

/// Rebuilds one mutant, writes its text under `work/` and runs it with the default panic hook.
fn replay(specs: &[Arc<Spec>], work: &Path, seed: u64, index: u64) -> Result<(), String> {
    let spec = &specs[(index % specs.len() as u64) as usize];
    // The mutant alone, to write it out before it runs (it may overflow the stack).
    let mutant = build(spec, seed, index);
    let ext = match mutant.format {
        Format::Json => "json",
        Format::Yaml => "yaml",
    };
    std::fs::create_dir_all(work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let file = work.join(format!("replay-{seed}-{index}.{ext}"));
    std::fs::write(&file, &mutant.text)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!("mutant {seed}:{index} of {}:", spec.shown);
    for line in &mutant.description {
        println!("  {}", line.replace('\u{0}', "\\0"));
    }
    println!("written to {}", super::shown_path(&file));
    match run_mutant(spec, seed, index, false) {
        Err(Stop::Hung) => Err(format!(
            "the mutant did not finish within {} s",
            HANG.as_secs()
        )),
        Err(Stop::Died(why)) => Err(why),
        Ok(done) => match done.outcome {
            Outcome::Generated(files) => {
                let bad = unparsable(&files, &mut HashSet::new());
                if bad.is_empty() {
                    println!("generated {} files; every .rs file parses", files.len());
                    Ok(())
                } else {
                    Err(format!(
                        "generated Rust that does not parse: {}",
                        bad.join("; ")
                    ))
                }
            }
            Outcome::Refused(e) => {
                println!("refused: {e}");
                if e.message.contains("internal error") {
                    Err("an internal error".into())
                } else {
                    Ok(())
                }
            }
            Outcome::Panicked(m) => Err(format!("panicked: {m}")),
        },
    }
}
