//! The crates the compile section builds beside the SDK: the SDK as it was at a baseline commit
//! (`--baseline REV`), and the floor, the SDK's declarations alone.
//!
//! Both live under `target/bench/` in workspaces of their own that share the project's target
//! folder, so the dependencies built for the SDK are reused and only the crate itself is compiled.

use std::path::{Path, PathBuf};
use std::process::Command;

use quote::ToTokens as _;

/// What a measured crate is, beside this code's SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The SDK as committed.
    Current,
    /// The declarations alone.
    Floor,
    /// The SDK at an earlier commit.
    Baseline,
}

/// A crate whose own compilation is measured.
pub struct Variant {
    /// What it is.
    pub role: Role,
    /// How the table names it.
    pub label: String,
    /// `--manifest-path` for cargo (`None`: the project's workspace).
    pub manifest: Option<PathBuf>,
    /// The package name (`-p`).
    pub package: String,
    /// The crate name rustc is given (what the wrapper logs).
    pub crate_name: String,
    /// The file touched so that cargo compiles the crate again.
    pub lib: PathBuf,
    /// The `lib.rs` of the crates it is split into (the SDK split by group: `crates/*/`), touched
    /// with it; their builds count as its own (crate names starting with its crate name and `_`).
    pub parts: Vec<PathBuf>,
    /// The crate's folder (where its `examples/` are).
    pub dir: PathBuf,
}

impl Variant {
    /// The SDK as committed.
    pub fn current(root: &Path) -> Variant {
        let dir = root.join(crate::CRATE_DIR);
        Variant {
            role: Role::Current,
            label: "this code".into(),
            manifest: None,
            package: "seam-connect".into(),
            crate_name: "seam_connect".into(),
            lib: dir.join("src/lib.rs"),
            parts: parts(&dir),
            dir,
        }
    }
}

/// The `lib.rs` of each crate under `crates/` of a crate folder.
fn parts(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("src/lib.rs"))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// Writes `files` (path, contents) under `dir`, which is emptied first.
fn write_tree(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    for (path, bytes) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The project's root `Cargo.toml` with `members` reduced to `member`, for a workspace of one crate
/// that builds its dependencies as the project does (same profiles, same `Cargo.lock`).
fn one_member_workspace(root_manifest: &str, member: &str) -> Result<String, String> {
    let start = root_manifest
        .find("members = [")
        .ok_or("the root Cargo.toml has no `members = [` line")?;
    let end = start
        + root_manifest[start..]
            .find(']')
            .ok_or("the root Cargo.toml's `members` list is not closed")?;
    Ok(format!(
        "{}members = [\"{member}\"{}",
        &root_manifest[..start],
        &root_manifest[end..]
    ))
}

/// The baseline crate's folder in its workspace.
const BASELINE_DIR: &str = "sdk";

/// The SDK crate at git revision `rev`, in `target/bench/baseline/sdk/` (rewritten on every run).
pub fn baseline(root: &Path, rev: &str) -> Result<Variant, String> {
    let commit = String::from_utf8_lossy(&git(
        root,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )?)
    .trim()
    .to_owned();
    let dir = root.join("target/bench/baseline");
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            &commit,
            crate::CRATE_DIR,
        ],
    )?;
    let mut files = Vec::new();
    for path in listing.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        let bytes = git(root, &["show", &format!("{commit}:{path}")])?;
        // Under another folder name than the project's: cargo names a path crate's artifacts
        // by its path in its workspace, and the two must not share the target folder's files.
        let inside = path
            .strip_prefix(crate::CRATE_DIR)
            .unwrap_or(&path)
            .trim_start_matches('/');
        files.push((Path::new(BASELINE_DIR).join(inside), bytes));
    }
    if files.is_empty() {
        return Err(format!("{rev} has no {}/", crate::CRATE_DIR));
    }
    let manifest = String::from_utf8_lossy(&git(root, &["show", &format!("{commit}:Cargo.toml")])?)
        .into_owned();
    files.push((
        "Cargo.toml".into(),
        one_member_workspace(&manifest, BASELINE_DIR)?.into_bytes(),
    ));
    files.push((
        "Cargo.lock".into(),
        git(root, &["show", &format!("{commit}:Cargo.lock")])?,
    ));
    write_tree(&dir, &files)?;
    let crate_dir = dir.join(BASELINE_DIR);
    Ok(Variant {
        role: Role::Baseline,
        label: format!("baseline {}", &commit[..commit.len().min(9)]),
        manifest: Some(dir.join("Cargo.toml")),
        package: "seam-connect".into(),
        crate_name: "seam_connect".into(),
        lib: crate_dir.join("src/lib.rs"),
        parts: parts(&crate_dir),
        dir: crate_dir,
    })
}

