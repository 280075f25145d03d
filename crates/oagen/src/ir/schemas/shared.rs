//! Shared fields, a step at the end of lowering: once every type is known,
//! each tagged union learns the properties its variants share, which the
//! emitter turns into accessors (`event.device_id()` instead of a `match`
//! over a hundred variants).
//!
//! A property is shared when it has the same type in every variant that
//! has it, and at least two variants have it: all of them, or at least one
//! in [`SHARE_DIVISOR`]. Properties of only one variant are that variant's
//! business; a union of two or three variants shares a property that two
//! variants have.

use indexmap::IndexMap;

use crate::ir::names::{snake_ident, Scope};
use crate::ir::{Field, SharedField, TaggedVariant, TypeDef, TypeKind};

/// A property that not every variant has is shared when at least one
/// variant in this many has it (5 %). Seam's 109 events then get accessors
/// for what a handler reaches for (the ids of the device, connected account,
/// access code, ACS system, action attempt, access grant the event is about)
/// but not for the fields of one family of events (temperatures, battery
/// levels), which stay behind a `match`: each accessor is a `match` arm per
/// variant that has it, so the rule also bounds the code to compile.
pub(in crate::ir) const SHARE_DIVISOR: usize = 20;

/// Names an accessor must not take: the methods derived, implemented or
/// blanket-implemented for every tagged union, which an inherent method
/// would shadow. The tag accessor is reserved besides.
const RESERVED: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Fills in the shared fields of every tagged union.
pub(in crate::ir) fn share_fields(types: &mut [TypeDef]) {
    for index in 0..types.len() {
        let TypeKind::Tagged { tag, variants, .. } = &types[index].kind else {
            continue;
        };
        let found = shared_fields(types, tag, variants);
        if let TypeKind::Tagged { shared, .. } = &mut types[index].kind {
            *shared = found;
        }
    }
}

/// Whether a property that `count` of `total` variants have is shared.
pub(in crate::ir) fn is_shared(count: usize, total: usize) -> bool {
    count >= 2 && (count == total || count * SHARE_DIVISOR >= total)
}

fn shared_fields(types: &[TypeDef], tag: &str, variants: &[TaggedVariant]) -> Vec<SharedField> {
    // Every property by wire name, in the order the variants first name
    // them, with the variants that have it.
    let mut by_name: IndexMap<&str, Vec<(usize, &Field)>> = IndexMap::new();
    for (index, variant) in variants.iter().enumerate() {
        let TypeKind::Struct { fields, .. } = &types[variant.ty.0].kind else {
            continue;
        };
        for field in fields.iter().filter(|f| f.wire_name != tag) {
            by_name
                .entry(field.wire_name.as_str())
                .or_default()
                .push((index, field));
        }
    }
    let mut candidates: Vec<(&str, Vec<(usize, &Field)>)> = by_name
        .into_iter()
        .filter(|(_, having)| is_shared(having.len(), variants.len()))
        .filter(|(_, having)| having.iter().all(|(_, f)| f.ty == having[0].1.ty))
        .collect();
    // The most widely shared first; a stable sort keeps spec order among equals.
    candidates.sort_by_key(|(_, having)| std::cmp::Reverse(having.len()));

    let mut reserved = RESERVED.to_vec();
    let tag_accessor = snake_ident(tag);
    reserved.push(&tag_accessor);
    let mut scope = Scope::with_reserved(&reserved);
    candidates
        .into_iter()
        .map(|(wire_name, having)| SharedField {
            wire_name: wire_name.to_owned(),
            ident: scope.claim(&snake_ident(wire_name), "_"),
            ty: having[0].1.ty.clone(),
            docs: most_common_docs(&having),
            variants: having.iter().map(|(index, _)| *index).collect(),
            deprecated: if having.iter().all(|(_, f)| f.deprecated.is_some()) {
                having[0].1.deprecated.clone()
            } else {
                None
            },
        })
        .collect()
}

/// The documentation most variants give the property (the first of those
/// given equally often), or `None` when none documents it.
fn most_common_docs(having: &[(usize, &Field)]) -> Option<String> {
    let mut counts: IndexMap<&str, usize> = IndexMap::new();
    for (_, field) in having {
        if let Some(docs) = field.docs.as_deref() {
            *counts.entry(docs).or_default() += 1;
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (docs, count) in counts {
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((docs, count));
        }
    }
    best.map(|(docs, _)| docs.to_owned())
}

#[cfg(test)]
mod tests {
    use super::is_shared;

    #[test]
    fn shared_means_two_variants_and_all_or_one_in_twenty() {
        assert!(!is_shared(1, 1), "one variant shares nothing");
        assert!(is_shared(2, 2));
        assert!(is_shared(2, 3));
        assert!(is_shared(6, 109));
        assert!(!is_shared(5, 109));
        assert!(is_shared(109, 109));
        assert!(!is_shared(1, 10));
    }
}
