//! Action attempts: waiting for them (against Seam's fake server, moved on
//! with `/_fake/update_action_attempt`) and paginated lists.

mod runtime_common;

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use runtime_common::{Reply, Server, PENDING_UNLOCK};
use seam_connect::models::{ActionAttemptActionType as ActionType, ActionAttemptStatus as Status};
use seam_connect::{CallOptions, Error, Seam, Stream};
use seam_tests::{seed, FakeSeam, API_KEY};

fn setup() -> (FakeSeam, Seam) {
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .action_attempt_poll_interval(Duration::from_millis(150))
        .action_attempt_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    (fake, seam)
}

/// `POST /_fake/update_action_attempt` with `body`: the status and the response body.
fn update_attempt(
    addr: std::net::SocketAddr,
    body: &serde_json::Value,
) -> Result<(u16, String), String> {
    test_support::fake::post(
        addr,
        "/_fake/update_action_attempt",
        &body.to_string(),
        None,
    )
    .map(|(status, body)| (status, String::from_utf8_lossy(&body).into_owned()))
}

/// Drives the fake's action attempt `id` (the first unlock creates
/// `action_attempt1`). This fake marks an unlock `success` at once (with
/// `result: null`), so as soon as the attempt exists it is put back to
/// `pending`; after `delay`, `finish` (if any) is applied.
fn hold_then_finish(
    fake: &FakeSeam,
    id: &'static str,
    finish: Option<serde_json::Value>,
    delay: Duration,
) {
    let addr = fake.addr();
    std::thread::spawn(move || {
        let pending = serde_json::json!({"action_attempt_id": id, "status": "pending"});
        let deadline = Instant::now() + Duration::from_secs(20);
        while !matches!(update_attempt(addr, &pending), Ok((200, _))) {
            assert!(Instant::now() < deadline, "{id} never appeared");
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(mut body) = finish {
            std::thread::sleep(delay);
            body["action_attempt_id"] = id.into();
            let response = update_attempt(addr, &body);
            assert!(matches!(response, Ok((200, _))), "{response:?}");
        }
    });
}

#[tokio::test]
async fn unlock_waits_for_success() {
    let (fake, seam) = setup();
    hold_then_finish(
        &fake,
        "action_attempt1",
        Some(serde_json::json!({"status": "success", "result": {}})),
        Duration::from_millis(400),
    );
    let start = Instant::now();
    let attempt = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(350));
    assert_eq!(attempt.status(), Some(Status::Success));
    assert_eq!(attempt.action_attempt_id(), Some("action_attempt1"));
}

#[tokio::test]
async fn unlock_fails_with_the_attempt_in_hand() {
    let (fake, seam) = setup();
    hold_then_finish(
        &fake,
        "action_attempt1",
        Some(serde_json::json!({
            "status": "error",
            "error": {"type": "lock_jammed", "message": "The lock is jammed"}
        })),
        Duration::from_millis(300),
    );
    let err = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap_err();
    let Error::ActionAttemptFailed(attempt) = &err else {
        panic!("expected ActionAttemptFailed, got {err:?}");
    };
    assert_eq!(attempt.status(), Some(Status::Error));
    assert_eq!(attempt.action_attempt_id(), Some("action_attempt1"));
    let text = err.to_string();
    assert_eq!(
        text,
        "Seam action attempt action_attempt1 (UNLOCK_DOOR) failed: lock_jammed: The lock is jammed"
    );
    assert!(err.action_attempt().is_some());
}

#[tokio::test]
async fn waiting_times_out_with_the_last_attempt() {
    let (fake, seam) = setup();
    hold_then_finish(&fake, "action_attempt1", None, Duration::ZERO);
    let quick =
        seam.with_options(CallOptions::new().action_attempt_timeout(Duration::from_millis(500)));
    let start = Instant::now();
    let err = quick
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let Error::ActionAttemptTimeout(attempt) = &err else {
        panic!("expected ActionAttemptTimeout, got {err:?}");
    };
    assert_eq!(attempt.status(), Some(Status::Pending));
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn waiting_can_be_turned_off() {
    let (_fake, seam) = setup();
    let no_wait = seam.with_options(CallOptions::new().wait_for_action_attempt(false));
    let attempt = no_wait
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap();
    assert_eq!(attempt.status(), Some(Status::Pending));
    // Client-wide default too.
    let fake2 = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam2 = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake2.url)
        .wait_for_action_attempt(false)
        .build()
        .unwrap();
    let attempt = seam2
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap();
    assert_eq!(attempt.status(), Some(Status::Pending));
}

