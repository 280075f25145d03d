//! `cargo xtask codegen [--check]`: specs → `generated/`.
//!
//! Every target is generated in memory first. Only when the pipeline
//! succeeded for all of them is anything written, and then every file or
//! none: a failed run leaves `generated/` and the other output folders
//! exactly as they were; `--check` compares and never writes.

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
    run_targets(&targets(), check)
}

/// Generates every target in memory, then (unless `check`) writes them all
/// or nothing: a failure in any target, or while writing, leaves every
/// output folder as it was.
pub(crate) fn run_targets(targets: &[Target], check: bool) -> Result<(), String> {
    let mut changes = Vec::new();
    let mut failures = Vec::new();
    for target in targets {
        match plan(target) {
            Ok(planned) => changes.extend(planned),
            Err(message) => failures.push(message),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "{}\ncannot generate, nothing was written",
            failures.join("\n")
        ));
    }
    let root = root();
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    if check {
        if changes.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = changes
            .iter()
            .map(|c| format!("  {}", shown(&c.path)))
            .collect();
        return Err(format!(
            "generated code is out of date with specs/:\n{}\nrun `cargo xtask codegen` to update it",
            list.join("\n")
        ));
    }
    apply(&changes)?;
    for change in &changes {
        let verb = if change.new.is_some() {
            "updated"
        } else {
            "removed"
        };
        eprintln!("{verb} {}", shown(&change.path));
    }
    Ok(())
}

/// One file a run changes: what it will hold (`None`: removed) and what it
/// held before (`None`: it did not exist), to put back if a later write fails.
#[derive(Debug)]
pub(crate) struct Change {
    pub path: PathBuf,
    pub new: Option<String>,
    pub old: Option<Vec<u8>>,
}

/// Generates one target in memory and returns the files that differ from
/// what is on disk, with files under `src/` the spec no longer produces.
/// Writes nothing.
pub(crate) fn plan(target: &Target) -> Result<Vec<Change>, String> {
    let spec = target.spec.strip_prefix(root()).unwrap_or(&target.spec);
    // The committed crate's version, bumped below when the API changed.
    let committed = crate::api_diff::Committed::read(&target.out);
    let mut config = target.config.clone();
    if let Some(version) = &committed.version {
        config.crate_version = version.clone();
    }
    let mut generated = oagen::generate(&target.spec, &config).map_err(|diags| {
        format!(
            "{}: cannot generate, nothing was written:\n{diags}",
            spec.display()
        )
    })?;
    for warning in generated.warnings.iter() {
        eprintln!("{}: {warning}", spec.display());
    }
    let out = target.out.strip_prefix(root()).unwrap_or(&target.out);
    match committed.release(&mut generated.files, &config.crate_version) {
        Some((report, _)) if report.changes.is_empty() => {}
        Some((report, next)) => eprintln!(
            "{}: {} → {next}
{}",
            out.display(),
            config.crate_version,
            report.to_markdown()
        ),
        None => eprintln!(
            "{}: no committed {} to compare with; this run writes the first",
            out.display(),
            oagen::emit::SURFACE_FILE
        ),
    }
    let mut changes = Vec::new();
    let mut expected = BTreeSet::new();
    for (rel, contents) in &generated.files {
        let path = target.out.join(rel);
        expected.insert(path.clone());
        let old = fs::read(&path).ok();
        if old.as_deref() != Some(contents.as_bytes()) {
            changes.push(Change {
                path,
                new: Some(contents.clone()),
                old,
            });
        }
    }
    for path in rust_files(&target.out.join("src")) {
        if !expected.contains(&path) {
            let old = fs::read(&path).ok();
            changes.push(Change {
                path,
                new: None,
                old,
            });
        }
    }
    Ok(changes)
}

