//! Unit tests of lowering: names, responses, auth, nullability, read-only
//! and write-only fields, enums that degrade, boxing, and the determinism of
//! the whole pipeline.

use oagen::config::{AuthModeConfig, CredentialConfig};
use oagen::ir::{Api, Placement, TypeKind, TypeRef};
use oagen::{Config, Diagnostics};

fn lower_with(yaml: &str, config: &Config) -> Result<(Api, Diagnostics), Diagnostics> {
    let loaded = oagen::load::load_str(yaml)?;
    oagen::ir::lower(&loaded.spec, config)
}

fn lower(yaml: &str) -> Api {
    lower_with(yaml, &Config::new("t"))
        .unwrap_or_else(|d| panic!("{d}"))
        .0
}

fn struct_fields(api: &Api, index: usize) -> &[oagen::ir::Field] {
    match &api.types[index].kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("type {index} is not a struct: {other:?}"),
    }
}

const HEAD: &str =
    "openapi: 3.0.0\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://x.test/'}]\n";

#[test]
fn operation_names_come_from_fern_extensions_then_operation_id_then_path() {
    let api = lower(&format!(
        "{HEAD}paths:
  /acs/credentials/list:
    post:
      x-fern-sdk-group-name: [acs, credentials]
      x-fern-sdk-method-name: list
      responses: {{'200': {{description: OK}}}}
  /things:
    get:
      operationId: listThings
      responses: {{'200': {{description: OK}}}}
    delete:
      responses: {{'204': {{description: OK}}}}
"
    ));
    let names: Vec<(&[String], &str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.group.as_slice(), o.method_name.as_str(), o.id.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (
                &["acs".to_owned(), "credentials".to_owned()][..],
                "list",
                "acs.credentials.list"
            ),
            (&[][..], "list_things", "list_things"),
            (&[][..], "delete_things", "delete_things"),
        ]
    );
    assert_eq!(api.default_endpoint, "https://x.test");
}

#[test]
fn a_second_operation_with_a_taken_name_is_numbered_with_a_warning() {
    let (api, warnings) = lower_with(
        &format!(
            "{HEAD}paths:
  /a:
    post: {{operationId: same, responses: {{'200': {{description: OK}}}}}}
  /b:
    post: {{operationId: same, responses: {{'200': {{description: OK}}}}}}
"
        ),
        &Config::new("t"),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<_> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(names, ["same", "same_2"]);
    assert_eq!(
        warnings.to_string(),
        "warning: #/paths/~1b/post: a second operation named `same`; this one is `same_2`\n"
    );
}

#[test]
fn the_response_key_selects_a_property_and_its_type() {
    let api = lower(&format!(
        "{HEAD}paths:
  /t/get:
    post:
      x-response-key: thing
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  thing: {{type: array, items: {{type: string, format: date-time}}}}
                  ok: {{type: boolean}}
"
    ));
    let (key, ty) = api.operations[0].response.key.clone().unwrap();
    assert_eq!(key, "thing");
    assert_eq!(ty, TypeRef::Array(Box::new(TypeRef::DateTime)));
}

#[test]
fn nullable_required_fields_are_optional_and_deprecation_keeps_its_note() {
    let api = lower(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    thing:
      type: object
      required: [a, b]
      properties:
        a: {{type: string, nullable: true}}
        b: {{type: string}}
        c: {{type: string, deprecated: true, x-deprecated: Use `b`.}}
"
    ));
    let fields = struct_fields(&api, 0);
    let optional: Vec<bool> = fields.iter().map(|f| f.is_optional()).collect();
    assert_eq!(optional, [true, false, true]);
    assert!(fields[0].required && fields[0].nullable);
    assert_eq!(
        fields[2].deprecated.as_ref().unwrap().note.as_deref(),
        Some("Use `b`.")
    );
}

