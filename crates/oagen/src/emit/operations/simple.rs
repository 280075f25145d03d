//! The runtime's JSON fast path, for an operation without parameters, with a
//! JSON body or none, and one JSON response or none (every Seam operation):
//! the builder assembles the body, and the runtime serializes it, unwraps
//! response keys, waits for action attempts and pages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builders::{Parts, Slot};
use super::pagination::{paging, starts_action_attempt, Polling};
use super::Build;
use crate::emit::{doc_attrs, rust_type};
use crate::ir::{BodyMedia, Method, Operation, ResponseBody, TypeRef};

/// Whether the runtime's JSON fast path can send `op`: no parameters, a JSON
/// body (`application/json`) or none, and one JSON response or none.
pub(super) fn is_simple(op: &Operation) -> bool {
    let body = match &op.body_media {
        BodyMedia::None => true,
        BodyMedia::Json(media) => media == "application/json",
        _ => false,
    };
    let response = matches!(op.response.media, None | Some(ResponseBody::Json(_)));
    op.parameters.is_empty()
        && body
        && response
        && op.response.by_status.is_empty()
        // The fast path always sends a whole body; an optional one is a `Request`.
        && (op.whole_body.is_none() || op.body_required)
}

/// How the sending methods of the fast path call the runtime.
struct RuntimeCall {
    /// The statement that takes the client and the body from `into_parts`;
    /// empty when there is no body to check.
    parts: TokenStream,
    /// The client the runtime is reached through.
    client: TokenStream,
    /// The body argument: `Some(&body)`, an empty object, or `None`.
    body: TokenStream,
}

