//! What the generated client puts on the wire and how it reads what comes
//! back, checked against a local recorder: headers per authentication mode,
//! the JSON body, malformed and empty responses, timeouts.

use std::time::Duration;

use seam::{Error, Seam};
use seam_tests::{Recorded, Recorder, Reply};

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
            "user_identity_ids": [],
            "a_field_the_spec_lacks": {"nested": true}
        },
        "ok": true
    })
}

/// A client of `recorder`, with an API key.
fn client(recorder: &Recorder) -> Seam {
    Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key("seam_apikey1_token")
        .build()
        .unwrap()
}

async fn create_with(
    builder: seam::SeamBuilder,
) -> (Result<seam::types::ClientSession, Error>, Recorded) {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let seam = builder.endpoint(recorder.endpoint()).build().unwrap();
    let result = seam
        .client_sessions()
        .create()
        .user_identifier_key("user-1")
        .send()
        .await;
    (result, recorder.next())
}

#[tokio::test]
async fn an_api_key_goes_in_the_authorization_header_with_the_sdk_headers() {
    let (result, request) = create_with(Seam::builder().api_key("seam_apikey1_token")).await;
    let session = result.unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(session.user_identifier_key, None);
    assert_eq!(
        request.request_line,
        "POST /client_sessions/create HTTP/1.1"
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer seam_apikey1_token")
    );
    assert_eq!(request.header("seam-sdk-name"), Some("seam-rust"));
    // The generated crate's own version, which codegen bumps on API changes.
    let manifest = include_str!("../../../../generated/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'));
    assert_eq!(request.header("seam-sdk-version"), version);
    assert!(request
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("seam-rust/")));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("seam-publishable-key"), None);
    assert_eq!(request.header("seam-workspace"), None);
    // Unset optional fields are omitted, not sent as null.
    assert_eq!(request.body, r#"{"user_identifier_key":"user-1"}"#);
}

#[tokio::test]
async fn a_publishable_key_goes_in_its_own_header() {
    let (result, request) = create_with(Seam::builder().publishable_key("seam_pk1_token")).await;
    result.unwrap();
    assert_eq!(
        request.header("seam-publishable-key"),
        Some("seam_pk1_token")
    );
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn a_personal_access_token_sends_the_workspace() {
    let (result, request) =
        create_with(Seam::builder().personal_access_token("seam_at1_longtoken", "ws_1")).await;
    result.unwrap();
    assert_eq!(
        request.header("authorization"),
        Some("Bearer seam_at1_longtoken")
    );
    assert_eq!(request.header("seam-workspace"), Some("ws_1"));
}

#[tokio::test]
async fn a_console_session_token_sends_the_workspace() {
    let (result, request) =
        create_with(Seam::builder().console_session_token("eyJhbGciOi.x.y", "ws_2")).await;
    result.unwrap();
    assert_eq!(
        request.header("authorization"),
        Some("Bearer eyJhbGciOi.x.y")
    );
    assert_eq!(request.header("seam-workspace"), Some("ws_2"));
}

#[tokio::test]
async fn every_field_is_sent_as_the_spec_names_it() {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let seam = client(&recorder);
    let expires = chrono::DateTime::parse_from_rfc3339("2030-01-02T03:04:05Z")
        .unwrap()
        .to_utc();
    #[allow(deprecated)]
    seam.client_sessions()
        .create()
        .user_identifier_key("u")
        .connected_account_ids(["ca1", "ca2"])
        .connect_webview_ids(vec![String::from("cw1")])
        .customer_id("c1")
        .customer_key("ck")
        .expires_at(expires)
        .user_identity_id("ui1")
        .user_identity_ids(["ui1"])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&recorder.next().body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "connect_webview_ids": ["cw1"],
            "connected_account_ids": ["ca1", "ca2"],
            "customer_id": "c1",
            "customer_key": "ck",
            "expires_at": "2030-01-02T03:04:05Z",
            "user_identifier_key": "u",
            "user_identity_id": "ui1",
            "user_identity_ids": ["ui1"]
        })
    );
}

