//! The API surface of a generated crate, as facts: what user code can name
//! (operations, their parameters, bodies and responses, types, fields, enum
//! values, union variants, authentication modes), one line each, sorted.
//!
//! `cargo xtask codegen` writes it beside the crate (`api-surface.txt`), so
//! that the next run compares the committed crate's surface with the new
//! one ([`diff`]) and a review reads API changes in one line each. It comes
//! from the IR, not from the emitted code: two specs compare without
//! compiling anything.

pub mod diff;

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::ir::{Api, Method, TypeKind, TypeRef};

/// What a fact is about: the line's first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An operation: `pets.get_pet = POST /pets/get`.
    Operation,
    /// A parameter of an operation: `pets.get_pet/limit = u32, optional`.
    Param,
    /// The body type of an operation.
    Body,
    /// What `send()` returns.
    Response,
    /// The authentication modes an operation accepts.
    Auth,
    /// The cargo features an operation needs.
    Features,
    /// A type and what it is: `Pet = struct`.
    Type,
    /// A field of a struct: `Pet.age = Option<i64>`.
    Field,
    /// A known value of an enum: `Kind::Cat = cat`.
    Value,
    /// A variant of a union and its payload: `Event::DeviceLocked = EventDeviceLocked`.
    Variant,
    /// The variant values nobody listed decode into.
    Fallback,
    /// An authentication mode of the client builder: `api_key = (api_key)`.
    AuthMode,
}

impl Kind {
    const ALL: [Kind; 12] = [
        Kind::Operation,
        Kind::Param,
        Kind::Body,
        Kind::Response,
        Kind::Auth,
        Kind::Features,
        Kind::Type,
        Kind::Field,
        Kind::Value,
        Kind::Variant,
        Kind::Fallback,
        Kind::AuthMode,
    ];

    /// The word the line starts with.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Operation => "operation",
            Kind::Param => "param",
            Kind::Body => "body",
            Kind::Response => "response",
            Kind::Auth => "auth",
            Kind::Features => "features",
            Kind::Type => "type",
            Kind::Field => "field",
            Kind::Value => "value",
            Kind::Variant => "variant",
            Kind::Fallback => "fallback",
            Kind::AuthMode => "auth-mode",
        }
    }

    /// The fact this one belongs to: added or removed with it, a fact of
    /// these kinds is not a change of its own.
    fn owner(self, item: &str) -> Option<(Kind, String)> {
        let split = |sep: &str| item.split_once(sep).map(|(owner, _)| owner.to_owned());
        match self {
            Kind::Param => split("/").map(|o| (Kind::Operation, o)),
            Kind::Body | Kind::Response | Kind::Auth | Kind::Features => {
                Some((Kind::Operation, item.to_owned()))
            }
            Kind::Field => split(".").map(|o| (Kind::Type, o)),
            Kind::Value | Kind::Variant => split("::").map(|o| (Kind::Type, o)),
            Kind::Fallback => Some((Kind::Type, item.to_owned())),
            Kind::Operation | Kind::Type | Kind::AuthMode => None,
        }
    }
}

/// The facts of one API: (kind, item) → value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Every fact, sorted by kind and item.
    pub facts: BTreeMap<(Kind, String), String>,
}

impl Surface {
    /// The surface of `api`.
    pub fn of(api: &Api) -> Surface {
        let mut s = Surface::default();
        for op in &api.operations {
            let id = &op.id;
            s.add(
                Kind::Operation,
                id,
                format!("{} {}", method(op.method), op.path),
            );
            for p in &op.parameters {
                let need = if p.required { "required" } else { "optional" };
                let ty = type_name(api, &p.ty);
                s.add(
                    Kind::Param,
                    &format!("{id}/{}", p.ident),
                    format!("{ty}, {need}"),
                );
            }
            let body = match (op.body, &op.whole_body) {
                (Some(body), _) => Some(api.ty(body).name.clone()),
                (None, Some(whole)) => Some(type_name(api, whole)),
                (None, None) => None,
            };
            if let Some(body) = body {
                let need = if op.body_required {
                    "required"
                } else {
                    "optional"
                };
                s.add(Kind::Body, id, format!("{body}, {need}"));
            }
            let returns = match (&op.response.key, &op.response.body) {
                (Some((key, ty)), _) => format!("{} (under `{key}`)", type_name(api, ty)),
                (None, Some(ty)) => type_name(api, ty),
                (None, None) => "()".to_owned(),
            };
            s.add(Kind::Response, id, returns);
            s.add(Kind::Auth, id, op.auth_modes.join(" "));
            if !op.features.is_empty() {
                s.add(Kind::Features, id, op.features.join(" "));
            }
        }
        for id in (0..api.types.len()).map(crate::ir::TypeId) {
            s.add_type(api, id);
        }
        for mode in &api.auth_modes {
            let creds: Vec<&str> = mode.credentials.iter().map(|c| c.name.as_str()).collect();
            let feature = mode
                .feature
                .as_ref()
                .map(|f| format!(", feature {f}"))
                .unwrap_or_default();
            s.add(
                Kind::AuthMode,
                &mode.method,
                format!("({}){feature}", creds.join(", ")),
            );
        }
        s
    }

