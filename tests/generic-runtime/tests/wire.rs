//! What the generic runtime puts on the wire, and what it makes of the answers, checked against a
//! scripted server on 127.0.0.1: parameter styles, bodies, auth per scheme kind, retries, the
//! whole-call deadline and typed errors.

use generic_runtime::runtime::{HttpRequest, Method, Part, PathStyle, QueryStyle, TimeoutKind};
use generic_runtime::{Client, ClientBuilder, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use test_support::loopback::{parse_multipart, refused_url, Received, Reply, Server};

/// A builder for `url` with quick retries.
fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .retry_base_delay(Duration::from_millis(10))
}

/// A request for an idempotent method, as generated code builds it (`HttpRequest::new` alone is not
/// idempotent).
fn idempotent(method: Method, path: &'static str) -> HttpRequest {
    let mut req = HttpRequest::new(method, path);
    req.idempotent(true);
    req
}

fn ok(n: usize) -> Vec<Reply> {
    vec![Reply::json(200, "{}"); n]
}

#[tokio::test]
async fn path_parameters_are_encoded_in_their_style() {
    let server = Server::start(ok(1));
    let client = builder(&format!("{}/", server.url)).build();
    let mut req = HttpRequest::new(Method::Get, "/items/{id}/labels{lbl}/m{mx}/s/{obj}");
    req.path_param("id", "a/b c", PathStyle::Simple, false)
        .expect("string");
    req.path_param("lbl", &[3, 4], PathStyle::Label, true)
        .expect("array");
    req.path_param("mx", &json!({"a": 1, "b": "x y"}), PathStyle::Matrix, true)
        .expect("object");
    req.path_param("obj", &json!({"a": 1, "b": 2}), PathStyle::Simple, false)
        .expect("object");
    client.send::<Value>(req).await.expect("200");
    let got = server.single();
    assert_eq!(got.method, "GET");
    assert_eq!(
        got.target,
        "/items/a%2Fb%20c/labels.3.4/m;a=1;b=x%20y/s/a,1,b,2"
    );
}

