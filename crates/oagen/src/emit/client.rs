//! `src/client.rs`: the client type, its builder and the static description of
//! the API that the runtime works from.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::sessions::Sessions;
use super::{doc_attrs, ident};
use crate::config::{Config, HeaderValue};
use crate::ir::{Api, AuthMode, Placement};

/// The tokens of `src/client.rs`: the `ClientSpec` static, the statics of
/// action-attempt polling, the client type and its builder.
///
/// `sessions`: the client-session methods ([`super::sessions`]), if any.
pub(crate) fn client_rs(api: &Api, config: &Config, sessions: Sessions) -> TokenStream {
    let client = format_ident!("{}", config.client_name);
    let builder = format_ident!("{}Builder", config.client_name);
    // Some operations can be called without authentication: `build` then
    // does not require a mode.
    // (Those that need a feature count only with it: `optional_with`.)
    let auth_optional = api.auth_modes.is_empty()
        || api
            .operations
            .iter()
            .any(|op| op.auth_modes.is_empty() && op.features.is_empty());
    let optional_with = super::gates::predicate(
        &api.operations
            .iter()
            .filter(|op| op.auth_modes.is_empty() && !op.features.is_empty())
            .map(super::gates::op_gate)
            .collect(),
    );
    let ActionAttempts {
        spec: action_attempts,
        statics: action_attempt_statics,
        builder_method: polling_method,
    } = ActionAttempts::new(api, config);
    let docs = ClientDocs::new(api, config, auth_optional);
    let auth_optional_expr = match optional_with.and_then(|p| p.parse::<TokenStream>().ok()) {
        Some(predicate) if !auth_optional => quote!(::core::cfg!(#predicate)),
        _ => quote!(#auth_optional),
    };
    let client_spec = client_spec(api, config, auth_optional_expr, action_attempts);
    let client_type = client_type(api, &client, &builder, &docs.client);
    let Sessions {
        client: session_methods,
        builder: session_builder,
    } = sessions;
    let extra_builder_methods = quote!(#polling_method #session_builder);
    let builder_type = builder_type(api, config, &client, &builder, &docs, extra_builder_methods);
    quote! {
        //! The client and its builder.

        #client_spec

        #action_attempt_statics

        #client_type

        #session_methods

        #builder_type
    }
}

/// The static `API`, the description of the API that the runtime works
/// from: name, user agent, endpoint, headers, authentication modes and
/// action attempts (`action_attempts`, an `Option` of a reference).
fn client_spec(
    api: &Api,
    config: &Config,
    auth_optional: TokenStream,
    action_attempts: TokenStream,
) -> TokenStream {
    let name = &config.client_name;
    let agent = format!("{}/", config.user_agent_name);
    let default_endpoint = &api.default_endpoint;
    let endpoint_env = option_str(config.endpoint_env.as_deref());
    let deprecated_envs = &config.deprecated_endpoint_envs;
    let request_id = option_str(config.request_id_header.as_deref());
    let static_headers = config.static_headers.iter().map(|(name, value)| {
        let name = name.to_ascii_lowercase();
        let value = match value {
            HeaderValue::Literal(v) => quote!(#v),
            HeaderValue::CrateVersion => quote!(::core::env!("CARGO_PKG_VERSION")),
        };
        quote!((#name, #value))
    });
    let modes = api.auth_modes.iter().map(mode_spec);
    quote! {
        static API: ::oagen_runtime::ClientSpec = ::oagen_runtime::ClientSpec {
            name: #name,
            user_agent: ::core::concat!(#agent, ::core::env!("CARGO_PKG_VERSION")),
            default_endpoint: #default_endpoint,
            endpoint_env: #endpoint_env,
            deprecated_endpoint_envs: &[#(#deprecated_envs),*],
            static_headers: &[#(#static_headers),*],
            request_id_header: #request_id,
            auth_modes: &[#(#modes),*],
            auth_optional: #auth_optional,
            action_attempts: #action_attempts,
        };
    }
}

/// What action-attempt polling adds to the client, when the configuration
/// names it and the spec has its polling operation; otherwise `None` and
/// nothing.
struct ActionAttempts {
    /// The `action_attempts` field of the `ClientSpec`: an `Option`.
    spec: TokenStream,
    /// The statics it points to: the `ActionAttemptSpec` and the
    /// `OperationSpec` of the polling operation.
    statics: TokenStream,
    /// The client builder's `action_attempt_polling`.
    builder_method: TokenStream,
}

impl ActionAttempts {
    /// The polling of `config.action_attempts`, through the spec's operation
    /// it names.
    fn new(api: &Api, config: &Config) -> Self {
        let poll = config.action_attempts.as_ref().and_then(|a| {
            let op = api.operations.iter().find(|op| op.id == a.poll_operation)?;
            Some((a, op))
        });
        let Some((a, op)) = poll else {
            return ActionAttempts {
                spec: quote!(::std::option::Option::None),
                statics: TokenStream::new(),
                builder_method: TokenStream::new(),
            };
        };
        let (id, path, response_key) = (&op.id, &op.path, &a.response_key);
        let modes = &op.auth_modes;
        let (id_field, status_field, pending, failed, error_field) = (
            &a.id_field,
            &a.status_field,
            &a.pending,
            &a.failed,
            &a.error_field,
        );
        ActionAttempts {
            spec: quote!(::std::option::Option::Some(&ACTION_ATTEMPTS)),
            statics: quote! {
                static ACTION_ATTEMPTS: ::oagen_runtime::ActionAttemptSpec = ::oagen_runtime::ActionAttemptSpec {
                    response_key: #response_key,
                    poll: &POLL_ACTION_ATTEMPT,
                    id_field: #id_field,
                    status_field: #status_field,
                    pending: #pending,
                    failed: #failed,
                    error_field: #error_field,
                };

                static POLL_ACTION_ATTEMPT: ::oagen_runtime::OperationSpec = ::oagen_runtime::OperationSpec {
                    id: #id,
                    method: ::oagen_runtime::HttpMethod::Post,
                    path: #path,
                    auth_modes: &[#(#modes),*],
                    response_key: ::std::option::Option::Some(#response_key),
                    read_only: true,
                    anonymous: false,
                };
            },
            builder_method: quote! {
                /// Sets how calls that start an action attempt wait for it
                /// to finish; by default they poll every 500 ms for up to
                /// 10 s. Each call can override it.
                pub fn action_attempt_polling(self, polling: ::oagen_runtime::ActionAttemptPolling) -> Self {
                    Self { inner: self.inner.action_attempt_polling(polling) }
                }
            },
        }
    }
}

/// The doc attributes of the client, its builder and the builder's methods
/// whose documentation depends on the spec.
struct ClientDocs {
    client: TokenStream,
    builder: TokenStream,
    /// The builder's `endpoint`.
    endpoint: TokenStream,
    /// The builder's `build`.
    build: TokenStream,
}

impl ClientDocs {
    /// `auth_optional`: whether some operations can be called without
    /// authentication, so that `build` does not require a mode.
    fn new(api: &Api, config: &Config, auth_optional: bool) -> Self {
        let name = &config.client_name;
        let client = doc_attrs(Some(&format!(
            "A client for the {title} API.\n\n\
             Create one with [`{name}::builder`]. It is cheap to clone: clones share one \
             connection pool. `Debug` shows the endpoint and the authentication mode, never a credential.",
            title = crate::ir::sanitize_inline(&api.title).unwrap_or_default()
        )));
        let endpoint = doc_attrs(Some(&endpoint_doc(api, config)));
        let builder = doc_attrs(Some(&format!(
            "Configures a [`{name}`] client; see [`{name}::builder`]."
        )));
        let env_note = env_note(api);
        let none_chosen = if auth_optional {
            String::new()
        } else {
            format!("when no authentication mode was chosen{env_note}, ")
        };
        let optional_note = if auth_optional && !api.auth_modes.is_empty() {
            " Without an authentication mode, only operations that need none can be called."
        } else {
            ""
        };
        let build = doc_attrs(Some(&format!(
            "Checks the configuration and builds the client.\n\n\
             Fails with [`crate::Error::Config`] {none_chosen}\
             when more than one mode was chosen, or when a credential or the endpoint is \
             malformed. Nothing is sent over the network.{optional_note}"
        )));
        ClientDocs {
            client,
            builder,
            endpoint,
            build,
        }
    }
}

/// The client type: a wrapper of the runtime's client, its `Debug`, and its
/// constructor and accessors.
fn client_type(
    api: &Api,
    client: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    client_docs: &TokenStream,
) -> TokenStream {
    // Operations reach the runtime through this; a spec without operations has no use for it.
    let runtime_accessor = (!api.operations.is_empty()).then(|| {
        quote! {
            pub(crate) fn runtime(&self) -> &::oagen_runtime::Client {
                &self.runtime
            }

            /// This client with one more header, for one call's `.header()`.
            pub(crate) fn with_header(&self, name: &str, value: &str) -> Self {
                Self { runtime: self.runtime.with_header(name, value) }
            }
        }
    });
    quote! {
        #client_docs
        #[derive(Clone)]
        pub struct #client {
            runtime: ::oagen_runtime::Client,
        }

        impl ::std::fmt::Debug for #client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.runtime, f)
            }
        }

        impl #client {
            /// Starts configuring a client.
            pub fn builder() -> #builder {
                #builder {
                    inner: ::oagen_runtime::ClientBuilder::new(&API),
                }
            }

            /// The base URL requests go to.
            pub fn endpoint(&self) -> &str {
                self.runtime.endpoint()
            }

            /// A request to any path of the API, for an endpoint this crate
            /// has no method for: sent with this client's authentication,
            /// headers, timeout, retries (a `GET` like a read-only operation)
            /// and error mapping. Set a JSON body with `.json(..)` or query
            /// parameters with `.query(..)`, then `.send::<T>()` (any
            /// `DeserializeOwned`) or `.send_json()`.
            pub fn request(
                &self,
                method: ::oagen_runtime::HttpMethod,
                path: impl ::std::convert::Into<::std::string::String>,
            ) -> ::oagen_runtime::GenericRequest {
                self.runtime.request(method, path)
            }

            #runtime_accessor
        }
    }
}

/// The client builder: a wrapper of the runtime's builder, with a method per
/// setting and per authentication mode, and `build`. `polling_method` holds
/// the methods that depend on the configuration: `action_attempt_polling`,
/// when the API has action attempts, and client sessions.
fn builder_type(
    api: &Api,
    config: &Config,
    client: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    docs: &ClientDocs,
    polling_method: TokenStream,
) -> TokenStream {
    let ClientDocs {
        builder: builder_docs,
        endpoint: endpoint_docs,
        build: build_docs,
        ..
    } = docs;
    let mode_methods = api.auth_modes.iter().map(|m| mode_method(m, config));
    let credential_setters = credential_setters(api);
    quote! {
        #builder_docs
        #[derive(Debug)]
        #[must_use = "a builder does nothing until `.build()` is called"]
        pub struct #builder {
            inner: ::oagen_runtime::ClientBuilder,
        }

        impl #builder {
            #endpoint_docs
            pub fn endpoint(self, endpoint: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { inner: self.inner.endpoint(endpoint) }
            }

            /// Sets the timeout of each request, also over the own timeout
            /// of a client given to `http_client`. Without it, the timeout is
            /// 30 seconds, or that client's own.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self { inner: self.inner.timeout(timeout) }
            }

            /// Sets how read-only operations are retried after a connection
            /// error, a timeout, HTTP 429 or a 5xx: by default twice, with
            /// exponential backoff and jitter, honouring `Retry-After`.
            /// Operations that change something are retried only after a
            /// failure to connect, which proves nothing was sent.
            pub fn retry_policy(self, retry: ::oagen_runtime::RetryPolicy) -> Self {
                Self { inner: self.inner.retry_policy(retry) }
            }

            #polling_method

            /// Sets the largest response body the client reads, in bytes
            /// (default 128 MiB). Past it, or when `Content-Length` announces
            /// more, the call fails with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge)
            /// without reading the rest.
            pub fn max_response_size(self, bytes: u64) -> Self {
                Self { inner: self.inner.max_response_size(bytes) }
            }

            /// Uses this `reqwest` client, for custom TLS, proxies, DNS or
            /// connection pools. Its own timeout applies unless `timeout` is
            /// set; the user agent and headers of this builder still apply.
            pub fn http_client(self, http: ::reqwest::Client) -> Self {
                Self { inner: self.inner.http_client(http) }
            }

            /// Adds a header to every request the client sends (a tenant
            /// header, a proxy's token); it replaces a header of the same name
            /// that the client would send. [`build`](Self::build) fails when
            /// the name or the value cannot be sent. Credentials belong in an
            /// authentication mode, where they are kept secret.
            pub fn header(
                self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                Self { inner: self.inner.header(name, value) }
            }

            #(#mode_methods)*

            #(#credential_setters)*

            #build_docs
            pub fn build(self) -> ::std::result::Result<#client, crate::Error> {
                Ok(#client { runtime: self.inner.build()? })
            }
        }
    }
}

/// Setters for credentials that complete a mode read from the environment:
/// those after a mode's first (its token) that have an environment variable,
/// such as Seam's `workspace_id` beside `SEAM_PERSONAL_ACCESS_TOKEN`.
fn credential_setters(api: &Api) -> Vec<TokenStream> {
    let reserved = [
        "endpoint",
        "timeout",
        "retry_policy",
        "action_attempt_polling",
        "max_response_size",
        "http_client",
        "header",
        "build",
    ];
    let mut seen: Vec<&str> = Vec::new();
    let mut setters = Vec::new();
    for mode in &api.auth_modes {
        for c in mode.credentials.iter().skip(1) {
            let Some(env) = c.env.as_deref() else {
                continue;
            };
            let name = c.name.as_str();
            if seen.contains(&name)
                || reserved.contains(&name)
                || api.auth_modes.iter().any(|m| m.method == name)
            {
                continue;
            }
            seen.push(name);
            let users: Vec<String> = api
                .auth_modes
                .iter()
                .filter(|m| m.credentials.iter().skip(1).any(|o| o.name == name))
                .filter_map(|m| m.credentials[0].env.as_deref())
                .map(|e| format!("`{e}`"))
                .collect();
            let docs = doc_attrs(Some(&format!(
                "Sets the `{name}` of credentials read from the environment ({}), in                  place of `{env}`. [`build`](Self::build) fails when the mode, chosen on                  the builder or read from the environment, takes no `{name}` of its own here.",
                users.join(", ")
            )));
            let method = ident(name);
            setters.push(quote! {
                #docs
                pub fn #method(self, #method: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self { inner: self.inner.credential(#name, #method) }
                }
            });
        }
    }
    setters
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn mode_spec(mode: &AuthMode) -> TokenStream {
    let id = &mode.id;
    let method = &mode.method;
    let label = &mode.label;
    let credentials = mode.credentials.iter().map(|c| {
        let name = &c.name;
        let placements = c.placements.iter().map(|p| match p {
            Placement::Bearer => quote!(::oagen_runtime::Placement::Bearer),
            Placement::Header(h) => quote!(::oagen_runtime::Placement::Header(#h)),
            Placement::Query(q) => quote!(::oagen_runtime::Placement::Query(#q)),
            Placement::Cookie(c) => quote!(::oagen_runtime::Placement::Cookie(#c)),
            Placement::BasicUsername => quote!(::oagen_runtime::Placement::BasicUsername),
            Placement::BasicPassword => quote!(::oagen_runtime::Placement::BasicPassword),
        });
        let env = option_str(c.env.as_deref());
        let prefix = option_str(c.prefix.as_deref());
        let prefix_means = option_str(c.prefix_means.as_deref());
        quote! {
            ::oagen_runtime::CredentialSpec {
                name: #name,
                placements: &[#(#placements),*],
                env: #env,
                prefix: #prefix,
                prefix_means: #prefix_means,
            }
        }
    });
    quote! {
        ::oagen_runtime::AuthModeSpec {
            id: #id,
            method: #method,
            label: #label,
            credentials: &[#(#credentials),*],
        }
    }
}

fn mode_method(mode: &AuthMode, config: &Config) -> TokenStream {
    let method = ident(&mode.method);
    let id = &mode.id;
    let params: Vec<_> = mode.credentials.iter().map(|c| ident(&c.name)).collect();
    let label = crate::ir::sanitize_inline(&mode.label).unwrap_or_else(|| mode.id.clone());
    let mut docs = format!("Authenticates with {}.", article(&label));
    if let Some(extra) = &mode.docs {
        docs.push_str("\n\n");
        docs.push_str(extra);
    }
    let mut sent = Vec::new();
    for c in &mode.credentials {
        for p in &c.placements {
            let place = match p {
                Placement::Bearer => "the `Authorization: Bearer` header".to_owned(),
                Placement::Header(h) => format!("the {} header", crate::ir::code_span(h)),
                Placement::Query(q) => format!("the {} query parameter", crate::ir::code_span(q)),
                Placement::Cookie(k) => format!("the {} cookie", crate::ir::code_span(k)),
                Placement::BasicUsername => {
                    "the `Authorization: Basic` header, as the user name".to_owned()
                }
                Placement::BasicPassword => {
                    "the `Authorization: Basic` header, as the password".to_owned()
                }
            };
            sent.push(format!("`{}` goes in {place}", c.name));
        }
    }
    if !sent.is_empty() {
        docs.push_str(&format!("\n\nOn every request, {}.", sent.join("; ")));
    }
    let checks: Vec<String> = mode
        .credentials
        .iter()
        .filter_map(|c| {
            c.prefix
                .as_ref()
                .map(|p| format!("`{}` starts with `{p}`", c.name))
        })
        .collect();
    if !checks.is_empty() {
        docs.push_str(&format!(
            " [`build`]({}Builder::build) checks that {}.",
            config.client_name,
            checks.join(" and ")
        ));
    }
    let envs: Vec<&str> = mode
        .credentials
        .iter()
        .filter_map(|c| c.env.as_deref())
        .collect();
    if !envs.is_empty() && envs.len() == mode.credentials.len() {
        docs.push_str(&format!(
            " When no mode is chosen, this one is read from {}.",
            envs.iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    let gate = mode.feature.as_ref().map(|feature| {
        docs.push_str(&format!(
            "\n\nOnly with the crate's `{feature}` feature: this mode is not documented by the API."
        ));
        quote!(#[cfg(feature = #feature)])
    });
    let docs = doc_attrs(Some(&docs));
    quote! {
        #docs
        #gate
        pub fn #method(self, #(#params: impl ::std::convert::Into<::std::string::String>),*) -> Self {
            Self {
                inner: self.inner.auth(#id, ::std::vec![#(#params.into()),*]),
            }
        }
    }
}

fn article(label: &str) -> String {
    let vowel = label
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    let acronym = label
        .split_whitespace()
        .next()
        .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()));
    if acronym {
        // "an API key", "a JWT": read the letters aloud.
        let first = label.chars().next().unwrap_or('x');
        if "AEFHILMNORSX".contains(first) {
            return format!("an {label}");
        }
        return format!("a {label}");
    }
    if vowel {
        format!("an {label}")
    } else {
        format!("a {label}")
    }
}

fn endpoint_doc(api: &Api, config: &Config) -> String {
    let mut doc = String::from("Sets the base URL of the API");
    match (&config.endpoint_env, api.default_endpoint.is_empty()) {
        (Some(env), false) => doc.push_str(&format!(
            ". Without it, the client uses `{env}` when set, else `{}`.",
            api.default_endpoint
        )),
        (Some(env), true) => doc.push_str(&format!(". Without it, the client uses `{env}`.")),
        (None, false) => doc.push_str(&format!("; the default is `{}`.", api.default_endpoint)),
        (None, true) => doc.push_str("; the spec names no server, so this is required."),
    }
    if let (Some(env), [_, ..]) = (
        &config.endpoint_env,
        config.deprecated_endpoint_envs.as_slice(),
    ) {
        let old: Vec<String> = config
            .deprecated_endpoint_envs
            .iter()
            .map(|e| format!("`{e}`"))
            .collect();
        doc.push_str(&format!(
            " {} (the older name of `{env}`) is still read after it, with a deprecation warning.",
            old.join(", ")
        ));
    }
    doc
}

fn env_note(api: &Api) -> String {
    let vars: Vec<String> = api
        .auth_modes
        .iter()
        .filter(|m| !m.credentials.is_empty() && m.credentials.iter().all(|c| c.env.is_some()))
        .map(|m| {
            m.credentials
                .iter()
                .filter_map(|c| c.env.as_deref())
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    if vars.is_empty() {
        String::new()
    } else {
        format!(
            " and none could be read from the environment ({})",
            vars.join(", or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::article;

    #[test]
    fn articles() {
        assert_eq!(article("API key"), "an API key");
        assert_eq!(article("publishable key"), "a publishable key");
        assert_eq!(article("access token"), "an access token");
    }
}
