//! `src/types.rs`: one Rust type per [`TypeDef`].

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, rust_type};
use crate::ir::{
    Api, Constraints, EnumVariant, Field, IntegerVariant, TypeDef, TypeId, TypeKind, TypeRef,
};

/// Up to this many types stay in one `src/types.rs`; more are split into
/// `src/types/<module>.rs` by where they come from, which keeps files readable
/// and lets them be formatted in parallel.
const SINGLE_FILE_LIMIT: usize = 60;

/// One file of the `types` module.
pub(crate) struct TypesFile {
    /// Path in the crate.
    pub path: String,
    /// What it holds.
    pub content: TypesContent,
}

/// What a [`TypesFile`] holds.
pub(crate) enum TypesContent {
    /// Every type, in `src/types.rs`.
    Single(Vec<TypeId>),
    /// `src/types/mod.rs`, declaring and re-exporting these modules.
    Index(Vec<String>),
    /// `src/types/<module>.rs`.
    Module(String, Vec<TypeId>),
}

impl TypesFile {
    /// Whether this is `types/mod.rs`, which declares the others.
    pub(crate) fn is_index(&self) -> bool {
        matches!(self.content, TypesContent::Index(_))
    }
}

/// The modules of `types/` and their types (none in single-file mode).
pub(crate) fn modules(plan: &[TypesFile]) -> Vec<(String, Vec<TypeId>)> {
    plan.iter()
        .filter_map(|f| match &f.content {
            TypesContent::Module(module, ids) => Some((module.clone(), ids.clone())),
            _ => None,
        })
        .collect()
}

/// The files of the `types` module. Their tokens are built by
/// [`types_file_tokens`], on any thread.
pub(crate) fn types_plan(api: &Api) -> Vec<TypesFile> {
    let all: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    if api.types.len() <= SINGLE_FILE_LIMIT {
        return vec![TypesFile {
            path: "src/types.rs".to_owned(),
            content: TypesContent::Single(all),
        }];
    }
    let mut modules: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for id in all {
        modules.entry(home(api.ty(id))).or_default().push(id);
    }
    let mut files = vec![TypesFile {
        path: "src/types/mod.rs".to_owned(),
        content: TypesContent::Index(modules.keys().cloned().collect()),
    }];
    files.extend(modules.into_iter().map(|(module, ids)| TypesFile {
        path: format!("src/types/{module}.rs"),
        content: TypesContent::Module(module, ids),
    }));
    files
}

