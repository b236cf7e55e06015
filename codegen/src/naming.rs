//! The one place where wire names become Rust names: casing, keywords, invalid characters and
//! collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers (strict and reserved keywords of every edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Names clippy's `disallowed_names` rejects by default (placeholders): suffixed with `_` like
/// the keywords that cannot be raw, so generated code passes clippy as written.
const PLACEHOLDERS: &[&str] = &["foo", "baz", "quux"];

/// Names of the standard prelude that generated code writes unqualified (`Option<String>`, not
/// `::std::option::Option<::std::string::String>`: a seventh of the generated text was such paths).
/// A generated type named like one would shadow it in its module, so a type or handle takes it with
/// a `_` (`Result_`), as `Self` does.
const PRELUDE: &[&str] = &[
    "Box",
    "Clone",
    "Default",
    "Err",
    "From",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// The name of a generated item (a type, a group's handle) from its UpperCamelCase words: `_` after
/// a name the generated code needs unqualified ([`PRELUDE`], `Self`) or that would name a
/// constructor like its type (`New::new(..)`, clippy's `self_named_constructors`).
pub fn item_name(name: String) -> String {
    if name == "Self" || name == "New" || PRELUDE.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// True if `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keeps only characters that can appear in an identifier, turning the rest into word breaks.
fn words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A field or function name: `snake_case`, never starting with a digit, keywords made raw (`r#type`).
/// Returned without the `r#`; use [`ident_tokens`] to build the token.
pub fn field_name(wire: &str) -> String {
    // A sign before a number is a word (GitHub's reactions `+1` and `-1`).
    let signed = |sign: char, word: &str| {
        wire.strip_prefix(sign)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            .map(|rest| format!("{word}_{rest}"))
    };
    let wire = signed('+', "plus")
        .or_else(|| signed('-', "minus"))
        .unwrap_or_else(|| wire.to_string());
    let mut s = words(&wire).to_snake_case();
    if s.is_empty() {
        s = "field".into();
    }
    // Only digits and underscores is no name for a binding (clippy's `just_underscores_and_digits`,
    // for constructor arguments): `field_1`.
    if s.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        s = format!("field_{}", s.trim_start_matches('_'));
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if NOT_RAW.contains(&s.as_str()) || PLACEHOLDERS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A type or variant name: `UpperCamelCase`, never starting with a digit (`V2fa`).
pub fn type_name(wire: &str) -> String {
    let mut s = words(wire).to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// The name of one element of a list named `plural` (`errors` → `error`, `properties` → `property`).
pub fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else if plural.ends_with("sses") || plural.ends_with("uses") {
        plural[..plural.len() - 2].to_string()
    } else if let Some(stem) = plural
        .strip_suffix('s')
        .filter(|s| !s.ends_with('s') && !s.is_empty())
    {
        stem.to_string()
    } else {
        format!("{plural}_item")
    }
}

/// Gives each name in `names` a unique form, in order: later duplicates get `_2`, `_3`, ... (or `2`, `3`
/// for types), skipping any form already taken.
pub fn dedupe(names: &mut [String], sep: &str) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for name in names.iter_mut() {
        if !taken.insert(name.clone()) {
            let mut n = 2;
            loop {
                // `self_` + `_2` is `self_2`, `Self_` + `2` is `Self2`: no doubled or trailing `_`.
                let base = name.trim_end_matches('_');
                let base = if base.is_empty() { name.as_str() } else { base };
                let candidate = format!("{base}{sep}{n}");
                if taken.insert(candidate.clone()) {
                    *name = candidate;
                    break;
                }
                n += 1;
            }
        }
    }
}

/// Builds an identifier token, raw (`r#type`) where the name is a keyword.
pub fn ident_tokens(name: &str) -> proc_macro2::Ident {
    if is_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// `Unrecognized` is the name of the fallback variant of every enum and union (values the SDK does
/// not know); a spec value of that name becomes `UnrecognizedValue`. A spec value `unknown` is
/// `Unknown`, which is not confusable with the fallback.
pub fn fallback_safe(name: &str) -> String {
    if name == FALLBACK {
        format!("{FALLBACK}Value")
    } else {
        name.to_string()
    }
}

/// The fallback variant's name.
const FALLBACK: &str = "Unrecognized";

/// A string enum's values, each named in UpperCamelCase ([`type_name`]), clear of the fallback
/// variant's name ([`fallback_safe`]) and of each other ([`dedupe`]).
pub fn enum_values(values: &[String]) -> Vec<crate::ir::EnumValue> {
    let mut names: Vec<String> = values.iter().map(|v| type_name(v)).collect();
    for n in names.iter_mut() {
        *n = fallback_safe(n);
    }
    dedupe(&mut names, "");
    values
        .iter()
        .zip(names)
        .map(|(w, n)| crate::ir::EnumValue {
            wire: w.clone(),
            name: n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_keywords_raw() {
        assert_eq!(field_name("connectedAccountId"), "connected_account_id");
        assert_eq!(field_name("type"), "type");
        assert_eq!(ident_tokens("type").to_string(), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("foo"), "foo_");
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("1"), "field_1");
        assert_eq!(field_name("_2_"), "field_2");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("content-type"), "content_type");
        assert_eq!(field_name("bar"), "bar");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("x-request-id"), "x_request_id");
        assert_eq!(field_name(""), "field");
    }

    #[test]
    fn types_are_camel_case_and_start_with_a_letter() {
        assert_eq!(type_name("access_code.created"), "AccessCodeCreated");
        assert_eq!(type_name("LOCK_DOOR"), "LockDoor");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("Self"), "Self_");
    }

    #[test]
    fn plural_lists_name_their_items() {
        assert_eq!(singular("errors"), "error");
        assert_eq!(singular("properties"), "property");
        assert_eq!(singular("access"), "access_item");
        assert_eq!(singular("data"), "data_item");
        assert_eq!(singular("statuses"), "status");
    }

    /// A type named like a prelude item the generated code uses unqualified would shadow it:
    /// it takes a `_`, as `Self` and `New` do; other names are kept.
    #[test]
    fn item_names_leave_the_prelude_alone() {
        for name in [
            "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
        ] {
            assert_eq!(item_name(name.to_string()), format!("{name}_"));
        }
        assert_eq!(item_name("Self".to_string()), "Self_");
        assert_eq!(item_name("New".to_string()), "New_");
        for name in ["Options", "ResultItem", "Strings", "Device"] {
            assert_eq!(item_name(name.to_string()), name);
        }
    }

    #[test]
    fn duplicates_get_numbered() {
        let mut names = vec![
            "on".to_string(),
            "on".to_string(),
            "on_2".to_string(),
            "on".to_string(),
        ];
        dedupe(&mut names, "_");
        assert_eq!(names, ["on", "on_2", "on_2_2", "on_3"]);
        let mut names = vec!["self_".to_string(), "self_".to_string()];
        dedupe(&mut names, "_");
        assert_eq!(names, ["self_", "self_2"]);
        let mut names = vec!["Self_".to_string(), "Self_".to_string()];
        dedupe(&mut names, "");
        assert_eq!(names, ["Self_", "Self2"]);
    }
}
