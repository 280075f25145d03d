//! Authentication modes: which credentials a client holds and where each one
//! goes in a request.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;

/// One way for a client to authenticate, for example "API key" or "personal
/// access token and workspace". Generated from the spec's `securitySchemes`.
#[derive(Debug)]
pub struct AuthModeSpec {
    /// Stable identifier, referenced by [`crate::OperationSpec::auth_modes`].
    pub id: &'static str,
    /// The builder method that selects this mode, used in error messages.
    pub method: &'static str,
    /// A human name such as "API key".
    pub label: &'static str,
    /// The credentials this mode needs, in the order the builder method takes them.
    pub credentials: &'static [CredentialSpec],
}

/// One credential of an [`AuthModeSpec`].
#[derive(Debug)]
pub struct CredentialSpec {
    /// Parameter name on the builder method, for messages.
    pub name: &'static str,
    /// Where the credential goes in each request: the value is sent in each of
    /// these places (Seam's client session token goes both in `Authorization`
    /// and in `client-session-token`).
    pub placements: &'static [Placement],
    /// Environment variable to read it from when the builder selects no mode.
    pub env: Option<&'static str>,
    /// A prefix every valid value starts with, checked before any request.
    pub prefix: Option<&'static str>,
}

/// Where a credential goes in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <value>`.
    Bearer,
    /// A request header with this name.
    Header(&'static str),
    /// A query parameter with this name.
    Query(&'static str),
    /// A cookie with this name.
    Cookie(&'static str),
    /// The user name of HTTP basic authentication (`Authorization: Basic`).
    BasicUsername,
    /// The password of HTTP basic authentication.
    BasicPassword,
}

/// The credentials a built client holds. Values are secrets: they are marked
/// sensitive in every header and never appear in `Debug` output or errors.
pub(crate) struct Credentials {
    pub(crate) mode: &'static AuthModeSpec,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(&'static str, SecretString)>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("mode", &self.mode.id)
            .field("values", &"<redacted>")
            .finish()
    }
}

impl Credentials {
    /// Checks the values against the mode and every other mode of the client,
    /// then prepares the headers and query pairs they become.
    pub(crate) fn new(
        mode: &'static AuthModeSpec,
        values: Vec<SecretString>,
        all_modes: &'static [AuthModeSpec],
    ) -> Result<Self, Error> {
        if values.len() != mode.credentials.len() {
            return Err(Error::config(format!(
                "`.{}()` takes {} credential(s), got {}",
                mode.method,
                mode.credentials.len(),
                values.len()
            )));
        }
        let mut headers = Vec::new();
        let mut query = Vec::new();
        let mut cookies = Vec::new();
        let (mut user, mut password) = (None, None);
        for (spec, value) in mode.credentials.iter().zip(values) {
            check_value(mode, spec, value.expose_secret(), all_modes)?;
            for placement in spec.placements {
                let secret = value.expose_secret();
                match *placement {
                    Placement::Bearer => headers.push((
                        AUTHORIZATION,
                        sensitive_header(mode, spec, &format!("Bearer {secret}"))?,
                    )),
                    Placement::Header(name) => {
                        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            Error::config(format!(
                                "invalid header name `{name}` for `.{}()`",
                                mode.method
                            ))
                        })?;
                        headers.push((name, sensitive_header(mode, spec, secret)?));
                    }
                    Placement::Query(name) => query.push((name, value.clone())),
                    Placement::Cookie(name) => cookies.push(format!("{name}={secret}")),
                    Placement::BasicUsername => user = Some((spec, value.clone())),
                    Placement::BasicPassword => password = Some(value.clone()),
                }
            }
        }
        if let Some((spec, user)) = user {
            use base64::Engine as _;
            let password = password.as_ref().map_or("", |p| p.expose_secret());
            let pair = format!("{}:{password}", user.expose_secret());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            headers.push((
                AUTHORIZATION,
                sensitive_header(mode, spec, &format!("Basic {encoded}"))?,
            ));
        }
        if !cookies.is_empty() {
            let spec = &mode.credentials[0];
            headers.push((COOKIE, sensitive_header(mode, spec, &cookies.join("; "))?));
        }
        Ok(Credentials {
            mode,
            headers,
            query,
        })
    }

    pub(crate) fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    pub(crate) fn query(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.query.iter().map(|(k, v)| (*k, v.expose_secret()))
    }
}

fn sensitive_header(
    mode: &AuthModeSpec,
    spec: &CredentialSpec,
    value: &str,
) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::config(format!(
            "the {} given to `.{}()` (`{}`) contains characters that cannot be sent in an HTTP header",
            mode.label, mode.method, spec.name
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Local checks that catch a credential given to the wrong mode before any
/// request is made. Messages name the mode and the expected prefix, never the value.
fn check_value(
    mode: &AuthModeSpec,
    spec: &CredentialSpec,
    value: &str,
    all_modes: &'static [AuthModeSpec],
) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::config(format!(
            "`.{}()` was given an empty `{}`",
            mode.method, spec.name
        )));
    }
    let Some(prefix) = spec.prefix else {
        return Ok(());
    };
    // A value that matches a longer prefix of another mode was almost certainly
    // meant for that mode: say which one instead of a generic prefix error.
    let better = all_modes
        .iter()
        .filter(|other| other.id != mode.id)
        .filter_map(|other| {
            let first = other.credentials.first()?;
            let other_prefix = first.prefix?;
            (other_prefix.len() > prefix.len() && value.starts_with(other_prefix)).then_some(other)
        })
        .max_by_key(|other| other.credentials[0].prefix.map_or(0, str::len));
    if let Some(other) = better {
        return Err(Error::config(format!(
            "the `{}` given to `.{}()` looks like a {} (it starts with `{}`); use `.{}()` instead",
            spec.name,
            mode.method,
            other.label,
            other.credentials[0].prefix.unwrap_or_default(),
            other.method
        )));
    }
    if !value.starts_with(prefix) {
        return Err(Error::config(format!(
            "the `{}` given to `.{}()` is not a valid {}: it must start with `{prefix}`",
            spec.name, mode.method, mode.label
        )));
    }
    Ok(())
}
