//! `src/api/`: namespaces and one request builder per operation.
//!
//! Namespaces follow each operation's group (`seam.acs().credentials()`), one
//! file per top-level group; operations without a group are methods of the
//! client itself. Every public name in `api` is unique across its files, since
//! `api/mod.rs` re-exports them all.
//!
//! This module walks the namespaces and, per operation, names its items and
//! puts them together: the namespace method ([`docs`]), the static
//! description the runtime works from, the request builder ([`builders`]),
//! whose sending methods come from the runtime's JSON fast path ([`simple`],
//! with [`pagination`]) or a runtime `Request` ([`request`]), both assembling
//! bodies with [`body`], and the enums by status ([`by_status`]).

mod body;
mod builders;
mod by_status;
mod docs;
mod pagination;
mod request;
mod simple;

use heck::ToShoutySnakeCase;
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use std::collections::BTreeSet;

use self::builders::{builder_items, slots, BuilderNames};
use self::simple::is_simple;
use super::gates::{attribute, op_gate, predicate, Gate, Gated};
use super::types::deprecated_attr;
use super::{doc_attrs, ident};
use crate::config::Config;
use crate::ir::names::{type_ident, Scope};
use crate::ir::{Api, Method, Operation};

/// How many operations outside any namespace `api/mod.rs` holds; more go
/// to files of this many each (`api/operations_1.rs`, ...).
const ROOT_OPERATIONS_PER_FILE: usize = 100;

/// A namespace: its path, its children and its operations.
#[derive(Default)]
struct Namespace<'a> {
    children: IndexMap<String, Namespace<'a>>,
    operations: Vec<&'a Operation>,
}

impl Namespace<'_> {
    /// The gates of every operation under it.
    fn gates(&self) -> BTreeSet<Gate> {
        let mut gates: BTreeSet<Gate> = self.operations.iter().map(|op| op_gate(op)).collect();
        for child in self.children.values() {
            gates.extend(child.gates());
        }
        gates
    }
}

/// The files of `src/api/`: `mod.rs` first, with the client's methods (the
/// operations without a group and the accessors of the top-level
/// namespaces), then one file per top-level namespace.
///
/// Also returns the items that need a cargo feature (those of operations that
/// need one, and namespaces all of whose operations do), for
/// [`gates::apply`](super::gates::apply).
pub(crate) fn api_files<'a>(
    api: &'a Api,
    config: &Config,
    validated: &BTreeSet<crate::ir::TypeId>,
) -> ApiFiles<'a> {
    let mut root = Namespace::default();
    for op in &api.operations {
        let mut ns = &mut root;
        for segment in &op.group {
            ns = ns.children.entry(segment.clone()).or_default();
        }
        ns.operations.push(op);
    }
    // The crate root's client and builder are re-exported beside `api`'s
    // names in the docs: a namespace named like them would read as them.
    let builder_name = format!("{}Builder", config.client_name);
    let mut names = Scope::with_reserved(&[config.client_name.as_str(), builder_name.as_str()]);
    let mut cx = Cx {
        build: Build {
            api,
            config,
            validated,
        },
        names: &mut names,
        gated: Gated::new(),
    };
    let client = format_ident!("{}", config.client_name);

    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut root_methods = Vec::new();
    let mut root_items = Vec::new();
    // The client's own methods (`emit/client.rs`, `emit/sessions.rs`).
    let mut method_names = Scope::with_reserved(&[
        "builder",
        "endpoint",
        "runtime",
        "request",
        "with_header",
        "from_publishable_key",
        "update_client_session_token",
    ]);
    // Operations without a group first, so that their names win collisions
    // with namespace accessors deterministically.
    let root_ops: Vec<(&Operation, OperationNames)> = root
        .operations
        .iter()
        .map(|op| (*op, cx.claim(op, &mut method_names)))
        .collect();
    // Many of them (a spec without tags) go to files of their own, a
    // bounded number each, whose tokens the workers build: one file of
    // them all is built, parsed and printed on one core, with all its
    // tokens in memory at once (40 MB of Rust for 10,000 operations).
    let (chunks, chunk_modules) = if root_ops.len() > ROOT_OPERATIONS_PER_FILE {
        operations_files(&root, &root_ops)
    } else {
        for (op, names) in &root_ops {
            let (method, items) = cx.build.operation_tokens(op, names, quote!(self));
            root_methods.push(method);
            root_items.push(items);
        }
        (Vec::new(), Vec::new())
    };
    let mut module_gates = Vec::new();
    for (segment, child) in &root.children {
        let accessor = ident(&method_names.claim(segment, "_"));
        let mut items = Vec::new();
        let (struct_name, gate) = cx.namespace(std::slice::from_ref(segment), child, &mut items);
        let gate = attribute(gate.as_deref());
        let accessor_docs = doc_attrs(Some(&format!("Operations under `/{segment}`.")));
        root_methods.push(quote! {
            #accessor_docs
            #gate
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
        module_gates.push(gate);
    }
    let mod_rs = quote! {
        //! The operations of the API: namespaces, and one request builder per
        //! operation. Start from the client's namespace methods.

        #(mod #chunk_modules;)*
        #(#module_gates mod #modules;)*
        #(pub use self::#chunk_modules::*;)*
        #(#module_gates pub use self::#modules::*;)*

        impl crate::#client {
            #(#root_methods)*
        }

        #(#root_items)*
    };
    files.insert(0, ("src/api/mod.rs".to_owned(), mod_rs));
    ApiFiles {
        files,
        operations: chunks,
        gated: cx.gated,
    }
}

