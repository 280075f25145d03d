//! Times each stage of the pipeline on the vendored Seam spec and prints the
//! figures: `cargo bench -p oagen --bench codegen` (or `cargo xtask bench`).
//! A figure is the median of several runs; nothing here asserts a time.

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec_path = root.join("specs/seam/openapi.json");
    let mut config = oagen::Config::new("seam");
    config.client_name = "Seam".into();
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);

    let (mut read, mut load, mut lower, mut emit, mut write, mut total) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let out = std::env::temp_dir().join(format!("oagen-bench-{}", std::process::id()));
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let text = std::fs::read_to_string(&spec_path).expect("the vendored spec");
        let t_read = start.elapsed();
        let loaded = oagen::load::load_str(&text).expect("the spec loads");
        let t_load = start.elapsed();
        let (api, _warnings) = oagen::ir::lower(&loaded.spec, &config).expect("the spec lowers");
        let t_lower = start.elapsed();
        let generated = oagen::emit::emit(&api, &config).expect("the spec emits");
        let t_emit = start.elapsed();
        for (rel, contents) in &generated {
            let path = out.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        let t_write = start.elapsed();
        files = generated.len();
        bytes = generated.values().map(String::len).sum::<usize>();
        read.push(t_read);
        load.push(t_load - t_read);
        lower.push(t_lower - t_load);
        emit.push(t_emit - t_lower);
        write.push(t_write - t_emit);
        total.push(t_write);
    }
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| format!("{:8.1} ms", d.as_secs_f64() * 1000.0);
    println!("codegen of specs/seam/openapi.json ({} KiB) → {files} files, {} KiB; median of {runs} runs",
        std::fs::metadata(&spec_path).map(|m| m.len() / 1024).unwrap_or(0), bytes / 1024);
    println!("  read    {}", ms(median(read)));
    println!(
        "  load    {}  (YAML/JSON parse + openapiv3)",
        ms(median(load))
    );
    println!("  lower   {}", ms(median(lower)));
    println!(
        "  emit    {}  (quote + syn parse + prettyplease)",
        ms(median(emit))
    );
    println!("  write   {}", ms(median(write)));
    println!("  total   {}", ms(median(total)));
}
