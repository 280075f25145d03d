//! Parameters written by OpenAPI `style` and `explode`.
//!
//! Generated code turns each parameter into a [`serde_json::Value`] and hands
//! it here with its [`ParamSpec`], so one implementation serves every type.
//! What comes out follows the "Style Examples" table of OpenAPI 3.0.3 as
//! corrected by 3.0.4 (the same 3.0 line; the 3.0.3 table has errors):
//!
//! | style | explode | empty `""` | `"blue"` | `["blue","black","brown"]` | `{"R":100,"G":200,"B":150}` |
//! |---|---|---|---|---|---|
//! | matrix | false | `;color` | `;color=blue` | `;color=blue,black,brown` | `;color=R,100,G,200,B,150` |
//! | matrix | true | `;color` | `;color=blue` | `;color=blue;color=black;color=brown` | `;R=100;G=200;B=150` |
//! | label | false | `.` | `.blue` | `.blue,black,brown` | `.R,100,G,200,B,150` |
//! | label | true | `.` | `.blue` | `.blue.black.brown` | `.R=100.G=200.B=150` |
//! | simple | false | *empty* | `blue` | `blue,black,brown` | `R,100,G,200,B,150` |
//! | simple | true | *empty* | `blue` | `blue,black,brown` | `R=100,G=200,B=150` |
//! | form | false | `color=` | `color=blue` | `color=blue,black,brown` | `color=R,100,G,200,B,150` |
//! | form | true | `color=` | `color=blue` | `color=blue&color=black&color=brown` | `R=100&G=200&B=150` |
//! | spaceDelimited | false | | | `color=blue%20black%20brown` | `color=R%20100%20G%20200%20B%20150` |
//! | pipeDelimited | false | | | `color=blue%7Cblack%7Cbrown` | `color=R%7C100%7CG%7C200%7CB%7C150` |
//! | deepObject | true | | | | `color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150` |
//!
//! Where 3.0.3 differs: its label/explode=false row joins with `.`
//! (`.blue.black.brown`), which RFC 6570 (that the style is defined by) and
//! 3.0.4 write with `,`; its spaceDelimited and pipeDelimited rows leave out
//! `color=`; it shows `|`, `[` and `]` unencoded.
//!
//! # Choices
//!
//! - **Delimiters that RFC 3986 does not allow in a query are percent-encoded**:
//!   `%20` for spaceDelimited, `%7C` for pipeDelimited, `%5B`/`%5D` for
//!   deepObject (OpenAPI 3.0.4, Appendix E.5, says they MUST be). Servers
//!   percent-decode names and values before splitting on them: PHP, Rack/Rails
//!   and Node's `qs` decode the name before reading its brackets, which is also
//!   how browsers submit a form field named `a[b]` (as `a%5Bb%5D`). Raw `|`,
//!   `[` and `]` are refused outright by some servers (Tomcat, so Spring Boot,
//!   answers 400 unless `relaxedQueryChars` allows them). `,` (form) is a
//!   sub-delimiter allowed in a query and stays literal. The same characters in
//!   names and values are encoded too, so after decoding a server cannot tell a
//!   value's own space or `|` from the delimiter: that is the style's limit.
//! - **Null at the top level** is an absent parameter: [`query`] and
//!   [`cookie`] write nothing, [`path`] gives the empty string, [`header`]
//!   gives `None`.
//! - **Empty arrays and empty objects** are written as the empty string is (the
//!   table's first column): `color=` in a query (whatever `explode` says),
//!   `;color` (matrix), `.` (label), nothing (simple). The exceptions are the
//!   forms that never write the parameter's own name, exploded objects in a
//!   query or cookie and deepObject (which writes only leaves): they write
//!   nothing for an empty object.
//! - **Members of objects that are null are left out** (an unset optional
//!   field); null items of arrays are written as the empty string, so that the
//!   other items keep their positions.
//! - **Nested values** (an array or object inside an array or object) are
//!   written as compact JSON text, then encoded like any value. deepObject
//!   instead nests: `f[a][b]=1`, and arrays inside it by index, `f[a][0]=x`
//!   (what `qs` and PHP read as arrays), both with brackets encoded as above.
//!   A deepObject parameter that is a scalar is written `name=value`.
//! - **Object keys keep their order**: this workspace builds `serde_json` with
//!   `preserve_order`, so they come in the order the struct or map gave them.
//! - **Styles outside their place**: [`path`] writes any query style as
//!   simple, [`query`] writes any path style as form; exploded spaceDelimited
//!   and pipeDelimited (undefined by the spec) are written as exploded form.
//! - **Encoding**: in paths and queries every character outside RFC 3986
//!   "unreserved" (`A-Z a-z 0-9 - . _ ~`) is percent-encoded as UTF-8, in
//!   names and values. `allow_reserved` leaves the reserved characters a query
//!   can carry (`: / ? @ ! $ & ' ( ) * + , ; =`) as they are, and `%XX` escapes
//!   already in the value too (RFC 6570 reserved expansion), but still encodes
//!   `#`, `[` and `]`, which RFC 3986 does not allow in a query at all (a raw
//!   `#` would end it; OpenAPI 3.0.4 Appendix C says the same).
//! - **`content: application/json`** parameters ([`Style::Json`]) are sent as
//!   their compact JSON text, as one value that is then encoded like a string
//!   (OpenAPI 3.0.4, 4.8.12.4: `content` serializes the whole value with the
//!   media type; the location's escaping still applies).
//! - **Headers** are not percent-encoded (RFC 6570 encoding is not what
//!   headers use; see OpenAPI 3.0.4 Appendix D); a character a header cannot
//!   carry makes building the request's `HeaderValue` fail instead.
//! - **Cookies** encode only what an RFC 6265 `cookie-octet` cannot be
//!   (controls, space, `"`, `,`, `;`, `\`, non-ASCII) and `%`, so tokens such as
//!   base64 `ab/c+d==` go unchanged; the `,` that joins a non-exploded value
//!   stays literal, as the form style writes it.

