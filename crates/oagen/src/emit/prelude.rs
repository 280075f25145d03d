//! Prelude names where nothing shadows them: the last pass over every file.
//!
//! The emitters spell everything from `std` by its full path
//! (`::std::option::Option<bool>`), so that no name a spec brings into a module
//! can change what the code means. That is safe but reads like no code a
//! person writes. This pass knows every name each generated module declares
//! or imports, and writes the prelude's own names (`Option<bool>`, `Some(x)`,
//! `String`, `Vec<T>`, `Into`) wherever none of them is shadowed, keeping the
//! full path only in a module where a spec-defined name (a type called
//! `Option`, a namespace called `result`) would shadow one.
//!
//! A module's names are what its file declares, at any depth (counted in
//! every namespace, which can only keep more full paths than needed), what it
//! imports by name, and, through `use self::x::*`, `use super::*` or
//! `use crate::x::*`, every name of the file it glob-imports. A glob import
//! this pass cannot follow (from another crate, or inside an inline module)
//! makes it leave that file as written.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenTree;
use syn::ext::IdentExt;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// The `std` paths of prelude items: (module path below `std`, item).
const PRELUDE: &[(&str, &str)] = &[
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("borrow", "ToOwned"),
    ("clone", "Clone"),
    ("default", "Default"),
    ("convert", "AsRef"),
    ("convert", "AsMut"),
    ("convert", "From"),
    ("convert", "Into"),
    ("convert", "TryFrom"),
    ("convert", "TryInto"),
    ("iter", "Iterator"),
    ("iter", "IntoIterator"),
    ("iter", "Extend"),
    ("iter", "FromIterator"),
    ("marker", "Send"),
    ("marker", "Sync"),
    ("marker", "Sized"),
    ("marker", "Copy"),
    ("marker", "Unpin"),
    ("cmp", "PartialEq"),
    ("cmp", "Eq"),
    ("cmp", "PartialOrd"),
    ("cmp", "Ord"),
    ("ops", "Drop"),
    ("ops", "Fn"),
    ("ops", "FnMut"),
    ("ops", "FnOnce"),
];

/// Variants the prelude names alone: `Option::Some` is `Some`.
const PRELUDE_VARIANTS: &[(&str, &[&str])] =
    &[("Option", &["Some", "None"]), ("Result", &["Ok", "Err"])];

/// What one file contributes to name resolution.
#[derive(Debug, Default, Clone)]
pub(super) struct FileNames {
    /// Every name the file declares or imports by name.
    pub declared: BTreeSet<String>,
    /// The modules it glob-imports, as paths from the crate root.
    pub globs: Vec<Vec<String>>,
    /// A glob import that cannot be followed: the file is left as written.
    pub opaque: bool,
}

/// The module path of a file of the crate: `src/lib.rs` is the root,
/// `src/api/mod.rs` and `src/api.rs` are `api`, `src/api/locks.rs` is
/// `api::locks`. `None` for files that are not modules of the crate.
pub(super) fn module_of(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut segments: Vec<String> = rest.split('/').map(str::to_owned).collect();
    if segments.last().is_some_and(|s| s == "mod") || rest == "lib" || rest == "main" {
        segments.pop();
    }
    Some(segments)
}

/// The names of a parsed file.
pub(super) fn file_names(file: &syn::File, module: &[String]) -> FileNames {
    let mut collector = Collector {
        module,
        depth: 0,
        names: FileNames::default(),
    };
    collector.visit_file(file);
    collector.names
}

/// Every name in scope in each module: its own, and those of the modules it
/// glob-imports (transitively). `None` for a module whose names are not all
/// known.
pub(super) fn scopes(
    files: &BTreeMap<Vec<String>, FileNames>,
) -> BTreeMap<Vec<String>, Option<BTreeSet<String>>> {
    files
        .keys()
        .map(|module| {
            let mut names = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let complete = gather(files, module, &mut names, &mut seen);
            (module.clone(), complete.then_some(names))
        })
        .collect()
}

/// Adds the names in scope in `module` to `names`; false when one of the
/// modules involved cannot be followed.
fn gather(
    files: &BTreeMap<Vec<String>, FileNames>,
    module: &[String],
    names: &mut BTreeSet<String>,
    seen: &mut BTreeSet<Vec<String>>,
) -> bool {
    if !seen.insert(module.to_vec()) {
        return true;
    }
    let Some(file) = files.get(module) else {
        return false;
    };
    if file.opaque {
        return false;
    }
    names.extend(file.declared.iter().cloned());
    file.globs
        .iter()
        .all(|target| gather(files, target, names, seen))
}

/// Rewrites the full `std` paths of prelude items to their prelude names,
/// unless `taken` has the name.
pub(super) fn shorten(file: &mut syn::File, taken: &BTreeSet<String>) {
    Shortener { taken }.visit_file_mut(file);
}