/// The floor: the SDK's generated type declarations alone (every struct, enum and alias of
/// `models`, with their docs, `cfg`s and fields), without derives, trait impls, methods, endpoint
/// functions or the runtime, in `target/bench/floor/`. What the crate's build costs above it is
/// the code that does something.
pub fn floor(root: &Path) -> Result<Variant, String> {
    let sdk = root.join(crate::CRATE_DIR);
    // The models of the one crate, or of each part of the crate split by group (their `mod.rs`
    // files merged into one, without the imports from the other parts).
    let parts = parts(&sdk);
    let dirs: Vec<PathBuf> = if parts.is_empty() {
        vec![sdk.join("src/generated/models")]
    } else {
        parts
            .iter()
            .filter_map(|lib| lib.parent().map(|src| src.join("models")))
            .collect()
    };
    let mut files = Vec::new();
    let mut mod_rs: syn::File = syn::parse_str("").map_err(|e| e.to_string())?;
    for models in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&models)
            .map_err(|e| format!("cannot read {}: {e}", models.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        entries.sort();
        for path in entries {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            if name == Path::new("mod.rs") {
                mod_rs
                    .items
                    .extend(file.items.into_iter().filter(|item| match item {
                        syn::Item::Mod(_) => true,
                        syn::Item::Use(u) => !matches!(&u.tree,
                        syn::UseTree::Path(p) if p.ident.to_string().starts_with("seam_connect")),
                        _ => false,
                    }));
                continue;
            }
            files.push((
                PathBuf::from("seam-floor/src/models").join(name),
                declarations(file)
                    .into_token_stream()
                    .to_string()
                    .into_bytes(),
            ));
        }
    }
    files.push((
        "seam-floor/src/models/mod.rs".into(),
        mod_rs.into_token_stream().to_string().into_bytes(),
    ));
    let sdk_manifest = std::fs::read_to_string(sdk.join("Cargo.toml"))
        .map_err(|e| format!("cannot read {}/Cargo.toml: {e}", sdk.display()))?;
    // The same features (the models' `cfg`s name them), each enabling only the others it names
    // (not optional dependencies, `dep:x`, nor their features, `x/f`).
    let features: String = sdk_manifest
        .find("\n[features]")
        .map(|i| &sdk_manifest[i..])
        .ok_or("the SDK's Cargo.toml has no [features]")?
        .lines()
        .map(|line| match line.split_once(" = [") {
            Some((name, value)) => {
                let kept: Vec<&str> = value
                    .trim_end_matches(']')
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty() && !v.contains(':') && !v.contains('/'))
                    .collect();
                format!("{name} = [{}]\n", kept.join(", "))
            }
            None => format!("{line}\n"),
        })
        .collect();
    files.push((
        "seam-floor/Cargo.toml".into(),
        format!(
            "[package]\nname = \"seam-floor\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nserde_json = \"1\"\n{features}"
        )
        .into_bytes(),
    ));
    files.push((
        "seam-floor/src/lib.rs".into(),
        b"//! The SDK's type declarations alone: the floor of `cargo xtask bench`.\n\
          #![allow(dead_code, deprecated, missing_docs, unexpected_cfgs, clippy::all)]\n\
          pub mod models;\n\
          pub mod runtime {\n    /// Stands for the SDK's timestamp.\n    \
          #[derive(Debug)]\n    pub struct Timestamp(std::time::SystemTime);\n}\n"
            .to_vec(),
    ));
    let root_manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    files.push((
        "Cargo.toml".into(),
        one_member_workspace(&root_manifest, "seam-floor")?.into_bytes(),
    ));
    let lock = std::fs::read(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    files.push(("Cargo.lock".into(), lock));
    let dir = root.join("target/bench/floor");
    write_tree(&dir, &files)?;
    Ok(Variant {
        role: Role::Floor,
        label: "floor (declarations alone)".into(),
        manifest: Some(dir.join("Cargo.toml")),
        package: "seam-floor".into(),
        crate_name: "seam_floor".into(),
        lib: dir.join("seam-floor/src/lib.rs"),
        parts: Vec::new(),
        dir: dir.join("seam-floor"),
    })
}

