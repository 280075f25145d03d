//! Configuration files, for `cargo xtask generate --config FILE`: the type
//! overrides, and a few settings of [`Config`], in YAML or JSON (by the
//! file's extension: `.json` is JSON, anything else YAML). Every key is
//! optional and an unknown key is an error, so a typo never goes unnoticed.
//!
//! ```yaml
//! client_name: PetStore        # the client type (default: from the crate name)
//! group_by_tag: true           # namespaces named after the first tag
//! include_undocumented: false  # operations marked `x-undocumented`
//! namespace_features: true     # a cargo feature per top-level namespace
//! type_overrides:
//!   - name: limit              # properties and parameters named `limit`
//!     requests_only: true      # only in request bodies and parameters
//!     type: u32
//!   - name: since
//!     when: {type: string, format: none}   # only `type: string` without a format
//!     type: date-time
//!   - pointer: "#/components/schemas/Pet/properties/age"
//!     type: u64
//! ```

use std::path::Path;

use serde::Deserialize;

use super::overrides::{
    JsonType, OverrideTarget, OverrideType, SpecFormat, SpecType, TypeOverride,
};
use super::Config;

/// What a configuration file sets; [`ConfigFile::apply`] writes it into a
/// [`Config`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// [`Config::client_name`].
    pub client_name: Option<String>,
    /// [`Config::group_by_tag`].
    pub group_by_tag: Option<bool>,
    /// [`Config::undocumented`]: generated (`true`) or left out.
    pub include_undocumented: Option<bool>,
    /// [`Config::namespace_features`].
    pub namespace_features: Option<bool>,
    /// Appended to [`Config::type_overrides`].
    pub type_overrides: Vec<TypeOverride>,
}

/// A configuration file that cannot be read or does not say what it must.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigFileError {
    /// The file, as given.
    pub file: String,
    /// What is wrong, naming the offending entry (`type_overrides[1].type`).
    pub message: String,
}

impl ConfigFile {
    /// Reads and checks the file at `path`.
    pub fn read(path: &Path) -> Result<Self, ConfigFileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigFileError {
            file: file.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        let json = path.extension().is_some_and(|e| e == "json");
        Self::parse(&text, json, &file)
    }

    /// Checks the text of a configuration file, JSON when `json`, else YAML;
    /// `file` names it in errors.
    pub fn parse(text: &str, json: bool, file: &str) -> Result<Self, ConfigFileError> {
        let error = |message: String| ConfigFileError {
            file: file.to_owned(),
            message,
        };
        if text.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        let raw: RawFile = if json {
            // `serde_json` says where in the text, not in which entry.
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| error(located(&e)))?
        } else {
            // `serde_yaml` says both: `type_overrides[1]: unknown field ...
            // at line 4 column 15`.
            serde_yaml::from_str(text).map_err(|e| error(e.to_string()))?
        };
        if let Some(name) = &raw.client_name {
            if !is_type_name(name) {
                return Err(error(format!(
                    "client_name: `{name}` is not a Rust type name (letters, digits and `_`, starting with a letter)"
                )));
            }
        }
        let type_overrides = raw
            .type_overrides
            .into_iter()
            .enumerate()
            .map(|(index, entry)| entry.checked(&format!("type_overrides[{index}]")))
            .collect::<Result<_, _>>()
            .map_err(error)?;
        Ok(ConfigFile {
            client_name: raw.client_name,
            group_by_tag: raw.group_by_tag,
            include_undocumented: raw.include_undocumented,
            namespace_features: raw.namespace_features,
            type_overrides,
        })
    }

    /// Writes what the file sets into `config`; its overrides come after
    /// those already there.
    pub fn apply(&self, config: &mut Config) {
        if let Some(name) = &self.client_name {
            config.client_name = name.clone();
        }
        if let Some(group) = self.group_by_tag {
            config.group_by_tag = group;
        }
        if let Some(features) = self.namespace_features {
            config.namespace_features = features;
        }
        if let Some(include) = self.include_undocumented {
            config.undocumented = if include {
                super::Undocumented::Include
            } else {
                super::Undocumented::Omit
            };
        }
        config
            .type_overrides
            .extend(self.type_overrides.iter().cloned());
    }
}

/// A deserialization error with the path of the entry it is about, as
/// `serde_yaml` writes it (`type_overrides[1]: ...`).
fn located<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("{path}: {}", error.inner())
    }
}

/// Whether `name` can name the client type.
fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "Self"
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    client_name: Option<String>,
    #[serde(default)]
    group_by_tag: Option<bool>,
    #[serde(default)]
    include_undocumented: Option<bool>,
    #[serde(default)]
    namespace_features: Option<bool>,
    #[serde(default)]
    type_overrides: Vec<RawOverride>,
}

/// One entry of `type_overrides`, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    pointer: Option<String>,
    #[serde(default)]
    requests_only: bool,
    #[serde(default)]
    when: Option<RawWhen>,
    #[serde(rename = "type")]
    ty: String,
}

/// The `when` of an entry, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    format: Option<String>,
}

