//! Password guessing never locks the owner out: a strict limit per (address, client), a soft,
//! growing delay per address, one warning e-mail to the owner an hour, the sign-in link always
//! working, and the same answers for unknown addresses. The server trusts 127.0.0.1 as a proxy
//! here, so `X-Forwarded-For` plays the different clients.

use std::time::Duration;

use buurtkracht_tests::smtp::SmtpSink;
use buurtkracht_tests::{Backend, GqlResponse, TestApp, spawn_app_with};
use serde_json::json;

const SIGN_IN: &str = "mutation($i: SignInWithPasswordInput!) { signInWithPassword(input: $i) { accessToken viewer { email } } }";
const PASSWORD: &str = "fiets-tulp-gracht-7";
const OWNER: &str = "kees@example.org";
const WARNING_NL: &str = "Subject: Iemand probeert in te loggen met jouw e-mailadres";

async fn app(backend: Backend) -> Option<TestApp> {
    let smtp = SmtpSink::start().await;
    spawn_app_with(
        backend,
        smtp,
        &[("BUURTKRACHT_TRUSTED_PROXIES", "127.0.0.1, ::1")],
    )
    .await
}

/// `signInWithPassword` from the client `from`, in English.
async fn sign_in(app: &TestApp, from: &str, email: &str, password: &str) -> GqlResponse {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "en")
        .header("x-forwarded-for", from)
        .json(&json!({ "query": SIGN_IN, "variables": { "i": { "email": email, "password": password } } }))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let body = response.json().await.expect("JSON body");
    GqlResponse { status, body }
}

fn code(r: &GqlResponse) -> String {
    r.error_code().unwrap_or("OK").to_owned()
}

fn retry_after(r: &GqlResponse) -> Option<u64> {
    r.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64()
}

/// The owner: an account with a password, writing in Dutch.
async fn owner(app: &TestApp) {
    let session = app.quick_session(OWNER, "Kees").await;
    let token = Some(session.access_token.as_str());
    let set = "mutation($i: SetPasswordInput!) { setPassword(input: $i) }";
    let r = app
        .graphql_as(
            token,
            "en",
            set,
            json!({ "i": { "newPassword": PASSWORD } }),
        )
        .await;
    assert_eq!(r.data()["setPassword"], true);
    let profile = "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { language } }";
    let r = app
        .graphql_as(
            token,
            "en",
            profile,
            json!({ "i": { "displayName": "Kees", "language": "NL" } }),
        )
        .await;
    assert_eq!(r.data()["updateProfile"]["language"], "NL");
}

fn warnings(app: &TestApp) -> usize {
    app.smtp
        .messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == OWNER) && m.decoded().contains(WARNING_NL))
        .count()
}

