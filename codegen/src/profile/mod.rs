//! Profiles: the conventions of one API, applied by the generic pipeline at named points.
//!
//! The pipeline (`load` → `lower` → `passes` → `plan` → `emit`) speaks OpenAPI only. Whatever an API does
//! beyond OpenAPI — how its operations are grouped and named, which property of a response a function
//! returns, which responses are long-running jobs, how lists are paged, which cargo features gate what,
//! what crate the output is — is decided by its profile, once, into the typed plan of each operation
//! ([`crate::ir::Operation`]).
//!
//! - [`generic`]: any OpenAPI 3.0 or 3.1 spec, written as a standalone crate.
//! - [`seam`]: the Seam Connect API's conventions, written into the `seam-connect` crate.

pub mod generic;
pub mod seam;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::Operation as SpecOperation;

use crate::error::{Error, Warning};
use crate::ir::{Field, Gate, HttpMethod, Ir, Operation, Returns, TypeDef};

/// Which profile to generate with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProfileKind {
    /// Seam's conventions, for the committed spec: the generated half of the `seam-connect` crate.
    #[default]
    Seam,
    /// Any OpenAPI 3.0 or 3.1 spec: a standalone crate with the generic runtime.
    Generic,
}

impl ProfileKind {
    /// Every profile, the generic one first.
    pub const ALL: [ProfileKind; 2] = [ProfileKind::Generic, ProfileKind::Seam];

    /// The profile by its command-line name (`seam`, `generic`).
    pub fn from_name(name: &str) -> Option<ProfileKind> {
        match name {
            "seam" => Some(ProfileKind::Seam),
            "generic" => Some(ProfileKind::Generic),
            _ => None,
        }
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            ProfileKind::Seam => "seam",
            ProfileKind::Generic => "generic",
        }
    }

    /// Whether the profile's crate is written split by group ([`crate::Options::split_groups`]):
    /// Seam's, whose models are too large for one crate's build; a standalone crate is one crate.
    pub fn splits_groups(self) -> bool {
        self == ProfileKind::Seam
    }

    /// The profile's implementation.
    pub fn profile(self) -> &'static dyn Profile {
        match self {
            ProfileKind::Seam => &seam::Seam,
            ProfileKind::Generic => &generic::Generic,
        }
    }
}

/// Where an operation's function lives and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Group path, as spec words (`["acs", "users"]`); empty for a function on the client itself.
    pub group: Vec<String>,
    /// The function name as a spec word (`list`, `listPets`).
    pub name: String,
}

/// What a profile needs to know of one operation of the spec.
pub struct OperationSource<'a> {
    /// The path template.
    pub path: &'a str,
    /// The method.
    pub method: HttpMethod,
    /// The operation object.
    pub op: &'a SpecOperation,
    /// Its JSON pointer.
    pub pointer: &'a str,
}

/// Which responses of an operation make its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responses {
    /// Every status: `2XX` (or `default`) is the success body, the others error bodies.
    ByStatus,
    /// Only the `200` response's JSON body, always a named type of its own (an object with no
    /// properties when the spec gives none); error bodies are the runtime's own.
    Only200,
}

/// What happens when two operations want the same function name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClashPolicy {
    /// Fail: the names come from the spec and no rule can choose. The text says where the names come from.
    Error(&'static str),
    /// Number the later ones (`list_2`) and warn.
    Number,
}

/// The conventions of one API. Each method is called at one named point of the pipeline.
pub trait Profile: Sync {
    /// Sets the IR's output settings (client type, runtime flavor, runtime-named types).
    fn configure(&self, ir: &mut Ir);

    /// `lower`, per path: which of the methods the path serves become functions. The others are walked
    /// (their references must resolve) but not generated.
    fn functions_of_path(&self, present: &[HttpMethod]) -> Vec<HttpMethod>;

    /// `lower`, per operation (after [`Profile::extras`]): whether it is safe to send again after the
    /// server may have acted on it (a 5xx, a timeout), given the lowered operation and every method
    /// its path serves.
    fn idempotent(&self, op: &Operation, present: &[HttpMethod]) -> bool;

    /// `lower`, per operation: its group and function name.
    fn locate(&self, source: &OperationSource<'_>) -> Result<Location, Error>;

    /// `lower`, per operation: a one-line title for its docs.
    fn title(&self, op: &SpecOperation) -> Option<String>;

    /// `lower`, per operation: the cargo features it needs (empty: always compiled) and the gates
    /// beyond its group, with their notes.
    fn features(&self, op: &SpecOperation, location: &Location) -> (BTreeSet<String>, Vec<Gate>);

    /// `lower`, per map schema: whether an `additionalProperties` that names this component schema is
    /// a defect of the spec, the map then being a free-form JSON object (with a warning).
    fn free_form_map_value(&self, _component: &openapiv3::Schema) -> bool {
        false
    }

    /// `lower`, per untagged union: the most fields an inline alternative keeps as a struct-like
    /// variant; one with more becomes a struct of its own in a boxed newtype variant (clippy's
    /// `large_enum_variant`). `None`: every inline alternative stays struct-like.
    fn inline_variant_fields(&self) -> Option<usize> {
        None
    }

    /// `lower`, per operation: whether a JSON object body is the params struct itself (its properties
    /// are the params' fields) rather than a `body` field of it.
    fn flatten_body(&self) -> bool;

    /// `lower`, per operation: what the function returns of its JSON response, given the response
    /// type's fields (empty when it is not a struct).
    fn returns(&self, source: &OperationSource<'_>, response: &[Field]) -> Result<Returns, Error>;

    /// `lower`, per operation, last: the plan's optional parts (pagination, jobs), from the lowered
    /// types.
    fn extras(&self, types: &[TypeDef], op: &mut Operation);

    /// `lower`, per operation: which responses make the plan (every status, or only `200`).
    fn responses(&self) -> Responses {
        Responses::ByStatus
    }

    /// `lower`, per operation, once its plan is complete: refuses what the profile's runtime cannot
    /// send or receive (an error naming the spec's place and what was expected).
    fn check_operation(&self, _op: &Operation) -> Result<(), Error> {
        Ok(())
    }

    /// `passes`: what to do when two functions of a group share a name.
    fn clash_policy(&self) -> ClashPolicy;

    /// `lib`: the crate files around the generated modules (`emit`'s files, by path relative to the
    /// generated folder), by path relative to the crate's root.
    fn crate_files(
        &self,
        plan: &crate::plan::Plan<'_>,
        generated: BTreeMap<String, String>,
        warnings: &mut Vec<Warning>,
    ) -> Result<BTreeMap<String, String>, Error>;

    /// Folders (relative to the crate's root) that hold only files this profile writes: stale files
    /// there are removed.
    fn managed_dirs(&self) -> &'static [&'static str];
}

/// The crate files every profile starts from: the emitted files under `src/generated/`.
pub(crate) fn generated_files(generated: BTreeMap<String, String>) -> BTreeMap<String, String> {
    generated
        .into_iter()
        .map(|(k, v)| (format!("src/generated/{k}"), v))
        .collect()
}

/// Copies the generic runtime's files (`codegen/runtime/<name>`) into `dir` of the crate, each with a
/// header naming its source.
pub(crate) fn copy_runtime(
    files: &mut BTreeMap<String, String>,
    dir: &str,
    runtime: &[(&str, &str)],
) {
    for (name, text) in runtime {
        files.insert(
            format!("{dir}/{name}"),
            format!(
                "// @generated by cargo xtask codegen: a copy of codegen/runtime/{name}. Do not edit.\n{text}"
            ),
        );
    }
}