#[tokio::test]
async fn every_violation_is_reported_at_once() {
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let seam = client(&recorder);
    #[allow(deprecated)]
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key("")
        .customer_key("")
        .user_identity_ids(["a", "b"])
        .send()
        .await
        .unwrap_err();
    let Error::Validation { violations, .. } = &err else {
        panic!("{err:?}");
    };
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        ["customer_key", "user_identifier_key", "user_identity_ids"]
    );
    assert!(recorder.received().is_empty());
}

#[tokio::test]
async fn a_body_that_does_not_match_the_spec_is_a_decode_error_with_its_path() {
    let mut body = session_json();
    body["client_session"]["created_at"] = serde_json::json!("yesterday");
    let recorder = Recorder::start(Reply::json(200, body));
    let seam = client(&recorder);
    let err = seam.client_sessions().create().send().await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(decode.path, "client_session.created_at");
    assert_eq!(decode.status, 200);
    assert_eq!(err.request_id(), Some("req_recorded"));
    assert!(decode.excerpt.len() <= seam::DecodeError::EXCERPT_LIMIT + 3);
    assert!(decode.excerpt.starts_with('{'));
}

#[tokio::test]
async fn a_missing_response_key_is_a_decode_error() {
    let recorder = Recorder::start(Reply::json(200, serde_json::json!({"ok": true})));
    let seam = client(&recorder);
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path == "client_session"),
        "{err:?}"
    );
}

#[tokio::test]
async fn envelope_fields_outside_the_response_key_are_not_decoded() {
    // `ok` is required by the spec, but `send` only decodes `client_session`.
    let mut body = session_json();
    body.as_object_mut().unwrap().remove("ok");
    let recorder = Recorder::start(Reply::json(200, body));
    let seam = client(&recorder);
    seam.client_sessions().create().send().await.unwrap();
}

#[tokio::test]
async fn an_empty_503_is_an_api_error_that_says_so() {
    let recorder = Recorder::start(Reply::With {
        status: 503,
        headers: vec![("seam-request-id".into(), "req_503".into())],
        body: String::new(),
    });
    let seam = client(&recorder);
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), None);
    assert_eq!(err.request_id(), Some("req_503"));
    assert!(err.to_string().contains("empty body"), "{err}");
}

#[tokio::test]
async fn a_401_is_unauthorized() {
    let recorder = Recorder::start(Reply::json(
        401,
        serde_json::json!({"error": {"type": "unauthorized", "message": "Unauthorized"}, "ok": false}),
    ));
    let seam = client(&recorder);
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(err.code(), Some("unauthorized"));
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let recorder = Recorder::start(Reply::Silence);
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key("seam_apikey1_token")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Some(Duration::from_millis(300))),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let seam = Seam::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .api_key("seam_apikey1_token")
        .build()
        .unwrap();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.to_string().contains("seam_apikey1_token"));
}

#[tokio::test]
async fn a_client_session_token_is_refused_locally_for_this_operation() {
    // The spec's security list for /client_sessions/create has no client
    // session: the call fails before anything is sent.
    let recorder = Recorder::start(Reply::json(200, session_json()));
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .client_session_token("seam_cst1_token")
        .build()
        .unwrap();
    let err = seam.client_sessions().create().send().await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(
        message.contains("does not accept client session token"),
        "{message}"
    );
    assert!(message.contains(".api_key()"), "{message}");
    assert!(!message.contains("seam_cst1_token"), "{message}");
    assert!(recorder.received().is_empty());
}

