//! The one error type of a generated client.

use std::fmt;
use std::time::Duration;

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
    #[error("{operation}: no response within {after:?}")]
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// The timeout that expired.
        after: Duration,
    },
    /// The server answered with success, but the body is not what the spec describes.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The action attempt the call started finished with an error.
    #[error(transparent)]
    ActionAttemptFailed(Box<ActionAttemptFailure>),
    /// The action attempt the call started was still pending when the polling
    /// timeout expired. It may still finish; its id is in `attempt`.
    #[error("{operation}: the action attempt was still pending after {after:?}")]
    ActionAttemptTimeout {
        /// The operation that was called.
        operation: &'static str,
        /// The polling timeout.
        after: Duration,
        /// The attempt as last read.
        attempt: Box<serde_json::Value>,
    },
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
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

    /// The action attempt, for [`Error::ActionAttemptFailed`] and
    /// [`Error::ActionAttemptTimeout`]. Decode it into the crate's action
    /// attempt type with `serde_json::from_value`.
    pub fn action_attempt(&self) -> Option<&serde_json::Value> {
        match self {
            Error::ActionAttemptFailed(e) => Some(&e.attempt),
            Error::ActionAttemptTimeout { attempt, .. } => Some(attempt),
            _ => None,
        }
    }

    /// The request id the server assigned (Seam's `seam-request-id` header), when
    /// a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
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

fn display_violations(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An error response from the server.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The machine-readable code (`error.type` in Seam's envelope), if the body had one.
    pub code: Option<String>,
    /// The human-readable message, if the body had one.
    pub message: Option<String>,
    /// The request id header, if the server sent one.
    pub request_id: Option<String>,
    /// The `error` object of the envelope as sent (without any stack trace), or
    /// `None` when the body was not a JSON error envelope.
    pub details: Option<serde_json::Value>,
    /// The start of the body when it was not a JSON error envelope, for example
    /// an HTML page from a proxy or an empty 503.
    pub excerpt: Option<String>,
    /// The whole body, when it was JSON. [`ApiError::body_as`] decodes it into
    /// the error type the spec gives for the status.
    pub body: Option<serde_json::Value>,
}

impl ApiError {
    /// Decodes the JSON body as `T`, the type the spec describes for this
    /// status (each operation's documentation lists them). `None` when the
    /// body was not JSON.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.body.clone().map(serde_json::from_value)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " `{code}`")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(excerpt) = &self.excerpt {
            if excerpt.is_empty() {
                write!(f, " (empty body)")?;
            } else {
                write!(f, " (body is not a JSON error envelope: {excerpt:?})")?;
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// An action attempt that finished with an error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActionAttemptFailure {
    /// The operation that started it.
    pub operation: &'static str,
    /// The error's type, for example `device_offline`.
    pub error_type: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// The attempt as last read.
    pub attempt: serde_json::Value,
}

impl fmt::Display for ActionAttemptFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the action attempt failed", self.operation)?;
        if let Some(kind) = &self.error_type {
            write!(f, " `{kind}`")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ActionAttemptFailure {}

/// A success response whose body does not match the spec.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The request id header, if the server sent one.
    pub request_id: Option<String>,
    /// Where in the body decoding failed, as a JSON path (`client_session.created_at`).
    pub path: String,
    /// What the decoder expected.
    pub message: String,
    /// The start of the body, at most [`DecodeError::EXCERPT_LIMIT`] bytes.
    pub excerpt: String,
}

impl DecodeError {
    /// The most bytes of a body kept in [`DecodeError::excerpt`] and [`ApiError::excerpt`].
    pub const EXCERPT_LIMIT: usize = 512;
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: unexpected response body (HTTP {}) at `{}`: {}; body starts with {:?}",
            self.operation, self.status, self.path, self.message, self.excerpt
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// The first [`DecodeError::EXCERPT_LIMIT`] bytes of `body`, cut at a character
/// boundary, with invalid UTF-8 replaced.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= DecodeError::EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut end = DecodeError::EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(400);
        let e = excerpt(body.as_bytes());
        assert!(e.len() <= DecodeError::EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn accessors_read_the_api_error() {
        let err = Error::Api(Box::new(ApiError {
            operation: "things.get",
            status: 404,
            code: Some("thing_not_found".into()),
            message: Some("Thing not found".into()),
            request_id: Some("req_1".into()),
            details: None,
            excerpt: None,
            body: None,
        }));
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.code(), Some("thing_not_found"));
        assert_eq!(err.request_id(), Some("req_1"));
        assert_eq!(
            err.to_string(),
            "things.get failed with HTTP 404 `thing_not_found`: Thing not found [request id req_1]"
        );
    }
}
