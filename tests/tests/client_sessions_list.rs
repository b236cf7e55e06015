//! `client_sessions.list`, which the fake does not serve: checked against the
//! loopback HTTP server of `test-support`, which records the request and
//! answers with the docs' example (`client_sessions-list.txt`).

#![allow(deprecated)] // `ClientSession::user_identity_ids` is deprecated

use std::time::Duration;

use seam_connect::models::{ClientSession, ClientSessionsListParams};
use seam_connect::{Error, Seam};
use serde_json::{json, Value};
use test_support::loopback::{Received, Reply, Server};

/// Key the client under test sends; any `seam_` token will do here.
const TEST_API_KEY: &str = "seam_test_key_1";
/// The client's per-attempt timeout.
const WAIT: Duration = Duration::from_secs(10);

/// Output of every `client_sessions-list.txt` example except the last one.
const DOCS_LIST_OUTPUT: &str = r#"[
  {
    "client_session_id": "a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc",
    "connect_webview_ids": ["e0f522d4-a7b6-4f65-ba90-11cde67a893a"],
    "connected_account_ids": ["c35ecf64-474a-466a-95a6-7b35cb4c8bb4"],
    "created_at": "2025-06-15T16:54:17.946309Z",
    "customer_id": "e387e15f-be27-47ad-881f-4a6fc5460c57",
    "device_count": 1,
    "expires_at": "2025-06-18T06:10:42.000Z",
    "token": "seam_cst1891oqCmD_6dBwV8PJ2Fsoe9dWYVyMfVHq",
    "user_identifier_key": "jane_doe",
    "user_identity_id": "b4ce8233-3b35-4d2d-82ec-d48513684f0a",
    "workspace_id": "b887bf84-9849-4454-a562-cf84293d9781"
  }
]"#;

/// Output of "List client sessions without a user identifier key".
const DOCS_LIST_OUTPUT_WITHOUT_KEY: &str = r#"[
  {
    "client_session_id": "a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc",
    "connect_webview_ids": ["e0f522d4-a7b6-4f65-ba90-11cde67a893a"],
    "connected_account_ids": ["c35ecf64-474a-466a-95a6-7b35cb4c8bb4"],
    "created_at": "2025-06-15T16:54:17.946309Z",
    "customer_id": "e387e15f-be27-47ad-881f-4a6fc5460c57",
    "device_count": 1,
    "expires_at": "2025-06-18T06:10:42.000Z",
    "token": "seam_cst1891oqCmD_6dBwV8PJ2Fsoe9dWYVyMfVHq",
    "user_identifier_key": null,
    "user_identity_id": "b4ce8233-3b35-4d2d-82ec-d48513684f0a",
    "workspace_id": "b887bf84-9849-4454-a562-cf84293d9781"
  }
]"#;

/// The session of the docs' examples, as the SDK should hand it out.
///
/// `ClientSession` is `#[non_exhaustive]`: a placeholder is decoded from the
/// smallest valid JSON, then every field is set here in Rust, so the expected
/// value does not depend on how the docs' JSON decodes.
fn docs_session(user_identifier_key: Option<&str>) -> ClientSession {
    let mut s: ClientSession = serde_json::from_value(json!({
        "client_session_id": "",
        "created_at": "",
        "device_count": 0,
        "expires_at": "",
        "token": "",
        "workspace_id": ""
    }))
    .expect("placeholder session decodes");
    s.client_session_id = "a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc".into();
    s.connect_webview_ids = vec!["e0f522d4-a7b6-4f65-ba90-11cde67a893a".into()];
    s.connected_account_ids = vec!["c35ecf64-474a-466a-95a6-7b35cb4c8bb4".into()];
    s.created_at = "2025-06-15T16:54:17.946309Z".into();
    s.customer_key = None;
    s.device_count = 1.0;
    s.expires_at = "2025-06-18T06:10:42.000Z".into();
    s.token = "seam_cst1891oqCmD_6dBwV8PJ2Fsoe9dWYVyMfVHq".into();
    s.user_identifier_key = user_identifier_key.map(str::to_owned);
    s.user_identity_id = Some("b4ce8233-3b35-4d2d-82ec-d48513684f0a".into());
    s.user_identity_ids = vec![];
    s.workspace_id = "b887bf84-9849-4454-a562-cf84293d9781".into();
    s
}

