//! Tagged unions: a `oneOf` or `anyOf` of objects with a `discriminator`
//! becomes an enum keyed by the value of its tag property. Tag values come
//! from the discriminator's `mapping`, else from a one-value enum of the
//! tag property, else from the component's name; variants with the same
//! tag value are merged, and an unknown tag value decodes into a fallback
//! variant that keeps the JSON.

use indexmap::IndexMap;
use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::enums::variant_ident;
use super::merge::MergeMode;
use super::references::component_name;
use super::shapes::object_parts;
use super::unions::Variant;
use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::names::Scope;
use crate::ir::{TaggedVariant, TypeId, TypeKind, TypeRef};

impl Lowerer<'_> {
    /// A tagged enum over object variants, keyed by the value of property
    /// `tag`. Variants sharing a tag value are merged into one; an unknown
    /// tag value decodes into the fallback variant, keeping the JSON.
    /// `None` when a variant has no tag value, or is no named type.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tagged(
        &mut self,
        schema: &Schema,
        variants: &[Variant<'_>],
        resolved: &[&Schema],
        tag: &str,
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
    ) -> Option<TypeRef> {
        let mapping = schema.schema_data.discriminator.as_ref();
        let groups = self.tag_groups(variants, resolved, tag, mapping)?;
        let id = self.new_type(
            hint,
            ptr,
            schema.schema_data.description.as_deref(),
            TypeKind::Tagged {
                tag: tag.to_owned(),
                variants: Vec::new(),
                fallback: String::new(),
                shared: Vec::new(),
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
            let members: Vec<(&ReferenceOr<Schema>, &Schema)> = members
                .iter()
                .map(|&i| (variants[i].variant, resolved[i]))
                .collect();
            let ty = self.tagged_variant(&members, tag, &variant_ptr, &variant_hint);
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
            // Filled in by `share_fields` once every variant's struct is lowered.
            shared: Vec::new(),
        };
        Some(TypeRef::Named(id))
    }

    /// The variants by tag value, in the order their values first appear
    /// (a variant the `mapping` gives several values is in several groups).
    /// `None` when a variant has no tag value.
    fn tag_groups(
        &self,
        variants: &[Variant<'_>],
        resolved: &[&Schema],
        tag: &str,
        discriminator: Option<&Discriminator>,
    ) -> Option<IndexMap<String, Vec<usize>>> {
        let mut groups: IndexMap<String, Vec<usize>> = IndexMap::new();
        for (i, (variant, resolved)) in variants.iter().zip(resolved).enumerate() {
            let values = self.tag_values(variant.variant, resolved, tag, discriminator)?;
            for value in values {
                groups.entry(value).or_default().push(i);
            }
        }
        Some(groups)
    }

    /// The tag values of one variant: the keys the discriminator's `mapping`
    /// gives its `$ref` (a target is a reference or a bare component name),
    /// else the one value of its tag property's enum, else, for a `$ref`,
    /// the component's name (OpenAPI's implicit mapping).
    fn tag_values(
        &self,
        variant: &ReferenceOr<Schema>,
        resolved: &Schema,
        tag: &str,
        discriminator: Option<&Discriminator>,
    ) -> Option<Vec<String>> {
        let reference = match variant {
            ReferenceOr::Reference { reference } => Some(reference.as_str()),
            ReferenceOr::Item(_) => None,
        };
        let mapped: Vec<String> = match (reference, discriminator.map(|d| &d.mapping)) {
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
        if !mapped.is_empty() {
            return Some(mapped);
        }
        let from_enum = object_parts(resolved)
            .and_then(|(props, _)| props.get(tag))
            .and_then(|p| self.resolve(p))
            .and_then(single_value)
            .map(str::to_owned);
        Some(vec![
            from_enum.or_else(|| reference.and_then(component_name))?
        ])
    }

    /// The type of the variant of one tag value: its one member (its `$ref`,
    /// or its inline schema without the tag property), or the merge of the
    /// members sharing the value, without the tag property. A member that is
    /// no named type (an object without properties, a map, a scalar) is a
    /// struct of its other fields, kept in a map: the union's slot is taken
    /// already, so every variant must have a type.
    fn tagged_variant(
        &mut self,
        members: &[(&ReferenceOr<Schema>, &Schema)],
        tag: &str,
        ptr: &Pointer,
        hint: &Hint,
    ) -> TypeId {
        let ty = match members {
            [(ReferenceOr::Reference { reference }, _)] => self.reference(reference, ptr),
            [(ReferenceOr::Item(item), _)] => {
                let without_tag = without_property(item, tag);
                self.schema(&without_tag, ptr, hint, false)
            }
            _ => {
                let parts: Vec<&Schema> = members.iter().map(|&(_, resolved)| resolved).collect();
                let merged = self.merge(&parts, MergeMode::AnyOf, &parts[0].schema_data);
                let without_tag = without_property(&merged, tag);
                self.lower_inlined(
                    members.iter().map(|&(v, _)| v),
                    &without_tag,
                    ptr,
                    hint,
                    false,
                )
            }
        };
        let values = match ty {
            TypeRef::Named(id) => return id,
            TypeRef::Map(values) => *values,
            TypeRef::Json => TypeRef::Json,
            _ => {
                self.diags.warning(
                    ptr,
                    "a variant of a discriminated union that is no object; read as an object of any fields",
                );
                TypeRef::Json
            }
        };
        self.new_type(
            hint,
            ptr,
            None,
            TypeKind::Struct {
                fields: Vec::new(),
                request: false,
                extra: Some(("additional_properties".to_owned(), values)),
            },
        )
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
