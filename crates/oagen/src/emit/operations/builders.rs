//! The request builder of an operation: the values it holds (its slots: body
//! fields or the whole body, files, parameters), its struct with one optional
//! field per slot, and a setter per slot. The methods that send it come from
//! the path it is sent by, as [`Parts`].

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::pagination::Polling;
use crate::emit::types::deprecated_attr;
use crate::emit::{doc_attrs, ident, rust_type};
use crate::ir::{
    builder_field, Api, BodyMedia, Field, Operation, ParamLocation, ParamStyle, TypeKind, TypeRef,
};

/// One value a request builder holds.
pub(super) struct Slot<'a> {
    /// The value as a field: its `ident` is the builder's field and setter.
    pub(super) field: Field,
    pub(super) kind: SlotKind<'a>,
}

pub(super) enum SlotKind<'a> {
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
    pub(super) fn required(&self) -> bool {
        match self.kind {
            SlotKind::Whole | SlotKind::File { .. } | SlotKind::Param(_) => self.field.required,
            SlotKind::BodyField { .. } => self.field.must_set(),
            SlotKind::BodyExtra { .. } => false,
        }
    }
}

/// Every value the builder of `op` holds: body fields (or the whole body),
/// files, then parameters.
pub(super) fn slots<'a>(api: &Api, op: &'a Operation) -> Vec<Slot<'a>> {
    let mut out = Vec::new();
    if let Some(id) = op.body {
        out.extend(body_slots(api, id));
    }
    if let Some(ty) = &op.whole_body {
        let required = op.body_required;
        out.push(Slot {
            field: plain_field(
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
                field: plain_field(
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
    out.extend(op.parameters.iter().map(param_slot));
    out
}

/// The slots of an object body `id`: its other properties as one map, when
/// it has `additionalProperties`, then each property but the read-only ones.
fn body_slots<'a>(api: &Api, id: crate::ir::TypeId) -> Vec<Slot<'a>> {
    let mut out = Vec::new();
    let TypeKind::Struct { fields, extra, .. } = &api.shape(id).kind else {
        return out;
    };
    if let Some((name, value)) = extra {
        let docs = "Properties beyond those the spec names.".to_owned();
        out.push(Slot {
            field: plain_field(
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
    out
}

/// The slot of a parameter, documented with where and how it is sent.
fn param_slot(p: &crate::ir::Parameter) -> Slot<'_> {
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
    let note = format!(
        "Sent {place} as {}{as_json}.",
        crate::ir::code_span(&p.wire_name)
    );
    let docs = Some(match &p.docs {
        Some(d) => format!("{d}\n\n{note}"),
        None => note,
    });
    let mut field = plain_field(&p.wire_name, &p.ident, p.ty.clone(), p.required, docs);
    field.deprecated = p.deprecated.clone();
    Slot {
        field,
        kind: SlotKind::Param(p),
    }
}

/// A field for a value that is not a property of a body schema: no
/// constraints, no default, never boxed or nullable.
fn plain_field(
    wire: &str,
    ident: &str,
    ty: TypeRef,
    required: bool,
    docs: Option<String>,
) -> Field {
    Field {
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
    }
}

/// The methods of a request builder that check, assemble and send it, as the
/// path it is sent by (the runtime's JSON fast path or a runtime `Request`)
/// writes them; those a path does not have are empty.
pub(super) struct Parts {
    /// `into_parts`: the checks and the assembly of what is sent.
    pub(super) into_parts: TokenStream,
    pub(super) send: TokenStream,
    pub(super) send_with_response: TokenStream,
    /// `paginate` and `pages`.
    pub(super) paging: TokenStream,
    pub(super) polling: Polling,
    /// `preview`: what the request will send.
    pub(super) preview: TokenStream,
}

/// The names of an operation's request builder.
pub(super) struct BuilderNames<'a> {
    /// The operation's id, for the builder's documentation.
    pub(super) id: &'a str,
    pub(super) builder: &'a proc_macro2::Ident,
    pub(super) client: &'a proc_macro2::Ident,
}

/// The request builder: its struct, one optional field per slot (and the
/// polling field), its constructor, setters and `parts`.
pub(super) fn builder_items(
    api: &Api,
    names: BuilderNames<'_>,
    slots: &[Slot],
    parts: Parts,
) -> TokenStream {
    let BuilderNames {
        id,
        builder,
        client,
    } = names;
    let store_idents: Vec<_> = slots.iter().map(|s| ident(&s.field.ident)).collect();
    let store_types: Vec<_> = slots.iter().map(|s| store_type(api, s)).collect();
    let types_path = quote!(crate::types::);
    let setters: Vec<_> = slots
        .iter()
        .map(|s| match s.kind {
            SlotKind::File { many } => file_setter(&s.field, many),
            _ => setter(api, &s.field, &types_path),
        })
        .collect();
    let Parts {
        into_parts,
        send,
        send_with_response,
        paging,
        preview,
        polling:
            Polling {
                field: polling_field,
                init: polling_init,
                setter: polling_setter,
            },
    } = parts;
    let builder_doc = doc_attrs(Some(&format!(
        "Request builder for `{id}`: set fields, then `.send().await`. Created by \
         the namespace method of the same name."
    )));
    quote! {
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

            /// Adds a header to this request only (it replaces a header of the
            /// same name the client would send). A name or value that cannot
            /// be sent fails the call with [`crate::Error::Config`], sending nothing.
            pub fn header(mut self, name: impl ::std::convert::AsRef<str>, value: impl ::std::convert::AsRef<str>) -> Self {
                self.client = self.client.with_header(name.as_ref(), value.as_ref());
                self
            }

            /// What the request will send, without sending it: method, path,
            /// URL, body as JSON and response key (never the credentials).
            /// Fails as `send` would before sending, when a required field is
            /// missing or a check fails.
            #preview

            #send

            #send_with_response

            #paging

            #into_parts
        }
    }
}

/// The type a builder holds a slot's value as, inside its `Option`.
fn store_type(api: &Api, slot: &Slot) -> TokenStream {
    match slot.kind {
        SlotKind::File { many: false } => quote!(::oagen_runtime::Upload),
        SlotKind::File { many: true } => {
            quote!(::std::vec::Vec<::oagen_runtime::Upload>)
        }
        _ => {
            let f = &slot.field;
            let mut ty = rust_type(api, &f.ty, &quote!(crate::types::));
            if f.boxed {
                ty = quote!(::std::boxed::Box<#ty>);
            }
            if f.tri_state {
                ty = quote!(::std::option::Option<#ty>);
            }
            ty
        }
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

/// The setter of a file: one upload, or any number of them when `many`.
fn file_setter(f: &Field, many: bool) -> TokenStream {
    let i = ident(&f.ident);
    let mut docs = f
        .docs
        .clone()
        .unwrap_or_else(|| format!("The file {}.", crate::ir::code_span(&f.wire_name)));
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

/// The setter of a value, documented with its constraints; a tri-state
/// field also gets a `…_null` setter, which sends `null`.
fn setter(api: &Api, f: &Field, types_path: &TokenStream) -> TokenStream {
    let i = ident(&f.ident);
    let mut docs = f
        .docs
        .clone()
        .unwrap_or_else(|| format!("Sets {}.", crate::ir::code_span(&f.wire_name)));
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
        // An unsigned integer is taken as itself: `impl Into<u32>` would
        // leave a literal's type to its default, `i32`, which converts into
        // no unsigned type, so `.limit(2)` would not compile.
        TypeRef::Array(item) if !f.boxed && is_unsigned(item) => {
            let item = rust_type(api, item, types_path);
            let value = wrap(quote!(value.into_iter().collect()));
            quote! {
                #docs
                #deprecated
                pub fn #i(mut self, value: impl ::std::iter::IntoIterator<Item = #item>) -> Self {
                    self.#i = #value;
                    self
                }
            }
        }
        ty if !f.boxed && is_unsigned(ty) => {
            let ty = rust_type(api, ty, types_path);
            let value = wrap(quote!(value));
            quote! {
                #docs
                #deprecated
                pub fn #i(mut self, value: #ty) -> Self {
                    self.#i = #value;
                    self
                }
            }
        }
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
        " Sends {} as `null` (leaving it unset omits it).",
        crate::ir::code_span(&f.wire_name)
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

/// Whether the type is an unsigned integer (which only a type override gives).
fn is_unsigned(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::U32 | TypeRef::U64)
}
