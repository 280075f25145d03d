//! One pass over the whole document, before it is typed, for what no later
//! stage could see or would drop without a word:
//!
//! - every `$ref` (and every discriminator `mapping` value) must name a node
//!   of this document: a dangling or external one is an error with its
//!   pointer (a warning inside `callbacks`, `links` and `examples`, which
//!   the generator does not read, and for a `mapping` value, whose tag value
//!   then maps to no variant: the union still decodes, by its fallback);
//! - `$ref`s that only name another `$ref` form chains: a chain that comes
//!   back on itself is an error that lists it; a component that is such a
//!   chain is rewritten to name the chain's end, so that lowering follows
//!   at most one `$ref` from a component, however long the chain;
//! - `allOf`, `oneOf` and `anyOf` parts that lead back to the schema they
//!   are part of (a schema cannot contain itself) are left out, with a
//!   warning that lists the cycle: merging them would never end;
//! - paths that do not start with `/`, which `openapiv3` drops, are named
//!   in a warning.
//!
//! The walks are recursive: [`super::nesting`] has bounded the depth.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Pointer};

/// Keys whose value holds data, not OpenAPI objects: a `$ref` there is text.
const DATA: &[&str] = &["example", "default", "enum", "const", "value"];

/// Keys whose object maps names (not keywords) to OpenAPI objects.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "examples",
    "paths",
    "content",
    "encoding",
    "variables",
    "pathItems",
    "webhooks",
];

/// Parts of the document the generator does not read.
const UNUSED: &[&str] = &["callbacks", "links", "examples"];

/// The composition keywords, whose parts merging inlines.
const COMPOSITIONS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// Checks and normalizes `doc` as the module says, into `diags`.
pub(super) fn check(doc: &mut Value, diags: &mut Diagnostics) {
    paths_without_slash(doc, diags);
    let mut sites = Vec::new();
    collect(doc, &mut Vec::new(), Place::default(), &mut sites, diags);
    let mut chains = Chains::default();
    let mut rewrites = Vec::new();
    for site in &sites {
        let at = pointer(&site.at);
        let Some(target) = site.target.strip_prefix('#') else {
            report(diags, site, &at, format!("`$ref: {}` is outside this document; only references inside it are read (nothing is fetched)", site.target));
            continue;
        };
        if resolve(doc, target).is_none() {
            let what = if site.mapping {
                format!("discriminator mapping value `{}`", site.written)
            } else {
                format!("`$ref: {}`", site.target)
            };
            report(
                diags,
                site,
                &at,
                format!("{what} names nothing in this document"),
            );
            continue;
        }
        // The chain starts at the site itself, so that a cycle is listed
        // from where the document first enters it.
        let start = if site.mapping {
            canonical(target)
        } else {
            at.as_str()[1..].to_owned()
        };
        let end = chains.end(doc, &start, &site.target, diags);
        // A component that only names another: made to name the chain's end.
        if let (Some((end, raw)), false) = (end, site.mapping) {
            let is_component = site.at.len() == 3 && site.at[0] == "components";
            if is_component && end != canonical(target) {
                rewrites.push((at.as_str()[1..].to_owned(), raw));
            }
        }
    }
    for (at, raw) in rewrites {
        if let Some(Value::Object(node)) = doc.pointer_mut(&at) {
            node.insert("$ref".to_owned(), Value::String(raw));
        }
    }
    Cycles::default().break_all(doc, diags);
}

/// A `$ref` (or a discriminator `mapping` value) and where it is.
struct Site {
    /// The tokens of the node that holds it.
    at: Vec<String>,
    /// The reference (a mapping's component name made one).
    target: String,
    /// The reference or mapping value as written.
    written: String,
    /// Whether it is in a part of the document the generator does not read.
    unused: bool,
    /// Whether it is a discriminator `mapping` value.
    mapping: bool,
}

/// What the keys of the object being walked are.
#[derive(Clone, Copy, Default)]
struct Place {
    /// Names (of properties, responses...), not keywords.
    names: bool,
    /// Whether this is inside a part the generator does not read.
    unused: bool,
}

/// An error, or a warning for a part the generator does not read or a
/// mapping value (the tag value is then mapped to no variant).
fn report(diags: &mut Diagnostics, site: &Site, at: &Pointer, message: String) {
    if site.mapping && !site.unused {
        diags.warning(
            at,
            format!(
                "{message}; the tag value `{}` is mapped to no variant",
                site.at.last().map_or("", String::as_str)
            ),
        );
    } else if site.unused {
        diags.warning(
            at,
            format!("{message}; it is in a part the generator does not read"),
        );
    } else {
        diags.error(at, message);
    }
}

