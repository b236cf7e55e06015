//! JSON examples copied from Seam's API documentation decode into the
//! generated models, with the values the docs show.
//!
//! The examples are copied verbatim unless a comment says otherwise (a few
//! docs snippets are not valid JSON as published).

#![allow(deprecated)] // `user_identity_ids` and `user_identifier` are deprecated

use seam_connect::models::{
    ClientSession, ClientSessionsGetOrCreateResponse, ClientSessionsListResponse,
    ConnectWebviewAcceptedCapability, ConnectedAccount, ConnectedAccountError,
    ConnectedAccountWarning, ConnectedAccountsGetResponse, PhoneCustomMetadataValue,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Decodes `json` as `T`, failing with serde's message (line and column).
fn decode<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "decode as {} failed: {e}\n{json}",
            std::any::type_name::<T>()
        )
    })
}

// ------------------------------------------------------------------ client sessions

/// `client_sessions-get_or_create.txt`: the session in the SDK example's output.
/// It has `customer_id` (not in the schema) and no `user_identity_ids`.
const GET_OR_CREATE_EXAMPLE_SESSION: &str = r#"{
  "client_session_id": "c2cbd177-1ace-414b-bb1e-9f129e4a05c1",
  "connect_webview_ids": [
    "5e297cfe-23df-4638-bb87-08c4f0f8233b"
  ],
  "connected_account_ids": [
    "f87f0ab7-b8d7-44aa-9e59-3239b209570e"
  ],
  "created_at": "2025-06-15T16:54:17.946309Z",
  "customer_id": "e387e15f-be27-47ad-881f-4a6fc5460c57",
  "device_count": 1,
  "expires_at": "2025-06-18T06:10:42.000Z",
  "token": "seam_cst1891oqCmD_6dBwV8PJ2Fsoe9dWYVyMfVHq",
  "user_identifier_key": "jane_doe",
  "user_identity_id": "71ff7f71-2cf4-458a-8db4-6ad539c8b66a",
  "workspace_id": "b887bf84-9849-4454-a562-cf84293d9781"
}"#;

/// `client_sessions-get_or_create.txt`: the full 200 response of the reference
/// section, with both `user_identity_ids` (deprecated) and `user_identity_id`.
const GET_OR_CREATE_RESPONSE: &str = r#"{
  "client_session": {
    "client_session_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "connect_webview_ids": [
      "3c90c3cc-0d44-4b50-8888-8dd25736052a"
    ],
    "connected_account_ids": [
      "3c90c3cc-0d44-4b50-8888-8dd25736052a"
    ],
    "created_at": "2023-11-07T05:31:56Z",
    "device_count": 123,
    "expires_at": "2023-11-07T05:31:56Z",
    "token": "<string>",
    "user_identifier_key": "<string>",
    "user_identity_ids": [
      "3c90c3cc-0d44-4b50-8888-8dd25736052a"
    ],
    "workspace_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "customer_key": "<string>",
    "user_identity_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a"
  },
  "ok": true
}"#;

/// `client_sessions-list.txt`: the "Response" section's session, with
/// `customer_id`, `user_identity_id` and the deprecated `user_identity_ids`.
const LIST_RESPONSE_SECTION_SESSION: &str = r#"{
  "client_session_id": "c2cbd177-1ace-414b-bb1e-9f129e4a05c1",
  "connect_webview_ids": ["550e8400-e29b-41d4-a716-446655440000"],
  "connected_account_ids": ["f47ac10b-58cc-4372-a567-0e02b2c3d479"],
  "created_at": "2025-06-15T16:54:17.946309Z",
  "customer_id": "77eccc4e-c8bc-4c7d-b83c-cb853ed3bade",
  "device_count": 1,
  "expires_at": "2025-06-17T16:54:17.946309Z",
  "token": "seam_cst1891oqCmB_6dBwV8PJ2Fsoe9dWYVyMfVHq",
  "user_identifier_key": "user_id_1",
  "user_identity_id": "a6e93f84-565e-47d7-8908-1ca71ada373c",
  "user_identity_ids": ["a6e93f84-565e-47d7-8908-1ca71ada373c"],
  "workspace_id": "b887bf84-9849-4454-a562-cf84293d9781"
}"#;

/// `client_sessions-list.txt`: output of "List client sessions without a user
/// identifier key" (`user_identifier_key: null`).
const LIST_WITHOUT_USER_IDENTIFIER_KEY_OUTPUT: &str = r#"[
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

