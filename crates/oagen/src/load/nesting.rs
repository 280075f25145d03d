//! The nesting bound: a document may nest objects and arrays at most
//! [`MAX_NESTING`] deep. It is checked on the text, in one linear scan,
//! before any parser sees it: `serde_json` and `serde_yaml` stop at 128
//! levels by themselves, but `libyaml` slows down with the depth of flow
//! collections (`[[[...]]]`, `{a: {a: ...}}`) so much that 200 KB of
//! brackets took most of a minute to refuse. Every later pass walks the
//! tree recursively, so the bound also keeps their stacks small.
//!
//! JSON is scanned exactly and a refusal names the JSON pointer of the first
//! node past the bound. YAML is scanned for its flow collections (block
//! nesting needs indentation, so its depth is bounded by the square root of
//! the text's length, and `serde_yaml` refuses it past 128 levels with a
//! line); the refusal names the line and column.

/// How deeply a spec may nest objects and arrays (Seam's spec nests 24
/// deep; OpenAPI documents rarely pass 30).
pub const MAX_NESTING: usize = 100;

/// Where a JSON text first nests past [`MAX_NESTING`]: the RFC 6901 tokens
/// of the node that does. `None` when it never does (or is not JSON: the
/// parser says what is wrong then).
pub(super) fn json_too_deep(text: &str) -> Option<Vec<String>> {
    /// One open object or array: its index so far, or the byte range of the
    /// key last read (with its quotes).
    enum Frame {
        Array(usize),
        Object(Option<(usize, usize)>),
    }
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = frames.last_mut() {
                        *key = Some((start, (i + 1).min(bytes.len())));
                    }
                    expect_key = false;
                }
            }
            open @ (b'{' | b'[') => {
                if frames.len() == MAX_NESTING {
                    return Some(json_tokens(text, &frames));
                }
                frames.push(if open == b'{' {
                    Frame::Object(None)
                } else {
                    Frame::Array(0)
                });
                expect_key = open == b'{';
            }
            b'}' | b']' => {
                frames.pop();
                expect_key = false;
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    return None;

    fn json_tokens(text: &str, frames: &[Frame]) -> Vec<String> {
        frames
            .iter()
            .map(|frame| match frame {
                Frame::Array(index) => index.to_string(),
                Frame::Object(Some((start, end))) => {
                    serde_json::from_str::<String>(&text[*start..*end]).unwrap_or_default()
                }
                Frame::Object(None) => String::new(),
            })
            .collect()
    }
}

/// Where a YAML text first nests flow collections past [`MAX_NESTING`]: its
/// line and column, from 1. Brackets in quoted scalars, plain scalars,
/// comments and block scalars (`|`, `>`) are text, not collections.
pub(super) fn yaml_too_deep(text: &str) -> Option<(usize, usize)> {
    let mut scan = YamlScan::default();
    for (n, line) in text.lines().enumerate() {
        if let Some(column) = scan.line(line) {
            return Some((n + 1, column + 1));
        }
    }
    None
}

/// The state of [`yaml_too_deep`] between lines.
#[derive(Default)]
struct YamlScan {
    /// Open flow collections.
    flow: usize,
    /// The quote of a quoted scalar that goes on past the line.
    quote: Option<u8>,
    /// The indentation of the line that opened a block scalar, whose lines
    /// are more indented than it.
    block_scalar: Option<usize>,
}

impl YamlScan {
    /// Scans one line; the column of an opening bracket past the bound.
    fn line(&mut self, line: &str) -> Option<usize> {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        if let Some(parent) = self.block_scalar {
            if indent == bytes.len() || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        let mut i = if self.quote.is_some() { 0 } else { indent };
        // Whether a node may start here (a quote, a bracket or a block
        // scalar indicator means something only there).
        let mut node_start = true;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(quote) = self.quote {
                if b == b'\\' && quote == b'"' {
                    i += 1;
                } else if b == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        self.quote = None;
                        node_start = false;
                    }
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t';
            match b {
                b'#' if after_space => return None,
                b' ' | b'\t' => {}
                b'"' | b'\'' if node_start => self.quote = Some(b),
                b'[' | b'{' if node_start || self.flow > 0 => {
                    if self.flow == MAX_NESTING {
                        return Some(i);
                    }
                    self.flow += 1;
                    node_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    node_start = false;
                }
                b',' if self.flow > 0 => node_start = true,
                b'|' | b'>' if node_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    return None;
                }
                b'-' | b'?' | b':'
                    if node_start || matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) =>
                {
                    // An indicator (`- `, `? `, `: `) starts a node after it;
                    // `-5` or `a:b` is a plain scalar.
                    node_start = matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'))
                        || (b == b':' && self.flow > 0);
                }
                _ => node_start = false,
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_past_the_bound_names_its_pointer() {
        let deep = format!(
            "{{\"a\": [1, {}{}]}}",
            "{\"k~/\": ".repeat(MAX_NESTING),
            "}".repeat(MAX_NESTING)
        );
        let tokens = json_too_deep(&deep).unwrap();
        assert_eq!(tokens.len(), MAX_NESTING);
        assert_eq!(tokens[..3], ["a", "1", "k~/"]);
        let shallow = format!("{{\"a\": \"{}\"}}", "[{".repeat(500));
        assert_eq!(json_too_deep(&shallow), None);
    }

    #[test]
    fn yaml_flow_past_the_bound_names_its_line() {
        let deep = format!("openapi: 3.0.0\nx-deep: {}\n", "[".repeat(MAX_NESTING + 1));
        assert_eq!(yaml_too_deep(&deep), Some((2, 9 + MAX_NESTING)));
        let deep_map = format!("a:\n  b: {}\n", "{c: ".repeat(MAX_NESTING + 1));
        assert!(yaml_too_deep(&deep_map).is_some());
    }

    #[test]
    fn brackets_in_yaml_text_are_no_collections() {
        let text = format!(
            "pattern: ^[a-z{{]+$\nq: \"{0}\"\ns: '{0}''\n  {0}'\nd: |\n  {0}\n# {0}\nl: [a, '{0}', {{b: c}}]\n",
            "[{".repeat(MAX_NESTING)
        );
        assert_eq!(yaml_too_deep(&text), None);
    }
}
