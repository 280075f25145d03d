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