/// Collects every `$ref` below `value` (at `path`) into `out`.
fn collect(
    value: &Value,
    path: &mut Vec<String>,
    place: Place,
    out: &mut Vec<Site>,
    diags: &mut Diagnostics,
) {
    match value {
        Value::Object(map) => {
            if !place.names {
                match map.get("$ref") {
                    Some(Value::String(target)) => out.push(Site {
                        at: path.clone(),
                        target: target.clone(),
                        written: target.clone(),
                        unused: place.unused,
                        mapping: false,
                    }),
                    Some(_) => diags.error(&pointer(path).push("$ref"), "`$ref` is not a string"),
                    None => {}
                }
            }
            for (key, item) in map {
                if place.names {
                    // Extensions beside names, except where a name may start so.
                    let named = ["properties", "patternProperties", "schemas"];
                    if key.starts_with("x-")
                        && path.last().is_some_and(|p| !named.contains(&p.as_str()))
                    {
                        continue;
                    }
                    path.push(key.clone());
                    collect(
                        item,
                        path,
                        Place {
                            names: false,
                            ..place
                        },
                        out,
                        diags,
                    );
                } else {
                    if key.starts_with("x-") || key == "$ref" || DATA.contains(&key.as_str()) {
                        continue;
                    }
                    let discriminator = path.last().is_some_and(|p| p == "discriminator");
                    path.push(key.clone());
                    if discriminator && key == "mapping" {
                        mapping_values(item, path, place, out);
                    } else {
                        let inner = Place {
                            names: NAME_MAPS.contains(&key.as_str()),
                            unused: place.unused || UNUSED.contains(&key.as_str()),
                        };
                        collect(item, path, inner, out, diags);
                    }
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect(
                    item,
                    path,
                    Place {
                        names: false,
                        ..place
                    },
                    out,
                    diags,
                );
                path.pop();
            }
        }
        _ => {}
    }
}

/// The values of a discriminator `mapping`: references, or the names of
/// component schemas.
fn mapping_values(mapping: &Value, path: &mut Vec<String>, place: Place, out: &mut Vec<Site>) {
    let Value::Object(mapping) = mapping else {
        return;
    };
    for (tag, value) in mapping {
        let Value::String(value) = value else {
            continue;
        };
        let target = if value.contains('/') || value.starts_with('#') {
            value.clone()
        } else {
            format!("#/components/schemas/{value}")
        };
        path.push(tag.clone());
        out.push(Site {
            at: path.clone(),
            target,
            written: value.clone(),
            unused: place.unused,
            mapping: true,
        });
        path.pop();
    }
}

/// The node a local reference's fragment (after `#`) names.
fn resolve<'d>(doc: &'d Value, fragment: &str) -> Option<&'d Value> {
    let decoded = canonical(fragment);
    if decoded.is_empty() {
        return Some(doc);
    }
    doc.pointer(&decoded)
}

