//! Writing generated files: only when their bytes changed, each atomically (temp file + rename),
//! and removing files that generation no longer produces.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose bytes changed (or that are new).
    pub written: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed from the generated folders.
    pub removed: Vec<String>,
}

/// Writes `files` (paths relative to `root`) and removes any other file under `managed_dirs`, and
/// the folders that leaves empty (a crate the output no longer has, whose empty folder would
/// still match a workspace's `members` glob).
pub fn write_tree(
    root: &Path,
    files: &BTreeMap<String, String>,
    managed_dirs: &[&str],
) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (rel, content) in files {
        let path = root.join(rel);
        if fs::read(&path).ok().as_deref() == Some(content.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("codegen-tmp");
        fs::write(&tmp, content)?;
        fs::rename(&tmp, &path)?;
        report.written.push(rel.clone());
    }
    for extra in extra_files(root, files, managed_dirs)? {
        let path = root.join(&extra);
        fs::remove_file(&path)?;
        // Up to (not including) its managed folder, each folder left empty.
        if let Some(top) = managed_dirs
            .iter()
            .map(|d| root.join(d))
            .find(|d| path.starts_with(d))
        {
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != top && d.starts_with(&top)) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        report.removed.push(extra);
    }
    Ok(report)
}

/// The files that differ from what generation produces: changed, missing, or not produced at all.
pub fn stale_files(
    root: &Path,
    files: &BTreeMap<String, String>,
    managed_dirs: &[&str],
) -> io::Result<Vec<String>> {
    let mut stale = Vec::new();
    for (rel, content) in files {
        match fs::read(root.join(rel)) {
            Ok(bytes) if bytes == content.as_bytes() => {}
            Ok(_) => stale.push(format!("{rel} (differs)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    for extra in extra_files(root, files, managed_dirs)? {
        stale.push(format!("{extra} (not generated)"));
    }
    Ok(stale)
}

fn extra_files(
    root: &Path,
    files: &BTreeMap<String, String>,
    managed_dirs: &[&str],
) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for dir in managed_dirs {
        let mut stack: Vec<PathBuf> = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            let entries = match fs::read_dir(&d) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(root) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if !files.contains_key(&rel) {
                        out.push(rel);
                    }
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_no_longer_generated_is_removed_with_the_folders_it_leaves_empty() {
        let root = std::env::temp_dir().join(format!("codegen-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let tree = |paths: &[&str]| -> BTreeMap<String, String> {
            paths
                .iter()
                .map(|p| (p.to_string(), "x".to_string()))
                .collect()
        };
        let managed = ["crates"];
        write_tree(
            &root,
            &tree(&[
                "crates/old/src/lib.rs",
                "crates/core/src/lib.rs",
                "Cargo.toml",
            ]),
            &managed,
        )
        .expect("writes");
        let report = write_tree(
            &root,
            &tree(&["crates/core/src/lib.rs", "Cargo.toml"]),
            &managed,
        )
        .expect("writes");
        assert_eq!(report.removed, vec!["crates/old/src/lib.rs".to_string()]);
        assert!(
            !root.join("crates/old").exists(),
            "the emptied crate folder is gone"
        );
        assert!(root.join("crates/core/src/lib.rs").is_file());
        assert!(
            root.join("crates").is_dir(),
            "the managed folder itself stays"
        );
        let _ = fs::remove_dir_all(&root);
    }
}
