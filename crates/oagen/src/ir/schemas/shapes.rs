//! What a schema means before it is lowered: its rough [`Shape`], the type
//! an untyped schema's keywords imply ([`typed`], [`normalize`]), one
//! composition for `allOf`, `oneOf` or `anyOf` beside other keywords
//! ([`composed`]), and the small readers of schema parts the other steps
//! share (`object_parts`, `adds_only_null`, `annotation_only`...).
//!
//! Nothing here lowers anything or touches the lowerer: these are pure
//! functions of one schema.

use std::borrow::Cow;

use indexmap::IndexMap;
use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, StringType, Type};

/// The rough shape of a schema, for deciding how to lower a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Other,
}

/// The [`Shape`] of a schema, typed or not.
pub(super) fn shape(schema: &Schema) -> Shape {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => Shape::Object,
        SchemaKind::Type(Type::String(_)) => Shape::String,
        SchemaKind::Type(Type::Integer(_)) => Shape::Integer,
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(_)) => Shape::Array,
        SchemaKind::Any(a) if any_is_object(a) => Shape::Object,
        SchemaKind::Any(a) => match any_type_name(a) {
            Some("string") => Shape::String,
            Some("integer") => Shape::Integer,
            Some("number") => Shape::Number,
            Some("boolean") => Shape::Boolean,
            Some("array") => Shape::Array,
            _ => Shape::Other,
        },
        _ => Shape::Other,
    }
}

/// Whether a schema `openapiv3` could not type is an object: it has
/// `properties`, or it is (or its keywords say it is) `type: object`.
fn any_is_object(any: &AnySchema) -> bool {
    !any.properties.is_empty() || any_type_name(any) == Some("object")
}

/// The type a schema that `openapiv3` could not type (kept as `AnySchema`)
/// means, when that is clear: its `type`, when its `enum` values fit it (the
/// keywords of other types beside it are ignored); without a `type`, the one
/// its keywords imply (`properties` or `additionalProperties`: an object,
/// `items`: an array, `minLength`: a string, an `enum` of values of one
/// type: that type...). `None` beside `allOf`, `oneOf`, `anyOf` or `not`.
fn any_type_name(any: &AnySchema) -> Option<&'static str> {
    if !any.one_of.is_empty()
        || !any.all_of.is_empty()
        || !any.any_of.is_empty()
        || any.not.is_some()
    {
        return None;
    }
    let values: Vec<&serde_json::Value> = any.enumeration.iter().filter(|v| !v.is_null()).collect();
    let all = |test: fn(&serde_json::Value) -> bool| values.iter().all(|v| test(v));
    let name = match any.typ.as_deref() {
        Some("object") => "object",
        Some("array") => "array",
        Some("string") if all(|v| string_value(v).is_some()) => "string",
        Some("integer") if all(|v| integer_value(v).is_some()) => "integer",
        Some("number") if all(serde_json::Value::is_number) => "number",
        Some("boolean") if all(serde_json::Value::is_boolean) => "boolean",
        Some(_) => return None,
        None if !any.properties.is_empty()
            || any.additional_properties.is_some()
            || any.min_properties.is_some()
            || any.max_properties.is_some() =>
        {
            "object"
        }
        None if any.items.is_some()
            || any.min_items.is_some()
            || any.max_items.is_some()
            || any.unique_items.is_some() =>
        {
            "array"
        }
        None if !any.enumeration.is_empty() => {
            if values.is_empty() {
                return None;
            } else if all(serde_json::Value::is_string) {
                "string"
            } else if all(|v| v.is_i64()) {
                "integer"
            } else if all(serde_json::Value::is_number) {
                "number"
            } else if all(serde_json::Value::is_boolean) {
                "boolean"
            } else {
                return None;
            }
        }
        None if any.pattern.is_some() || any.min_length.is_some() || any.max_length.is_some() => {
            "string"
        }
        None => match any.format.as_deref() {
            Some("int32" | "int64") => "integer",
            Some("float" | "double") => "number",
            Some(
                "date-time" | "date" | "byte" | "binary" | "password" | "uuid" | "email" | "uri"
                | "hostname" | "ipv4" | "ipv6",
            ) => "string",
            _ if any.minimum.is_some() || any.maximum.is_some() || any.multiple_of.is_some() => {
                "number"
            }
            _ => return None,
        },
    };
    Some(name)
}

