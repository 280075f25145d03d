//! Diagnostics: every problem a stage finds, each with the JSON pointer of the
//! spec node it is about. Stages collect them and the pipeline stops at the
//! stage boundary when any is an error, so one run reports everything.

use std::fmt;

/// A JSON pointer into the spec (RFC 6901), written with a leading `#`, for
/// example `#/paths/~1client_sessions~1create/post`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// This pointer extended by one reference token, escaped as RFC 6901 says.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        let escaped = token.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{escaped}", self.0))
    }

    /// A pointer from a local `$ref` such as `#/components/schemas/thing`.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.to_owned())
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on, but the output is less precise than the spec (for
    /// example a schema became `serde_json::Value`).
    Warning,
    /// The spec cannot be generated.
    Error,
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the spec.
    pub pointer: Pointer,
    /// What is wrong, in one line.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{level}: {}: {}",
            Escaped(self.pointer.as_str()),
            Escaped(&self.message)
        )
    }
}

/// Text from a spec as it is printed to a terminal: control characters
/// (ESC, a carriage return, a newline...) written as Rust escapes
/// (`\u{1b}`), so that a spec cannot move the cursor, recolour or clear the
/// terminal, or break a diagnostic over lines.
struct Escaped<'t>(&'t str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub fn error(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            pointer: pointer.clone(),
            message: message.into(),
        });
    }

    /// Records a warning.
    pub fn warning(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.clone(),
            message: message.into(),
        });
    }

    /// Records a diagnostic made elsewhere.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Appends another stage's diagnostics.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        let p = Pointer::root()
            .push("paths")
            .push("/client_sessions/create")
            .push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1client_sessions~1create/a~0b");
    }

    #[test]
    fn control_characters_are_printed_escaped() {
        let mut diags = Diagnostics::default();
        diags.error(
            &Pointer::root().push("paths").push("/a\u{1b}[2J"),
            "name `x\u{1b}]0;pwned\u{7}` \r\n bad, é stays",
        );
        assert_eq!(
            diags.to_string(),
            "error: #/paths/~1a\\u{1b}[2J: name `x\\u{1b}]0;pwned\\u{7}` \\u{d}\\u{a} bad, é stays\n"
        );
    }
}
