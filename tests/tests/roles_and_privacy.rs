//! Roles, memberships and privacy, checked per role: visitor, resident, organiser of this
//! neighbourhood, organiser of another neighbourhood, admin.

use buurtkracht_tests::{Session, TestApp, on_both_backends};
use serde_json::{Value, json};

/// Everyone a test needs.
struct Cast {
    admin: String,
    here: Value,
    elsewhere: Value,
    organiser_here: Session,
    organiser_elsewhere: Session,
    resident: Session,
}

impl Cast {
    /// (name, token) for each role; `None` is the visitor.
    fn roles(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("visitor", None),
            ("resident", Some(self.resident.access_token.as_str())),
            (
                "organiser of this neighbourhood",
                Some(self.organiser_here.access_token.as_str()),
            ),
            (
                "organiser of another neighbourhood",
                Some(self.organiser_elsewhere.access_token.as_str()),
            ),
            ("admin", Some(self.admin.as_str())),
        ]
    }
}

const APPOINT: &str = "mutation($n: ID!, $p: ID!, $r: String) { appointOrganiser(neighbourhoodId: $n, personId: $p, reason: $r) { person { displayName } role verified } }";
const JOIN: &str = "mutation($n: ID!) { joinNeighbourhood(neighbourhoodId: $n) { neighbourhood { slug } role verified } }";
const VERIFY: &str = "mutation($n: ID!, $p: ID!) { verifyResidency(neighbourhoodId: $n, personId: $p) { person { displayName } verified } }";
const MEMBERS: &str = "query($slug: String!) { neighbourhood(slug: $slug) { members { person { id displayName } role verified } } }";

async fn cast(app: &TestApp) -> Cast {
    let admin = app.admin_token("admin@example.org").await;
    let here = app.create_neighbourhood(&admin, "Transvaal").await;
    let elsewhere = app.create_neighbourhood(&admin, "Lombok").await;
    let organiser_here = app.sign_up("fatima@example.org", "Fatima").await;
    let organiser_elsewhere = app.sign_up("joost@example.org", "Joost").await;
    let resident = app.sign_up("kees@example.org", "Kees").await;
    for (organiser, neighbourhood) in [(&organiser_here, &here), (&organiser_elsewhere, &elsewhere)]
    {
        let r = app
            .graphql_as(Some(&admin), "en", APPOINT, json!({ "n": neighbourhood["id"], "p": organiser.viewer["id"], "r": "new community worker" }))
            .await;
        assert_eq!(r.data()["appointOrganiser"]["role"], "ORGANISER");
    }
    let joined = app
        .graphql_as(
            Some(&resident.access_token),
            "en",
            JOIN,
            json!({ "n": here["id"] }),
        )
        .await;
    assert_eq!(joined.data()["joinNeighbourhood"]["verified"], false);
    Cast {
        admin,
        here,
        elsewhere,
        organiser_here,
        organiser_elsewhere,
        resident,
    }
}

fn expect_refused(r: &buurtkracht_tests::GqlResponse, role: &str) {
    let code = r.error_code();
    let expected = if role == "visitor" {
        "UNAUTHENTICATED"
    } else {
        "FORBIDDEN"
    };
    assert_eq!(code, Some(expected), "{role}: {:#}", r.body);
}

