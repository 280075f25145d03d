//! Greedy minimization of a finding: delete object keys and array items, or
//! replace subtrees with `null`, for as long as the same finding reproduces
//! and time is left.

use std::time::Instant;

use serde_json::Value;

use super::mutate::{get_mut, paths, Step};

/// The smallest `value` found before `deadline` for which `reproduces` still
/// holds. `reproduces(value)` is assumed true on entry.
///
/// Pass after pass, every node (root first, so big subtrees go first) is
/// tried deleted, then replaced by `null`; a change is kept when the
/// finding reproduces. It stops after a pass that changed nothing, or at the
/// deadline.
pub(crate) fn minimize(
    value: &Value,
    deadline: Instant,
    mut reproduces: impl FnMut(&Value) -> bool,
) -> Value {
    let mut best = value.clone();
    loop {
        let mut changed = false;
        let mut i = 0;
        loop {
            let all = paths(&best);
            let Some(path) = all.get(i) else { break };
            if Instant::now() >= deadline {
                return best;
            }
            let candidates = [deleted(&best, path), nulled(&best, path)];
            match candidates
                .into_iter()
                .flatten()
                .find(|candidate| reproduces(candidate))
            {
                // The nodes after `i` moved; the same index is the next node.
                Some(smaller) => {
                    best = smaller;
                    changed = true;
                }
                None => i += 1,
            }
        }
        if !changed {
            return best;
        }
    }
}

/// `value` without the node at `path` (none for the root).
fn deleted(value: &Value, path: &[Step]) -> Option<Value> {
    let (last, parent) = path.split_last()?;
    let mut copy = value.clone();
    match (get_mut(&mut copy, parent)?, last) {
        (Value::Object(map), Step::Key(key)) => {
            map.shift_remove(key)?;
        }
        (Value::Array(items), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => return None,
    }
    Some(copy)
}

/// `value` with `null` at `path` (none where there is a `null` or a scalar
/// already: that would not make it smaller).
fn nulled(value: &Value, path: &[Step]) -> Option<Value> {
    let mut copy = value.clone();
    let node = get_mut(&mut copy, path)?;
    if !matches!(node, Value::Object(_) | Value::Array(_)) {
        return None;
    }
    *node = Value::Null;
    Some(copy)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn contains_needle(value: &Value) -> bool {
        match value {
            Value::String(s) => s == "needle",
            Value::Object(map) => map.values().any(contains_needle),
            Value::Array(items) => items.iter().any(contains_needle),
            _ => false,
        }
    }

    #[test]
    fn keeps_only_what_the_finding_needs() {
        let input = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"tags": ["x", "needle", "y"], "responses": {}}}},
            "components": {"schemas": {"A": {"type": "object"}}},
        });
        // The finding: a `paths` key with a `needle` somewhere below it.
        let mut calls = 0;
        let min = minimize(&input, Instant::now() + Duration::from_secs(60), |v| {
            calls += 1;
            v.get("paths").is_some_and(contains_needle)
        });
        assert_eq!(min, json!({"paths": {"/a": {"get": {"tags": ["needle"]}}}}));
        assert!(calls > 5);
    }

    #[test]
    fn replaces_with_null_where_deleting_loses_the_finding() {
        // The finding needs key `k` present, with any value.
        let input = json!({"k": {"deep": [1, 2, {"x": 3}]}, "other": [4]});
        let min = minimize(&input, Instant::now() + Duration::from_secs(60), |v| {
            v.get("k").is_some()
        });
        assert_eq!(min, json!({"k": null}));
    }

    #[test]
    fn stops_at_the_deadline_with_a_reproducing_value() {
        let input = json!({"a": [1, 2, 3], "b": {"c": "needle"}});
        let min = minimize(&input, Instant::now(), contains_needle);
        assert_eq!(min, input);
    }
}
