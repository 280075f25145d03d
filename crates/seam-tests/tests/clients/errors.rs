//! What an error keeps of what the server said, checked on the wire against
//! a local recorder: a body that is not a JSON envelope (an HTML page from a
//! proxy) keeps no code but the whole body; a JSON envelope is read, with
//! Seam's validation errors per parameter and its `data`; a success body
//! that does not decode is kept whole with a bounded message. No error text
//! or `Debug` shows a credential or a whole body.

use seam::{Error, Seam};
use seam_tests::{Recorder, Reply};

const API_KEY: &str = "seam_apikey1_token";

/// A client of `recorder` that never retries (a 502 would be sent again).
fn client(recorder: &Recorder) -> Seam {
    Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key(API_KEY)
        .retry_policy(seam::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Checks that neither the text nor the `Debug` of `err` holds the API key,
/// and that both are shorter than `limit` bytes.
fn assert_printed_safely(err: &Error, limit: usize) {
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(!shown.contains(API_KEY), "{shown}");
    assert!(!debug.contains(API_KEY), "{debug}");
    assert!(shown.len() < limit, "Display has {} bytes", shown.len());
    assert!(debug.len() < limit, "Debug has {} bytes", debug.len());
}

/// What a proxy may send: an HTML page that happens to hold an envelope.
fn proxy_page() -> String {
    let envelope = r#"{"error": {"type": "bad_gateway", "message": "Bad gateway"}, "ok": false}"#;
    format!(
        "<html><body><pre>{envelope}</pre>{}</body></html>",
        "<p>upstream unavailable</p>".repeat(10_000)
    )
}

#[tokio::test]
async fn a_text_html_502_has_no_code_and_keeps_its_body() {
    let page = proxy_page();
    let recorder = Recorder::start(Reply::With {
        status: 502,
        headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("seam-request-id".into(), "req_proxy".into()),
        ],
        body: page.clone(),
    });
    let err = client(&recorder)
        .client_sessions()
        .create()
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);
    assert_eq!(api.message, None);
    assert_eq!(api.details, None);
    assert_eq!(err.request_id(), Some("req_proxy"));
    assert_eq!(api.content_type.as_deref(), Some("text/html"));
    assert_eq!(err.body(), Some(page.as_bytes()));
    assert_eq!(api.body(), page.as_bytes());
    let excerpt = api.excerpt.as_deref().unwrap();
    assert!(excerpt.starts_with("<html><body><pre>{"), "{excerpt}");
    assert!(excerpt.len() <= seam::DecodeError::EXCERPT_LIMIT + '…'.len_utf8());
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "client_sessions.create failed with HTTP 502 (a text/html body, not a JSON error envelope: \"<html>"
        ),
        "{shown}"
    );
    assert!(shown.ends_with("[request id req_proxy]"), "{shown}");
    assert_printed_safely(&err, 2 * seam::DecodeError::EXCERPT_LIMIT);
}

#[tokio::test]
async fn a_json_502_envelope_is_still_read() {
    let recorder = Recorder::start(Reply::json(
        502,
        serde_json::json!({"error": {"type": "bad_gateway", "message": "Bad gateway"}, "ok": false}),
    ));
    let err = client(&recorder)
        .client_sessions()
        .create()
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(err.code(), Some("bad_gateway"));
    assert_eq!(api.message.as_deref(), Some("Bad gateway"));
    assert_eq!(api.excerpt, None);
    assert_eq!(api.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        err.to_string(),
        "client_sessions.create failed with HTTP 502 `bad_gateway`: Bad gateway [request id req_recorded]"
    );
    assert_printed_safely(&err, 1000);
}

#[tokio::test]
async fn invalid_input_is_typed_per_parameter_with_its_data() {
    let recorder = Recorder::start(Reply::json(
        400,
        serde_json::json!({
            "error": {
                "type": "invalid_input",
                "message": "3 Input Errors",
                "data": {"retry_with": "user_identity_id"},
                "validation_errors": {
                    "_errors": ["Unrecognized key(s) in object: 'colour'"],
                    "user_identifier_key": {"_errors": ["String must contain at most 255 character(s)"]},
                    "connected_account_ids": {
                        "_errors": [],
                        "1": {"_errors": ["Expected string, received number"]}
                    }
                }
            },
            "ok": false
        }),
    ));
    let err = client(&recorder)
        .client_sessions()
        .create()
        .user_identifier_key("u")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("invalid_input"));
    let errors = err.validation_errors().expect("validation errors");
    assert_eq!(
        errors.field("user_identifier_key"),
        ["String must contain at most 255 character(s)"]
    );
    assert_eq!(
        errors.field("connected_account_ids.1"),
        ["Expected string, received number"]
    );
    assert!(errors.field("connected_account_ids").is_empty());
    assert_eq!(
        errors.form_errors(),
        ["Unrecognized key(s) in object: 'colour'"]
    );
    let all: Vec<(&str, usize)> = errors.iter().map(|(p, m)| (p, m.len())).collect();
    assert_eq!(
        all,
        [("user_identifier_key", 1), ("connected_account_ids.1", 1)]
    );
    let Error::Api(api) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        api.data(),
        Some(&serde_json::json!({"retry_with": "user_identity_id"}))
    );
    assert_printed_safely(&err, 2000);

    // Another error has neither.
    let recorder = Recorder::start(Reply::json(
        404,
        serde_json::json!({"error": {"type": "device_not_found", "message": "No"}, "ok": false}),
    ));
    let err = client(&recorder).devices().get().send().await.unwrap_err();
    assert!(err.validation_errors().is_none());
    let Error::Api(api) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(api.data(), None);
}

#[tokio::test]
async fn a_multi_megabyte_body_that_does_not_decode_is_kept_whole_with_a_bounded_message() {
    // The created user comes back with a four-megabyte string where the spec
    // says boolean: the call fails, but the id it created is not lost.
    let huge = "y".repeat(4 << 20);
    let body = serde_json::json!({
        "acs_user": {"is_suspended": huge, "acs_user_id": "acs_user_1"},
        "ok": true
    })
    .to_string();
    let recorder = Recorder::start(Reply::With {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.clone(),
    });
    let err = client(&recorder)
        .acs()
        .users()
        .create()
        .acs_system_id("acs_system_1")
        .full_name("Jane Doe")
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(decode.path, "acs_user.is_suspended");
    assert!(decode.message.len() <= seam::DecodeError::MESSAGE_LIMIT);
    assert!(
        decode.message.starts_with("invalid type: string \"yyy"),
        "{}",
        decode.message
    );
    assert!(
        decode.message.contains("expected a boolean"),
        "{}",
        decode.message
    );
    assert!(decode.excerpt.len() <= seam::DecodeError::EXCERPT_LIMIT + '…'.len_utf8());
    assert_eq!(decode.body().len(), body.len());
    assert_eq!(err.body(), Some(body.as_bytes()));
    let created: serde_json::Value = decode.body_as().unwrap();
    assert_eq!(created["acs_user"]["acs_user_id"], "acs_user_1");
    let debug = format!("{err:?}");
    assert!(
        debug.contains(&format!("<{} bytes>", body.len())),
        "{debug}"
    );
    assert_printed_safely(
        &err,
        2 * seam::DecodeError::MESSAGE_LIMIT + seam::DecodeError::EXCERPT_LIMIT + 500,
    );
}
