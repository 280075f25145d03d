//! The general path, for an operation with parameters or a body or response
//! that is not plain JSON: the builder assembles a runtime `Request`
//! (parameters in their styles, the body in its encoding, files), and `send`
//! decodes the response, by status when there are several.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::body::required_checks;
use super::builders::{Parts, Slot, SlotKind};
use super::pagination::Polling;
use super::Build;
use crate::emit::{doc_attrs, ident, rust_type};
use crate::ir::{BodyMedia, Operation, ParamLocation, ParamStyle, ResponseBody};

impl Build<'_> {
    /// `into_parts`, `send` and `send_with_response` for an operation sent as
    /// a runtime `Request`; it has no pagination or polling. `by_status` is
    /// the enum of its responses by status, when it has one.
    pub(super) fn request_parts(
        &self,
        op: &Operation,
        slots: &[Slot],
        spec_static: &proc_macro2::Ident,
        by_status: Option<&proc_macro2::Ident>,
        returns: &str,
    ) -> Parts {
        let into_parts = self.request_into_parts(op, slots, spec_static);
        let (send, send_with_response) = self.request_send(op, by_status, returns);
        Parts {
            into_parts,
            send,
            send_with_response,
            paging: TokenStream::new(),
            polling: Polling::default(),
            preview: quote! {
                pub fn preview(&self) -> ::std::result::Result<crate::RequestPreview, crate::Error> {
                    let (client, request) = self.clone().into_parts()?;
                    client.runtime().preview_request(&request)
                }
            },
        }
    }

    /// `into_parts` for an operation with parameters or a body that is not
    /// plain JSON: checks, then a runtime `Request` with everything set.
    fn request_into_parts(
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
        let mut statements = param_statements(slots);
        let body_statement = body_statement(op, slots);
        if accepts_any(op) {
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

    /// `send` and `send_with_response` for an operation sent as a `Request`.
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
}

/// The statements that set each parameter on `request`, in its style; an
/// optional one only when it is set. A required one was taken into a local
/// of its name by the checks.
fn param_statements(slots: &[Slot]) -> Vec<TokenStream> {
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
    statements
}

/// The statement that sets the body on `request` in its encoding: the object
/// body `body` assembled by the checks, or the whole body, only when set if it
/// is optional. Empty without a body.
fn body_statement(op: &Operation, slots: &[Slot]) -> TokenStream {
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
        (BodyMedia::Multipart(_), ..) => multipart_statement(op, slots),
        _ => TokenStream::new(),
    };
    if op.whole_body.is_some() && !op.body_required && !body_statement.is_empty() {
        quote! {
            if let ::std::option::Option::Some(value) = self.body {
                #body_statement
            }
        }
    } else {
        body_statement
    }
}

/// The statements that set a multipart body: the object body's fields (or
/// none), and the list of files, each under its part name.
fn multipart_statement(op: &Operation, slots: &[Slot]) -> TokenStream {
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
            (true, true) => {
                more.push(quote!(files.extend(#store.into_iter().map(|file| (#wire, file)));))
            }
            (true, false) => more.push(
                quote!(files.extend(self.#store.into_iter().flatten().map(|file| (#wire, file)));),
            ),
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

/// Whether `request` accepts any media type: when a response is not JSON, the
/// builder accepts what the server sends.
fn accepts_any(op: &Operation) -> bool {
    let not_json =
        |b: &Option<ResponseBody>| matches!(b, Some(ResponseBody::Text | ResponseBody::Bytes));
    not_json(&op.response.media) || op.response.by_status.iter().any(|r| not_json(&r.body))
}

/// The runtime's name of a parameter style.
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
