//! Cargo features of the generated crate: which items each one gates.
//!
//! An operation may need features (an undocumented operation needs
//! `undocumented`; with `Config::namespace_features`, one in a namespace
//! needs the namespace's, `locks`). Its method, static, builder and enums are compiled only
//! with it, and so is every type that only such operations use: a type is
//! needed when any operation that reaches it (through bodies, parameters,
//! responses and the types those contain) is compiled. A type reached by an
//! operation without a feature is always compiled.
//!
//! A requirement is a set of alternatives, each a set of features that must
//! all be on: `cfg(any(feature = "a", all(feature = "b", feature = "c")))`.
//! The emitters name the items of each operation; [`apply`] then puts the
//! `#[cfg]` on every top-level item of a file with such a name, and on the
//! `impl` blocks of those types, so that no emitter has to thread it through.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Operation, ResponseBody, TypeId, TypeKind, TypeRef};

/// The features one alternative needs, all of them.
pub(crate) type Gate = BTreeSet<String>;

/// Item name → the `cfg` predicate that gates it, as Rust text.
pub(crate) type Gated = BTreeMap<String, String>;

/// The cargo features of the crate besides the transport ones: one per
/// top-level namespace (with `Config::namespace_features`), and the others
/// operations and authentication modes need (`undocumented`).
pub(crate) fn crate_features(
    api: &Api,
    config: &crate::config::Config,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let namespaces: BTreeSet<String> = api
        .operations
        .iter()
        .filter_map(|op| config.namespace_feature(&op.group))
        .collect();
    let others = (api.operations.iter())
        .flat_map(|op| op.features.iter())
        .chain(api.auth_modes.iter().filter_map(|m| m.feature.as_ref()))
        .filter(|f| !namespaces.contains(*f))
        .cloned()
        .collect();
    (namespaces, others)
}

/// The gate of an operation: the features it needs (none for most).
pub(crate) fn op_gate(op: &Operation) -> Gate {
    op.features.iter().cloned().collect()
}

/// The `cfg` predicate of a requirement, or `None` when one alternative needs
/// nothing (the item is always compiled).
pub(crate) fn predicate(alternatives: &BTreeSet<Gate>) -> Option<String> {
    if alternatives.is_empty() || alternatives.iter().any(BTreeSet::is_empty) {
        return None;
    }
    // An alternative that needs more than another is implied by it.
    let minimal: Vec<&Gate> = alternatives
        .iter()
        .filter(|a| !alternatives.iter().any(|b| b != *a && b.is_subset(a)))
        .collect();
    let all = |gate: &Gate| {
        let features: Vec<String> = gate.iter().map(|f| format!("feature = {f:?}")).collect();
        match features.as_slice() {
            [one] => one.clone(),
            _ => format!("all({})", features.join(", ")),
        }
    };
    Some(match minimal.as_slice() {
        [one] => all(one),
        _ => format!(
            "any({})",
            minimal
                .iter()
                .map(|g| all(g))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// The `#[cfg(...)]` attribute of a predicate.
pub(crate) fn attribute(predicate: Option<&str>) -> proc_macro2::TokenStream {
    match predicate.and_then(|p| p.parse::<proc_macro2::TokenStream>().ok()) {
        Some(p) => quote::quote!(#[cfg(#p)]),
        None => proc_macro2::TokenStream::new(),
    }
}

/// The gated types, by name: those that only operations with a feature use.
pub(crate) fn type_gates(api: &Api, requirements: &[BTreeSet<Gate>]) -> Gated {
    api.types
        .iter()
        .zip(requirements)
        .filter_map(|(def, alternatives)| Some((def.name.clone(), predicate(alternatives)?)))
        .collect()
}

/// The gated modules of `types/`, by name: those all of whose types are.
pub(crate) fn module_gates(
    modules: &[(String, Vec<TypeId>)],
    requirements: &[BTreeSet<Gate>],
) -> Gated {
    modules
        .iter()
        .filter_map(|(module, ids)| {
            let all: BTreeSet<Gate> = ids
                .iter()
                .flat_map(|id| requirements[id.0].iter().cloned())
                .collect();
            Some((module.clone(), predicate(&all)?))
        })
        .collect()
}

/// For each type, by id, the gates of the operations that need it; the
/// empty gate when something always compiled does.
pub(crate) fn type_requirements(api: &Api) -> Vec<BTreeSet<Gate>> {
    let mut needed: Vec<BTreeSet<Gate>> = vec![BTreeSet::new(); api.types.len()];
    let reach = |roots: Vec<TypeId>, gate: &Gate, needed: &mut Vec<BTreeSet<Gate>>| {
        let mut stack = roots;
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                needed[id.0].insert(gate.clone());
                stack.extend(contained(&api.ty(id).kind));
            }
        }
    };
    for op in &api.operations {
        reach(op_types(op), &op_gate(op), &mut needed);
    }
    // The webhook module is always compiled, and so is the event it decodes.
    if let Some(hook) = &api.webhook {
        let mut roots = Vec::new();
        named(&hook.event, &mut roots);
        reach(roots, &Gate::new(), &mut needed);
    }
    // A type no operation uses (a component only other types name, or none)
    // is always compiled, and so is what it contains.
    let unused: Vec<TypeId> = (0..api.types.len())
        .map(TypeId)
        .filter(|id| needed[id.0].is_empty())
        .collect();
    reach(unused, &Gate::new(), &mut needed);
    needed
}

/// The named types an operation names directly.
fn op_types(op: &Operation) -> Vec<TypeId> {
    let mut out = Vec::new();
    out.extend(op.body);
    let mut refs: Vec<&TypeRef> = Vec::new();
    refs.extend(&op.whole_body);
    refs.extend(op.parameters.iter().map(|p| &p.ty));
    refs.extend(&op.response.body);
    if let Some(ResponseBody::Json(ty)) = &op.response.media {
        refs.push(ty);
    }
    refs.extend(op.response.key.as_ref().map(|(_, ty)| ty));
    refs.extend(op.response.pagination.as_ref().map(|p| &p.item));
    for r in op.response.by_status.iter().chain(&op.response.errors) {
        if let Some(ResponseBody::Json(ty)) = &r.body {
            refs.push(ty);
        }
    }
    for ty in refs {
        named(ty, &mut out);
    }
    out
}

/// The named types a type contains.
fn contained(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct { fields, extra, .. } => {
            for f in fields {
                named(&f.ty, &mut out);
            }
            if let Some((_, ty)) = extra {
                named(ty, &mut out);
            }
        }
        TypeKind::Tagged { variants, .. } => out.extend(variants.iter().map(|v| v.ty)),
        TypeKind::Untagged { variants } => {
            for v in variants {
                named(&v.ty, &mut out);
            }
        }
        TypeKind::Alias { target } => out.push(*target),
        TypeKind::Enum { .. } | TypeKind::IntegerEnum { .. } => {}
    }
    out
}

fn named(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner, out),
        _ => {}
    }
}

