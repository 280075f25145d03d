//! The client: configuration, request execution and response decoding.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::{AuthModeSpec, Credentials};
use crate::error::excerpt;
use crate::policy::{ActionAttemptPolling, ActionAttemptSpec, RetryPolicy};
use crate::request::{Payload, RawResponse, Request};
use crate::{ApiError, ApiResponse, DecodeError, Error};

/// The timeout of one request when the builder sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
    fn to_reqwest(self) -> reqwest::Method {
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

/// Configures and builds a [`Client`].
pub struct ClientBuilder {
    spec: &'static ClientSpec,
    endpoint: Option<String>,
    modes: Vec<(&'static AuthModeSpec, Vec<SecretString>)>,
    unknown_mode: Option<&'static str>,
    timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    polling: ActionAttemptPolling,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.spec.name)
            .field("endpoint", &self.endpoint)
            .field(
                "auth",
                &self.modes.iter().map(|(m, _)| m.id).collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for the API that `spec` describes.
    pub fn new(spec: &'static ClientSpec) -> Self {
        ClientBuilder {
            spec,
            endpoint: None,
            modes: Vec::new(),
            unknown_mode: None,
            timeout: DEFAULT_TIMEOUT,
            http: None,
            retry: RetryPolicy::default(),
            polling: ActionAttemptPolling::default(),
        }
    }

    /// Sets how read-only operations are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets how calls wait for action attempts (default:
    /// [`ActionAttemptPolling::default`]); each call can override it.
    pub fn action_attempt_polling(mut self, polling: ActionAttemptPolling) -> Self {
        self.polling = polling;
        self
    }

    /// Sets the base URL.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Selects the authentication mode `mode_id` with its credentials, in the
    /// order of [`AuthModeSpec::credentials`].
    pub fn auth(mut self, mode_id: &'static str, credentials: Vec<String>) -> Self {
        match self.spec.auth_modes.iter().find(|m| m.id == mode_id) {
            Some(mode) => self.modes.push((
                mode,
                credentials.into_iter().map(SecretString::from).collect(),
            )),
            None => self.unknown_mode = Some(mode_id),
        }
        self
    }

    /// Sets the timeout of each request (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses this `reqwest` client, for custom TLS, proxies or connection pools.
    /// The user agent and timeout of this builder still apply per request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let spec = self.spec;
        if let Some(id) = self.unknown_mode {
            return Err(Error::config(format!(
                "{}: unknown authentication mode `{id}`",
                spec.name
            )));
        }
        let endpoint = self.endpoint_url()?;
        let credentials = match self.modes.len() {
            0 => match from_env(spec) {
                Ok(credentials) => Some(credentials),
                Err(_) if spec.auth_optional => None,
                Err(e) => return Err(e),
            },
            1 => {
                let (mode, values) = self.modes.into_iter().next().expect("one mode");
                Some(Credentials::new(mode, values, spec.auth_modes)?)
            }
            _ => {
                let chosen = self
                    .modes
                    .iter()
                    .map(|(m, _)| format!("`.{}()`", m.method))
                    .collect::<Vec<_>>()
                    .join(" and ");
                return Err(Error::config(format!(
                    "{}: the builder was given {chosen}; choose exactly one authentication mode",
                    spec.name
                )));
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(spec.user_agent)
                .build()
                .map_err(|e| {
                    Error::config(format!("{}: cannot create the HTTP client: {e}", spec.name))
                })?,
        };
        let mut headers = HeaderMap::new();
        for (name, value) in spec.static_headers {
            let invalid =
                || Error::config(format!("{}: invalid static header `{name}`", spec.name));
            headers.insert(
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?,
                HeaderValue::from_str(value).map_err(|_| invalid())?,
            );
        }
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Ok(agent) = HeaderValue::from_str(spec.user_agent) {
            headers.insert(reqwest::header::USER_AGENT, agent);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                spec,
                endpoint,
                credentials,
                headers,
                timeout: self.timeout,
                http,
                retry: self.retry,
                polling: self.polling,
            }),
        })
    }

    fn endpoint_url(&self) -> Result<String, Error> {
        let spec = self.spec;
        let (raw, source) = match (&self.endpoint, spec.endpoint_env) {
            (Some(e), _) => (e.clone(), "the builder's `.endpoint()`".to_owned()),
            (None, Some(var)) => match std::env::var(var) {
                Ok(e) if !e.trim().is_empty() => (e, format!("the environment variable {var}")),
                _ => (spec.default_endpoint.to_owned(), "the default".to_owned()),
            },
            (None, None) => (spec.default_endpoint.to_owned(), "the default".to_owned()),
        };
        let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
            Error::config(format!(
                "{}: the endpoint from {source} is not a valid URL ({e}): {raw:?}",
                spec.name
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "{}: the endpoint from {source} must be an http or https URL: {raw:?}",
                spec.name
            )));
        }
        Ok(url.as_str().trim_end_matches('/').to_owned())
    }
}