/// The tokens of one file of the `types` module; `validated` is
/// [`validated_types`] of the API.
pub(crate) fn types_file_tokens(
    api: &Api,
    validated: &BTreeSet<TypeId>,
    file: &TypesFile,
) -> TokenStream {
    let intro = quote! {
        //! The data types of the API: request bodies, responses and the
        //! resources they contain.
    };
    let defs = |ids: &[TypeId], path: &TokenStream| -> Vec<TokenStream> {
        ids.iter()
            .map(|&id| type_def(api, api.ty(id), validated.contains(&id), validated, path))
            .collect()
    };
    match &file.content {
        TypesContent::Single(ids) => {
            let items = defs(ids, &TokenStream::new());
            quote!(#intro #(#items)*)
        }
        TypesContent::Index(modules) => {
            let names: Vec<_> = modules.iter().map(|m| ident(m)).collect();
            quote! {
                #intro
                #(mod #names;)*
                #(pub use self::#names::*;)*
            }
        }
        TypesContent::Module(module, ids) => {
            let items = defs(ids, &quote!(super::));
            let doc = format!(" Types of `{module}`.");
            quote! {
                #![doc = #doc]
                #(#items)*
            }
        }
    }
}

/// The module a type goes in: its group (the namespace of the operations it
/// belongs with) or, without one, the first word of its component's name or
/// of the path that defines it.
fn home(def: &TypeDef) -> String {
    if let Some(group) = &def.group {
        if !crate::ir::names::is_keyword(group) && group != "common" {
            return group.clone();
        }
    }
    let pointer = def.origin.as_str();
    let word = if let Some(rest) = pointer.strip_prefix("#/components/schemas/") {
        rest.split(['/', '_', '.', '-']).next().unwrap_or("")
    } else if let Some(rest) = pointer.strip_prefix("#/paths/~1") {
        rest.split(['/', '~']).next().unwrap_or("")
    } else {
        ""
    };
    let module = crate::ir::names::snake_ident(word);
    if word.is_empty() || crate::ir::names::is_keyword(&module) || module == "common" {
        "common".to_owned()
    } else {
        crate::ir::names::module_ident(word)
    }
}

fn type_def(
    api: &Api,
    def: &TypeDef,
    validate: bool,
    validated: &BTreeSet<TypeId>,
    path: &TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let fallback_docs = match &def.kind {
        TypeKind::Struct { .. } => "A JSON object of the API (the spec gives no description).",
        TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. } => {
            "A value of the API (the spec gives no description)."
        }
        TypeKind::Tagged { .. } | TypeKind::Untagged { .. } => {
            "One of several shapes (the spec gives no description)."
        }
        TypeKind::Alias { .. } => "A value of the API (the spec gives no description).",
    };
    let docs = doc_attrs(Some(def.docs.as_deref().unwrap_or(fallback_docs)));
    match &def.kind {
        TypeKind::Struct { fields, extra, .. } => {
            let mut field_tokens: Vec<TokenStream> =
                fields.iter().map(|f| field(api, f, path)).collect();
            if let Some((extra_ident, value)) = extra {
                let extra_ident = ident(extra_ident);
                let value = rust_type(api, value, path);
                field_tokens.push(quote! {
                    /// Properties beside the ones above, as sent.
                    #[serde(flatten)]
                    pub #extra_ident: ::std::collections::BTreeMap<::std::string::String, #value>,
                });
            }
            let constructor = super::constructors::constructor(
                api,
                &name,
                fields,
                extra.as_ref().map(|(extra, _)| extra.as_str()),
                path,
            );
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
                #[non_exhaustive]
                pub struct #name {
                    #(#field_tokens)*
                }
                #constructor
                #validate_impl
            }
        }
        TypeKind::Enum { variants, fallback } => enum_def(&name, docs, variants, fallback),
        TypeKind::IntegerEnum { variants, fallback } => {
            integer_enum_def(&name, docs, variants, fallback)
        }
        TypeKind::Tagged { variants, .. } => {
            let mut tokens = tagged_def(api, &name, docs, &def.kind, path);
            if validate {
                tokens.extend(tagged_validate(&name, variants, validated));
            }
            tokens
        }
        TypeKind::Alias { target } => {
            let target = format_ident!("{}", api.ty(*target).name);
            quote! {
                #docs
                pub type #name = #path #target;
            }
        }
        TypeKind::Untagged { variants } => {
            let variants = variants.iter().map(|v| {
                let ident = format_ident!("{}", v.ident);
                let mut ty = rust_type(api, &v.ty, path);
                if v.boxed {
                    ty = quote!(::std::boxed::Box<#ty>);
                }
                let doc = format!(" {}", variant_doc(api, &v.ty));
                quote!(#[doc = #doc] #ident(#ty),)
            });
            quote! {
                #docs
                ///
                /// A value of none of these types decodes into `Unknown`, which
                /// keeps the JSON and sends it back unchanged.
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// Any other JSON value, as sent.
                    Unknown(::serde_json::Value),
                }
            }
        }
    }
}

/// The docs of an untagged variant: what its type is.
fn variant_doc(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "A string.".to_owned(),
        TypeRef::DateTime => "A date-time.".to_owned(),
        TypeRef::Date => "A date.".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "An integer.".to_owned(),
        TypeRef::U32 | TypeRef::U64 => "A non-negative integer.".to_owned(),
        TypeRef::F64 => "A number.".to_owned(),
        TypeRef::Bool => "A boolean.".to_owned(),
        TypeRef::Array(_) => "A list.".to_owned(),
        TypeRef::Map(_) => "A map.".to_owned(),
        TypeRef::Bytes => "Bytes.".to_owned(),
        TypeRef::Named(id) => {
            let name = &api.ty(*id).name;
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "An"
            } else {
                "A"
            };
            format!("{article} `{name}`.")
        }
        TypeRef::Json => "Any JSON value.".to_owned(),
    }
}

/// Equality, hashing and order of an enum by its wire value (`value`, a
/// method call): a fallback holding a known value equals that value's
/// variant, and the order stays the same when a spec lists a new value
/// between two others (a derived order would follow the variants).
fn by_value(name: &proc_macro2::Ident, value: TokenStream) -> TokenStream {
    quote! {
        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.#value == other.#value
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.#value.hash(state);
            }
        }

        impl ::std::cmp::PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                ::std::cmp::Ord::cmp(&self.#value, &other.#value)
            }
        }
    }
}

