//! Action attempts: an operation that starts one (unlocking a door, say)
//! answers at once with the attempt still pending, and
//! [`Client::execute_action`] polls it until it succeeds, fails or the
//! polling timeout expires.
//!
//! How to read an attempt (its status and error fields, the operation that
//! polls it) is the API's [`ActionAttemptSpec`]; how long to wait is the
//! [`ActionAttemptPolling`] of the call or of the client.

use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Client;
use crate::decode::{decode, take_field};
use crate::error::{ActionAttemptFailure, Error};
use crate::policy::ActionAttemptPolling;
use crate::request::Request;
use crate::spec::{ActionAttemptSpec, OperationSpec};

impl Client {
    /// Like [`execute_unwrapped`](Self::execute_unwrapped), for an operation
    /// that starts an action attempt: waits for the attempt to finish as
    /// `polling` says, or the client's policy when `None`.
    pub async fn execute_action<B, T>(
        &self,
        op: &'static OperationSpec,
        body: Option<&B>,
        polling: Option<ActionAttemptPolling>,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let raw = self.send(Request::with_json(op, body)?).await?;
        let key = op.response_key.unwrap_or("action_attempt");
        let mut attempt = take_field(op, &raw, key)?;
        let polling = polling.unwrap_or(self.inner.polling);
        if let (true, Some(spec)) = (polling.enabled, self.inner.spec.action_attempts) {
            attempt = self.wait_for(op, spec, attempt, polling).await?;
        }
        decode(op, &raw, attempt, key)
    }

    /// Polls an action attempt until it is no longer pending.
    async fn wait_for(
        &self,
        op: &'static OperationSpec,
        spec: &'static ActionAttemptSpec,
        mut attempt: serde_json::Value,
        polling: ActionAttemptPolling,
    ) -> Result<serde_json::Value, Error> {
        let started = Instant::now();
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
                return Err(Error::ActionAttemptFailed(Box::new(ActionAttemptFailure {
                    operation: op.id,
                    error_type: text("type"),
                    message: text("message"),
                    attempt,
                })));
            }
            if status != spec.pending {
                return Ok(attempt);
            }
            let elapsed = started.elapsed();
            if elapsed >= polling.timeout {
                return Err(Error::ActionAttemptTimeout {
                    operation: op.id,
                    after: polling.timeout,
                    attempt: Box::new(attempt),
                });
            }
            tokio::time::sleep(polling.interval.min(polling.timeout - elapsed)).await;
            let id = attempt.get(spec.id_field).cloned().unwrap_or_default();
            let body = serde_json::json!({ spec.id_field: id });
            let raw = self
                .send(Request::with_json(spec.poll, Some(&body))?)
                .await?;
            attempt = take_field(spec.poll, &raw, spec.response_key)?;
        }
    }
}
