//! Anonymity of grievances on every path (lists, details, comments, merges, the GeoJSON
//! export, e-mails), and the GeoJSON export itself; on SQLite and PostgreSQL.

use buurtkracht_tests::{Session, TestApp, on_both_backends};
use serde_json::{Value, json};

const APPOINT: &str =
    "mutation($n: ID!, $p: ID!) { appointOrganiser(neighbourhoodId: $n, personId: $p) { role } }";
const JOIN: &str = "mutation($n: ID!) { joinNeighbourhood(neighbourhoodId: $n) { role } }";
const RAISE: &str = "mutation($input: RaiseGrievanceInput!) { raiseGrievance(input: $input) { id author { displayName anonymous person { id displayName } } } }";
const COSIGN: &str = "mutation($id: ID!) { cosignGrievance(grievanceId: $id) { cosignCount } }";
const COMMENT: &str = "mutation($id: ID!, $text: String!) { addComment(grievanceId: $id, text: $text) { id author { displayName anonymous person { displayName } } byGrievanceAuthor } }";
const ACKNOWLEDGE: &str = "mutation($id: ID!, $r: String!) { acknowledgeGrievance(grievanceId: $id, response: $r) { status } }";
const MERGE: &str = "mutation($s: ID!, $m: [ID!]!) { mergeGrievances(survivorId: $s, mergedIds: $m, reason: \"Hetzelfde\") { id } }";
/// Every field that can carry a person, on every path a client can take.
const EVERYTHING: &str = "query($n: ID!, $id: ID!, $survivor: ID!) {
  grievances(neighbourhoodId: $n, filter: { statuses: [OPEN, ACKNOWLEDGED, MERGED] }) { edges { node { id title author { displayName anonymous person { id displayName } } } } }
  grievance(id: $id) { id author { displayName anonymous person { id displayName } } history { by { id displayName } }
    comments { edges { node { text byGrievanceAuthor author { displayName anonymous person { id displayName } } } } } mergedInto { id } }
  survivor: grievance(id: $survivor) { author { displayName person { id } }
    comments { edges { node { text byGrievanceAuthor author { displayName anonymous person { id displayName } } } } }
    mergedFrom { id author { displayName anonymous person { id displayName } } } }
}";

struct World {
    here: Value,
    author: Session,
    organiser_here: Session,
    organiser_elsewhere: Session,
    resident: Session,
    admin: String,
    secret: Value,
    survivor: Value,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token("admin@example.org").await;
    let here = app.create_neighbourhood(&admin, "Transvaal").await;
    let elsewhere = app.create_neighbourhood(&admin, "Lombok").await;
    let author = app
        .quick_session("verborgen.melder@example.org", "Verborgen Melder")
        .await;
    let organiser_here = app.quick_session("fatima@example.org", "Fatima").await;
    let organiser_elsewhere = app.quick_session("joost@example.org", "Joost").await;
    let resident = app.quick_session("kees@example.org", "Kees").await;
    for (o, n) in [(&organiser_here, &here), (&organiser_elsewhere, &elsewhere)] {
        app.graphql_as(
            Some(&admin),
            "en",
            APPOINT,
            json!({ "n": n["id"], "p": o.viewer["id"] }),
        )
        .await
        .data();
    }
    for p in [&author, &resident] {
        app.graphql_as(
            Some(&p.access_token),
            "en",
            JOIN,
            json!({ "n": here["id"] }),
        )
        .await
        .data();
    }
    let input = |title: &str, show: bool| json!({ "input": { "neighbourhoodId": here["id"], "title": title, "text": "Er wordt gedeald bij de speeltuin.", "theme": "safety", "location": { "lat": 52.0665, "lon": 4.2955 }, "showName": show } });
    let secret = app
        .graphql_as(
            Some(&author.access_token),
            "en",
            RAISE,
            input("Drugs bij de speeltuin", false),
        )
        .await
        .data()["raiseGrievance"]
        .clone();
    // The author sees themself; the public sees "a resident of Transvaal".
    assert_eq!(
        secret["author"],
        json!({ "displayName": "a resident of Transvaal", "anonymous": true, "person": { "id": author.viewer["id"], "displayName": "Verborgen Melder" } })
    );
    // The author comments on their own grievance: anonymous too.
    let c = app
        .graphql_as(
            Some(&author.access_token),
            "en",
            COMMENT,
            json!({ "id": secret["id"], "text": "Vooral 's avonds." }),
        )
        .await;
    assert_eq!(c.data()["addComment"]["author"]["anonymous"], true);
    assert_eq!(c.data()["addComment"]["byGrievanceAuthor"], true);
    app.graphql_as(
        Some(&resident.access_token),
        "en",
        COSIGN,
        json!({ "id": secret["id"] }),
    )
    .await
    .data();
    let seen = app.smtp.count_for("kees@example.org");
    app.graphql_as(
        Some(&organiser_here.access_token),
        "en",
        ACKNOWLEDGE,
        json!({ "id": secret["id"], "r": "Ik bel de wijkagent." }),
    )
    .await
    .data();
    app.smtp
        .wait_for_new("kees@example.org", seen, std::time::Duration::from_secs(10))
        .await
        .expect("the co-signer hears of it");
    // A second anonymous grievance by the same author, merged into a named one: the moved
    // comment and the merged grievance stay anonymous.
    let survivor = app
        .graphql_as(
            Some(&resident.access_token),
            "en",
            RAISE,
            input("Onveilig bij de speeltuin", true),
        )
        .await
        .data()["raiseGrievance"]
        .clone();
    let second = app
        .graphql_as(
            Some(&author.access_token),
            "en",
            RAISE,
            input("Dealers in het park", false),
        )
        .await
        .data()["raiseGrievance"]
        .clone();
    app.graphql_as(
        Some(&author.access_token),
        "en",
        COMMENT,
        json!({ "id": second["id"], "text": "Ook overdag." }),
    )
    .await
    .data();
    app.graphql_as(
        Some(&organiser_here.access_token),
        "en",
        MERGE,
        json!({ "s": survivor["id"], "m": [second["id"]] }),
    )
    .await
    .data();
    World {
        here,
        author,
        organiser_here,
        organiser_elsewhere,
        resident,
        admin,
        secret,
        survivor,
    }
}

