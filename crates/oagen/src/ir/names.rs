//! Naming: turning spec names into Rust identifiers that are valid, unique and
//! read naturally.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords of every edition. Those that raw identifiers can spell are
/// emitted as `r#name`; the rest get a trailing underscore.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` must be written `r#name`.
pub fn needs_raw(name: &str) -> bool {
    is_keyword(name) && !NOT_RAW.contains(&name)
}

/// A snake_case identifier for a field, parameter or method. Characters that
/// cannot be in an identifier become word breaks; a leading digit gets a `_`
/// prefix; keywords that raw identifiers cannot spell get a `_` suffix.
pub fn snake_ident(name: &str) -> String {
    let cleaned = clean(name);
    let mut snake = cleaned.to_snake_case();
    if snake.is_empty() {
        snake = "field".to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    if NOT_RAW.contains(&snake.as_str()) {
        snake.push('_');
    }
    snake
}

/// An UpperCamelCase identifier for a type.
pub fn type_ident(name: &str) -> String {
    let cleaned = clean(name);
    let mut camel = cleaned.to_upper_camel_case();
    if camel.is_empty() {
        camel = "Type".to_owned();
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'T');
    }
    if is_keyword(&camel) {
        camel.push('_');
    }
    camel
}

fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Hands out names that are unique within one scope: a taken name gets the
/// smallest numeric suffix that is free (`Name2`, `name_2`).
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is not taken yet.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// `name`, or `name` with a suffix when taken. `separator` goes between the
    /// name and the number (`_` for snake_case, empty for UpperCamelCase).
    pub fn claim(&mut self, name: &str, separator: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        (2..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always has a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_idents() {
        assert_eq!(snake_ident("user_identifier_key"), "user_identifier_key");
        assert_eq!(snake_ident("connectedAccountIds"), "connected_account_ids");
        assert_eq!(snake_ident("seam-workspace"), "seam_workspace");
        assert_eq!(snake_ident("$ref"), "ref");
        assert_eq!(snake_ident("2fa"), "_2fa");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident(""), "field");
        assert!(needs_raw(&snake_ident("type")));
        assert!(!needs_raw(&snake_ident("self")));
    }

    #[test]
    fn type_idents() {
        assert_eq!(type_ident("client_session"), "ClientSession");
        assert_eq!(type_ident("acs.credential"), "AcsCredential");
        assert_eq!(type_ident("3d_model"), "T3dModel");
        assert_eq!(type_ident("Self"), "Self_");
    }

    #[test]
    fn scopes_suffix_collisions() {
        let mut scope = Scope::with_reserved(&["Seam"]);
        assert_eq!(scope.claim("Seam", ""), "Seam2");
        assert_eq!(scope.claim("Thing", ""), "Thing");
        assert_eq!(scope.claim("Thing", ""), "Thing2");
        assert_eq!(scope.claim("Thing", ""), "Thing3");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("a_b", "_"), "a_b");
        assert_eq!(fields.claim("a_b", "_"), "a_b_2");
    }
}