/// An enum value of a string enum: strings, and numbers and booleans that
/// YAML read as such (`enum: [1, 2]` under `type: string`) as their text.
fn string_value(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An enum value of an integer enum: an integer, or a number without a
/// fractional part (`1.0`).
fn integer_value(value: &serde_json::Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

/// The values of an `enum`, `null` as `None`; `None` when one does not convert.
fn enum_values<T>(
    values: &[serde_json::Value],
    convert: impl Fn(&serde_json::Value) -> Option<T>,
) -> Option<Vec<Option<T>>> {
    values
        .iter()
        .map(|v| match v {
            serde_json::Value::Null => Some(None),
            v => convert(v).map(Some),
        })
        .collect()
}

/// The typed schema an `AnySchema` means (see [`any_type_name`]), or `None`.
pub(super) fn typed(schema: &Schema) -> Option<Schema> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    let integral = |n: f64| (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64);
    let ty = match any_type_name(any)? {
        "object" => Type::Object(openapiv3::ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional_properties: any.additional_properties.clone(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        }),
        "array" => Type::Array(openapiv3::ArrayType {
            items: any.items.clone(),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items.unwrap_or(false),
        }),
        "string" => Type::String(StringType {
            format: any.format.clone().into(),
            pattern: any.pattern.clone(),
            enumeration: enum_values(&any.enumeration, string_value)?,
            min_length: any.min_length,
            max_length: any.max_length,
        }),
        "integer" => Type::Integer(openapiv3::IntegerType {
            format: any.format.clone().into(),
            multiple_of: any.multiple_of.and_then(integral),
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            minimum: any.minimum.and_then(integral),
            maximum: any.maximum.and_then(integral),
            enumeration: enum_values(&any.enumeration, integer_value)?,
        }),
        "number" => Type::Number(openapiv3::NumberType {
            format: any.format.clone().into(),
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            minimum: any.minimum,
            maximum: any.maximum,
            enumeration: enum_values(&any.enumeration, serde_json::Value::as_f64)?,
        }),
        "boolean" => Type::Boolean(openapiv3::BooleanType {
            enumeration: enum_values(&any.enumeration, serde_json::Value::as_bool)?,
        }),
        _ => return None,
    };
    Some(Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind: SchemaKind::Type(ty),
    })
}

/// The schema, typed when `openapiv3` could not type it but its keywords say
/// what it is.
pub(super) fn normalize(schema: &Schema) -> Cow<'_, Schema> {
    match typed(schema) {
        Some(typed) => Cow::Owned(typed),
        None => Cow::Borrowed(schema),
    }
}

/// An untyped schema with `allOf`, `oneOf` or `anyOf` beside other keywords
/// (Azure's `type: object, allOf: [$ref], properties: {...}`, Linode's
/// `allOf: [$ref], required: [...]`, Docker's `items` beside `oneOf`), as one
/// composition: an `allOf` of its parts, its `oneOf`, its `anyOf`, and its
/// own properties and `required` when it has some. Other keywords beside
/// (`type`, `items`) restate what the composition says and are dropped; a
/// lone `oneOf` or `anyOf` keeps the schema's data (its discriminator).
pub(super) fn composed(schema: &Schema) -> Option<Schema> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    if (any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty())
        || any.not.is_some()
    {
        return None;
    }
    let part = |kind: SchemaKind| {
        ReferenceOr::Item(Schema {
            schema_data: SchemaData::default(),
            schema_kind: kind,
        })
    };
    let mut parts = any.all_of.clone();
    if !any.one_of.is_empty() {
        parts.push(part(SchemaKind::OneOf {
            one_of: any.one_of.clone(),
        }));
    }
    if !any.any_of.is_empty() {
        parts.push(part(SchemaKind::AnyOf {
            any_of: any.any_of.clone(),
        }));
    }
    if !any.properties.is_empty() || !any.required.is_empty() || any.additional_properties.is_some()
    {
        parts.push(part(SchemaKind::Type(Type::Object(
            openapiv3::ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: any.min_properties,
                max_properties: any.max_properties,
            },
        ))));
    }
    let schema_kind = match parts.as_slice() {
        [ReferenceOr::Item(Schema {
            schema_kind: kind @ (SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }),
            ..
        })] => kind.clone(),
        _ => SchemaKind::AllOf { all_of: parts },
    };
    Some(Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind,
    })
}

/// The description of a schema, or of the part of its `allOf` that only
/// documents it (`allOf: [$ref, {description: ...}]`).
pub(super) fn description_of(schema: &Schema) -> Option<&str> {
    if let Some(description) = schema.schema_data.description.as_deref() {
        return Some(description);
    }
    let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
        return None;
    };
    all_of.iter().find_map(|part| match part {
        ReferenceOr::Item(p) if adds_only_null(p) => p.schema_data.description.as_deref(),
        _ => None,
    })
}

/// Whether a union variant only admits `null` or says nothing (`{}`,
/// `{nullable: true}`, 3.1's `{type: "null"}`): it adds no shape to the
/// union, only nullability.
pub(super) fn adds_only_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            let only_null_type = AnySchema {
                typ: Some("null".to_owned()),
                ..AnySchema::default()
            };
            *a == AnySchema::default()
                || *a == only_null_type
                || (!a.enumeration.is_empty() && a.enumeration.iter().all(|v| v.is_null()))
        }
        _ => false,
    }
}

/// A schema that only annotates: no type, no properties, no items, no
/// values, no composition (a `description`, `title`, `example`, `nullable`
/// or constraints alone).
pub(super) fn annotation_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.format.is_none()
        }
        _ => false,
    }
}

/// The `properties` of a schema.
pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Properties and `required` of an object-shaped schema.
pub(super) fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if any_is_object(a) => Some((&a.properties, &a.required)),
        _ => None,
    }
}
