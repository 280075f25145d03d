//! Bounded resources and nothing dropped silently: specs built in code that
//! once overflowed the stack, never finished or lost a `$ref` without a
//! word (alias chains of 5,000 and 50,000, alias cycles, recursive `anyOf`
//! and mutual `allOf`, 50,000 levels of nesting as JSON and as YAML, 10,000
//! operations, dangling `$ref`s in every kind of place, cycles of
//! parameters and responses, paths without `/`, control characters).
//!
//! Each spec runs on a thread of its own with a generous guard, so that a
//! regression fails instead of hanging; no test asserts a time.

use std::sync::mpsc;
use std::time::Duration;

use oagen::Config;
use serde_json::{json, Value};

/// What the pipeline made of a spec: the files and the warnings, or the
/// diagnostics that refused it (each printed).
type Outcome = Result<(oagen::emit::Files, Vec<String>), Vec<String>>;

/// Runs `job` on a thread with a main thread's stack (8 MiB), failing the
/// test if it takes more than a minute.
fn guarded<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = send.send(job());
        })
        .unwrap();
    receive
        .recv_timeout(Duration::from_secs(60))
        .expect("the pipeline finished within the 60 s guard (and did not crash)")
}

/// Loads, lowers and emits `text` on a guarded thread.
fn generate(text: String) -> Outcome {
    guarded(move || {
        let printed =
            |d: oagen::Diagnostics| -> Vec<String> { d.iter().map(ToString::to_string).collect() };
        let loaded = oagen::load::load_str(&text).map_err(printed)?;
        let generated =
            oagen::generate_from(&loaded.spec, &Config::new("bounds")).map_err(printed)?;
        let mut warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        warnings.extend(generated.warnings.iter().map(ToString::to_string));
        Ok((generated.files, warnings))
    })
}

/// A spec with these paths and component sections.
fn spec(paths: Value, components: Value) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Bounds", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": components,
    })
    .to_string()
}

fn refused(outcome: Outcome) -> Vec<String> {
    match outcome {
        Ok((_, warnings)) => panic!("generated, with warnings {warnings:#?}"),
        Err(errors) => errors,
    }
}

fn generated(outcome: Outcome) -> (oagen::emit::Files, Vec<String>) {
    outcome.unwrap_or_else(|errors| panic!("refused: {errors:#?}"))
}

fn types_text(files: &oagen::emit::Files) -> String {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("src/types"))
        .map(|(_, text)| text.as_str())
        .collect()
}

fn alias_chain(links: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..links {
        schemas.insert(
            format!("A{i}"),
            json!({"$ref": format!("#/components/schemas/A{}", i + 1)}),
        );
    }
    schemas.insert(
        format!("A{links}"),
        json!({"type": "object", "properties": {"id": {"type": "string"}}}),
    );
    spec(json!({}), json!({"schemas": schemas}))
}

#[test]
fn alias_chains_of_5_000_and_50_000_generate() {
    for links in [5_000, 50_000] {
        let (files, warnings) = generated(generate(alias_chain(links)));
        assert!(warnings.is_empty(), "{warnings:#?}");
        let types = types_text(&files);
        assert!(
            types.contains(&format!("pub struct A{links} {{")),
            "{links}"
        );
    }
}

#[test]
fn an_alias_cycle_is_refused_with_its_chain() {
    let text = spec(
        json!({}),
        json!({"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"$ref": "#/components/schemas/A"},
        }}),
    );
    assert_eq!(
        refused(generate(text)),
        ["error: #/components/schemas/A: a cycle of `$ref`s, each naming only the next: \
          #/components/schemas/A → #/components/schemas/B → #/components/schemas/C → #/components/schemas/A"]
    );
}

