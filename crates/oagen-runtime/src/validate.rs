//! Client-side checks of request fields, from the spec's constraints.
//!
//! Generated request builders run these before sending. Every failed check is
//! collected, so one [`Error::Validation`] reports all of them at once.

use crate::error::{Error, Violation};

/// Collects the violations of one request.
#[derive(Debug)]
pub struct Validator {
    operation: &'static str,
    violations: Vec<Violation>,
    /// The path of the object being checked, for fields of nested objects.
    path: Vec<String>,
}

impl Validator {
    /// Starts checking a request of `operation`.
    pub fn new(operation: &'static str) -> Self {
        Validator {
            operation,
            violations: Vec::new(),
            path: Vec::new(),
        }
    }

    fn fail(&mut self, field: &str, message: String) {
        let field = if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path.join("."))
        };
        self.violations.push(Violation { field, message });
    }

    /// Runs `checks` on the object in `field`, so that its violations name
    /// their full path (`address.city`).
    pub fn nested(&mut self, field: &str, checks: impl FnOnce(&mut Self)) {
        self.path.push(field.to_owned());
        checks(self);
        self.path.pop();
    }

    /// A required field: returns it, recording a violation when it was not set.
    pub fn take<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        self.required(field, value.as_ref());
        value
    }

    /// A required field was not set.
    pub fn required<T>(&mut self, field: &str, value: Option<&T>) {
        if value.is_none() {
            self.fail(field, "is required but was not set".to_owned());
        }
    }

    /// `minLength`: counted in characters, as JSON Schema counts them.
    pub fn min_length(&mut self, field: &str, value: &str, min: u64) {
        let len = value.chars().count() as u64;
        if len < min {
            self.fail(
                field,
                format!("must be at least {min} character(s) long, got {len}"),
            );
        }
    }

    /// `maxLength`: counted in characters, as JSON Schema counts them.
    pub fn max_length(&mut self, field: &str, value: &str, max: u64) {
        let len = value.chars().count() as u64;
        if len > max {
            self.fail(
                field,
                format!("must be at most {max} character(s) long, got {len}"),
            );
        }
    }

    /// `minItems`.
    pub fn min_items(&mut self, field: &str, len: usize, min: u64) {
        if (len as u64) < min {
            self.fail(
                field,
                format!("must have at least {min} item(s), got {len}"),
            );
        }
    }

    /// `maxItems`.
    pub fn max_items(&mut self, field: &str, len: usize, max: u64) {
        if len as u64 > max {
            self.fail(field, format!("must have at most {max} item(s), got {len}"));
        }
    }

    /// `minimum` (inclusive).
    pub fn minimum(&mut self, field: &str, value: f64, min: f64) {
        if value < min {
            self.fail(field, format!("must be at least {min}, got {value}"));
        }
    }

    /// `maximum` (inclusive).
    pub fn maximum(&mut self, field: &str, value: f64, max: f64) {
        if value > max {
            self.fail(field, format!("must be at most {max}, got {value}"));
        }
    }

    /// The error for the violations so far. Call it after a [`take`](Self::take)
    /// returned `None`, so that there is at least one.
    pub fn into_error(self) -> Error {
        Error::Validation {
            operation: self.operation,
            violations: self.violations,
        }
    }

    /// Ends the checks: `Ok` when all passed.
    pub fn finish(self) -> Result<(), Error> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation {
                operation: self.operation,
                violations: self.violations,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_violation() {
        let mut v = Validator::new("things.create");
        v.min_length("name", "", 1);
        v.max_items("ids", 2, 1);
        v.min_length("ok", "é", 1);
        v.required::<String>("key", None);
        let err = v.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "things.create: invalid request, nothing was sent: `name` must be at least 1 \
             character(s) long, got 0; `ids` must have at most 1 item(s), got 2; `key` is \
             required but was not set"
        );
    }

    #[test]
    fn nested_fields_name_their_path() {
        let mut v = Validator::new("things.create");
        v.nested("owner", |v| v.min_length("name", "", 1));
        assert_eq!(v.into_error().to_string(), "things.create: invalid request, nothing was sent: `owner.name` must be at least 1 character(s) long, got 0");
    }

    #[test]
    fn passes_when_all_hold() {
        let mut v = Validator::new("things.create");
        v.min_length("name", "x", 1);
        v.min_items("ids", 1, 1);
        v.maximum("n", 3.0, 3.0);
        assert!(v.finish().is_ok());
    }
}
