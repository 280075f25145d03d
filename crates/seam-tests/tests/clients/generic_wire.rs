//! What a client generated without any Seam configuration puts on the wire,
//! checked against a local recorder: `wire_example`, generated from
//! `specs/wire/openapi.yaml`, has one operation per parameter style and body
//! encoding.

use seam_tests::{Recorded, Recorder, Reply};
use wire_example::api::{PetsGetPetError, UploadResponse};
use wire_example::types::{
    GetFilePoint, GetTokenBodyMeta, GrantType, PetsGetPetFilter, PetsGetPetFilterKind,
    PetsGetPetWhere, Queued,
};
use wire_example::{Error, RetryPolicy, Upload, WireExample};

fn client(recorder: &Recorder) -> WireExample {
    WireExample::builder()
        .endpoint(recorder.endpoint())
        .api_key("k1")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn reply(status: u16, content_type: &str, body: &str) -> Reply {
    Reply::With {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.into(),
    }
}

fn pet_json() -> Reply {
    reply(200, "application/json", r#"{"id": "p1", "name": "Rex"}"#)
}

#[tokio::test]
async fn path_query_header_and_cookie_parameters_follow_their_styles() {
    // Generated structs are `#[non_exhaustive]`: built with `new`, their
    // optional fields set on the value.
    let mut filter = PetsGetPetFilter::new();
    filter.kind = Some(PetsGetPetFilterKind::Dog);
    filter.age = Some(3);
    let mut r#where = PetsGetPetWhere::new();
    r#where.owner = Some("Ann Lee".into());
    r#where.tags = Some(vec!["a".into()]);
    let recorder = Recorder::start(pet_json());
    let pet = client(&recorder)
        .pets()
        .get_pet()
        .pet_id("a b/c")
        .fields(["name", "id"])
        .ids([1, 2])
        .sizes(["s", "m"])
        .words(["big", "dog"])
        .filter(filter)
        .next("a/b?c=d")
        .r#where(r#where)
        .x_trace_id("t1")
        .x_flags(["x", "y"])
        .session("s1")
        .prefs(["p", "q"])
        .send()
        .await
        .unwrap();
    assert_eq!(pet.name, "Rex");
    let request = recorder.next();
    assert_eq!(
        request.request_line,
        "GET /pets/a%20b%2Fc?fields=name&fields=id&ids=1,2&sizes=s%7Cm&words=big%20dog\
         &filter%5Bkind%5D=dog&filter%5Bage%5D=3&next=a/b?c=d\
         &where=%7B%22owner%22%3A%22Ann%20Lee%22%2C%22tags%22%3A%5B%22a%22%5D%7D&key=k1 HTTP/1.1"
    );
    assert_eq!(request.header("x-trace-id"), Some("t1"));
    assert_eq!(request.header("x-flags"), Some("x,y"));
    assert_eq!(request.header("cookie"), Some("session=s1; prefs=p,q"));
    assert_eq!(request.header("accept"), Some("application/json"));
    // A GET sends no body and no content type.
    assert_eq!(request.header("content-type"), None);
    assert_eq!(request.body, "");
}

#[tokio::test]
async fn a_missing_required_path_parameter_is_refused_before_sending() {
    let recorder = Recorder::start(pet_json());
    let err = client(&recorder).pets().get_pet().send().await.unwrap_err();
    let Error::Validation { violations, .. } = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(violations[0].field, "petId");
    assert!(recorder.received().is_empty());
}

#[tokio::test]
async fn label_and_matrix_path_parameters_and_a_bytes_response() {
    let mut point = GetFilePoint::default();
    point.x = Some(1);
    point.y = Some(2);
    let recorder = Recorder::start(reply(200, "application/octet-stream", "raw bytes"));
    let bytes = client(&recorder)
        .get_file()
        .path(["docs", "a b"])
        .point(point)
        .send()
        .await
        .unwrap();
    assert_eq!(bytes, b"raw bytes");
    let request = recorder.next();
    assert_eq!(
        request.request_line,
        "GET /files/.docs,a%20b/;x=1;y=2?key=k1 HTTP/1.1"
    );
    // Not JSON: the client accepts what the server sends.
    assert_eq!(request.header("accept"), Some("*/*"));
}

#[tokio::test]
async fn basic_authentication_sends_the_encoded_pair() {
    let recorder = Recorder::start(pet_json());
    let client = WireExample::builder()
        .endpoint(recorder.endpoint())
        .basic("aladdin", "open sesame")
        .build()
        .unwrap();
    // The pair never shows in `Debug`.
    assert!(!format!("{client:?}").contains("sesame"));
    client.pets().get_pet().pet_id("p1").send().await.unwrap();
    let request = recorder.next();
    assert_eq!(
        request.header("authorization"),
        Some("Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    assert_eq!(request.request_line, "GET /pets/p1 HTTP/1.1");

    // An operation that takes no authentication does not get the pair
    // (what the recorder answers does not matter here).
    let _ = client
        .get_token()
        .grant_type(GrantType::ClientCredentials)
        .send()
        .await;
    let request = recorder.next();
    assert_eq!(request.request_line, "POST /token HTTP/1.1");
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn a_form_body_is_urlencoded_with_its_encodings() {
    let mut meta = GetTokenBodyMeta::new();
    meta.source = Some("cli".into());
    let recorder = Recorder::start(reply(200, "application/json", r#"{"access_token": "tok"}"#));
    let token = client(&recorder)
        .get_token()
        .grant_type(GrantType::ClientCredentials)
        .scope(["read", "write all"])
        .meta(meta)
        .send()
        .await
        .unwrap();
    assert_eq!(token.access_token.as_deref(), Some("tok"));
    let request = recorder.next();
    // `security: []`: the client's API key is not sent.
    assert_eq!(request.request_line, "POST /token HTTP/1.1");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body,
        "grant_type=client_credentials&scope=read&scope=write%20all&meta%5Bsource%5D=cli"
    );
}

/// The parts of a multipart body: (headers, content) each.
fn parts(request: &Recorded) -> Vec<(String, String)> {
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a multipart boundary");
    request
        .body
        .split(&format!("--{boundary}"))
        .filter(|p| !p.trim().is_empty() && p.trim() != "--")
        .map(|p| {
            let (head, content) = p.trim_start_matches("\r\n").split_once("\r\n\r\n").unwrap();
            (head.to_owned(), content.trim_end_matches("\r\n").to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_multipart_body_has_text_fields_and_files_and_the_reply_is_read_by_status() {
    let recorder = Recorder::start(reply(202, "application/json", r#"{"job": "j1"}"#));
    let response = client(&recorder)
        .upload()
        .title("Report")
        .tags(["a", "b"])
        .file(
            Upload::new("hello")
                .file_name("hello.txt")
                .content_type("text/plain"),
        )
        .attachments([Upload::new(vec![1u8, 2]), Upload::new("x")])
        .send()
        .await
        .unwrap();
    let mut queued = Queued::new();
    queued.job = Some("j1".into());
    assert_eq!(response, UploadResponse::Accepted(queued));
    let request = recorder.next();
    assert!(request
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let parts = parts(&request);
    let names: Vec<&str> = parts
        .iter()
        .map(|(head, _)| {
            head.split("name=\"")
                .nth(1)
                .and_then(|n| n.split('"').next())
                .unwrap()
        })
        .collect();
    assert_eq!(
        names,
        [
            "title",
            "tags",
            "tags",
            "file",
            "attachments",
            "attachments"
        ]
    );
    assert_eq!(parts[0].1, "Report");
    assert_eq!(parts[2].1, "b");
    assert!(
        parts[3].0.contains("filename=\"hello.txt\""),
        "{:?}",
        parts[3]
    );
    assert!(parts[3].0.contains("text/plain"), "{:?}", parts[3]);
    assert_eq!(parts[3].1, "hello");
    assert!(
        parts[4].0.contains("application/octet-stream"),
        "{:?}",
        parts[4]
    );
}

#[tokio::test]
async fn a_required_file_is_checked_before_sending() {
    let recorder = Recorder::start(reply(204, "text/plain", ""));
    let err = client(&recorder)
        .upload()
        .title("x")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`file`"), "{err}");
    assert!(recorder.received().is_empty());
}

#[tokio::test]
async fn a_status_without_a_body_is_its_own_variant() {
    let recorder = Recorder::start(reply(204, "text/plain", ""));
    let response = client(&recorder)
        .upload()
        .file(Upload::new("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response, UploadResponse::NoContent);
}

#[tokio::test]
async fn text_goes_as_text_plain_and_comes_back_as_a_string() {
    let recorder = Recorder::start(reply(201, "text/plain", "note: hi"));
    let text = client(&recorder)
        .create_note()
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_eq!(text, "note: hi");
    let request = recorder.next();
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.body, "hi");
}

#[tokio::test]
async fn bytes_go_as_octet_stream() {
    let recorder = Recorder::start(reply(204, "text/plain", ""));
    client(&recorder)
        .put_blob()
        .name("a.bin")
        .body(b"\x01\x02abc".to_vec())
        .send()
        .await
        .unwrap();
    let request = recorder.next();
    assert_eq!(request.request_line, "PUT /blobs/a.bin?key=k1 HTTP/1.1");
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, "\u{1}\u{2}abc");
}

#[tokio::test]
async fn error_bodies_are_typed_by_status_and_default() {
    let recorder = Recorder::start(reply(
        404,
        "application/json",
        r#"{"title": "no such pet", "status": 404}"#,
    ));
    let err = client(&recorder)
        .pets()
        .get_pet()
        .pet_id("p9")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    match PetsGetPetError::from_error(&err) {
        Some(PetsGetPetError::NotFound(problem)) => assert_eq!(problem.title, "no such pet"),
        other => panic!("expected NotFound, got {other:?}"),
    }

    let recorder = Recorder::start(reply(
        422,
        "application/problem+json",
        r#"{"title": "bad filter"}"#,
    ));
    let err = client(&recorder)
        .pets()
        .get_pet()
        .pet_id("p9")
        .send()
        .await
        .unwrap_err();
    match PetsGetPetError::from_error(&err) {
        Some(PetsGetPetError::Other(problem)) => assert_eq!(problem.title, "bad filter"),
        other => panic!("expected Other, got {other:?}"),
    }

    // A body that does not match its type is no typed error (and the API
    // error still says what came back).
    let recorder = Recorder::start(reply(404, "application/json", r#"{"nope": 1}"#));
    let err = client(&recorder)
        .pets()
        .get_pet()
        .pet_id("p9")
        .send()
        .await
        .unwrap_err();
    assert_eq!(PetsGetPetError::from_error(&err), None);
}

#[tokio::test]
async fn the_server_variable_default_is_the_endpoint() {
    let client = WireExample::builder().api_key("k1").build().unwrap();
    assert_eq!(client.endpoint(), "https://eu.example.com/v1");
}
