//! `cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>] [--config
//! <FILE>]`: any OpenAPI 3.0 document → a client crate, with the same
//! pipeline as `codegen` and no Seam configuration (a configuration file can
//! give type overrides and a few settings). The steps `cargo xtask corpus`
//! shares with it are here too: the configuration, crate names from file
//! names, the pipeline with its panics caught, and writing a crate.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use oagen::config::ConfigFile;

use crate::root;

/// The version requirement on `oagen-runtime` of generated crates: its
/// current minor version (a test holds it to `crates/oagen-runtime`'s).
pub(crate) const RUNTIME_REQUIREMENT: &str = "0.1";

/// How a generated crate depends on the runtime (`generate --runtime`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RuntimeSource {
    /// `version:0.1` (or `0.1`): from crates.io.
    Version(String),
    /// `path:DIR`: a checkout's `crates/oagen-runtime` or a copy of it.
    Path(PathBuf),
    /// `git:URL` or `git:URL#REV`: a git repository holding this workspace.
    Git { url: String, rev: Option<String> },
}

impl std::str::FromStr for RuntimeSource {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let source = if let Some(path) = s.strip_prefix("path:") {
            RuntimeSource::Path(PathBuf::from(path))
        } else if let Some(git) = s.strip_prefix("git:") {
            let (url, rev) = match git.split_once('#') {
                Some((url, rev)) => (url, Some(rev.to_owned())),
                None => (git, None),
            };
            RuntimeSource::Git {
                url: url.to_owned(),
                rev,
            }
        } else {
            RuntimeSource::Version(s.strip_prefix("version:").unwrap_or(s).to_owned())
        };
        let empty = match &source {
            RuntimeSource::Version(v) => v.is_empty(),
            RuntimeSource::Path(p) => p.as_os_str().is_empty(),
            RuntimeSource::Git { url, rev } => url.is_empty() || rev.as_deref() == Some(""),
        };
        if empty {
            return Err(format!(
                "`{s}`: expected `version:REQ` (or `REQ`), `path:DIR`, `git:URL` or `git:URL#REV`"
            ));
        }
        Ok(source)
    }
}

impl RuntimeSource {
    /// This checkout's runtime, by path, with the version a published
    /// generated crate would need.
    pub(crate) fn this_checkout() -> Self {
        RuntimeSource::Path(root().join("crates/oagen-runtime"))
    }

    /// The `[dependencies]` line, as TOML (strings quoted as TOML basic
    /// strings, which `{:?}` of a path or URL without control characters is).
    pub(crate) fn dependency(&self) -> String {
        let requirement = RUNTIME_REQUIREMENT;
        match self {
            RuntimeSource::Version(req) => format!("oagen-runtime = {req:?}"),
            RuntimeSource::Path(path) => {
                let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                format!(
                    "oagen-runtime = {{ path = {:?}, version = {requirement:?} }}",
                    path.display().to_string()
                )
            }
            RuntimeSource::Git { url, rev } => match rev {
                Some(rev) => format!("oagen-runtime = {{ git = {url:?}, rev = {rev:?} }}"),
                None => format!("oagen-runtime = {{ git = {url:?} }}"),
            },
        }
    }

    /// What it is, for the message after writing the crate.
    fn describe(&self) -> &'static str {
        match self {
            RuntimeSource::Version(_) => "from crates.io",
            RuntimeSource::Path(_) => "by path (`--runtime version:REQ` or `git:URL` to change)",
            RuntimeSource::Git { .. } => "from git",
        }
    }
}

/// The configuration of a crate named `name`: the defaults, and what the
/// configuration file (`--config`; empty without one) says.
pub(crate) fn config(name: &str, file: &ConfigFile) -> oagen::Config {
    let mut config = oagen::Config::new(name);
    config.runtime_dependency = RuntimeSource::this_checkout().dependency();
    config.regenerate_command = "cargo xtask generate".to_owned();
    file.apply(&mut config);
    config
}

