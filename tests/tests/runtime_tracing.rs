//! The `tracing` feature: a `seam.call` span per call with the operation,
//! attempt, status, request id and duration; `seam.retry` and
//! `seam.action_attempt.poll` events; never a token or a body.
//!
//! A hand-written `Subscriber` records every span and event (with all their
//! fields, from this SDK and from the HTTP stack below it).

mod runtime_common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtime_common::{Reply, Server, EMPTY_DEVICES, PENDING_UNLOCK};
use seam_connect::models::ActionAttemptStatus;
use seam_connect::Seam;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TOKEN: &str = "seam_SECRETtracingtoken";
/// Sent in a request body; must not be recorded.
const BODY_MARKER: &str = "BODYMARKER_device_42";
/// Sent in response bodies; must not be recorded.
const RESPONSE_MARKER: &str = "RESPONSEMARKER";

/// A recorded span or event: its name, its span id (spans) or parent span
/// id (events), and its fields as `(name, value)`.
#[derive(Debug, Clone)]
struct Recorded {
    kind: &'static str,
    name: &'static str,
    id: Option<u64>,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Records every span and event; `current` tracks entered spans (the tests
/// run on a current-thread runtime).
#[derive(Clone, Default)]
struct Recorder {
    next_id: Arc<AtomicU64>,
    records: Arc<Mutex<Vec<Recorded>>>,
    current: Arc<Mutex<Vec<u64>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Vec::new();
        span.record(&mut Fields(&mut fields));
        self.records.lock().unwrap().push(Recorded {
            kind: "span",
            name: span.metadata().name(),
            id: Some(id),
            fields,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut records = self.records.lock().unwrap();
        if let Some(r) = records
            .iter_mut()
            .find(|r| r.kind == "span" && r.id == Some(span.into_u64()))
        {
            values.record(&mut Fields(&mut r.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let parent = match event.parent() {
            Some(id) => Some(id.into_u64()),
            None if event.is_contextual() => self.current.lock().unwrap().last().copied(),
            None => None,
        };
        self.records.lock().unwrap().push(Recorded {
            kind: "event",
            name: event.metadata().name(),
            id: parent,
            fields,
        });
    }

    fn enter(&self, span: &Id) {
        self.current.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut current = self.current.lock().unwrap();
        if let Some(at) = current.iter().rposition(|&id| id == span.into_u64()) {
            current.remove(at);
        }
    }
}

impl Recorder {
    fn all(&self) -> Vec<Recorded> {
        self.records.lock().unwrap().clone()
    }

    fn spans(&self, name: &str) -> Vec<Recorded> {
        self.all()
            .into_iter()
            .filter(|r| r.kind == "span" && r.name == name)
            .collect()
    }

    fn events(&self, name: &str) -> Vec<Recorded> {
        self.all()
            .into_iter()
            .filter(|r| r.kind == "event" && r.name == name)
            .collect()
    }

    /// Fails if a token or a body shows up anywhere in what was recorded.
    fn assert_no_secrets(&self) {
        let all = self.all();
        assert!(!all.is_empty());
        for r in &all {
            let text = format!("{} {:?}", r.name, r.fields);
            for secret in ["SECRET", BODY_MARKER, RESPONSE_MARKER] {
                assert!(!text.contains(secret), "{secret} recorded in {r:?}");
            }
        }
    }
}

fn client(server: &Server) -> Seam {
    Seam::builder()
        .api_key(TOKEN)
        .endpoint(&server.url)
        .retry_base_delay(Duration::from_millis(10))
        .action_attempt_poll_interval(Duration::from_millis(20))
        .build()
        .unwrap()
}

#[tokio::test]
async fn call_span_records_the_last_attempt_and_retries() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = Server::start(vec![
        Reply::json_with(
            503,
            ("seam-request-id", "req_first"),
            &format!(r#"{{"error":{{"type":"unavailable","message":"{RESPONSE_MARKER}"}}}}"#),
        ),
        Reply::json_with(200, ("seam-request-id", "req_second"), EMPTY_DEVICES),
    ]);
    let devices = client(&server).devices().list().await.unwrap();
    assert!(devices.is_empty());

    let spans = recorder.spans("seam.call");
    assert_eq!(spans.len(), 1, "{spans:?}");
    let span = &spans[0];
    assert_eq!(span.field("method"), Some("POST"));
    assert_eq!(span.field("path"), Some("/devices/list"));
    assert_eq!(span.field("attempt"), Some("2"));
    assert_eq!(span.field("status"), Some("200"));
    assert_eq!(span.field("request_id"), Some("req_second"));
    assert!(
        span.field("elapsed_ms")
            .is_some_and(|ms| ms.parse::<u64>().is_ok()),
        "{span:?}"
    );
    assert_eq!(span.field("error"), None);

    let retries = recorder.events("seam.retry");
    assert_eq!(retries.len(), 1, "{retries:?}");
    let retry = &retries[0];
    assert_eq!(
        retry.id, span.id,
        "the retry event belongs to the call span"
    );
    assert_eq!(retry.field("attempt"), Some("1"));
    assert_eq!(retry.field("status"), Some("503"));
    assert_eq!(retry.field("error"), Some("api"));
    assert!(retry
        .field("delay_ms")
        .is_some_and(|ms| ms.parse::<u64>().is_ok_and(|ms| (10..200).contains(&ms))));
    recorder.assert_no_secrets();
}

#[tokio::test]
async fn failed_call_records_status_and_error_kind_but_no_body() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = Server::start(vec![Reply::json_with(
        404,
        ("seam-request-id", "req_404"),
        &format!(
            r#"{{"error":{{"type":"device_not_found","message":"{RESPONSE_MARKER}","stack":"{RESPONSE_MARKER} at x.js"}}}}"#
        ),
    )]);
    let err = client(&server)
        .devices()
        .get(BODY_MARKER)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    // The request really carried the token and the marker.
    let got = server.received();
    assert!(got[0].body_text().contains(BODY_MARKER));
    assert_eq!(
        got[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    let spans = recorder.spans("seam.call");
    assert_eq!(spans.len(), 1, "{spans:?}");
    let span = &spans[0];
    assert_eq!(span.field("path"), Some("/devices/get"));
    assert_eq!(span.field("attempt"), Some("1"));
    assert_eq!(span.field("status"), Some("404"));
    assert_eq!(span.field("request_id"), Some("req_404"));
    assert_eq!(span.field("error"), Some("api"));
    assert!(recorder.events("seam.retry").is_empty());
    recorder.assert_no_secrets();
}

#[tokio::test]
async fn action_attempt_polls_are_events() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let attempt = |status: &str| {
        format!(
            r#"{{"action_attempt":{{"action_type":"UNLOCK_DOOR","action_attempt_id":"aa1","result":{{}},"error":null,"status":"{status}"}},"ok":true}}"#
        )
    };
    let server = Server::start(vec![
        Reply::json(200, PENDING_UNLOCK),
        Reply::json(200, &attempt("pending")),
        Reply::json(200, &attempt("success")),
    ]);
    let done = client(&server)
        .locks()
        .unlock_door(BODY_MARKER)
        .await
        .unwrap();
    assert_eq!(done.status(), Some(ActionAttemptStatus::Success));

    let paths: Vec<String> = recorder
        .spans("seam.call")
        .iter()
        .map(|s| s.field("path").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/locks/unlock_door",
            "/action_attempts/get",
            "/action_attempts/get"
        ]
    );
    let polls = recorder.events("seam.action_attempt.poll");
    let seen: Vec<(Option<&str>, Option<&str>, Option<&str>)> = polls
        .iter()
        .map(|e| {
            (
                e.field("action_attempt_id"),
                e.field("poll"),
                e.field("status"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (Some("aa1"), Some("1"), Some("pending")),
            (Some("aa1"), Some("2"), Some("success")),
        ]
    );
    recorder.assert_no_secrets();
}
