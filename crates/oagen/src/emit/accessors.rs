//! The accessors of a tagged union for the fields its variants share
//! ([`SharedField`]): `event.device_id()` reads the field of whichever
//! variant the value is, and of the fallback variant's JSON where it can.
//!
//! Return types work for every variant: text as `Option<&str>`, `Copy`
//! scalars (numbers, booleans, dates) as `Option<T>` by value, lists as
//! `Option<&[T]>`, everything else as `Option<&T>`. A variant that requires
//! the field still answers `Some`; one without it answers `None`. The
//! fallback variant holds JSON: text, scalars and JSON values are read from
//! it; other types, which would need a value to borrow from, are `None`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::deprecated_attr;
use super::{doc_attrs, ident, rust_type};
use crate::ir::{Api, Field, SharedField, TaggedVariant, TypeKind, TypeRef};

/// Up to this many variant names are listed in an accessor's docs.
const LISTED_VARIANTS: usize = 8;

/// How an accessor hands out its field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// `Option<&str>`, read from the fallback's JSON.
    Text,
    /// `Option<T>` by value, decoded from the fallback's JSON.
    Scalar,
    /// `Option<&serde_json::Value>`, taken from the fallback's JSON.
    Json,
    /// `Option<&[T]>`, `None` for the fallback.
    List,
    /// `Option<&T>`, `None` for the fallback.
    Borrowed,
}

impl Access {
    fn of(ty: &TypeRef) -> Self {
        match ty {
            TypeRef::String => Access::Text,
            TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::F64
            | TypeRef::Bool => Access::Scalar,
            TypeRef::Json => Access::Json,
            TypeRef::Array(_) => Access::List,
            TypeRef::Bytes | TypeRef::Map(_) | TypeRef::Named(_) => Access::Borrowed,
        }
    }

    /// Whether the fallback variant's JSON can answer.
    fn reads_fallback(self) -> bool {
        matches!(self, Access::Text | Access::Scalar | Access::Json)
    }
}

/// One accessor per shared field, for the `impl` block of the union.
pub(super) fn shared_accessors(
    api: &Api,
    variants: &[TaggedVariant],
    fallback: &str,
    shared: &[SharedField],
    path: &TokenStream,
) -> Vec<TokenStream> {
    shared
        .iter()
        .map(|field| accessor(api, variants, fallback, field, path))
        .collect()
}

