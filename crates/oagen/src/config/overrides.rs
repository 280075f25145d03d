//! Type overrides: where a spec says less than the API means (`type: number`
//! for a count, `type: string` for a timestamp), the configuration names the
//! schemas and the type they get instead. Lowering applies them, so the IR
//! and everything after it only see the new type.
//!
//! This file holds what an override says and the matching that needs no
//! spec (names, pointer patterns); `ir/overrides.rs` applies them.

use std::fmt;

/// Replaces the type of every schema it matches. The first override of
/// [`Config::type_overrides`](super::Config::type_overrides) that matches a
/// schema applies; one that matches nothing is a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeOverride {
    /// Which schemas: by property or parameter name, or by pointer.
    pub target: OverrideTarget,
    /// Only in requests: properties of request bodies defined in an
    /// operation, and parameters (what the request builder's setters take).
    /// Component schemas are lowered once, as response types too, and are
    /// not requests here even when a body refers to them.
    pub requests_only: bool,
    /// Only where the spec's schema is of this type.
    pub when: Option<SpecType>,
    /// The type the schema gets.
    pub ty: OverrideType,
}

impl TypeOverride {
    /// An override of every property and parameter named `name`.
    pub fn named(name: &str, ty: OverrideType) -> Self {
        TypeOverride {
            target: OverrideTarget::Name(name.to_owned()),
            requests_only: false,
            when: None,
            ty,
        }
    }

    /// An override of the schemas at `pointer`, a JSON pointer written with
    /// a leading `#` (see [`OverrideTarget::Pointer`]).
    pub fn at(pointer: &str, ty: OverrideType) -> Self {
        TypeOverride {
            target: OverrideTarget::Pointer(pointer.to_owned()),
            requests_only: false,
            when: None,
            ty,
        }
    }

    /// This override, limited to requests.
    pub fn requests_only(mut self) -> Self {
        self.requests_only = true;
        self
    }

    /// This override, limited to schemas of the spec type `when`.
    pub fn when(mut self, when: SpecType) -> Self {
        self.when = Some(when);
        self
    }
}

impl fmt::Display for TypeOverride {
    /// The override in words, for diagnostics: ``name `limit` (requests
    /// only) → `u32` ``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            OverrideTarget::Name(name) => write!(f, "name `{name}`")?,
            OverrideTarget::Pointer(pointer) => write!(f, "pointer `{pointer}`")?,
        }
        let mut conditions = Vec::new();
        if self.requests_only {
            conditions.push("requests only".to_owned());
        }
        if let Some(when) = &self.when {
            conditions.push(format!("when {when}"));
        }
        if !conditions.is_empty() {
            write!(f, " ({})", conditions.join(", "))?;
        }
        write!(f, " → `{}`", self.ty.name())
    }
}

/// The schemas a [`TypeOverride`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideTarget {
    /// Every property of an object and every parameter with this name on
    /// the wire.
    Name(String),
    /// The schema at this JSON pointer: `#/components/schemas/Pet`, a
    /// property (`.../schema/properties/limit`), array items (`.../items`),
    /// a parameter (`.../parameters/0`) or its schema. Tokens are escaped
    /// as in RFC 6901 (`/pets/{id}` is `~1pets~1{id}`); a token `*` matches
    /// any one token. The pointers are those the generator's diagnostics
    /// name: the properties of a merged `allOf` are under the merged
    /// schema's own `properties`.
    Pointer(String),
}

/// The type a [`TypeOverride`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideType {
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `String`.
    String,
    /// `chrono::DateTime<Utc>`, written in RFC 3339.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `serde_json::Value`.
    Json,
}

impl OverrideType {
    /// Every type, in the order the configuration file's documentation lists them.
    pub const ALL: [OverrideType; 10] = [
        OverrideType::U32,
        OverrideType::U64,
        OverrideType::I32,
        OverrideType::I64,
        OverrideType::F64,
        OverrideType::Bool,
        OverrideType::String,
        OverrideType::DateTime,
        OverrideType::Date,
        OverrideType::Json,
    ];

