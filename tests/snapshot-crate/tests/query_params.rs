//! Query parameters go to the query string (required first, optional ones only when set), the
//! other parameters to the JSON body (`tests/schemas/query_params.yaml`).

use seam_snapshots::query_params::Seam;
use seam_snapshots::shim::{block_on, last_request, respond_with};
use serde_json::json;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn query_parameters_are_sent_in_the_query_string_and_the_rest_in_the_body() {
    let seam = Seam::new();
    respond_with(json!({"items": ["a", "b"]}));
    let items = block_on(seam.items().search("lock").limit(5).color("red")).unwrap();
    assert_eq!(items, ["a", "b"]);
    let request = last_request().unwrap();
    assert_eq!(request.endpoint.path, "/items/search");
    assert_eq!(request.query, pairs(&[("q", "lock"), ("limit", "5")]));
    assert_eq!(request.body, json!({"color": "red"}));

    // An optional query parameter that is not set is left out.
    respond_with(json!({"items": []}));
    block_on(seam.items().search("door")).unwrap();
    let request = last_request().unwrap();
    assert_eq!(request.query, pairs(&[("q", "door")]));
    assert_eq!(request.body, json!({}));
}
