//! The line pass over spec Markdown: it rewrites, line by line, exactly the
//! constructs rustdoc reads its own way (a fence is a doctest, four spaces of
//! indentation a code block, `[x]` an intra-doc link, a bare URL and an
//! unknown HTML tag are lints), and leaves everything else as the spec wrote
//! it. [`super::check`] then proves the result opens no runnable block.

/// A fence opened on a line: its character (`` ` `` or `~`) and length.
#[derive(Clone, Copy, PartialEq)]
struct Fence {
    char: char,
    len: usize,
}

/// The fence a line opens (`` ``` `` or `~~~`, three or more) or, when
/// `open` is given, whether it closes that one.
fn fence_run(trimmed: &str) -> Option<Fence> {
    let char = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = trimmed.chars().take_while(|&c| c == char).count();
    (len >= 3).then_some(Fence { char, len })
}

/// Normalized text (see [`super::normalize`]), not blank, rewritten line by
/// line: fences marked `text` (and closed), indentation kept under four
/// spaces, stray brackets and `<` escaped, bare URLs made autolinks.
pub(super) fn rewrite(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence: Option<Fence> = None;
    // The content column of the list item being continued, and whether the
    // line before was blank.
    let mut list: Option<usize> = None;
    let mut blank_before = false;
    let indent = common_indent(text);
    for line in text.lines() {
        let line = line.get(indent.min(leading_spaces(line))..).unwrap_or(line);
        let trimmed = line.trim_start();
        if let Some(fence) = fence_run(trimmed) {
            let indent = &line[..line.len() - trimmed.len()];
            match in_fence {
                None => {
                    // Every fence becomes `text`: a spec's examples are not
                    // Rust that compiles, and nothing of a spec may run.
                    let run: String = std::iter::repeat_n(fence.char, fence.len).collect();
                    out.push(format!("{indent}{run}text"));
                    in_fence = Some(fence);
                    list = None;
                    continue;
                }
                Some(open)
                    if open.char == fence.char
                        && fence.len >= open.len
                        && trimmed[fence.len..].trim().is_empty() =>
                {
                    out.push(line.trim_end().to_owned());
                    in_fence = None;
                    list = None;
                    continue;
                }
                Some(_) => {}
            }
        }
        if in_fence.is_some() {
            out.push(line.trim_end().to_owned());
        } else {
            // Four spaces of indentation start a Markdown code block, which
            // rustdoc would compile as a doctest: keep at most three. A line
            // that continues a list item is indented to the item's content
            // (Markdown reads it so either way; clippy's
            // doc_lazy_continuation and doc_overindented_list_items want it
            // written so).
            // After a blank line, only a line indented as far as the item's
            // content continues it.
            let body = sanitize_line(line.trim());
            let leading = leading_spaces(line);
            let spaces = match (list_marker(&body), list) {
                _ if body.is_empty() => 0,
                (Some(marker), _) => {
                    let spaces = leading.min(3);
                    list = Some(spaces + marker);
                    spaces
                }
                (None, Some(content)) if !blank_before || leading >= content => content,
                (None, _) => {
                    list = None;
                    leading.min(3)
                }
            };
            blank_before = body.is_empty();
            out.push(
                format!("{}{body}", " ".repeat(spaces))
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    if let Some(open) = in_fence {
        out.push(std::iter::repeat_n(open.char, open.len).collect());
    }
    out.join("\n")
}

/// The width of the list marker `line` starts with and the spaces after it
/// (`- `, `* `, `+ `, `1. `, `12) `), when it starts with one.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let spaces = line[marker..].bytes().take_while(|&b| b == b' ').count();
    // Five or more spaces after the marker: the content starts after one.
    match spaces {
        0 if line.len() > marker => None,
        0 => Some(marker),
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// The longest run of `c` in `text`.
pub(super) fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for d in text.chars() {
        run = if d == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `text` as a Markdown inline code span: on one line (a line break in a
/// value must not end the paragraph and open a block), delimited by one
/// backtick more than its longest run of backticks, padded with spaces when
/// it starts or ends with one (`` a`b ``).
pub(crate) fn code_span(text: &str) -> String {
    let text = super::normalize(text).replace('\n', " ");
    let text = text.as_str();
    let longest = longest_run(text, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn leading_spaces(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The indentation every non-blank line after the first shares (the first
/// line of a description usually starts right after the key).
fn common_indent(text: &str) -> usize {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(leading_spaces)
        .min()
        .unwrap_or(0)
}

pub(super) fn sanitize_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy an inline code span verbatim: rustdoc does not look inside.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let close = find_run(&chars, i + run, run);
                let end = close.map_or(i + run, |j| j + run);
                out.extend(&chars[i..end]);
                i = end;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
            }
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    let label: String = chars[i + 1..end.label_close].iter().collect();
                    out.push('[');
                    out.push_str(&sanitize_line(&label));
                    out.push(']');
                    out.extend(&chars[end.label_close + 1..end.end]);
                    i = end.end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().take(8).collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    let close = chars[i..].iter().position(|&c| c == '>');
                    let end = close.map_or(chars.len(), |j| i + j + 1);
                    out.extend(&chars[i..end]);
                    i = end;
                } else {
                    out.push_str("\\<");
                    i += 1;
                }
            }
            'h' if starts_with(&chars, i, "http://") || starts_with(&chars, i, "https://") => {
                let len = chars[i..]
                    .iter()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`'))
                    .count();
                let mut url: String = chars[i..i + len].iter().collect();
                let trailing = url
                    .chars()
                    .rev()
                    .take_while(|c| matches!(c, '.' | ',' | ';' | ':' | ')' | '!' | '?' | '\''))
                    .count();
                let keep = url.chars().count() - trailing;
                let tail: String = url.chars().skip(keep).collect();
                url = url.chars().take(keep).collect();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                i += len;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn starts_with(chars: &[char], at: usize, prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(k, p)| chars.get(at + k) == Some(&p))
}

fn find_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let n = chars[j..].iter().take_while(|&&c| c == '`').count();
            if n == run {
                return Some(j);
            }
            j += n;
        } else {
            j += 1;
        }
    }
    None
}

struct LinkEnd {
    label_close: usize,
    end: usize,
}

/// For `[label](target)` starting at `open`, where the label closes and where
/// the whole link ends.
fn link_end(chars: &[char], open: usize) -> Option<LinkEnd> {
    let mut depth = 0;
    let mut j = open;
    let label_close = loop {
        match chars.get(j)? {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
            }
            _ => {}
        }
        j += 1;
    };
    if chars.get(label_close + 1) != Some(&'(') {
        return None;
    }
    let mut depth = 0;
    let mut k = label_close + 1;
    loop {
        match chars.get(k)? {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(LinkEnd {
                        label_close,
                        end: k + 1,
                    });
                }
            }
            _ => {}
        }
        k += 1;
    }
}
