//! The checkout xtask acts on: the workspace root above the current
//! directory, found when xtask runs, not when it is compiled.
//!
//! A path baked in at compile time (the folder of xtask's manifest, as cargo
//! tells the compiler) names the checkout the binary was built in. With a
//! shared `CARGO_TARGET_DIR`, cargo reuses one checkout's binary in another,
//! which then read (and could have rewritten) the other checkout's files. So
//! the root is looked up from the current directory instead, the one `cargo
//! xtask` is run in, once per run.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The root, once [`locate`] found it.
static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// The workspace root of the checkout xtask runs in (see [`locate`]).
///
/// # Panics
///
/// Outside a checkout. `main` calls [`locate`] before any command, so that
/// a run outside a checkout ends with its message instead; only the unit
/// tests get here first, and they run in `xtask/`.
pub(crate) fn root() -> PathBuf {
    match locate() {
        Ok(root) => root.to_path_buf(),
        Err(message) => panic!("{message}"),
    }
}

/// Finds the workspace root above the current directory ([`find_root`]) the
/// first time, and returns the same root afterwards: nothing changes the
/// current directory during a run, and `corpus` asks for the root once per
/// spec.
pub(crate) fn locate() -> Result<&'static Path, String> {
    if let Some(root) = ROOT.get() {
        return Ok(root);
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let root = find_root(&cwd)?;
    Ok(ROOT.get_or_init(|| root))
}

/// The first of `start` and its ancestors that is the root of a checkout: a
/// folder whose `Cargo.toml` has a `[workspace]` table and which holds
/// `xtask/Cargo.toml`.
///
/// The folders are walked here rather than asking `cargo locate-project
/// --workspace`: that needs a `cargo` to run (the binary also runs on its
/// own, as its integration tests run it), and it loads every member's
/// manifest, so it fails in a checkout whose `generated/Cargo.toml` (itself
/// an output of `codegen`) is broken or missing, which is when `codegen` is
/// wanted. The `xtask/Cargo.toml` marker skips workspaces nested in the
/// checkout, such as the one `corpus --check` writes in `target/corpus`.
fn find_root(start: &Path) -> Result<PathBuf, String> {
    start
        .ancestors()
        .find(|dir| is_root(dir))
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "cargo xtask must run inside a checkout of this repository, and {} is not in one: \
                 neither it nor a folder above it has a Cargo.toml with a [workspace] table \
                 next to xtask/Cargo.toml",
                start.display()
            )
        })
}

/// Whether `dir` is the root of a checkout (see [`find_root`]).
fn is_root(dir: &Path) -> bool {
    dir.join("xtask/Cargo.toml").is_file()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| has_workspace_table(&manifest))
}

/// Whether a manifest has a `[workspace]` table, by its table headers:
/// `[workspace]` or a dotted `[workspace.package]`, spaces and a trailing
/// comment allowed. A scan of headers, not a TOML parser, which xtask would
/// need only for this: cargo's workspace roots declare the table that way.
fn has_workspace_table(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some(header) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        else {
            return false;
        };
        // `[[bin]]` and the like are arrays of tables, not `[workspace]`.
        !header.starts_with('[') && header.split('.').next().map(str::trim) == Some("workspace")
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    /// A fresh, empty folder under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-root-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn workspace_tables_are_recognised_by_their_headers() {
        assert!(has_workspace_table("[workspace]\nmembers = []\n"));
        assert!(has_workspace_table("[package]\n\n[ workspace ] # root\n"));
        assert!(has_workspace_table(
            "[workspace.package]\nedition = \"2021\"\n"
        ));
        assert!(!has_workspace_table("[package]\nworkspace = \"..\"\n"));
        assert!(!has_workspace_table("[workspaces]\n[[workspace]]\n"));
        assert!(!has_workspace_table("# [workspace]\n[package]\n"));
    }

    /// The unit tests run in `xtask/`: its own manifest has no `[workspace]`,
    /// so the root is the folder above, this checkout.
    #[test]
    fn the_root_of_this_checkout_is_above_xtask() {
        let root = root();
        assert!(root.join("xtask/Cargo.toml").is_file());
        assert!(root.join("specs/seam/openapi.json").is_file());
        assert_eq!(find_root(&root.join("xtask/src")).unwrap(), root);
    }

    #[test]
    fn the_first_checkout_above_wins_and_nested_workspaces_do_not_count() {
        let dir = scratch("nested");
        fs::create_dir_all(dir.join("xtask")).unwrap();
        fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        fs::write(
            dir.join("xtask/Cargo.toml"),
            "[package]\nname = \"xtask\"\n",
        )
        .unwrap();
        // A workspace without `xtask/`, like `target/corpus`, is not a root.
        let nested = dir.join("target/corpus/api/src");
        fs::create_dir_all(&nested).unwrap();
        fs::write(dir.join("target/corpus/Cargo.toml"), "[workspace]\n").unwrap();
        assert_eq!(find_root(&nested).unwrap(), dir);
        assert_eq!(find_root(&dir).unwrap(), dir);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn outside_a_checkout_the_error_says_so() {
        let dir = scratch("outside");
        // No manifest here; whatever is above the temporary folder is not
        // a checkout of this repository on any sane machine.
        let message = find_root(&dir).unwrap_err();
        assert!(message.contains("must run inside a checkout"), "{message}");
        assert!(message.contains(&dir.display().to_string()), "{message}");
        // A `[workspace]` without `xtask/` is not a checkout either.
        fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
        assert!(find_root(&dir).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
