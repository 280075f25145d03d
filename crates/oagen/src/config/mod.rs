//! What the generator needs to know beyond the spec: the crate's name and the
//! shape of its client. Everything here has a default derived from the spec,
//! so a spec alone is enough; a maintained SDK such as `seam` sets more.
//!
//! `overrides` holds the type overrides (types where the spec says less than
//! the API means); `file` reads a configuration file (YAML or JSON) for
//! `cargo xtask generate --config`.

mod file;
mod overrides;

pub use file::{ConfigFile, ConfigFileError};
pub use overrides::{
    pointer_matches, JsonType, OverrideTarget, OverrideType, SpecFormat, SpecType, TypeOverride,
};

/// Settings for one generated crate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The package and library name, for example `seam`.
    pub crate_name: String,
    /// The package version.
    pub crate_version: String,
    /// The client type, for example `Seam`; its builder is `<client_name>Builder`.
    pub client_name: String,
    /// The `[dependencies]` line for the runtime crate, exactly as it goes into
    /// the generated `Cargo.toml`.
    pub runtime_dependency: String,
    /// Extra lines for the `[package]` table of the generated `Cargo.toml`.
    pub package_extra: Vec<String>,
    /// The name sent in the `User-Agent` header, followed by `/<version>`.
    pub user_agent_name: String,
    /// An environment variable that overrides the spec's server URL.
    pub endpoint_env: Option<String>,
    /// Headers sent with every request.
    pub static_headers: Vec<(String, HeaderValue)>,
    /// The response header that carries the server's request id.
    pub request_id_header: Option<String>,
    /// The authentication modes the client builder offers. When empty, there is
    /// one mode per security scheme of the spec.
    pub auth_modes: Vec<AuthModeConfig>,
    /// The command that regenerates the output, named in every generated file.
    pub regenerate_command: String,
    /// Whether operations marked `x-undocumented` are generated.
    pub include_undocumented: bool,
    /// Whether operations without `x-fern-sdk-group-name` are grouped in a
    /// namespace named after their first tag (`client.pets().get_pet()`);
    /// otherwise they are methods of the client itself.
    pub group_by_tag: bool,
    /// How the API's long-running actions report their progress, if it has
    /// any: operations returning an attempt then wait for it to finish.
    pub action_attempts: Option<ActionAttemptConfig>,
    /// Rust code for the crate documentation's example, compiled as a doctest
    /// (not run). Its body runs inside an `async fn` returning
    /// `Result<(), crate::Error>`.
    pub quick_start: Option<String>,
    /// Types for schemas whose spec type says less than the API means,
    /// applied while lowering; the first that matches a schema applies.
    pub type_overrides: Vec<TypeOverride>,
}

impl Config {
    /// Defaults for a crate named `crate_name`.
    pub fn new(crate_name: &str) -> Self {
        Config {
            crate_name: crate_name.to_owned(),
            crate_version: "0.1.0".to_owned(),
            client_name: heck::ToUpperCamelCase::to_upper_camel_case(crate_name),
            runtime_dependency: r#"oagen-runtime = "0.1""#.to_owned(),
            package_extra: Vec::new(),
            user_agent_name: crate_name.to_owned(),
            endpoint_env: None,
            static_headers: Vec::new(),
            request_id_header: None,
            auth_modes: Vec::new(),
            regenerate_command: "cargo xtask codegen".to_owned(),
            quick_start: None,
            include_undocumented: false,
            group_by_tag: false,
            action_attempts: None,
            type_overrides: Vec::new(),
        }
    }
}

/// The value of a header sent with every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// This text.
    Literal(String),
    /// The generated crate's version, read at compile time.
    CrateVersion,
}

/// One authentication mode of the client builder.
#[derive(Debug, Clone)]
pub struct AuthModeConfig {
    /// The builder method, for example `personal_access_token`.
    pub method: String,
    /// A human name, for example "personal access token".
    pub label: String,
    /// The security schemes of operations this mode satisfies: an operation
    /// accepts the mode when one of its security requirements names one of these.
    pub satisfies: Vec<String>,
    /// The builder method's parameters, each sent as its security scheme says.
    pub credentials: Vec<CredentialConfig>,
    /// Extra documentation for the builder method.
    pub docs: Option<String>,
}

/// One credential of an [`AuthModeConfig`].
#[derive(Debug, Clone)]
pub struct CredentialConfig {
    /// The parameter name, for example `workspace_id`.
    pub name: String,
    /// The security schemes (in `components.securitySchemes`) that say where it
    /// goes; the value is sent in each place.
    pub schemes: Vec<String>,
    /// An environment variable to read it from when no mode is chosen.
    pub env: Option<String>,
    /// A prefix every valid value starts with, checked locally.
    pub prefix: Option<String>,
}

/// Action attempts (Seam's long-running actions): an operation whose response
/// key is `response_key` returns an attempt, which the client polls through
/// `poll_operation` until its status is no longer `pending`.
#[derive(Debug, Clone)]
pub struct ActionAttemptConfig {
    /// The response key of operations that return an attempt (`action_attempt`).
    pub response_key: String,
    /// The dotted id of the operation that reads one (`action_attempts.get`).
    pub poll_operation: String,
    /// The attempt's id property (`action_attempt_id`).
    pub id_field: String,
    /// The attempt's status property (`status`).
    pub status_field: String,
    /// The status of a running attempt (`pending`).
    pub pending: String,
    /// The status of a failed attempt (`error`).
    pub failed: String,
    /// The property of a failed attempt holding `{type, message}` (`error`).
    pub error_field: String,
}

impl Default for ActionAttemptConfig {
    /// Seam's names.
    fn default() -> Self {
        ActionAttemptConfig {
            response_key: "action_attempt".to_owned(),
            poll_operation: "action_attempts.get".to_owned(),
            id_field: "action_attempt_id".to_owned(),
            status_field: "status".to_owned(),
            pending: "pending".to_owned(),
            failed: "error".to_owned(),
            error_field: "error".to_owned(),
        }
    }
}
