//! The `seam-connect` crate split by group ([`crate::Options::split_groups`], the committed crate),
//! as the plan decides ([`crate::plan::parts`]): the model files each group alone needs in a crate
//! of that group (`crates/<group>/`), each heavy file several groups need in a crate of its own
//! (`crates/<file>/`), the rest and the runtime's data types (`de`, `Timestamp`) in a core crate
//! (`crates/core/`). `seam-connect` itself keeps the runtime, the endpoint groups (`api`) and
//! `Seam`; it depends on the core and the heavy files' crates always and on each group's crate
//! under the group's feature, re-exports every part's `models`, and forwards its features to them.
//! Every part declares every feature of `seam-connect` but the time crates' (the core's alone) and
//! passes each on to the parts it builds on, so each model file is compiled under the same
//! conditions as in one crate, and the generated files are the same text (they name
//! `crate::models::X` and `crate::runtime::de`, which each part's root and `models` module import
//! from the parts it builds on). The parts are internal: their paths carry no semver promise.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, ErrorKind};
use crate::plan::parts::{Part, PartKind, CORE};
use crate::plan::{Plan, SHARED_MODULE};
use crate::render::render;

/// The template of each part's `Cargo.toml`.
const PART_TEMPLATE: &str = include_str!("../../../templates/seam-part.Cargo.toml");

/// The folder of the parts, relative to the `seam-connect` crate's root.
pub const PARTS_DIR: &str = "crates";

/// The package of a part (`seam-connect-core`, `seam-connect-access-codes`).
pub fn package(part: &str) -> String {
    format!("seam-connect-{}", part.replace('_', "-"))
}

/// The library name of a part (`seam_connect_core`): what the other crates write in paths.
pub fn lib_name(part: &str) -> String {
    package(part).replace('-', "_")
}

/// The features every part declares and `seam-connect` forwards: the groups', `undocumented`,
/// `draft` and `test-util` (the time crates' are the core's alone).
fn forwarded(plan: &Plan<'_>) -> Vec<String> {
    let mut out: Vec<String> = plan.ir.groups.iter().cloned().collect();
    out.extend(
        [
            super::UNDOCUMENTED,
            super::DRAFT,
            crate::plan::types::TEST_UTIL_FEATURE,
        ]
        .map(String::from),
    );
    out
}

/// The time crates each behind its feature, in the crate that holds `Timestamp`.
const TIME_CRATES: &str = "\
# Conversions between `Timestamp` and the common time crates' types (features `chrono`, `time`,
# `jiff`); none is needed to use timestamps (`SystemTime` and RFC 3339 text work without them).
chrono = { version = \"0.4\", default-features = false, features = [\"std\"], optional = true }
time = { version = \"0.3\", default-features = false, features = [\"std\"], optional = true }
jiff = { version = \"0.2\", default-features = false, features = [\"std\"], optional = true }
";

/// `seam-connect`'s dependencies that depend on the layout: the time crates (one crate), or the
/// parts (split).
pub fn layout_dependencies(parts: Option<&[Part]>, version: &str) -> String {
    let Some(parts) = parts else {
        return TIME_CRATES.to_string();
    };
    let mut out = String::from(
        "# The models, split by group so that each crate compiles on its own (see `crates/`): the core\n\
         # (the runtime's data types and the types several groups share), a crate per group and one\n\
         # per heavy shared schema. Internal crates: name their types through `seam_connect::models`.\n",
    );
    for part in parts {
        let optional = if part.kind == PartKind::Group {
            ", optional = true"
        } else {
            ""
        };
        out.push_str(&format!(
            "{} = {{ version = \"={version}\", path = \"{PARTS_DIR}/{}\"{optional} }}\n",
            package(&part.name),
            part.name
        ));
    }
    out
}

/// `seam-connect`'s time-crate features: its own dependencies, or the core's.
pub fn time_features(parts: Option<&[Part]>) -> String {
    ["chrono", "time", "jiff"]
        .map(|c| match parts {
            None => format!("{c} = [\"dep:{c}\"]"),
            Some(_) => format!("{c} = [\"{}/{c}\"]", package(CORE)),
        })
        .join("\n")
}

/// What `seam-connect`'s `feature` enables in the parts: the group's own crate (when it has one)
/// and the feature in every part.
pub fn forward(parts: Option<&[Part]>, feature: &str) -> Vec<String> {
    let Some(parts) = parts else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if parts
        .iter()
        .any(|p| p.name == feature && p.kind == PartKind::Group)
    {
        out.push(format!("\"dep:{}\"", package(feature)));
    }
    for part in parts {
        let optional = if part.kind == PartKind::Group {
            "?"
        } else {
            ""
        };
        out.push(format!("\"{}{optional}/{feature}\"", package(&part.name)));
    }
    out
}

/// The `version` of `seam-connect`'s template, which every part shares (they are published
/// together, each depending on the exact version of the others).
pub fn version(template: &str) -> Result<&str, Error> {
    template
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Unsupported,
                "",
                "the seam-connect Cargo.toml template has no `version = \"…\"` line",
            )
        })
}

