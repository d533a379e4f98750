//! Sign-in by e-mail link through a real SMTP server, sessions, rotation, sign-out, the outbox.

use std::time::Duration;

use buurtkracht_tests::smtp::SmtpSink;
use buurtkracht_tests::{Backend, on_both_backends, spawn_app_with};
use serde_json::json;

const REGISTER: &str = "mutation($input: RegisterInput!) { register(input: $input) }";
const REQUEST: &str =
    "mutation($input: RequestSignInLinkInput!) { requestSignInLink(input: $input) }";
const VIEWER: &str = "{ viewer { email displayName language isAdmin } }";

on_both_backends! {
    async fn a_new_resident_signs_in_with_the_link_from_the_welcome_mail(app) {
        let session = app.sign_up("amina@example.org", "Amina").await;
        assert_eq!(session.viewer["email"], "amina@example.org");
        assert_eq!(session.viewer["displayName"], "Amina");
        assert_eq!(session.viewer["language"], "EN");
        let mail = &app.smtp.messages()[0];
        assert!(mail.decoded().contains("Subject: Welcome to Buurtkracht"), "{}", mail.data);
        assert!(mail.decoded().contains("http://buurtkracht.test/sign-in?token="));
        assert!(mail.data.contains("text/html") && mail.data.contains("text/plain"));

        let me = app.graphql_as(Some(&session.access_token), "en", VIEWER, json!({})).await;
        assert_eq!(me.data()["viewer"]["email"], "amina@example.org");
        let visitor = app.graphql(VIEWER, json!({})).await;
        assert_eq!(visitor.data()["viewer"], serde_json::Value::Null);
    }

    async fn a_link_works_once(app) {
        app.graphql(REGISTER, json!({ "input": { "email": "bo@example.org", "displayName": "Bo", "language": "NL" } })).await;
        let mail = app.smtp.wait_for("bo@example.org", Duration::from_secs(10)).await.expect("mail");
        assert!(mail.decoded().contains("Welkom bij Buurtkracht"), "the mail is in the chosen language");
        let token = mail.sign_in_token().expect("token");
        app.sign_in_with_link(&token).await.expect("first use");
        let again = app.sign_in_with_link(&token).await.expect_err("second use refused");
        assert_eq!(again.error_code(), Some("VALIDATION"));
        assert_eq!(again.field_codes(), vec![("token".to_owned(), "ALREADY_USED".to_owned())]);
    }

    async fn an_expired_or_forged_link_is_refused_clearly(app) {
        app.graphql(REGISTER, json!({ "input": { "email": "cas@example.org", "displayName": "Cas", "language": "EN" } })).await;
        let token = app.smtp.wait_for("cas@example.org", Duration::from_secs(10)).await.expect("mail").sign_in_token().expect("token");
        app.db.run(|conn| {
            use buurtkracht::db::schema::sign_in_links;
            use diesel::prelude::*;
            diesel::update(sign_in_links::table)
                .set(sign_in_links::expires_at.eq(chrono::DateTime::from_timestamp(0, 0).expect("epoch").naive_utc()))
                .execute(conn)
                .map_err(buurtkracht::db::DbError::from)
        }).await.expect("expired");
        let expired = app.sign_in_with_link(&token).await.expect_err("expired");
        assert_eq!(expired.field_codes(), vec![("token".to_owned(), "EXPIRED".to_owned())]);
        assert_eq!(expired.error_message(), "The link has expired. Ask for a new one.");
        for forged in ["forged", "", &"x".repeat(500)] {
            let r = app.sign_in_with_link(forged).await.expect_err("forged");
            assert_eq!(r.error_code(), Some("VALIDATION"), "{forged}");
        }
    }

    async fn asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(app) {
        app.sign_up("known@example.org", "Known").await;
        let known = app.graphql(REQUEST, json!({ "input": { "email": "known@example.org" } })).await;
        let unknown = app.graphql(REQUEST, json!({ "input": { "email": "nobody@example.org" } })).await;
        assert_eq!(known.status, unknown.status);
        assert_eq!(known.body, unknown.body);
        let again = app.graphql(REGISTER, json!({ "input": { "email": "known@example.org", "displayName": "Other", "language": "EN" } })).await;
        let fresh = app.graphql(REGISTER, json!({ "input": { "email": "fresh@example.org", "displayName": "Fresh", "language": "EN" } })).await;
        assert_eq!(again.body, fresh.body);
        assert!(app.smtp.wait_for("fresh@example.org", Duration::from_secs(10)).await.is_some());
        // The known address got its original welcome, a link for the request, and one for the
        // second registration; the unknown address got a mail that offers an account (no dead
        // end), without a sign-in link.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while app.smtp.count_for("known@example.org") < 3 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(app.smtp.count_for("known@example.org"), 3);
        let offer = app.smtp.wait_for("nobody@example.org", Duration::from_secs(10)).await.expect("a mail for the unknown address");
        assert!(offer.sign_in_token().is_none() && offer.confirm_token().is_some());
        assert_eq!(app.smtp.count_for("nobody@example.org"), 1);
        let me = app.sign_up("fresh2@example.org", "F2").await;
        assert_eq!(me.viewer["displayName"], "F2");
    }

    async fn bad_registrations_get_field_errors(app) {
        let cases = [
            (json!({ "email": "not-an-address", "displayName": "A", "language": "EN" }), "email", "INVALID_FORMAT"),
            (json!({ "email": format!("{}@example.org", "a".repeat(250)), "displayName": "A", "language": "EN" }), "email", "TOO_LONG"),
            (json!({ "email": "a@example.org", "displayName": "", "language": "EN" }), "displayName", "REQUIRED"),
            (json!({ "email": "a@example.org", "displayName": "n".repeat(61), "language": "EN" }), "displayName", "TOO_LONG"),
        ];
        for (input, field, code) in cases {
            let r = app.graphql(REGISTER, json!({ "input": input })).await;
            assert_eq!(r.field_codes(), vec![(field.to_owned(), code.to_owned())], "{input}");
        }
        let language = app.graphql(REGISTER, json!({ "input": { "email": "a@example.org", "displayName": "A", "language": "FR" } })).await;
        assert_eq!(language.error_code(), Some("VALIDATION"));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(app.smtp.messages().is_empty(), "nothing was sent for refused input");
    }

    async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session(app) {
        let first = app.sign_up("dirk@example.org", "Dirk").await;
        let second = app.refresh(&first.refresh_token).await.expect("rotated");
        assert_ne!(second.refresh_token, first.refresh_token);
        let me = app.graphql_as(Some(&second.access_token), "en", VIEWER, json!({})).await;
        assert_eq!(me.data()["viewer"]["email"], "dirk@example.org");

        let replay = app.refresh(&first.refresh_token).await.expect_err("reuse refused");
        assert_eq!(replay.error_code(), Some("UNAUTHENTICATED"));
        let after = app.refresh(&second.refresh_token).await.expect_err("family revoked");
        assert_eq!(after.error_code(), Some("UNAUTHENTICATED"));
        let access = app.graphql_as(Some(&second.access_token), "en", VIEWER, json!({})).await;
        assert_eq!(access.status, 401, "the family's access tokens stop working too");
    }

    async fn sign_out_ends_this_session_and_sign_out_everywhere_ends_all(app) {
        let phone = app.sign_up("eva@example.org", "Eva").await;
        app.graphql(REQUEST, json!({ "input": { "email": "eva@example.org" } })).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while app.smtp.count_for("eva@example.org") < 2 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let token = app.smtp.wait_for("eva@example.org", Duration::from_secs(1)).await.expect("mail").sign_in_token().expect("token");
        let laptop = app.sign_in_with_link(&token).await.expect("second device");

        let out = app.graphql_as(Some(&phone.access_token), "en", "mutation { signOut }", json!({})).await;
        assert_eq!(out.data()["signOut"], true);
        assert_eq!(app.graphql_as(Some(&phone.access_token), "en", VIEWER, json!({})).await.status, 401);
        let still = app.graphql_as(Some(&laptop.access_token), "en", VIEWER, json!({})).await;
        assert_eq!(still.data()["viewer"]["email"], "eva@example.org");

        let all = app.graphql_as(Some(&laptop.access_token), "en", "mutation { signOutEverywhere }", json!({})).await;
        assert_eq!(all.data()["signOutEverywhere"], true);
        assert_eq!(app.graphql_as(Some(&laptop.access_token), "en", VIEWER, json!({})).await.status, 401);
        assert!(app.refresh(&laptop.refresh_token).await.is_err());
        let visitor = app.graphql("mutation { signOut }", json!({})).await;
        assert_eq!(visitor.error_code(), Some("UNAUTHENTICATED"));
    }

    async fn tampered_and_foreign_access_tokens_are_refused(app) {
        let session = app.sign_up("fien@example.org", "Fien").await;
        let mut parts: Vec<String> = session.access_token.split('.').map(str::to_owned).collect();
        // Change the signature's first character: it carries six whole bits (the last one
        // carries only four, so replacing it by `A` is a no-op one time in sixteen).
        let first = if parts[2].starts_with('A') { "B" } else { "A" };
        parts[2] = format!("{first}{}", &parts[2][1..]);
        let tampered = parts.join(".");
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
        for token in [tampered.as_str(), none.as_str(), "not.a.jwt"] {
            let r = app.graphql_as(Some(token), "en", VIEWER, json!({})).await;
            assert_eq!(r.status, 401, "{token}");
            assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));
        }
    }

    async fn demo_residents_sign_in_with_the_demo_password(app) {
        app.db.run(buurtkracht::domain::demo::seed).await.expect("demo data");
        let r = app.graphql(
            "mutation($i: SignInWithPasswordInput!) { signInWithPassword(input: $i) { viewer { displayName memberships { neighbourhood { slug } role verified } } } }",
            json!({ "i": { "email": "fatima.elamrani@demo.buurtkracht.nl", "password": buurtkracht::domain::demo::DEMO_PASSWORD } }),
        ).await;
        let viewer = &r.data()["signInWithPassword"]["viewer"];
        assert_eq!(viewer["displayName"], "Fatima el Amrani");
        assert_eq!(viewer["memberships"], json!([{ "neighbourhood": { "slug": "transvaal" }, "role": "ORGANISER", "verified": true }]));
    }

    async fn link_requests_are_rate_limited_per_client_address(app) {
        let mut last = None;
        for i in 0..31 {
            last = Some(app.graphql(REQUEST, json!({ "input": { "email": format!("person{i}@example.org") } })).await);
        }
        let r = last.expect("31 requests");
        assert_eq!(r.error_code(), Some("RATE_LIMITED"), "30 links an hour from one address");
    }

    async fn link_requests_are_rate_limited_per_address(app) {
        let mut last = None;
        for _ in 0..6 {
            last = Some(app.graphql(REQUEST, json!({ "input": { "email": "spam@example.org" } })).await);
        }
        let r = last.expect("six requests");
        assert_eq!(r.error_code(), Some("RATE_LIMITED"));
        let wait = r.body["errors"][0]["extensions"]["retryAfterSeconds"].as_i64().expect("retryAfterSeconds");
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(r.error_message().contains("seconds"), "{}", r.error_message());
        let other = app.graphql(REQUEST, json!({ "input": { "email": "someone-else@example.org" } })).await;
        assert_eq!(other.data()["requestSignInLink"], true, "other addresses are not affected");
    }
}

