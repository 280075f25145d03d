//! The enums of an operation's responses by status: its success responses
//! (`…Response`, read by `send` when an operation declares more than one),
//! and its typed error bodies (`…Error`, read from a `crate::Error` with
//! `from_error`). Both read a value with one `match` over the statuses, most
//! specific first.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{doc_attrs, paragraphs, rust_type};
use crate::ir::status_text;
use crate::ir::{Api, Operation, ResponseBody, Status, StatusResponse};

/// The enum of an operation's success responses, one variant per status.
pub(super) fn by_status_enum(api: &Api, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let types_path = quote!(crate::types::);
    let mut variants = Vec::new();
    let mut reads = Vec::new();
    let mut has_default = false;
    for r in by_specificity(&op.response.by_status) {
        let variant = format_ident!("{}", r.ident);
        let doc = variant_doc(r);
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
        #[non_exhaustive]
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
/// `from_error`, which reads one from an `crate::Error`.
pub(super) fn error_enum(
    api: &Api,
    op: &Operation,
    name: &proc_macro2::Ident,
    spec_static: &proc_macro2::Ident,
) -> TokenStream {
    let types_path = quote!(crate::types::);
    let mut variants = Vec::new();
    let mut reads = Vec::new();
    let mut has_default = false;
    for r in by_specificity(&op.response.errors) {
        let Some(ResponseBody::Json(ty)) = &r.body else {
            continue;
        };
        let variant = format_ident!("{}", r.ident);
        let ty = rust_type(api, ty, &types_path);
        let doc = variant_doc(r);
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
        #[non_exhaustive]
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

/// The responses in the order their `match` arms need: exact codes first,
/// then ranges, then `default` (the sort is stable: the spec's order within
/// each).
fn by_specificity(responses: &[StatusResponse]) -> Vec<&StatusResponse> {
    let mut sorted: Vec<&StatusResponse> = responses.iter().collect();
    sorted.sort_by_key(|r| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    sorted
}

/// The documentation of a variant: its status in words, then the spec's
/// description of the response.
fn variant_doc(r: &StatusResponse) -> TokenStream {
    doc_attrs(
        paragraphs([
            Some(capitalize(&status_text(r.status)).as_str()),
            r.docs.as_deref(),
        ])
        .as_deref(),
    )
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

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
