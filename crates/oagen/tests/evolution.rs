//! A minor change to a spec is a minor release of the generated crate:
//! code written against the crate of `evolution/v1.yaml` still compiles
//! against the crate of `evolution/v2.yaml`, which adds an optional field,
//! an enum value and an operation. What makes it so is `#[non_exhaustive]`
//! on every generated struct and enum: the code that v2 would break (a
//! struct literal, a `match` without a wildcard) is refused by v1 already.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What users of the crate do: build values with `new`, set optional
/// fields, match with a wildcard, read fields, call operations.
const USER_CODE: &str = r#"
use shop::types::{Kind, Pet};

pub fn describe(kind: &Kind) -> &'static str {
    match kind {
        Kind::Cat => "a cat",
        Kind::Dog => "a dog",
        _ => "another pet",
    }
}

pub fn rex() -> Pet {
    let mut pet = Pet::new("p1", "Rex", Kind::Dog);
    pet.nickname = Some("R".to_owned());
    pet
}

pub fn name(pet: &Pet) -> &str {
    let Pet { name, .. } = pet;
    name
}

pub async fn adopt(client: &shop::Shop) -> Result<Pet, shop::Error> {
    client.pets().create_pet().name("Rex").kind(Kind::Cat).send().await
}
"#;

/// What `#[non_exhaustive]` refuses, each with the error code rustc gives.
const REFUSED: [(&str, &str); 2] = [
    (
        "E0004",
        "pub fn f(k: &shop::types::Kind) -> u8 { match k { shop::types::Kind::Cat => 1, shop::types::Kind::Dog => 2, shop::types::Kind::Unknown(_) => 3 } }",
    ),
    (
        "E0639",
        "pub fn f() -> shop::types::Pet { shop::types::Pet { pet_id: String::new(), name: String::new(), kind: shop::types::Kind::Cat, nickname: None } }",
    ),
];

#[test]
fn a_minor_spec_change_does_not_break_code_using_the_old_crate() {
    let root = workspace();
    for version in ["v1", "v2"] {
        write_user(&root, version, USER_CODE);
        let out = check(&root);
        assert!(
            out.status.success(),
            "code written for v1 does not compile against {version}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (code, snippet) in REFUSED {
        write_user(&root, "v1", snippet);
        let out = check(&root);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(code),
            "v1 accepts code that v2 would break ({code} expected):\n{snippet}\n{stderr}"
        );
    }
}

/// A workspace under the target folder with the crates of v1 and v2 (both
/// named `shop`) and a `user` crate; its `target/` is the fixtures' (same
/// dependencies, built once).
fn workspace() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let runtime = repo.join("crates/oagen-runtime").canonicalize().unwrap();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oagen-evolution");
    let _ = std::fs::remove_dir_all(&root);
    for version in ["v1", "v2"] {
        let spec =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/evolution/{version}.yaml"));
        let mut config = oagen::Config::new("shop");
        config.runtime_dependency = format!(
            "oagen-runtime = {{ path = {:?} }}",
            runtime.display().to_string()
        );
        let generated = oagen::generate(&spec, &config).unwrap_or_else(|d| panic!("{d}"));
        for (rel, text) in &generated.files {
            let file = root.join(version).join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
    }
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"user\"]\nexclude = [\"v1\", \"v2\"]\n",
    )
    .unwrap();
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    root
}

/// Points `user` at the crate of `version`, with `code` as its library.
fn write_user(root: &Path, version: &str, code: &str) {
    let user = root.join("user");
    std::fs::create_dir_all(user.join("src")).unwrap();
    std::fs::write(
        user.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nshop = {{ path = \"../{version}\" }}\n"
        ),
    )
    .unwrap();
    std::fs::write(user.join("src/lib.rs"), code).unwrap();
}

fn check(root: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oagen-fixtures/target");
    Command::new(cargo)
        .args([
            "check",
            "--offline",
            "-p",
            "user",
            "--message-format",
            "short",
        ])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

/// The API-change report on the same two specs: v1 → v2 is minor, with
/// each addition named; v2 → v1 takes them away, which is major.
#[test]
fn the_report_on_a_minor_change_says_minor_and_the_reverse_major() {
    use oagen::surface::diff::{next_version, Level, Report};
    use oagen::surface::Surface;
    let surface = |version: &str| {
        let spec =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/evolution/{version}.yaml"));
        let loaded = oagen::load::load_file(&spec).unwrap();
        let (api, _) = oagen::ir::lower(&loaded.spec, &oagen::Config::new("shop")).unwrap();
        Surface::of(&api)
    };
    let (v1, v2) = (surface("v1"), surface("v2"));
    // The text form reads back as the same facts.
    assert_eq!(Surface::from_text(&v1.to_text()).as_ref(), Some(&v1));

    let forward = Report::between(&v1, &v2);
    let lines: Vec<String> = forward
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}",
                c.level.as_str(),
                c.verb(),
                c.kind.word(),
                c.item
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "minor added operation pets.list_pets",
            "minor added type PetsListPetsResponse",
            "minor added field Pet.age",
            "minor added field PetsCreatePetBody.color",
            "minor added value Kind::Bird",
        ],
        "{}",
        forward.to_markdown()
    );
    assert_eq!(forward.bump(), Level::Minor);
    assert_eq!(forward.to_json()["bump"], "minor");
    assert!(forward
        .to_markdown()
        .starts_with("API changes: minor (5 minor)"));

    let backward = Report::between(&v2, &v1);
    assert_eq!(backward.bump(), Level::Major);
    assert!(backward
        .changes
        .iter()
        .all(|c| c.level == Level::Major && c.verb() == "removed"));
    assert!(Report::between(&v1, &v1).changes.is_empty());

    assert_eq!(
        next_version("0.1.0", Level::Minor).as_deref(),
        Some("0.1.1")
    );
    assert_eq!(
        next_version("0.1.3", Level::Major).as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        next_version("1.2.3", Level::Minor).as_deref(),
        Some("1.3.0")
    );
    assert_eq!(
        next_version("1.2.3", Level::Major).as_deref(),
        Some("2.0.0")
    );
}