#[test]
fn a_tree_whose_links_are_nullable_any_of_generates_boxed() {
    let node = "#/components/schemas/Node";
    let text = spec(
        json!({"/nodes": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": node}}}},
            "responses": {"200": {"description": "OK",
                "content": {"application/json": {"schema": {"$ref": node}}}}},
        }}}),
        json!({"schemas": {"Node": {"type": "object", "properties": {
            "name": {"type": "string"},
            "children": {"anyOf": [{"type": "array", "items": {"$ref": node}}, {"type": "null"}]},
            "parent": {"anyOf": [{"$ref": node}, {"type": "null"}]},
        }}}}),
    );
    let (files, _) = generated(generate(text));
    let types = types_text(&files);
    assert!(types.contains("pub struct Node {"), "{types}");
    assert!(types.contains("Option<Vec<Node>>"), "{types}");
    assert!(types.contains("Option<Box<Node>>"), "{types}");
}

#[test]
fn a_mutual_all_of_cycle_is_broken_with_a_warning() {
    let text = spec(
        json!({}),
        json!({"schemas": {
            "Node": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {
                    "children": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Node"}]}},
                    "parent": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Base"}]},
                }},
            ]},
            "Base": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
                "allOf": [{"$ref": "#/components/schemas/Node"}],
            },
        }}),
    );
    let (files, warnings) = generated(generate(text));
    assert_eq!(
        warnings,
        ["warning: #/components/schemas/Base/allOf/0: an `allOf` cycle: #/components/schemas/Node → \
          #/components/schemas/Base → #/components/schemas/Node; a schema cannot contain itself, so this part is left out"]
    );
    let types = types_text(&files);
    assert!(types.contains("pub struct Node {") && types.contains("pub struct Base {"));
}

#[test]
fn unions_that_inline_each_other_generate_at_once() {
    // Found by `cargo xtask fuzz --seed 7` (input 19790): every union here
    // names `Node` or `Base`, and merging inlined each into the other at
    // every level of lowering, until the nesting bound (and minutes).
    let node = json!({"$ref": "#/components/schemas/Node"});
    let base = json!({"$ref": "#/components/schemas/Base"});
    let text = spec(
        json!({"/nodes": {"post": {"responses": {"200": {"description": "OK",
            "content": {"application/json": {"schema": {"allOf": [node]}}}}}}}}),
        json!({"schemas": {
            "Node": {"allOf": [base, {"type": "object", "properties": {
                "children": {"type": "array", "items": {"oneOf": [{"allOf": [node]}, node]}},
                "parent": {"oneOf": [node, base]},
            }}]},
            "Base": {"type": "object", "required": ["id"], "properties": {
                "id": {"oneOf": [node, {"type": "object"}, {"type": "object",
                    "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["a"]}}}]},
            }},
        }}),
    );
    let (files, warnings) = generated(generate(text));
    assert_eq!(warnings, Vec::<String>::new());
    let types = types_text(&files);
    assert!(
        types.contains("pub struct Node {") && types.contains("pub struct Base {"),
        "{types}"
    );
}

/// Components `C0` … `C{levels}`, each the `allOf` of two objects whose
/// `width` properties each name the next component: merging inlines the
/// next component `width` times at each level, `width^levels` in all.
fn fan_out(levels: usize, width: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for level in 0..levels {
        let next = json!({"allOf": [{"$ref": format!("#/components/schemas/C{}", level + 1)}]});
        let part = |description: &str| {
            let properties: serde_json::Map<String, Value> = (0..width)
                .map(|p| {
                    let mut property = next.clone();
                    property["description"] = json!(description);
                    (format!("p{p}"), property)
                })
                .collect();
            json!({"type": "object", "properties": properties})
        };
        schemas.insert(
            format!("C{level}"),
            json!({"allOf": [part("one"), part("other")]}),
        );
    }
    schemas.insert(
        format!("C{levels}"),
        json!({"type": "object", "properties": {"leaf": {"type": "string"}}}),
    );
    spec(json!({}), json!({"schemas": schemas}))
}

#[test]
fn a_merge_that_grows_exponentially_stops_at_its_budget_with_a_warning() {
    let (files, warnings) = generated(generate(fan_out(12, 8)));
    assert!(
        warnings.iter().any(
            |w| w.starts_with("warning: #/components/schemas/C0: merging")
                && w.contains("more than 100000 steps")
        ),
        "{warnings:#?}"
    );
    assert!(types_text(&files).contains("pub struct C0 {"));
    // Two levels are far within the budget: nothing to warn about.
    let (_, warnings) = generated(generate(fan_out(2, 8)));
    assert_eq!(warnings, Vec::<String>::new());
}

/// A component schema nested `depth` levels deep through properties, as
/// JSON text or YAML flow text (built as text: a tree that deep would
/// overflow the stack of whatever builds it).
fn nested(depth: usize, yaml: bool) -> String {
    if yaml {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Bounds, version: '1'}}\nservers: [{{url: 'https://x.test'}}]\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {}{{type: string}}{}\n",
            "{type: object, properties: {a: ".repeat(depth),
            "}}".repeat(depth)
        )
    } else {
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Bounds", "version": "1"}}, "servers": [{{"url": "https://x.test"}}], "paths": {{}}, "components": {{"schemas": {{"Deep": {}{{"type": "string"}}{}}}}}}}"#,
            r#"{"type": "object", "properties": {"a": "#.repeat(depth),
            "}}".repeat(depth)
        )
    }
}