/// Moves the model files into their parts and writes the parts' crate files, the core's runtime
/// files, and `seam-connect`'s `models` (the parts' re-exports). `files` are the one crate's, by
/// path relative to its root.
pub fn split(
    plan: &Plan<'_>,
    files: &mut BTreeMap<String, String>,
    runtime: &[(&str, &str)],
    version: &str,
) -> Result<(), Error> {
    let ir = plan.ir;
    if ir.groups.contains(CORE) {
        return Err(Error::new(
            ErrorKind::Schema,
            "#/paths",
            format!(
                "a group named `{CORE}` (an `x-fern-sdk-group-name`) would share its crate's name \
                 with the core's: generate one crate (without splitting by group)"
            ),
        ));
    }
    let features = forwarded(plan);
    let shared_cfg = plan
        .model_files
        .get(SHARED_MODULE)
        .map(|f| crate::render::cfg_attr(&f.cfg));
    let mut reexports = TokenStream::new();
    for part in &plan.parts {
        let dir = format!("{PARTS_DIR}/{}", part.name);
        for file in &part.files {
            let from = format!("src/generated/models/{file}.rs");
            if let Some(text) = files.remove(&from) {
                files.insert(format!("{dir}/src/models/{file}.rs"), text);
            }
        }
        let lib = format_ident!("{}", lib_name(&part.name));
        let core = part.name == CORE;
        // What the part's files name as `crate::models::X`: the core's types (the shared ones
        // through `__shared`) and those of the other parts it uses, each under the conditions
        // its models exist.
        let mut prelude = TokenStream::new();
        if !core {
            let core_lib = format_ident!("{}", lib_name(CORE));
            prelude.extend(quote! {
                #[allow(unused_imports)]
                use #core_lib::models::*;
            });
            if let Some(cfg) = &shared_cfg {
                let shared = format_ident!("{SHARED_MODULE}");
                prelude.extend(quote! {
                    #cfg
                    #[allow(unused_imports)]
                    use #core_lib::__shared as #shared;
                });
            }
            for used in &part.uses {
                let used_lib = format_ident!("{}", lib_name(used));
                let cfg = models_cfg(plan, used);
                prelude.extend(quote! {
                    #cfg
                    #[allow(unused_imports)]
                    use #used_lib::models::*;
                });
            }
        }
        let names: Vec<&str> = part.files.iter().map(String::as_str).collect();
        let models_path = format!("{dir}/src/models/mod.rs");
        // The shared types' module is the core's; the group crates name it through `__shared`.
        let shared_visibility = if core {
            quote! { pub(crate) }
        } else {
            TokenStream::new()
        };
        let models =
            crate::emit::models_mod(plan, &names, prelude, shared_visibility, &models_path)?;
        files.insert(models_path, models);
        files.insert(
            format!("{dir}/src/lib.rs"),
            part_lib(plan, part, &shared_cfg)?,
        );
        files.insert(
            format!("{dir}/Cargo.toml"),
            part_manifest(plan, part, &features, version),
        );
        if core {
            files.extend(core_runtime(runtime)?);
        }
        let cfg = models_cfg(plan, &part.name);
        reexports.extend(quote! {
            #cfg
            #[doc(inline)]
            pub use #lib::models::*;
        });
    }
    files.insert(
        "src/generated/models/mod.rs".into(),
        render(
            quote! {
                //! Data types: the API's schemas and the parameters and responses of every
                //! endpoint (defined in the crates of `crates/`, one per group beside a core).
                #reexports
            },
            "src/generated/models/mod.rs",
        )?,
    );
    Ok(())
}

