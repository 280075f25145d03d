//! Decoding response bodies, and reading error envelopes.
//!
//! Success bodies are decoded with `serde_path_to_error`, so that a body the
//! spec does not describe fails with a [`DecodeError`] naming the JSON path
//! where decoding stopped (prefixed by the response key when only one field
//! is decoded). Error statuses become an [`ApiError`] read from whichever
//! common envelope the body has. The decoding methods of [`RawResponse`] live
//! here too, next to the helpers they call.
//!
//! This layer sits above the descriptions, errors and responses and below
//! requests and the client: it names nothing that sends.

use serde::de::DeserializeOwned;

use crate::error::{excerpt, ApiError, DecodeError, Error};
use crate::response::RawResponse;
use crate::spec::OperationSpec;

impl RawResponse {
    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_body(self.op, self)
    }

    /// Decodes one field of a JSON object body (the operation's response key).
    pub fn json_field<T: DeserializeOwned>(&self, key: &str) -> Result<T, Error> {
        let value = take_field(self.op, self, key)?;
        decode(self.op, self, value, key)
    }

    /// The body as text; a body that is not UTF-8 is a decode error.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|e| {
            decode_error(
                self.op,
                self,
                String::from("."),
                format!("the body is not UTF-8 text: {e}"),
            )
        })
    }

    /// The error for a success status the spec does not list for the operation.
    pub fn unexpected_status(&self) -> Error {
        decode_error(
            self.op,
            self,
            String::from("."),
            format!("HTTP {} is not a response the spec describes", self.status),
        )
    }
}

/// The whole body as `T`, with nothing but whitespace after it.
pub(crate) fn decode_body<T: DeserializeOwned>(
    op: &'static OperationSpec,
    raw: &RawResponse,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    let value = decode(op, raw, &mut de, "")?;
    de.end()
        .map_err(|e| decode_error(op, raw, String::from("."), e.to_string()))?;
    Ok(value)
}

/// `T` from `de` (the body, or a field of it named by `prefix`); a failure
/// names the path from the body's root.
pub(crate) fn decode<'de, D, T>(
    op: &'static OperationSpec,
    raw: &RawResponse,
    de: D,
    prefix: &str,
) -> Result<T, Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner_path = e.path().to_string();
        let path = match (prefix.is_empty(), inner_path.as_str()) {
            (true, _) => inner_path.clone(),
            (false, ".") => prefix.to_owned(),
            (false, p) => format!("{prefix}.{p}"),
        };
        decode_error(op, raw, path, e.into_inner().to_string())
    })
}

/// The field `key` of a JSON object body, undecoded.
pub(crate) fn take_field(
    op: &'static OperationSpec,
    raw: &RawResponse,
    key: &str,
) -> Result<serde_json::Value, Error> {
    let mut envelope = decode_body(op, raw)?;
    remove_field(op, raw, &mut envelope, key)
}

/// Takes the field `key` out of an envelope already decoded; its absence is a
/// decode error at `key`.
pub(crate) fn remove_field(
    op: &'static OperationSpec,
    raw: &RawResponse,
    envelope: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<serde_json::Value, Error> {
    envelope.remove(key).ok_or_else(|| {
        decode_error(
            op,
            raw,
            key.to_owned(),
            format!("the response has no `{key}` field"),
        )
    })
}

/// A [`DecodeError`] at `path` of this response, with a bounded excerpt of its body.
pub(crate) fn decode_error(
    op: &'static OperationSpec,
    raw: &RawResponse,
    path: String,
    message: String,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: op.id,
        status: raw.status,
        request_id: raw.request_id.clone(),
        path,
        message,
        excerpt: excerpt(&raw.body),
    }))
}

/// Reads an error envelope. Seam sends `{"error": {"type", "message", ...}}`;
/// other common shapes (`{"code", "message"}`, `{"error": "text"}`) are read
/// as well, and anything else is kept as a bounded excerpt.
pub(crate) fn api_error(op: &'static OperationSpec, raw: RawResponse) -> Error {
    let mut error = ApiError {
        operation: op.id,
        status: raw.status,
        code: None,
        message: None,
        request_id: raw.request_id,
        details: None,
        excerpt: None,
        body: None,
    };
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&raw.body).ok();
    error.body = parsed.clone();
    if let Some(serde_json::Value::Object(body)) = &mut error.body {
        if let Some(serde_json::Value::Object(e)) = body.get_mut("error") {
            e.remove("stack");
        }
    }
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    match parsed {
        Some(serde_json::Value::Object(mut body)) => match body.remove("error") {
            Some(serde_json::Value::Object(mut e)) => {
                // A stack trace is debugging noise from the server; never keep it.
                e.remove("stack");
                error.code = text(e.get("type")).or_else(|| text(e.get("code")));
                error.message = text(e.get("message"));
                error.details = Some(serde_json::Value::Object(e));
            }
            Some(serde_json::Value::String(message)) => {
                error.code = text(body.get("code"));
                error.message = Some(message);
            }
            _ => {
                error.code = text(body.get("code")).or_else(|| text(body.get("type")));
                error.message = text(body.get("message"));
                error.details = Some(serde_json::Value::Object(body));
            }
        },
        _ => error.excerpt = Some(excerpt(&raw.body)),
    }
    Error::Api(Box::new(error))
}
