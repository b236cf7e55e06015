//! Webhook verification (`seam_connect::webhook`). Every expected signature is computed by the
//! `openssl` command-line tool (or is Svix's published example), never by the code under test.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use seam_connect::models::{Event, EventEventType};
use seam_connect::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use seam_connect::webhook::{Webhook, WebhookError, WebhookEvent};

/// Secrets as Seam shows them: `whsec_` + base64 of the key bytes.
const KEY_HEX: &str = "5365616d20776562686f6f6b207465737420736563726574206b657921";
const OTHER_KEY_HEX: &str = "616e6f7468657220736563726574";
const NOW: u64 = 1_750_000_000;

fn run(program: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} runs (the openssl CLI is needed): {e}"));
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(stdin)
        .expect("stdin written");
    let out = child.wait_with_output().expect("openssl finishes");
    assert!(out.status.success(), "{program} {args:?} failed");
    out.stdout
}

fn openssl_base64(bytes: &[u8]) -> String {
    let out = run("openssl", &["base64", "-A"], bytes);
    String::from_utf8(out)
        .expect("base64 is ASCII")
        .trim()
        .to_string()
}

fn hex_to_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn secret(key_hex: &str) -> String {
    format!("whsec_{}", openssl_base64(&hex_to_bytes(key_hex)))
}

