//! A large YAML spec is read in two halves on two threads (`load::yaml`): the committed Seam spec,
//! the reason for that, reads as one thread reads it.

#[test]
fn the_committed_spec_reads_in_halves_as_at_once() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/seam-connect.yaml");
    let text = std::fs::read_to_string(path).expect("the committed spec");
    assert!(
        text.len() > 1_000_000,
        "a spec large enough to be read in halves"
    );
    let halves = codegen::load::parse_value(&text, codegen::Format::Yaml).expect("reads");
    let at_once: serde_json::Value = serde_yaml_ng::from_str(&text).expect("reads");
    assert_eq!(halves, at_once);
}
