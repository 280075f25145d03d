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
//!
//! The client is the top of the crate's layers: it names the descriptions,
//! errors, decoding and requests, and none of them names it. Pagination
//! (`pages.rs`) sits above it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::auth::Credentials;
use crate::policy::{ActionAttemptPolling, RetryPolicy};
use crate::spec::ClientSpec;

mod actions;
pub(crate) mod builder;
mod execute;
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
}
