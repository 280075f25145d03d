//! Escape hatches: a request to any path, for an endpoint the generated
//! methods do not cover yet ([`Client::request`]), and a look at any request
//! before it is sent ([`RequestPreview`]).
//!
//! A generic request goes through everything a generated one does: the
//! client's authentication, headers, timeout and retries (a `GET` is retried
//! like a read-only operation; other methods only when nothing was sent), and
//! the same mapping of failures onto [`Error`]. Its query parameters are
//! written as Seam's SDKs write them (`search_params.rs`).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Client;
use crate::decode::{decode, decode_body, take_field};
use crate::error::Error;
use crate::request::{Payload, Request};
use crate::response::ApiResponse;
use crate::search_params;
use crate::spec::{HttpMethod, OperationSpec};

/// What a request will send, shown before it is: from a generated request
/// builder's `preview()` or [`GenericRequest::preview`]. Credentials are not
/// part of it (neither headers nor query parameters), so it can be logged.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestPreview {
    /// The operation (`devices.list`), or `request` for a generic request.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path, parameters substituted, without the query.
    pub path: String,
    /// The whole URL: endpoint, path and query (without credentials).
    pub url: String,
    /// The body as JSON, for a JSON body (`None` without a body, or for
    /// another media type: see `content_type`).
    pub body: Option<serde_json::Value>,
    /// The media type of the body, if there is one.
    pub content_type: Option<String>,
    /// The field of the response that the call returns (`x-response-key`).
    pub response_key: Option<&'static str>,
}

/// The descriptions of generic requests, one per method: no authentication
/// check (the client's credentials are sent as they are), retried when the
/// method only reads.
static GENERIC: [OperationSpec; 7] = [
    generic(HttpMethod::Get, true),
    generic(HttpMethod::Post, false),
    generic(HttpMethod::Put, false),
    generic(HttpMethod::Patch, false),
    generic(HttpMethod::Delete, false),
    generic(HttpMethod::Head, true),
    generic(HttpMethod::Options, true),
];

const fn generic(method: HttpMethod, read_only: bool) -> OperationSpec {
    OperationSpec {
        id: "request",
        method,
        path: "",
        auth_modes: &[],
        response_key: None,
        read_only,
        anonymous: false,
    }
}

fn generic_spec(method: HttpMethod) -> &'static OperationSpec {
    let index = match method {
        HttpMethod::Get => 0,
        HttpMethod::Post => 1,
        HttpMethod::Put => 2,
        HttpMethod::Patch => 3,
        HttpMethod::Delete => 4,
        HttpMethod::Head => 5,
        HttpMethod::Options => 6,
    };
    &GENERIC[index]
}

/// A request to any path of the API, built with [`Client::request`].
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct GenericRequest {
    client: Client,
    method: HttpMethod,
    path: String,
    query: Option<serde_json::Value>,
    body: Option<serde_json::Value>,
    response_key: Option<&'static str>,
    /// The first thing that went wrong while building, reported on sending.
    invalid: Option<String>,
}

impl Client {
    /// A request to `path` (below the endpoint, starting with `/`) with this
    /// client's authentication, headers, timeout, retries and error mapping.
    pub fn request(&self, method: HttpMethod, path: impl Into<String>) -> GenericRequest {
        GenericRequest {
            client: self.clone(),
            method,
            path: path.into(),
            query: None,
            body: None,
            response_key: None,
            invalid: None,
        }
    }

    /// The preview of a JSON request to `op` (the fast path of generated
    /// builders).
    pub fn preview<B: Serialize + ?Sized>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<RequestPreview, Error> {
        self.preview_request(&Request::with_json(op, body)?)
    }

    /// The preview of a request built by a generated builder.
    pub fn preview_request(&self, request: &Request) -> Result<RequestPreview, Error> {
        let (body, content_type) = match &request.payload {
            Some(Payload::Bytes { content_type, data }) => {
                let json = is_json(content_type)
                    .then(|| serde_json::from_slice(data).ok())
                    .flatten();
                (json, Some(content_type.clone()))
            }
            Some(Payload::Multipart(_)) => (None, Some("multipart/form-data".to_owned())),
            None => (None, None),
        };
        let mut url = format!("{}{}", self.endpoint(), request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&request.query);
        }
        Ok(RequestPreview {
            operation: request.op.id,
            method: request.op.method,
            path: request.path.clone(),
            url,
            body,
            content_type,
            response_key: request.op.response_key,
        })
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

impl GenericRequest {
    /// Sets the query parameters: an object (a struct, a map, `json!({...})`),
    /// written as Seam's SDKs write them: arrays as repeated keys, nested
    /// objects as dot paths, `null` as an empty value.
    pub fn query(mut self, params: impl Serialize) -> Self {
        match serde_json::to_value(params) {
            Ok(value) => self.query = Some(value),
            Err(e) => self.fail(format!("cannot serialize the query parameters: {e}")),
        }
        self
    }

    /// Sets the body, sent as JSON.
    pub fn json(mut self, body: impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(e) => self.fail(format!("cannot serialize the body: {e}")),
        }
        self
    }

    /// Adds a header to this request only.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.client = self.client.with_header(name, value);
        self
    }

    /// Returns only this field of the response (Seam's resources come under
    /// a key: `device`, `devices`), as generated methods do.
    pub fn response_key(mut self, key: &'static str) -> Self {
        self.response_key = Some(key);
        self
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// The request as it would be sent.
    fn build(&self) -> Result<Request, Error> {
        if let Some(message) = &self.invalid {
            return Err(Error::config(format!("request {}: {message}", self.path)));
        }
        if !self.path.starts_with('/') {
            return Err(Error::config(format!(
                "request `{}`: the path must start with `/`",
                self.path
            )));
        }
        let op = generic_spec(self.method);
        let mut request = Request::with_json(op, self.body.as_ref())?;
        request.path.clone_from(&self.path);
        if let Some(query) = &self.query {
            request.query = search_params::serialize(query)
                .map_err(|e| Error::config(format!("request {}: {e}", self.path)))?;
        }
        Ok(request)
    }

    /// What the request will send.
    pub fn preview(&self) -> Result<RequestPreview, Error> {
        let mut preview = self.client.preview_request(&self.build()?)?;
        preview.response_key = self.response_key;
        Ok(preview)
    }

    /// Sends the request and decodes the response (or its
    /// [`response_key`](Self::response_key) field) as `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        let request = self.build()?;
        let op = request.op;
        let raw = self.client.send(request).await?;
        match self.response_key {
            Some(key) => {
                let value = take_field(op, &raw, key)?;
                decode(op, &raw, value, key)
            }
            None => decode_body(op, &raw),
        }
    }

    /// Sends the request and returns the response body as JSON.
    pub async fn send_json(self) -> Result<serde_json::Value, Error> {
        self.send().await
    }

    /// Sends the request and returns the whole response: status, headers,
    /// request id and the body decoded as `T`.
    pub async fn send_with_response<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        let request = self.build()?;
        let op = request.op;
        let raw = self.client.send(request).await?;
        let body = decode_body(op, &raw)?;
        Ok(raw.into_response(body))
    }
}
