//! `cargo xtask generate <SPEC> --out <DIR> [--name <CRATE>]`: any OpenAPI
//! 3.0 document → a client crate, with the same pipeline as `codegen` and no
//! Seam configuration. And `cargo xtask corpus <LIST> --root <DIR>`, which
//! runs it over a list of specs and counts the outcomes, and with `--check`
//! also compile-checks the generated crates (see [`corpus`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

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

/// A crate name for each spec, from [`crate_name`], made unique in list
/// order: the second `events.json` becomes `events_2`, the third `events_3`
/// (the checked crates share one workspace, and `--out` one folder).
fn unique_crate_names(specs: &[PathBuf]) -> Vec<String> {
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
enum Outcome {
    Generated { warnings: usize },
    Refused(oagen::Diagnostics),
    Panicked(String),
}

/// Runs the pipeline, turning a panic (a bug of ours) into an outcome, so one
/// spec cannot stop a corpus run.
fn run_pipeline(spec: &Path, config: &oagen::Config) -> (Outcome, Option<oagen::Generated>) {
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

fn write_crate(out: &Path, generated: &oagen::Generated) -> Result<(), String> {
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

/// What `corpus --check` does after generating.
pub(crate) struct CheckOptions {
    /// The folder of the workspace of checked crates.
    pub out: PathBuf,
    /// Check only this many of the generated crates, picked by [`sample`].
    pub sample: Option<usize>,
    /// The seed of [`sample`].
    pub seed: u64,
    /// Run `cargo check --offline`.
    pub offline: bool,
    /// `cargo check -j`.
    pub jobs: usize,
    /// Run `cargo clippy -- -D warnings` instead of `cargo check`, so that a
    /// lint counts as an error of its crate.
    pub clippy: bool,
}

/// A generated spec: its path as listed, and its (unique) crate name.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Member {
    rel: String,
    name: String,
}

/// The counts of a corpus run's generation pass.
#[derive(Default)]
struct Tally {
    /// The generated specs, in list order.
    generated: Vec<Member>,
    /// Of those, how many came with warnings.
    warned: usize,
    refused: usize,
    panicked: usize,
    /// Refusals by the last part of their first error, for the summary.
    reasons: BTreeMap<String, usize>,
}

/// `cargo xtask corpus`: generates every spec of `list` (paths relative to
/// `root_dir`) and prints one line per spec (`generated`, `refused` with the
/// first error, `PANICKED` with the panic message), then the totals and the
/// commonest refusal reasons. Without `check`, each generated crate is also
/// written to `<out>/<name>` when `out` is given, and the run fails only on
/// unreadable input.
///
/// With `check`, the generated crates (all of them, or a [`sample`]) are
/// generated again into one cargo workspace in `check.out` and checked by a
/// single `cargo check --workspace --keep-going` (see [`check_workspace`]);
/// one line per checked crate follows, `compiled` or `COMPILE-ERRORS` with
/// the count and the first error, then the totals. Such a run fails (after
/// the totals) if a spec panicked or cargo stopped before the end of the
/// build; crates that do not compile are counted, not a failure.
pub(crate) fn corpus(
    list: &Path,
    root_dir: &Path,
    out: Option<&Path>,
    check: Option<&CheckOptions>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(list)
        .map_err(|e| format!("cannot read {}: {e}", list.display()))?;
    let specs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let names = unique_crate_names(&specs.iter().map(PathBuf::from).collect::<Vec<_>>());
    std::panic::set_hook(Box::new(|_| {}));
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut tally = Tally::default();
    for (rel, name) in specs.iter().zip(names) {
        let spec: PathBuf = root_dir.join(rel);
        let (outcome, files) = run_pipeline(&spec, &config(&name));
        match outcome {
            Outcome::Generated { warnings } => {
                if warnings > 0 {
                    tally.warned += 1;
                }
                if let (Some(out), Some(files)) = (out, files) {
                    write_crate(&out.join(&name), &files)?;
                }
                tally.generated.push(Member {
                    rel: (*rel).to_owned(),
                    name,
                });
                let _ = writeln!(stdout, "generated\t{rel}\t{warnings} warning(s)");
            }
            Outcome::Refused(diags) => {
                tally.refused += 1;
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
                *tally.reasons.entry(kind).or_default() += 1;
                let _ = writeln!(stdout, "refused\t{rel}\t{reason}");
            }
            Outcome::Panicked(message) => {
                tally.panicked += 1;
                let _ = writeln!(stdout, "PANICKED\t{rel}\t{message}");
            }
        }
    }
    let total = specs.len();
    let percent = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    let generated = tally.generated.len();
    let (refused, panicked) = (tally.refused, tally.panicked);
    let mut failure = None;
    match check {
        None => {
            let _ = writeln!(
                stdout,
                "\n{total} specs: {generated} generated ({:.1}%, {} with warnings), {refused} refused ({:.1}%), {panicked} panicked",
                percent(generated, total),
                tally.warned,
                percent(refused, total)
            );
        }
        Some(options) => {
            let members = match options.sample {
                Some(n) => sample(&tally.generated, n, options.seed),
                None => tally.generated.clone(),
            };
            write_workspace(&options.out, root_dir, &members)?;
            let (reports, cargo_failure) = check_workspace(&options.out, &members, options)?;
            let _ = writeln!(stdout);
            let mut compiled = 0;
            let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
            for (member, report) in members.iter().zip(&reports) {
                match report {
                    CrateReport::Compiled => {
                        compiled += 1;
                        let _ = writeln!(stdout, "compiled\t{}", member.rel);
                    }
                    CrateReport::Errors {
                        count,
                        first,
                        codes,
                    } => {
                        for code in codes {
                            *by_code.entry(code).or_default() += 1;
                        }
                        let _ = writeln!(
                            stdout,
                            "COMPILE-ERRORS\t{}\t{count} error(s): {first}",
                            member.rel
                        );
                    }
                    CrateReport::NotBuilt(why) => {
                        let _ =
                            writeln!(stdout, "COMPILE-ERRORS\t{}\tnot built: {why}", member.rel);
                    }
                }
            }
            let checked = members.len();
            let _ = writeln!(
                stdout,
                "\n{total} specs: {generated} generated ({:.1}%), {refused} refused, {panicked} panicked; \
                 checked {checked} crates: {compiled} compiled ({:.1}%), {} with errors",
                percent(generated, total),
                percent(compiled, checked),
                checked - compiled
            );
            let mut by_code: Vec<_> = by_code.into_iter().collect();
            by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (code, crates) in by_code.iter().take(15) {
                let _ = writeln!(stdout, "  {crates:5}  crate(s) with {code}");
            }
            let panics =
                (panicked > 0).then(|| format!("{panicked} spec(s) panicked (bugs in oagen)"));
            failure = match (cargo_failure, panics) {
                (Some(cargo), Some(panics)) => Some(format!("{cargo}\n{panics}")),
                (cargo, panics) => cargo.or(panics),
            };
        }
    }
    let mut reasons: Vec<_> = tally.reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (reason, count) in reasons.iter().take(15) {
        let _ = writeln!(stdout, "  {count:5}  refused: {reason}");
    }
    failure.map_or(Ok(()), Err)
}

/// SplitMix64 (Steele, Lea and Flood, 2014), the generator that seeds
/// xoshiro: add 0x9E3779B97F4A7C15 to the state, then mix the new state with
/// two xor-shift-multiply rounds (constants 0xBF58476D1CE4E5B9 and
/// 0x94D049BB133111EB, shifts 30, 27 and 31).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `n` of `members` (all of them if there are no more), the same for the
/// same members and `seed` on any machine: the members are sorted by spec
/// path, shuffled by Fisher–Yates driven by [`SplitMix64`] with state `seed`
/// (for `i` from the last index down to 1, swap `i` with `next() % (i + 1)`),
/// the first `n` kept and returned sorted by spec path again.
fn sample(members: &[Member], n: usize, seed: u64) -> Vec<Member> {
    let mut shuffled = members.to_vec();
    shuffled.sort();
    let mut random = SplitMix64(seed);
    for i in (1..shuffled.len()).rev() {
        // `i + 1` fits in a u64 and the remainder is at most `i`.
        let j = (random.next() % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    shuffled.truncate(n);
    shuffled.sort();
    shuffled
}

/// Writes the workspace `cargo check` runs in: each member generated again
/// (the generator is deterministic) into `<out>/<name>/`, replacing what a
/// previous run left there; `<out>/Cargo.toml`, a virtual manifest with a
/// `[workspace]` of its own, so that cargo treats `out` as a workspace root
/// even inside another workspace (such as this repository's `target/`), and
/// `<out>/Cargo.lock`, a copy of the repository's, so that the dependencies
/// the crates share with the runtime resolve to the versions it is tested
/// with (and are already downloaded for `--offline`).
fn write_workspace(out: &Path, root_dir: &Path, members: &[Member]) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for member in members {
        let dir = out.join(&member.name);
        if dir.join("Cargo.toml").exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        match run_pipeline(&root_dir.join(&member.rel), &config(&member.name)) {
            (Outcome::Generated { .. }, Some(generated)) => write_crate(&dir, &generated)?,
            _ => {
                return Err(format!(
                    "{}: generated once, but not the second time",
                    member.rel
                ))
            }
        }
    }
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus --check`: the checked crates, in one\n\
         # workspace so that they share one target folder.\n\
         [workspace]\n\
         resolver = \"2\"\n\
         members = [\n",
    );
    for member in members {
        manifest.push_str(&format!("    {:?},\n", member.name));
    }
    manifest.push_str("]\n");
    let path = out.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let lock = root().join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy {} to {}: {e}", lock.display(), out.display()))?;
    }
    Ok(())
}

/// What `cargo check` made of one crate.
enum CrateReport {
    /// Checked without errors.
    Compiled,
    /// Checked with `count` errors; the first, with its code and location.
    Errors {
        count: usize,
        first: String,
        /// The codes of its errors (`E0308`, `clippy::large_enum_variant`).
        codes: BTreeSet<String>,
    },
    /// Never checked (a dependency failed, or cargo stopped early): why.
    NotBuilt(String),
}

/// Errors and artifacts seen for one package while reading cargo's messages.
#[derive(Default)]
struct Seen {
    errors: usize,
    first_error: Option<String>,
    codes: BTreeSet<String>,
    built: bool,
}

/// Runs `cargo check --workspace --keep-going --message-format=json` once in
/// the workspace [`write_workspace`] wrote, with the target folder
/// `<out>/target`, and attributes its messages to the members by the
/// `manifest_path` of each message: a `compiler-message` of level `error`
/// counts as an error of its package (rustc's closing "aborting due to …"
/// excepted), a `compiler-artifact` marks the package as checked. A member
/// that neither failed nor was checked was not built, because a dependency
/// failed (the first error outside the members is given) or cargo stopped;
/// cargo's own `error` lines on stderr (echoed as they come) explain that.
///
/// Returns one report per member, and an error message if cargo stopped
/// before it finished the build (no `build-finished` message: an
/// unresolvable dependency, an unreadable manifest), which is not a compile
/// error of any one crate.
fn check_workspace(
    out: &Path,
    members: &[Member],
    options: &CheckOptions,
) -> Result<(Vec<CrateReport>, Option<String>), String> {
    let out =
        std::fs::canonicalize(out).map_err(|e| format!("cannot resolve {}: {e}", out.display()))?;
    let index: HashMap<PathBuf, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (out.join(&m.name).join("Cargo.toml"), i))
        .collect();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let subcommand = if options.clippy { "clippy" } else { "check" };
    let mut command = Command::new(&cargo);
    command
        .args([
            subcommand,
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(out.join("target"))
        .arg("-j")
        .arg(options.jobs.max(1).to_string())
        .current_dir(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if options.offline {
        command.arg("--offline");
    }
    if options.clippy {
        command.args(["--", "-D", "warnings"]);
    }
    eprintln!(
        "$ cargo {subcommand} --workspace --keep-going --message-format=json -j {}{}{} ({} crates in {})",
        options.jobs.max(1),
        if options.offline { " --offline" } else { "" },
        if options.clippy { " -- -D warnings" } else { "" },
        members.len(),
        out.display()
    );
    let start = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    let stderr = child
        .stderr
        .take()
        .ok_or("cargo check: no stderr to read")?;
    // Echo cargo's progress as it comes, keeping its error lines.
    let echo = std::thread::spawn(move || {
        let mut errors = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if line.starts_with("error") {
                errors.push(line);
            }
        }
        errors
    });
    let stdout = child
        .stdout
        .take()
        .ok_or("cargo check: no stdout to read")?;
    let mut seen: Vec<Seen> = members.iter().map(|_| Seen::default()).collect();
    let mut foreign_error: Option<String> = None;
    let mut finished = false;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
        // Not every line is a message (build scripts may print their own).
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let member = message["manifest_path"]
            .as_str()
            .and_then(|path| index.get(Path::new(path)).copied());
        match message["reason"].as_str() {
            Some("compiler-message") => {
                let Some(error) = describe_error(&message["message"]) else {
                    continue;
                };
                match member {
                    Some(i) => {
                        seen[i].errors += 1;
                        seen[i].first_error.get_or_insert(error);
                        if let Some(code) = message["message"]["code"]["code"].as_str() {
                            seen[i].codes.insert(code.to_owned());
                        }
                    }
                    None => {
                        let package = message["package_id"].as_str().unwrap_or("?");
                        foreign_error.get_or_insert(format!("{package}: {error}"));
                    }
                }
            }
            Some("compiler-artifact") => {
                if let Some(i) = member {
                    seen[i].built = true;
                }
            }
            Some("build-finished") => finished = true,
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo check: {e}"))?;
    let cargo_errors = echo
        .join()
        .map_err(|_| "cannot read cargo check's stderr".to_owned())?;
    eprintln!(
        "cargo {subcommand}: {status} after {:.0} s",
        start.elapsed().as_secs_f64()
    );
    let reports = members
        .iter()
        .zip(seen)
        .map(|(member, seen)| match seen {
            Seen {
                errors: count @ 1..,
                first_error,
                codes,
                ..
            } => CrateReport::Errors {
                count,
                first: first_error.unwrap_or_default(),
                codes,
            },
            Seen { built: true, .. } => CrateReport::Compiled,
            Seen { .. } => {
                // Cargo names a crate `name`, and a member by its path.
                let (named, by_path) = (format!("`{}`", member.name), format!("/{}`", member.name));
                let mine = |line: &&String| line.contains(&named) || line.contains(&by_path);
                let why = cargo_errors.iter().find(mine).cloned().or_else(|| {
                    if finished {
                        foreign_error
                            .as_ref()
                            .map(|e| format!("a dependency failed: {e}"))
                    } else {
                        cargo_errors
                            .first()
                            .map(|e| format!("cargo stopped before checking it: {e}"))
                    }
                });
                let why = why.unwrap_or_else(|| "cargo did not check it".to_owned());
                CrateReport::NotBuilt(why)
            }
        })
        .collect();
    let failure = (!finished).then(|| {
        format!(
            "cargo check stopped before finishing ({status}): {}",
            cargo_errors.join("; ")
        )
    });
    Ok((reports, failure))
}

