//! Every auth mode end to end: against Seam's fake server where it supports
//! the mode, and against a recording loopback server to pin the exact headers.

mod runtime_common;

use runtime_common::{Reply, Server, EMPTY_DEVICES};
use seam_connect::{AuthMode, Error, Seam};
use seam_tests::{
    FakeSeam, API_KEY, CLIENT_SESSION_TOKEN, PERSONAL_ACCESS_TOKEN, PUBLISHABLE_KEY, WORKSPACE_ID,
};

/// A JWT-shaped console session token (the fake seeds none).
const CONSOLE_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.e30.console_sig";

fn fake() -> FakeSeam {
    FakeSeam::start().unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn api_key_lists_devices() {
    let fake = fake();
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::ApiKey);
    let devices = seam.devices().list().await.unwrap();
    assert_eq!(devices.len(), 5);
}

#[tokio::test]
async fn wrong_api_key_is_unauthorized() {
    let fake = fake();
    let seam = Seam::builder()
        .api_key("seam_wrong_key")
        .endpoint(&fake.url)
        .build()
        .unwrap();
    let err = seam.devices().list().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.error_type(), Some("unauthorized"));
    assert!(err.request_id().is_some());
    assert!(!err.to_string().contains("seam_wrong_key"));
}

#[tokio::test]
async fn personal_access_token_with_workspace() {
    let fake = fake();
    let seam = Seam::builder()
        .personal_access_token(PERSONAL_ACCESS_TOKEN, WORKSPACE_ID)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::PersonalAccessToken);
    assert_eq!(seam.workspace_id().as_deref(), Some(WORKSPACE_ID));
    let accounts = seam.connected_accounts().list().await.unwrap();
    assert_eq!(accounts.len(), 3);
    // This fake's /devices/list takes no PAT: a typed unauthorized error.
    let err = seam.devices().list().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.error_type(), Some("access_token_used_for_api_key"));
}

#[tokio::test]
async fn personal_access_token_without_workspace() {
    let fake = fake();
    let seam = Seam::builder()
        .personal_access_token_without_workspace(PERSONAL_ACCESS_TOKEN)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    assert_eq!(seam.workspace_id(), None);
    let workspaces = seam.workspaces().list().await.unwrap();
    assert!(!workspaces.is_empty());
    // Workspace-scoped routes refuse it.
    let err = seam.connected_accounts().list().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
}

