//! `X-Forwarded-For` names the client only when the peer is a trusted proxy
//! (`BUURTKRACHT_TRUSTED_PROXIES`); otherwise anyone could pick their own rate-limit bucket.
//! The strict password limit (5 wrong passwords per address and client) shows which client
//! the server saw.

use buurtkracht_tests::smtp::SmtpSink;
use buurtkracht_tests::{Backend, TestApp, spawn_app_with};
use serde_json::json;

const SIGN_IN: &str =
    "mutation($i: SignInWithPasswordInput!) { signInWithPassword(input: $i) { accessToken } }";

async fn app(backend: Backend, trusted: &str) -> Option<TestApp> {
    let smtp = SmtpSink::start().await;
    spawn_app_with(backend, smtp, &[("BUURTKRACHT_TRUSTED_PROXIES", trusted)]).await
}

/// A wrong password for one address, with `forwarded` as `X-Forwarded-For`; the error code.
async fn guess(app: &TestApp, forwarded: &str) -> String {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "query": SIGN_IN, "variables": { "i": { "email": "target@example.org", "password": "wrong-password" } } }))
        .send()
        .await
        .expect("request sent");
    let body: serde_json::Value = response.json().await.expect("JSON body");
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("OK")
        .to_owned()
}

async fn five_guesses(app: &TestApp, forwarded: &str) {
    for n in 0..5 {
        assert_eq!(guess(app, forwarded).await, "UNAUTHENTICATED", "guess {n}");
    }
}

async fn the_header_is_ignored_from_an_untrusted_peer(backend: Backend) {
    // The tests connect from 127.0.0.1, which is not trusted here.
    let Some(app) = app(backend, "10.0.0.0/8").await else {
        return;
    };
    five_guesses(&app, "198.51.100.1").await;
    assert_eq!(
        guess(&app, "198.51.100.2").await,
        "RATE_LIMITED",
        "a made-up X-Forwarded-For does not make a new client"
    );
}

async fn the_header_names_the_client_behind_a_trusted_proxy(backend: Backend) {
    let Some(app) = app(backend, "127.0.0.1").await else {
        return;
    };
    five_guesses(&app, "198.51.100.1").await;
    assert_eq!(guess(&app, "198.51.100.1").await, "RATE_LIMITED");
    assert_eq!(
        guess(&app, "198.51.100.2").await,
        "UNAUTHENTICATED",
        "another client behind the proxy"
    );
    assert_eq!(
        guess(&app, "198.51.100.2, 198.51.100.1").await,
        "RATE_LIMITED",
        "the right-most entry is the one the proxy wrote; a forged one to its left is ignored"
    );
    assert_eq!(
        guess(&app, "198.51.100.1, 127.0.0.1").await,
        "RATE_LIMITED",
        "trusted hops are skipped"
    );
}

mod sqlite {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn x_forwarded_for_is_ignored_when_the_peer_is_not_a_trusted_proxy() {
        the_header_is_ignored_from_an_untrusted_peer(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn x_forwarded_for_names_the_client_behind_a_trusted_proxy() {
        the_header_names_the_client_behind_a_trusted_proxy(Backend::Sqlite).await;
    }
}

mod postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn x_forwarded_for_is_ignored_when_the_peer_is_not_a_trusted_proxy() {
        the_header_is_ignored_from_an_untrusted_peer(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn x_forwarded_for_names_the_client_behind_a_trusted_proxy() {
        the_header_names_the_client_behind_a_trusted_proxy(Backend::Postgres).await;
    }
}
