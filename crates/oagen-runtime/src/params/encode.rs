//! Percent-encoding of parameter names and values: the character sets of
//! paths and queries (RFC 3986 "unreserved", and the reserved characters
//! `allowReserved` leaves alone) and of cookies (RFC 6265 `cookie-octet`).
//!
//! The styles of `params/mod.rs` lay values out and call these on each
//! name and value; the module documentation there says which characters are
//! encoded where, and why.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};

/// Everything but RFC 3986 "unreserved" (`ALPHA DIGIT - . _ ~`) is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `allowReserved`: the reserved characters a query may hold are left as they
/// are; `#`, `[` and `]` (not allowed in a query) and `%` are still encoded.
const RESERVED_ALLOWED: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// Cookie values: what an RFC 6265 `cookie-octet` excludes, and `%` so that
/// the encoding can be undone (non-ASCII is always encoded).
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// Everything outside RFC 3986 "unreserved" percent-encoded.
pub(super) fn encoded(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// A cookie value: what a `cookie-octet` cannot be, and `%`, percent-encoded.
pub(super) fn cookie_value(text: &str) -> String {
    utf8_percent_encode(text, COOKIE_VALUE).to_string()
}

/// A query value; with `allow_reserved`, reserved characters and `%XX`
/// escapes already present stay as they are (a lone `%` is encoded).
pub(super) fn query_value(text: &str, allow_reserved: bool) -> String {
    if !allow_reserved {
        return encoded(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pieces = text.split('%');
    if let Some(first) = pieces.next() {
        out.extend(utf8_percent_encode(first, RESERVED_ALLOWED));
    }
    // Every later piece followed a `%`.
    for piece in pieces {
        match piece.split_at_checked(2) {
            Some((hex, rest)) if hex.bytes().all(|byte| byte.is_ascii_hexdigit()) => {
                out.push('%');
                out.push_str(hex);
                out.extend(utf8_percent_encode(rest, RESERVED_ALLOWED));
            }
            _ => {
                out.extend(utf8_percent_encode("%", RESERVED_ALLOWED));
                out.extend(utf8_percent_encode(piece, RESERVED_ALLOWED));
            }
        }
    }
    out
}
