//! `cargo xtask fuzz [--seconds N] [--inputs N] [--seed S] [--out DIR]`: a
//! structure-aware fuzzer of the generator on stable Rust, in process.
//!
//! Each input is a seed spec ([`seeds`]) with a few mutations ([`mutate`]),
//! written as JSON or YAML, run through load, lower and emit on a worker
//! thread ([`worker`]). Panics, timeouts and output that is not valid Rust
//! are findings; a diagnostic is not. Each finding is written to `--out` with
//! its message and a minimized form ([`minimize`]). Input `i` of seed `S` is
//! the same on any machine.

mod minimize;
mod mutate;
mod seeds;
mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use mutate::Rng;
use seeds::Seed;
use worker::{Case, Class, Finding, Outcome, Worker};

/// What `cargo xtask fuzz` was asked.
pub(crate) struct Options {
    /// Stop after this long (with `inputs`, at whichever comes first).
    pub(crate) seconds: Option<u64>,
    /// Stop after this many inputs.
    pub(crate) inputs: Option<u64>,
    /// The index of the first input.
    pub(crate) from: u64,
    pub(crate) seed: u64,
    pub(crate) out: PathBuf,
    /// The time limit of one input.
    pub(crate) timeout: Duration,
    /// The time spent minimizing one finding at most.
    pub(crate) minimize: Duration,
    /// Findings whose signature contains one of these are known: counted,
    /// written and listed, but they do not fail the run.
    pub(crate) allow: Vec<String>,
}

/// How many inputs of one signature are written out (all are counted).
const KEPT_PER_SIGNATURE: usize = 3;

pub(crate) fn run(options: &Options) -> Result<(), String> {
    let seeds = seeds::load(&crate::root())?;
    worker::install_panic_hook();
    let mut worker = Worker::spawn()?;
    let (inputs, seconds) = match (options.inputs, options.seconds) {
        (None, None) => (u64::MAX, Some(60)),
        (inputs, seconds) => (inputs.unwrap_or(u64::MAX), seconds),
    };
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    println!(
        "fuzz: {} seeds, seed {}, {} per input at most, findings in {}",
        seeds.len(),
        options.seed,
        format_args!("{} s", options.timeout.as_secs_f64()),
        options.out.display()
    );
    let start = Instant::now();
    let mut last_report = start;
    let mut tally = Tally::default();
    let mut done = 0;
    let mut stopped = None;
    while done < inputs && deadline.is_none_or(|d| Instant::now() < d) {
        let input = make_input(&seeds, options.seed, options.from + done);
        match worker.run(&input.case, options.timeout) {
            Ok(Outcome::Fine) => {}
            Ok(Outcome::Finding(finding)) => tally.record(&input, finding, options, &mut worker)?,
            Err(why) => {
                println!("fuzz: stopped at input {}: {why}", options.from + done);
                stopped = Some(why);
                break;
            }
        }
        done += 1;
        if last_report.elapsed() >= Duration::from_secs(10) {
            last_report = Instant::now();
            let elapsed = start.elapsed().as_secs_f64();
            println!(
                "fuzz: {done} inputs, {} findings, {:.0}/s",
                tally.total(),
                done as f64 / elapsed
            );
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {done} inputs in {elapsed:.1} s ({:.0}/s), {} findings ({} panics, {} timeouts, {} unparsable output)",
        done as f64 / elapsed.max(1e-9),
        tally.total(),
        tally.count(Class::Panic),
        tally.count(Class::Timeout),
        tally.count(Class::Unparsable),
    );
    let mut failing = 0;
    for (signature, count) in &tally.by_signature {
        let known = options.allow.iter().any(|a| signature.contains(a.as_str()));
        let note = if known { "  (known, allowed)" } else { "" };
        println!("  {count:>6}  {signature}{note}");
        if !known {
            failing += count;
        }
    }
    if let Some(why) = stopped {
        Err(format!("fuzz: stopped early: {why}"))
    } else if failing > 0 {
        Err(format!(
            "fuzz: {failing} findings not allowed, written to {}",
            options.out.display()
        ))
    } else {
        Ok(())
    }
}

/// One generated input.
struct Input<'a> {
    index: u64,
    seed: &'a Seed,
    value: Value,
    json: bool,
    case: Case,
}

