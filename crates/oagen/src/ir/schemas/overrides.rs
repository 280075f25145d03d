//! The configuration's type overrides, applied while lowering: before a
//! property, a parameter or a schema is lowered, the first override of
//! [`Config::type_overrides`](crate::Config::type_overrides) that matches
//! it gives its type, and the schema is not lowered at all (no enum or
//! struct is made for it). So the IR, and everything emitted from it, only
//! knows the new type. An override that matched nothing is a warning once
//! lowering is done.

use openapiv3::{
    IntegerFormat, NumberFormat, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::shapes::normalize;
use crate::config::{pointer_matches, JsonType, OverrideTarget, OverrideType, TypeOverride};
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::TypeRef;

/// Where a schema is met, as overrides match it.
pub(in crate::ir) struct Site<'s> {
    /// Where it is: a property's schema, a parameter, any schema.
    pub(in crate::ir) ptr: &'s Pointer,
    /// The property or parameter name, when the schema is one's.
    pub(in crate::ir) name: Option<&'s str>,
    /// Whether it is part of a request (a request body defined in an
    /// operation, or a parameter).
    pub(in crate::ir) request: bool,
    /// The spec's schema, a `$ref` looked through; `None` when there is none
    /// (a parameter described by a `content` that is not JSON).
    pub(in crate::ir) schema: Option<&'s Schema>,
}

impl Lowerer<'_> {
    /// The type the first matching override gives the schema at `site`, if any.
    pub(in crate::ir) fn type_override(&mut self, site: &Site<'_>) -> Option<TypeRef> {
        let overrides = &self.config.type_overrides;
        let index = overrides.iter().position(|o| matches(o, site))?;
        self.override_hits[index] += 1;
        Some(type_ref(overrides[index].ty))
    }

    /// [`Self::type_override`] for a schema met without a name, which only
    /// pointers match; `schema` is the spec's, a `$ref` looked through.
    pub(super) fn schema_override(
        &mut self,
        schema: Option<&Schema>,
        ptr: &Pointer,
        request: bool,
    ) -> Option<TypeRef> {
        if self.config.type_overrides.is_empty() {
            return None;
        }
        self.type_override(&Site {
            ptr,
            name: None,
            request,
            schema,
        })
    }

    /// A warning for every override that applied to no schema: a name that
    /// is not there (or not in requests, or not of the `when` type), a
    /// pointer that leads nowhere. It is named, and pointed at the spec's
    /// root (or at the pointer it names), since it is about no one schema.
    pub(in crate::ir) fn unmatched_overrides(&mut self) {
        for (index, o) in self.config.type_overrides.iter().enumerate() {
            if self.override_hits[index] > 0 {
                continue;
            }
            let ptr = match &o.target {
                OverrideTarget::Pointer(pattern) if pattern.starts_with('#') => {
                    Pointer::from_ref(pattern)
                }
                _ => Pointer::root(),
            };
            self.diags.warning(
                &ptr,
                format!("`type_overrides[{index}]` ({o}) matches no schema; it has no effect"),
            );
        }
    }
}

/// Whether override `o` applies to the schema at `site`.
fn matches(o: &TypeOverride, site: &Site<'_>) -> bool {
    let target = match &o.target {
        OverrideTarget::Name(name) => site.name == Some(name.as_str()),
        OverrideTarget::Pointer(pattern) => pointer_matches(pattern, site.ptr.as_str()),
    };
    if !target || (o.requests_only && !site.request) {
        return false;
    }
    match &o.when {
        None => true,
        Some(when) => site
            .schema
            .and_then(|s| spec_type(&normalize(s)))
            .is_some_and(|(ty, format)| ty == when.ty && when.format.admits(format.as_deref())),
    }
}

/// The `type` of a schema and its `format`; `None` for a schema without a
/// type (a composition, or one that says nothing).
fn spec_type(schema: &Schema) -> Option<(JsonType, Option<String>)> {
    fn format<T: Copy>(
        format: &VariantOrUnknownOrEmpty<T>,
        name: fn(T) -> &'static str,
    ) -> Option<String> {
        match format {
            VariantOrUnknownOrEmpty::Item(known) => Some(name(*known).to_owned()),
            VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    Some(match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => (JsonType::String, format(&s.format, string_format)),
        SchemaKind::Type(Type::Integer(i)) => (
            JsonType::Integer,
            format(&i.format, |f| match f {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            }),
        ),
        SchemaKind::Type(Type::Number(n)) => (
            JsonType::Number,
            format(&n.format, |f| match f {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            }),
        ),
        SchemaKind::Type(Type::Boolean(_)) => (JsonType::Boolean, None),
        SchemaKind::Type(Type::Array(_)) => (JsonType::Array, None),
        SchemaKind::Type(Type::Object(_)) => (JsonType::Object, None),
        SchemaKind::Any(any) => (
            JsonType::from_name(any.typ.as_deref()?)?,
            any.format.clone(),
        ),
        _ => return None,
    })
}

/// The name of a string format `openapiv3` knows.
fn string_format(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

/// The IR type of an override's type.
fn type_ref(ty: OverrideType) -> TypeRef {
    match ty {
        OverrideType::U32 => TypeRef::U32,
        OverrideType::U64 => TypeRef::U64,
        OverrideType::I32 => TypeRef::I32,
        OverrideType::I64 => TypeRef::I64,
        OverrideType::F64 => TypeRef::F64,
        OverrideType::Bool => TypeRef::Bool,
        OverrideType::String => TypeRef::String,
        OverrideType::DateTime => TypeRef::DateTime,
        OverrideType::Date => TypeRef::Date,
        OverrideType::Json => TypeRef::Json,
    }
}