/// An UNLOCK_DOOR action attempt `aa1` with the given status.
fn attempt_with_status(status: &str) -> String {
    format!(
        r#"{{"action_attempt":{{"action_type":"UNLOCK_DOOR","action_attempt_id":"aa1","result":null,"error":null,"status":"{status}"}},"ok":true}}"#
    )
}

#[tokio::test]
async fn unknown_status_ends_the_wait_at_once() {
    let server = Server::start(vec![
        Reply::json(200, PENDING_UNLOCK),
        Reply::json(200, &attempt_with_status("future_status")),
        Reply::json(200, &attempt_with_status("success")),
    ]);
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&server.url)
        .action_attempt_poll_interval(Duration::from_millis(50))
        .action_attempt_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap_err();
    let Error::ActionAttemptUnknownStatus(attempt) = &err else {
        panic!("expected ActionAttemptUnknownStatus, got {err:?}");
    };
    assert_eq!(attempt.status(), Some(Status::from("future_status")));
    assert_eq!(attempt.action_attempt_id(), Some("aa1"));
    assert!(err.action_attempt().is_some());
    let text = err.to_string();
    assert!(
        text.contains("aa1") && text.contains("`future_status`"),
        "{text}"
    );
    // One poll, no more: far from the 10 s wait limit.
    assert!(start.elapsed() < Duration::from_secs(2));
    let got = server.received();
    assert_eq!(got.len(), 2, "no poll after the unknown status");
    assert_eq!(
        (got[1].method.as_str(), got[1].target.as_str()),
        ("POST", "/action_attempts/get")
    );
    assert_eq!(got[1].body_text(), r#"{"action_attempt_id":"aa1"}"#);
}

/// `call_timeout` bounds the whole call, the action-attempt wait included:
/// an unlock whose attempt stays pending ends at the 1 s deadline (not at the
/// 10 s wait limit), whether the deadline falls between polls or cuts a poll
/// short.
#[tokio::test]
async fn call_timeout_bounds_the_action_attempt_wait() {
    let pending = || Reply::json(200, &attempt_with_status("pending"));
    let between_polls: Vec<Reply> = std::iter::once(Reply::json(200, PENDING_UNLOCK))
        .chain(std::iter::repeat_with(pending).take(100))
        .collect();
    let cut_poll = vec![
        Reply::json(200, PENDING_UNLOCK),
        pending(),
        Reply::Hang(Duration::from_secs(5)),
    ];
    for (case, script) in [("between polls", between_polls), ("poll cut", cut_poll)] {
        let server = Server::start(script);
        let seam = Seam::builder()
            .api_key(API_KEY)
            .endpoint(&server.url)
            .action_attempt_poll_interval(Duration::from_millis(100))
            .action_attempt_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let start = Instant::now();
        let err = seam
            .locks()
            .unlock_door(seed::AUGUST_DEVICE_1)
            .call_timeout(Duration::from_secs(1))
            .await
            .unwrap_err();
        let elapsed = start.elapsed();
        assert!(err.is_timeout(), "{case}: {err:?}");
        let Error::CallTimeout {
            attempts,
            last_error: Some(last),
        } = &err
        else {
            panic!("{case}: expected CallTimeout, got {err:?}");
        };
        assert!(
            matches!(**last, Error::ActionAttemptTimeout(_)),
            "{case}: {err:?}"
        );
        let attempt = err.action_attempt().expect("the last attempt seen");
        assert_eq!(attempt.status(), Some(Status::Pending), "{case}");
        assert_eq!(attempt.action_attempt_id(), Some("aa1"), "{case}");
        assert!(elapsed >= Duration::from_millis(950), "{case}: {elapsed:?}");
        assert!(elapsed < Duration::from_millis(1800), "{case}: {elapsed:?}");
        let polls = server.received().len() - 1;
        assert_eq!(*attempts as usize, polls, "{case}: {err}");
        if case == "poll cut" {
            assert_eq!(polls, 2, "{case}");
        } else {
            assert!((5..=11).contains(&polls), "{case}: {polls} polls");
        }
    }
}

#[tokio::test]
async fn unknown_status_in_the_first_response_is_not_polled() {
    let server = Server::start(vec![Reply::json(
        200,
        &attempt_with_status("future_status"),
    )]);
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&server.url)
        .build()
        .unwrap();
    let err = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ActionAttemptUnknownStatus(_)),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 1);
    // Without waiting, the attempt is returned as it is.
    let server = Server::start(vec![Reply::json(
        200,
        &attempt_with_status("future_status"),
    )]);
    let no_wait = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&server.url)
        .wait_for_action_attempt(false)
        .build()
        .unwrap();
    let attempt = no_wait
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap();
    assert_eq!(attempt.status(), Some(Status::from("future_status")));
}

