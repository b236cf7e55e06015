//! The generated SDK against Seam's official fake API server
//! (`@seamapi/fake-seam-connect`, see `tests/fake/NOTES.md`).
//!
//! Every test starts its own freshly seeded fake, so ids created by the fake's
//! counters (`cst2`, ...) are deterministic.

#![allow(deprecated)] // `user_identity_ids`, `user_identifier` and `properties.name` are deprecated

use seam_connect::models::{
    ConnectedAccountsGetParams, DeviceCapabilitiesSupportedItem, DeviceDeviceType,
};
use seam_connect::{AuthMode, Error, Seam};
use seam_tests::{seed, FakeSeam, API_KEY, CLIENT_SESSION_TOKEN, PUBLISHABLE_KEY, WORKSPACE_ID};

/// A fresh fake and a client that talks to it with the seeded API key.
fn fake_and_client() -> (FakeSeam, Seam) {
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .build()
        .expect("client builds");
    (fake, seam)
}

/// Asserts that `result` is an [`Error::Api`] with the given status, type and
/// message, carrying the fake's `seam-request-id` header.
fn assert_api_error<T: std::fmt::Debug>(
    result: seam_connect::Result<T>,
    status: u16,
    error_type: &str,
    message: &str,
) {
    let err = result.expect_err("the call must fail");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status, status, "{err}");
    assert_eq!(api.error_type, error_type, "{err}");
    assert_eq!(api.message, message, "{err}");
    let request_id = api.request_id.as_deref().expect("seam-request-id header");
    assert!(request_id.starts_with("request"), "request id {request_id}");
    // The convenience accessors agree with the structured error.
    assert_eq!(err.status(), Some(status));
    assert_eq!(err.error_type(), Some(error_type));
    assert_eq!(err.request_id(), Some(request_id));
    assert_eq!(err.is_not_found(), status == 404);
    // The raw error object is kept (the fake adds a `stack`, which is ignored).
    assert_eq!(api.error["type"], error_type);
}

// ---------------------------------------------------------------- get_or_create

/// `get_or_create` only accepts a publishable key (`seam-publishable-key`
/// header) on the fake; an API-key client gets a typed 400.
#[tokio::test]
async fn get_or_create_with_api_key_surfaces_publishable_key_header_required() {
    let (_fake, seam) = fake_and_client();
    // The request of the docs' `client_sessions/get_or_create` example.
    let result = seam
        .client_sessions()
        .get_or_create()
        .user_identifier_key("jane_doe")
        .connect_webview_ids(["5e297cfe-23df-4638-bb87-08c4f0f8233b"])
        .connected_account_ids(["f87f0ab7-b8d7-44aa-9e59-3239b209570e"])
        .user_identity_id("71ff7f71-2cf4-458a-8db4-6ad539c8b66a")
        .expires_at("2025-06-18T06:10:42.000Z")
        .await;
    assert_api_error(
        result,
        400,
        "publishable_key_header_required",
        "Seam-Publishable-Key header required",
    );
}

/// The publishable-key flow: the builder calls `get_or_create` with the
/// `seam-publishable-key` header and the client then uses the returned
/// client session token. (The docs' full example is not sent: with a
/// publishable key the fake rejects `connect_webview_ids` /
/// `connected_account_ids` with 403 `publishable_keys_must_create_empty_client_sessions`.)
#[tokio::test]
async fn get_or_create_with_publishable_key_yields_client_session_client() {
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let connect = || async {
        Seam::builder()
            .publishable_key(PUBLISHABLE_KEY, "jane_doe")
            .endpoint(&fake.url)
            .connect()
            .await
            .unwrap_or_else(|e| panic!("publishable-key connect failed: {e}"))
    };
    let seam = connect().await;
    assert_eq!(seam.auth_mode(), AuthMode::ClientSessionToken);

    // With a client session token and no params, `get` returns that session.
    let session = seam
        .client_sessions()
        .get()
        .await
        .expect("get own client session");
    assert_eq!(session.client_session_id, "cst2");
    assert_eq!(session.workspace_id, WORKSPACE_ID);
    assert_eq!(session.user_identifier_key.as_deref(), Some("jane_doe"));
    assert!(session.token.starts_with("seam_cst"), "{}", session.token);
    assert!(session.connected_account_ids.is_empty());
    assert_eq!(session.device_count, 0.0);

    // The same user again: get_or_create returns the same session.
    let again = connect()
        .await
        .client_sessions()
        .get()
        .await
        .expect("get own client session again");
    assert_eq!(again, session);

    // The API-key client sees the session the publishable key created.
    let admin = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .build()
        .expect("client builds");
    let by_key = admin
        .client_sessions()
        .get()
        .user_identifier_key("jane_doe")
        .await
        .expect("get by user_identifier_key");
    assert_eq!(by_key, session);
}