mod encode;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde_json::Value;

use encode::{cookie_value, encoded, query_value};

/// `[` and `]` of deepObject names, encoded (see the module's choices).
const OPEN: &str = "%5B";
const CLOSE: &str = "%5D";

/// How a parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `blue,black,brown`: path and header parameters.
    Simple,
    /// `.blue`: path parameters.
    Label,
    /// `;color=blue`: path parameters.
    Matrix,
    /// `color=blue`: query and cookie parameters, form bodies.
    Form,
    /// `color=blue%20black`: arrays and objects in a query.
    SpaceDelimited,
    /// `color=blue%7Cblack`: arrays and objects in a query.
    PipeDelimited,
    /// `color[R]=100`: objects in a query.
    DeepObject,
    /// Not a style: the parameter is described by `content:
    /// application/json`, so its value is sent as its JSON text, one value
    /// encoded as a string would be (`color=%7B%22R%22%3A100%7D`).
    Json,
}

/// A parameter as the spec declares it.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The parameter's name, as the spec writes it (encoded here as needed).
    pub name: &'static str,
    /// How it is written.
    pub style: Style,
    /// Whether arrays and objects are written as one parameter per item or
    /// member (`explode: true`) or joined into one.
    pub explode: bool,
    /// `allowReserved` (query only): reserved characters :/?#[]@!$&'()*+,;= are sent unencoded.
    ///
    /// Except `#`, `[` and `]`, which cannot appear in a query and are still
    /// encoded; `%XX` escapes in the value are sent as they are.
    pub allow_reserved: bool,
}