async fn mail_waits_in_the_outbox_until_the_smtp_server_is_back(backend: Backend) {
    // Reserve a port, then leave it closed: the SMTP server is down.
    let sink = SmtpSink::start().await;
    let port = sink.port;
    sink.stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let Some(app) = spawn_app_with(backend, sink, &[]).await else {
        return;
    };
    let r = app.graphql(REGISTER, json!({ "input": { "email": "gijs@example.org", "displayName": "Gijs", "language": "NL" } })).await;
    assert_eq!(
        r.data()["register"],
        true,
        "the request succeeds while mail cannot go out"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    let pending = app
        .db
        .run(|c| {
            buurtkracht::domain::outbox::pending_count(c).map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("count");
    assert_eq!(pending, 1, "the message is kept");

    let back = SmtpSink::start_on(port).await;
    let mail = back
        .wait_for("gijs@example.org", Duration::from_secs(20))
        .await
        .expect("delivered once the server is back");
    assert!(mail.sign_in_token().is_some());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(back.count_for("gijs@example.org"), 1, "sent exactly once");
    let pending = app
        .db
        .run(|c| {
            buurtkracht::domain::outbox::pending_count(c).map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("count");
    assert_eq!(pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_mail_waits_in_the_outbox_until_the_smtp_server_is_back() {
    mail_waits_in_the_outbox_until_the_smtp_server_is_back(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_mail_waits_in_the_outbox_until_the_smtp_server_is_back() {
    mail_waits_in_the_outbox_until_the_smtp_server_is_back(Backend::Postgres).await;
}
