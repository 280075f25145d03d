//! `cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>]`: any OpenAPI
//! 3.0 document → a client crate, with the same pipeline as `codegen` and no
//! Seam configuration. The steps `cargo xtask corpus` shares with it are here
//! too: the configuration, crate names from file names, the pipeline with
//! its panics caught, and writing a crate.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::root;

/// The configuration for a spec that comes with none.
pub(crate) fn config(name: &str) -> oagen::Config {
    let mut config = oagen::Config::new(name);
    let runtime = root().join("crates/oagen-runtime");
    config.runtime_dependency = format!(
        "oagen-runtime = {{ path = {:?} }}",
        runtime.display().to_string()
    );
    config.regenerate_command = "cargo xtask generate".to_owned();
    config
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
    let name = name.trim_matches('_').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api_{name}")
    } else {
        name
    }
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
) -> Result<(), String> {
    let name = name.map(str::to_owned).unwrap_or_else(|| crate_name(spec));
    std::panic::set_hook(Box::new(|_| {}));
    let mut settings = config(&name);
    settings.group_by_tag = group_by_tag;
    let (outcome, generated) = run_pipeline(spec, &settings);
    match outcome {
        Outcome::Generated { .. } => {
            let generated = generated.expect("generated");
            for warning in generated.warnings.iter() {
                eprintln!("{}: {warning}", spec.display());
            }
            write_crate(out, &generated)?;
            eprintln!("wrote crate `{name}` to {}", out.display());
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
