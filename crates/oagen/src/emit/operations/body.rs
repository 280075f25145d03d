//! The checks a request builder runs before anything is sent, and the
//! assembly of an object body from the builder's fields; both paths a request
//! is sent by (the JSON fast path and a runtime `Request`) share them.

use proc_macro2::TokenStream;
use quote::quote;

use super::builders::{Slot, SlotKind};
use super::Build;
use crate::emit::{ident, rust_type};
use crate::ir::{TypeKind, TypeRef};

impl Build<'_> {
    /// The checks and assembly of an object body: `checks` holds the
    /// validator, required values become locals, and `body` is built.
    pub(super) fn build_body(
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
        let read_only: Vec<_> = match &api.shape(id).kind {
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
}

/// Starts a validator and takes every required slot's value into a local of
/// the slot's name, returning early when one is missing; and the statement
/// that ends the checks. Both are empty when there is nothing to check.
pub(super) fn required_checks(
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