fn integer_enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[IntegerVariant],
    fallback: &str,
) -> TokenStream {
    let fallback = format_ident!("{}", fallback);
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    // Negative values as `-` and a literal, which every parser reads back.
    let values: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let abs = proc_macro2::Literal::u64_unsuffixed(v.value.unsigned_abs());
            if v.value < 0 {
                quote!(-#abs)
            } else {
                quote!(#abs)
            }
        })
        .collect();
    let value_docs = variants
        .iter()
        .map(|v| format!(" {}", crate::ir::code_span(&v.value.to_string())));
    let by_value = by_value(name, quote!(as_i64()));
    quote! {
        #docs
        ///
        /// Sent as a JSON number. Values this version of the crate does not
        /// know decode into the fallback variant, which keeps the number and
        /// sends it back unchanged.
        #[derive(Debug, Clone, Copy)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #value_docs] #idents,)*
            /// A value this version of the crate does not know, as sent.
            #fallback(i64),
        }

        #by_value

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#idents => #values,)*
                    Self::#fallback(value) => *value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::#fallback(other),
                }
            }
        }

        impl ::std::convert::From<#name> for i64 {
            fn from(value: #name) -> Self {
                value.as_i64()
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::oagen_runtime::integer_enum::deserialize(deserializer)
            }
        }
    }
}

fn enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[EnumVariant],
    fallback: &str,
) -> TokenStream {
    let fallback = format_ident!("{}", fallback);
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let value_docs = values
        .iter()
        .map(|v| format!(" {}", crate::ir::code_span(v)));
    let by_value = by_value(name, quote!(as_str()));
    quote! {
        #docs
        ///
        /// Values this version of the crate does not know decode into the
        /// fallback variant, which keeps the text and sends it back unchanged.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #value_docs] #idents,)*
            /// A value this version of the crate does not know, as sent.
            #fallback(::std::string::String),
        }

        #by_value

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The fallback with empty text: what a response that omits a
        /// required value of this type decodes to.
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::#fallback(::std::string::String::new())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::#fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::oagen_runtime::string_enum::deserialize(deserializer)
            }
        }
    }
}

fn tagged_def(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    kind: &TypeKind,
    path: &TokenStream,
) -> TokenStream {
    let TypeKind::Tagged {
        tag,
        variants,
        fallback,
        shared,
    } = kind
    else {
        return TokenStream::new();
    };
    let shared_accessors =
        super::accessors::shared_accessors(api, variants, fallback, shared, path);
    let fallback = format_ident!("{}", fallback);
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let tys: Vec<_> = variants
        .iter()
        .map(|v| rust_type(api, &TypeRef::Named(v.ty), path))
        .collect();
    let value_docs = values
        .iter()
        .map(|v| format!(" {}", crate::ir::code_span(&format!("{tag}: {v}"))));
    let accessor = ident(&crate::ir::names::snake_ident(tag));
    let tag_span = crate::ir::code_span(tag);
    let accessor_doc = format!(" The {tag_span} of this value.");
    let fallback_doc =
        format!(" A {tag_span} this version of the crate does not know; the JSON as sent.");
    let intro = format!(" Told apart by {tag_span}. Values with a {tag_span} this version of the crate does not know, or whose fields do not match their variant, decode into the fallback variant, which keeps the JSON and sends it back unchanged.");
    quote! {
        #docs
        ///
        #[doc = #intro]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #value_docs] #idents(#tys),)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl #name {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> &str {
                match self {
                    #(Self::#idents(_) => #values,)*
                    Self::#fallback(value) => ::oagen_runtime::tagged::tag_of(value, #tag),
                }
            }
            #(#shared_accessors)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#idents(value) => ::oagen_runtime::tagged::serialize(serializer, #tag, #values, value),)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match ::oagen_runtime::tagged::tag_of(&value, #tag) {
                    #(#values => ::std::result::Result::Ok(::oagen_runtime::tagged::variant_or(value, Self::#idents, Self::#fallback)),)*
                    _ => ::std::result::Result::Ok(Self::#fallback(value)),
                }
            }
        }
    }
}

/// The checks of a union sent in a request: those of the variant it holds.
fn tagged_validate(
    name: &proc_macro2::Ident,
    variants: &[crate::ir::TaggedVariant],
    validated: &BTreeSet<TypeId>,
) -> TokenStream {
    let checked = variants
        .iter()
        .filter(|v| validated.contains(&v.ty))
        .map(|v| format_ident!("{}", v.ident));
    quote! {
        impl #name {
            /// Runs the constraints of the variant it holds.
            #[allow(dead_code)]
            pub(crate) fn validate(&self, v: &mut ::oagen_runtime::validate::Validator) {
                match self {
                    #(Self::#checked(value) => value.validate(v),)*
                    _ => {}
                }
            }
        }
    }
}