#[test]
fn nesting_50_000_deep_is_refused_at_once_as_json_and_as_yaml() {
    let json = refused(generate(nested(50_000, false)));
    assert_eq!(json.len(), 1, "{json:#?}");
    assert!(
        json[0].starts_with("error: #/components/schemas/Deep/properties/a/properties/a/"),
        "{json:#?}"
    );
    assert!(json[0].contains("more than 100 deep"), "{json:#?}");
    let yaml = refused(generate(nested(50_000, true)));
    assert_eq!(yaml.len(), 1, "{yaml:#?}");
    assert!(
        yaml[0].starts_with("error: #: the document nests objects and arrays more than 100 deep (at line 7, column "),
        "{yaml:#?}"
    );
}

#[test]
fn nesting_within_the_bound_generates() {
    for yaml in [false, true] {
        let (files, _) = generated(generate(nested(40, yaml)));
        assert!(types_text(&files).contains("pub struct Deep {"));
    }
}

#[test]
fn ten_thousand_operations_load_and_lower() {
    // Emitting them is measured by `cargo xtask bench --ladder` in release;
    // here, unoptimized, the stages that this suite guards.
    let paths: serde_json::Map<String, Value> = (0..10_000)
        .map(|i| {
            let op = json!({"post": {
                "operationId": format!("op{i}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"name": {"type": "string"}}}}}},
                "responses": {"200": {"description": "OK"}},
            }});
            (format!("/things{i}/{{id}}"), op)
        })
        .collect();
    let text = spec(Value::Object(paths), json!({}));
    let count = guarded(move || {
        let loaded = oagen::load::load_str(&text).unwrap_or_else(|d| panic!("{d}"));
        let (api, _) = oagen::ir::lower(&loaded.spec, &Config::new("bounds"))
            .unwrap_or_else(|d| panic!("{d}"));
        api.operations.len()
    });
    assert_eq!(count, 10_000);
}

#[test]
fn a_union_that_copies_its_own_component_stops_at_two_copies() {
    // Found by `cargo xtask fuzz --seed 7` (inputs 119876 and 588913): a
    // union of `User` and an object is a merged copy of `User`, whose
    // properties are such unions again: one more copy per property and
    // level, 37 s and 1 GB for this spec. A third copy is a reference.
    let union = json!({"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "object"}]});
    let text = spec(
        json!({"/users": {"get": {"responses": {"200": {"description": "OK", "content": {
            "application/json": {"schema": union}}}}}}}),
        json!({"schemas": {"User": {"type": "object", "properties": {
            "a": union,
            "b": union,
            "c": {"allOf": [
                {"$ref": "#/components/schemas/User"},
                {"type": "object", "properties": {"x": {"type": "string"}}},
            ]},
        }}}}),
    );
    let (files, warnings) = generated(generate(text));
    let cycle = "this `allOf` extends #/components/schemas/User from inside it (a cycle through \
                 its properties); typed as `serde_json::Value`";
    let response = "#/paths/~1users/get/responses/200/content/application~1json/schema/properties";
    assert_eq!(
        warnings,
        [
            format!("warning: #/components/schemas/User/properties/c: {cycle}"),
            format!("warning: {response}/a/properties/c: {cycle}"),
            format!("warning: {response}/b/properties/c: {cycle}"),
            format!("warning: {response}/c/properties/c: {cycle}"),
        ]
    );
    let types = types_text(&files);
    assert!(types.contains("pub struct User {"), "{types}");
    // The copies: the response, and its property `a`, whose own `a` is `User`.
    assert!(types.contains("pub struct GetUsersResponseA {"), "{types}");
    assert!(
        !types.contains("pub struct GetUsersResponseAA {"),
        "{types}"
    );
}

#[test]
fn a_component_met_inside_copies_of_a_base_extends_it_too() {
    // `Y`, met first through a `$ref` inside two merged copies of `Base`
    // (`X` and its property `p`), is lowered on its own: it extends `Base`
    // without any cycle (Azure's billing spec, bitbucket's: a first version
    // of the copy bound took them for cycles).
    let base = json!({"$ref": "#/components/schemas/Base"});
    let text = spec(
        json!({}),
        json!({"schemas": {
            "X": {"allOf": [base, {"type": "object", "properties": {
                "p": {"allOf": [base, {"type": "object", "properties": {
                    "q": {"$ref": "#/components/schemas/Y"},
                }}]},
            }}]},
            "Y": {"allOf": [base, {"type": "object", "properties": {"z": {"type": "string"}}}]},
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
        }}),
    );
    let (files, warnings) = generated(generate(text));
    assert_eq!(warnings, Vec::<String>::new());
    let types = types_text(&files);
    let y = &types[types.find("pub struct Y {").expect("a struct Y")..];
    let y = &y[..y.find("\n}").unwrap()];
    assert!(
        y.contains("pub id: Option<String>,") && y.contains("pub z: Option<String>,"),
        "{y}"
    );
}

#[test]
fn many_operations_outside_namespaces_go_to_files_of_a_hundred() {
    // One file of them all was built, parsed and printed on one core (10,000
    // operations: 40 MB of Rust, 32 s and 3.4 GB); a namespace of the name a
    // file would take keeps it.
    let mut paths: serde_json::Map<String, Value> = (0..250)
        .map(|i| {
            let op = json!({"get": {
                "operationId": format!("op{i}"),
                "responses": {"200": {"description": "OK", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}},
            }});
            (format!("/things{i}"), op)
        })
        .collect();
    paths.insert(
        "/tagged".to_owned(),
        json!({"get": {"operationId": "tagged", "tags": ["operations_1"],
                       "responses": {"204": {"description": "none"}}}}),
    );
    let text = spec(Value::Object(paths), json!({}));
    let files = guarded(move || {
        let loaded = oagen::load::load_str(&text).unwrap_or_else(|d| panic!("{d}"));
        let mut config = Config::new("bounds");
        config.group_by_tag = true;
        let (api, _) = oagen::ir::lower(&loaded.spec, &config).unwrap_or_else(|d| panic!("{d}"));
        oagen::emit::emit(&api, &config).unwrap_or_else(|d| panic!("{d}"))
    });
    let api_files: Vec<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("src/api/"))
        .collect();
    assert_eq!(
        api_files,
        [
            "mod.rs",
            "operations_1.rs",
            "operations_1_.rs",
            "operations_2.rs",
            "operations_3.rs"
        ]
    );
    let first = &files["src/api/operations_1_.rs"];
    assert!(first.contains("//! Operations 1 to 100 of the 250 outside any namespace:"));
    assert!(first.contains("pub fn op0(&self) -> Op0Request"));
    assert!(first.contains("pub fn op99(&self)") && !first.contains("pub fn op100("));
    let last = &files["src/api/operations_3.rs"];
    assert!(last.contains("Operations 201 to 250 of the 250"));
    assert!(last.contains("pub struct Op249Request"));
    let root = &files["src/api/mod.rs"];
    assert!(root.contains("pub use self::operations_1_::*;"));
    assert!(root.contains("pub fn operations_1(&self) -> Operations1<'_>"));
    assert!(!root.contains("pub fn op0("));
    let namespace = &files["src/api/operations_1.rs"];
    assert!(namespace.contains("pub fn tagged(&self) -> Operations1TaggedRequest"));
}

/// A spec of one operation (`POST /a`, a JSON body, a 200) and one object
/// schema `S`, with `value` put at `pointer`.
fn with(pointer: &str, value: Value) -> String {
    let mut doc: Value = serde_json::from_str(&spec(
        json!({"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
            "responses": {"200": {"description": "OK"}},
        }}}),
        json!({"schemas": {
            "S": {"type": "object", "properties": {"id": {"type": "string"}}},
            "T": {"type": "object", "properties": {"kind": {"type": "string"}}},
        }}),
    ))
    .unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.insert(key, value);
        }
        Value::Array(items) => items.insert(key.parse().unwrap(), value),
        other => panic!("{parent} is {other}"),
    }
    doc.to_string()
}

