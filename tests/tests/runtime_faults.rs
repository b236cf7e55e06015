//! Retries, timeouts and broken responses, against a scripted misbehaving
//! server on 127.0.0.1.

mod runtime_common;

use std::time::{Duration, Instant};

use runtime_common::{refused_url, Reply, Server, EMPTY_DEVICES, PENDING_UNLOCK};
use seam_connect::{CallOptions, Seam};

fn client(server: &Server) -> Seam {
    Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .retry_base_delay(Duration::from_millis(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn idempotent_call_is_retried_after_500() {
    let server = Server::start(vec![
        Reply::json(
            500,
            r#"{"error":{"type":"internal_error","message":"boom"}}"#,
        ),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let devices = client(&server).devices().list().await.unwrap();
    assert!(devices.is_empty());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn unlock_is_never_retried_after_500_or_503() {
    for status in [500, 503] {
        let server = Server::start(vec![
            Reply::json(
                status,
                r#"{"error":{"type":"internal_error","message":"boom"}}"#,
            ),
            Reply::json(200, PENDING_UNLOCK),
        ]);
        let err = client(&server).locks().unlock_door("d1").await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.error_type(), Some("internal_error"));
        let got = server.received();
        assert_eq!(got.len(), 1, "unlock must be sent exactly once");
        assert_eq!(
            (got[0].method.as_str(), got[0].target.as_str()),
            ("POST", "/locks/unlock_door")
        );
    }
}

/// Sends the call `call` makes against a server that answers every attempt with `status`, and
/// returns the requests that arrived (`POST` path of each).
async fn attempts_after<F, T>(status: u16, call: impl FnOnce(&Seam) -> F) -> Vec<String>
where
    F: std::future::IntoFuture<Output = seam_connect::Result<T>>,
{
    let body = r#"{"error":{"type":"internal_error","message":"boom"}}"#;
    let server = Server::start(vec![Reply::json(status, body); 3]);
    let seam = client(&server);
    let err = match call(&seam).await {
        Ok(_) => panic!("a {status} on every attempt must end in an error"),
        Err(err) => err,
    };
    assert_eq!(err.status(), Some(status));
    server
        .received()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect()
}

// One test per retry class of the Seam profile (`codegen/src/profile/seam.rs`, `RetryClass`): after
// a 500, only calls that are safe to repeat are sent again (default 2 retries: 3 attempts).

#[tokio::test]
async fn a_create_is_sent_once_after_500() {
    // Seam's spec serves `client_sessions/create` by PUT too; the SDK sends POST and it creates.
    let got = attempts_after(500, |s| s.client_sessions().create()).await;
    assert_eq!(got, ["POST /client_sessions/create"]);
    let got = attempts_after(503, |s| s.user_identities().create()).await;
    assert_eq!(got, ["POST /user_identities/create"]);
}

#[tokio::test]
async fn get_or_create_is_retried_after_500() {
    let got = attempts_after(500, |s| s.client_sessions().get_or_create()).await;
    assert_eq!(got, ["POST /client_sessions/get_or_create"; 3]);
}

#[tokio::test]
async fn reads_deletes_and_updates_are_retried_after_500() {
    let got = attempts_after(500, |s| s.devices().get("d1")).await;
    assert_eq!(got, ["POST /devices/get"; 3]);
    let got = attempts_after(502, |s| s.client_sessions().delete("cs1")).await;
    assert_eq!(got, ["POST /client_sessions/delete"; 3]);
    let got = attempts_after(504, |s| s.user_identities().update("ui1")).await;
    assert_eq!(got, ["POST /user_identities/update"; 3]);
}

#[tokio::test]
async fn simulations_and_device_commands_are_sent_once_after_500() {
    let got = attempts_after(500, |s| s.devices().simulate().connect("d1")).await;
    assert_eq!(got, ["POST /devices/simulate/connect"]);
    let got = attempts_after(500, |s| s.thermostats().set_fan_mode("t1")).await;
    assert_eq!(got, ["POST /thermostats/set_fan_mode"]);
}

#[tokio::test]
async fn a_create_is_retried_after_429() {
    let server = Server::start(vec![
        Reply::json(
            429,
            r#"{"error":{"type":"rate_limited","message":"slow down"}}"#,
        ),
        Reply::json(
            429,
            r#"{"error":{"type":"rate_limited","message":"slow down"}}"#,
        ),
    ]);
    let err = client(&server)
        .client_sessions()
        .create()
        .max_retries(1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(server.received().len(), 2, "a 429 is retried for any call");
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let server = Server::start(vec![
        Reply::json_with(
            429,
            ("retry-after", "1"),
            r#"{"error":{"type":"rate_limited","message":"slow down"}}"#,
        ),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let start = Instant::now();
    client(&server).devices().list().await.unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert_eq!(server.received().len(), 2);
}

/// `t` as an HTTP date (IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn http_dates_are_formatted_as_imf_fixdates() {
    let at = |secs| std::time::UNIX_EPOCH + Duration::from_secs(secs);
    assert_eq!(http_date(at(784_111_777)), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(http_date(at(951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(http_date(at(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
}

/// `Retry-After` as an HTTP date two seconds ahead: the retry waits until
/// then (1 to 2 s, dates have whole seconds), not the 10 ms backoff.
#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let date = http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let server = Server::start(vec![
        Reply::json_with(
            503,
            ("retry-after", &date),
            r#"{"error":{"type":"service_unavailable","message":"later"}}"#,
        ),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let start = Instant::now();
    let devices = client(&server).devices().list().await.unwrap();
    let elapsed = start.elapsed();
    assert!(devices.is_empty());
    assert_eq!(server.received().len(), 2);
    assert!(elapsed >= Duration::from_millis(900), "{date}: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{date}: {elapsed:?}");
}

/// An HTTP date further away than the 10 s limit returns the error at once,
/// like a `Retry-After` of as many seconds.
#[tokio::test]
async fn retry_after_an_http_date_too_far_away_returns_the_error() {
    let date = http_date(std::time::SystemTime::now() + Duration::from_secs(60));
    let server = Server::start(vec![
        Reply::json_with(
            429,
            ("retry-after", &date),
            r#"{"error":{"type":"rate_limited","message":"slow down"}}"#,
        ),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let start = Instant::now();
    let err = client(&server).devices().list().await.unwrap_err();
    assert_eq!(err.status(), Some(429), "{date}: {err:?}");
    assert_eq!(server.received().len(), 1, "{date}");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn retries_give_up_after_max_retries() {
    let server = Server::start(vec![
        Reply::text(502, "bad gateway"),
        Reply::text(502, "bad gateway"),
        Reply::text(502, "bad gateway"),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam = client(&server).with_options(CallOptions::new().max_retries(1));
    let err = seam.devices().list().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.error_type(), Some("unknown"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn hung_response_times_out_within_the_configured_time() {
    let server = Server::start(vec![Reply::Hang(Duration::from_secs(5))]);
    let seam = Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = seam.devices().list().await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_default() {
    let server = Server::start(vec![
        Reply::Hang(Duration::from_secs(5)),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam = client(&server); // 30 s default timeout
    let quick = seam.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(200))
            .max_retries(0),
    );
    let start = Instant::now();
    let err = quick.devices().list().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
    // The original handle keeps its settings and shares the connection pool.
    seam.devices().list().await.unwrap();
}

/// The same overrides on one request: `.timeout`, `.max_retries`,
/// `.call_timeout`, `.options`; the client's defaults stay as they were.
#[tokio::test]
async fn a_request_s_settings_override_the_client_for_that_call_only() {
    let server = Server::start(vec![
        Reply::Hang(Duration::from_secs(5)),
        Reply::Hang(Duration::from_secs(5)),
        Reply::Hang(Duration::from_secs(5)),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam = client(&server); // 30 s default timeout, retries on
    let start = Instant::now();
    let err = seam
        .devices()
        .list()
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(server.received().len(), 1, "no retry");

    let start = Instant::now();
    let err = seam
        .devices()
        .list()
        .call_timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            seam_connect::Error::CallTimeout {
                attempts: 1,
                last_error: None
            }
        ),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));

    let err = seam
        .devices()
        .list()
        .options(
            CallOptions::new()
                .timeout(Duration::from_millis(200))
                .max_retries(0),
        )
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.received().len(), 3);
    // The client itself is unchanged.
    seam.devices().list().await.unwrap();
    assert_eq!(server.received().len(), 4);
}

/// A request's params can be read, changed in place and taken out; `send`
/// is the same as awaiting.
#[tokio::test]
async fn a_request_s_params_can_be_read_and_changed() {
    let server = Server::start(vec![Reply::json(200, EMPTY_DEVICES)]);
    let seam = client(&server);
    let mut request = seam.devices().list().limit(2.0);
    assert_eq!(request.params().limit, Some(2.0));
    request.params_mut().device_ids = Some(vec!["d1".into()]);
    let params = request.clone().into_params();
    assert_eq!(params.device_ids.as_deref(), Some(&["d1".to_owned()][..]));
    let devices = request.send().await.unwrap();
    assert!(devices.is_empty());
    let got = server.received();
    assert_eq!(got.len(), 1);
    let body = got[0].json_body().expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({"limit": 2.0, "device_ids": ["d1"]})
    );
}

/// A request's `Debug` names its endpoint by method and path, not by a
/// private type path, and shows its params and settings.
#[test]
fn a_request_s_debug_names_its_endpoint() {
    let seam = Seam::new("seam_test_key").unwrap();
    let text = format!("{:?}", seam.locks().unlock_door("d1"));
    assert!(text.contains("POST /locks/unlock_door"), "{text}");
    assert!(text.contains("\"d1\""), "{text}");
    assert!(!text.contains("generated"), "{text}");
    assert!(!text.contains("seam_test_key"), "{text}");
}

#[tokio::test]
async fn non_json_and_truncated_bodies_are_decode_errors() {
    let server = Server::start(vec![
        Reply::text(200, "<html>gateway says hi</html>"),
        Reply::json(200, r#"{"devices":[{"device_id":"d1","#),
        Reply::json(200, r#"{"devices":"many","ok":true}"#),
        Reply::json(
            200,
            r#"{"devices":[{"device_id":5}],"pagination":{"has_next_page":false},"ok":true}"#,
        ),
    ]);
    let seam = client(&server);
    for expected in [
        "expected value",
        "EOF",
        "invalid type: string \"many\"",
        "devices[0]",
    ] {
        let err = seam.devices().list().await.unwrap_err();
        assert!(err.is_decode(), "{err:?}");
        assert_eq!(err.status(), Some(200));
        let text = err.to_string();
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    let server = Server::start(vec![Reply::Truncate {
        declared: 500,
        body: br#"{"devices":["#.to_vec(),
    }]);
    let seam = client(&server).with_options(CallOptions::new().max_retries(0));
    let err = seam.devices().list().await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}

#[tokio::test]
async fn plain_text_error_bodies_are_kept() {
    let server = Server::start(vec![Reply::text(404, "404")]);
    let err = client(&server).devices().list().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.error_type(), Some("unknown"));
    assert_eq!(err.as_api().map(|e| e.message.as_str()), Some("404"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let seam = Seam::builder()
        .api_key("seam_test_key")
        .endpoint(refused_url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = seam.devices().list().await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(!format!("{err:?}{err}").contains("seam_test_key"));
}

#[tokio::test]
async fn custom_http_client_is_used_with_sdk_headers() {
    let server = Server::start(vec![Reply::json(200, EMPTY_DEVICES)]);
    let http = seam_connect::reqwest::Client::builder()
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let seam = Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .http_client(http)
        .build()
        .unwrap();
    seam.devices().list().await.unwrap();
    let got = server.received();
    assert_eq!(got[0].header("seam-sdk-name"), Some("seam-rust"));
    assert!(got[0]
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("seam-rust/")));
    assert_eq!(got[0].header("authorization"), Some("Bearer seam_test_key"));
}

/// A device as Seam's fake server returns it, with `{ID}` for its id.
const DEVICE: &str = r#"{"device_id":"{ID}","is_managed":true,"device_type":"minut_sensor","display_name":"Smart Device","connected_account_id":"ca1","capabilities_supported":["lock"],"created_at":"2026-11-22T02:56:35.793Z","properties":{"name":"Minut Sensor 1","appearance":{"name":"Minut Sensor 1"},"online":true,"model":{"display_name":"Device","manufacturer_display_name":"Generic"}},"workspace_id":"ws1","errors":[],"warnings":[],"custom_metadata":{},"space_ids":[]}"#;

#[tokio::test]
async fn paginator_follows_cursors_and_stops_on_a_repeated_one() {
    let page = |id: &str, cursor: &str| {
        format!(
            r#"{{"devices":[{}],"pagination":{{"has_next_page":true,"next_page_cursor":"{cursor}","next_page_url":null}},"ok":true}}"#,
            DEVICE.replace("{ID}", id)
        )
    };
    let server = Server::start(vec![
        Reply::json(200, &page("d1", "c1")),
        Reply::json(200, &page("d2", "c1")),
    ]);
    let all = client(&server)
        .devices()
        .list()
        .pages()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|d| d.device_id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2"]);
    let got = server.received();
    assert_eq!(got.len(), 2, "stops on the repeated cursor");
    assert_eq!(got[0].body_text(), "{}");
    assert_eq!(got[1].body_text(), r#"{"page_cursor":"c1"}"#);
}

#[tokio::test]
async fn paginator_stream_ends_after_an_error() {
    let server = Server::start(vec![Reply::json(
        400,
        r#"{"error":{"type":"invalid_input","message":"bad"}}"#,
    )]);
    let pages = client(&server).devices().list().pages();
    let mut stream = std::pin::pin!(pages.into_stream());
    let first = next_item(&mut stream).await;
    assert!(first.is_some_and(|r| r.is_err_and(|e| e.is_invalid_input())));
    assert!(next_item(&mut stream).await.is_none());
}

/// The next item of a stream, without an extra dependency.
async fn next_item<S: seam_connect::Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

/// A server that never answers: every connection hangs for 5 s.
fn hanging_server() -> Server {
    Server::start(
        (0..8)
            .map(|_| Reply::Hang(Duration::from_secs(5)))
            .collect(),
    )
}

#[tokio::test]
async fn call_timeout_bounds_all_attempts_and_retry_delays() {
    // Without a call deadline, three 1 s attempts and two retry delays: ~3.9 s.
    // With one, the call fails once the deadline passes, whatever is left to try.
    let server = hanging_server();
    let seam = Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .timeout(Duration::from_millis(300))
        .call_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = seam.devices().list().await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    let seam_connect::Error::CallTimeout {
        attempts,
        last_error,
    } = &err
    else {
        panic!("expected CallTimeout, got {err:?}");
    };
    // 0.3 s attempt, ~0.25 s delay, 0.3 s attempt (ending at ~0.85 s): the
    // next delay (~0.5 s) would overrun the deadline, so no third attempt.
    assert_eq!(*attempts, 2, "{err}");
    assert!(
        last_error
            .as_deref()
            .is_some_and(seam_connect::Error::is_timeout),
        "{err:?}"
    );
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_eq!(server.received().len(), 2);
    assert!(err.to_string().contains("call timeout"), "{err}");
}

#[tokio::test]
async fn call_timeout_cuts_the_attempt_in_flight() {
    // The per-attempt timeout (30 s by default) is longer than the deadline.
    let server = hanging_server();
    let seam =
        client(&server).with_options(CallOptions::new().call_timeout(Duration::from_secs(1)));
    let start = Instant::now();
    let err = seam.devices().list().await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(
            err,
            seam_connect::Error::CallTimeout {
                attempts: 1,
                last_error: None
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

#[tokio::test]
async fn call_timeout_applies_to_non_idempotent_calls_too() {
    // Unlock is never retried on a timeout; the deadline still cuts it.
    let server = hanging_server();
    let seam =
        client(&server).with_options(CallOptions::new().call_timeout(Duration::from_secs(1)));
    let start = Instant::now();
    let err = seam.locks().unlock_door("d1").await.unwrap_err();
    assert!(
        matches!(err, seam_connect::Error::CallTimeout { attempts: 1, .. }),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_millis(2500));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn retry_delay_past_the_deadline_ends_the_call_early() {
    // A 503 asking for a 3 s pause cannot be retried within a 1 s deadline:
    // the call fails at once, keeping the 503 as the last error.
    let server = Server::start(vec![
        Reply::json_with(
            503,
            ("retry-after", "3"),
            r#"{"error":{"type":"service_unavailable","message":"later"}}"#,
        ),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam =
        client(&server).with_options(CallOptions::new().call_timeout(Duration::from_secs(1)));
    let start = Instant::now();
    let err = seam.devices().list().await.unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(900));
    let seam_connect::Error::CallTimeout {
        attempts: 1,
        last_error: Some(last),
    } = &err
    else {
        panic!("expected CallTimeout after one attempt, got {err:?}");
    };
    assert_eq!(last.status(), Some(503));
    assert_eq!(last.error_type(), Some("service_unavailable"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn call_timeout_leaves_fast_calls_alone() {
    let server = Server::start(vec![
        Reply::text(502, "bad gateway"),
        Reply::json(200, EMPTY_DEVICES),
    ]);
    let seam = Seam::builder()
        .api_key("seam_test_key")
        .endpoint(&server.url)
        .retry_base_delay(Duration::from_millis(10))
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let devices = seam.devices().list().await.unwrap();
    assert!(devices.is_empty());
    assert_eq!(server.received().len(), 2);
}
