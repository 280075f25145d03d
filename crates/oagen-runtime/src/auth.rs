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
    /// What a value with that prefix is (`"a JWT"`), for the hint when such
    /// a value is given to another mode; `None`: the mode's label.
    pub prefix_means: Option<&'static str>,
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
#[derive(Clone)]
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
/// request is made. Messages name the modes and the prefixes, never the value.
///
/// Every credential with a prefix claims the values that start with it; the
/// longest claim wins. A value claimed more specifically by another mode than
/// by its own (`seam_cst…` given to `.api_key()`, whose prefix is `seam_`), or
/// claimed only by another mode (`ey…`, a JWT, given to `.api_key()`), gets a
/// message naming the mode it belongs to.
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
    let own = if value.starts_with(prefix) {
        prefix.len()
    } else {
        0
    };
    let claims: Vec<(&AuthModeSpec, &CredentialSpec, &str)> = all_modes
        .iter()
        .flat_map(|m| m.credentials.iter().map(move |c| (m, c)))
        .filter_map(|(m, c)| Some((m, c, c.prefix?)))
        .filter(|(_, _, p)| value.starts_with(p))
        .collect();
    let best = claims.iter().map(|(_, _, p)| p.len()).max().unwrap_or(0);
    if best > own {
        let owners: Vec<&(&AuthModeSpec, &CredentialSpec, &str)> =
            claims.iter().filter(|(_, _, p)| p.len() == best).collect();
        let (owner, owner_spec, owner_prefix) = owners[0];
        let what = match owner_spec.prefix_means {
            Some(means) => means.to_owned(),
            None => article(owner.label),
        };
        let methods: Vec<String> = owners
            .iter()
            .map(|(m, _, _)| format!("`.{}()`", m.method))
            .collect();
        return Err(Error::config(format!(
            "the `{}` given to `.{}()` looks like {what} (it starts with `{owner_prefix}`): use {} instead",
            spec.name,
            mode.method,
            methods.join(" or ")
        )));
    }
    if own == 0 {
        let what = spec
            .prefix_means
            .map_or_else(|| article(mode.label), str::to_owned);
        return Err(Error::config(format!(
            "the `{}` given to `.{}()` is not {what}: it must start with `{prefix}`",
            spec.name, mode.method
        )));
    }
    Ok(())
}

/// "an API key", "a personal access token".
fn article(label: &str) -> String {
    let vowel = label
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {label}", if vowel { "an" } else { "a" })
}

/// Warns, through `tracing`, when an identifier meant to be opaque looks like
/// an email address: Seam's SDKs warn that an email as a
/// `user_identifier_key` is insecure (anyone who knows the address can name
/// the user) and may be refused in the future.
pub fn warn_if_email(what: &str, value: &str) {
    if looks_like_email(value) {
        tracing::warn!(
            "{what} looks like an email address; use an opaque id of your own instead: an email is insecure here and may be refused in the future"
        );
    }
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.trim().split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains(['@', ' '])
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn emails_are_told_from_ids() {
        assert!(looks_like_email("jane@example.com"));
        assert!(looks_like_email(" jane.doe+x@mail.example.org "));
        for id in [
            "user-1",
            "jane@localhost",
            "@example.com",
            "a@b@c.d",
            "jane@.com",
        ] {
            assert!(!looks_like_email(id), "{id}");
        }
    }
}
