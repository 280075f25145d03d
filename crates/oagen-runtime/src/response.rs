//! Responses: one as it arrived, before decoding ([`RawResponse`]), and one
//! decoded together with its HTTP metadata ([`ApiResponse`]).
//!
//! This file holds the data and its plain accessors. The methods of
//! [`RawResponse`] that decode its body (`json`, `json_field`, `text`,
//! `unexpected_status`) are in `decode.rs`, with the rest of decoding, so
//! that decoding can name the response without the response naming decoding.

use reqwest::header::HeaderMap;

use crate::spec::OperationSpec;

/// A successful response as it arrived: status, headers and the undecoded
/// body. Generated builders decode it as the spec says for its status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) op: &'static OperationSpec,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, undecoded.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// Wraps a decoded body with this response's metadata.
    pub fn into_response<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body,
        }
    }
}

/// A whole response: status, headers, the request id and the decoded body.
///
/// Returned by the `send_with_response` method of generated request builders,
/// for callers that need more than the resource itself.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The request id header, if the server sent one.
    pub request_id: Option<String>,
    /// The decoded body.
    pub body: T,
}

impl<T> ApiResponse<T> {
    /// The decoded body, dropping the metadata.
    pub fn into_body(self) -> T {
        self.body
    }
}
