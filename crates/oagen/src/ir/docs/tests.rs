//! Tests of the doc text pass: the rewrites, and that no spec text opens a
//! block rustdoc would run.

use super::check::runs_nothing;
use super::{code_span, normalize, sanitize_docs, sanitize_inline};

fn s(text: &str) -> String {
    sanitize_docs(text).unwrap()
}

#[test]
fn links_and_code_are_kept() {
    let text = "Creates a [client session](https://docs.seam.co/x). Use `[a]` and `<b>`.";
    assert_eq!(s(text), text);
}

#[test]
fn stray_brackets_and_tags_are_escaped() {
    assert_eq!(
        s("Array of [ids] and <id>."),
        "Array of \\[ids\\] and \\<id>."
    );
}

#[test]
fn bare_urls_become_autolinks() {
    assert_eq!(
        s("See https://example.com/a_b. Or <https://x.y>"),
        "See <https://example.com/a_b>. Or <https://x.y>"
    );
}

#[test]
fn fences_become_text_and_are_closed() {
    assert_eq!(
        s("Example:\n```json\n{\"a\": [1]}"),
        "Example:\n```text\n{\"a\": [1]}\n```"
    );
}

#[test]
fn indentation_never_makes_a_code_block() {
    assert_eq!(
        s("Intro.\n\n        Indented text.\n\n        More."),
        "Intro.\n\nIndented text.\n\nMore."
    );
    assert_eq!(s("- a\n  - b\n        - c"), "- a\n- b\n   - c");
}

#[test]
fn list_continuations_are_indented_to_the_item() {
    // Lazy continuation, over-indented continuation, a nested item.
    assert_eq!(
        s("Either:\n\n- a URL, or\n- a file. Note\nthat files\n        from elsewhere\n  - nested\n    more\n\nAfter."),
        "Either:\n\n- a URL, or\n- a file. Note\n  that files\n  from elsewhere\n  - nested\n    more\n\nAfter."
    );
    // After a blank line: a paragraph of the item when indented as far as
    // its content (even further), the end of the list otherwise.
    assert_eq!(
        s("- item\n\n      more of it\n\n   - deeper\n\n next"),
        "- item\n\n  more of it\n\n  - deeper\n\nnext"
    );
    assert_eq!(
        s("1. one\ntwo\n10) ten\neleven"),
        "1. one\n   two\n10) ten\n    eleven"
    );
    // Not list items: emphasis, a dash without a space.
    assert_eq!(s("*a*\nb\n-b\nc"), "*a*\nb\n-b\nc");
}

#[test]
fn tabs_become_spaces() {
    assert_eq!(
        s("a\tb\n```\n\tcode\n```"),
        "a    b\n```text\n    code\n```"
    );
}

#[test]
fn code_spans_outlast_the_backticks_inside() {
    assert_eq!(code_span("20"), "`20`");
    assert_eq!(code_span("\"a`b\""), "`` \"a`b\" ``");
    assert_eq!(code_span("``"), "``` `` ```");
}

#[test]
fn blank_is_none() {
    assert_eq!(sanitize_docs("  \n "), None);
}

/// Texts shaped to become doctests, each as a spec could write it.
const DOCTEST_SHAPED: &[&str] = &[
    "```\nstd::process::exit(1);\n```",
    "```rust\nfn main() {}\n```",
    "~~~\nstd::process::exit(1);\n~~~",
    "~~~rust,no_run\nfn main() {}\n~~~",
    "````\n```\nnested\n```\n````",
    "> Quoted:\n>\n> ```\n> std::process::exit(1);\n> ```",
    "> ~~~\n> panic!()\n> ~~~",
    ">     indented in a quote",
    "Intro.\n\n\tstd::process::exit(1);",
    "- item\n\n        std::process::exit(1);",
    "1. one\n2. two\n\n          panic!();",
    "-     code after a list marker",
    "- ```\n  panic!()\n  ```",
    "Intro\n\n<pre>\nfn main() {}\n</pre>",
    "| a |\n|---|\n| ``` |",
    "Text[^1]\n\n[^1]:     indented footnote\n\n    more",
    "```text\nfine\n```\n\n    but this is not",
    "a\r\rstd::process::exit(1);\r",
    "a\r\n\r\n    std::process::exit(1);",
    "  \t  std::process::exit(1);",
];

#[test]
fn doctest_shaped_texts_open_no_runnable_block() {
    for text in DOCTEST_SHAPED {
        let out = s(text);
        assert!(runs_nothing(&out), "{text:?} became {out:?}");
    }
    // The check itself sees what rustdoc would run.
    for text in DOCTEST_SHAPED.iter().take(8) {
        assert!(
            !runs_nothing(text),
            "{text:?} should be runnable as written"
        );
    }
}

#[test]
fn every_fence_becomes_text() {
    assert_eq!(s("~~~js\nx\n~~~"), "~~~text\nx\n~~~");
    assert_eq!(s("````\n```\nx\n```\n````"), "````text\n```\nx\n```\n````");
    // A tilde fence is not closed by backticks.
    assert_eq!(s("~~~\n```\nx"), "~~~text\n```\nx\n~~~");
}

#[test]
fn what_the_line_pass_cannot_fix_is_one_text_block() {
    let text = "> ```\n> panic!()\n> ```";
    assert_eq!(s(text), format!("````text\n{text}\n````"));
    let out = s("> ```\n> a ```` b\n> ```");
    assert!(out.starts_with("`````text\n"), "{out}");
    assert!(runs_nothing(&out));
}

#[test]
fn carriage_returns_and_direction_controls_are_gone() {
    assert_eq!(s("a\rb\r\nc"), "a\nb\nc");
    assert_eq!(s("pay \u{202E}lasrever\u{202C} here"), "pay lasrever here");
    assert_eq!(normalize("\u{2066}x\u{2069}\u{1b}[31m"), "x[31m");
    assert_eq!(normalize("é ① 中 \u{301}"), "é ① 中 \u{301}");
}

#[test]
fn inline_text_stays_on_one_line() {
    assert_eq!(
        sanitize_inline("My\n\n    API\r\n[v2]").as_deref(),
        Some("My API \\[v2\\]")
    );
    assert_eq!(sanitize_inline(" \n\t"), None);
}

#[test]
fn code_spans_stay_on_one_line() {
    assert_eq!(code_span("a\n\n    panic!()"), "`a      panic!()`");
    assert_eq!(code_span("x\r\u{202E}y"), "`x y`");
}

#[test]
fn scrub_keeps_a_quoted_cr_on_its_line() {
    assert_eq!(
        super::scrub("Sets `a\r```b`.\r\nNext"),
        "Sets `a ```b`.\nNext"
    );
}