/// With no mode chosen on the builder, the first mode whose every credential
/// has an environment variable that is set.
fn from_env(spec: &'static ClientSpec) -> Result<Credentials, Error> {
    for mode in spec.auth_modes {
        if mode.credentials.is_empty() || mode.credentials.iter().any(|c| c.env.is_none()) {
            continue;
        }
        let values: Option<Vec<SecretString>> = mode
            .credentials
            .iter()
            .map(|c| {
                std::env::var(c.env?)
                    .ok()
                    .filter(|v| !v.trim().is_empty())
                    .map(SecretString::from)
            })
            .collect();
        if let Some(values) = values {
            return Credentials::new(mode, values, spec.auth_modes);
        }
    }
    let methods = spec
        .auth_modes
        .iter()
        .map(|m| format!("`.{}()`", m.method))
        .collect::<Vec<_>>()
        .join(", ");
    let vars = spec
        .auth_modes
        .iter()
        .filter(|m| !m.credentials.is_empty() && m.credentials.iter().all(|c| c.env.is_some()))
        .map(|m| {
            m.credentials
                .iter()
                .filter_map(|c| c.env)
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>();
    let env_hint = if vars.is_empty() {
        String::new()
    } else {
        format!(", or set {}", vars.join(", or "))
    };
    Err(Error::config(format!(
        "{}: no credentials; call one of {methods} on the builder{env_hint}",
        spec.name
    )))
}

/// A configured client. Cheap to clone: clones share one connection pool.
///
/// `Debug` shows the endpoint and the authentication mode, never a credential.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    spec: &'static ClientSpec,
    endpoint: String,
    credentials: Option<Credentials>,
    /// Sent with every request; the credentials' headers are added per
    /// operation (not to those that take no authentication).
    headers: HeaderMap,
    timeout: Duration,
    http: reqwest::Client,
    retry: RetryPolicy,
    polling: ActionAttemptPolling,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(self.inner.spec.name)
            .field("endpoint", &self.inner.endpoint)
            .field("auth", &self.auth_mode())
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The id of the authentication mode the client uses, if it has credentials.
    pub fn auth_mode(&self) -> Option<&'static str> {
        self.inner.credentials.as_ref().map(|c| c.mode.id)
    }

    /// Sends `body` as JSON to `op` and decodes the whole response body as `T`.
    pub async fn execute<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<ApiResponse<T>, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(json_request(op, body)?).await?;
        let body = decode_body(op, &raw)?;
        Ok(raw.into_response(body))
    }

    /// Sends `body` as JSON to `op` and decodes only the field named by the
    /// operation's response key (the whole body when it has none). Other
    /// envelope fields are not decoded, so their absence cannot fail the call.
    pub async fn execute_unwrapped<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(json_request(op, body)?).await?;
        let Some(key) = op.response_key else {
            return decode_body(op, &raw);
        };
        let value = take_field(op, &raw, key)?;
        decode(op, &raw, value, key)
    }

    /// Like [`execute_unwrapped`](Self::execute_unwrapped), for an operation
    /// that starts an action attempt: waits for the attempt to finish as
    /// `polling` says, or the client's policy when `None`.
    pub async fn execute_action<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
        polling: Option<ActionAttemptPolling>,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(json_request(op, body)?).await?;
        let key = op.response_key.unwrap_or("action_attempt");
        let mut attempt = take_field(op, &raw, key)?;
        let polling = polling.unwrap_or(self.inner.polling);
        if let (true, Some(spec)) = (polling.enabled, self.inner.spec.action_attempts) {
            attempt = self.wait_for(op, spec, attempt, polling).await?;
        }
        decode(op, &raw, attempt, key)
    }

    /// Polls an action attempt until it is no longer pending.
    async fn wait_for(
        &self,
        op: &'static OperationSpec,
        spec: &'static ActionAttemptSpec,
        mut attempt: serde_json::Value,
        polling: ActionAttemptPolling,
    ) -> Result<serde_json::Value, Error> {
        let started = Instant::now();
        loop {
            let status = attempt
                .get(spec.status_field)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            if status == spec.failed {
                let error = attempt.get(spec.error_field);
                let text = |key: &str| {
                    error
                        .and_then(|e| e.get(key))
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned)
                };
                return Err(Error::ActionAttemptFailed(Box::new(
                    crate::ActionAttemptFailure {
                        operation: op.id,
                        error_type: text("type"),
                        message: text("message"),
                        attempt,
                    },
                )));
            }
            if status != spec.pending {
                return Ok(attempt);
            }
            let elapsed = started.elapsed();
            if elapsed >= polling.timeout {
                return Err(Error::ActionAttemptTimeout {
                    operation: op.id,
                    after: polling.timeout,
                    attempt: Box::new(attempt),
                });
            }
            tokio::time::sleep(polling.interval.min(polling.timeout - elapsed)).await;
            let id = attempt.get(spec.id_field).cloned().unwrap_or_default();
            let body = serde_json::json!({ spec.id_field: id });
            let raw = self.send(json_request(spec.poll, Some(&body))?).await?;
            attempt = take_field(spec.poll, &raw, spec.response_key)?;
        }
    }

    /// One page of a paginated operation.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        op: &'static OperationSpec,
        spec: &'static crate::PaginationSpec,
        body: &serde_json::Value,
    ) -> Result<crate::Page<T>, Error> {
        let raw = self.send(json_request(op, Some(body))?).await?;
        let key = op.response_key.unwrap_or("data");
        let mut envelope = decode_body(op, &raw)?;
        let items = decode(op, &raw, remove_field(op, &raw, &mut envelope, key)?, key)?;
        let pagination = remove_field(op, &raw, &mut envelope, spec.pagination_field)?;
        let has_next = pagination
            .get(spec.has_next_field)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        let next_page_cursor = pagination
            .get(spec.next_cursor_field)
            .and_then(serde_json::Value::as_str)
            .filter(|_| has_next)
            .map(str::to_owned);
        Ok(crate::Page {
            items,
            next_page_cursor,
        })
    }

    /// Sends `body` as JSON to `op` and ignores the response body.
    pub async fn execute_discard<B>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<(), Error>
    where
        B: Serialize + ?Sized,
    {
        self.send(json_request(op, body)?).await.map(drop)
    }

    /// Sends a request built by a generated request builder; read-only
    /// operations are retried as the [`RetryPolicy`] says. Returns the
    /// response of a success status; an error status is [`Error::Api`].
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let op = request.op;
        self.check_auth(op)?;
        let policy = self.inner.retry;
        let mut retry = 0;
        loop {
            let (error, retry_after) = match self.send_once(&request).await {
                Ok(raw) => return Ok(raw),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retryable { error, retry_after }) => (error, retry_after),
            };
            if !op.read_only || retry >= policy.max_retries {
                return Err(error);
            }
            retry += 1;
            let delay = policy.delay(retry, retry_after);
            tracing::debug!(
                operation = op.id,
                retry,
                delay_ms = delay.as_millis() as u64,
                %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    async fn send_once(&self, req: &Request) -> Result<RawResponse, Attempt> {
        let inner = &*self.inner;
        let op = req.op;
        // Errors and logs name the URL without its query, which may hold credentials.
        let url = format!("{}{}", inner.endpoint, req.path);
        let full_url = if req.query.is_empty() {
            url.clone()
        } else {
            format!("{url}?{}", req.query)
        };
        let mut headers = inner.headers.clone();
        let credentials = inner.credentials.as_ref().filter(|_| !op.anonymous);
        for (name, value) in credentials.iter().flat_map(|c| c.headers()) {
            headers.insert(name.clone(), value.clone());
        }
        // The request's own headers replace the client's (`Accept`).
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
            match HeaderValue::from_str(&cookies) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    headers.insert(COOKIE, value);
                }
                Err(_) => {
                    return Err(Attempt::Final(Error::config(format!(
                        "{}: a cookie value cannot be sent in a header",
                        op.id
                    ))))
                }
            }
        }
        let mut request = inner
            .http
            .request(op.method.to_reqwest(), &full_url)
            .headers(headers)
            .timeout(inner.timeout);
        match &req.payload {
            None => {}
            Some(Payload::Bytes { content_type, data }) => {
                request = request
                    .header(CONTENT_TYPE, content_type.as_str())
                    .body(data.clone());
            }
            Some(Payload::Multipart(parts)) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    let mut p = reqwest::multipart::Part::bytes(part.data.clone());
                    if let Some(name) = &part.file_name {
                        p = p.file_name(name.clone());
                    }
                    if let Some(media) = &part.content_type {
                        p = p.mime_str(media).map_err(|_| {
                            Attempt::Final(Error::config(format!(
                                "{}: `{media}` is not a media type",
                                op.id
                            )))
                        })?;
                    }
                    form = form.part(part.name.clone(), p);
                }
                request = request.multipart(form);
            }
        }
        let query: Vec<(&str, &str)> = credentials
            .into_iter()
            .flat_map(Credentials::query)
            .collect();
        if !query.is_empty() {
            request = request.query(&query);
        }

        let started = Instant::now();
        tracing::debug!(operation = op.id, method = ?op.method, %url, "sending request");
        let retryable = |e: reqwest::Error| Attempt::Retryable {
            error: transport_error(op, &url, inner.timeout, e),
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
        let body = response.bytes().await.map_err(retryable)?.to_vec();
        tracing::debug!(
            operation = op.id,
            status,
            request_id = request_id.as_deref().unwrap_or(""),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "received response"
        );
        let raw = RawResponse {
            op,
            status,
            headers,
            request_id,
            body,
        };
        if (200..300).contains(&status) {
            return Ok(raw);
        }
        if status == 429 || status >= 500 {
            let retry_after = retry_after(&raw.headers);
            Err(Attempt::Retryable {
                error: api_error(op, raw),
                retry_after,
            })
        } else {
            Err(Attempt::Final(api_error(op, raw)))
        }
    }

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
}

