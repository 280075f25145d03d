//! What changed between two [`Surface`]s, and what each change means for
//! the users of the generated crate, in semver terms:
//!
//! - **major**: code that compiled may not compile, or a call that worked is
//!   refused: something removed or renamed, a type changed, a new required
//!   parameter or a new field that `new` takes, an operation that needs a
//!   new feature or accepts fewer authentication modes;
//! - **minor**: something added that nobody had to write (generated types
//!   are `#[non_exhaustive]`): an operation, an optional parameter or field,
//!   an enum value, a union variant, a type, an authentication mode;
//! - **patch**: only the wire changed (an operation's method or path, an
//!   enum value's text): the Rust API is the same.
//!
//! A fact that belongs to an added or removed operation or type (its
//! parameters, its fields) is part of that change, not one of its own.

use std::fmt::Write;

use super::{Kind, Surface};

/// A semver level, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The Rust API is unchanged.
    Patch,
    /// Additions only.
    Minor,
    /// A breaking change.
    Major,
}

impl Level {
    /// `"major"`, `"minor"` or `"patch"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it means for users.
    pub level: Level,
    /// What kind of fact changed.
    pub kind: Kind,
    /// Which one: `pets.get_pet`, `Pet.age`, `Kind::Bird`.
    pub item: String,
    /// Its value before (`None`: added).
    pub old: Option<String>,
    /// Its value after (`None`: removed).
    pub new: Option<String>,
}

impl Change {
    /// `added`, `removed` or `changed`.
    pub fn verb(&self) -> &'static str {
        match (&self.old, &self.new) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        }
    }
}

/// The changes from `old` to `new`, most severe first, then in surface order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every change.
    pub changes: Vec<Change>,
}

impl Report {
    /// Compares two surfaces.
    pub fn between(old: &Surface, new: &Surface) -> Report {
        let mut changes = Vec::new();
        let keys: std::collections::BTreeSet<&(Kind, String)> =
            old.facts.keys().chain(new.facts.keys()).collect();
        for key in keys {
            let (kind, item) = key;
            let before = old.facts.get(key);
            let after = new.facts.get(key);
            if before == after {
                continue;
            }
            // Part of an operation or type added or removed as a whole.
            if let Some(owner) = kind.owner(item) {
                if old.facts.contains_key(&owner) != new.facts.contains_key(&owner) {
                    continue;
                }
            }
            changes.push(Change {
                level: level(*kind, before.map(String::as_str), after.map(String::as_str)),
                kind: *kind,
                item: item.clone(),
                old: before.cloned(),
                new: after.cloned(),
            });
        }
        changes.sort_by_key(|c| std::cmp::Reverse(c.level));
        Report { changes }
    }

    /// The bump the changes need: `Patch` when there are none (a
    /// regeneration that changes no API is at most a patch release).
    pub fn bump(&self) -> Level {
        self.changes
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Patch)
    }

    /// The report as Markdown: a heading with the bump, then the changes
    /// by level.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "API changes: {} ({})\n",
            self.bump().as_str(),
            self.summary()
        );
        for (level, title) in [
            (Level::Major, "Breaking (major)"),
            (Level::Minor, "Added (minor)"),
            (Level::Patch, "Wire only (patch)"),
        ] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title}\n\n");
            for c in changes {
                let _ = write!(out, "- {} {} `{}`", c.verb(), c.kind.word(), c.item);
                let _ = match (&c.old, &c.new) {
                    (None, Some(new)) | (Some(new), None) => writeln!(out, ": `{new}`"),
                    (Some(old), Some(new)) => writeln!(out, ": `{old}` → `{new}`"),
                    (None, None) => writeln!(out),
                };
            }
        }
        out
    }

    /// "2 major, 1 minor" or "no changes".
    pub fn summary(&self) -> String {
        let counts: Vec<String> = [Level::Major, Level::Minor, Level::Patch]
            .into_iter()
            .filter_map(|level| {
                let n = self.changes.iter().filter(|c| c.level == level).count();
                (n > 0).then(|| format!("{n} {}", level.as_str()))
            })
            .collect();
        if counts.is_empty() {
            "no API changes".to_owned()
        } else {
            counts.join(", ")
        }
    }

    /// The report as JSON: `{"bump": "minor", "changes": [...]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "level": c.level.as_str(),
                    "change": c.verb(),
                    "kind": c.kind.word(),
                    "item": c.item,
                    "old": c.old,
                    "new": c.new,
                })
            })
            .collect();
        serde_json::json!({ "bump": self.bump().as_str(), "changes": changes })
    }
}

/// What a change of `kind` from `old` to `new` (`None`: absent) means.
fn level(kind: Kind, old: Option<&str>, new: Option<&str>) -> Level {
    let (Some(old), Some(new)) = (old, new) else {
        return match (kind, new) {
            // Removed: whatever named it no longer compiles.
            (_, None) => Level::Major,
            // A parameter or body callers must now set.
            (Kind::Param | Kind::Body, Some(new)) if new.ends_with("required") => Level::Major,
            // A field `new` takes.
            (Kind::Field, Some(new))
                if !new.starts_with("Option<") && !new.starts_with("BTreeMap<") =>
            {
                Level::Major
            }
            // An operation that needs features it did not.
            (Kind::Features, Some(_)) => Level::Major,
            _ => Level::Minor,
        };
    };
    match kind {
        Kind::Operation => Level::Patch,
        Kind::Value => Level::Patch,
        Kind::Param | Kind::Body => {
            let (old_ty, old_need) = old.rsplit_once(", ").unwrap_or((old, ""));
            let (new_ty, new_need) = new.rsplit_once(", ").unwrap_or((new, ""));
            if old_ty == new_ty && old_need == "required" && new_need == "optional" {
                Level::Minor
            } else {
                Level::Major
            }
        }
        Kind::Auth | Kind::Features => {
            let old: Vec<&str> = old.split(' ').collect();
            let new: Vec<&str> = new.split(' ').collect();
            // Fewer modes accepted, or more features needed: major.
            let lost = |a: &[&str], b: &[&str]| a.iter().any(|m| !b.contains(m));
            let breaks = if kind == Kind::Auth {
                lost(&old, &new)
            } else {
                lost(&new, &old)
            };
            if breaks {
                Level::Major
            } else {
                Level::Minor
            }
        }
        _ => Level::Major,
    }
}

/// The version after `version` for a release of `level`, as cargo reads
/// semver: before 1.0 the minor number is the major one (`0.3.1` → `0.4.0`
/// for a breaking change, `0.3.2` otherwise).
pub fn next_version(version: &str, level: Level) -> Option<String> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    Some(match (major, level) {
        (0, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Level::Major) => format!("{}.0.0", major + 1),
        (_, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}
