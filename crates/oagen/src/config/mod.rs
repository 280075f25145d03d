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
    /// The crate's SPDX license expression, in `Cargo.toml` and the README.
    pub license: Option<String>,
    /// `keywords` and `categories` of `Cargo.toml`, for crates.io.
    pub keywords: Vec<String>,
    /// crates.io category slugs (`api-bindings`).
    pub categories: Vec<String>,
    /// Files written into the crate as they are (path → text): the license
    /// texts a published crate carries.
    pub extra_files: Vec<(String, String)>,
    /// The name sent in the `User-Agent` header, followed by `/<version>`.
    pub user_agent_name: String,
    /// An environment variable that overrides the spec's server URL.
    pub endpoint_env: Option<String>,
    /// Older names of `endpoint_env`, still read (after it) with a
    /// deprecation warning through `tracing`.
    pub deprecated_endpoint_envs: Vec<String>,
    /// Headers sent with every request.
    pub static_headers: Vec<(String, HeaderValue)>,
    /// The response header that carries the server's request id.
    pub request_id_header: Option<String>,
    /// The authentication modes the client builder offers. When empty, there is
    /// one mode per security scheme of the spec.
    pub auth_modes: Vec<AuthModeConfig>,
    /// The command that regenerates the output, named in every generated file.
    pub regenerate_command: String,
    /// What becomes of operations marked `x-undocumented`.
    pub undocumented: Undocumented,
    /// Whether operations without `x-fern-sdk-group-name` are grouped in a
    /// namespace named after their first tag (`client.pets().get_pet()`);
    /// otherwise they are methods of the client itself.
    pub group_by_tag: bool,
    /// How the API's long-running actions report their progress, if it has
    /// any: operations returning an attempt then wait for it to finish.
    pub action_attempts: Option<ActionAttemptConfig>,
    /// Client sessions (Seam's): a client for one user, obtained with a
    /// publishable key, and a way to replace a session's token.
    pub client_sessions: Option<ClientSessionConfig>,
    /// Rust code for the crate documentation's example, compiled as a doctest
    /// (not run). Its body runs inside an `async fn` returning
    /// `Result<(), crate::Error>`.
    pub quick_start: Option<String>,
    /// Markdown appended to the crate documentation, after the quick start
    /// and the webhook section: the maintainer's own text (never the
    /// spec's), so its Rust code blocks are doctests like any crate's.
    pub guide: Option<String>,
    /// Types for schemas whose spec type says less than the API means,
    /// applied while lowering; the first that matches a schema applies.
    pub type_overrides: Vec<TypeOverride>,
    /// A `webhook` module that verifies the API's signed webhook deliveries
    /// (the Svix scheme) and decodes their payload; none by default.
    pub webhook: Option<WebhookConfig>,
    /// One cargo feature per top-level namespace, all on by default
    /// ([`Config::namespace_feature`]): a crate that uses one namespace
    /// compiles only its operations and the types they reach.
    pub namespace_features: bool,
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
            license: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            extra_files: Vec::new(),
            user_agent_name: crate_name.to_owned(),
            endpoint_env: None,
            deprecated_endpoint_envs: Vec::new(),
            static_headers: Vec::new(),
            request_id_header: None,
            auth_modes: Vec::new(),
            regenerate_command: "cargo xtask codegen".to_owned(),
            quick_start: None,
            guide: None,
            undocumented: Undocumented::Omit,
            group_by_tag: false,
            action_attempts: None,
            type_overrides: Vec::new(),
            client_sessions: None,
            webhook: None,
            namespace_features: false,
        }
    }

    /// The operations the client itself calls (to poll action attempts and
    /// to get client sessions): compiled whatever the namespace features.
    pub fn operations_the_client_calls(&self) -> Vec<&str> {
        let polls = self
            .action_attempts
            .iter()
            .map(|a| a.poll_operation.as_str());
        let sessions = self
            .client_sessions
            .iter()
            .flat_map(|s| [s.get_or_create.as_str(), s.get.as_str()]);
        polls.chain(sessions).collect()
    }

    /// The cargo features operation `id` in namespace `group` needs:
    /// its namespace's ([`Self::namespace_feature`]) unless the client
    /// calls it, and [`Undocumented::Feature`]'s when it is `undocumented`.
    pub fn operation_features(
        &self,
        id: &str,
        group: &[String],
        undocumented: bool,
    ) -> Vec<String> {
        let namespace = match self.operations_the_client_calls().contains(&id) {
            true => None,
            false => self.namespace_feature(group),
        };
        let unstable = match &self.undocumented {
            Undocumented::Feature(feature) if undocumented => Some(feature.clone()),
            _ => None,
        };
        namespace.into_iter().chain(unstable).collect()
    }

    /// The cargo feature of the operations in namespace `group` (a
    /// top-level one and its descendants), with
    /// [`Self::namespace_features`]: the top-level segment, `default`
    /// being cargo's own and the undocumented operations' feature taken.
    pub fn namespace_feature(&self, group: &[String]) -> Option<String> {
        let top = group.first().filter(|_| self.namespace_features)?;
        let taken = match &self.undocumented {
            Undocumented::Feature(feature) => top == feature,
            _ => false,
        } || TRANSPORT_FEATURES.contains(&top.as_str());
        Some(if top == "default" || taken {
            format!("{top}_operations")
        } else {
            top.clone()
        })
    }
}

