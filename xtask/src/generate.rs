//! `cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>]`: any OpenAPI
//! 3.0 document → a client crate, with the same pipeline as `codegen` and no
//! Seam configuration. And `cargo xtask corpus <LIST> --root <DIR>`, which
//! runs it over a list of specs and counts the outcomes.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::root;

/// The configuration for a spec that comes with none.
fn config(name: &str) -> oagen::Config {
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
fn crate_name(spec: &Path) -> String {
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

/// The outcome of generating one spec.
enum Outcome {
    Generated { warnings: usize },
    Refused(oagen::Diagnostics),
    Panicked(String),
}

/// Runs the pipeline, turning a panic (a bug of ours) into an outcome, so one
/// spec cannot stop a corpus run.
fn run_pipeline(spec: &Path, name: &str) -> (Outcome, Option<oagen::Generated>) {
    let config = config(name);
    let result = std::panic::catch_unwind(|| oagen::generate(spec, &config));
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

fn write_crate(out: &Path, generated: &oagen::Generated) -> Result<(), String> {
    for (rel, text) in &generated.files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("files have a folder"))
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn generate(spec: &Path, out: &Path, name: Option<&str>) -> Result<(), String> {
    let name = name.map(str::to_owned).unwrap_or_else(|| crate_name(spec));
    std::panic::set_hook(Box::new(|_| {}));
    let (outcome, generated) = run_pipeline(spec, &name);
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

pub(crate) fn corpus(list: &Path, root_dir: &Path, out: Option<&Path>) -> Result<(), String> {
    let text = std::fs::read_to_string(list)
        .map_err(|e| format!("cannot read {}: {e}", list.display()))?;
    let specs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut generated, mut refused, mut panicked, mut warned) = (0, 0, 0, 0);
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    for rel in &specs {
        let spec: PathBuf = root_dir.join(rel);
        let name = crate_name(&spec);
        let (outcome, files) = run_pipeline(&spec, &name);
        match outcome {
            Outcome::Generated { warnings } => {
                generated += 1;
                if warnings > 0 {
                    warned += 1;
                }
                if let (Some(out), Some(files)) = (out, files) {
                    write_crate(&out.join(&name), &files)?;
                }
                let _ = writeln!(stdout, "generated\t{rel}\t{warnings} warning(s)");
            }
            Outcome::Refused(diags) => {
                refused += 1;
                let reason = diags
                    .iter()
                    .find(|d| d.severity == oagen::Severity::Error)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let kind = reason
                    .split(": ")
                    .last()
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect::<String>();
                *reasons.entry(kind).or_default() += 1;
                let _ = writeln!(stdout, "refused\t{rel}\t{reason}");
            }
            Outcome::Panicked(message) => {
                panicked += 1;
                let _ = writeln!(stdout, "PANICKED\t{rel}\t{message}");
            }
        }
    }
    let total = specs.len();
    let percent = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    let _ = writeln!(
        stdout,
        "\n{total} specs: {generated} generated ({:.1}%, {warned} with warnings), {refused} refused ({:.1}%), {panicked} panicked",
        percent(generated),
        percent(refused)
    );
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (reason, count) in reasons.iter().take(15) {
        let _ = writeln!(stdout, "  {count:5}  refused: {reason}");
    }
    Ok(())
}
