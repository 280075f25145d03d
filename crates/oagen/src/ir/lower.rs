//! `lower`: `openapiv3` document → [`Api`]. Resolves `$ref`s, names every type
//! and operation, reads the vendor extensions, and collects a diagnostic for
//! everything it cannot represent.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use super::names::{module_ident, snake_ident, type_ident, Scope};
use super::requests::Body;
use super::responses::status_text;
use super::schemas::{components_pointer, mark_boxed, share_fields, MAX_ALIAS_STEPS};
use super::{
    sanitize_docs, Api, AuthMode, BodyMedia, Credential, Deprecation, Method, Operation, Placement,
    Response, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef, Webhook,
};
use crate::config::{Config, Undocumented};
use crate::diagnostics::{Diagnostics, Pointer};

/// Lowers a loaded spec. Returns the API and its warnings, or every error found.
pub fn lower(spec: &OpenAPI, config: &Config) -> Result<(Api, Diagnostics), Diagnostics> {
    // Types live in their own module and generated code names everything by
    // full path, so a schema may be called `Error` or `Option`.
    let mut type_names = Scope::default();
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
        merge_path: std::cell::RefCell::new(Vec::new()),
        inlined: std::cell::RefCell::new(Vec::new()),
        merge_steps: std::cell::Cell::new(0),
        schema_depth: std::cell::Cell::new(0),
        override_hits: vec![0; config.type_overrides.len()],
    };
    let auth_modes = cx.auth_modes();
    // Every component schema is lowered, in spec order, whether or not an
    // operation uses it: applications may want the types of the whole API.
    for name in spec.components.iter().flat_map(|c| c.schemas.keys()) {
        cx.component(name, &components_pointer().push("schemas").push(name));
    }
    let operations = cx.operations(&auth_modes);
    cx.unmatched_overrides();
    mark_boxed(&mut cx.types);
    share_fields(&mut cx.types);
    let webhook = cx.webhook();
    // Last: what came before compares and shares by type id.
    super::dedupe::dedupe(&mut cx.types);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.as_deref().and_then(sanitize_docs),
        default_endpoint: cx.default_endpoint(),
        auth_modes,
        types: cx.types,
        operations,
        webhook,
    };
    if cx.diags.has_errors() {
        Err(cx.diags)
    } else {
        Ok((api, cx.diags))
    }
}

/// The state of one lowering. Schema lowering lives in `schemas/`; this
/// file has the driver, authentication and operations.
pub(super) struct Lowerer<'a> {
    pub(super) spec: &'a OpenAPI,
    pub(super) config: &'a Config,
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
    /// The components whose schemas the merge under way is inlining, outer
    /// first: a `$ref` to one of them is a cycle, kept as a reference.
    pub(super) merge_path: std::cell::RefCell<Vec<String>>,
    /// The components whose merged copies are being lowered, once per copy.
    pub(super) inlined: std::cell::RefCell<Vec<String>>,
    /// The merge steps the component or operation being lowered has taken,
    /// against the merge budget (`MERGE_BUDGET` in `schemas/merge.rs`).
    pub(super) merge_steps: std::cell::Cell<usize>,
    /// How deeply inline schemas nest, to cut recursion through merges off.
    pub(super) schema_depth: std::cell::Cell<usize>,
    /// How many schemas each of [`Config::type_overrides`] has applied to,
    /// to warn about those that apply to none.
    pub(super) override_hits: Vec<usize>,
}