struct Collector<'m> {
    module: &'m [String],
    /// How many inline modules deep the visitor is.
    depth: usize,
    names: FileNames,
}

impl Collector<'_> {
    fn declare(&mut self, ident: &syn::Ident) {
        self.names.declared.insert(ident.unraw().to_string());
    }

    /// Records the names a `use` tree brings in; `prefix` is the path so far.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.unraw().to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.declare(&n.ident),
            syn::UseTree::Rename(r) => self.declare(&r.rename),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, prefix);
                }
            }
            syn::UseTree::Glob(_) => match self.glob_target(prefix) {
                Some(target) if self.depth == 0 => self.names.globs.push(target),
                _ => self.names.opaque = true,
            },
        }
    }

    /// The module a glob import at the top of the file names, from the root.
    fn glob_target(&self, path: &[String]) -> Option<Vec<String>> {
        let (first, rest) = path.split_first()?;
        let mut target = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.module.to_vec(),
            "super" => {
                let (_, parent) = self.module.split_last()?;
                parent.to_vec()
            }
            _ => return None,
        };
        for segment in rest {
            if segment == "super" {
                target.pop()?;
            } else {
                target.push(segment.clone());
            }
        }
        Some(target)
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::TraitAlias(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::ExternCrate(i) => Some(i.rename.as_ref().map_or(&i.ident, |(_, r)| r)),
            syn::Item::Use(i) => {
                self.use_tree(&i.tree, &mut Vec::new());
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            self.declare(ident);
        }
        if let syn::Item::Mod(m) = item {
            // An inline module has a scope of its own; its names are counted
            // as the file's, which can only keep more full paths.
            self.depth += 1;
            syn::visit::visit_item_mod(self, m);
            self.depth -= 1;
        } else {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_generics(&mut self, generics: &'ast syn::Generics) {
        // Generic parameters shadow too, inside their item.
        for param in &generics.params {
            match param {
                syn::GenericParam::Type(t) => self.declare(&t.ident),
                syn::GenericParam::Const(c) => self.declare(&c.ident),
                syn::GenericParam::Lifetime(_) => {}
            }
        }
        syn::visit::visit_generics(self, generics);
    }
}

struct Shortener<'t> {
    taken: &'t BTreeSet<String>,
}

impl Shortener<'_> {
    fn free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// The path without its `::std::<module>::` prefix when it names a
    /// prelude item that nothing shadows, and without the item too when it
    /// names a prelude variant (`Some`, `Ok`).
    fn shortened(&self, path: &syn::Path) -> Option<syn::Path> {
        path.leading_colon?;
        let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
        let [std, module, item, rest @ ..] = segments.as_slice() else {
            return None;
        };
        if std.ident != "std" || !std.arguments.is_none() || !module.arguments.is_none() {
            return None;
        }
        let item_name = item.ident.to_string();
        if !PRELUDE.contains(&(module.ident.to_string().as_str(), item_name.as_str())) {
            return None;
        }
        if let [variant] = rest {
            let is_variant = PRELUDE_VARIANTS.iter().any(|(ty, variants)| {
                *ty == item_name && variants.contains(&&*variant.ident.to_string())
            });
            if is_variant && item.arguments.is_none() && self.free(&variant.ident.to_string()) {
                return Some(single(variant));
            }
        }
        if !self.free(&item_name) {
            return None;
        }
        let mut short = single(item);
        short.segments.extend(rest.iter().map(|s| (*s).clone()));
        Some(short)
    }

    /// A path written in a string of a `serde` attribute
    /// (`skip_serializing_if = "::std::option::Option::is_none"`). Only the
    /// keys that take a path: a `rename` is a wire name, whatever it says.
    fn shorten_serde(&self, attr: &mut syn::Attribute) {
        const PATH_KEYS: &[&str] = &[
            "skip_serializing_if",
            "default",
            "with",
            "serialize_with",
            "deserialize_with",
        ];
        let syn::Meta::List(list) = &mut attr.meta else {
            return;
        };
        let mut tokens: Vec<TokenTree> = std::mem::take(&mut list.tokens).into_iter().collect();
        for i in 2..tokens.len() {
            let takes_path = matches!(&tokens[i - 2], TokenTree::Ident(key) if PATH_KEYS.iter().any(|k| key == k))
                && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '=');
            let TokenTree::Literal(lit) = &tokens[i] else {
                continue;
            };
            if !takes_path {
                continue;
            }
            let Ok(syn::Lit::Str(text)) = syn::parse_str::<syn::Lit>(&lit.to_string()) else {
                continue;
            };
            let Some(short) = syn::parse_str::<syn::Path>(&text.value())
                .ok()
                .and_then(|path| self.shortened(&path))
            else {
                continue;
            };
            let text = quote::ToTokens::to_token_stream(&short)
                .to_string()
                .replace(' ', "");
            tokens[i] = TokenTree::Literal(proc_macro2::Literal::string(&text));
        }
        list.tokens = tokens.into_iter().collect();
    }
}

