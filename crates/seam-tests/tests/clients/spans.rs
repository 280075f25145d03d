//! One `tracing` span per call, named and filled as OpenTelemetry's HTTP
//! client conventions say, read from a subscriber that prints each span as
//! it closes: the operation, method, route and path, the status and the
//! server's request id, the retries (with an event for each) and the
//! error's kind; never a credential.

use std::time::Duration;

use seam::{RetryPolicy, Seam};
use seam_tests::{capture_spans, Recorder, Reply};

const API_KEY: &str = "seam_apikey1_token";

fn run<T>(f: impl std::future::Future<Output = T>) -> (T, String) {
    capture_spans(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    })
}

fn client(recorder: &Recorder) -> Seam {
    Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key(API_KEY)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
        })
        .build()
        .unwrap()
}

/// The lines of the closing `http.client.request` spans.
fn closed_spans(logs: &str) -> Vec<&str> {
    logs.lines()
        .filter(|l| l.contains("http.client.request{") && l.ends_with("close"))
        .collect()
}

#[test]
fn a_call_is_one_span_with_its_operation_route_status_and_request_id() {
    let recorder = Recorder::start(Reply::json(
        200,
        serde_json::json!({ "devices": [], "ok": true }),
    ));
    let (result, logs) = run(async { client(&recorder).devices().list().send().await });
    result.unwrap();
    let spans = closed_spans(&logs);
    assert_eq!(spans.len(), 1, "{logs}");
    let span = spans[0];
    for field in [
        "otel.name=POST /devices/list",
        "otel.kind=\"client\"",
        "operation.id=\"devices.list\"",
        "http.request.method=\"POST\"",
        "http.route=\"/devices/list\"",
        "url.path=/devices/list",
        "http.response.status_code=200",
        "request.id=\"req_recorded\"",
        "duration_ms=",
    ] {
        assert!(span.contains(field), "{field} is not in {span}");
    }
    assert!(!span.contains("resend_count"), "no retry: {span}");
    assert!(!span.contains("error.type"), "{span}");
    assert!(
        !logs.contains(API_KEY),
        "the API key is in the logs: {logs}"
    );
}

#[test]
fn retries_are_counted_on_the_span_with_an_event_each_and_the_failure_named() {
    let recorder = Recorder::start(Reply::json(
        503,
        serde_json::json!({ "error": { "type": "unavailable", "message": "try later" }, "ok": false }),
    ));
    let (result, logs) = run(async { client(&recorder).devices().list().send().await });
    assert_eq!(result.unwrap_err().status(), Some(503));
    let spans = closed_spans(&logs);
    assert_eq!(
        spans.len(),
        1,
        "one span for the call and its retries: {logs}"
    );
    let span = spans[0];
    for field in [
        "http.request.resend_count=2",
        "http.response.status_code=503",
        "request.id=\"req_recorded\"",
        "error.type=\"api\"",
    ] {
        assert!(span.contains(field), "{field} is not in {span}");
    }
    // The retry events are inside the span.
    let retries: Vec<&str> = logs.lines().filter(|l| l.contains("retrying")).collect();
    assert_eq!(retries.len(), 2, "{logs}");
    assert!(
        retries.iter().all(|l| l.contains("http.client.request{")),
        "{logs}"
    );
    assert!(
        !logs.contains(API_KEY),
        "the API key is in the logs: {logs}"
    );
}
