//! `src/types.rs`: one Rust type per [`TypeDef`].

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, rust_type};
use crate::ir::{Api, Field, TypeDef, TypeId, TypeKind, TypeRef};

pub(crate) fn types_rs(api: &Api) -> TokenStream {
    let validated = validated_types(api);
    let items = api
        .types
        .iter()
        .enumerate()
        .map(|(i, def)| type_def(api, def, validated.contains(&TypeId(i)), &validated));
    quote! {
        //! The data types of the API: request bodies, responses and the
        //! resources they contain.
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef, validate: bool, validated: &BTreeSet<TypeId>) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs =
        doc_attrs(Some(def.docs.as_deref().unwrap_or(
            "A JSON object of the API (the spec gives no description).",
        )));
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            let field_tokens = fields.iter().map(|f| field(api, f));
            let validate_fn = validate.then(|| validate_fn(fields, validated));
            let validate_impl = validate_fn.map(|body| {
                quote! {
                    impl #name {
                        #body
                    }
                }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#field_tokens)*
                }
                #validate_impl
            }
        }
    }
}

/// The Rust type of a field, with `Option` and `Box` as needed.
pub(crate) fn field_type(api: &Api, f: &Field, types_path: &TokenStream) -> TokenStream {
    let mut ty = rust_type(api, &f.ty, types_path);
    if f.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if f.is_optional() {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let ident = ident(&f.ident);
    let ty = field_type(api, f, &TokenStream::new());
    let fallback = match &f.ty {
        TypeRef::Named(id) => format!(
            "The `{}` property; see [`{}`].",
            f.wire_name,
            api.ty(*id).name
        ),
        _ => format!("The `{}` property.", f.wire_name),
    };
    let docs = doc_attrs(Some(f.docs.as_deref().unwrap_or(&fallback)));
    let wire = &f.wire_name;
    let rename =
        (f.ident.trim_start_matches("r#") != wire).then(|| quote!(#[serde(rename = #wire)]));
    // An absent optional field is omitted when sending; a required nullable
    // field is always sent, as `null` when `None`.
    let serde = if !f.required {
        quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
    } else {
        TokenStream::new()
    };
    let deprecated = deprecated_attr(f.deprecated.as_ref());
    quote! {
        #docs
        #rename
        #serde
        #deprecated
        pub #ident: #ty,
    }
}

pub(crate) fn deprecated_attr(d: Option<&crate::ir::Deprecation>) -> TokenStream {
    match d {
        Some(crate::ir::Deprecation { note: Some(note) }) => quote!(#[deprecated(note = #note)]),
        Some(_) => quote!(#[deprecated]),
        None => TokenStream::new(),
    }
}

/// Request types that have something to check before sending: a constraint on
/// a field, or a field of a type that has one.
pub(crate) fn validated_types(api: &Api) -> BTreeSet<TypeId> {
    fn has_checks(api: &Api, id: TypeId, visiting: &mut BTreeSet<TypeId>) -> bool {
        if !visiting.insert(id) {
            return false;
        }
        let TypeKind::Struct { fields, request } = &api.ty(id).kind;
        let found = *request
            && fields.iter().any(|f| {
                !f.constraints.is_empty()
                    || nested(&f.ty).is_some_and(|inner| has_checks(api, inner, visiting))
            });
        visiting.remove(&id);
        found
    }
    (0..api.types.len())
        .map(TypeId)
        .filter(|&id| has_checks(api, id, &mut BTreeSet::new()))
        .collect()
}

/// The struct a field holds (directly or as array items), whose own checks apply.
fn nested(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(item) => nested(item),
        _ => None,
    }
}

fn validate_fn(fields: &[Field], validated: &BTreeSet<TypeId>) -> TokenStream {
    let checks = fields.iter().filter_map(|f| {
        let ident = ident(&f.ident);
        let wire = &f.wire_name;
        let c = &f.constraints;
        let mut body = Vec::new();
        if let Some(n) = c.min_length {
            body.push(quote!(v.min_length(#wire, value, #n);));
        }
        if let Some(n) = c.max_length {
            body.push(quote!(v.max_length(#wire, value, #n);));
        }
        if let Some(n) = c.min_items {
            body.push(quote!(v.min_items(#wire, value.len(), #n);));
        }
        if let Some(n) = c.max_items {
            body.push(quote!(v.max_items(#wire, value.len(), #n);));
        }
        let numeric = matches!(f.ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
        if numeric {
            if let Some(n) = c.minimum {
                body.push(quote!(v.minimum(#wire, *value as f64, #n);));
            }
            if let Some(n) = c.maximum {
                body.push(quote!(v.maximum(#wire, *value as f64, #n);));
            }
        }
        match &f.ty {
            TypeRef::Named(id) if validated.contains(id) => {
                body.push(quote!(v.nested(#wire, |v| value.validate(v));));
            }
            TypeRef::Array(item) if matches!(**item, TypeRef::Named(id) if validated.contains(&id)) => {
                body.push(quote! {
                    for (index, item) in value.iter().enumerate() {
                        v.nested(&::std::format!("{}[{}]", #wire, index), |v| item.validate(v));
                    }
                });
            }
            _ => {}
        }
        if body.is_empty() {
            return None;
        }
        let allow = f.deprecated.is_some().then(|| quote!(#[allow(deprecated)]));
        Some(if f.is_optional() {
            quote! {
                #allow
                if let ::std::option::Option::Some(value) = &self.#ident {
                    #(#body)*
                }
            }
        } else {
            quote! {
                #allow
                {
                    let value = &self.#ident;
                    #(#body)*
                }
            }
        })
    });
    quote! {
        /// Runs the spec's constraints on every field (`minLength`, `maxItems`, ...).
        pub(crate) fn validate(&self, v: &mut ::oagen_runtime::validate::Validator) {
            #(#checks)*
        }
    }
}