/// Whether `name` is a group's part: a dependency under the group's feature (the others always
/// are).
fn is_group(parts: &[Part], name: &str) -> bool {
    parts
        .iter()
        .any(|p| p.name == name && p.kind == PartKind::Group)
}

/// `#[cfg(...)]` of the features under which a part's `models` has anything: any of its files'
/// (a group's imply the group's feature, under which it is a dependency). Nothing when one of
/// its files is always compiled.
fn models_cfg(plan: &Plan<'_>, name: &str) -> TokenStream {
    let Some(part) = plan.parts.iter().find(|p| p.name == name) else {
        return TokenStream::new();
    };
    let files: Vec<&crate::ir::Features> = part
        .files
        .iter()
        .filter_map(|f| plan.model_files.get(f).map(|m| &m.cfg))
        .collect();
    if files.is_empty() || files.iter().any(|cfg| cfg.is_empty()) {
        return TokenStream::new();
    }
    crate::render::cfg_attr(&crate::ir::simplify_features(
        files.into_iter().flatten().cloned().collect(),
    ))
}

/// A part's `lib.rs`.
fn part_lib(
    plan: &Plan<'_>,
    part: &Part,
    shared_cfg: &Option<TokenStream>,
) -> Result<String, Error> {
    let title = &plan.ir.title;
    let (doc, body) = if part.name == CORE {
        let shared = format_ident!("{SHARED_MODULE}");
        let shared = shared_cfg.as_ref().map(|cfg| {
            quote! {
                /// The types identical schemas share, for the group crates' re-exports of them.
                #[doc(hidden)]
                #cfg
                #[rustfmt::skip]
                pub mod __shared {
                    pub use crate::models::#shared::*;
                }
            }
        });
        (
            format!(
                " Part of `seam-connect`, the Rust SDK of the {title} API: the types several \
                 groups share and the runtime's data types. Depend on `seam-connect`, which \
                 re-exports them (`seam_connect::models`, `seam_connect::Timestamp`). Internal to \
                 `seam-connect`: which crate holds a type, and the hidden modules, may change in \
                 any release."
            ),
            quote! {
                /// The runtime's data types and decoding helpers: not an API of their own (the
                /// other crates of `seam-connect` use them).
                #[doc(hidden)]
                #[rustfmt::skip]
                pub mod runtime;
                #[rustfmt::skip] // generated files are formatted by the generator (prettyplease)
                pub mod models;
                #shared
                pub use runtime::{Timestamp, TimestampError};
            },
        )
    } else {
        let core = format_ident!("{}", lib_name(CORE));
        let what = match part.kind {
            PartKind::Group => format!(
                "the types only the `{0}` group needs. Depend on `seam-connect` (feature `{0}`)",
                part.name
            ),
            _ => format!(
                "the types of `{}`, which several groups need. Depend on `seam-connect`",
                part.name
            ),
        };
        (
            format!(
                " Part of `seam-connect`, the Rust SDK of the {title} API: {what}, which \
                 re-exports them (`seam_connect::models`). Internal to `seam-connect`: which crate \
                 holds a type may change in any release."
            ),
            quote! {
                #[allow(unused_imports)]
                use #core::runtime;
                #[rustfmt::skip] // generated files are formatted by the generator (prettyplease)
                pub mod models;
            },
        )
    };
    let text = render(
        quote! {
            #![doc = #doc]
            #![deny(missing_docs)]
            #![cfg_attr(docsrs, feature(doc_cfg))]
            // The generated code refers to deprecated items itself (serde impls, enum matches);
            // users of those items still get the deprecation warning.
            #![allow(deprecated)]
            #body
        },
        "lib.rs",
    )?;
    Ok(text)
}

