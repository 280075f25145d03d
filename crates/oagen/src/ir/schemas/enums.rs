//! String and integer schemas: enums when they list values (variant names
//! from `x-enum-varnames` or `x-enumNames`, else from the values; a fallback
//! variant keeps unknown values), else the scalar their `format` says.
//!
//! An inline enum is named after its property when that name is not too
//! generic, and is then one type shared by every enum with the same
//! variants under that name.

use std::collections::BTreeSet;

use openapiv3::{
    IntegerType, Schema, SchemaData, StringFormat, StringType, VariantOrUnknownOrEmpty,
};

use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::names::{type_ident, Scope};
use crate::ir::{sanitize_docs, EnumVariant, IntegerVariant, TypeKind, TypeRef};

/// Property names too generic to name a type alone: an enum under `status`
/// is `ActionAttemptStatus`, not `Status`.
const GENERIC_NAMES: &[&str] = &[
    "action", "category", "code", "format", "kind", "level", "method", "mode", "name", "reason",
    "result", "source", "state", "status", "type", "unit", "value",
];

impl Lowerer<'_> {
    /// A `type: string` schema: an enum when it lists values other than
    /// `null`, else a date-time, a date or a string.
    pub(super) fn string_schema(
        &mut self,
        schema: &Schema,
        string: &StringType,
        ptr: &Pointer,
        hint: &Hint,
    ) -> TypeRef {
        if string.enumeration.iter().any(Option::is_some) {
            let names = self.enum_names(&schema.schema_data, string.enumeration.len(), ptr);
            let values: Vec<(String, Option<String>)> = string
                .enumeration
                .iter()
                .zip(names)
                .filter_map(|(value, name)| Some((value.clone()?, name)))
                .collect();
            let docs = schema.schema_data.description.as_deref();
            return self.string_enum(&values, hint, ptr, docs);
        }
        match &string.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
            _ => TypeRef::String,
        }
    }

    /// A `type: integer` schema: an enum when it lists values other than
    /// `null`, else an `i32` (`format: int32`) or an `i64`.
    pub(super) fn integer_schema(
        &mut self,
        schema: &Schema,
        integer: &IntegerType,
        ptr: &Pointer,
        hint: &Hint,
    ) -> TypeRef {
        if integer.enumeration.iter().any(Option::is_some) {
            let names = self.enum_names(&schema.schema_data, integer.enumeration.len(), ptr);
            let values: Vec<(i64, Option<String>)> = integer
                .enumeration
                .iter()
                .zip(names)
                .filter_map(|(value, name)| Some(((*value)?, name)))
                .collect();
            let docs = schema.schema_data.description.as_deref();
            return self.integer_enum(&values, hint, ptr, docs);
        }
        match &integer.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        }
    }

    /// The variant names an enum's extension gives (`x-enum-varnames`, from
    /// OpenAPI Generator, or `x-enumNames`, from NSwag), one per value of
    /// `enum` (`null` included); `None` for each value without one.
    fn enum_names(
        &mut self,
        data: &SchemaData,
        count: usize,
        ptr: &Pointer,
    ) -> Vec<Option<String>> {
        for key in ["x-enum-varnames", "x-enumNames"] {
            let Some(names) = data.extensions.get(key) else {
                continue;
            };
            match names.as_array() {
                Some(names) if names.len() == count => {
                    return names
                        .iter()
                        .map(|n| n.as_str().filter(|n| !n.trim().is_empty()).map(str::to_owned))
                        .collect();
                }
                _ => self.diags.warning(
                    &ptr.push(key),
                    format!(
                        "expected a list of {count} names, one per value of `enum`; ignored, variants are named after their values"
                    ),
                ),
            }
            break;
        }
        vec![None; count]
    }

    /// A string enum. An enum with the same values under the same property
    /// name elsewhere is the same type.
    fn string_enum(
        &mut self,
        values: &[(String, Option<String>)],
        hint: &Hint,
        ptr: &Pointer,
        docs: Option<&str>,
    ) -> TypeRef {
        let mut scope = Scope::default();
        let mut seen = BTreeSet::new();
        let variants: Vec<EnumVariant> = values
            .iter()
            .filter(|(v, _)| seen.insert(v.as_str()))
            .map(|(value, name)| EnumVariant {
                value: value.clone(),
                ident: scope.claim(&variant_ident(name.as_deref().unwrap_or(value)), ""),
            })
            .collect();
        let fallback = scope.claim("Unknown", "");
        let kind = TypeKind::Enum { variants, fallback };
        self.enum_type(kind, hint, ptr, docs)
    }

    /// An integer enum, shared like string enums.
    fn integer_enum(
        &mut self,
        values: &[(i64, Option<String>)],
        hint: &Hint,
        ptr: &Pointer,
        docs: Option<&str>,
    ) -> TypeRef {
        let mut scope = Scope::default();
        let mut seen = BTreeSet::new();
        let variants: Vec<IntegerVariant> = values
            .iter()
            .filter(|(v, _)| seen.insert(*v))
            .map(|(value, name)| {
                let ident = match name {
                    Some(name) => variant_ident(name),
                    None if *value < 0 => format!("Minus{}", value.unsigned_abs()),
                    None => format!("V{value}"),
                };
                IntegerVariant {
                    value: *value,
                    ident: scope.claim(&ident, ""),
                }
            })
            .collect();
        let fallback = scope.claim("Unknown", "");
        let kind = TypeKind::IntegerEnum { variants, fallback };
        self.enum_type(kind, hint, ptr, docs)
    }

    /// The type of an enum: named after its component; inline, named after
    /// its property when that name is not too generic, and then shared by
    /// every enum with the same variants under that name.
    fn enum_type(
        &mut self,
        kind: TypeKind,
        hint: &Hint,
        ptr: &Pointer,
        docs: Option<&str>,
    ) -> TypeRef {
        if hint.component.is_none() {
            if let Some(short) = hint.short.as_deref().filter(|s| !GENERIC_NAMES.contains(s)) {
                let name = type_ident(short);
                if let Some(&id) = self.shared.get(&name) {
                    if self.types[id.0].kind == kind {
                        return TypeRef::Named(id);
                    }
                } else if self.type_names.is_free(&name) {
                    let docs = docs.and_then(sanitize_docs);
                    return TypeRef::Named(self.shared_type(name, ptr, docs, kind));
                }
            }
        }
        TypeRef::Named(self.new_type(hint, ptr, docs, kind))
    }
}

/// A variant identifier for an enum value: UpperCamelCase, or a description
/// of the value when it has no letters or digits (`""`, `>=`).
pub(super) fn variant_ident(value: &str) -> String {
    if value.chars().any(char::is_alphanumeric) {
        return type_ident(value);
    }
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let words: Vec<&str> = value
        .chars()
        .map(|c| match c {
            '<' => "Lt",
            '>' => "Gt",
            '=' => "Eq",
            '!' => "Not",
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '.' => "Dot",
            ' ' => "Space",
            _ => "Symbol",
        })
        .collect();
    words.concat()
}
