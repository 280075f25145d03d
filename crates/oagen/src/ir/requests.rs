//! What an operation sends: its parameters (path, query, header, cookie; the
//! path item's merged in) and its request body, in whichever media type the
//! spec offers that a client can write best.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::lower::Lowerer;
use super::names::{snake_ident, Scope};
use super::schemas::Hint;
use super::{
    sanitize_docs, BodyMedia, Deprecation, FilePart, ParamLocation, ParamStyle, Parameter, TypeId,
    TypeKind, TypeRef,
};
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

/// Headers OpenAPI says a parameter cannot set: the client owns them.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

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

/// A parameter as the spec declares it (its `$ref` resolved), before it is
/// lowered: where it goes, how it is written, and where it is in the spec.
struct Declared {
    data: ParameterData,
    location: ParamLocation,
    style: ParamStyle,
    allow_reserved: bool,
    ptr: Pointer,
}

impl<'a> Lowerer<'a> {
    /// The parameters of an operation: the path item's, then the operation's,
    /// which override a path item parameter of the same name and location.
    /// Names of template variables the spec does not declare become string
    /// parameters, so that a request never goes to a literal `{id}`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parameters(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        item_ptr: &Pointer,
        op: &openapiv3::Operation,
        op_ptr: &Pointer,
        type_prefix: &str,
        taken: &[String],
    ) -> Vec<Parameter> {
        let declared = self.declared_parameters(item, item_ptr, op, op_ptr);
        let variables = template_variables(path);
        let mut names = Scope::with_reserved(
            &BUILDER_RESERVED
                .iter()
                .copied()
                .chain(taken.iter().map(String::as_str))
                .collect::<Vec<_>>(),
        );
        let mut out = Vec::new();
        for declared in declared {
            if declared.location == ParamLocation::Path && !variables.contains(&declared.data.name)
            {
                self.diags.warning(
                    &declared.ptr,
                    format!(
                        "path parameter `{}` is not in the path template; it is left out",
                        declared.data.name
                    ),
                );
                continue;
            }
            out.push(self.parameter(declared, type_prefix, &mut names));
        }
        let undeclared = self.undeclared_path_parameters(variables, &out, &mut names, op_ptr);
        out.extend(undeclared);
        out
    }

    /// The parameters the path item and then the operation declare, without
    /// the headers the client owns; an operation's parameter replaces the
    /// path item's of the same name and location.
    fn declared_parameters(
        &mut self,
        item: &openapiv3::PathItem,
        item_ptr: &Pointer,
        op: &openapiv3::Operation,
        op_ptr: &Pointer,
    ) -> Vec<Declared> {
        let mut declared: Vec<Declared> = Vec::new();
        let sources = [
            (&item.parameters, item_ptr.push("parameters")),
            (&op.parameters, op_ptr.push("parameters")),
        ];
        for (params, list_ptr) in sources {
            for (index, param) in params.iter().enumerate() {
                let ptr = list_ptr.push(index.to_string());
                let Some((param, ptr)) =
                    self.resolve_component(param, &ptr, "parameters", "parameter", |c| {
                        &c.parameters
                    })
                else {
                    continue;
                };
                let (data, location, style, allow_reserved) = parameter_parts(param);
                if location == ParamLocation::Header
                    && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                declared.retain(|d| !(d.data.name == data.name && d.location == location));
                declared.push(Declared {
                    data: data.clone(),
                    location,
                    style,
                    allow_reserved,
                    ptr,
                });
            }
        }
        declared
    }

    /// One declared parameter lowered: its type, its builder name (claimed
    /// in `names`), its docs and how it is written.
    fn parameter(&mut self, declared: Declared, type_prefix: &str, names: &mut Scope) -> Parameter {
        let Declared {
            data,
            location,
            mut style,
            allow_reserved,
            ptr,
        } = declared;
        // Enums are named after the parameter alone when they can be, so
        // that one set of values shared by many operations is one type.
        let hint = Hint {
            short: Some(data.name.clone()),
            ..Hint::new(format!("{type_prefix}_{}", data.name))
        };
        let (ty, json) = self.parameter_type(&data.format, &ptr, &hint);
        if json {
            style = ParamStyle::Json;
        }
        let ident = self.param_ident(names, &data.name, location);
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        Parameter {
            wire_name: data.name.clone(),
            ident,
            location,
            ty,
            // Path parameters are always required, whatever the spec says.
            required: data.required || location == ParamLocation::Path,
            docs: data.description.as_deref().and_then(sanitize_docs),
            deprecated: data
                .deprecated
                .unwrap_or(false)
                .then_some(Deprecation { note: None }),
            style,
            explode,
            allow_reserved,
        }
    }

    /// The type of a parameter, and whether it is sent as its JSON text (a
    /// parameter described by a JSON `content`, sent as one value). Any
    /// other `content` is sent as text.
    fn parameter_type(
        &mut self,
        format: &ParameterSchemaOrContent,
        ptr: &Pointer,
        hint: &Hint,
    ) -> (TypeRef, bool) {
        let content = match format {
            ParameterSchemaOrContent::Schema(schema) => {
                return (
                    self.schema_or_ref(schema, &ptr.push("schema"), hint, true),
                    false,
                );
            }
            ParameterSchemaOrContent::Content(content) => content,
        };
        let json = content
            .iter()
            .find(|(media, _)| media.ends_with("/json") || media.ends_with("+json"));
        if let Some((media, media_type)) = json {
            let ty = match &media_type.schema {
                Some(schema) => self.schema_or_ref(
                    schema,
                    &ptr.push("content").push(media).push("schema"),
                    hint,
                    true,
                ),
                None => TypeRef::Json,
            };
            return (ty, true);
        }
        if !content.keys().all(|media| media.starts_with("text/")) {
            self.diags.warning(
                &ptr.push("content"),
                "a parameter described by `content` other than JSON or text is sent as text: set it to the encoded value",
            );
        }
        (TypeRef::String, false)
    }

    /// String parameters for the template variables of the path that no
    /// parameter in `declared` is, each with a warning.
    fn undeclared_path_parameters(
        &mut self,
        variables: Vec<String>,
        declared: &[Parameter],
        names: &mut Scope,
        op_ptr: &Pointer,
    ) -> Vec<Parameter> {
        let mut out = Vec::new();
        for variable in variables {
            let is_declared = declared
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == variable);
            if is_declared {
                continue;
            }
            self.diags.warning(
                op_ptr,
                format!("the path names `{{{variable}}}` but declares no such parameter; it is a string parameter"),
            );
            let ident = self.param_ident(names, &variable, ParamLocation::Path);
            out.push(Parameter {
                wire_name: variable,
                ident,
                location: ParamLocation::Path,
                ty: TypeRef::String,
                required: true,
                docs: None,
                deprecated: None,
                style: ParamStyle::Simple,
                explode: false,
                allow_reserved: false,
            });
        }
        out
    }

    /// A parameter's builder name: its own, or with its location when a
    /// body field or another parameter has it (`id` and `id_query`).
    fn param_ident(&self, names: &mut Scope, wire: &str, location: ParamLocation) -> String {
        let base = snake_ident(wire);
        if names.is_free(&base) {
            return names.claim(&base, "_");
        }
        let suffix = match location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        names.claim(&format!("{base}_{suffix}"), "_")
    }

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

