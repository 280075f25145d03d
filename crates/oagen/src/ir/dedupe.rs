//! Structurally identical types, emitted once.
//!
//! Specs written from shared fragments (Seam's is generated from zod
//! schemas) repeat the same object under many names: the `{ "ok": true }`
//! response of ninety operations, the error items of every resource, the
//! variants of a tagged union that differ only in their tag. Each copy costs
//! the compiler a struct and its serde impls. Here the types are partitioned
//! by shape — their kind, docs of their fields included, with the types they
//! name compared by class, refined until stable (the minimization of a
//! finite automaton) — and every type but the first of its class becomes a
//! [`TypeKind::Alias`] of that first one. Each keeps its own name (and its
//! docs): the generated crate writes `pub type Name = First;`, so every name
//! of the spec still exists and operations still name their own types.

use std::collections::BTreeMap;

use super::{TypeDef, TypeId, TypeKind, TypeRef};

/// Turns every type whose shape an earlier type has into an alias of it.
/// Returns how many became aliases.
pub(super) fn dedupe(types: &mut [TypeDef]) -> usize {
    let (shapes, refs): (Vec<String>, Vec<Vec<TypeId>>) =
        types.iter().map(|def| shape(&def.kind)).unzip();
    let mut class = classes(shapes.iter());
    loop {
        let keys = (0..types.len()).map(|i| {
            let named: Vec<usize> = refs[i].iter().map(|id| class[id.0]).collect();
            (class[i], named)
        });
        let refined = classes(keys);
        let stable = count(&refined) == count(&class);
        class = refined;
        if stable {
            break;
        }
    }
    // The first type of each class is the one the others name.
    let mut first: BTreeMap<usize, TypeId> = BTreeMap::new();
    let mut aliases = 0;
    for i in 0..types.len() {
        let target = *first.entry(class[i]).or_insert(TypeId(i));
        if target.0 == i {
            continue;
        }
        // A request type is checked before sending: the shared one then is.
        if let TypeKind::Struct { request: true, .. } = types[i].kind {
            if let TypeKind::Struct { request, .. } = &mut types[target.0].kind {
                *request = true;
            }
        }
        types[i].kind = TypeKind::Alias { target };
        aliases += 1;
    }
    aliases
}

/// A type's kind with the types it names blanked out (as text, to compare),
/// and those types in the order they appear. Whether a struct is sent in
/// requests is left out: aliases of one shape share its checks.
fn shape(kind: &TypeKind) -> (String, Vec<TypeId>) {
    let mut blank = kind.clone();
    let mut named = Vec::new();
    for_each_id(&mut blank, &mut |id| {
        named.push(*id);
        *id = TypeId(usize::MAX);
    });
    if let TypeKind::Struct { request, .. } = &mut blank {
        *request = false;
    }
    (format!("{blank:?}"), named)
}

/// Numbers distinct keys in order of first appearance.
fn classes<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<usize> {
    let mut seen: BTreeMap<K, usize> = BTreeMap::new();
    keys.map(|key| {
        let next = seen.len();
        *seen.entry(key).or_insert(next)
    })
    .collect()
}

fn count(class: &[usize]) -> usize {
    class.iter().max().map_or(0, |max| max + 1)
}

/// Calls `f` on every type id a kind names, in a fixed order.
fn for_each_id(kind: &mut TypeKind, f: &mut dyn FnMut(&mut TypeId)) {
    match kind {
        TypeKind::Struct { fields, extra, .. } => {
            for field in fields {
                ref_ids(&mut field.ty, f);
            }
            if let Some((_, ty)) = extra {
                ref_ids(ty, f);
            }
        }
        TypeKind::Tagged {
            variants, shared, ..
        } => {
            for v in variants {
                f(&mut v.ty);
            }
            for s in shared {
                ref_ids(&mut s.ty, f);
            }
        }
        TypeKind::Untagged { variants } => {
            for v in variants {
                ref_ids(&mut v.ty, f);
            }
        }
        TypeKind::Alias { target } => f(target),
        TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. } => {}
    }
}

fn ref_ids(ty: &mut TypeRef, f: &mut dyn FnMut(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => f(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => ref_ids(inner, f),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pointer;
    use crate::ir::{Constraints, Field};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.into(),
            ident: name.into(),
            ty,
            required: true,
            nullable: false,
            docs: None,
            deprecated: None,
            constraints: Constraints::default(),
            boxed: false,
            tri_state: false,
            read_only: false,
            write_only: false,
            default: None,
        }
    }

    fn def(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: Pointer::root(),
            docs: Some(format!("The {name}.")),
            group: None,
            kind: TypeKind::Struct {
                fields,
                request: false,
                extra: None,
            },
        }
    }

    fn targets(types: &[TypeDef]) -> Vec<Option<usize>> {
        types
            .iter()
            .map(|t| match t.kind {
                TypeKind::Alias { target } => Some(target.0),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn identical_shapes_alias_the_first_and_nested_copies_follow() {
        let named = |i| TypeRef::Named(TypeId(i));
        let mut types = vec![
            def("AError", vec![field("message", TypeRef::String)]),
            def(
                "A",
                vec![field("errors", TypeRef::Array(Box::new(named(0))))],
            ),
            def("BError", vec![field("message", TypeRef::String)]),
            def(
                "B",
                vec![field("errors", TypeRef::Array(Box::new(named(2))))],
            ),
            // Same field names, another type: not the same shape.
            def("C", vec![field("errors", TypeRef::String)]),
        ];
        assert_eq!(dedupe(&mut types), 2);
        assert_eq!(targets(&types), [None, None, Some(0), Some(1), None]);
        // Each keeps its name and docs.
        assert_eq!(types[3].name, "B");
        assert_eq!(types[3].docs.as_deref(), Some("The B."));
    }

    #[test]
    fn field_docs_and_requirement_count_and_cycles_are_compared() {
        let named = |i| TypeRef::Named(TypeId(i));
        let mut documented = field("next", named(0));
        documented.docs = Some("The next one.".into());
        let mut optional = field("next", named(1));
        optional.required = false;
        let mut types = vec![
            def("List", vec![field("next", named(0))]),
            def("Other", vec![field("next", named(1))]),
            def("Documented", vec![documented]),
            def("Optional", vec![optional]),
        ];
        // Two self-referencing types of one shape are one type.
        assert_eq!(dedupe(&mut types), 1);
        assert_eq!(targets(&types), [None, Some(0), None, None]);
    }

    #[test]
    fn a_request_alias_makes_its_target_checked() {
        let mut types = vec![
            def("Response", vec![field("name", TypeRef::String)]),
            def("Body", vec![field("name", TypeRef::String)]),
        ];
        if let TypeKind::Struct { request, .. } = &mut types[1].kind {
            *request = true;
        }
        dedupe(&mut types);
        assert!(matches!(
            types[0].kind,
            TypeKind::Struct { request: true, .. }
        ));
        assert_eq!(targets(&types), [None, Some(0)]);
    }
}