impl<'a> Lowerer<'a> {
    /// An item that may be a `$ref` to `#/components/<section>/<name>`: the
    /// item and where it is, or an error at `ptr` saying what is missing.
    pub(super) fn resolve_component<'s, T>(
        &mut self,
        item: &'s ReferenceOr<T>,
        ptr: &Pointer,
        section: &str,
        what: &str,
        pick: fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'s T, Pointer)>
    where
        'a: 's,
    {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((item, ptr.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let components = self.spec.components.as_ref();
        let prefix = format!("#/components/{section}/");
        // A component that is itself a `$ref` is looked through (the loader
        // has made such chains one step long and refused cycles).
        let mut found = None;
        let mut current = reference;
        for _ in 0..MAX_ALIAS_STEPS {
            let Some(name) = current.strip_prefix(&prefix) else {
                break;
            };
            match components.and_then(|c| pick(c).get(name)) {
                Some(ReferenceOr::Item(item)) => {
                    found = Some((item, components_pointer().push(section).push(name)));
                    break;
                }
                Some(ReferenceOr::Reference { reference }) => current = reference,
                None => break,
            }
        }
        if found.is_none() {
            self.diags.error(
                ptr,
                format!("`$ref: {reference}` names no {what} in `#/components/{section}`"),
            );
        }
        found
    }

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

    /// The configured `webhook` module: its event schema must be a component
    /// of the spec, and its verifier a type name that the module's own
    /// re-exports leave free.
    fn webhook(&mut self) -> Option<Webhook> {
        let config = self.config.webhook.as_ref()?;
        let schemas_ptr = components_pointer().push("schemas");
        let Some(event) = self.components.get(&config.event_schema).cloned() else {
            self.diags.error(
                &schemas_ptr,
                format!(
                    "the configured webhook event schema `{}` is not in `components.schemas`",
                    config.event_schema
                ),
            );
            return None;
        };
        let verifier = &config.verifier;
        if type_ident(verifier) != *verifier
            || ["HeaderMap", "WebhookError"].contains(&verifier.as_str())
        {
            self.diags.error(
                &Pointer::root(),
                format!(
                    "the configured webhook verifier name `{verifier}` is not an UpperCamelCase \
                     identifier free beside `HeaderMap` and `WebhookError`"
                ),
            );
            return None;
        }
        if let Some(example) = &config.example_payload {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(example) {
                self.diags.error(
                    &schemas_ptr.push(&config.event_schema),
                    format!("the configured webhook example payload is not JSON: {e}"),
                );
                return None;
            }
        }
        Some(Webhook {
            verifier: verifier.clone(),
            event,
            example: config.example_payload.clone(),
        })
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
                    prefix_means: cred.prefix_means.clone(),
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
                feature: mode.feature.clone(),
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
            let mut credentials = Vec::new();
            let mut complete = true;
            for scheme in &schemes {
                let ptr = schemes_ptr.push(scheme);
                if self.is_basic(scheme) {
                    // HTTP basic: a user name and a password.
                    let prefix = if schemes.len() > 1 {
                        format!("{}_", snake_ident(scheme))
                    } else {
                        String::new()
                    };
                    for (name, placement) in [
                        ("username", Placement::BasicUsername),
                        ("password", Placement::BasicPassword),
                    ] {
                        credentials.push(Credential {
                            name: format!("{prefix}{name}"),
                            placements: vec![placement],
                            env: None,
                            prefix: None,
                            prefix_means: None,
                        });
                    }
                    continue;
                }
                match self.placement(scheme, &ptr) {
                    Some(placement) => credentials.push(Credential {
                        name: snake_ident(scheme),
                        placements: vec![placement],
                        env: None,
                        prefix: None,
                        prefix_means: None,
                    }),
                    None => complete = false,
                }
            }
            if !complete {
                continue;
            }
            modes.push(AuthMode {
                id: method.clone(),
                label: schemes.join(" and ").replace('_', " "),
                method,
                docs: None,
                satisfies: schemes,
                credentials,
                feature: None,
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

    /// Whether the security scheme `name` is HTTP basic authentication.
    fn is_basic(&self, name: &str) -> bool {
        let scheme = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(name))
            .and_then(ReferenceOr::as_item);
        matches!(scheme, Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic"))
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
                        self.diags.warning(
                            &ptr.push("name"),
                            format!("`{name}` is not a valid header name; this scheme is skipped"),
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

    /// Every operation, in spec order. Documented operations are lowered
    /// first, so that the names they claim (of operations, and of the types
    /// they define or share) are the same whether or not undocumented ones
    /// are generated beside them.
    fn operations(&mut self, modes: &[AuthMode]) -> Vec<Operation> {
        let mut lowered: Vec<((usize, usize), Operation)> = Vec::new();
        let mut ids = BTreeSet::new();
        // Per path, the ids of its operations and their aliases.
        let mut per_path: Vec<Vec<(String, Vec<Method>)>> =
            vec![Vec::new(); self.spec.paths.paths.len()];
        for undocumented_pass in [false, true] {
            if undocumented_pass && self.config.undocumented == Undocumented::Omit {
                break;
            }
            for (index, (path, item)) in self.spec.paths.paths.iter().enumerate() {
                let here = &mut per_path[index];
                self.path_operations(
                    path,
                    item,
                    (index, undocumented_pass),
                    modes,
                    &mut ids,
                    here,
                    &mut lowered,
                );
            }
        }
        for (index, here) in per_path.into_iter().enumerate() {
            for (id, aliases) in here {
                if let Some((_, op)) = lowered
                    .iter_mut()
                    .find(|((i, _), op)| *i == index && op.id == id)
                {
                    op.aliases = aliases;
                }
            }
        }
        lowered.sort_by_key(|(order, _)| *order);
        lowered.into_iter().map(|(_, op)| op).collect()
    }

    /// The operations of one path item, of the documented or the
    /// undocumented ones (`pass`), into `out` with their position in the spec.
    #[allow(clippy::too_many_arguments)]
    fn path_operations(
        &mut self,
        path: &str,
        item: &ReferenceOr<openapiv3::PathItem>,
        (index, undocumented_pass): (usize, bool),
        modes: &[AuthMode],
        ids: &mut BTreeSet<String>,
        here: &mut Vec<(String, Vec<Method>)>,
        out: &mut Vec<((usize, usize), Operation)>,
    ) {
        let path_ptr = Pointer::root().push("paths").push(path);
        let ReferenceOr::Item(item) = item else {
            if !undocumented_pass {
                self.diags
                    .error(&path_ptr, "a `$ref` path item is not supported");
            }
            return;
        };
        // The methods of one path that share a name are aliases of one
        // operation (Seam offers every POST also as GET, PUT, PATCH or
        // DELETE): the POST is generated, and the aliases are recorded.
        let mut methods: Vec<(Method, &openapiv3::Operation, Pointer)> = Vec::new();
        for (method, op) in item.iter() {
            let method_ptr = path_ptr.push(method);
            match http_method(method) {
                Some(method) => methods.push((method, op, method_ptr)),
                None if !undocumented_pass => self.diags.warning(
                    &method_ptr,
                    format!("`{method}` operations are not supported; skipped"),
                ),
                None => {}
            }
        }
        methods.sort_by_key(|(method, _, _)| *method != Method::Post);
        for (position, (method, op, method_ptr)) in methods.into_iter().enumerate() {
            if is_undocumented(op) != undocumented_pass {
                continue;
            }
            let (group, mut name) = self.operation_name(path, method, op, &method_ptr);
            let mut id = dotted(&group, &name);
            if let Some((_, aliases)) = here.iter_mut().find(|(seen, _)| *seen == id) {
                aliases.push(method);
                continue;
            }
            here.push((id.clone(), Vec::new()));
            if ids.contains(&id) {
                // A duplicate `operationId` (invalid, but common): the
                // later operation gets a numbered name.
                let base = name.clone();
                let free = (2..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|candidate| !ids.contains(&dotted(&group, candidate)))
                    .expect("an unbounded range has a free name");
                self.diags.warning(
                    &method_ptr,
                    format!("a second operation named `{id}`; this one is `{free}`"),
                );
                name = free;
                id = dotted(&group, &name);
                here.last_mut().expect("pushed above").0 = id.clone();
            }
            ids.insert(id.clone());
            let named = (group, name);
            if let Some(op) = self.with_merge_budget(&method_ptr, |cx| {
                cx.operation(path, item, &path_ptr, method, op, &method_ptr, modes, named)
            }) {
                out.push(((index, position), op));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        item_ptr: &Pointer,
        method: Method,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        modes: &[AuthMode],
        (group, method_name): (Vec<String>, String),
    ) -> Option<Operation> {
        self.current_group = group.first().cloned();
        let id = dotted(&group, &method_name);
        let type_prefix = group
            .iter()
            .chain(std::iter::once(&method_name))
            .cloned()
            .collect::<Vec<_>>()
            .join("_");

        let lowered = self.request_body(op, ptr, &type_prefix);
        let (body, whole_body) = match lowered.body {
            Some(Body::Fields(body_id)) => {
                self.describe_inline(body_id, ptr, format!("The body of a `{id}` request."));
                (Some(body_id), None)
            }
            Some(Body::Whole(ty)) => (None, Some(ty)),
            None => (None, None),
        };
        // Parameters take names the body's fields and files leave free.
        let mut taken: Vec<String> = match body {
            Some(body_id) => match &self.types[body_id.0].kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .map(|f| super::builder_field(&f.ident))
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        if whole_body.is_some() {
            taken.push("body".to_owned());
        }
        if let BodyMedia::Multipart(files) = &lowered.media {
            taken.extend(files.iter().map(|f| f.ident.clone()));
        }
        let parameters = self.parameters(path, item, item_ptr, op, ptr, &type_prefix, &taken);
        let mut response = self.responses(op, ptr, &type_prefix);
        response.pagination = self.pagination(body, &response);
        if let Some(TypeRef::Named(rid)) = &response.body {
            self.describe_inline(*rid, ptr, format!("The success response of `{id}`."));
        }
        for status in &response.by_status {
            if let Some(ResponseBody::Json(TypeRef::Named(rid))) = &status.body {
                let text = format!("The {} response of `{id}`.", status_text(status.status));
                self.describe_inline(*rid, ptr, text);
            }
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
            .filter(|t| t != path)
            .and_then(|t| sanitize_docs(&t));
        let (auth_modes, anonymous) = self.operation_auth(op, ptr, modes);
        let features = (self.config).operation_features(&id, &group, is_undocumented(op));
        let mut docs = operation_docs(op);
        if let Undocumented::Feature(feature) = &self.config.undocumented {
            if features.contains(feature) {
                let note = format!(
                    "**Unstable:** the API does not document this operation, and it may change \
                     or go away in any release. Only with the crate's `{feature}` feature."
                );
                docs = Some(docs.map_or(note.clone(), |d| format!("{note}\n\n{d}")));
            }
        }
        Some(Operation {
            id,
            group,
            method_name,
            method,
            path: path.to_owned(),
            origin: ptr.clone(),
            title,
            docs,
            deprecated,
            parameters,
            body,
            whole_body,
            body_media: lowered.media,
            body_required: lowered.required,
            response,
            auth_modes,
            anonymous,
            aliases: Vec::new(),
            features,
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
    /// `x-fern-sdk-method-name` when present; otherwise the first tag (when
    /// [`Config::group_by_tag`]) or no namespace, and the `operationId`, or
    /// the method and path when there is none.
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
                .map(module_ident)
                .collect(),
            Some(serde_json::Value::String(s)) => vec![module_ident(s)],
            Some(_) => {
                self.diags.warning(
                    &ptr.push("x-fern-sdk-group-name"),
                    "expected a string or an array of strings; ignored",
                );
                Vec::new()
            }
            None if self.config.group_by_tag => {
                op.tags.iter().take(1).map(|t| module_ident(t)).collect()
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

    /// The ids of the modes that satisfy the operation's security (empty when
    /// it needs no authentication), and whether it declares that it takes
    /// none at all (`security: []`, or only empty requirements), so that the
    /// client's credentials are not sent to it.
    fn operation_auth(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        modes: &[AuthMode],
    ) -> (Vec<String>, bool) {
        let Some(requirements) = op.security.as_ref().or(self.spec.security.as_ref()) else {
            return (Vec::new(), false);
        };
        if requirements.iter().all(|r| r.is_empty()) {
            return (Vec::new(), true);
        }
        if requirements.iter().any(|r| r.is_empty()) {
            // An empty alternative: authentication is optional, and the
            // client's credentials, if any, are sent.
            return (Vec::new(), false);
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
        (accepted, false)
    }
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
        "head" => Method::Head,
        "options" => Method::Options,
        _ => return None,
    })
}
