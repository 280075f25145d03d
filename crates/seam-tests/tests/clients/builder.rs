//! Building a client: exactly one authentication mode, checked locally, and no
//! credential in any `Debug` output or error message.

use seam::{Error, Seam};

fn config_error(result: Result<Seam, Error>) -> String {
    match result {
        Err(err @ Error::Config { .. }) => err.to_string(),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn two_modes_are_refused_with_both_named() {
    let message = config_error(
        Seam::builder()
            .api_key("seam_apikey1_token")
            .publishable_key("seam_pk1_token")
            .build(),
    );
    assert!(
        message.contains("`.api_key()` and `.publishable_key()`"),
        "{message}"
    );
    assert!(message.contains("choose exactly one"), "{message}");
    assert!(!message.contains("seam_apikey1_token"));
}

#[test]
fn a_token_given_to_the_wrong_mode_names_the_right_one() {
    let message = config_error(Seam::builder().api_key("seam_pk1_token").build());
    assert!(
        message.contains("looks like a publishable key"),
        "{message}"
    );
    assert!(message.contains("`.publishable_key()`"), "{message}");
    assert!(!message.contains("seam_pk1_token"), "{message}");

    let message = config_error(Seam::builder().api_key("seam_at1_longtoken").build());
    assert!(message.contains("`.personal_access_token()`"), "{message}");

    let message = config_error(Seam::builder().api_key("seam_cst1_token").build());
    assert!(message.contains("`.client_session_token()`"), "{message}");
}

#[test]
fn a_malformed_key_is_refused() {
    let message = config_error(Seam::builder().api_key("sk_live_123").build());
    assert!(message.contains("must start with `seam_`"), "{message}");
    assert!(!message.contains("sk_live_123"));
    let message = config_error(Seam::builder().publishable_key("  ").build());
    assert!(message.contains("empty"), "{message}");
}

#[test]
fn a_malformed_endpoint_is_refused() {
    let message = config_error(
        Seam::builder()
            .endpoint("not a url")
            .api_key("seam_apikey1_token")
            .build(),
    );
    assert!(message.contains("not a valid URL"), "{message}");
}

#[test]
fn debug_never_shows_credentials() {
    let builder = Seam::builder()
        .personal_access_token("seam_at1_secret_token", "ws_secret_workspace")
        .endpoint("http://127.0.0.1:1");
    let builder_debug = format!("{builder:?}");
    assert!(
        !builder_debug.contains("seam_at1_secret_token"),
        "{builder_debug}"
    );
    let seam = builder.build().unwrap();
    let debug = format!("{seam:?}");
    assert!(debug.contains("personal_access_token"), "{debug}");
    assert!(debug.contains("http://127.0.0.1:1"), "{debug}");
    assert!(!debug.contains("seam_at1_secret_token"), "{debug}");
    assert!(!debug.contains("ws_secret_workspace"), "{debug}");
    let pretty = format!("{seam:#?}");
    assert!(!pretty.contains("seam_at1_secret_token"));
}

#[test]
fn the_default_endpoint_is_seams() {
    // SEAM_ENDPOINT may be set where the tests run; only assert when it is not.
    if std::env::var_os("SEAM_ENDPOINT").is_none() {
        let seam = Seam::builder()
            .api_key("seam_apikey1_token")
            .build()
            .unwrap();
        assert_eq!(seam.endpoint(), "https://connect.getseam.com");
    }
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint("http://127.0.0.1:8080/")
        .build()
        .unwrap();
    assert_eq!(seam.endpoint(), "http://127.0.0.1:8080");
}

#[test]
fn every_pair_of_token_kinds_gets_a_hint() {
    // A JWT is a console session token, whatever mode it is given to.
    for result in [
        Seam::builder()
            .api_key("eyJhbGciOiJIUzI1NiJ9.e30.x")
            .build(),
        Seam::builder()
            .client_session_token("eyJhbGciOiJIUzI1NiJ9.e30.x")
            .build(),
        Seam::builder()
            .publishable_key("eyJhbGciOiJIUzI1NiJ9.e30.x")
            .build(),
        Seam::builder()
            .personal_access_token("eyJhbGciOiJIUzI1NiJ9.e30.x", "ws")
            .build(),
    ] {
        let message = config_error(result);
        assert!(message.contains("looks like a JWT"), "{message}");
        assert!(
            message.contains(
                "use `.console_session_token()` or `.console_session_token_without_workspace()`"
            ),
            "{message}"
        );
        assert!(!message.contains("eyJhbGci"), "{message}");
    }
    // A personal access token given as a client session token or a
    // publishable key.
    for result in [
        Seam::builder()
            .client_session_token("seam_at1_longtoken")
            .build(),
        Seam::builder()
            .publishable_key("seam_at1_longtoken")
            .build(),
    ] {
        let message = config_error(result);
        assert!(
            message.contains("looks like a personal access token"),
            "{message}"
        );
        assert!(message.contains("`.personal_access_token()`"), "{message}");
    }
    // `seam_` tokens given as a console session token.
    let message = config_error(
        Seam::builder()
            .console_session_token("seam_apikey1_token", "ws")
            .build(),
    );
    assert!(message.contains("looks like an API key"), "{message}");
    let message = config_error(
        Seam::builder()
            .console_session_token_without_workspace("seam_cst1_token")
            .build(),
    );
    assert!(message.contains("`.client_session_token()`"), "{message}");
    // A console session token must be a JWT.
    let message = config_error(
        Seam::builder()
            .console_session_token("not-a-token", "ws")
            .build(),
    );
    assert!(
        message.contains("is not a JWT: it must start with `ey`"),
        "{message}"
    );
    // Each mode accepts its own kind.
    for result in [
        Seam::builder()
            .console_session_token("eyJ.e30.x", "ws")
            .build(),
        Seam::builder()
            .console_session_token_without_workspace("eyJ.e30.x")
            .build(),
        Seam::builder()
            .personal_access_token_without_workspace("seam_at1_longtoken")
            .build(),
        Seam::builder()
            .client_session_token("seam_cst1_token")
            .build(),
    ] {
        result.unwrap();
    }
}

#[test]
fn a_custom_header_is_not_a_credential_and_a_workspace_needs_a_token_from_the_environment() {
    // `.workspace_id()` completes a token from the environment, never a
    // mode chosen on the builder.
    let message = config_error(
        Seam::builder()
            .api_key("seam_apikey1_token")
            .workspace_id("ws")
            .build(),
    );
    assert!(message.contains("`.workspace_id()`"), "{message}");
    assert!(message.contains("takes no `workspace_id`"), "{message}");
    let message = config_error(
        Seam::builder()
            .personal_access_token("seam_at1_longtoken", "ws1")
            .workspace_id("ws2")
            .build(),
    );
    assert!(
        message.contains("already takes a `workspace_id`"),
        "{message}"
    );
}
