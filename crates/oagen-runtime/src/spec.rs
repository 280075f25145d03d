//! The static descriptions a generated crate declares: the API as a whole
//! ([`ClientSpec`]), each operation ([`OperationSpec`] and its
//! [`HttpMethod`]) and how to wait for action attempts
//! ([`ActionAttemptSpec`]).
//!
//! Generated code writes these as `static` items; the runtime only reads
//! them. They sit at the bottom of the crate with the errors: every other
//! layer (decoding, requests, the client) names them, and they name nothing
//! but the authentication modes of `auth.rs`. The descriptions of pagination
//! live with the pagination streams (`pages.rs`), which are the only code
//! that reads them.

use crate::auth::AuthModeSpec;

/// Everything a generated crate tells the runtime about its API as a whole.
#[derive(Debug)]
pub struct ClientSpec {
    /// The name used in messages, for example `Seam`.
    pub name: &'static str,
    /// The `User-Agent` header.
    pub user_agent: &'static str,
    /// The base URL when neither the builder nor the environment sets one.
    pub default_endpoint: &'static str,
    /// An environment variable that overrides the default endpoint.
    pub endpoint_env: Option<&'static str>,
    /// Older names of `endpoint_env`, read after it with a deprecation
    /// warning (Seam's `SEAM_API_URL`).
    pub deprecated_endpoint_envs: &'static [&'static str],
    /// Headers sent with every request, such as the SDK's name and version.
    pub static_headers: &'static [(&'static str, &'static str)],
    /// The response header that carries the server's request id.
    pub request_id_header: Option<&'static str>,
    /// The authentication modes the builder offers, in order of preference when
    /// credentials are read from the environment.
    pub auth_modes: &'static [AuthModeSpec],
    /// Whether a client may be built without credentials, because some
    /// operations need none.
    pub auth_optional: bool,
    /// How to wait for action attempts, for APIs that have them.
    pub action_attempts: Option<&'static ActionAttemptSpec>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl HttpMethod {
    /// The method as HTTP writes it: `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Options => reqwest::Method::OPTIONS,
        }
    }
}

/// One operation of the API, as generated from the spec.
#[derive(Debug)]
pub struct OperationSpec {
    /// A dotted name for messages and logs, for example `client_sessions.create`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path, appended to the endpoint.
    pub path: &'static str,
    /// The ids of the [`AuthModeSpec`]s this operation accepts; empty when it
    /// needs no authentication.
    pub auth_modes: &'static [&'static str],
    /// The field of the response body that holds the resource (`x-response-key`).
    pub response_key: Option<&'static str>,
    /// Whether the operation only reads, so that retrying it is safe.
    pub read_only: bool,
    /// Whether the operation takes no authentication (`security: []`): the
    /// client's credentials are not sent to it.
    pub anonymous: bool,
}

/// What the runtime needs to know to wait for an action attempt. Generated
/// from the codegen configuration.
#[derive(Debug)]
pub struct ActionAttemptSpec {
    /// The response key of operations that return an attempt.
    pub response_key: &'static str,
    /// The operation that reads an attempt by id.
    pub poll: &'static OperationSpec,
    /// The attempt's id property, sent to `poll`.
    pub id_field: &'static str,
    /// The attempt's status property.
    pub status_field: &'static str,
    /// The status of an attempt still running.
    pub pending: &'static str,
    /// The status of a failed attempt.
    pub failed: &'static str,
    /// The property of a failed attempt holding `{type, message}`.
    pub error_field: &'static str,
}