fn client(url: &str) -> Seam {
    Seam::builder()
        .api_key(TEST_API_KEY)
        .endpoint(url)
        .timeout(WAIT)
        .build()
        .expect("client builds")
}

fn ok_reply(sessions_json: &str) -> Reply {
    Reply::with_type(
        200,
        "application/json; charset=utf-8",
        &format!(r#"{{"client_sessions": {sessions_json}, "ok": true}}"#),
    )
    .header("seam-request-id", "req_list_ok")
}

/// Calls `list_with(params)` against a fresh loopback server answering with
/// `sessions_json`; returns the one recorded request and the decoded sessions.
async fn list_once(
    params: ClientSessionsListParams,
    sessions_json: &str,
) -> (Received, Vec<ClientSession>) {
    let server = Server::start(vec![ok_reply(sessions_json)]);
    let shown = format!("{params:?}");
    let sessions = client(&server.url)
        .client_sessions()
        .list_with(params)
        .await
        .unwrap_or_else(|e| panic!("list_with({shown}) failed: {e}"));
    (server.single(), sessions)
}

/// The request is a JSON `POST /client_sessions/list` carrying the API key.
fn assert_list_request(request: &Received, expected_body: Value) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/client_sessions/list");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TEST_API_KEY}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    // Exactly the one filter that was set: no `null`s for the others.
    assert_eq!(
        request.json_body().unwrap_or_else(|e| panic!("{e}")),
        expected_body
    );
}

// ------------------------------------------------------------------ tests

#[tokio::test]
async fn list_by_client_session_id() {
    let params = ClientSessionsListParams::default()
        .client_session_id("a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc");
    let (request, sessions) = list_once(params, DOCS_LIST_OUTPUT).await;
    assert_list_request(
        &request,
        json!({"client_session_id": "a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc"}),
    );
    assert_eq!(sessions, [docs_session(Some("jane_doe"))]);
}

#[tokio::test]
async fn list_by_user_identifier_key() {
    let params = ClientSessionsListParams::default().user_identifier_key("jane_doe");
    let (request, sessions) = list_once(params, DOCS_LIST_OUTPUT).await;
    assert_list_request(&request, json!({"user_identifier_key": "jane_doe"}));
    assert_eq!(sessions, [docs_session(Some("jane_doe"))]);
}

#[tokio::test]
async fn list_by_connect_webview_id() {
    let params = ClientSessionsListParams::default()
        .connect_webview_id("e0f522d4-a7b6-4f65-ba90-11cde67a893a");
    let (request, sessions) = list_once(params, DOCS_LIST_OUTPUT).await;
    assert_list_request(
        &request,
        json!({"connect_webview_id": "e0f522d4-a7b6-4f65-ba90-11cde67a893a"}),
    );
    assert_eq!(sessions, [docs_session(Some("jane_doe"))]);
}

#[tokio::test]
async fn list_by_user_identity_id() {
    let params = ClientSessionsListParams::default()
        .user_identity_id("b4ce8233-3b35-4d2d-82ec-d48513684f0a");
    let (request, sessions) = list_once(params, DOCS_LIST_OUTPUT).await;
    assert_list_request(
        &request,
        json!({"user_identity_id": "b4ce8233-3b35-4d2d-82ec-d48513684f0a"}),
    );
    assert_eq!(sessions, [docs_session(Some("jane_doe"))]);
}

#[tokio::test]
async fn list_without_user_identifier_key() {
    let params = ClientSessionsListParams::default().without_user_identifier_key(true);
    let (request, sessions) = list_once(params, DOCS_LIST_OUTPUT_WITHOUT_KEY).await;
    assert_list_request(&request, json!({"without_user_identifier_key": true}));
    assert_eq!(sessions, [docs_session(None)]);
}

