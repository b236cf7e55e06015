//! No credential ever shows up in `Debug` or `Display` output: of the client,
//! its builder, or errors (configuration, API, transport, decode).

mod runtime_common;

use runtime_common::{refused_url, Reply, Server};
use seam_connect::{CallOptions, Seam, SeamBuilder};

const API_KEY: &str = "seam_SECRETapikey";
const PAT: &str = "seam_atSECRETpat";
const CONSOLE: &str = "eySECRETconsole";
const CST: &str = "seam_cstSECRETcst";
const PK: &str = "seam_pkSECRETpk";
const CST_FROM_PK: &str = "seam_cstSECRETfrompk";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains("SECRET"), "{what} leaks a token: {text}");
}

fn check(what: &str, value: &(impl std::fmt::Debug + ?Sized)) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

#[tokio::test]
async fn no_token_in_debug_or_error_output() {
    let token_response = format!(r#"{{"client_session":{{"token":"{CST_FROM_PK}"}},"ok":true}}"#);
    let mut script = vec![Reply::json(200, &token_response)];
    // One 401 per client, then one undecodable success.
    for _ in 0..6 {
        script.push(Reply::json(
            401,
            r#"{"error":{"type":"unauthorized","message":"API Key not found"}}"#,
        ));
    }
    script.push(Reply::json(200, "{\"devices\": 3}"));
    let server = Server::start(script);
    let b = || Seam::builder().endpoint(&server.url);

    let builders: Vec<SeamBuilder> = vec![
        b().api_key(API_KEY),
        b().personal_access_token(PAT, "ws"),
        b().personal_access_token_without_workspace(PAT),
        b().console_session_token(CONSOLE, "ws"),
        b().console_session_token_without_workspace(CONSOLE),
        b().client_session_token(CST),
        b().publishable_key(PK, "user"),
    ];
    for builder in &builders {
        check("builder", builder);
    }
    let mut clients = Vec::new();
    let mut builders = builders.into_iter();
    let pk_builder = builders.next_back().unwrap();
    let pk_client = pk_builder.connect().await.unwrap();
    for builder in builders {
        clients.push(builder.build().unwrap());
    }
    clients.push(pk_client);
    let with = clients[0].with_options(CallOptions::new().wait_for_action_attempt(false));
    clients.push(with);

    let mut errors = Vec::new();
    for seam in &clients[..6] {
        check("client", seam);
        let err = seam.devices().list().await.unwrap_err();
        assert!(err.is_unauthorized());
        errors.push(err);
    }
    check("client", &clients[6]);
    check("client", &clients[7]);
    errors.push(clients[7].devices().list().await.unwrap_err());

    // Configuration errors: tokens given to the wrong constructor.
    errors.extend([
        Seam::from_api_key(PAT).unwrap_err(),
        Seam::from_api_key(CST).unwrap_err(),
        Seam::from_api_key(PK).unwrap_err(),
        Seam::from_api_key(CONSOLE).unwrap_err(),
        Seam::from_api_key("SECRET_no_prefix").unwrap_err(),
        Seam::from_api_key("seam_SECRET\nnewline").unwrap_err(),
        Seam::from_client_session_token(API_KEY).unwrap_err(),
        Seam::from_personal_access_token(CONSOLE, "ws").unwrap_err(),
        Seam::from_console_session_token(PAT, "ws").unwrap_err(),
        Seam::without_workspace_pat(API_KEY).unwrap_err(),
        clients[0].set_client_session_token(CST).unwrap_err(),
        clients[5].set_client_session_token(PK).unwrap_err(),
        Seam::builder()
            .api_key(API_KEY)
            .endpoint("https://user:SECRETpw@example.com")
            .build()
            .unwrap_err(),
    ]);
    // Transport error.
    let offline = Seam::builder()
        .api_key(API_KEY)
        .endpoint(refused_url())
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(offline.devices().list().await.unwrap_err());

    for err in &errors {
        check("error", err);
        assert_clean("error", &err.to_string());
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            assert_clean("error source", &s.to_string());
            source = s.source();
        }
    }
}

/// API errors print as status, type, message and request id; the body (Seam's
/// fake server sends a Node stack trace in `error.stack`) stays out of
/// `Debug` but is kept whole in `ApiError::raw_body`.
#[tokio::test]
async fn api_error_debug_is_concise() {
    let fake = seam_tests::FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .api_key(seam_tests::API_KEY)
        .endpoint(&fake.url)
        .build()
        .unwrap();
    let err = seam.devices().get("no_such_device").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    let body = String::from_utf8_lossy(api.raw_body()).into_owned();
    assert!(
        body.contains("\"stack\""),
        "the fake sends a stack trace: {body}"
    );
    assert!(body.len() > 1000, "{body}");

    let dbg = format!("{err:?}");
    assert!(dbg.len() < 300, "{} bytes: {dbg}", dbg.len());
    assert!(!dbg.contains("stack") && !dbg.contains(".js:"), "{dbg}");
    assert!(dbg.contains("status: 404"), "{dbg}");
    assert!(dbg.contains(&format!("{:?}", api.error_type)), "{dbg}");
    assert!(dbg.contains(&format!("{:?}", api.message)), "{dbg}");
    assert!(!api.message.is_empty());
    // The parsed `error` object still has everything.
    assert!(api.error.get("stack").is_some());
}

/// Models that carry credentials (a client session's `token`, a webhook's `secret`, any
/// `*_token`) print them as `<redacted>` in `Debug`; the value is still there to use.
#[test]
fn credential_fields_of_models_are_redacted_in_debug() {
    let session: seam_connect::models::ClientSession = serde_json::from_value(serde_json::json!({
        "client_session_id": "cs_1",
        "connect_webview_ids": [],
        "connected_account_ids": [],
        "created_at": "2026-01-01T00:00:00Z",
        "device_count": 0,
        "expires_at": "2026-01-02T00:00:00Z",
        "token": CST,
        "user_identity_ids": [],
        "workspace_id": "ws_1"
    }))
    .expect("a client session decodes");
    assert_eq!(session.token, CST, "the token itself is kept");
    check("ClientSession", &session);
    let shown = format!("{session:?}");
    assert!(
        shown.contains("token: \"<redacted>\"") && shown.contains("cs_1"),
        "other fields are shown: {shown}"
    );

    let webhook: seam_connect::models::Webhook = serde_json::from_value(serde_json::json!({
        "webhook_id": "wh_1",
        "url": "https://example.com/hook",
        "secret": "whsec_SECRETwebhook"
    }))
    .expect("a webhook decodes");
    check("Webhook", &webhook);
}