#[test]
fn get_or_create_example_session_decodes() {
    let s: ClientSession = decode(GET_OR_CREATE_EXAMPLE_SESSION);
    assert_eq!(s.client_session_id, "c2cbd177-1ace-414b-bb1e-9f129e4a05c1");
    assert_eq!(
        s.connect_webview_ids,
        ["5e297cfe-23df-4638-bb87-08c4f0f8233b"]
    );
    assert_eq!(
        s.connected_account_ids,
        ["f87f0ab7-b8d7-44aa-9e59-3239b209570e"]
    );
    assert_eq!(s.created_at, "2025-06-15T16:54:17.946309Z");
    assert_eq!(s.device_count, 1.0);
    assert_eq!(s.expires_at, "2025-06-18T06:10:42.000Z");
    assert_eq!(s.token, "seam_cst1891oqCmD_6dBwV8PJ2Fsoe9dWYVyMfVHq");
    assert_eq!(s.user_identifier_key.as_deref(), Some("jane_doe"));
    assert_eq!(
        s.user_identity_id.as_deref(),
        Some("71ff7f71-2cf4-458a-8db4-6ad539c8b66a")
    );
    assert_eq!(s.workspace_id, "b887bf84-9849-4454-a562-cf84293d9781");
    // Absent in the example: defaults, not an error.
    assert!(s.user_identity_ids.is_empty());
    assert_eq!(s.customer_key, None);
}

/// The whole documented response decodes into the endpoint's response type.
#[test]
fn get_or_create_response_decodes() {
    let r: ClientSessionsGetOrCreateResponse = decode(GET_OR_CREATE_RESPONSE);
    assert!(r.ok);
    let s = r.client_session;
    let id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    assert_eq!(s.client_session_id, id);
    assert_eq!(s.connect_webview_ids, [id]);
    assert_eq!(s.connected_account_ids, [id]);
    assert_eq!(s.created_at, "2023-11-07T05:31:56Z");
    assert_eq!(s.device_count, 123.0);
    assert_eq!(s.expires_at, "2023-11-07T05:31:56Z");
    assert_eq!(s.token, "<string>");
    assert_eq!(s.user_identifier_key.as_deref(), Some("<string>"));
    assert_eq!(s.user_identity_ids, [id]);
    assert_eq!(s.user_identity_id.as_deref(), Some(id));
    assert_eq!(s.workspace_id, id);
    assert_eq!(s.customer_key.as_deref(), Some("<string>"));
}

#[test]
fn list_example_sessions_decode() {
    let s: ClientSession = decode(LIST_RESPONSE_SECTION_SESSION);
    assert_eq!(s.client_session_id, "c2cbd177-1ace-414b-bb1e-9f129e4a05c1");
    assert_eq!(
        s.connect_webview_ids,
        ["550e8400-e29b-41d4-a716-446655440000"]
    );
    assert_eq!(
        s.connected_account_ids,
        ["f47ac10b-58cc-4372-a567-0e02b2c3d479"]
    );
    assert_eq!(s.expires_at, "2025-06-17T16:54:17.946309Z");
    assert_eq!(s.token, "seam_cst1891oqCmB_6dBwV8PJ2Fsoe9dWYVyMfVHq");
    assert_eq!(s.user_identifier_key.as_deref(), Some("user_id_1"));
    assert_eq!(
        s.user_identity_id.as_deref(),
        Some("a6e93f84-565e-47d7-8908-1ca71ada373c")
    );
    assert_eq!(
        s.user_identity_ids,
        ["a6e93f84-565e-47d7-8908-1ca71ada373c"]
    );
    assert_eq!(s.customer_key, None);

    let sessions: Vec<ClientSession> = decode(LIST_WITHOUT_USER_IDENTIFIER_KEY_OUTPUT);
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].client_session_id,
        "a083ce0f-8b03-4081-ac9a-1ad2ce6aaabc"
    );
    assert_eq!(sessions[0].user_identifier_key, None);
    assert_eq!(
        sessions[0].user_identity_id.as_deref(),
        Some("b4ce8233-3b35-4d2d-82ec-d48513684f0a")
    );
    assert!(sessions[0].user_identity_ids.is_empty());

    // The same array inside the endpoint's response envelope.
    let envelope =
        format!(r#"{{"client_sessions": {LIST_WITHOUT_USER_IDENTIFIER_KEY_OUTPUT}, "ok": true}}"#);
    let r: ClientSessionsListResponse = decode(&envelope);
    assert!(r.ok);
    assert_eq!(r.client_sessions, sessions);
}