/// The configuration file at `path`, or none (empty settings).
pub(crate) fn config_file(path: Option<&Path>) -> Result<ConfigFile, String> {
    match path {
        Some(path) => ConfigFile::read(path).map_err(|e| e.to_string()),
        None => Ok(ConfigFile::default()),
    }
}

/// A crate name from a spec's file name: `api.github.com.json` → `api_github_com`.
pub(crate) fn crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    // ASCII from here on: any byte index is a char boundary.
    let mut name = name.trim_matches('_').to_owned();
    name.truncate(60);
    // Empty, starting with a digit, a keyword or `std`: valid with a prefix.
    if oagen::ir::names::crate_name_problem(&name).is_some() {
        name = format!("api_{name}");
    }
    name
}

/// A crate name for each spec, from [`crate_name`], made unique in list
/// order: the second `events.json` becomes `events_2`, the third `events_3`
/// (the checked crates share one workspace, and `--out` one folder).
pub(crate) fn unique_crate_names(specs: &[PathBuf]) -> Vec<String> {
    let mut taken = HashSet::new();
    specs
        .iter()
        .map(|spec| {
            let base = crate_name(spec);
            let mut name = base.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{suffix}");
                suffix += 1;
            }
            name
        })
        .collect()
}

/// The outcome of generating one spec.
pub(crate) enum Outcome {
    Generated { warnings: usize },
    Refused(oagen::Diagnostics),
    Panicked(String),
}

/// Runs the pipeline, turning a panic (a bug of ours) into an outcome, so one
/// spec cannot stop a corpus run.
pub(crate) fn run_pipeline(
    spec: &Path,
    config: &oagen::Config,
) -> (Outcome, Option<oagen::Generated>) {
    let result = std::panic::catch_unwind(|| oagen::generate(spec, config));
    match result {
        Ok(Ok(generated)) => (
            Outcome::Generated {
                warnings: generated.warnings.iter().count(),
            },
            Some(generated),
        ),
        Ok(Err(diags)) => (Outcome::Refused(diags), None),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            (Outcome::Panicked(message), None)
        }
    }
}