#[test]
fn only_by_value_self_references_are_boxed() {
    let api = lower(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    node:
      type: object
      properties:
        parent: {{$ref: '#/components/schemas/node'}}
        children: {{type: array, items: {{$ref: '#/components/schemas/node'}}}}
        label: {{$ref: '#/components/schemas/label'}}
    label:
      type: object
      properties:
        text: {{type: string}}
"
    ));
    let fields = struct_fields(&api, 0);
    let boxed: Vec<(&str, bool)> = fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.boxed))
        .collect();
    assert_eq!(
        boxed,
        [("parent", true), ("children", false), ("label", false)]
    );
}

#[test]
fn inline_types_never_take_a_component_name() {
    let api = lower(&format!(
        "{HEAD}paths:
  /x:
    post:
      operationId: make
      requestBody:
        content:
          application/json:
            schema: {{type: object, properties: {{a: {{type: string}}}}}}
      responses: {{'200': {{description: OK}}}}
components:
  schemas:
    make_body: {{type: object, properties: {{b: {{type: string}}}}}}
"
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["MakeBody", "MakeBody2"]);
    assert_eq!(
        api.operations[0].body.map(|id| api.ty(id).name.as_str()),
        Some("MakeBody2")
    );
}

const AUTH: &str = "paths:
  /open:
    post: {operationId: open, security: [], responses: {'200': {description: OK}}}
  /either:
    post:
      operationId: either
      security: [{bearer: []}, {key: [], id: []}]
      responses: {'200': {description: OK}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
    id: {type: apiKey, in: header, name: X-Id}
";

#[test]
fn without_configuration_each_security_requirement_is_a_mode() {
    let api = lower(&format!("{HEAD}{AUTH}"));
    let modes: Vec<(&str, Vec<&str>)> = api
        .auth_modes
        .iter()
        .map(|m| {
            (
                m.method.as_str(),
                m.credentials.iter().map(|c| c.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        modes,
        [
            ("bearer", vec!["bearer"]),
            ("key_and_id", vec!["key", "id"])
        ]
    );
    assert_eq!(
        api.auth_modes[1].credentials[0].placements,
        [Placement::Header("x-key".into())]
    );
    assert!(
        api.operations[0].auth_modes.is_empty(),
        "security: [] needs no auth"
    );
    assert_eq!(api.operations[1].auth_modes, ["bearer", "key_and_id"]);
}

#[test]
fn configured_modes_combine_schemes_and_are_checked_against_the_spec() {
    let mut config = Config::new("t");
    config.auth_modes = vec![AuthModeConfig {
        method: "token".into(),
        label: "token".into(),
        satisfies: vec!["bearer".into()],
        credentials: vec![
            CredentialConfig {
                name: "token".into(),
                schemes: vec!["bearer".into(), "key".into()],
                env: Some("T_TOKEN".into()),
                prefix: None,
                prefix_means: None,
            },
            CredentialConfig {
                name: "missing".into(),
                schemes: vec!["no_such_scheme".into()],
                env: None,
                prefix: None,
                prefix_means: None,
            },
        ],
        docs: None,
        feature: None,
    }];
    let err = lower_with(&format!("{HEAD}{AUTH}"), &config).unwrap_err();
    assert!(
        err.to_string()
            .contains("error: #/components/securitySchemes/no_such_scheme: security scheme `no_such_scheme` is not defined"),
        "{err}"
    );
    config.auth_modes[0].credentials.pop();
    let (api, _) = lower_with(&format!("{HEAD}{AUTH}"), &config).unwrap();
    assert_eq!(
        api.auth_modes[0].credentials[0].placements,
        [Placement::Bearer, Placement::Header("x-key".into())]
    );
    assert_eq!(api.operations[1].auth_modes, ["token"]);
}

#[test]
fn unsupported_constructs_degrade_with_a_warning_and_a_pointer() {
    let (api, warnings) = lower_with(
        &format!(
            "{HEAD}paths: {{}}
components:
  schemas:
    pet:
      type: object
      properties:
        kind:
          not: {{type: string}}
"
        ),
        &Config::new("t"),
    )
    .unwrap();
    let fields = struct_fields(&api, 0);
    assert_eq!(fields[0].ty, TypeRef::Json);
    assert_eq!(
        warnings.to_string(),
        "warning: #/components/schemas/pet/properties/kind: `not` is not supported yet; typed as `serde_json::Value`\n"
    );
}

#[test]
fn the_same_spec_gives_byte_identical_output() {
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/seam/openapi.json");
    let config = Config::new("seam");
    let first = oagen::generate(&spec, &config).unwrap().files;
    for _ in 0..2 {
        assert_eq!(oagen::generate(&spec, &config).unwrap().files, first);
    }
}

#[test]
fn read_only_fields_are_never_required_from_the_caller() {
    let api = lower(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    user:
      type: object
      required: [id, name, password, bio]
      properties:
        id: {{type: string, readOnly: true}}
        name: {{type: string, default: anonymous}}
        password: {{type: string, writeOnly: true}}
        bio: {{type: string, nullable: true}}
"
    ));
    let fields = struct_fields(&api, 0);
    let flags: Vec<(&str, bool, bool, bool, bool)> = fields
        .iter()
        .map(|f| {
            (
                f.wire_name.as_str(),
                f.read_only,
                f.write_only,
                f.is_optional(),
                f.must_set(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("id", true, false, true, false),
            ("name", false, false, false, true),
            ("password", false, true, true, true),
            ("bio", false, false, true, false),
        ]
    );
    assert_eq!(fields[1].default, Some(serde_json::json!("anonymous")));
    assert_eq!(
        fields[1].docs.as_deref(),
        Some("Defaults to `\"anonymous\"` when omitted.")
    );
}

#[test]
fn odd_enums_degrade_to_json_with_a_warning_and_a_pointer() {
    let (api, warnings) = lower_with(
        &format!(
            "{HEAD}paths: {{}}
components:
  schemas:
    thing:
      type: object
      properties:
        mixed: {{enum: [1, a, {{b: 2}}]}}
        wrong: {{type: integer, enum: [a, b]}}
        names: {{type: integer, enum: [1, 2], x-enum-varnames: [One]}}
"
        ),
        &Config::new("t"),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let fields = struct_fields(&api, 0);
    assert_eq!(fields[0].ty, TypeRef::Json);
    assert_eq!(fields[1].ty, TypeRef::Json);
    assert!(matches!(fields[2].ty, TypeRef::Named(_)));
    let pointers: Vec<String> = warnings
        .iter()
        .map(|d| d.pointer.as_str().to_owned())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/thing/properties/mixed",
            "#/components/schemas/thing/properties/wrong",
            "#/components/schemas/thing/properties/names/x-enum-varnames",
        ]
    );
}

#[test]
fn a_form_encoding_keeps_an_explicit_explode_false_in_yaml_and_json() {
    use oagen::ir::{BodyMedia, ParamStyle};
    let yaml = format!(
        "{HEAD}paths:
  /token:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                a: {{type: array, items: {{type: string}}}}
                b: {{type: array, items: {{type: string}}}}
                c: {{type: array, items: {{type: string}}}}
                d: {{type: array, items: {{type: string}}}}
                e: {{type: object}}
            encoding:
              a: {{style: form, explode: false}}
              b: {{explode: false}}
              c: {{style: form}}
              d: {{contentType: text/plain}}
              e: {{style: deepObject, explode: true}}
      responses: {{'204': {{description: OK}}}}
"
    );
    let expected = vec![
        ("a".to_owned(), ParamStyle::Form, false),
        ("b".to_owned(), ParamStyle::Form, false),
        ("c".to_owned(), ParamStyle::Form, true),
        ("e".to_owned(), ParamStyle::DeepObject, true),
    ];
    let value: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
    let json = serde_json::to_string(&value).unwrap();
    for text in [yaml, json] {
        let api = lower(&text);
        assert_eq!(
            api.operations[0].body_media,
            BodyMedia::Form(expected.clone())
        );
    }
}

/// Overrides where the fixture does not go: a component by pointer (and so
/// every `$ref` to it), a parameter `$ref`, a scalar variant of a union, a
/// parameter sent as JSON text; the first of two matching overrides wins.
#[test]
fn type_overrides_apply_to_components_references_variants_and_parameters() {
    use oagen::config::{OverrideType, SpecType, TypeOverride};
    use oagen::ir::ParamStyle;
    let yaml = format!(
        "{HEAD}paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - $ref: '#/components/parameters/Count'
        - name: filter
          in: query
          content: {{application/json: {{schema: {{type: string}}}}}}
        - {{name: size, in: query, schema: {{type: number}}}}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {{$ref: '#/components/schemas/Total'}}
                  when: {{oneOf: [{{type: integer}}, {{type: string}}]}}
components:
  parameters:
    Count: {{name: count, in: query, schema: {{type: number}}}}
  schemas:
    Total: {{type: number}}
"
    );
    let mut config = Config::new("t");
    let response = "#/paths/~1things/get/responses/200/content/application~1json/schema";
    config.type_overrides = vec![
        TypeOverride::at("#/components/schemas/Total", OverrideType::U64),
        TypeOverride::named("count", OverrideType::U32),
        TypeOverride::at(
            &format!("{response}/properties/when/oneOf/1"),
            OverrideType::DateTime,
        ),
        TypeOverride::named("filter", OverrideType::Json).when(SpecType::string_without_format()),
        // Both match `size`: the first wins, and the second matches nothing.
        TypeOverride::named("size", OverrideType::I32),
        TypeOverride::at("#/paths/~1things/get/parameters/2", OverrideType::F64),
    ];
    let (api, warnings) = lower_with(&yaml, &config).unwrap_or_else(|d| panic!("{d}"));
    let op = &api.operations[0];
    let params: Vec<(&str, &TypeRef, ParamStyle)> = op
        .parameters
        .iter()
        .map(|p| (p.wire_name.as_str(), &p.ty, p.style))
        .collect();
    assert_eq!(
        params,
        [
            ("count", &TypeRef::U32, ParamStyle::Form),
            // Overridden, it is still sent as its JSON text.
            ("filter", &TypeRef::Json, ParamStyle::Json),
            ("size", &TypeRef::I32, ParamStyle::Form),
        ]
    );
    let Some(TypeRef::Named(body)) = &op.response.body else {
        panic!("{:?}", op.response.body);
    };
    let fields = struct_fields(&api, body.0);
    assert_eq!(
        fields[0].ty,
        TypeRef::U64,
        "the `$ref` to the overridden component"
    );
    let TypeRef::Named(when) = &fields[1].ty else {
        panic!("{:?}", fields[1].ty);
    };
    let TypeKind::Untagged { variants } = &api.ty(*when).kind else {
        panic!("{:?}", api.ty(*when));
    };
    let types: Vec<&TypeRef> = variants.iter().map(|v| &v.ty).collect();
    assert_eq!(types, [&TypeRef::I64, &TypeRef::DateTime]);
    let messages: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        messages,
        ["warning: #/paths/~1things/get/parameters/2: `type_overrides[5]` (pointer `#/paths/~1things/get/parameters/2` → `f64`) matches no schema; it has no effect"]
    );
}

const EVENTS: &str = "paths: {}
components:
  schemas:
    event:
      discriminator: {propertyName: kind}
      oneOf:
        - type: object
          required: [kind, id]
          properties:
            kind: {type: string, enum: [a]}
            id: {type: string}
        - type: object
          required: [kind, id]
          properties:
            kind: {type: string, enum: [b]}
            id: {type: string}
";

fn webhook_config(event_schema: &str, verifier: &str, example: Option<&str>) -> Config {
    let mut config = Config::new("t");
    config.webhook = Some(oagen::config::WebhookConfig {
        event_schema: event_schema.to_owned(),
        verifier: verifier.to_owned(),
        example_payload: example.map(str::to_owned),
    });
    config
}

#[test]
fn a_webhook_module_is_only_generated_when_configured() {
    let spec = format!("{HEAD}{EVENTS}");
    let (api, _) = lower_with(&spec, &Config::new("t")).unwrap();
    assert_eq!(api.webhook, None);
    let files = oagen::emit::emit(&api, &Config::new("t")).unwrap();
    assert!(!files.contains_key("src/webhook.rs"));

    let config = webhook_config("event", "TWebhook", Some(r#"{"kind": "a", "id": "1"}"#));
    let (api, _) = lower_with(&spec, &config).unwrap();
    let webhook = api.webhook.clone().unwrap();
    assert_eq!(webhook.verifier, "TWebhook");
    assert!(matches!(webhook.event, TypeRef::Named(id) if api.ty(id).name == "Event"));
    let files = oagen::emit::emit(&api, &config).unwrap();
    let module = &files["src/webhook.rs"];
    assert!(module.contains("pub struct TWebhook"), "{module}");
    assert!(
        module.contains("assert_eq!(event.kind(), \"a\");"),
        "{module}"
    );
    assert!(
        module.contains("assert_eq!(event.id(), Some(\"1\"));"),
        "{module}"
    );
    assert!(files["src/lib.rs"].contains("pub mod webhook;"));
}

#[test]
fn a_webhook_configuration_the_spec_cannot_satisfy_is_refused_with_a_pointer() {
    let spec = format!("{HEAD}{EVENTS}");
    let refused = |config: Config| {
        let diags = lower_with(&spec, &config).map(|_| ()).unwrap_err();
        assert!(diags.has_errors());
        diags.to_string()
    };
    let missing = refused(webhook_config("evnt", "TWebhook", None));
    assert!(missing.contains("#/components/schemas"), "{missing}");
    assert!(missing.contains("`evnt`"), "{missing}");
    for name in ["t_webhook", "HeaderMap", "Not A Name"] {
        let named = refused(webhook_config("event", name, None));
        assert!(named.contains(&format!("`{name}`")), "{named}");
    }
    let not_json = refused(webhook_config("event", "TWebhook", Some("{kind: a}")));
    assert!(
        not_json.contains("#/components/schemas/event") && not_json.contains("not JSON"),
        "{not_json}"
    );
}

#[test]
fn variants_share_the_fields_most_of_them_have_with_one_type() {
    let spec = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    event:
      discriminator: {{propertyName: kind}}
      oneOf:
        - type: object
          properties:
            kind: {{type: string, enum: [a]}}
            id: {{type: string}}
            size: {{type: integer}}
            only_a: {{type: string}}
        - type: object
          properties:
            kind: {{type: string, enum: [b]}}
            id: {{type: string}}
            size: {{type: string}}
        - type: object
          properties:
            kind: {{type: string, enum: [c]}}
            id: {{type: string}}
            fmt: {{type: string}}
        - type: object
          properties:
            kind: {{type: string, enum: [d]}}
            fmt: {{type: string}}
"
    );
    let api = lower(&spec);
    let shared = api
        .types
        .iter()
        .find_map(|t| match &t.kind {
            TypeKind::Tagged { shared, .. } => Some(shared),
            _ => None,
        })
        .unwrap();
    let names: Vec<(&str, &str, &[usize])> = shared
        .iter()
        .map(|f| {
            (
                f.wire_name.as_str(),
                f.ident.as_str(),
                f.variants.as_slice(),
            )
        })
        .collect();
    // `id` (three variants) first; `fmt` takes a name `Debug` has; `size`
    // differs in type and `only_a` is one variant's.
    assert_eq!(
        names,
        [("id", "id", &[0, 1, 2][..]), ("fmt", "fmt_2", &[2, 3][..])]
    );
}
