//! Project automation, run as `cargo xtask <command>` (an alias in
//! `.cargo/config.toml`). See `cargo xtask --help`.

mod api_diff;
mod bench;
mod checkout;
mod codegen;
mod corpus;
mod fuzz;
mod generate;
mod ladder;
mod seam;
mod test;
mod update_spec;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use checkout::root;

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
    Bench {
        /// Instead: the size ladder, synthetic specs of growing size (time
        /// and peak memory of each, in a release build).
        #[arg(long)]
        ladder: bool,
        /// Also time the peers that are installed (openapi-generator-cli,
        /// cargo-progenitor) on the same specs, alternating.
        #[arg(long)]
        peers: bool,
        /// Oxide's nexus spec (progenitor's `sample_openapi/nexus.json`):
        /// `cargo check` of the generated crates.
        #[arg(long)]
        nexus: Option<PathBuf>,
        /// GitHub's REST spec (`api.github.com.json` of npm
        /// `@octokit/openapi`): `generate` as typed, time and peak memory.
        #[arg(long)]
        github: Option<PathBuf>,
        /// Samples per figure (the median is printed).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// One rung of the size ladder, in this process (run by `bench --ladder`).
    #[command(hide = true)]
    BenchRung {
        /// operations, nesting-json, nesting-yaml or alias-chain.
        kind: String,
        /// How many operations, levels or links.
        size: usize,
    },
    /// Generate a client crate from any OpenAPI 3.0 document.
    Generate {
        /// The spec, JSON or YAML.
        spec: PathBuf,
        /// The folder to write the crate to.
        #[arg(long)]
        out: PathBuf,
        /// The crate name (default: from the spec's file name).
        #[arg(long)]
        name: Option<String>,
        /// Group operations in namespaces named after their first tag
        /// (`client.pets().get_pet()`) instead of methods of the client.
        #[arg(long)]
        group_by_tag: bool,
        /// A configuration file, YAML or JSON: type overrides and a few
        /// settings (see the README, "Any other spec").
        #[arg(long)]
        config: Option<PathBuf>,
        /// How the crate depends on `oagen-runtime`: `version:REQ` (or
        /// `REQ`) from crates.io, `path:DIR`, `git:URL` or `git:URL#REV`
        /// (default: this checkout's, by path, with its version).
        #[arg(long, value_name = "SOURCE")]
        runtime: Option<generate::RuntimeSource>,
    },
    /// Print what changed in the API between two specs, each change
    /// classified major, minor or patch, and the semver bump they need.
    ApiDiff {
        /// The spec before, JSON or YAML.
        old: PathBuf,
        /// The spec after.
        new: PathBuf,
        /// Print JSON (`{"bump": "minor", "changes": [...]}`) instead of Markdown.
        #[arg(long)]
        json: bool,
        /// A configuration file for both specs, as for `generate`.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Generate every spec of a list and print each outcome and the totals;
    /// with `--check`, also `cargo check` the generated crates.
    Corpus {
        /// A file with one spec path a line, relative to `--root`.
        list: PathBuf,
        /// The folder the paths are relative to.
        #[arg(long)]
        root: PathBuf,
        /// A configuration file for every spec of the list, as for `generate`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Without `--check`: also write each generated crate to
        /// `<OUT>/<name>`. With it: the folder of the workspace of checked
        /// crates (default: `target/corpus`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the generated crates (or `--sample` of them) as members of
        /// one workspace in `--out` and `cargo check` them there at once.
        #[arg(long)]
        check: bool,
        /// Check only this many generated crates, picked reproducibly by
        /// `--seed` (a SplitMix64-driven shuffle of the sorted spec paths).
        #[arg(long, requires = "check")]
        sample: Option<usize>,
        /// The seed of `--sample`.
        #[arg(long, requires = "sample", default_value_t = 0)]
        seed: u64,
        /// Pass `--offline` to `cargo check`.
        #[arg(long, requires = "check")]
        offline: bool,
        /// Parallel jobs of `cargo check` (default: the number of CPUs).
        #[arg(long, requires = "check")]
        jobs: Option<usize>,
        /// Run `cargo clippy -- -D warnings` instead of `cargo check`: a
        /// crate with a lint counts as one with errors, and the totals say
        /// how many crates each lint (or error code) was found in.
        #[arg(long, requires = "check")]
        clippy: bool,
    },
    /// Refresh `specs/seam/openapi.json` from npm `@seamapi/types`.
    UpdateSpec {
        /// The `@seamapi/types` version (default: the one vendored now).
        #[arg(long)]
        version: Option<String>,
    },
    /// Fuzz the generator: mutants of the fixture, wire and Seam specs
    /// through load, lower and emit; panics, timeouts and emitted code that
    /// does not parse are findings, written to `--out` (see FUZZING.md).
    /// Exits with 1 if there is one.
    Fuzz {
        /// Stop after this many seconds (default 60 without `--inputs`).
        #[arg(long)]
        seconds: Option<u64>,
        /// Stop after this many inputs (a reproducible run).
        #[arg(long)]
        inputs: Option<u64>,
        /// The index of the first input (default 0): `--from 19790 --inputs 1`
        /// runs input 19790 alone; two runs with disjoint ranges share a
        /// long run between two processes.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// The seed: the same seed gives the same inputs on any machine.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Where findings go (default: `target/fuzz/findings`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seconds one input may take before it is a timeout finding.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
        /// Seconds spent minimizing each new finding at most.
        #[arg(long, default_value_t = 30.0)]
        minimize: f64,
        /// A known finding: findings whose signature contains this text are
        /// counted and written but do not fail the run (repeatable).
        #[arg(long)]
        allow: Vec<String>,
    },
    /// Install what the tests need (the fake Seam server, from npm) and run
    /// every test of the workspace.
    Test,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every command acts on the checkout it is run in: find it first, so
    // that outside one the run ends with a message, not a panic.
    if let Err(message) = checkout::locate() {
        eprintln!("{message}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(check),
        Command::Test => test::run(),
        Command::Bench { ladder: true, .. } => ladder::run(),
        Command::Bench {
            ladder: false,
            peers,
            nexus,
            github,
            rounds,
        } => bench::run(&bench::Options {
            peers,
            nexus,
            github,
            rounds: rounds.max(1),
        }),
        Command::BenchRung { kind, size } => ladder::rung(&kind, size),
        Command::Generate {
            spec,
            out,
            name,
            group_by_tag,
            config,
            runtime,
        } => generate::generate(
            &spec,
            &out,
            name.as_deref(),
            group_by_tag,
            config.as_deref(),
            runtime.as_ref(),
        ),
        Command::ApiDiff {
            old,
            new,
            json,
            config,
        } => api_diff::run(&old, &new, json, config.as_deref()),
        Command::Corpus {
            list,
            root: specs,
            config,
            out,
            check,
            sample,
            seed,
            offline,
            jobs,
            clippy,
        } => match generate::config_file(config.as_deref()) {
            Err(message) => Err(message),
            Ok(file) if check => {
                let options = corpus::CheckOptions {
                    out: out.unwrap_or_else(|| root().join("target/corpus")),
                    sample,
                    seed,
                    offline,
                    clippy,
                    jobs: jobs.unwrap_or_else(|| {
                        std::thread::available_parallelism().map_or(1, |n| n.get())
                    }),
                };
                corpus::run(&list, &specs, &file, None, Some(&options))
            }
            Ok(file) => corpus::run(&list, &specs, &file, out.as_deref(), None),
        },
        Command::Fuzz {
            seconds,
            inputs,
            seed,
            from,
            out,
            timeout,
            minimize,
            allow,
        } => fuzz::run(&fuzz::Options {
            allow,
            from,
            seconds,
            inputs,
            seed,
            out: out.unwrap_or_else(|| root().join("target/fuzz/findings")),
            timeout: std::time::Duration::from_secs_f64(timeout.max(0.001)),
            minimize: std::time::Duration::from_secs_f64(minimize.max(0.0)),
        }),
        Command::UpdateSpec { version } => update_spec::run(version.as_deref()),
    };
    if std::env::var_os("XTASK_REPORT_PEAK").is_some() {
        // For `bench`: the generator's own peak memory, as typed.
        eprintln!("peak RSS: {} MiB", ladder::peak_mib());
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
