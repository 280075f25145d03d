//! Decoding response bodies, and reading error envelopes.
//!
//! Success bodies are decoded with `serde_path_to_error`, so that a body the
//! spec does not describe fails with a [`DecodeError`] naming the JSON path
//! where decoding stopped (prefixed by the response key when only one field
//! is decoded); the error keeps the whole body and bounds what it prints.
//! Error statuses become an [`ApiError`] read from whichever common envelope
//! a JSON body has (a body of another media type is no envelope, whatever it
//! looks like). The decoding methods of [`RawResponse`] live here too, next
//! to the helpers they call.
//!
//! This layer sits above the descriptions, errors and responses and below
//! requests and the client: it names nothing that sends.

use serde::de::DeserializeOwned;

use crate::error::{bounded, excerpt, ApiError, DecodeError, Error, ValidationErrors};
use crate::response::RawResponse;
use crate::spec::OperationSpec;

impl RawResponse {
    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_body(self.op, self)
    }

    /// Decodes one field of a JSON object body (the operation's response key).
    pub fn json_field<T: DeserializeOwned>(&self, key: &str) -> Result<T, Error> {
        decode_field(self.op, self, key)
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
///
/// Decoded plainly first: tracking the path costs a third of a call's time
/// (a string per key). Only a body that fails is decoded again, with the
/// path, for the error.
pub(crate) fn decode_body<T: DeserializeOwned>(
    op: &'static OperationSpec,
    raw: &RawResponse,
) -> Result<T, Error> {
    if let Ok(value) = serde_json::from_slice(&raw.body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    let value = decode(op, raw, &mut de, "")?;
    de.end()
        .map_err(|e| decode_error(op, raw, String::from("."), bounded(&e)))?;
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
            (false, p) if p.starts_with('[') => format!("{prefix}{p}"),
            (false, p) => format!("{prefix}.{p}"),
        };
        decode_error(op, raw, path, bounded(&e.into_inner()))
    })
}

