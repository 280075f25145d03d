//! Schema lowering: `openapiv3` schemas → the type space of the IR.
//!
//! - Objects become structs; a component registers its id before its
//!   properties, so recursive types resolve (and `mark_boxed` boxes them).
//! - String enums become enums that keep unknown values.
//! - `oneOf` becomes: one scalar type or an untagged enum when every variant
//!   is a scalar; a tagged enum when a `discriminator` names the tag (variants
//!   with the same tag value are merged); otherwise, and always in request
//!   bodies, one struct merging the variants' properties.
//! - `allOf` becomes one struct with the properties of all parts.
//!
//! Merging works on schemas, before lowering: [`Lowerer::merge`] builds one
//! synthetic schema from several, which is then lowered like any other.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, StringType,
    Type, VariantOrUnknownOrEmpty,
};

use super::lower::Lowerer;
use super::names::{snake_ident, type_ident, Scope};
use super::{
    sanitize_docs, Constraints, Deprecation, EnumVariant, Field, TaggedVariant, TypeDef, TypeId,
    TypeKind, TypeRef, UntaggedVariant,
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
        SchemaKind::Any(a) if !a.properties.is_empty() => Shape::Object,
        SchemaKind::Type(Type::String(_)) => Shape::String,
        SchemaKind::Type(Type::Integer(_)) => Shape::Integer,
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(_)) => Shape::Array,
        _ => Shape::Other,
    }
}

