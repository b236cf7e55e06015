//! Unit tests of the pure parts of the generic runtime: `encode.rs` (parameter styles, bodies) and
//! `retry.rs` (the retry decision), included on their own as the contract requires them to build
//! with std + serde_json only.

#[allow(dead_code)]
#[path = "../../../codegen/runtime/encode.rs"]
mod encode;
#[allow(dead_code)]
#[path = "../../../codegen/runtime/retry.rs"]
mod retry;

use encode::{PathStyle, QueryStyle};
use retry::{decide, Decision, Outcome, RetryPolicy};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn path(v: Value, style: PathStyle, explode: bool) -> String {
    encode::path_value("id", &v, style, explode).expect("encodable")
}

fn query(v: Value, style: QueryStyle, explode: bool) -> String {
    encode::query_pairs("id", &v, style, explode)
        .expect("encodable")
        .join("&")
}

#[test]
fn percent_encoding_keeps_only_unreserved() {
    assert_eq!(encode::percent_encode("a/b c"), "a%2Fb%20c");
    assert_eq!(encode::percent_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(
        encode::percent_encode("?#[]@!$&'()*+,;=%"),
        "%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"
    );
    assert_eq!(encode::percent_encode("é€"), "%C3%A9%E2%82%AC");
    assert_eq!(encode::form_urlencode("a b&c=d*"), "a+b%26c%3Dd*");
}

/// The OpenAPI 3.0 style table for path parameters (values `5`, `[3,4,5]`, `{role: admin, firstName: Alex}`).
#[test]
fn path_styles_follow_the_openapi_table() {
    let obj = || json!({"firstName": "Alex", "role": "admin"});
    let cases: Vec<(Value, PathStyle, bool, &str)> = vec![
        (json!(5), PathStyle::Simple, false, "5"),
        (json!(5), PathStyle::Label, false, ".5"),
        (json!(5), PathStyle::Matrix, true, ";id=5"),
        (json!([3, 4, 5]), PathStyle::Simple, false, "3,4,5"),
        (json!([3, 4, 5]), PathStyle::Simple, true, "3,4,5"),
        (json!([3, 4, 5]), PathStyle::Label, false, ".3,4,5"),
        (json!([3, 4, 5]), PathStyle::Label, true, ".3.4.5"),
        (json!([3, 4, 5]), PathStyle::Matrix, false, ";id=3,4,5"),
        (json!([3, 4, 5]), PathStyle::Matrix, true, ";id=3;id=4;id=5"),
        (obj(), PathStyle::Simple, false, "firstName,Alex,role,admin"),
        (obj(), PathStyle::Simple, true, "firstName=Alex,role=admin"),
        (obj(), PathStyle::Label, false, ".firstName,Alex,role,admin"),
        (obj(), PathStyle::Label, true, ".firstName=Alex.role=admin"),
        (
            obj(),
            PathStyle::Matrix,
            false,
            ";id=firstName,Alex,role,admin",
        ),
        (obj(), PathStyle::Matrix, true, ";firstName=Alex;role=admin"),
        (json!(true), PathStyle::Simple, false, "true"),
        (json!("a/b c"), PathStyle::Simple, false, "a%2Fb%20c"),
        (json!(["a,b", "c"]), PathStyle::Simple, false, "a%2Cb,c"),
    ];
    for (value, style, explode, want) in cases {
        assert_eq!(
            path(value.clone(), style, explode),
            want,
            "{value} {style:?} explode={explode}"
        );
    }
}

#[test]
fn path_rejects_null_and_nested_values() {
    let null = encode::path_value("id", &Value::Null, PathStyle::Simple, false).unwrap_err();
    assert_eq!(null.name(), "id");
    let nested =
        encode::path_value("id", &json!({"a": {"b": 1}}), PathStyle::Simple, false).unwrap_err();
    assert!(nested.to_string().contains("`id`"), "{nested}");
    assert!(encode::path_value("id", &json!([[1]]), PathStyle::Label, true).is_err());
}

#[test]
fn query_styles_follow_the_openapi_table() {
    let obj = || json!({"B": 150, "G": 200, "R": 100});
    let cases: Vec<(Value, QueryStyle, bool, &str)> = vec![
        (json!("blue"), QueryStyle::Form, true, "id=blue"),
        (json!([3, 4]), QueryStyle::Form, true, "id=3&id=4"),
        (json!([3, 4]), QueryStyle::Form, false, "id=3,4"),
        (
            json!(["a b", "c|d"]),
            QueryStyle::SpaceDelimited,
            false,
            "id=a%20b%20c%7Cd",
        ),
        (
            json!(["a b", "c|d"]),
            QueryStyle::PipeDelimited,
            false,
            "id=a%20b|c%7Cd",
        ),
        (
            json!(["x", "y"]),
            QueryStyle::PipeDelimited,
            true,
            "id=x&id=y",
        ),
        (obj(), QueryStyle::Form, true, "B=150&G=200&R=100"),
        (obj(), QueryStyle::Form, false, "id=B,150,G,200,R,100"),
        (
            obj(),
            QueryStyle::DeepObject,
            true,
            "id[B]=150&id[G]=200&id[R]=100",
        ),
        (
            json!({"a": 1, "b": {"c": 2}, "l": ["x", "y z"]}),
            QueryStyle::DeepObject,
            true,
            "id[a]=1&id[b][c]=2&id[l][]=x&id[l][]=y%20z",
        ),
        (json!([]), QueryStyle::Form, false, ""),
        (json!([]), QueryStyle::Form, true, ""),
        (Value::Null, QueryStyle::Form, true, ""),
        (
            json!({"a": null, "b": true}),
            QueryStyle::Form,
            true,
            "b=true",
        ),
        (json!(1.5), QueryStyle::Form, true, "id=1.5"),
    ];
    for (value, style, explode, want) in cases {
        assert_eq!(
            query(value.clone(), style, explode),
            want,
            "{value} {style:?} explode={explode}"
        );
    }
    assert_eq!(
        encode::query_pairs("a b", &json!("c&d=e"), QueryStyle::Form, true).expect("scalar"),
        vec!["a%20b=c%26d%3De".to_string()]
    );
}

#[test]
fn query_rejects_nested_values_outside_deep_object() {
    let err =
        encode::query_pairs("f", &json!({"a": {"b": 1}}), QueryStyle::Form, true).unwrap_err();
    assert_eq!(err.name(), "f");
    assert!(encode::query_pairs("f", &json!([[1]]), QueryStyle::Form, false).is_err());
    assert!(
        encode::query_pairs("f", &json!({"a": [{"b": 1}]}), QueryStyle::DeepObject, true).is_err()
    );
}

#[test]
fn headers_and_cookies() {
    assert_eq!(
        encode::header_value("X", &json!([1, "a b"]))
            .expect("ok")
            .as_deref(),
        Some("1,a b")
    );
    assert_eq!(
        encode::header_value("X", &json!({"a": 1, "b": "c"}))
            .expect("ok")
            .as_deref(),
        Some("a,1,b,c")
    );
    assert_eq!(encode::header_value("X", &Value::Null).expect("ok"), None);
    assert!(encode::header_value("X", &json!("a\r\nInjected: 1")).is_err());
    assert!(encode::is_header_name("X-Request-Id"));
    assert!(!encode::is_header_name("bad name"));
    assert!(!encode::is_header_name(""));
    assert_eq!(
        encode::cookie_pair("s id", &json!("a;b c"))
            .expect("ok")
            .as_deref(),
        Some("s%20id=a%3Bb%20c")
    );
    assert_eq!(
        encode::cookie_pair("l", &json!(["x", "y"]))
            .expect("ok")
            .as_deref(),
        Some("l=x,y")
    );
    assert_eq!(encode::cookie_pair("n", &Value::Null).expect("ok"), None);
}

#[test]
fn form_body_pairs() {
    // Keys in sorted order: serde_json sorts them unless its `preserve_order` feature is on.
    let body = json!({"meta": {"k": 1}, "n": 2, "name": "a b", "skip": null, "tags": ["x", "y&z"]});
    assert_eq!(
        encode::form_body(&body).expect("object"),
        "meta=%7B%22k%22%3A1%7D&n=2&name=a+b&tags=x&tags=y%26z"
    );
    assert!(encode::form_body(&json!([1])).is_err());
}

#[test]
fn multipart_layout_and_boundary_check() {
    let parts = [
        encode::MultipartPart {
            name: "meta\"data",
            file_name: None,
            content_type: Some("application/json"),
            data: b"{\"a\":1}",
        },
        encode::MultipartPart {
            name: "file",
            file_name: Some("a.bin"),
            content_type: Some("application/octet-stream"),
            data: &[0, 255, 13, 10],
        },
    ];
    let body = encode::multipart_body("XyZ", &parts);
    let mut want = b"--XyZ\r\ncontent-disposition: form-data; name=\"meta%22data\"\r\ncontent-type: application/json\r\n\r\n{\"a\":1}\r\n--XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\ncontent-type: application/octet-stream\r\n\r\n".to_vec();
    want.extend_from_slice(&[0, 255, 13, 10]);
    want.extend_from_slice(b"\r\n--XyZ--\r\n");
    assert_eq!(body, want);
    assert!(encode::boundary_fits("XyZ", &parts));
    assert!(!encode::boundary_fits("\"a\"", &parts));
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    let vectors = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (input, want) in vectors {
        assert_eq!(encode::base64(input.as_bytes()), want, "{input}");
    }
    assert_eq!(encode::base64(&[0xfb, 0xff]), "+/8=");
}

const MS: fn(u64) -> Duration = Duration::from_millis;

/// The retry table: (outcome, idempotent, attempt, policy) → decision. Attempts are numbered from
/// 1; the default policy is 2 retries, 250 ms first delay, 10 s at most.
#[test]
fn retry_decision_table() {
    use Decision::{RetryAfter, Stop};
    const SECS: fn(u64) -> Duration = Duration::from_secs;
    let status = |code| Outcome::Status {
        code,
        retry_after: None,
    };
    let after = |code, d| Outcome::Status {
        code,
        retry_after: Some(d),
    };
    let d = RetryPolicy::default();
    let policy = |max_retries, base_delay| RetryPolicy {
        max_retries,
        base_delay,
        ..RetryPolicy::default()
    };
    let no_retries = policy(0, MS(250));
    let five = policy(5, SECS(1));
    let huge = policy(20, MS(100));
    let zero_base = policy(1, Duration::ZERO);
    let absurd = policy(u32::MAX, Duration::MAX);
    let endless = policy(u32::MAX, MS(1));
    let (connect, timeout, transport, other) = (
        Outcome::Connect,
        Outcome::Timeout,
        Outcome::OtherTransport,
        Outcome::Other,
    );
    let rows: Vec<(Outcome, bool, u32, RetryPolicy, Decision)> = vec![
        // 500/502/503/504: idempotent requests only.
        (status(500), true, 1, d, RetryAfter(MS(250))),
        (status(502), true, 1, d, RetryAfter(MS(250))),
        (status(503), true, 1, d, RetryAfter(MS(250))),
        (status(504), true, 1, d, RetryAfter(MS(250))),
        (status(500), false, 1, d, Stop),
        (status(502), false, 1, d, Stop),
        (status(503), false, 1, d, Stop),
        (status(504), false, 1, d, Stop),
        // 429: any request.
        (status(429), true, 1, d, RetryAfter(MS(250))),
        (status(429), false, 1, d, RetryAfter(MS(250))),
        // Other statuses are final, whatever the request.
        (status(400), true, 1, d, Stop),
        (status(401), true, 1, d, Stop),
        (status(403), true, 1, d, Stop),
        (status(404), true, 1, d, Stop),
        (status(408), true, 1, d, Stop),
        (status(409), true, 1, d, Stop),
        (status(413), true, 1, d, Stop),
        (status(501), true, 1, d, Stop),
        (status(505), true, 1, d, Stop),
        (status(599), true, 1, d, Stop),
        (status(302), true, 1, d, Stop),
        // Transport failures: a failed connection for any request, the others idempotent only,
        // and never what sending again cannot fix.
        (timeout, true, 1, d, RetryAfter(MS(250))),
        (timeout, false, 1, d, Stop),
        (connect, true, 1, d, RetryAfter(MS(250))),
        (connect, false, 1, d, RetryAfter(MS(250))),
        (transport, true, 1, d, RetryAfter(MS(250))),
        (transport, false, 1, d, Stop),
        (other, true, 1, d, Stop),
        (other, false, 1, d, Stop),
        // Exponential backoff: 250, 500 ms, then out of retries (attempt 3 is the last).
        (status(503), true, 2, d, RetryAfter(MS(500))),
        (status(503), true, 3, d, Stop),
        (connect, false, 2, d, RetryAfter(MS(500))),
        (connect, false, 3, d, Stop),
        (status(429), false, 3, d, Stop),
        (timeout, true, 3, d, Stop),
        // More retries: 1, 2, 4, 8 s, then capped at 10 s.
        (status(500), true, 1, five, RetryAfter(SECS(1))),
        (status(500), true, 2, five, RetryAfter(SECS(2))),
        (status(500), true, 3, five, RetryAfter(SECS(4))),
        (status(500), true, 4, five, RetryAfter(SECS(8))),
        (status(500), true, 5, five, RetryAfter(SECS(10))),
        (status(500), true, 6, five, Stop),
        // Doubling goes on until the 10 s cap (100 ms × 2^6 = 6.4 s, then 10 s).
        (status(500), true, 7, huge, RetryAfter(MS(6400))),
        (status(500), true, 8, huge, RetryAfter(SECS(10))),
        (status(500), true, 20, huge, RetryAfter(SECS(10))),
        (status(500), true, 21, huge, Stop),
        // No retries at all.
        (status(429), false, 1, no_retries, Stop),
        (connect, true, 1, no_retries, Stop),
        (status(503), true, 1, no_retries, Stop),
        // Retry-After is honoured up to 10 s, instead of the backoff ...
        (after(429, SECS(1)), false, 1, d, RetryAfter(SECS(1))),
        (after(429, MS(1500)), false, 1, d, RetryAfter(MS(1500))),
        (after(429, MS(0)), false, 2, d, RetryAfter(MS(0))),
        (after(429, SECS(10)), true, 1, d, RetryAfter(SECS(10))),
        (after(503, MS(1500)), true, 1, d, RetryAfter(MS(1500))),
        (after(503, SECS(3)), true, 2, d, RetryAfter(SECS(3))),
        // ... a longer one stops at once ...
        (after(429, MS(10_001)), true, 1, d, Stop),
        (after(429, SECS(11)), true, 1, d, Stop),
        (after(503, SECS(60)), true, 1, d, Stop),
        // ... and it never makes a final outcome retryable.
        (after(503, SECS(1)), false, 1, d, Stop),
        (after(400, SECS(1)), true, 1, d, Stop),
        (after(429, SECS(1)), true, 3, d, Stop),
        // A zero base delay retries at once.
        (status(500), true, 1, zero_base, RetryAfter(Duration::ZERO)),
        // Attempt 0 counts as the first.
        (status(500), true, 0, d, RetryAfter(MS(250))),
        // Saturating arithmetic with absurd settings.
        (status(500), true, 1, absurd, RetryAfter(SECS(10))),
        (status(500), true, u32::MAX, endless, RetryAfter(SECS(10))),
    ];
    for (i, (outcome, idempotent, attempt, policy, want)) in rows.into_iter().enumerate() {
        assert_eq!(
            decide(outcome, idempotent, attempt, &policy),
            want,
            "row {i}: {outcome:?} idempotent={idempotent} attempt={attempt} {policy:?}"
        );
    }
}

#[test]
fn retry_backoff_is_capped_and_max_retries_configurable() {
    let p = RetryPolicy {
        max_retries: 40,
        ..RetryPolicy::default()
    };
    assert_eq!(
        decide(Outcome::Connect, true, 6, &p),
        Decision::RetryAfter(MS(8000))
    );
    assert_eq!(
        decide(Outcome::Connect, true, 7, &p),
        Decision::RetryAfter(Duration::from_secs(10))
    );
    assert_eq!(
        decide(Outcome::Connect, true, 40, &p),
        Decision::RetryAfter(Duration::from_secs(10))
    );
    assert_eq!(decide(Outcome::Connect, true, 41, &p), Decision::Stop);
    let none = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    assert_eq!(decide(Outcome::Connect, true, 1, &none), Decision::Stop);
}

#[test]
fn retry_after_seconds_and_http_dates() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(
        retry::parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(retry::parse_retry_after(" 0.5 ", now), Some(MS(500)));
    assert_eq!(retry::parse_retry_after("-1", now), None);
    assert_eq!(retry::parse_retry_after("soon", now), None);
    assert_eq!(
        retry::parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        retry::parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(
        retry::parse_retry_after("Sun, 06 Nov 1994 08:49:47 UTC", now),
        None
    );
    let y2k = UNIX_EPOCH + Duration::from_secs(951_782_400); // Tue, 29 Feb 2000 00:00:00 GMT
    assert_eq!(
        retry::parse_retry_after("Wed, 01 Mar 2000 00:00:00 GMT", y2k),
        Some(Duration::from_secs(86_400))
    );
    assert!(retry::parse_retry_after("Wed, 01 Mar 2000 00:00:00 GMT", SystemTime::now()).is_some());
}
