//! The seeds of `cargo xtask fuzz`: the fixture specs, the invalid specs, the
//! wire spec and the Seam spec, parsed once; and the small part of the Seam
//! spec that one input mutates.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::mutate::Rng;

/// A parsed seed spec.
pub(crate) struct Seed {
    /// Its path, relative to the checkout.
    pub(crate) name: String,
    pub(crate) value: Value,
    /// Whether the spec is big: an input takes a few of its paths.
    pub(crate) big: bool,
}

/// Every seed, in a stable order.
pub(crate) fn load(root: &Path) -> Result<Vec<Seed>, String> {
    let mut files = Vec::new();
    for dir in ["crates/oagen/tests/fixtures", "crates/oagen/tests/invalid"] {
        let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map_err(|e| format!("cannot read {dir}: {e}"))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.to_string_lossy();
                name.ends_with(".yaml") && !name.ends_with(".config.yaml")
            })
            .collect();
        specs.sort();
        files.extend(specs);
    }
    files.push(root.join("specs/wire/openapi.yaml"));
    files.push(root.join("specs/seam/openapi.json"));
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let value: Value = if path.extension().is_some_and(|e| e == "json") {
                serde_json::from_str(&text).map_err(|e| e.to_string())
            } else {
                serde_yaml::from_str(&text).map_err(|e| e.to_string())
            }
            .map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let big = text.len() > 200_000;
            Ok(Seed { name, value, big })
        })
        .collect()
}

/// A few (1 to 6) random paths of a big spec, with the component schemas
/// they reach through `$ref`s and nothing else of `components.schemas`.
pub(crate) fn subset(spec: &Value, rng: &mut Rng) -> Value {
    let mut out = spec.clone();
    let Some(Value::Object(all_paths)) = spec.get("paths") else {
        return out;
    };
    let keys: Vec<&String> = all_paths.keys().collect();
    let mut chosen = BTreeSet::new();
    for _ in 0..1 + rng.below(6) {
        if let Some(key) = rng.pick(&keys) {
            chosen.insert((*key).clone());
        }
    }
    // Spec order, not sorted order: the subset reads like the spec.
    let paths: Map<String, Value> = all_paths
        .iter()
        .filter(|(k, _)| chosen.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut reached = BTreeSet::new();
    let mut todo: Vec<&Value> = paths.values().collect();
    while let Some(node) = todo.pop() {
        for name in schema_refs(node) {
            if let Some(schema) = schemas.and_then(|s| s.get(&name)) {
                if reached.insert(name) {
                    todo.push(schema);
                }
            }
        }
    }
    if let Some(Value::Object(kept)) = out.pointer_mut("/components/schemas") {
        kept.retain(|name, _| reached.contains(name));
    }
    out["paths"] = Value::Object(paths);
    out
}

/// The names of the component schemas that `$ref`s below `node` name.
fn schema_refs(node: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.push(name.replace("~1", "/").replace("~0", "~"));
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_subset_keeps_the_schemas_its_paths_reach() {
        let spec = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"},
                "C": {"type": "string"},
            }},
        });
        let subset = subset(&spec, &mut Rng::new(1));
        let kept: Vec<&String> = subset["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["A", "B"]);
        assert_eq!(subset["paths"], spec["paths"]);
    }
}
