//! E-mail delivery under faults: a slow SMTP server, two senders on one database, and a
//! sender killed (SIGKILL) in the middle of a batch. The promise (README, "E-mail"): every
//! message at least once; a copy only when the sender dies between the server's acceptance
//! and the mark; each message marked as soon as it was accepted; nothing else waits a lease.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use buurtkracht::db::{Database, DatabaseUrl, DbError};
use buurtkracht::domain::outbox;
use buurtkracht::email::{Email, Mailer};
use buurtkracht::jobs::outbox::OutboxJob;
use buurtkracht_tests::smtp::{Received, SmtpSink};
use buurtkracht_tests::{Backend, free_port, server_binary, spawn_app_with};
use diesel::prelude::*;

fn message_id(m: &Received) -> Option<String> {
    m.data
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| l["message-id:".len()..].trim().to_owned())
}

async fn queue(db: &Database, addresses: &[String]) {
    let addresses = addresses.to_vec();
    db.run(move |conn| {
        let at = buurtkracht::domain::now();
        for a in &addresses {
            let email = Email {
                to: a.clone(),
                subject: "Test".into(),
                text: format!("Hallo {a}"),
                html: format!("<p>Hallo {a}</p>"),
            };
            outbox::enqueue(conn, "test", &email, at)?;
        }
        Ok::<_, DbError>(())
    })
    .await
    .expect("queued");
}

fn sent_count(db: &Database) -> i64 {
    use buurtkracht::db::schema::outbox_messages as o;
    let mut conn = db.get().expect("connection");
    o::table
        .filter(o::sent_at.is_not_null())
        .count()
        .get_result(&mut **conn)
        .expect("count")
}

async fn slow_server_and_two_senders(backend: Backend) {
    let sink = SmtpSink::start_slow(Duration::from_millis(300)).await;
    let Some(app) = spawn_app_with(backend, sink.clone(), &[]).await else {
        return;
    };
    // A second sender on the same database, as a second server instance would be.
    let from: lettre::message::Mailbox = "Buurtkracht <noreply@buurtkracht.test>"
        .parse()
        .expect("mailbox");
    let second = OutboxJob {
        db: app.db.clone(),
        mailer: Mailer::smtp(&format!("smtp://127.0.0.1:{}", sink.port), from).expect("mailer"),
        retry_base: chrono::TimeDelta::milliseconds(200),
        wake: std::sync::Arc::new(tokio::sync::Notify::new()),
    };
    let second = tokio::spawn(second.run());
    let addresses: Vec<String> = (0..10).map(|i| format!("slow{i}@example.org")).collect();
    queue(&app.db, &addresses).await;
    // Marked one by one: when the 6th message has reached the server, at least four are
    // marked (at most two are in flight, one per sender).
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.messages().len() < 6 {
        assert!(
            Instant::now() < deadline,
            "the slow server got {} messages",
            sink.messages().len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let marked = sent_count(&app.db);
    assert!(
        marked >= 4,
        "only {marked} of the first 6 messages are marked sent"
    );
    while sink.messages().len() < addresses.len() || sent_count(&app.db) < addresses.len() as i64 {
        assert!(
            Instant::now() < deadline,
            "not all delivered: {} received",
            sink.messages().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    second.abort();
    let received = sink.messages();
    let mut per_address: HashMap<String, usize> = HashMap::new();
    for m in &received {
        *per_address.entry(m.to.join(",")).or_default() += 1;
    }
    assert_eq!(
        received.len(),
        addresses.len(),
        "two senders never send one message twice: {per_address:?}"
    );
    for a in &addresses {
        assert_eq!(per_address.get(a), Some(&1), "{a}");
    }
    // Stable Message-IDs from the outbox row.
    for m in &received {
        let id = message_id(m).expect("a Message-ID");
        assert!(id.starts_with("<outbox-"), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_mail_to_a_slow_server_is_marked_one_by_one_and_two_senders_never_send_twice() {
    slow_server_and_two_senders(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_mail_to_a_slow_server_is_marked_one_by_one_and_two_senders_never_send_twice() {
    slow_server_and_two_senders(Backend::Postgres).await;
}

fn start_server(dir: &std::path::Path, port: u16, smtp: u16) -> std::process::Child {
    std::process::Command::new(server_binary())
        .arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BUURTKRACHT_CONFIG", "/dev/null")
        .env("BUURTKRACHT_LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("db.sqlite3").display()),
        )
        .env("BUURTKRACHT_WEB_DIR", dir.join("web"))
        .env("BUURTKRACHT_SMTP_URL", format!("smtp://127.0.0.1:{smtp}"))
        .env(
            "BUURTKRACHT_MAIL_FROM",
            "Buurtkracht <noreply@buurtkracht.test>",
        )
        .env("BUURTKRACHT_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts")
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            && r.status().is_success()
        {
            return;
        }
        assert!(Instant::now() < deadline, "the server did not get ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_mid_batch_strands_nothing_and_copies_at_most_the_message_in_flight() {
    let dir = tempfile::tempdir().expect("folder");
    let sink = SmtpSink::start_slow(Duration::from_millis(500)).await;
    let port = free_port();
    let mut server = start_server(dir.path(), port, sink.port);
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    let addresses: Vec<String> = (0..6).map(|i| format!("kill{i}@example.org")).collect();
    let url = DatabaseUrl::Sqlite(dir.path().join("db.sqlite3"));
    let db = Database::open(&url, 1).expect("the server's database");
    queue(&db, &addresses).await;
    // Kill the server while the third message waits for the server's acceptance.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.messages().len() < 3 {
        assert!(
            Instant::now() < deadline,
            "the first messages did not arrive"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("the server ended");
    assert_eq!(
        sent_count(&db),
        2,
        "the first two were marked as soon as they were accepted"
    );
    let mut server = start_server(dir.path(), port, sink.port);
    wait_ready(&client, port).await;
    // The rest arrive at once; only the message in flight waits for its lease (60 s).
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.messages().len() < addresses.len() {
        assert!(
            Instant::now() < deadline,
            "after the restart only {} of {} arrived",
            sink.messages().len(),
            addresses.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while sent_count(&db) < 5 {
        assert!(Instant::now() < deadline, "the rest are marked");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    let received = sink.messages();
    let mut seen = std::collections::HashSet::new();
    for m in &received {
        assert!(
            seen.insert(m.to.join(",")),
            "no copy within the lease: {:?}",
            m.to
        );
    }
    assert_eq!(received.len(), addresses.len());
    // The one in flight is the only one left: accepted, not marked, claimed. It is sent again
    // when its lease runs out, with the same Message-ID.
    use buurtkracht::db::schema::outbox_messages as o;
    let mut conn = db.get().expect("connection");
    let left: Vec<(String, Option<chrono::NaiveDateTime>)> = o::table
        .filter(o::sent_at.is_null())
        .select((o::recipient, o::claimed_until))
        .load(&mut **conn)
        .expect("unsent");
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].0, received[2].to.join(","));
    assert!(left[0].1.is_some(), "still claimed by the killed sender");
    let ids: Vec<String> = received.iter().filter_map(message_id).collect();
    assert_eq!(ids.len(), addresses.len());
    assert!(
        ids.iter()
            .all(|id| id.starts_with("<outbox-") && id.ends_with("@buurtkracht.test>")),
        "{ids:?}"
    );
}