impl RawOverride {
    /// The override this entry (at `at`, `type_overrides[2]`) says, or what
    /// is wrong with it.
    fn checked(self, at: &str) -> Result<TypeOverride, String> {
        let target = match (self.name, self.pointer) {
            (Some(name), None) if !name.is_empty() => OverrideTarget::Name(name),
            (None, Some(pointer)) if pointer.starts_with('#') => OverrideTarget::Pointer(pointer),
            (Some(_), None) => return Err(format!("{at}.name: empty")),
            (None, Some(pointer)) => {
                return Err(format!(
                "{at}.pointer: `{pointer}` is no JSON pointer into the spec (they start with `#/`)"
            ))
            }
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{at}: give `name` or `pointer`, not both (two entries match both ways)"
                ))
            }
            (None, None) => {
                return Err(format!(
                "{at}: says nothing to match: give `name` (a property or parameter) or `pointer`"
            ))
            }
        };
        let ty = OverrideType::from_name(&self.ty).ok_or_else(|| {
            let names: Vec<String> = OverrideType::ALL
                .iter()
                .map(|t| format!("`{}`", t.name()))
                .collect();
            format!(
                "{at}.type: unknown type `{}`; expected one of {}",
                self.ty,
                names.join(", ")
            )
        })?;
        let when = match self.when {
            Some(when) => Some(when.checked(at)?),
            None => None,
        };
        Ok(TypeOverride {
            target,
            requests_only: self.requests_only,
            when,
            ty,
        })
    }
}

impl RawWhen {
    fn checked(self, at: &str) -> Result<SpecType, String> {
        let ty = JsonType::from_name(&self.ty).ok_or_else(|| {
            let names: Vec<String> = JsonType::ALL
                .iter()
                .map(|t| format!("`{}`", t.name()))
                .collect();
            format!(
                "{at}.when.type: unknown spec type `{}`; expected one of {}",
                self.ty,
                names.join(", ")
            )
        })?;
        let format = match self.format.as_deref() {
            None => SpecFormat::Any,
            Some("none") => SpecFormat::None,
            Some("") => {
                return Err(format!(
                    "{at}.when.format: empty; write `none` for a schema without a format"
                ))
            }
            Some(format) => SpecFormat::Is(format.to_owned()),
        };
        Ok(SpecType { ty, format })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<ConfigFile, String> {
        ConfigFile::parse(text, false, "oagen.yaml").map_err(|e| e.to_string())
    }

    #[test]
    fn a_file_sets_settings_and_overrides() {
        let file = yaml(
            "client_name: PetStore\ngroup_by_tag: true\ntype_overrides:\n  - name: limit\n    requests_only: true\n    type: u32\n  - pointer: '#/components/schemas/*/properties/at'\n    when: {type: string, format: none}\n    type: date-time\n",
        )
        .unwrap();
        assert_eq!(file.client_name.as_deref(), Some("PetStore"));
        assert_eq!(
            file.type_overrides,
            [
                TypeOverride::named("limit", OverrideType::U32).requests_only(),
                TypeOverride::at(
                    "#/components/schemas/*/properties/at",
                    OverrideType::DateTime
                )
                .when(SpecType::string_without_format()),
            ]
        );
        let mut config = Config::new("pets");
        file.apply(&mut config);
        assert_eq!(config.client_name, "PetStore");
        assert!(config.group_by_tag);
        assert_eq!(config.type_overrides.len(), 2);
    }

    #[test]
    fn json_files_say_the_same() {
        let file = ConfigFile::parse(
            r#"{"type_overrides": [{"name": "count", "when": {"type": "number", "format": "float"}, "type": "u64"}]}"#,
            true,
            "oagen.json",
        )
        .unwrap();
        let expected = TypeOverride::named("count", OverrideType::U64).when(SpecType {
            ty: JsonType::Number,
            format: SpecFormat::Is("float".into()),
        });
        assert_eq!(file.type_overrides, [expected]);
        assert_eq!(yaml("").unwrap(), ConfigFile::default());
        let err = ConfigFile::parse(
            r#"{"type_overrides": [{"name": "a", "type": "u32", "extra": 1}]}"#,
            true,
            "oagen.json",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("oagen.json: type_overrides[0].extra: unknown field `extra`"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_file_and_the_entry() {
        let entry = |body: &str| {
            yaml(&format!(
                "type_overrides:\n  - name: a\n    type: u32\n  - {body}\n"
            ))
            .unwrap_err()
        };
        assert_eq!(
            entry("{name: b, type: u16}"),
            "oagen.yaml: type_overrides[1].type: unknown type `u16`; expected one of `u32`, `u64`, `i32`, `i64`, `f64`, `bool`, `string`, `date-time`, `date`, `json`"
        );
        assert_eq!(
            entry("{name: b, pointer: '#/x', type: u32}"),
            "oagen.yaml: type_overrides[1]: give `name` or `pointer`, not both (two entries match both ways)"
        );
        assert!(entry("{type: u32}").contains("type_overrides[1]: says nothing to match"));
        assert!(entry("{pointer: '/paths', type: u32}")
            .contains("type_overrides[1].pointer: `/paths` is no JSON pointer"));
        assert!(entry("{name: b, when: {type: text}, type: u32}")
            .contains("type_overrides[1].when.type: unknown spec type `text`"));
        let typo = entry("{name: b, request_only: true, type: u32}");
        assert!(
            typo.starts_with("oagen.yaml: type_overrides[1]: unknown field `request_only`"),
            "{typo}"
        );
        let missing = entry("{name: b}");
        assert!(
            missing.starts_with("oagen.yaml: type_overrides[1]: missing field `type`"),
            "{missing}"
        );
        let bad = yaml("client_name: 'my client'").unwrap_err();
        assert!(
            bad.starts_with("oagen.yaml: client_name: `my client` is not a Rust type name"),
            "{bad}"
        );
        let unknown = yaml("crate: x").unwrap_err();
        assert!(
            unknown.starts_with("oagen.yaml: unknown field `crate`"),
            "{unknown}"
        );
        let missing = ConfigFile::read(Path::new("/nonexistent/oagen.yaml")).unwrap_err();
        assert!(missing
            .to_string()
            .starts_with("/nonexistent/oagen.yaml: cannot read it: "));
    }
}
