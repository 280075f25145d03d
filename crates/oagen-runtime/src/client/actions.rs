//! Action attempts: an operation that starts one (unlocking a door, say)
//! answers at once with the attempt still pending, and
//! [`Client::execute_action`] polls it until it succeeds, fails or the
//! polling timeout expires.
//!
//! How to read an attempt (its status and error fields, the operation that
//! polls it) is the API's [`ActionAttemptSpec`]; how long to wait is the
//! [`ActionAttemptPolling`] of the call or of the client. A failure or a
//! timeout carries the attempt decoded into the call's `T`, the generated
//! crate's action attempt type, as well as its JSON.

use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Client;
use crate::decode::{decode, take_field};
use crate::error::{ActionAttemptFailure, ActionAttemptTimeout, Error, LastRead};
use crate::policy::ActionAttemptPolling;
use crate::request::Request;
use crate::spec::{ActionAttemptSpec, OperationSpec};

impl Client {
    /// Like [`execute_unwrapped`](Self::execute_unwrapped), for an operation
    /// that starts an action attempt: waits for the attempt to finish as
    /// `polling` says, or the client's policy when `None`. `T` is the
    /// crate's action attempt type; a failed or timed-out attempt is an
    /// error that carries it ([`ActionAttemptFailure::attempt`]).
    pub async fn execute_action<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
        polling: Option<ActionAttemptPolling>,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let raw = self.send(Request::with_json(op, body)?).await?;
        let key = op.response_key.unwrap_or("action_attempt");
        let mut attempt = take_field(op, &raw, key)?;
        let polling = polling.unwrap_or(self.inner.polling);
        if let (true, Some(spec)) = (polling.enabled, self.inner.spec.action_attempts) {
            attempt = self.wait_for::<T>(op, spec, attempt, polling).await?;
        }
        decode(op, &raw, attempt, key)
    }

    /// Polls an action attempt until it is no longer pending; a failure or
    /// a timeout keeps the attempt as `T` too.
    async fn wait_for<T>(
        &self,
        op: &'static OperationSpec,
        spec: &'static ActionAttemptSpec,
        mut attempt: serde_json::Value,
        polling: ActionAttemptPolling,
    ) -> Result<serde_json::Value, Error>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let started = Instant::now();
        let mut polls = 0u32;
        loop {
            let status = attempt
                .get(spec.status_field)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            if status == spec.failed {
                let error = attempt.get(spec.error_field);
                let text = |key: &str| {
                    error
                        .and_then(|e| e.get(key))
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned)
                };
                let (error_type, message) = (text("type"), text("message"));
                return Err(Error::ActionAttemptFailed(Box::new(
                    ActionAttemptFailure::new(
                        op.id,
                        error_type,
                        message,
                        LastRead::new::<T>(attempt),
                    ),
                )));
            }
            if status != spec.pending {
                return Ok(attempt);
            }
            let elapsed = started.elapsed();
            if elapsed >= polling.timeout {
                return Err(Error::ActionAttemptTimeout(Box::new(
                    ActionAttemptTimeout::new(op.id, polling.timeout, LastRead::new::<T>(attempt)),
                )));
            }
            tokio::time::sleep(polling.interval.min(polling.timeout - elapsed)).await;
            let id = attempt.get(spec.id_field).cloned().unwrap_or_default();
            polls += 1;
            tracing::debug!(
                operation = op.id,
                poll = polls,
                action_attempt_id = id.as_str().unwrap_or_default(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "polling the action attempt"
            );
            let body = serde_json::json!({ spec.id_field: id });
            let raw = self
                .send(Request::with_json(spec.poll, Some(&body))?)
                .await?;
            attempt = take_field(spec.poll, &raw, spec.response_key)?;
        }
    }
}