/// Input `index` of seed `seed`: a seed spec (the big Seam spec once in 50
/// inputs, and then a few of its paths only), one to four mutations, JSON or
/// YAML, grouped by tag or not.
fn make_input(seeds: &[Seed], seed: u64, index: u64) -> Input<'_> {
    let mut rng = Rng::for_input(seed, index);
    let small: Vec<&Seed> = seeds.iter().filter(|s| !s.big).collect();
    let big: Vec<&Seed> = seeds.iter().filter(|s| s.big).collect();
    let chosen = match rng.pick(&big) {
        Some(b) if rng.one_in(50) || small.is_empty() => b,
        _ => small[rng.below(small.len())],
    };
    let mut value = if chosen.big {
        seeds::subset(&chosen.value, &mut rng)
    } else {
        chosen.value.clone()
    };
    let count = 1 + rng.below(4);
    mutate::mutate(&mut value, &mut rng, count);
    let json = chosen.big || rng.one_in(2);
    let group_by_tag = rng.one_in(2);
    let case = Case {
        text: serialize(&value, json),
        group_by_tag,
    };
    Input {
        index,
        seed: chosen,
        value,
        json,
        case,
    }
}

fn serialize(value: &Value, json: bool) -> String {
    if json {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        serde_yaml::to_string(value).unwrap_or_default()
    }
}

/// The findings so far, by signature.
#[derive(Default)]
struct Tally {
    by_class: BTreeMap<Class, usize>,
    by_signature: BTreeMap<String, usize>,
}

impl Tally {
    fn total(&self) -> usize {
        self.by_class.values().sum()
    }

    fn count(&self, class: Class) -> usize {
        self.by_class.get(&class).copied().unwrap_or(0)
    }

    /// Counts `finding`; writes out the first few of its signature, and
    /// minimizes the first.
    fn record(
        &mut self,
        input: &Input<'_>,
        finding: Finding,
        options: &Options,
        worker: &mut Worker,
    ) -> Result<(), String> {
        *self.by_class.entry(finding.class).or_default() += 1;
        let seen = self
            .by_signature
            .entry(finding.signature.clone())
            .or_default();
        *seen += 1;
        if *seen > KEPT_PER_SIGNATURE {
            return Ok(());
        }
        let first = *seen == 1;
        if first {
            println!(
                "fuzz: new finding ({}) at input {}: {}",
                finding.class.name(),
                input.index,
                finding.signature
            );
        }
        // Each try of a timeout would leave one more case running: those
        // are kept as they are.
        let minimized = (first && finding.class != Class::Timeout)
            .then(|| minimize_finding(input, &finding, options, worker));
        write_finding(&options.out, input, &finding, options.seed, minimized)
    }
}

/// The smallest form of the input that gives the same finding, found within
/// the time `options` gives.
fn minimize_finding(
    input: &Input<'_>,
    finding: &Finding,
    options: &Options,
    worker: &mut Worker,
) -> Value {
    let deadline = Instant::now() + options.minimize;
    minimize::minimize(&input.value, deadline, |candidate| {
        let case = Case {
            text: serialize(candidate, input.json),
            group_by_tag: input.case.group_by_tag,
        };
        matches!(
            worker.run(&case, options.timeout),
            Ok(Outcome::Finding(f)) if f.class == finding.class && f.signature == finding.signature
        )
    })
}

fn write_finding(
    out: &Path,
    input: &Input<'_>,
    finding: &Finding,
    seed: u64,
    minimized: Option<Value>,
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let hash = format!("{:016x}", fnv1a(input.case.text.as_bytes()));
    let write = |name: String, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let extension = if input.json { "json" } else { "yaml" };
    write(format!("{hash}.{extension}"), &input.case.text)?;
    let about = format!(
        "class: {}\nsignature: {}\nfrom: {}, input {} of --seed {seed}\ngroup_by_tag: {}\n\n{}\n",
        finding.class.name(),
        finding.signature,
        input.seed.name,
        input.index,
        input.case.group_by_tag,
        finding.message
    );
    write(format!("{hash}.txt"), &about)?;
    if let Some(min) = minimized {
        write(format!("{hash}.min.json"), &serialize(&min, true))?;
    }
    Ok(())
}

/// FNV-1a, 64 bits: a stable name for an input.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}
