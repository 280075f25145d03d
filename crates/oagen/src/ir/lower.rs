//! `lower`: `openapiv3` document → [`Api`]. Resolves `$ref`s, names every type
//! and operation, reads the vendor extensions, and collects a diagnostic for
//! everything it cannot represent.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme, StatusCode};

use super::names::{snake_ident, type_ident, Scope};
use super::schemas::{components_pointer, mark_boxed, Hint};
use super::{
    sanitize_docs, Api, AuthMode, Credential, Deprecation, Method, Operation, Placement, Response,
    TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::config::Config;
use crate::diagnostics::{Diagnostics, Pointer};

/// Names the generated crate defines besides the spec's types; a schema with
/// one of these names is renamed rather than shadowing it.
const RESERVED_TYPE_NAMES: &[&str] = &["Error", "ApiResponse"];

/// Lowers a loaded spec. Returns the API and its warnings, or every error found.
pub fn lower(spec: &OpenAPI, config: &Config) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut type_names = Scope::with_reserved(RESERVED_TYPE_NAMES);
    // Components claim their names first, so that an inline type met earlier
    // can never take the name of a component met later.
    let component_names = spec
        .components
        .iter()
        .flat_map(|c| c.schemas.keys())
        .map(|name| (name.clone(), type_names.claim(&type_ident(name), "")))
        .collect();
    let mut cx = Lowerer {
        spec,
        config,
        diags: Diagnostics::default(),
        types: Vec::new(),
        type_names,
        component_names,
        shared: BTreeMap::new(),
        components: BTreeMap::new(),
        in_progress: BTreeSet::new(),
        current_group: None,
        merge_depth: std::cell::Cell::new(0),
        schema_depth: std::cell::Cell::new(0),
    };
    let auth_modes = cx.auth_modes();
    // Every component schema is lowered, in spec order, whether or not an
    // operation uses it: applications may want the types of the whole API.
    for name in spec.components.iter().flat_map(|c| c.schemas.keys()) {
        cx.component(name, &components_pointer().push("schemas").push(name));
    }
    let operations = cx.operations(&auth_modes);
    mark_boxed(&mut cx.types);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.as_deref().and_then(sanitize_docs),
        default_endpoint: cx.default_endpoint(),
        auth_modes,
        types: cx.types,
        operations,
    };
    if cx.diags.has_errors() {
        Err(cx.diags)
    } else {
        Ok((api, cx.diags))
    }
}

/// The state of one lowering. Schema lowering lives in `schemas.rs`; this
/// file has the driver, authentication and operations.
pub(super) struct Lowerer<'a> {
    pub(super) spec: &'a OpenAPI,
    config: &'a Config,
    pub(super) diags: Diagnostics,
    pub(super) types: Vec<TypeDef>,
    pub(super) type_names: Scope,
    /// Component schema name → its claimed type name.
    pub(super) component_names: BTreeMap<String, String>,
    /// Types shared by name across the spec (enums named after a property,
    /// scalar unions named after their variants).
    pub(super) shared: BTreeMap<String, TypeId>,
    /// Component schema name → its lowered type, once lowered.
    pub(super) components: BTreeMap<String, TypeRef>,
    /// Component schemas being lowered, to cut reference cycles through non-objects.
    pub(super) in_progress: BTreeSet<String>,
    /// The namespace of the component or operation being lowered, for the
    /// types it defines.
    pub(super) current_group: Option<String>,
    /// How deep schema merging is, to cut recursive schemas off.
    pub(super) merge_depth: std::cell::Cell<usize>,
    /// How deeply inline schemas nest, to cut recursion through merges off.
    pub(super) schema_depth: std::cell::Cell<usize>,
}