async fn the_owner_signs_in_while_others_guess(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    owner(&app).await;

    // One client guesses: five wrong passwords, then the strict limit for that client only.
    for n in 0..5 {
        let r = sign_in(&app, "203.0.113.1", OWNER, &format!("guess-number-{n}")).await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "guess {n}: {:#}", r.body);
    }
    let refused = sign_in(&app, "203.0.113.1", OWNER, PASSWORD).await;
    assert_eq!(
        code(&refused),
        "RATE_LIMITED",
        "even the right password, from the guessing client"
    );
    let wait = retry_after(&refused).expect("retryAfterSeconds");
    assert!(
        (850..=900).contains(&wait),
        "until the first guess is 15 minutes old: {wait}"
    );
    let owner_in = sign_in(&app, "198.51.100.7", OWNER, PASSWORD).await;
    assert_eq!(
        owner_in.data()["signInWithPassword"]["viewer"]["email"],
        OWNER
    );

    // A second client: ten wrong passwords for the address in all trip the soft limit.
    for n in 0..5 {
        let r = sign_in(&app, "203.0.113.2", OWNER, &format!("other-guess-{n}")).await;
        assert_eq!(code(&r), "UNAUTHENTICATED", "guess {n}: {:#}", r.body);
    }
    let mail = app
        .smtp
        .wait_for(OWNER, Duration::from_secs(10))
        .await
        .expect("the owner is warned");
    let text = mail.decoded();
    assert!(text.contains(WARNING_NL), "{text}");
    assert!(
        text.contains("Je eigen wachtwoord werkt nog gewoon"),
        "{text}"
    );
    assert!(
        text.contains("http://buurtkracht.test/sign-in"),
        "the way to a sign-in link: {text}"
    );

    // Every new attempt on the address now waits first, a guesser's as well as the owner's.
    let third = sign_in(&app, "203.0.113.3", OWNER, "third-client-guess").await;
    assert_eq!(code(&third), "RATE_LIMITED");
    assert_eq!(retry_after(&third), Some(1));
    assert_eq!(
        third.error_message(),
        "Too many attempts. Try again in 1 second."
    );
    let early = sign_in(&app, "198.51.100.7", OWNER, PASSWORD).await;
    assert_eq!(code(&early), "RATE_LIMITED");
    let wait = retry_after(&early).expect("retryAfterSeconds");
    assert!(wait <= 2, "a short wait: {wait}");
    // ... once: the owner's pass holds while the third client guesses again meanwhile.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = sign_in(&app, "203.0.113.3", OWNER, "third-client-guess").await;
    assert_eq!(
        code(&r),
        "UNAUTHENTICATED",
        "the third client's one admitted guess"
    );
    let again = sign_in(&app, "203.0.113.3", OWNER, "third-client-guess-2").await;
    assert_eq!(code(&again), "RATE_LIMITED");
    assert_eq!(
        retry_after(&again),
        Some(2),
        "the delay grows with the wrong passwords"
    );
    tokio::time::sleep(Duration::from_millis(wait * 1000 + 100 - 1100)).await;
    let owner_in = sign_in(&app, "198.51.100.7", OWNER, PASSWORD).await;
    assert_eq!(
        owner_in.data()["signInWithPassword"]["viewer"]["email"],
        OWNER,
        "the right password after one wait"
    );
    let strict = sign_in(&app, "203.0.113.1", OWNER, "guess-number-9").await;
    assert_eq!(code(&strict), "RATE_LIMITED");
    assert!(retry_after(&strict).is_some_and(|s| s > 800));

    // The sign-in link works regardless.
    let seen = app.smtp.count_for(OWNER);
    let request = "mutation($i: RequestSignInLinkInput!) { requestSignInLink(input: $i) }";
    assert_eq!(
        app.graphql(request, json!({ "i": { "email": OWNER } }))
            .await
            .data()["requestSignInLink"],
        true
    );
    let link = app
        .smtp
        .wait_for_new(OWNER, seen, Duration::from_secs(10))
        .await
        .expect("the link");
    let token = link.sign_in_token().expect("a sign-in link");
    let session = app
        .sign_in_with_link(&token)
        .await
        .expect("signed in with the link");
    assert_eq!(session.viewer["email"], OWNER);

    // One warning an hour, however many more wrong passwords.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(warnings(&app), 1, "exactly one warning");
}

/// The answers to a fixed sequence of attempts on `email`, from clients numbered by `net`.
async fn answers(app: &TestApp, net: u8, email: &str) -> Vec<(String, Option<u64>)> {
    let mut out = Vec::new();
    let mut push = |r: GqlResponse| {
        let retry = retry_after(&r);
        // The strict wait counts down from 900 seconds: compare it by its size.
        out.push((code(&r), retry.map(|s| if s > 800 { 900 } else { s })));
    };
    for client in 1..=2 {
        for n in 0..5 {
            push(
                sign_in(
                    app,
                    &format!("192.0.{net}.{client}"),
                    email,
                    &format!("wrong-password-{n}"),
                )
                .await,
            );
        }
    }
    push(sign_in(app, &format!("192.0.{net}.1"), email, "wrong-password-x").await);
    push(sign_in(app, &format!("192.0.{net}.3"), email, "wrong-password-y").await);
    push(sign_in(app, &format!("192.0.{net}.3"), email, "wrong-password-z").await);
    out
}

async fn an_unknown_address_gets_the_same_answers(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    owner(&app).await;
    let known = answers(&app, 10, OWNER).await;
    let unknown = answers(&app, 20, "nobody@example.org").await;
    assert_eq!(known, unknown, "no account enumeration");
    let mut expected: Vec<(String, Option<u64>)> = vec![("UNAUTHENTICATED".into(), None); 10];
    expected.push(("RATE_LIMITED".into(), Some(900)));
    expected.push(("RATE_LIMITED".into(), Some(1)));
    expected.push(("RATE_LIMITED".into(), Some(1)));
    assert_eq!(known, expected);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(warnings(&app), 1);
    assert_eq!(app.smtp.count_for("nobody@example.org"), 0);
    assert_eq!(app.smtp.messages().len(), 1, "only the owner's warning");
}

mod sqlite {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_owner_signs_in_with_the_right_password_while_others_guess() {
        the_owner_signs_in_while_others_guess(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unknown_address_gets_the_same_answers_as_a_known_one() {
        an_unknown_address_gets_the_same_answers(Backend::Sqlite).await;
    }
}

mod postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_owner_signs_in_with_the_right_password_while_others_guess() {
        the_owner_signs_in_while_others_guess(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unknown_address_gets_the_same_answers_as_a_known_one() {
        an_unknown_address_gets_the_same_answers(Backend::Postgres).await;
    }
}
