//! What a generated call costs next to the same call written by hand:
//! `devices.get` through the generated `seam` client against a `reqwest` +
//! `serde` call of the same request, both to a loopback HTTP/1.1 server that
//! answers every request with the same 200 JSON response (a device the fake
//! Seam server returned, `devices_get.json`) on a kept-alive connection.
//!
//! `cargo bench -p seam-tests --bench call` runs criterion's measurement,
//! then an interleaved one of its own (rounds that alternate the calls, so
//! that drift of the machine falls on each alike) and prints the medians and
//! their ratio, the figure recorded:
//!
//! ```text
//! call: generated 41.2 µs, hand-written 40.1 µs, ratio 1.03×
//! ```
//!
//! Both sides decode into the generated response type, so what differs is
//! the generated call's own work (the request builder, the retry loop, the
//! `tracing` span, the body limit and error mapping), not the type. Before
//! measuring, the bench checks that both put the same request on the wire
//! (request line, headers, body) and, after, that each kept one connection.
//! Under `cargo test` (no `--bench`), each call runs once and nothing is timed.
//!
//! For a profiler, `CALL_BENCH_PROFILE=SIDE:N` (SIDE `send`,
//! `send_with_response` or `hand-written`) makes the binary run N calls of
//! that side alone, after the check, and exit: `perf stat` or `perf record`
//! on `target/release/deps/call-*` then sees one side's work only.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::Criterion;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use seam::types::{Device, DevicesGetResponse};
use seam::Seam;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The body of the fake Seam server's answer to `devices.get` for
/// `august_device_1` (`--seed`), as it sent it.
const FIXTURE: &[u8] = include_bytes!("devices_get.json");
const API_KEY: &str = "seam_apikey1_token";
const DEVICE_ID: &str = "august_device_1";
/// The generated crate's manifest, for the SDK version its headers carry.
const SEAM_MANIFEST: &str = include_str!("../../../generated/Cargo.toml");
/// The timeout the generated client sets by default; the hand-written client
/// sets the same, as a production client would.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Calls per variant in the interleaved measurement, and rounds they are
/// split into.
const CALLS: usize = 2000;
const ROUNDS: usize = 20;
const WARM_UP_CALLS: usize = 200;

/// The loopback server: what it has seen, for the checks.
struct Server {
    addr: SocketAddr,
    connections: AtomicUsize,
    recording: AtomicBool,
    recorded: Mutex<Vec<Vec<u8>>>,
}

/// Starts the server on a thread of its own, with its own single-threaded
/// runtime (the clients have theirs: one core each).
fn start_server() -> Arc<Server> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let server = Arc::new(Server {
        addr: listener.local_addr().expect("local address"),
        connections: AtomicUsize::new(0),
        recording: AtomicBool::new(false),
        recorded: Mutex::new(Vec::new()),
    });
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\n\
         seam-request-id: request1\r\ncontent-length: {}\r\nconnection: keep-alive\r\n\r\n",
        FIXTURE.len()
    )
    .into_bytes();
    response.extend_from_slice(FIXTURE);
    let response: Arc<[u8]> = response.into();
    let shared = Arc::clone(&server);
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                while let Ok((stream, _)) = listener.accept().await {
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(serve(stream, Arc::clone(&response), Arc::clone(&shared)));
                }
            });
        })
        .expect("server thread");
    server
}

/// Answers each request of one connection with `response`, until the client
/// closes it.
async fn serve(mut stream: tokio::net::TcpStream, response: Arc<[u8]>, server: Arc<Server>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0; 16 * 1024];
    loop {
        while let Some(length) = request_length(&buffer) {
            if server.recording.load(Ordering::Relaxed) {
                let request = buffer[..length].to_vec();
                server.recorded.lock().expect("not poisoned").push(request);
            }
            buffer.drain(..length);
            if stream.write_all(&response).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The length of the first whole request in `buffer` (head and
/// `Content-Length` body), if it has arrived.
fn request_length(buffer: &[u8]) -> Option<usize> {
    let head_end = buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&buffer[..head_end]);
    let body = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    (buffer.len() >= head_end + body).then_some(head_end + body)
}

/// A request as compared: its line, its headers (lowercase names, sorted)
/// and its body.
fn normalized(request: &[u8]) -> (String, Vec<(String, String)>, String) {
    let text = String::from_utf8_lossy(request);
    let (head, body) = text.split_once("\r\n\r\n").expect("a request head");
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or_default().to_owned();
    let mut headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.sort();
    (line, headers, body.to_owned())
}

/// The version of the generated crate (its `[package]`'s, the first
/// `version =` line of its manifest).
fn sdk_version() -> &'static str {
    SEAM_MANIFEST
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .expect("generated/Cargo.toml has a version")
}

/// The hand-written side: a `reqwest` client with the headers the SDK sends
/// on every request, and the call itself.
struct HandWritten {
    http: reqwest::Client,
    url: String,
}

#[derive(serde::Serialize)]
struct GetDevice<'a> {
    device_id: &'a str,
}