impl Lowerer<'_> {
    fn default_endpoint(&mut self) -> String {
        let Some(server) = self.spec.servers.first() else {
            self.diags.warning(
                &Pointer::root().push("servers"),
                "no servers: the client needs an explicit `.endpoint()`",
            );
            return String::new();
        };
        let mut url = server.url.clone();
        for (name, var) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        url.trim_end_matches('/').to_owned()
    }

    // ---------------------------------------------------------------- auth

    fn auth_modes(&mut self) -> Vec<AuthMode> {
        let schemes_ptr = components_pointer().push("securitySchemes");
        if self.config.auth_modes.is_empty() {
            return self.derived_auth_modes(&schemes_ptr);
        }
        let mut modes = Vec::new();
        for mode in &self.config.auth_modes {
            let mut credentials = Vec::new();
            for cred in &mode.credentials {
                let placements = cred
                    .schemes
                    .iter()
                    .filter_map(|scheme| self.placement(scheme, &schemes_ptr.push(scheme)))
                    .collect();
                credentials.push(Credential {
                    name: cred.name.clone(),
                    placements,
                    env: cred.env.clone(),
                    prefix: cred.prefix.clone(),
                });
            }
            for scheme in &mode.satisfies {
                self.scheme(scheme, &schemes_ptr.push(scheme));
            }
            modes.push(AuthMode {
                id: mode.method.clone(),
                method: mode.method.clone(),
                label: mode.label.clone(),
                docs: mode.docs.clone(),
                satisfies: mode.satisfies.clone(),
                credentials,
            });
        }
        modes
    }

    /// Without configuration, one mode per distinct security requirement, in
    /// the order operations first use them; a requirement naming several
    /// schemes becomes one mode taking one credential per scheme.
    fn derived_auth_modes(&mut self, schemes_ptr: &Pointer) -> Vec<AuthMode> {
        let mut seen: Vec<Vec<String>> = Vec::new();
        let global = self.spec.security.iter().flatten();
        let per_op = self
            .spec
            .paths
            .paths
            .values()
            .filter_map(ReferenceOr::as_item)
            .flat_map(|item| item.iter().map(|(_, op)| op))
            .flat_map(|op| op.security.iter().flatten());
        for requirement in global.chain(per_op) {
            let schemes: Vec<String> = requirement.keys().cloned().collect();
            if !schemes.is_empty() && !seen.contains(&schemes) {
                seen.push(schemes);
            }
        }
        let mut methods = Scope::default();
        let mut modes = Vec::new();
        for schemes in seen {
            let method = methods.claim(&snake_ident(&schemes.join("_and_")), "_");
            let credentials = schemes
                .iter()
                .filter_map(|scheme| {
                    let placement = self.placement(scheme, &schemes_ptr.push(scheme))?;
                    Some(Credential {
                        name: snake_ident(scheme),
                        placements: vec![placement],
                        env: None,
                        prefix: None,
                    })
                })
                .collect::<Vec<_>>();
            if credentials.len() != schemes.len() {
                continue;
            }
            modes.push(AuthMode {
                id: method.clone(),
                label: schemes.join(" and ").replace('_', " "),
                method,
                docs: None,
                satisfies: schemes,
                credentials,
            });
        }
        modes
    }

    fn scheme(&mut self, name: &str, ptr: &Pointer) -> Option<&SecurityScheme> {
        let found = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(name));
        match found {
            Some(ReferenceOr::Item(scheme)) => Some(scheme),
            Some(ReferenceOr::Reference { .. }) => {
                self.diags
                    .error(ptr, "a `$ref` to a security scheme is not supported");
                None
            }
            None => {
                self.diags
                    .error(ptr, format!("security scheme `{name}` is not defined"));
                None
            }
        }
    }

    fn placement(&mut self, name: &str, ptr: &Pointer) -> Option<Placement> {
        let scheme = self.scheme(name, ptr)?.clone();
        match scheme {
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                Some(Placement::Bearer)
            }
            SecurityScheme::HTTP { scheme, .. } => {
                self.diags.warning(
                    &ptr.push("scheme"),
                    format!("HTTP `{scheme}` authentication is not supported yet; this scheme is skipped"),
                );
                None
            }
            SecurityScheme::APIKey { location, name, .. } => {
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                match location {
                    openapiv3::APIKeyLocation::Header if valid => {
                        Some(Placement::Header(name.to_ascii_lowercase()))
                    }
                    openapiv3::APIKeyLocation::Header => {
                        self.diags.error(
                            &ptr.push("name"),
                            format!("`{name}` is not a valid header name"),
                        );
                        None
                    }
                    openapiv3::APIKeyLocation::Query => Some(Placement::Query(name)),
                    openapiv3::APIKeyLocation::Cookie => Some(Placement::Cookie(name)),
                }
            }
            // Both end in an access token sent as a bearer token; obtaining the
            // token is the application's business.
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                Some(Placement::Bearer)
            }
        }
    }

    // ---------------------------------------------------------- operations

    fn operations(&mut self, modes: &[AuthMode]) -> Vec<Operation> {
        let mut out = Vec::new();
        let mut ids = BTreeSet::new();
        let paths_ptr = Pointer::root().push("paths");
        for (path, item) in &self.spec.paths.paths {
            let path_ptr = paths_ptr.push(path);
            let ReferenceOr::Item(item) = item else {
                self.diags
                    .error(&path_ptr, "a `$ref` path item is not supported");
                continue;
            };
            if path.contains('{') {
                self.diags.warning(
                    &path_ptr,
                    "path templates are not supported yet; requests go to the path as written",
                );
            }
            for index in 0..item.parameters.len() {
                self.diags.warning(
                    &path_ptr.push("parameters").push(index.to_string()),
                    "path-level parameters are not supported yet; the generated methods cannot set them",
                );
            }
            // The methods of one path that share a name are aliases of one
            // operation (Seam offers every POST also as GET, PUT, PATCH or
            // DELETE): the POST is generated, and the aliases are recorded.
            let mut methods: Vec<(Method, &openapiv3::Operation, Pointer)> = Vec::new();
            for (method, op) in item.iter() {
                let method_ptr = path_ptr.push(method);
                match http_method(method) {
                    Some(method) => methods.push((method, op, method_ptr)),
                    None => self.diags.warning(
                        &method_ptr,
                        format!("`{method}` operations are not supported; skipped"),
                    ),
                }
            }
            methods.sort_by_key(|(method, _, _)| *method != Method::Post);
            let mut here: Vec<(String, Vec<Method>)> = Vec::new();
            for (method, op, method_ptr) in methods {
                if is_undocumented(op) && !self.config.include_undocumented {
                    continue;
                }
                let (group, name) = self.operation_name(path, method, op, &method_ptr);
                let id = dotted(&group, &name);
                if let Some((_, aliases)) = here.iter_mut().find(|(seen, _)| *seen == id) {
                    aliases.push(method);
                    continue;
                }
                here.push((id.clone(), Vec::new()));
                if !ids.insert(id.clone()) {
                    self.diags
                        .error(&method_ptr, format!("a second operation named `{id}`"));
                    continue;
                }
                if let Some(op) = self.operation(path, method, op, &method_ptr, modes) {
                    out.push(op);
                }
            }
            for (id, aliases) in here {
                if let Some(op) = out.iter_mut().find(|op| op.id == id) {
                    op.aliases = aliases;
                }
            }
        }
        out
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        modes: &[AuthMode],
    ) -> Option<Operation> {
        let (group, method_name) = self.operation_name(path, method, op, ptr);
        self.current_group = group.first().cloned();
        for (index, param) in op.parameters.iter().enumerate() {
            let name = match param {
                ReferenceOr::Item(p) => format!("`{}`", p.parameter_data_ref().name),
                ReferenceOr::Reference { reference } => format!("`{reference}`"),
            };
            self.diags.warning(
                &ptr.push("parameters").push(index.to_string()),
                format!(
                    "parameter {name} is not supported yet; the generated method cannot set it"
                ),
            );
        }
        let id = dotted(&group, &method_name);
        let type_prefix = group
            .iter()
            .chain(std::iter::once(&method_name))
            .cloned()
            .collect::<Vec<_>>()
            .join("_");

        let (body, whole_body) = match self.request_body(op, ptr, &type_prefix) {
            Some(Body::Fields(body_id)) => {
                self.describe_inline(body_id, ptr, format!("The body of a `{id}` request."));
                (Some(body_id), None)
            }
            Some(Body::Whole(ty)) => (None, Some(ty)),
            None => (None, None),
        };
        let mut response = self.response(op, ptr, &type_prefix);
        response.pagination = self.pagination(body, &response);
        if let Some(TypeRef::Named(rid)) = &response.body {
            self.describe_inline(*rid, ptr, format!("The success response of `{id}`."));
        }
        let x_deprecated = op.extensions.get("x-deprecated");
        let deprecated = (op.deprecated || x_deprecated.is_some()).then(|| Deprecation {
            note: x_deprecated.and_then(|v| v.as_str()).map(str::to_owned),
        });
        let title = op
            .extensions
            .get("x-title")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| op.summary.clone())
            .filter(|t| t != path);
        let auth_modes = self.operation_auth(op, ptr, modes);
        Some(Operation {
            id,
            group,
            method_name,
            method,
            path: path.to_owned(),
            origin: ptr.clone(),
            title,
            docs: operation_docs(op),
            deprecated,
            body,
            whole_body,
            response,
            auth_modes,
            aliases: Vec::new(),
        })
    }

    /// Gives a type defined inline in operation `op_ptr` a description when
    /// the spec has none: where it is used says what it is.
    fn describe_inline(&mut self, id: TypeId, op_ptr: &Pointer, text: String) {
        let def = &mut self.types[id.0];
        if def.docs.is_none() && def.origin.as_str().starts_with(op_ptr.as_str()) {
            def.docs = Some(text);
        }
    }

    /// The namespace and method name: Fern's `x-fern-sdk-group-name` and
    /// `x-fern-sdk-method-name` when present; otherwise no namespace and the
    /// `operationId`, or the method and path when there is none.
    fn operation_name(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        ptr: &Pointer,
    ) -> (Vec<String>, String) {
        let group = match op.extensions.get("x-fern-sdk-group-name") {
            Some(serde_json::Value::Array(segments)) => segments
                .iter()
                .filter_map(|s| s.as_str())
                .map(snake_ident)
                .collect(),
            Some(serde_json::Value::String(s)) => vec![snake_ident(s)],
            Some(_) => {
                self.diags.warning(
                    &ptr.push("x-fern-sdk-group-name"),
                    "expected a string or an array of strings; ignored",
                );
                Vec::new()
            }
            None => Vec::new(),
        };
        let method_name = op
            .extensions
            .get("x-fern-sdk-method-name")
            .and_then(|v| v.as_str())
            .map(snake_ident)
            .or_else(|| op.operation_id.as_deref().map(snake_ident))
            .unwrap_or_else(|| {
                let verb = format!("{method:?}").to_lowercase();
                snake_ident(&format!("{verb} {path}"))
            });
        (group, method_name)
    }

    fn request_body(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_prefix: &str,
    ) -> Option<Body> {
        let (body, body_ptr) = match op.request_body.as_ref()? {
            ReferenceOr::Item(body) => (body, ptr.push("requestBody")),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| {
                        let body = self
                            .spec
                            .components
                            .as_ref()?
                            .request_bodies
                            .get(name)?
                            .as_item()?;
                        Some((body, components_pointer().push("requestBodies").push(name)))
                    });
                match found {
                    Some(found) => found,
                    None => {
                        self.diags.error(
                            &ptr.push("requestBody"),
                            format!("`$ref: {reference}` names no request body in `#/components/requestBodies`"),
                        );
                        return None;
                    }
                }
            }
        };
        let (media, content) = json_content(&body.content)?;
        let schema_ptr = body_ptr.push("content").push(media).push("schema");
        let schema = content.schema.as_ref()?;
        // An object without properties is a body with nothing to set.
        if let ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)),
            ..
        }) = schema
        {
            if o.properties.is_empty() && o.additional_properties.is_none() {
                return None;
            }
        }
        match self.schema_or_ref(
            schema,
            &schema_ptr,
            &Hint::new(format!("{type_prefix}_body")),
            true,
        ) {
            TypeRef::Named(id) if matches!(self.types[id.0].kind, TypeKind::Struct { .. }) => {
                if let TypeKind::Struct { request, .. } = &mut self.types[id.0].kind {
                    *request = true;
                }
                Some(Body::Fields(id))
            }
            // An array, a scalar, a union: one value, set as a whole.
            other => Some(Body::Whole(other)),
        }
    }

    fn response(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_prefix: &str,
    ) -> Response {
        let responses_ptr = ptr.push("responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let mut response = Response {
            body: None,
            key: None,
            key_null: false,
            pagination: None,
        };
        let Some((code, resp)) = success else {
            return response;
        };
        let (resp, resp_ptr) = match resp {
            ReferenceOr::Item(r) => (r, responses_ptr.push(code.to_string())),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| {
                        let r = self
                            .spec
                            .components
                            .as_ref()?
                            .responses
                            .get(name)?
                            .as_item()?;
                        Some((r, components_pointer().push("responses").push(name)))
                    });
                match found {
                    Some(found) => found,
                    None => {
                        self.diags.error(
                            &responses_ptr.push(code.to_string()),
                            format!(
                                "`$ref: {reference}` names no response in `#/components/responses`"
                            ),
                        );
                        return response;
                    }
                }
            }
        };
        let Some((media, content)) = json_content(&resp.content) else {
            return response;
        };
        let Some(schema) = &content.schema else {
            return response;
        };
        let schema_ptr = resp_ptr.push("content").push(media).push("schema");
        let body = self.schema_or_ref(
            schema,
            &schema_ptr,
            &Hint::new(format!("{type_prefix}_response")),
            false,
        );
        match op.extensions.get("x-response-key") {
            Some(serde_json::Value::String(key)) => {
                let field = match &body {
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
        response.body = Some(body);
        response
    }

    /// Seam's list convention: a `page_cursor` request field, and beside the
    /// list of items a `pagination` object with `has_next_page` and
    /// `next_page_cursor`.
    fn pagination(&self, body: Option<TypeId>, response: &Response) -> Option<super::Pagination> {
        let field = |id: TypeId, name: &str| match &self.types[id.0].kind {
            TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire_name == name).cloned(),
            _ => None,
        };
        let named = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        };
        field(body?, "page_cursor")?;
        let (_, TypeRef::Array(item)) = response.key.as_ref()? else {
            return None;
        };
        let pagination = field(named(response.body.as_ref()?)?, "pagination")?;
        let pagination = named(&pagination.ty)?;
        field(pagination, "has_next_page")?;
        field(pagination, "next_page_cursor")?;
        Some(super::Pagination {
            cursor_field: "page_cursor".to_owned(),
            pagination_field: "pagination".to_owned(),
            has_next_field: "has_next_page".to_owned(),
            next_cursor_field: "next_page_cursor".to_owned(),
            item: (**item).clone(),
        })
    }

    fn operation_auth(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        modes: &[AuthMode],
    ) -> Vec<String> {
        let Some(requirements) = op.security.as_ref().or(self.spec.security.as_ref()) else {
            return Vec::new();
        };
        if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
            // `security: []` or an empty alternative: no authentication needed.
            return Vec::new();
        }
        let accepted: Vec<String> = modes
            .iter()
            .filter(|mode| {
                requirements
                    .iter()
                    .any(|r| r.keys().all(|scheme| mode.satisfies.contains(scheme)))
            })
            .map(|mode| mode.id.clone())
            .collect();
        if accepted.is_empty() {
            self.diags.warning(
                &ptr.push("security"),
                "no authentication mode of the client satisfies this operation's security",
            );
        }
        accepted
    }
}

