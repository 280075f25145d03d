//! Fixture specs, one per construct: snapshots of the IR and of the emitted
//! code, the diagnostics of invalid specs, and a check that every emitted
//! crate compiles and is clippy- and rustdoc-clean.
//!
//! A fixture `<name>.yaml` is generated with `Config::new(name)`, and with
//! what `<name>.config.yaml` beside it says when there is one (in the format
//! of `cargo xtask generate --config`).

use std::path::{Path, PathBuf};
use std::process::Command;

use oagen::config::{ConfigFile, WebhookConfig};
use oagen::Config;

fn config(spec: &Path, runtime_dependency: &str) -> Config {
    let mut config = Config::new(&fixture_name(spec));
    config.runtime_dependency = runtime_dependency.to_owned();
    let sidecar = spec.with_extension("config.yaml");
    if sidecar.exists() {
        ConfigFile::read(&sidecar)
            .unwrap_or_else(|e| panic!("{e}"))
            .apply(&mut config);
    }
    // The one fixture whose configuration asks for more than the spec says.
    if fixture_name(spec) == "signed_webhooks" {
        config.webhook = Some(WebhookConfig {
            event_schema: "event".to_owned(),
            verifier: "ShopWebhook".to_owned(),
            example_payload: Some(
                "{\n  \"event_type\": \"order.paid\",\n  \"event_id\": \"ev_1\",\n  \"order_id\": \"or_1\"\n}"
                    .to_owned(),
            ),
        });
    }
    config
}

/// Whether `path` is a fixture's configuration, not a fixture.
fn is_sidecar(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".config.yaml")
}

/// The runtime dependency line in snapshots: stable, whatever the checkout path.
const SNAPSHOT_RUNTIME: &str = r#"oagen-runtime = { path = "../oagen-runtime" }"#;

fn fixture_name(path: &Path) -> String {
    path.file_stem()
        .unwrap()
        .to_string_lossy()
        .replace('-', "_")
}

#[test]
fn snapshots_of_ir_and_code() {
    insta::glob!("fixtures/*.yaml", |path| {
        if is_sidecar(path) {
            return;
        }
        let config = config(path, SNAPSHOT_RUNTIME);
        let loaded = oagen::load::load_file(path).unwrap_or_else(|d| panic!("{d}"));
        let (api, warnings) =
            oagen::ir::lower(&loaded.spec, &config).unwrap_or_else(|d| panic!("{d}"));
        insta::assert_debug_snapshot!("ir", (&api, &warnings));
        let files = oagen::emit::emit(&api, &config).unwrap_or_else(|d| panic!("{d}"));
        let code: String = files
            .iter()
            .map(|(path, text)| format!("==> {path} <==\n{text}\n"))
            .collect();
        insta::assert_snapshot!("code", code);
    });
}

#[test]
fn invalid_specs_are_refused_with_pointers() {
    insta::glob!("invalid/*.yaml", |path| {
        let diags = oagen::generate(path, &config(path, SNAPSHOT_RUNTIME))
            .map(|_| ())
            .expect_err("an invalid spec is refused");
        assert!(diags.has_errors());
        for d in diags.iter() {
            assert!(d.pointer.as_str().starts_with('#'), "{d}");
        }
        insta::assert_snapshot!("diagnostics", diags.to_string());
    });
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !is_sidecar(p))
        .collect();
    paths.sort();
    paths
}

/// Generates every fixture into one cargo workspace under the target folder
/// and runs clippy (`-D warnings`) and rustdoc (`-D warnings`) on it, offline,
/// with this workspace's lock file: the emitted code is compiled, not just
/// compared as text.
#[test]
fn fixture_crates_compile_without_warnings() {
    let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let runtime = workspace_root
        .join("crates/oagen-runtime")
        .canonicalize()
        .unwrap();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oagen-fixtures");
    // Keep `target/` between runs (it is only a cache); rewrite everything else.
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n != "target") {
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
        }
    }
    let runtime_line = format!(
        "oagen-runtime = {{ path = {:?} }}",
        runtime.display().to_string()
    );
    let mut members = Vec::new();
    for path in fixtures() {
        let name = fixture_name(&path);
        let generated =
            oagen::generate(&path, &config(&path, &runtime_line)).unwrap_or_else(|d| panic!("{d}"));
        for (rel, text) in &generated.files {
            let file = root.join(&name).join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(workspace_root.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str]| {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`cargo {}` failed on the fixture crates in {}:\n{}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&[
        "clippy",
        "--offline",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(&["doc", "--offline", "--workspace", "--no-deps"]);
    // The webhook module's example signs and verifies a delivery: run it.
    run(&["test", "--offline", "--doc", "-p", "signed_webhooks"]);
    // Spec text shaped as doctests: rustdoc finds none of them.
    let output = Command::new(&cargo)
        .args(["test", "--offline", "--doc", "-p", "doc_text"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("running 0 tests") && !stdout.contains(" ... "),
        "the spec's text became doctests:\n{stdout}"
    );
}
