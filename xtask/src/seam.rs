//! The configuration of the `seam` crate: what the Seam spec does not say.
//!
//! Header names and bearer-ness come from the spec's `securitySchemes`; what
//! is decided here is how the builder presents them: method names, which
//! schemes combine into one mode (a personal access token is useless without
//! its `seam-workspace` header), environment variables and token prefixes,
//! as Seam's official SDKs do. The spec also types some request fields
//! less precisely than the API means them: the type overrides say what they are.

use oagen::config::{
    ActionAttemptConfig, AuthModeConfig, ClientSessionConfig, Config, CredentialConfig,
    HeaderValue, OverrideType, SpecType, TypeOverride, Undocumented, WebhookConfig,
};

pub(crate) fn config() -> Config {
    let mut config = Config::new("seam");
    config.client_name = "Seam".into();
    config.runtime_dependency =
        r#"oagen-runtime = { path = "../crates/oagen-runtime", version = "0.1" }"#.into();
    config.license = Some("MIT OR Apache-2.0".into());
    // Where a published crate's documentation is; no repository URL is
    // given until there is a public one.
    config.package_extra = vec![r#"documentation = "https://docs.rs/seam""#.into()];
    config.keywords = ["seam", "smart-lock", "access-control", "iot", "api-client"]
        .map(String::from)
        .to_vec();
    config.categories = ["api-bindings", "web-programming::http-client"]
        .map(String::from)
        .to_vec();
    // A published crate carries its license texts.
    config.extra_files = vec![
        (
            "LICENSE-MIT".into(),
            include_str!("../../LICENSE-MIT").into(),
        ),
        (
            "LICENSE-APACHE".into(),
            include_str!("../../LICENSE-APACHE").into(),
        ),
    ];
    config.user_agent_name = "seam-rust".into();
    config.endpoint_env = Some("SEAM_ENDPOINT".into());
    config.static_headers = vec![
        (
            "seam-sdk-name".into(),
            HeaderValue::Literal("seam-rust".into()),
        ),
        ("seam-sdk-version".into(), HeaderValue::CrateVersion),
    ];
    config.request_id_header = Some("seam-request-id".into());
    config.deprecated_endpoint_envs = vec!["SEAM_API_URL".into()];
    // Seam's undocumented routes, generated behind a feature, off by default,
    // as the official SDKs' `isUndocumentedApiEnabled`.
    config.undocumented = Undocumented::Feature("undocumented".into());
    // `seam = { default-features = false, features = ["locks"] }` compiles
    // the locks operations and the types they use, nothing else.
    config.namespace_features = true;
    config.auth_modes = auth_modes();
    config.quick_start = Some(QUICK_START.trim().to_owned());
    config.guide = Some(include_str!("seam_guide.md").to_owned());
    config.action_attempts = Some(ActionAttemptConfig::default());
    config.type_overrides = type_overrides();
    config.client_sessions = Some(ClientSessionConfig::default());
    // Seam signs its webhooks with Svix; a delivery's body is one event.
    config.webhook = Some(WebhookConfig {
        event_schema: "event".into(),
        verifier: "SeamWebhook".into(),
        example_payload: Some(WEBHOOK_EXAMPLE.trim().to_owned()),
    });
    config
}

/// The builder's authentication modes: one per way Seam's SDKs
/// authenticate, and the schemes only Seam's own tools use behind the
/// `undocumented` feature.
fn auth_modes() -> Vec<AuthModeConfig> {
    // What a token with each prefix is, for the hints `build()` gives when
    // one is passed to the wrong mode (as Seam's official SDKs check).
    let pat = Some("a personal access token");
    let mut modes = vec![
        mode(
            "api_key",
            "API key",
            &["api_key"],
            vec![cred(
                "api_key",
                &["api_key"],
                Some("SEAM_API_KEY"),
                Some("seam_"),
                None,
            )],
        ),
        mode(
            "personal_access_token",
            "personal access token",
            &["pat_with_workspace"],
            vec![
                cred(
                    "personal_access_token",
                    &["pat_with_workspace"],
                    Some("SEAM_PERSONAL_ACCESS_TOKEN"),
                    Some("seam_at"),
                    pat,
                ),
                cred(
                    "workspace_id",
                    &["seam_workspace"],
                    Some("SEAM_WORKSPACE_ID"),
                    None,
                    None,
                ),
            ],
        ),
        with_docs(
            mode(
                "personal_access_token_without_workspace",
                "personal access token without a workspace",
                &["pat_without_workspace"],
                vec![cred(
                    "personal_access_token",
                    &["pat_without_workspace"],
                    Some("SEAM_PERSONAL_ACCESS_TOKEN"),
                    Some("seam_at"),
                    pat,
                )],
            ),
            "For the calls that act across workspaces, such as `workspaces().list()` and \
             `workspaces().create()`; calls that act inside a workspace need \
             [`.personal_access_token()`](Self::personal_access_token).",
        ),
        mode(
            "publishable_key",
            "publishable key",
            &["publishable_key"],
            vec![cred(
                "publishable_key",
                &["publishable_key"],
                None,
                Some("seam_pk"),
                None,
            )],
        ),
        with_docs(
            mode(
                "client_session_token",
                "client session token",
                &[
                    "client_session",
                    "client_session_with_customer",
                    "client_session_with_customer_ro",
                ],
                vec![cred(
                    "client_session_token",
                    &["client_session", "client_session_token"],
                    None,
                    Some("seam_cst"),
                    None,
                )],
            ),
            "A client session created for a customer is a client session token too.",
        ),
    ];
    modes.extend(console_modes());
    modes.extend(internal_modes());
    modes
}

/// The modes of Seam's console sessions (JWTs), with and without a workspace.
fn console_modes() -> Vec<AuthModeConfig> {
    let jwt = Some("a JWT");
    vec![
        mode(
            "console_session_token",
            "console session token",
            &["console_session_with_workspace"],
            vec![
                cred(
                    "console_session_token",
                    &["console_session_with_workspace"],
                    None,
                    Some("ey"),
                    jwt,
                ),
                cred("workspace_id", &["seam_workspace"], None, None, None),
            ],
        ),
        with_docs(
            mode(
                "console_session_token_without_workspace",
                "console session token without a workspace",
                &["console_session_without_workspace"],
                vec![cred(
                    "console_session_token",
                    &["console_session_without_workspace"],
                    None,
                    Some("ey"),
                    jwt,
                )],
            ),
            "For the calls that act across workspaces, such as `workspaces().list()` and \
             `workspaces().create()`.",
        ),
    ]
}

/// The schemes that only Seam's own tools use, for undocumented operations:
/// a mode each, behind the `undocumented` feature like those operations.
fn internal_modes() -> Vec<AuthModeConfig> {
    let mut modes = Vec::new();
    for (method, label, scheme) in [
        (
            "bridge_client_session_token",
            "Seam Bridge client session token",
            "bridge_client_session",
        ),
        (
            "certified_client_token",
            "certified client token",
            "certified_client",
        ),
        (
            "internal_service_agent_key",
            "internal service agent key",
            "internal_service_agent",
        ),
        (
            "support_read_only_token",
            "support read-only token",
            "support_read_only_token",
        ),
    ] {
        let mut internal = mode(
            method,
            label,
            &[scheme],
            vec![cred(method, &[scheme], None, None, None)],
        );
        internal.feature = Some("undocumented".into());
        modes.push(internal);
    }
    modes
}

/// The request fields the spec types less precisely than the API means.
fn type_overrides() -> Vec<TypeOverride> {
    let mut overrides = vec![
        // Page sizes: the spec says `type: number, format: float` on some
        // list operations and `type: integer, minimum: 0` on others, for the
        // same count of items. One unsigned type for all of them: `u32`, as
        // no page holds anywhere near 4 billion items, integer literals and
        // `u8`/`u16`/`u32` values convert into it, and every `u32` is exact
        // as a JSON number (Seam's server is JavaScript, whose numbers are
        // `f64`; a `u64` past 2^53 would not be).
        TypeOverride::named("limit", OverrideType::U32).requests_only(),
    ];
    // ISO 8601 date-times the spec gives as `type: string` without
    // `format: date-time` (`access_codes.create`, `access_grants.create`,
    // `thermostats.schedules.create`, `events.list`...). Only plain strings:
    // a time of day such as `starts_daily_at` has another name, and one
    // with a format already says what it is.
    for name in ["starts_at", "ends_at", "since"] {
        overrides.push(
            TypeOverride::named(name, OverrideType::DateTime)
                .requests_only()
                .when(SpecType::string_without_format()),
        );
    }
    // `between` (`events.list`, and undocumented lists): two timestamps,
    // each a `oneOf` of a string and a date-time string, which alone would
    // be a list of strings.
    overrides.push(TypeOverride::at(
        "#/paths/*/post/requestBody/content/application~1json/schema/properties/between/items",
        OverrideType::DateTime,
    ));
    overrides
}

/// A `lock.unlocked` event as the spec shapes it, for the `webhook` module's example.
const WEBHOOK_EXAMPLE: &str = r#"
{
  "event_id": "c4b4e8e3-7c5f-4a3e-9a43-1d4a2b6f2f10",
  "event_type": "lock.unlocked",
  "workspace_id": "1e2e2b0a-4f0e-4c31-b2d5-6e0f5e7c9a11",
  "connected_account_id": "5b2f1c3e-8d4a-4e6b-9f7c-2a1d3e4f5a6b",
  "device_id": "8f1e2d3c-4b5a-4969-8778-695a4b3c2d1e",
  "method": "keycode",
  "access_code_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  "created_at": "2026-01-01T00:00:00.000Z",
  "occurred_at": "2026-01-01T00:00:00.000Z",
  "event_description": "The lock was unlocked."
}
"#;

const QUICK_START: &str = r#"
let seam = seam::Seam::builder()
    .endpoint("http://127.0.0.1:8080") // default https://connect.getseam.com, or SEAM_ENDPOINT
    .api_key("seam_apikey1_token")
    .build()?;
let session = seam
    .client_sessions()
    .create()
    .user_identifier_key("internal-user-id-1")
    .connected_account_ids(vec![String::from("john_connected_account_id")])
    .send()
    .await?;
println!("client session token: {}", session.token);
"#;

fn mode(
    method: &str,
    label: &str,
    satisfies: &[&str],
    credentials: Vec<CredentialConfig>,
) -> AuthModeConfig {
    AuthModeConfig {
        method: method.into(),
        label: label.into(),
        satisfies: satisfies.iter().map(|s| (*s).into()).collect(),
        credentials,
        docs: None,
        feature: None,
    }
}

fn with_docs(mut mode: AuthModeConfig, docs: &str) -> AuthModeConfig {
    mode.docs = Some(docs.into());
    mode
}

fn cred(
    name: &str,
    schemes: &[&str],
    env: Option<&str>,
    prefix: Option<&str>,
    prefix_means: Option<&str>,
) -> CredentialConfig {
    CredentialConfig {
        name: name.into(),
        schemes: schemes.iter().map(|s| (*s).into()).collect(),
        env: env.map(Into::into),
        prefix: prefix.map(Into::into),
        prefix_means: prefix_means.map(Into::into),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use oagen::ir::{TypeKind, TypeRef};

    use super::config;
    use crate::root;

    fn spec_text() -> String {
        std::fs::read_to_string(root().join("specs/seam/openapi.json")).unwrap()
    }

    /// One method per documented path: aliases merged, undocumented paths out.
    #[test]
    fn every_documented_path_is_one_operation() {
        let text = spec_text();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let documented: BTreeSet<&str> = value["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, item)| item["post"].get("x-undocumented").is_none())
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(
            documented.len(),
            201,
            "documented paths of @seamapi/types 1.977.0"
        );
        let loaded = oagen::load::load_str(&text).unwrap();
        let (api, _) = oagen::ir::lower(&loaded.spec, &config()).unwrap();
        // Undocumented operations are generated too, behind the
        // `undocumented` feature; the documented ones need none.
        let (always, gated): (Vec<_>, Vec<_>) =
            api.operations.iter().partition(|op| !is_unstable(op));
        let generated: BTreeSet<&str> = always.iter().map(|op| op.path.as_str()).collect();
        assert_eq!(always.len(), documented.len());
        assert_eq!(generated, documented);
        let undocumented = value["paths"].as_object().unwrap().len() - documented.len();
        assert_eq!(
            undocumented, 115,
            "undocumented paths of @seamapi/types 1.977.0"
        );
        assert_eq!(gated.len(), undocumented);
        // Each needs its namespace's feature too, as the documented ones do.
        let config = config();
        let client_calls = config.operations_the_client_calls();
        assert_eq!(client_calls.len(), 3, "{client_calls:?}");
        for op in api.operations.iter() {
            // Except the operations the client itself calls.
            let namespace = op
                .group
                .first()
                .filter(|_| !client_calls.contains(&op.id.as_str()))
                .cloned();
            let unstable = is_unstable(op).then(|| "undocumented".to_owned());
            let expected: Vec<String> = namespace.into_iter().chain(unstable).collect();
            assert_eq!(op.features, expected, "{}", op.id);
        }
        let namespaces: BTreeSet<&str> = api
            .operations
            .iter()
            .filter_map(|op| op.group.first().map(String::as_str))
            .collect();
        assert!(namespaces.len() >= 20, "{namespaces:?}");
    }

    /// Whether `op` is undocumented: behind the `undocumented` feature.
    fn is_unstable(op: &oagen::ir::Operation) -> bool {
        op.features.iter().any(|f| f == "undocumented")
    }

    /// Every value a request of the lowered Seam API carries: the fields of
    /// request types (bodies and the objects inside them) and parameters,
    /// as (where, wire name, type).
    fn request_values(api: &oagen::ir::Api) -> Vec<(String, String, TypeRef)> {
        let mut out = Vec::new();
        for def in &api.types {
            if let TypeKind::Struct {
                fields,
                request: true,
                ..
            } = &def.kind
            {
                for f in fields {
                    out.push((def.name.clone(), f.wire_name.clone(), f.ty.clone()));
                }
            }
        }
        for op in &api.operations {
            for p in &op.parameters {
                out.push((op.id.clone(), p.wire_name.clone(), p.ty.clone()));
            }
        }
        out
    }

    /// Whether a request value of this name is a date-time: `since`, the
    /// bounds of `between`, and names ending in `_at`, `_before` or
    /// `_after`, except the times of day (`starts_daily_at`).
    fn is_date_time_name(name: &str) -> bool {
        ["since", "between", "until"].contains(&name)
            || (name.ends_with("_at") && !name.ends_with("_daily_at"))
            || name.ends_with("_before")
            || name.ends_with("_after")
    }

    /// The type overrides hold for every request of the spec, so that a new
    /// spec cannot bring back a float page size or a string timestamp
    /// unnoticed: every `limit` is a `u32`, every date-time a `DateTime`
    /// (the bounds of `between` too), and every override applies somewhere.
    #[test]
    fn page_sizes_are_unsigned_and_timestamps_are_date_times() {
        let text = spec_text();
        let loaded = oagen::load::load_str(&text).unwrap();
        let (api, warnings) = oagen::ir::lower(&loaded.spec, &config()).unwrap();
        let unmatched: Vec<String> = warnings
            .iter()
            .filter(|w| w.message.contains("type_overrides["))
            .map(|w| w.to_string())
            .collect();
        assert!(unmatched.is_empty(), "{unmatched:#?}");
        let values = request_values(&api);
        let limits: Vec<_> = values
            .iter()
            .filter(|(_, name, _)| name == "limit")
            .collect();
        // 20 documented list operations take a page size (the undocumented
        // ones, behind their feature, add more: they are checked too).
        let documented = api
            .operations
            .iter()
            .filter(|op| !is_unstable(op))
            .filter(|op| {
                op.parameters.iter().any(|p| p.wire_name == "limit")
                    || op.body.is_some_and(|id| match &api.ty(id).kind {
                        TypeKind::Struct { fields, .. } => {
                            fields.iter().any(|f| f.wire_name == "limit")
                        }
                        _ => false,
                    })
            })
            .count();
        assert_eq!(documented, 20, "the list operations with a page size");
        assert!(limits.len() >= documented);
        let wrong: Vec<_> = limits
            .iter()
            .filter(|(_, _, ty)| *ty != TypeRef::U32)
            .collect();
        assert!(
            wrong.is_empty(),
            "page sizes that are not `u32`: {wrong:#?}"
        );
        let times: Vec<_> = values
            .iter()
            .filter(|(_, name, _)| is_date_time_name(name))
            .collect();
        let names: BTreeSet<&str> = times.iter().map(|(_, name, _)| name.as_str()).collect();
        for name in ["starts_at", "ends_at", "since", "between"] {
            assert!(names.contains(name), "no request value `{name}`: {names:?}");
        }
        // Text where a date-time is meant (an undocumented operation's
        // `ends_at` that is an object of its own is no date-time).
        let wrong: Vec<_> = times
            .iter()
            .filter(|(_, _, ty)| match ty {
                TypeRef::String => true,
                TypeRef::Array(item) => **item == TypeRef::String,
                _ => false,
            })
            .collect();
        assert!(wrong.is_empty(), "date-times of another type: {wrong:#?}");
        // Times of day stay text.
        let daily: Vec<_> = values
            .iter()
            .filter(|(_, name, _)| name.ends_with("_daily_at"))
            .collect();
        assert!(!daily.is_empty());
        assert!(
            daily.iter().all(|(_, _, ty)| *ty == TypeRef::String),
            "{daily:#?}"
        );
    }

    /// The items named `names` in the generated `types` module, printed.
    fn items(names: &[&str]) -> String {
        let dir = root().join("generated/src/types");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut found = Vec::new();
        for path in files {
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for item in file.items {
                let name = match &item {
                    syn::Item::Struct(s) => s.ident.to_string(),
                    syn::Item::Enum(e) => e.ident.to_string(),
                    _ => continue,
                };
                if let Some(position) = names.iter().position(|n| *n == name) {
                    found.push((position, item));
                }
            }
        }
        found.sort_by_key(|(position, _)| *position);
        assert_eq!(found.len(), names.len(), "not all of {names:?} were found");
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: found.into_iter().map(|(_, item)| item).collect(),
        };
        prettyplease::unparse(&file)
    }

    /// Representative shapes of the Seam crate, for review: the action attempt
    /// (63 variants merged into one struct), a discriminated union (events),
    /// a nullable field and a map (a client session, a Connect Webview).
    #[test]
    fn representative_shapes() {
        insta::assert_snapshot!(
            "action_attempt",
            items(&["ActionAttempt", "ActionAttemptStatus", "ActionAttemptError"])
        );
        insta::assert_snapshot!("event", items(&["Event", "EventDeviceConnected"]));
        insta::assert_snapshot!("client_session", items(&["ClientSession"]));
        insta::assert_snapshot!("map", items(&["ConnectWebview", "BoolOrString"]));
    }
}