/// A request with a JSON body (or none), as most operations send.
fn json_request<B: Serialize + ?Sized>(
    op: &'static OperationSpec,
    body: Option<&B>,
) -> Result<Request, Error> {
    let mut request = Request::new(op);
    if let Some(body) = body {
        request.json("application/json", body)?;
    }
    Ok(request)
}

/// How one attempt failed.
enum Attempt {
    /// It may succeed if tried again: a connection error, a timeout, 429 or a
    /// 5xx, with the server's `Retry-After` if it sent one.
    Retryable {
        error: Error,
        retry_after: Option<Duration>,
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

fn transport_error(
    op: &'static OperationSpec,
    url: &str,
    timeout: Duration,
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

pub(crate) fn decode_body<T: DeserializeOwned>(
    op: &'static OperationSpec,
    raw: &RawResponse,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    let value = decode(op, raw, &mut de, "")?;
    de.end()
        .map_err(|e| decode_error(op, raw, String::from("."), e.to_string()))?;
    Ok(value)
}

pub(crate) fn decode<'de, D, T>(
    op: &'static OperationSpec,
    raw: &RawResponse,
    de: D,
    prefix: &str,
) -> Result<T, Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner_path = e.path().to_string();
        let path = match (prefix.is_empty(), inner_path.as_str()) {
            (true, _) => inner_path.clone(),
            (false, ".") => prefix.to_owned(),
            (false, p) => format!("{prefix}.{p}"),
        };
        decode_error(op, raw, path, e.into_inner().to_string())
    })
}

