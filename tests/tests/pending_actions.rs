//! Act first, confirm by e-mail: pending co-signs and grievances of visitors, confirmed by one
//! link through a real SMTP server; never counted before; exact under concurrency; the same
//! answers for known and unknown addresses; return paths only inside the app; expiry.

use std::time::Duration;

use buurtkracht_tests::{Session, TestApp, on_both_backends};
use serde_json::{Value, json};

const COSIGN_BY_EMAIL: &str = "mutation($id: ID!, $contact: ContactInput!) { cosignGrievanceByEmail(grievanceId: $id, contact: $contact) }";
const RAISE_BY_EMAIL: &str = "mutation($input: RaiseGrievanceInput!, $contact: ContactInput!) { raiseGrievanceByEmail(input: $input, contact: $contact) }";
const CONFIRM: &str = "mutation($token: String!, $name: String) { confirmAction(token: $token, displayName: $name) { action done problem returnPath newAccount session { accessToken viewer { email displayName language memberships { neighbourhood { slug } role verified } } } } }";
const GRIEVANCE: &str = "query($id: ID!) { grievance(id: $id) { id title cosignCount viewerHasCosigned author { displayName } } }";
const LIST: &str = "query($n: ID!) { grievances(neighbourhoodId: $n) { totalCount edges { node { id title cosignCount } } } }";
const REQUEST: &str =
    "mutation($input: RequestSignInLinkInput!) { requestSignInLink(input: $input) }";
const REGISTER: &str = "mutation($input: RegisterInput!) { register(input: $input) }";
const SIGN_IN: &str =
    "mutation($token: String!) { signInWithLink(token: $token) { returnPath viewer { email } } }";

struct Place {
    admin: String,
    neighbourhood: Value,
    author: Session,
    grievance: Value,
}

async fn place(app: &TestApp) -> Place {
    let admin = app.admin_token("admin@example.org").await;
    let neighbourhood = app.create_neighbourhood(&admin, "Transvaal").await;
    let author = app.quick_session("kees@example.org", "Kees").await;
    let r = app
        .graphql_as(
            Some(&author.access_token),
            "en",
            "mutation($input: RaiseGrievanceInput!) { raiseGrievance(input: $input) { id title } }",
            json!({ "input": {
                "neighbourhoodId": neighbourhood["id"], "title": "Kapotte lantaarn", "text": "Al weken donker.",
                "theme": "safety", "showName": true,
            } }),
        )
        .await;
    let grievance = r.data()["raiseGrievance"].clone();
    Place {
        admin,
        neighbourhood,
        author,
        grievance,
    }
}

fn contact(email: &str, name: &str) -> Value {
    json!({ "email": email, "displayName": name, "language": "NL" })
}

async fn count(app: &TestApp, grievance: &Value) -> i64 {
    let r = app
        .graphql(GRIEVANCE, json!({ "id": grievance["id"] }))
        .await;
    r.data()["grievance"]["cosignCount"]
        .as_i64()
        .expect("cosignCount")
}

async fn confirm_token_for(app: &TestApp, email: &str, seen: usize) -> String {
    app.smtp
        .wait_for_new(email, seen, Duration::from_secs(10))
        .await
        .expect("the confirmation mail arrives")
        .confirm_token()
        .expect("a confirmation link")
}