on_both_backends! {
    async fn an_anonymous_author_is_hidden_from_everyone_but_themself_and_the_organisers_here(app) {
        let w = world(&app).await;
        let author_id = w.author.viewer["id"].as_str().expect("id").to_owned();
        let raw_id = buurtkracht::domain::ids::parse_public_id("Person", &author_id).expect("person id");
        let leaks = |text: &str| -> Vec<&'static str> {
            let mut found = Vec::new();
            if text.contains("Verborgen Melder") { found.push("name"); }
            if text.contains(&author_id) { found.push("id"); }
            if text.contains("verborgen.melder") { found.push("e-mail"); }
            found
        };
        let variables = json!({ "n": w.here["id"], "id": w.secret["id"], "survivor": w.survivor["id"] });
        for (role, token) in [("visitor", None), ("resident", Some(w.resident.access_token.as_str())), ("organiser elsewhere", Some(w.organiser_elsewhere.access_token.as_str())), ("admin", Some(w.admin.as_str()))] {
            for language in ["en", "nl"] {
                let r = app.graphql_as(token, language, EVERYTHING, variables.clone()).await;
                let text = r.data().to_string();
                assert_eq!(leaks(&text), Vec::<&str>::new(), "{role} ({language}) learns who raised it: {text}");
                let g = &r.data()["grievance"];
                let expected = if language == "nl" { "een bewoner van Transvaal" } else { "a resident of Transvaal" };
                assert_eq!(g["author"], json!({ "displayName": expected, "anonymous": true, "person": null }), "{role}");
                assert_eq!(g["comments"]["edges"][0]["node"]["author"]["person"], Value::Null);
                assert_eq!(g["comments"]["edges"][0]["node"]["byGrievanceAuthor"], true, "it may say the raiser wrote it, not who that is");
                let moved = r.data()["survivor"]["comments"]["edges"].as_array().expect("comments").iter().find(|e| e["node"]["text"] == "Ook overdag.").expect("moved comment").clone();
                assert_eq!(moved["node"]["author"]["anonymous"], true, "{role}: a moved comment stays anonymous");
                assert_eq!(moved["node"]["byGrievanceAuthor"], false, "{role}: nor does it say it was the raiser of the merged one");
            }
        }
        // Organisers of this neighbourhood, and the author, do see who it is.
        for (role, token) in [("organiser here", &w.organiser_here.access_token), ("author", &w.author.access_token)] {
            let r = app.graphql_as(Some(token), "en", EVERYTHING, variables.clone()).await;
            assert_eq!(r.data()["grievance"]["author"]["person"]["displayName"], "Verborgen Melder", "{role}");
            assert_eq!(r.data()["grievance"]["author"]["anonymous"], true, "{role} sees it is hidden from the public");
        }
        // The GeoJSON export is the public's view.
        for token in [None, Some(w.organiser_here.access_token.as_str())] {
            let mut request = app.client.get(format!("{}/api/neighbourhoods/transvaal/grievances.geojson", app.address));
            if let Some(token) = token { request = request.bearer_auth(token); }
            let text = request.send().await.expect("sent").text().await.expect("body");
            assert_eq!(leaks(&text), Vec::<&str>::new(), "GeoJSON: {text}");
            assert!(text.contains("a resident of Transvaal") || text.contains("een bewoner van Transvaal"), "{text}");
        }
        // E-mails to anyone but the author never name the author.
        let others: Vec<String> = app.smtp.messages().into_iter().filter(|m| !m.to.iter().any(|t| t.contains("verborgen.melder"))).map(|m| m.decoded()).collect();
        for mail in &others {
            assert_eq!(leaks(mail), Vec::<&str>::new(), "e-mail: {mail}");
        }
        assert!(others.iter().any(|t| t.contains("Ik bel de wijkagent.")), "the acknowledgement was mailed to the co-signer");
        // The author's data export holds what they raised and wrote; the co-signer's what they co-signed.
        let mine = app.graphql_as(Some(&w.author.access_token), "en", "{ myData }", json!({})).await;
        let mine: Value = serde_json::from_str(mine.data()["myData"].as_str().expect("json")).expect("json");
        assert_eq!(mine["grievances"]["raised"][0]["title"], "Drugs bij de speeltuin");
        assert_eq!(mine["grievances"]["raised"][0]["showName"], false);
        assert_eq!(mine["grievances"]["comments"][0]["text"], "Vooral 's avonds.");
        let theirs = app.graphql_as(Some(&w.resident.access_token), "en", "{ myData }", json!({})).await;
        let theirs: Value = serde_json::from_str(theirs.data()["myData"].as_str().expect("json")).expect("json");
        assert_eq!(theirs["grievances"]["cosigned"][0]["grievance"], "Drugs bij de speeltuin");
        assert_eq!(leaks(&theirs.to_string()), Vec::<&str>::new());
        // Nor does the internal id show up as a number anywhere public.
        let r = app.graphql(EVERYTHING, variables.clone()).await;
        assert!(!r.data().to_string().contains(&format!("Person:{raw_id}")));
    }

    async fn the_geojson_export_lists_grievances_with_a_place(app) {
        let w = world(&app).await;
        let response = app.get("/api/neighbourhoods/transvaal/grievances.geojson").await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "application/geo+json");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["type"], "FeatureCollection");
        let features = body["features"].as_array().expect("features");
        // The merged one is left out; the other two have a place.
        assert_eq!(features.len(), 2, "{body:#}");
        let secret = features.iter().find(|f| f["id"] == w.secret["id"]).expect("the anonymous one");
        assert_eq!(secret["geometry"], json!({ "type": "Point", "coordinates": [4.2955, 52.0665] }));
        // Without Accept-Language the export speaks Dutch.
        assert_eq!(secret["properties"]["author"], "een bewoner van Transvaal");
        assert_eq!(secret["properties"]["status"], "ACKNOWLEDGED");
        assert_eq!(secret["properties"]["cosignCount"], 1);
        assert_eq!(secret["properties"]["theme"], "safety");
        assert!(secret["properties"]["url"].as_str().expect("url").starts_with("http://buurtkracht.test/meldingen/"));
        let open: Value = app.get("/api/neighbourhoods/transvaal/grievances.geojson?statuses=OPEN").await.json().await.expect("json");
        assert_eq!(open["features"].as_array().expect("features").len(), 1);
        let none: Value = app.get("/api/neighbourhoods/transvaal/grievances.geojson?themes=housing").await.json().await.expect("json");
        assert_eq!(none["features"], json!([]));
        let bad = app.get("/api/neighbourhoods/transvaal/grievances.geojson?statuses=SOMEDAY").await;
        assert_eq!(bad.status().as_u16(), 400);
        let bad: Value = bad.json().await.expect("json");
        assert_eq!(bad["code"], "VALIDATION");
        let bad = app.get("/api/neighbourhoods/transvaal/grievances.geojson?themes=weather").await;
        assert_eq!(bad.status().as_u16(), 400);
        let missing = app.get("/api/neighbourhoods/nowhere/grievances.geojson").await;
        assert_eq!(missing.status().as_u16(), 404);
        let _ = (&w.organiser_elsewhere, &w.resident);
    }
}
