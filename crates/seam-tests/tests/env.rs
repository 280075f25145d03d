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
    ] {
        std::env::remove_var(var);
    }

    // Nothing set: the error says what to do.
    let err = Seam::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    let message = err.to_string();
    assert!(message.contains("no credentials"), "{message}");
    assert!(message.contains("`.api_key()`"), "{message}");
    assert!(message.contains("SEAM_API_KEY"), "{message}");

    // SEAM_API_KEY and SEAM_ENDPOINT.
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

    // A personal access token needs its workspace too.
    std::env::remove_var("SEAM_API_KEY");
    std::env::set_var("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken");
    assert!(Seam::builder().build().is_err());
    std::env::set_var("SEAM_WORKSPACE_ID", "seed_workspace_1");
    let seam = Seam::builder().build().unwrap();
    assert!(format!("{seam:?}").contains("personal_access_token"));
}
