//! OpenAPI 3.1 documents are read by rewriting the few 3.1 constructs that
//! matter to a client into their 3.0 form, before typing:
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A}, {type: B}]` |
//! | `type: "null"` | `nullable: true`, no type |
//! | `const: v` (a scalar) | `enum: [v]` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n`, `exclusiveMinimum: true` (and maximum) |
//! | `examples: [..]` in a schema | `example: <the first>` |
//! | no `paths` | `paths: {}` |
//! | `webhooks` | dropped: a client does not receive them |
//! | a boolean schema in `properties` or `items` | `true`: `{}`; `false`: the property is dropped |
//!
//! Schema keywords a 3.0 reader ignores (`prefixItems`, `contentMediaType`,
//! `$schema`, ...) are left alone and so ignored. Each rewrite is keyed on the
//! value's JSON type, so a property that happens to be named `type` or
//! `const` (an object in a `properties` map) is never touched.

use serde_json::{Map, Value};

/// Rewrites a 3.1 document into 3.0 in place; returns how many nodes changed.
pub(super) fn downgrade(doc: &mut Value) -> usize {
    let mut changed = 0;
    if let Value::Object(root) = doc {
        root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
        root.remove("webhooks");
        root.remove("jsonSchemaDialect");
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(info)) = root.get_mut("info") {
            if let Some(Value::Object(license)) = info.get_mut("license") {
                license.remove("identifier");
            }
            info.remove("summary");
        }
    }
    walk(doc, &mut changed);
    changed
}

fn walk(value: &mut Value, changed: &mut usize) {
    match value {
        Value::Object(map) => {
            rewrite_node(map, changed);
            map.values_mut().for_each(|v| walk(v, changed));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, changed)),
        _ => {}
    }
}

fn rewrite_node(map: &mut Map<String, Value>, changed: &mut usize) {
    // Boolean schemas: `true` admits anything, `false` nothing.
    // Only a real `properties` map, whose values are all schemas: a
    // property that happens to be named `properties` is a schema itself.
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        if !properties.values().all(|v| v.is_object() || v.is_boolean()) {
            return rewrite_rest(map, changed);
        }
        let before = properties.len();
        properties.retain(|_, v| *v != Value::Bool(false));
        *changed += before - properties.len();
        for value in properties.values_mut() {
            if *value == Value::Bool(true) {
                *value = Value::Object(Map::new());
                *changed += 1;
            }
        }
    }
    if map.get("items") == Some(&Value::Bool(true)) {
        map.insert("items".to_owned(), Value::Object(Map::new()));
        *changed += 1;
    }
    rewrite_rest(map, changed);
}

/// Everything but boolean schemas.
fn rewrite_rest(map: &mut Map<String, Value>, changed: &mut usize) {
    match map.get("type") {
        Some(Value::Array(types)) => {
            let names: Vec<String> = types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            let nullable = names.iter().any(|t| t == "null");
            let rest: Vec<String> = names.into_iter().filter(|t| t != "null").collect();
            map.remove("type");
            match rest.as_slice() {
                [] => {}
                [one] => {
                    map.insert("type".to_owned(), Value::String(one.clone()));
                }
                many => {
                    let variants = many
                        .iter()
                        .map(|t| {
                            let mut v = Map::new();
                            v.insert("type".to_owned(), Value::String(t.clone()));
                            // `items` belongs to the array variant.
                            if t == "array" {
                                if let Some(items) = map.get("items") {
                                    v.insert("items".to_owned(), items.clone());
                                }
                            }
                            Value::Object(v)
                        })
                        .collect();
                    map.remove("items");
                    map.insert("anyOf".to_owned(), Value::Array(variants));
                }
            }
            if nullable {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
            *changed += 1;
        }
        Some(Value::String(t)) if t == "null" => {
            map.remove("type");
            map.insert("nullable".to_owned(), Value::Bool(true));
            *changed += 1;
        }
        _ => {}
    }
    if let Some(c) = map.get("const") {
        if !c.is_object() && !c.is_array() {
            let c = c.clone();
            map.remove("const");
            map.insert("enum".to_owned(), Value::Array(vec![c]));
            *changed += 1;
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive) {
            let n = Value::Number(n.clone());
            map.insert(bound.to_owned(), n);
            map.insert(exclusive.to_owned(), Value::Bool(true));
            *changed += 1;
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
        *changed += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_become_3_0() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "x", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {},
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "type": {"type": ["string", "null"]},
                    "const": {"const": "fixed"},
                    "n": {"type": "number", "exclusiveMinimum": 0, "examples": [1, 2]},
                    "either": {"type": ["string", "array"], "items": {"type": "integer"}},
                    "nothing": {"type": "null"},
                    "never": false,
                    "anything": true,
                    "properties": {"nullable": true, "type": "object"}
                }
            }}}
        });
        assert!(downgrade(&mut doc) > 0);
        let props = doc.pointer("/components/schemas/A/properties").unwrap();
        assert_eq!(props["type"], json!({"type": "string", "nullable": true}));
        assert_eq!(props["const"], json!({"enum": ["fixed"]}));
        assert_eq!(
            props["n"],
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "example": 1})
        );
        assert_eq!(
            props["either"],
            json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]})
        );
        assert_eq!(props["nothing"], json!({"nullable": true}));
        assert!(props.get("never").is_none());
        assert_eq!(props["anything"], json!({}));
        // A property named `properties` is left as it is.
        assert_eq!(
            props["properties"],
            json!({"nullable": true, "type": "object"})
        );
        assert_eq!(doc["openapi"], json!("3.0.3"));
        assert!(doc.get("webhooks").is_none());
        assert_eq!(doc["paths"], json!({}));
    }
}
