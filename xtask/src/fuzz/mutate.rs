//! The structure-aware mutator of `cargo xtask fuzz`: changes to a parsed
//! spec (a `serde_json::Value`) that keep it mostly an OpenAPI document, so
//! that inputs get past loading into lowering and emission. Every choice
//! comes from a [`Rng`], so one seed gives the same mutants on any machine.

use serde_json::{json, Map, Value};

use crate::corpus::sample::SplitMix64;

/// The fuzzer's random numbers: [`SplitMix64`] and a few helpers over it.
pub(crate) struct Rng(SplitMix64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(SplitMix64(seed))
    }

    /// The generator of input `index` of a run seeded with `seed`: each input
    /// can be made again on its own, without the ones before it.
    pub(crate) fn for_input(seed: u64, index: u64) -> Self {
        let mut mixer = SplitMix64(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng::new(mixer.next())
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0.next()
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            // A remainder of a u64 by a usize fits in a usize.
            (self.next() % n as u64) as usize
        }
    }

    /// True once in `n` times.
    pub(crate) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Strings that have broken, or could break, the naming of identifiers,
/// modules and files, and the rendering of docs.
pub(crate) fn nasty_strings() -> Vec<String> {
    let fixed = [
        "",
        "0",
        "123",
        "1.5",
        "٣abc",
        "①",
        "a½",
        "½",
        "x²",
        "²",
        "type",
        "self",
        "Self",
        "crate",
        "super",
        "_",
        "__",
        "r#type",
        "a\rb",
        "a\nb",
        "\u{202E}abc",
        "```",
        "~~~",
        "\t",
        "a\tb",
        "é",
        "日本語",
        "ß",
        "İ",
        "😀",
        "\u{7}",
        "\u{1b}[31m",
        "\u{0}",
        "a/b",
        "a~b",
        "{id}",
        "a b",
        "-",
        "Option",
        "Result",
        "String",
        "Vec",
        "None",
        "Some",
        "Unknown",
        "Box",
        "null",
        "true",
        "#",
        "'",
        "\"",
        "\\",
        "*/",
        "/*",
        "<b>",
        "//",
        "$ref",
        "a.b",
        "CON",
        "..",
        "mod",
        "lib",
        "types",
        "api",
        "client",
        "Client",
        "Error",
    ];
    let mut strings: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    strings.push("ab".repeat(150));
    strings.push("é".repeat(300));
    strings.push(format!("{}X", "tag ".repeat(75)));
    strings
}

/// One step from a node to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// The paths of every node of `value`, root first, parents before children.
pub(crate) fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

pub(crate) fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter()
        .try_fold(value, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key),
            (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
            _ => None,
        })
}

pub(crate) fn get<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |node, step| match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get(key),
            (Value::Array(items), Step::Index(i)) => items.get(*i),
            _ => None,
        })
}

/// A `$ref` to the node at `path`: RFC 6901 escapes, then percent-encoding
/// of everything a URI fragment may not hold as it is.
pub(crate) fn pointer_ref(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        let token = match step {
            Step::Key(key) => key.replace('~', "~0").replace('/', "~1"),
            Step::Index(i) => i.to_string(),
        };
        for byte in token.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// The kinds of mutation, each as likely as the others.
const KINDS: usize = 12;

/// Applies `count` random mutations to `spec`.
pub(crate) fn mutate(spec: &mut Value, rng: &mut Rng, count: usize) {
    let nasty = nasty_strings();
    for _ in 0..count {
        let mut m = Mutation {
            spec,
            rng,
            nasty: &nasty,
        };
        m.one();
    }
}

struct Mutation<'a> {
    spec: &'a mut Value,
    rng: &'a mut Rng,
    nasty: &'a [String],
}

