//! Configuring and building a [`Client`]: the endpoint (given, from the
//! environment or the default), the timeout, the retry and polling policies,
//! the HTTP client, the headers every request carries, and the credentials,
//! given to the builder or read from the environment.
//!
//! Everything that can be checked before a request is sent is checked in
//! [`ClientBuilder::build`], so that a misconfigured client fails once, with
//! a message saying what to change, instead of on every call.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};
use secrecy::SecretString;

use super::{Client, Inner};
use crate::auth::{AuthModeSpec, CredentialSpec, Credentials};
use crate::error::Error;
use crate::policy::{ActionAttemptPolling, RetryPolicy};
use crate::spec::ClientSpec;

/// The timeout of one request when the builder sets none and the client
/// makes its own HTTP client; an application's own HTTP client
/// ([`ClientBuilder::http_client`]) keeps its own timeout instead.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body a client reads when the builder sets no other
/// limit: 128 MiB, far above any page of a list, far below what would
/// exhaust a server's memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 128 * 1024 * 1024;

/// Configures and builds a [`Client`].
pub struct ClientBuilder {
    spec: &'static ClientSpec,
    endpoint: Option<String>,
    modes: Vec<(&'static AuthModeSpec, Vec<SecretString>)>,
    /// Credentials given one by one (`.workspace_id()`), which override the
    /// environment's when the mode is read from there.
    overrides: Vec<(&'static str, SecretString)>,
    unknown_mode: Option<&'static str>,
    /// Headers for every request, beside the spec's static ones.
    extra_headers: Vec<(String, String)>,
    /// Set by [`ClientBuilder::timeout`]; `None` means the default, which
    /// depends on whose HTTP client it is.
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    polling: ActionAttemptPolling,
    max_response_size: u64,
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
            overrides: Vec::new(),
            unknown_mode: None,
            extra_headers: Vec::new(),
            timeout: None,
            http: None,
            retry: RetryPolicy::default(),
            polling: ActionAttemptPolling::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// Sets how calls are retried (default: [`RetryPolicy::default`]):
    /// read-only operations after any failure worth retrying, the others
    /// only after a connection error that proves nothing was sent.
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

    /// Sets one credential by name, for a mode read from the environment:
    /// Seam's `.workspace_id()` beside `SEAM_PERSONAL_ACCESS_TOKEN` (it
    /// overrides `SEAM_WORKSPACE_ID`). [`build`](Self::build) refuses it when
    /// the mode, chosen or read, takes no such credential.
    pub fn credential(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.overrides.retain(|(n, _)| *n != name);
        self.overrides
            .push((name, SecretString::from(value.into())));
        self
    }

    /// Adds a header to every request (after the spec's own headers, which it
    /// replaces when the name is the same). [`build`](Self::build) refuses a
    /// malformed name or value. Values are not treated as secrets: pass
    /// credentials through an authentication mode.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Sets the timeout of each request, also over the own timeout of an
    /// HTTP client given to [`http_client`](Self::http_client). Without it,
    /// the timeout is [`DEFAULT_TIMEOUT`], or the given HTTP client's own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the largest response body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]). A body is read as it arrives; past the
    /// limit (or when `Content-Length` announces more) the call fails with
    /// [`Error::ResponseTooLarge`] without reading the rest.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Uses this `reqwest` client, for custom TLS, proxies, DNS or connection
    /// pools. Its own timeout applies unless [`timeout`](Self::timeout) is
    /// set; the user agent and headers of this builder still apply per request.
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
        let credentials = credentials(spec, self.modes, self.overrides)?;
        // An application's own HTTP client was built with the timeout it
        // wants (or none): the default would silently override it.
        let timeout = match (self.timeout, &self.http) {
            (Some(timeout), _) => Some(timeout),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_TIMEOUT),
        };
        let http = match self.http {
            Some(http) => http,
            None => with_roots(reqwest::Client::builder())
                .user_agent(spec.user_agent)
                .build()
                .map_err(|e| {
                    Error::config(format!("{}: cannot create the HTTP client: {e}", spec.name))
                })?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                spec,
                endpoint,
                credentials,
                headers: default_headers(spec, &self.extra_headers)?,
                timeout,
                http,
                retry: self.retry,
                polling: self.polling,
                max_response_size: self.max_response_size,
                invalid_header: None,
            }),
        })
    }

    /// The base URL without a trailing `/`: the builder's, else the
    /// environment variable's, else the default; an error names where a
    /// malformed one came from.
    fn endpoint_url(&self) -> Result<String, Error> {
        let spec = self.spec;
        let (raw, source) = match &self.endpoint {
            Some(e) => (e.clone(), "the builder's `.endpoint()`".to_owned()),
            None => match endpoint_from_env(spec) {
                Some((e, var)) => (e, format!("the environment variable {var}")),
                None => (spec.default_endpoint.to_owned(), "the default".to_owned()),
            },
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

/// The credentials of the one mode the builder was given, else those read
/// from the environment; none when the API allows it and none are found.
/// Two modes at once are refused rather than one of them silently winning.
fn credentials(
    spec: &'static ClientSpec,
    modes: Vec<(&'static AuthModeSpec, Vec<SecretString>)>,
    overrides: Vec<(&'static str, SecretString)>,
) -> Result<Option<Credentials>, Error> {
    match modes.len() {
        0 => match from_env(spec, &overrides) {
            Ok(credentials) => Ok(Some(credentials)),
            Err(_) if spec.auth_optional && overrides.is_empty() => Ok(None),
            Err(e) => Err(e),
        },
        1 => {
            let (mode, values) = modes.into_iter().next().expect("one mode");
            if let Some((name, _)) = overrides.first() {
                let verb = if mode.credentials.iter().any(|c| c.name == *name) {
                    format!("already takes a `{name}`")
                } else {
                    format!("takes no `{name}`")
                };
                return Err(Error::config(format!(
                    "{}: `.{name}()` applies to credentials read from the environment; `.{}()` {verb}",
                    spec.name, mode.method
                )));
            }
            Ok(Some(Credentials::new(mode, values, spec.auth_modes)?))
        }
        _ => {
            let chosen = modes
                .iter()
                .map(|(m, _)| format!("`.{}()`", m.method))
                .collect::<Vec<_>>()
                .join(" and ");
            Err(Error::config(format!(
                "{}: the builder was given {chosen}; choose exactly one authentication mode",
                spec.name
            )))
        }
    }
}

/// The headers every request carries: the spec's static headers, `Accept:
/// application/json` and the user agent (also set per request, in case the
/// application's own HTTP client has another), then the builder's own.
fn default_headers(
    spec: &'static ClientSpec,
    extra: &[(String, String)],
) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    for (name, value) in spec.static_headers {
        let invalid = || Error::config(format!("{}: invalid static header `{name}`", spec.name));
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?,
            HeaderValue::from_str(value).map_err(|_| invalid())?,
        );
    }
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Ok(agent) = HeaderValue::from_str(spec.user_agent) {
        headers.insert(reqwest::header::USER_AGENT, agent);
    }
    for (name, value) in extra {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::config(format!(
                "{}: `.header()`: `{name}` is not a valid header name",
                spec.name
            ))
        })?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::config(format!(
                "{}: `.header()`: the value of `{name}` cannot be sent in an HTTP header",
                spec.name
            ))
        })?;
        headers.insert(header, value);
    }
    Ok(headers)
}