/// Unknown fields (`customer_id`) are dropped when a decoded session is
/// serialized again; everything the model knows survives the round trip.
#[test]
fn client_session_round_trips_known_fields() {
    let s: ClientSession = decode(LIST_RESPONSE_SECTION_SESSION);
    let mut expected: Value = serde_json::from_str(LIST_RESPONSE_SECTION_SESSION).unwrap();
    expected.as_object_mut().unwrap().remove("customer_id");
    // `device_count` is `format: float` in the spec, so it comes back as `1.0`.
    expected["device_count"] = json!(1.0);
    assert_eq!(serde_json::to_value(&s).unwrap(), expected);
}

// ------------------------------------------------------------------ connected accounts

/// `connected_accounts-get.txt`: the 200 response of the HTTP example.
const CONNECTED_ACCOUNTS_GET_RESPONSE: &str = r#"{
  "connected_account": {
    "connected_account_id": "123e4567-e89b-12d3-a456-426614174000",
    "created_at": "2025-07-04T08:29:56.137Z",
    "user_identifier": {
      "username": "text",
      "api_url": "text",
      "email": "text",
      "phone": "text",
      "exclusive": true
    },
    "account_type": "text",
    "account_type_display_name": "text",
    "errors": [
      {
        "created_at": "2025-07-04T08:29:56.137Z",
        "message": "text",
        "is_connected_account_error": true,
        "is_bridge_error": true,
        "error_code": "account_disconnected"
      }
    ],
    "warnings": [
      {
        "created_at": "2025-07-04T08:29:56.137Z",
        "message": "text",
        "warning_code": "scheduled_maintenance_window"
      }
    ],
    "custom_metadata": {
      "ANY_ADDITIONAL_PROPERTY": "text"
    },
    "automatically_manage_new_devices": true,
    "customer_key": "text",
    "accepted_capabilities": [
      "lock"
    ]
  },
  "ok": true
}"#;

/// `connected_accounts-get.txt`: the older "JSON format" response (only
/// `errors: []`, no `warnings`).
const CONNECTED_ACCOUNTS_GET_JSON_FORMAT: &str = r#"{
  "connected_account": {
    "connected_account_id": "9dcedcb3-5ede-4b66-9e07-f9ef97b3c29b",
    "created_at": "2022-08-24T10:38:05.128Z",
    "user_identifier": {
      "email": "[email protected]"
    },
    "account_type": "schlage",
    "errors": []
  },
  "ok": true
}"#;

/// `connected_accounts.txt`: the error list example. As published the
/// `created_at` string is not closed (`"2023-06-27T22:50:19.440Z` + newline);
/// the closing quote is added here.
const CONNECTED_ACCOUNTS_ERRORS_EXAMPLE: &str = r#"[
  {
    "is_connected_account_error": true,
    "error_code": "account_disconnected",
    "message": "Account Disconnected, you may need to reconnect the account with a new webview.",
    "created_at": "2023-06-27T22:50:19.440Z"
  }
]"#;

/// `connected_accounts.txt`: the warning list example, whose
/// `devices_connected_to_other_account` code is not in the current schema. As
/// published it is not JSON (single-quoted ids, unclosed `created_at`); here
/// the ids are double-quoted and the string closed, ids otherwise verbatim.
const CONNECTED_ACCOUNTS_WARNINGS_EXAMPLE: &str = r#"[
  {
    "warning_code": "devices_connected_to_other_account",
    "message": "Some devices on this account are already connected to another account.",
    "device_ids": [
      "8e9f2768-18d9-4ac2-845a-2£6fb507ea1f",
      "554acc7a-3cc8-4690-9a5e-b5c863295ee1",
      "06bfa00f-50c5-46ba-853-6£855c11632"
    ],
    "created_at": "2023-06-27T22:50:19.440Z"
  }
]"#;