/// A wrong publishable key fails `connect` with the fake's typed error.
#[tokio::test]
async fn publishable_key_connect_with_unknown_key_is_typed_error() {
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let result = Seam::builder()
        .publishable_key("seam_pk_unknown", "jane_doe")
        .endpoint(&fake.url)
        .connect()
        .await;
    let err = result.expect_err("unknown publishable key");
    assert_eq!(err.status(), Some(400), "{err}");
    assert_eq!(err.error_type(), Some("workspace_not_found"), "{err}");
}

// ---------------------------------------------------------------- create / get

#[tokio::test]
async fn client_sessions_create_then_get_by_id_and_by_key() {
    let (_fake, seam) = fake_and_client();
    let created = seam
        .client_sessions()
        .create()
        .user_identifier_key("rust_u3")
        .connected_account_ids([seed::JOHN_CONNECTED_ACCOUNT_ID])
        .await
        .expect("create");
    assert_eq!(created.client_session_id, "cst2");
    assert_eq!(created.workspace_id, WORKSPACE_ID);
    assert_eq!(created.user_identifier_key.as_deref(), Some("rust_u3"));
    assert_eq!(
        created.connected_account_ids,
        [seed::JOHN_CONNECTED_ACCOUNT_ID]
    );
    assert!(created.connect_webview_ids.is_empty());
    assert!(created.user_identity_ids.is_empty());
    assert_eq!(created.user_identity_id, None);
    // john's account owns the two August locks, the Ecobee and the Minut.
    assert_eq!(created.device_count, 4.0);
    assert!(created.token.starts_with("seam_cst"), "{}", created.token);
    // Timestamps: real instants, compared as such.
    assert!(created.created_at.is_valid() && created.expires_at.is_valid());
    assert!(created.created_at < created.expires_at);

    let by_id = seam
        .client_sessions()
        .get()
        .client_session_id(created.client_session_id.clone())
        .await
        .expect("get by id");
    assert_eq!(by_id, created);

    let by_key = seam
        .client_sessions()
        .get()
        .user_identifier_key("rust_u3")
        .await
        .expect("get by user_identifier_key");
    assert_eq!(by_key, created);
}

/// `{}` is a valid create request; the fake then omits `user_identifier_key`.
#[tokio::test]
async fn client_sessions_create_without_params_has_no_user_identifier_key() {
    let (_fake, seam) = fake_and_client();
    let created = seam.client_sessions().create().await.expect("create {}");
    assert_eq!(created.client_session_id, "cst2");
    assert_eq!(created.user_identifier_key, None);
    assert!(created.connected_account_ids.is_empty());
    assert_eq!(created.device_count, 0.0);
}

#[tokio::test]
async fn client_sessions_get_seeded_session() {
    let (_fake, seam) = fake_and_client();
    let session = seam
        .client_sessions()
        .get()
        .client_session_id("cst1")
        .await
        .expect("get cst1");
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(session.token, CLIENT_SESSION_TOKEN);
    assert_eq!(session.workspace_id, WORKSPACE_ID);
    assert_eq!(
        session.user_identifier_key.as_deref(),
        Some("john_user_identifier_key")
    );
    assert_eq!(session.connect_webview_ids, ["connect_webview1"]);
    assert_eq!(
        session.connected_account_ids,
        [seed::JOHN_CONNECTED_ACCOUNT_ID]
    );
    assert_eq!(session.user_identity_ids, ["john_user_identity_id"]);
    assert_eq!(session.device_count, 4.0);
}

#[tokio::test]
async fn client_sessions_get_missing_is_typed_404() {
    let (_fake, seam) = fake_and_client();
    let result = seam
        .client_sessions()
        .get()
        .client_session_id("no_such_session")
        .await;
    assert_api_error(
        result,
        404,
        "client_session_not_found",
        "Could not find client session",
    );
}

// ---------------------------------------------------------------- connected accounts

#[tokio::test]
async fn connected_accounts_get_by_id() {
    let (_fake, seam) = fake_and_client();
    let account = seam
        .connected_accounts()
        .get(ConnectedAccountsGetParams::ConnectedAccountId {
            connected_account_id: seed::JOHN_CONNECTED_ACCOUNT_ID.into(),
        })
        .await
        .expect("get john by id");
    assert_eq!(
        account.connected_account_id,
        seed::JOHN_CONNECTED_ACCOUNT_ID
    );
    assert_eq!(account.display_name.as_deref(), Some(seed::JOHN_EMAIL));
    assert_eq!(
        account.account_type_display_name.as_deref(),
        Some("Unknown")
    );
    assert_eq!(account.automatically_manage_new_devices, Some(true));
    assert_eq!(
        account
            .user_identifier
            .as_ref()
            .and_then(|u| u.email.as_deref()),
        Some(seed::JOHN_EMAIL)
    );
    assert!(account
        .created_at
        .as_ref()
        .is_some_and(seam_connect::Timestamp::is_valid));
    assert!(account.custom_metadata.is_empty());
    assert!(account.accepted_capabilities.is_empty());
    // The fake sends neither `errors` nor `warnings`: they decode as empty lists.
    assert!(account.errors.is_empty());
    assert!(account.warnings.is_empty());
}

