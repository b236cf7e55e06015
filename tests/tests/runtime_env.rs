//! Credentials and endpoint from the environment. One test function on
//! purpose: environment variables are process-wide, so the cases run in
//! sequence inside this (separate) test binary.

mod runtime_common;

use runtime_common::{Reply, Server, EMPTY_DEVICES};
use seam_connect::{AuthMode, Error, Seam};

const VARS: [&str; 4] = [
    "SEAM_API_KEY",
    "SEAM_PERSONAL_ACCESS_TOKEN",
    "SEAM_WORKSPACE_ID",
    "SEAM_ENDPOINT",
];

fn set(vars: &[(&str, &str)]) {
    for v in VARS {
        std::env::remove_var(v);
    }
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
}

#[tokio::test]
async fn credentials_and_endpoint_from_env() {
    let server = Server::start(vec![
        Reply::json(200, EMPTY_DEVICES),
        Reply::json(200, EMPTY_DEVICES),
    ]);

    // API key + endpoint.
    set(&[
        ("SEAM_API_KEY", "seam_env_key"),
        ("SEAM_ENDPOINT", &server.url),
    ]);
    let seam = Seam::from_env().unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::ApiKey);
    assert_eq!(seam.endpoint(), server.url);
    seam.devices().list().await.unwrap();

    // PAT + workspace.
    set(&[
        ("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at_env"),
        ("SEAM_WORKSPACE_ID", "ws_env"),
        ("SEAM_ENDPOINT", &server.url),
    ]);
    let seam = Seam::from_env().unwrap();
    assert_eq!(seam.auth_mode(), AuthMode::PersonalAccessToken);
    assert_eq!(seam.workspace_id().as_deref(), Some("ws_env"));
    seam.devices().list().await.unwrap();

    let got = server.received();
    assert_eq!(got[0].header("authorization"), Some("Bearer seam_env_key"));
    assert_eq!(got[0].header("seam-workspace"), None);
    assert_eq!(got[1].header("authorization"), Some("Bearer seam_at_env"));
    assert_eq!(got[1].header("seam-workspace"), Some("ws_env"));

    // An explicit endpoint beats SEAM_ENDPOINT.
    let seam = Seam::builder()
        .credentials_from_env()
        .unwrap()
        .endpoint("http://127.0.0.1:9/api")
        .build()
        .unwrap();
    assert_eq!(seam.endpoint(), "http://127.0.0.1:9/api");

    // Errors, not guesses.
    let bad: [&[(&str, &str)]; 5] = [
        &[
            ("SEAM_API_KEY", "seam_env_key"),
            ("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at_env"),
            ("SEAM_WORKSPACE_ID", "ws"),
        ],
        &[("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at_env")],
        &[
            ("SEAM_API_KEY", "seam_env_key"),
            ("SEAM_WORKSPACE_ID", "ws"),
        ],
        &[],
        &[("SEAM_API_KEY", "seam_at_wrong_kind")],
    ];
    for vars in bad {
        set(vars);
        let err = Seam::from_env().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{vars:?}: {err:?}");
        assert!(!err.to_string().contains("seam_at_env"), "{err}");
        assert!(!err.to_string().contains("seam_env_key"), "{err}");
    }
    set(&[
        ("SEAM_API_KEY", "seam_env_key"),
        ("SEAM_ENDPOINT", "not a url"),
    ]);
    assert!(matches!(Seam::from_env(), Err(Error::Config(_))));
    set(&[]);
    let seam = Seam::from_api_key("seam_k").unwrap();
    assert_eq!(seam.endpoint(), "https://connect.getseam.com");
}