    /// The name in a configuration file: `u32`, `date-time`, `json`.
    pub fn name(self) -> &'static str {
        match self {
            OverrideType::U32 => "u32",
            OverrideType::U64 => "u64",
            OverrideType::I32 => "i32",
            OverrideType::I64 => "i64",
            OverrideType::F64 => "f64",
            OverrideType::Bool => "bool",
            OverrideType::String => "string",
            OverrideType::DateTime => "date-time",
            OverrideType::Date => "date",
            OverrideType::Json => "json",
        }
    }

    /// The type named `name` in a configuration file.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// A condition on the spec's own schema: its `type` (after a schema without
/// one has been typed by its keywords) and its `format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecType {
    /// The `type`.
    pub ty: JsonType,
    /// The `format`.
    pub format: SpecFormat,
}

impl SpecType {
    /// `type: string` without a `format`: the text a spec gives when it
    /// does not say what the text holds.
    pub fn string_without_format() -> Self {
        SpecType {
            ty: JsonType::String,
            format: SpecFormat::None,
        }
    }
}

impl fmt::Display for SpecType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`type: {}`", self.ty.name())?;
        match &self.format {
            SpecFormat::Any => Ok(()),
            SpecFormat::None => f.write_str(" without a format"),
            SpecFormat::Is(format) => write!(f, " with `format: {format}`"),
        }
    }
}

/// The `type` of a [`SpecType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl JsonType {
    /// Every type.
    pub const ALL: [JsonType; 6] = [
        JsonType::String,
        JsonType::Integer,
        JsonType::Number,
        JsonType::Boolean,
        JsonType::Array,
        JsonType::Object,
    ];

    /// The name, as in a spec: `string`.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The type named `name` in a spec.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The `format` of a [`SpecType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecFormat {
    /// Any format, or none.
    Any,
    /// No `format`.
    None,
    /// This `format` (`float`, `int64`, `date-time`).
    Is(String),
}

impl SpecFormat {
    /// Whether a schema with `format` (`None` when it has none) satisfies this.
    pub fn admits(&self, format: Option<&str>) -> bool {
        match self {
            SpecFormat::Any => true,
            SpecFormat::None => format.is_none(),
            SpecFormat::Is(wanted) => format == Some(wanted.as_str()),
        }
    }
}

/// Whether `pointer` (an escaped JSON pointer with a leading `#`) matches
/// `pattern`: the same tokens, a `*` in the pattern standing for any one.
pub fn pointer_matches(pattern: &str, pointer: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut tokens = pointer.split('/');
    loop {
        match (wanted.next(), tokens.next()) {
            (None, None) => return true,
            (Some(w), Some(t)) if w == "*" || w == t => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_patterns_match_whole_tokens() {
        let ptr = "#/paths/~1pets/get/parameters/0/schema";
        assert!(pointer_matches(ptr, ptr));
        assert!(pointer_matches("#/paths/*/get/parameters/*/schema", ptr));
        assert!(!pointer_matches("#/paths/*/get/parameters/*", ptr));
        assert!(!pointer_matches(
            "#/paths/~1pets/get/parameters/0/schema/items",
            ptr
        ));
        assert!(!pointer_matches(
            "#/paths/~1pet/get/parameters/0/schema",
            ptr
        ));
        // A `*` inside a token is that character, not a wildcard.
        assert!(!pointer_matches(
            "#/paths/~1pe*/get/parameters/0/schema",
            ptr
        ));
    }

    #[test]
    fn overrides_describe_themselves() {
        let o = TypeOverride::named("starts_at", OverrideType::DateTime)
            .requests_only()
            .when(SpecType::string_without_format());
        assert_eq!(
            o.to_string(),
            "name `starts_at` (requests only, when `type: string` without a format) → `date-time`"
        );
        let o = TypeOverride::at("#/components/schemas/Count", OverrideType::U64).when(SpecType {
            ty: JsonType::Number,
            format: SpecFormat::Is("float".into()),
        });
        assert_eq!(
            o.to_string(),
            "pointer `#/components/schemas/Count` (when `type: number` with `format: float`) → `u64`"
        );
        for ty in OverrideType::ALL {
            assert_eq!(OverrideType::from_name(ty.name()), Some(ty));
        }
    }
}
