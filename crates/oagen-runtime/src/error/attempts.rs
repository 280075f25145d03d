//! The errors of action attempts: [`ActionAttemptFailure`] (the attempt
//! finished with an error) and [`ActionAttemptTimeout`] (it was still
//! pending when polling stopped).
//!
//! Both carry the attempt as last read, as JSON and as the generated crate's
//! own type: the runtime knows that type only as the `T` of
//! [`Client::execute_action`](crate::Client::execute_action), so it keeps
//! the decoded value behind `dyn Any` and hands it back by downcasting.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// An action attempt as last read: its JSON, and the crate's type for it
/// when the JSON decoded into that type.
#[derive(Clone)]
pub(crate) struct LastRead {
    json: serde_json::Value,
    typed: Option<Arc<dyn Any + Send + Sync>>,
}

impl LastRead {
    /// Keeps `json` and, if it decodes, the `T` it decodes into. A failed
    /// attempt whose JSON the type does not describe is still reported as
    /// failed, with the JSON only: the failure matters more than its shape.
    pub(crate) fn new<T>(json: serde_json::Value) -> LastRead
    where
        T: serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let typed = serde_json::from_value::<T>(json.clone())
            .ok()
            .map(|t| Arc::new(t) as Arc<dyn Any + Send + Sync>);
        LastRead { json, typed }
    }

    pub(crate) fn json(&self) -> &serde_json::Value {
        &self.json
    }

    pub(crate) fn typed<T: Any>(&self) -> Option<&T> {
        self.typed.as_deref()?.downcast_ref()
    }
}

impl PartialEq for LastRead {
    /// Two reads are equal when the server sent the same JSON; the typed
    /// value is decoded from it.
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl fmt::Debug for LastRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.json.fmt(f)
    }
}

/// An action attempt that finished with an error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActionAttemptFailure {
    /// The operation that started it.
    pub operation: &'static str,
    /// The error's type, for example `device_offline`.
    pub error_type: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    pub(crate) attempt: LastRead,
}

impl ActionAttemptFailure {
    pub(crate) fn new(
        operation: &'static str,
        error_type: Option<String>,
        message: Option<String>,
        attempt: LastRead,
    ) -> Self {
        ActionAttemptFailure {
            operation,
            error_type,
            message,
            attempt,
        }
    }

    /// The attempt as last read, as the crate's action attempt type `T`
    /// (`seam::types::ActionAttempt`, for example). `None` for any other `T`,
    /// or when the attempt's JSON does not decode into it
    /// ([`attempt_json`](Self::attempt_json) has it then).
    pub fn attempt<T: Any>(&self) -> Option<&T> {
        self.attempt.typed()
    }

    /// The attempt as last read, as JSON.
    pub fn attempt_json(&self) -> &serde_json::Value {
        self.attempt.json()
    }
}

impl fmt::Display for ActionAttemptFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the action attempt failed", self.operation)?;
        if let Some(kind) = &self.error_type {
            write!(f, " `{kind}`")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ActionAttemptFailure {}

/// An action attempt still pending when the polling timeout expired. It may
/// still finish; its id is in the attempt.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActionAttemptTimeout {
    /// The operation that started it.
    pub operation: &'static str,
    /// The polling timeout.
    pub after: Duration,
    pub(crate) attempt: LastRead,
}

impl ActionAttemptTimeout {
    pub(crate) fn new(operation: &'static str, after: Duration, attempt: LastRead) -> Self {
        ActionAttemptTimeout {
            operation,
            after,
            attempt,
        }
    }

    /// The attempt as last read, as the crate's action attempt type `T`;
    /// `None` for any other `T`, or when its JSON does not decode into it.
    pub fn attempt<T: Any>(&self) -> Option<&T> {
        self.attempt.typed()
    }

    /// The attempt as last read, as JSON.
    pub fn attempt_json(&self) -> &serde_json::Value {
        self.attempt.json()
    }
}

impl fmt::Display for ActionAttemptTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the action attempt was still pending after {:?}",
            self.operation, self.after
        )
    }
}

impl std::error::Error for ActionAttemptTimeout {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Attempt {
        action_attempt_id: String,
        status: String,
    }

    #[test]
    fn the_attempt_is_kept_typed_and_as_json() {
        let json = serde_json::json!({"action_attempt_id": "aa_1", "status": "error"});
        let read = LastRead::new::<Attempt>(json.clone());
        let failure = ActionAttemptFailure::new("locks.unlock_door", None, None, read);
        assert_eq!(
            failure.attempt::<Attempt>(),
            Some(&Attempt {
                action_attempt_id: "aa_1".into(),
                status: "error".into()
            })
        );
        assert_eq!(failure.attempt::<String>(), None);
        assert_eq!(failure.attempt_json(), &json);
    }

    #[test]
    fn json_that_is_not_the_type_is_kept_as_json_only() {
        let json = serde_json::json!({"status": "pending"});
        let timeout = ActionAttemptTimeout::new(
            "locks.unlock_door",
            Duration::from_secs(1),
            LastRead::new::<Attempt>(json.clone()),
        );
        assert_eq!(timeout.attempt::<Attempt>(), None);
        assert_eq!(timeout.attempt_json(), &json);
        assert_eq!(
            timeout.to_string(),
            "locks.unlock_door: the action attempt was still pending after 1s"
        );
    }
}