fn accessor(
    api: &Api,
    variants: &[TaggedVariant],
    fallback: &str,
    shared: &SharedField,
    path: &TokenStream,
) -> TokenStream {
    let access = Access::of(&shared.ty);
    let name = ident(&shared.ident);
    let wire = &shared.wire_name;
    let returns = match (access, &shared.ty) {
        (Access::Text, _) => quote!(::std::option::Option<&str>),
        (Access::List, TypeRef::Array(item)) => {
            let item = rust_type(api, item, path);
            quote!(::std::option::Option<&[#item]>)
        }
        (Access::Scalar, ty) => {
            let ty = rust_type(api, ty, path);
            quote!(::std::option::Option<#ty>)
        }
        (_, ty) => {
            let ty = rust_type(api, ty, path);
            quote!(::std::option::Option<&#ty>)
        }
    };
    let mut any_deprecated = false;
    let mut arms: Vec<TokenStream> = Vec::new();
    for &index in &shared.variants {
        let variant = &variants[index];
        let TypeKind::Struct { fields, .. } = &api.shape(variant.ty).kind else {
            continue;
        };
        let Some(field) = fields.iter().find(|f| f.wire_name == *wire) else {
            continue;
        };
        any_deprecated |= field.deprecated.is_some();
        let variant_ident = format_ident!("{}", variant.ident);
        let read = read(access, field);
        arms.push(quote!(Self::#variant_ident(variant) => #read,));
    }
    let fallback_ident = format_ident!("{}", fallback);
    let from_json = match access {
        Access::Text => Some(quote!(::oagen_runtime::tagged::str_field(value, #wire))),
        Access::Scalar => Some(quote!(::oagen_runtime::tagged::field(value, #wire))),
        Access::Json => Some(quote!(::oagen_runtime::tagged::json_field(value, #wire))),
        Access::List | Access::Borrowed => None,
    };
    // Counted from the arms written, so that the `match` is exhaustive
    // whatever the IR holds.
    let everywhere = arms.len() == variants.len();
    match from_json {
        Some(read) => arms.push(quote!(Self::#fallback_ident(value) => #read,)),
        None if everywhere => {
            arms.push(quote!(Self::#fallback_ident(_) => ::std::option::Option::None,))
        }
        None => {}
    }
    if !everywhere {
        arms.push(quote!(_ => ::std::option::Option::None,));
    }
    let docs = doc_attrs(Some(&accessor_docs(variants, fallback, shared, access)));
    let allow = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    let deprecated = deprecated_attr(shared.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        #allow
        pub fn #name(&self) -> #returns {
            match self {
                #(#arms)*
            }
        }
    }
}

/// How one variant's field is read, as the accessor's return type.
fn read(access: Access, field: &Field) -> TokenStream {
    let name = ident(&field.ident);
    let value = quote!(variant.#name);
    let some = |inner: TokenStream| quote!(::std::option::Option::Some(#inner));
    // A request's optional nullable field is `Option<Option<T>>`.
    let nested =
        |method: TokenStream| quote!(#value.as_ref().and_then(::std::option::Option::#method));
    let (optional, tri_state) = (field.is_optional(), field.tri_state);
    match access {
        Access::Text | Access::List if tri_state => nested(quote!(as_deref)),
        Access::Text | Access::List if optional => quote!(#value.as_deref()),
        Access::Text => some(quote!(#value.as_str())),
        Access::List => some(quote!(#value.as_slice())),
        Access::Scalar if tri_state => quote!(#value.flatten()),
        Access::Scalar if optional => value,
        Access::Scalar => some(value),
        Access::Json | Access::Borrowed if tri_state && field.boxed => nested(quote!(as_deref)),
        Access::Json | Access::Borrowed if tri_state => nested(quote!(as_ref)),
        Access::Json | Access::Borrowed if optional && field.boxed => quote!(#value.as_deref()),
        Access::Json | Access::Borrowed if optional => quote!(#value.as_ref()),
        Access::Json | Access::Borrowed if field.boxed => some(quote!(&*#value)),
        Access::Json | Access::Borrowed => some(quote!(&#value)),
    }
}

/// The field's docs, then which variants have it (when not all do) and
/// what the fallback variant gives.
fn accessor_docs(
    variants: &[TaggedVariant],
    fallback: &str,
    shared: &SharedField,
    access: Access,
) -> String {
    let description = shared
        .docs
        .clone()
        .unwrap_or_else(|| format!("The {} property.", crate::ir::code_span(&shared.wire_name)));
    let having: Vec<usize> = shared.variants.clone();
    let lacking: Vec<usize> = (0..variants.len())
        .filter(|i| !shared.variants.contains(i))
        .collect();
    let presence = if lacking.is_empty() {
        None
    } else if let Some(list) = listed(variants, &having) {
        Some(format!("Only {list} have it; `None` for the others."))
    } else if let Some(list) = listed(variants, &lacking) {
        Some(format!(
            "Every variant has it except {list}, for which it is `None`."
        ))
    } else {
        Some(format!(
            "{} of the {} variants have it; `None` for the others.",
            having.len(),
            variants.len()
        ))
    };
    let fallback_note = if access.reads_fallback() {
        let absent = match access {
            Access::Text => "absent or not a string",
            Access::Json => "absent or `null`",
            _ => "absent or of another type",
        };
        format!("For `{fallback}`, read from its JSON (`None` when {absent}).")
    } else {
        format!("`None` for `{fallback}`: read its JSON instead.")
    };
    let notes = match presence {
        Some(presence) => format!("{presence} {fallback_note}"),
        None => fallback_note,
    };
    format!("{description}\n\n{notes}")
}

/// The tag values of these variants, briefly: `` `a`, `b` and `c` ``, with
/// the values of a family written once when the set has every variant of
/// it (`` `access_method.*` `` for every value starting `access_method.`).
/// `None` when that is still more than [`LISTED_VARIANTS`] items.
fn listed(variants: &[TaggedVariant], indices: &[usize]) -> Option<String> {
    // The shortest prefix ending in a `.` whose every variant is in the set.
    let whole_family = |value: &str| {
        value
            .match_indices('.')
            .map(|(end, _)| &value[..=end])
            .find(|prefix| {
                let members: Vec<usize> = (0..variants.len())
                    .filter(|&i| variants[i].value.starts_with(prefix))
                    .collect();
                members.len() >= 2 && members.iter().all(|i| indices.contains(i))
            })
            .map(str::to_owned)
    };
    let mut items: Vec<String> = Vec::new();
    let mut families_done: Vec<String> = Vec::new();
    for &index in indices {
        let value = variants[index].value.as_str();
        match whole_family(value) {
            Some(prefix) if families_done.contains(&prefix) => {}
            Some(prefix) => {
                items.push(crate::ir::code_span(&format!("{prefix}*")));
                families_done.push(prefix);
            }
            None => items.push(crate::ir::code_span(value)),
        }
    }
    if items.len() > LISTED_VARIANTS {
        return None;
    }
    Some(match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    })
}
