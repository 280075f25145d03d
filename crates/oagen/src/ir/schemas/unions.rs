//! `oneOf` and `anyOf`. A variant that only admits `null` makes the property
//! nullable and is no variant. The others become: one type or an untagged
//! enum when they are scalars, or objects beside scalars and arrays (the
//! objects merged into one struct variant); a tagged enum when a
//! `discriminator` names the tag (see `tagged`); otherwise, and always in
//! request bodies, one struct merging the variants' properties.

use openapiv3::{
    ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::merge::MergeMode;
use super::shapes::{adds_only_null, shape, Shape};
use super::Hint;
use crate::diagnostics::Pointer;
use crate::ir::lower::Lowerer;
use crate::ir::names::Scope;
use crate::ir::{TypeKind, TypeRef, UntaggedVariant};

/// A variant of a union: its position, and the schema it is or names.
pub(super) struct Variant<'v> {
    pub(super) index: usize,
    pub(super) variant: &'v ReferenceOr<Schema>,
    pub(super) resolved: &'v Schema,
}

/// The members of an untagged union, as its variants are lowered: the
/// distinct types of its variants, and the struct variant when it is
/// defined inline (and so named `Object`, not after its type).
struct Members {
    kinds: Vec<TypeRef>,
    inline_object: Option<TypeRef>,
}

impl Members {
    /// Drops the types another member covers already: any JSON (which the
    /// fallback variant holds), a 32-bit integer beside a 64-bit one (of
    /// the same signedness: the variants are named after it), a date or a
    /// date-time beside a string.
    fn narrow(&mut self) {
        let kinds = &mut self.kinds;
        kinds.retain(|k| *k != TypeRef::Json);
        if kinds.contains(&TypeRef::I64) {
            kinds.retain(|k| *k != TypeRef::I32);
        }
        if kinds.contains(&TypeRef::U64) {
            kinds.retain(|k| *k != TypeRef::U32);
        }
        if kinds.contains(&TypeRef::String) {
            kinds.retain(|k| *k != TypeRef::DateTime && *k != TypeRef::Date);
        }
    }
}