/// What the fake (and the API) actually sends for a fresh account: no
/// `errors` and no `warnings` keys at all, plus fields the schema lacks
/// (`provider`, `workspace_id`, `bridge_id`). From `tests/fake/NOTES.md`.
const FAKE_CONNECTED_ACCOUNT: &str = r#"{"connected_account":{"connected_account_id":"john_connected_account_id","provider":"august","workspace_id":"seed_workspace_1","created_at":"2026-11-22T02:34:48.109Z","user_identifier":{"email":"john@example.com"},"display_name":"john@example.com","account_type_display_name":"Unknown","automatically_manage_new_devices":true,"custom_metadata":{},"bridge_id":null,"accepted_capabilities":[]},"ok":true}"#;

/// The docs' `connected_accounts/get` response, verbatim. It has no `display_name`, which the schema
/// lists as required: `openapi/overrides.yaml` makes it optional, as the API sends it.
#[test]
fn connected_accounts_get_docs_response_decodes() {
    let r: ConnectedAccountsGetResponse = decode(CONNECTED_ACCOUNTS_GET_RESPONSE);
    assert!(r.ok);
    let a = r.connected_account;
    assert_eq!(
        a.connected_account_id,
        "123e4567-e89b-12d3-a456-426614174000"
    );
    assert_eq!(
        a.created_at.as_ref().map(seam_connect::Timestamp::as_str),
        Some("2025-07-04T08:29:56.137Z")
    );
    assert_eq!(a.account_type.as_deref(), Some("text"));
    assert_eq!(a.account_type_display_name.as_deref(), Some("text"));
    assert_eq!(a.automatically_manage_new_devices, Some(true));
    assert_eq!(a.customer_key.as_deref(), Some("text"));
    assert_eq!(
        a.accepted_capabilities,
        [ConnectWebviewAcceptedCapability::Lock]
    );
    assert_eq!(a.errors.len(), 1);
    assert_eq!(a.warnings.len(), 1);
}

/// The docs' older "JSON format" `connected_accounts/get` response, verbatim. It lacks
/// `display_name`, `account_type_display_name` and `automatically_manage_new_devices`, which the
/// schema lists as required (made optional by `openapi/overrides.yaml`).
#[test]
fn connected_accounts_get_docs_json_format_decodes() {
    let r: ConnectedAccountsGetResponse = decode(CONNECTED_ACCOUNTS_GET_JSON_FORMAT);
    let a = r.connected_account;
    assert_eq!(
        a.connected_account_id,
        "9dcedcb3-5ede-4b66-9e07-f9ef97b3c29b"
    );
    assert_eq!(a.display_name, None);
    assert_eq!(a.automatically_manage_new_devices, None);
    assert_eq!(a.account_type.as_deref(), Some("schlage"));
    assert_eq!(
        a.user_identifier.and_then(|u| u.email).as_deref(),
        Some("[email protected]")
    );
    assert!(a.errors.is_empty());
    assert!(a.warnings.is_empty(), "absent `warnings` is an empty list");
}

/// The docs' account with a second error whose code the SDK does not know,
/// and a second, unknown warning. `display_name` (required by the schema,
/// missing from the example) is added so this test is only about the
/// errors/warnings unions.
fn account_with_unknown_codes() -> Value {
    let mut response: Value = serde_json::from_str(CONNECTED_ACCOUNTS_GET_RESPONSE).unwrap();
    let account = &mut response["connected_account"];
    account["display_name"] = json!("Jane's August account");
    account["errors"].as_array_mut().unwrap().push(json!({
        "created_at": "2025-07-04T08:29:56.137Z",
        "message": "Something brand new went wrong",
        "is_connected_account_error": true,
        "error_code": "brand_new_error_code",
        "extra": {"detail": 42}
    }));
    let unknown_warning: Vec<Value> =
        serde_json::from_str(CONNECTED_ACCOUNTS_WARNINGS_EXAMPLE).unwrap();
    account["warnings"]
        .as_array_mut()
        .unwrap()
        .extend(unknown_warning);
    account.take()
}