/// The generated crate's transport features, each the runtime's of the
/// same name: TLS and response decompression.
pub const TRANSPORT_FEATURES: [&str; 5] =
    ["rustls", "webpki-roots", "native-tls", "gzip", "brotli"];

/// What becomes of the operations a spec marks `x-undocumented`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undocumented {
    /// Not generated.
    Omit,
    /// Generated like the others.
    Include,
    /// Generated behind this cargo feature of the generated crate, with
    /// their docs saying they are unstable; the types only they use too.
    Feature(String),
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
    /// A cargo feature of the generated crate that the builder method needs
    /// (`undocumented` for modes only the API's own tools use); `None`: always there.
    pub feature: Option<String>,
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
    /// What a value with that prefix is, for the hint when it is given to
    /// another mode ("a JWT"); by default the mode's label.
    pub prefix_means: Option<String>,
}

/// The generated `webhook` module: what a delivery's payload is, and what
/// the verifier is called.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The component schema (in `components.schemas`) a payload decodes
    /// into, for example `event`.
    pub event_schema: String,
    /// The verifier type, for example `SeamWebhook`.
    pub verifier: String,
    /// A payload (JSON) for the module's example, which signs and verifies
    /// it; without one the example only shows a handler.
    pub example_payload: Option<String>,
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

/// Client sessions, as Seam's official SDKs offer them: `from_publishable_key`
/// gets or creates a user's session with a publishable key and returns a
/// client that uses its token; `update_client_session_token` swaps the token
/// of such a client after checking the new one.
#[derive(Debug, Clone)]
pub struct ClientSessionConfig {
    /// The dotted id of the operation that gets or creates a session
    /// (`client_sessions.get_or_create`), called with the publishable key.
    pub get_or_create: String,
    /// Its body field naming the user (`user_identifier_key`).
    pub user_identifier_field: String,
    /// The dotted id of the operation that reads the client's own session
    /// (`client_sessions.get`), which checks a new token.
    pub get: String,
    /// The field of a session holding its token (`token`).
    pub token_field: String,
    /// The mode (builder method) of a publishable key.
    pub publishable_mode: String,
    /// The mode (builder method) of a session's token.
    pub session_mode: String,
}

impl Default for ClientSessionConfig {
    /// Seam's names.
    fn default() -> Self {
        ClientSessionConfig {
            get_or_create: "client_sessions.get_or_create".to_owned(),
            user_identifier_field: "user_identifier_key".to_owned(),
            get: "client_sessions.get".to_owned(),
            token_field: "token".to_owned(),
            publishable_mode: "publishable_key".to_owned(),
            session_mode: "client_session_token".to_owned(),
        }
    }
}
