//! One request as a generated builder assembles it (path and query
//! parameters, headers, cookies, a body in any media type), and the files
//! ([`Upload`]) a multipart body carries.
//!
//! A [`Request`] is plain data, ready to be sent as many times as retries
//! need: it names the descriptions, the parameter encodings and the errors,
//! never the client that sends it (`client/send.rs` turns it into an HTTP
//! request).

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use crate::error::Error;
use crate::params::{self, ParamSpec, Style};
use crate::spec::OperationSpec;

/// A request to one operation: built by a generated request builder, sent by
/// [`Client::send`](crate::Client::send).
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) op: &'static OperationSpec,
    /// The path with its parameters substituted.
    pub(crate) path: String,
    /// The encoded query string, without `?`.
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    /// `name=value` pairs for the `Cookie` header.
    pub(crate) cookies: Vec<String>,
    pub(crate) payload: Option<Payload>,
}

/// A request body, ready to be sent as many times as retries need.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// Bytes with their media type: JSON, form-urlencoded, text or binary.
    Bytes { content_type: String, data: Vec<u8> },
    /// `multipart/form-data`, rebuilt for each attempt.
    Multipart(Vec<Part>),
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) data: Vec<u8>,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl Request {
    /// A request to `op`, with the path as the spec writes it.
    pub fn new(op: &'static OperationSpec) -> Self {
        Request {
            op,
            path: op.path.to_owned(),
            query: String::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            payload: None,
        }
    }

    /// A request with a JSON body (or none), as most operations send.
    pub(crate) fn with_json<B: Serialize + ?Sized>(
        op: &'static OperationSpec,
        body: Option<&B>,
    ) -> Result<Request, Error> {
        let mut request = Request::new(op);
        if let Some(body) = body {
            request.json("application/json", body)?;
        }
        Ok(request)
    }

    /// The operation.
    pub fn operation(&self) -> &'static OperationSpec {
        self.op
    }

    fn to_value(
        &self,
        what: &str,
        value: &(impl Serialize + ?Sized),
    ) -> Result<serde_json::Value, Error> {
        serde_json::to_value(value)
            .map_err(|e| Error::config(format!("{}: cannot serialize {what}: {e}", self.op.id)))
    }

    /// Substitutes the path parameter `spec.name` (`{name}` in the path).
    pub fn path_param(
        &mut self,
        spec: &ParamSpec,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), Error> {
        let value = self.to_value(&format!("path parameter `{}`", spec.name), value)?;
        let text = params::path(spec, &value);
        self.path = self.path.replace(&format!("{{{}}}", spec.name), &text);
        Ok(())
    }

    /// Adds a query parameter.
    pub fn query_param(
        &mut self,
        spec: &ParamSpec,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), Error> {
        let value = self.to_value(&format!("query parameter `{}`", spec.name), value)?;
        params::query(spec, &value, &mut self.query);
        Ok(())
    }

    /// Sets a header parameter.
    pub fn header_param(
        &mut self,
        spec: &ParamSpec,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), Error> {
        let value = self.to_value(&format!("header `{}`", spec.name), value)?;
        let Some(text) = params::header(spec, &value) else {
            return Ok(());
        };
        let invalid = || {
            Error::config(format!(
                "{}: header `{}` cannot carry this value (control or non-ASCII characters)",
                self.op.id, spec.name
            ))
        };
        let name = HeaderName::from_bytes(spec.name.as_bytes()).map_err(|_| invalid())?;
        let value = HeaderValue::from_str(&text).map_err(|_| invalid())?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Adds a cookie parameter.
    pub fn cookie_param(
        &mut self,
        spec: &ParamSpec,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), Error> {
        let value = self.to_value(&format!("cookie `{}`", spec.name), value)?;
        for (name, value) in params::cookie(spec, &value) {
            self.cookies.push(format!("{name}={value}"));
        }
        Ok(())
    }

    /// Sets the `Accept` header, for operations whose responses are not
    /// JSON (the client asks for `application/json` otherwise).
    pub fn accept(&mut self, media_types: &'static str) {
        self.headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static(media_types),
        );
    }

    /// Sets a JSON body, with this media type (`application/json` or a `+json` type).
    pub fn json(
        &mut self,
        content_type: &str,
        body: &(impl Serialize + ?Sized),
    ) -> Result<(), Error> {
        let data = serde_json::to_vec(body).map_err(|e| {
            Error::config(format!(
                "{}: cannot serialize the request body: {e}",
                self.op.id
            ))
        })?;
        self.payload = Some(Payload::Bytes {
            content_type: content_type.to_owned(),
            data,
        });
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object: each
    /// property as a form field, written as `encodings` says (property,
    /// style, explode) or else as style form, exploded.
    pub fn form(
        &mut self,
        body: &(impl Serialize + ?Sized),
        encodings: &[(&str, Style, bool)],
    ) -> Result<(), Error> {
        let value = self.to_value("the request body", body)?;
        let data = params::form_body(&value, encodings)
            .map_err(|e| Error::config(format!("{}: {e}", self.op.id)))?;
        self.payload = Some(Payload::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            data: data.into_bytes(),
        });
        Ok(())
    }

    /// Sets a `multipart/form-data` body: one text part per property of
    /// `fields` (an object; arrays give one part per item, objects are sent as
    /// JSON), then the files.
    pub fn multipart(
        &mut self,
        fields: &(impl Serialize + ?Sized),
        files: Vec<(&str, Upload)>,
    ) -> Result<(), Error> {
        let value = self.to_value("the request body", fields)?;
        let mut parts = Vec::new();
        let text_part = |name: &str, value: &serde_json::Value| Part {
            name: name.to_owned(),
            data: params::scalar_text(value).into_bytes(),
            file_name: None,
            content_type: (value.is_object() || value.is_array())
                .then(|| "application/json".to_owned()),
        };
        match value {
            serde_json::Value::Object(map) => {
                for (name, value) in &map {
                    match value {
                        serde_json::Value::Null => {}
                        serde_json::Value::Array(items) => {
                            parts.extend(items.iter().map(|item| text_part(name, item)));
                        }
                        value => parts.push(text_part(name, value)),
                    }
                }
            }
            serde_json::Value::Null => {}
            _ => {
                return Err(Error::config(format!(
                    "{}: a multipart body must be an object",
                    self.op.id
                )))
            }
        }
        for (name, upload) in files {
            parts.push(Part {
                name: name.to_owned(),
                data: upload.data,
                file_name: Some(upload.file_name.unwrap_or_else(|| name.to_owned())),
                content_type: Some(
                    upload
                        .content_type
                        .unwrap_or_else(|| "application/octet-stream".to_owned()),
                ),
            });
        }
        self.payload = Some(Payload::Multipart(parts));
        Ok(())
    }

    /// Sets a body sent as it is, with this media type (`text/plain`,
    /// `application/octet-stream`, `image/png`...).
    pub fn raw(&mut self, content_type: &str, data: impl Into<Vec<u8>>) {
        self.payload = Some(Payload::Bytes {
            content_type: content_type.to_owned(),
            data: data.into(),
        });
    }
}

/// A file for a multipart request: its bytes, and optionally a file name and
/// a media type (`application/octet-stream` when unset).
///
/// ```
/// # use oagen_runtime::Upload;
/// let upload = Upload::new(b"%PDF-1.7".to_vec())
///     .file_name("report.pdf")
///     .content_type("application/pdf");
/// # let _ = upload;
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    data: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Upload {
    /// A file with these bytes.
    pub fn new(data: impl Into<Vec<u8>>) -> Self {
        Upload {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the media type of the part.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Self {
        Upload::new(data)
    }
}

impl From<&[u8]> for Upload {
    fn from(data: &[u8]) -> Self {
        Upload::new(data)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::new(text)
    }
}

impl From<&str> for Upload {
    fn from(text: &str) -> Self {
        Upload::new(text)
    }
}
