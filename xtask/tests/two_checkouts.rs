//! One xtask binary run in two checkouts, which is what a shared
//! `CARGO_TARGET_DIR` amounts to: cargo builds xtask in one checkout and
//! runs that binary in the other. Each run must act on the checkout it is run
//! in, found from its current directory, never on the one it was built in.
//!
//! The checkouts are temporary copies of what `codegen` reads and writes, and
//! the binary is run directly (no cargo), so the test takes a few seconds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

/// What `codegen` needs of a checkout: the workspace manifest and the
/// `xtask/Cargo.toml` that mark its root, the specs, and the two generated
/// crates.
const PARTS: [&str; 5] = [
    "Cargo.toml",
    "xtask/Cargo.toml",
    "specs",
    "generated",
    "crates/wire-example",
];

/// The parts of [`PARTS`] that `codegen` could write to.
const WRITABLE: [&str; 3] = ["specs", "generated", "crates/wire-example"];

/// The checkout this test was built from. Cargo runs integration tests in
/// the package's folder, `xtask/`.
fn real_checkout() -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    assert!(
        cwd.join("tests/two_checkouts.rs").is_file(),
        "not run in xtask/"
    );
    cwd.parent().unwrap().to_path_buf()
}

/// A fresh, empty folder under the system's temporary folder, outside any
/// checkout.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the file or folder `from` to `to`.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
    }
}

/// A checkout for `codegen`: [`PARTS`] of the real one, copied to `dir`.
fn checkout_copy(real: &Path, dir: &Path) {
    for part in PARTS {
        copy(&real.join(part), &dir.join(part));
    }
}

/// Every file under `dirs` of `root` with its contents and modification
/// time, to tell whether anything was written, even the same bytes again.
fn snapshot(root: &Path, dirs: &[&str]) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    fn walk(path: &Path, files: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        if path.is_dir() {
            for entry in fs::read_dir(path).unwrap() {
                walk(&entry.unwrap().path(), files);
            }
        } else {
            let modified = fs::metadata(path).unwrap().modified().unwrap();
            files.insert(path.to_path_buf(), (fs::read(path).unwrap(), modified));
        }
    }
    let mut files = BTreeMap::new();
    for dir in dirs {
        walk(&root.join(dir), &mut files);
    }
    assert!(!files.is_empty(), "nothing under {}", root.display());
    files
}

/// Runs the xtask binary under test with `args` in `cwd`.
fn xtask(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn codegen_check_acts_on_the_checkout_it_is_run_in() {
    let real = real_checkout();
    let dir = scratch("two-checkouts");
    let (clean, edited) = (dir.join("clean"), dir.join("edited"));
    checkout_copy(&real, &clean);
    checkout_copy(&real, &edited);
    let file = edited.join("generated/src/client.rs");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("// edited by hand\n");
    fs::write(&file, text).unwrap();
    let before = [
        snapshot(&real, &WRITABLE),
        snapshot(&clean, &PARTS),
        snapshot(&edited, &PARTS),
    ];

    let passed = xtask(&clean, &["codegen", "--check"]);
    let stderr = String::from_utf8_lossy(&passed.stderr);
    assert!(passed.status.success(), "the clean copy failed:\n{stderr}");

    // Run from a subfolder, as `cd crates && cargo xtask codegen --check`.
    let failed = xtask(&edited.join("crates"), &["codegen", "--check"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        !failed.status.success(),
        "the edited copy passed:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "generated code is out of date with specs/:\n  generated/src/client.rs\nrun `cargo xtask codegen` to update it"
        ),
        "{stderr}"
    );

    let after = [
        snapshot(&real, &WRITABLE),
        snapshot(&clean, &PARTS),
        snapshot(&edited, &PARTS),
    ];
    for (name, (before, after)) in ["the real checkout", "the clean copy", "the edited copy"]
        .iter()
        .zip(before.iter().zip(&after))
    {
        assert!(before == after, "--check wrote to {name}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn outside_a_checkout_it_says_so() {
    let dir = scratch("no-checkout");
    let output = xtask(&dir, &["codegen", "--check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("cargo xtask must run inside a checkout of this repository"),
        "{stderr}"
    );
    fs::remove_dir_all(&dir).unwrap();
}
