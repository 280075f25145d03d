//! Bounds on what a server sends: a body is read as it arrives and the call
//! fails once it passes the client's limit, whether the server announces its
//! length or streams without end; a body within the limit decodes as usual.

use std::time::Duration;

use seam::{Error, Seam};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How a test server answers every request.
#[derive(Clone, Copy)]
enum Body {
    /// Chunks of 64 KiB, never a last one.
    Endless,
    /// A `Content-Length` of 10 GiB, then nothing.
    Announced,
    /// A small JSON body with `padding` bytes of whitespace before it.
    Json { padding: usize },
}

/// Serves `body` on a loopback port until the test ends; returns the port.
async fn serve(body: Body) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(answer(stream, body));
        }
    });
    port
}

async fn answer(mut stream: TcpStream, body: Body) {
    // The request's head; its body (a small JSON) comes in the same reads.
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nseam-request-id: req_big\r\n";
    match body {
        Body::Endless => {
            let head = format!("{head}transfer-encoding: chunked\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
            // Until the client hangs up.
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
        Body::Announced => {
            let head = format!("{head}content-length: {}\r\n\r\n", 10u64 << 30);
            let _ = stream.write_all(head.as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Body::Json { padding } => {
            let json = format!("{}{{\"devices\": [], \"ok\": true}}", " ".repeat(padding));
            let reply = format!("{head}content-length: {}\r\n\r\n{json}", json.len());
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    }
}

fn client(port: u16, limit: Option<u64>) -> Seam {
    let builder = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(20));
    match limit {
        Some(limit) => builder.max_response_size(limit),
        None => builder,
    }
    .build()
    .unwrap()
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let port = serve(Body::Endless).await;
    let err = client(port, Some(1 << 20))
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::ResponseTooLarge {
                operation: "devices.list",
                status: 200,
                limit: 1_048_576,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req_big"));
    assert_eq!(
        err.to_string(),
        "devices.list: the response (HTTP 200) is larger than the limit of 1048576 bytes"
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_default_limit_too() {
    let port = serve(Body::Endless).await;
    let err = client(port, None)
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ResponseTooLarge { limit, .. } if *limit == 128 << 20),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_reading() {
    let port = serve(Body::Announced).await;
    // The server sends nothing after its head: only refusing on the
    // announced length can end this call before the timeout.
    let err = client(port, Some(1 << 20))
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn a_body_within_the_limit_decodes() {
    let port = serve(Body::Json { padding: 4000 }).await;
    let devices = client(port, Some(4096))
        .devices()
        .list()
        .send()
        .await
        .unwrap();
    assert!(devices.is_empty());
    // One byte over: the same body is refused.
    let port = serve(Body::Json { padding: 4096 }).await;
    let err = client(port, Some(4096))
        .devices()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
}
