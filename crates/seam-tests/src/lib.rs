//! Test harnesses for the generated `seam` crate.
//!
//! - [`FakeSeam`] runs the official fake Seam server
//!   (npm `@seamapi/fake-seam-connect`, pinned in `package-lock.json`), the
//!   server Seam's own SDKs test against.
//! - [`Recorder`] is a one-shot local HTTP server that records the request it
//!   receives and answers with a canned response, for what the fake cannot
//!   show: exact headers, malformed bodies, silence.
//!
//! A missing fake server is a test failure, never a skip: `cargo xtask test`
//! installs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running fake Seam server, seeded with `--seed`.
pub struct FakeSeam {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    _child: Child,
}

impl FakeSeam {
    /// The fake shared by every test of this test binary, started on first use.
    ///
    /// Tests that share it use their own `user_identifier_key`s, so they do not
    /// see each other's data. The server stops when the test binary exits: it
    /// watches its standard input, whose other end this process holds.
    pub fn shared() -> &'static FakeSeam {
        static FAKE: OnceLock<FakeSeam> = OnceLock::new();
        FAKE.get_or_init(|| FakeSeam::start().unwrap_or_else(|e| panic!("{e}")))
    }

    /// Starts a new fake on a free port and waits until `/health` answers.
    pub fn start() -> Result<FakeSeam, String> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let server = dir.join("node_modules/@seamapi/fake-seam-connect/dist/server.js");
        if !server.exists() {
            return Err(format!(
                "the fake Seam server is not installed ({} is missing): run `cargo xtask test`, \
                 or `npm ci` in {}",
                server.display(),
                dir.display()
            ));
        }
        let port = free_port();
        let log = std::env::temp_dir().join(format!("fake-seam-{port}.log"));
        let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let child = Command::new("node")
            .arg(dir.join("fake-server.mjs"))
            .arg("--seed")
            .env("PORT", port.to_string())
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start `node` (Node.js 18 or later is needed): {e}"))?;
        let mut fake = FakeSeam {
            endpoint: format!("http://127.0.0.1:{port}"),
            _child: child,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = fake._child.try_wait().map_err(|e| e.to_string())? {
                let output = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(format!("the fake Seam server exited ({status}):\n{output}"));
            }
            if get(port, "/health").is_some_and(|(status, _)| status == 200) {
                return Ok(fake);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = fake._child.kill();
        Err(format!(
            "the fake Seam server did not answer /health within 60 s; its log is {}",
            log.display()
        ))
    }

    /// `POST` JSON to a route of the fake (its `/_fake/...` routes, which take
    /// no authentication) and parse the answer; panics unless it is a 2xx.
    pub fn post_json(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, text) = request(self.port(), "POST", path, Some(&body.to_string()))
            .unwrap_or_else(|| panic!("POST {path} failed"));
        assert!((200..300).contains(&status), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: {e}: {text}"))
    }

    fn port(&self) -> u16 {
        self.endpoint
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("endpoint has a port")
    }

    /// `GET` a path of the fake (its `/_fake/...` routes, for instance) and
    /// parse the JSON answer.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = get(self.port(), path).unwrap_or_else(|| panic!("GET {path} failed"));
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A minimal HTTP/1.0 GET, enough for health checks and the fake's own routes.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    request(port, "GET", path, None)
}

/// A minimal HTTP/1.0 request with an optional JSON body.
fn request(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n");
    match body {
        Some(body) => write!(
            stream,
            "{head}content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .ok()?,
        None => write!(stream, "{head}\r\n").ok()?,
    }
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

/// What a [`Recorder`] received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Request line, for example `POST /client_sessions/create HTTP/1.1`.
    pub request_line: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Recorded {
    /// The value of header `name`, if it was sent once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "header {name} sent more than once");
        first
    }
}

/// A local HTTP server that accepts connections, records each request and
/// answers every one with the same canned response (or never answers, or
/// answers late).
///
/// Each connection is served on a thread of its own, so that a request that
/// is never answered does not hide the next one (a retry is recorded as soon
/// as it arrives).
pub struct Recorder {
    addr: SocketAddr,
    requests: std::sync::mpsc::Receiver<Recorded>,
}

/// How a [`Recorder`] answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status, extra headers and body.
    With {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: String,
    },
    /// This status, extra headers and body bytes (a compressed body).
    Bytes {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// Read the request, then say nothing (for timeouts).
    Silence,
    /// Wait, then answer as `reply` says (for timeouts that a slow answer
    /// beats).
    Delayed {
        /// How long to wait after reading the request.
        delay: Duration,
        /// The answer after the wait.
        reply: Box<Reply>,
    },
}

impl Reply {
    /// A JSON answer with a `seam-request-id` header.
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::With {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("seam-request-id".into(), "req_recorded".into()),
            ],
            body: body.to_string(),
        }
    }
}

impl Recorder {
    /// Starts recording on a free loopback port.
    pub fn start(reply: Reply) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (tx, reply) = (tx.clone(), reply.clone());
                std::thread::spawn(move || {
                    let Some(recorded) = read_request(&stream) else {
                        return;
                    };
                    if tx.send(recorded).is_ok() {
                        answer(&stream, &reply);
                    }
                });
            }
        });
        Recorder { addr, requests: rx }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next request received, waiting up to 10 s.
    pub fn next(&self) -> Recorded {
        self.requests
            .recv_timeout(Duration::from_secs(10))
            .expect("the recorder received a request")
    }

    /// Every request received so far, without waiting.
    pub fn received(&self) -> Vec<Recorded> {
        self.requests.try_iter().collect()
    }
}

/// Writes `reply` to `stream`, or holds the connection open without a word.
fn answer(stream: &TcpStream, reply: &Reply) {
    match reply {
        Reply::With {
            status,
            headers,
            body,
        } => write_reply(stream, *status, headers, body.as_bytes()),
        Reply::Bytes {
            status,
            headers,
            body,
        } => write_reply(stream, *status, headers, body),
        Reply::Silence => std::thread::sleep(Duration::from_secs(30)),
        Reply::Delayed { delay, reply } => {
            std::thread::sleep(*delay);
            answer(stream, reply);
        }
    }
}

/// Writes one HTTP/1.1 response, then the connection closes.
fn write_reply(stream: &TcpStream, status: u16, headers: &[(String, String)], body: &[u8]) {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    )
    .into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    let mut stream = stream;
    let _ = stream.write_all(&out);
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        request_line: request_line.trim_end().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Runs `f` with a `tracing` subscriber that records every event at `DEBUG`
/// or above on this thread, and returns `f`'s result with the text of the
/// events, one line each: what the runtime logs, for tests to read.
pub fn capture_logs<T>(f: impl FnOnce() -> T) -> (T, String) {
    capture(f, false)
}

/// Like [`capture_logs`], with a line for each span as it closes: its name
/// and every field, those recorded after it opened too.
pub fn capture_spans<T>(f: impl FnOnce() -> T) -> (T, String) {
    capture(f, true)
}

fn capture<T>(f: impl FnOnce() -> T, spans: bool) -> (T, String) {
    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("not poisoned").extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .with_span_events(if spans {
            tracing_subscriber::fmt::format::FmtSpan::CLOSE
        } else {
            tracing_subscriber::fmt::format::FmtSpan::NONE
        })
        .finish();
    let result = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8_lossy(&buffer.0.lock().expect("not poisoned")).into_owned();
    (result, text)
}
