//! One fuzz input through the pipeline (load from text, lower, emit), on a
//! worker thread with a big stack and a time limit, and what came of it.
//!
//! Panics are caught with `catch_unwind`; a process-wide panic hook keeps
//! their messages and locations (also those of panics on the emitter's own
//! threads, which the emitter reports as an internal error). A case that runs
//! past the limit is a timeout: its thread cannot be stopped, so it is left
//! to finish on its own and a new worker takes the next case (while one such
//! case still runs, the next waits for it: a pile of them starved the machine
//! and took all its memory). A stack
//! overflow aborts the process whatever the thread; the 256 MB stack makes it
//! take a much deeper input to get there than the default 2 MB.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The stack of the worker thread.
const STACK: usize = 256 << 20;

/// Worker threads alive: the current one and those left running a case that
/// timed out. Such a case can run for minutes and take gigabytes (one run
/// was killed for memory at 23 GB after timeouts piled up): at most
/// [`MAX_RUNAWAY`] are let run at once, and the next case waits for one.
static ALIVE: AtomicUsize = AtomicUsize::new(0);
const MAX_RUNAWAY: usize = 1;

/// Counts a worker thread while it lives.
struct Alive;

impl Alive {
    fn new() -> Alive {
        ALIVE.fetch_add(1, Ordering::SeqCst);
        Alive
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        ALIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What one input did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A crate, or a diagnostic: both fine.
    Fine,
    /// A finding.
    Finding(Finding),
}

/// A finding: its class and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) class: Class,
    /// The panic's message and location, the error, or the file that does
    /// not parse.
    pub(crate) message: String,
    /// What two inputs share when they found the same bug: the panic's
    /// location, or the message without the parts that vary.
    pub(crate) signature: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Panic,
    Timeout,
    /// Emitted Rust that does not parse, an "internal error" diagnostic, or
    /// a file name that is not ASCII and bounded.
    Unparsable,
}

impl Class {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Panic => "panic",
            Class::Timeout => "timeout",
            Class::Unparsable => "unparsable output",
        }
    }
}

/// One case for the worker.
#[derive(Clone)]
pub(crate) struct Case {
    pub(crate) text: String,
    pub(crate) group_by_tag: bool,
}

/// Panics seen since the last case started: "message at file:line:col".
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Replaces the default panic hook (which prints) with one that records.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let mut panics = PANICS.lock().unwrap_or_else(|e| e.into_inner());
        // A runaway case could panic without end; keep the first few.
        if panics.len() < 16 {
            panics.push(format!("{message} at {location}"));
        }
    }));
}

/// A thread that runs cases one after another.
pub(crate) struct Worker {
    cases: Sender<Case>,
    outcomes: Receiver<Outcome>,
}

impl Worker {
    pub(crate) fn spawn() -> Result<Worker, String> {
        let (cases, case_rx) = channel::<Case>();
        let (outcome_tx, outcomes) = channel();
        std::thread::Builder::new()
            .name("fuzz-case".into())
            .stack_size(STACK)
            .spawn(move || {
                let _alive = Alive::new();
                for case in case_rx {
                    if outcome_tx.send(run_case(&case)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start a fuzz worker: {e}"))?;
        Ok(Worker { cases, outcomes })
    }

    /// Runs `case`, waiting at most `limit`. After a timeout this worker is
    /// replaced: the old thread finishes its case (or never does) alone.
    /// An error when cases that timed out are still running long after:
    /// the run cannot go on without starving or running out of memory.
    pub(crate) fn run(&mut self, case: &Case, limit: Duration) -> Result<Outcome, String> {
        let waiting = Instant::now();
        // The current worker is alive too (or is about to be).
        while ALIVE.load(Ordering::SeqCst) > MAX_RUNAWAY + 1 {
            if waiting.elapsed() > limit * 30 {
                return Err(format!(
                    "{} cases that timed out are still running after {} s more",
                    ALIVE.load(Ordering::SeqCst) - 1,
                    (limit * 30).as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.cases.send(case.clone()).is_err() {
            *self = Worker::spawn()?;
            self.cases
                .send(case.clone())
                .map_err(|_| "a new fuzz worker stopped at once".to_owned())?;
        }
        match self.outcomes.recv_timeout(limit) {
            Ok(outcome) => Ok(outcome),
            Err(RecvTimeoutError::Timeout) => {
                *self = Worker::spawn()?;
                Ok(Outcome::Finding(Finding {
                    class: Class::Timeout,
                    message: format!("no result after {} s", limit.as_secs_f64()),
                    signature: "timeout".to_owned(),
                }))
            }
            Err(RecvTimeoutError::Disconnected) => {
                *self = Worker::spawn()?;
                Ok(Outcome::Finding(Finding {
                    class: Class::Panic,
                    message: "the worker thread ended".to_owned(),
                    signature: "worker ended".to_owned(),
                }))
            }
        }
    }
}

/// The pipeline on one case, in this thread.
pub(crate) fn run_case(case: &Case) -> Outcome {
    PANICS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let result = std::panic::catch_unwind(|| pipeline(case));
    let panics = std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()));
    // A panic anywhere, caught here or on an emitter thread, is the finding,
    // whatever the pipeline made of it.
    if let Some(first) = panics.first() {
        let signature = first
            .rsplit_once(" at ")
            .map_or(first.as_str(), |(_, at)| at)
            .to_owned();
        return Outcome::Finding(Finding {
            class: Class::Panic,
            message: panics.join("\n"),
            signature: format!("panic at {signature}"),
        });
    }
    match result {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Finding(Finding {
            class: Class::Panic,
            message: "a panic the hook did not see".to_owned(),
            signature: "panic".to_owned(),
        }),
    }
}

fn pipeline(case: &Case) -> Outcome {
    let mut config = oagen::Config::new("fuzzed");
    config.group_by_tag = case.group_by_tag;
    let result = oagen::load::load_str(&case.text)
        .and_then(|loaded| oagen::ir::lower(&loaded.spec, &config))
        .and_then(|(api, _)| oagen::emit::emit(&api, &config));
    let files = match result {
        Ok(files) => files,
        Err(diags) => {
            return match diags.iter().find(|d| d.message.contains("internal error")) {
                Some(d) => unparsable(d.to_string(), &d.message),
                None => Outcome::Fine,
            };
        }
    };
    for (path, text) in &files {
        if let Some(problem) = bad_path(path) {
            return unparsable(format!("{path:?}: {problem}"), problem);
        }
        if path.ends_with(".rs") {
            if let Err(e) = syn::parse_file(text) {
                // The lexer says nothing of where; say the likeliest cause.
                let cr = text.replace("\r\n", "").contains('\r');
                let cause = if cr { " (a bare CR)" } else { "" };
                return unparsable(
                    format!("{path} does not parse: {e}{cause}\n\n{text}"),
                    &format!("does not parse: {e}{cause}"),
                );
            }
        }
    }
    Outcome::Fine
}

/// Why a file name of a generated crate could not be written everywhere.
fn bad_path(path: &str) -> Option<&'static str> {
    if !path.is_ascii() {
        Some("a file name that is not ASCII")
    } else if path.split('/').any(|part| part.len() > 100) {
        Some("a file name over 100 bytes")
    } else {
        None
    }
}

fn unparsable(message: String, signature: &str) -> Outcome {
    // Numbers and quoted names vary from input to input; the rest is the bug.
    let signature: String = signature
        .split('`')
        .step_by(2)
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(120)
        .collect();
    Outcome::Finding(Finding {
        class: Class::Unparsable,
        message,
        signature,
    })
}
