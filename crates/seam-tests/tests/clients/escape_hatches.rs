//! Escape hatches: a request to any path with the client's authentication
//! (against the fake), a look at any request before it is sent, and headers
//! for every request or for one call (on the wire, against the recorder).

use seam::{Error, HttpMethod, RetryPolicy, Seam};
use seam_tests::{FakeSeam, Recorder, Reply};

fn seam(endpoint: &str) -> Seam {
    Seam::builder()
        .endpoint(endpoint)
        .api_key("seam_apikey1_token")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_generic_request_reaches_any_path_with_the_client_s_auth() {
    let fake = FakeSeam::shared();
    let seam = seam(&fake.endpoint);

    // A GET with query parameters, lists written as Seam's SDKs write them.
    let listed = seam
        .request(HttpMethod::Get, "/devices/list")
        .query(
            serde_json::json!({"device_ids": ["august_device_1", "august_device_2"], "limit": 10}),
        )
        .send_json()
        .await
        .unwrap();
    let ids: Vec<&str> = listed["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["device_id"].as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"august_device_1") && ids.contains(&"august_device_2"));

    // A POST with a JSON body, decoded into a generated type under its key.
    let device: seam::types::Device = seam
        .request(HttpMethod::Post, "/devices/get")
        .json(serde_json::json!({"device_id": "august_device_1"}))
        .response_key("device")
        .send()
        .await
        .unwrap();
    assert_eq!(device.device_id, "august_device_1");

    // Errors map as for generated calls.
    let err = seam
        .request(HttpMethod::Post, "/devices/get")
        .json(serde_json::json!({"device_id": "no_such_device"}))
        .send_json()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("device_not_found"), "{err:?}");

    let err = seam
        .request(HttpMethod::Get, "devices/list")
        .send_json()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[test]
fn requests_show_what_they_will_send() {
    let seam = seam("http://127.0.0.1:9");
    let preview = seam
        .devices()
        .get()
        .device_id("august_device_1")
        .preview()
        .unwrap();
    assert_eq!(preview.operation, "devices.get");
    assert_eq!(preview.method, HttpMethod::Post);
    assert_eq!(preview.path, "/devices/get");
    assert_eq!(preview.url, "http://127.0.0.1:9/devices/get");
    assert_eq!(
        preview.body,
        Some(serde_json::json!({"device_id": "august_device_1"}))
    );
    assert_eq!(preview.content_type.as_deref(), Some("application/json"));
    assert_eq!(preview.response_key, Some("device"));
    assert!(!format!("{preview:?}").contains("seam_apikey1_token"));

    // A required field missing: the preview fails as sending would.
    let err = seam.locks().unlock_door().preview().unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");

    let generic = seam
        .request(HttpMethod::Get, "/devices/list")
        .query(serde_json::json!({"device_ids": ["a", "b"], "name": null, "skip": ""}))
        .response_key("devices")
        .preview()
        .unwrap();
    assert_eq!(
        generic.url,
        "http://127.0.0.1:9/devices/list?device_ids=a&device_ids=b&name="
    );
    assert_eq!(generic.body, None);
    assert_eq!(generic.response_key, Some("devices"));
}

#[tokio::test]
async fn headers_for_every_request_and_for_one_call() {
    let recorder = Recorder::start(Reply::json(200, serde_json::json!({"ok": true})));
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key("seam_apikey1_token")
        .header("x-tenant", "north")
        .header("seam-sdk-name", "my-wrapper")
        .build()
        .unwrap();
    seam.locks()
        .lock_door()
        .device_id("august_device_1")
        .header("x-request-tag", "nightly")
        .header("x-tenant", "south")
        .action_attempt_polling(seam::ActionAttemptPolling::disabled())
        .send()
        .await
        .unwrap_err();
    let sent = recorder.next();
    assert_eq!(sent.header("x-request-tag"), Some("nightly"));
    assert_eq!(
        sent.header("x-tenant"),
        Some("south"),
        "the call's header wins"
    );
    assert_eq!(
        sent.header("seam-sdk-name"),
        Some("my-wrapper"),
        "the builder's header wins"
    );
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer seam_apikey1_token")
    );

    // A header that cannot be sent: the builder or the call fails, nothing is sent.
    let err = Seam::builder()
        .api_key("seam_apikey1_token")
        .header("bad header", "x")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("not a valid header name"), "{err}");
    let err = seam
        .devices()
        .list()
        .header("x-ok", "line\nbreak")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    assert!(recorder.received().is_empty());
}
