//! The API-change report: `cargo xtask api-diff <OLD> <NEW> [--json]` for
//! any two specs, and, on every `cargo xtask codegen`, the committed
//! crate's surface (`api-surface.txt`) against the new one, which sets the
//! crate's next version and adds the report to its `CHANGELOG.md`.

use std::path::Path;

use oagen::emit::SURFACE_FILE;
use oagen::surface::diff::{next_version, Report};
use oagen::surface::Surface;

/// `cargo xtask api-diff`: lowers both specs with `generate`'s settings
/// (and `--config`) and prints the report, as Markdown or JSON.
pub(crate) fn run(old: &Path, new: &Path, json: bool, config: Option<&Path>) -> Result<(), String> {
    let file = crate::generate::config_file(config)?;
    let surface = |spec: &Path| -> Result<Surface, String> {
        let settings = crate::generate::config(&crate::generate::crate_name(spec), &file);
        let loaded = oagen::load::load_file(spec)
            .map_err(|d| format!("{}: refused:\n{d}", spec.display()))?;
        let (api, _) = oagen::ir::lower(&loaded.spec, &settings)
            .map_err(|d| format!("{}: refused:\n{d}", spec.display()))?;
        Ok(Surface::of(&api))
    };
    let report = Report::between(&surface(old)?, &surface(new)?);
    if json {
        let text = serde_json::to_string_pretty(&report.to_json()).expect("JSON values print");
        println!("{text}");
    } else {
        print!("{}", report.to_markdown());
    }
    Ok(())
}

/// What the committed crate in a target's folder says about its release:
/// its version and its API surface (none before the first report).
pub(crate) struct Committed {
    pub version: Option<String>,
    surface: Option<Surface>,
    changelog: Option<String>,
}

impl Committed {
    pub(crate) fn read(out: &Path) -> Committed {
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok();
        let version = manifest.as_deref().and_then(package_version);
        let surface = std::fs::read_to_string(out.join(SURFACE_FILE))
            .ok()
            .and_then(|text| Surface::from_text(&text));
        let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).ok();
        Committed {
            version,
            surface,
            changelog,
        }
    }

    /// Compares the committed surface with `files`' new one; when the API
    /// changed, bumps the version in `files`' `Cargo.toml` and puts the
    /// report in `CHANGELOG.md`. Returns the report (none without a
    /// committed surface) and the version it gives.
    pub(crate) fn release(
        &self,
        files: &mut oagen::emit::Files,
        version: &str,
    ) -> Option<(Report, String)> {
        let old = self.surface.as_ref()?;
        let new = Surface::from_text(files.get(SURFACE_FILE)?)?;
        let report = Report::between(old, &new);
        if report.changes.is_empty() {
            return Some((report, version.to_owned()));
        }
        let next = next_version(version, report.bump()).unwrap_or_else(|| version.to_owned());
        if let Some(manifest) = files.get_mut("Cargo.toml") {
            *manifest = manifest.replacen(
                &format!("\nversion = \"{version}\"\n"),
                &format!("\nversion = \"{next}\"\n"),
                1,
            );
        }
        let changelog = changelog(self.changelog.as_deref(), &next, &report);
        files.insert("CHANGELOG.md".to_owned(), changelog);
        Some((report, next))
    }
}

/// The `version` of a `Cargo.toml`'s `[package]`, as the generator writes it.
fn package_version(manifest: &str) -> Option<String> {
    let package = manifest.split("\n[package]\n").nth(1)?;
    let line = package
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix("version = \""))?;
    Some(line.strip_suffix('"')?.to_owned())
}

/// `old` (or a new changelog) with a section for `version` first.
fn changelog(old: Option<&str>, version: &str, report: &Report) -> String {
    const HEADER: &str = "# Changelog\n\n\
        Written by `cargo xtask codegen`: each release's API changes, as the \
        regeneration that made it found them, and the semver bump they need.\n";
    let section = format!("\n## {version}\n\n{}", report.to_markdown());
    let rest = old
        .and_then(|old| old.find("\n## ").map(|at| &old[at..]))
        .unwrap_or("");
    format!("{HEADER}{section}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_package_table() {
        let manifest = "# Generated\n[package]\nname = \"seam\"\nversion = \"0.3.1\"\n\n[dependencies]\nx = { version = \"1\" }\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("[dependencies]\n"), None);
    }

    #[test]
    fn a_release_bumps_the_version_and_puts_the_report_first_in_the_changelog() {
        let mut old = Surface::default();
        old.facts
            .insert((oagen::surface::Kind::Type, "Pet".into()), "struct".into());
        let mut new = old.clone();
        new.facts.insert(
            (oagen::surface::Kind::Field, "Pet.age".into()),
            "Option<i64>".into(),
        );
        let committed = Committed {
            version: Some("0.1.0".into()),
            surface: Some(old.clone()),
            changelog: Some(changelog(None, "0.1.0", &Report::default())),
        };
        let mut files = oagen::emit::Files::new();
        files.insert(SURFACE_FILE.into(), new.to_text());
        files.insert(
            "Cargo.toml".into(),
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n".into(),
        );
        let (report, next) = committed.release(&mut files, "0.1.0").unwrap();
        assert_eq!(next, "0.1.1");
        assert_eq!(report.summary(), "1 minor");
        assert!(files["Cargo.toml"].contains("\nversion = \"0.1.1\"\n"));
        let log = &files["CHANGELOG.md"];
        let first = log.find("## 0.1.1").unwrap();
        assert!(first < log.find("## 0.1.0").unwrap(), "{log}");
        assert!(
            log.contains("- added field `Pet.age`: `Option<i64>`"),
            "{log}"
        );
        // The same surface again: no change, no bump, no changelog entry.
        let again = Committed {
            version: Some("0.1.1".into()),
            surface: Some(new.clone()),
            changelog: None,
        };
        let mut files = oagen::emit::Files::new();
        files.insert(SURFACE_FILE.into(), new.to_text());
        let (report, next) = again.release(&mut files, "0.1.1").unwrap();
        assert!(report.changes.is_empty());
        assert_eq!(next, "0.1.1");
        assert!(!files.contains_key("CHANGELOG.md"));
    }
}