/// Starts an unlock on the fake without waiting and returns its id, with
/// the attempt held `pending` (this fake may settle an unlock by itself).
async fn start_unlock(fake: &FakeSeam, seam: &Seam) -> String {
    let no_wait = seam.with_options(CallOptions::new().wait_for_action_attempt(false));
    let attempt = no_wait
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .unwrap();
    let id = attempt.action_attempt_id().unwrap().to_owned();
    let pending = serde_json::json!({"action_attempt_id": id, "status": "pending"});
    let response = update_attempt(fake.addr(), &pending);
    assert!(matches!(response, Ok((200, _))), "{response:?}");
    id
}

/// Applies `update` to the fake's action attempt `id` after `delay`.
fn update_later(fake: &FakeSeam, id: &str, mut update: serde_json::Value, delay: Duration) {
    let addr = fake.addr();
    update["action_attempt_id"] = id.into();
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let response = update_attempt(addr, &update);
        assert!(matches!(response, Ok((200, _))), "{response:?}");
    });
}

#[tokio::test]
async fn wait_on_an_existing_attempt_by_id() {
    let (fake, seam) = setup();
    let id = start_unlock(&fake, &seam).await;
    update_later(
        &fake,
        &id,
        serde_json::json!({"status": "success", "result": {}}),
        Duration::from_millis(400),
    );
    let start = Instant::now();
    let attempt = seam.action_attempts().wait(&id).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(350));
    assert_eq!(attempt.status(), Some(Status::Success));
    assert_eq!(attempt.action_attempt_id(), Some(id.as_str()));
    // A finished attempt is returned at once, even by a client that does not
    // wait automatically.
    let no_wait = seam.with_options(CallOptions::new().wait_for_action_attempt(false));
    let start = Instant::now();
    let again = no_wait.action_attempts().wait(&id).await.unwrap();
    assert_eq!(again.status(), Some(Status::Success));
    assert!(start.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn wait_by_id_has_the_errors_of_the_automatic_wait() {
    let (fake, seam) = setup();
    let id = start_unlock(&fake, &seam).await;
    update_later(
        &fake,
        &id,
        serde_json::json!({
            "status": "error",
            "error": {"type": "lock_jammed", "message": "The lock is jammed"}
        }),
        Duration::from_millis(300),
    );
    let err = seam.action_attempts().wait(&id).await.unwrap_err();
    let Error::ActionAttemptFailed(attempt) = &err else {
        panic!("expected ActionAttemptFailed, got {err:?}");
    };
    assert_eq!(attempt.action_attempt_id(), Some(id.as_str()));
    assert!(err.to_string().contains("lock_jammed"), "{err}");

    // Still pending at the deadline; the per-call options apply.
    let id = start_unlock(&fake, &seam).await;
    let quick = seam.with_options(
        CallOptions::new()
            .action_attempt_timeout(Duration::from_millis(500))
            .wait_for_action_attempt(false),
    );
    let start = Instant::now();
    let err = quick.action_attempts().wait(&id).await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(&err, Error::ActionAttemptTimeout(a) if a.status() == Some(Status::Pending)),
        "{err:?}"
    );
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");

    // An id the server does not know is the API's error.
    let err = seam
        .action_attempts()
        .wait("no_such_attempt")
        .await
        .unwrap_err();
    assert!(err.as_api().is_some(), "{err:?}");
    assert!(err.status().is_some_and(|s| s >= 400), "{err:?}");
}

#[tokio::test]
async fn wait_by_id_runs_in_a_spawned_task() {
    let (fake, seam) = setup();
    let id = start_unlock(&fake, &seam).await;
    // The wait owns a clone of the client and the id: `seam` and `id` may go away.
    let wait = seam.action_attempts().wait(id.clone());
    assert_eq!(wait.action_attempt_id(), id);
    let debug = format!("{wait:?}");
    assert!(debug.contains(&id) && !debug.contains(API_KEY), "{debug}");
    let task = tokio::spawn(wait.into_future());
    drop(seam);
    update_later(
        &fake,
        &id,
        serde_json::json!({"status": "success", "result": {}}),
        Duration::from_millis(300),
    );
    let attempt = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the spawned wait ends")
        .expect("the task does not panic")
        .unwrap();
    assert_eq!(attempt.status(), Some(Status::Success));
    assert_eq!(attempt.action_attempt_id(), Some(id.as_str()));
}

