//! `cargo xtask bench`: prints how long codegen of the Seam spec takes, stage
//! by stage (the `codegen` bench of `oagen`, in release mode), and how long
//! `cargo check` of the generated crate takes once its dependencies are built.
//! Figures only: nothing here fails on a slow machine.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::root;

pub(crate) fn run() -> Result<(), String> {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["bench", "--quiet", "-p", "oagen", "--bench", "codegen"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }

    // Dependencies first, untimed; then the crate alone, after a touch.
    let check = || {
        Command::new(&cargo)
            .args(["check", "--quiet", "-p", "seam"])
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run cargo check: {e}"))
            .and_then(|s| {
                if s.success() {
                    Ok(())
                } else {
                    Err(format!("cargo check failed ({s})"))
                }
            })
    };
    check()?;
    let lib = root.join("generated/src/lib.rs");
    let mut samples = Vec::new();
    for _ in 0..3 {
        let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, text).map_err(|e| e.to_string())?;
        let start = Instant::now();
        check()?;
        samples.push(start.elapsed());
    }
    samples.sort();
    let ms = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    println!(
        "cargo check -p seam, dependencies built: median {} (min {}, max {}) of 3",
        ms(samples[1]),
        ms(samples[0]),
        ms(samples[2])
    );
    Ok(())
}
