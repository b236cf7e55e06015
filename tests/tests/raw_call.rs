//! `Seam::request`: a call by path, for endpoints newer than the SDK, with the client's auth, SDK
//! headers, retries, timeouts and errors; against the scripted loopback server.

mod runtime_common;

use std::time::Duration;

use runtime_common::{Reply, Server, EMPTY_DEVICES};
use seam_connect::Seam;
use serde::Deserialize;
use serde_json::{json, Value};

fn client(server: &Server) -> Seam {
    Seam::builder()
        .api_key("seam_key_1")
        .endpoint(&server.url)
        .retry_base_delay(Duration::from_millis(10))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_raw_call_sends_the_sdk_headers_and_decodes_into_any_type() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"ok":true,"devices":[{"device_id":"d1"}]}"#),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam = client(&server);
    let response: Value = seam
        .request("/devices/list", &json!({ "limit": 5 }))
        .await
        .expect("a JSON value");
    assert_eq!(response["devices"][0]["device_id"], "d1");

    #[derive(Deserialize)]
    struct Devices {
        devices: Vec<Value>,
        ok: bool,
    }
    let typed: Devices = seam
        .request("devices/list", &json!({}))
        .await
        .expect("a typed response");
    assert!(typed.ok && typed.devices.is_empty());

    let sent = server.received();
    assert_eq!(sent.len(), 2);
    let first = &sent[0];
    assert_eq!(
        (first.method.as_str(), first.target.as_str()),
        ("POST", "/devices/list")
    );
    assert_eq!(first.header("authorization"), Some("Bearer seam_key_1"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.header("seam-sdk-name"), Some("seam-rust"));
    assert!(first
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("seam-rust/")));
    assert_eq!(first.json_body().expect("JSON"), json!({ "limit": 5 }));
    // A path without its leading slash is the same path.
    assert_eq!(sent[1].target, "/devices/list");
}

#[tokio::test]
async fn a_raw_call_is_not_retried_after_it_may_have_reached_the_server() {
    // The SDK does not know whether an unknown endpoint is safe to repeat.
    let server = Server::start(vec![
        Reply::json(500, r#"{"error":{"type":"internal","message":"boom"}}"#),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let err = client(&server)
        .request::<Value, _>("/things/create", &json!({}))
        .await
        .expect_err("a 500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.received().len(), 1, "not sent twice");
}

#[tokio::test]
async fn a_raw_call_is_retried_on_429_and_maps_api_errors() {
    let server = Server::start(vec![
        Reply::text(429, "slow down").header("retry-after", "0"),
        Reply::json_with(
            404,
            ("seam-request-id", "req_9"),
            r#"{"error":{"type":"device_not_found","message":"Not found"}}"#,
        ),
    ]);
    let err = client(&server)
        .request::<Value, _>("/devices/get", &json!({ "device_id": "nope" }))
        .await
        .expect_err("a 404");
    assert_eq!(server.received().len(), 2);
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.error_type(), Some("device_not_found"));
    assert_eq!(err.request_id(), Some("req_9"));
    assert!(!err.to_string().contains("seam_key_1"));
    assert!(!format!("{err:?}").contains("seam_key_1"));
}

#[tokio::test]
async fn a_raw_call_has_the_clients_timeouts() {
    let server = Server::start(vec![Reply::Hang(Duration::from_secs(2))]);
    let seam = Seam::builder()
        .api_key("seam_k")
        .endpoint(&server.url)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .expect("client builds");
    let err = seam
        .request::<Value, _>("/devices/list", &json!({}))
        .await
        .expect_err("a timeout");
    assert!(err.is_timeout(), "{err:?}");
}
