//! Project automation, run as `cargo xtask <command>` (an alias in
//! `.cargo/config.toml`). See `cargo xtask --help`.

mod bench;
mod codegen;
mod seam;
mod test;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the oagen generator and the seam crate"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from the specs in `specs/`.
    Codegen {
        /// Write nothing; fail, naming the stale files, if `generated/` differs
        /// from what the specs produce.
        #[arg(long)]
        check: bool,
    },
    /// Print timings: codegen of the Seam spec stage by stage, and `cargo
    /// check` of the generated crate.
    Bench,
    /// Refresh `specs/seam/openapi.json` from npm `@seamapi/types`.
    UpdateSpec {
        /// The `@seamapi/types` version (default: the one vendored now).
        #[arg(long)]
        version: Option<String>,
    },
    /// Install what the tests need (the fake Seam server, from npm) and run
    /// every test of the workspace.
    Test,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(check),
        Command::Test => test::run(),
        Command::Bench => bench::run(),
        Command::UpdateSpec { version } => update_spec::run(version.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
