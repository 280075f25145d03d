//! Naming: turning spec names into Rust identifiers that are valid, unique and
//! read naturally, and module names that are also file names anywhere.
//!
//! The invariant: every identifier the IR holds is an ASCII Rust identifier
//! (a keyword only where a raw identifier can spell it), and every module
//! name is also at most 64 bytes and a possible file name. The namers here
//! ([`snake_ident`], [`type_ident`], [`module_ident`], [`Scope::claim`] on
//! their results) make it so; [`check`], run before emitting, refuses an API
//! where it does not hold, so no name reaches `quote` unchecked.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::{Api, BodyMedia, TypeDef, TypeKind};
use crate::config::Config;
use crate::diagnostics::{Diagnostics, Pointer};

/// Rust keywords of every edition. Those that raw identifiers can spell are
/// emitted as `r#name`; the rest get a trailing underscore.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` must be written `r#name`.
pub fn needs_raw(name: &str) -> bool {
    is_keyword(name) && !NOT_RAW.contains(&name)
}

/// A snake_case identifier for a field, parameter or method. Characters that
/// cannot be in an identifier become word breaks, other letters and digits
/// outside ASCII are spelled in ASCII (see `clean`); a name that does not
/// start with a letter gets a `_` prefix; keywords that raw identifiers
/// cannot spell get a `_` suffix. The result always satisfies [`is_ident`].
pub fn snake_ident(name: &str) -> String {
    let mut snake = clean(name).to_snake_case();
    if snake.is_empty() {
        snake = "field".to_owned();
    }
    if !snake.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        snake.insert(0, '_');
    }
    if NOT_RAW.contains(&snake.as_str()) {
        snake.push('_');
    }
    snake
}

/// An UpperCamelCase identifier for a type, spelled as [`snake_ident`] spells
/// its words; a name that does not start with a letter gets a `T` prefix,
/// a keyword a `_` suffix. The result always satisfies [`is_ident`].
pub fn type_ident(name: &str) -> String {
    let mut camel = clean(name).to_upper_camel_case();
    if camel.is_empty() {
        camel = "Type".to_owned();
    }
    if !camel.starts_with(|c: char| c.is_ascii_alphabetic()) {
        camel.insert(0, 'T');
    }
    if is_keyword(&camel) {
        camel.push('_');
    }
    camel
}

/// The longest module name; longer ones are cut and get a hash suffix.
const MAX_MODULE: usize = 64;

/// Module names that cannot name a file of their own: `mod` (the folder's
/// `mod.rs`) and the device names Windows reserves in every folder.
const NOT_MODULES: &[&str] = &[
    "mod", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A module name, which is also the name of its file: a [`snake_ident`],
/// so ASCII, at most 64 bytes (a longer one keeps its first 47 and gets `_`
/// and 16 hex digits of a hash of the whole name, so that two long names stay
/// apart), neither a keyword (no raw module names: the file would be named
/// without the `r#`) nor a name a file cannot have.
pub fn module_ident(name: &str) -> String {
    let mut module = snake_ident(name);
    if module.len() > MAX_MODULE {
        // ASCII: any byte index is a char boundary.
        let hash = fnv1a(name.as_bytes());
        module = format!(
            "{}_{hash:016x}",
            module[..MAX_MODULE - 17].trim_end_matches('_')
        );
    }
    if is_keyword(&module) || NOT_MODULES.contains(&module.as_str()) {
        module.push('_');
    }
    module
}

/// FNV-1a, 64 bits: stable on every machine and in every version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// Whether `name` can be emitted as an identifier: ASCII letters, digits
/// and `_`, not starting with a digit, not `_` alone, and not a keyword
/// that raw identifiers cannot spell (the others are emitted as `r#name`).
/// Every identifier the IR holds satisfies it, and `emit::ident` checks it.
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !NOT_RAW.contains(&name)
}

/// The words of `name` in ASCII: ASCII letters and digits stay; any other
/// letter or number (`é`, `日`, `½`, `²`, `①`, `٣`) becomes a word of its own,
/// `u` and its code point in hex (`ue9`), so that names in other scripts stay
/// apart and are the same on every machine; everything else separates words.
/// ASCII identifiers, unlike others, never meet rustc's lints on confusable
/// or uncommon characters, and can name files on any file system.
fn clean(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", u32::from(c)));
        } else {
            out.push(' ');
        }
    }
    out
}

/// Why `name` cannot be the generated crate's package (and, with `-` as
/// `_`, library) name; `None` when it can: ASCII letters, digits, `-` and
/// `_`, starting with a letter, at most 64 bytes (crates.io's limit), not a
/// keyword and not the name of a crate of the standard library.
pub fn crate_name_problem(name: &str) -> Option<String> {
    let problem = if name.is_empty() {
        "it is empty"
    } else if name.len() > 64 {
        "it is longer than 64 bytes"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        "it may only have ASCII letters, digits, `-` and `_`"
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "it must start with a letter"
    } else if is_keyword(&name.replace('-', "_")) {
        "it is a Rust keyword"
    } else if ["std", "core", "alloc", "proc_macro", "test"]
        .contains(&name.replace('-', "_").as_str())
    {
        "it is the name of a crate of the standard library"
    } else {
        return None;
    };
    Some(format!("{name:?} cannot be a crate name: {problem}"))
}

