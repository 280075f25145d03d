//! `cargo xtask bench [--peers] [--nexus SPEC] [--github SPEC]`: the speed
//! figures of issue 12, side by side, each as the user meets it:
//!
//! - codegen of the Seam spec as typed (`cargo xtask codegen --check`, the
//!   dev profile), and with `--peers` openapi-generator's Rust client of the
//!   same spec, alternating in one run;
//! - `cargo xtask generate` of GitHub's REST spec as typed: time and the
//!   generator's peak memory (`VmHWM`, which it prints when
//!   `XTASK_REPORT_PEAK` is set);
//! - `cargo check` of the crate generated from Oxide's nexus spec, and with
//!   `--peers` of progenitor's, alternating, after a touch, dependencies built;
//! - `cargo check -p seam` warm, whole and with one namespace (`locks`);
//! - the criterion bench of a generated call against a hand-written one.
//!
//! Before all that, the stage-by-stage codegen bench of `oagen` (release).
//! Figures only: nothing here fails on a slow machine. A peer or spec that is
//! not there is reported as skipped, with what would provide it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::root;

/// What `bench` measures beside the Seam crate.
pub(crate) struct Options {
    pub peers: bool,
    pub nexus: Option<PathBuf>,
    pub github: Option<PathBuf>,
    pub rounds: usize,
}

/// One line of the summary: a figure, ours, the peer's, and their ratio.
struct Row {
    figure: String,
    ours: String,
    peer: String,
}

pub(crate) fn run(options: &Options) -> Result<(), String> {
    let root = root();
    let stages =
        run_ok(cargo(&root).args(["bench", "--quiet", "-p", "oagen", "--bench", "codegen"]))?;
    print!("{}", String::from_utf8_lossy(&stages.stdout));
    let mut rows = vec![codegen_as_typed(&root, options)?];
    rows.push(github(&root, options.github.as_deref())?);
    rows.push(nexus(&root, options)?);
    rows.extend(seam_check(&root, options.rounds)?);
    rows.push(call(&root)?);
    println!(
        "\n{:<48} {:<26} {:<26}",
        "figure", "ours", "peer (ratio ours/peer)"
    );
    for row in &rows {
        println!("{:<48} {:<26} {:<26}", row.figure, row.ours, row.peer);
    }
    Ok(())
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root);
    command
}

fn run_ok(command: &mut Command) -> Result<std::process::Output, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output)
}

/// The wall time of a command that must succeed.
fn timed(command: &mut Command) -> Result<(Duration, std::process::Output), String> {
    let start = Instant::now();
    let output = run_ok(command)?;
    Ok((start.elapsed(), output))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ratio(ours: Duration, peer: Duration) -> String {
    format!(
        "{} ({:.3}×)",
        secs(peer),
        ours.as_secs_f64() / peer.as_secs_f64()
    )
}

/// Whether a program answers on the PATH.
fn installed(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("oagen-bench-{name}"))
}

