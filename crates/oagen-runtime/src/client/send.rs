//! Sending a [`Request`]: the authentication check, the retry loop around
//! attempts, and one attempt on the wire, in named steps (the headers, the
//! body, the exchange, the outcome of the status).
//!
//! Read-only operations are retried after a connection error, a timeout,
//! HTTP 429 or a 5xx, as the client's [`RetryPolicy`](crate::RetryPolicy)
//! says. Other operations are retried only after an error that proves the
//! request never left: a failure to connect (refused, DNS, TLS handshake).
//! An error status becomes [`Error::Api`] through the envelope reader of
//! `decode.rs`, and a transport failure [`Error::Transport`] or
//! [`Error::Timeout`], never with a URL that could hold a query credential.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, COOKIE};
use tracing::Instrument;

use super::Client;
use crate::auth::Credentials;
use crate::decode::api_error;
use crate::error::Error;
use crate::request::{Part, Payload, Request};
use crate::response::RawResponse;
use crate::spec::OperationSpec;

impl Client {
    /// Sends a request built by a generated request builder, retried as the
    /// [`RetryPolicy`](crate::RetryPolicy) says: a read-only operation after
    /// any failure worth retrying, another only when nothing was sent.
    /// Returns the response of a success status; an error status is
    /// [`Error::Api`].
    ///
    /// The call is one `tracing` span, `http.client.request`, at `INFO`,
    /// with OpenTelemetry's HTTP client attributes where they apply:
    /// `otel.name` (`POST /locks/get`), `otel.kind`, `operation.id`,
    /// `http.request.method`, `http.route`, `url.path` (never the query, which may hold a
    /// credential), `http.request.resend_count`, `http.response.status_code`,
    /// `request.id` (the server's), `duration_ms` and, on failure,
    /// `error.type`; retries are `DEBUG` events inside it.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let op = request.op;
        let method = op.method.as_str();
        let span = tracing::info_span!(
            "http.client.request",
            otel.name = %format_args!("{method} {}", op.path),
            otel.kind = "client",
            operation.id = op.id,
            http.request.method = method,
            url.path = %request.path,
            http.route = op.path,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            request.id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            error.type = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.send_retrying(request).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(raw) => {
                span.record("http.response.status_code", raw.status);
                if let Some(id) = &raw.request_id {
                    span.record("request.id", id.as_str());
                }
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("http.response.status_code", status);
                }
                if let Some(id) = error.request_id() {
                    span.record("request.id", id);
                }
                span.record("error.type", error.kind_name());
            }
        }
        result
    }

    /// [`Self::send`]'s work, inside its span.
    async fn send_retrying(&self, request: Request) -> Result<RawResponse, Error> {
        let op = request.op;
        if let Some(problem) = &self.inner.invalid_header {
            return Err(Error::config(format!(
                "{}: {problem}; nothing was sent",
                op.id
            )));
        }
        self.check_auth(op)?;
        let policy = self.inner.retry;
        let mut retry = 0;
        loop {
            let (error, retry_after, unsent) = match self.send_once(&request).await {
                Ok(raw) => return Ok(raw),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retryable {
                    error,
                    retry_after,
                    unsent,
                }) => (error, retry_after, unsent),
            };
            // Sending a mutation twice could do it twice; only a request that
            // provably never left may go again.
            if !(op.read_only || unsent) || retry >= policy.max_retries {
                return Err(error);
            }
            retry += 1;
            tracing::Span::current().record("http.request.resend_count", retry);
            let delay = policy.delay(retry, retry_after);
            tracing::debug!(
                operation = op.id,
                retry,
                unsent,
                delay_ms = delay.as_millis() as u64,
                %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Refuses, before anything is sent, an operation that needs an
    /// authentication mode the client does not have, naming the modes it accepts.
    fn check_auth(&self, op: &'static OperationSpec) -> Result<(), Error> {
        if op.auth_modes.is_empty() {
            return Ok(());
        }
        let mode = self.inner.credentials.as_ref().map(|c| c.mode);
        if mode.is_some_and(|m| op.auth_modes.contains(&m.id)) {
            return Ok(());
        }
        let accepted = op
            .auth_modes
            .iter()
            .filter_map(|id| self.inner.spec.auth_modes.iter().find(|m| m.id == *id))
            .map(|m| format!("{} (`.{}()`)", m.label, m.method))
            .collect::<Vec<_>>()
            .join(", ");
        Err(Error::config(match mode {
            Some(mode) => format!(
                "{}: this operation does not accept {} authentication; it accepts: {accepted}. Nothing was sent.",
                op.id, mode.label
            ),
            None => format!(
                "{}: this operation needs authentication and the client has none; build it with one of: {accepted}. Nothing was sent.",
                op.id
            ),
        }))
    }

    /// One attempt: builds the HTTP request, exchanges it for a response and
    /// tells a success from a failure worth retrying.
    async fn send_once(&self, req: &Request) -> Result<RawResponse, Attempt> {
        // Errors and logs name the URL without its query, which may hold credentials.
        let url = format!("{}{}", self.inner.endpoint, req.path);
        let request = self.http_request(req, &url).map_err(Attempt::Final)?;
        let raw = self.exchange(req.op, &url, request).await?;
        outcome(raw)
    }

    /// The `reqwest` request for `req` at `url`: the headers, the body, and
    /// the query with the credentials that go there (for an operation that
    /// takes authentication).
    fn http_request(&self, req: &Request, url: &str) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &*self.inner;
        let op = req.op;
        let full_url = if req.query.is_empty() {
            url.to_owned()
        } else {
            format!("{url}?{}", req.query)
        };
        let credentials = inner.credentials.as_ref().filter(|_| !op.anonymous);
        let headers = self.headers(req, credentials)?;
        let mut request = inner
            .http
            .request(op.method.to_reqwest(), &full_url)
            .headers(headers);
        if let Some(timeout) = inner.timeout {
            request = request.timeout(timeout);
        }
        let mut request = with_payload(request, req)?;
        let query: Vec<(&str, &str)> = credentials
            .into_iter()
            .flat_map(Credentials::query)
            .collect();
        if !query.is_empty() {
            request = request.query(&query);
        }
        Ok(request)
    }

    /// The headers of one request: the client's, then the credentials', then
    /// the request's own (which replace the client's, such as `Accept`), and
    /// the request's cookies after any cookie credential.
    fn headers(
        &self,
        req: &Request,
        credentials: Option<&Credentials>,
    ) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.headers.clone();
        for (name, value) in credentials.iter().flat_map(|c| c.headers()) {
            headers.insert(name.clone(), value.clone());
        }
        for name in req.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &req.headers {
            headers.append(name.clone(), value.clone());
        }
        if !req.cookies.is_empty() {
            let mut cookies = req.cookies.join("; ");
            if let Some(existing) = headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                cookies = format!("{existing}; {cookies}");
            }
            let Ok(mut value) = HeaderValue::from_str(&cookies) else {
                return Err(Error::config(format!(
                    "{}: a cookie value cannot be sent in a header",
                    req.op.id
                )));
            };
            // The joined header may hold a cookie credential.
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        Ok(headers)
    }

    /// Sends the request and reads the whole response, logging both ends; a
    /// failure to send or to read the body may pass on a later attempt.
    async fn exchange(
        &self,
        op: &'static OperationSpec,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Attempt> {
        let inner = &*self.inner;
        let started = Instant::now();
        tracing::debug!(operation = op.id, method = ?op.method, %url, "sending request");
        // A failure to connect (refused, DNS, the TLS handshake) happens
        // before hyper is given a connection to write to, so not one byte of
        // the request was sent. (TLS early data, which could send some, is
        // off: reqwest offers it only for HTTP/3.) Any later failure may
        // come after the server got the request.
        let retryable = |e: reqwest::Error| Attempt::Retryable {
            unsent: e.is_connect(),
            error: transport_error(op, url, inner.timeout, e),
            retry_after: None,
        };
        let response = request.send().await.map_err(retryable)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let request_id = inner
            .spec
            .request_id_header
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let limit = inner.max_response_size;
        let body = read_body(op, limit, response, &request_id, &retryable).await?;
        tracing::debug!(
            operation = op.id,
            status,
            request_id = request_id.as_deref().unwrap_or(""),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "received response"
        );
        Ok(RawResponse {
            op,
            status,
            headers,
            request_id,
            body,
        })
    }
}