/// The text that replaces `{name}` in a path template: styles simple, label, matrix.
/// Every character outside RFC 3986 "unreserved" is percent-encoded inside values
/// (so a value containing `/` or `?` cannot change the path); the delimiters the
/// style adds (`,` `.` `;` `=`) are literal.
///
/// Null gives the empty string; any other style is written as simple.
pub fn path(spec: &ParamSpec, value: &Value) -> String {
    let value = &*as_sent(spec, value);
    let Some(parts) = Parts::of(value) else {
        return String::new();
    };
    let explode = spec.explode;
    match spec.style {
        Style::Label => {
            let (items, pairs) = if explode { (".", "=") } else { (",", ",") };
            format!(".{}", parts.join(items, pairs, encoded))
        }
        Style::Matrix => {
            let name = encoded(spec.name);
            match parts {
                Parts::List(items) if explode && !items.is_empty() => items
                    .iter()
                    .map(|item| matrix_pair(&name, &encoded(item)))
                    .collect(),
                Parts::Pairs(pairs) if explode && !pairs.is_empty() => pairs
                    .iter()
                    .map(|(key, member)| matrix_pair(&encoded(key), &encoded(member)))
                    .collect(),
                other => matrix_pair(&name, &other.join(",", ",", encoded)),
            }
        }
        _ => {
            let pairs = if explode { "=" } else { "," };
            parts.join(",", pairs, encoded)
        }
    }
}

/// Appends the parameter to an already-encoded query string `out` (adds `&` when `out`
/// is not empty), for styles form, spaceDelimited, pipeDelimited, deepObject.
///
/// Names and values are percent-encoded, a space as `%20` (never `+`). The
/// delimiters the style adds are `,` (form), `%20` (spaceDelimited), `%7C`
/// (pipeDelimited) and `%5B`/`%5D` (deepObject): `|`, `[` and `]` are not
/// allowed unencoded in a query by RFC 3986 and some servers refuse them.
/// Null appends nothing; an empty array appends `name=`, as the empty string
/// does; see the [module documentation](self) for the other choices. Any path
/// style is written as form.
pub fn query(spec: &ParamSpec, value: &Value, out: &mut String) {
    let value = &*as_sent(spec, value);
    write_query(
        spec.name,
        spec.style,
        spec.explode,
        spec.allow_reserved,
        value,
        out,
    );
}

/// The value of a header parameter (style simple). Returns None for null.
///
/// Arrays and objects are joined with `,` (objects `R=100,G=200` when
/// exploded); nothing is percent-encoded.
pub fn header(spec: &ParamSpec, value: &Value) -> Option<String> {
    let value = &*as_sent(spec, value);
    let pairs = if spec.explode { "=" } else { "," };
    Parts::of(value).map(|parts| parts.join(",", pairs, str::to_owned))
}

/// `name=value` pairs for a cookie parameter (style form). Non-exploded arrays and
/// objects are comma-joined; exploded arrays give one pair per item.
///
/// Exploded objects give one pair per member, named by the member. Null gives
/// no pair. Values are encoded as the [module documentation](self) says.
pub fn cookie(spec: &ParamSpec, value: &Value) -> Vec<(String, String)> {
    let value = &*as_sent(spec, value);
    let Some(parts) = Parts::of(value) else {
        return Vec::new();
    };
    let name = encoded(spec.name);
    match parts {
        Parts::List(items) if spec.explode && !items.is_empty() => items
            .iter()
            .map(|item| (name.clone(), cookie_value(item)))
            .collect(),
        Parts::Pairs(pairs) if spec.explode => pairs
            .iter()
            .map(|(key, member)| (encoded(key), cookie_value(member)))
            .collect(),
        other => vec![(name, other.join(",", ",", cookie_value))],
    }
}

/// Form-urlencoded request bodies: each property of `body` (a JSON object) is
/// appended as a query parameter would be, with style form, explode true unless
/// `encodings` (property name → (style, explode)) says otherwise; returns the
/// encoded body (`a=1&b=x%20y`). Non-object `body` → the error message as Err.
///
/// Null properties are left out. An entry of `encodings` gives both style and
/// explode, so the caller resolves the spec's default (`explode` is false for
/// a style other than form).
pub fn form_body(body: &Value, encodings: &[(&str, Style, bool)]) -> Result<String, String> {
    let Value::Object(properties) = body else {
        return Err(format!(
            "an application/x-www-form-urlencoded request body must be a JSON object, not {}",
            kind(body)
        ));
    };
    let mut out = String::new();
    for (name, value) in properties {
        let (style, explode) = encodings
            .iter()
            .find(|(property, ..)| *property == name.as_str())
            .map_or((Style::Form, true), |&(_, style, explode)| (style, explode));
        write_query(name, style, explode, false, value, &mut out);
    }
    Ok(out)
}

