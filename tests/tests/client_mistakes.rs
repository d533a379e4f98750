//! A client's mistakes (a bad request line, oversized headers, a body that is too large,
//! malformed JSON) get a 4xx answer and are logged below ERROR: ERROR is for when the server is
//! wrong. The real binary runs with JSON logs, the requests go over a raw TCP stream.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use buurtkracht_tests::{free_port, server_binary};
use serde_json::Value;

/// Send `request` as it is and return the status line of the answer ("" when the server
/// closed the connection without one).
fn send(port: u16, request: &[u8]) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    // The server may answer and close before it has read everything; that is fine.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn post_graphql(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// The server process, stopped when the test ends (also when it fails).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn client_mistakes_get_a_4xx_and_are_not_logged_as_errors() {
    let dir = tempfile::tempdir().expect("folder");
    let port = free_port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let server = std::process::Command::new(server_binary())
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BUURTKRACHT_CONFIG", "/dev/null")
        .env("BUURTKRACHT_LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("db.sqlite3").display()),
        )
        .env("BUURTKRACHT_WEB_DIR", dir.path().join("web"))
        .env("BUURTKRACHT_OUTBOX_DIR", dir.path().join("outbox"))
        .env("BUURTKRACHT_LOG", "info")
        .env("BUURTKRACHT_LOG_FORMAT", "json")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the server starts");
    let server = Server(server);

    let deadline = Instant::now() + Duration::from_secs(30);
    while !send(
        port,
        b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .contains(" 200")
    {
        assert!(Instant::now() < deadline, "the server did not get ready");
        std::thread::sleep(Duration::from_millis(50));
    }

    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        (0..200)
            .map(|i| format!("X-H{i}: {i}\r\n"))
            .collect::<String>()
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a bad request line", b"NONSENSE\r\n\r\n".to_vec(), " 400"),
        (
            "a bad header",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n".to_vec(),
            " 400",
        ),
        ("an oversized header", huge_header.into_bytes(), " 431"),
        ("too many headers", many_headers.into_bytes(), " 431"),
        (
            "a body that is too large",
            post_graphql("application/json", &vec![b' '; 2 * 1024 * 1024]),
            " 413",
        ),
        (
            "malformed JSON",
            post_graphql("application/json", b"{\"query\": "),
            " 400",
        ),
        (
            "an unknown content type",
            post_graphql("text/plain", b"{ viewer { email } }"),
            " 415",
        ),
    ];
    let mut answers = Vec::new();
    for (what, request, status) in &cases {
        let line = send(port, request);
        answers.push(format!("{what}: {line:?}"));
        assert!(
            line.contains(status),
            "{what}: expected{status}, got {line:?}"
        );
    }
    // Give the server a moment to write its last lines.
    std::thread::sleep(Duration::from_millis(300));
    drop(server);

    let text = std::fs::read_to_string(&log_path).expect("the log");
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!lines.is_empty(), "no JSON log lines: {text}");
    let errors: Vec<&Value> = lines
        .iter()
        .filter(|l| l["level"].as_str() == Some("ERROR"))
        .collect();
    assert!(
        errors.is_empty(),
        "client mistakes logged as ERROR: {errors:#?}\nanswers: {answers:#?}"
    );
    // They are still visible in the log, below ERROR: unreadable requests by a line of ours,
    // the others by their request line.
    let unreadable = lines
        .iter()
        .filter(|l| {
            l["message"].as_str() == Some("a client's request could not be read")
                && l["level"].as_str() == Some("INFO")
        })
        .count();
    assert!(
        unreadable >= 4,
        "the four unreadable requests are logged at INFO: {text}"
    );
    for status in [400, 413, 415] {
        assert!(
            lines.iter().any(|l| l["status"].as_u64() == Some(status)
                && matches!(l["level"].as_str(), Some("INFO" | "WARN"))),
            "no log line for status {status}: {text}"
        );
    }
}
