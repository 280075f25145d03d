//! `cargo xtask corpus <LIST> --root <DIR>`: runs the pipeline of
//! `generate` over a list of specs and counts the outcomes, and with
//! `--check` also compile-checks the generated crates (see [`run`]).
//!
//! The generation pass and the printed totals are here; [`sample`] picks the
//! crates `--sample` checks, [`workspace`] writes them into one cargo
//! workspace and [`check`] runs cargo over it and reads its verdicts.

mod check;
pub(crate) mod sample;
mod workspace;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use oagen::config::ConfigFile;

use crate::generate::{config, run_pipeline, unique_crate_names, write_crate, Outcome};
use check::{check_workspace, CrateReport};
use workspace::write_workspace;

/// What `corpus --check` does after generating.
pub(crate) struct CheckOptions {
    /// The folder of the workspace of checked crates.
    pub out: PathBuf,
    /// Check only this many of the generated crates, picked by
    /// [`sample()`](sample::sample).
    pub sample: Option<usize>,
    /// The seed of [`sample()`](sample::sample).
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
/// With `check`, the generated crates (all of them, or a
/// [`sample()`](sample::sample)) are generated again into one cargo workspace
/// in `check.out` and checked by a single `cargo check --workspace
/// --keep-going` (see [`check_workspace`]); one line per checked crate
/// follows, `compiled` or `COMPILE-ERRORS` with the count and the first
/// error, then the totals. Such a run fails (after the totals) if a spec
/// panicked or cargo stopped before the end of the build; crates that do not
/// compile are counted, not a failure.
pub(crate) fn run(
    list: &Path,
    root_dir: &Path,
    file: &ConfigFile,
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
    std::panic::set_hook(Box::new(|_| {}));
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let tally = generate_all(&specs, root_dir, file, out, &mut stdout)?;
    let failure = match check {
        None => {
            tally.print_totals(specs.len(), &mut stdout);
            None
        }
        Some(options) => {
            check_generated(root_dir, file, options, &tally, specs.len(), &mut stdout)?
        }
    };
    print_refusal_reasons(tally.reasons, &mut stdout);
    failure.map_or(Ok(()), Err)
}

/// The generation pass: runs the pipeline over the listed specs in list
/// order, each under its unique crate name, writes each generated crate to
/// `<out>/<name>` when `out` is given, and prints and counts each outcome
/// ([`Tally::record`]). Fails only if a crate cannot be written.
fn generate_all(
    specs: &[&str],
    root_dir: &Path,
    file: &ConfigFile,
    out: Option<&Path>,
    stdout: &mut impl Write,
) -> Result<Tally, String> {
    let names = unique_crate_names(&specs.iter().map(PathBuf::from).collect::<Vec<_>>());
    let mut tally = Tally::default();
    for (rel, name) in specs.iter().zip(names) {
        let spec: PathBuf = root_dir.join(rel);
        let (outcome, files) = run_pipeline(&spec, &config(&name, file));
        if let (Outcome::Generated { .. }, Some(out), Some(files)) = (&outcome, out, files) {
            write_crate(&out.join(&name), &files)?;
        }
        tally.record(rel, name, outcome, stdout);
    }
    Ok(tally)
}

impl Tally {
    /// Counts the outcome of the spec `rel` (crate `name`) and prints its
    /// line: `generated` with its number of warnings, `refused` with its
    /// first error (whose last part is counted as a [`refusal_kind`]), or
    /// `PANICKED` with the panic message.
    fn record(&mut self, rel: &str, name: String, outcome: Outcome, stdout: &mut impl Write) {
        match outcome {
            Outcome::Generated { warnings } => {
                if warnings > 0 {
                    self.warned += 1;
                }
                self.generated.push(Member {
                    rel: rel.to_owned(),
                    name,
                });
                let _ = writeln!(stdout, "generated\t{rel}\t{warnings} warning(s)");
            }
            Outcome::Refused(diags) => {
                self.refused += 1;
                let reason = diags
                    .iter()
                    .find(|d| d.severity == oagen::Severity::Error)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                *self.reasons.entry(refusal_kind(&reason)).or_default() += 1;
                let _ = writeln!(stdout, "refused\t{rel}\t{reason}");
            }
            Outcome::Panicked(message) => {
                self.panicked += 1;
                let _ = writeln!(stdout, "PANICKED\t{rel}\t{message}");
            }
        }
    }