#[tokio::test]
async fn unset_or_unknown_path_parameters_are_request_errors() {
    let server = Server::start(ok(1));
    let client = builder(&server.url).build();
    let mut req = HttpRequest::new(Method::Get, "/pets/{petId}");
    let unknown = req
        .path_param("pet_id", &1, PathStyle::Simple, false)
        .expect_err("no {pet_id} in the path");
    assert_eq!(unknown.name(), "pet_id");
    match client.send::<Value>(req).await {
        Err(Error::Request(m)) => assert!(m.contains("{petId}"), "{m}"),
        other => panic!("expected Error::Request, got {other:?}"),
    }
    assert!(server.received().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn query_parameters_in_every_style() {
    let server = Server::start(ok(1));
    let client = builder(&server.url).build();
    let mut req = HttpRequest::new(Method::Get, "/search");
    let q = |req: &mut HttpRequest, name: &str, v: Value, style, explode| {
        req.query_param(name, &v, style, explode)
            .expect("encodable");
    };
    q(&mut req, "ids", json!([1, 2]), QueryStyle::Form, true);
    q(
        &mut req,
        "tags",
        json!(["a", "b c"]),
        QueryStyle::Form,
        false,
    );
    q(
        &mut req,
        "s",
        json!(["x", "y"]),
        QueryStyle::SpaceDelimited,
        false,
    );
    q(
        &mut req,
        "p",
        json!(["x", "y|z"]),
        QueryStyle::PipeDelimited,
        false,
    );
    q(
        &mut req,
        "filter",
        json!({"color": "red", "size": {"min": 1}}),
        QueryStyle::DeepObject,
        true,
    );
    q(&mut req, "none", Value::Null, QueryStyle::Form, true);
    q(&mut req, "text", json!("a&b=c/d"), QueryStyle::Form, true);
    q(&mut req, "flag", json!(false), QueryStyle::Form, true);
    req.query_param("opt", &None::<String>, QueryStyle::Form, true)
        .expect("none");
    client.send::<Value>(req).await.expect("200");
    assert_eq!(
        server.single().query(),
        "ids=1&ids=2&tags=a,b%20c&s=x%20y&p=x|y%7Cz&filter[color]=red&filter[size][min]=1\
         &text=a%26b%3Dc%2Fd&flag=false"
    );
}

#[tokio::test]
async fn json_form_text_and_byte_bodies() {
    let server = Server::start(ok(4));
    let client = builder(&server.url).build();

    let mut req = HttpRequest::new(Method::Post, "/json");
    req.json_body("application/vnd.api+json", &json!({"a": [1, "x"]}))
        .expect("json");
    client.send::<Value>(req).await.expect("200");

    let mut req = HttpRequest::new(Method::Post, "/form");
    req.form_body(
        &json!({"meta": {"k": 1}, "name": "Rex the 2nd", "skip": null, "tags": ["a", "b&c"]}),
    )
    .expect("object");
    client.send::<Value>(req).await.expect("200");

    let mut req = HttpRequest::new(Method::Put, "/text");
    req.text_body("text/plain; charset=utf-8", "héllo");
    client.send::<Value>(req).await.expect("200");

    let mut req = HttpRequest::new(Method::Put, "/bytes");
    req.bytes_body("application/octet-stream", vec![0u8, 159, 146, 150]);
    client.send::<Value>(req).await.expect("200");

    let got = server.received();
    let ct = |r: &Received| r.header("content-type").map(str::to_owned);
    assert_eq!(ct(&got[0]).as_deref(), Some("application/vnd.api+json"));
    assert_eq!(got[0].body, br#"{"a":[1,"x"]}"#);
    assert_eq!(
        ct(&got[1]).as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&got[1].body),
        "meta=%7B%22k%22%3A1%7D&name=Rex+the+2nd&tags=a&tags=b%26c"
    );
    assert_eq!(ct(&got[2]).as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(got[2].body, "héllo".as_bytes());
    assert_eq!(got[3].method, "PUT");
    assert_eq!(got[3].body, [0u8, 159, 146, 150]);
}

#[tokio::test]
async fn multipart_parts_names_types_and_bytes() {
    let server = Server::start(ok(1));
    let client = builder(&server.url).build();
    let image = vec![0x89, b'P', b'N', b'G', 0, 255, b'\r', b'\n', b'-', b'-'];
    let mut parts = Vec::new();
    parts.extend(Part::text("name", "Rex").expect("text"));
    parts.extend(Part::text("age", &3).expect("number"));
    parts.extend(Part::text("meta", &json!({"a": [1]})).expect("object"));
    parts.extend(Part::text("skipped", &None::<i32>).expect("null"));
    parts.push(Part::bytes(
        "photo",
        image.clone(),
        Some("image/png"),
        Some("rex \"1\".png".into()),
    ));
    parts.push(Part::bytes("raw", &b"xyz"[..], None, None));
    let mut req = HttpRequest::new(Method::Post, "/pets/{id}/upload");
    req.path_param("id", &7, PathStyle::Simple, false)
        .expect("id");
    req.multipart_body(parts);
    client.send::<Value>(req).await.expect("200");

    let got = server.single();
    let ct = got.header("content-type").expect("content type");
    let parts = parse_multipart(ct, &got.body);
    let summary: Vec<(&str, Option<&str>, &[u8])> = parts
        .iter()
        .map(|p| {
            (
                p.disposition.as_str(),
                p.content_type.as_deref(),
                p.data.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("form-data; name=\"name\"", None, &b"Rex"[..]),
            ("form-data; name=\"age\"", None, &b"3"[..]),
            (
                "form-data; name=\"meta\"",
                Some("application/json"),
                &br#"{"a":[1]}"#[..]
            ),
            (
                "form-data; name=\"photo\"; filename=\"rex %221%22.png\"",
                Some("image/png"),
                &image[..]
            ),
            (
                "form-data; name=\"raw\"",
                Some("application/octet-stream"),
                &b"xyz"[..]
            ),
        ]
    );
}

#[tokio::test]
async fn header_and_cookie_parameters() {
    let server = Server::start(ok(1));
    let client = builder(&server.url).api_key("key_cookie", "ck-9").build();
    let mut req = HttpRequest::new(Method::Get, "/h");
    req.security(&[&["key_cookie"]]);
    req.header_param("X-Trace", "abc 1").expect("header");
    req.header_param("X-List", &[1, 2]).expect("header");
    req.header_param("X-None", &None::<String>).expect("header");
    req.cookie_param("theme", "dark mode").expect("cookie");
    req.cookie_param("ids", &[1, 2]).expect("cookie");
    assert!(req.header_param("X-Bad", "a\r\nX-Injected: 1").is_err());
    assert!(req.header_param("bad name", "v").is_err());
    client.send::<Value>(req).await.expect("200");
    let got = server.single();
    assert_eq!(got.header("x-trace"), Some("abc 1"));
    assert_eq!(got.header("x-list"), Some("1,2"));
    assert_eq!(got.header("x-none"), None);
    assert_eq!(got.header("x-bad"), None);
    assert_eq!(got.header("x-injected"), None);
    assert_eq!(
        got.header("cookie"),
        Some("theme=dark%20mode; ids=1,2; session=ck-9")
    );
}

const TOKEN: &str = "tok-SECRET-1";
const USER: &str = "user-9";
const PASSWORD: &str = "p@ss w0rd";
const HEADER_KEY: &str = "hk-SECRET-2";
const QUERY_KEY: &str = "qk SECRET 3";

fn all_credentials(url: &str) -> Client {
    builder(url)
        .bearer_token(TOKEN)
        .basic_auth(USER, PASSWORD)
        .api_key("key_header", HEADER_KEY)
        .api_key("key_query", QUERY_KEY)
        .build()
}

async fn send_with(client: &Client, security: &'static [&'static [&'static str]]) {
    let mut req = HttpRequest::new(Method::Get, "/auth");
    req.security(security);
    client.send::<Value>(req).await.expect("200");
}

#[tokio::test]
async fn credentials_per_scheme_kind() {
    let server = Server::start(ok(6));
    let client = all_credentials(&server.url);
    send_with(&client, &[&["bearerAuth"]]).await;
    send_with(&client, &[&["basic"]]).await;
    send_with(&client, &[&["key_header"]]).await;
    send_with(&client, &[&["key_query"]]).await;
    send_with(&client, &[&["bearerAuth", "key_query"]]).await;
    send_with(&client, &[]).await;
    let got = server.received();
    let auth = |i: usize| got[i].header("authorization");
    assert_eq!(auth(0), Some("Bearer tok-SECRET-1"));
    assert_eq!(auth(1), Some("Basic dXNlci05OnBAc3MgdzByZA=="));
    assert_eq!(auth(2), None);
    assert_eq!(got[2].header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(got[3].target, "/auth?api_key=qk%20SECRET%203");
    assert_eq!(auth(3), None);
    assert_eq!(auth(4), Some("Bearer tok-SECRET-1"));
    assert_eq!(got[4].query(), "api_key=qk%20SECRET%203");
    // No security: nothing sent even though the client has credentials.
    assert_eq!(auth(5), None);
    assert_eq!(got[5].header("x-api-key"), None);
    assert_eq!(got[5].target, "/auth");
}

#[tokio::test]
async fn first_alternative_with_credentials_wins() {
    let server = Server::start(ok(3));
    let key_only = builder(&server.url)
        .api_key("key_header", HEADER_KEY)
        .build();
    send_with(&key_only, &[&["bearerAuth"], &["key_header"]]).await;
    let anonymous = builder(&server.url).build();
    send_with(&anonymous, &[&["bearerAuth"], &[]]).await;
    // An alternative is used only when all its schemes have credentials.
    send_with(&key_only, &[&["key_header", "basic"], &["key_header"]]).await;
    let got = server.received();
    assert_eq!(got[0].header("authorization"), None);
    assert_eq!(got[0].header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(got[1].header("authorization"), None);
    assert_eq!(got[1].header("x-api-key"), None);
    assert_eq!(got[2].header("authorization"), None);
    assert_eq!(got[2].header("x-api-key"), Some(HEADER_KEY));
}

fn assert_no_secret(text: &str) {
    for secret in [TOKEN, USER, PASSWORD, HEADER_KEY, QUERY_KEY, "qk%20SECRET"] {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
    }
}

#[tokio::test]
async fn credentials_never_in_debug_or_errors() {
    // A port nobody listens on: the connection is refused.
    let url = refused_url();
    let builder = builder(&url)
        .bearer_token(TOKEN)
        .basic_auth(USER, PASSWORD)
        .api_key("key_header", HEADER_KEY)
        .api_key("key_query", QUERY_KEY)
        .max_retries(0);
    assert_no_secret(&format!("{builder:?}"));
    let client = builder.build();
    let shown = format!("{client:?}");
    assert_no_secret(&shown);
    assert!(
        shown.contains("key_query"),
        "scheme names are shown: {shown}"
    );
    let mut req = HttpRequest::new(Method::Get, "/auth");
    req.security(&[&["bearerAuth", "key_query"]]);
    let err = client.send::<Value>(req).await.expect_err("refused");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_no_secret(&format!("{err:?}"));
    assert_no_secret(&err.to_string());
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_503() {
    let server = Server::start(vec![
        Reply::json(503, "{}"),
        Reply::json(503, "{}"),
        Reply::json(200, r#"{"ok":true}"#),
    ]);
    let client = builder(&server.url).build();
    let resp = client
        .send::<Value>(idempotent(Method::Get, "/r"))
        .await
        .expect("third attempt succeeds");
    assert_eq!(
        resp.json::<Value, Value>().expect("json"),
        json!({"ok": true})
    );
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let server = Server::start(vec![Reply::json(503, "{}"); 4]);
    let client = builder(&server.url).build();
    let err = client
        .send::<Value>(idempotent(Method::Delete, "/r"))
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn non_idempotent_requests_are_not_retried_on_503() {
    let server = Server::start(vec![Reply::json(503, "{}"), Reply::json(200, "{}")]);
    let client = builder(&server.url).build();
    let mut req = HttpRequest::new(Method::Put, "/r");
    req.idempotent(false);
    let err = client.send::<Value>(req).await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn any_request_is_retried_on_429_and_bodies_are_resent() {
    let server = Server::start(vec![
        Reply::json_with(429, ("retry-after", "0"), "{}"),
        Reply::json(200, "{}"),
    ]);
    let client = builder(&server.url).build();
    let mut req = HttpRequest::new(Method::Post, "/r");
    let mut parts = vec![Part::bytes("f", vec![1u8, 2, 3], None, None)];
    parts.extend(Part::text("t", "x").expect("text"));
    req.multipart_body(parts);
    client.send::<Value>(req).await.expect("second attempt");
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body);
    assert_eq!(got[0].header("content-type"), got[1].header("content-type"));
}

#[tokio::test]
async fn a_long_retry_after_returns_the_error() {
    let server = Server::start(vec![
        Reply::json_with(503, ("retry-after", "30"), "{}"),
        Reply::json(200, "{}"),
    ]);
    let client = builder(&server.url).build();
    let err = client
        .send::<Value>(idempotent(Method::Get, "/r"))
        .await
        .expect_err("not retried");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn attempt_timeouts_are_retried_for_idempotent_requests_only() {
    let hang = || Reply::Hang(Duration::from_secs(5));
    let server = Server::start(vec![hang(), Reply::json(200, "{}")]);
    let client = builder(&server.url)
        .timeout(Duration::from_millis(300))
        .build();
    client
        .send::<Value>(idempotent(Method::Get, "/slow"))
        .await
        .expect("second attempt");
    assert_eq!(server.received().len(), 2);

    let server = Server::start(vec![hang(), Reply::json(200, "{}")]);
    let client = builder(&server.url)
        .timeout(Duration::from_millis(300))
        .build();
    let err = client
        .send::<Value>(HttpRequest::new(Method::Post, "/slow"))
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn whole_call_deadline() {
    let server = Server::start(vec![Reply::Hang(Duration::from_secs(10)); 3]);
    let client = builder(&server.url)
        .timeout(Duration::from_secs(30))
        .call_timeout(Duration::from_secs(1))
        .build();
    let started = Instant::now();
    let err = client
        .send::<Value>(idempotent(Method::Get, "/hang"))
        .await
        .expect_err("deadline");
    let took = started.elapsed();
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Call, after } if after == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
}

#[tokio::test]
async fn the_deadline_cuts_retry_waits_short() {
    let server = Server::start(vec![
        Reply::json_with(503, ("retry-after", "5"), "{}"),
        Reply::json(200, "{}"),
    ]);
    let client = builder(&server.url)
        .call_timeout(Duration::from_secs(1))
        .build();
    let started = Instant::now();
    let err = client
        .send::<Value>(idempotent(Method::Get, "/r"))
        .await
        .expect_err("no time left to wait");
    assert_eq!(err.status(), Some(503));
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(server.received().len(), 1);
}

/// An operation's error model.
#[derive(Debug, Deserialize, PartialEq)]
struct PetError {
    code: i32,
    message: String,
}

/// An operation's success model.
#[derive(Debug, Deserialize, PartialEq)]
struct Pet {
    id: i64,
    name: String,
}

#[tokio::test]
async fn error_responses_decode_into_the_error_model() {
    let server = Server::start(vec![
        Reply::json(404, r#"{"code":404,"message":"no pet 7"}"#),
        Reply::Respond {
            status: 500,
            headers: vec![("x-request-id".into(), "r-1".into())],
            body: b"upstream exploded".to_vec(),
        },
    ]);
    let client = builder(&server.url).build();
    let err = client
        .send::<PetError>(HttpRequest::new(Method::Get, "/pets/7"))
        .await
        .expect_err("404");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status(), 404);
    assert_eq!(
        api.body(),
        Some(&PetError {
            code: 404,
            message: "no pet 7".into()
        })
    );
    assert_eq!(api.raw_body(), r#"{"code":404,"message":"no pet 7"}"#);
    let shown = format!("{err:?}");
    assert!(
        shown.contains("404") && shown.contains("no pet 7"),
        "{shown}"
    );

    let err = client
        .send::<PetError>(HttpRequest::new(Method::Post, "/pets"))
        .await
        .expect_err("500");
    let api = err.api().expect("api error");
    assert_eq!(api.status(), 500);
    assert_eq!(api.body(), None);
    assert_eq!(api.raw_body(), "upstream exploded");
    assert_eq!(
        api.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("r-1")
    );
    assert!(err.to_string().contains("upstream exploded"), "{err}");
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"id":1,"name":"Rex"}"#),
        Reply::json(200, r#"{"id":"one","name":"Rex"}"#),
        Reply::Respond {
            status: 201,
            headers: Vec::new(),
            body: vec![0xff, 0xfe],
        },
    ]);
    let client = builder(&server.url).build();
    let get = || HttpRequest::new(Method::Get, "/pets/1");
    let pet: Pet = client
        .send::<PetError>(get())
        .await
        .expect("200")
        .json::<Pet, PetError>()
        .expect("a pet");
    assert_eq!(
        pet,
        Pet {
            id: 1,
            name: "Rex".into()
        }
    );
    let err = client
        .send::<PetError>(get())
        .await
        .expect("200")
        .json::<Pet, PetError>()
        .expect_err("wrong shape");
    match err {
        Error::Decode { status, message } => {
            assert_eq!(status, 200);
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let resp = client.send::<PetError>(get()).await.expect("201");
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.clone().bytes().as_ref(), [0xff, 0xfe]);
    assert!(matches!(
        resp.text::<PetError>(),
        Err(Error::Decode { status: 201, .. })
    ));
}

#[tokio::test]
async fn the_default_base_url_comes_from_the_crate() {
    let client = Client::new();
    assert_eq!(client.base_url(), generic_runtime::DEFAULT_BASE_URL);
    match client
        .send::<Value>(HttpRequest::new(Method::Get, "/x"))
        .await
    {
        Err(Error::Request(m)) => assert!(m.contains("base URL"), "{m}"),
        other => panic!("expected Error::Request, got {other:?}"),
    }
    let trimmed = Client::builder().base_url("http://127.0.0.1:9/v1/").build();
    assert_eq!(trimmed.base_url(), "http://127.0.0.1:9/v1");
}