impl Lowerer<'_> {
    /// `oneOf` and `anyOf` (`keyword` says which, for pointers).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn one_of(
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
        self.lower_inlined(kept.iter().map(|v| v.variant), &merged, ptr, hint, request)
    }

    /// A union decoded by trying each variant in turn: one type when the
    /// variants lower to one type, else an untagged enum. Enums among the
    /// variants widen to their base type (the union already accepts any
    /// value of it); object variants are merged into one struct variant.
    fn untagged_union(
        &mut self,
        schema: &Schema,
        kept: &[Variant<'_>],
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> TypeRef {
        let mut members = self.untagged_members(kept, keyword, ptr, hint, request);
        members.narrow();
        if members.kinds.len() <= 1 {
            return members.kinds.pop().unwrap_or(TypeRef::Json);
        }
        members.kinds.sort_by_key(untagged_rank);
        let variants = self.untagged_variants(&members);
        let inline = members.inline_object.is_some();
        self.untagged_type(schema, variants, inline, ptr, hint)
    }

    /// The types of a union's variants, in order and without repeats:
    /// strings and integers by their type (their enums widened), arrays and
    /// the others lowered, and the object variants, last, as one struct.
    fn untagged_members(
        &mut self,
        kept: &[Variant<'_>],
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> Members {
        let mut kinds: Vec<TypeRef> = Vec::new();
        let mut objects: Vec<&Variant<'_>> = Vec::new();
        for v in kept {
            let variant_ptr = ptr.push(keyword).push(v.index.to_string());
            // Scalars are typed here, not lowered: an override of the
            // variant is tried first.
            if let Some(ty) = self.schema_override(Some(v.resolved), &variant_ptr, request) {
                if !kinds.contains(&ty) {
                    kinds.push(ty);
                }
                continue;
            }
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
                _ => self.schema_or_ref(v.variant, &variant_ptr, &hint.child("variant"), request),
            };
            if !kinds.contains(&ty) {
                kinds.push(ty);
            }
        }
        let inline_object = match self.object_variant(&objects, keyword, ptr, hint, request) {
            Some((ty, inline)) => {
                kinds.push(ty.clone());
                inline.then_some(ty)
            }
            None => None,
        };
        Members {
            kinds,
            inline_object,
        }
    }

    /// The one struct variant of a union's object variants, and whether it
    /// is defined inline: the only object variant itself, else their merge
    /// (or, when they refer back to a schema being lowered, that schema).
    fn object_variant(
        &mut self,
        objects: &[&Variant<'_>],
        keyword: &str,
        ptr: &Pointer,
        hint: &Hint,
        request: bool,
    ) -> Option<(TypeRef, bool)> {
        match objects {
            [] => None,
            [only] => {
                let ty = self.schema_or_ref(
                    only.variant,
                    &ptr.push(keyword).push(only.index.to_string()),
                    &hint.child("object"),
                    request,
                );
                Some((ty, matches!(only.variant, ReferenceOr::Item(_))))
            }
            several => match self.recursive_reference(several.iter().map(|v| v.variant)) {
                // Merging would inline the schema being lowered again and
                // again: the variant is that schema.
                Some(reference) => Some((self.reference(&reference, ptr), false)),
                None => {
                    let parts: Option<Vec<Schema>> = several
                        .iter()
                        .map(|v| self.object_like(v.resolved))
                        .collect();
                    let parts = parts.unwrap_or_default();
                    let parts: Vec<&Schema> = parts.iter().collect();
                    let merged = self.merge(&parts, MergeMode::AnyOf, &SchemaData::default());
                    let ty = self.lower_inlined(
                        several.iter().map(|v| v.variant),
                        &merged,
                        ptr,
                        &hint.child("object"),
                        request,
                    );
                    Some((ty, true))
                }
            },
        }
    }

    /// The variants of an untagged enum, named after their types (the
    /// inline struct variant `Object`); only scalar enums are not boxed.
    fn untagged_variants(&self, members: &Members) -> Vec<UntaggedVariant> {
        let mut scope = Scope::default();
        members
            .kinds
            .iter()
            .map(|ty| {
                let name = match ty {
                    TypeRef::Named(id) if Some(ty) != members.inline_object.as_ref() => {
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
            .collect()
    }

    /// The untagged enum of these variants. The enum of a component, or of
    /// a union with an inline object variant, is a type of its own, named
    /// after it; otherwise it is named after its variants (`StringOrBool`)
    /// and shared by every union of the same variants.
    fn untagged_type(
        &mut self,
        schema: &Schema,
        variants: Vec<UntaggedVariant>,
        inline_object: bool,
        ptr: &Pointer,
        hint: &Hint,
    ) -> TypeRef {
        let names: Vec<&str> = variants.iter().map(|v| v.ident.as_str()).collect();
        let one_of = format!("One of: {}.", names.join(", "));
        let base = names.join("Or");
        let kind = TypeKind::Untagged { variants };
        if hint.component.is_some() || inline_object {
            let docs = match &schema.schema_data.description {
                Some(description) => format!("{description}\n\n{one_of}"),
                None => one_of,
            };
            return TypeRef::Named(self.new_type(hint, ptr, Some(&docs), kind));
        }
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
                    return TypeRef::Named(self.shared_type(name, ptr, Some(one_of), kind));
                }
                _ => {}
            }
        }
    }
}

/// Untagged variants are tried in order: the narrower type first, and a
/// struct before a map, which would take any object.
fn untagged_rank(ty: &TypeRef) -> u8 {
    match ty {
        TypeRef::Bool => 0,
        TypeRef::U32 | TypeRef::U64 => 1,
        TypeRef::I32 | TypeRef::I64 => 2,
        TypeRef::F64 => 3,
        TypeRef::Date => 4,
        TypeRef::DateTime => 5,
        TypeRef::String => 6,
        TypeRef::Array(_) => 7,
        TypeRef::Named(_) => 8,
        TypeRef::Map(_) => 9,
        TypeRef::Json | TypeRef::Bytes => 10,
    }
}

/// The variant name of a type that is not named after its definition.
fn scalar_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::U32 | TypeRef::U64 => "Unsigned",
        TypeRef::F64 => "Number",
        TypeRef::Bool => "Bool",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Bytes => "Bytes",
        TypeRef::Named(_) => "Object",
        TypeRef::Json => "Value",
    }
}