/// The Rust type of a field, with `Option` and `Box` as needed.
pub(super) fn field_type(api: &Api, f: &Field, types_path: &TokenStream) -> TokenStream {
    let mut ty = rust_type(api, &f.ty, types_path);
    if f.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if f.is_optional() {
        ty = quote!(::std::option::Option<#ty>);
    }
    if f.tri_state {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

fn field(api: &Api, f: &Field, path: &TokenStream) -> TokenStream {
    let ident = ident(&f.ident);
    let ty = field_type(api, f, path);
    // The field's type is linked from its signature; the text only names it.
    let fallback = format!("The {} property.", crate::ir::code_span(&f.wire_name));
    let docs = doc_attrs(Some(f.docs.as_deref().unwrap_or(&fallback)));
    let wire = &f.wire_name;
    let rename =
        (f.ident.trim_start_matches("r#") != wire).then(|| quote!(#[serde(rename = #wire)]));
    // An absent optional field is omitted when sending; a required nullable
    // field is always sent, as `null` when `None`. A required list, map or
    // enum that a response omits reads as empty (an enum as its fallback with
    // empty text): servers, Seam's fake among them, drop empty collections
    // the spec calls required. Other required fields stay strict.
    // A read-only field is never sent; a write-only one never comes back.
    let serde = if f.read_only {
        quote!(#[serde(default, skip_serializing)])
    } else if f.tri_state {
        quote!(#[serde(
            default,
            skip_serializing_if = "::std::option::Option::is_none",
            with = "::oagen_runtime::double_option"
        )])
    } else if !f.required || f.write_only {
        quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
    } else if !f.is_optional() && has_empty_value(api, &f.ty) {
        quote!(#[serde(default)])
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

/// Whether a type has an "empty" value a missing required field can take.
fn has_empty_value(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Array(_) | TypeRef::Map(_) => true,
        TypeRef::Named(id) => matches!(api.shape(*id).kind, TypeKind::Enum { .. }),
        _ => false,
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
        let (fields, request) = match &api.shape(id).kind {
            TypeKind::Struct {
                fields, request, ..
            } => (fields, *request),
            // A union in a request checks the variant it holds.
            TypeKind::Tagged { variants, .. } => {
                let found = variants.iter().any(|v| has_checks(api, v.ty, visiting));
                visiting.remove(&id);
                return found;
            }
            _ => {
                visiting.remove(&id);
                return false;
            }
        };
        let found = request
            && fields.iter().filter(|f| !f.read_only).any(|f| {
                !checked_constraints(f).is_empty()
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

/// The constraints of a field that its Rust type leaves to check: each only
/// where the type has what it measures (an enum with a `minLength`, or a
/// string a type override made a date-time, has no length left to check),
/// and no minimum of zero or below on an unsigned integer (a type
/// override's), which could never fail.
fn checked_constraints(f: &Field) -> Constraints {
    let c = &f.constraints;
    let text = matches!(f.ty, TypeRef::String);
    let list = matches!(f.ty, TypeRef::Array(_));
    let number = matches!(
        f.ty,
        TypeRef::F64 | TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64
    );
    let unsigned = matches!(f.ty, TypeRef::U32 | TypeRef::U64);
    Constraints {
        min_length: c.min_length.filter(|_| text),
        max_length: c.max_length.filter(|_| text),
        min_items: c.min_items.filter(|_| list),
        max_items: c.max_items.filter(|_| list),
        minimum: c.minimum.filter(|&n| number && !(unsigned && n <= 0.0)),
        maximum: c.maximum.filter(|_| number),
    }
}

fn validate_fn(fields: &[Field], validated: &BTreeSet<TypeId>) -> TokenStream {
    // A read-only field is never sent: nothing to check.
    let checks = fields.iter().filter(|f| !f.read_only).filter_map(|f| {
        let ident = ident(&f.ident);
        let wire = &f.wire_name;
        let c = checked_constraints(f);
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
        let number = match f.ty {
            TypeRef::F64 => quote!(*value),
            _ => quote!(*value as f64),
        };
        if let Some(n) = c.minimum {
            body.push(quote!(v.minimum(#wire, #number, #n);));
        }
        if let Some(n) = c.maximum {
            body.push(quote!(v.maximum(#wire, #number, #n);));
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
        Some(if f.tri_state {
            quote! {
                #allow
                if let ::std::option::Option::Some(::std::option::Option::Some(value)) = &self.#ident {
                    #(#body)*
                }
            }
        } else if f.is_optional() {
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
        // A type that several names share (aliases) may be sent only by the
        // operations of features that are off.
        #[allow(dead_code)]
        pub(crate) fn validate(&self, v: &mut ::oagen_runtime::validate::Validator) {
            #(#checks)*
        }
    }
}