/// Every identifier and module name of `api` and of `config` checked with
/// [`is_ident`] (module names also with [`module_ident`]'s rules), before
/// any reaches `quote`, which would panic on it. The namers above make every
/// name right; an error here is a bug of ours, reported with the pointer of
/// the spec node the name came from.
pub fn check(api: &Api, config: &Config) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let root = Pointer::root();
    if let Some(problem) = crate_name_problem(&config.crate_name) {
        diags.error(&root, problem);
    }
    let mut name = |name: &str, ptr: &Pointer, what: &str| {
        let name = name.strip_prefix("r#").unwrap_or(name);
        if !is_ident(name) {
            diags.error(
                ptr,
                format!("internal error: the {what} {name:?} is not a Rust identifier; please report this"),
            );
        }
    };
    name(&config.client_name, &root, "client name");
    if let Some(hook) = &api.webhook {
        name(&hook.verifier, &root, "webhook verifier");
    }
    for mode in &api.auth_modes {
        name(&mode.method, &root, "builder method");
    }
    for def in &api.types {
        check_type(def, &mut name);
    }
    for op in &api.operations {
        let ptr = &op.origin;
        name(&op.method_name, ptr, "method");
        for segment in &op.group {
            name(module_or_nothing(segment), ptr, "module");
        }
        for p in &op.parameters {
            name(&p.ident, ptr, "parameter");
        }
        if let BodyMedia::Multipart(files) = &op.body_media {
            for file in files {
                name(&file.ident, ptr, "file part");
            }
        }
        for r in op.response.by_status.iter().chain(&op.response.errors) {
            name(&r.ident, ptr, "response variant");
        }
    }
    diags
}

/// `segment` if it can name a module and its file, else the empty string,
/// which no check lets through.
fn module_or_nothing(segment: &str) -> &str {
    let file =
        segment.len() <= MAX_MODULE && !is_keyword(segment) && !NOT_MODULES.contains(&segment);
    if file {
        segment
    } else {
        ""
    }
}

fn check_type(def: &TypeDef, name: &mut impl FnMut(&str, &Pointer, &str)) {
    let ptr = &def.origin;
    name(&def.name, ptr, "type");
    if let Some(group) = &def.group {
        name(module_or_nothing(group), ptr, "module");
    }
    match &def.kind {
        TypeKind::Struct { fields, extra, .. } => {
            for f in fields {
                name(&f.ident, ptr, "field");
            }
            if let Some((extra, _)) = extra {
                name(extra, ptr, "field");
            }
        }
        TypeKind::Enum { variants, fallback } => {
            variants.iter().for_each(|v| name(&v.ident, ptr, "variant"));
            name(fallback, ptr, "variant");
        }
        TypeKind::IntegerEnum { variants, fallback } => {
            variants.iter().for_each(|v| name(&v.ident, ptr, "variant"));
            name(fallback, ptr, "variant");
        }
        TypeKind::Tagged {
            variants,
            fallback,
            shared,
            ..
        } => {
            variants.iter().for_each(|v| name(&v.ident, ptr, "variant"));
            shared.iter().for_each(|f| name(&f.ident, ptr, "accessor"));
            name(fallback, ptr, "variant");
        }
        TypeKind::Untagged { variants } => {
            variants.iter().for_each(|v| name(&v.ident, ptr, "variant"));
        }
        TypeKind::Alias { .. } => {}
    }
}