async fn waiting(app: &TestApp) -> i64 {
    app.db
        .run(|conn| {
            buurtkracht::domain::pending_actions::waiting_count(conn)
                .map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("count")
}

/// The grievance counters (neighbourhood, theme, status, grievances) that are not zero, and
/// the same counted from the grievances themselves.
async fn counters(app: &TestApp) -> (Vec<(i64, i64, String, i64)>, Vec<(i64, i64, String, i64)>) {
    app.db
        .run(|conn| {
            use buurtkracht::db::schema::{grievance_counts as c, grievances as g};
            use diesel::prelude::*;
            let kept: Vec<(i64, i64, String, i64)> = c::table
                .filter(c::grievances.ne(0))
                .order_by((c::neighbourhood_id, c::theme_id, c::status))
                .select((c::neighbourhood_id, c::theme_id, c::status, c::grievances))
                .load(conn)?;
            let rows: Vec<(i64, i64, String)> = g::table
                .select((g::neighbourhood_id, g::theme_id, g::status))
                .load(conn)?;
            let mut counted = std::collections::BTreeMap::new();
            for row in rows {
                *counted.entry(row).or_insert(0_i64) += 1;
            }
            let counted = counted
                .into_iter()
                .map(|((n, t, s), k)| (n, t, s, k))
                .collect();
            Ok::<_, buurtkracht::db::DbError>((kept, counted))
        })
        .await
        .expect("counters")
}

on_both_backends! {
    async fn pending_actions_leave_the_grievance_counters_alone_until_confirmed(app) {
        let p = place(&app).await;
        const TOTAL: &str = "query($n: ID!, $f: GrievanceFilter) { grievances(neighbourhoodId: $n, filter: $f) { totalCount } }";
        let total = |filter: Value| {
            let (app, n) = (&app, p.neighbourhood["id"].clone());
            async move { app.graphql(TOTAL, json!({ "n": n, "f": filter })).await.data()["grievances"]["totalCount"].as_i64().expect("totalCount") }
        };
        let (before, counted) = counters(&app).await;
        assert_eq!(before, counted);
        let input = |title: &str, location: Value| json!({
            "neighbourhoodId": p.neighbourhood["id"], "title": title, "text": "Ouderen kunnen nergens zitten.",
            "theme": "green-public-space", "showName": true, "location": location,
        });
        let r = app.graphql(RAISE_BY_EMAIL, json!({ "input": input("Te weinig bankjes", Value::Null), "contact": contact("bo@example.org", "Bo") })).await;
        assert_eq!(r.data()["raiseGrievanceByEmail"], true);
        let r = app.graphql(RAISE_BY_EMAIL, json!({ "input": input("Bankje bij de kerk", json!({ "lat": 52.07, "lon": 4.29 })), "contact": contact("jan@example.org", "Jan") })).await;
        assert_eq!(r.data()["raiseGrievanceByEmail"], true);
        let r = app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("amina@example.org", "Amina") })).await;
        assert_eq!(r.data()["cosignGrievanceByEmail"], true);
        assert_eq!(waiting(&app).await, 3);
        assert_eq!(counters(&app).await.0, before, "pending actions change no counter");
        assert_eq!(total(json!({})).await, 1);
        assert_eq!(total(json!({ "themes": ["green-public-space"] })).await, 0);

        // Confirmed: the raise is counted under its theme and status, exactly.
        let token = confirm_token_for(&app, "bo@example.org", 0).await;
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.data()["confirmAction"]["done"], true);
        let (after, counted) = counters(&app).await;
        assert_eq!(after, counted, "the counters agree with the grievances");
        assert_eq!(after.iter().map(|c| c.3).sum::<i64>(), before.iter().map(|c| c.3).sum::<i64>() + 1);
        assert_eq!(total(json!({})).await, 2);
        assert_eq!(total(json!({ "themes": ["green-public-space"], "statuses": ["OPEN"] })).await, 1);
        let token = confirm_token_for(&app, "amina@example.org", 0).await;
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.data()["confirmAction"]["done"], true);
        assert_eq!(counters(&app).await.0, after, "a co-sign moves no counter");

        // A raise that can no longer be done when confirmed (its place is now outside the
        // neighbourhood) is not counted.
        let r = app.graphql_as(Some(&p.admin), "en", "mutation($n: ID!, $area: NeighbourhoodAreaInput) { setNeighbourhoodArea(neighbourhoodId: $n, area: $area) { slug } }", json!({ "n": p.neighbourhood["id"], "area": { "center": { "lat": 52.3, "lon": 4.9 }, "radiusMeters": 500 } })).await;
        assert_eq!(r.data()["setNeighbourhoodArea"]["slug"], "transvaal");
        let token = confirm_token_for(&app, "jan@example.org", 0).await;
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.data()["confirmAction"]["done"], false);
        let (last, counted) = counters(&app).await;
        assert_eq!(last, after, "nothing counted for a raise that was not done");
        assert_eq!(last, counted);
        assert_eq!(total(json!({})).await, 2);
    }

    async fn a_visitor_cosigns_with_name_and_address_and_it_counts_only_after_the_link(app) {
        let p = place(&app).await;
        let r = app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("amina@example.org", "Amina") })).await;
        assert_eq!(r.data()["cosignGrievanceByEmail"], true);
        assert_eq!(count(&app, &p.grievance).await, 0, "not counted before the link");
        let list = app.graphql(LIST, json!({ "n": p.neighbourhood["id"] })).await;
        assert_eq!(list.data()["grievances"]["edges"][0]["node"]["cosignCount"], 0);
        let mail = app.smtp.wait_for("amina@example.org", Duration::from_secs(10)).await.expect("mail");
        let text = mail.decoded();
        assert!(text.contains("Bevestig wat je deed op Buurtkracht"), "{text}");
        assert!(text.contains("Kapotte lantaarn"), "the mail says what: {text}");
        assert!(text.contains("We maken dan ook je account"), "a new address is told an account is made: {text}");
        assert!(!text.contains(" u ") && !text.contains(" uw "), "je, not u: {text}");
        let token = mail.confirm_token().expect("link");

        let r = app.graphql_as(None, "nl", CONFIRM, json!({ "token": token })).await;
        let done = &r.data()["confirmAction"];
        assert_eq!(done["action"], "grievance.cosign");
        assert_eq!(done["done"], true);
        assert_eq!(done["newAccount"], true);
        let path = done["returnPath"].as_str().expect("path");
        assert_eq!(path, format!("/meldingen/{}", p.grievance["id"].as_str().expect("id")));
        let viewer = &done["session"]["viewer"];
        assert_eq!(viewer["email"], "amina@example.org");
        assert_eq!(viewer["displayName"], "Amina");
        assert_eq!(viewer["language"], "NL");
        assert_eq!(viewer["memberships"], json!([{ "neighbourhood": { "slug": "transvaal" }, "role": "RESIDENT", "verified": false }]), "joined implicitly");
        assert_eq!(count(&app, &p.grievance).await, 1);
        let token_amina = done["session"]["accessToken"].as_str().expect("token").to_owned();
        let me = app.graphql_as(Some(&token_amina), "en", GRIEVANCE, json!({ "id": p.grievance["id"] })).await;
        assert_eq!(me.data()["grievance"]["viewerHasCosigned"], true);

        // The link works once.
        let again = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(again.field_codes(), vec![("token".to_owned(), "ALREADY_USED".to_owned())]);
        assert_eq!(count(&app, &p.grievance).await, 1);
        let _ = p.admin;
    }

    async fn a_known_address_is_signed_in_by_the_link_and_keeps_its_name(app) {
        let p = place(&app).await;
        let samira = app.quick_session("samira@example.org", "Samira").await;
        let r = app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("Samira@Example.org", "Someone else") })).await;
        assert_eq!(r.data()["cosignGrievanceByEmail"], true);
        let mail = app.smtp.wait_for("samira@example.org", Duration::from_secs(10)).await.expect("mail");
        assert!(mail.decoded().contains("You already have an account"), "in the account's language: {}", mail.decoded());
        let token = mail.confirm_token().expect("link");
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        let done = &r.data()["confirmAction"];
        assert_eq!(done["newAccount"], false);
        assert_eq!(done["session"]["viewer"]["displayName"], "Samira", "the name typed by a visitor does not change an account");
        let _ = samira;
        assert_eq!(count(&app, &p.grievance).await, 1);

        // The author confirming a co-sign of their own grievance: signed in, told why not.
        let r = app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("kees@example.org", "Kees") })).await;
        assert_eq!(r.data()["cosignGrievanceByEmail"], true, "the same answer: nobody learns who wrote it");
        let token = app.smtp.wait_for("kees@example.org", Duration::from_secs(10)).await.expect("mail").confirm_token().expect("link");
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        let done = &r.data()["confirmAction"];
        assert_eq!(done["done"], false);
        assert!(done["problem"].as_str().expect("problem").contains("own grievance"), "{done}");
        assert_eq!(count(&app, &p.grievance).await, 1);
        let _ = p.author;
    }

    async fn a_visitor_raises_a_grievance_that_appears_only_after_the_link(app) {
        let p = place(&app).await;
        let input = json!({
            "neighbourhoodId": p.neighbourhood["id"], "title": "Te weinig bankjes", "text": "Ouderen kunnen nergens zitten.",
            "theme": "green-public-space", "showName": false, "location": null,
        });
        // Bad input is refused for the form and the contact together, before any mail.
        let mut bad = input.clone();
        bad["title"] = json!("");
        bad["theme"] = json!("");
        let r = app.graphql_as(None, "nl", RAISE_BY_EMAIL, json!({ "input": bad, "contact": { "email": "nope", "displayName": "", "language": "NL" } })).await;
        assert_eq!(r.error_code(), Some("VALIDATION"));
        let fields: Vec<(String, String)> = r.field_codes();
        assert_eq!(fields, vec![
            ("title".to_owned(), "REQUIRED".to_owned()),
            ("theme".to_owned(), "REQUIRED".to_owned()),
            ("displayName".to_owned(), "REQUIRED".to_owned()),
            ("email".to_owned(), "INVALID_FORMAT".to_owned()),
        ]);
        assert_eq!(r.body["errors"][0]["extensions"]["fields"][1]["message"], "Kies een onderwerp.");
        assert_eq!(waiting(&app).await, 0);

        let r = app.graphql(RAISE_BY_EMAIL, json!({ "input": input, "contact": contact("bo@example.org", "Bo") })).await;
        assert_eq!(r.data()["raiseGrievanceByEmail"], true);
        assert_eq!(waiting(&app).await, 1);
        let list = app.graphql(LIST, json!({ "n": p.neighbourhood["id"] })).await;
        assert_eq!(list.data()["grievances"]["totalCount"], 1, "not shown before the link");
        let token = confirm_token_for(&app, "bo@example.org", 0).await;
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        let done = &r.data()["confirmAction"];
        assert_eq!(done["action"], "grievance.raise");
        assert_eq!(done["done"], true);
        let list = app.graphql(LIST, json!({ "n": p.neighbourhood["id"] })).await;
        assert_eq!(list.data()["grievances"]["totalCount"], 2);
        let id = done["returnPath"].as_str().expect("path").trim_start_matches("/meldingen/").to_owned();
        let g = app.graphql(GRIEVANCE, json!({ "id": id })).await;
        assert_eq!(g.data()["grievance"]["title"], "Te weinig bankjes");
        assert_eq!(g.data()["grievance"]["author"]["displayName"], "a resident of Transvaal", "anonymity kept");
        assert_eq!(waiting(&app).await, 0);
    }

    async fn opening_the_same_link_twice_at_once_counts_once(app) {
        let p = place(&app).await;
        for i in 0..3 {
            let email = format!("twice{i}@example.org");
            app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact(&email, "Twice") })).await;
            let token = confirm_token_for(&app, &email, 0).await;
            let mut tasks = Vec::new();
            for _ in 0..8 {
                let (client, url, token) = (app.client.clone(), format!("{}/graphql", app.address), token.clone());
                tasks.push(tokio::spawn(async move {
                    let response = client.post(url).json(&json!({ "query": CONFIRM, "variables": { "token": token } })).send().await.expect("sent");
                    response.json::<Value>().await.expect("json")
                }));
            }
            let mut answers = Vec::new();
            for task in tasks {
                answers.push(task.await.expect("confirm task"));
            }
            let won = answers.iter().filter(|body| body.get("errors").is_none()).count();
            assert_eq!(won, 1, "exactly one use wins: {answers:#?}");
            for body in answers.iter().filter(|body| body.get("errors").is_some()) {
                assert_eq!(body["errors"][0]["extensions"]["fields"][0]["code"], "ALREADY_USED", "{body:#}");
            }
            assert_eq!(count(&app, &p.grievance).await, i + 1);
        }
        // Two different links of one new address confirmed at once make one account.
        let raise = |title: &str| json!({ "input": { "neighbourhoodId": p.neighbourhood["id"], "title": title, "text": "Tekst.", "theme": "other", "showName": true }, "contact": contact("pair@example.org", "Pair") });
        app.graphql(RAISE_BY_EMAIL, raise("Een")).await;
        let first = confirm_token_for(&app, "pair@example.org", 0).await;
        app.graphql(RAISE_BY_EMAIL, raise("Twee")).await;
        let second = confirm_token_for(&app, "pair@example.org", 1).await;
        let (a, b) = tokio::join!(app.graphql(CONFIRM, json!({ "token": first })), app.graphql(CONFIRM, json!({ "token": second })));
        assert_eq!(a.data()["confirmAction"]["done"], true);
        assert_eq!(b.data()["confirmAction"]["done"], true);
        let news = [a.data()["confirmAction"]["newAccount"].as_bool(), b.data()["confirmAction"]["newAccount"].as_bool()];
        assert_eq!(news.iter().filter(|n| **n == Some(true)).count(), 1, "one account");
    }

    async fn known_and_unknown_addresses_get_identical_answers(app) {
        let p = place(&app).await;
        app.quick_session("known@example.org", "Known").await;
        let cosign = |email: &str| json!({ "id": p.grievance["id"], "contact": contact(email, "X") });
        let raise = |email: &str| json!({ "input": { "neighbourhoodId": p.neighbourhood["id"], "title": "T", "text": "T", "theme": "other", "showName": true }, "contact": contact(email, "X") });
        for (query, known, unknown) in [
            (COSIGN_BY_EMAIL, cosign("known@example.org"), cosign("unknown@example.org")),
            (RAISE_BY_EMAIL, raise("known@example.org"), raise("unknown@example.org")),
        ] {
            let known = app.graphql(query, known).await;
            let unknown = app.graphql(query, unknown).await;
            assert_eq!(known.status, unknown.status);
            assert_eq!(known.body, unknown.body);
        }
        let known = app.graphql(REQUEST, json!({ "input": { "email": "known@example.org" } })).await;
        let unknown = app.graphql(REQUEST, json!({ "input": { "email": "stranger@example.org" } })).await;
        assert_eq!(known.status, unknown.status);
        assert_eq!(known.body, unknown.body);
        // Only the mails differ: a known address is asked to sign in, an unknown one to confirm and make an account.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while (app.smtp.count_for("known@example.org") < 3 || app.smtp.count_for("unknown@example.org") < 2) && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let known_mails: Vec<String> = app.smtp.messages().iter().filter(|m| m.decoded().contains("To: known@example.org")).map(|m| m.decoded()).collect();
        // The account's language (English), not the visitor's form.
        assert_eq!(known_mails.iter().filter(|m| m.contains("Sign in and confirm")).count(), 2, "sign in to confirm: {known_mails:#?}");
        let unknown_mails: Vec<String> = app.smtp.messages().iter().filter(|m| m.decoded().contains("To: unknown@example.org")).map(|m| m.decoded()).collect();
        assert!(unknown_mails.iter().all(|m| m.contains("Bevestigen en account maken")), "confirm and create your account");
    }

    async fn an_unknown_address_asking_for_a_link_gets_a_mail_that_makes_the_account(app) {
        let r = app.graphql_as(None, "en", REQUEST, json!({ "input": { "email": "new@example.org", "returnPath": "/buurt/transvaal" } })).await;
        assert_eq!(r.data()["requestSignInLink"], true);
        let mail = app.smtp.wait_for("new@example.org", Duration::from_secs(10)).await.expect("a mail arrives");
        assert!(mail.decoded().contains("There is no account with this e-mail address yet"), "{}", mail.decoded());
        let token = mail.confirm_token().expect("a link that makes the account");
        // The account needs a name: asked for when confirming.
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.field_codes(), vec![("displayName".to_owned(), "REQUIRED".to_owned())]);
        let r = app.graphql(CONFIRM, json!({ "token": token, "name": "Nieuwe Buur" })).await;
        let done = &r.data()["confirmAction"];
        assert_eq!(done["action"], "account.create");
        assert_eq!(done["newAccount"], true);
        assert_eq!(done["returnPath"], "/buurt/transvaal");
        assert_eq!(done["session"]["viewer"]["displayName"], "Nieuwe Buur");
        assert_eq!(done["session"]["viewer"]["language"], "EN");
    }

    async fn sign_in_links_bring_the_person_back_and_never_outside_the_app(app) {
        app.quick_session("eva@example.org", "Eva").await;
        let r = app.graphql(REQUEST, json!({ "input": { "email": "eva@example.org", "returnPath": "/meldingen/abc?x=1" } })).await;
        assert_eq!(r.data()["requestSignInLink"], true);
        let token = app.smtp.wait_for("eva@example.org", Duration::from_secs(10)).await.expect("mail").sign_in_token().expect("token");
        let r = app.graphql(SIGN_IN, json!({ "token": token })).await;
        assert_eq!(r.data()["signInWithLink"]["returnPath"], "/meldingen/abc?x=1");

        for bad in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/graphql", "evil.example"] {
            let r = app.graphql(REQUEST, json!({ "input": { "email": "eva@example.org", "returnPath": bad } })).await;
            assert_eq!(r.field_codes(), vec![("returnPath".to_owned(), "INVALID_FORMAT".to_owned())], "{bad}");
            let r = app.graphql(REGISTER, json!({ "input": { "email": "fresh@example.org", "displayName": "F", "language": "EN", "returnPath": bad } })).await;
            assert_eq!(r.field_codes(), vec![("returnPath".to_owned(), "INVALID_FORMAT".to_owned())], "{bad}");
        }
        // A path stored before it was checked never leaves the server as another site.
        app.db.run(|conn| {
            use buurtkracht::db::schema::sign_in_links;
            use diesel::prelude::*;
            diesel::update(sign_in_links::table).set(sign_in_links::return_path.eq("https://evil.example/")).execute(conn).map_err(buurtkracht::db::DbError::from)
        }).await.expect("tampered");
        let r = app.graphql(REQUEST, json!({ "input": { "email": "eva@example.org" } })).await;
        assert_eq!(r.data()["requestSignInLink"], true);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while app.smtp.count_for("eva@example.org") < 2 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let token = app.smtp.wait_for_new("eva@example.org", 1, Duration::from_secs(5)).await.expect("mail").sign_in_token().expect("token");
        app.db.run(|conn| {
            use buurtkracht::db::schema::sign_in_links;
            use diesel::prelude::*;
            diesel::update(sign_in_links::table).set(sign_in_links::return_path.eq("//evil.example")).execute(conn).map_err(buurtkracht::db::DbError::from)
        }).await.expect("tampered");
        let r = app.graphql(SIGN_IN, json!({ "token": token })).await;
        assert_eq!(r.data()["signInWithLink"]["returnPath"], Value::Null);
    }

    async fn a_pending_action_never_confirmed_expires_is_not_counted_and_is_deleted(app) {
        let p = place(&app).await;
        app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("late@example.org", "Late") })).await;
        app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("later@example.org", "Later") })).await;
        let token = confirm_token_for(&app, "late@example.org", 0).await;
        confirm_token_for(&app, "later@example.org", 0).await;
        assert_eq!(waiting(&app).await, 2);
        // Move the clock: 48 hours and a second later.
        let later = buurtkracht::domain::now() + buurtkracht::domain::pending_actions::TTL + chrono::TimeDelta::seconds(1);
        app.db.run(move |conn| {
            use buurtkracht::db::schema::pending_actions;
            use diesel::prelude::*;
            let back = later - buurtkracht::domain::now();
            let rows: Vec<(i64, chrono::NaiveDateTime)> = pending_actions::table.select((pending_actions::id, pending_actions::expires_at)).load(conn)?;
            for (id, expires) in rows {
                diesel::update(pending_actions::table.find(id)).set(pending_actions::expires_at.eq(expires - back)).execute(conn)?;
            }
            Ok::<_, buurtkracht::db::DbError>(())
        }).await.expect("clock moved");
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.field_codes(), vec![("token".to_owned(), "EXPIRED".to_owned())]);
        assert_eq!(count(&app, &p.grievance).await, 0);
        assert_eq!(waiting(&app).await, 1, "the expired one used is deleted at once");
        let swept = buurtkracht::jobs::pending_actions::sweep_once(&app.db).await.expect("sweep");
        assert_eq!(swept, 1, "the job deletes the rest");
        assert_eq!(waiting(&app).await, 0);
        let r = app.graphql(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.field_codes(), vec![("token".to_owned(), "INVALID_FORMAT".to_owned())], "nothing is left of it");
        // No account was made for either address.
        let made = app.db.run(|conn| {
            use buurtkracht::db::schema::users;
            use diesel::prelude::*;
            users::table.filter(users::email.like("late%")).count().get_result::<i64>(conn).map_err(buurtkracht::db::DbError::from)
        }).await.expect("count");
        assert_eq!(made, 0);
    }

    async fn acting_by_email_is_rate_limited_like_sign_in_links(app) {
        let p = place(&app).await;
        let mut last = None;
        for _ in 0..6 {
            last = Some(app.graphql(COSIGN_BY_EMAIL, json!({ "id": p.grievance["id"], "contact": contact("spam@example.org", "Spam") })).await);
        }
        assert_eq!(last.expect("six").error_code(), Some("RATE_LIMITED"));
        // Forged tokens and closed grievances.
        for forged in ["", "forged", &"x".repeat(300)] {
            let r = app.graphql(CONFIRM, json!({ "token": forged })).await;
            assert_eq!(r.error_code(), Some("VALIDATION"), "{forged}");
        }
        let r = app.graphql(COSIGN_BY_EMAIL, json!({ "id": "not-an-id", "contact": contact("x@example.org", "X") })).await;
        assert_eq!(r.error_code(), Some("NOT_FOUND"));
    }
}
