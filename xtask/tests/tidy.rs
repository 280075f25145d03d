//! Tidy checks over the project's own sources, so that the rooms stay small:
//! no file of non-test code over 800 lines, no function over 120 lines, every
//! file opening with a `//!` comment that says what it holds and named in
//! `ARCHITECTURE.md`'s codemap, and the files of `oagen-runtime` depending on
//! each other without a cycle.
//!
//! Generated code (`generated/`, `crates/wire-example/`) is not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is one level below the workspace root")
        .to_path_buf()
}

/// Every hand-written `.rs` file of `crates/` and `xtask/`, relative to the
/// workspace root, sorted.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != "node_modules" && name != "snapshots" {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = workspace();
    let mut files = Vec::new();
    walk(&root.join("crates"), &mut files);
    walk(&root.join("xtask"), &mut files);
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("crates/wire-example"))
        .collect();
    files.sort();
    files
}

/// Test code: integration tests, and unit tests in files of their own.
fn is_test(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "tests") || path.ends_with("tests.rs")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(workspace().join(path)).unwrap()
}

#[test]
fn files_and_functions_are_small() {
    let mut problems = Vec::new();
    for path in sources() {
        let text = read(&path);
        let lines = text.lines().count();
        if !is_test(&path) && lines > MAX_FILE_LINES {
            problems.push(format!(
                "{}: {lines} lines (at most {MAX_FILE_LINES} for non-test code)",
                path.display()
            ));
        }
        for f in functions(&text) {
            if f.lines > MAX_FN_LINES {
                problems.push(format!(
                    "{}:{}: fn {} has {} lines (at most {MAX_FN_LINES})",
                    path.display(),
                    f.line,
                    f.name,
                    f.lines
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_file_says_what_it_holds_and_is_in_the_codemap() {
    let architecture = read(Path::new("ARCHITECTURE.md"));
    let mut problems = Vec::new();
    for path in sources() {
        if !read(&path).starts_with("//!") {
            problems.push(format!(
                "{}: does not open with a `//!` comment",
                path.display()
            ));
        }
        if !is_test(&path) && !in_codemap(&architecture, &path) {
            problems.push(format!(
                "{}: not named in ARCHITECTURE.md's codemap (as `{}`)",
                path.display(),
                codemap_name(&path)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// How the codemap names a file: its path below its crate's `src/` (or
/// `benches/`), `ir/schemas/merge.rs`; `main.rs` of xtask is `xtask/src/main.rs`.
fn codemap_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.split_once("/src/") {
        Some((_, rest)) if !matches!(rest, "lib.rs" | "main.rs") => rest.to_owned(),
        _ => text,
    }
}

/// Whether the codemap names the file: its [`codemap_name`] in backticks, or
/// after a `/` of a folder named just before it (`` `emit/`: `types.rs` ``
/// is not enough: the name must stand alone).
fn in_codemap(architecture: &str, path: &Path) -> bool {
    let name = codemap_name(path);
    architecture.contains(&format!("`{name}`")) || architecture.contains(&format!("`{name}:"))
}

/// A function found in source text.
struct Function {
    name: String,
    /// The line of its `fn` keyword.
    line: usize,
    /// From the `fn` line to the closing brace.
    lines: usize,
}

/// One token of the scanner: words, punctuation, and literals (which can hold
/// braces that are not code).
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Punct(char),
    Literal,
}

/// The functions with a body in Rust source, found by scanning tokens
/// (comments, strings and character literals skipped): `fn`, a name, then
/// the first `{` at the same nesting level, up to its matching `}`.
fn functions(text: &str) -> Vec<Function> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    for (i, (token, line)) in tokens.iter().enumerate() {
        if *token != Token::Word("fn".to_owned()) {
            continue;
        }
        let Some((Token::Word(name), _)) = tokens.get(i + 1) else {
            continue;
        };
        let mut depth = 0i32;
        let mut body = None;
        for (j, (t, _)) in tokens.iter().enumerate().skip(i + 2) {
            match t {
                Token::Punct('(' | '[') => depth += 1,
                Token::Punct(')' | ']') => depth -= 1,
                Token::Punct(';') if depth == 0 => break,
                Token::Punct('{') if depth == 0 => {
                    body = Some(j);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = body else { continue };
        let mut braces = 0i32;
        for (t, end_line) in &tokens[open..] {
            match t {
                Token::Punct('{') => braces += 1,
                Token::Punct('}') => {
                    braces -= 1;
                    if braces == 0 {
                        found.push(Function {
                            name: name.clone(),
                            line: *line,
                            lines: end_line - line + 1,
                        });
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// The tokens of Rust source with their lines.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Advances past `n` characters, counting lines.
    let skip = |i: &mut usize, n: usize, line: &mut usize| {
        for c in &chars[*i..(*i + n).min(chars.len())] {
            if *c == '\n' {
                *line += 1;
            }
        }
        *i += n;
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |p| i + p);
            i = end;
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            let start = i;
            let mut j = i;
            while j < chars.len() {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            skip(&mut i, j - start, &mut line);
        } else if let Some(len) = raw_string(&chars[i..]) {
            out.push((Token::Literal, line));
            skip(&mut i, len, &mut line);
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let start = i;
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            out.push((Token::Literal, line));
            skip(&mut i, j + 1 - start, &mut line);
        } else if c == '\'' {
            // A character literal ('x', '\n', '{'), or a lifetime ('a).
            if next == Some('\\') {
                let end = chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map_or(chars.len(), |p| i + 3 + p);
                out.push((Token::Literal, line));
                i = end;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push((Token::Literal, line));
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Word(chars[start..i].iter().collect()), line));
        } else {
            if c == '\n' {
                line += 1;
            } else if !c.is_whitespace() {
                out.push((Token::Punct(c), line));
            }
            i += 1;
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br#"…"#`) at the
/// start of `chars`, if one starts there.
fn raw_string(chars: &[char]) -> Option<usize> {
    let start = match chars {
        ['r', '"' | '#', ..] => 1,
        ['b', 'r', '"' | '#', ..] => 2,
        _ => return None,
    };
    let hashes = chars[start..].iter().take_while(|&&c| c == '#').count();
    if chars.get(start + hashes) != Some(&'"') {
        return None;
    }
    let body = start + hashes + 1;
    let closing: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (body..chars.len())
        .find(|&j| chars[j..].starts_with(&closing))
        .map(|j| j + closing.len())
}

#[test]
fn the_scanner_measures_functions() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '{';\n}\n// fn b() {\nfn c<'a>(x: &'a str) -> fn() { r#\"}\"#;\n\n}\ntrait T { fn d(); }\n";
    let found: Vec<(String, usize, usize)> = functions(text)
        .into_iter()
        .map(|f| (f.name, f.line, f.lines))
        .collect();
    assert_eq!(found, [("a".to_owned(), 1, 4), ("c".to_owned(), 6, 3)]);
}

/// The files of `oagen-runtime` form no cycle: file A depends on file B when
/// A names an item B defines (through `use`, a `crate::`/`super::`/`self::`
/// path, or a re-export that leads there). Layers make a runtime a newcomer
/// can read from the bottom up.
#[test]
fn runtime_files_depend_on_each_other_without_cycles() {
    let src = workspace().join("crates/oagen-runtime/src");
    let modules = runtime_modules(&src);
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, info) in &modules {
        for path in &info.paths {
            if let Some(target) = resolve(&modules, module, path, 0) {
                if target != *module {
                    edges.entry(module.clone()).or_default().insert(target);
                }
            }
        }
    }
    let name = |m: &Vec<String>| {
        if m.is_empty() {
            "lib.rs".to_owned()
        } else {
            m.join("/")
        }
    };
    // Depth-first search for a back edge.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in modules.keys() {
        if let Some(cycle) = visit(module, &edges, &mut Vec::new(), &mut done) {
            let cycle: Vec<String> = cycle.iter().map(name).collect();
            panic!(
                "files of oagen-runtime depend on each other: {}",
                cycle.join(" → ")
            );
        }
    }
}

/// What one file of the runtime defines, re-exports and names.
#[derive(Default)]
struct ModuleInfo {
    /// Items it defines, by name (modules declared in it included).
    defines: BTreeSet<String>,
    /// `use` items: the name they bring in → the path it comes from.
    imports: BTreeMap<String, Vec<String>>,
    /// Every path it names (from `use` items too), but those with a leading
    /// `::`, which name other crates.
    paths: Vec<Vec<String>>,
}

/// Every file of the runtime, by module path (`[]` is `lib.rs`).
fn runtime_modules(src: &Path) -> BTreeMap<Vec<String>, ModuleInfo> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut collector = Collector::default();
            collector.visit_file(&file);
            (module, collector.info)
        })
        .collect()
}

#[derive(Default)]
struct Collector {
    info: ModuleInfo,
    /// Inside a `#[cfg(test)]` module: unit tests may use anything.
    in_tests: usize,
}

impl Collector {
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.import(n.ident.to_string(), prefix, &n.ident.to_string()),
            syn::UseTree::Rename(r) => {
                self.import(r.rename.to_string(), prefix, &r.ident.to_string())
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, prefix);
                }
            }
            syn::UseTree::Glob(_) => self.info.paths.push(prefix.clone()),
        }
    }

    fn import(&mut self, name: String, prefix: &[String], last: &str) {
        let mut path = prefix.to_vec();
        if last != "self" {
            path.push(last.to_owned());
        }
        // Paths of other crates are kept too: resolving them finds no file.
        self.info.paths.push(path.clone());
        self.info.imports.insert(name, path);
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            _ => None,
        };
        if let (Some(ident), 0) = (ident, self.in_tests) {
            self.info.defines.insert(ident.to_string());
        }
        match item {
            syn::Item::Use(u) if self.in_tests == 0 => self.use_tree(&u.tree, &mut Vec::new()),
            syn::Item::Mod(m) if m.attrs.iter().any(is_cfg_test) => {
                self.in_tests += 1;
                syn::visit::visit_item_mod(self, m);
                self.in_tests -= 1;
            }
            _ => syn::visit::visit_item(self, item),
        }
    }

    fn visit_vis_restricted(&mut self, _: &'ast syn::VisRestricted) {
        // `pub(crate)` and `pub(super)` say who may see an item, not what it uses.
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if self.in_tests == 0 && path.leading_colon.is_none() {
            self.info.paths.push(segments);
        }
        syn::visit::visit_path(self, path);
    }
}

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg")
        && attr
            .parse_args::<syn::Ident>()
            .is_ok_and(|arg| arg == "test")
}

/// The file that defines what `path` names, seen from `from`: a path from
/// `crate`, `self` or `super`, or relative to `from` (a child module, or a
/// name `from` imports). A path into another crate resolves to `from`
/// itself, which is no dependency.
fn resolve(
    modules: &BTreeMap<Vec<String>, ModuleInfo>,
    from: &[String],
    path: &[String],
    depth: usize,
) -> Option<Vec<String>> {
    if depth > 16 {
        return None;
    }
    let mut module: Vec<String> = Vec::new();
    let mut rest = path;
    match path.first()?.as_str() {
        "crate" => rest = &path[1..],
        "self" => {
            module = from.to_vec();
            rest = &path[1..];
        }
        _ => module = from.to_vec(),
    }
    while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
        module.pop()?;
        rest = tail;
    }
    // Walk down through modules that are files of their own.
    loop {
        let Some((head, tail)) = rest.split_first() else {
            return Some(module);
        };
        let mut child = module.clone();
        child.push(head.clone());
        if modules.contains_key(&child) {
            module = child;
            rest = tail;
            continue;
        }
        let info = modules.get(&module)?;
        if let Some(target) = info.imports.get(head) {
            let mut full = target.clone();
            full.extend(tail.iter().cloned());
            return resolve(modules, &module, &full, depth + 1);
        }
        return Some(module);
    }
}
