//! Schema lowering: `openapiv3` schemas → the type space of the IR.
//!
//! - Objects become structs; a component registers its id before its
//!   properties, so recursive types resolve (and `mark_boxed` boxes them).
//!   `readOnly`, `writeOnly` and `default` are kept on the field; what the
//!   Rust type does not say (a default, the values of a number or boolean
//!   enum) goes in the field's docs.
//! - String and integer enums become enums that keep unknown values (variant
//!   names from `x-enum-varnames` or `x-enumNames` when given). Number and
//!   boolean enums stay `f64` and `bool`.
//! - Schemas without a `type` (or that `openapiv3` could not type) are typed
//!   by their keywords when these are clear ([`typed`]); `allOf`, `oneOf` or
//!   `anyOf` beside other keywords become one composition ([`composed`]).
//! - `oneOf` and `anyOf` become: one type or an untagged enum when the
//!   variants are scalars, or objects beside scalars and arrays (the objects
//!   merged into one struct variant); a tagged enum when a `discriminator`
//!   names the tag (tag values from its `mapping`, a one-value enum, or the
//!   component's name; variants with the same tag value are merged);
//!   otherwise, and always in request bodies, one struct merging the
//!   variants' properties. A variant that only admits `null` makes the
//!   property nullable.
//! - `allOf` becomes its one shaped part when the others only document it
//!   (`allOf: [$ref, {description}]`), else one struct with the properties
//!   of all parts.
//!
//! Merging works on schemas, before lowering: [`Lowerer::merge`] builds one
//! synthetic schema from several, which is then lowered like any other.

use std::borrow::Cow;
use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use super::docs::code_span;
use super::lower::Lowerer;
use super::names::{snake_ident, type_ident, Scope};
use super::{
    sanitize_docs, Constraints, Deprecation, EnumVariant, Field, IntegerVariant, TaggedVariant,
    TypeDef, TypeId, TypeKind, TypeRef, UntaggedVariant,
};
use crate::diagnostics::Pointer;

/// Property names too generic to name a type alone: an enum under `status`
/// is `ActionAttemptStatus`, not `Status`.
const GENERIC_NAMES: &[&str] = &[
    "action", "category", "code", "format", "kind", "level", "method", "mode", "name", "reason",
    "result", "source", "state", "status", "type", "unit", "value",
];

/// How to name a type defined inline.
#[derive(Debug, Clone)]
pub(super) struct Hint {
    /// The name from the context, for example `ClientSession_device_type`.
    pub full: String,
    /// The property name alone: tried first for enums, so that one set of
    /// values shared by many schemas becomes one type.
    pub short: Option<String>,
    /// Set when this is the top-level schema of this component.
    pub component: Option<String>,
}

impl Hint {
    pub fn new(full: impl Into<String>) -> Self {
        Hint {
            full: full.into(),
            short: None,
            component: None,
        }
    }

    fn child(&self, suffix: &str) -> Self {
        Hint {
            full: format!("{}_{suffix}", self.full),
            short: self.short.clone(),
            component: None,
        }
    }
}

pub(super) fn components_pointer() -> Pointer {
    Pointer::root().push("components")
}

/// The rough shape of a schema, for deciding how to lower a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Other,
}

