//! Stage 1, load: read a spec file (YAML or JSON) into `openapiv3` types.
//!
//! Syntax errors are reported with their line and column; documents that parse
//! but do not fit the OpenAPI 3.0 model are reported with the JSON pointer of
//! the node that does not fit. Swagger 2.0 is refused with a one-line reason;
//! OpenAPI 3.1 is rewritten into 3.0 first (see `v31`), with a warning.

mod integrity;
mod nesting;
mod refs;
mod v31;

use std::path::Path;

pub use nesting::MAX_NESTING;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer, Severity};

/// A loaded spec.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed document.
    pub spec: openapiv3::OpenAPI,
    /// What loading had to adapt (an OpenAPI 3.1 document read as 3.0).
    pub warnings: Diagnostics,
}

/// Reads and parses the file at `path`.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let mut d = Diagnostics::default();
        d.error(
            &Pointer::root(),
            format!("cannot read {}: {e}", path.display()),
        );
        d
    })?;
    load_str(&text)
}

/// Parses a spec from text, JSON or YAML. JSON is a subset of YAML, but the
/// JSON parser is an order of magnitude faster on large specs, so text that
/// starts like JSON is read as JSON first. Text that nests deeper than
/// [`nesting::MAX_NESTING`] is refused before any parser reads it.
pub fn load_str(text: &str) -> Result<Loaded, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut value = match parse(text) {
        Ok(value) => value,
        Err(error) => {
            diags.push(error);
            return Err(diags);
        }
    };
    let version = check_version(&value, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    if version == Version::V31 {
        let changed = v31::downgrade(&mut value);
        diags.warning(
            &Pointer::root().push("openapi"),
            format!("OpenAPI 3.1 is read as 3.0: {changed} schema construct(s) rewritten (type lists, const, numeric exclusive bounds, examples); webhooks are ignored"),
        );
    }
    integrity::check(&mut value, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    refs::rewrite(&mut value);
    mark_explicit_explode(&mut value);
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(spec) => Ok(Loaded {
            spec,
            warnings: diags,
        }),
        Err(e) => {
            let (pointer, message) = locate(&value).unwrap_or_else(|| {
                (
                    path_to_pointer(&Pointer::root(), e.path()),
                    e.inner().to_string(),
                )
            });
            diags.error(
                &pointer,
                format!("does not match the OpenAPI 3.0 schema: {message}"),
            );
            Err(diags)
        }
    }
}

/// The text as a tree: JSON (when it starts like JSON and parses as such)
/// or YAML, each after the nesting bound is checked.
fn parse(text: &str) -> Result<serde_json::Value, Diagnostic> {
    let too_deep = |pointer: Pointer, place: String| {
        Diagnostic {
        severity: Severity::Error,
        pointer,
        message: format!(
            "the document nests objects and arrays more than {MAX_NESTING} deep{place}; no OpenAPI document needs that many levels"
        ),
    }
    };
    if text.trim_start().starts_with('{') {
        if let Some(tokens) = nesting::json_too_deep(text) {
            let pointer = tokens.iter().fold(Pointer::root(), |p, t| p.push(t));
            return Err(too_deep(pointer, String::new()));
        }
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
    }
    if let Some((line, column)) = nesting::yaml_too_deep(text) {
        return Err(too_deep(
            Pointer::root(),
            format!(" (at line {line}, column {column})"),
        ));
    }
    serde_yaml::from_str(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Diagnostic {
            severity: Severity::Error,
            pointer: Pointer::root(),
            message: format!("not valid YAML or JSON{place}: {e}"),
        }
    })
}

/// The extension that keeps an encoding object's `explode: false`, which
/// `openapiv3` cannot tell from a missing `explode` (both read as `false`,
/// while the spec's default for style form is `true`).
pub const EXPLODE_FALSE: &str = "x-oagen-explode-false";

/// Adds [`EXPLODE_FALSE`] to every encoding object (an entry of an
/// `encoding` map) that says `explode: false`.
fn mark_explicit_explode(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(encodings)) = map.get_mut("encoding") {
                for encoding in encodings.values_mut() {
                    if let serde_json::Value::Object(encoding) = encoding {
                        if encoding.get("explode") == Some(&serde_json::Value::Bool(false)) {
                            encoding
                                .insert(EXPLODE_FALSE.to_owned(), serde_json::Value::Bool(true));
                        }
                    }
                }
            }
            map.values_mut().for_each(mark_explicit_explode);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mark_explicit_explode),
        _ => {}
    }
}