impl HandWritten {
    fn new(endpoint: &str) -> HandWritten {
        let version = sdk_version();
        let mut headers = HeaderMap::new();
        headers.insert("seam-sdk-name", HeaderValue::from_static("seam-rust"));
        headers.insert(
            "seam-sdk-version",
            HeaderValue::from_str(version).expect("a header value"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(format!("seam-rust/{version}"))
            .default_headers(headers)
            .timeout(TIMEOUT)
            .build()
            .expect("a reqwest client");
        HandWritten {
            http,
            url: format!("{endpoint}/devices/get"),
        }
    }

    async fn get(&self) -> Device {
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(API_KEY)
            .json(&GetDevice {
                device_id: DEVICE_ID,
            })
            .send()
            .await
            .expect("sent")
            .error_for_status()
            .expect("a success status");
        let body: DevicesGetResponse = response.json().await.expect("decoded");
        body.device
    }
}

/// The generated side, as an application calls it.
async fn generated(seam: &Seam) -> Device {
    seam.devices()
        .get()
        .device_id(DEVICE_ID)
        .send()
        .await
        .expect("a device")
}

/// The generated side, returning the whole response (status, headers,
/// request id and the body decoded as the hand-written side decodes it).
async fn generated_with_response(seam: &Seam) -> DevicesGetResponse {
    seam.devices()
        .get()
        .device_id(DEVICE_ID)
        .send_with_response()
        .await
        .expect("a device")
        .body
}

/// Checks that both sides put the same request on the wire and read the
/// same device.
fn check_same_request(
    runtime: &tokio::runtime::Runtime,
    server: &Server,
    seam: &Seam,
    hand: &HandWritten,
) {
    server.recording.store(true, Ordering::Relaxed);
    let (a, b, c) = runtime.block_on(async {
        (
            generated(seam).await,
            generated_with_response(seam).await.device,
            hand.get().await,
        )
    });
    server.recording.store(false, Ordering::Relaxed);
    assert_eq!(a, c, "both sides read the same device");
    assert_eq!(b, c, "both sides read the same device");
    let recorded = std::mem::take(&mut *server.recorded.lock().expect("not poisoned"));
    assert_eq!(recorded.len(), 3, "one request per call");
    let (generated, hand_written) = (normalized(&recorded[0]), normalized(&recorded[2]));
    assert_eq!(
        normalized(&recorded[1]),
        generated,
        "`send` and `send_with_response` send the same request"
    );
    assert_eq!(
        generated, hand_written,
        "the hand-written request must be the generated one (left: generated)"
    );
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len() as u32
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Times `CALLS` calls of each side, one at a time, in rounds that alternate
/// which side goes first, and prints the medians and their ratios.
fn interleaved(runtime: &tokio::runtime::Runtime, seam: &Seam, hand: &HandWritten) {
    let per_round = CALLS / ROUNDS;
    let (mut send, mut with_response, mut by_hand) = (
        Vec::with_capacity(CALLS),
        Vec::with_capacity(CALLS),
        Vec::with_capacity(CALLS),
    );
    runtime.block_on(async {
        for _ in 0..WARM_UP_CALLS {
            black_box(generated(seam).await);
            black_box(generated_with_response(seam).await);
            black_box(hand.get().await);
        }
        for round in 0..ROUNDS {
            for side in 0..3 {
                // Rotate the order from one round to the next.
                for _ in 0..per_round {
                    let started = Instant::now();
                    match (side + round) % 3 {
                        0 => {
                            black_box(generated(seam).await);
                            send.push(started.elapsed());
                        }
                        1 => {
                            black_box(generated_with_response(seam).await);
                            with_response.push(started.elapsed());
                        }
                        _ => {
                            black_box(hand.get().await);
                            by_hand.push(started.elapsed());
                        }
                    }
                }
            }
        }
    });
    let (m_send, m_with, m_hand) = (
        median(&mut send),
        median(&mut with_response),
        median(&mut by_hand),
    );
    println!(
        "interleaved: {CALLS} calls each in {ROUNDS} rounds; means: send {:.1} µs, \
         send_with_response {:.1} µs, hand-written {:.1} µs",
        micros(mean(&send)),
        micros(mean(&with_response)),
        micros(mean(&by_hand)),
    );
    println!(
        "call (send_with_response): generated {:.1} µs, hand-written {:.1} µs, ratio {:.2}×",
        micros(m_with),
        micros(m_hand),
        m_with.as_secs_f64() / m_hand.as_secs_f64()
    );
    println!(
        "call: generated {:.1} µs, hand-written {:.1} µs, ratio {:.2}×",
        micros(m_send),
        micros(m_hand),
        m_send.as_secs_f64() / m_hand.as_secs_f64()
    );
}

/// `CALL_BENCH_PROFILE=SIDE:N`: N calls of one side, and nothing else.
fn profile_one_side(
    runtime: &tokio::runtime::Runtime,
    seam: &Seam,
    hand: &HandWritten,
    spec: &str,
) {
    let (side, calls) = spec
        .split_once(':')
        .and_then(|(side, n)| Some((side, n.parse::<usize>().ok()?)))
        .expect("CALL_BENCH_PROFILE is SIDE:N, for example send:20000");
    let started = Instant::now();
    runtime.block_on(async {
        for _ in 0..calls {
            match side {
                "send" => drop(black_box(generated(seam).await)),
                "send_with_response" => drop(black_box(generated_with_response(seam).await)),
                "hand-written" => drop(black_box(hand.get().await)),
                other => panic!("unknown side `{other}`: send, send_with_response or hand-written"),
            }
        }
    });
    let elapsed = started.elapsed();
    println!(
        "{side}: {calls} calls in {:.2} s, {:.1} µs each",
        elapsed.as_secs_f64(),
        micros(elapsed) / calls as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // As criterion decides: `cargo bench` passes `--bench`; `cargo test`
    // does not, and then each benchmark runs once, untimed.
    let benchmarking = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");

    let server = start_server();
    let endpoint = format!("http://{}", server.addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    // Each client is built once, inside the runtime (reqwest's connection
    // pool spawns its tasks there), and keeps its connection.
    let (seam, hand) = runtime.block_on(async {
        let seam = Seam::builder()
            .endpoint(&endpoint)
            .api_key(API_KEY)
            .build()
            .expect("a client");
        (seam, HandWritten::new(&endpoint))
    });
    check_same_request(&runtime, &server, &seam, &hand);
    if let Ok(profile) = std::env::var("CALL_BENCH_PROFILE") {
        profile_one_side(&runtime, &seam, &hand, &profile);
        return;
    }

    let mut criterion = Criterion::default().configure_from_args();
    {
        let mut group = criterion.benchmark_group("devices.get");
        group.bench_function("generated send", |b| {
            b.to_async(&runtime).iter(|| generated(&seam))
        });
        group.bench_function("generated send_with_response", |b| {
            b.to_async(&runtime).iter(|| generated_with_response(&seam))
        });
        group.bench_function("hand-written", |b| b.to_async(&runtime).iter(|| hand.get()));
        group.finish();
    }
    criterion.final_summary();

    // `--profile-time` runs one benchmark for a profiler: nothing more.
    if benchmarking && !args.iter().any(|a| a == "--profile-time") {
        interleaved(&runtime, &seam, &hand);
    }
    let connections = server.connections.load(Ordering::Relaxed);
    assert_eq!(
        connections, 2,
        "each client kept one connection alive throughout"
    );
    if benchmarking {
        println!("connections: {connections} (one per client, kept alive)");
    }
}