#[tokio::test]
async fn wait_by_id_takes_per_call_settings() {
    let (fake, seam) = setup();
    let id = start_unlock(&fake, &seam).await;

    // `action_attempt_timeout` on the wait: the client's 10 s do not apply.
    let start = Instant::now();
    let err = seam
        .action_attempts()
        .wait(&id)
        .action_attempt_timeout(Duration::from_millis(500))
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(&err, Error::ActionAttemptTimeout(a) if a.status() == Some(Status::Pending)),
        "{err:?}"
    );
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");

    // `call_timeout` on the wait bounds it too, with the call's error.
    let start = Instant::now();
    let err = seam
        .action_attempts()
        .wait(&id)
        .call_timeout(Duration::from_millis(400))
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let Error::CallTimeout { last_error, .. } = &err else {
        panic!("expected CallTimeout, got {err:?}");
    };
    assert!(
        matches!(last_error.as_deref(), Some(Error::ActionAttemptTimeout(_))),
        "{err:?}"
    );
    assert!(elapsed >= Duration::from_millis(350), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    // `options` sets several at once; the client is unchanged.
    let err = seam
        .action_attempts()
        .wait(&id)
        .options(CallOptions::new().action_attempt_timeout(Duration::from_millis(300)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ActionAttemptTimeout(_)), "{err:?}");
    update_later(
        &fake,
        &id,
        serde_json::json!({"status": "success", "result": {}}),
        Duration::from_millis(600),
    );
    let attempt = seam.action_attempts().wait(&id).await.unwrap();
    assert_eq!(attempt.status(), Some(Status::Success));
}

/// Drives a stream to its end without an extra dependency.
async fn drain<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item);
    }
    items
}

#[tokio::test]
async fn paginated_list_walked_as_a_stream() {
    let (_fake, seam) = setup();
    let items = drain(seam.devices().list().limit(1.0).pages().into_stream()).await;
    let ids: Vec<String> = items.into_iter().map(|d| d.unwrap().device_id).collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "{ids:?}");
    assert_eq!(ids[0], seed::AUGUST_DEVICE_1);

    // Page by page.
    let mut pages = seam.devices().list().limit(1.0).pages();
    let mut count = 0;
    while let Some(page) = pages.next_page().await.unwrap() {
        assert_eq!(page.items.len(), 1);
        count += 1;
        assert_eq!(page.pagination.has_next_page, count < 5);
    }
    assert_eq!(count, 5);
    assert!(pages.next_page().await.unwrap().is_none());

    let all = seam
        .devices()
        .list()
        .limit(1.0)
        .pages()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

/// `.with_action_attempt()` returns the action attempt an endpoint starts
/// besides its value (alone where the plain call returns `()`), waited for
/// like any other.
#[tokio::test]
async fn with_action_attempt_returns_the_attempt_too() {
    let (_fake, seam) = setup();
    let code = seam
        .access_codes()
        .create(seed::AUGUST_DEVICE_1)
        .code("1234")
        .await
        .unwrap();
    let attempt = seam
        .access_codes()
        .delete(&code.access_code_id)
        .with_action_attempt()
        .await
        .unwrap();
    assert_eq!(attempt.action_type(), Some(ActionType::DeleteAccessCode));
    assert_eq!(attempt.status(), Some(Status::Success));

    let thresholds = || seam.noise_sensors().noise_thresholds();
    let (threshold, attempt) = thresholds()
        .create(
            seed::MINUT_DEVICE_1,
            "22:00:00[America/Los_Angeles]",
            "07:00:00[America/Los_Angeles]",
        )
        .name("quiet hours")
        .noise_threshold_decibels(50.0)
        .with_action_attempt()
        .await
        .unwrap();
    assert_eq!(threshold.name, "quiet hours");
    assert_eq!(threshold.device_id, seed::MINUT_DEVICE_1);
    assert_eq!(
        attempt.action_type(),
        Some(ActionType::CreateNoiseThreshold),
        "{attempt:?}"
    );
    assert_eq!(attempt.status(), Some(Status::Success));
    let () = thresholds()
        .delete(seed::MINUT_DEVICE_1, &threshold.noise_threshold_id)
        .await
        .unwrap();
}

/// The per-call waiting settings of a request override the client's for
/// that call only.
#[tokio::test]
async fn a_request_s_waiting_settings_apply_to_that_call_only() {
    let (fake, seam) = setup();
    // Not waiting: the attempt as the API answered it.
    let attempt = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .wait_for_action_attempt(false)
        .await
        .unwrap();
    assert_eq!(attempt.status(), Some(Status::Pending));
    assert_eq!(attempt.action_attempt_id(), Some("action_attempt1"));

    // A shorter wait than the client's 10 s.
    hold_then_finish(&fake, "action_attempt2", None, Duration::ZERO);
    let start = Instant::now();
    let err = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .action_attempt_timeout(Duration::from_millis(500))
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    let Error::ActionAttemptTimeout(attempt) = &err else {
        panic!("expected ActionAttemptTimeout, got {err:?}");
    };
    assert_eq!(attempt.action_attempt_id(), Some("action_attempt2"));
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}