    /// The totals line of a run without `--check`.
    fn print_totals(&self, total: usize, stdout: &mut impl Write) {
        let generated = self.generated.len();
        let (refused, panicked) = (self.refused, self.panicked);
        let _ = writeln!(
            stdout,
            "\n{total} specs: {generated} generated ({:.1}%, {} with warnings), {refused} refused ({:.1}%), {panicked} panicked",
            percent(generated, total),
            self.warned,
            percent(refused, total)
        );
    }
}

/// What a refusal is counted as in the summary: the last part of its first
/// error (after the JSON pointer and any context), at most 60 characters, so
/// that the same kind of refusal of different specs counts as one reason.
fn refusal_kind(reason: &str) -> String {
    reason
        .split(": ")
        .last()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect()
}

/// `n` of `of` as a percentage (0 of 0 is 0%).
fn percent(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of.max(1) as f64
}

/// The `--check` pass: writes the generated crates (or the `--sample` of
/// them) into the workspace of `options.out`, checks them all with one cargo
/// run, prints a line per checked crate and the totals ([`CheckTally`]), and
/// returns what makes the run fail, if anything: cargo stopping before the
/// end of the build, or specs that panicked.
fn check_generated(
    root_dir: &Path,
    file: &ConfigFile,
    options: &CheckOptions,
    tally: &Tally,
    total: usize,
    stdout: &mut impl Write,
) -> Result<Option<String>, String> {
    let members = match options.sample {
        Some(n) => sample::sample(&tally.generated, n, options.seed),
        None => tally.generated.clone(),
    };
    write_workspace(&options.out, root_dir, file, &members)?;
    let (reports, cargo_failure) = check_workspace(&options.out, &members, options)?;
    let _ = writeln!(stdout);
    let checked = CheckTally::print_reports(&members, &reports, stdout);
    checked.print_totals(tally, total, stdout);
    let panicked = tally.panicked;
    let panics = (panicked > 0).then(|| format!("{panicked} spec(s) panicked (bugs in oagen)"));
    Ok(match (cargo_failure, panics) {
        (Some(cargo), Some(panics)) => Some(format!("{cargo}\n{panics}")),
        (cargo, panics) => cargo.or(panics),
    })
}

/// The counts of the `--check` pass.
struct CheckTally<'a> {
    /// How many crates were checked.
    checked: usize,
    /// Of those, how many compiled.
    compiled: usize,
    /// For each error code (or lint), how many crates had it.
    by_code: BTreeMap<&'a str, usize>,
}

impl<'a> CheckTally<'a> {
    /// Prints one line per checked crate, `compiled` or `COMPILE-ERRORS`
    /// with its error count and first error (or why it was not built), and
    /// counts them.
    fn print_reports(
        members: &[Member],
        reports: &'a [CrateReport],
        stdout: &mut impl Write,
    ) -> Self {
        let mut tally = CheckTally {
            checked: members.len(),
            compiled: 0,
            by_code: BTreeMap::new(),
        };
        for (member, report) in members.iter().zip(reports) {
            match report {
                CrateReport::Compiled => {
                    tally.compiled += 1;
                    let _ = writeln!(stdout, "compiled\t{}", member.rel);
                }
                CrateReport::Errors {
                    count,
                    first,
                    codes,
                } => {
                    for code in codes {
                        *tally.by_code.entry(code).or_default() += 1;
                    }
                    let _ = writeln!(
                        stdout,
                        "COMPILE-ERRORS\t{}\t{count} error(s): {first}",
                        member.rel
                    );
                }
                CrateReport::NotBuilt(why) => {
                    let _ = writeln!(stdout, "COMPILE-ERRORS\t{}\tnot built: {why}", member.rel);
                }
            }
        }
        tally
    }

    /// The totals line of a `--check` run, both passes in one, then the 15
    /// commonest error codes by the number of crates they were found in.
    fn print_totals(self, generation: &Tally, total: usize, stdout: &mut impl Write) {
        let generated = generation.generated.len();
        let (refused, panicked) = (generation.refused, generation.panicked);
        let (checked, compiled) = (self.checked, self.compiled);
        let _ = writeln!(
            stdout,
            "\n{total} specs: {generated} generated ({:.1}%), {refused} refused, {panicked} panicked; \
             checked {checked} crates: {compiled} compiled ({:.1}%), {} with errors",
            percent(generated, total),
            percent(compiled, checked),
            checked - compiled
        );
        let mut by_code: Vec<_> = self.by_code.into_iter().collect();
        by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (code, crates) in by_code.iter().take(15) {
            let _ = writeln!(stdout, "  {crates:5}  crate(s) with {code}");
        }
    }
}

/// The 15 commonest refusal reasons, commonest first, printed last in every
/// run.
fn print_refusal_reasons(reasons: BTreeMap<String, usize>, stdout: &mut impl Write) {
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (reason, count) in reasons.iter().take(15) {
        let _ = writeln!(stdout, "  {count:5}  refused: {reason}");
    }
}