#[test]
fn a_dangling_ref_is_an_error_with_its_pointer_wherever_it_is() {
    let missing = |kind: &str| json!({"$ref": format!("#/components/{kind}/Missing")});
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/components/schemas/S",
            json!({"allOf": [missing("schemas"), {"type": "object"}]}),
            "/allOf/0",
        ),
        (
            "/components/schemas/S",
            json!({"oneOf": [missing("schemas"), {"type": "string"}]}),
            "/oneOf/0",
        ),
        (
            "/components/schemas/S",
            json!({"type": "array", "items": missing("schemas")}),
            "/items",
        ),
        (
            "/components/schemas/S",
            json!({"type": "object", "additionalProperties": missing("schemas")}),
            "/additionalProperties",
        ),
        (
            "/components/schemas/S",
            json!({"not": missing("schemas")}),
            "/not",
        ),
        (
            "/components/schemas/S",
            json!({"type": "object", "properties": {"p": missing("schemas")}}),
            "/properties/p",
        ),
        (
            "/paths/~1a/post/parameters",
            json!([missing("parameters")]),
            "/0",
        ),
        (
            "/paths/~1a/post/parameters",
            json!([{"name": "q", "in": "query", "schema": missing("schemas")}]),
            "/0/schema",
        ),
        ("/paths/~1a/post/requestBody", missing("requestBodies"), ""),
        ("/paths/~1a/post/responses/200", missing("responses"), ""),
        (
            "/paths/~1a/post/responses/200",
            json!({"description": "OK", "headers": {"X-Rate": missing("headers")}}),
            "/headers/X-Rate",
        ),
        ("/paths/~1b", json!({"$ref": "#/paths/~1missing"}), ""),
        (
            "/components/securitySchemes",
            json!({"key": missing("securitySchemes")}),
            "/key",
        ),
    ];
    for (at, value, below) in cases {
        let errors = refused(generate(with(at, value)));
        let pointer = format!("#{at}{below}");
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("error: {pointer}: `$ref: "))
                    && e.ends_with("names nothing in this document")),
            "{pointer}: {errors:#?}"
        );
    }
}