/// The field `key` of a JSON object body, undecoded.
pub(crate) fn take_field(
    op: &'static OperationSpec,
    raw: &RawResponse,
    key: &str,
) -> Result<serde_json::Value, Error> {
    let mut envelope = decode_body(op, raw)?;
    remove_field(op, raw, &mut envelope, key)
}

fn remove_field(
    op: &'static OperationSpec,
    raw: &RawResponse,
    envelope: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<serde_json::Value, Error> {
    envelope.remove(key).ok_or_else(|| {
        decode_error(
            op,
            raw,
            key.to_owned(),
            format!("the response has no `{key}` field"),
        )
    })
}

pub(crate) fn decode_error(
    op: &'static OperationSpec,
    raw: &RawResponse,
    path: String,
    message: String,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: op.id,
        status: raw.status,
        request_id: raw.request_id.clone(),
        path,
        message,
        excerpt: excerpt(&raw.body),
    }))
}

/// Reads an error envelope. Seam sends `{"error": {"type", "message", ...}}`;
/// other common shapes (`{"code", "message"}`, `{"error": "text"}`) are read
/// as well, and anything else is kept as a bounded excerpt.
fn api_error(op: &'static OperationSpec, raw: RawResponse) -> Error {
    let mut error = ApiError {
        operation: op.id,
        status: raw.status,
        code: None,
        message: None,
        request_id: raw.request_id,
        details: None,
        excerpt: None,
        body: None,
    };
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&raw.body).ok();
    error.body = parsed.clone();
    if let Some(serde_json::Value::Object(body)) = &mut error.body {
        if let Some(serde_json::Value::Object(e)) = body.get_mut("error") {
            e.remove("stack");
        }
    }
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    match parsed {
        Some(serde_json::Value::Object(mut body)) => match body.remove("error") {
            Some(serde_json::Value::Object(mut e)) => {
                // A stack trace is debugging noise from the server; never keep it.
                e.remove("stack");
                error.code = text(e.get("type")).or_else(|| text(e.get("code")));
                error.message = text(e.get("message"));
                error.details = Some(serde_json::Value::Object(e));
            }
            Some(serde_json::Value::String(message)) => {
                error.code = text(body.get("code"));
                error.message = Some(message);
            }
            _ => {
                error.code = text(body.get("code")).or_else(|| text(body.get("type")));
                error.message = text(body.get("message"));
                error.details = Some(serde_json::Value::Object(body));
            }
        },
        _ => error.excerpt = Some(excerpt(&raw.body)),
    }
    Error::Api(Box::new(error))
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
