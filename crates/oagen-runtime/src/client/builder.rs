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
use crate::auth::{AuthModeSpec, Credentials};
use crate::error::Error;
use crate::policy::{ActionAttemptPolling, RetryPolicy};
use crate::spec::ClientSpec;

/// The timeout of one request when the builder sets none and the client
/// makes its own HTTP client; an application's own HTTP client
/// ([`ClientBuilder::http_client`]) keeps its own timeout instead.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Configures and builds a [`Client`].
pub struct ClientBuilder {
    spec: &'static ClientSpec,
    endpoint: Option<String>,
    modes: Vec<(&'static AuthModeSpec, Vec<SecretString>)>,
    unknown_mode: Option<&'static str>,
    /// Set by [`ClientBuilder::timeout`]; `None` means the default, which
    /// depends on whose HTTP client it is.
    timeout: Option<Duration>,
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
            timeout: None,
            http: None,
            retry: RetryPolicy::default(),
            polling: ActionAttemptPolling::default(),
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

    /// Sets the timeout of each request, also over the own timeout of an
    /// HTTP client given to [`http_client`](Self::http_client). Without it,
    /// the timeout is [`DEFAULT_TIMEOUT`], or the given HTTP client's own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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
        let credentials = credentials(spec, self.modes)?;
        // An application's own HTTP client was built with the timeout it
        // wants (or none): the default would silently override it.
        let timeout = match (self.timeout, &self.http) {
            (Some(timeout), _) => Some(timeout),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_TIMEOUT),
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
        Ok(Client {
            inner: Arc::new(Inner {
                spec,
                endpoint,
                credentials,
                headers: default_headers(spec)?,
                timeout,
                http,
                retry: self.retry,
                polling: self.polling,
            }),
        })
    }

    /// The base URL without a trailing `/`: the builder's, else the
    /// environment variable's, else the default; an error names where a
    /// malformed one came from.
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

/// The credentials of the one mode the builder was given, else those read
/// from the environment; none when the API allows it and none are found.
/// Two modes at once are refused rather than one of them silently winning.
fn credentials(
    spec: &'static ClientSpec,
    modes: Vec<(&'static AuthModeSpec, Vec<SecretString>)>,
) -> Result<Option<Credentials>, Error> {
    match modes.len() {
        0 => match from_env(spec) {
            Ok(credentials) => Ok(Some(credentials)),
            Err(_) if spec.auth_optional => Ok(None),
            Err(e) => Err(e),
        },
        1 => {
            let (mode, values) = modes.into_iter().next().expect("one mode");
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
/// application's own HTTP client has another).
fn default_headers(spec: &'static ClientSpec) -> Result<HeaderMap, Error> {
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
    Ok(headers)
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
