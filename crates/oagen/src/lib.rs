//! `oagen`: an OpenAPI 3.0 to Rust client generator.
//!
//! The pipeline has three stages, each a module: [`load`] reads a spec into
//! `openapiv3` types, [`ir::lower`] turns it into a plain-data IR with every
//! name resolved, and [`emit`] writes the files of a crate from the IR. Each
//! stage collects every diagnostic it finds (with a JSON pointer into the spec)
//! and the pipeline stops at the first stage boundary with an error.
//! [`generate`] runs them all. Beside the emitted code, [`surface`] lists
//! what user code can name, from the IR, so that two versions of a spec
//! compare into an API-change report with its semver bump.

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod surface;

use std::path::Path;

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Pointer, Severity};

/// A generated crate: its files, and the warnings met on the way.
#[derive(Debug)]
pub struct Generated {
    /// Path relative to the crate root → contents.
    pub files: emit::Files,
    /// Constructs that were generated less precisely than the spec says.
    pub warnings: Diagnostics,
}

/// Runs the whole pipeline on the spec at `path`. Writes nothing: the caller
/// decides where the files go (or, with `--check`, compares them).
pub fn generate(path: &Path, config: &Config) -> Result<Generated, Diagnostics> {
    let loaded = load::load_file(path)?;
    let mut generated = generate_from(&loaded.spec, config)?;
    let mut warnings = loaded.warnings;
    warnings.extend(generated.warnings);
    generated.warnings = warnings;
    Ok(generated)
}

/// Runs lowering and emission on an already loaded spec.
pub fn generate_from(spec: &openapiv3::OpenAPI, config: &Config) -> Result<Generated, Diagnostics> {
    let (api, warnings) = ir::lower(spec, config)?;
    let files = emit::emit(&api, config)?;
    Ok(Generated { files, warnings })
}
