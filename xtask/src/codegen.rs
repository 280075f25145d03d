//! `cargo xtask codegen [--check]`: specs → `generated/`.
//!
//! Everything is generated in memory first. Only when the whole pipeline
//! succeeded is anything written, so a failed run leaves `generated/` exactly
//! as it was; `--check` compares and never writes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::root;

/// One generated artifact: a spec, its configuration and where the crate goes.
pub(crate) struct Target {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub config: oagen::Config,
}

pub(crate) fn targets() -> Vec<Target> {
    let root = root();
    vec![
        Target {
            spec: root.join("specs/seam/openapi.json"),
            out: root.join("generated"),
            config: crate::seam::config(),
        },
        Target {
            spec: root.join("specs/wire/openapi.yaml"),
            out: root.join("crates/wire-example"),
            config: wire_example_config(),
        },
    ]
}

/// The crate the generic wire tests use: every parameter style and body
/// encoding, generated without any Seam configuration.
fn wire_example_config() -> oagen::Config {
    let mut config = oagen::Config::new("wire_example");
    config.runtime_dependency = r#"oagen-runtime = { path = "../oagen-runtime" }"#.into();
    config.package_extra = vec!["publish = false".into()];
    config.group_by_tag = true;
    config
}

pub(crate) fn run(check: bool) -> Result<(), String> {
    let mut stale = Vec::new();
    for target in targets() {
        stale.extend(generate(&target, check)?);
    }
    if check && !stale.is_empty() {
        let root = root();
        let list = stale
            .iter()
            .map(|p| format!("  {}", p.strip_prefix(&root).unwrap_or(p).display()))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(format!(
            "generated code is out of date with specs/:\n{list}\nrun `cargo xtask codegen` to update it"
        ));
    }
    Ok(())
}

/// Generates one target. Returns the files that differ from what is on disk;
/// unless `check`, it also brings them up to date.
pub(crate) fn generate(target: &Target, check: bool) -> Result<Vec<PathBuf>, String> {
    let generated = oagen::generate(&target.spec, &target.config).map_err(|diags| {
        format!(
            "{}: cannot generate, nothing was written:\n{diags}",
            target
                .spec
                .strip_prefix(root())
                .unwrap_or(&target.spec)
                .display()
        )
    })?;
    for warning in generated.warnings.iter() {
        let spec = target.spec.strip_prefix(root()).unwrap_or(&target.spec);
        eprintln!("{}: {warning}", spec.display());
    }
    let mut stale = Vec::new();
    let mut expected = BTreeSet::new();
    for (rel, contents) in &generated.files {
        let path = target.out.join(rel);
        expected.insert(path.clone());
        if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            stale.push(path);
        }
    }
    // Files under `src/` that the spec no longer produces are stale too.
    let extra: Vec<PathBuf> = rust_files(&target.out.join("src"))
        .into_iter()
        .filter(|p| !expected.contains(p))
        .collect();
    stale.extend(extra.iter().cloned());
    if check {
        return Ok(stale);
    }
    for path in &stale {
        if extra.contains(path) {
            fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            continue;
        }
        let rel = path
            .strip_prefix(&target.out)
            .expect("under the output folder");
        let contents = &generated.files[&rel.to_string_lossy().replace('\\', "/")];
        write_atomically(path, contents)?;
        eprintln!(
            "updated {}",
            path.strip_prefix(root()).unwrap_or(path).display()
        );
    }
    Ok(stale)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Writes through a temporary file and a rename, so that an interrupted run
/// never leaves a half-written file.
pub(crate) fn write_atomically(path: &Path, contents: &str) -> Result<(), String> {
    let dir = path.parent().expect("a file has a parent folder");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp-xtask");
    fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a `generated/` that does not match `specs/`.
    #[test]
    fn generated_code_is_up_to_date() {
        if let Err(message) = run(true) {
            panic!("{message}");
        }
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = rust_files(&dir.join("src"))
            .into_iter()
            .chain([dir.join("Cargo.toml")])
            .map(|p| {
                let bytes = fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
        files.sort();
        files
    }

    fn copy_of_generated(name: &str) -> PathBuf {
        let out = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        for (path, bytes) in snapshot(&root().join("generated")) {
            let rel = path.strip_prefix(root().join("generated")).unwrap();
            let dest = out.join(rel);
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::write(dest, bytes).unwrap();
        }
        out
    }

    #[test]
    fn a_spec_with_a_missing_ref_fails_and_writes_nothing() {
        let out = copy_of_generated("missing-ref");
        let before = snapshot(&out);
        let spec = out.join("broken.yaml");
        let text = fs::read_to_string(root().join("specs/seam/openapi.json"))
            .unwrap()
            .replace(
                "#/components/schemas/client_session",
                "#/components/schemas/client_sesion",
            );
        fs::write(&spec, text).unwrap();
        let target = Target {
            spec,
            out: out.clone(),
            config: crate::seam::config(),
        };
        let message = generate(&target, false).unwrap_err();
        assert!(message.contains("nothing was written"), "{message}");
        assert!(
            message.contains(
                "error: #/paths/~1client_sessions~1create/post/responses/200/content/application~1json/schema/properties/client_session: $ref to missing schema `client_sesion`"
            ),
            "{message}"
        );
        assert_eq!(snapshot(&out), before);
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn check_names_an_edited_file_and_writes_nothing() {
        let out = copy_of_generated("check");
        let edited = out.join("src/types.rs");
        fs::write(&edited, "// edited by hand\n").unwrap();
        let before = snapshot(&out);
        let target = Target {
            spec: root().join("specs/seam/openapi.json"),
            out: out.clone(),
            config: crate::seam::config(),
        };
        assert_eq!(
            generate(&target, true).unwrap(),
            std::slice::from_ref(&edited)
        );
        assert_eq!(snapshot(&out), before, "--check wrote something");
        // Without --check the file is restored, and then all is up to date.
        generate(&target, false).unwrap();
        assert!(generate(&target, true).unwrap().is_empty());
        fs::remove_dir_all(&out).unwrap();
    }
}
