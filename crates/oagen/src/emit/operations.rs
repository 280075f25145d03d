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
use crate::ir::{Api, Field, Method, Operation, TypeKind, TypeRef};

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
    /// operation's static description and its request builder.
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
        let builder = format_ident!(
            "{}",
            self.names.claim(
                &type_ident(&format!("{}_request", op.id.replace('.', "_"))),
                ""
            )
        );
        // A static's name may not start with a digit, as an operation id may.
        let spec_static = format_ident!("OP_{}", op.id.replace('.', "_").to_shouty_snake_case());

        // The static description the runtime works from.
        let id = &op.id;
        let path = &op.path;
        let http_method = match op.method {
            Method::Get => quote!(Get),
            Method::Post => quote!(Post),
            Method::Put => quote!(Put),
            Method::Patch => quote!(Patch),
            Method::Delete => quote!(Delete),
        };
        let modes = &op.auth_modes;
        let response_key = match &op.response.key {
            Some((key, _)) => quote!(::std::option::Option::Some(#key)),
            None => quote!(::std::option::Option::None),
        };

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
        let auth_line = if accepts.is_empty() {
            "No authentication needed.".to_owned()
        } else {
            format!("Authentication: {}.", accepts.join(", "))
        };
        let returns = match (&op.response.key, &op.response.body) {
            _ if op.response.key_null => "nothing".to_owned(),
            (Some((key, ty)), _) => {
                format!("{} (the `{key}` field of the response)", type_doc(api, ty))
            }
            (None, Some(ty)) => type_doc(api, ty),
            (None, None) => "nothing".to_owned(),
        };
        let signature = format!("`{verb} {path}`. {auth_line} Returns {returns}.");
        let method_docs = doc_attrs(
            paragraphs([
                op.title.as_deref(),
                op.docs.as_deref(),
                Some(signature.as_str()),
            ])
            .as_deref(),
        );
        let deprecated = deprecated_attr(op.deprecated.as_ref());

        // The builder's fields and setters.
        // A body that is not an object is one required `body` field.
        let whole = op.whole_body.as_ref().map(|ty| Field {
            wire_name: "body".to_owned(),
            ident: "body".to_owned(),
            ty: ty.clone(),
            required: true,
            nullable: false,
            docs: Some("The request body.".to_owned()),
            deprecated: None,
            constraints: Default::default(),
            boxed: false,
            tri_state: false,
            read_only: false,
            write_only: false,
            default: None,
        });
        let fields: Vec<&Field> = match (op.body, &whole) {
            (Some(id), _) => match &api.ty(id).kind {
                TypeKind::Struct { fields, .. } => fields.iter().collect(),
                _ => Vec::new(),
            },
            (None, Some(whole)) => vec![whole],
            (None, None) => Vec::new(),
        };
        let has_body = op.body.is_some() || whole.is_some();
        let store_idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
        let store_types: Vec<_> = fields
            .iter()
            .map(|f| {
                let mut ty = rust_type(api, &f.ty, &types_path);
                if f.boxed {
                    ty = quote!(::std::boxed::Box<#ty>);
                }
                if f.tri_state {
                    ty = quote!(::std::option::Option<#ty>);
                }
                ty
            })
            .collect();
        let setters = fields.iter().map(|f| setter(api, f, &types_path));

        // `into_parts`: required fields present, body built, constraints checked.
        let (into_parts, body_arg) = match op.body {
            Some(id) => {
                let body_ty = rust_type(api, &TypeRef::Named(id), &types_path);
                let required: Vec<_> = fields.iter().filter(|f| !f.is_optional()).collect();
                let take = if required.is_empty() {
                    TokenStream::new()
                } else {
                    let idents: Vec<_> = required.iter().map(|f| ident(&f.ident)).collect();
                    let wires = required.iter().map(|f| &f.wire_name);
                    quote! {
                        #(let #idents = v.take(#wires, self.#idents);)*
                        let (#(::std::option::Option::Some(#idents),)*) = (#(#idents,)*) else {
                            return ::std::result::Result::Err(v.into_error());
                        };
                    }
                };
                let inits = fields.iter().map(|f| {
                    let i = ident(&f.ident);
                    if f.is_optional() {
                        quote!(#i: self.#i)
                    } else {
                        quote!(#i)
                    }
                });
                let validate = self
                    .validated
                    .contains(&id)
                    .then(|| quote!(body.validate(&mut v);));
                let allow = fields
                    .iter()
                    .any(|f| f.deprecated.is_some())
                    .then(|| quote!(#[allow(deprecated)]));
                let mutability =
                    (!required.is_empty() || self.validated.contains(&id)).then(|| quote!(mut));
                (
                    quote! {
                        /// Checks the fields and assembles the body; nothing is sent.
                        #allow
                        fn into_parts(self) -> ::std::result::Result<(crate::#client, #body_ty), crate::Error> {
                            let #mutability v = ::oagen_runtime::validate::Validator::new(#spec_static.id);
                            #take
                            let body = #body_ty {
                                #(#inits,)*
                            };
                            #validate
                            v.finish()?;
                            ::std::result::Result::Ok((self.client, body))
                        }
                    },
                    quote!(::std::option::Option::Some(&body)),
                )
            }
            None if whole.is_some() => {
                let body_ty = rust_type(
                    api,
                    op.whole_body.as_ref().expect("whole body"),
                    &types_path,
                );
                (
                    quote! {
                        /// Checks that the body is set; nothing is sent.
                        fn into_parts(self) -> ::std::result::Result<(crate::#client, #body_ty), crate::Error> {
                            let mut v = ::oagen_runtime::validate::Validator::new(#spec_static.id);
                            let ::std::option::Option::Some(body) = v.take("body", self.body) else {
                                return ::std::result::Result::Err(v.into_error());
                            };
                            ::std::result::Result::Ok((self.client, body))
                        }
                    },
                    quote!(::std::option::Option::Some(&body)),
                )
            }
            None => {
                let body = if matches!(op.method, Method::Post | Method::Put | Method::Patch) {
                    // JSON APIs such as Seam expect an object on every write, even an empty one.
                    quote!(::std::option::Option::Some(&::serde_json::Map::new()))
                } else {
                    quote!(::std::option::Option::<&()>::None)
                };
                (TokenStream::new(), body)
            }
        };

        // `send` and `send_with_response`.
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
        let (polling_field, polling_init, polling_setter) = if action {
            (
                quote!(polling: ::std::option::Option<::oagen_runtime::ActionAttemptPolling>,),
                quote!(polling: ::std::option::Option::None,),
                quote! {
                    /// How this call waits for its action attempt; the client's
                    /// policy by default. [`crate::ActionAttemptPolling::disabled`]
                    /// returns the attempt as first sent.
                    pub fn action_attempt_polling(mut self, polling: ::oagen_runtime::ActionAttemptPolling) -> Self {
                        self.polling = ::std::option::Option::Some(polling);
                        self
                    }
                },
            )
        } else {
            (TokenStream::new(), TokenStream::new(), TokenStream::new())
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
        let read_only = op.is_read_only();

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
        let items = quote! {
            static #spec_static: ::oagen_runtime::OperationSpec = ::oagen_runtime::OperationSpec {
                id: #id,
                method: ::oagen_runtime::HttpMethod::#http_method,
                path: #path,
                auth_modes: &[#(#modes),*],
                response_key: #response_key,
                read_only: #read_only,
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
        };
        (method_tokens, items)
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
    }
}
