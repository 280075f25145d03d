//! Boxing, the last step of lowering: once every type is known, the struct
//! fields that would make a type contain itself by value are marked to be
//! boxed.

use std::collections::BTreeSet;

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};

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
        TypeKind::Alias { target } => vec![*target],
        TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
    }
}

/// Marks the fields that must be boxed: a field whose type contains its own
/// struct by value, directly or through other types, would have infinite
/// size. `Vec` and map fields are already indirect.
pub(in crate::ir) fn mark_boxed(types: &mut [TypeDef]) {
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