/// A JSON request body: an object whose properties the builder sets one by
/// one, or any other value the builder sets as a whole.
enum Body {
    Fields(TypeId),
    Whole(TypeRef),
}

fn dotted(group: &[String], method_name: &str) -> String {
    group
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(method_name))
        .collect::<Vec<_>>()
        .join(".")
}

/// Seam marks operations it does not document with `x-undocumented`.
fn is_undocumented(op: &openapiv3::Operation) -> bool {
    op.extensions.contains_key("x-undocumented")
}

/// The description, with a note first when the operation is a draft (`x-draft`).
fn operation_docs(op: &openapiv3::Operation) -> Option<String> {
    let description = op.description.as_deref().and_then(sanitize_docs);
    let Some(draft) = op.extensions.get("x-draft") else {
        return description;
    };
    let note = match draft.as_str().and_then(sanitize_docs) {
        Some(note) => format!("**Draft:** {note}"),
        None => "**Draft:** this operation may change.".to_owned(),
    };
    Some(match description {
        Some(d) => format!("{note}\n\n{d}"),
        None => note,
    })
}

fn http_method(method: &str) -> Option<Method> {
    Some(match method {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        _ => return None,
    })
}

/// The JSON media type of a content map: `application/json` or any `+json`.
fn json_content(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content.iter().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or("").trim();
        essence == "application/json" || essence.ends_with("+json")
    })
}
