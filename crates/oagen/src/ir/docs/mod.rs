//! Spec text on its way into doc comments. Descriptions are Markdown written
//! for a docs site; rustdoc reads Markdown with its own rules, and whatever it
//! reads as a Rust code block is a doctest that `cargo test` compiles and
//! runs. Nothing a spec writes may run, so every text goes through three
//! steps: [`normalize`] (line endings, tabs, the characters rustc refuses in
//! a comment), the line pass of [`lines`], and the proof of [`check`] that
//! CommonMark, parsed as rustdoc parses it, finds no block that would run.
//! Text the line pass cannot make safe is shown whole as a `text` block.

mod check;
mod lines;

pub(crate) use lines::code_span;

/// Text safe to emit as rustdoc: fences marked `text`, indentation that never
/// opens a code block, stray brackets and `<` escaped, bare URLs made
/// autolinks, no bare CR or bidirectional control. Returns `None` for blank
/// input.
pub fn sanitize_docs(text: &str) -> Option<String> {
    let text = normalize(text);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let rewritten = lines::rewrite(text);
    if check::runs_nothing(&rewritten) {
        Some(rewritten)
    } else {
        Some(text_block(text))
    }
}

/// Text for one line of prose (a title, a version): every run of whitespace,
/// line breaks included, becomes one space, so that it can never open a block.
pub(crate) fn sanitize_inline(text: &str) -> Option<String> {
    let text = normalize(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| lines::sanitize_line(&words.join(" ")))
}

/// Line endings as `\n` (a bare CR is a line break in Markdown, and rustc
/// refuses it in a doc comment), tabs as four spaces (clippy's
/// `tabs_in_doc_comments`), and no control character but `\n`: none shows in
/// docs, and the bidirectional ones (U+202A–U+202E, U+2066–U+2069, rustc's
/// `text_direction_codepoint_in_comment`) could make the source read
/// otherwise than it compiles.
pub(crate) fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\n' => out.push('\n'),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The last guard before a doc attribute, for text already sanitized that
/// may quote a spec name: as [`normalize`], but a CR becomes a space (a line
/// break there could start a block in the middle of a sentence).
pub(crate) fn scrub(text: &str) -> String {
    normalize(&text.replace("\r\n", "\n").replace('\r', " "))
}

/// The characters that change the direction of text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// `text` shown as it is, in one `text` block whose fence outlasts every run
/// of backticks inside: what a text the line pass cannot make safe becomes.
fn text_block(text: &str) -> String {
    let fence = "`".repeat(lines::longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{text}\n{fence}")
}

#[cfg(test)]
mod tests;
