//! Bounded text from what a server sent: the start of a body, and messages
//! cut in the middle, so that no error message grows with the response.
//!
//! A server can send anything, of any size: a 24 MiB body whose first value
//! has the wrong type gives a `serde` message that quotes the whole value.
//! Errors keep the body itself (by a method, never printed) and print only
//! what these functions return.

use std::fmt::{self, Write as _};

/// The most bytes of a body an error prints (its excerpt).
pub(crate) const EXCERPT_LIMIT: usize = 512;

/// The most bytes of a message or a path taken from what the server sent.
pub(crate) const MESSAGE_LIMIT: usize = 512;

/// How much of the end of a long message is kept: `serde` puts what it
/// expected (`expected u32 at line 1 column 9`) after the value it quotes.
const TAIL: usize = 160;

/// The first [`EXCERPT_LIMIT`] bytes of `body`, cut at a character boundary,
/// with invalid UTF-8 replaced and `…` when something was cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Only the start is converted: a body can be many megabytes. Three bytes
    // more than the limit leave room for a character the limit cuts in two;
    // anything the conversion replaces past the limit is cut below.
    let start = &body[..body.len().min(EXCERPT_LIMIT + 3)];
    let text = String::from_utf8_lossy(start);
    if body.len() <= EXCERPT_LIMIT && text.len() <= EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut end = EXCERPT_LIMIT.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// `value` as text of at most [`MESSAGE_LIMIT`] bytes: whole when it fits,
/// else its start and its end around `…`. The text is never built whole.
pub(crate) fn bounded(value: &dyn fmt::Display) -> String {
    let mut out = Bounded::default();
    // Writing into `Bounded` cannot fail; a `Display` that fails leaves what
    // it wrote, which is all there is to show.
    let _ = write!(out, "{value}");
    out.finish()
}

/// `text` cut as [`bounded`] cuts.
pub(crate) fn bounded_str(text: &str) -> String {
    if text.len() <= MESSAGE_LIMIT {
        text.to_owned()
    } else {
        bounded(&text)
    }
}

/// A writer that keeps the first bytes and a rolling window of the last ones.
#[derive(Default)]
struct Bounded {
    head: String,
    tail: String,
    /// Whether the head is closed: once text went to the tail, later text
    /// cannot go before it.
    head_closed: bool,
    /// Whether bytes between `head` and `tail` were dropped.
    dropped: bool,
}

impl Bounded {
    /// The room for the start: the limit less the end and the `…` between.
    const HEAD: usize = MESSAGE_LIMIT - TAIL - '…'.len_utf8();

    fn finish(self) -> String {
        if !self.dropped && self.head.len() + self.tail.len() <= MESSAGE_LIMIT {
            return self.head + &self.tail;
        }
        let mut start = self.tail.len().saturating_sub(TAIL);
        while !self.tail.is_char_boundary(start) {
            start += 1;
        }
        format!("{}…{}", self.head, &self.tail[start..])
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, mut s: &str) -> fmt::Result {
        if !self.head_closed {
            let mut take = (Self::HEAD - self.head.len()).min(s.len());
            while !s.is_char_boundary(take) {
                take -= 1;
            }
            self.head.push_str(&s[..take]);
            s = &s[take..];
            if s.is_empty() {
                return Ok(());
            }
            // The head is full, or its next character does not fit.
            self.head_closed = true;
        }
        self.tail.push_str(s);
        // Trimming only past twice the window keeps the work linear.
        if self.tail.len() > 2 * MESSAGE_LIMIT {
            let mut cut = self.tail.len() - MESSAGE_LIMIT;
            while !self.tail.is_char_boundary(cut) {
                cut += 1;
            }
            self.tail.drain(..cut);
            self.dropped = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(400);
        let e = excerpt(body.as_bytes());
        assert!(e.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert!(e.trim_end_matches('…').chars().all(|c| c == 'é'));
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(b""), "");
        let exact = "a".repeat(EXCERPT_LIMIT);
        assert_eq!(excerpt(exact.as_bytes()), exact);
    }

    #[test]
    fn an_excerpt_of_invalid_utf8_is_replaced_and_still_bounded() {
        let body = vec![0xff; 10 * EXCERPT_LIMIT];
        let e = excerpt(&body);
        assert!(e.len() <= EXCERPT_LIMIT + '…'.len_utf8(), "{}", e.len());
        assert!(e.starts_with('\u{fffd}'));
    }

    #[test]
    fn a_long_message_keeps_its_start_and_its_end() {
        let quoted = "x".repeat(5_000_000);
        let message = format!("invalid type: string \"{quoted}\", expected u32");
        let b = bounded_str(&message);
        assert!(b.len() <= MESSAGE_LIMIT, "{}", b.len());
        assert!(b.starts_with("invalid type: string \"xxx"), "{b}");
        assert!(b.ends_with("xxx\", expected u32"), "{b}");
        assert!(b.contains('…'));
        assert_eq!(bounded(&"short"), "short");
    }

    #[test]
    fn a_message_written_in_pieces_is_bounded_on_char_boundaries() {
        struct Pieces;
        impl fmt::Display for Pieces {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("start ")?;
                for _ in 0..10_000 {
                    f.write_str("é€")?;
                }
                f.write_str(" end")
            }
        }
        let b = bounded(&Pieces);
        assert!(b.len() <= MESSAGE_LIMIT, "{}", b.len());
        assert!(b.starts_with("start é€"));
        assert!(b.ends_with("é€ end"));
        let exact = "a".repeat(MESSAGE_LIMIT);
        assert_eq!(bounded(&exact), exact);
        let over = "a".repeat(MESSAGE_LIMIT + 1);
        assert!(bounded(&over).contains('…'));
    }
}