/// The endpoint from the environment: `endpoint_env`, else one of its older
/// names, with a deprecation warning.
fn endpoint_from_env(spec: &ClientSpec) -> Option<(String, &'static str)> {
    let read = |var: &'static str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (v, var))
    };
    if let Some(found) = spec.endpoint_env.and_then(read) {
        return Some(found);
    }
    let (value, old) = spec.deprecated_endpoint_envs.iter().find_map(|v| read(v))?;
    tracing::warn!(
        "{}: the environment variable {old} is deprecated; set {} instead",
        spec.name,
        spec.endpoint_env.unwrap_or("the endpoint on the builder")
    );
    Some((value, old))
}

/// With no mode chosen on the builder, the mode the environment provides.
///
/// A mode is available when each of its credentials is given by
/// `.credential()` or by its environment variable. Modes are told apart by
/// the variable of their first credential (the token); when the variables of
/// two different tokens are set (`SEAM_API_KEY` and
/// `SEAM_PERSONAL_ACCESS_TOKEN`), the choice is ambiguous and refused, as
/// Seam's SDKs do. Among the modes of one token, the one using the most
/// credentials wins: a personal access token with `SEAM_WORKSPACE_ID` (or
/// `.workspace_id()`) is the mode with a workspace, without it the mode
/// without one. A credential given by `.credential()` that the chosen mode
/// does not use is refused, never ignored.
fn from_env(
    spec: &'static ClientSpec,
    overrides: &[(&'static str, SecretString)],
) -> Result<Credentials, Error> {
    let value = |c: &CredentialSpec| -> Option<SecretString> {
        if let Some((_, v)) = overrides.iter().find(|(n, _)| *n == c.name) {
            return Some(v.clone());
        }
        std::env::var(c.env?)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(SecretString::from)
    };
    let available: Vec<(&'static AuthModeSpec, Vec<SecretString>)> = spec
        .auth_modes
        .iter()
        .filter(|m| !m.credentials.is_empty() && m.credentials[0].env.is_some())
        .filter_map(|m| {
            let values: Option<Vec<SecretString>> = m.credentials.iter().map(value).collect();
            Some((m, values?))
        })
        .collect();
    let mut tokens: Vec<&'static str> = Vec::new();
    for env in available.iter().filter_map(|(m, _)| m.credentials[0].env) {
        if !tokens.contains(&env) {
            tokens.push(env);
        }
    }
    if tokens.len() > 1 {
        return Err(Error::config(format!(
            "{}: both {} are set; unset all but one, or choose a mode on the builder",
            spec.name,
            tokens.join(" and ")
        )));
    }
    let chosen = available
        .into_iter()
        .max_by_key(|(m, _)| (m.credentials.len(), std::cmp::Reverse(mode_index(spec, m))));
    if let Some((mode, values)) = chosen {
        if let Some((name, _)) = overrides
            .iter()
            .find(|(n, _)| !mode.credentials.iter().any(|c| c.name == *n))
        {
            return Err(Error::config(format!(
                "{}: `.{name}()` was given, but the credentials from {} are {}, which takes no `{name}`",
                spec.name,
                mode.credentials[0].env.unwrap_or("the environment"),
                mode.label
            )));
        }
        return Credentials::new(mode, values, spec.auth_modes);
    }
    Err(no_credentials(spec))
}

fn mode_index(spec: &ClientSpec, mode: &AuthModeSpec) -> usize {
    spec.auth_modes
        .iter()
        .position(|m| std::ptr::eq(m, mode))
        .unwrap_or(usize::MAX)
}

/// The error of a builder given no mode when the environment has none
/// either: every builder method, and the variables that would do.
fn no_credentials(spec: &ClientSpec) -> Error {
    let methods = spec
        .auth_modes
        .iter()
        .map(|m| format!("`.{}()`", m.method))
        .collect::<Vec<_>>()
        .join(", ");
    let mut vars: Vec<String> = spec
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
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    vars.retain(|v| seen.insert(v.clone()));
    let env_hint = if vars.is_empty() {
        String::new()
    } else {
        format!(", or set {}", vars.join(", or "))
    };
    Error::config(format!(
        "{}: no credentials; call one of {methods} on the builder{env_hint}",
        spec.name
    ))
}

/// The certificate roots of the client the builder makes: the system's
/// (reqwest's platform verifier), or with the `webpki-roots` feature only
/// Mozilla's, built in.
fn with_roots(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(feature = "webpki-roots")]
    let builder = builder.tls_certs_only(
        webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok()),
    );
    builder
}
