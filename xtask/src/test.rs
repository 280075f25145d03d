//! `cargo xtask test`: the one command that runs every test from a fresh clone.
//!
//! It installs the fake Seam server from the committed `package-lock.json`
//! (`npm ci`) unless it is already installed, runs `cargo test` over the whole
//! workspace with `cargo clippy -D warnings` and `cargo doc` with warnings
//! denied, then runs every test (doc tests, then unit, integration and
//! end-to-end tests; the drift check of `generated/` is one of them), then a
//! `cargo publish --dry-run` of `oagen-runtime` and `seam`, then a
//! short seeded fuzz run (`FUZZING.md`). In CI
//! (`CI` set) snapshots are never written, the fake is always installed afresh
//! and incremental compilation is off (it only costs disk in a one-off build).

use std::process::Command;

use crate::root;

pub(crate) fn run() -> Result<(), String> {
    let root = root();
    let e2e = root.join("crates/seam-tests");
    let installed = e2e
        .join("node_modules/@seamapi/fake-seam-connect/dist/server.js")
        .exists();
    if !installed || std::env::var_os("CI").is_some() {
        let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
        status(
            Command::new(npm)
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&e2e),
            "npm ci (installs the fake Seam server; needs Node.js 18 or later)",
        )?;
    }
    let cargo = |args: &[&str]| {
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command.args(args).current_dir(&root);
        if std::env::var_os("CI").is_some() {
            command.env("INSTA_UPDATE", "no");
            // A CI run builds once: incremental caches would only take disk
            // (1.9 GB of a 4.9 GB run when they were on).
            command.env("CARGO_INCREMENTAL", "0");
        }
        command
    };
    // Lints and docs first, so that the run ends with the test results.
    status(
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy --workspace --all-targets -- -D warnings",
    )?;
    // The undocumented operations of `seam`, behind its feature, are
    // linted too.
    status(
        &mut cargo(&[
            "clippy",
            "-p",
            "seam",
            "--features",
            "undocumented",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy -p seam --features undocumented -- -D warnings",
    )?;
    // One namespace alone (`features = ["locks"]`) compiles, without the
    // types only the others use, and without warnings; with the other
    // choice of TLS roots, and gzip alone.
    status(
        &mut cargo(&[
            "clippy",
            "-p",
            "seam",
            "--no-default-features",
            "--features",
            "locks,webpki-roots,gzip",
            "--",
            "-D",
            "warnings",
        ]),
        "cargo clippy -p seam --no-default-features --features locks,webpki-roots,gzip -- -D warnings",
    )?;
    let mut doc = cargo(&["doc", "--workspace", "--no-deps"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    status(
        &mut doc,
        "RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps",
    )?;
    let mut doc = cargo(&[
        "doc",
        "-p",
        "seam",
        "--no-deps",
        "--features",
        "undocumented",
    ]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    status(
        &mut doc,
        "RUSTDOCFLAGS='-D warnings' cargo doc -p seam --no-deps --features undocumented",
    )?;
    status(
        &mut cargo(&["test", "--workspace", "--doc"]),
        "cargo test --workspace --doc",
    )?;
    status(
        &mut cargo(&["test", "--workspace", "--all-targets"]),
        "cargo test --workspace --all-targets",
    )?;
    // The two crates a team depends on package and build as crates.io
    // would have them (the runtime from its package, not by path).
    status(
        &mut cargo(&[
            "publish",
            "--dry-run",
            "--allow-dirty",
            "-p",
            "oagen-runtime",
            "-p",
            "seam",
        ]),
        "cargo publish --dry-run --allow-dirty -p oagen-runtime -p seam",
    )?;
    // A short fuzz run, the same inputs every time (about 10 s in a debug
    // build): any finding on them fails the suite.
    status(
        &mut cargo(&[
            "run", "-p", "xtask", "--", "fuzz", "--inputs", "500", "--seed", "1",
        ]),
        "cargo xtask fuzz --inputs 500 --seed 1",
    )
}

fn status(command: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("$ {what}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
