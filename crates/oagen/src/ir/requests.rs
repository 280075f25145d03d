//! What an operation sends as its body: the request body (its `$ref`
//! resolved) in the media type the client writes best: JSON, form fields
//! (with their `encoding`), multipart (binary properties become file
//! parts), text or bytes. An object body becomes fields the builder sets
//! one by one; any other body is set whole.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, Type};

use super::lower::Lowerer;
use super::media::{is_binary, pick_content, MediaKind};
use super::names::{snake_ident, Scope};
use super::parameters::query_style;
use super::schemas::Hint;
use super::{sanitize_docs, BodyMedia, FilePart, ParamStyle, TypeId, TypeKind, TypeRef};
use crate::diagnostics::Pointer;

/// Names a request builder defines itself (fields, methods, and locals of
/// its methods); its setters never take them.
pub(super) const BUILDER_RESERVED: &[&str] = &[
    "client",
    "polling",
    "new",
    "send",
    "send_with_response",
    "paginate",
    "pages",
    "into_parts",
    "action_attempt_polling",
    "request",
    "checks",
    "body",
    "files",
    "response",
    "header",
    "preview",
];

/// The builder field (and setter) for a body property whose Rust field is
/// `ident`: the same name, unless the builder needs it for itself.
pub fn builder_field(ident: &str) -> String {
    if BUILDER_RESERVED.contains(&ident) {
        format!("{ident}_value")
    } else {
        ident.to_owned()
    }
}

/// A request body as lowered: an object whose properties the builder sets
/// one by one, or any other value set as a whole.
pub(super) enum Body {
    Fields(TypeId),
    Whole(TypeRef),
}

/// A lowered request body with its encoding.
pub(super) struct LoweredBody {
    pub(super) body: Option<Body>,
    pub(super) media: BodyMedia,
    pub(super) required: bool,
}

/// What lowering a request body's content needs whatever its media type:
/// where its schema is, how to name the types it defines, and whether the
/// body is required.
struct BodyTarget {
    schema_ptr: Pointer,
    hint: Hint,
    required: bool,
}

impl BodyTarget {
    /// The lowered body, with this target's `required`.
    fn lowered(&self, body: Option<Body>, media: BodyMedia) -> LoweredBody {
        LoweredBody {
            body,
            media,
            required: self.required,
        }
    }
}