/// A models file reduced to its declarations: structs, enums, aliases, modules and imports, without
/// derives (also those under a feature: `#[cfg_attr(feature = "test-util", derive(Default))]`) or
/// `#[serde]` attributes; impls, macro calls and everything else dropped.
fn declarations(mut file: syn::File) -> syn::File {
    let keep = |attr: &syn::Attribute| {
        !["derive", "serde", "cfg_attr"]
            .iter()
            .any(|name| attr.path().is_ident(name))
    };
    file.items.retain_mut(|item| match item {
        syn::Item::Struct(s) => {
            s.attrs.retain(keep);
            for f in s.fields.iter_mut() {
                f.attrs.retain(keep);
            }
            true
        }
        syn::Item::Enum(e) => {
            e.attrs.retain(keep);
            for v in e.variants.iter_mut() {
                v.attrs.retain(keep);
                for f in v.fields.iter_mut() {
                    f.attrs.retain(keep);
                }
            }
            true
        }
        syn::Item::Type(_) | syn::Item::Mod(_) | syn::Item::Use(_) => true,
        _ => false,
    });
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_member_workspace_keeps_everything_but_the_members() {
        let root = "[workspace]\nresolver = \"2\"\nmembers = [\"a\", \"b\"]\n\n[profile.dev]\ndebug = false\n";
        assert_eq!(
            one_member_workspace(root, "c").expect("members"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"c\"]\n\n[profile.dev]\ndebug = false\n"
        );
        assert!(one_member_workspace("[workspace]\n", "c").is_err());
    }

    #[test]
    fn declarations_keep_types_and_drop_derives_impls_and_serde_attributes() {
        let file: syn::File = syn::parse_str(
            "#[derive(Debug, ::serde::Serialize)] #[non_exhaustive] /// Doc.\n \
             #[cfg_attr(feature = \"test-util\", derive(Default))] pub struct A { \
             #[serde(default)] #[cfg(feature = \"x\")] pub a: u8 } \
             impl A { pub fn f() {} } \
             #[derive(Clone)] #[serde(untagged)] pub enum B { #[serde(rename = \"v\")] V(A) } \
             pub type C = A; const D: u8 = 1; mod e {} deserialize_by!(object, A);",
        )
        .expect("parses");
        let out = declarations(file).into_token_stream().to_string();
        assert!(out.contains("pub struct A"), "{out}");
        assert!(
            out.contains("non_exhaustive") && out.contains("cfg"),
            "{out}"
        );
        assert!(
            out.contains("pub enum B") && out.contains("pub type C"),
            "{out}"
        );
        assert!(out.contains("mod e"), "{out}");
        for gone in [
            "derive",
            "serde",
            "impl",
            "const",
            "cfg_attr",
            "deserialize_by",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
    }
}