fn fast_retries(recorder: &Recorder) -> Seam {
    Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key("seam_apikey1_token")
        .retry_policy(seam::RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_read_only_call_is_retried_twice_on_503() {
    let recorder = Recorder::start(Reply::With {
        status: 503,
        headers: vec![("retry-after".into(), "0".into())],
        body: String::new(),
    });
    let err = fast_retries(&recorder)
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    let requests: Vec<_> = (0..3).map(|_| recorder.next()).collect();
    assert!(requests
        .iter()
        .all(|r| r.request_line.starts_with("POST /devices/list ")));
    assert!(recorder.received().is_empty(), "more than three attempts");
}

#[tokio::test]
async fn a_read_only_call_is_retried_on_429_but_not_on_400() {
    let recorder = Recorder::start(Reply::json(
        429,
        serde_json::json!({"error": {"type": "rate_limited", "message": "Slow down"}, "ok": false}),
    ));
    let err = fast_retries(&recorder)
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("rate_limited"));
    for _ in 0..3 {
        recorder.next();
    }

    let recorder = Recorder::start(Reply::json(
        400,
        serde_json::json!({"error": {"type": "invalid_input", "message": "No"}, "ok": false}),
    ));
    let err = fast_retries(&recorder)
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    recorder.next();
    std::thread::sleep(Duration::from_millis(100));
    assert!(recorder.received().is_empty(), "a 400 was retried");
}

#[tokio::test]
async fn a_mutating_call_is_not_retried_after_a_503() {
    let recorder = Recorder::start(Reply::With {
        status: 503,
        headers: Vec::new(),
        body: String::new(),
    });
    let err = fast_retries(&recorder)
        .client_sessions()
        .create()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    recorder.next();
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        recorder.received().is_empty(),
        "a mutating call was retried"
    );
}

#[tokio::test]
async fn an_optional_nullable_field_can_be_omitted_null_or_set() {
    let recorder = Recorder::start(Reply::json(200, serde_json::json!({"ok": true})));
    let seam = client(&recorder);
    let update = || seam.access_grants().update().access_grant_id("ag_1");
    update().send().await.unwrap();
    update().ends_at_null().send().await.unwrap();
    let ends = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    update().ends_at(ends).send().await.unwrap();
    let bodies: Vec<serde_json::Value> = (0..3)
        .map(|_| serde_json::from_str(&recorder.next().body).unwrap())
        .collect();
    assert_eq!(bodies[0], serde_json::json!({"access_grant_id": "ag_1"}));
    assert_eq!(
        bodies[1],
        serde_json::json!({"access_grant_id": "ag_1", "ends_at": null})
    );
    assert_eq!(
        bodies[2],
        serde_json::json!({"access_grant_id": "ag_1", "ends_at": "2030-01-01T00:00:00Z"})
    );
}

/// `{"devices": [{"device_id": "d1"}], "ok": true}`, gzipped (Python's
/// `gzip` with `mtime=0`).
const GZIPPED_DEVICES: [u8; 58] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xab, 0x56, 0x4a, 0x49, 0x2d, 0xcb,
    0x4c, 0x4e, 0x2d, 0x56, 0xb2, 0x52, 0x88, 0xae, 0x86, 0x72, 0xe2, 0x33, 0x53, 0x80, 0x5c, 0xa5,
    0x14, 0x43, 0xa5, 0xda, 0x58, 0x1d, 0x05, 0xa5, 0xfc, 0x6c, 0x20, 0xaf, 0xa4, 0xa8, 0x34, 0xb5,
    0x16, 0x00, 0x86, 0xc3, 0xb0, 0x16, 0x2e, 0x00, 0x00, 0x00,
];

/// With the default `gzip` and `brotli` features, the client asks for
/// compressed responses and reads a gzipped one as the JSON it holds.
#[tokio::test]
async fn a_gzipped_response_is_asked_for_and_decompressed() {
    let recorder = seam_tests::Recorder::start(seam_tests::Reply::Bytes {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-encoding".into(), "gzip".into()),
        ],
        body: GZIPPED_DEVICES.to_vec(),
    });
    let seam = seam::Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key("seam_apikey1_token")
        .build()
        .unwrap();
    let devices = seam
        .request(seam::HttpMethod::Post, "/devices/list")
        .send_json()
        .await
        .unwrap();
    assert_eq!(devices["devices"][0]["device_id"], "d1", "{devices}");
    let request = recorder.next();
    let accepted = request.header("accept-encoding").unwrap_or_default();
    assert!(
        accepted.contains("gzip") && accepted.contains("br"),
        "{accepted}"
    );
}
