//! Generates the petstore client module from the corpus's petstore spec into `OUT_DIR`, as a user's
//! build script would.

fn main() {
    let spec = "../generic/specs/petstore.yaml";
    if let Err(e) = codegen::build::generate_module(spec, "petstore") {
        panic!("{spec}: {e}");
    }
}
