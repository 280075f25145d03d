//! `src/api/`: namespaces and one request builder per operation.
//!
//! Namespaces follow each operation's group (`seam.acs().credentials()`), one
//! file per top-level group; operations without a group are methods of the
//! client itself. Every public name in `api` is unique across its files, since
//! `api/mod.rs` re-exports them all.

use heck::ToShoutySnakeCase;
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{deprecated_attr, validated_types};
use super::{doc_attrs, ident, paragraphs, rust_type};
use crate::config::Config;
use crate::ir::names::{type_ident, Scope};
use crate::ir::status_text;
use crate::ir::{
    builder_field, Api, BodyMedia, Field, Method, Operation, ParamLocation, ParamStyle,
    ResponseBody, Status, StatusResponse, TypeKind, TypeRef,
};

/// A namespace: its path, its children and its operations.
#[derive(Default)]
struct Namespace<'a> {
    children: IndexMap<String, Namespace<'a>>,
    operations: Vec<&'a Operation>,
}

pub(crate) fn api_files(api: &Api, config: &Config) -> Vec<(String, TokenStream)> {
    let mut root = Namespace::default();
    for op in &api.operations {
        let mut ns = &mut root;
        for segment in &op.group {
            ns = ns.children.entry(segment.clone()).or_default();
        }
        ns.operations.push(op);
    }
    let mut names = Scope::default();
    let mut cx = Cx {
        api,
        config,
        names: &mut names,
        validated: validated_types(api),
    };
    let client = format_ident!("{}", config.client_name);

    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut root_methods = Vec::new();
    let mut root_items = Vec::new();
    let mut method_names = Scope::with_reserved(&["builder", "endpoint", "runtime"]);
    // Operations without a group first, so that their names win collisions
    // with namespace accessors deterministically.
    for op in &root.operations {
        let (method, items) = cx.operation(op, &mut method_names, quote!(self));
        root_methods.push(method);
        root_items.push(items);
    }
    for (segment, child) in &root.children {
        let accessor = ident(&method_names.claim(segment, "_"));
        let mut items = Vec::new();
        let struct_name = cx.namespace(std::slice::from_ref(segment), child, &mut items);
        let accessor_docs = doc_attrs(Some(&format!("Operations under `/{segment}`.")));
        root_methods.push(quote! {
            #accessor_docs
            pub fn #accessor(&self) -> #struct_name<'_> {
                #struct_name::new(self)
            }
        });
        let module = ident(segment);
        let path = format!("src/api/{segment}.rs");
        let doc = format!(" Operations under `/{segment}`.");
        files.push((
            path,
            quote! {
                #![doc = #doc]
                #(#items)*
            },
        ));
        modules.push(module);
    }
    let mod_rs = quote! {
        //! The operations of the API: namespaces, and one request builder per
        //! operation. Start from the client's namespace methods.

        #(mod #modules;)*
        #(pub use self::#modules::*;)*

        impl crate::#client {
            #(#root_methods)*
        }

        #(#root_items)*
    };
    files.insert(0, ("src/api/mod.rs".to_owned(), mod_rs));
    files
}

struct Cx<'a, 'n> {
    api: &'a Api,
    config: &'a Config,
    names: &'n mut Scope,
    validated: std::collections::BTreeSet<crate::ir::TypeId>,
}

