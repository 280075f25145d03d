//! `cargo xtask test`: the one command that runs every test from a fresh clone.
//!
//! It installs the fake Seam server from the committed `package-lock.json`
//! (`npm ci`) unless it is already installed, then runs `cargo test` over the
//! whole workspace. In CI (`CI` set) snapshots are never written.

use std::process::Command;

use crate::root;

pub(crate) fn run() -> Result<(), String> {
    let root = root();
    let e2e = root.join("crates/seam-e2e");
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
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.args(["test", "--workspace", "--all-targets"]).current_dir(&root);
    if std::env::var_os("CI").is_some() {
        cargo.env("INSTA_UPDATE", "no");
    }
    status(&mut cargo, "cargo test")?;
    let mut doc = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    doc.args(["test", "--workspace", "--doc"]).current_dir(&root);
    status(&mut doc, "cargo test --doc")
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