impl Mutation<'_> {
    fn one(&mut self) {
        match self.rng.below(KINDS) {
            0 => self.replace_with_other_type(),
            1 => self.delete_key(),
            2 => self.duplicate_subtree(),
            3 => self.swap_subtrees(),
            4 => self.insert_ref(),
            5 => self.wrap_in_composition(),
            6 => self.add_discriminator(),
            7 => self.rename_component(),
            8 => self.add_property(),
            9 => self.nasty_operation(),
            10 => self.add_enum(),
            _ => self.replace_string(),
        }
    }

    fn nasty(&mut self) -> String {
        self.rng.pick(self.nasty).cloned().unwrap_or_default()
    }

    fn random_path(&mut self) -> Vec<Step> {
        let all = paths(self.spec);
        self.rng.pick(&all).cloned().unwrap_or_default()
    }

    /// A random node that looks like a schema (an object with a schema
    /// keyword), or any object when there is none.
    fn schema_path(&mut self) -> Vec<Step> {
        const KEYWORDS: &[&str] = &["type", "properties", "$ref", "allOf", "oneOf", "anyOf"];
        let all = paths(self.spec);
        let schemas: Vec<&Vec<Step>> = all
            .iter()
            .filter(|p| {
                get(self.spec, p)
                    .and_then(Value::as_object)
                    .is_some_and(|o| KEYWORDS.iter().any(|k| o.contains_key(*k)))
            })
            .collect();
        match self.rng.pick(&schemas) {
            Some(path) => (*path).clone(),
            None => self.random_path(),
        }
    }

    fn component_names(&self) -> Vec<String> {
        self.spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn random_value(&mut self) -> Value {
        match self.rng.below(8) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.one_in(2)),
            2 => json!(self.rng.below(1000)),
            3 => json!(-1.5),
            4 => Value::String(self.nasty()),
            5 => json!([]),
            6 => json!({}),
            _ => json!({"type": "object"}),
        }
    }

    fn replace_with_other_type(&mut self) {
        let path = self.random_path();
        let new = self.random_value();
        if let Some(node) = get_mut(self.spec, &path) {
            *node = new;
        }
    }

    fn delete_key(&mut self) {
        let path = self.random_path();
        let Some((last, parent)) = path.split_last() else {
            return;
        };
        match (get_mut(self.spec, parent), last) {
            (Some(Value::Object(map)), Step::Key(key)) => {
                map.shift_remove(key);
            }
            (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                items.remove(*i);
            }
            _ => {}
        }
    }

    fn duplicate_subtree(&mut self) {
        let from = self.random_path();
        let to = self.random_path();
        let Some(copy) = get(self.spec, &from).cloned() else {
            return;
        };
        let key = match from.last() {
            Some(Step::Key(key)) if self.rng.one_in(2) => key.clone(),
            _ => self.nasty(),
        };
        match get_mut(self.spec, &to) {
            Some(Value::Object(map)) => {
                map.insert(key, copy);
            }
            Some(Value::Array(items)) => items.push(copy),
            Some(node) => *node = copy,
            None => {}
        }
    }

    fn swap_subtrees(&mut self) {
        let a = self.random_path();
        let b = self.random_path();
        // Neither may hold the other.
        if a.starts_with(&b) || b.starts_with(&a) {
            return;
        }
        let (Some(first), Some(second)) =
            (get(self.spec, &a).cloned(), get(self.spec, &b).cloned())
        else {
            return;
        };
        if let Some(node) = get_mut(self.spec, &a) {
            *node = second;
        }
        if let Some(node) = get_mut(self.spec, &b) {
            *node = first;
        }
    }

    fn insert_ref(&mut self) {
        let path = self.schema_path();
        let names = self.component_names();
        let target = match self.rng.below(4) {
            0 => pointer_ref(&path),
            1 => format!("#/components/schemas/{}", self.nasty()),
            2 => "#/components/schemas/missing".to_owned(),
            _ => match self.rng.pick(&names) {
                Some(name) => pointer_ref(&[
                    Step::Key("components".into()),
                    Step::Key("schemas".into()),
                    Step::Key(name.clone()),
                ]),
                None => pointer_ref(&path),
            },
        };
        if let Some(node) = get_mut(self.spec, &path) {
            *node = json!({ "$ref": target });
        }
    }

    fn a_component_ref(&mut self) -> Value {
        let names = self.component_names();
        match self.rng.pick(&names) {
            Some(name) => json!({ "$ref": pointer_ref(&[
                Step::Key("components".into()),
                Step::Key("schemas".into()),
                Step::Key(name.clone()),
            ]) }),
            None => json!({"type": "object"}),
        }
    }

    fn wrap_in_composition(&mut self) {
        let path = self.schema_path();
        let keyword = *self
            .rng
            .pick(&["allOf", "anyOf", "oneOf"])
            .unwrap_or(&"allOf");
        let other = self.a_component_ref();
        let with_other = self.rng.one_in(2);
        if let Some(node) = get_mut(self.spec, &path) {
            let inner = std::mem::take(node);
            let parts = if with_other {
                vec![inner, other]
            } else {
                vec![inner]
            };
            *node = json!({ keyword: parts });
        }
    }

    /// A discriminated `oneOf` at a schema: variants that are references,
    /// inline objects with the tag, and an object with no properties at all.
    fn add_discriminator(&mut self) {
        let path = self.schema_path();
        let tag = if self.rng.one_in(2) {
            "type".to_owned()
        } else {
            self.nasty()
        };
        let mut variants = vec![self.a_component_ref(), json!({"type": "object"})];
        if self.rng.one_in(2) {
            let value = self.nasty();
            variants.push(json!({
                "type": "object",
                "title": self.nasty(),
                "required": [tag.clone()],
                "properties": { tag.clone(): {"type": "string", "enum": [value]} },
            }));
        }
        let mut discriminator = Map::new();
        discriminator.insert("propertyName".into(), Value::String(tag));
        if self.rng.one_in(2) {
            let mut mapping = Map::new();
            for _ in 0..1 + self.rng.below(3) {
                let name = self.component_names();
                let target = match self.rng.pick(&name) {
                    Some(n) => format!("#/components/schemas/{n}"),
                    None => "#/components/schemas/missing".to_owned(),
                };
                mapping.insert(self.nasty(), Value::String(target));
            }
            discriminator.insert("mapping".into(), Value::Object(mapping));
        }
        if let Some(node) = get_mut(self.spec, &path) {
            *node = json!({ "oneOf": variants, "discriminator": discriminator });
        }
    }

    /// Renames a component schema to a nasty name and every `$ref` to it.
    fn rename_component(&mut self) {
        let names = self.component_names();
        let Some(old) = self.rng.pick(&names).cloned() else {
            return;
        };
        let new = self.nasty();
        let component = |name: &str| {
            pointer_ref(&[
                Step::Key("components".into()),
                Step::Key("schemas".into()),
                Step::Key(name.to_owned()),
            ])
        };
        let (old_ref, new_ref) = (component(&old), component(&new));
        if let Some(Value::Object(map)) = self.spec.pointer_mut("/components/schemas") {
            if map.contains_key(&new) {
                return;
            }
            // The renamed schema keeps its place.
            *map = std::mem::take(map)
                .into_iter()
                .map(|(k, v)| if k == old { (new.clone(), v) } else { (k, v) })
                .collect();
        }
        rewrite_refs(self.spec, &old_ref, &new_ref);
    }

    fn add_property(&mut self) {
        let path = self.schema_path();
        let name = self.nasty();
        let schema = match self.rng.below(4) {
            0 => json!({"type": "string"}),
            1 => json!({"type": "string", "enum": [self.nasty(), self.nasty()]}),
            2 => self.a_component_ref(),
            _ => json!({"type": "object"}),
        };
        let required = self.rng.one_in(2);
        if let Some(Value::Object(node)) = get_mut(self.spec, &path) {
            node.entry("type").or_insert_with(|| json!("object"));
            let props = node.entry("properties").or_insert_with(|| json!({}));
            if let Value::Object(props) = props {
                props.insert(name.clone(), schema);
            }
            if required {
                if let Some(Value::Array(list)) = node.get_mut("required") {
                    list.push(Value::String(name));
                } else {
                    node.insert("required".into(), json!([name]));
                }
            }
        }
    }

    /// A nasty `operationId`, tag or summary on one operation.
    fn nasty_operation(&mut self) {
        const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];
        let all = paths(self.spec);
        let operations: Vec<&Vec<Step>> = all
            .iter()
            .filter(|p| {
                p.len() == 3
                    && p[0] == Step::Key("paths".into())
                    && matches!(&p[2], Step::Key(m) if METHODS.contains(&m.as_str()))
            })
            .collect();
        let Some(path) = self.rng.pick(&operations).map(|p| (*p).clone()) else {
            return;
        };
        let (field, value) = match self.rng.below(4) {
            0 => ("operationId", Value::String(self.nasty())),
            1 => ("tags", json!([self.nasty()])),
            2 => ("tags", json!([self.nasty(), self.nasty()])),
            _ => ("summary", Value::String(self.nasty())),
        };
        if let Some(Value::Object(op)) = get_mut(self.spec, &path) {
            op.insert(field.into(), value);
        }
    }

    fn add_enum(&mut self) {
        let path = self.schema_path();
        let values: Vec<Value> = (0..1 + self.rng.below(4))
            .map(|_| Value::String(self.nasty()))
            .collect();
        if let Some(node) = get_mut(self.spec, &path) {
            *node = json!({"type": "string", "enum": values, "title": self.nasty.first()});
        }
    }

    /// Any string of the spec (a description, a title, a tag, a name)
    /// replaced by a nasty one.
    fn replace_string(&mut self) {
        let all = paths(self.spec);
        let strings: Vec<&Vec<Step>> = all
            .iter()
            .filter(|p| get(self.spec, p).is_some_and(Value::is_string))
            .collect();
        let Some(path) = self.rng.pick(&strings).map(|p| (*p).clone()) else {
            return;
        };
        let new = self.nasty();
        if let Some(node) = get_mut(self.spec, &path) {
            *node = Value::String(new);
        }
    }
}