impl Cx<'_, '_> {
    /// Emits the namespace at `path` and its descendants into `items`; returns
    /// the namespace struct's name.
    fn namespace(
        &mut self,
        path: &[String],
        ns: &Namespace<'_>,
        items: &mut Vec<TokenStream>,
    ) -> proc_macro2::Ident {
        let name = format_ident!("{}", self.names.claim(&type_ident(&path.join("_")), ""));
        let client = format_ident!("{}", self.config.client_name);
        let mut methods = Vec::new();
        let mut method_names = Scope::with_reserved(&["new"]);
        for op in &ns.operations {
            let (method, op_items) = self.operation(op, &mut method_names, quote!(self.client));
            methods.push(method);
            items.push(op_items);
        }
        for (segment, child) in &ns.children {
            let mut child_path = path.to_vec();
            child_path.push(segment.clone());
            let child_name = self.namespace(&child_path, child, items);
            let accessor = ident(&method_names.claim(segment, "_"));
            let doc = doc_attrs(Some(&format!(
                "Operations under `/{}`.",
                child_path.join("/")
            )));
            methods.push(quote! {
                #doc
                pub fn #accessor(&self) -> #child_name<'a> {
                    #child_name::new(self.client)
                }
            });
        }
        let doc = doc_attrs(Some(&format!(
            "Operations under `/{}`; from [`{}`](crate::{}).",
            path.join("/"),
            accessor_chain(path),
            self.config.client_name
        )));
        items.push(quote! {
            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct #name<'a> {
                client: &'a crate::#client,
            }

            impl<'a> #name<'a> {
                pub(crate) fn new(client: &'a crate::#client) -> Self {
                    Self { client }
                }

                #(#methods)*
            }
        });
        name
    }

    /// The namespace method that starts `op`, and the items behind it: the
    /// operation's static description, its request builder, and the enums of
    /// its responses by status.
    fn operation(
        &mut self,
        op: &Operation,
        method_names: &mut Scope,
        client_expr: TokenStream,
    ) -> (TokenStream, TokenStream) {
        let api = self.api;
        let client = format_ident!("{}", self.config.client_name);
        let types_path = quote!(crate::types::);
        let method = ident(&method_names.claim(&op.method_name, "_"));
        let base = op.id.replace('.', "_");
        let builder = format_ident!(
            "{}",
            self.names
                .claim(&type_ident(&format!("{base}_request")), "")
        );
        // A static's name may not start with a digit, as an operation id may.
        let spec_static = format_ident!("OP_{}", base.to_shouty_snake_case());
        let simple = is_simple(op);

        // The static description the runtime works from.
        let id = &op.id;
        let path = &op.path;
        let http_method = match op.method {
            Method::Get => quote!(Get),
            Method::Post => quote!(Post),
            Method::Put => quote!(Put),
            Method::Patch => quote!(Patch),
            Method::Delete => quote!(Delete),
            Method::Head => quote!(Head),
            Method::Options => quote!(Options),
        };
        let modes = &op.auth_modes;
        let response_key = match &op.response.key {
            Some((key, _)) => quote!(::std::option::Option::Some(#key)),
            None => quote!(::std::option::Option::None),
        };
        let read_only = op.is_read_only();
        let anonymous = op.anonymous;

        // The enums of responses by status and of typed errors.
        let by_status = (!op.response.by_status.is_empty()).then(|| {
            format_ident!(
                "{}",
                self.names
                    .claim(&type_ident(&format!("{base}_response")), "")
            )
        });
        let error_enum = (!op.response.errors.is_empty()).then(|| {
            format_ident!(
                "{}",
                self.names.claim(&type_ident(&format!("{base}_error")), "")
            )
        });

        // Documentation of the namespace method.
        let verb = format!("{:?}", op.method).to_uppercase();
        let accepts = op
            .auth_modes
            .iter()
            .filter_map(|id| api.auth_modes.iter().find(|m| &m.id == id))
            .map(|m| {
                format!(
                    "[`.{}()`](crate::{}Builder::{})",
                    m.method, self.config.client_name, m.method
                )
            })
            .collect::<Vec<_>>();
        let auth_line = if op.anonymous && !api.auth_modes.is_empty() {
            "No authentication: the client's credentials are not sent.".to_owned()
        } else if accepts.is_empty() {
            "No authentication needed.".to_owned()
        } else {
            format!("Authentication: {}.", accepts.join(", "))
        };
        let returns = match (&op.response.key, &op.response.media, &by_status) {
            _ if op.response.key_null => "nothing".to_owned(),
            (_, _, Some(name)) => format!("[`{name}`], by status"),
            (Some((key, ty)), _, _) => {
                format!("{} (the `{key}` field of the response)", type_doc(api, ty))
            }
            (None, Some(ResponseBody::Json(ty)), _) => type_doc(api, ty),
            (None, Some(ResponseBody::Text), _) => "the body as text".to_owned(),
            (None, Some(ResponseBody::Bytes), _) => "the body's bytes".to_owned(),
            (None, None, _) => "nothing".to_owned(),
        };
        let signature = format!("`{verb} {path}`. {auth_line} Returns {returns}.");
        let errors_doc = error_enum.as_ref().map(|name| {
            let lines: Vec<String> = op
                .response
                .errors
                .iter()
                .filter_map(|e| match &e.body {
                    Some(ResponseBody::Json(ty)) => {
                        Some(format!("{}: {}", status_text(e.status), type_doc(api, ty)))
                    }
                    _ => None,
                })
                .collect();
            format!(
                "Error bodies, read with [`{name}::from_error`]: {}.",
                lines.join("; ")
            )
        });
        let method_docs = doc_attrs(
            paragraphs([
                op.title.as_deref(),
                op.docs.as_deref(),
                Some(signature.as_str()),
                errors_doc.as_deref(),
            ])
            .as_deref(),
        );
        let deprecated = deprecated_attr(op.deprecated.as_ref());

        // The builder's fields and setters.
        let slots = slots(api, op);
        let store_idents: Vec<_> = slots.iter().map(|s| ident(&s.field.ident)).collect();
        let store_types: Vec<_> = slots
            .iter()
            .map(|s| match s.kind {
                SlotKind::File { many: false } => quote!(::oagen_runtime::Upload),
                SlotKind::File { many: true } => {
                    quote!(::std::vec::Vec<::oagen_runtime::Upload>)
                }
                _ => {
                    let f = &s.field;
                    let mut ty = rust_type(api, &f.ty, &types_path);
                    if f.boxed {
                        ty = quote!(::std::boxed::Box<#ty>);
                    }
                    if f.tri_state {
                        ty = quote!(::std::option::Option<#ty>);
                    }
                    ty
                }
            })
            .collect();
        let setters: Vec<_> = slots
            .iter()
            .map(|s| match s.kind {
                SlotKind::File { many } => file_setter(&s.field, many),
                _ => setter(api, &s.field, &types_path),
            })
            .collect();

        let (into_parts, send, send_with_response, paging, polling) = if simple {
            self.simple_parts(op, &slots, &spec_static, &returns)
        } else {
            let into_parts = self.request_parts(op, &slots, &spec_static);
            let (send, send_with_response) = self.request_send(op, by_status.as_ref(), &returns);
            (
                into_parts,
                send,
                send_with_response,
                TokenStream::new(),
                Polling::default(),
            )
        };
        let Polling {
            field: polling_field,
            init: polling_init,
            setter: polling_setter,
        } = polling;

        let builder_doc = doc_attrs(Some(&format!(
            "Request builder for `{id}`: set fields, then `.send().await`. Created by \
             the namespace method of the same name."
        )));
        let method_tokens = quote! {
            #method_docs
            #deprecated
            pub fn #method(&self) -> #builder {
                #builder::new(#client_expr.clone())
            }
        };
        let by_status_enum = by_status.as_ref().map(|name| self.by_status_enum(op, name));
        let error_enum = error_enum
            .as_ref()
            .map(|name| self.error_enum(op, name, &spec_static));
        let items = quote! {
            static #spec_static: ::oagen_runtime::OperationSpec = ::oagen_runtime::OperationSpec {
                id: #id,
                method: ::oagen_runtime::HttpMethod::#http_method,
                path: #path,
                auth_modes: &[#(#modes),*],
                response_key: #response_key,
                read_only: #read_only,
                anonymous: #anonymous,
            };

            #builder_doc
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until `.send()` is awaited"]
            pub struct #builder {
                client: crate::#client,
                #(#store_idents: ::std::option::Option<#store_types>,)*
                #polling_field
            }

            impl #builder {
                fn new(client: crate::#client) -> Self {
                    Self {
                        client,
                        #(#store_idents: ::std::option::Option::None,)*
                        #polling_init
                    }
                }

                #(#setters)*

                #polling_setter

                #send

                #send_with_response

                #paging

                #into_parts
            }

            #by_status_enum

            #error_enum
        };
        (method_tokens, items)
    }

    /// `into_parts`, `send`, `send_with_response` and pagination for an
    /// operation sent as JSON without parameters, the runtime's fast path
    /// (every Seam operation): the body is serialized by the runtime, which
    /// also unwraps response keys, waits for action attempts and pages.
    fn simple_parts(
        &self,
        op: &Operation,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
        returns: &str,
    ) -> (TokenStream, TokenStream, TokenStream, TokenStream, Polling) {
        let api = self.api;
        let client = format_ident!("{}", self.config.client_name);
        let types_path = quote!(crate::types::);
        let has_body = op.body.is_some() || op.whole_body.is_some();
        let (into_parts, body_arg) = match (op.body, &op.whole_body) {
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
        };

        let (parts, client_ref) = if has_body {
            (
                quote!(let (client, body) = self.into_parts()?;),
                quote!(client),
            )
        } else {
            (TokenStream::new(), quote!(self.client))
        };
        let action = self.config.action_attempts.as_ref().is_some_and(|a| {
            op.response
                .key
                .as_ref()
                .is_some_and(|(key, _)| *key == a.response_key)
        });
        let send = match (&op.response.key, &op.response.body) {
            _ if op.response.key_null => quote! {
                /// Sends the request. The response holds nothing to return.
                pub async fn send(self) -> ::std::result::Result<(), crate::Error> {
                    #parts
                    #client_ref.runtime().execute_discard(&#spec_static, #body_arg).await
                }
            },
            (Some((_, ty)), _) if action => {
                let ty = rust_type(api, ty, &types_path);
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
                let ty = rust_type(api, ty, &types_path);
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
        };
        let send_with_response = op.response.body.as_ref().map(|ty| {
            let ty = rust_type(api, ty, &types_path);
            quote! {
                /// Sends the request and returns the whole response: status,
                /// headers, request id and the decoded body.
                pub async fn send_with_response(self) -> ::std::result::Result<crate::ApiResponse<#ty>, crate::Error> {
                    #parts
                    #client_ref.runtime().execute(&#spec_static, #body_arg).await
                }
            }
        });
        let polling = if action {
            Polling {
                field: quote!(polling: ::std::option::Option<::oagen_runtime::ActionAttemptPolling>,),
                init: quote!(polling: ::std::option::Option::None,),
                setter: quote! {
                    /// How this call waits for its action attempt; the client's
                    /// policy by default. [`crate::ActionAttemptPolling::disabled`]
                    /// returns the attempt as first sent.
                    pub fn action_attempt_polling(mut self, polling: ::oagen_runtime::ActionAttemptPolling) -> Self {
                        self.polling = ::std::option::Option::Some(polling);
                        self
                    }
                },
            }
        } else {
            Polling::default()
        };
        let paging = op.response.pagination.as_ref().filter(|_| op.body.is_some()).map(|p| {
            let item = rust_type(api, &p.item, &types_path);
            let (cursor, pagination, has_next, next_cursor) = (
                &p.cursor_field,
                &p.pagination_field,
                &p.has_next_field,
                &p.next_cursor_field,
            );
            let spec = quote! {
                &::oagen_runtime::PaginationSpec {
                    cursor_field: #cursor,
                    pagination_field: #pagination,
                    has_next_field: #has_next,
                    next_cursor_field: #next_cursor,
                }
            };
            quote! {
                /// Every item of every page, from the page `page_cursor` names
                /// (the first when unset) to the last. Pages are fetched as the
                /// stream is read.
                pub fn paginate(self) -> impl ::oagen_runtime::Stream<Item = ::std::result::Result<#item, crate::Error>> + ::std::marker::Send + 'static {
                    let start = self.into_parts().map(|(client, body)| (client.runtime().clone(), body));
                    ::oagen_runtime::items(start, &#spec_static, #spec)
                }

                /// Every page, from the page `page_cursor` names (the first when
                /// unset) to the last. Each page carries the cursor of the next:
                /// store it, and pass it to `page_cursor` to resume later.
                pub fn pages(self) -> impl ::oagen_runtime::Stream<Item = ::std::result::Result<crate::Page<#item>, crate::Error>> + ::std::marker::Send + 'static {
                    let start = self.into_parts().map(|(client, body)| (client.runtime().clone(), body));
                    ::oagen_runtime::pages(start, &#spec_static, #spec)
                }
            }
        });
        (
            into_parts,
            send,
            send_with_response.unwrap_or_default(),
            paging.unwrap_or_default(),
            polling,
        )
    }

    /// The checks and assembly of an object body: `checks` holds the
    /// validator, required values become locals, and `body` is built.
    fn build_body(
        &self,
        id: crate::ir::TypeId,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
    ) -> (TokenStream, TokenStream) {
        let api = self.api;
        let types_path = quote!(crate::types::);
        let body_ty = rust_type(api, &TypeRef::Named(id), &types_path);
        let checked = self.validated.contains(&id);
        let fields: Vec<&Slot> = slots
            .iter()
            .filter(|s| {
                matches!(
                    s.kind,
                    SlotKind::BodyField { .. } | SlotKind::BodyExtra { .. }
                )
            })
            .collect();
        let inits = fields.iter().map(|s| {
            let (SlotKind::BodyField { struct_ident } | SlotKind::BodyExtra { struct_ident }) =
                &s.kind
            else {
                unreachable!("filtered to body fields")
            };
            let field = ident(struct_ident);
            let store = ident(&s.field.ident);
            if matches!(s.kind, SlotKind::BodyExtra { .. }) {
                quote!(#field: self.#store.unwrap_or_default())
            } else if !s.required() {
                quote!(#field: self.#store)
            } else if s.field.is_optional() {
                // Required in requests, absent from responses (write-only).
                quote!(#field: ::std::option::Option::Some(#store))
            } else if *struct_ident == s.field.ident {
                quote!(#field)
            } else {
                quote!(#field: #store)
            }
        });
        // Read-only properties are never sent.
        let read_only: Vec<_> = match &api.ty(id).kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter(|f| f.read_only)
                .map(|f| {
                    let field = ident(&f.ident);
                    quote!(#field: ::std::option::Option::None)
                })
                .collect(),
            _ => Vec::new(),
        };
        let inits = inits.chain(read_only);
        let allow = fields
            .iter()
            .any(|s| s.field.deprecated.is_some())
            .then(|| quote!(#[allow(deprecated)]));
        let validate = checked.then(|| quote!(body.validate(&mut checks);));
        let (checks, finish) = required_checks(slots, checked, spec_static);
        (
            checks,
            quote! {
                #allow
                let body = #body_ty {
                    #(#inits,)*
                };
                #validate
                #finish
            },
        )
    }

    /// `into_parts` for an operation with parameters or a body that is not
    /// plain JSON: checks, then a runtime [`Request`] with everything set.
    fn request_parts(
        &self,
        op: &Operation,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
    ) -> TokenStream {
        let client = format_ident!("{}", self.config.client_name);
        let (checks, body) = match op.body {
            Some(id) => self.build_body(id, slots, spec_static),
            None => required_checks(slots, false, spec_static),
        };
        let mut statements = Vec::new();
        for slot in slots {
            let SlotKind::Param(p) = &slot.kind else {
                continue;
            };
            let name = &p.wire_name;
            let style = style_tokens(p.style);
            let (explode, allow_reserved) = (p.explode, p.allow_reserved);
            let call = match p.location {
                ParamLocation::Path => quote!(path_param),
                ParamLocation::Query => quote!(query_param),
                ParamLocation::Header => quote!(header_param),
                ParamLocation::Cookie => quote!(cookie_param),
            };
            let spec = quote! {
                &::oagen_runtime::params::ParamSpec {
                    name: #name,
                    style: ::oagen_runtime::params::Style::#style,
                    explode: #explode,
                    allow_reserved: #allow_reserved,
                }
            };
            let store = ident(&slot.field.ident);
            statements.push(if slot.required() {
                quote!(request.#call(#spec, &#store)?;)
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#store {
                        request.#call(#spec, value)?;
                    }
                }
            });
        }
        let whole = || {
            if op.body_required {
                quote!(body)
            } else {
                quote!(value)
            }
        };
        let body_statement = match (&op.body_media, op.body, &op.whole_body) {
            (BodyMedia::None, ..) => TokenStream::new(),
            (BodyMedia::Json(media), Some(_), _) => quote!(request.json(#media, &body)?;),
            (BodyMedia::Json(media), None, Some(_)) => {
                let v = whole();
                quote!(request.json(#media, &#v)?;)
            }
            (BodyMedia::Text(media) | BodyMedia::Bytes(media), None, Some(_)) => {
                let v = whole();
                quote!(request.raw(#media, #v);)
            }
            (BodyMedia::Form(encodings), Some(_), _) => {
                let encodings = encodings.iter().map(|(name, style, explode)| {
                    let style = style_tokens(*style);
                    quote!((#name, ::oagen_runtime::params::Style::#style, #explode))
                });
                quote!(request.form(&body, &[#(#encodings),*])?;)
            }
            (BodyMedia::Form(_), None, Some(_)) => {
                let v = whole();
                quote!(request.form(&#v, &[])?;)
            }
            (BodyMedia::Multipart(_), ..) => {
                let fields = if op.body.is_some() {
                    quote!(&body)
                } else {
                    quote!(&::serde_json::Map::new())
                };
                // Required single files start the list; the others are
                // added to it.
                let mut first = Vec::new();
                let mut more = Vec::new();
                for s in slots {
                    let SlotKind::File { many } = s.kind else {
                        continue;
                    };
                    let store = ident(&s.field.ident);
                    let wire = &s.field.wire_name;
                    match (many, s.required()) {
                        (false, true) => first.push(quote!((#wire, #store))),
                        (false, false) => more.push(quote! {
                            if let ::std::option::Option::Some(file) = self.#store {
                                files.push((#wire, file));
                            }
                        }),
                        (true, true) => more.push(quote!(files.extend(#store.into_iter().map(|file| (#wire, file)));)),
                        (true, false) => more.push(quote!(files.extend(self.#store.into_iter().flatten().map(|file| (#wire, file)));)),
                    }
                }
                let files = match (first.is_empty(), more.is_empty()) {
                    (true, true) => quote!(let files = ::std::vec::Vec::new();),
                    (false, true) => quote!(let files = ::std::vec![#(#first),*];),
                    (true, false) => quote!(let mut files = ::std::vec::Vec::new();),
                    (false, false) => quote!(let mut files = ::std::vec![#(#first),*];),
                };
                quote! {
                    #files
                    #(#more)*
                    request.multipart(#fields, files)?;
                }
            }
            _ => TokenStream::new(),
        };
        let body_statement =
            if op.whole_body.is_some() && !op.body_required && !body_statement.is_empty() {
                quote! {
                    if let ::std::option::Option::Some(value) = self.body {
                        #body_statement
                    }
                }
            } else {
                body_statement
            };
        // A response that is not JSON: accept what the server sends.
        let not_json =
            |b: &Option<ResponseBody>| matches!(b, Some(ResponseBody::Text | ResponseBody::Bytes));
        if not_json(&op.response.media) || op.response.by_status.iter().any(|r| not_json(&r.body)) {
            statements.push(quote!(request.accept("*/*");));
        }
        let mutability =
            (!statements.is_empty() || !body_statement.is_empty()).then(|| quote!(mut));
        quote! {
            /// Checks the fields and assembles the request; nothing is sent.
            fn into_parts(self) -> ::std::result::Result<(crate::#client, ::oagen_runtime::Request), crate::Error> {
                #checks
                #body
                let #mutability request = ::oagen_runtime::Request::new(&#spec_static);
                #(#statements)*
                #body_statement
                ::std::result::Result::Ok((self.client, request))
            }
        }
    }

    /// `send` and `send_with_response` for an operation sent as a [`Request`].
    fn request_send(
        &self,
        op: &Operation,
        by_status: Option<&proc_macro2::Ident>,
        returns: &str,
    ) -> (TokenStream, TokenStream) {
        let api = self.api;
        let types_path = quote!(crate::types::);
        // The return type, and the expression that reads it from `response`
        // (a `Result`); `None` when nothing is read.
        let (ty, decode) = if let Some(name) = by_status {
            (quote!(#name), Some(quote!(#name::read(&response))))
        } else {
            match (&op.response.media, &op.response.key) {
                _ if op.response.key_null => (quote!(()), None),
                (Some(ResponseBody::Json(_)), Some((key, ty))) => {
                    let ty = rust_type(api, ty, &types_path);
                    (quote!(#ty), Some(quote!(response.json_field(#key))))
                }
                (Some(ResponseBody::Json(ty)), None) => {
                    let ty = rust_type(api, ty, &types_path);
                    (quote!(#ty), Some(quote!(response.json())))
                }
                (Some(ResponseBody::Text), _) => {
                    (quote!(::std::string::String), Some(quote!(response.text())))
                }
                (Some(ResponseBody::Bytes), _) => (
                    quote!(::std::vec::Vec<u8>),
                    Some(quote!(::std::result::Result::Ok(response.into_bytes()))),
                ),
                (None, _) => (quote!(()), None),
            }
        };
        let doc = doc_attrs(Some(&format!("Sends the request and returns {returns}.")));
        let tail = match decode {
            Some(decode) => quote! {
                let response = client.runtime().send(request).await?;
                #decode
            },
            None => quote!(client.runtime().send(request).await.map(drop)),
        };
        let send = quote! {
            #doc
            pub async fn send(self) -> ::std::result::Result<#ty, crate::Error> {
                let (client, request) = self.into_parts()?;
                #tail
            }
        };
        // The whole body, for `send_with_response`.
        let whole = if let Some(name) = by_status {
            Some((quote!(#name), quote!(#name::read(&response)?)))
        } else {
            match &op.response.media {
                Some(ResponseBody::Json(ty)) => {
                    let ty = rust_type(api, ty, &types_path);
                    Some((quote!(#ty), quote!(response.json()?)))
                }
                Some(ResponseBody::Text) => {
                    Some((quote!(::std::string::String), quote!(response.text()?)))
                }
                Some(ResponseBody::Bytes) => Some((
                    quote!(::std::vec::Vec<u8>),
                    quote!(response.body().to_vec()),
                )),
                None => None,
            }
        };
        let send_with_response = whole.map(|(ty, decode)| {
            quote! {
                /// Sends the request and returns the whole response: status,
                /// headers, request id and the decoded body.
                pub async fn send_with_response(self) -> ::std::result::Result<crate::ApiResponse<#ty>, crate::Error> {
                    let (client, request) = self.into_parts()?;
                    let response = client.runtime().send(request).await?;
                    let body = #decode;
                    ::std::result::Result::Ok(response.into_response(body))
                }
            }
        });
        (send, send_with_response.unwrap_or_default())
    }

    /// The enum of an operation's success responses, one variant per status.
    fn by_status_enum(&self, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
        let api = self.api;
        let types_path = quote!(crate::types::);
        let mut variants = Vec::new();
        let mut reads = Vec::new();
        let mut has_default = false;
        let mut responses: Vec<&StatusResponse> = op.response.by_status.iter().collect();
        // Exact codes first, then ranges, then `default`.
        responses.sort_by_key(|r| match r.status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        for r in responses {
            let variant = format_ident!("{}", r.ident);
            let doc = doc_attrs(
                paragraphs([
                    Some(capitalize(&status_text(r.status)).as_str()),
                    r.docs.as_deref(),
                ])
                .as_deref(),
            );
            let (shape, read) = match &r.body {
                None => (quote!(), quote!(#name::#variant)),
                Some(ResponseBody::Json(ty)) => {
                    let ty = rust_type(api, ty, &types_path);
                    (quote!((#ty)), quote!(#name::#variant(response.json()?)))
                }
                Some(ResponseBody::Text) => (
                    quote!((::std::string::String)),
                    quote!(#name::#variant(response.text()?)),
                ),
                Some(ResponseBody::Bytes) => (
                    quote!((::std::vec::Vec<u8>)),
                    quote!(#name::#variant(response.body().to_vec())),
                ),
            };
            variants.push(quote! {
                #doc
                #variant #shape,
            });
            let pattern = status_pattern(r.status);
            has_default |= r.status == Status::Default;
            reads.push((pattern, read));
        }
        let read = by_status(
            quote!(response.status()),
            &reads,
            has_default,
            quote!(return ::std::result::Result::Err(response.unexpected_status())),
        );
        let doc = doc_attrs(Some(&format!("The responses of `{}`, by status.", op.id)));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                fn read(response: &::oagen_runtime::RawResponse) -> ::std::result::Result<Self, crate::Error> {
                    ::std::result::Result::Ok(#read)
                }
            }
        }
    }

    /// The enum of an operation's error bodies, one variant per status, and
    /// `from_error`, which reads one from an [`crate::Error`].
    fn error_enum(
        &self,
        op: &Operation,
        name: &proc_macro2::Ident,
        spec_static: &proc_macro2::Ident,
    ) -> TokenStream {
        let api = self.api;
        let types_path = quote!(crate::types::);
        let mut variants = Vec::new();
        let mut reads = Vec::new();
        let mut has_default = false;
        let mut errors: Vec<&StatusResponse> = op.response.errors.iter().collect();
        errors.sort_by_key(|r| match r.status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        for r in errors {
            let Some(ResponseBody::Json(ty)) = &r.body else {
                continue;
            };
            let variant = format_ident!("{}", r.ident);
            let ty = rust_type(api, ty, &types_path);
            let doc = doc_attrs(
                paragraphs([
                    Some(capitalize(&status_text(r.status)).as_str()),
                    r.docs.as_deref(),
                ])
                .as_deref(),
            );
            variants.push(quote! {
                #doc
                #variant(#ty),
            });
            let pattern = status_pattern(r.status);
            has_default |= r.status == Status::Default;
            reads.push((pattern, quote!(#name::#variant(error.body_as()?.ok()?))));
        }
        let read = by_status(
            quote!(error.status),
            &reads,
            has_default,
            quote!(return ::std::option::Option::None),
        );
        let doc = doc_attrs(Some(&format!(
            "The error bodies of `{}`, by status.",
            op.id
        )));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// The typed body of an error response of this operation;
                /// `None` for other errors, or a body that does not match.
                pub fn from_error(error: &crate::Error) -> ::std::option::Option<Self> {
                    let crate::Error::Api(error) = error else {
                        return ::std::option::Option::None;
                    };
                    if error.operation != #spec_static.id {
                        return ::std::option::Option::None;
                    }
                    ::std::option::Option::Some(#read)
                }
            }
        }
    }
}

/// A builder's own fields for action-attempt polling, when it has them.
#[derive(Default)]
struct Polling {
    field: TokenStream,
    init: TokenStream,
    setter: TokenStream,
}

/// One value a request builder holds.
struct Slot<'a> {
    /// The value as a field: its `ident` is the builder's field and setter.
    field: Field,
    kind: SlotKind<'a>,
}

enum SlotKind<'a> {
    /// A property of the object body, whose Rust field is `struct_ident`.
    BodyField { struct_ident: String },
    /// The body's other properties (`additionalProperties`), a map in the
    /// Rust field `struct_ident`.
    BodyExtra { struct_ident: String },
    /// The whole body.
    Whole,
    /// A file of a multipart body.
    File { many: bool },
    /// A parameter.
    Param(&'a crate::ir::Parameter),
}

impl Slot<'_> {
    /// Whether the request cannot be sent without it.
    fn required(&self) -> bool {
        match self.kind {
            SlotKind::Whole | SlotKind::File { .. } | SlotKind::Param(_) => self.field.required,
            SlotKind::BodyField { .. } => self.field.must_set(),
            SlotKind::BodyExtra { .. } => false,
        }
    }
}

/// Starts a validator and takes every required slot's value into a local of
/// the slot's name, returning early when one is missing; and the statement
/// that ends the checks. Both are empty when there is nothing to check.
fn required_checks(
    slots: &[Slot],
    validated: bool,
    spec_static: &proc_macro2::Ident,
) -> (TokenStream, TokenStream) {
    let required: Vec<&Slot> = slots.iter().filter(|s| s.required()).collect();
    if required.is_empty() && !validated {
        return (TokenStream::new(), TokenStream::new());
    }
    let new = quote!(let mut checks = ::oagen_runtime::validate::Validator::new(#spec_static.id););
    let finish = quote!(checks.finish()?;);
    if required.is_empty() {
        return (new, finish);
    }
    let idents: Vec<_> = required.iter().map(|s| ident(&s.field.ident)).collect();
    let wires = required.iter().map(|s| &s.field.wire_name);
    (
        quote! {
            #new
            #(let #idents = checks.take(#wires, self.#idents);)*
            let (#(::std::option::Option::Some(#idents),)*) = (#(#idents,)*) else {
                return ::std::result::Result::Err(checks.into_error());
            };
        },
        finish,
    )
}

/// Every value the builder of `op` holds: body fields (or the whole body),
/// files, then parameters.
fn slots<'a>(api: &Api, op: &'a Operation) -> Vec<Slot<'a>> {
    let plain =
        |wire: &str, ident: &str, ty: TypeRef, required: bool, docs: Option<String>| Field {
            wire_name: wire.to_owned(),
            ident: ident.to_owned(),
            ty,
            required,
            nullable: false,
            docs,
            deprecated: None,
            constraints: Default::default(),
            boxed: false,
            tri_state: false,
            read_only: false,
            write_only: false,
            default: None,
        };
    let mut out = Vec::new();
    if let Some(id) = op.body {
        if let TypeKind::Struct { fields, extra, .. } = &api.ty(id).kind {
            if let Some((name, value)) = extra {
                let docs = "Properties beyond those the spec names.".to_owned();
                out.push(Slot {
                    field: plain(
                        name,
                        &builder_field(name),
                        TypeRef::Map(Box::new(value.clone())),
                        false,
                        Some(docs),
                    ),
                    kind: SlotKind::BodyExtra {
                        struct_ident: name.clone(),
                    },
                });
            }
            // Read-only properties are the server's: the builder has no setter.
            for f in fields.iter().filter(|f| !f.read_only) {
                let mut field = f.clone();
                field.ident = builder_field(&f.ident);
                out.push(Slot {
                    field,
                    kind: SlotKind::BodyField {
                        struct_ident: f.ident.clone(),
                    },
                });
            }
        }
    }
    if let Some(ty) = &op.whole_body {
        let required = op.body_required;
        out.push(Slot {
            field: plain(
                "body",
                "body",
                ty.clone(),
                required,
                Some("The request body.".to_owned()),
            ),
            kind: SlotKind::Whole,
        });
    }
    if let BodyMedia::Multipart(files) = &op.body_media {
        for file in files {
            out.push(Slot {
                field: plain(
                    &file.wire_name,
                    &file.ident,
                    TypeRef::Bytes,
                    file.required,
                    file.docs.clone(),
                ),
                kind: SlotKind::File { many: file.many },
            });
        }
    }
    for p in &op.parameters {
        let place = match p.location {
            ParamLocation::Path => "in the path",
            ParamLocation::Query => "in the query",
            ParamLocation::Header => "as a header",
            ParamLocation::Cookie => "as a cookie",
        };
        let as_json = if p.style == ParamStyle::Json {
            ", as JSON text"
        } else {
            ""
        };
        let note = format!("Sent {place} as `{}`{as_json}.", p.wire_name);
        let docs = Some(match &p.docs {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        });
        let mut field = plain(&p.wire_name, &p.ident, p.ty.clone(), p.required, docs);
        field.deprecated = p.deprecated.clone();
        out.push(Slot {
            field,
            kind: SlotKind::Param(p),
        });
    }
    out
}

/// Whether the runtime's JSON fast path can send `op`: no parameters, a JSON
/// body (`application/json`) or none, and one JSON response or none.
fn is_simple(op: &Operation) -> bool {
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

/// The `match` pattern of a status: `404`, `400..=499` or `_`.
fn status_pattern(status: Status) -> TokenStream {
    let lit = proc_macro2::Literal::u16_unsuffixed;
    match status {
        Status::Code(c) => {
            let c = lit(c);
            quote!(#c)
        }
        Status::Range(start) => {
            let (start, end) = (lit(start), lit(start + 99));
            quote!(#start..=#end)
        }
        Status::Default => quote!(_),
    }
}

/// A `match` of `status` over `(pattern, value)` pairs (sorted by
/// specificity, `default` last as `_`), with `otherwise` for the statuses
/// none covers when there is no `default`; just the value when `default` is
/// the only one.
fn by_status(
    status: TokenStream,
    reads: &[(TokenStream, TokenStream)],
    has_default: bool,
    otherwise: TokenStream,
) -> TokenStream {
    if let (true, [(_, read)]) = (has_default, reads) {
        return read.clone();
    }
    let arms = reads
        .iter()
        .map(|(pattern, read)| quote!(#pattern => #read,));
    let otherwise = (!has_default).then(|| quote!(_ => #otherwise,));
    quote! {
        match #status {
            #(#arms)*
            #otherwise
        }
    }
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Simple => quote!(Simple),
        ParamStyle::Label => quote!(Label),
        ParamStyle::Matrix => quote!(Matrix),
        ParamStyle::Form => quote!(Form),
        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ParamStyle::DeepObject => quote!(DeepObject),
        ParamStyle::Json => quote!(Json),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `#[allow(clippy::should_implement_trait)]` for a setter named like the
/// method of an operator trait (`sub`, `add`): `fn sub(mut self, value) ->
/// Self` has the shape of `Sub::sub`, yet it sets the parameter `sub`.
fn like_operator_method(name: &str) -> TokenStream {
    const OPERATORS: &[&str] = &[
        "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
    ];
    if OPERATORS.contains(&name) {
        quote!(#[allow(clippy::should_implement_trait)])
    } else {
        TokenStream::new()
    }
}

fn file_setter(f: &Field, many: bool) -> TokenStream {
    let i = ident(&f.ident);
    let mut docs = f
        .docs
        .clone()
        .unwrap_or_else(|| format!("The file `{}`.", f.wire_name));
    if f.required {
        docs.push_str("\n\nRequired.");
    }
    let docs = doc_attrs(Some(&docs));
    let allow = like_operator_method(&f.ident);
    let docs = quote!(#docs #allow);
    if many {
        quote! {
            #docs
            pub fn #i(mut self, files: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::oagen_runtime::Upload>>) -> Self {
                self.#i = ::std::option::Option::Some(files.into_iter().map(::std::convert::Into::into).collect());
                self
            }
        }
    } else {
        quote! {
            #docs
            pub fn #i(mut self, file: impl ::std::convert::Into<::oagen_runtime::Upload>) -> Self {
                self.#i = ::std::option::Option::Some(file.into());
                self
            }
        }
    }
}

fn setter(api: &Api, f: &Field, types_path: &TokenStream) -> TokenStream {
    let i = ident(&f.ident);
    let mut docs = f
        .docs
        .clone()
        .unwrap_or_else(|| format!("Sets `{}`.", f.wire_name));
    let mut notes = Vec::new();
    if f.required && !f.nullable {
        notes.push("Required.".to_owned());
    }
    let c = &f.constraints;
    if let Some(n) = c.min_length {
        notes.push(format!("At least {n} character(s)."));
    }
    if let Some(n) = c.max_length {
        notes.push(format!("At most {n} character(s)."));
    }
    if let Some(n) = c.min_items {
        notes.push(format!("At least {n} item(s)."));
    }
    if let Some(n) = c.max_items {
        notes.push(format!("At most {n} item(s)."));
    }
    if !notes.is_empty() {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&notes.join(" "));
    }
    let docs = doc_attrs((!docs.is_empty()).then_some(docs.as_str()));
    let deprecated = deprecated_attr(f.deprecated.as_ref());
    let allow = like_operator_method(&f.ident);
    let deprecated = quote!(#deprecated #allow);
    // A tri-state field holds `Some(Some(value))` when set, `Some(None)` for null.
    let wrap = |value: TokenStream| {
        if f.tri_state {
            quote!(::std::option::Option::Some(::std::option::Option::Some(#value)))
        } else {
            quote!(::std::option::Option::Some(#value))
        }
    };
    let set = match &f.ty {
        TypeRef::Array(item) if !f.boxed => {
            let item = rust_type(api, item, types_path);
            let value = wrap(quote!(value
                .into_iter()
                .map(::std::convert::Into::into)
                .collect()));
            quote! {
                #docs
                #deprecated
                pub fn #i(mut self, value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>) -> Self {
                    self.#i = #value;
                    self
                }
            }
        }
        ty => {
            let ty = rust_type(api, ty, types_path);
            let value = if f.boxed {
                wrap(quote!(::std::boxed::Box::new(value.into())))
            } else {
                wrap(quote!(value.into()))
            };
            quote! {
                #docs
                #deprecated
                pub fn #i(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#i = #value;
                    self
                }
            }
        }
    };
    if !f.tri_state {
        return set;
    }
    let null = format_ident!("{}_null", f.ident.trim_start_matches("r#"));
    let null_doc = format!(
        " Sends `{}` as `null` (leaving it unset omits it).",
        f.wire_name
    );
    quote! {
        #set

        #[doc = #null_doc]
        #deprecated
        pub fn #null(mut self) -> Self {
            self.#i = ::std::option::Option::Some(::std::option::Option::None);
            self
        }
    }
}

fn accessor_chain(path: &[String]) -> String {
    let calls: Vec<String> = path.iter().map(|s| format!("{s}()")).collect();
    format!("client.{}", calls.join("."))
}

fn type_doc(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("[`{0}`](crate::types::{0})", api.ty(*id).name),
        TypeRef::Array(item) => format!("a list of {}", type_doc(api, item)),
        TypeRef::Map(value) => format!("a map of {}", type_doc(api, value)),
        TypeRef::String => "a string".to_owned(),
        TypeRef::DateTime => "a date-time".to_owned(),
        TypeRef::Date => "a date".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "an integer".to_owned(),
        TypeRef::F64 => "a number".to_owned(),
        TypeRef::Bool => "a boolean".to_owned(),
        TypeRef::Json => "a JSON value".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
    }
}
