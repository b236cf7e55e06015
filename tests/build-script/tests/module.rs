//! The client module a build script generated, called as the generated crate's would be.

use build_script_example::petstore::{models::Pet, Client};
use test_support::loopback::{Reply, Server};

#[tokio::test]
async fn the_generated_module_calls_the_api() {
    let server = Server::start(vec![Reply::json(200, r#"[{"id": 1, "name": "Rex"}]"#)]);
    let client = Client::builder().base_url(&server.url).build();
    let pets: Vec<Pet> = client.find_pets().limit(1).await.expect("200");
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(server.single().target, "/pets?limit=1");
    // The spec's first server is the module's default base URL.
    assert_eq!(
        build_script_example::petstore::DEFAULT_BASE_URL,
        "https://petstore.swagger.io/v2"
    );
}
