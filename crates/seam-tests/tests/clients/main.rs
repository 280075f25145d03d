//! The tests of the generated clients, in one test binary (each of these
//! modules was once its own, and each linked the whole `seam` crate again).
//! `tests/env.rs` stays a binary of its own: it sets environment variables,
//! which are process-wide.

mod builder;
mod decoding;
mod errors;
mod escape_hatches;
mod fake_server;
mod generic_wire;
mod limits;
mod retries;
mod seam_api;
mod sessions;
mod spans;
mod webhook;
mod wire;
