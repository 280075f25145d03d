//! Webhook signatures in the Svix scheme (also called Standard Webhooks):
//! what an API that signs its webhooks this way, such as Seam, sends with
//! every delivery, and how a receiver checks it.
//!
//! A delivery carries three headers: `svix-id` (the message id),
//! `svix-timestamp` (Unix seconds) and `svix-signature`, a space-separated
//! list of `v1,<base64>` signatures (several while a secret is rotated). Each
//! is the HMAC-SHA256 of `<id>.<timestamp>.<payload>` under the endpoint's
//! secret, given as `whsec_` followed by the key in base64. A delivery is
//! authentic when one listed signature matches, compared in constant time,
//! and its timestamp is within five minutes of now, which limits replays.
//! The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of
//! the Standard Webhooks naming are read too, when the `svix-` ones are absent.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use hmac::{KeyInit, Mac};
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretSlice};
use serde::de::DeserializeOwned;

pub use reqwest::header::HeaderMap;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// How far a delivery's timestamp may be from now, either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Checks the signatures of webhook deliveries with one endpoint secret.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    key: SecretSlice<u8>,
    tolerance: Duration,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("key", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Why a delivery was refused. No variant holds the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64 (or base64 alone).
    #[error("the webhook secret is not `whsec_` followed by a base64 key")]
    InvalidSecret,
    /// A header the scheme needs is absent, or not text.
    #[error("the webhook has no `{0}` header")]
    MissingHeader(&'static str),
    /// `svix-timestamp` is not a number of seconds.
    #[error("the webhook's timestamp is not a number of seconds")]
    InvalidTimestamp,
    /// The timestamp is older than the tolerance: possibly a replay.
    #[error("the webhook's timestamp is more than {tolerance:?} old")]
    TimestampTooOld {
        /// The tolerance that was exceeded.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("the webhook's timestamp is more than {tolerance:?} in the future")]
    TimestampTooNew {
        /// The tolerance that was exceeded.
        tolerance: Duration,
    },
    /// No `v1` signature of `svix-signature` matches the payload under this secret.
    #[error("no signature of the webhook matches its payload")]
    NoMatchingSignature,
    /// The signature is valid but the payload is not the JSON it should be.
    #[error("the webhook's payload does not decode: {0}")]
    InvalidPayload(#[source] serde_json::Error),
    /// A value given to [`WebhookVerifier::signed_headers`] cannot be the
    /// value of this header (it holds control characters).
    #[error("the value for the webhook's `{0}` header is not valid header text")]
    InvalidHeader(&'static str),
}

impl WebhookVerifier {
    /// A verifier for `secret`: `whsec_` followed by the key in base64, as the
    /// API shows it (the base64 alone is accepted too).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(WebhookVerifier {
            key: key.into(),
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Sets how far a timestamp may be from now (five minutes by default).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery: `payload` is the request body exactly as received,
    /// `headers` the request's headers.
    pub fn verify(&self, payload: &str, headers: &HeaderMap) -> Result<(), WebhookError> {
        self.verify_at(payload, headers, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if the time were `now`.
    pub fn verify_at(
        &self,
        payload: &str,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = header(headers, "svix-id", "webhook-id")?;
        let timestamp = header(headers, "svix-timestamp", "webhook-timestamp")?;
        let signatures = header(headers, "svix-signature", "webhook-signature")?;
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::InvalidTimestamp)?;
        self.check_time(seconds, now)?;
        let mac = self.mac(id, timestamp.trim(), payload);
        let matches = signatures
            .split(' ')
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .any(|candidate| mac.clone().verify_slice(&candidate).is_ok());
        if matches {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }

    /// Checks a delivery, then decodes its payload as `T`: JSON that does not
    /// decode is [`WebhookError::InvalidPayload`].
    pub fn verify_json<T: DeserializeOwned>(
        &self,
        payload: &str,
        headers: &HeaderMap,
    ) -> Result<T, WebhookError> {
        self.verify_json_at(payload, headers, SystemTime::now())
    }

    /// [`verify_json`](Self::verify_json) as if the time were `now`.
    pub fn verify_json_at<T: DeserializeOwned>(
        &self,
        payload: &str,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Result<T, WebhookError> {
        self.verify_at(payload, headers, now)?;
        serde_json::from_str(payload).map_err(WebhookError::InvalidPayload)
    }

    /// The `svix-id`, `svix-timestamp` and `svix-signature` headers of a
    /// delivery of `payload`, signed with this secret: what the API sends,
    /// for tests of a webhook handler. An `id` with control characters is
    /// [`WebhookError::InvalidHeader`].
    pub fn signed_headers(
        &self,
        id: &str,
        timestamp: i64,
        payload: &str,
    ) -> Result<HeaderMap, WebhookError> {
        let value = |name: &'static str, text: &str| {
            HeaderValue::from_str(text).map_err(|_| WebhookError::InvalidHeader(name))
        };
        let mut headers = HeaderMap::new();
        headers.insert("svix-id", value("svix-id", id)?);
        headers.insert(
            "svix-timestamp",
            value("svix-timestamp", &timestamp.to_string())?,
        );
        headers.insert(
            "svix-signature",
            value("svix-signature", &self.sign(id, timestamp, payload))?,
        );
        Ok(headers)
    }

    /// The `svix-signature` value for a delivery (one `v1` signature): for
    /// tests of a webhook handler, and for servers that send webhooks.
    pub fn sign(&self, id: &str, timestamp: i64, payload: &str) -> String {
        let tag = self
            .mac(id, &timestamp.to_string(), payload)
            .finalize()
            .into_bytes();
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(tag)
        )
    }

    fn mac(&self, id: &str, timestamp: &str, payload: &str) -> HmacSha256 {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(self.key.expose_secret())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac
    }

    fn check_time(&self, seconds: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        if seconds < now.saturating_sub(tolerance) {
            Err(WebhookError::TimestampTooOld {
                tolerance: self.tolerance,
            })
        } else if seconds > now.saturating_add(tolerance) {
            Err(WebhookError::TimestampTooNew {
                tolerance: self.tolerance,
            })
        } else {
            Ok(())
        }
    }
}

/// A header by its Svix name, else by its Standard Webhooks name.
fn header<'h>(
    headers: &'h HeaderMap,
    name: &'static str,
    alternative: &'static str,
) -> Result<&'h str, WebhookError> {
    headers
        .get(name)
        .or_else(|| headers.get(alternative))
        .and_then(|v| v.to_str().ok())
        .ok_or(WebhookError::MissingHeader(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification: key, message and
    // the signature it gives.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const PAYLOAD: &str = r#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds as u64)
    }

    fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("svix-id", id.parse().unwrap());
        headers.insert("svix-timestamp", timestamp.parse().unwrap());
        headers.insert("svix-signature", signature.parse().unwrap());
        headers
    }

    #[test]
    fn the_specification_example_verifies() {
        let verifier = WebhookVerifier::new(SECRET).unwrap();
        assert_eq!(verifier.sign(ID, TIMESTAMP, PAYLOAD), SIGNATURE);
        let h = headers(ID, &TIMESTAMP.to_string(), SIGNATURE);
        verifier.verify_at(PAYLOAD, &h, at(TIMESTAMP)).unwrap();
        // Any one of several signatures may match (key rotation).
        let several = format!("v1,bm9wZQ== v2,whatever {SIGNATURE}");
        let h = headers(ID, &TIMESTAMP.to_string(), &several);
        verifier
            .verify_at(PAYLOAD, &h, at(TIMESTAMP + 299))
            .unwrap();
    }

    #[test]
    fn tampering_time_and_keys_are_refused() {
        let verifier = WebhookVerifier::new(SECRET).unwrap();
        let h = headers(ID, &TIMESTAMP.to_string(), SIGNATURE);
        let refused = |payload: &str, h: &HeaderMap, now| {
            verifier.verify_at(payload, h, at(now)).unwrap_err()
        };
        assert!(matches!(
            refused(r#"{"test": 2432232315}"#, &h, TIMESTAMP),
            WebhookError::NoMatchingSignature
        ));
        let other_id = headers("msg_other", &TIMESTAMP.to_string(), SIGNATURE);
        assert!(matches!(
            refused(PAYLOAD, &other_id, TIMESTAMP),
            WebhookError::NoMatchingSignature
        ));
        assert!(matches!(
            refused(PAYLOAD, &h, TIMESTAMP + 301),
            WebhookError::TimestampTooOld { .. }
        ));
        assert!(matches!(
            refused(PAYLOAD, &h, TIMESTAMP - 301),
            WebhookError::TimestampTooNew { .. }
        ));
        let mut unsigned = h.clone();
        unsigned.remove("svix-signature");
        assert!(matches!(
            refused(PAYLOAD, &unsigned, TIMESTAMP),
            WebhookError::MissingHeader("svix-signature")
        ));
        let bad_time = headers(ID, "soon", SIGNATURE);
        assert!(matches!(
            refused(PAYLOAD, &bad_time, TIMESTAMP),
            WebhookError::InvalidTimestamp
        ));
        let other_key = WebhookVerifier::new("whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=").unwrap();
        assert!(matches!(
            other_key.verify_at(PAYLOAD, &h, at(TIMESTAMP)),
            Err(WebhookError::NoMatchingSignature)
        ));
        assert!(matches!(
            WebhookVerifier::new("whsec_not base64!"),
            Err(WebhookError::InvalidSecret)
        ));
    }

    #[test]
    fn standard_webhooks_header_names_are_read_too() {
        let verifier = WebhookVerifier::new(SECRET).unwrap();
        let mut h = HeaderMap::new();
        h.insert("webhook-id", ID.parse().unwrap());
        h.insert("webhook-timestamp", TIMESTAMP.to_string().parse().unwrap());
        h.insert("webhook-signature", SIGNATURE.parse().unwrap());
        verifier.verify_at(PAYLOAD, &h, at(TIMESTAMP)).unwrap();
    }

    #[test]
    fn signed_headers_verify_and_the_payload_decodes() {
        let verifier = WebhookVerifier::new(SECRET).unwrap();
        let h = verifier.signed_headers(ID, TIMESTAMP, PAYLOAD).unwrap();
        assert_eq!(h["svix-signature"], SIGNATURE);
        assert_eq!(h["svix-timestamp"], TIMESTAMP.to_string().as_str());
        let decoded: serde_json::Value =
            verifier.verify_json_at(PAYLOAD, &h, at(TIMESTAMP)).unwrap();
        assert_eq!(decoded["test"], 2432232314_u64);
        // A signed payload that is not JSON is refused once verified.
        let h = verifier.signed_headers(ID, TIMESTAMP, "not json").unwrap();
        assert!(matches!(
            verifier.verify_json_at::<serde_json::Value>("not json", &h, at(TIMESTAMP)),
            Err(WebhookError::InvalidPayload(_))
        ));
        // A forged one is refused before it is decoded.
        assert!(matches!(
            verifier.verify_json_at::<serde_json::Value>("{}", &h, at(TIMESTAMP)),
            Err(WebhookError::NoMatchingSignature)
        ));
        assert!(matches!(
            verifier.signed_headers("msg\n1", TIMESTAMP, PAYLOAD),
            Err(WebhookError::InvalidHeader("svix-id"))
        ));
    }

    #[test]
    fn the_secret_is_never_shown() {
        let verifier = WebhookVerifier::new(SECRET).unwrap();
        let debug = format!("{verifier:?}");
        assert!(!debug.contains("MfKQ9r8G"), "{debug}");
        let error = WebhookVerifier::new("whsec_MfKQ9r8G!!")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("MfKQ9r8G"), "{error}");
    }
}