/// Some `openapiv3` maps deserialize through flattening, which hides the path
/// of an error inside them. Deserializing their entries one by one finds it.
fn locate(value: &serde_json::Value) -> Option<(Pointer, String)> {
    fn each<T: serde::de::DeserializeOwned>(
        map: Option<&serde_json::Value>,
        base: Pointer,
    ) -> Option<(Pointer, String)> {
        let map = map?.as_object()?;
        map.iter().find_map(|(key, item)| {
            let base = base.push(key);
            serde_path_to_error::deserialize::<_, T>(item)
                .err()
                .map(|e| (path_to_pointer(&base, e.path()), e.inner().to_string()))
        })
    }
    let root = Pointer::root();
    let components = value.get("components");
    let at = |name: &str| components.and_then(|c| c.get(name));
    let comp = root.push("components");
    each::<openapiv3::PathItem>(value.get("paths"), root.push("paths"))
        .or_else(|| {
            each::<openapiv3::ReferenceOr<openapiv3::Schema>>(at("schemas"), comp.push("schemas"))
        })
        .or_else(|| {
            each::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                at("parameters"),
                comp.push("parameters"),
            )
        })
        .or_else(|| {
            each::<openapiv3::ReferenceOr<openapiv3::Response>>(
                at("responses"),
                comp.push("responses"),
            )
        })
        .or_else(|| {
            each::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                at("requestBodies"),
                comp.push("requestBodies"),
            )
        })
        .or_else(|| {
            each::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(
                at("securitySchemes"),
                comp.push("securitySchemes"),
            )
        })
}

/// The OpenAPI versions read.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    V30,
    V31,
    Refused,
}

fn check_version(value: &serde_json::Value, diags: &mut Diagnostics) -> Version {
    let root = Pointer::root();
    if let Some(swagger) = value.get("swagger") {
        diags.error(
            &root.push("swagger"),
            format!(
                "Swagger {} is not supported; convert the document to OpenAPI 3.0 first",
                display_scalar(swagger)
            ),
        );
        return Version::Refused;
    }
    match value.get("openapi") {
        None => {
            diags.error(
                &root,
                "not an OpenAPI document: the `openapi` version field is missing",
            );
            Version::Refused
        }
        Some(v) => {
            let version = display_scalar(v);
            if version.starts_with("3.0") {
                Version::V30
            } else if version.starts_with("3.1") {
                Version::V31
            } else {
                diags.error(
                    &root.push("openapi"),
                    format!("OpenAPI {version} is not supported; only OpenAPI 3.0.x and 3.1.x are"),
                );
                Version::Refused
            }
        }
    }
}

fn display_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn path_to_pointer(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter().fold(base.clone(), |p, segment| match segment {
        Segment::Seq { index } => p.push(index.to_string()),
        Segment::Map { key } => p.push(key),
        Segment::Enum { variant } => p.push(variant),
        Segment::Unknown => p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        load_str(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn swagger_2_is_refused_in_one_line() {
        assert_eq!(
            errors("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n"),
            ["error: #/swagger: Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first"]
        );
    }

    #[test]
    fn openapi_3_1_is_read_with_a_warning_and_4_0_is_refused() {
        let loaded = load_str("openapi: 3.1.0\ninfo: {title: x, version: '1'}\n").unwrap();
        assert_eq!(loaded.warnings.iter().count(), 1);
        assert!(loaded
            .warnings
            .iter()
            .next()
            .unwrap()
            .to_string()
            .starts_with("warning: #/openapi: OpenAPI 3.1 is read as 3.0"));
        assert_eq!(
            errors("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"),
            ["error: #/openapi: OpenAPI 4.0.0 is not supported; only OpenAPI 3.0.x and 3.1.x are"]
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = errors("openapi: 3.0.0\ninfo: [unclosed\n");
        assert!(e[0].contains("line"), "{e:?}");
    }

    #[test]
    fn shape_errors_have_a_pointer() {
        let e = errors(
            "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    post:\n      responses: 7\n",
        );
        assert!(
            e[0].starts_with("error: #/paths/~1a/post/responses: "),
            "{e:?}"
        );
    }
}
