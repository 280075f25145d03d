//! `cargo xtask update-spec [--version V]`: refreshes the vendored Seam spec.
//!
//! The spec is the `openapi` export of `@seamapi/types/connect` on npm (what
//! Seam's own SDKs are built from). This installs the requested version in a
//! temporary folder, prints the export as JSON with Node.js, and writes it to
//! `specs/seam/openapi.json` together with `specs/seam/source.json`, which
//! records where it came from. Run `cargo xtask codegen` afterwards.

use std::path::Path;
use std::process::Command;

use crate::codegen::write_atomically;
use crate::root;

/// The version vendored now; `update-spec` without `--version` keeps to it.
pub(crate) const DEFAULT_VERSION: &str = "1.977.0";

/// `@seamapi/types` loads its schemas with zod 3, a peer dependency.
const ZOD: &str = "zod@3";

pub(crate) fn run(version: Option<&str>) -> Result<(), String> {
    let version = version.unwrap_or(DEFAULT_VERSION);
    let dir = std::env::temp_dir().join(format!("seam-update-spec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let result = fetch(&dir, version);
    let _ = std::fs::remove_dir_all(&dir);
    let json = result?;

    let out = root().join("specs/seam");
    write_atomically(&out.join("openapi.json"), &json)?;
    let source = format!(
        "{{\n  \"package\": \"@seamapi/types\",\n  \"version\": \"{version}\",\n  \"export\": \"openapi, from @seamapi/types/connect\",\n  \"license\": \"MIT\",\n  \"command\": \"cargo xtask update-spec --version {version}\"\n}}\n"
    );
    write_atomically(&out.join("source.json"), &source)?;
    eprintln!("specs/seam/openapi.json is now @seamapi/types@{version}; run `cargo xtask codegen`");
    Ok(())
}

fn fetch(dir: &Path, version: &str) -> Result<String, String> {
    std::fs::write(dir.join("package.json"), "{\"private\": true}\n")
        .map_err(|e| format!("cannot write package.json: {e}"))?;
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let package = format!("@seamapi/types@{version}");
    let status = Command::new(npm)
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            &package,
            ZOD,
        ])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run npm (Node.js 18 or later is needed): {e}"))?;
    if !status.success() {
        return Err(format!("`npm install {package} {ZOD}` failed ({status})"));
    }
    let output = Command::new("node")
        .args([
            "-e",
            "const { openapi } = require('@seamapi/types/connect');\
             process.stdout.write(JSON.stringify(openapi, null, 2) + '\\n');",
        ])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "reading the openapi export failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("the export is not UTF-8: {e}"))
}
