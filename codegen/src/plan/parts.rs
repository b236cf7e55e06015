//! The crates of a split output ([`crate::Options::split_groups`]): which model files go into a
//! crate of their own, one per resource group, and which stay in the core crate the others build on.
//!
//! Each crate is compiled by its own rustc, so the largest one sets the build's peak memory, and
//! crates that do not use each other compile side by side. A model file goes into a group's crate
//! when it is compiled only with that group's feature (every condition of its `cfg` names it); the
//! alphabetically first such group when there are several. A heavy file several groups need
//! ([`HEAVY_FILE`]) that the shared types do not refer to gets a crate of its own; anything else
//! (the shared types and what they refer to, what is always compiled, what several groups need)
//! stays in the core. Since a type is compiled whenever a type holding it is, a file only refers
//! to files whose conditions its own imply, so references go from a group's crate to the core, a
//! heavy file's crate or a group later in name order. The parts are checked all the same: a part
//! the core or a cycle would need is folded back into the core.
//!
//! The names come from the groups (feature names) and the heavy files, so a spec update moves a
//! file between crates when the groups that use it change, when it crosses [`HEAVY_FILE`], or
//! when the shared types start or stop referring to it; the crates are an internal layout either
//! way (users name `models::X` of the crate at the root, which re-exports every part).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Ir, TypeId};

use super::{ModelFile, TypePlan};

/// The part the others build on.
pub const CORE: &str = "core";

/// A model file of at least this many types that several groups need, and the shared types do
/// not, compiles in a crate of its own beside the core's and the groups' (a union of a few hundred
/// event types would otherwise be a large share of the core everything else waits for).
pub const HEAVY_FILE: usize = 100;

/// What a part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The shared types, what they refer to, every file always compiled, and the files several
    /// groups need that are not heavy.
    Core,
    /// The files only one group needs: a dependency under the group's feature.
    Group,
    /// One heavy file several groups need ([`HEAVY_FILE`]): always a dependency (with none of
    /// their features, an empty crate).
    File,
}

/// A crate of the split output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// [`CORE`], the group (its feature's name), or the file whose crate it is.
    pub name: String,
    /// What it holds.
    pub kind: PartKind,
    /// Its model files, by file name (keys of [`super::Plan::model_files`]), in name order.
    pub files: Vec<String>,
    /// The other parts its files refer to (besides the core, which every part uses).
    pub uses: BTreeSet<String>,
}

