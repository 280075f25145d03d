//! Policies a client applies around calls: retries, and waiting for action
//! attempts.
//!
//! These are the knobs an application sets on the builder (and, for action
//! attempts, on each call); they name no other part of the crate. What an
//! action attempt looks like is a description of the API, so
//! [`ActionAttemptSpec`](crate::ActionAttemptSpec) is in `spec.rs`.

use std::time::Duration;

/// How calls are retried. Read-only operations are retried after a
/// connection error, a timeout, HTTP 429 or a 5xx. Operations that change
/// something are retried only after an error that proves the request was
/// never sent: a failure to connect (connection refused, a DNS failure, a
/// failed TLS handshake); after a timeout or an error status the server may
/// have acted on them, so they are not. Both count against the same
/// `max_retries`, with the same backoff.
///
/// The delay before retry `n` (from 1) is a random duration between half and
/// all of `initial_backoff * 2^(n-1)`, at most `max_backoff`, unless the
/// server's `Retry-After` asks for longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retries off.
    pub max_retries: u32,
    /// The delay before the first retry, before jitter.
    pub initial_backoff: Duration,
    /// The longest delay between two attempts, `Retry-After` included.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, from 500 ms, at most 10 s apart.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The delay before retry `retry` (from 1), given the server's `Retry-After`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(
                1u32.checked_shl(retry.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_backoff);
        // Full jitter over the upper half spreads clients that failed together.
        let jittered = exponential.mul_f64(0.5 + fastrand::f64() * 0.5);
        match retry_after {
            Some(asked) => asked.min(self.max_backoff).max(jittered),
            None => jittered,
        }
    }
}

/// How a call that starts an action attempt (unlocking a door, say) waits for
/// it to finish, by polling the attempt until its status is no longer pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionAttemptPolling {
    /// Whether to wait at all; when `false` the call returns the attempt as
    /// the server first sent it, usually still pending.
    pub enabled: bool,
    /// How long to wait before failing with [`crate::Error::ActionAttemptTimeout`].
    pub timeout: Duration,
    /// The pause between two polls.
    pub interval: Duration,
}

impl Default for ActionAttemptPolling {
    /// Wait, for up to 10 s, polling every 500 ms (as Seam's official SDKs do).
    fn default() -> Self {
        ActionAttemptPolling {
            enabled: true,
            timeout: Duration::from_secs(10),
            interval: Duration::from_millis(500),
        }
    }
}

impl ActionAttemptPolling {
    /// Do not wait: return the attempt as first sent.
    pub fn disabled() -> Self {
        ActionAttemptPolling {
            enabled: false,
            ..ActionAttemptPolling::default()
        }
    }

    /// The same policy with another timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same policy with another polling interval.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
        };
        for _ in 0..50 {
            let first = p.delay(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = p.delay(3, None);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(p.delay(30, None) <= Duration::from_millis(1000));
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_millis(700))),
            Duration::from_millis(700)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60))),
            Duration::from_millis(1000)
        );
    }
}
