//! Query strings from JSON values, the way Seam's SDKs write them
//! (`@seamapi/url-search-params-serializer`, the reference for every Seam
//! SDK), for requests the generated methods do not cover: a generic `GET`
//! with parameters.
//!
//! - `null` is an empty value (`foo=`); an empty string is no parameter at all,
//!   so that `foo=` keeps meaning `null`.
//! - Numbers and booleans are their JSON text; strings are themselves.
//! - Arrays repeat the key (`foo=1&foo=2`); an empty array is `foo=`.
//!   Arrays of `null`, of empty strings, of arrays or of objects cannot be
//!   written and are refused.
//! - Objects are flattened to dot paths (`bar.baz=b`); an empty object is no
//!   parameter; a key with a `.` cannot be written and is refused.
//! - Keys are sorted, and the text is `application/x-www-form-urlencoded`
//!   (what `URLSearchParams.toString()` writes: spaces as `+`).

use serde_json::Value;

/// The query string of `params`, an object; without the leading `?`.
pub fn serialize(params: &Value) -> Result<String, String> {
    let Value::Object(map) = params else {
        return Err(format!(
            "query parameters must be a JSON object, not {}",
            kind(params)
        ));
    };
    let mut pairs = Vec::new();
    flatten("", map, &mut pairs)?;
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        out.append_pair(key, value);
    }
    Ok(out.finish())
}

fn flatten(
    prefix: &str,
    map: &serde_json::Map<String, Value>,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    for (key, value) in map {
        if key.contains('.') {
            return Err(format!(
                "the query parameter `{prefix}{key}` cannot be written: its name has a `.`"
            ));
        }
        let name = format!("{prefix}{key}");
        match value {
            Value::Null => out.push((name, String::new())),
            Value::String(s) if s.is_empty() => {}
            Value::Array(items) if items.is_empty() => out.push((name, String::new())),
            Value::Array(items) => {
                for item in items {
                    match scalar(item) {
                        Some(text) if !text.is_empty() => out.push((name.clone(), text)),
                        _ => {
                            return Err(format!(
                                "the query parameter `{name}` cannot be written: an array of {}",
                                if item.as_str() == Some("") {
                                    "empty strings"
                                } else {
                                    kind(item)
                                }
                            ))
                        }
                    }
                }
            }
            Value::Object(inner) => flatten(&format!("{name}."), inner, out)?,
            scalar_value => out.push((name, scalar(scalar_value).unwrap_or_default())),
        }
    }
    Ok(())
}

/// The text of a string, number or boolean.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "arrays",
        Value::Object(_) => "objects",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reference_serializer_s_rules() {
        let q = |v: Value| serialize(&v).unwrap();
        assert_eq!(
            q(json!({"name": "Dax", "age": 27, "isAdmin": true, "tags": ["cars", "planes"]})),
            "age=27&isAdmin=true&name=Dax&tags=cars&tags=planes"
        );
        assert_eq!(q(json!({"foo": null})), "foo=");
        assert_eq!(q(json!({"foo": "", "bar": 1})), "bar=1");
        assert_eq!(q(json!({"foo": [1]})), "foo=1");
        assert_eq!(q(json!({"foo": []})), "foo=");
        assert_eq!(
            q(json!({"foo": "a", "bar": {"baz": "b", "fizz": [1, 2]}})),
            "bar.baz=b&bar.fizz=1&bar.fizz=2&foo=a"
        );
        assert_eq!(
            q(json!({"foo": {}, "bar": {"baz": {}}, "fizz": 1})),
            "fizz=1"
        );
        assert_eq!(
            q(json!({"at": "1970-01-01T00:00:00.000Z", "q": "a b&c"})),
            "at=1970-01-01T00%3A00%3A00.000Z&q=a+b%26c"
        );
    }

    #[test]
    fn what_cannot_be_written_is_refused() {
        for bad in [
            json!({"foo": [null]}),
            json!({"foo": [""]}),
            json!({"foo": [[1]]}),
            json!({"foo": [{"a": 1}]}),
            json!({"a.b": 1}),
            json!([1, 2]),
        ] {
            assert!(serialize(&bad).is_err(), "{bad}");
        }
    }
}