/// How a media type is written or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// The media type of a content map the client handles best, with its kind.
/// `*/*` and `application/*` count as JSON when their schema is not binary.
pub(super) fn pick_content(
    content: &IndexMap<String, MediaType>,
    request: bool,
) -> Option<(&String, MediaKind, &MediaType)> {
    content
        .iter()
        .map(|(media, m)| (media, media_kind(media, m, request), m))
        .min_by_key(|(_, kind, _)| *kind)
}

fn media_kind(media: &str, content: &MediaType, request: bool) -> MediaKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let binary_schema = matches!(
        &content.schema,
        Some(ReferenceOr::Item(s)) if is_binary(s)
    );
    match essence.as_str() {
        "application/json" => MediaKind::Json,
        e if e.ends_with("+json") || e.ends_with("/json") => MediaKind::Json,
        "*/*" | "application/*" if !binary_schema && content.schema.is_some() => MediaKind::Json,
        "application/x-www-form-urlencoded" if request => MediaKind::Form,
        "multipart/form-data" | "multipart/mixed" if request => MediaKind::Multipart,
        e if e.starts_with("text/") || e.ends_with("/xml") || e.ends_with("+xml") => {
            if binary_schema {
                MediaKind::Bytes
            } else {
                MediaKind::Text
            }
        }
        _ => MediaKind::Bytes,
    }
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

pub(super) fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s))
            if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    )
}

/// What a parameter's kind says: its data, where it goes, how it is written,
/// and whether reserved characters are sent unencoded (query only).
fn parameter_parts(
    param: &openapiv3::Parameter,
) -> (&ParameterData, ParamLocation, ParamStyle, bool) {
    match param {
        openapiv3::Parameter::Path {
            parameter_data,
            style,
        } => (
            parameter_data,
            ParamLocation::Path,
            match style {
                openapiv3::PathStyle::Simple => ParamStyle::Simple,
                openapiv3::PathStyle::Label => ParamStyle::Label,
                openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        openapiv3::Parameter::Query {
            parameter_data,
            style,
            allow_reserved,
            ..
        } => (
            parameter_data,
            ParamLocation::Query,
            query_style(style),
            *allow_reserved,
        ),
        openapiv3::Parameter::Header { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Header,
            ParamStyle::Simple,
            false,
        ),
        openapiv3::Parameter::Cookie { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Cookie,
            ParamStyle::Form,
            false,
        ),
    }
}

fn query_style(style: &openapiv3::QueryStyle) -> ParamStyle {
    match style {
        openapiv3::QueryStyle::Form => ParamStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// The names between braces in a path template, in order, without repeats.
fn template_variables(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_variables_in_order() {
        assert_eq!(
            template_variables("/a/{x}/b/{y}.{fmt}/{x}"),
            vec!["x", "y", "fmt"]
        );
        assert!(template_variables("/plain").is_empty());
        assert!(template_variables("/broken/{x").is_empty());
    }
}