/// The core's `src/runtime/`: the decoding helpers, `Timestamp` and its time-crate conversions.
fn core_runtime(runtime: &[(&str, &str)]) -> Result<Vec<(String, String)>, Error> {
    let dir = format!("{PARTS_DIR}/{CORE}/src/runtime");
    let mut files = BTreeMap::new();
    super::super::copy_runtime(&mut files, &dir, runtime);
    let mut out: Vec<(String, String)> = files.into_iter().collect();
    out.push((
        format!("{dir}/mod.rs"),
        "// @generated by cargo xtask codegen. Do not edit.\n\
         //! The runtime's data types and decoding helpers (copies of the generic runtime's files),\n\
         //! and the time crates' conversions of `Timestamp`.\n\
         pub mod de;\n\
         pub mod timestamp;\n\
         #[cfg(any(feature = \"chrono\", feature = \"time\", feature = \"jiff\"))]\n\
         mod time_crates;\n\
         pub use timestamp::{Timestamp, TimestampError};\n"
            .to_string(),
    ));
    Ok(out)
}

/// A part's `Cargo.toml`.
fn part_manifest(plan: &Plan<'_>, part: &Part, features: &[String], version: &str) -> String {
    let title = &plan.ir.title;
    let what = match part.kind {
        PartKind::Core => "the types several groups share".to_string(),
        PartKind::Group => format!("the types of the `{}` group", part.name),
        PartKind::File => format!("the types of `{}`", part.name),
    };
    let description = format!(
        "Part of seam-connect (the {title} API's Rust SDK): {what}. Internal: depend on \
         seam-connect, which re-exports them."
    );
    let mut dependencies = String::new();
    if part.name == CORE {
        dependencies.push_str(TIME_CRATES);
    } else {
        dependencies.push_str(&format!(
            "{} = {{ version = \"={version}\", path = \"../{CORE}\" }}\n",
            package(CORE)
        ));
        for used in &part.uses {
            let optional = if is_group(&plan.parts, used) {
                ", optional = true"
            } else {
                ""
            };
            dependencies.push_str(&format!(
                "{} = {{ version = \"={version}\", path = \"../{used}\"{optional} }}\n",
                package(used)
            ));
        }
    }
    // Each feature reaches the parts this one builds on too (the core, the heavy files' crates,
    // a group's crate when that group is on), so a part builds on its own with any features
    // (as docs.rs builds it, with all of them).
    let mut table = String::new();
    for feature in features {
        let mut enables: Vec<String> = Vec::new();
        if part.uses.contains(feature) && is_group(&plan.parts, feature) {
            enables.push(format!("\"dep:{}\"", package(feature)));
        }
        if part.name != CORE {
            enables.push(format!("\"{}/{feature}\"", package(CORE)));
        }
        for used in &part.uses {
            let optional = if is_group(&plan.parts, used) { "?" } else { "" };
            enables.push(format!("\"{}{optional}/{feature}\"", package(used)));
        }
        table.push_str(&format!("{feature} = [{}]\n", enables.join(", ")));
    }
    if part.name == CORE {
        table.push_str(&time_features(None));
        table.push('\n');
    }
    PART_TEMPLATE
        .replace("{{name}}", &package(&part.name))
        .replace("{{version}}", version)
        .replace("{{description}}", &description)
        .replace("{{dependencies}}", &dependencies)
        .replace("{{features}}", &table)
}
