//! [`ApiError`]: an error status and what the server said with it.
//!
//! The envelope is read in `decode.rs`; this file holds what is kept: the
//! code, message, details, validation errors and the whole body, which is
//! never printed (`Display` shows a bounded excerpt of a body that is not an
//! envelope, `Debug` only the body's length).

use std::fmt;

use super::excerpt::bounded_str;
use super::invalid_input::ValidationErrors;

/// An error response from the server.
///
/// Only a body whose media type is JSON (`application/json` or any `+json`)
/// is read as an error envelope; any other body (an HTML page from a proxy,
/// an empty 503) leaves `code` and `message` empty, is kept whole in
/// [`body`](ApiError::body), and its start is in `excerpt`.
#[derive(Clone, PartialEq)]
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
    /// The body's media type (`content-type` without its parameters, in
    /// lower case), if the server sent one.
    pub content_type: Option<String>,
    /// The `error` object of the envelope as sent (without any stack trace), or
    /// `None` when the body was not a JSON error envelope.
    pub details: Option<serde_json::Value>,
    /// The start of the body when it was not a JSON error envelope, for
    /// example an HTML page from a proxy or an empty 503: at most
    /// [`DecodeError::EXCERPT_LIMIT`](crate::DecodeError::EXCERPT_LIMIT)
    /// bytes, and `…` when the body is longer.
    pub excerpt: Option<String>,
    /// The whole body, as it arrived.
    pub(crate) body: Vec<u8>,
    /// Whether the body's media type is JSON.
    pub(crate) json: bool,
    /// The envelope's `validation_errors`, read per parameter.
    pub(crate) validation_errors: Option<ValidationErrors>,
}

impl ApiError {
    /// An error of `status` with nothing read from its body yet.
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        request_id: Option<String>,
        content_type: Option<String>,
        body: Vec<u8>,
    ) -> ApiError {
        ApiError {
            operation,
            status,
            code: None,
            message: None,
            request_id,
            content_type,
            details: None,
            excerpt: None,
            body,
            json: false,
            validation_errors: None,
        }
    }

    /// The whole body, as it arrived (a JSON envelope keeps any stack trace
    /// here, and only here).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the JSON body as `T`, the type the spec describes for this
    /// status (each operation's documentation lists them). `None` when the
    /// body's media type is not JSON.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        if !self.json {
            return None;
        }
        let mut value: serde_json::Value = match serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(e) => return Some(Err(e)),
        };
        // A stack trace is debugging noise from the server; typed bodies never see it.
        if let Some(serde_json::Value::Object(e)) = value.get_mut("error") {
            e.remove("stack");
        }
        Some(serde_json::from_value(value))
    }

    /// The server's validation messages per parameter, when the envelope has
    /// them (Seam's `invalid_input` errors do).
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        self.validation_errors.as_ref()
    }

    /// The `data` of the envelope's `error` object, when it has one: what
    /// the API adds to some errors beyond the code and message.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()?.get("data")
    }
}

impl fmt::Display for ApiError {
    /// One line: the operation, the status, the code, the message (at most
    /// [`DecodeError::MESSAGE_LIMIT`](crate::DecodeError::MESSAGE_LIMIT)
    /// bytes), the excerpt of a body that is not an envelope, the request id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " `{}`", bounded_str(code))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", bounded_str(message))?;
        }
        if let Some(excerpt) = &self.excerpt {
            match (&self.content_type, excerpt.is_empty()) {
                (_, true) => write!(f, " (empty body)")?,
                (Some(media), false) => write!(
                    f,
                    " (a {} body, not a JSON error envelope: {excerpt:?})",
                    bounded_str(media)
                )?,
                (None, false) => write!(f, " (body is not a JSON error envelope: {excerpt:?})")?,
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {}]", bounded_str(id))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    /// The fields, with the body by its length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("content_type", &self.content_type)
            .field("details", &self.details)
            .field("excerpt", &self.excerpt)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl std::error::Error for ApiError {}