/// Text of one scalar: strings as they are, numbers and booleans as JSON writes them,
/// null as the empty string. Arrays/objects as compact JSON (used for multipart parts).
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        // Numbers, booleans, arrays and objects: compact JSON.
        other => other.to_string(),
    }
}

/// The value as it is sent: for [`Style::Json`], its JSON text (null stays
/// null, an absent parameter); for every other style, itself.
fn as_sent<'a>(spec: &ParamSpec, value: &'a Value) -> Cow<'a, Value> {
    match value {
        Value::Null => Cow::Borrowed(value),
        _ if spec.style == Style::Json => Cow::Owned(Value::String(value.to_string())),
        _ => Cow::Borrowed(value),
    }
}

/// A value's pieces, not yet encoded: nested values are JSON text already.
enum Parts<'a> {
    Scalar(String),
    List(Vec<String>),
    /// Object members that are not null, in the object's order.
    Pairs(Vec<(&'a str, String)>),
}

impl<'a> Parts<'a> {
    /// `None` for null.
    fn of(value: &'a Value) -> Option<Self> {
        Some(match value {
            Value::Null => return None,
            Value::Array(items) => Parts::List(items.iter().map(scalar_text).collect()),
            Value::Object(members) => Parts::Pairs(
                members
                    .iter()
                    .filter(|(_, member)| !member.is_null())
                    .map(|(key, member)| (key.as_str(), scalar_text(member)))
                    .collect(),
            ),
            scalar => Parts::Scalar(scalar_text(scalar)),
        })
    }

    /// One text: items joined by `items`, a key and its value by `pairs`,
    /// each piece through `encode`.
    fn join(&self, items: &str, pairs: &str, encode: impl Fn(&str) -> String) -> String {
        match self {
            Parts::Scalar(text) => encode(text),
            Parts::List(list) => list
                .iter()
                .map(|item| encode(item))
                .collect::<Vec<_>>()
                .join(items),
            Parts::Pairs(members) => members
                .iter()
                .map(|(key, member)| format!("{}{pairs}{}", encode(key), encode(member)))
                .collect::<Vec<_>>()
                .join(items),
        }
    }
}

fn write_query(
    name: &str,
    style: Style,
    explode: bool,
    allow_reserved: bool,
    value: &Value,
    out: &mut String,
) {
    let value_text = |text: &str| query_value(text, allow_reserved);
    if style == Style::DeepObject {
        if !value.is_null() {
            deep_object(&encoded(name), value, allow_reserved, out);
        }
        return;
    }
    let Some(parts) = Parts::of(value) else {
        return;
    };
    let name = encoded(name);
    let delimiter = match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "%7C",
        _ => ",",
    };
    match parts {
        Parts::List(items) if explode && !items.is_empty() => {
            for item in &items {
                push_pair(out, &name, &value_text(item));
            }
        }
        Parts::Pairs(pairs) if explode => {
            for (key, member) in &pairs {
                push_pair(out, &encoded(key), &value_text(member));
            }
        }
        other => push_pair(out, &name, &other.join(delimiter, delimiter, value_text)),
    }
}

/// `key[member]…=leaf` for every leaf of `value`; `key` is encoded already.
fn deep_object(key: &str, value: &Value, allow_reserved: bool, out: &mut String) {
    match value {
        Value::Object(members) => {
            for (member, inner) in members.iter().filter(|(_, inner)| !inner.is_null()) {
                let key = format!("{key}{OPEN}{}{CLOSE}", encoded(member));
                deep_object(&key, inner, allow_reserved, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_object(
                    &format!("{key}{OPEN}{index}{CLOSE}"),
                    item,
                    allow_reserved,
                    out,
                );
            }
        }
        leaf => push_pair(out, key, &query_value(&scalar_text(leaf), allow_reserved)),
    }
}

/// `&name=value` (no `&` at the start of `out`); both are encoded already.
fn push_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    out.push_str(value);
}

/// `;name=value`, or `;name` for an empty value (RFC 6570 `;` expansion).
fn matrix_pair(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!(";{name}")
    } else {
        format!(";{name}={value}")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