/// The files of the operations outside any namespace, `ROOT_OPERATIONS_PER_FILE`
/// each, and their module names (none of a namespace's).
fn operations_files<'a>(
    root: &Namespace<'a>,
    root_ops: &[(&'a Operation, OperationNames)],
) -> (Vec<OperationsFile<'a>>, Vec<proc_macro2::Ident>) {
    let mut chunks = Vec::new();
    let mut chunk_modules = Vec::new();
    let total = root_ops.len();
    for (n, ops) in root_ops.chunks(ROOT_OPERATIONS_PER_FILE).enumerate() {
        let mut module = format!("operations_{}", n + 1);
        while root.children.contains_key(&module) {
            module.push('_');
        }
        let first = n * ROOT_OPERATIONS_PER_FILE + 1;
        let last = first + ops.len() - 1;
        chunks.push(OperationsFile {
            path: format!("src/api/{module}.rs"),
            doc: [
                format!(" Operations {first} to {last} of the {total} outside any namespace:"),
                " the client's methods and their request builders.".to_owned(),
            ],
            operations: ops.to_vec(),
        });
        chunk_modules.push(ident(&module));
    }
    (chunks, chunk_modules)
}

/// The files of `src/api/`, from [`api_files`].
pub(crate) struct ApiFiles<'a> {
    /// Built here, in order: `mod.rs` and the namespaces.
    pub(crate) files: Vec<(String, TokenStream)>,
    /// The files of operations outside any namespace, when there are many,
    /// for [`operations_file_tokens`] on any thread.
    pub(crate) operations: Vec<OperationsFile<'a>>,
    /// The items that need a cargo feature.
    pub(crate) gated: Gated,
}

/// A file of operations outside any namespace, names claimed.
pub(crate) struct OperationsFile<'a> {
    pub(crate) path: String,
    doc: [String; 2],
    operations: Vec<(&'a Operation, OperationNames)>,
}