/// Puts `#[cfg]` on every top-level item of `file` that `gated` names (by
/// its identifier, or for an `impl`, its type's), keeping other attributes.
pub(crate) fn apply(file: &mut syn::File, gated: &Gated) {
    if gated.is_empty() {
        return;
    }
    for item in &mut file.items {
        let (name, attrs) = match item {
            syn::Item::Struct(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Enum(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Static(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Const(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Fn(i) => (Some(i.sig.ident.to_string()), &mut i.attrs),
            syn::Item::Type(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Impl(i) => (impl_name(&i.self_ty), &mut i.attrs),
            // `mod x;` and `pub use self::x::*;` of a module that is gated.
            syn::Item::Mod(i) => (Some(i.ident.to_string()), &mut i.attrs),
            syn::Item::Use(i) => (glob_of_child(&i.tree), &mut i.attrs),
            _ => continue,
        };
        let Some(predicate) = name.as_ref().and_then(|n| gated.get(n)) else {
            continue;
        };
        if let Ok(attr) = syn::parse_str::<syn::Meta>(&format!("cfg({predicate})")) {
            // After the docs, as a person would write it.
            let at = attrs
                .iter()
                .position(|a| !a.path().is_ident("doc"))
                .unwrap_or(attrs.len());
            attrs.insert(
                at,
                syn::Attribute {
                    pound_token: Default::default(),
                    style: syn::AttrStyle::Outer,
                    bracket_token: Default::default(),
                    meta: attr,
                },
            );
        }
    }
}

/// `x` of `use self::x::*`.
fn glob_of_child(tree: &syn::UseTree) -> Option<String> {
    let syn::UseTree::Path(first) = tree else {
        return None;
    };
    let syn::UseTree::Path(child) = first.tree.as_ref() else {
        return None;
    };
    (first.ident == "self" && matches!(child.tree.as_ref(), syn::UseTree::Glob(_)))
        .then(|| child.ident.to_string())
}

/// The name of the type of this module an `impl` block is for: `Foo` of
/// `impl Foo`, `impl<'a> Foo<'a>` and `impl Display for Foo`; not `impl
/// crate::Foo`, a type of another module.
fn impl_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gates(list: &[&[&str]]) -> BTreeSet<Gate> {
        list.iter()
            .map(|g| g.iter().map(|f| f.to_string()).collect())
            .collect()
    }

    #[test]
    fn predicates() {
        assert_eq!(predicate(&gates(&[])), None);
        assert_eq!(predicate(&gates(&[&[], &["a"]])), None);
        assert_eq!(
            predicate(&gates(&[&["a"]])).as_deref(),
            Some(r#"feature = "a""#)
        );
        assert_eq!(
            predicate(&gates(&[&["a"], &["a", "b"], &["c", "d"]])).as_deref(),
            Some(r#"any(feature = "a", all(feature = "c", feature = "d"))"#)
        );
    }

    #[test]
    fn items_and_their_impls_are_gated() {
        let mut file: syn::File = syn::parse_str(
            "struct A; impl A {} impl std::fmt::Debug for A {} struct B; static S: u8 = 0;",
        )
        .unwrap();
        let gated: Gated = [("A", r#"feature = "x""#), ("S", r#"feature = "y""#)]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        apply(&mut file, &gated);
        let text = prettyplease::unparse(&file);
        assert_eq!(
            text.matches(r#"#[cfg(feature = "x")]"#).count(),
            3,
            "{text}"
        );
        assert_eq!(
            text.matches(r#"#[cfg(feature = "y")]"#).count(),
            1,
            "{text}"
        );
        assert!(text.contains("struct B;\n"), "{text}");
    }
}