impl Lowerer<'_> {
    /// The request body, in the media type the client writes best: JSON,
    /// then form-urlencoded, multipart, text, and finally raw bytes.
    pub(super) fn request_body(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_prefix: &str,
    ) -> LoweredBody {
        let none = LoweredBody {
            body: None,
            media: BodyMedia::None,
            required: false,
        };
        let Some(body) = &op.request_body else {
            return none;
        };
        let Some((body, body_ptr)) = self.resolve_component(
            body,
            &ptr.push("requestBody"),
            "requestBodies",
            "request body",
            |c| &c.request_bodies,
        ) else {
            return none;
        };
        let Some((media, kind, content)) = pick_content(&body.content, true) else {
            return none;
        };
        let target = BodyTarget {
            schema_ptr: body_ptr.push("content").push(media).push("schema"),
            hint: Hint::new(format!("{type_prefix}_body")),
            required: body.required,
        };
        match kind {
            MediaKind::Json => self.json_body(content, media, &target),
            MediaKind::Form => {
                let body = content
                    .schema
                    .as_ref()
                    .map(|schema| self.body_schema(schema, &target.schema_ptr, &target.hint));
                target.lowered(body, BodyMedia::Form(form_encodings(content)))
            }
            MediaKind::Multipart => self.multipart_body(content, &target),
            MediaKind::Text => target.lowered(
                Some(Body::Whole(TypeRef::String)),
                BodyMedia::Text(concrete_media(media, "text/plain")),
            ),
            MediaKind::Bytes => target.lowered(
                Some(Body::Whole(TypeRef::Bytes)),
                BodyMedia::Bytes(concrete_media(media, "application/octet-stream")),
            ),
        }
    }

    /// A JSON body: its schema (any JSON without one), or nothing to set for
    /// an object without properties.
    fn json_body(&mut self, content: &MediaType, media: &str, target: &BodyTarget) -> LoweredBody {
        let Some(schema) = &content.schema else {
            return target.lowered(
                Some(Body::Whole(TypeRef::Json)),
                BodyMedia::Json(json_media(media)),
            );
        };
        // An object without properties is a body with nothing to set.
        if let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(o)),
            ..
        }) = schema
        {
            if o.properties.is_empty() && o.additional_properties.is_none() {
                return target.lowered(None, BodyMedia::Json(json_media(media)));
            }
        }
        let body = self.body_schema(schema, &target.schema_ptr, &target.hint);
        target.lowered(Some(body), BodyMedia::Json(json_media(media)))
    }

    /// A multipart body: the object's file properties as file parts, the
    /// others as fields. A body that is no object is one file part, `file`.
    fn multipart_body(&mut self, content: &MediaType, target: &BodyTarget) -> LoweredBody {
        let object = content
            .schema
            .as_ref()
            .and_then(|s| self.resolve_unboxed(s))
            .and_then(|s| self.object_like(s));
        let Some(object) = object else {
            if content.schema.is_some() {
                self.diags.warning(
                    &target.schema_ptr,
                    "a multipart body that is not an object: it is sent as one file part named `file`",
                );
            }
            let file = FilePart {
                wire_name: "file".to_owned(),
                ident: "file".to_owned(),
                required: target.required,
                many: false,
                docs: Some("The file to send.".to_owned()),
            };
            return target.lowered(None, BodyMedia::Multipart(vec![file]));
        };
        let (fields, files) = self.split_files(object);
        let body = fields.map(|schema| {
            let ty = self.schema(&schema, &target.schema_ptr, &target.hint, true);
            self.mark_request(ty)
        });
        target.lowered(body, BodyMedia::Multipart(files))
    }

    fn body_schema(&mut self, schema: &ReferenceOr<Schema>, ptr: &Pointer, hint: &Hint) -> Body {
        let ty = self.schema_or_ref(schema, ptr, hint, true);
        self.mark_request(ty)
    }

    /// An object body becomes fields; anything else is set whole.
    fn mark_request(&mut self, ty: TypeRef) -> Body {
        match ty {
            TypeRef::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct { .. }) => {
                if let TypeKind::Struct { request, .. } = &mut self.types[id.0].kind {
                    *request = true;
                }
                Body::Fields(id)
            }
            other => Body::Whole(other),
        }
    }

    /// Takes the file properties (`format: binary`, or arrays of them) out
    /// of a multipart object; returns the rest (if any property remains) and
    /// the files.
    fn split_files(&self, mut object: Schema) -> (Option<Schema>, Vec<FilePart>) {
        let (properties, required_list) = match &mut object.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&mut o.properties, &mut o.required),
            SchemaKind::Any(a) => (&mut a.properties, &mut a.required),
            _ => return (Some(object), Vec::new()),
        };
        let required = required_list.clone();
        let mut files = Vec::new();
        let mut names = Scope::with_reserved(BUILDER_RESERVED);
        let mut kept = IndexMap::new();
        for (name, schema) in std::mem::take(properties) {
            let resolved = self.resolve(&schema);
            let file = resolved.and_then(|s| match &s.schema_kind {
                _ if is_binary(s) => Some(false),
                SchemaKind::Type(Type::Array(a)) => a
                    .items
                    .as_ref()
                    .and_then(|i| self.resolve(i))
                    .filter(|i| is_binary(i))
                    .map(|_| true),
                _ => None,
            });
            match file {
                Some(many) => files.push(FilePart {
                    ident: String::new(),
                    required: required.contains(&name),
                    many,
                    docs: resolved
                        .and_then(|s| s.schema_data.description.as_deref())
                        .and_then(sanitize_docs),
                    wire_name: name,
                }),
                None => {
                    names.claim(&snake_ident(&name), "_");
                    kept.insert(name, schema);
                }
            }
        }
        for file in &mut files {
            file.ident = names.claim(&snake_ident(&file.wire_name), "_");
        }
        let empty = kept.is_empty();
        required_list.retain(|name| kept.contains_key(name));
        *properties = kept;
        (if empty { None } else { Some(object) }, files)
    }
}

/// The `encoding` entries of a form body that differ from the default
/// (form style, exploded): each property's style and `explode`.
fn form_encodings(content: &MediaType) -> Vec<(String, ParamStyle, bool)> {
    content
        .encoding
        .iter()
        .filter_map(|(name, e)| {
            // `openapiv3` reads a missing `explode` as false; the
            // loader marks one the spec gave as false.
            let explicit_false = e.extensions.contains_key(crate::load::EXPLODE_FALSE);
            // Without a style or `explode: false`, the default
            // (form, exploded) applies and needs no entry.
            let style = match e.style.as_ref().map(query_style) {
                Some(style) => style,
                None if explicit_false => ParamStyle::Form,
                None => return None,
            };
            let explode = e.explode || (style == ParamStyle::Form && !explicit_false);
            Some((name.clone(), style, explode))
        })
        .collect()
}

/// The `Content-Type` to send for a JSON media type.
fn json_media(media: &str) -> String {
    concrete_media(media, "application/json")
}

/// `media`, unless it is a wildcard, which cannot be sent: then `fallback`.
fn concrete_media(media: &str, fallback: &str) -> String {
    if media.contains('*') {
        fallback.to_owned()
    } else {
        media.to_owned()
    }
}