    fn add_type(&mut self, api: &Api, id: crate::ir::TypeId) {
        let def = api.ty(id);
        let name = &def.name;
        // An alias has the members of its shape, under its own name.
        let shape = api.shape(id);
        let mut what = match &shape.kind {
            TypeKind::Struct { fields, extra, .. } => {
                for f in fields {
                    let mut ty = type_name(api, &f.ty);
                    if f.is_optional() {
                        ty = format!("Option<{ty}>");
                    }
                    if f.tri_state {
                        ty = format!("Option<{ty}>");
                    }
                    self.add(Kind::Field, &format!("{name}.{}", f.ident), ty);
                }
                if let Some((extra, ty)) = extra {
                    let ty = format!("BTreeMap<String, {}>", type_name(api, ty));
                    self.add(Kind::Field, &format!("{name}.{extra}"), ty);
                }
                "struct".to_owned()
            }
            TypeKind::Enum { variants, fallback } => {
                for v in variants {
                    self.add(
                        Kind::Value,
                        &format!("{name}::{}", v.ident),
                        v.value.clone(),
                    );
                }
                self.add(Kind::Fallback, name, fallback.clone());
                "enum".to_owned()
            }
            TypeKind::IntegerEnum { variants, fallback } => {
                for v in variants {
                    self.add(
                        Kind::Value,
                        &format!("{name}::{}", v.ident),
                        v.value.to_string(),
                    );
                }
                self.add(Kind::Fallback, name, fallback.clone());
                "integer enum".to_owned()
            }
            TypeKind::Tagged {
                tag,
                variants,
                fallback,
                ..
            } => {
                for v in variants {
                    let ty = &api.ty(v.ty).name;
                    let item = format!("{name}::{}", v.ident);
                    self.add(Kind::Variant, &item, format!("{ty} (`{tag}: {}`)", v.value));
                }
                self.add(Kind::Fallback, name, fallback.clone());
                format!("union by `{tag}`")
            }
            TypeKind::Untagged { variants } => {
                for v in variants {
                    let item = format!("{name}::{}", v.ident);
                    self.add(Kind::Variant, &item, type_name(api, &v.ty));
                }
                "union".to_owned()
            }
            TypeKind::Alias { .. } => "alias".to_owned(),
        };
        if shape.name != *name {
            what = format!("{what}, the type {}", shape.name);
        }
        self.add(Kind::Type, name, what);
    }

    fn add(&mut self, kind: Kind, item: &str, value: String) {
        self.facts.insert((kind, item.to_owned()), value);
    }

    /// The text of `api-surface.txt`: a header, then `kind item = value`
    /// lines.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# The API surface of this crate, one fact a line: what `cargo xtask codegen`\n\
             # compares with the next spec to report API changes and the semver bump.\n",
        );
        for ((kind, item), value) in &self.facts {
            let _ = writeln!(out, "{} {item} = {value}", kind.word());
        }
        out
    }

    /// Reads [`Self::to_text`]'s text back; `None` when a line is not a fact.
    pub fn from_text(text: &str) -> Option<Surface> {
        let mut s = Surface::default();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (word, rest) = line.split_once(' ')?;
            let kind = Kind::ALL.into_iter().find(|k| k.word() == word)?;
            let (item, value) = rest.split_once(" = ")?;
            s.add(kind, item, value.to_owned());
        }
        Some(s)
    }
}

fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
        Method::Head => "HEAD",
        Method::Options => "OPTIONS",
    }
}

/// A type as user code writes it, without paths.
fn type_name(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::U32 => "u32".to_owned(),
        TypeRef::U64 => "u64".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", type_name(api, item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_name(api, value)),
        TypeRef::Named(id) => api.ty(*id).name.clone(),
        TypeRef::Json => "serde_json::Value".to_owned(),
    }
}
