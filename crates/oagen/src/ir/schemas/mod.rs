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
//!
//! The entry point is [`Lowerer::schema`] (and `schema_or_ref`, for a schema
//! that may be a `$ref`), which dispatches on the kind of schema to the
//! steps in the submodules:
//!
//! - `registry`: [`Hint`], component schemas lowered once each, the slots
//!   of new types, types shared by name.
//! - `references`: `$ref`s, lowered or looked through.
//! - `shapes`: what a schema means before it is lowered: its shape, the type
//!   an untyped schema's keywords imply, compositions beside other keywords.
//! - `enums`: string and integer schemas, enums or scalars.
//! - `objects` and `fields`: structs and maps, and each field of a struct.
//! - `unions` and `tagged`: `oneOf` and `anyOf`, untagged and tagged.
//! - `merge`: `allOf`, and merging schemas into one.
//! - `boxing`: the fields that must be boxed, once every type is known.
//! - `overrides`: the configuration's type overrides, tried before a
//!   property, a parameter or a schema is lowered.
//! - `shared`: the properties the variants of each tagged union share, read
//!   through accessors, once every type is known.

mod boxing;
mod enums;
mod fields;
mod merge;
mod objects;
mod overrides;
mod references;
mod registry;
mod shapes;
mod shared;
mod tagged;
mod unions;

use openapiv3::{AnySchema, ArrayType, ReferenceOr, Schema, SchemaKind, Type};

pub(super) use boxing::mark_boxed;
pub(super) use overrides::Site;
pub(super) use references::MAX_ALIAS_STEPS;
pub(super) use registry::{components_pointer, Hint};
pub(super) use shared::share_fields;

use self::shapes::{composed, typed};
use super::lower::Lowerer;
use super::TypeRef;
use crate::diagnostics::Pointer;

/// How deeply inline schemas may nest before lowering stops (typed as
/// `serde_json::Value` there).
const MAX_SCHEMA_DEPTH: usize = 64;

impl Lowerer<'_> {
    /// The type of an inline schema: an override's, when one matches it.
    pub(super) fn schema(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        if let Some(ty) = self.schema_override(Some(schema), ptr, request) {
            return ty;
        }
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

    /// The type of a schema, by its kind, once [`Self::rewritten`] has found
    /// that it means no other schema.
    fn schema_inner(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        if let Some(ty) = self.rewritten(schema, ptr, hint, request) {
            return ty;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.string_schema(schema, s, ptr, hint),
            SchemaKind::Type(Type::Integer(i)) => self.integer_schema(schema, i, ptr, hint),
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.array(a, ptr, hint, request),
            SchemaKind::Type(Type::Object(o)) => self.object_type(schema, o, ptr, hint, request),
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
            SchemaKind::Not { .. } => self.unsupported(ptr, "`not`"),
            SchemaKind::Any(any) => self.untyped(any, ptr),
        }
    }

    /// The type of a schema that means another one, lowered as that one:
    /// `allOf: [$ref]` (often used to give a reference a description) and a
    /// one-variant `oneOf` or `anyOf` are the reference itself; a schema
    /// without a `type` (or with keywords of another type beside it) whose
    /// keywords say what it is, is that; `allOf`, `oneOf` or `anyOf` beside
    /// other keywords is one composition. `None` for any other schema, and
    /// for a composition that cannot be lowered, whose own properties are
    /// then kept.
    fn rewritten(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> Option<TypeRef> {
        if let SchemaKind::AllOf { all_of: parts }
        | SchemaKind::OneOf { one_of: parts }
        | SchemaKind::AnyOf { any_of: parts } = &schema.schema_kind
        {
            if let [only @ ReferenceOr::Reference { .. }] = parts.as_slice() {
                return Some(self.schema_or_ref(only, ptr, hint, request));
            }
        }
        if let Some(typed) = typed(schema) {
            return Some(self.schema_inner(&typed, ptr, hint, request));
        }
        let composed = composed(schema)?;
        match &composed.schema_kind {
            SchemaKind::AllOf { all_of } => self.all_of(&composed, all_of, ptr, hint, request),
            _ => Some(self.schema_inner(&composed, ptr, hint, request)),
        }
    }

    /// An array: a list of its items (of any JSON when they are not given).
    fn array(&mut self, array: &ArrayType, ptr: &Pointer, hint: &Hint, request: bool) -> TypeRef {
        let item = match &array.items {
            Some(items) => {
                self.boxed_schema_or_ref(items, &ptr.push("items"), &hint.child("item"), request)
            }
            None => TypeRef::Json,
        };
        TypeRef::Array(Box::new(item))
    }

    /// A schema `openapiv3` could not type and that is no object: `{}` is
    /// any JSON; the others are not supported, with a warning saying why.
    fn untyped(&mut self, any: &AnySchema, ptr: &Pointer) -> TypeRef {
        if *any == AnySchema::default() {
            return TypeRef::Json;
        }
        if !any.enumeration.is_empty() {
            return match &any.typ {
                Some(typ) => self.unsupported(
                    ptr,
                    &format!("an `enum` with values that are not of its `type: {typ}`"),
                ),
                None => self.unsupported(ptr, "an `enum` with values of several types"),
            };
        }
        match &any.typ {
            Some(typ)
                if !["object", "array", "string", "integer", "number", "boolean"]
                    .contains(&typ.as_str()) =>
            {
                self.unsupported(ptr, &format!("`type: {typ}`"))
            }
            Some(_) => self.unsupported(
                ptr,
                "a schema with a `type` beside `allOf`, `oneOf`, `anyOf` or `not`",
            ),
            None => self.unsupported(ptr, "a schema without a type"),
        }
    }

    /// Any JSON, with a warning that `what` is not supported.
    fn unsupported(&mut self, ptr: &Pointer, what: &str) -> TypeRef {
        self.diags.warning(
            ptr,
            format!("{what} is not supported yet; typed as `serde_json::Value`"),
        );
        TypeRef::Json
    }
}
