//! The cargo workspace `corpus --check` checks the generated crates in: one
//! workspace, so that they share one target folder and one `cargo check`.

use std::path::Path;

use oagen::config::ConfigFile;

use super::Member;
use crate::generate::{config, run_pipeline, write_crate, Outcome};
use crate::root;

/// Writes the workspace `cargo check` runs in: each member generated again
/// (the generator is deterministic) into `<out>/<name>/`, replacing what a
/// previous run left there; `<out>/Cargo.toml`, a virtual manifest with a
/// `[workspace]` of its own, so that cargo treats `out` as a workspace root
/// even inside another workspace (such as this repository's `target/`), and
/// `<out>/Cargo.lock`, a copy of the repository's, so that the dependencies
/// the crates share with the runtime resolve to the versions it is tested
/// with (and are already downloaded for `--offline`).
pub(super) fn write_workspace(
    out: &Path,
    root_dir: &Path,
    file: &ConfigFile,
    members: &[Member],
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for member in members {
        let dir = out.join(&member.name);
        if dir.join("Cargo.toml").exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        match run_pipeline(&root_dir.join(&member.rel), &config(&member.name, file)) {
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