/// `cargo xtask codegen --check` as typed, against openapi-generator.
fn codegen_as_typed(root: &Path, options: &Options) -> Result<Row, String> {
    let xtask = |root: &Path| {
        let mut c = cargo(root);
        c.args([
            "run", "--quiet", "-p", "xtask", "--bin", "xtask", "--", "codegen", "--check",
        ]);
        c
    };
    run_ok(&mut xtask(root))?; // built, untimed
    let ogen = options.peers && installed("openapi-generator-cli", &["version"]);
    let out = scratch("ogen-seam");
    let (mut ours, mut peer) = (Vec::new(), Vec::new());
    for _ in 0..options.rounds {
        ours.push(timed(&mut xtask(root))?.0);
        if ogen {
            let _ = std::fs::remove_dir_all(&out);
            let spec = root.join("specs/seam/openapi.json");
            let mut c = Command::new("openapi-generator-cli");
            c.args(["generate", "-g", "rust", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(&out);
            peer.push(timed(&mut c)?.0);
        }
    }
    let ours = median(ours);
    Ok(Row {
        figure: "codegen of the Seam spec, as typed".into(),
        ours: secs(ours),
        peer: if ogen {
            format!("openapi-generator {}", ratio(ours, median(peer)))
        } else {
            skipped(options.peers, "pip install openapi-generator-cli")
        },
    })
}

fn skipped(peers: bool, how: &str) -> String {
    if peers {
        format!("skipped: not installed ({how})")
    } else {
        "(--peers)".into()
    }
}

/// `cargo xtask generate` of GitHub's spec as typed: time and peak memory.
fn github(root: &Path, spec: Option<&Path>) -> Result<Row, String> {
    let figure = "generate GitHub's REST spec, as typed".to_owned();
    let Some(spec) = spec else {
        return Ok(Row {
            figure,
            ours: "skipped: pass --github SPEC".into(),
            peer: "(npm pack @octokit/openapi)".into(),
        });
    };
    let out = scratch("github");
    let _ = std::fs::remove_dir_all(&out);
    let mut c = cargo(root);
    c.args([
        "run", "--quiet", "-p", "xtask", "--bin", "xtask", "--", "generate",
    ])
    .arg(spec)
    .arg("--out")
    .arg(&out)
    .env("XTASK_REPORT_PEAK", "1");
    let (time, output) = timed(&mut c)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak RSS: "))
        .unwrap_or("?");
    Ok(Row {
        figure,
        ours: format!("{}, {peak}", secs(time)),
        peer: String::new(),
    })
}

/// `cargo check` of the nexus crates, ours against progenitor's.
fn nexus(root: &Path, options: &Options) -> Result<Row, String> {
    let figure = "cargo check, nexus crate (warm, touched)".to_owned();
    let Some(spec) = &options.nexus else {
        return Ok(Row {
            figure,
            ours: "skipped: pass --nexus SPEC".into(),
            peer: "(progenitor's sample_openapi)".into(),
        });
    };
    let dir = scratch("nexus");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let ours = dir.join("oagen");
    run_ok(
        cargo(root)
            .args([
                "run", "--quiet", "-p", "xtask", "--bin", "xtask", "--", "generate",
            ])
            .arg(spec)
            .arg("--out")
            .arg(&ours),
    )?;
    let mut crates = vec![ours];
    let progenitor = options.peers && installed("cargo-progenitor", &["progenitor", "--help"]);
    if progenitor {
        let theirs = dir.join("progenitor");
        let mut c = cargo(root);
        c.args(["progenitor", "-n", "nexus-progenitor", "-v", "0.1.0", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(&theirs);
        run_ok(&mut c)?;
        crates.push(theirs);
    }
    let target = dir.join("target");
    let check = |krate: &Path| {
        let mut c = cargo(root);
        c.args(["check", "--quiet", "--manifest-path"])
            .arg(krate.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target);
        c
    };
    let mut samples = vec![Vec::new(); crates.len()];
    for krate in &crates {
        run_ok(&mut check(krate))?; // dependencies, untimed
    }
    for _ in 0..options.rounds {
        for (krate, times) in crates.iter().zip(&mut samples) {
            touch(&krate.join("src/lib.rs"))?;
            times.push(timed(&mut check(krate))?.0);
        }
    }
    let ours = median(samples[0].clone());
    Ok(Row {
        figure,
        ours: secs(ours),
        peer: match samples.get(1) {
            Some(theirs) => format!("progenitor {}", ratio(ours, median(theirs.clone()))),
            None => skipped(
                options.peers,
                "cargo install cargo-progenitor --version 0.15.1",
            ),
        },
    })
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo check -p seam` after a touch, dependencies built: the whole crate
/// and `locks` alone.
fn seam_check(root: &Path, rounds: usize) -> Result<Vec<Row>, String> {
    let builds: [(&str, &[&str]); 2] = [
        ("cargo check -p seam (warm, touched)", &[]),
        (
            "  one namespace (--features locks)",
            &["--no-default-features", "--features", "locks"],
        ),
    ];
    let lib = root.join("generated/src/lib.rs");
    let mut rows = Vec::new();
    for (figure, args) in builds {
        let check = || {
            let mut c = cargo(root);
            c.args(["check", "--quiet", "-p", "seam"]).args(args);
            c
        };
        run_ok(&mut check())?;
        let mut samples = Vec::new();
        for _ in 0..rounds {
            touch(&lib)?;
            samples.push(timed(&mut check())?.0);
        }
        rows.push(Row {
            figure: figure.into(),
            ours: secs(median(samples)),
            peer: String::new(),
        });
    }
    Ok(rows)
}

/// The criterion bench of a call; its summary line is the figure.
fn call(root: &Path) -> Result<Row, String> {
    let output =
        run_ok(cargo(root).args(["bench", "--quiet", "-p", "seam-tests", "--bench", "call"]))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("call: "))
        .unwrap_or("no figure printed");
    Ok(Row {
        figure: "a generated call vs reqwest + serde".into(),
        ours: line.to_owned(),
        peer: String::new(),
    })
}
