//! A real SMTP server on loopback for tests: it speaks enough SMTP for lettre (EHLO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT) and keeps every message it receives.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A received message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message (headers and body), with dot-stuffing undone.
    pub data: String,
}

impl Received {
    /// The message with quoted-printable soft line breaks and `=3D` undone, for searching.
    pub fn decoded(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The first `sign-in?token=…` link's token.
    pub fn sign_in_token(&self) -> Option<String> {
        self.token_after("sign-in?token=")
    }

    /// The token of the confirmation link (`/bevestig?token=…`) of a pending action.
    pub fn confirm_token(&self) -> Option<String> {
        self.token_after("bevestig?token=")
    }

    fn token_after(&self, marker: &str) -> Option<String> {
        let text = self.decoded();
        let start = text.find(marker)? + marker.len();
        let token: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!token.is_empty()).then_some(token)
    }
}

/// The server and its mailbox.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl SmtpSink {
    /// Listen on a free port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Listen on `port` (0 for any free one).
    pub async fn start_on(port: u16) -> Self {
        Self::listen(port, Duration::ZERO).await
    }

    /// A slow server: it keeps each message as soon as it has it, then waits `delay` before it
    /// says it accepted it (as a busy relay does).
    pub async fn start_slow(delay: Duration) -> Self {
        Self::listen(0, delay).await
    }

    async fn listen(port: u16, delay: Duration) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("SMTP sink binds");
        let port = listener.local_addr().expect("address").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&messages);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let _ = session(stream, store, delay).await;
                });
            }
        });
        Self {
            port,
            messages,
            task: Arc::new(task),
        }
    }

    /// Stop listening (messages already received stay readable).
    pub fn stop(&self) {
        self.task.abort();
    }

    /// Everything received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Wait until a message to `address` arrives (at most `timeout`).
    pub async fn wait_for(&self, address: &str, timeout: Duration) -> Option<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(m) = self
                .messages()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            {
                return Some(m);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Wait until more than `seen` messages went to `address`; the newest one.
    pub async fn wait_for_new(
        &self,
        address: &str,
        seen: usize,
        timeout: Duration,
    ) -> Option<Received> {
        let deadline = Instant::now() + timeout;
        while self.count_for(address) <= seen {
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.wait_for(address, Duration::ZERO).await
    }

    /// How many messages went to `address`.
    pub fn count_for(&self, address: &str) -> usize {
        self.messages()
            .iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .count()
    }
}

fn address_in(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line.rfind('>').unwrap_or(line.len());
    line.get(start..end).unwrap_or_default().trim().to_owned()
}

async fn session(
    stream: TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
    delay: Duration,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 sink.test\r\n").await?;
        } else if upper.starts_with("MAIL FROM") {
            from = address_in(&line);
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            to.push(address_in(&line));
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            if let Ok(mut messages) = store.lock() {
                messages.push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
            }
            tokio::time::sleep(delay).await;
            write.write_all(b"250 OK: queued\r\n").await?;
        } else if upper == "RSET" || upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            break;
        } else {
            write.write_all(b"502 Command not implemented\r\n").await?;
        }
    }
    Ok(())
}