#[tokio::test]
async fn list_without_filters_sends_empty_object_and_handles_empty_list() {
    let (request, sessions) = list_once(ClientSessionsListParams::default(), "[]").await;
    assert_list_request(&request, json!({}));
    assert!(sessions.is_empty());
}

#[tokio::test]
async fn list_error_surfaces_type_message_and_request_id() {
    let server = Server::start(vec![Reply::json_with(
        400,
        ("seam-request-id", "req_7f3a9c"),
        r#"{"error":{"type":"invalid_input","message":"Expected boolean, received string for \"without_user_identifier_key\"","validation_errors":{"_errors":[]}},"ok":false}"#,
    )]);
    let result = client(&server.url)
        .client_sessions()
        .list()
        .user_identifier_key("jane_doe")
        .await;
    let request = server.single();
    assert_list_request(&request, json!({"user_identifier_key": "jane_doe"}));

    let err = result.expect_err("a 400 must be an error");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.error_type, "invalid_input");
    assert_eq!(
        api.message,
        r#"Expected boolean, received string for "without_user_identifier_key""#
    );
    assert_eq!(api.request_id.as_deref(), Some("req_7f3a9c"));
    assert_eq!(api.error["validation_errors"], json!({"_errors": []}));
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.error_type(), Some("invalid_input"));
    assert_eq!(err.request_id(), Some("req_7f3a9c"));
    let shown = err.to_string();
    assert!(
        shown.contains("invalid_input") && shown.contains("req_7f3a9c"),
        "{shown}"
    );
    // The API key never shows up in the error.
    assert!(!format!("{err:?}").contains(TEST_API_KEY), "{err:?}");
}

/// The official fake has no `/client_sessions/list`: it answers a plain-text
/// `404` (not JSON, no request id), which must still be a clean API error.
#[tokio::test]
async fn list_on_fake_is_a_plain_text_404() {
    let fake = seam_tests::FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .api_key(seam_tests::API_KEY)
        .endpoint(&fake.url)
        .build()
        .expect("client builds");
    let err = seam
        .client_sessions()
        .list()
        .await
        .expect_err("the fake does not serve client_sessions/list");
    let api = err
        .as_api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 404);
    assert_eq!(api.error_type, "unknown");
    assert_eq!(api.message, "404");
    assert_eq!(api.request_id, None);
    assert!(err.is_not_found());
}

/// A response that does not match the spec fails with where and what: the path of the value
/// (read from the text where decoding stopped) and serde's message.
#[tokio::test]
async fn a_response_that_does_not_decode_names_the_value() {
    let bad = DOCS_LIST_OUTPUT.replacen("[\n  {", "[\n  {\"device_count\": \"one\"}, {", 1);
    let second = DOCS_LIST_OUTPUT.replacen("\"device_count\": 1", "\"device_count\": \"one\"", 1);
    for (body, path) in [
        (bad, "client_sessions[0].device_count"),
        (second, "client_sessions[0].device_count"),
        (
            format!(
                "[{0}, {0}]",
                &DOCS_LIST_OUTPUT[1..DOCS_LIST_OUTPUT.len() - 1]
            )
            .replacen("\"token\"", "\"tokens\"", 2)
            .replacen("\"tokens\"", "\"token\"", 1),
            "client_sessions[1]",
        ),
    ] {
        let server = Server::start(vec![ok_reply(&body)]);
        let error = client(&server.url)
            .client_sessions()
            .list()
            .await
            .expect_err("does not decode");
        match error {
            Error::Decode {
                path: found,
                message,
                status,
                request_id,
            } => {
                assert_eq!(found, path, "{message}");
                assert_eq!(status, 200);
                assert_eq!(request_id.as_deref(), Some("req_list_ok"));
                assert!(message.contains("line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