/// A mapping value that names nothing, or another document (digitalocean's
/// spec maps tags to external files), leaves its tag value unmapped: the
/// union still decodes, and the warning says which value.
#[test]
fn a_mapping_value_to_nothing_is_a_warning() {
    for target in ["#/components/schemas/Missing", "models/types.yml#/a"] {
        let (_, warnings) = generated(generate(with(
            "/components/schemas/S",
            json!({"oneOf": [{"$ref": "#/components/schemas/T"}],
                   "discriminator": {"propertyName": "kind", "mapping": {"t": target}}}),
        )));
        assert!(
            warnings.iter().any(|w| w
                .starts_with("warning: #/components/schemas/S/discriminator/mapping/t: ")
                && w.ends_with("the tag value `t` is mapped to no variant")),
            "{target}: {warnings:#?}"
        );
    }
}

#[test]
fn a_dangling_ref_where_the_generator_does_not_read_is_a_warning() {
    let missing = |kind: &str| json!({"$ref": format!("#/components/{kind}/Missing")});
    let cases = [
        (
            "/paths/~1a/post/callbacks",
            json!({"onDone": missing("callbacks")}),
            "/onDone",
        ),
        (
            "/paths/~1a/post/responses/200",
            json!({"description": "OK", "links": {"next": missing("links")}}),
            "/links/next",
        ),
        (
            "/components/examples",
            json!({"e": missing("examples")}),
            "/e",
        ),
    ];
    for (at, value, below) in cases {
        let (_, warnings) = generated(generate(with(at, value)));
        let pointer = format!("#{at}{below}");
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&format!("warning: {pointer}: `$ref: "))
                    && w.ends_with("it is in a part the generator does not read")),
            "{pointer}: {warnings:#?}"
        );
    }
}

