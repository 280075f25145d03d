//! Authentication modes and sessions end to end against the official fake:
//! a personal access token without a workspace (workspace-level calls), a
//! client for one user from a publishable key, and swapping a client
//! session's token.

use std::sync::atomic::{AtomicU32, Ordering};

use seam::{Error, RetryPolicy, Seam};
use seam_tests::FakeSeam;

const PAT: &str = "seam_at1_longtoken";
const PUBLISHABLE_KEY: &str = "seam_pk1_token";

fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-sessions-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn builder(fake: &FakeSeam) -> seam::SeamBuilder {
    Seam::builder()
        .endpoint(&fake.endpoint)
        .retry_policy(RetryPolicy::none())
}

#[tokio::test]
async fn a_personal_access_token_without_a_workspace_lists_and_creates_workspaces() {
    let fake = FakeSeam::shared();
    let seam = builder(fake)
        .personal_access_token_without_workspace(PAT)
        .build()
        .unwrap();
    let workspaces = seam.workspaces().list().send().await.unwrap();
    assert!(
        workspaces
            .iter()
            .any(|w| w.workspace_id == "seed_workspace_1"),
        "{workspaces:?}"
    );

    let name = unique("workspace");
    // The fake still requires `connect_partner_name`, which the spec deprecates.
    #[allow(deprecated)]
    let created = seam
        .workspaces()
        .create()
        .name(name.as_str())
        .company_name("Acme")
        .connect_partner_name("Acme")
        .is_sandbox(true)
        .send()
        .await
        .unwrap();
    assert_eq!(created.name, name);

    // A call inside a workspace is refused before anything is sent, naming
    // the modes that can make it.
    let err = seam.devices().list().send().await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("`.personal_access_token()`"), "{message}");
    assert!(message.contains("Nothing was sent"), "{message}");
}

#[tokio::test]
async fn from_publishable_key_gets_a_client_session_for_one_user() {
    let fake = FakeSeam::shared();
    let user = unique("user");
    let seam = builder(fake)
        .build_from_publishable_key(PUBLISHABLE_KEY, user.as_str())
        .await
        .unwrap();
    assert!(
        format!("{seam:?}").contains("client_session_token"),
        "{seam:?}"
    );
    let session = seam.client_sessions().get().send().await.unwrap();
    assert_eq!(session.user_identifier_key.as_deref(), Some(user.as_str()));
    assert!(session.token.starts_with("seam_cst"));

    // The same user again: the same session.
    let again = builder(fake)
        .build_from_publishable_key(PUBLISHABLE_KEY, user.as_str())
        .await
        .unwrap();
    let same = again.client_sessions().get().send().await.unwrap();
    assert_eq!(same.client_session_id, session.client_session_id);

    // The shortcut on the client type reads the endpoint from the
    // environment or uses the default; with a malformed key it fails
    // before anything is sent.
    let err = Seam::from_publishable_key("seam_apikey1_token", "u")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    // A builder with a mode of its own is refused: two modes.
    let err = builder(fake)
        .api_key("seam_apikey1_token")
        .build_from_publishable_key(PUBLISHABLE_KEY, "u")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("choose exactly one"), "{err}");
}

#[tokio::test]
async fn a_client_session_token_is_swapped_only_for_a_valid_one() {
    let fake = FakeSeam::shared();
    let first = builder(fake)
        .build_from_publishable_key(PUBLISHABLE_KEY, unique("first").as_str())
        .await
        .unwrap();
    let second_user = unique("second");
    let second = builder(fake)
        .build_from_publishable_key(PUBLISHABLE_KEY, second_user.as_str())
        .await
        .unwrap();
    let second_token = second.client_sessions().get().send().await.unwrap().token;

    let mut seam = first.clone();
    seam.update_client_session_token(second_token.as_str())
        .await
        .unwrap();
    let now = seam.client_sessions().get().send().await.unwrap();
    assert_eq!(
        now.user_identifier_key.as_deref(),
        Some(second_user.as_str())
    );

    // An unknown token is refused by the server; the client keeps its own.
    let err = seam
        .update_client_session_token("seam_cst_not_a_session")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert!(!err.to_string().contains("seam_cst_not_a_session"), "{err}");
    let still = seam.client_sessions().get().send().await.unwrap();
    assert_eq!(still.token, second_token);

    // A malformed token never reaches the server.
    let err = seam
        .update_client_session_token("seam_at1_longtoken")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("looks like a personal access token"),
        "{err}"
    );

    // A client with another mode has no session token to swap.
    let mut api = builder(fake).api_key("seam_apikey1_token").build().unwrap();
    let err = api
        .update_client_session_token(second_token)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("does not use a client session token"),
        "{err}"
    );
}

#[test]
fn an_email_as_user_identifier_key_is_warned_about() {
    let fake = FakeSeam::shared();
    let (seam, logs) = seam_tests::capture_logs(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(builder(fake).build_from_publishable_key(PUBLISHABLE_KEY, "jane@example.com"))
    });
    seam.unwrap();
    assert!(logs.contains("WARN"), "{logs}");
    assert!(
        logs.contains("user_identifier_key looks like an email address"),
        "{logs}"
    );
    assert!(
        !logs.contains("jane@example.com"),
        "the value is not logged: {logs}"
    );
}