/// Hands out names that are unique within one scope: a taken name gets the
/// smallest numeric suffix that is free (`Name2`, `name_2`).
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is not taken yet.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// `name`, or `name` with a suffix when taken. `separator` goes between the
    /// name and the number (`_` for snake_case, empty for UpperCamelCase).
    pub fn claim(&mut self, name: &str, separator: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        // A keyword's `_` goes before the number: `Self2`, `self_2`, not
        // `Self_2` and `self__2`, which rustc's case lints refuse.
        let base = match name.trim_end_matches('_') {
            "" => name,
            trimmed => trimmed,
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always has a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_idents() {
        assert_eq!(snake_ident("user_identifier_key"), "user_identifier_key");
        assert_eq!(snake_ident("connectedAccountIds"), "connected_account_ids");
        assert_eq!(snake_ident("seam-workspace"), "seam_workspace");
        assert_eq!(snake_ident("$ref"), "ref");
        assert_eq!(snake_ident("2fa"), "_2fa");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident(""), "field");
        assert!(needs_raw(&snake_ident("type")));
        assert!(!needs_raw(&snake_ident("self")));
    }

    #[test]
    fn type_idents() {
        assert_eq!(type_ident("client_session"), "ClientSession");
        assert_eq!(type_ident("acs.credential"), "AcsCredential");
        assert_eq!(type_ident("3d_model"), "T3dModel");
        assert_eq!(type_ident("Self"), "Self_");
    }

    #[test]
    fn names_outside_ascii_are_spelled_in_ascii() {
        assert_eq!(snake_ident("½"), "ubd");
        assert_eq!(snake_ident("a½"), "a_ubd");
        assert_eq!(snake_ident("x²"), "x_ub2");
        assert_eq!(snake_ident("①"), "u2460");
        assert_eq!(snake_ident("٣abc"), "u663_abc");
        assert_eq!(snake_ident("café"), "caf_ue9");
        assert_eq!(snake_ident("日本語"), "u65e5_u672c_u8a9e");
        assert_eq!(type_ident("٣abc"), "U663Abc");
        assert_eq!(type_ident("日本語"), "U65e5U672cU8a9e");
        // Marks, controls and symbols are word breaks, like punctuation.
        assert_eq!(snake_ident("\u{202E}abc"), "abc");
        assert_eq!(snake_ident("a\rb"), "a_b");
        assert_eq!(type_ident("\u{7}"), "Type");
        assert_eq!(snake_ident("😀"), "field");
    }

    #[test]
    fn every_name_is_an_identifier() {
        let names = [
            "", "_", "__", "0", "123", "1.5", "٣abc", "①", "a½", "½", "x²", "type", "self", "Self",
            "crate", "super", "r#type", "a\rb", "\u{202E}", "```", "~~~", "\t", "é", "ß", "İ", "ǅ",
            "ⅷ", "\u{0}", "{id}", "-", "Option", "mod", "_1", "1_", "µ", "ﬁ",
        ];
        let long = "ab".repeat(150);
        for name in names.iter().copied().chain([long.as_str()]) {
            for ident in [snake_ident(name), type_ident(name), module_ident(name)] {
                let raw = needs_raw(&ident);
                assert!(is_ident(&ident), "{name:?} gave {ident:?}");
                // What the emitter builds from it: never a panic.
                let _ = if raw {
                    proc_macro2::Ident::new_raw(&ident, proc_macro2::Span::call_site())
                } else {
                    proc_macro2::Ident::new(&ident, proc_macro2::Span::call_site())
                };
                assert!(
                    syn::parse_str::<syn::Ident>(&ident).is_ok() || raw,
                    "{ident:?}"
                );
            }
        }
    }

    #[test]
    fn idents_are_checked() {
        for good in ["a", "_a", "__", "A1", "r_type", "type", "self_"] {
            assert!(is_ident(good), "{good}");
        }
        for bad in [
            "", "_", "1a", "a-b", "é", "self", "Self", "crate", "super", "a b",
        ] {
            assert!(!is_ident(bad), "{bad}");
        }
    }

    #[test]
    fn module_names_are_files_anywhere() {
        assert_eq!(module_ident("Pets"), "pets");
        assert_eq!(module_ident("mod"), "mod_");
        assert_eq!(module_ident("type"), "type_");
        assert_eq!(module_ident("CON"), "con_");
        assert_eq!(module_ident("日本語"), "u65e5_u672c_u8a9e");
        let a = module_ident(&"tag ".repeat(2500));
        let b = module_ident(&format!("{}x", "tag ".repeat(2500)));
        assert!(a.len() <= 64 && b.len() <= 64, "{a} {b}");
        assert_ne!(a, b);
        assert!(a.starts_with("tag_tag_"), "{a}");
        assert_eq!(a, module_ident(&"tag ".repeat(2500)));
        // Exactly at the bound: kept whole.
        let exact = "a".repeat(64);
        assert_eq!(module_ident(&exact), exact);
        assert_eq!(module_ident(&"a".repeat(65)).len(), 64);
    }

    #[test]
    fn crate_names_are_checked() {
        for good in ["seam", "pet-store", "pet_store", "a1", "Api"] {
            assert_eq!(crate_name_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("123", "start with a letter"),
            ("_a", "start with a letter"),
            ("a b", "ASCII letters"),
            ("café", "ASCII letters"),
            ("type", "keyword"),
            ("self", "keyword"),
            ("std", "standard library"),
        ] {
            let problem = crate_name_problem(bad).unwrap_or_default();
            assert!(problem.contains(why), "{bad:?}: {problem}");
        }
        assert!(crate_name_problem(&"a".repeat(65)).is_some());
    }

    #[test]
    fn scopes_suffix_collisions() {
        let mut scope = Scope::with_reserved(&["Seam"]);
        assert_eq!(scope.claim("Seam", ""), "Seam2");
        assert_eq!(scope.claim("Thing", ""), "Thing");
        assert_eq!(scope.claim("Thing", ""), "Thing2");
        assert_eq!(scope.claim("Thing", ""), "Thing3");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("a_b", "_"), "a_b");
        assert_eq!(fields.claim("a_b", "_"), "a_b_2");
        assert_eq!(fields.claim("self_", "_"), "self_");
        assert_eq!(fields.claim("self_", "_"), "self_2");
        assert_eq!(scope.claim("Self_", ""), "Self_");
        assert_eq!(scope.claim("Self_", ""), "Self2");
    }
}