/// The field `key` of a JSON object body as `T`, in one pass that skips the
/// other fields. A body that fails is read again the slow way, which finds
/// the path of the failure (or the missing field) for the error.
pub(crate) fn decode_field<T: DeserializeOwned>(
    op: &'static OperationSpec,
    raw: &RawResponse,
    key: &str,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(&raw.body);
    let fast = serde::de::DeserializeSeed::deserialize(field::Field::new(key), &mut de)
        .ok()
        .flatten()
        .filter(|_| de.end().is_ok());
    if let Some(value) = fast {
        return Ok(value);
    }
    let value = take_field(op, raw, key)?;
    decode(op, raw, value, key)
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

/// A [`DecodeError`] at `path` of this response, keeping its whole body.
pub(crate) fn decode_error(
    op: &'static OperationSpec,
    raw: &RawResponse,
    path: String,
    message: String,
) -> Error {
    Error::Decode(Box::new(DecodeError::new(
        op.id,
        raw.status,
        raw.request_id.clone(),
        &path,
        message,
        raw.body.clone(),
    )))
}

/// Reads an error envelope from a JSON body (`application/json` or any
/// `+json`). Seam sends `{"error": {"type", "message", "data"?,
/// "validation_errors"?}}`; other common shapes (`{"code", "message"}`,
/// `{"error": "text"}`) are read as well. A body of any other media type,
/// or JSON that is no object, is no envelope: it is kept, with a bounded
/// excerpt, and the error has no code.
pub(crate) fn api_error(op: &'static OperationSpec, raw: RawResponse) -> Error {
    let content_type = media_type(&raw.headers);
    let json = content_type.as_deref().is_some_and(is_json);
    let parsed: Option<serde_json::Value> = if json {
        serde_json::from_slice(&raw.body).ok()
    } else {
        None
    };
    let mut error = ApiError::new(op.id, raw.status, raw.request_id, content_type, raw.body);
    error.json = json;
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    match parsed {
        Some(serde_json::Value::Object(mut body)) => match body.remove("error") {
            Some(serde_json::Value::Object(mut e)) => {
                // A stack trace is debugging noise from the server; only the
                // raw body keeps it.
                e.remove("stack");
                error.code = text(e.get("type")).or_else(|| text(e.get("code")));
                error.message = text(e.get("message"));
                error.validation_errors = e
                    .get("validation_errors")
                    .and_then(ValidationErrors::from_json);
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
        _ => error.excerpt = Some(excerpt(&error.body)),
    }
    Error::Api(Box::new(error))
}

/// The media type of `content-type`, without parameters, in lower case.
fn media_type(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    let media = value.split(';').next()?.trim().to_ascii_lowercase();
    (!media.is_empty()).then_some(media)
}

/// Whether a media type (lower case, without parameters) is JSON:
/// `application/json`, or any type with the `+json` suffix
/// (`application/problem+json`).
fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// One field of a JSON object, decoded where it stands.
mod field {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

    /// Decodes the field `key` of an object as `T` (the last one, as a map
    /// would keep it) and skips the others; `None` when it is absent.
    pub(super) struct Field<'k, T> {
        key: &'k str,
        ty: PhantomData<T>,
    }

    impl<'k, T> Field<'k, T> {
        pub(super) fn new(key: &'k str) -> Self {
            Field {
                key,
                ty: PhantomData,
            }
        }
    }

    impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Field<'_, T> {
        type Value = Option<T>;

        fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Option<T>, D::Error> {
            de.deserialize_map(self)
        }
    }

    impl<'de, T: DeserializeOwned> Visitor<'de> for Field<'_, T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object with a `{}` field", self.key)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
            let mut found = None;
            while let Some(matches) = map.next_key_seed(IsKey(self.key))? {
                if matches {
                    found = Some(map.next_value()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }

    /// Whether a key is the wanted one, without allocating it.
    struct IsKey<'k>(&'k str);

    impl<'de> DeserializeSeed<'de> for IsKey<'_> {
        type Value = bool;

        fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<bool, D::Error> {
            de.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for IsKey<'_> {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
            Ok(key == self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};

    use super::*;
    use crate::spec::HttpMethod;

    static OP: OperationSpec = OperationSpec {
        id: "things.create",
        method: HttpMethod::Post,
        path: "/things/create",
        auth_modes: &[],
        response_key: Some("thing"),
        read_only: false,
        anonymous: false,
    };

    fn api(status: u16, content_type: Option<&'static str>, body: &str) -> ApiError {
        let mut headers = HeaderMap::new();
        if let Some(media) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(media));
        }
        let raw = RawResponse {
            op: &OP,
            status,
            headers,
            request_id: Some("req_1".into()),
            body: body.as_bytes().to_vec(),
        };
        match api_error(&OP, raw) {
            Error::Api(api) => *api,
            other => panic!("{other:?}"),
        }
    }

    fn success(body: &str) -> RawResponse {
        RawResponse {
            op: &OP,
            status: 200,
            headers: HeaderMap::new(),
            request_id: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn one_field_is_decoded_in_one_pass_and_failures_keep_their_path() {
        let raw = success(r#"{"ok": true, "thing": {"id": 1, "x": [1, {"y": null}]}, "n": 2}"#);
        let thing: serde_json::Map<String, serde_json::Value> =
            decode_field(&OP, &raw, "thing").unwrap();
        assert_eq!(thing["id"], 1);
        // As a map keeps it: the last of two fields of one name.
        let raw = success(r#"{"thing": 1, "thing": 2}"#);
        assert_eq!(decode_field::<u8>(&OP, &raw, "thing").unwrap(), 2);
        let path = |body: &str| match decode_field::<Vec<u8>>(&OP, &success(body), "thing") {
            Err(Error::Decode(e)) => e.path.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(path(r#"{"ok": true}"#), "thing");
        assert_eq!(path(r#"{"thing": [1, "two"]}"#), "thing[1]");
        assert_eq!(path(r#"{"thing": [1]} trailing"#), ".");
        assert_eq!(path("[]"), ".");
        // A whole body: plain first, the path only for a failure.
        let raw = success(r#"{"a": [1, "two"]}"#);
        match decode_body::<std::collections::BTreeMap<String, Vec<u8>>>(&OP, &raw) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "a[1]"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_a_json_body_is_an_envelope() {
        let envelope =
            r#"{"error": {"type": "bad_gateway", "message": "Bad gateway"}, "ok": false}"#;
        let html = api(502, Some("text/html"), envelope);
        assert_eq!(
            (html.code.as_deref(), html.message.as_deref()),
            (None, None)
        );
        assert_eq!(html.body_as::<serde_json::Value>().map(|r| r.is_ok()), None);
        assert_eq!(html.content_type.as_deref(), Some("text/html"));
        assert_eq!(html.body(), envelope.as_bytes());
        let untyped = api(502, None, envelope);
        assert_eq!(untyped.code, None);

        for media in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
        ] {
            let json = api(502, Some(media), envelope);
            assert_eq!(json.code.as_deref(), Some("bad_gateway"), "{media}");
            assert_eq!(json.message.as_deref(), Some("Bad gateway"));
            assert!(json.body_as::<serde_json::Value>().unwrap().is_ok());
        }
    }

    #[test]
    fn invalid_input_is_read_per_parameter_with_the_data() {
        let body = serde_json::json!({
            "error": {
                "type": "invalid_input",
                "message": "2 Input Errors",
                "data": {"device_id": "d1"},
                "validation_errors": {
                    "_errors": [],
                    "device_type": {"_errors": ["Invalid enum value"]},
                    "limit": {"_errors": ["Expected number, received nan"]}
                },
                "stack": "Error: at line 1"
            },
            "ok": false
        });
        let api = api(400, Some("application/json"), &body.to_string());
        let errors = api.validation_errors().unwrap();
        assert_eq!(errors.field("device_type"), ["Invalid enum value"]);
        assert_eq!(errors.field("limit"), ["Expected number, received nan"]);
        assert_eq!(api.data(), Some(&serde_json::json!({"device_id": "d1"})));
        // The stack stays in the raw body only.
        assert!(api.details.as_ref().unwrap().get("stack").is_none());
        let typed: serde_json::Value = api.body_as().unwrap().unwrap();
        assert!(typed["error"].get("stack").is_none());
        assert!(String::from_utf8_lossy(api.body()).contains("Error: at line 1"));
    }

    #[test]
    fn a_long_body_is_kept_whole_and_shown_bounded() {
        let page = format!("<html>{}</html>", "x".repeat(1 << 20));
        let api = api(502, Some("text/html; charset=utf-8"), &page);
        assert_eq!(api.body().len(), page.len());
        let shown = api.to_string();
        assert!(
            shown.len() < DecodeError::EXCERPT_LIMIT + 200,
            "{}",
            shown.len()
        );
        assert!(
            shown.contains("a text/html body, not a JSON error envelope"),
            "{shown}"
        );
        let debug = format!("{api:?}");
        assert!(
            debug.len() < DecodeError::EXCERPT_LIMIT + 400,
            "{}",
            debug.len()
        );
        assert!(
            debug.contains(&format!("<{} bytes>", page.len())),
            "{debug}"
        );
    }

    #[test]
    fn a_huge_wrong_typed_value_gives_a_bounded_message() {
        let body = format!(r#"{{"thing": {{"count": "{}"}}}}"#, "9".repeat(4 << 20));
        let raw = RawResponse {
            op: &OP,
            status: 200,
            headers: HeaderMap::new(),
            request_id: None,
            body: body.clone().into_bytes(),
        };
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Thing {
            count: u32,
        }
        let err = raw.json_field::<Thing>("thing").unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("{err:?}");
        };
        assert_eq!(decode.path, "thing.count");
        assert!(decode.message.len() <= DecodeError::MESSAGE_LIMIT);
        assert!(
            decode.message.starts_with("invalid type: string \"999"),
            "{}",
            decode.message
        );
        assert!(
            decode.message.contains("expected u32"),
            "{}",
            decode.message
        );
        assert_eq!(decode.body(), body.as_bytes());
        assert!(
            err.to_string().len() < 2 * DecodeError::MESSAGE_LIMIT + DecodeError::EXCERPT_LIMIT
        );
    }
}
