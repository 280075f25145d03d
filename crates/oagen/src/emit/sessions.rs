//! Client sessions in `src/client.rs`, when the configuration asks for them
//! (`Config::client_sessions`): `from_publishable_key` (a client for one user
//! of an application that holds only a publishable key) and
//! `update_client_session_token` (a new token for such a client, checked
//! first), as Seam's official SDKs offer them.
//!
//! The code calls the generated request builders of the two operations, so
//! it reads like what a user would write; the operations, their field and
//! the modes are checked here, and a configuration that names something the
//! spec does not have is an error, not missing methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident};
use crate::config::{ClientSessionConfig, Config};
use crate::diagnostics::{Diagnostics, Pointer};
use crate::ir::{builder_field, Api, Operation, TypeKind, TypeRef};

/// The methods of the client and of its builder, or nothing when the
/// configuration has no client sessions.
pub(crate) struct Sessions {
    /// In `impl <Client>`.
    pub client: TokenStream,
    /// In `impl <Client>Builder`.
    pub builder: TokenStream,
}

pub(crate) fn sessions(api: &Api, config: &Config) -> Result<Sessions, Diagnostics> {
    let Some(cs) = &config.client_sessions else {
        return Ok(Sessions {
            client: TokenStream::new(),
            builder: TokenStream::new(),
        });
    };
    let mut diags = Diagnostics::default();
    let get_or_create = find(api, &cs.get_or_create, &mut diags);
    let get = find(api, &cs.get, &mut diags);
    for mode in [&cs.publishable_mode, &cs.session_mode] {
        if !api.auth_modes.iter().any(|m| &m.id == mode) {
            diags.error(
                &Pointer::root(),
                format!("client sessions: no authentication mode `{mode}`"),
            );
        }
    }
    let (Some(get_or_create), Some(get)) = (get_or_create, get) else {
        return Err(diags);
    };
    if !has_body_field(api, get_or_create, &cs.user_identifier_field) {
        diags.error(
            &get_or_create.origin,
            format!(
                "client sessions: `{}` has no body field `{}`",
                get_or_create.id, cs.user_identifier_field
            ),
        );
    }
    if !returns_field(api, get_or_create, &cs.token_field) {
        diags.error(
            &get_or_create.origin,
            format!(
                "client sessions: `{}` returns no `{}`",
                get_or_create.id, cs.token_field
            ),
        );
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Sessions {
        client: client_methods(config, cs, get),
        builder: builder_method(config, cs, get_or_create),
    })
}

fn find<'a>(api: &'a Api, id: &str, diags: &mut Diagnostics) -> Option<&'a Operation> {
    let found = api.operations.iter().find(|op| op.id == id);
    if found.is_none() {
        diags.error(
            &Pointer::root(),
            format!("client sessions: the spec has no operation `{id}`"),
        );
    }
    found
}

fn has_body_field(api: &Api, op: &Operation, field: &str) -> bool {
    op.body.is_some_and(|id| match &api.shape(id).kind {
        TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.wire_name == field),
        _ => false,
    })
}

fn returns_field(api: &Api, op: &Operation, field: &str) -> bool {
    match &op.response.key {
        Some((_, TypeRef::Named(id))) => match &api.shape(*id).kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .any(|f| f.wire_name == field && f.ty == TypeRef::String && !f.is_optional()),
            _ => false,
        },
        _ => false,
    }
}

/// `seam.client_sessions().get()`: the namespace accessors of `op`, then its method.
fn call(client: TokenStream, op: &Operation) -> TokenStream {
    let segments = op.group.iter().map(|s| ident(s));
    let method = ident(&op.method_name);
    quote!(#client #(.#segments())* .#method())
}

fn client_methods(config: &Config, cs: &ClientSessionConfig, get: &Operation) -> TokenStream {
    let client = format_ident!("{}", config.client_name);
    let builder = format_ident!("{}Builder", config.client_name);
    let session_mode = &cs.session_mode;
    let check = call(quote!(candidate), get);
    let from_docs = doc_attrs(Some(&format!(
        "A client for one user of an application that holds only a publishable \
         key: gets or creates the user's client session with the key, then \
         authenticates with the session's token (as \
         [`.{session_mode}()`]({builder}::{session_mode}) would).\n\n\
         `user_identifier_key` is your own id for the user; an email address \
         is insecure here, and a warning says so through `tracing`. \
         [`{builder}::build_from_publishable_key`] does the same with the \
         builder's other settings (endpoint, timeout, policies)."
    )));
    let update_docs = doc_attrs(Some(&format!(
        "Replaces the token of a client that uses a client session token, \
         after checking the new one with `{}`: on an error (an expired or \
         unknown token, for example) the client keeps its token. Clones made \
         before keep the old one.\n\n\
         Fails with [`crate::Error::Config`], sending nothing, when the client \
         does not authenticate with [`.{session_mode}()`]({builder}::{session_mode}).",
        get.id
    )));
    quote! {
        impl #client {
            #from_docs
            pub async fn from_publishable_key(
                publishable_key: impl ::std::convert::Into<::std::string::String>,
                user_identifier_key: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<#client, crate::Error> {
                #client::builder()
                    .build_from_publishable_key(publishable_key, user_identifier_key)
                    .await
            }

            #update_docs
            pub async fn update_client_session_token(
                &mut self,
                token: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<(), crate::Error> {
                if self.runtime.auth_mode() != ::std::option::Option::Some(#session_mode) {
                    return ::std::result::Result::Err(crate::Error::Config {
                        message: ::std::format!(
                            "update_client_session_token: the client does not use a client session token (it was built with {}); build one with `.{}()`",
                            self.runtime.auth_mode().unwrap_or("no authentication mode"),
                            #session_mode,
                        ),
                    });
                }
                let candidate = #client {
                    runtime: self.runtime.with_auth(#session_mode, ::std::vec![token.into()])?,
                };
                #check.send().await?;
                *self = candidate;
                ::std::result::Result::Ok(())
            }
        }
    }
}

fn builder_method(
    config: &Config,
    cs: &ClientSessionConfig,
    get_or_create: &Operation,
) -> TokenStream {
    let client = format_ident!("{}", config.client_name);
    let (publishable_mode, session_mode) = (&cs.publishable_mode, &cs.session_mode);
    let setter = ident(&builder_field(&crate::ir::names::snake_ident(
        &cs.user_identifier_field,
    )));
    let token = ident(&crate::ir::names::snake_ident(&cs.token_field));
    let field = &cs.user_identifier_field;
    let get_session = call(quote!(client), get_or_create);
    let docs = doc_attrs(Some(&format!(
        "[`{client}::from_publishable_key`] with this builder's settings: \
         gets or creates the client session of the user `{field}` with the \
         publishable key (`{}`), then builds a client that uses its token. \
         The builder must have no authentication mode of its own.",
        get_or_create.id
    )));
    quote! {
        #docs
        pub async fn build_from_publishable_key(
            self,
            publishable_key: impl ::std::convert::Into<::std::string::String>,
            user_identifier_key: impl ::std::convert::Into<::std::string::String>,
        ) -> ::std::result::Result<#client, crate::Error> {
            let user_identifier_key = user_identifier_key.into();
            ::oagen_runtime::warn_if_email(#field, &user_identifier_key);
            let client = #client {
                runtime: self.inner.auth(#publishable_mode, ::std::vec![publishable_key.into()]).build()?,
            };
            let session = #get_session.#setter(user_identifier_key).send().await?;
            ::std::result::Result::Ok(#client {
                runtime: client.runtime.with_auth(#session_mode, ::std::vec![session.#token])?,
            })
        }
    }
}