/// `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), by openssl.
fn openssl_signature(key_hex: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    let mut message = format!("{id}.{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    let macopt = format!("hexkey:{key_hex}");
    let mac = run(
        "openssl",
        &[
            "dgst", "-sha256", "-mac", "HMAC", "-macopt", &macopt, "-binary",
        ],
        &message,
    );
    assert_eq!(mac.len(), 32, "HMAC-SHA256 is 32 bytes");
    format!("v1,{}", openssl_base64(&mac))
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

const EVENT: &str = r#"{"event_id":"c8f8e6f4-0000-4000-8000-000000000001","event_type":"device.connected","workspace_id":"w1","created_at":"2025-06-15T15:06:40.000Z","occurred_at":"2025-06-15T15:06:39.000Z","connected_account_id":"ca1","device_id":"d1"}"#;

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in [
        ("webhook-id", id),
        ("webhook-timestamp", timestamp),
        ("webhook-signature", signature),
    ] {
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    h
}

#[test]
fn a_signed_delivery_decodes_to_its_event() {
    let ts = NOW.to_string();
    let sig = openssl_signature(KEY_HEX, "msg_1", &ts, EVENT.as_bytes());
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret accepted");
    let event = webhook
        .verify_at(EVENT.as_bytes(), &headers("msg_1", &ts, &sig), at(NOW + 30))
        .expect("valid delivery")
        .into_event()
        .expect("decoded");
    match &event {
        Event::DeviceConnected(e) => assert_eq!(e.device_id.as_deref(), Some("d1")),
        other => panic!("expected device.connected, got {other:?}"),
    }
    assert_eq!(event.event_type(), Some(EventEventType::DeviceConnected));
    // The secret without its `whsec_` prefix works too.
    let bare = Webhook::new(&openssl_base64(&hex_to_bytes(KEY_HEX))).expect("bare base64");
    bare.verify_at(EVENT.as_bytes(), &headers("msg_1", &ts, &sig), at(NOW))
        .expect("valid with the bare secret");
}

#[test]
fn svix_published_example_verifies() {
    // The example of Svix's "verifying payloads manually" guide.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let (id, ts, body) = (
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "1614265330",
        r#"{"test": 2432232314}"#,
    );
    let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    let webhook = Webhook::new(secret).expect("secret accepted");
    // Headers as plain pairs with Svix's own names.
    let pairs = [
        ("svix-id", id),
        ("svix-timestamp", ts),
        ("svix-signature", expected),
    ];
    webhook
        .verify_signature_at(body.as_bytes(), pairs, at(1_614_265_330))
        .expect("Svix's example signature is valid");
    // The body is not a Seam event: the signature is fine, decoding says where it failed.
    match webhook.verify_at(body.as_bytes(), pairs, at(1_614_265_330)) {
        Err(WebhookError::InvalidEvent { path, .. }) => assert_eq!(path, "event_type"),
        other => panic!("expected InvalidEvent, got {other:?}"),
    }
}

#[test]
fn a_signed_body_that_is_not_an_event_is_refused() {
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    let ts = NOW.to_string();
    for body in ["not json", "[1, 2]", r#"{"event_type": 7}"#] {
        let sig = openssl_signature(KEY_HEX, "msg_8", &ts, body.as_bytes());
        match webhook.verify_at(body.as_bytes(), &headers("msg_8", &ts, &sig), at(NOW)) {
            Err(WebhookError::InvalidEvent { .. }) => {}
            other => panic!("{body}: expected InvalidEvent, got {other:?}"),
        }
    }
}

#[test]
fn one_valid_signature_among_several_is_enough() {
    let ts = NOW.to_string();
    let old = openssl_signature(OTHER_KEY_HEX, "msg_2", &ts, EVENT.as_bytes());
    let new = openssl_signature(KEY_HEX, "msg_2", &ts, EVENT.as_bytes());
    let both = format!("v1,bm90IGEgc2lnbmF0dXJl {old} v2,abc {new}");
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    webhook
        .verify_at(EVENT.as_bytes(), &headers("msg_2", &ts, &both), at(NOW))
        .expect("the current key's signature matches");
    // Only the other key's signature: refused.
    match webhook.verify_at(EVENT.as_bytes(), &headers("msg_2", &ts, &old), at(NOW)) {
        Err(WebhookError::InvalidSignature) => {}
        other => panic!("expected InvalidSignature, got {other:?}"),
    }
}

/// `verify_signature` checks against the current time and does not decode:
/// a body that is no event passes, a tampered one or an old timestamp fails.
#[test]
fn verify_signature_checks_now_without_decoding() {
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let body = br#"{"not":"an event"}"#;
    let ts = now.to_string();
    let sig = openssl_signature(KEY_HEX, "msg_9", &ts, body);
    webhook
        .verify_signature(body, &headers("msg_9", &ts, &sig))
        .expect("signed now");
    assert!(matches!(
        webhook.verify_signature(br#"{"not":"an evenT"}"#, &headers("msg_9", &ts, &sig)),
        Err(WebhookError::InvalidSignature)
    ));
    let old = (now - 600).to_string();
    let sig = openssl_signature(KEY_HEX, "msg_9", &old, body);
    assert!(matches!(
        webhook.verify_signature(body, &headers("msg_9", &old, &sig)),
        Err(WebhookError::TimestampOutOfTolerance { .. })
    ));
    // Signed long ago but checked at that time: fine.
    webhook
        .verify_signature_at(body, &headers("msg_9", &old, &sig), at(now - 600 + 30))
        .expect("valid at its time");
}

#[test]
fn a_tampered_body_id_or_timestamp_is_refused() {
    let ts = NOW.to_string();
    let sig = openssl_signature(KEY_HEX, "msg_3", &ts, EVENT.as_bytes());
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    let tampered = EVENT.replace("\"d1\"", "\"d2\"");
    let cases: [(&[u8], HeaderMap); 3] = [
        (tampered.as_bytes(), headers("msg_3", &ts, &sig)),
        (EVENT.as_bytes(), headers("msg_4", &ts, &sig)),
        (
            EVENT.as_bytes(),
            headers("msg_3", &(NOW + 1).to_string(), &sig),
        ),
    ];
    for (body, h) in cases {
        match webhook.verify_at(body, &h, at(NOW)) {
            Err(WebhookError::InvalidSignature) => {}
            other => panic!("expected InvalidSignature, got {other:?}"),
        }
    }
}

#[test]
fn a_timestamp_outside_five_minutes_is_refused_either_way() {
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    for (ts, ok) in [
        (NOW - 6 * 60, false),
        (NOW + 6 * 60, false),
        (NOW - 4 * 60, true),
        (NOW + 4 * 60, true),
    ] {
        let ts = ts.to_string();
        let sig = openssl_signature(KEY_HEX, "msg_5", &ts, EVENT.as_bytes());
        let result = webhook.verify_at(EVENT.as_bytes(), &headers("msg_5", &ts, &sig), at(NOW));
        match (result, ok) {
            (Ok(_), true) => {}
            (Err(WebhookError::TimestampOutOfTolerance { timestamp, now }), false) => {
                assert_eq!(timestamp.to_string(), ts);
                assert_eq!(now, NOW as i64);
            }
            (other, _) => panic!("timestamp {ts}: unexpected {other:?}"),
        }
    }
    // A wider tolerance accepts the six-minute-old delivery.
    let ts = (NOW - 6 * 60).to_string();
    let sig = openssl_signature(KEY_HEX, "msg_5", &ts, EVENT.as_bytes());
    Webhook::new(&secret(KEY_HEX))
        .expect("secret")
        .with_tolerance(Duration::from_secs(10 * 60))
        .verify_at(EVENT.as_bytes(), &headers("msg_5", &ts, &sig), at(NOW))
        .expect("inside a 10 minute tolerance");
}

#[test]
fn missing_or_malformed_headers_are_named() {
    let ts = NOW.to_string();
    let sig = openssl_signature(KEY_HEX, "msg_6", &ts, EVENT.as_bytes());
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut h = headers("msg_6", &ts, &sig);
        h.remove(missing);
        match webhook.verify_at(EVENT.as_bytes(), &h, at(NOW)) {
            Err(WebhookError::MissingHeader(name)) => assert_eq!(name, missing),
            other => panic!("without {missing}: expected MissingHeader, got {other:?}"),
        }
    }
    let h = headers("msg_6", "yesterday", &sig);
    match webhook.verify_at(EVENT.as_bytes(), &h, at(NOW)) {
        Err(WebhookError::InvalidHeader("webhook-timestamp")) => {}
        other => panic!("expected InvalidHeader, got {other:?}"),
    }
    // Names are matched without regard to case (plain pairs keep the sender's spelling).
    let pairs = vec![
        ("Webhook-Id".to_string(), "msg_6".to_string()),
        ("WEBHOOK-TIMESTAMP".to_string(), ts.clone()),
        ("Webhook-Signature".to_string(), sig.clone()),
    ];
    webhook
        .verify_at(EVENT.as_bytes(), pairs, at(NOW))
        .expect("mixed-case names");
}

#[test]
fn an_event_type_this_sdk_does_not_know_is_kept_whole() {
    let body = r#"{"event_id":"e9","event_type":"robot.arrived","workspace_id":"w1","created_at":"2030-01-01T00:00:00.000Z","occurred_at":"2030-01-01T00:00:00.000Z","robot_id":"r1"}"#;
    let ts = NOW.to_string();
    let sig = openssl_signature(KEY_HEX, "msg_7", &ts, body.as_bytes());
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    let event = webhook
        .verify_at(body.as_bytes(), &headers("msg_7", &ts, &sig), at(NOW))
        .expect("a future event type still verifies")
        .into_event()
        .expect("decoded, as Unrecognized");
    match &event {
        Event::Unrecognized(json) => assert_eq!(json["robot_id"], "r1"),
        other => panic!("expected Unrecognized, got {other:?}"),
    }
    // A type this version does not know keeps its text.
    assert_eq!(
        event.event_type().as_ref().map(EventEventType::as_str),
        Some("robot.arrived")
    );
    assert_eq!(event.event_id(), Some("e9"));
}

/// A signed event of a known type whose body does not match this SDK's type
/// (a required field missing, a field of another type) still reaches the
/// caller, with its JSON and where it did not decode: never `InvalidEvent`.
#[test]
fn a_known_event_type_that_does_not_decode_still_arrives() {
    let webhook = Webhook::new(&secret(KEY_HEX)).expect("secret");
    let ts = NOW.to_string();
    let missing = EVENT.replace(r#""workspace_id":"w1","#, "");
    let retyped = EVENT.replace(
        r#""created_at":"2025-06-15T15:06:40.000Z""#,
        r#""created_at":7"#,
    );
    for (body, field, expected) in [
        (&missing, "workspace_id", "missing field `workspace_id`"),
        (&retyped, "created_at", "invalid type: integer `7`"),
    ] {
        assert_ne!(body, EVENT);
        let sig = openssl_signature(KEY_HEX, "msg_10", &ts, body.as_bytes());
        let verified = webhook
            .verify_at(body.as_bytes(), &headers("msg_10", &ts, &sig), at(NOW))
            .unwrap_or_else(|e| panic!("{field}: a signed delivery must arrive, got {e:?}"));
        assert_eq!(verified.event_type(), Some(EventEventType::DeviceConnected));
        assert!(verified.event().is_none(), "{field}: {verified:?}");
        let WebhookEvent::Undecoded(undecoded) = verified else {
            panic!("{field}: expected Undecoded, got {verified:?}");
        };
        assert_eq!(undecoded.event_type, "device.connected");
        assert_eq!(undecoded.json["device_id"], "d1", "{field}");
        assert!(
            undecoded.message.contains(expected),
            "{field}: {} at {}",
            undecoded.message,
            undecoded.path
        );
    }
    // Tampering is still refused before any decoding.
    let sig = openssl_signature(KEY_HEX, "msg_10", &ts, missing.as_bytes());
    assert!(matches!(
        webhook.verify_at(retyped.as_bytes(), &headers("msg_10", &ts, &sig), at(NOW)),
        Err(WebhookError::InvalidSignature)
    ));
}

#[test]
fn bad_secrets_are_refused_and_secrets_never_shown() {
    for bad in ["whsec_not base64!", "whsec_", ""] {
        match Webhook::new(bad) {
            Err(WebhookError::InvalidSecret) => {}
            other => panic!("{bad:?}: expected InvalidSecret, got {other:?}"),
        }
    }
    let secret = secret(KEY_HEX);
    let webhook = Webhook::new(&secret).expect("secret");
    let encoded = secret.trim_start_matches("whsec_");
    for text in [format!("{webhook:?}"), format!("{webhook:#?}")] {
        assert!(!text.contains(encoded), "secret in Debug: {text}");
        assert!(text.contains("redacted"), "{text}");
    }
    let err = Webhook::new("whsec_SECRET-with-bad-chars").expect_err("bad base64");
    assert!(!format!("{err} {err:?}").contains("SECRET"));
}
