//! [`ValidationErrors`]: the server's own validation messages of an
//! `invalid_input` error, per parameter.
//!
//! Seam (and its fake) sends them in the error envelope as
//! `validation_errors`, the tree of zod's `error.format()`:
//! `{"_errors": [...], "<field>": {"_errors": ["..."], "<nested>": {...}}}`,
//! where array items are keyed by their index. The tree is read once into
//! dotted paths (`device_type`, `access_schedule.starts_at`,
//! `user_identity_ids.1`), in the order the server sent them.

/// The validation messages of an `invalid_input` error, per parameter.
///
/// These are the server's checks, which found a problem after the request
/// was sent; client-side checks that fail before sending are
/// [`Error::Validation`](crate::Error::Validation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    form: Vec<String>,
    fields: Vec<(String, Vec<String>)>,
}

impl ValidationErrors {
    /// Reads zod's `format()` tree. Anything but an object is no tree; inside
    /// one, a list of strings (or one string) under a key is read as that
    /// key's messages too, the shape other servers use.
    pub(crate) fn from_json(value: &serde_json::Value) -> Option<ValidationErrors> {
        let serde_json::Value::Object(root) = value else {
            return None;
        };
        let mut errors = ValidationErrors {
            form: messages(root.get("_errors")),
            fields: Vec::new(),
        };
        errors.walk(root, "");
        Some(errors)
    }

    /// Collects the messages of every node below `node`, whose path is `prefix`.
    fn walk(&mut self, node: &serde_json::Map<String, serde_json::Value>, prefix: &str) {
        for (key, value) in node {
            if key == "_errors" {
                continue;
            }
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                serde_json::Value::Object(child) => {
                    self.add(&path, messages(child.get("_errors")));
                    self.walk(child, &path);
                }
                other => self.add(&path, messages(Some(other))),
            }
        }
    }

    /// Adds `messages` at `path`, after any it already has.
    fn add(&mut self, path: &str, messages: Vec<String>) {
        if messages.is_empty() {
            return;
        }
        match self.fields.iter_mut().find(|(p, _)| p == path) {
            Some((_, existing)) => existing.extend(messages),
            None => self.fields.push((path.to_owned(), messages)),
        }
    }

    /// The messages of one parameter: a top-level one by its name
    /// (`device_type`), a nested one by its dotted path
    /// (`access_schedule.starts_at`, `user_identity_ids.1` for an item of a
    /// list). Empty when the parameter has none.
    pub fn field(&self, path: &str) -> &[String] {
        self.fields
            .iter()
            .find(|(p, _)| p == path)
            .map_or(&[], |(_, m)| m.as_slice())
    }

    /// The messages about the request as a whole (zod's top-level `_errors`).
    pub fn form_errors(&self) -> &[String] {
        &self.form
    }

    /// Every parameter that has messages, with them, in the order the server
    /// sent them (a parameter before the parameters nested in it).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> + '_ {
        self.fields.iter().map(|(p, m)| (p.as_str(), m.as_slice()))
    }

    /// Whether there is no message at all, neither per parameter nor about
    /// the request as a whole.
    pub fn is_empty(&self) -> bool {
        self.form.is_empty() && self.fields.is_empty()
    }
}

/// The messages of an `_errors` value: its strings, in order.
fn messages(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect(),
        Some(serde_json::Value::String(message)) => vec![message.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zod_tree_is_read_per_parameter_with_dotted_paths() {
        let tree = serde_json::json!({
            "_errors": ["Unrecognized key: \"colour\""],
            "device_type": {"_errors": ["Invalid enum value", "Expected string"]},
            "access_schedule": {
                "_errors": [],
                "starts_at": {"_errors": ["Invalid datetime"]}
            },
            "user_identity_ids": {"_errors": [], "1": {"_errors": ["Expected string, received number"]}},
            "legacy": ["a plain list"]
        });
        let errors = ValidationErrors::from_json(&tree).unwrap();
        assert_eq!(errors.form_errors(), ["Unrecognized key: \"colour\""]);
        assert_eq!(
            errors.field("device_type"),
            ["Invalid enum value", "Expected string"]
        );
        assert_eq!(
            errors.field("access_schedule.starts_at"),
            ["Invalid datetime"]
        );
        assert!(errors.field("access_schedule").is_empty());
        assert_eq!(
            errors.field("user_identity_ids.1"),
            ["Expected string, received number"]
        );
        assert_eq!(errors.field("legacy"), ["a plain list"]);
        assert!(errors.field("nope").is_empty());
        let paths: Vec<&str> = errors.iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "device_type",
                "access_schedule.starts_at",
                "user_identity_ids.1",
                "legacy"
            ]
        );
        assert!(!errors.is_empty());
    }

    #[test]
    fn anything_but_an_object_is_no_tree() {
        assert_eq!(ValidationErrors::from_json(&serde_json::json!("bad")), None);
        let empty = ValidationErrors::from_json(&serde_json::json!({"_errors": []})).unwrap();
        assert!(empty.is_empty());
    }
}