/// The `properties` of a schema.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Properties and `required` of an object-shaped schema.
fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some((&a.properties, &a.required)),
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
        let docs = schema.schema_data.description.as_deref();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return self.string_enum(&values, hint, ptr, docs);
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
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
            SchemaKind::OneOf { one_of } => self.one_of(schema, one_of, ptr, hint, request),
            SchemaKind::AnyOf { any_of } => self.one_of(schema, any_of, ptr, hint, request),
            SchemaKind::AllOf { all_of } => {
                // `allOf: [{$ref: X}, {description: ...}]`, a common way to
                // document a use of `X`: the one part that says anything.
                let substantive: Vec<(usize, &ReferenceOr<Schema>)> = all_of
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !self.resolve_unboxed(p).is_some_and(annotation_only))
                    .collect();
                if let [(index, only)] = substantive.as_slice() {
                    let only_ptr = ptr.push("allOf").push(index.to_string());
                    return self.schema_or_ref(only, &only_ptr, hint, request);
                }
                if let Some(merged) = self.object_like(schema) {
                    return self.schema(&merged, ptr, hint, request);
                }
                match all_of.as_slice() {
                    [only] => self.schema_or_ref(only, &ptr.push("allOf").push("0"), hint, request),
                    _ => self.unsupported(ptr, "an `allOf` of parts that are not all objects"),
                }
            }
            SchemaKind::Any(any) if *any == openapiv3::AnySchema::default() => TypeRef::Json,
            SchemaKind::Not { .. } => self.unsupported(ptr, "`not`"),
            SchemaKind::Any(_) => self.unsupported(ptr, "a schema without a type"),
        }
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

    /// A string enum. An enum with the same values under the same property
    /// name elsewhere is the same type.
    fn string_enum(
        &mut self,
        values: &[String],
        hint: &Hint,
        ptr: &Pointer,
        docs: Option<&str>,
    ) -> TypeRef {
        let mut scope = Scope::default();
        let mut seen = BTreeSet::new();
        let variants: Vec<EnumVariant> = values
            .iter()
            .filter(|v| seen.insert(v.as_str()))
            .map(|value| EnumVariant {
                value: value.clone(),
                ident: scope.claim(&variant_ident(value), ""),
            })
            .collect();
        let fallback = scope.claim("Unknown", "");
        let kind = TypeKind::Enum { variants, fallback };
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
            let data = self.resolve(prop).map(|s| &s.schema_data);
            let own = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            // A property documented by an annotation part of its `allOf`.
            let annotated = match prop {
                ReferenceOr::Item(s) => match &s.schema_kind {
                    SchemaKind::AllOf { all_of } => all_of
                        .iter()
                        .filter_map(|p| self.resolve_unboxed(p))
                        .filter(|p| annotation_only(p))
                        .find_map(|p| p.schema_data.description.as_deref()),
                    _ => None,
                },
                ReferenceOr::Reference { .. } => None,
            };
            let docs = own
                .and_then(|d| d.description.as_deref())
                .or(annotated)
                .and_then(sanitize_docs);
            fields.push(Field {
                wire_name: wire_name.clone(),
                ident: idents.claim(&snake_ident(wire_name), "_"),
                ty,
                required: required.contains(wire_name),
                nullable: data.is_some_and(|d| d.nullable),
                docs,
                deprecated: own.and_then(deprecation),
                constraints: self.resolve(prop).map(constraints).unwrap_or_default(),
                boxed: false,
                tri_state: request
                    && !required.contains(wire_name)
                    && data.is_some_and(|d| d.nullable),
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

    fn one_of(
        &mut self,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
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
                    &ptr.push("oneOf").push(i.to_string()),
                    &hint.child("variant"),
                    request,
                );
            }
            return TypeRef::Json;
        };
        // A union that refers back to a schema being lowered would be inlined
        // again and again by merging: it is that schema instead.
        if let Some(reference) = self.recursive_reference(variants.iter()) {
            return self.reference(&reference, ptr);
        }
        let shapes: Vec<Shape> = resolved.iter().map(|s| shape(s)).collect();
        let scalar = |s: &Shape| {
            matches!(
                s,
                Shape::String | Shape::Integer | Shape::Number | Shape::Boolean
            )
        };
        if shapes.iter().all(scalar) {
            return self.scalar_union(variants, ptr, hint);
        }
        let objects: Option<Vec<Schema>> = resolved.iter().map(|s| self.object_like(s)).collect();
        if let Some(objects) = objects {
            let objects: Vec<&Schema> = objects.iter().collect();
            let tag = schema
                .schema_data
                .discriminator
                .as_ref()
                .map(|d| d.property_name.clone());
            if let (Some(tag), false) = (tag, request) {
                if let Some(ty) = self.tagged(schema, variants, &objects, &tag, ptr, hint) {
                    return ty;
                }
            }
            let merged = self.merge(&objects, MergeMode::AnyOf, &schema.schema_data);
            return self.schema(&merged, ptr, hint, request);
        }
        self.unsupported(ptr, "a `oneOf` mixing objects and other types")
    }

    /// A union of scalars: one type when the variants lower to one type, else
    /// an untagged enum named after its variants (`StringOrBool`), shared by
    /// every union of the same variants.
    fn scalar_union(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        ptr: &Pointer,
        hint: &Hint,
    ) -> TypeRef {
        let mut kinds: Vec<TypeRef> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let resolved = self.resolve_unboxed(v).cloned();
            // Enums inside a scalar union widen to their base type: the union
            // already accepts anything of that type.
            let ty = match resolved.as_ref().map(|s| &s.schema_kind) {
                Some(SchemaKind::Type(Type::String(s))) => match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
                        if s.enumeration.is_empty() =>
                    {
                        TypeRef::DateTime
                    }
                    _ => TypeRef::String,
                },
                _ => self.schema_or_ref(
                    v,
                    &ptr.push("oneOf").push(i.to_string()),
                    &hint.child("variant"),
                    false,
                ),
            };
            if !kinds.contains(&ty) {
                kinds.push(ty);
            }
        }
        if kinds.len() == 1 {
            return kinds.remove(0);
        }
        // A date-time is also a string: keep the more general one.
        if kinds.contains(&TypeRef::String) {
            kinds.retain(|k| *k != TypeRef::DateTime && *k != TypeRef::Date);
        }
        if kinds.len() == 1 {
            return kinds.remove(0);
        }
        // Untagged variants are tried in order: the narrower type first.
        let rank = |ty: &TypeRef| match ty {
            TypeRef::Bool => 0,
            TypeRef::I32 | TypeRef::I64 => 1,
            TypeRef::F64 => 2,
            TypeRef::Date => 3,
            TypeRef::DateTime => 4,
            TypeRef::String => 5,
            _ => 6,
        };
        kinds.sort_by_key(rank);
        let names: Vec<&str> = kinds.iter().map(scalar_name).collect();
        let variants = kinds
            .iter()
            .zip(&names)
            .map(|(ty, n)| UntaggedVariant {
                ident: (*n).to_owned(),
                ty: ty.clone(),
            })
            .collect();
        let docs = format!("One of: {}.", names.join(", "));
        if hint.component.is_some() {
            let kind = TypeKind::Untagged { variants };
            return TypeRef::Named(self.new_type(hint, ptr, Some(&docs), kind));
        }
        let name = names.join("Or");
        if let Some(&id) = self.shared.get(&name) {
            return TypeRef::Named(id);
        }
        let name = self.type_names.claim(&name, "");
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: name.clone(),
            origin: ptr.clone(),
            docs: Some(docs),
            group: self.current_group.clone(),
            kind: TypeKind::Untagged { variants },
        });
        self.shared.insert(name, id);
        TypeRef::Named(id)
    }

    /// A tagged enum over object variants, keyed by the value of property
    /// `tag`. Variants sharing a tag value are merged into one; an unknown
    /// tag value decodes into the fallback variant, keeping the JSON.
    #[allow(clippy::too_many_arguments)]
    fn tagged(
        &mut self,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        resolved: &[&Schema],
        tag: &str,
        ptr: &Pointer,
        hint: &Hint,
    ) -> Option<TypeRef> {
        // The tag value of every variant, from its one-value enum or the mapping.
        let mapping = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| &d.mapping);
        let mut groups: IndexMap<String, Vec<usize>> = IndexMap::new();
        for (i, (variant, resolved)) in variants.iter().zip(resolved).enumerate() {
            let from_enum = object_parts(resolved)
                .and_then(|(props, _)| props.get(tag))
                .and_then(|p| self.resolve(p))
                .and_then(single_value)
                .map(str::to_owned);
            let from_mapping = match variant {
                ReferenceOr::Reference { reference } => mapping.and_then(|m| {
                    m.iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                }),
                ReferenceOr::Item(_) => None,
            };
            let value = from_enum.or(from_mapping)?;
            groups.entry(value).or_default().push(i);
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
            let variant_ptr = ptr.push("oneOf").push(members[0].to_string());
            let ty = if let [only] = members.as_slice() {
                match &variants[*only] {
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

    /// The schema as one object schema: itself when it is an object, the
    /// merge of its parts for `allOf`, `oneOf` and `anyOf` of objects.
    pub(super) fn object_like(&self, schema: &Schema) -> Option<Schema> {
        let _depth = self.deeper()?;
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
            Some(Shape::Integer | Shape::Number | Shape::Boolean) if same => {
                schemas[0].schema_kind.clone()
            }
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

fn scalar_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F64 => "Number",
        TypeRef::Bool => "Bool",
        _ => "Value",
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
        TypeKind::Untagged { variants } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Enum { .. } => Vec::new(),
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