impl Build<'_> {
    /// `into_parts`, `send`, `send_with_response` and pagination for an
    /// operation sent as JSON without parameters, the runtime's fast path
    /// (every Seam operation): the body is serialized by the runtime, which
    /// also unwraps response keys, waits for action attempts and pages.
    pub(super) fn simple_parts(
        &self,
        op: &Operation,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
        returns: &str,
    ) -> Parts {
        let (into_parts, body) = self.simple_into_parts(op, slots, spec_static);
        let has_body = op.body.is_some() || op.whole_body.is_some();
        let call = if has_body {
            RuntimeCall {
                parts: quote!(let (client, body) = self.into_parts()?;),
                client: quote!(client),
                body,
            }
        } else {
            RuntimeCall {
                parts: TokenStream::new(),
                client: quote!(self.client),
                body,
            }
        };
        let action = starts_action_attempt(self.config, op);
        let preview = if has_body {
            quote! {
                pub fn preview(&self) -> ::std::result::Result<crate::RequestPreview, crate::Error> {
                    let (client, body) = self.clone().into_parts()?;
                    client.runtime().preview(&#spec_static, ::std::option::Option::Some(&body))
                }
            }
        } else {
            let body = &call.body;
            quote! {
                pub fn preview(&self) -> ::std::result::Result<crate::RequestPreview, crate::Error> {
                    self.client.runtime().preview(&#spec_static, #body)
                }
            }
        };
        Parts {
            preview,
            into_parts,
            send: self.simple_send(op, &call, spec_static, action, returns),
            send_with_response: self.simple_send_with_response(op, &call, spec_static),
            paging: paging(self.api, op, spec_static),
            polling: Polling::new(action),
        }
    }

    /// `into_parts`, which checks the builder and assembles the body (none
    /// without a body), and the body argument of the runtime's calls.
    fn simple_into_parts(
        &self,
        op: &Operation,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
    ) -> (TokenStream, TokenStream) {
        let api = self.api;
        let client = format_ident!("{}", self.config.client_name);
        let types_path = quote!(crate::types::);
        match (op.body, &op.whole_body) {
            (Some(id), _) => {
                let body_ty = rust_type(api, &TypeRef::Named(id), &types_path);
                let (checks, body) = self.build_body(id, slots, spec_static);
                (
                    quote! {
                        /// Checks the fields and assembles the body; nothing is sent.
                        fn into_parts(self) -> ::std::result::Result<(crate::#client, #body_ty), crate::Error> {
                            #checks
                            #body
                            ::std::result::Result::Ok((self.client, body))
                        }
                    },
                    quote!(::std::option::Option::Some(&body)),
                )
            }
            (None, Some(whole)) => {
                let body_ty = rust_type(api, whole, &types_path);
                (
                    quote! {
                        /// Checks that the body is set; nothing is sent.
                        fn into_parts(self) -> ::std::result::Result<(crate::#client, #body_ty), crate::Error> {
                            let mut checks = ::oagen_runtime::validate::Validator::new(#spec_static.id);
                            let ::std::option::Option::Some(body) = checks.take("body", self.body) else {
                                return ::std::result::Result::Err(checks.into_error());
                            };
                            ::std::result::Result::Ok((self.client, body))
                        }
                    },
                    quote!(::std::option::Option::Some(&body)),
                )
            }
            (None, None) => {
                let empty_object = matches!(op.body_media, BodyMedia::Json(_))
                    && matches!(op.method, Method::Post | Method::Put | Method::Patch);
                let body = if empty_object {
                    // A body declared as an object without properties (every
                    // Seam write has one) is sent as `{}`.
                    quote!(::std::option::Option::Some(&::serde_json::Map::new()))
                } else {
                    quote!(::std::option::Option::<&()>::None)
                };
                (TokenStream::new(), body)
            }
        }
    }

    /// `send`: the runtime call that discards the response, returns it
    /// (unwrapping its key) or, when `action`, waits for the action attempt
    /// the operation starts.
    fn simple_send(
        &self,
        op: &Operation,
        call: &RuntimeCall,
        spec_static: &proc_macro2::Ident,
        action: bool,
        returns: &str,
    ) -> TokenStream {
        let types_path = quote!(crate::types::);
        let RuntimeCall {
            parts,
            client: client_ref,
            body: body_arg,
        } = call;
        match (&op.response.key, &op.response.body) {
            _ if op.response.key_null => quote! {
                /// Sends the request. The response holds nothing to return.
                pub async fn send(self) -> ::std::result::Result<(), crate::Error> {
                    #parts
                    #client_ref.runtime().execute_discard(&#spec_static, #body_arg).await
                }
            },
            (Some((_, ty)), _) if action => {
                let ty = rust_type(self.api, ty, &types_path);
                quote! {
                    /// Sends the request and waits for the action attempt it
                    /// starts to finish (see [`action_attempt_polling`](Self::action_attempt_polling)).
                    ///
                    /// A failed attempt is [`crate::Error::ActionAttemptFailed`]; one still
                    /// pending at the timeout is [`crate::Error::ActionAttemptTimeout`].
                    pub async fn send(self) -> ::std::result::Result<#ty, crate::Error> {
                        let polling = self.polling;
                        #parts
                        #client_ref.runtime().execute_action(&#spec_static, #body_arg, polling).await
                    }
                }
            }
            (Some((_, ty)), _) | (None, Some(ty)) => {
                let ty = rust_type(self.api, ty, &types_path);
                let doc = doc_attrs(Some(&format!("Sends the request and returns {returns}.")));
                quote! {
                    #doc
                    pub async fn send(self) -> ::std::result::Result<#ty, crate::Error> {
                        #parts
                        #client_ref.runtime().execute_unwrapped(&#spec_static, #body_arg).await
                    }
                }
            }
            (None, None) => quote! {
                /// Sends the request; the response has no body to return.
                pub async fn send(self) -> ::std::result::Result<(), crate::Error> {
                    #parts
                    #client_ref.runtime().execute_discard(&#spec_static, #body_arg).await
                }
            },
        }
    }

    /// `send_with_response`, for an operation whose response has a body;
    /// empty for any other.
    fn simple_send_with_response(
        &self,
        op: &Operation,
        call: &RuntimeCall,
        spec_static: &proc_macro2::Ident,
    ) -> TokenStream {
        let types_path = quote!(crate::types::);
        let RuntimeCall {
            parts,
            client: client_ref,
            body: body_arg,
        } = call;
        let send_with_response = op.response.body.as_ref().map(|ty| {
            let ty = rust_type(self.api, ty, &types_path);
            quote! {
                /// Sends the request and returns the whole response: status,
                /// headers, request id and the decoded body.
                pub async fn send_with_response(self) -> ::std::result::Result<crate::ApiResponse<#ty>, crate::Error> {
                    #parts
                    #client_ref.runtime().execute(&#spec_static, #body_arg).await
                }
            }
        });
        send_with_response.unwrap_or_default()
    }
}