/// A fragment with its `%XX` escapes decoded (a `$ref` is a URI fragment);
/// `~0` and `~1` stay, as in a JSON pointer.
fn canonical(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The `#`-pointer of a path of tokens.
fn pointer(path: &[String]) -> Pointer {
    path.iter().fold(Pointer::root(), |p, token| p.push(token))
}

/// The reference a node is, when it is one.
fn alias_of(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// The ends of `$ref` chains, each chain followed once.
#[derive(Default)]
struct Chains {
    /// A node's canonical pointer → the end of its chain (its canonical
    /// pointer, and the reference as written that names it), or `None` for
    /// a chain that is a cycle or leads to nothing.
    ends: HashMap<String, Option<(String, String)>>,
}

impl Chains {
    /// The end of the chain that starts at `start` (named by `raw`),
    /// following it without recursion; a cycle is reported once.
    fn end(
        &mut self,
        doc: &Value,
        start: &str,
        raw: &str,
        diags: &mut Diagnostics,
    ) -> Option<(String, String)> {
        let mut chain: Vec<String> = Vec::new();
        let mut on_chain: HashMap<String, usize> = HashMap::new();
        let mut current = (start.to_owned(), raw.to_owned());
        let end = loop {
            if let Some(done) = self.ends.get(&current.0) {
                break done.clone();
            }
            if let Some(&first) = on_chain.get(&current.0) {
                let names: Vec<String> = chain[first..]
                    .iter()
                    .chain([&current.0])
                    .map(|c| format!("#{c}"))
                    .collect();
                diags.error(
                    &Pointer::from_ref(&names[0]),
                    format!(
                        "a cycle of `$ref`s, each naming only the next: {}",
                        names.join(" → ")
                    ),
                );
                break None;
            }
            on_chain.insert(current.0.clone(), chain.len());
            chain.push(current.0.clone());
            let next = resolve(doc, &current.0).and_then(alias_of);
            match next {
                None => break resolve(doc, &current.0).map(|_| current.clone()),
                Some(next) => match next.strip_prefix('#') {
                    Some(fragment) if resolve(doc, fragment).is_some() => {
                        current = (canonical(fragment), next.to_owned());
                    }
                    // Outside the document or dangling: its own site says so.
                    _ => break None,
                },
            }
        };
        for link in chain {
            self.ends.insert(link, end.clone());
        }
        end
    }
}

/// The search for composition cycles: a depth-first walk over schemas,
/// whose edges are `$ref`s and the parts of `allOf`, `oneOf` and `anyOf`.
#[derive(Default)]
struct Cycles {
    /// Nodes whose walk is finished.
    done: HashSet<String>,
    /// Parts left out, by their pointer.
    cut: HashSet<String>,
}

/// A node on the walk's stack: its canonical pointer, its edges, and how
/// many of them were followed.
struct Frame {
    node: String,
    edges: Vec<String>,
    next: usize,
}

impl Cycles {
    /// Walks from every component schema and removes the parts that close
    /// a cycle, with a warning each.
    fn break_all(mut self, doc: &mut Value, diags: &mut Diagnostics) {
        let names: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        for name in names {
            let start = format!(
                "/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            );
            self.walk(doc, start, diags);
        }
        // Later parts first, so that the indices of earlier ones still hold.
        let mut cut: Vec<(String, usize)> = self
            .cut
            .iter()
            .filter_map(|c| {
                let (array, index) = c.rsplit_once('/')?;
                Some((array.to_owned(), index.parse().ok()?))
            })
            .collect();
        cut.sort_by(|a, b| b.cmp(a));
        for (array, index) in cut {
            if let Some(Value::Array(parts)) = doc.pointer_mut(&array) {
                if index < parts.len() {
                    parts.remove(index);
                }
            }
        }
    }

    /// The depth-first walk from `start`, with its own stack.
    fn walk(&mut self, doc: &Value, start: String, diags: &mut Diagnostics) {
        if self.done.contains(&start) {
            return;
        }
        let mut on_stack: HashMap<String, usize> = HashMap::from([(start.clone(), 0)]);
        let mut stack = vec![Frame {
            edges: edges(doc, &start),
            node: start,
            next: 0,
        }];
        while let Some(top) = stack.last_mut() {
            let Some(edge) = top.edges.get(top.next).cloned() else {
                self.done.insert(top.node.clone());
                on_stack.remove(&top.node);
                stack.pop();
                continue;
            };
            top.next += 1;
            if self.done.contains(&edge) || self.cut.contains(&edge) {
                continue;
            }
            if let Some(&from) = on_stack.get(&edge) {
                self.close(&stack[from..], &edge, diags);
                continue;
            }
            on_stack.insert(edge.clone(), stack.len());
            stack.push(Frame {
                edges: edges(doc, &edge),
                node: edge,
                next: 0,
            });
        }
    }

    /// A cycle: the nodes of `cycle`, then `back` (the first of them) again.
    /// Its last composition part is left out; a cycle of `$ref`s alone has
    /// none, and the chain check has reported it.
    fn close(&mut self, cycle: &[Frame], back: &str, diags: &mut Diagnostics) {
        let Some(part) = cycle.iter().rev().find(|f| part_keyword(&f.node).is_some()) else {
            return;
        };
        let keyword = part_keyword(&part.node).unwrap_or("allOf");
        let names: Vec<String> = cycle
            .iter()
            .filter(|f| part_keyword(&f.node).is_none())
            .map(|f| format!("#{}", f.node))
            .chain([format!("#{back}")])
            .collect();
        diags.warning(
            &Pointer::from_ref(&format!("#{}", part.node)),
            format!(
                "an `{keyword}` cycle: {}; a schema cannot contain itself, so this part is left out",
                names.join(" → ")
            ),
        );
        self.cut.insert(part.node.clone());
    }
}

/// The composition keyword of a part (`.../allOf/2`), or `None`.
fn part_keyword(node: &str) -> Option<&'static str> {
    let (parent, index) = node.rsplit_once('/')?;
    index.parse::<usize>().ok()?;
    let keyword = parent.rsplit('/').next()?;
    COMPOSITIONS.iter().copied().find(|k| *k == keyword)
}

/// The edges of a schema node: the node its `$ref` names, and its parts.
fn edges(doc: &Value, node: &str) -> Vec<String> {
    let Some(Value::Object(map)) = doc.pointer(node) else {
        return Vec::new();
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return match reference.strip_prefix('#') {
            Some(fragment) if resolve(doc, fragment).is_some() => vec![canonical(fragment)],
            _ => Vec::new(),
        };
    }
    COMPOSITIONS
        .iter()
        .filter_map(|k| Some((k, map.get(*k)?.as_array()?)))
        .flat_map(|(k, parts)| (0..parts.len()).map(move |i| format!("{node}/{k}/{i}")))
        .collect()
}

/// Warns about every path that does not start with `/`: `openapiv3` drops it.
fn paths_without_slash(doc: &Value, diags: &mut Diagnostics) {
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    for path in paths.keys() {
        if !path.starts_with('/') && !path.starts_with("x-") {
            diags.warning(
                &Pointer::root().push("paths").push(path),
                "a path must start with `/`; this one is left out",
            );
        }
    }
}