#[test]
fn connected_account_errors_decode_known_and_unknown_codes() {
    let raw = account_with_unknown_codes();
    let a: ConnectedAccount = decode(&raw.to_string());

    assert_eq!(a.display_name.as_deref(), Some("Jane's August account"));
    let u = a.user_identifier.as_ref().expect("user_identifier");
    assert_eq!(u.username.as_deref(), Some("text"));
    assert_eq!(u.api_url.as_deref(), Some("text"));
    assert_eq!(u.email.as_deref(), Some("text"));
    assert_eq!(u.phone.as_deref(), Some("text"));
    assert_eq!(u.exclusive, Some(true));
    assert_eq!(
        a.custom_metadata.get("ANY_ADDITIONAL_PROPERTY"),
        Some(&PhoneCustomMetadataValue::String("text".into()))
    );

    assert_eq!(a.errors.len(), 2);
    match &a.errors[0] {
        ConnectedAccountError::AccountDisconnected(e) => {
            assert_eq!(e.error_code, "account_disconnected");
            assert_eq!(e.message, "text");
            assert_eq!(e.created_at, "2025-07-04T08:29:56.137Z");
            assert_eq!(e.is_connected_account_error, Some(true));
            assert_eq!(e.is_bridge_error, Some(true));
        }
        other => panic!("expected AccountDisconnected, got {other:?}"),
    }
    match &a.errors[1] {
        ConnectedAccountError::Unrecognized(v) => {
            // Kept as the JSON the server sent, nothing lost.
            assert_eq!(v, &raw["errors"][1]);
            assert_eq!(v["error_code"], "brand_new_error_code");
            assert_eq!(v["message"], "Something brand new went wrong");
        }
        other => panic!("expected Unrecognized, got {other:?}"),
    }

    assert_eq!(a.warnings.len(), 2);
    match &a.warnings[0] {
        ConnectedAccountWarning::ScheduledMaintenanceWindow(w) => {
            assert_eq!(w.warning_code, "scheduled_maintenance_window");
            assert_eq!(w.message, "text");
            assert_eq!(w.created_at, "2025-07-04T08:29:56.137Z");
        }
        other => panic!("expected ScheduledMaintenanceWindow, got {other:?}"),
    }
    match &a.warnings[1] {
        ConnectedAccountWarning::Unrecognized(v) => {
            assert_eq!(v["warning_code"], "devices_connected_to_other_account");
            assert_eq!(v["device_ids"][1], "554acc7a-3cc8-4690-9a5e-b5c863295ee1");
        }
        other => panic!("expected Unrecognized, got {other:?}"),
    }

    // Serializing again reproduces the errors and warnings as received
    // (including the unknown ones), so a decoded account can be cached.
    let again = serde_json::to_value(&a).unwrap();
    assert_eq!(again["errors"], raw["errors"]);
    assert_eq!(again["warnings"], raw["warnings"]);
}

#[test]
fn connected_accounts_doc_errors_list_decodes() {
    let errors: Vec<ConnectedAccountError> = decode(CONNECTED_ACCOUNTS_ERRORS_EXAMPLE);
    let [ConnectedAccountError::AccountDisconnected(e)] = errors.as_slice() else {
        panic!("expected one AccountDisconnected, got {errors:?}");
    };
    assert_eq!(
        e.message,
        "Account Disconnected, you may need to reconnect the account with a new webview."
    );
    assert_eq!(e.created_at, "2023-06-27T22:50:19.440Z");
    assert_eq!(e.is_connected_account_error, Some(true));
    assert_eq!(e.is_bridge_error, None);
}

/// A known `error_code` whose object lacks a required field is a decode error
/// (it does not silently fall back to `Unrecognized`).
#[test]
fn known_error_code_with_missing_fields_is_rejected() {
    let json = r#"[{"error_code": "account_disconnected", "message": "no created_at"}]"#;
    let err = serde_json::from_str::<Vec<ConnectedAccountError>>(json).unwrap_err();
    assert!(err.to_string().contains("created_at"), "{err}");
}

#[test]
fn connected_account_without_errors_and_warnings_has_empty_lists() {
    let r: ConnectedAccountsGetResponse = decode(FAKE_CONNECTED_ACCOUNT);
    assert!(r.ok);
    let a = r.connected_account;
    assert_eq!(a.connected_account_id, "john_connected_account_id");
    assert_eq!(a.display_name.as_deref(), Some("john@example.com"));
    assert_eq!(a.account_type_display_name.as_deref(), Some("Unknown"));
    assert_eq!(a.automatically_manage_new_devices, Some(true));
    assert_eq!(
        a.user_identifier.and_then(|u| u.email).as_deref(),
        Some("john@example.com")
    );
    assert!(a.errors.is_empty());
    assert!(a.warnings.is_empty());
    assert!(a.custom_metadata.is_empty());
    assert!(a.accepted_capabilities.is_empty());
    assert_eq!(a.account_type, None);
}