fn shape(schema: &Schema) -> Shape {
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
fn typed(schema: &Schema) -> Option<Schema> {
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
fn normalize(schema: &Schema) -> Cow<'_, Schema> {
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
fn composed(schema: &Schema) -> Option<Schema> {
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
fn description_of(schema: &Schema) -> Option<&str> {
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
fn adds_only_null(schema: &Schema) -> bool {
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

/// The `properties` of a schema.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Properties and `required` of an object-shaped schema.
fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if any_is_object(a) => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// The only value of a one-value string enum.
fn single_value(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => {
            s.enumeration[0].as_deref()
        }
        _ => None,
    }
}

/// A variant of a union: its position, and the schema it is or names.
struct Variant<'v> {
    index: usize,
    variant: &'v ReferenceOr<Schema>,
    resolved: &'v Schema,
}

/// How several variants combine into one schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MergeMode {
    /// `oneOf`: a property is required only when every variant requires it.
    AnyOf,
    /// `allOf`: a property is required when any part requires it.
    All,
}

impl<'a> Lowerer<'a> {
    /// The type of component schema `name`, lowering it on first use.
    pub(super) fn component(&mut self, name: &str, ptr: &Pointer) -> TypeRef {
        if let Some(done) = self.components.get(name) {
            return done.clone();
        }
        let Some(schema) = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
        else {
            self.diags
                .error(ptr, format!("$ref to missing schema `{name}`"));
            return TypeRef::Json;
        };
        let own_ptr = components_pointer().push("schemas").push(name);
        if !self.in_progress.insert(name.to_owned()) {
            if let Some(ty) = self.collection_of_registered(name) {
                return ty;
            }
            self.diags.warning(
                &own_ptr,
                "a reference cycle that passes through no object; typed as `serde_json::Value`",
            );
            return TypeRef::Json;
        }
        let hint = Hint {
            full: name.to_owned(),
            short: None,
            component: Some(name.to_owned()),
        };
        // Seam's components say which route they belong to.
        let route_group = schema
            .as_item()
            .and_then(|s| s.schema_data.extensions.get("x-route-path"))
            .and_then(|v| v.as_str())
            .and_then(|route| route.trim_start_matches('/').split('/').next())
            .filter(|segment| !segment.is_empty())
            .map(snake_ident);
        let outer_group = std::mem::replace(&mut self.current_group, route_group);
        let ty = self.schema_or_ref(schema, &own_ptr, &hint, false);
        self.current_group = outer_group;
        self.in_progress.remove(name);
        self.components.insert(name.to_owned(), ty.clone());
        ty
    }

    /// The type of component `name`, being lowered, when it is a list (or a
    /// map) of a `$ref`, maybe through other such components, that ends at a
    /// type already registered: `ChildList: {type: array, items: {$ref:
    /// Child}}`, met again from a property of `Child`.
    fn collection_of_registered(&self, name: &str) -> Option<TypeRef> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let schemas = &spec.components.as_ref()?.schemas;
        let mut wrappers = Vec::new();
        let mut seen = BTreeSet::new();
        let mut current = name.to_owned();
        loop {
            if !seen.insert(current.clone()) {
                return None;
            }
            let schema = normalize(schemas.get(&current)?.as_item()?);
            let (wrapper, target) = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(a)) => match &a.items {
                    Some(ReferenceOr::Reference { reference }) => (true, reference),
                    _ => return None,
                },
                SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                    match &o.additional_properties {
                        Some(AdditionalProperties::Schema(s)) => match s.as_ref() {
                            ReferenceOr::Reference { reference } => (false, reference),
                            ReferenceOr::Item(_) => return None,
                        },
                        _ => return None,
                    }
                }
                _ => return None,
            };
            wrappers.push(wrapper);
            current = component_name(target)?;
            if let Some(done) = self.components.get(&current) {
                let ty = wrappers.iter().rev().fold(done.clone(), |ty, &array| {
                    if array {
                        TypeRef::Array(Box::new(ty))
                    } else {
                        TypeRef::Map(Box::new(ty))
                    }
                });
                return Some(ty);
            }
        }
    }

    pub(super) fn schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(schema) => self.schema(schema, ptr, hint, request),
        }
    }

    fn boxed_schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(schema) => self.schema(schema, ptr, hint, request),
        }
    }

    fn reference(&mut self, reference: &str, ptr: &Pointer) -> TypeRef {
        match component_name(reference) {
            Some(name) => self.component(&name, ptr),
            None => {
                self.diags.error(
                    ptr,
                    format!("`$ref: {reference}`: only references to `#/components/schemas/<name>` are supported here"),
                );
                TypeRef::Json
            }
        }
    }

    /// The schema a local `$ref` names. It borrows from the spec, not from
    /// `self`, so lowering can go on while it is held.
    fn lookup(&self, reference: &str) -> Option<&'a Schema> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let name = component_name(reference)?;
        spec.components.as_ref()?.schemas.get(&name)?.as_item()
    }

    /// Looks through a `$ref` to the schema it names, for reading its data.
    pub(super) fn resolve<'s>(&self, schema: &'s ReferenceOr<Box<Schema>>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.lookup(reference),
        }
    }

    pub(super) fn resolve_unboxed<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.lookup(reference),
        }
    }

    pub(super) fn schema(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        // Merging inlines what `$ref`s name; a recursive schema reached that
        // way would nest forever. Past a depth no real schema needs, stop.
        if self.schema_depth.get() >= MAX_SCHEMA_DEPTH {
            return self.unsupported(
                ptr,
                "a schema nested this deep (a recursive `allOf` or `oneOf`)",
            );
        }
        self.schema_depth.set(self.schema_depth.get() + 1);
        let ty = self.schema_inner(schema, ptr, hint, request);
        self.schema_depth.set(self.schema_depth.get() - 1);
        ty
    }

    fn schema_inner(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        // `allOf: [$ref]` (often used to give a reference a description) is
        // the reference itself, and so is a one-variant `oneOf` or `anyOf`.
        if let SchemaKind::AllOf { all_of: parts }
        | SchemaKind::OneOf { one_of: parts }
        | SchemaKind::AnyOf { any_of: parts } = &schema.schema_kind
        {
            if let [only @ ReferenceOr::Reference { .. }] = parts.as_slice() {
                return self.schema_or_ref(only, ptr, hint, request);
            }
        }
        // A schema without a `type` (or with keywords of another type beside
        // it) whose keywords say what it is, is that.
        if let Some(typed) = typed(schema) {
            return self.schema_inner(&typed, ptr, hint, request);
        }
        // `allOf`, `oneOf` or `anyOf` beside other keywords: one composition.
        // When it cannot be lowered, an object's own properties are kept.
        if let Some(composed) = composed(schema) {
            if let SchemaKind::AllOf { all_of } = &composed.schema_kind {
                if let Some(ty) = self.all_of(&composed, all_of, ptr, hint, request) {
                    return ty;
                }
            } else {
                return self.schema_inner(&composed, ptr, hint, request);
            }
        }
        let docs = schema.schema_data.description.as_deref();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if s.enumeration.iter().any(Option::is_some) {
                    let names = self.enum_names(&schema.schema_data, s.enumeration.len(), ptr);
                    let values: Vec<(String, Option<String>)> = s
                        .enumeration
                        .iter()
                        .zip(names)
                        .filter_map(|(value, name)| Some((value.clone()?, name)))
                        .collect();
                    return self.string_enum(&values, hint, ptr, docs);
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                if i.enumeration.iter().any(Option::is_some) {
                    let names = self.enum_names(&schema.schema_data, i.enumeration.len(), ptr);
                    let values: Vec<(i64, Option<String>)> = i
                        .enumeration
                        .iter()
                        .zip(names)
                        .filter_map(|(value, name)| Some(((*value)?, name)))
                        .collect();
                    return self.integer_enum(&values, hint, ptr, docs);
                }
                match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                }
            }
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.boxed_schema_or_ref(
                        items,
                        &ptr.push("items"),
                        &hint.child("item"),
                        request,
                    ),
                    None => TypeRef::Json,
                };
                TypeRef::Array(Box::new(item))
            }
            // `additionalProperties: false` and no properties: an object that is
            // always empty, a struct without fields.
            SchemaKind::Type(Type::Object(o))
                if o.properties.is_empty()
                    && matches!(
                        o.additional_properties,
                        Some(AdditionalProperties::Any(false))
                    ) =>
            {
                self.object(schema, &o.properties, &o.required, None, ptr, hint, request)
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                let value = match &o.additional_properties {
                    Some(AdditionalProperties::Schema(s)) => self.schema_or_ref(
                        s,
                        &ptr.push("additionalProperties"),
                        &hint.child("value"),
                        request,
                    ),
                    _ => TypeRef::Json,
                };
                TypeRef::Map(Box::new(value))
            }
            SchemaKind::Type(Type::Object(o)) => {
                let extra = match &o.additional_properties {
                    Some(AdditionalProperties::Schema(s)) => Some(self.schema_or_ref(
                        s,
                        &ptr.push("additionalProperties"),
                        &hint.child("value"),
                        request,
                    )),
                    Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
                    _ => None,
                };
                self.object(
                    schema,
                    &o.properties,
                    &o.required,
                    extra,
                    ptr,
                    hint,
                    request,
                )
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => self.object(
                schema,
                &any.properties,
                &any.required,
                None,
                ptr,
                hint,
                request,
            ),
            SchemaKind::OneOf { one_of } => {
                self.one_of(schema, one_of, "oneOf", ptr, hint, request)
            }
            SchemaKind::AnyOf { any_of } => {
                self.one_of(schema, any_of, "anyOf", ptr, hint, request)
            }
            SchemaKind::AllOf { all_of } => match self.all_of(schema, all_of, ptr, hint, request) {
                Some(ty) => ty,
                None => self.unsupported(ptr, "an `allOf` of parts that are not all objects"),
            },
            SchemaKind::Any(any) if *any == AnySchema::default() => TypeRef::Json,
            SchemaKind::Not { .. } => self.unsupported(ptr, "`not`"),
            SchemaKind::Any(any) if !any.enumeration.is_empty() => match &any.typ {
                Some(typ) => self.unsupported(
                    ptr,
                    &format!("an `enum` with values that are not of its `type: {typ}`"),
                ),
                None => self.unsupported(ptr, "an `enum` with values of several types"),
            },
            SchemaKind::Any(AnySchema { typ: Some(typ), .. })
                if !["object", "array", "string", "integer", "number", "boolean"]
                    .contains(&typ.as_str()) =>
            {
                self.unsupported(ptr, &format!("`type: {typ}`"))
            }
            SchemaKind::Any(AnySchema { typ: Some(_), .. }) => self.unsupported(
                ptr,
                "a schema with a `type` beside `allOf`, `oneOf`, `anyOf` or `not`",
            ),
            SchemaKind::Any(_) => self.unsupported(ptr, "a schema without a type"),
        }
    }

    /// An `allOf`: the one part that has a shape when the others only
    /// document it (`allOf: [$ref, {description: ...}]`, everywhere in AWS's
    /// specs) or make it nullable; else one struct merging object parts.
    /// `None` when the parts are not all objects.
    fn all_of(
        &mut self,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> Option<TypeRef> {
        let shaped: Vec<(usize, &ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !self.resolve_unboxed(p).is_some_and(adds_only_null))
            .collect();
        match shaped.as_slice() {
            [] => return Some(TypeRef::Json),
            [(i, only)] => {
                let only_ptr = ptr.push("allOf").push(i.to_string());
                return Some(match only {
                    ReferenceOr::Reference { reference } => self.reference(reference, &only_ptr),
                    ReferenceOr::Item(item) => {
                        // The documentation of the whole, if the part has none.
                        let mut item = item.clone();
                        if item.schema_data.description.is_none() {
                            item.schema_data.description =
                                description_of(schema).map(str::to_owned);
                        }
                        self.schema(&item, &only_ptr, hint, request)
                    }
                });
            }
            _ => {}
        }
        let merged = self.object_like(schema)?;
        Some(self.schema(&merged, ptr, hint, request))
    }

    fn unsupported(&mut self, ptr: &Pointer, what: &str) -> TypeRef {
        self.diags.warning(
            ptr,
            format!("{what} is not supported yet; typed as `serde_json::Value`"),
        );
        TypeRef::Json
    }

    /// Claims the name of a new type and reserves its slot.
    fn new_type(
        &mut self,
        hint: &Hint,
        ptr: &Pointer,
        docs: Option<&str>,
        kind: TypeKind,
    ) -> TypeId {
        let name = match &hint.component {
            Some(component) => self.component_names[component].clone(),
            None => self.type_names.claim(&type_ident(&hint.full), ""),
        };
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            origin: ptr.clone(),
            docs: docs.and_then(sanitize_docs),
            group: self.current_group.clone(),
            kind,
        });
        if let Some(component) = &hint.component {
            self.components
                .insert(component.clone(), TypeRef::Named(id));
        }
        id
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
                    self.type_names.claim(&name, "");
                    let id = TypeId(self.types.len());
                    self.types.push(TypeDef {
                        name: name.clone(),
                        origin: ptr.clone(),
                        docs: docs.and_then(sanitize_docs),
                        group: self.current_group.clone(),
                        kind,
                    });
                    self.shared.insert(name, id);
                    return TypeRef::Named(id);
                }
            }
        }
        TypeRef::Named(self.new_type(hint, ptr, docs, kind))
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        schema: &Schema,
        properties: &Properties,
        required: &[String],
        extra: Option<TypeRef>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        // Reserve the slot first, so that properties referring back to this
        // type (directly or through other components) resolve to its id.
        let id = self.new_type(
            hint,
            ptr,
            schema.schema_data.description.as_deref(),
            TypeKind::Struct {
                fields: Vec::new(),
                request,
                extra: None,
            },
        );
        let name = self.types[id.0].name.clone();
        let properties_ptr = ptr.push("properties");
        let mut idents = Scope::default();
        let mut fields = Vec::new();
        for (wire_name, prop) in properties {
            let prop_ptr = properties_ptr.push(wire_name);
            let prop_hint = Hint {
                full: format!("{name}_{wire_name}"),
                short: Some(wire_name.clone()),
                component: None,
            };
            let ty = self.boxed_schema_or_ref(prop, &prop_ptr, &prop_hint, request);
            let resolved = self.resolve(prop).map(normalize);
            let data = resolved.as_deref().map(|s| &s.schema_data);
            let own = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let nullable = resolved.as_deref().is_some_and(|s| self.nullable(s));
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            let default = data.and_then(|d| d.default.clone());
            // What the Rust type does not say goes in the docs.
            let mut notes = Vec::new();
            if let Some(allowed) = resolved.as_deref().and_then(|s| self.allowed_values(s)) {
                notes.push(allowed);
            }
            if let Some(default) = &default {
                notes.push(format!(
                    "Defaults to {} when omitted.",
                    code_span(&default.to_string())
                ));
            }
            if read_only {
                notes.push("Read-only: set by the server.".to_owned());
            }
            if write_only {
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
            let is_required = required.contains(wire_name);
            fields.push(Field {
                wire_name: wire_name.clone(),
                ident: idents.claim(&snake_ident(wire_name), "_"),
                ty,
                required: is_required,
                nullable,
                docs: (!docs.is_empty()).then(|| docs.join("\n\n")),
                deprecated: own.and_then(deprecation),
                constraints: resolved.as_deref().map(constraints).unwrap_or_default(),
                boxed: false,
                tri_state: request && !is_required && nullable && !read_only,
                read_only,
                write_only,
                default,
            });
        }
        for missing in required.iter().filter(|r| !properties.contains_key(*r)) {
            self.diags.warning(
                &ptr.push("required"),
                format!("`{missing}` is required but not among the properties; ignored"),
            );
        }
        let extra = extra.map(|ty| (idents.claim("additional_properties", "_"), ty));
        if let TypeKind::Struct {
            fields: slot,
            extra: extra_slot,
            ..
        } = &mut self.types[id.0].kind
        {
            *slot = fields;
            *extra_slot = extra;
        }
        TypeRef::Named(id)
    }

    /// `oneOf` and `anyOf` (`keyword` says which, for pointers).
    #[allow(clippy::too_many_arguments)]
    fn one_of(
        &mut self,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        let resolved: Option<Vec<&Schema>> =
            variants.iter().map(|v| self.resolve_unboxed(v)).collect();
        let Some(resolved) = resolved else {
            // A variant is a `$ref` to nothing: lowering it reports where.
            for (i, v) in variants.iter().enumerate() {
                self.schema_or_ref(
                    v,
                    &ptr.push(keyword).push(i.to_string()),
                    &hint.child("variant"),
                    request,
                );
            }
            return TypeRef::Json;
        };
        // A variant that only admits `null` (or says nothing) makes the
        // property nullable (see `nullable`); it is no variant of the type.
        let kept: Vec<Variant<'_>> = variants
            .iter()
            .zip(&resolved)
            .enumerate()
            .filter(|(_, (_, resolved))| !adds_only_null(resolved))
            .map(|(index, (variant, resolved))| Variant {
                index,
                variant,
                resolved,
            })
            .collect();
        match kept.as_slice() {
            [] => return TypeRef::Json,
            [only] if kept.len() < variants.len() => {
                if let ReferenceOr::Reference { reference } = only.variant {
                    return self.reference(reference, ptr);
                }
            }
            _ => {}
        }
        let shapes: Vec<Shape> = kept.iter().map(|v| shape(v.resolved)).collect();
        let scalar = |s: &Shape| {
            matches!(
                s,
                Shape::String | Shape::Integer | Shape::Number | Shape::Boolean
            )
        };
        if shapes.iter().all(scalar) {
            return self.untagged_union(schema, &kept, keyword, ptr, hint, request);
        }
        let objects: Option<Vec<Schema>> =
            kept.iter().map(|v| self.object_like(v.resolved)).collect();
        let Some(objects) = objects else {
            // Objects beside scalars or arrays (`anyOf: [string, $ref]`, an
            // id or the expanded object).
            return self.untagged_union(schema, &kept, keyword, ptr, hint, request);
        };
        // A union that refers back to a schema being lowered would be inlined
        // again and again by merging: it is that schema instead.
        if let Some(reference) = self.recursive_reference(kept.iter().map(|v| v.variant)) {
            return self.reference(&reference, ptr);
        }
        let objects: Vec<&Schema> = objects.iter().collect();
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        if let (Some(tag), false) = (tag, request) {
            if let Some(ty) = self.tagged(schema, &kept, &objects, &tag, keyword, ptr, hint) {
                return ty;
            }
        }
        let merged = self.merge(&objects, MergeMode::AnyOf, &schema.schema_data);
        self.schema(&merged, ptr, hint, request)
    }

    /// A union decoded by trying each variant in turn: one type when the
    /// variants lower to one type, else an untagged enum. Enums among the
    /// variants widen to their base type (the union already accepts any
    /// value of it); object variants are merged into one struct variant.
    ///
    /// An untagged enum of a component is named after it; otherwise after
    /// its variants (`StringOrBool`) and shared by every union of the same
    /// variants, unless a variant is an inline object.
    fn untagged_union(
        &mut self,
        schema: &Schema,
        kept: &[Variant<'_>],
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        let mut kinds: Vec<TypeRef> = Vec::new();
        let mut objects: Vec<&Variant<'_>> = Vec::new();
        for v in kept {
            let ty = match &v.resolved.schema_kind {
                SchemaKind::Type(Type::String(s)) => match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
                        if s.enumeration.is_empty() =>
                    {
                        TypeRef::DateTime
                    }
                    _ => TypeRef::String,
                },
                SchemaKind::Type(Type::Integer(i)) => match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                },
                _ if shape(v.resolved) != Shape::Array
                    && self.object_like(v.resolved).is_some() =>
                {
                    objects.push(v);
                    continue;
                }
                _ => self.schema_or_ref(
                    v.variant,
                    &ptr.push(keyword).push(v.index.to_string()),
                    &hint.child("variant"),
                    request,
                ),
            };
            if !kinds.contains(&ty) {
                kinds.push(ty);
            }
        }
        let inline_object = match objects.as_slice() {
            [] => None,
            [only] => {
                let ty = self.schema_or_ref(
                    only.variant,
                    &ptr.push(keyword).push(only.index.to_string()),
                    &hint.child("object"),
                    request,
                );
                kinds.push(ty.clone());
                matches!(only.variant, ReferenceOr::Item(_)).then_some(ty)
            }
            several => match self.recursive_reference(several.iter().map(|v| v.variant)) {
                // Merging would inline the schema being lowered again and
                // again: the variant is that schema.
                Some(reference) => {
                    kinds.push(self.reference(&reference, ptr));
                    None
                }
                None => {
                    let parts: Option<Vec<Schema>> = several
                        .iter()
                        .map(|v| self.object_like(v.resolved))
                        .collect();
                    let parts = parts.unwrap_or_default();
                    let parts: Vec<&Schema> = parts.iter().collect();
                    let merged = self.merge(&parts, MergeMode::AnyOf, &SchemaData::default());
                    let ty = self.schema(&merged, ptr, &hint.child("object"), request);
                    kinds.push(ty.clone());
                    Some(ty)
                }
            },
        };
        // Any JSON is what the fallback variant holds already.
        kinds.retain(|k| *k != TypeRef::Json);
        // A 32-bit integer is also a 64-bit one, and a date-time a string.
        if kinds.contains(&TypeRef::I64) {
            kinds.retain(|k| *k != TypeRef::I32);
        }
        if kinds.contains(&TypeRef::String) {
            kinds.retain(|k| *k != TypeRef::DateTime && *k != TypeRef::Date);
        }
        if kinds.len() <= 1 {
            return kinds.pop().unwrap_or(TypeRef::Json);
        }
        // Untagged variants are tried in order: the narrower type first.
        let rank = |ty: &TypeRef| match ty {
            TypeRef::Bool => 0,
            TypeRef::I32 | TypeRef::I64 => 1,
            TypeRef::F64 => 2,
            TypeRef::Date => 3,
            TypeRef::DateTime => 4,
            TypeRef::String => 5,
            TypeRef::Array(_) => 6,
            // A struct before a map, which would take any object.
            TypeRef::Named(_) => 7,
            TypeRef::Map(_) => 8,
            TypeRef::Json | TypeRef::Bytes => 9,
        };
        kinds.sort_by_key(rank);
        let mut scope = Scope::default();
        let variants: Vec<UntaggedVariant> = kinds
            .iter()
            .map(|ty| {
                let name = match ty {
                    TypeRef::Named(id) if Some(ty) != inline_object.as_ref() => {
                        self.types[id.0].name.clone()
                    }
                    _ => scalar_name(ty).to_owned(),
                };
                let boxed = matches!(ty, TypeRef::Named(id) if !matches!(
                    self.types[id.0].kind,
                    TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. }
                ));
                UntaggedVariant {
                    ident: scope.claim(&name, ""),
                    ty: ty.clone(),
                    boxed,
                }
            })
            .collect();
        let names: Vec<&str> = variants.iter().map(|v| v.ident.as_str()).collect();
        let one_of = format!("One of: {}.", names.join(", "));
        let kind = TypeKind::Untagged {
            variants: variants.clone(),
        };
        if hint.component.is_some() || inline_object.is_some() {
            let docs = match &schema.schema_data.description {
                Some(description) => format!("{description}\n\n{one_of}"),
                None => one_of,
            };
            return TypeRef::Named(self.new_type(hint, ptr, Some(&docs), kind));
        }
        let base = names.join("Or");
        let mut n = 1;
        loop {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            n += 1;
            match self.shared.get(&name) {
                Some(&id) if self.types[id.0].kind == kind => return TypeRef::Named(id),
                None if self.type_names.is_free(&name) => {
                    self.type_names.claim(&name, "");
                    let id = TypeId(self.types.len());
                    self.types.push(TypeDef {
                        name: name.clone(),
                        origin: ptr.clone(),
                        docs: Some(one_of),
                        group: self.current_group.clone(),
                        kind,
                    });
                    self.shared.insert(name, id);
                    return TypeRef::Named(id);
                }
                _ => {}
            }
        }
    }

    /// A tagged enum over object variants, keyed by the value of property
    /// `tag`. Variants sharing a tag value are merged into one; an unknown
    /// tag value decodes into the fallback variant, keeping the JSON.
    #[allow(clippy::too_many_arguments)]
    fn tagged(
        &mut self,
        schema: &Schema,
        variants: &[Variant<'_>],
        resolved: &[&Schema],
        tag: &str,
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
    ) -> Option<TypeRef> {
        // The tag values of every variant: the keys the discriminator's
        // `mapping` gives its `$ref` (a target is a reference or a bare
        // component name), else the one value of its tag property's enum,
        // else, for a `$ref`, the component's name (OpenAPI's implicit mapping).
        let mapping = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| &d.mapping);
        let mut groups: IndexMap<String, Vec<usize>> = IndexMap::new();
        for (i, (variant, resolved)) in variants.iter().zip(resolved).enumerate() {
            let reference = match variant.variant {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            };
            let mapped: Vec<String> = match (reference, mapping) {
                (Some(reference), Some(mapping)) => mapping
                    .iter()
                    .filter(|(_, target)| {
                        *target == reference
                            || reference.strip_prefix("#/components/schemas/") == Some(target)
                    })
                    .map(|(value, _)| value.clone())
                    .collect(),
                _ => Vec::new(),
            };
            let from_enum = || {
                object_parts(resolved)
                    .and_then(|(props, _)| props.get(tag))
                    .and_then(|p| self.resolve(p))
                    .and_then(single_value)
                    .map(str::to_owned)
            };
            let values = if mapped.is_empty() {
                vec![from_enum().or_else(|| reference.and_then(component_name))?]
            } else {
                mapped
            };
            for value in values {
                groups.entry(value).or_default().push(i);
            }
        }
        let id = self.new_type(
            hint,
            ptr,
            schema.schema_data.description.as_deref(),
            TypeKind::Tagged {
                tag: tag.to_owned(),
                variants: Vec::new(),
                fallback: String::new(),
            },
        );
        let union_name = self.types[id.0].name.clone();
        let mut scope = Scope::default();
        let mut lowered = Vec::new();
        for (value, members) in &groups {
            let ident = scope.claim(&variant_ident(value), "");
            let variant_hint = Hint::new(format!("{union_name}_{ident}"));
            let variant_ptr = ptr
                .push(keyword)
                .push(variants[members[0]].index.to_string());
            let ty = if let [only] = members.as_slice() {
                match variants[*only].variant {
                    ReferenceOr::Reference { reference } => self.reference(reference, &variant_ptr),
                    ReferenceOr::Item(item) => {
                        let without_tag = without_property(item, tag);
                        self.schema(&without_tag, &variant_ptr, &variant_hint, false)
                    }
                }
            } else {
                let parts: Vec<&Schema> = members.iter().map(|&i| resolved[i]).collect();
                let merged = self.merge(&parts, MergeMode::AnyOf, &parts[0].schema_data);
                let without_tag = without_property(&merged, tag);
                self.schema(&without_tag, &variant_ptr, &variant_hint, false)
            };
            let TypeRef::Named(ty) = ty else {
                return None;
            };
            lowered.push(TaggedVariant {
                value: value.clone(),
                ident,
                ty,
            });
        }
        let fallback = scope.claim("Unknown", "");
        self.types[id.0].kind = TypeKind::Tagged {
            tag: tag.to_owned(),
            variants: lowered,
            fallback,
        };
        Some(TypeRef::Named(id))
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

    /// The schema as one object schema: itself when it is an object, the
    /// merge of its parts for `allOf`, `oneOf` and `anyOf` of objects.
    pub(super) fn object_like(&self, schema: &Schema) -> Option<Schema> {
        let _depth = self.deeper()?;
        if let Some(object) = composed(schema).and_then(|c| self.object_like(&c)) {
            return Some(object);
        }
        let (parts, mode) = match &schema.schema_kind {
            _ if shape(schema) == Shape::Object => return Some(schema.clone()),
            SchemaKind::AllOf { all_of } => (all_of, MergeMode::All),
            SchemaKind::OneOf { one_of } => (one_of, MergeMode::AnyOf),
            SchemaKind::AnyOf { any_of } => (any_of, MergeMode::AnyOf),
            _ => return None,
        };
        let parts: Vec<Schema> = parts
            .iter()
            .filter_map(|p| self.resolve_unboxed(p))
            // A part that only annotates (a description) constrains nothing.
            .filter(|p| mode != MergeMode::All || !annotation_only(p))
            .map(|p| self.object_like(p))
            .collect::<Option<_>>()?;
        let parts: Vec<&Schema> = parts.iter().collect();
        Some(self.merge(&parts, mode, &schema.schema_data))
    }

    /// One schema with everything the given object (or scalar) schemas allow.
    fn merge(&self, schemas: &[&Schema], mode: MergeMode, data: &SchemaData) -> Schema {
        // Merging follows `$ref`s; recursive schemas would never end.
        let Some(_depth) = self.deeper() else {
            return Schema {
                schema_data: data.clone(),
                schema_kind: SchemaKind::Any(Default::default()),
            };
        };
        // Unions and intersections of objects take part as the object they make.
        let mut changed = false;
        let flattened: Vec<Schema> = schemas
            .iter()
            .map(|s| match (shape(s), &s.schema_kind) {
                (
                    Shape::Other,
                    SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. },
                ) => match self.object_like(s) {
                    Some(object) => {
                        changed = true;
                        object
                    }
                    None => (*s).clone(),
                },
                // Untyped schemas take part as the type they mean.
                (_, SchemaKind::Any(_)) => match typed(s) {
                    Some(typed) => {
                        changed = true;
                        typed
                    }
                    None => (*s).clone(),
                },
                _ => (*s).clone(),
            })
            .collect();
        if changed {
            let refs: Vec<&Schema> = flattened.iter().collect();
            return self.merge(&refs, mode, data);
        }
        // A schema that says nothing (`{}` or `{nullable: true}`, as a pending
        // action attempt's `result`) adds no shape, only its nullability.
        let says_nothing =
            |s: &&Schema| matches!(&s.schema_kind, SchemaKind::Any(a) if *a == Default::default());
        let any_nullable = schemas
            .iter()
            .any(|s| s.schema_data.nullable || says_nothing(s));
        let shaped: Vec<&Schema> = schemas
            .iter()
            .copied()
            .filter(|s| !says_nothing(s))
            .collect();
        if !shaped.is_empty() && shaped.len() < schemas.len() {
            let mut merged = self.merge(&shaped, mode, data);
            merged.schema_data.nullable |= any_nullable;
            return merged;
        }
        let mut schema_data = SchemaData {
            description: data.description.clone(),
            nullable: schemas.iter().any(|s| s.schema_data.nullable),
            deprecated: !schemas.is_empty() && schemas.iter().all(|s| s.schema_data.deprecated),
            ..SchemaData::default()
        };
        if schema_data.description.is_none() {
            schema_data.description = schemas
                .iter()
                .find_map(|s| s.schema_data.description.clone());
        }
        let shapes: Vec<Shape> = schemas.iter().map(|s| shape(s)).collect();
        let same = shapes.windows(2).all(|w| w[0] == w[1]);
        let kind = match shapes.first() {
            Some(Shape::Object) if same => {
                let mut properties: IndexMap<String, Vec<&ReferenceOr<Box<Schema>>>> =
                    IndexMap::new();
                let mut required_sets = Vec::new();
                for s in schemas {
                    let (props, required) = object_parts(s).expect("object shape");
                    for (name, prop) in props {
                        properties.entry(name.clone()).or_default().push(prop);
                    }
                    required_sets.push(required);
                }
                let required: Vec<String> = properties
                    .keys()
                    .filter(|name| match mode {
                        MergeMode::All => required_sets.iter().any(|r| r.contains(name)),
                        MergeMode::AnyOf => required_sets.iter().all(|r| r.contains(name)),
                    })
                    .cloned()
                    .collect();
                let properties = properties
                    .into_iter()
                    .map(|(name, props)| (name, self.merge_property(&props, mode)))
                    .collect();
                SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                    properties,
                    required,
                    ..Default::default()
                }))
            }
            Some(Shape::String) if same => {
                let enums: Option<Vec<&Vec<Option<String>>>> = schemas
                    .iter()
                    .map(|s| match &s.schema_kind {
                        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => {
                            Some(&t.enumeration)
                        }
                        _ => None,
                    })
                    .collect();
                let mut enumeration = Vec::new();
                for value in enums.into_iter().flatten().flatten() {
                    if !enumeration.contains(value) {
                        enumeration.push(value.clone());
                    }
                }
                let format = match &schemas[0].schema_kind {
                    SchemaKind::Type(Type::String(t)) if schemas.iter().all(|s| matches!(&s.schema_kind, SchemaKind::Type(Type::String(u)) if u.format == t.format)) => t.format.clone(),
                    _ => VariantOrUnknownOrEmpty::Empty,
                };
                SchemaKind::Type(Type::String(StringType {
                    format,
                    enumeration,
                    ..Default::default()
                }))
            }
            Some(Shape::Array) if same => {
                let items: Vec<&ReferenceOr<Box<Schema>>> = schemas
                    .iter()
                    .filter_map(|s| match &s.schema_kind {
                        SchemaKind::Type(Type::Array(a)) => a.items.as_ref(),
                        _ => None,
                    })
                    .collect();
                let items =
                    (items.len() == schemas.len()).then(|| self.merge_property(&items, mode));
                SchemaKind::Type(Type::Array(openapiv3::ArrayType {
                    items,
                    min_items: None,
                    max_items: None,
                    unique_items: false,
                }))
            }
            Some(Shape::Integer) if same => {
                // The values of every variant, when each is an enum.
                let enums: Option<Vec<&Vec<Option<i64>>>> = schemas
                    .iter()
                    .map(|s| match &s.schema_kind {
                        SchemaKind::Type(Type::Integer(t)) if !t.enumeration.is_empty() => {
                            Some(&t.enumeration)
                        }
                        _ => None,
                    })
                    .collect();
                let mut enumeration = Vec::new();
                for value in enums.into_iter().flatten().flatten() {
                    if !enumeration.contains(value) {
                        enumeration.push(*value);
                    }
                }
                match &schemas[0].schema_kind {
                    SchemaKind::Type(Type::Integer(t)) => {
                        SchemaKind::Type(Type::Integer(openapiv3::IntegerType {
                            format: t.format.clone(),
                            enumeration,
                            ..Default::default()
                        }))
                    }
                    other => other.clone(),
                }
            }
            Some(Shape::Number | Shape::Boolean) if same => schemas[0].schema_kind.clone(),
            _ => SchemaKind::Any(Default::default()),
        };
        Schema {
            schema_data,
            schema_kind: kind,
        }
    }

    /// One property schema from the same property in several variants: the
    /// `$ref` when they all name the same one, else a merge.
    fn merge_property(
        &self,
        props: &[&ReferenceOr<Box<Schema>>],
        mode: MergeMode,
    ) -> ReferenceOr<Box<Schema>> {
        if let ReferenceOr::Reference { reference } = props[0] {
            if props
                .iter()
                .all(|p| matches!(p, ReferenceOr::Reference { reference: r } if r == reference))
            {
                return props[0].clone();
            }
        }
        if props.len() == 1 {
            return props[0].clone();
        }
        let unboxed = props.iter().map(|p| match p {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
            ReferenceOr::Item(_) => ReferenceOr::Item(Schema {
                schema_data: Default::default(),
                schema_kind: SchemaKind::Any(Default::default()),
            }),
        });
        let unboxed: Vec<ReferenceOr<Schema>> = unboxed.collect();
        if let Some(reference) = self.recursive_reference(unboxed.iter()) {
            return ReferenceOr::Reference { reference };
        }
        let resolved: Option<Vec<&Schema>> = props.iter().map(|p| self.resolve(p)).collect();
        match resolved {
            Some(resolved) => {
                // A description is kept only when every variant agrees on it:
                // the first variant's ("locking a door") would mislead.
                let mut data = resolved[0].schema_data.clone();
                if resolved
                    .iter()
                    .any(|r| r.schema_data.description != data.description)
                {
                    data.description = None;
                }
                let mut merged = self.merge(&resolved, mode, &data);
                merged.schema_data.description = data.description;
                ReferenceOr::Item(Box::new(merged))
            }
            None => props[0].clone(),
        }
    }
}