/// Reads the body as it arrives, up to `limit` bytes. A body larger than
/// that (or announced so by `Content-Length`) is a final error, read no
/// further; a failure to read is `failed`'s.
async fn read_body(
    op: &'static OperationSpec,
    limit: u64,
    mut response: reqwest::Response,
    request_id: &Option<String>,
    failed: &(dyn Fn(reqwest::Error) -> Attempt + Sync),
) -> Result<Vec<u8>, Attempt> {
    let status = response.status().as_u16();
    let too_large = || {
        Attempt::Final(Error::ResponseTooLarge {
            operation: op.id,
            status,
            limit,
            request_id: request_id.clone(),
        })
    };
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let capacity = announced.unwrap_or(0).min(limit).min(1 << 20);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (body.len() + chunk.len()) as u64 > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(failed(e)),
        }
    }
}

/// Adds the body of `req`, if it has one, to `request`: bytes with their
/// media type, or a multipart form built afresh for each attempt.
fn with_payload(
    request: reqwest::RequestBuilder,
    req: &Request,
) -> Result<reqwest::RequestBuilder, Error> {
    Ok(match &req.payload {
        None => request,
        Some(Payload::Bytes { content_type, data }) => request
            .header(CONTENT_TYPE, content_type.as_str())
            .body(data.clone()),
        Some(Payload::Multipart(parts)) => request.multipart(multipart_form(req.op, parts)?),
    })
}