/// Every `$ref` equal to `old` becomes `new`.
fn rewrite_refs(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" && child.as_str() == Some(old) {
                    *child = Value::String(new.to_owned());
                } else {
                    rewrite_refs(child, old, new);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, old, new)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets": {"get": {"operationId": "listPets", "tags": ["pets"],
                "responses": {"200": {"description": "ok", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
            }},
        })
    }

    fn mutants(seed: u64) -> Vec<Value> {
        (0..40)
            .map(|i| {
                let mut value = spec();
                let mut rng = Rng::for_input(seed, i);
                mutate(&mut value, &mut rng, 3);
                value
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_mutants() {
        let first = mutants(7);
        assert_eq!(first, mutants(7));
        assert_ne!(first, mutants(8));
        // They are mutants: most differ from the spec, and from each other.
        let changed = first.iter().filter(|m| **m != spec()).count();
        assert!(changed > 30, "only {changed} of 40 changed");
        let distinct: std::collections::BTreeSet<String> =
            first.iter().map(|m| m.to_string()).collect();
        assert!(distinct.len() > 30, "only {} distinct", distinct.len());
    }

    #[test]
    fn input_generators_are_independent_of_order() {
        let mut a = Rng::for_input(1, 5);
        let _ = Rng::for_input(1, 4).next();
        let mut b = Rng::for_input(1, 5);
        assert_eq!(a.next(), b.next());
        assert_ne!(Rng::for_input(1, 5).next(), Rng::for_input(1, 6).next());
    }

    #[test]
    fn renaming_a_component_rewrites_its_refs() {
        // Try seeds until the rename of `Pet` happens; then every `$ref` to
        // it names the new component, which exists.
        let renamed = (0..500).find_map(|seed| {
            let mut value = spec();
            let nasty = nasty_strings();
            let mut rng = Rng::new(seed);
            Mutation {
                spec: &mut value,
                rng: &mut rng,
                nasty: &nasty,
            }
            .rename_component();
            let schemas = value.pointer("/components/schemas")?.as_object()?;
            (!schemas.contains_key("Pet")).then(|| value.clone())
        });
        let value = renamed.expect("some seed renames Pet");
        let text = value.to_string();
        assert!(!text.contains("schemas/Pet\""), "{text}");
        let new_ref = value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .and_then(|m| m.keys().next())
            .map(|name| {
                pointer_ref(&[
                    Step::Key("components".into()),
                    Step::Key("schemas".into()),
                    Step::Key(name.clone()),
                ])
            })
            .unwrap();
        assert_eq!(
            value.pointer("/components/schemas/Owner/properties/pet/$ref"),
            Some(&Value::String(new_ref))
        );
    }

    #[test]
    fn pointers_escape_and_percent_encode() {
        let path = [
            Step::Key("a/b~c d".into()),
            Step::Index(3),
            Step::Key("é".into()),
        ];
        assert_eq!(pointer_ref(&path), "#/a~1b~0c%20d/3/%C3%A9");
    }
}