/// How deeply inline schemas may nest before lowering stops (typed as
/// `serde_json::Value` there).
const MAX_SCHEMA_DEPTH: usize = 64;

/// How deep merging may follow `$ref`s before a recursive schema is cut off
/// (typed as `serde_json::Value` there).
const MAX_MERGE_DEPTH: usize = 24;

/// Holds one level of merge depth; dropping it gives the level back.
pub(super) struct DepthGuard<'c>(&'c std::cell::Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl Lowerer<'_> {
    /// One level deeper into a merge, or `None` past [`MAX_MERGE_DEPTH`].
    fn deeper(&self) -> Option<DepthGuard<'_>> {
        let depth = self.merge_depth.get();
        if depth >= MAX_MERGE_DEPTH {
            return None;
        }
        self.merge_depth.set(depth + 1);
        Some(DepthGuard(&self.merge_depth))
    }
}

impl Lowerer<'_> {
    /// The first of these `$ref`s that names a component being lowered now.
    fn recursive_reference<'r>(
        &self,
        mut variants: impl Iterator<Item = &'r ReferenceOr<Schema>>,
    ) -> Option<String> {
        variants.find_map(|v| match v {
            ReferenceOr::Reference { reference } => component_name(reference)
                .filter(|name| self.in_progress.contains(name))
                .map(|_| reference.clone()),
            ReferenceOr::Item(_) => None,
        })
    }
}

