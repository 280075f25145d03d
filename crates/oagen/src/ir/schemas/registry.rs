//! The type registry: component schemas, lowered once each and known by
//! name, and the slots of new types, named after a [`Hint`] or shared by
//! name across the spec.
//!
//! A type takes its slot (its [`TypeId`]) before its contents are lowered,
//! so that a recursive schema met again while it is lowered resolves to it.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, SchemaKind, Type};

use super::references::component_name;
use super::shapes::normalize;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::names::{module_ident, type_ident};
use crate::ir::{sanitize_docs, TypeDef, TypeId, TypeKind, TypeRef};

/// How to name a type defined inline.
#[derive(Debug, Clone)]
pub(in crate::ir) struct Hint {
    /// The name from the context, for example `ClientSession_device_type`.
    pub full: String,
    /// The property name alone: tried first for enums, so that one set of
    /// values shared by many schemas becomes one type.
    pub short: Option<String>,
    /// Set when this is the top-level schema of this component.
    pub component: Option<String>,
}

impl Hint {
    /// A hint that only gives the name from the context.
    pub fn new(full: impl Into<String>) -> Self {
        Hint {
            full: full.into(),
            short: None,
            component: None,
        }
    }

    /// The hint for a schema inside this one (`_item`, `_value`,
    /// `_variant`...), which is no component's top-level schema.
    pub(super) fn child(&self, suffix: &str) -> Self {
        Hint {
            full: format!("{}_{suffix}", self.full),
            short: self.short.clone(),
            component: None,
        }
    }
}

/// Where the components are, for the pointers of component schemas.
pub(in crate::ir) fn components_pointer() -> Pointer {
    Pointer::root().push("components")
}

impl<'a> Lowerer<'a> {
    /// The type of component schema `name`, lowering it on first use.
    pub(in crate::ir) fn component(&mut self, name: &str, ptr: &Pointer) -> TypeRef {
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
            .map(module_ident);
        let outer_group = std::mem::replace(&mut self.current_group, route_group);
        let ty = self.with_merge_budget(&own_ptr, |cx| {
            cx.schema_or_ref(schema, &own_ptr, &hint, false)
        });
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

    /// Claims the name of a new type and reserves its slot.
    pub(super) fn new_type(
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

    /// Registers a type under `name`, a free type name, as shared: a later
    /// type of that name and the same kind is this one (the lowerer's
    /// `shared`). `docs` are already sanitized.
    pub(super) fn shared_type(
        &mut self,
        name: String,
        ptr: &Pointer,
        docs: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        self.type_names.claim(&name, "");
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: name.clone(),
            origin: ptr.clone(),
            docs,
            group: self.current_group.clone(),
            kind,
        });
        self.shared.insert(name, id);
        id
    }
}