/// The parts, the core first, then the groups' and the heavy files' in name order. Only groups
/// with a file have a part.
pub(super) fn parts(
    ir: &Ir,
    types: &[Option<TypePlan<'_>>],
    files: &BTreeMap<String, ModelFile>,
) -> Vec<Part> {
    // The group a file's every condition names.
    let mut home: BTreeMap<&str, &str> = files
        .iter()
        .map(|(name, file)| {
            let mut needed = file.cfg.iter().map(|conjunction| {
                conjunction
                    .iter()
                    .filter(|f| ir.groups.contains(*f))
                    .collect::<BTreeSet<_>>()
            });
            let first = needed.next().unwrap_or_default();
            let common = needed.fold(first, |acc, c| acc.intersection(&c).copied().collect());
            let group = if file.shared {
                CORE
            } else {
                common.into_iter().next().map_or(CORE, String::as_str)
            };
            (name.as_str(), group)
        })
        .collect();
    // Which files each file refers to.
    let file_of = |id: TypeId| types[ir.resolve(id).0].as_ref().map(|p| p.file.as_str());
    let mut refers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, file) in files {
        let entry = refers.entry(name.as_str()).or_default();
        for &id in &file.types {
            for target in references(ir, types, id).into_iter().filter_map(file_of) {
                if target != name {
                    entry.insert(target);
                }
            }
        }
    }
    // A heavy file several groups need, which the shared types do not, in a crate of its own.
    let mut beside_shared: BTreeSet<&str> = files
        .iter()
        .filter(|(_, f)| f.shared)
        .map(|(name, _)| name.as_str())
        .collect();
    let mut todo: Vec<&str> = beside_shared.iter().copied().collect();
    while let Some(file) = todo.pop() {
        for &target in refers.get(file).into_iter().flatten() {
            if beside_shared.insert(target) {
                todo.push(target);
            }
        }
    }
    // What the shared types refer to is the core's: a group crate it needed would be folded into
    // the core whole.
    for &name in &beside_shared {
        home.insert(name, CORE);
    }
    for (name, file) in files {
        let name = name.as_str();
        if home[name] == CORE
            && !file.cfg.is_empty()
            && file.types.len() >= HEAVY_FILE
            && !beside_shared.contains(name)
            && name != CORE
            && !ir.groups.contains(name)
        {
            home.insert(name, name);
        }
    }
    // Fold back into the core any part the core would need, or that a cycle runs through.
    loop {
        let uses = part_uses(&home, &refers);
        let needed_by_core: Option<&str> = uses.get(CORE).and_then(|u| u.iter().next().copied());
        let folded = needed_by_core.or_else(|| cycle(&uses));
        match folded {
            Some(group) => home
                .values_mut()
                .filter(|g| **g == group)
                .for_each(|g| *g = CORE),
            None => break,
        }
    }
    let uses = part_uses(&home, &refers);
    let mut parts: BTreeMap<&str, Part> = BTreeMap::new();
    for (file, group) in &home {
        parts
            .entry(group)
            .or_insert_with(|| Part {
                name: group.to_string(),
                kind: if *group == CORE {
                    PartKind::Core
                } else if ir.groups.contains(*group) {
                    PartKind::Group
                } else {
                    PartKind::File
                },
                files: Vec::new(),
                uses: uses
                    .get(group)
                    .map(|u| u.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default(),
            })
            .files
            .push(file.to_string());
    }
    let core = parts.remove(CORE).unwrap_or_else(|| Part {
        name: CORE.into(),
        kind: PartKind::Core,
        files: Vec::new(),
        uses: BTreeSet::new(),
    });
    std::iter::once(core).chain(parts.into_values()).collect()
}

/// The types a type's generated code names: its fields' and variants' types, the shared type it
/// re-exports, the enums its accessors return.
fn references(ir: &Ir, types: &[Option<TypePlan<'_>>], id: TypeId) -> Vec<TypeId> {
    let t = &ir.types[id];
    let mut out = Vec::new();
    t.kind.visit(&mut |r| out.push(r));
    out.extend(t.shares);
    if let Some(TypePlan {
        kind: super::KindPlan::Tagged { accessors, .. },
        ..
    }) = types[id.0].as_ref()
    {
        out.extend(accessors.iter().filter_map(|a| a.values));
    }
    out
}

/// For each part, the other parts (never the core) its files refer to.
fn part_uses<'a>(
    home: &BTreeMap<&'a str, &'a str>,
    refers: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let mut uses: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (file, targets) in refers {
        let from = home[file];
        for target in targets {
            let to = home.get(target).copied().unwrap_or(CORE);
            if to != from && to != CORE {
                uses.entry(from).or_default().insert(to);
            }
        }
    }
    uses
}

/// A part on a cycle of [`part_uses`], if there is one.
fn cycle<'a>(uses: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<&'a str> {
    // Peel off parts that use no part left; whatever remains is on or behind a cycle.
    let mut left: BTreeMap<&str, BTreeSet<&str>> = uses.clone();
    loop {
        let done: Vec<&str> = left
            .iter()
            .filter(|(_, u)| u.iter().all(|p| !left.contains_key(p)))
            .map(|(p, _)| *p)
            .collect();
        if done.is_empty() {
            // Every part left uses one left: walk such uses until a part repeats, which is on
            // a cycle (the first part left may only lead to one).
            let mut seen: Vec<&str> = Vec::new();
            let mut at = *left.keys().next()?;
            while !seen.contains(&at) {
                seen.push(at);
                at = *left.get(at)?.iter().find(|p| left.contains_key(*p))?;
            }
            return Some(at);
        }
        for p in done {
            left.remove(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_between_parts_is_found() {
        let uses: BTreeMap<&str, BTreeSet<&str>> = [
            ("acs", BTreeSet::from(["locks"])),
            ("locks", BTreeSet::from(["acs"])),
            ("devices", BTreeSet::from(["locks"])),
        ]
        .into();
        assert_eq!(cycle(&uses), Some("acs"));
        // A part that only leads to a cycle is not on it.
        let behind: BTreeMap<&str, BTreeSet<&str>> = [
            ("acs", BTreeSet::from(["locks"])),
            ("locks", BTreeSet::from(["thermostats"])),
            ("thermostats", BTreeSet::from(["locks"])),
        ]
        .into();
        assert_eq!(cycle(&behind), Some("locks"));
        let acyclic: BTreeMap<&str, BTreeSet<&str>> = [
            ("acs", BTreeSet::from(["locks"])),
            ("devices", BTreeSet::from(["locks"])),
        ]
        .into();
        assert_eq!(cycle(&acyclic), None);
    }
}