/// The multipart form of `parts`; a part's media type that is not one is a
/// configuration error, found before anything is sent.
fn multipart_form(
    op: &'static OperationSpec,
    parts: &[Part],
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let mut p = reqwest::multipart::Part::bytes(part.data.clone());
        if let Some(name) = &part.file_name {
            p = p.file_name(name.clone());
        }
        if let Some(media) = &part.content_type {
            p = p
                .mime_str(media)
                .map_err(|_| Error::config(format!("{}: `{media}` is not a media type", op.id)))?;
        }
        form = form.part(part.name.clone(), p);
    }
    Ok(form)
}

/// The response of a success status, or the error of an error status:
/// retryable for 429 and 5xx (with the server's `Retry-After`), final otherwise.
fn outcome(raw: RawResponse) -> Result<RawResponse, Attempt> {
    let op = raw.op;
    let status = raw.status;
    if (200..300).contains(&status) {
        return Ok(raw);
    }
    if status == 429 || status >= 500 {
        let retry_after = retry_after(&raw.headers);
        Err(Attempt::Retryable {
            error: api_error(op, raw),
            retry_after,
            unsent: false,
        })
    } else {
        Err(Attempt::Final(api_error(op, raw)))
    }
}

/// How one attempt failed.
enum Attempt {
    /// It may succeed if tried again: a connection error, a timeout, 429 or a
    /// 5xx, with the server's `Retry-After` if it sent one.
    Retryable {
        error: Error,
        retry_after: Option<Duration>,
        /// Whether the request provably never left (the connection failed),
        /// so that even an operation that changes something may be retried.
        unsent: bool,
    },
    /// Trying again would not help.
    Final(Error),
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// A timeout as [`Error::Timeout`], anything else as [`Error::Transport`]
/// with the URL taken out of `reqwest`'s error (it would show the query).
fn transport_error(
    op: &'static OperationSpec,
    url: &str,
    timeout: Option<Duration>,
    e: reqwest::Error,
) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            operation: op.id,
            after: timeout,
        }
    } else {
        Error::Transport {
            operation: op.id,
            url: url.to_owned(),
            source: e.without_url(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(reqwest::header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        let date = httpdate::fmt_http_date(later);
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(&date).unwrap(),
        );
        let parsed = retry_after(&headers).unwrap();
        assert!(parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_static("soon"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
