//! Constructors of generated structs.
//!
//! Every generated struct and enum is `#[non_exhaustive]`, so that a spec
//! that adds an optional field or an enum value makes a minor release: no
//! user code builds a struct literal or matches every variant. Users still
//! create values (in their own tests, or to send) with `new`, which takes
//! the fields a value cannot be without and leaves the others empty; the
//! fields stay public, to be set on the value.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::field_type;
use crate::ir::{Api, Field};

/// How many parameters a constructor takes before clippy's
/// `too_many_arguments` would call it too many (its default, 7).
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// The `new` of struct `name` (with `extra`, the name of its map of other
/// properties), and `Default` when it takes nothing.
pub(crate) fn constructor(
    api: &Api,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&str>,
    path: &TokenStream,
) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let field = ident(&f.ident);
        let ty = field_type(api, f, path);
        if takes(f) {
            params.push(quote!(#field: impl ::std::convert::Into<#ty>));
            inits.push(quote!(#field: #field.into()));
        } else {
            inits.push(quote!(#field: ::std::option::Option::None));
        }
    }
    if let Some(extra) = extra {
        let extra = ident(extra);
        inits.push(quote!(#extra: ::std::collections::BTreeMap::new()));
    }
    let doc = if params.is_empty() {
        " A value with every field `None`, to be set on it."
    } else {
        " A value with the fields it cannot be without; the optional ones are `None`, \
         to be set on it."
    };
    // Setting a deprecated field is no use of it.
    let deprecated = fields
        .iter()
        .any(|f| f.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    let allow =
        (params.len() > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let default = params.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #doc]
            #allow
            #deprecated
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                }
            }
        }
        #default
    }
}

/// Whether `new` takes field `f`: every field whose type is not an `Option`.
fn takes(f: &Field) -> bool {
    !(f.is_optional() || f.tri_state)
}
