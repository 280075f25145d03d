//! Credentials and endpoint from the environment. One test in its own binary:
//! environment variables are process-wide, so nothing may run beside it.

use seam::{Error, Seam};

#[test]
fn the_environment_supplies_what_the_builder_does_not() {
    for var in [
        "SEAM_API_KEY",
        "SEAM_PERSONAL_ACCESS_TOKEN",
        "SEAM_WORKSPACE_ID",
        "SEAM_ENDPOINT",
        "SEAM_API_URL",
    ] {
        std::env::remove_var(var);
    }

    nothing_set();
    api_key_and_endpoint();
    personal_access_token();
    older_endpoint_name();
}

/// Nothing set: the error says what to do.
fn nothing_set() {
    let err = Seam::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let message = err.to_string();
    assert!(message.contains("no credentials"), "{message}");
    assert!(message.contains("`.api_key()`"), "{message}");
    assert!(message.contains("SEAM_API_KEY"), "{message}");
}

/// SEAM_API_KEY and SEAM_ENDPOINT; an ambiguous pair of tokens.
fn api_key_and_endpoint() {
    std::env::set_var("SEAM_API_KEY", "seam_apikey_from_env");
    std::env::set_var("SEAM_ENDPOINT", "http://127.0.0.1:9999");
    let seam = Seam::builder().build().unwrap();
    assert_eq!(seam.endpoint(), "http://127.0.0.1:9999");
    let debug = format!("{seam:?}");
    assert!(
        debug.contains("api_key") && !debug.contains("seam_apikey_from_env"),
        "{debug}"
    );

    // An explicit mode wins over the environment.
    let seam = Seam::builder()
        .publishable_key("seam_pk1_token")
        .build()
        .unwrap();
    assert!(format!("{seam:?}").contains("publishable_key"));

    // Both an API key and a personal access token: ambiguous, refused.
    std::env::set_var("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken");
    let err = Seam::builder().build().unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("both SEAM_API_KEY and SEAM_PERSONAL_ACCESS_TOKEN are set"),
        "{message}"
    );
    assert!(!message.contains("seam_at1_longtoken"), "{message}");
    // ... unless the builder chooses.
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .build()
        .unwrap();
    assert!(format!("{seam:?}").contains("api_key"));
}

/// A personal access token, with or without a workspace.
fn personal_access_token() {
    // A personal access token alone: the mode without a workspace.
    std::env::remove_var("SEAM_API_KEY");
    let seam = Seam::builder().build().unwrap();
    assert!(
        format!("{seam:?}").contains("personal_access_token_without_workspace"),
        "{seam:?}"
    );
    // With its workspace from the environment, or from the builder (which
    // overrides the environment's): the mode with a workspace.
    std::env::set_var("SEAM_WORKSPACE_ID", "seed_workspace_1");
    let seam = Seam::builder().build().unwrap();
    assert!(
        format!("{seam:?}").contains("\"personal_access_token\""),
        "{seam:?}"
    );
    std::env::remove_var("SEAM_WORKSPACE_ID");
    let seam = Seam::builder()
        .workspace_id("seed_workspace_2")
        .build()
        .unwrap();
    assert!(
        format!("{seam:?}").contains("\"personal_access_token\""),
        "{seam:?}"
    );
    let recorder = seam_tests::Recorder::start(seam_tests::Reply::json(
        200,
        serde_json::json!({"workspaces": [], "ok": true}),
    ));
    std::env::set_var("SEAM_WORKSPACE_ID", "seed_workspace_1");
    let seam = Seam::builder()
        .endpoint(recorder.endpoint())
        .workspace_id("seed_workspace_2")
        .build()
        .unwrap();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(seam.workspaces().list().send())
        .unwrap();
    let sent = recorder.next();
    assert_eq!(sent.header("seam-workspace"), Some("seed_workspace_2"));
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer seam_at1_longtoken")
    );
    std::env::remove_var("SEAM_PERSONAL_ACCESS_TOKEN");
    std::env::remove_var("SEAM_WORKSPACE_ID");
    // A workspace and no token.
    assert!(Seam::builder().workspace_id("ws").build().is_err());
}

/// The endpoint's older name, read when SEAM_ENDPOINT is not set.
fn older_endpoint_name() {
    std::env::remove_var("SEAM_ENDPOINT");
    std::env::set_var("SEAM_API_URL", "http://127.0.0.1:7777");
    let (seam, logs) =
        seam_tests::capture_logs(|| Seam::builder().api_key("seam_apikey1_token").build());
    assert_eq!(seam.unwrap().endpoint(), "http://127.0.0.1:7777");
    assert!(logs.contains("WARN"), "{logs}");
    assert!(
        logs.contains("SEAM_API_URL is deprecated; set SEAM_ENDPOINT instead"),
        "{logs}"
    );
    std::env::set_var("SEAM_ENDPOINT", "http://127.0.0.1:8888");
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .build()
        .unwrap();
    assert_eq!(
        seam.endpoint(),
        "http://127.0.0.1:8888",
        "the new name wins"
    );
}