/// A path of one segment, with its arguments.
fn single(segment: &syn::PathSegment) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: std::iter::once(segment.clone()).collect(),
    }
}

impl VisitMut for Shortener<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(short) = self.shortened(path) {
            *path = short;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("serde") {
            self.shorten_serde(attr);
        }
        syn::visit_mut::visit_attribute_mut(self, attr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, taken: &[&str]) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        shorten(&mut file, &taken.iter().map(|s| s.to_string()).collect());
        prettyplease::unparse(&file)
    }

    #[test]
    fn prelude_paths_shorten_unless_taken() {
        let code = r#"
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            #[serde(rename = "::std::option::Option")]
            struct A { a: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
            fn f() -> ::std::result::Result<(), ()> {
                let _ = ::std::option::Option::Some(1);
                let _: ::std::option::Option<u8> = ::std::option::Option::<u8>::None;
                ::std::result::Result::Ok(())
            }
        "#;
        let short = run(code, &[]);
        assert!(short.contains("a: Option<Vec<String>>"), "{short}");
        assert!(
            short.contains(r#"skip_serializing_if = "Option::is_none""#),
            "{short}"
        );
        assert!(
            short.contains(r#"rename = "::std::option::Option""#),
            "a wire name: {short}"
        );
        assert!(short.contains("-> Result<(), ()>"), "{short}");
        assert!(short.contains("let _ = Some(1);"), "{short}");
        assert!(short.contains("Option::<u8>::None"), "{short}");
        assert!(short.contains("    Ok(())"), "{short}");
        assert_eq!(
            short.matches("::std").count(),
            1,
            "only the wire name: {short}"
        );

        let kept = run(code, &["Option", "String"]);
        assert!(
            kept.contains("a: ::std::option::Option<Vec<::std::string::String>>"),
            "{kept}"
        );
        assert!(
            kept.contains(r#""::std::option::Option::is_none""#),
            "{kept}"
        );
        // The variant alone is still the prelude's: `Some` is not taken.
        assert!(kept.contains("let _ = Some(1);"), "{kept}");
        let kept = run(code, &["Ok", "Some"]);
        assert!(kept.contains("    Result::Ok(())"), "{kept}");
        assert!(kept.contains("let _ = Option::Some(1);"), "{kept}");
        let kept = run(code, &["Ok", "Result"]);
        assert!(kept.contains("::std::result::Result::Ok(())"), "{kept}");
    }

    #[test]
    fn other_paths_stay() {
        let code = "fn f(_: ::std::fmt::Result, _: ::std::collections::BTreeMap<u8, u8>, _: ::core::option::Option<u8>, _: std::option::Option<u8>) {}";
        let out = run(code, &[]);
        assert!(out.contains("::std::fmt::Result"), "{out}");
        assert!(out.contains("::std::collections::BTreeMap"), "{out}");
        assert!(out.contains("::core::option::Option"), "{out}");
        assert!(out.contains("_: std::option::Option<u8>"), "{out}");
    }

    #[test]
    fn names_in_scope_follow_glob_imports() {
        let parse = |code: &str, module: &[&str]| {
            let file: syn::File = syn::parse_str(code).unwrap();
            let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
            (module.clone(), file_names(&file, &module))
        };
        let files: BTreeMap<_, _> = [
            parse(
                "mod a; mod b; pub use self::a::*; pub use self::b::*;",
                &["types"],
            ),
            parse("pub struct Option; pub enum Kind {}", &["types", "a"]),
            parse("use super::*; fn f<T>() { struct Inner; }", &["types", "b"]),
            parse("pub use ::other::*; pub struct X;", &["api"]),
            parse(
                "use crate::types::Vec as Vector; mod m { use super::*; }",
                &[],
            ),
        ]
        .into_iter()
        .collect();
        let scopes = scopes(&files);
        let names = |m: &[&str]| {
            let key: Vec<String> = m.iter().map(|s| s.to_string()).collect();
            scopes[&key]
                .clone()
                .map(|s| s.into_iter().collect::<Vec<_>>())
        };
        let all = ["Inner", "Kind", "Option", "T", "a", "b", "f"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(names(&["types"]), Some(all.clone()));
        assert_eq!(names(&["types", "b"]), Some(all));
        assert_eq!(
            names(&["types", "a"]),
            Some(vec!["Kind".into(), "Option".into()])
        );
        assert_eq!(names(&["api"]), None);
        assert_eq!(
            names(&[]),
            None,
            "a glob inside an inline module is not followed"
        );
        assert_eq!(module_of("src/lib.rs"), Some(vec![]));
        assert_eq!(module_of("src/api/mod.rs"), Some(vec!["api".to_owned()]));
        assert_eq!(
            module_of("src/types/locks.rs"),
            Some(vec!["types".into(), "locks".into()])
        );
        assert_eq!(module_of("Cargo.toml"), None);
    }
}
