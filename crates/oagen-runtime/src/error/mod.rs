//! The one error type of a generated client, [`Error`], and its details,
//! one file each:
//!
//! - `api.rs`: [`ApiError`], an error status and what the server said;
//! - `invalid_input.rs`: [`ValidationErrors`], the server's validation
//!   messages per parameter;
//! - `decode.rs`: [`DecodeError`], a success body that does not match the spec;
//! - `attempts.rs`: [`ActionAttemptFailure`] and [`ActionAttemptTimeout`],
//!   with the attempt typed;
//! - `excerpt.rs`: the bounds on what any of them prints of a response.
//!
//! No error prints a whole body or a credential: bodies are kept whole, by
//! a method, and printed as bounded excerpts.

use std::any::Any;
use std::fmt;
use std::time::Duration;

mod api;
mod attempts;
mod decode;
mod excerpt;
mod invalid_input;

pub use api::ApiError;
pub(crate) use attempts::LastRead;
pub use attempts::{ActionAttemptFailure, ActionAttemptTimeout};
pub use decode::DecodeError;
pub(crate) use excerpt::{bounded, excerpt};
pub use invalid_input::ValidationErrors;

/// Everything that can go wrong when building a client or calling an operation.
///
/// Match on the variant to tell apart what happened; the accessors
/// [`status`](Error::status), [`code`](Error::code) and
/// [`request_id`](Error::request_id) give the details most callers need without
/// matching. No variant ever holds a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client is set up in a way that cannot work: no credentials, two
    /// authentication modes at once, a malformed endpoint, or an operation that
    /// does not accept the client's authentication mode. Nothing was sent.
    #[error("{message}")]
    Config {
        /// What is wrong and what to do about it.
        message: String,
    },
    /// A client-side check of the request failed, so nothing was sent.
    #[error("{operation}: invalid request, nothing was sent: {}", display_violations(.violations))]
    Validation {
        /// The operation, for example `client_sessions.create`.
        operation: &'static str,
        /// Every check that failed.
        violations: Vec<Violation>,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be sent or the response could not be read.
    /// `source.is_connect()` tells that the connection failed (refused, a
    /// DNS or TLS failure) and nothing was sent.
    #[error("{operation}: request to {url} failed: {source}")]
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// The URL, without query string.
        url: String,
        /// The underlying error (its own URL removed, so no query credential leaks).
        #[source]
        source: reqwest::Error,
    },
    /// No complete response arrived within the timeout.
    #[error("{operation}: no response within {}", display_timeout(.after))]
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// The timeout that expired: the builder's, or `None` when it was the
        /// own timeout of the application's HTTP client
        /// ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
        /// without [`timeout`](crate::ClientBuilder::timeout)), which the
        /// client cannot read.
        after: Option<Duration>,
    },
    /// The response body was larger than the client reads
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)):
    /// reading stopped at the limit, or before it when `Content-Length`
    /// announced more.
    #[error("{operation}: the response (HTTP {status}) is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// The request id the server assigned, when it sent one.
        request_id: Option<String>,
    },
    /// The server answered with success, but the body is not what the spec describes.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The action attempt the call started finished with an error.
    #[error(transparent)]
    ActionAttemptFailed(Box<ActionAttemptFailure>),
    /// The action attempt the call started was still pending when the polling
    /// timeout expired. It may still finish; its id is in the attempt.
    #[error(transparent)]
    ActionAttemptTimeout(Box<ActionAttemptTimeout>),
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The variant's name in snake case (`api`, `timeout`): the `error.type`
    /// of the call's `tracing` span.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Error::Config { .. } => "config",
            Error::Validation { .. } => "validation",
            Error::Api(_) => "api",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::Decode(_) => "decode",
            Error::ActionAttemptFailed(_) => "action_attempt_failed",
            Error::ActionAttemptTimeout(_) => "action_attempt_timeout",
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API's machine-readable error code: Seam's `error.type` for
    /// [`Error::Api`], the attempt's error type for [`Error::ActionAttemptFailed`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            Error::ActionAttemptFailed(e) => e.error_type.as_deref(),
            _ => None,
        }
    }

    /// The action attempt as JSON, for [`Error::ActionAttemptFailed`] and
    /// [`Error::ActionAttemptTimeout`].
    pub fn action_attempt(&self) -> Option<&serde_json::Value> {
        match self {
            Error::ActionAttemptFailed(e) => Some(e.attempt_json()),
            Error::ActionAttemptTimeout(e) => Some(e.attempt_json()),
            _ => None,
        }
    }

    /// The action attempt as the crate's action attempt type `T`
    /// (`seam::types::ActionAttempt`, for example), for
    /// [`Error::ActionAttemptFailed`] and [`Error::ActionAttemptTimeout`];
    /// `None` for any other `T` or when the attempt did not decode into it.
    pub fn action_attempt_as<T: Any>(&self) -> Option<&T> {
        match self {
            Error::ActionAttemptFailed(e) => e.attempt(),
            Error::ActionAttemptTimeout(e) => e.attempt(),
            _ => None,
        }
    }

    /// The server's validation messages per parameter, for an
    /// [`Error::Api`] whose envelope has them (Seam's `invalid_input`).
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        match self {
            Error::Api(e) => e.validation_errors(),
            _ => None,
        }
    }

    /// The whole body of the response, for [`Error::Api`] and
    /// [`Error::Decode`]; errors print only a bounded excerpt of it.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(e.body()),
            Error::Decode(e) => Some(e.body()),
            _ => None,
        }
    }

    /// The request id the server assigned (Seam's `seam-request-id` header), when
    /// a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the server refused the credentials (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }
}

/// One failed client-side check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The request field, for example `user_identifier_key`.
    pub field: String,
    /// What is wrong, for example "must be at least 1 character long".
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.message)
    }
}

fn display_timeout(after: &Option<Duration>) -> String {
    match after {
        Some(after) => format!("{after:?}"),
        None => String::from("the HTTP client's own timeout"),
    }
}

fn display_violations(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_read_the_api_error() {
        let mut api = ApiError::new("things.get", 404, Some("req_1".into()), None, Vec::new());
        api.code = Some("thing_not_found".into());
        api.message = Some("Thing not found".into());
        let err = Error::Api(Box::new(api));
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.code(), Some("thing_not_found"));
        assert_eq!(err.request_id(), Some("req_1"));
        assert_eq!(
            err.to_string(),
            "things.get failed with HTTP 404 `thing_not_found`: Thing not found [request id req_1]"
        );
    }

    #[test]
    fn a_timeout_names_the_builders_or_the_http_clients() {
        let builder = Error::Timeout {
            operation: "things.get",
            after: Some(Duration::from_millis(300)),
        };
        assert_eq!(builder.to_string(), "things.get: no response within 300ms");
        let own = Error::Timeout {
            operation: "things.get",
            after: None,
        };
        assert_eq!(
            own.to_string(),
            "things.get: no response within the HTTP client's own timeout"
        );
    }
}
