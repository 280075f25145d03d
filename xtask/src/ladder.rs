//! `cargo xtask bench --ladder`: the size ladder. Synthetic specs of growing
//! size (operations, nesting depth, `$ref` alias chains), each generated in
//! memory by a child process of the release build (`xtask bench-rung KIND
//! SIZE`), which prints its stage times, its peak memory (`VmHWM` of
//! `/proc/self/status`: Linux only) and its outcome. Figures only: nothing
//! here fails on a slow machine, but a rung that crashes is reported.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use crate::root;

/// The rungs: a kind of spec, and its sizes.
const RUNGS: &[(&str, &[usize])] = &[
    ("operations", &[100, 1_000, 10_000]),
    ("nesting-json", &[100, 1_000, 10_000, 50_000]),
    ("nesting-yaml", &[100, 1_000, 10_000, 50_000]),
    ("alias-chain", &[1_000, 10_000, 50_000]),
];

/// Builds the release binary and runs every rung in a child of it.
pub(crate) fn run() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err(
            "the ladder reads peak memory from /proc/self/status, so it runs on Linux only".into(),
        );
    }
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build --release -p xtask failed ({status})"));
    }
    let exe = root.join("target/release/xtask");
    println!("size ladder: release build, one process per rung; times in seconds, peak RSS in MiB");
    for (kind, sizes) in RUNGS {
        for size in *sizes {
            let output = Command::new(&exe)
                .args(["bench-rung", kind, &size.to_string()])
                .current_dir(&root)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
            let line = String::from_utf8_lossy(&output.stdout);
            if output.status.success() {
                print!("{line}");
            } else {
                println!(
                    "{kind:>12} {size:>6}: the process failed ({})",
                    output.status
                );
            }
        }
    }
    Ok(())
}

/// One rung, in this process: builds the spec, generates it in memory and
/// prints one line of figures.
pub(crate) fn rung(kind: &str, size: usize) -> Result<(), String> {
    let start = Instant::now();
    let text = spec(kind, size)?;
    let built = start.elapsed().as_secs_f64();
    let config = oagen::Config::new("ladder");
    let mut line = format!("{kind:>12} {size:>6}: {:>6} KiB", text.len() / 1024);
    let t0 = Instant::now();
    let outcome = oagen::load::load_str(&text).and_then(|loaded| {
        let loaded_at = t0.elapsed().as_secs_f64();
        let (api, warnings) = oagen::ir::lower(&loaded.spec, &config)?;
        let lowered_at = t0.elapsed().as_secs_f64();
        let files = oagen::emit::emit(&api, &config)?;
        let emitted_at = t0.elapsed().as_secs_f64();
        let _ = write!(
            line,
            "  load {loaded_at:6.2}  lower {:6.2}  emit {:6.2}",
            lowered_at - loaded_at,
            emitted_at - lowered_at
        );
        Ok((files.len(), warnings.iter().count()))
    });
    let total = t0.elapsed().as_secs_f64();
    let _ = write!(line, "  total {total:6.2}  peak {:>5} MiB", peak_mib());
    match outcome {
        Ok((files, warnings)) => {
            let _ = write!(line, "  generated {files} files, {warnings} warnings");
        }
        Err(diags) => {
            let first = diags
                .iter()
                .next()
                .map(ToString::to_string)
                .unwrap_or_default();
            let first: String = first.chars().take(110).collect();
            let _ = write!(line, "  refused: {first}");
        }
    }
    println!("{line}  (spec built in {built:.2} s)");
    Ok(())
}

/// The peak resident memory of this process so far, in MiB.
pub(crate) fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// The text of a synthetic spec of `kind` and `size`.
pub(crate) fn spec(kind: &str, size: usize) -> Result<String, String> {
    const HEAD: &str = r#""openapi": "3.0.3", "info": {"title": "Ladder", "version": "1"}, "servers": [{"url": "https://api.example.com"}]"#;
    Ok(match kind {
        "operations" => {
            let paths: Vec<String> = (0..size).map(operation).collect();
            format!("{{{HEAD}, \"paths\": {{{}}}}}", paths.join(", "))
        }
        "nesting-json" => format!(
            "{{{HEAD}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {}{{\"type\": \"string\"}}{}}}}}}}",
            r#"{"type": "object", "properties": {"a": "#.repeat(size),
            "}}".repeat(size)
        ),
        "nesting-yaml" => format!(
            "openapi: 3.0.3\ninfo: {{title: Ladder, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {}{{type: string}}{}\n",
            "{type: object, properties: {a: ".repeat(size),
            "}}".repeat(size)
        ),
        "alias-chain" => {
            let links: Vec<String> = (0..size)
                .map(|i| format!(r##""A{i}": {{"$ref": "#/components/schemas/A{}"}}"##, i + 1))
                .collect();
            format!(
                "{{{HEAD}, \"paths\": {{}}, \"components\": {{\"schemas\": {{{}, \"A{size}\": {{\"type\": \"object\", \"properties\": {{\"id\": {{\"type\": \"string\"}}}}}}}}}}}}",
                links.join(", ")
            )
        }
        other => return Err(format!("no rung kind `{other}`; the kinds are: operations, nesting-json, nesting-yaml, alias-chain")),
    })
}

/// Path item `i` of the operations rung: a POST with a path parameter, a
/// JSON body and a JSON response.
fn operation(i: usize) -> String {
    format!(
        r#""/things{i}/{{id}}": {{"post": {{"operationId": "op{i}", "parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}], "requestBody": {{"content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"name": {{"type": "string"}}, "count": {{"type": "integer"}}}}}}}}}}}}, "responses": {{"200": {{"description": "OK", "content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"id": {{"type": "string"}}}}}}}}}}}}}}}}}}"#
    )
}