on_both_backends! {
    async fn only_organisers_of_the_neighbourhood_and_admins_verify_residency(app) {
        let cast = cast(&app).await;
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", VERIFY, json!({ "n": cast.here["id"], "p": cast.resident.viewer["id"] })).await;
            match role {
                "organiser of this neighbourhood" | "admin" => {
                    assert_eq!(r.data()["verifyResidency"]["verified"], true, "{role}");
                    assert_eq!(r.data()["verifyResidency"]["person"]["displayName"], "Kees");
                }
                _ => expect_refused(&r, role),
            }
        }
        let mine = app.graphql_as(Some(&cast.resident.access_token), "en", "{ viewer { memberships { neighbourhood { slug } verified role } } }", json!({})).await;
        assert_eq!(mine.data()["viewer"]["memberships"], json!([{ "neighbourhood": { "slug": "transvaal" }, "verified": true, "role": "RESIDENT" }]));
    }

    async fn the_member_list_is_private_to_organisers_of_the_neighbourhood_and_admins(app) {
        let cast = cast(&app).await;
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", MEMBERS, json!({ "slug": "transvaal" })).await;
            let text = r.body.to_string();
            assert!(!text.contains("@example.org"), "{role} sees an e-mail address: {text}");
            match role {
                "organiser of this neighbourhood" | "admin" => {
                    let names: Vec<&str> = r.data()["neighbourhood"]["members"].as_array().expect("members").iter().map(|m| m["person"]["displayName"].as_str().expect("name")).collect();
                    assert_eq!(names, ["Fatima", "Kees"], "{role}");
                }
                _ => expect_refused(&r, role),
            }
        }
    }

    async fn only_admins_appoint_organisers_and_the_reason_is_audited(app) {
        let cast = cast(&app).await;
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", APPOINT, json!({ "n": cast.elsewhere["id"], "p": cast.resident.viewer["id"], "r": "helps at the buurthuis" })).await;
            match role {
                "admin" => assert_eq!(r.data()["appointOrganiser"]["role"], "ORGANISER"),
                _ => expect_refused(&r, role),
            }
        }
        let log_query = "{ auditLog(first: 50) { edges { node { action reason actor { displayName } subjectId } } pageInfo { hasNextPage } } }";
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", log_query, json!({})).await;
            if role != "admin" {
                expect_refused(&r, role);
                continue;
            }
            let entries = r.data()["auditLog"]["edges"].as_array().expect("edges").clone();
            let latest = &entries[0]["node"];
            assert_eq!(latest["action"], "membership.appoint_organiser");
            assert_eq!(latest["reason"], "helps at the buurthuis");
            assert_eq!(latest["actor"]["displayName"], "Test Admin");
            assert_eq!(latest["subjectId"], cast.resident.viewer["id"]);
            assert!(!entries.iter().any(|e| e["node"]["action"] == "membership.verify"));
        }
    }

    async fn only_admins_create_neighbourhoods_whatever_else_they_are(app) {
        let cast = cast(&app).await;
        let query = &buurtkracht_tests::operation("CreateNeighbourhood");
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", query, json!({ "input": { "name": format!("Wijk van {role}") } })).await;
            match role {
                "admin" => assert!(r.body["data"]["createNeighbourhood"]["id"].is_string()),
                _ => expect_refused(&r, role),
            }
        }
    }

    async fn joining_and_leaving_keep_the_member_count_right(app) {
        let cast = cast(&app).await;
        let count = || async {
            let r = app.graphql(&buurtkracht_tests::operation("Neighbourhood"), json!({ "slug": "lombok" })).await;
            r.data()["neighbourhood"]["memberCount"].as_i64().expect("count")
        };
        assert_eq!(count().await, 1);
        let visitor = app.graphql(JOIN, json!({ "n": cast.elsewhere["id"] })).await;
        assert_eq!(visitor.error_code(), Some("UNAUTHENTICATED"));
        let token = Some(cast.resident.access_token.as_str());
        app.graphql_as(token, "en", JOIN, json!({ "n": cast.elsewhere["id"] })).await.data();
        assert_eq!(count().await, 2);
        let again = app.graphql_as(token, "en", JOIN, json!({ "n": cast.elsewhere["id"] })).await;
        assert_eq!(again.error_code(), Some("CONFLICT"));
        let leave = "mutation($n: ID!) { leaveNeighbourhood(neighbourhoodId: $n) }";
        assert_eq!(app.graphql_as(token, "en", leave, json!({ "n": cast.elsewhere["id"] })).await.data()["leaveNeighbourhood"], true);
        assert_eq!(count().await, 1);
        assert_eq!(app.graphql_as(token, "en", leave, json!({ "n": cast.elsewhere["id"] })).await.error_code(), Some("NOT_FOUND"));
        let unknown = app.graphql_as(token, "en", JOIN, json!({ "n": "bm9wZQ" })).await;
        assert_eq!(unknown.error_code(), Some("NOT_FOUND"));
    }

    async fn a_password_can_be_set_and_used_and_bad_ones_are_explained(app) {
        let cast = cast(&app).await;
        let token = Some(cast.resident.access_token.as_str());
        let set = "mutation($i: SetPasswordInput!) { setPassword(input: $i) }";
        let weak = app.graphql_as(token, "en", set, json!({ "i": { "newPassword": "short" } })).await;
        assert_eq!(weak.field_codes(), vec![("newPassword".to_owned(), "TOO_SHORT".to_owned())]);
        let common = app.graphql_as(token, "nl", set, json!({ "i": { "newPassword": "Wachtwoord123" } })).await;
        assert_eq!(common.field_codes(), vec![("newPassword".to_owned(), "TOO_COMMON".to_owned())]);
        assert!(common.error_message().contains("te makkelijk"), "{}", common.error_message());
        assert_eq!(app.graphql_as(token, "en", set, json!({ "i": { "newPassword": "fiets-tulp-gracht-7" } })).await.data()["setPassword"], true);
        let change = app.graphql_as(token, "en", set, json!({ "i": { "newPassword": "another-long-one-9" } })).await;
        assert_eq!(change.field_codes(), vec![("currentPassword".to_owned(), "INVALID_FORMAT".to_owned())], "changing needs the current password");
        let visitor = app.graphql(set, json!({ "i": { "newPassword": "fiets-tulp-gracht-7" } })).await;
        assert_eq!(visitor.error_code(), Some("UNAUTHENTICATED"));

        let sign_in = "mutation($i: SignInWithPasswordInput!) { signInWithPassword(input: $i) { accessToken viewer { email hasPassword } } }";
        let ok = app.graphql(sign_in, json!({ "i": { "email": "KEES@example.org", "password": "fiets-tulp-gracht-7" } })).await;
        assert_eq!(ok.data()["signInWithPassword"]["viewer"]["email"], "kees@example.org");
        assert_eq!(ok.data()["signInWithPassword"]["viewer"]["hasPassword"], true);
        let wrong = app.graphql(sign_in, json!({ "i": { "email": "kees@example.org", "password": "fiets-tulp-gracht-8" } })).await;
        let unknown = app.graphql(sign_in, json!({ "i": { "email": "nobody@example.org", "password": "fiets-tulp-gracht-7" } })).await;
        let no_password = app.graphql(sign_in, json!({ "i": { "email": "fatima@example.org", "password": "fiets-tulp-gracht-7" } })).await;
        assert_eq!(wrong.error_code(), Some("UNAUTHENTICATED"));
        assert_eq!(wrong.body, unknown.body, "no account enumeration");
        assert_eq!(wrong.body, no_password.body);
    }

    async fn password_attempts_are_rate_limited(app) {
        let sign_in = "mutation($i: SignInWithPasswordInput!) { signInWithPassword(input: $i) { accessToken } }";
        let mut codes = Vec::new();
        for _ in 0..6 {
            let r = app.graphql(sign_in, json!({ "i": { "email": "target@example.org", "password": "guess-guess-guess" } })).await;
            codes.push(r.error_code().unwrap_or_default().to_owned());
        }
        assert_eq!(codes[..5].iter().filter(|c| *c == "UNAUTHENTICATED").count(), 5);
        assert_eq!(codes[5], "RATE_LIMITED", "five wrong passwords per address and client");
    }

    async fn the_profile_changes_name_and_language(app) {
        let cast = cast(&app).await;
        let token = Some(cast.resident.access_token.as_str());
        let update = "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { displayName language } }";
        let r = app.graphql_as(token, "en", update, json!({ "i": { "displayName": "Kees van Dijk", "language": "NL" } })).await;
        assert_eq!(r.data()["updateProfile"], json!({ "displayName": "Kees van Dijk", "language": "NL" }));
        let bad = app.graphql_as(token, "en", update, json!({ "i": { "displayName": " " } })).await;
        assert_eq!(bad.field_codes(), vec![("displayName".to_owned(), "REQUIRED".to_owned())]);
        assert_eq!(app.graphql(update, json!({ "i": { "language": "EN" } })).await.error_code(), Some("UNAUTHENTICATED"));
    }

    async fn my_data_holds_everything_about_me_and_nothing_about_others(app) {
        let cast = cast(&app).await;
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", "{ myData }", json!({})).await;
        let data: Value = serde_json::from_str(r.data()["myData"].as_str().expect("JSON text")).expect("valid JSON");
        assert_eq!(data["account"]["email"], "kees@example.org");
        assert_eq!(data["memberships"][0]["neighbourhood"]["slug"], "transvaal");
        assert_eq!(data["signInLinks"].as_array().map(Vec::len), Some(1));
        assert_eq!(data["emails"][0]["subject"], "Welcome to Buurtkracht");
        let text = data.to_string();
        assert!(!text.contains("fatima@") && !text.contains("joost@"), "no one else's data: {text}");
        assert_eq!(app.graphql("{ myData }", json!({})).await.error_code(), Some("UNAUTHENTICATED"));
    }

    async fn deleting_an_account_erases_personal_data_and_keeps_counts_right(app) {
        let cast = cast(&app).await;
        let token = Some(cast.resident.access_token.as_str());
        assert_eq!(app.graphql_as(token, "en", "mutation { deleteMyAccount }", json!({})).await.data()["deleteMyAccount"], true);
        assert_eq!(app.graphql_as(token, "en", "{ viewer { email } }", json!({})).await.status, 401, "signed out everywhere");
        assert!(app.refresh(&cast.resident.refresh_token).await.is_err());

        let members = app.graphql_as(Some(&cast.admin), "en", MEMBERS, json!({ "slug": "transvaal" })).await;
        let names: Vec<&str> = members.data()["neighbourhood"]["members"].as_array().expect("members").iter().map(|m| m["person"]["displayName"].as_str().expect("name")).collect();
        assert_eq!(names, ["Fatima"]);

        let stored = app.db.run(|conn| {
            use buurtkracht::db::schema::users;
            use diesel::prelude::*;
            users::table.filter(users::deleted_at.is_not_null()).select((users::email, users::display_name)).load::<(String, String)>(conn).map_err(buurtkracht::db::DbError::from)
        }).await.expect("rows");
        assert_eq!(stored.len(), 1, "the row stays, for attribution and counts");
        assert!(!stored[0].0.contains("kees") && stored[0].1.is_empty(), "personal data erased: {stored:?}");

        let before = app.smtp.count_for("kees@example.org");
        app.graphql("mutation { requestSignInLink(input: { email: \"kees@example.org\" }) }", json!({})).await;
        // The address is erased: it is an unknown address now, offered a new account, never a
        // sign-in to the deleted one.
        let mail = app.smtp.wait_for_new("kees@example.org", before, std::time::Duration::from_secs(10)).await.expect("mail");
        assert!(mail.sign_in_token().is_none(), "a deleted account gets no sign-in link");
        assert!(mail.confirm_token().is_some(), "but a link that makes a new account");
        let log = app.db.run(|conn| buurtkracht::domain::audit::recent(conn, 1).map_err(buurtkracht::db::DbError::from)).await.expect("log");
        assert_eq!(log[0].action, "account.delete");
        let again = app.sign_up("kees@example.org", "Kees").await;
        assert_eq!(again.viewer["displayName"], "Kees", "the address can make a fresh account");
    }
}