/// The component name of a local `#/components/schemas/<name>` reference.
/// A schema that only annotates: no type, no properties, no items, no
/// values, no composition (a `description`, `title`, `example`, `nullable`
/// or constraints alone).
fn annotation_only(schema: &Schema) -> bool {
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

fn component_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

/// The schema without property `name` (the tag of a tagged enum, which the
/// enum itself writes and reads).
fn without_property(schema: &Schema, name: &str) -> Schema {
    let mut schema = schema.clone();
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            o.properties.shift_remove(name);
            o.required.retain(|r| r != name);
        }
        SchemaKind::Any(a) => {
            a.properties.shift_remove(name);
            a.required.retain(|r| r != name);
        }
        _ => {}
    }
    schema
}

/// A variant identifier for an enum value: UpperCamelCase, or a description
/// of the value when it has no letters or digits (`""`, `>=`).
fn variant_ident(value: &str) -> String {
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

fn scalar_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F64 => "Number",
        TypeRef::Bool => "Bool",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Bytes => "Bytes",
        TypeRef::Named(_) => "Object",
        TypeRef::Json => "Value",
    }
}

pub(super) fn deprecation(data: &SchemaData) -> Option<Deprecation> {
    let note = data
        .extensions
        .get("x-deprecated")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    (data.deprecated || note.is_some()).then_some(Deprecation { note })
}

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

/// The types a type contains by value: those that would make it infinitely
/// large if they contained it in turn.
fn by_value(kind: &TypeKind) -> Vec<TypeId> {
    let direct = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Tagged { variants, .. } => variants.iter().map(|v| v.ty).collect(),
        TypeKind::Untagged { variants } => variants
            .iter()
            .filter(|v| !v.boxed)
            .filter_map(|v| direct(&v.ty))
            .collect(),
        TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
    }
}

/// Marks the fields that must be boxed: a field whose type contains its own
/// struct by value, directly or through other types, would have infinite
/// size. `Vec` and map fields are already indirect.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| by_value(&t.kind)).collect();
    let reaches = |from: TypeId, to: TypeId| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(t) = stack.pop() {
            if t == to {
                return true;
            }
            if seen.insert(t) {
                stack.extend(edges[t.0].iter().copied());
            }
        }
        false
    };
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .enumerate()
        .map(|(index, def)| match &def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .map(|f| match &f.ty {
                    TypeRef::Named(target) => reaches(*target, TypeId(index)),
                    _ => false,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, boxed) in types.iter_mut().zip(boxed) {
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for (field, boxed) in fields.iter_mut().zip(boxed) {
                field.boxed = boxed;
            }
        }
    }
}
