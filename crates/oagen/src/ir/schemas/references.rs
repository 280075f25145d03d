//! `$ref`s: lowering the schema a reference or an inline schema stands for,
//! and looking through a reference to the schema it names, to read it
//! without lowering it.
//!
//! Only local references to `#/components/schemas/<name>` are followed;
//! the loader has already hoisted the others into `components`.

use openapiv3::{ReferenceOr, Schema};

use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::TypeRef;

/// How many `$ref`s lowering follows from one component to another before
/// it gives up (the loader shortens chains of them to one).
pub(in crate::ir) const MAX_ALIAS_STEPS: usize = 4;

impl<'a> Lowerer<'a> {
    /// The type of a schema that may be a `$ref`.
    pub(in crate::ir) fn schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.overridden_reference(reference, ptr, request)
            }
            ReferenceOr::Item(schema) => self.schema(schema, ptr, hint, request),
        }
    }

    /// [`Self::schema_or_ref`] for the boxed schemas of properties and items.
    pub(super) fn boxed_schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.overridden_reference(reference, ptr, request)
            }
            ReferenceOr::Item(schema) => self.schema(schema, ptr, hint, request),
        }
    }

    /// The type of a `$ref` at `ptr`: an override's (inline schemas are
    /// tried in [`Self::schema`]), else the component's.
    fn overridden_reference(&mut self, reference: &str, ptr: &Pointer, request: bool) -> TypeRef {
        let target = self.lookup(reference);
        match self.schema_override(target, ptr, request) {
            Some(ty) => ty,
            None => self.reference(reference, ptr),
        }
    }

    /// The type of the component a `$ref` names; an error, typed as JSON,
    /// for any other reference.
    pub(super) fn reference(&mut self, reference: &str, ptr: &Pointer) -> TypeRef {
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
    /// A component that is itself a `$ref` is looked through: the loader has
    /// made every such chain one step long (and refused cycles), so the
    /// bound is only a guard.
    fn lookup(&self, reference: &str) -> Option<&'a Schema> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let schemas = &spec.components.as_ref()?.schemas;
        let mut name = component_name(reference)?;
        for _ in 0..MAX_ALIAS_STEPS {
            match schemas.get(&name)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => name = component_name(reference)?,
            }
        }
        None
    }

    /// Looks through a `$ref` to the schema it names, for reading its data.
    pub(in crate::ir) fn resolve<'s>(
        &self,
        schema: &'s ReferenceOr<Box<Schema>>,
    ) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.lookup(reference),
        }
    }

    /// [`Self::resolve`] for the unboxed schemas of variants and parts.
    pub(in crate::ir) fn resolve_unboxed<'s>(
        &self,
        schema: &'s ReferenceOr<Schema>,
    ) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.lookup(reference),
        }
    }

    /// The first of these `$ref`s that names a component being lowered now,
    /// or one inside two merged copies of itself.
    pub(super) fn recursive_reference<'r>(
        &self,
        mut variants: impl Iterator<Item = &'r ReferenceOr<Schema>>,
    ) -> Option<String> {
        variants.find_map(|v| match v {
            ReferenceOr::Reference { reference } => component_name(reference)
                .filter(|name| self.in_progress.contains(name) || self.inlined_twice(name))
                .map(|_| reference.clone()),
            ReferenceOr::Item(_) => None,
        })
    }
}

/// The component name of a local `#/components/schemas/<name>` reference.
pub(super) fn component_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}