/// `error[E0308]: mismatched types at api/src/types.rs:12` for a rustc
/// diagnostic of level `error` (one line, whatever the message), `None` for
/// other levels and for rustc's closing "aborting due to …".
fn describe_error(diagnostic: &serde_json::Value) -> Option<String> {
    if diagnostic["level"].as_str() != Some("error") {
        return None;
    }
    let text = diagnostic["message"].as_str().unwrap_or("");
    if text.starts_with("aborting due to") {
        return None;
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let code = diagnostic["code"]["code"]
        .as_str()
        .map(|code| format!("[{code}]"))
        .unwrap_or_default();
    let location = diagnostic["spans"]
        .as_array()
        .and_then(|spans| {
            spans
                .iter()
                .find(|s| s["is_primary"].as_bool() == Some(true))
        })
        .map(|span| {
            format!(
                " at {}:{}",
                span["file_name"].as_str().unwrap_or("?"),
                span["line_start"].as_u64().unwrap_or(0)
            )
        })
        .unwrap_or_default();
    Some(format!("error{code}: {text}{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(rel: &str) -> Member {
        Member {
            rel: rel.to_owned(),
            name: crate_name(Path::new(rel)),
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

    #[test]
    fn splitmix64_matches_the_reference() {
        // The first outputs of the reference implementation for seed 0.
        let mut random = SplitMix64(0);
        assert_eq!(random.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(random.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn samples_are_reproducible_and_independent_of_order() {
        let members: Vec<Member> = (0..50).map(|i| member(&format!("api/{i}.json"))).collect();
        let mut reversed = members.clone();
        reversed.reverse();
        let picked = sample(&members, 10, 7);
        assert_eq!(picked.len(), 10);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
        assert!(picked == sample(&reversed, 10, 7));
        assert!(picked != sample(&members, 10, 8));
        assert_eq!(sample(&members, 100, 7).len(), 50);
    }

    #[test]
    fn errors_are_described_on_one_line() {
        let diagnostic = serde_json::json!({
            "level": "error",
            "message": "mismatched types\nexpected `u8`",
            "code": { "code": "E0308" },
            "spans": [
                { "file_name": "x/src/a.rs", "line_start": 3, "is_primary": false },
                { "file_name": "x/src/b.rs", "line_start": 9, "is_primary": true }
            ]
        });
        assert_eq!(
            describe_error(&diagnostic).as_deref(),
            Some("error[E0308]: mismatched types expected `u8` at x/src/b.rs:9")
        );
        let aborting =
            serde_json::json!({ "level": "error", "message": "aborting due to 2 previous errors" });
        assert_eq!(describe_error(&aborting), None);
        assert_eq!(
            describe_error(&serde_json::json!({ "level": "warning" })),
            None
        );
    }
}
