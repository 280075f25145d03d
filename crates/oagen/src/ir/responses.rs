//! What an operation answers: each response of the spec by status, read as
//! JSON, text or bytes; which of them are successes; and the error bodies.

use openapiv3::StatusCode;

use super::lower::Lowerer;
use super::media::{pick_content, MediaKind};
use super::names::Scope;
use super::schemas::Hint;
use super::{sanitize_docs, Response, ResponseBody, Status, StatusResponse, TypeKind, TypeRef};
use crate::diagnostics::Pointer;

impl<'a> Lowerer<'a> {
    /// The responses of an operation. When every success response is read
    /// alike, the call returns that body; otherwise it returns an enum with a
    /// variant per status. Without any 2xx response, `default` is the success.
    pub(super) fn responses(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_prefix: &str,
    ) -> Response {
        let listed = self.listed_responses(op, ptr);
        let (successes, errors) = self.lowered_responses(listed, type_prefix);
        self.document_error_bodies(&errors, ptr);
        let mut response = Response {
            body: None,
            media: None,
            by_status: Vec::new(),
            errors,
            key: None,
            key_null: false,
            pagination: None,
        };
        let first_body = successes.first().and_then(|s| s.body.clone());
        let alike = successes.iter().all(|s| s.body == first_body);
        if !alike {
            response.by_status = successes;
            return response;
        }
        if let Some(ResponseBody::Json(ty)) = &first_body {
            response.body = Some(ty.clone());
            self.response_key(op, ptr, &mut response);
        }
        response.media = first_body;
        response
    }

    /// The responses the spec lists, by status then `default`, their `$ref`s
    /// resolved (one that names nothing is reported and left out).
    fn listed_responses<'s>(
        &mut self,
        op: &'s openapiv3::Operation,
        ptr: &Pointer,
    ) -> Vec<(Status, &'s openapiv3::Response, Pointer)>
    where
        'a: 's,
    {
        let responses_ptr = ptr.push("responses");
        let mut all = Vec::new();
        let listed = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r * 100),
                };
                (status, code.to_string(), r)
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (Status::Default, "default".to_owned(), r)),
            );
        for (status, key, response) in listed {
            if let Some((response, ptr)) = self.resolve_component(
                response,
                &responses_ptr.push(&key),
                "responses",
                "response",
                |c| &c.responses,
            ) {
                all.push((status, response, ptr));
            }
        }
        all
    }

    /// Each response lowered, as a success or an error. A success's body
    /// type is named `<op>_response` when it is the only success, else
    /// after its status; only error responses with a JSON body are kept.
    fn lowered_responses(
        &mut self,
        listed: Vec<(Status, &openapiv3::Response, Pointer)>,
        type_prefix: &str,
    ) -> (Vec<StatusResponse>, Vec<StatusResponse>) {
        // Without any 2xx response, `default` is the success.
        let any_success = listed.iter().any(|(s, ..)| is_success(s));
        let succeeds = |s: Status| is_success(&s) || (!any_success && s == Status::Default);
        let success_count = listed.iter().filter(|(s, ..)| succeeds(*s)).count();
        let mut names = Scope::default();
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        for (status, response, resp_ptr) in listed {
            let success = succeeds(status);
            let hint = match (success, status) {
                // One success: its type is the operation's response.
                (true, _) if success_count == 1 => format!("{type_prefix}_response"),
                (_, Status::Code(c)) => format!("{type_prefix}_{c}_response"),
                (_, Status::Range(r)) => format!("{type_prefix}_{}xx_response", r / 100),
                (_, Status::Default) => format!("{type_prefix}_default_response"),
            };
            let body = self.response_body(response, &resp_ptr, &hint);
            let entry = StatusResponse {
                status,
                ident: names.claim(&status_ident(status), ""),
                body,
                docs: sanitize_docs(&response.description),
            };
            if success {
                successes.push(entry);
            } else if matches!(entry.body, Some(ResponseBody::Json(_))) {
                errors.push(entry);
            }
        }
        (successes, errors)
    }

    /// Gives an error body type defined by this operation (under `ptr`) and
    /// without docs of its own the docs "The error body of HTTP 404.".
    fn document_error_bodies(&mut self, errors: &[StatusResponse], ptr: &Pointer) {
        for e in errors {
            if let Some(ResponseBody::Json(TypeRef::Named(id))) = &e.body {
                let def = &mut self.types[id.0];
                if def.docs.is_none() && def.origin.as_str().starts_with(ptr.as_str()) {
                    def.docs = Some(format!("The error body of {}.", status_text(e.status)));
                }
            }
        }
    }

    fn response_body(
        &mut self,
        response: &openapiv3::Response,
        ptr: &Pointer,
        hint: &str,
    ) -> Option<ResponseBody> {
        let (media, kind, content) = pick_content(&response.content, false)?;
        Some(match kind {
            MediaKind::Json => match &content.schema {
                Some(schema) => {
                    let schema_ptr = ptr.push("content").push(media).push("schema");
                    ResponseBody::Json(self.schema_or_ref(
                        schema,
                        &schema_ptr,
                        &Hint::new(hint.to_owned()),
                        false,
                    ))
                }
                None => ResponseBody::Json(TypeRef::Json),
            },
            MediaKind::Text => ResponseBody::Text,
            _ => ResponseBody::Bytes,
        })
    }

    /// `x-response-key`: the field of the body that holds the resource.
    fn response_key(&mut self, op: &openapiv3::Operation, ptr: &Pointer, response: &mut Response) {
        let Some(body) = &response.body else {
            return;
        };
        match op.extensions.get("x-response-key") {
            Some(serde_json::Value::String(key)) => {
                let field = match body {
                    TypeRef::Named(id) => match &self.types[id.0].kind {
                        TypeKind::Struct { fields, .. } => {
                            fields.iter().find(|f| &f.wire_name == key).cloned()
                        }
                        _ => None,
                    },
                    _ => None,
                };
                match field {
                    Some(field) => response.key = Some((key.clone(), field.ty)),
                    None => self.diags.error(
                        &ptr.push("x-response-key"),
                        format!(
                            "the response key `{key}` is not a property of the success response"
                        ),
                    ),
                }
            }
            Some(serde_json::Value::Null) => response.key_null = true,
            None => {}
            Some(_) => self.diags.warning(
                &ptr.push("x-response-key"),
                "expected a string or null; ignored",
            ),
        }
    }
}

/// Whether a status is a success: a 2xx code or the `2XX` range.
fn is_success(status: &Status) -> bool {
    match status {
        Status::Code(c) => (200..300).contains(c),
        Status::Range(r) => *r == 200,
        Status::Default => false,
    }
}

/// The variant name for a status: its reason phrase, or `Status<code>`.
fn status_ident(status: Status) -> String {
    let code = match status {
        Status::Code(c) => c,
        Status::Range(r) => return format!("Status{}xx", r / 100),
        Status::Default => return "Other".to_owned(),
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

/// "HTTP 404", "HTTP 4XX" or "any other status", for documentation.
pub fn status_text(status: Status) -> String {
    match status {
        Status::Code(c) => format!("HTTP {c}"),
        Status::Range(r) => format!("HTTP {}XX", r / 100),
        Status::Default => "any other status".to_owned(),
    }
}
