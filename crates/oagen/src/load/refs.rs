//! `$ref`s that point inside other parts of the document
//! (`#/paths/~1pets/get/responses/200/content/application~1json/schema`,
//! `#/components/schemas/Pet/properties/id`) are valid OpenAPI, but the rest
//! of the pipeline resolves only references to components by name. Before the
//! document is typed, each such target is copied into `components` under a
//! name derived from its pointer, and the reference is rewritten to it.
//!
//! Also dropped here: `callbacks`, which the generator does not use and whose
//! `$ref`s `openapiv3` cannot read.

use std::collections::BTreeMap;

use serde_json::Value;

/// A local reference that is not `#/components/<kind>/<name>`.
fn is_deep(reference: &str) -> bool {
    match reference.strip_prefix("#/") {
        Some(path) => {
            let segments: Vec<&str> = path.split('/').collect();
            !(segments.len() == 3 && segments[0] == "components")
        }
        None => false,
    }
}

/// Rewrites every deep local `$ref` of `doc` to a component holding a copy
/// of its target, and removes operations' `callbacks`. Returns the pointers
/// that were hoisted, with the component each became.
pub(super) fn rewrite(doc: &mut Value) -> Vec<(String, String)> {
    remove_callbacks(doc);
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    // A copied target may itself hold deep references: repeat until none is
    // left (bounded, since every round only copies parts of the document).
    for _ in 0..8 {
        let mut refs = Vec::new();
        collect_deep(doc, &mut refs);
        refs.retain(|r| !hoisted.contains_key(r));
        refs.sort();
        refs.dedup();
        if refs.is_empty() {
            break;
        }
        for reference in refs {
            let Some(target) = doc.pointer(&decode(&reference[1..])).cloned() else {
                // A dangling reference: lowering reports it with its place.
                continue;
            };
            let kind = kind_of(&reference);
            let name = unique_name(doc, kind, &derived_name(&reference));
            let components = doc.as_object_mut().map(|d| {
                d.entry("components")
                    .or_insert_with(|| Value::Object(Default::default()))
            });
            if let Some(Value::Object(components)) = components {
                let section = components
                    .entry(kind)
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Value::Object(section) = section {
                    section.insert(name.clone(), target);
                }
            }
            hoisted.insert(reference, format!("#/components/{kind}/{name}"));
        }
        replace_refs(doc, &hoisted);
    }
    hoisted.into_iter().collect()
}

fn remove_callbacks(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        if let Value::Object(item) = item {
            for op in item.values_mut() {
                if let Value::Object(op) = op {
                    op.remove("callbacks");
                }
            }
        }
    }
}

fn collect_deep(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if is_deep(r) {
                    out.push(r.clone());
                }
            }
            map.values().for_each(|v| collect_deep(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_deep(v, out)),
        _ => {}
    }
}

fn replace_refs(value: &mut Value, hoisted: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(to) = hoisted.get(r.as_str()) {
                    *r = to.clone();
                }
            }
            map.values_mut().for_each(|v| replace_refs(v, hoisted));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_refs(v, hoisted)),
        _ => {}
    }
}

/// A reference's pointer with `%XX` escapes decoded (a `$ref` is a URI
/// fragment); `~0`/`~1` stay for `Value::pointer`.
fn decode(pointer: &str) -> String {
    percent_encoding::percent_decode_str(pointer)
        .decode_utf8_lossy()
        .into_owned()
}

/// Which section of `components` a target belongs in, from where it is.
fn kind_of(reference: &str) -> &'static str {
    let segments: Vec<&str> = reference.split('/').collect();
    let n = segments.len();
    let parent = n.checked_sub(2).map(|i| segments[i]);
    let grandparent = n.checked_sub(3).map(|i| segments[i]);
    match (grandparent, parent, segments.last().copied()) {
        (Some(g), Some("responses"), _) if g != "properties" => "responses",
        (Some(g), Some("parameters"), _) if g != "properties" => "parameters",
        (_, _, Some("requestBody")) => "requestBodies",
        _ => "schemas",
    }
}

/// A readable name from the meaningful segments of a pointer:
/// `#/components/schemas/Disk/properties/filesystem` → `Disk_filesystem`.
fn derived_name(reference: &str) -> String {
    const SKIP: &[&str] = &[
        "#",
        "components",
        "schemas",
        "paths",
        "properties",
        "content",
        "schema",
        "items",
        "responses",
        "parameters",
        "requestBody",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
    ];
    let parts: Vec<String> = decode(reference)
        .split('/')
        .filter(|s| !SKIP.contains(s) && !s.contains("~1json") && !s.is_empty())
        .map(|s| {
            s.replace("~1", "_")
                .replace("~0", "_")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
        })
        .map(|s| {
            s.split('_')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        })
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        "Shared".to_owned()
    } else {
        parts.join("_")
    }
}

fn unique_name(doc: &Value, kind: &str, base: &str) -> String {
    let taken = |name: &str| {
        doc.get("components")
            .and_then(|c| c.get(kind))
            .and_then(|s| s.get(name))
            .is_some()
    };
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken(n))
        .expect("an unbounded range has a free name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_refs_become_components() {
        let mut doc = json!({
            "openapi": "3.0.0",
            "paths": {"/a/{id}": {"get": {
                "callbacks": {"x": {"$ref": "#/components/callbacks/x"}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "string"}}}},
                    "404": {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200"},
                    "201": {"content": {"application/json": {"schema": {
                        "$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema"
                    }}}}
                }
            }}},
            "components": {"schemas": {"Disk": {"properties": {"fs": {"type": "string"}}},
                "Backup": {"properties": {"fs": {"$ref": "#/components/schemas/Disk/properties/fs"}}}}}
        });
        let hoisted = rewrite(&mut doc);
        assert_eq!(hoisted.len(), 3, "{hoisted:?}");
        assert_eq!(
            doc.pointer("/components/schemas/Backup/properties/fs/$ref"),
            Some(&json!("#/components/schemas/Disk_fs"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Disk_fs"),
            Some(&json!({"type": "string"}))
        );
        let get = doc.pointer("/paths/~1a~1{id}/get").unwrap();
        assert!(get.get("callbacks").is_none());
        assert_eq!(
            get.pointer("/responses/404/$ref"),
            Some(&json!("#/components/responses/a_id_get_200"))
        );
        // Escapes are decoded; a stray `%` before a multi-byte character is kept.
        assert_eq!(decode("/a~1%7Bid%7D/%é"), "/a~1{id}/%é");
    }
}
