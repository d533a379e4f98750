//! When the database is away, say so quickly: HTTP 503, `UNAVAILABLE`, `Retry-After`, a
//! message to try again in a moment, and the real cause in the log; and back to normal when
//! the database is.

use std::time::{Duration, Instant};

use buurtkracht_tests::{Backend, FreshDatabase, TestApp, spawn_app, spawn_app_if_available};
use diesel::{Connection as _, PgConnection, RunQueryDsl as _};
use serde_json::json;

const LIST: &str = "{ neighbourhoods { edges { node { id name } } } }";

async fn expect_unavailable(app: &TestApp, response: reqwest::Response, started: Instant) {
    let _ = app;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 503);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("try again in a moment"), "{message}");
    assert!(
        elapsed < Duration::from_secs(2),
        "answered after {elapsed:?}"
    );
}

fn post(app: &TestApp, query: &str) -> reqwest::RequestBuilder {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "en")
        .json(&json!({ "query": query }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_mid_request_is_answered_503_unavailable_within_two_seconds() {
    let Some(app) = spawn_app_if_available(Backend::Postgres).await else {
        return;
    };
    let token = app.admin_token("admin@example.org").await;
    app.create_neighbourhood(&token, "Transvaal").await;
    assert_eq!(post(&app, LIST).send().await.expect("sent").status(), 200);
    let FreshDatabase::Postgres {
        admin_url,
        name,
        url,
    } = &app.database
    else {
        unreachable!("a PostgreSQL app has a PostgreSQL database");
    };
    // Hold the table, so that the next request is in the middle of its work when the
    // database goes away.
    let mut holder = PgConnection::establish(url).expect("connect");
    let holder_pid: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
        "pg_backend_pid()",
    ))
    .get_result(&mut holder)
    .expect("pid");
    diesel::sql_query("BEGIN")
        .execute(&mut holder)
        .expect("begin");
    diesel::sql_query("LOCK TABLE neighbourhoods IN ACCESS EXCLUSIVE MODE")
        .execute(&mut holder)
        .expect("lock");
    let waiting = tokio::spawn(post(&app, LIST).send());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "the request waits for the table");
    // Stop the database: no new connections, every open one ended (as a shutdown does).
    let mut admin = PgConnection::establish(admin_url).expect("connect as admin");
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .execute(&mut admin)
        .expect("close the database");
    let stopped = Instant::now();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> {holder_pid}"
    ))
    .execute(&mut admin)
    .expect("end its connections");
    let response = waiting.await.expect("joined").expect("answered");
    expect_unavailable(&app, response, stopped).await;
    drop(holder);
    // A new request, while the database stays away, too.
    let started = Instant::now();
    let response = post(&app, LIST).send().await.expect("answered");
    expect_unavailable(&app, response, started).await;
    // Back: the broken connections were dropped, the next request works.
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&mut admin)
        .expect("open the database");
    // Each pooled connection the database dropped fails once more and is then replaced (no
    // test query on checkout): within the pool size (4 in tests) plus one, requests work again.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let status = post(&app, LIST)
            .send()
            .await
            .expect("answered")
            .status()
            .as_u16();
        statuses.push(status);
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{statuses:?}");
    }
    assert_eq!(statuses.last(), Some(&200), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_disk_is_answered_503_unavailable_and_loses_nothing() {
    let app = spawn_app(Backend::Sqlite).await;
    let token = app.admin_token("admin@example.org").await;
    app.create_neighbourhood(&token, "Transvaal").await;
    // Fill the disk: every connection of the pool (4 in tests) may not grow the file further.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = app.db.get().expect("connection");
        let pages: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT page_count FROM pragma_page_count())",
        ))
        .get_result(&mut **conn)
        .expect("page count");
        diesel::connection::SimpleConnection::batch_execute(
            &mut **conn,
            &format!("PRAGMA max_page_count = {pages}"),
        )
        .expect("limit the file");
        held.push(conn);
    }
    drop(held);
    let create =
        "mutation($input: CreateNeighbourhoodInput!) { createNeighbourhood(input: $input) { id } }";
    let mut refused = None;
    for i in 0..400 {
        let started = Instant::now();
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("accept-language", "en")
            .bearer_auth(&token)
            .json(&json!({ "query": create, "variables": { "input": { "name": format!("Buurt {i}"), "description": "x".repeat(2000) } } }))
            .send()
            .await
            .expect("answered");
        if response.status() != 200 {
            refused = Some((response, started));
            break;
        }
    }
    let (response, started) = refused.expect("the full disk refuses a write");
    expect_unavailable(&app, response, started).await;
    // Nothing half-written; what was stored can still be read.
    let r = app.graphql(LIST, json!({})).await;
    assert!(
        r.data()["neighbourhoods"]["edges"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
}
