//! Neighbourhood queries and mutations, authorisation, errors and pagination, on both backends.

use buurtkracht_tests::{TestApp, on_both_backends, operation};
use serde_json::json;

const LIST: &str = "query($first: Int, $after: String) { neighbourhoods(first: $first, after: $after) {
    totalCount edges { cursor node { id slug name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

async fn names_in_order(app: &TestApp, page_size: i64) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let r = app
            .graphql(LIST, json!({ "first": page_size, "after": after }))
            .await;
        let connection = &r.data()["neighbourhoods"];
        for edge in connection["edges"].as_array().expect("edges") {
            names.push(edge["node"]["name"].as_str().expect("name").to_owned());
        }
        if !connection["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("hasNextPage")
        {
            return names;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

async fn demote(app: &TestApp, email: &'static str) {
    use buurtkracht::db::schema::users;
    use diesel::prelude::*;
    app.db
        .run(move |conn| {
            diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::admin_since.eq(None::<chrono::NaiveDateTime>))
                .execute(conn)
                .map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("demoted");
}

on_both_backends! {
    async fn an_admin_creates_a_neighbourhood_and_visitors_find_it_by_slug(app) {
        let token = app.admin_token("admin@example.org").await;
        let created = app.create_neighbourhood(&token, "Oude Westen").await;
        assert_eq!(created["slug"], "oude-westen");
        assert_eq!(created["name"], "Oude Westen");

        let found = app.graphql(&operation("Neighbourhood"), json!({ "slug": "oude-westen" })).await;
        let n = &found.data()["neighbourhood"];
        assert_eq!(n["id"], created["id"]);
        assert_eq!(n["memberCount"], 0);
        assert_eq!(n["organisers"], json!([]));

        let missing = app.graphql(&operation("Neighbourhood"), json!({ "slug": "nergens" })).await;
        assert_eq!(missing.data()["neighbourhood"], serde_json::Value::Null);
    }

    async fn ids_are_opaque_strings(app) {
        let token = app.admin_token("admin@example.org").await;
        let created = app.create_neighbourhood(&token, "Lombok").await;
        let id = created["id"].as_str().expect("id is a string");
        assert!(id.parse::<i64>().is_err(), "a bare number is not opaque: {id}");
    }

    async fn renaming_keeps_the_slug_and_is_recorded_in_the_audit_log(app) {
        let token = app.admin_token("admin@example.org").await;
        let created = app.create_neighbourhood(&token, "Lombok").await;
        let renamed = app
            .graphql_as(Some(&token), "en", &operation("RenameNeighbourhood"),
                json!({ "input": { "id": created["id"], "name": "Lombok-Oost", "description": "Aan de Kanaalstraat." } }))
            .await;
        let n = &renamed.data()["renameNeighbourhood"];
        assert_eq!(n["name"], "Lombok-Oost");
        assert_eq!(n["slug"], "lombok");
        assert_eq!(n["description"], "Aan de Kanaalstraat.");

        let log = app.db.run(|conn| buurtkracht::domain::audit::recent(conn, 10).map_err(buurtkracht::db::DbError::from)).await.expect("audit log");
        let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["neighbourhood.rename", "neighbourhood.create", "admin.create"]);
        assert!(log[0].actor_user_id.is_some(), "the acting admin is recorded");
    }

    async fn visitors_may_not_create_or_rename(app) {
        let create = app.graphql(&operation("CreateNeighbourhood"), json!({ "input": { "name": "Lombok" } })).await;
        assert_eq!(create.error_code(), Some("UNAUTHENTICATED"));
        let token = app.admin_token("admin@example.org").await;
        let created = app.create_neighbourhood(&token, "Lombok").await;
        let rename = app.graphql(&operation("RenameNeighbourhood"), json!({ "input": { "id": created["id"], "name": "X" } })).await;
        assert_eq!(rename.error_code(), Some("UNAUTHENTICATED"));
        let list = app.graphql(LIST, json!({})).await;
        assert_eq!(list.data()["neighbourhoods"]["totalCount"], 1, "nothing was written by the refused calls");
    }

    async fn a_person_who_is_no_longer_admin_is_forbidden(app) {
        let token = app.admin_token("former@example.org").await;
        demote(&app, "former@example.org").await;
        let create = app.graphql_as(Some(&token), "en", &operation("CreateNeighbourhood"), json!({ "input": { "name": "Lombok" } })).await;
        assert_eq!(create.error_code(), Some("FORBIDDEN"));
        assert_eq!(create.error_message(), "You are not allowed to do this.");
        let nl = app.graphql_as(Some(&token), "nl", &operation("CreateNeighbourhood"), json!({ "input": { "name": "Lombok" } })).await;
        assert_eq!(nl.error_message(), "Dit mag je niet doen.");
    }

    async fn an_unknown_token_is_unauthenticated_not_a_visitor(app) {
        let r = app.graphql_as(Some("bk_admin_forged"), "en", LIST, json!({})).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));
        let r = app.graphql_as(Some("something-else"), "en", LIST, json!({})).await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));
    }

    async fn bad_names_get_field_level_errors_in_the_users_language(app) {
        let token = app.admin_token("admin@example.org").await;
        let cases = [
            (json!({ "name": "" }), "name", "REQUIRED"),
            (json!({ "name": "   " }), "name", "REQUIRED"),
            (json!({ "name": "x".repeat(81) }), "name", "TOO_LONG"),
            (json!({ "name": "Lom\u{0007}bok" }), "name", "INVALID_CHARACTERS"),
            (json!({ "name": "Lombok", "slug": "Not A Slug" }), "slug", "INVALID_FORMAT"),
            (json!({ "name": "!!!" }), "slug", "REQUIRED"),
            (json!({ "name": "Lombok", "description": "d".repeat(2001) }), "description", "TOO_LONG"),
        ];
        for (input, field, code) in cases {
            let r = app.graphql_as(Some(&token), "en", &operation("CreateNeighbourhood"), json!({ "input": input })).await;
            assert_eq!(r.error_code(), Some("VALIDATION"), "{input}");
            assert_eq!(r.field_codes(), vec![(field.to_owned(), code.to_owned())], "{input}");
        }
        let en = app.graphql_as(Some(&token), "en", &operation("CreateNeighbourhood"), json!({ "input": { "name": "" } })).await;
        assert_eq!(en.body["errors"][0]["extensions"]["fields"][0]["message"], "Fill in a name.");
        let nl = app.graphql_as(Some(&token), "nl", &operation("CreateNeighbourhood"), json!({ "input": { "name": "" } })).await;
        assert_eq!(nl.body["errors"][0]["extensions"]["fields"][0]["message"], "Vul een naam in.");
        // 80 characters is allowed.
        let ok = app.create_neighbourhood(&token, &"é".repeat(80)).await;
        assert_eq!(ok["name"].as_str().map(|s| s.chars().count()), Some(80));
        let list = app.graphql(LIST, json!({})).await;
        assert_eq!(list.data()["neighbourhoods"]["totalCount"], 1, "refused input wrote nothing");
    }

    async fn a_taken_slug_is_a_conflict(app) {
        let token = app.admin_token("admin@example.org").await;
        app.create_neighbourhood(&token, "Lombok").await;
        let again = app.graphql_as(Some(&token), "en", &operation("CreateNeighbourhood"), json!({ "input": { "name": "Lombok" } })).await;
        assert_eq!(again.error_code(), Some("CONFLICT"));
        assert_eq!(again.field_codes(), vec![("slug".to_owned(), "TAKEN".to_owned())]);
        let other = app.graphql_as(Some(&token), "en", &operation("CreateNeighbourhood"), json!({ "input": { "name": "Lombok", "slug": "lombok-2" } })).await;
        assert_eq!(other.data()["createNeighbourhood"]["slug"], "lombok-2");
    }

    async fn renaming_an_unknown_or_foreign_id_is_not_found(app) {
        let token = app.admin_token("admin@example.org").await;
        for id in ["TmVpZ2hib3VyaG9vZDo5OTk5", "UGVyc29uOjE", "%%%"] {
            let r = app.graphql_as(Some(&token), "en", &operation("RenameNeighbourhood"), json!({ "input": { "id": id, "name": "X" } })).await;
            assert_eq!(r.error_code(), Some("NOT_FOUND"), "{id}");
        }
    }

    async fn pages_walk_every_neighbourhood_once_in_name_order(app) {
        let token = app.admin_token("admin@example.org").await;
        let mut expected = Vec::new();
        // Names that sort the same in every collation: one case, letters and digits only.
        for i in (0..23).rev() {
            let name = format!("Wijk {i:02}");
            app.create_neighbourhood(&token, &name).await;
            expected.push(name);
        }
        expected.sort();
        assert_eq!(names_in_order(&app, 5).await, expected);
        assert_eq!(names_in_order(&app, 100).await, expected);

        let first = app.graphql(LIST, json!({ "first": 5 })).await;
        let page = &first.data()["neighbourhoods"];
        assert_eq!(page["totalCount"], 23);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
        assert_eq!(page["pageInfo"]["startCursor"], page["edges"][0]["cursor"]);
        let second = app.graphql(LIST, json!({ "first": 5, "after": page["pageInfo"]["endCursor"] })).await;
        assert_eq!(second.data()["neighbourhoods"]["pageInfo"]["hasPreviousPage"], true);
    }

    async fn page_size_is_capped_at_one_hundred(app) {
        let too_many = app.graphql(LIST, json!({ "first": 101 })).await;
        assert_eq!(too_many.error_code(), Some("VALIDATION"));
        assert_eq!(too_many.field_codes(), vec![("first".to_owned(), "TOO_LONG".to_owned())]);
        let negative = app.graphql(LIST, json!({ "first": -1 })).await;
        assert_eq!(negative.error_code(), Some("VALIDATION"));
        let bad_cursor = app.graphql(LIST, json!({ "after": "not-a-cursor" })).await;
        assert_eq!(bad_cursor.field_codes(), vec![("after".to_owned(), "INVALID_FORMAT".to_owned())]);
        let zero = app.graphql(LIST, json!({ "first": 0 })).await;
        assert_eq!(zero.data()["neighbourhoods"]["edges"], json!([]));
    }

    async fn a_page_costs_the_same_number_of_statements_however_long_it_is(app) {
        let db = app.db.clone();
        db.run(buurtkracht::domain::demo::seed).await.expect("demo data");
        let token = app.admin_token("admin@example.org").await;
        for i in 0..95 {
            app.create_neighbourhood(&token, &format!("Buurt {i:03}")).await;
        }
        let query = "query($first: Int) { neighbourhoods(first: $first) { edges { node { name memberCount organisers { id displayName } } } } }";
        let cost = |first: i64| {
            let app = &app;
            async move {
                let (cost, r) = app.cost_of(None, query, json!({ "first": first })).await;
                assert_eq!(r.data()["neighbourhoods"]["edges"].as_array().map(Vec::len), Some(first as usize));
                cost
            }
        };
        let small = cost(3).await;
        let large = cost(100).await;
        assert_eq!(small, large, "a page of 100 costs as many statements as a page of 3");
        assert!(large <= 10, "a page costs {large} statements");
    }

    async fn organisers_and_member_counts_come_from_memberships(app) {
        app.db.run(buurtkracht::domain::demo::seed).await.expect("demo data");
        let r = app.graphql(&operation("Neighbourhood"), json!({ "slug": "transvaal" })).await;
        let n = &r.data()["neighbourhood"];
        assert_eq!(n["memberCount"], 4);
        assert_eq!(n["organisers"][0]["displayName"], "Fatima el Amrani");
        let text = r.body.to_string();
        assert!(!text.contains('@'), "no e-mail address leaks: {text}");
    }
}