pub(crate) fn write_crate(out: &Path, generated: &oagen::Generated) -> Result<(), String> {
    for (rel, text) in &generated.files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("files have a folder"))
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn generate(
    spec: &Path,
    out: &Path,
    name: Option<&str>,
    group_by_tag: bool,
    config_path: Option<&Path>,
    runtime: Option<&RuntimeSource>,
) -> Result<(), String> {
    let name = name.map(str::to_owned).unwrap_or_else(|| crate_name(spec));
    if let Some(problem) = oagen::ir::names::crate_name_problem(&name) {
        return Err(format!("--name: {problem}"));
    }
    let file = config_file(config_path)?;
    std::panic::set_hook(Box::new(|_| {}));
    let mut settings = config(&name, &file);
    settings.group_by_tag |= group_by_tag;
    let runtime = runtime
        .cloned()
        .unwrap_or_else(RuntimeSource::this_checkout);
    settings.runtime_dependency = runtime.dependency();
    let (outcome, generated) = run_pipeline(spec, &settings);
    match outcome {
        Outcome::Generated { .. } => {
            let generated = generated.expect("generated");
            for warning in generated.warnings.iter() {
                eprintln!("{}: {warning}", spec.display());
            }
            write_crate(out, &generated)?;
            eprintln!("wrote crate `{name}` to {}", out.display());
            eprintln!(
                "runtime {}: {}",
                runtime.describe(),
                settings.runtime_dependency
            );
            Ok(())
        }
        Outcome::Refused(diags) => Err(format!("{}: refused:\n{diags}", spec.display())),
        Outcome::Panicked(message) => Err(format!(
            "{}: internal error (a bug in oagen, please report it): {message}",
            spec.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--runtime`: each source becomes its dependency line; an empty one
    /// is refused with the forms it takes.
    #[test]
    fn the_runtime_source_becomes_its_dependency_line() {
        let parse = |s: &str| s.parse::<RuntimeSource>();
        assert_eq!(
            parse("0.1").unwrap().dependency(),
            r#"oagen-runtime = "0.1""#
        );
        assert_eq!(
            parse("version:=0.1.3").unwrap().dependency(),
            r#"oagen-runtime = "=0.1.3""#
        );
        assert_eq!(
            parse("git:https://example.com/r.git#abc")
                .unwrap()
                .dependency(),
            r#"oagen-runtime = { git = "https://example.com/r.git", rev = "abc" }"#
        );
        assert_eq!(
            parse("path:/opt/rt").unwrap().dependency(),
            r#"oagen-runtime = { path = "/opt/rt", version = "0.1" }"#
        );
        for bad in ["", "path:", "git:", "git:u#"] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains("expected `version:REQ`"), "{bad}: {err}");
        }
        // Each line is TOML that cargo reads.
        let line = RuntimeSource::this_checkout().dependency();
        let table: toml::Table = toml::from_str(&line).unwrap();
        assert_eq!(
            table["oagen-runtime"]["version"].as_str(),
            Some(RUNTIME_REQUIREMENT)
        );
        // The requirement is the runtime's own minor version.
        let manifest =
            std::fs::read_to_string(root().join("crates/oagen-runtime/Cargo.toml")).unwrap();
        let manifest: toml::Table = toml::from_str(&manifest).unwrap();
        let version = manifest["package"]["version"].as_str().unwrap();
        assert!(
            version.starts_with(&format!("{RUNTIME_REQUIREMENT}.")),
            "{version} is not {RUNTIME_REQUIREMENT}.x"
        );
    }

    /// `--config`: the file's overrides and settings reach the pipeline's
    /// configuration; a malformed file is an error naming it and the entry.
    #[test]
    fn a_config_file_sets_the_configuration() {
        let dir = std::env::temp_dir().join(format!("xtask-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("oagen.json");
        std::fs::write(
            &good,
            r#"{"group_by_tag": true, "type_overrides": [{"name": "limit", "requests_only": true, "type": "u32"}]}"#,
        )
        .unwrap();
        let settings = config("pets", &config_file(Some(&good)).unwrap());
        assert!(settings.group_by_tag);
        assert_eq!(
            settings.type_overrides,
            [
                oagen::config::TypeOverride::named("limit", oagen::config::OverrideType::U32)
                    .requests_only()
            ]
        );
        assert!(config("pets", &config_file(None).unwrap())
            .type_overrides
            .is_empty());
        let bad = dir.join("oagen.yaml");
        std::fs::write(&bad, "type_overrides:\n  - {name: limit}\n").unwrap();
        let err = config_file(Some(&bad)).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "{}: type_overrides[0]: missing field `type`",
                bad.display()
            )),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// `--name` must be a crate name: refused with the reason before any
    /// work, and nothing is written.
    #[test]
    fn bad_crate_names_are_refused() {
        let out = std::env::temp_dir().join(format!("xtask-names-{}", std::process::id()));
        let spec = root().join("crates/oagen/tests/fixtures/names.yaml");
        for (name, why) in [("", "empty"), ("123", "letter"), ("a b", "ASCII letters")] {
            let err = generate(&spec, &out, Some(name), false, None, None).unwrap_err();
            assert!(
                err.starts_with("--name: ") && err.contains(why),
                "{name:?}: {err}"
            );
        }
        assert!(!out.exists());
    }

    #[test]
    fn crate_names_from_file_names_are_valid() {
        for file in [
            "123.json",
            "a b.yaml",
            "日本.json",
            ".json",
            "type.json",
            "std.yaml",
        ] {
            let name = crate_name(Path::new(file));
            assert_eq!(
                oagen::ir::names::crate_name_problem(&name),
                None,
                "{file}: {name}"
            );
        }
    }

    #[test]
    fn duplicate_stems_get_suffixes() {
        let specs = [
            "a/events.json",
            "b/events.json",
            "events_2.yaml",
            "c/events.json",
        ]
        .map(PathBuf::from);
        assert_eq!(
            unique_crate_names(&specs),
            ["events", "events_2", "events_2_2", "events_3"]
        );
    }
}