/// The tokens of `file`: an `impl` of the client with the operations'
/// methods, and their items. `validated`:
/// [`validated_types`](super::types::validated_types) of `api`.
pub(crate) fn operations_file_tokens(
    api: &Api,
    config: &Config,
    validated: &BTreeSet<crate::ir::TypeId>,
    file: &OperationsFile<'_>,
) -> TokenStream {
    let build = Build {
        api,
        config,
        validated,
    };
    let client = format_ident!("{}", config.client_name);
    let (methods, items): (Vec<_>, Vec<_>) = file
        .operations
        .iter()
        .map(|(op, names)| build.operation_tokens(op, names, quote!(self)))
        .unzip();
    let doc = &file.doc;
    quote! {
        #(#![doc = #doc])*
        impl crate::#client {
            #(#methods)*
        }
        #(#items)*
    }
}

/// What building an operation's tokens reads: nothing it claims, so that
/// the workers can build operations whose names are already claimed.
#[derive(Clone, Copy)]
struct Build<'a> {
    api: &'a Api,
    config: &'a Config,
    /// [`validated_types`](super::types::validated_types) of `api`.
    validated: &'a BTreeSet<crate::ir::TypeId>,
}

/// The walk over the namespaces: [`Build`], and the names claimed so far
/// in the `api` module's scope and the items that need a feature.
struct Cx<'a, 'n> {
    build: Build<'a>,
    names: &'n mut Scope,
    /// The items that need a feature, by name.
    gated: Gated,
}

impl Cx<'_, '_> {
    /// Emits the namespace at `path` and its descendants into `items`; returns
    /// the namespace struct's name, and the `cfg` predicate that gates it
    /// when every operation under it needs a feature.
    fn namespace(
        &mut self,
        path: &[String],
        ns: &Namespace<'_>,
        items: &mut Vec<TokenStream>,
    ) -> (proc_macro2::Ident, Option<String>) {
        let name = format_ident!("{}", self.names.claim(&type_ident(&path.join("_")), ""));
        let gate = predicate(&ns.gates());
        if let Some(gate) = &gate {
            self.gated.insert(name.to_string(), gate.clone());
        }
        let client = format_ident!("{}", self.build.config.client_name);
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
            let (child_name, child_gate) = self.namespace(&child_path, child, items);
            let child_gate = attribute(child_gate.as_deref());
            let accessor = ident(&method_names.claim(segment, "_"));
            let doc = doc_attrs(Some(&format!(
                "Operations under `/{}`.",
                child_path.join("/")
            )));
            methods.push(quote! {
                #doc
                #child_gate
                pub fn #accessor(&self) -> #child_name<'a> {
                    #child_name::new(self.client)
                }
            });
        }
        let doc = doc_attrs(Some(&format!(
            "Operations under `/{}`; from [`{}`](crate::{}).",
            path.join("/"),
            accessor_chain(path),
            self.build.config.client_name
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
        (name, gate)
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
        let names = self.claim(op, method_names);
        self.build.operation_tokens(op, &names, client_expr)
    }

    /// Claims `op`'s names ([`Self::operation_names`]) and records its
    /// items that need a feature: everything about an operation that
    /// depends on the operations before it.
    fn claim(&mut self, op: &Operation, method_names: &mut Scope) -> OperationNames {
        let names = self.operation_names(op, method_names);
        if let Some(gate) = predicate(&std::iter::once(op_gate(op)).collect()) {
            let items = [
                Some(&names.builder),
                Some(&names.spec_static),
                names.by_status.as_ref(),
                names.error_enum.as_ref(),
            ];
            for name in items.into_iter().flatten() {
                self.gated.insert(name.clone(), gate.clone());
            }
        }
        names
    }

    /// Claims the names of `op`'s method (in `method_names`) and of its items
    /// (in the `api` module's scope), in an order that does not change:
    /// a later claim gets the suffix when two collide.
    fn operation_names(&mut self, op: &Operation, method_names: &mut Scope) -> OperationNames {
        let method = method_names.claim(&op.method_name, "_");
        let base = op.id.replace('.', "_");
        let builder = self
            .names
            .claim(&type_ident(&format!("{base}_request")), "");
        // A static's name may not start with a digit, as an operation id may.
        let spec_static = format!("OP_{}", base.to_shouty_snake_case());
        let by_status = (!op.response.by_status.is_empty()).then(|| {
            self.names
                .claim(&type_ident(&format!("{base}_response")), "")
        });
        let error_enum = (!op.response.errors.is_empty())
            .then(|| self.names.claim(&type_ident(&format!("{base}_error")), ""));
        OperationNames {
            method,
            builder,
            spec_static,
            by_status,
            error_enum,
        }
    }
}

impl Build<'_> {
    /// The method of `op` (on `client_expr`'s type) and its items, under
    /// the names [`Cx::claim`] gave them.
    fn operation_tokens(
        &self,
        op: &Operation,
        names: &OperationNames,
        client_expr: TokenStream,
    ) -> (TokenStream, TokenStream) {
        let api = self.api;
        let client = format_ident!("{}", self.config.client_name);
        let method = ident(&names.method);
        let builder = format_ident!("{}", names.builder);
        let spec_static = format_ident!("{}", names.spec_static);
        let by_status = names.by_status.as_ref().map(|n| format_ident!("{n}"));
        let error_enum = names.error_enum.as_ref().map(|n| format_ident!("{n}"));

        let returns = docs::returns(api, op, by_status.as_ref());
        let method_docs = docs::method_docs(api, self.config, op, &returns, error_enum.as_ref());
        let deprecated = deprecated_attr(op.deprecated.as_ref());
        let gate = predicate(&std::iter::once(op_gate(op)).collect());
        let gate = attribute(gate.as_deref());
        let method_tokens = quote! {
            #method_docs
            #deprecated
            #gate
            pub fn #method(&self) -> #builder {
                #builder::new(#client_expr.clone())
            }
        };

        let slots = slots(api, op);
        let parts = if is_simple(op) {
            self.simple_parts(op, &slots, &spec_static, &returns)
        } else {
            self.request_parts(op, &slots, &spec_static, by_status.as_ref(), &returns)
        };
        let spec = operation_spec(op, &spec_static);
        let builder_names = BuilderNames {
            id: &op.id,
            builder: &builder,
            client: &client,
        };
        let builder_items = builder_items(api, builder_names, &slots, parts);
        let by_status_enum = by_status
            .as_ref()
            .map(|name| by_status::by_status_enum(api, op, name));
        let error_enum = error_enum
            .as_ref()
            .map(|name| by_status::error_enum(api, op, name, &spec_static));
        let items = quote! {
            #spec

            #builder_items

            #by_status_enum

            #error_enum
        };
        (method_tokens, items)
    }
}

