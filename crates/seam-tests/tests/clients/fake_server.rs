//! `client_sessions.create` end to end against the official fake Seam server,
//! with every authentication mode the fake accepts for it.

use std::sync::atomic::{AtomicU32, Ordering};

use seam::{Error, Seam};
use seam_tests::{FakeSeam, Recorder, Reply};

const API_KEY: &str = "seam_apikey1_token";
const PUBLISHABLE_KEY: &str = "seam_pk1_token";
const PERSONAL_ACCESS_TOKEN: &str = "seam_at1_longtoken";
const WORKSPACE: &str = "seed_workspace_1";
const CONNECTED_ACCOUNT: &str = "john_connected_account_id";

/// A `user_identifier_key` no other test uses, so tests can share one fake.
fn unique_user(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{test}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn fake() -> &'static FakeSeam {
    FakeSeam::shared()
}

/// A client of the shared fake, authenticated as `auth` says.
fn client(auth: impl FnOnce(seam::SeamBuilder) -> seam::SeamBuilder) -> Seam {
    auth(Seam::builder().endpoint(&fake().endpoint))
        .build()
        .unwrap()
}

#[tokio::test]
async fn quick_start_with_an_api_key_and_connected_accounts() {
    let seam = client(|b| b.api_key(API_KEY));
    let user = unique_user("api-key");
    let session = seam
        .client_sessions()
        .create()
        .user_identifier_key(&user)
        .connected_account_ids(vec![String::from(CONNECTED_ACCOUNT)])
        .send()
        .await
        .unwrap();
    assert_eq!(session.user_identifier_key.as_deref(), Some(user.as_str()));
    assert_eq!(session.connected_account_ids, [CONNECTED_ACCOUNT]);
    assert_eq!(session.workspace_id, WORKSPACE);
    assert!(session.token.starts_with("seam_cst"), "{}", session.token);
    assert!(session.expires_at > session.created_at);
    // The fake's ids are not UUIDs although the spec says `format: uuid`.
    assert!(!session.client_session_id.is_empty());
}

#[tokio::test]
async fn a_publishable_key_creates_an_empty_session() {
    let seam = client(|b| b.publishable_key(PUBLISHABLE_KEY));
    let user = unique_user("publishable");
    let session = seam
        .client_sessions()
        .create()
        .user_identifier_key(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(session.user_identifier_key.as_deref(), Some(user.as_str()));
    assert!(session.connected_account_ids.is_empty());
    assert_eq!(session.device_count, 0.0);
}

#[tokio::test]
async fn a_publishable_key_may_not_name_connected_accounts() {
    let seam = client(|b| b.publishable_key(PUBLISHABLE_KEY));
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key(unique_user("publishable-refused"))
        .connected_account_ids([CONNECTED_ACCOUNT])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.code(),
        Some("publishable_keys_must_create_empty_client_sessions")
    );
    assert!(err.request_id().is_some_and(|id| !id.is_empty()));
    let message = err.to_string();
    assert!(
        message.contains("cannot specify connect_webview_ids or connected_account_ids when using a publishable key"),
        "{message}"
    );
    assert!(!message.contains(PUBLISHABLE_KEY), "{message}");
}

#[tokio::test]
async fn a_personal_access_token_with_a_workspace() {
    let seam = client(|b| b.personal_access_token(PERSONAL_ACCESS_TOKEN, WORKSPACE));
    let user = unique_user("pat");
    let session = seam
        .client_sessions()
        .create()
        .user_identifier_key(&user)
        .connected_account_ids([CONNECTED_ACCOUNT])
        .send()
        .await
        .unwrap();
    assert_eq!(session.workspace_id, WORKSPACE);
    assert_eq!(session.connected_account_ids, [CONNECTED_ACCOUNT]);
}

#[tokio::test]
async fn a_repeated_user_identifier_key_is_an_api_error_with_code_status_and_request_id() {
    let seam = client(|b| b.api_key(API_KEY));
    let user = unique_user("repeated");
    seam.client_sessions()
        .create()
        .user_identifier_key(&user)
        .send()
        .await
        .unwrap();
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key(&user)
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status, 400);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("client_session_token_already_exists"));
    let request_id = err.request_id().expect("the fake sends seam-request-id");
    assert!(request_id.starts_with("request"), "{request_id}");
    assert!(api
        .message
        .as_deref()
        .is_some_and(|m| m.contains("already exists")));
    // The fake's stack trace is not kept.
    assert!(api
        .details
        .as_ref()
        .is_some_and(|d| d.get("stack").is_none()));
}

#[tokio::test]
async fn the_whole_response_is_available() {
    let seam = client(|b| b.api_key(API_KEY));
    let user = unique_user("whole-response");
    let response = seam
        .client_sessions()
        .create()
        .user_identifier_key(&user)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert!(response.request_id.is_some());
    assert!(response.headers.contains_key("content-type"));
    assert!(response.body.ok);
    assert_eq!(
        response.body.client_session.user_identifier_key.as_deref(),
        Some(user.as_str())
    );
}

#[tokio::test]
async fn an_empty_user_identifier_key_fails_validation_and_sends_nothing() {
    // Against the fake: a validation error, not an API error.
    let seam = client(|b| b.api_key(API_KEY));
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key("")
        .send()
        .await
        .unwrap_err();
    let Error::Validation {
        operation,
        violations,
    } = &err
    else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(*operation, "client_sessions.create");
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].field, "user_identifier_key");
    assert_eq!(err.status(), None);

    // Against a recorder: proof that no request left the client.
    let recorder = Recorder::start(Reply::json(200, serde_json::json!({})));
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .api_key(API_KEY)
        .build()
        .unwrap();
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key("")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(recorder.received().is_empty());
}

#[tokio::test]
async fn the_fake_refuses_an_unknown_api_key() {
    let seam = client(|b| b.api_key("seam_not_a_real_key"));
    let err = seam
        .client_sessions()
        .create()
        .user_identifier_key(unique_user("unknown-key"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert!(
        err.status().is_some_and(|s| (400..500).contains(&s)),
        "{err:?}"
    );
    assert!(!err.to_string().contains("seam_not_a_real_key"));
}

#[test]
fn the_fake_is_seeded_with_the_ids_the_tests_use() {
    let seed = fake().get_json("/_fake/default_seed");
    assert_eq!(seed["seam_apikey1_token"], API_KEY);
    assert_eq!(seed["seam_pk1_token"], PUBLISHABLE_KEY);
    assert_eq!(seed["seam_at1_token"], PERSONAL_ACCESS_TOKEN);
    assert_eq!(seed["seed_workspace_1"], WORKSPACE);
    assert_eq!(seed["john_connected_account_id"], CONNECTED_ACCOUNT);
}