#[test]
fn an_external_ref_is_an_error() {
    let text = with(
        "/components/schemas/S",
        json!({"type": "object", "properties": {"p": {"$ref": "other.yaml#/Pet"}}}),
    );
    assert_eq!(
        refused(generate(text)),
        ["error: #/components/schemas/S/properties/p: `$ref: other.yaml#/Pet` is outside this document; \
          only references inside it are read (nothing is fetched)"]
    );
}

#[test]
fn cycles_of_parameters_responses_and_path_items_say_cycle() {
    let cases = [
        (
            "/paths/~1a/post/parameters",
            json!([{"$ref": "#/components/parameters/A"}]),
            "/components/parameters",
            "#/components/parameters",
        ),
        (
            "/paths/~1a/post/responses/200",
            json!({"$ref": "#/components/responses/A"}),
            "/components/responses",
            "#/components/responses",
        ),
        (
            "/paths/~1a/post/requestBody",
            json!({"$ref": "#/components/requestBodies/A"}),
            "/components/requestBodies",
            "#/components/requestBodies",
        ),
    ];
    for (at, value, section, prefix) in cases {
        let mut doc: Value = serde_json::from_str(&with(at, value)).unwrap();
        let kind = section.rsplit('/').next().unwrap();
        doc["components"][kind] = json!({
            "A": {"$ref": format!("{prefix}/B")},
            "B": {"$ref": format!("{prefix}/A")},
        });
        assert_eq!(
            refused(generate(doc.to_string())),
            [format!("error: {prefix}/A: a cycle of `$ref`s, each naming only the next: {prefix}/A → {prefix}/B → {prefix}/A")]
        );
    }
    let mut doc: Value =
        serde_json::from_str(&with("/paths/~1b", json!({"$ref": "#/paths/~1c"}))).unwrap();
    doc["paths"]["/c"] = json!({"$ref": "#/paths/~1b"});
    assert_eq!(
        refused(generate(doc.to_string())),
        ["error: #/paths/~1b: a cycle of `$ref`s, each naming only the next: #/paths/~1b → #/paths/~1c → #/paths/~1b"]
    );
}

#[test]
fn a_parameter_that_names_another_is_followed() {
    let mut doc: Value = serde_json::from_str(&with(
        "/paths/~1a/post/parameters",
        json!([{"$ref": "#/components/parameters/A"}]),
    ))
    .unwrap();
    doc["components"]["parameters"] = json!({
        "A": {"$ref": "#/components/parameters/B"},
        "B": {"$ref": "#/components/parameters/C"},
        "C": {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    });
    let (files, warnings) = generated(generate(doc.to_string()));
    assert!(warnings.is_empty(), "{warnings:#?}");
    let api: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("src/api"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(api.contains("pub fn limit("), "{api}");
}

#[test]
fn a_path_without_a_slash_is_a_warning() {
    let text = with(
        "/paths/pets",
        json!({"get": {"responses": {"200": {"description": "OK"}}}}),
    );
    let (_, warnings) = generated(generate(text));
    assert_eq!(
        warnings,
        ["warning: #/paths/pets: a path must start with `/`; this one is left out"]
    );
}

#[test]
fn control_characters_from_the_spec_are_printed_escaped() {
    let text = with(
        "/components/schemas/S",
        json!({"type": "object", "properties": {"p\u{1b}[2J": {"$ref": "#/components/schemas/\u{1b}]0;x\u{7}"}}}),
    );
    let errors = refused(generate(text));
    assert_eq!(
        errors,
        ["error: #/components/schemas/S/properties/p\\u{1b}[2J: `$ref: #/components/schemas/\\u{1b}]0;x\\u{7}` names nothing in this document"]
    );
}
