//! The client: a configured connection to one API, cheap to clone.
//!
//! This file holds [`Client`] and the state its clones share; the rest of
//! the client is one file per concern, each adding to `impl Client` or
//! building one:
//!
//! - `builder.rs`: [`ClientBuilder`](crate::ClientBuilder), its
//!   configuration (endpoint, timeout, policies, HTTP client) and the
//!   credentials, given or read from the environment.
//! - `send.rs`: [`Client::send`], which checks the operation's
//!   authentication, sends one attempt after another as the retry policy
//!   says, and maps transport failures and error statuses onto
//!   [`Error`](crate::Error).
//! - `execute.rs`: the `execute*` calls generated operations make for JSON
//!   requests, which send and then decode.
//! - `actions.rs`: [`Client::execute_action`], which waits for the action
//!   attempt an operation starts.
//! - `generic.rs`: [`Client::request`], a request to any path, and
//!   [`RequestPreview`], what any request will send.
//!
//! The client is the top of the crate's layers: it names the descriptions,
//! errors, decoding and requests, and none of them names it. Pagination
//! (`pages.rs`) sits above it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use secrecy::SecretString;

use crate::auth::Credentials;
use crate::error::Error;
use crate::policy::{ActionAttemptPolling, RetryPolicy};
use crate::spec::ClientSpec;

mod actions;
pub(crate) mod builder;
mod execute;
pub(crate) mod generic;
mod send;

/// A configured client. Cheap to clone: clones share one connection pool.
///
/// `Debug` shows the endpoint and the authentication mode, never a credential.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What the clones of one client share, fixed when it is built.
struct Inner {
    spec: &'static ClientSpec,
    endpoint: String,
    credentials: Option<Credentials>,
    /// Sent with every request; the credentials' headers are added per
    /// operation (not to those that take no authentication).
    headers: HeaderMap,
    /// The timeout of each request; `None` leaves it to the application's
    /// own HTTP client.
    timeout: Option<Duration>,
    http: reqwest::Client,
    retry: RetryPolicy,
    polling: ActionAttemptPolling,
    /// The largest response body read, in bytes.
    max_response_size: u64,
    /// A header given to [`Client::with_header`] that cannot be sent: every
    /// request fails with it, rather than the setter of a request builder.
    invalid_header: Option<String>,
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

    /// A client like this one (endpoint, HTTP client and its connections,
    /// headers, policies) that authenticates with the mode `mode_id` and
    /// these credentials, checked as the builder checks them. For a session
    /// a call obtained (Seam's client session from a publishable key), or a
    /// token that replaces this client's.
    pub fn with_auth(&self, mode_id: &str, credentials: Vec<String>) -> Result<Client, Error> {
        let spec = self.inner.spec;
        let mode = spec
            .auth_modes
            .iter()
            .find(|m| m.id == mode_id)
            .ok_or_else(|| {
                Error::config(format!(
                    "{}: unknown authentication mode `{mode_id}`",
                    spec.name
                ))
            })?;
        let values = credentials.into_iter().map(SecretString::from).collect();
        let credentials = Credentials::new(mode, values, spec.auth_modes)?;
        let inner = &self.inner;
        Ok(Client {
            inner: Arc::new(Inner {
                spec,
                endpoint: inner.endpoint.clone(),
                credentials: Some(credentials),
                headers: inner.headers.clone(),
                timeout: inner.timeout,
                http: inner.http.clone(),
                retry: inner.retry,
                polling: inner.polling,
                max_response_size: inner.max_response_size,
                invalid_header: inner.invalid_header.clone(),
            }),
        })
    }

    /// A client like this one that also sends the header `name: value` (it
    /// replaces one of the same name); for the headers of one call, which
    /// generated request builders set with `.header()`. A name or value that
    /// cannot be sent makes every request of the new client fail with
    /// [`Error::Config`], nothing sent.
    pub fn with_header(&self, name: &str, value: &str) -> Client {
        let mut headers = self.inner.headers.clone();
        let mut invalid_header = self.inner.invalid_header.clone();
        match (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                headers.insert(name, value);
            }
            (Err(_), _) => {
                invalid_header.get_or_insert(format!("`{name}` is not a valid header name"));
            }
            (_, Err(_)) => {
                invalid_header.get_or_insert(format!(
                    "the value of the header `{name}` cannot be sent in an HTTP header"
                ));
            }
        }
        let inner = &self.inner;
        Client {
            inner: Arc::new(Inner {
                spec: inner.spec,
                endpoint: inner.endpoint.clone(),
                credentials: inner.credentials.clone(),
                headers,
                timeout: inner.timeout,
                http: inner.http.clone(),
                retry: inner.retry,
                polling: inner.polling,
                max_response_size: inner.max_response_size,
                invalid_header,
            }),
        }
    }
}
