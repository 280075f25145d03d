//! The proof that sanitized doc text runs nothing: it is parsed with
//! pulldown-cmark, the CommonMark parser rustdoc uses, with rustdoc's
//! extensions, and every code block it opens must be a fence marked `text`
//! (rustdoc never compiles one). Indented blocks, unmarked fences and fences
//! marked `rust` or anything else fail, wherever they are: in a quote, a
//! list, a footnote or a table cell.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Whether rustdoc would find no code block in `markdown` that it compiles.
pub(super) fn runs_nothing(markdown: &str) -> bool {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(markdown, options).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() == "text",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        _ => true,
    })
}
