//! One struct field from one property: its type, and what the property's
//! schema says beside it. Nullability, `readOnly`, `writeOnly`, `default`,
//! deprecation and the constraints checked before a request is sent are
//! kept on the field; what the Rust type does not say (a default, the
//! values of a number or boolean enum, access) goes in the field's docs.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaData, SchemaKind, Type};

use super::shapes::{adds_only_null, description_of, normalize};
use super::{Hint, Site};
use crate::diagnostics::Pointer;
use crate::ir::docs::code_span;
use crate::ir::lower::Lowerer;
use crate::ir::{sanitize_docs, Constraints, Deprecation, Field};

/// A property of an object being lowered, with what its field takes from
/// the object: its Rust name, whether the object requires it, where it is,
/// and how to name the types it defines.
pub(super) struct Property<'p> {
    pub(super) wire_name: &'p str,
    pub(super) schema: &'p ReferenceOr<Box<Schema>>,
    pub(super) ident: String,
    pub(super) required: bool,
    pub(super) ptr: Pointer,
    pub(super) hint: Hint,
}

impl Lowerer<'_> {
    /// The field of a property: its type lowered (or an override's), with
    /// what its schema (or the schema its `$ref` names) says of it.
    pub(super) fn field(&mut self, property: Property<'_>, request: bool) -> Field {
        let prop = property.schema;
        let site = Site {
            ptr: &property.ptr,
            name: Some(property.wire_name),
            request,
            schema: self.resolve(prop),
        };
        let ty = match self.type_override(&site) {
            Some(ty) => ty,
            None => self.boxed_schema_or_ref(prop, &property.ptr, &property.hint, request),
        };
        let resolved = self.resolve(prop).map(normalize);
        let resolved = resolved.as_deref();
        let data = resolved.map(|s| &s.schema_data);
        // Deprecation is read from the property's own schema only, not from
        // the schema a `$ref` names.
        let own = match prop {
            ReferenceOr::Item(s) => Some(&s.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        let nullable = resolved.is_some_and(|s| self.nullable(s));
        let read_only = data.is_some_and(|d| d.read_only);
        let mut field = Field {
            wire_name: property.wire_name.to_owned(),
            ident: property.ident,
            ty,
            required: property.required,
            nullable,
            docs: None,
            deprecated: own.and_then(deprecation),
            constraints: resolved.map(constraints).unwrap_or_default(),
            boxed: false,
            tri_state: request && !property.required && nullable && !read_only,
            read_only,
            write_only: data.is_some_and(|d| d.write_only),
            default: data.and_then(|d| d.default.clone()),
        };
        field.docs = self.field_docs(prop, resolved, &field);
        field
    }

    /// The docs of a field: the property's own description, then what the
    /// Rust type does not say (allowed values, default, access).
    fn field_docs(
        &self,
        prop: &ReferenceOr<Box<Schema>>,
        resolved: Option<&Schema>,
        field: &Field,
    ) -> Option<String> {
        let mut notes = Vec::new();
        if let Some(allowed) = resolved.and_then(|s| self.allowed_values(s)) {
            notes.push(allowed);
        }
        if let Some(default) = &field.default {
            notes.push(format!(
                "Defaults to {} when omitted.",
                code_span(&default.to_string())
            ));
        }
        if field.read_only {
            notes.push("Read-only: set by the server.".to_owned());
        }
        if field.write_only {
            notes.push("Write-only: never returned.".to_owned());
        }
        let description = match prop {
            ReferenceOr::Item(s) => description_of(s).and_then(sanitize_docs),
            ReferenceOr::Reference { .. } => None,
        };
        let notes = notes.join(" ");
        let docs = [description, (!notes.is_empty()).then_some(notes)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        (!docs.is_empty()).then(|| docs.join("\n\n"))
    }

    /// Whether a property of this schema may be `null`: `nullable`, a `null`
    /// among the values of its `enum`, or a `oneOf`/`anyOf` variant that is
    /// nullable or only admits `null`.
    fn nullable(&self, schema: &Schema) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.contains(&None),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.contains(&None),
            SchemaKind::Type(Type::Number(n)) => n.enumeration.contains(&None),
            SchemaKind::Type(Type::Boolean(b)) => b.enumeration.contains(&None),
            SchemaKind::Any(a) => a.enumeration.iter().any(serde_json::Value::is_null),
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                variants
                    .iter()
                    .filter_map(|v| self.resolve_unboxed(v))
                    .any(|v| v.schema_data.nullable || adds_only_null(v))
            }
            // `allOf: [$ref, {nullable: true}]`: what the author means is a
            // nullable reference.
            SchemaKind::AllOf { all_of } => all_of.iter().any(|p| {
                matches!(p, ReferenceOr::Item(p) if p.schema_data.nullable && adds_only_null(p))
            }),
            _ => false,
        }
    }

    /// The values a number or boolean enum allows (such a property stays an
    /// `f64` or a `bool`), also as array items, for the docs.
    fn allowed_values(&self, schema: &Schema) -> Option<String> {
        if let Some(values) = scalar_enum_values(schema) {
            return Some(match values.as_slice() {
                [one] => format!("Always {one}."),
                _ => format!("One of {}.", values.join(", ")),
            });
        }
        let SchemaKind::Type(Type::Array(a)) = &schema.schema_kind else {
            return None;
        };
        let item = normalize(self.resolve(a.items.as_ref()?)?);
        let values = scalar_enum_values(&item)?;
        Some(match values.as_slice() {
            [one] => format!("Each item is {one}."),
            _ => format!("Each item is one of {}.", values.join(", ")),
        })
    }
}

/// The values of an enum the Rust type does not list (of numbers, of
/// booleans, or of values of several types, typed as JSON), as code spans,
/// without duplicates; `None` for any other schema.
fn scalar_enum_values(schema: &Schema) -> Option<Vec<String>> {
    let texts: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(Type::Number(n)) => n
            .enumeration
            .iter()
            .flatten()
            .map(|&f| number_text(f))
            .collect(),
        SchemaKind::Type(Type::Boolean(b)) => b
            .enumeration
            .iter()
            .flatten()
            .map(bool::to_string)
            .collect(),
        SchemaKind::Any(a) => a.enumeration.iter().map(ToString::to_string).collect(),
        _ => return None,
    };
    let mut seen = BTreeSet::new();
    let texts: Vec<String> = texts
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .map(|t| code_span(&t))
        .collect();
    (!texts.is_empty()).then_some(texts)
}

/// A number as the spec would write it: `2`, not `2.0`.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        (value as i64).to_string()
    } else {
        value.to_string()
    }
}

/// The deprecation of a schema: `deprecated`, or a note in `x-deprecated`.
fn deprecation(data: &SchemaData) -> Option<Deprecation> {
    let note = data
        .extensions
        .get("x-deprecated")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    (data.deprecated || note.is_some()).then_some(Deprecation { note })
}

/// The constraints of a schema that a request checks before it is sent.
fn constraints(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        // An enum's values are fixed: there is no length left to check.
        SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => {
            c.min_length = s.min_length.map(|n| n as u64).filter(|&n| n > 0);
            c.max_length = s.max_length.map(|n| n as u64);
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|n| n as u64).filter(|&n| n > 0);
            c.max_items = a.max_items.map(|n| n as u64);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|n| n as f64);
            c.maximum = i.maximum.map(|n| n as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
        }
        _ => {}
    }
    c
}
