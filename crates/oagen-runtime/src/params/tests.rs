//! Unit tests of the parameter styles: the OpenAPI "Style Examples" table
//! row by row, then each choice the module documentation lists (encoding,
//! `allowReserved`, null, empty and nested values, headers, JSON content,
//! cookies, form bodies).

use super::*;
use serde_json::json;

fn spec(style: Style, explode: bool) -> ParamSpec {
    ParamSpec {
        name: "color",
        style,
        explode,
        allow_reserved: false,
    }
}

fn q(spec: &ParamSpec, value: &Value) -> String {
    let mut out = String::new();
    query(spec, value, &mut out);
    out
}

/// One row of the Style Examples table: empty string, string, array, object.
fn row(style: Style, explode: bool) -> [String; 4] {
    let spec = spec(style, explode);
    let write = |value: &Value| match style {
        Style::Simple | Style::Label | Style::Matrix => path(&spec, value),
        _ => q(&spec, value),
    };
    [
        write(&json!("")),
        write(&json!("blue")),
        write(&json!(["blue", "black", "brown"])),
        write(&json!({"R": 100, "G": 200, "B": 150})),
    ]
}

// OpenAPI 3.0.3 "Style Examples", as corrected by 3.0.4 (label
// explode=false joins with `,`; space/pipe rows carry `color=`; `|`, `[`,
// `]` percent-encoded). The `empty` column is the empty string.
#[test]
fn style_examples_table() {
    use Style::*;
    let table: [(Style, bool, [&str; 4]); 11] = [
        (
            Matrix,
            false,
            [
                ";color",
                ";color=blue",
                ";color=blue,black,brown",
                ";color=R,100,G,200,B,150",
            ],
        ),
        (
            Matrix,
            true,
            [
                ";color",
                ";color=blue",
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150",
            ],
        ),
        (
            Label,
            false,
            [".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
        ),
        (
            Label,
            true,
            [".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
        ),
        (
            Form,
            false,
            [
                "color=",
                "color=blue",
                "color=blue,black,brown",
                "color=R,100,G,200,B,150",
            ],
        ),
        (
            Form,
            true,
            [
                "color=",
                "color=blue",
                "color=blue&color=black&color=brown",
                "R=100&G=200&B=150",
            ],
        ),
        (
            Simple,
            false,
            ["", "blue", "blue,black,brown", "R,100,G,200,B,150"],
        ),
        (
            Simple,
            true,
            ["", "blue", "blue,black,brown", "R=100,G=200,B=150"],
        ),
        (
            SpaceDelimited,
            false,
            [
                "color=",
                "color=blue",
                "color=blue%20black%20brown",
                "color=R%20100%20G%20200%20B%20150",
            ],
        ),
        (
            PipeDelimited,
            false,
            [
                "color=",
                "color=blue",
                "color=blue%7Cblack%7Cbrown",
                "color=R%7C100%7CG%7C200%7CB%7C150",
            ],
        ),
        (
            DeepObject,
            true,
            [
                "color=",
                "color=blue",
                "color%5B0%5D=blue&color%5B1%5D=black&color%5B2%5D=brown",
                "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
            ],
        ),
    ];
    for (style, explode, expected) in table {
        assert_eq!(row(style, explode), expected, "{style:?} explode={explode}");
    }
}

#[test]
fn table_cells_the_spec_leaves_undefined() {
    // Exploded spaceDelimited/pipeDelimited are written as exploded form.
    for style in [Style::SpaceDelimited, Style::PipeDelimited] {
        assert_eq!(
            q(&spec(style, true), &json!(["blue", "black"])),
            "color=blue&color=black"
        );
    }
    // deepObject ignores explode.
    assert_eq!(
        q(&spec(Style::DeepObject, false), &json!({"R": 100})),
        "color%5BR%5D=100"
    );
}

#[test]
fn values_needing_encoding() {
    let text = json!("a b/c?d&e=f");
    assert_eq!(
        path(&spec(Style::Simple, false), &text),
        "a%20b%2Fc%3Fd%26e%3Df"
    );
    assert_eq!(
        path(&spec(Style::Matrix, false), &text),
        ";color=a%20b%2Fc%3Fd%26e%3Df"
    );
    assert_eq!(
        q(&spec(Style::Form, true), &text),
        "color=a%20b%2Fc%3Fd%26e%3Df"
    );
    assert_eq!(path(&spec(Style::Label, false), &json!("é")), ".%C3%A9");
    assert_eq!(q(&spec(Style::Form, true), &json!("é")), "color=%C3%A9");
    // An item's own delimiter is encoded, the style's is not.
    assert_eq!(
        q(&spec(Style::Form, false), &json!(["a,b", "c"])),
        "color=a%2Cb,c"
    );
    assert_eq!(
        path(&spec(Style::Simple, true), &json!({"k=": "v,"})),
        "k%3D=v%2C"
    );
    // Names are encoded too.
    let odd = ParamSpec {
        name: "a b[]",
        ..spec(Style::Form, true)
    };
    assert_eq!(q(&odd, &json!("x")), "a%20b%5B%5D=x");
    assert_eq!(
        path(
            &ParamSpec {
                style: Style::Matrix,
                ..odd
            },
            &json!("x")
        ),
        ";a%20b%5B%5D=x"
    );
    // Unreserved characters are left alone.
    assert_eq!(
        q(&spec(Style::Form, true), &json!("A-z_0.9~")),
        "color=A-z_0.9~"
    );
}

#[test]
fn allow_reserved() {
    let spec = ParamSpec {
        allow_reserved: true,
        ..spec(Style::Form, true)
    };
    assert_eq!(q(&spec, &json!("a b/c?d&e=f")), "color=a%20b/c?d&e=f");
    assert_eq!(q(&spec, &json!(":@!$'()*+,;")), "color=:@!$'()*+,;");
    // Not allowed in a query at all: still encoded.
    assert_eq!(q(&spec, &json!("#[]")), "color=%23%5B%5D");
    // Escapes pass; a lone `%` does not.
    assert_eq!(q(&spec, &json!("x%2By%zz%4")), "color=x%2By%25zz%254");
    assert_eq!(q(&spec, &json!("100%")), "color=100%25");
    assert_eq!(q(&spec, &json!("é%C3%A9")), "color=%C3%A9%C3%A9");
    // Names are encoded all the same.
    let named = ParamSpec {
        name: "a/b",
        ..spec
    };
    assert_eq!(q(&named, &json!("c/d")), "a%2Fb=c/d");
    // Without it, the same value is fully encoded.
    assert_eq!(
        q(
            &ParamSpec {
                allow_reserved: false,
                ..spec
            },
            &json!("x%2By")
        ),
        "color=x%252By"
    );
}

#[test]
fn numbers_and_booleans() {
    let form = spec(Style::Form, true);
    assert_eq!(q(&form, &json!(1)), "color=1");
    assert_eq!(q(&form, &json!(-1.5)), "color=-1.5");
    assert_eq!(q(&form, &json!(true)), "color=true");
    assert_eq!(
        q(&form, &json!([1, 2.5, false])),
        "color=1&color=2.5&color=false"
    );
    assert_eq!(path(&spec(Style::Simple, false), &json!(42)), "42");
    assert_eq!(
        header(&spec(Style::Simple, false), &json!([1, true])).as_deref(),
        Some("1,true")
    );
}

#[test]
fn null() {
    for style in [Style::Simple, Style::Label, Style::Matrix] {
        assert_eq!(path(&spec(style, false), &Value::Null), "");
        assert_eq!(path(&spec(style, true), &Value::Null), "");
    }
    for style in [
        Style::Form,
        Style::SpaceDelimited,
        Style::PipeDelimited,
        Style::DeepObject,
    ] {
        for explode in [false, true] {
            let mut out = String::from("a=1");
            query(&spec(style, explode), &Value::Null, &mut out);
            assert_eq!(out, "a=1", "{style:?}");
        }
    }
    assert_eq!(header(&spec(Style::Simple, false), &Value::Null), None);
    assert!(cookie(&spec(Style::Form, true), &Value::Null).is_empty());
    // Null members are left out, null items stay (empty).
    assert_eq!(
        q(&spec(Style::Form, true), &json!({"a": null, "b": 1})),
        "b=1"
    );
    assert_eq!(
        q(&spec(Style::Form, false), &json!(["a", null, "c"])),
        "color=a,,c"
    );
    assert_eq!(q(&spec(Style::DeepObject, true), &json!({"a": null})), "");
}

#[test]
fn empty_arrays_and_objects() {
    let empty = json!([]);
    assert_eq!(path(&spec(Style::Simple, false), &empty), "");
    assert_eq!(path(&spec(Style::Label, true), &empty), ".");
    assert_eq!(path(&spec(Style::Matrix, true), &empty), ";color");
    for style in [Style::Form, Style::SpaceDelimited, Style::PipeDelimited] {
        for explode in [false, true] {
            assert_eq!(q(&spec(style, explode), &empty), "color=");
        }
    }
    assert_eq!(q(&spec(Style::DeepObject, true), &empty), "");
    assert_eq!(
        header(&spec(Style::Simple, false), &empty).as_deref(),
        Some("")
    );
    assert_eq!(
        cookie(&spec(Style::Form, true), &empty),
        [("color".to_owned(), String::new())]
    );

    let empty = json!({});
    assert_eq!(q(&spec(Style::Form, false), &empty), "color=");
    assert_eq!(q(&spec(Style::Form, true), &empty), "");
    assert_eq!(q(&spec(Style::DeepObject, true), &empty), "");
    assert_eq!(path(&spec(Style::Matrix, true), &empty), ";color");
    assert!(cookie(&spec(Style::Form, true), &empty).is_empty());
}

#[test]
fn nested_values() {
    // Inside arrays and objects, nested values are compact JSON.
    assert_eq!(
        q(&spec(Style::Form, false), &json!([{"a": 1}, "x"])),
        "color=%7B%22a%22%3A1%7D,x"
    );
    assert_eq!(
        path(&spec(Style::Simple, true), &json!({"a": [1, 2]})),
        "a=%5B1%2C2%5D"
    );
    // deepObject nests; arrays in it go by index.
    let value = json!({"a": {"b": 1, "c": [1, {"d": "x y"}]}, "n": null, "e": ""});
    assert_eq!(
        q(&spec(Style::DeepObject, true), &value),
        "color%5Ba%5D%5Bb%5D=1\
         &color%5Ba%5D%5Bc%5D%5B0%5D=1\
         &color%5Ba%5D%5Bc%5D%5B1%5D%5Bd%5D=x%20y\
         &color%5Be%5D="
    );
}

#[test]
fn query_appends_and_keeps_key_order() {
    let mut out = String::from("a=1");
    query(
        &spec(Style::Form, true),
        &json!({"z": 1, "m": 2, "a": 3}),
        &mut out,
    );
    assert_eq!(out, "a=1&z=1&m=2&a=3");
    query(&spec(Style::Form, true), &json!("x"), &mut out);
    assert_eq!(out, "a=1&z=1&m=2&a=3&color=x");
}

#[test]
fn styles_outside_their_place() {
    assert_eq!(path(&spec(Style::Form, false), &json!(["a", "b"])), "a,b");
    assert_eq!(
        q(&spec(Style::Matrix, true), &json!(["a", "b"])),
        "color=a&color=b"
    );
}

#[test]
fn headers() {
    let simple = spec(Style::Simple, false);
    assert_eq!(header(&simple, &json!("a b/c")).as_deref(), Some("a b/c"));
    assert_eq!(
        header(&simple, &json!(["blue", "black", "brown"])).as_deref(),
        Some("blue,black,brown")
    );
    assert_eq!(
        header(&simple, &json!({"R": 100, "G": 200})).as_deref(),
        Some("R,100,G,200")
    );
    assert_eq!(
        header(&spec(Style::Simple, true), &json!({"R": 100, "G": 200})).as_deref(),
        Some("R=100,G=200")
    );
    assert_eq!(header(&simple, &json!("")).as_deref(), Some(""));
}

#[test]
fn json_content_is_one_value_of_json_text() {
    let json_spec = spec(Style::Json, true);
    let filter = json!({"name": "a b", "tags": ["x", "y"]});
    assert_eq!(
        q(&json_spec, &filter),
        "color=%7B%22name%22%3A%22a%20b%22%2C%22tags%22%3A%5B%22x%22%2C%22y%22%5D%7D"
    );
    // A string is JSON text too: quoted.
    assert_eq!(q(&json_spec, &json!("blue")), "color=%22blue%22");
    assert_eq!(q(&json_spec, &json!(null)), "");
    assert_eq!(path(&json_spec, &json!([1, 2])), "%5B1%2C2%5D");
    assert_eq!(
        header(&json_spec, &json!({"R": 100})).as_deref(),
        Some(r#"{"R":100}"#)
    );
    assert_eq!(header(&json_spec, &json!(null)), None);
    assert_eq!(
        cookie(&json_spec, &json!(["a", "b"])),
        vec![("color".to_owned(), "[%22a%22%2C%22b%22]".to_owned())]
    );
}

#[test]
fn cookies() {
    let pair = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    let form = spec(Style::Form, false);
    assert_eq!(cookie(&form, &json!("blue")), [pair("color", "blue")]);
    assert_eq!(
        cookie(&form, &json!(["blue", "black", "brown"])),
        [pair("color", "blue,black,brown")]
    );
    assert_eq!(
        cookie(&form, &json!({"R": 100, "G": 200})),
        [pair("color", "R,100,G,200")]
    );
    let exploded = spec(Style::Form, true);
    assert_eq!(
        cookie(&exploded, &json!(["blue", "black"])),
        [pair("color", "blue"), pair("color", "black")]
    );
    assert_eq!(
        cookie(&exploded, &json!({"R": 100, "G": 200})),
        [pair("R", "100"), pair("G", "200")]
    );
    // What a cookie value cannot hold is encoded; tokens are not.
    assert_eq!(
        cookie(&form, &json!("a; b=\"c\",d\\é%")),
        [pair("color", "a%3B%20b=%22c%22%2Cd%5C%C3%A9%25")]
    );
    assert_eq!(
        cookie(&form, &json!("ab/c+d==")),
        [pair("color", "ab/c+d==")]
    );
    assert_eq!(cookie(&form, &json!(7)), [pair("color", "7")]);
}

#[test]
fn form_bodies() {
    let body = json!({
        "name": "x y&z",
        "tags": ["a", "b"],
        "ids": [1, 2],
        "filter": {"k": "v", "n": 1},
        "skip": null,
        "point": {"x": 1},
    });
    let encodings = [
        ("ids", Style::Form, false),
        ("filter", Style::DeepObject, true),
        ("unused", Style::PipeDelimited, false),
    ];
    assert_eq!(
        form_body(&body, &encodings).as_deref(),
        Ok("name=x%20y%26z&tags=a&tags=b&ids=1,2\
            &filter%5Bk%5D=v&filter%5Bn%5D=1&x=1")
    );
    assert_eq!(form_body(&json!({}), &[]).as_deref(), Ok(""));
    assert_eq!(
        form_body(&json!(["a"]), &[]),
        Err(
            "an application/x-www-form-urlencoded request body must be a JSON object, \
             not an array"
                .to_owned()
        )
    );
    assert!(form_body(&Value::Null, &[]).is_err());
}

#[test]
fn scalar_texts() {
    assert_eq!(scalar_text(&json!("a \"b\"")), "a \"b\"");
    assert_eq!(scalar_text(&json!(1)), "1");
    assert_eq!(scalar_text(&json!(1.5)), "1.5");
    assert_eq!(scalar_text(&json!(u64::MAX)), "18446744073709551615");
    assert_eq!(scalar_text(&json!(false)), "false");
    assert_eq!(scalar_text(&Value::Null), "");
    assert_eq!(scalar_text(&json!([1, "a"])), "[1,\"a\"]");
    assert_eq!(
        scalar_text(&json!({"b": 1, "a": [null]})),
        "{\"b\":1,\"a\":[null]}"
    );
}
