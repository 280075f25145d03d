//! A decoded response together with its HTTP metadata.

use reqwest::header::HeaderMap;

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
