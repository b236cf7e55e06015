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

/// Writes `files` (paths relative to `root`) and removes any other file under `managed_dirs`.
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
        fs::remove_file(root.join(&extra))?;
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
