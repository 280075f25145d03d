//! [`DecodeError`]: a success response whose body does not match the spec.
//!
//! The whole body is kept, so that nothing the server said is lost (after a
//! mutation, the id of what it created), and never printed: `Display` has a
//! bounded path, message and excerpt, `Debug` the body's length.

use std::fmt;

use super::excerpt::{bounded_str, excerpt, EXCERPT_LIMIT, MESSAGE_LIMIT};

/// A success response whose body does not match the spec.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The request id header, if the server sent one.
    pub request_id: Option<String>,
    /// Where in the body decoding failed, as a JSON path
    /// (`client_session.created_at`), at most [`DecodeError::MESSAGE_LIMIT`] bytes.
    pub path: String,
    /// What the decoder expected, at most [`DecodeError::MESSAGE_LIMIT`]
    /// bytes: a long message (`serde` quotes the value it refused) keeps
    /// its start and its end around `…`.
    pub message: String,
    /// The start of the body, at most [`DecodeError::EXCERPT_LIMIT`] bytes
    /// and `…` when the body is longer.
    pub excerpt: String,
    /// The whole body, as it arrived.
    body: Vec<u8>,
}

impl DecodeError {
    /// The most bytes of a body kept in [`DecodeError::excerpt`] and
    /// [`ApiError::excerpt`](crate::ApiError::excerpt) (before the `…` that
    /// marks a cut).
    pub const EXCERPT_LIMIT: usize = EXCERPT_LIMIT;

    /// The most bytes of [`DecodeError::message`] and [`DecodeError::path`],
    /// and of the message an [`ApiError`](crate::ApiError) displays.
    pub const MESSAGE_LIMIT: usize = MESSAGE_LIMIT;

    /// The error at `path` with the decoder's `message`, both cut to
    /// [`DecodeError::MESSAGE_LIMIT`], keeping `body` whole.
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        request_id: Option<String>,
        path: &str,
        message: String,
        body: Vec<u8>,
    ) -> DecodeError {
        DecodeError {
            operation,
            status,
            request_id,
            path: bounded_str(path),
            message: bounded_str(&message),
            excerpt: excerpt(&body),
            body,
        }
    }

    /// The whole body, as it arrived.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the whole body as `T`: `serde_json::Value` to read what the
    /// spec did not describe (the id of what a call created, say).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: unexpected response body (HTTP {}) at `{}`: {}; body starts with {:?}",
            self.operation, self.status, self.path, self.message, self.excerpt
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {}]", bounded_str(id))?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    /// The fields, with the body by its length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("excerpt", &self.excerpt)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_kept_whole_and_printed_nowhere() {
        let body = format!("{{\"id\": \"{}\"}}", "z".repeat(100_000)).into_bytes();
        let message = format!(
            "invalid type: string \"{}\", expected u32",
            "z".repeat(100_000)
        );
        let e = DecodeError::new("things.create", 200, None, "id", message, body.clone());
        assert_eq!(e.body(), body.as_slice());
        assert!(e.message.len() <= DecodeError::MESSAGE_LIMIT);
        assert!(e.message.ends_with("expected u32"));
        let shown = e.to_string();
        let debug = format!("{e:?}");
        assert!(shown.len() < 2 * DecodeError::MESSAGE_LIMIT + DecodeError::EXCERPT_LIMIT + 200);
        assert!(debug.len() < 2 * DecodeError::MESSAGE_LIMIT + DecodeError::EXCERPT_LIMIT + 300);
        assert!(
            debug.contains(&format!("<{} bytes>", body.len())),
            "{debug}"
        );
        let value: serde_json::Value = e.body_as().unwrap();
        assert_eq!(value["id"].as_str().map(str::len), Some(100_000));
    }
}