/// Makes every change or none. Each new file is first written beside its
/// destination (so a folder that cannot be written, a destination that is a
/// folder or a full disk fails before anything changed); then the files are
/// renamed into place and the removed ones removed. If one of those fails,
/// the files already changed get back what they held.
fn apply(changes: &[Change]) -> Result<(), String> {
    let mut staged: Vec<(PathBuf, &Change)> = Vec::new();
    let unstage = |staged: &[(PathBuf, &Change)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for change in changes {
        let Some(contents) = &change.new else {
            continue;
        };
        match stage(&change.path, contents) {
            Ok(tmp) => staged.push((tmp, change)),
            Err(message) => {
                unstage(&staged);
                return Err(format!("{message}; nothing was written"));
            }
        }
    }
    let mut done: Vec<&Change> = Vec::new();
    let mut failure = None;
    for (tmp, change) in &staged {
        if let Err(e) = fs::rename(tmp, &change.path) {
            failure = Some(format!("cannot write {}: {e}", change.path.display()));
            break;
        }
        done.push(change);
    }
    if failure.is_none() {
        for change in changes.iter().filter(|c| c.new.is_none()) {
            if let Err(e) = fs::remove_file(&change.path) {
                failure = Some(format!("cannot remove {}: {e}", change.path.display()));
                break;
            }
            done.push(change);
        }
    }
    let Some(failure) = failure else {
        return Ok(());
    };
    unstage(&staged);
    for change in done {
        let _ = match &change.old {
            Some(old) => fs::write(&change.path, old),
            None => fs::remove_file(&change.path),
        };
    }
    Err(format!(
        "{failure}; the files already written were restored"
    ))
}

/// Writes `contents` to a temporary file beside `path` and returns its path.
fn stage(path: &Path, contents: &str) -> Result<PathBuf, String> {
    if path.is_dir() {
        return Err(format!("cannot write {}: it is a folder", path.display()));
    }
    let dir = path.parent().expect("a file has a parent folder");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp-xtask");
    if let Err(e) = fs::write(&tmp, contents) {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", tmp.display()));
    }
    Ok(tmp)
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
    let tmp = stage(path, contents)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
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
            .chain(
                [
                    "Cargo.toml",
                    "README.md",
                    "LICENSE-MIT",
                    "LICENSE-APACHE",
                    "api-surface.txt",
                    "CHANGELOG.md",
                ]
                .map(|f| dir.join(f)),
            )
            .filter(|p| p.exists())
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

    fn seam_target(spec: PathBuf, out: &Path) -> Target {
        Target {
            spec,
            out: out.to_path_buf(),
            config: crate::seam::config(),
        }
    }

    fn planned(target: &Target) -> Vec<PathBuf> {
        plan(target).unwrap().into_iter().map(|c| c.path).collect()
    }

    fn broken_seam_spec(dir: &Path) -> PathBuf {
        let spec = dir.join("broken.yaml");
        let text = fs::read_to_string(root().join("specs/seam/openapi.json"))
            .unwrap()
            .replace(
                "#/components/schemas/client_session",
                "#/components/schemas/client_sesion",
            );
        fs::write(&spec, text).unwrap();
        spec
    }

    #[test]
    fn a_spec_with_a_missing_ref_fails_and_writes_nothing() {
        let out = copy_of_generated("missing-ref");
        let before = snapshot(&out);
        let target = seam_target(broken_seam_spec(&out), &out);
        let message = run_targets(&[target], false).unwrap_err();
        assert!(message.contains("nothing was written"), "{message}");
        assert!(
            message.contains(
                "error: #/paths/~1client_sessions~1create/post/responses/200/content/application~1json/schema/properties/client_session: `$ref: #/components/schemas/client_sesion` names nothing in this document"
            ),
            "{message}"
        );
        assert_eq!(snapshot(&out), before);
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn check_names_an_edited_file_and_writes_nothing() {
        let out = copy_of_generated("check");
        let edited = out.join("src/client.rs");
        fs::write(&edited, "// edited by hand\n").unwrap();
        let before = snapshot(&out);
        let target = seam_target(root().join("specs/seam/openapi.json"), &out);
        assert_eq!(planned(&target), std::slice::from_ref(&edited));
        let message = run_targets(std::slice::from_ref(&target), true).unwrap_err();
        assert!(message.contains("src/client.rs"), "{message}");
        assert_eq!(snapshot(&out), before, "--check wrote something");
        // Without --check the file is restored, and then all is up to date.
        run_targets(std::slice::from_ref(&target), false).unwrap();
        assert!(planned(&target).is_empty());
        run_targets(&[target], true).unwrap();
        fs::remove_dir_all(&out).unwrap();
    }

    /// A failure in a later target leaves an earlier one as it was.
    #[test]
    fn a_failing_target_leaves_the_others_unwritten() {
        let good = copy_of_generated("all-or-nothing-good");
        let bad = copy_of_generated("all-or-nothing-bad");
        fs::write(good.join("src/client.rs"), "// edited by hand\n").unwrap();
        fs::write(good.join("src/stray.rs"), "// no longer generated\n").unwrap();
        let before = snapshot(&good);
        let targets = [
            seam_target(root().join("specs/seam/openapi.json"), &good),
            seam_target(broken_seam_spec(&bad), &bad),
        ];
        let message = run_targets(&targets, false).unwrap_err();
        assert!(
            message.contains("broken.yaml: cannot generate"),
            "{message}"
        );
        assert_eq!(snapshot(&good), before);
        fs::remove_dir_all(&good).unwrap();
        fs::remove_dir_all(&bad).unwrap();
    }

    /// A file that cannot be written (here a folder where a file goes) fails
    /// the run before any file changed, and leaves no temporary file.
    #[test]
    fn a_write_that_cannot_happen_changes_nothing() {
        let out = copy_of_generated("write-failure");
        fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
        let blocked = out.join("src/client.rs");
        fs::remove_file(&blocked).unwrap();
        fs::create_dir(&blocked).unwrap();
        let before = snapshot(&out);
        let listing = |dir: &Path| -> Vec<PathBuf> {
            let mut paths: Vec<PathBuf> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            paths
        };
        let files_before = listing(&out.join("src"));
        let target = seam_target(root().join("specs/seam/openapi.json"), &out);
        let message = run_targets(&[target], false).unwrap_err();
        assert!(
            message.contains("it is a folder; nothing was written"),
            "{message}"
        );
        assert_eq!(snapshot(&out), before);
        assert_eq!(listing(&out.join("src")), files_before);
        fs::remove_dir_all(&out).unwrap();
    }
}
