//! One `cargo check` (or `cargo clippy`) over the workspace of generated
//! crates, and what its JSON messages say about each crate: compiled, failed
//! with errors (counted, the first described, their codes collected), or not
//! built, and why.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{ChildStderr, Command, Stdio};
use std::thread::JoinHandle;
use std::time::Instant;

use super::{CheckOptions, Member};

/// What `cargo check` made of one crate.
pub(super) enum CrateReport {
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
/// the workspace [`write_workspace`](super::workspace::write_workspace)
/// wrote, with the target folder `<out>/target`, and attributes its messages
/// to the members by the `manifest_path` of each message: a
/// `compiler-message` of level `error` counts as an error of its package
/// (rustc's closing "aborting due to …" excepted), a `compiler-artifact`
/// marks the package as checked. A member that neither failed nor was checked
/// was not built, because a dependency failed (the first error outside the
/// members is given) or cargo stopped; cargo's own `error` lines on stderr
/// (echoed as they come) explain that.
///
/// Returns one report per member, and an error message if cargo stopped
/// before it finished the build (no `build-finished` message: an
/// unresolvable dependency, an unreadable manifest), which is not a compile
/// error of any one crate.
pub(super) fn check_workspace(
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
    let mut cargo = CargoCommand::new(&out, options);
    eprintln!(
        "$ cargo {} --workspace --keep-going --message-format=json -j {}{}{} ({} crates in {})",
        cargo.subcommand,
        options.jobs.max(1),
        if options.offline { " --offline" } else { "" },
        if options.clippy {
            " -- -D warnings"
        } else {
            ""
        },
        members.len(),
        out.display()
    );
    let start = Instant::now();
    let mut child = cargo
        .command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cargo.program))?;
    let stderr = child
        .stderr
        .take()
        .ok_or("cargo check: no stderr to read")?;
    let echo = echo_stderr(stderr);
    let stdout = child
        .stdout
        .take()
        .ok_or("cargo check: no stdout to read")?;
    let messages = Messages::read(stdout, &index, members.len())?;
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo check: {e}"))?;
    let cargo_errors = echo
        .join()
        .map_err(|_| "cannot read cargo check's stderr".to_owned())?;
    eprintln!(
        "cargo {}: {status} after {:.0} s",
        cargo.subcommand,
        start.elapsed().as_secs_f64()
    );
    let failure = (!messages.finished).then(|| {
        format!(
            "cargo check stopped before finishing ({status}): {}",
            cargo_errors.join("; ")
        )
    });
    Ok((messages.into_reports(members, &cargo_errors), failure))
}

/// The cargo run of [`check_workspace`], ready to spawn.
struct CargoCommand {
    /// The cargo program: `$CARGO` (the cargo running xtask), else `cargo`.
    program: String,
    /// `check`, or `clippy` with `--clippy`.
    subcommand: &'static str,
    command: Command,
}

impl CargoCommand {
    /// `cargo check` (or `clippy -- -D warnings`) of every member of the
    /// workspace in `out` (a canonical path), continuing past failing crates,
    /// with JSON messages on a piped stdout, cargo's progress on a piped
    /// stderr, `-j` and `--offline` from `options`, and `<out>/target` as the
    /// target folder, so that the crates never share one with the repository.
    fn new(out: &Path, options: &CheckOptions) -> Self {
        let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let subcommand = if options.clippy { "clippy" } else { "check" };
        let mut command = Command::new(&program);
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
            .current_dir(out)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if options.offline {
            command.arg("--offline");
        }
        if options.clippy {
            command.args(["--", "-D", "warnings"]);
        }
        CargoCommand {
            program,
            subcommand,
            command,
        }
    }
}

/// Echoes cargo's progress (its stderr) as it comes, on a thread of its own
/// so that neither pipe fills up while the other is read. The thread returns
/// cargo's own `error` lines, which say why a crate was not built.
fn echo_stderr(stderr: ChildStderr) -> JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut errors = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if line.starts_with("error") {
                errors.push(line);
            }
        }
        errors
    })
}

/// What cargo's JSON messages said, attributed to the members.
struct Messages {
    /// For each member, in order, what was seen of it.
    seen: Vec<Seen>,
    /// The first error of a package that is not a member (a dependency).
    foreign_error: Option<String>,
    /// Whether cargo reported `build-finished`.
    finished: bool,
}

impl Messages {
    /// Reads cargo's stdout to its end, one message a line, attributing each
    /// to the member whose manifest is its `manifest_path` in `index` (see
    /// [`Messages::record`]).
    fn read(
        stdout: impl Read,
        index: &HashMap<PathBuf, usize>,
        members: usize,
    ) -> Result<Self, String> {
        let mut messages = Messages {
            seen: (0..members).map(|_| Seen::default()).collect(),
            foreign_error: None,
            finished: false,
        };
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
            // Not every line is a message (build scripts may print their own).
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let member = message["manifest_path"]
                .as_str()
                .and_then(|path| index.get(Path::new(path)).copied());
            messages.record(&message, member);
        }
        Ok(messages)
    }

    /// Counts one message of the package `member` (`None`: not a member): an
    /// error ([`describe_error`]) of a member, with its code; the first
    /// error of any other package; a member's artifact (it was checked); the
    /// end of the build. Other messages say nothing of the outcome.
    fn record(&mut self, message: &serde_json::Value, member: Option<usize>) {
        match message["reason"].as_str() {
            Some("compiler-message") => {
                let Some(error) = describe_error(&message["message"]) else {
                    return;
                };
                match member {
                    Some(i) => {
                        let seen = &mut self.seen[i];
                        seen.errors += 1;
                        seen.first_error.get_or_insert(error);
                        if let Some(code) = message["message"]["code"]["code"].as_str() {
                            seen.codes.insert(code.to_owned());
                        }
                    }
                    None => {
                        let package = message["package_id"].as_str().unwrap_or("?");
                        self.foreign_error
                            .get_or_insert(format!("{package}: {error}"));
                    }
                }
            }
            Some("compiler-artifact") => {
                if let Some(i) = member {
                    self.seen[i].built = true;
                }
            }
            Some("build-finished") => self.finished = true,
            _ => {}
        }
    }

    /// One report per member: errors if it had any, compiled if it was
    /// checked without, else not built ([`Messages::why_not_built`]).
    fn into_reports(mut self, members: &[Member], cargo_errors: &[String]) -> Vec<CrateReport> {
        let seen = std::mem::take(&mut self.seen);
        members
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
                Seen { .. } => CrateReport::NotBuilt(self.why_not_built(member, cargo_errors)),
            })
            .collect()
    }

    /// Why `member` was neither failed nor checked: cargo's own error line
    /// that names it, else (if the build finished) the first error of a
    /// dependency, else the first error cargo stopped on.
    fn why_not_built(&self, member: &Member, cargo_errors: &[String]) -> String {
        // Cargo names a crate `name`, and a member by its path.
        let (named, by_path) = (format!("`{}`", member.name), format!("/{}`", member.name));
        let mine = |line: &&String| line.contains(&named) || line.contains(&by_path);
        let why = cargo_errors.iter().find(mine).cloned().or_else(|| {
            if self.finished {
                self.foreign_error
                    .as_ref()
                    .map(|e| format!("a dependency failed: {e}"))
            } else {
                cargo_errors
                    .first()
                    .map(|e| format!("cargo stopped before checking it: {e}"))
            }
        });
        why.unwrap_or_else(|| "cargo did not check it".to_owned())
    }
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
