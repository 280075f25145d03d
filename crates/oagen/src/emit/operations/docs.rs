//! The documentation of the namespace method that starts an operation: the
//! spec's title and description, then a line naming the HTTP method and path,
//! the authentication modes that apply and what `send` returns, then the
//! typed error bodies. The phrase for what `send` returns is also the doc of
//! `send` itself.

use proc_macro2::TokenStream;

use crate::config::Config;
use crate::emit::{doc_attrs, paragraphs};
use crate::ir::status_text;
use crate::ir::{Api, Operation, ResponseBody, TypeRef};

/// What `send` returns, as a phrase for documentation: `by_status` is the
/// enum of responses by status, when the operation has one.
pub(super) fn returns(api: &Api, op: &Operation, by_status: Option<&proc_macro2::Ident>) -> String {
    match (&op.response.key, &op.response.media, by_status) {
        _ if op.response.key_null => "nothing".to_owned(),
        (_, _, Some(name)) => format!("[`{name}`], by status"),
        (Some((key, ty)), _, _) => {
            format!("{} (the `{key}` field of the response)", type_doc(api, ty))
        }
        (None, Some(ResponseBody::Json(ty)), _) => type_doc(api, ty),
        (None, Some(ResponseBody::Text), _) => "the body as text".to_owned(),
        (None, Some(ResponseBody::Bytes), _) => "the body's bytes".to_owned(),
        (None, None, _) => "nothing".to_owned(),
    }
}

/// The doc attributes of the namespace method of `op`: `returns` is the
/// phrase from [`returns`], `error_enum` the enum of typed error bodies.
pub(super) fn method_docs(
    api: &Api,
    config: &Config,
    op: &Operation,
    returns: &str,
    error_enum: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let verb = format!("{:?}", op.method).to_uppercase();
    let path = &op.path;
    let auth_line = auth_line(api, config, op);
    let signature = format!("`{verb} {path}`. {auth_line} Returns {returns}.");
    let errors_doc = error_enum.map(|name| errors_doc(api, op, name));
    doc_attrs(
        paragraphs([
            op.title.as_deref(),
            op.docs.as_deref(),
            Some(signature.as_str()),
            errors_doc.as_deref(),
        ])
        .as_deref(),
    )
}

/// The sentence on authentication: the client builder's methods for the
/// modes `op` accepts, or why none is needed.
fn auth_line(api: &Api, config: &Config, op: &Operation) -> String {
    let accepts = op
        .auth_modes
        .iter()
        .filter_map(|id| api.auth_modes.iter().find(|m| &m.id == id))
        .map(|m| match &m.feature {
            // Not always compiled: a link could point at nothing.
            Some(feature) => format!("`.{}()` (with the `{feature}` feature)", m.method),
            None => format!(
                "[`.{}()`](crate::{}Builder::{})",
                m.method, config.client_name, m.method
            ),
        })
        .collect::<Vec<_>>();
    if op.anonymous && !api.auth_modes.is_empty() {
        "No authentication: the client's credentials are not sent.".to_owned()
    } else if accepts.is_empty() {
        "No authentication needed.".to_owned()
    } else {
        format!("Authentication: {}.", accepts.join(", "))
    }
}

/// The paragraph on typed error bodies: each status with a JSON body, and the
/// enum `name` that reads them.
fn errors_doc(api: &Api, op: &Operation, name: &proc_macro2::Ident) -> String {
    let lines: Vec<String> = op
        .response
        .errors
        .iter()
        .filter_map(|e| match &e.body {
            Some(ResponseBody::Json(ty)) => {
                Some(format!("{}: {}", status_text(e.status), type_doc(api, ty)))
            }
            _ => None,
        })
        .collect();
    format!(
        "Error bodies, read with [`{name}::from_error`]: {}.",
        lines.join("; ")
    )
}

/// A type in words, a named type as a link to it.
fn type_doc(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("[`{0}`](crate::types::{0})", api.ty(*id).name),
        TypeRef::Array(item) => format!("a list of {}", type_doc(api, item)),
        TypeRef::Map(value) => format!("a map of {}", type_doc(api, value)),
        TypeRef::String => "a string".to_owned(),
        TypeRef::DateTime => "a date-time".to_owned(),
        TypeRef::Date => "a date".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "an integer".to_owned(),
        TypeRef::U32 | TypeRef::U64 => "a non-negative integer".to_owned(),
        TypeRef::F64 => "a number".to_owned(),
        TypeRef::Bool => "a boolean".to_owned(),
        TypeRef::Json => "a JSON value".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
    }
}