/// The names of an operation's method and items (strings, not `Ident`s,
/// so that they cross threads).
#[derive(Clone)]
pub(crate) struct OperationNames {
    /// The namespace method.
    method: String,
    /// The request builder.
    builder: String,
    /// The static `OperationSpec`.
    spec_static: String,
    /// The enum of responses by status, when the operation has several.
    by_status: Option<String>,
    /// The enum of typed error bodies, when the operation declares any.
    error_enum: Option<String>,
}

/// The static description of `op` that the runtime works from: method, path,
/// authentication modes and response key.
fn operation_spec(op: &Operation, spec_static: &proc_macro2::Ident) -> TokenStream {
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
    quote! {
        static #spec_static: ::oagen_runtime::OperationSpec = ::oagen_runtime::OperationSpec {
            id: #id,
            method: ::oagen_runtime::HttpMethod::#http_method,
            path: #path,
            auth_modes: &[#(#modes),*],
            response_key: #response_key,
            read_only: #read_only,
            anonymous: #anonymous,
        };
    }
}

/// The expression that reaches the namespace at `path` from a client, for
/// its documentation: `client.acs().credentials()`.
fn accessor_chain(path: &[String]) -> String {
    let calls: Vec<String> = path.iter().map(|s| format!("{s}()")).collect();
    format!("client.{}", calls.join("."))
}
