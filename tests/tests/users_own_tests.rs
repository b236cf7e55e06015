//! How a user of `seam-connect` tests their own code without Seam, exactly as the README's "Testing
//! your code" (and the crate docs) say: enable the `test-util` feature in `[dev-dependencies]`
//! (`tests/Cargo.toml` does), build the response models from their placeholder `Default` and a
//! setter per field (no JSON, and no list of required fields that grows with the spec), serve them from an HTTP mock as Seam would (`POST` + JSON, `{"<key>": value, "ok": true}`)
//! and point the client at it with `Seam::builder().endpoint(url)`.
//!
//! A user would take any HTTP mock (wiremock, httpmock, their own); here it is the workspace's
//! loopback server, which records each request for the asserts. Everything else is what a user's
//! crate can write: only public items, structs built without literals (they are `#[non_exhaustive]`),
//! union variants built from outside the crate.

use seam_connect::models::{self, ActionAttemptStatus};
use seam_connect::Seam;
use serde::Serialize;
use serde_json::json;
use test_support::loopback::{Reply, Server};

/// What Seam answers: the endpoint's response key holding the value, and `"ok": true`.
fn seam_response(key: &str, value: &impl Serialize) -> Reply {
    let body = json!({ key: value, "ok": true });
    Reply::json(200, &body.to_string())
}

/// The client under test, pointed at the mock.
fn client(server: &Server) -> Seam {
    Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .build()
        .expect("the client builds")
}

/// A lock as the devices endpoints return it: `Default` (placeholders in the required fields), then
/// a setter per field the test cares about.
fn lock(device_id: &str, name: &str) -> models::Device {
    let properties = models::DeviceProperties::default()
        .appearance(models::DevicePropertiesAppearance::default().name(name))
        .model(
            models::DevicePropertiesModel::default()
                .display_name("Smart Lock Pro")
                .manufacturer_display_name("August"),
        )
        .online(true)
        .battery_level(0.87)
        .locked(true)
        // A union with struct-like variants (untagged), built from outside the crate.
        .code_constraints(vec![
            models::DevicePropertiesCodeConstraint::ConstraintType {
                constraint_type: models::DevicePropertiesCodeConstraintConstraintType::NoZeros,
            },
        ]);
    // A tagged union (the warnings): a variant holds its own struct, built the same way (its tag
    // value, `warning_code`, is filled in: the only value the variant allows).
    let warning = models::DeviceWarning::ManyActiveBackupCodes(
        models::DeviceWarningManyActiveBackupCodes::default()
            .created_at("2025-06-01T10:00:00Z")
            .message("Too many backup codes are active."),
    );
    // A union of plain values (untagged).
    let custom_metadata = [(
        "unit".to_string(),
        models::DeviceCustomMetadataValue::String("4B".into()),
    )];
    models::Device::default()
        .connected_account_id("ca_1")
        .device_id(device_id)
        .workspace_id("ws_1")
        .space_ids(["space_1"])
        .capabilities_supported(vec![models::DeviceCapabilitiesSupportedItem::Lock])
        .created_at("2025-06-01T09:00:00Z")
        .custom_metadata(custom_metadata.into())
        .device_type(models::DeviceDeviceType::AugustLock)
        .display_name(name)
        .is_managed(true)
        .properties(properties)
        .warnings(vec![warning])
        .nickname("Front door")
}

#[tokio::test]
async fn devices_built_with_test_util_are_served_and_decode_as_built() {
    let front = lock("device_1", "Front Door");
    let back = lock("device_2", "Back Door");
    let server = Server::start(vec![
        seam_response("device", &front),
        seam_response("devices", &[&front, &back]),
    ]);
    let seam = client(&server);

    let got = seam.devices().get("device_1").await.expect("the device");
    assert_eq!(got, front);
    assert_eq!(got.properties.locked, Some(true));
    let listed = seam.devices().list().limit(2).await.expect("the devices");
    assert_eq!(listed, [front, back]);

    let sent = server.received();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path()),
        ("POST", "/devices/get")
    );
    assert_eq!(sent[0].json_body(), Ok(json!({ "device_id": "device_1" })));
    assert_eq!(
        (sent[1].method.as_str(), sent[1].path()),
        ("POST", "/devices/list")
    );
    assert_eq!(sent[1].json_body(), Ok(json!({ "limit": 2.0 })));
    assert_eq!(
        sent[1].header("authorization"),
        Some("Bearer seam_test_key")
    );
}

#[tokio::test]
async fn an_access_code_and_an_action_attempt_built_with_test_util_decode_as_built() {
    let code = models::AccessCode::default()
        .access_code_id("ac_1")
        .device_id("device_1")
        .workspace_id("ws_1")
        .created_at("2025-06-01T09:00:00Z")
        .errors(vec![models::AccessCodeError::DuplicateCodeOnDevice(
            models::AccessCodeErrorDuplicateCodeOnDevice::default()
                .is_access_code_error(true)
                .message("The code is already on the device."),
        )])
        .is_external_modification_allowed(true)
        .is_managed(true)
        .status(models::AccessCodeStatus::Set)
        .r#type(models::AccessCodeType::TimeBound)
        .name("Guest")
        .code("4444")
        .starts_at("2025-06-02T15:00:00Z")
        .ends_at("2025-06-04T11:00:00Z");
    // The action attempt `unlock_door` returns, already succeeded (so the SDK does not poll); the
    // variant's struct fills in its tag values (`action_type`, `status`) itself.
    let attempt = models::ActionAttempt::UnlockDoorSuccess(
        models::ActionAttemptUnlockDoorSuccess::default().action_attempt_id("aa_1"),
    );
    assert_eq!(
        serde_json::to_value(&attempt).expect("encodes")["action_type"],
        "UNLOCK_DOOR"
    );
    let server = Server::start(vec![
        seam_response("access_code", &code),
        seam_response("action_attempt", &attempt),
    ]);
    let seam = client(&server);

    let got = seam
        .access_codes()
        .get("ac_1")
        .await
        .expect("the access code");
    assert_eq!(got, code);
    assert!(got.starts_at < got.ends_at);
    let unlocked = seam
        .locks()
        .unlock_door("device_1")
        .await
        .expect("the attempt");
    assert_eq!(unlocked, attempt);
    assert_eq!(unlocked.status(), Some(ActionAttemptStatus::Success));

    let sent = server.received();
    assert_eq!(sent.len(), 2, "a succeeded attempt is not polled");
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path()),
        ("POST", "/access_codes/get")
    );
    assert_eq!(sent[0].json_body(), Ok(json!({ "access_code_id": "ac_1" })));
    assert_eq!(sent[1].path(), "/locks/unlock_door");
    assert_eq!(sent[1].json_body(), Ok(json!({ "device_id": "device_1" })));
}