#[tokio::test]
async fn connected_accounts_get_by_email() {
    let (_fake, seam) = fake_and_client();
    let jane = seam
        .connected_accounts()
        .get(ConnectedAccountsGetParams::Email {
            email: seed::JANE_EMAIL.into(),
        })
        .await
        .expect("get jane by email");
    assert_eq!(jane.connected_account_id, seed::JANE_CONNECTED_ACCOUNT_ID);
    assert_eq!(jane.display_name.as_deref(), Some(seed::JANE_EMAIL));

    // john has two accounts with that email; the fake returns the August one first.
    let john = seam
        .connected_accounts()
        .get(ConnectedAccountsGetParams::Email {
            email: seed::JOHN_EMAIL.into(),
        })
        .await
        .expect("get john by email");
    assert_eq!(john.connected_account_id, seed::JOHN_CONNECTED_ACCOUNT_ID);
}

#[tokio::test]
async fn connected_accounts_get_missing_is_typed_404() {
    let (_fake, seam) = fake_and_client();
    let result = seam
        .connected_accounts()
        .get(ConnectedAccountsGetParams::ConnectedAccountId {
            connected_account_id: "nope".into(),
        })
        .await;
    assert_api_error(
        result,
        404,
        "connected_account_not_found",
        "Connected account not found",
    );

    let result = seam
        .connected_accounts()
        .get(ConnectedAccountsGetParams::Email {
            email: "nobody@example.com".into(),
        })
        .await;
    assert_api_error(
        result,
        404,
        "connected_account_not_found",
        "Connected account not found",
    );
}

#[tokio::test]
async fn connected_accounts_list_returns_seeded_accounts_in_order() {
    let (_fake, seam) = fake_and_client();
    let accounts = seam.connected_accounts().list().await.expect("list");
    let ids: Vec<&str> = accounts
        .iter()
        .map(|a| a.connected_account_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            seed::JOHN_CONNECTED_ACCOUNT_ID,
            seed::JANE_CONNECTED_ACCOUNT_ID,
            "john_assa_cs_connected_account_id",
        ]
    );
    let names: Vec<&str> = accounts
        .iter()
        .map(|a| a.display_name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [seed::JOHN_EMAIL, seed::JANE_EMAIL, seed::JOHN_EMAIL]
    );
    assert!(accounts
        .iter()
        .all(|a| a.errors.is_empty() && a.warnings.is_empty()));
}

// ---------------------------------------------------------------- devices

#[tokio::test]
async fn devices_list_returns_seeded_devices_with_types() {
    let (_fake, seam) = fake_and_client();
    let devices = seam.devices().list().await.expect("devices.list");
    let summary: Vec<(&str, DeviceDeviceType, &str)> = devices
        .iter()
        .map(|d| {
            (
                d.device_id.as_str(),
                d.device_type.clone(),
                d.connected_account_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                seed::AUGUST_DEVICE_1,
                DeviceDeviceType::AugustLock,
                seed::JOHN_CONNECTED_ACCOUNT_ID
            ),
            (
                seed::AUGUST_DEVICE_2,
                DeviceDeviceType::AugustLock,
                seed::JOHN_CONNECTED_ACCOUNT_ID
            ),
            (
                seed::ECOBEE_DEVICE_1,
                DeviceDeviceType::EcobeeThermostat,
                seed::JOHN_CONNECTED_ACCOUNT_ID
            ),
            (
                seed::MINUT_DEVICE_1,
                DeviceDeviceType::MinutSensor,
                seed::JOHN_CONNECTED_ACCOUNT_ID
            ),
            (
                seed::SCHLAGE_DEVICE_ID,
                DeviceDeviceType::SchlageLock,
                seed::JANE_CONNECTED_ACCOUNT_ID
            ),
        ]
    );

    let august = &devices[0];
    assert_eq!(august.device_type.as_str(), "august_lock");
    assert_eq!(august.workspace_id, WORKSPACE_ID);
    assert!(august.is_managed);
    assert_eq!(august.properties.name, "Fake August Lock 1");
    assert!(august.properties.online);
    assert_eq!(august.properties.locked, Some(true));
    assert_eq!(august.can_remotely_lock, Some(true));
    assert_eq!(august.can_remotely_unlock, Some(true));
    assert_eq!(
        august.capabilities_supported,
        [
            DeviceCapabilitiesSupportedItem::Lock,
            DeviceCapabilitiesSupportedItem::AccessCode
        ]
    );
    assert!(august.errors.is_empty() && august.warnings.is_empty());
    assert_eq!(devices[4].properties.name, "Bathroom Door");
}
