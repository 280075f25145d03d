//! Timeouts and retries on the wire: a custom HTTP client keeps its own
//! timeout unless the builder sets one; a call that changes something is
//! retried only after a failure to connect (DNS, connection refused), which
//! proves nothing was sent, never after a timeout or a 503; a read-only call
//! is retried after those too.
//!
//! The DNS failures are a resolver given to the custom client that fails
//! its first lookups on cue and counts them, then resolves to the recorder.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use seam::{Error, RetryPolicy, Seam};
use seam_tests::{Recorder, Reply};

const API_KEY: &str = "seam_apikey1_token";

fn session_json() -> serde_json::Value {
    serde_json::json!({
        "client_session": {
            "client_session_id": "cst1",
            "workspace_id": "ws1",
            "created_at": "2025-02-21T14:36:32.632Z",
            "expires_at": "2025-02-22T14:36:32.632Z",
            "token": "seam_cst1_abc",
            "user_identifier_key": null,
            "device_count": 1,
            "connected_account_ids": [],
            "connect_webview_ids": [],
            "user_identity_ids": []
        },
        "ok": true
    })
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    }
}

/// A resolver whose first `failures` lookups fail, whose next `refused`
/// ones point at a closed port, and which then points at `target`.
struct FlakyDns {
    failures: usize,
    refused: Vec<SocketAddr>,
    target: SocketAddr,
    lookups: AtomicUsize,
}

impl FlakyDns {
    fn new(failures: usize, refused: usize, target: SocketAddr) -> Arc<FlakyDns> {
        Arc::new(FlakyDns {
            failures,
            refused: (0..refused).map(|_| closed_port()).collect(),
            target,
            lookups: AtomicUsize::new(0),
        })
    }

    fn lookups(&self) -> usize {
        self.lookups.load(Ordering::SeqCst)
    }
}

impl reqwest::dns::Resolve for FlakyDns {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let n = self.lookups.fetch_add(1, Ordering::SeqCst);
        let answer: Result<reqwest::dns::Addrs, Box<dyn std::error::Error + Send + Sync>> =
            if n < self.failures {
                Err("simulated DNS failure".into())
            } else {
                let addr = self
                    .refused
                    .get(n - self.failures)
                    .copied()
                    .unwrap_or(self.target);
                Ok(Box::new(std::iter::once(addr)))
            };
        Box::pin(async move { answer })
    }
}

/// A loopback address nothing listens on: the port of a listener just closed.
fn closed_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn recorder_addr(recorder: &Recorder) -> SocketAddr {
    recorder
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .unwrap()
}

/// A client of the host `seam.test` (no port: the resolver's addresses
/// keep theirs) through `dns`.
fn client_through(dns: &Arc<FlakyDns>) -> Seam {
    let http = reqwest::Client::builder()
        .dns_resolver(dns.clone())
        .no_proxy()
        .build()
        .unwrap();
    Seam::builder()
        .endpoint("http://seam.test")
        .api_key(API_KEY)
        .http_client(http)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_mutating_call_is_retried_after_dns_failures_and_then_succeeds() {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let dns = FlakyDns::new(2, 0, recorder_addr(&recorder));
    let session = client_through(&dns)
        .client_sessions()
        .create()
        .user_identifier_key("user-1")
        .send()
        .await
        .unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(dns.lookups(), 3, "two failed lookups, then one that worked");
    let request = recorder.next();
    assert_eq!(
        request.request_line,
        "POST /client_sessions/create HTTP/1.1"
    );
    assert_eq!(request.header("host"), Some("seam.test"));
    assert!(recorder.received().is_empty(), "sent more than once");
}

#[tokio::test]
async fn a_mutating_call_is_retried_after_a_refused_connection_and_then_succeeds() {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let dns = FlakyDns::new(0, 1, recorder_addr(&recorder));
    client_through(&dns)
        .client_sessions()
        .create()
        .send()
        .await
        .unwrap();
    assert_eq!(
        dns.lookups(),
        2,
        "one refused connection, then the recorder"
    );
    recorder.next();
    assert!(recorder.received().is_empty(), "sent more than once");
}

#[tokio::test]
async fn connection_failures_are_retried_within_the_policy_and_then_reported() {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let dns = FlakyDns::new(usize::MAX, 0, recorder_addr(&recorder));
    let err = client_through(&dns)
        .client_sessions()
        .create()
        .send()
        .await
        .unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(source.is_connect(), "{source:?}");
    assert_eq!(dns.lookups(), 3, "the first attempt and two retries");
    assert!(recorder.received().is_empty());
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(
        !shown.contains(API_KEY) && !debug.contains(API_KEY),
        "{debug}"
    );
}

#[tokio::test]
async fn a_mutating_call_is_not_retried_after_a_timeout_but_a_read_only_one_is() {
    let recorder = Recorder::start(Reply::Silence);
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key(API_KEY)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    recorder.next();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        recorder.received().is_empty(),
        "a mutating call was retried after a timeout"
    );

    // The recorder sees retries as they come: a read-only call is tried three times.
    let err = seam.devices().list().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    for _ in 0..3 {
        recorder.next();
    }
}

/// A custom HTTP client with `timeout`, and a client of `recorder` on it.
fn with_http_timeout(
    recorder: &Recorder,
    timeout: Duration,
    builder_timeout: Option<Duration>,
) -> Seam {
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .no_proxy()
        .build()
        .unwrap();
    let mut builder = Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key(API_KEY)
        .http_client(http)
        .retry_policy(RetryPolicy::none());
    if let Some(timeout) = builder_timeout {
        builder = builder.timeout(timeout);
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn a_custom_http_client_keeps_its_own_timeout() {
    let recorder = Recorder::start(Reply::Silence);
    let seam = with_http_timeout(&recorder, Duration::from_millis(300), None);
    let started = Instant::now();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout { after: None, .. }), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(5),
        "failed after {elapsed:?}, not at the client's 300 ms"
    );
    assert!(
        err.to_string().contains("the HTTP client's own timeout"),
        "{err}"
    );
}

#[tokio::test]
async fn the_builders_timeout_wins_over_a_custom_clients() {
    // Longer than the client's: a slow answer arrives in time.
    let slow = Recorder::start(Reply::Delayed {
        delay: Duration::from_millis(600),
        reply: Box::new(Reply::json(200, session_json())),
    });
    let seam = with_http_timeout(
        &slow,
        Duration::from_millis(200),
        Some(Duration::from_secs(5)),
    );
    seam.client_sessions().create().send().await.unwrap();

    // Shorter than the client's: a silent server fails at the builder's.
    let silent = Recorder::start(Reply::Silence);
    let seam = with_http_timeout(
        &silent,
        Duration::from_secs(20),
        Some(Duration::from_millis(200)),
    );
    let started = Instant::now();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Some(Duration::from_millis(200))),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
