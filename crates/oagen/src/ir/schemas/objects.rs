//! Object schemas: a struct of their properties (with a field collecting
//! `additionalProperties` when they are allowed beside the properties), a
//! map when there are only `additionalProperties`, an empty struct when
//! there are none at all.
//!
//! A struct takes its slot before its properties are lowered, so that a
//! property referring back to it (directly or through other components)
//! resolves to its id; `boxing` later boxes those fields.

use openapiv3::{AdditionalProperties, ObjectType, ReferenceOr, Schema};

use super::fields::Property;
use super::shapes::Properties;
use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::names::{snake_ident, Scope};
use crate::ir::{TypeKind, TypeRef};

impl Lowerer<'_> {
    /// A `type: object` schema: a struct of its properties; without any, a
    /// map of its `additionalProperties` (of any JSON when they are not
    /// typed), or an empty struct under `additionalProperties: false`.
    pub(super) fn object_type(
        &mut self,
        schema: &Schema,
        object: &ObjectType,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        let (properties, required) = (&object.properties, &object.required);
        if properties.is_empty() {
            return match &object.additional_properties {
                // `additionalProperties: false` and no properties: an object
                // that is always empty, a struct without fields.
                Some(AdditionalProperties::Any(false)) => {
                    self.object(schema, properties, required, None, ptr, hint, request)
                }
                Some(AdditionalProperties::Schema(s)) => {
                    TypeRef::Map(Box::new(self.additional_properties(s, ptr, hint, request)))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Json)),
            };
        }
        let extra = match &object.additional_properties {
            Some(AdditionalProperties::Schema(s)) => {
                Some(self.additional_properties(s, ptr, hint, request))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        self.object(schema, properties, required, extra, ptr, hint, request)
    }

    /// The type of the values of `additionalProperties`.
    fn additional_properties(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        self.schema_or_ref(
            schema,
            &ptr.push("additionalProperties"),
            &hint.child("value"),
            request,
        )
    }

    /// A struct of these properties (and of `extra`, the type of the
    /// additional properties it collects, if any).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn object(
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
        for (wire_name, schema) in properties {
            let property = Property {
                wire_name,
                schema,
                ident: idents.claim(&snake_ident(wire_name), "_"),
                required: required.contains(wire_name),
                ptr: properties_ptr.push(wire_name),
                hint: Hint {
                    full: format!("{name}_{wire_name}"),
                    short: Some(wire_name.clone()),
                    component: None,
                },
            };
            fields.push(self.field(property, request));
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
}