#[tokio::test]
async fn client_session_token_and_replacing_it() {
    let fake = fake();
    let seam = Seam::builder()
        .client_session_token(CLIENT_SESSION_TOKEN)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::ClientSessionToken);
    // The seeded session sees only john's account: 4 devices.
    assert_eq!(seam.devices().list().await.unwrap().len(), 4);
    // Replacing the token affects every clone.
    let clone = seam.clone();
    seam.set_client_session_token("seam_cst_revoked").unwrap();
    let err = clone.devices().list().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    seam.set_client_session_token(CLIENT_SESSION_TOKEN).unwrap();
    assert_eq!(clone.devices().list().await.unwrap().len(), 4);
    // Only client-session clients can swap tokens, and only for a client session token.
    assert!(matches!(
        seam.set_client_session_token(API_KEY),
        Err(Error::Config(_))
    ));
    let api = Seam::from_api_key(API_KEY).unwrap();
    assert!(matches!(
        api.set_client_session_token(CLIENT_SESSION_TOKEN),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn publishable_key_exchanges_for_a_client_session() {
    let fake = fake();
    let seam = Seam::builder()
        .publishable_key(PUBLISHABLE_KEY, "rust_sdk_user_1")
        .endpoint(&fake.url)
        .connect()
        .await
        .unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::ClientSessionToken);
    // A fresh session has no connected accounts yet.
    let devices = seam.devices().list().await.unwrap();
    assert!(devices.is_empty());
    let session = seam.client_sessions().get().await.unwrap();
    assert_eq!(
        session.user_identifier_key.as_deref(),
        Some("rust_sdk_user_1")
    );

    let err = Seam::builder()
        .publishable_key("seam_pk_unknown", "u")
        .endpoint(&fake.url)
        .connect()
        .await
        .unwrap_err();
    assert_eq!(err.error_type(), Some("workspace_not_found"), "{err:?}");
    assert!(!format!("{err:?}{err}").contains("seam_pk_unknown"));

    // `build` can't do the exchange.
    let err = Seam::builder()
        .publishable_key(PUBLISHABLE_KEY, "u")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
}

#[tokio::test]
async fn each_mode_sends_exactly_the_expected_headers() {
    let cst_response =
        r#"{"client_session":{"token":"seam_cst_from_pk","client_session_id":"cst9"},"ok":true}"#;
    let server = Server::start(vec![
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, cst_response),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let b = || Seam::builder().endpoint(&server.url);
    let clients = [
        b().api_key(API_KEY).build().unwrap(),
        b().personal_access_token(PERSONAL_ACCESS_TOKEN, WORKSPACE_ID)
            .build()
            .unwrap(),
        b().console_session_token(CONSOLE_TOKEN, WORKSPACE_ID)
            .build()
            .unwrap(),
        b().client_session_token(CLIENT_SESSION_TOKEN)
            .build()
            .unwrap(),
        b().console_session_token_without_workspace(CONSOLE_TOKEN)
            .build()
            .unwrap(),
    ];
    for seam in &clients {
        seam.devices().list().await.unwrap();
    }
    let pk = b()
        .publishable_key(PUBLISHABLE_KEY, "user_1")
        .connect()
        .await
        .unwrap();
    pk.devices().list().await.unwrap();

    let got = server.received();
    assert_eq!(got.len(), 7);
    let bearer = |t: &str| Some(format!("Bearer {t}"));
    let ws = Some(WORKSPACE_ID.to_owned());
    // (authorization, seam-workspace, client-session-token, seam-publishable-key)
    let expected = [
        (bearer(API_KEY), None, None, None),
        (bearer(PERSONAL_ACCESS_TOKEN), ws.clone(), None, None),
        (bearer(CONSOLE_TOKEN), ws.clone(), None, None),
        (
            bearer(CLIENT_SESSION_TOKEN),
            None,
            Some(CLIENT_SESSION_TOKEN.to_owned()),
            None,
        ),
        (bearer(CONSOLE_TOKEN), None, None, None),
        (None, None, None, Some(PUBLISHABLE_KEY.to_owned())),
        (
            bearer("seam_cst_from_pk"),
            None,
            Some("seam_cst_from_pk".to_owned()),
            None,
        ),
    ];
    for (i, (req, exp)) in got.iter().zip(expected).enumerate() {
        let header = |name: &str| req.header(name).map(str::to_owned);
        let actual = (
            header("authorization"),
            header("seam-workspace"),
            header("client-session-token"),
            header("seam-publishable-key"),
        );
        assert_eq!(actual, exp, "request {i}: {req:?}");
        assert_eq!(req.header("seam-sdk-name"), Some("seam-rust"));
        assert!(req.header("seam-sdk-version").is_some());
        assert!(req
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("seam-rust/")));
        assert_eq!(req.header("content-type"), Some("application/json"));
    }
    assert_eq!(
        (got[5].method.as_str(), got[5].target.as_str()),
        ("POST", "/client_sessions/get_or_create")
    );
    assert_eq!(got[5].body_text(), r#"{"user_identifier_key":"user_1"}"#);
}

#[test]
fn tokens_are_checked_by_prefix() {
    let cases = [
        Seam::from_api_key(PERSONAL_ACCESS_TOKEN),
        Seam::from_api_key(CLIENT_SESSION_TOKEN),
        Seam::from_api_key(PUBLISHABLE_KEY),
        Seam::from_api_key(CONSOLE_TOKEN),
        Seam::from_api_key("not_a_seam_token"),
        Seam::from_personal_access_token(API_KEY, WORKSPACE_ID),
        Seam::from_personal_access_token(PERSONAL_ACCESS_TOKEN, ""),
        Seam::from_console_session_token(PERSONAL_ACCESS_TOKEN, WORKSPACE_ID),
        Seam::from_client_session_token(API_KEY),
        Seam::without_workspace_pat(CONSOLE_TOKEN),
        Seam::without_workspace_console_session(API_KEY),
        Seam::builder().build(),
        Seam::builder()
            .api_key(API_KEY)
            .client_session_token(CLIENT_SESSION_TOKEN)
            .build(),
    ];
    for (i, r) in cases.into_iter().enumerate() {
        let err = r.unwrap_err();
        assert!(matches!(err, Error::Config(_)), "case {i}: {err:?}");
    }
    let msg = Seam::from_api_key(PERSONAL_ACCESS_TOKEN)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("personal access token"), "{msg}");
    assert!(!msg.contains(PERSONAL_ACCESS_TOKEN), "{msg}");
    assert!(Seam::from_console_session_token(CONSOLE_TOKEN, WORKSPACE_ID).is_ok());
    assert!(Seam::without_workspace_pat(PERSONAL_ACCESS_TOKEN).is_ok());
}

#[tokio::test]
async fn malformed_parameter_is_invalid_input_naming_the_field() {
    let fake = fake();
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    let err = seam.devices().list().limit(1.5).await.unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        err.validation_errors(),
        vec![(
            "limit".to_owned(),
            "Expected integer, received float".to_owned()
        )]
    );
    // Not retried: a 400 is final.
    assert!(!err.is_unauthorized());
}
