//! The HTTP side of GraphQL: malformed requests, unknown fields, GET, GraphiQL.

use buurtkracht_tests::on_both_backends;
use serde_json::json;

on_both_backends! {
    async fn malformed_json_is_a_validation_error_not_a_crash(app) {
        let r = app.post_raw("application/json", "{\"query\": ").await;
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code(), Some("VALIDATION"));
        let r = app.post_raw("application/json", "[1, 2").await;
        assert_eq!(r.error_code(), Some("VALIDATION"));
    }

    async fn an_unsupported_content_type_is_refused(app) {
        let r = app.post_raw("text/plain", "{ neighbourhoods { totalCount } }").await;
        assert_eq!(r.status, 415);
        assert_eq!(r.error_code(), Some("VALIDATION"));
    }

    async fn unknown_fields_and_syntax_errors_carry_a_code(app) {
        // application/json answers 200 with the errors (GraphQL over HTTP); the newer
        // application/graphql-response+json answers 400 (tests/api_limits.rs).
        let r = app.graphql("{ neighbourhoods { totalCount secretField } }", json!({})).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.error_code(), Some("VALIDATION"));
        assert!(r.error_message().contains("secretField"));
        let r = app.graphql("{ neighbourhoods { ", json!({})).await;
        assert_eq!(r.error_code(), Some("VALIDATION"));
        let r = app.graphql("query($n: Int) { neighbourhoods(first: $n) { totalCount } }", json!({ "n": "ten" })).await;
        assert_eq!(r.error_code(), Some("VALIDATION"));
    }

    async fn queries_work_over_get_and_bad_variables_are_refused(app) {
        let ok = app.get("/graphql?query=%7Bneighbourhoods%7BtotalCount%7D%7D").await;
        assert_eq!(ok.status(), 200);
        let body: serde_json::Value = ok.json().await.expect("json");
        assert_eq!(body["data"]["neighbourhoods"]["totalCount"], 0);
        let bad = app.get("/graphql?query=%7Bneighbourhoods%7BtotalCount%7D%7D&variables=%7Bbroken").await;
        assert_eq!(bad.status(), 400);
        let none = app.get("/graphql").await;
        assert_eq!(none.status(), 400);
    }

    async fn batched_requests_are_answered_in_order(app) {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!([{ "query": "{ a: neighbourhoods { totalCount } }" }, { "query": "{ b: neighbourhoods { totalCount } }" }]))
            .send()
            .await
            .expect("sent");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body[0]["data"]["a"]["totalCount"], 0);
        assert_eq!(body[1]["data"]["b"]["totalCount"], 0);
    }

    async fn graphiql_is_served(app) {
        // Built with the web app (frontend/graphiql.html); see tests/security.rs for its policy.
        std::fs::write(app.web_dir.path().join("graphiql.html"), "<title>GraphiQL for /graphql</title>").expect("file");
        let r = app.get("/graphiql").await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("text").contains("/graphql"));
    }

    async fn every_response_has_a_request_id(app) {
        let r = app.get("/healthz").await;
        assert!(r.headers().get("x-request-id").is_some());
        let r = app.client.get(format!("{}/healthz", app.address)).header("x-request-id", "trace-me-42").send().await.expect("sent");
        assert_eq!(r.headers()["x-request-id"], "trace-me-42");
    }
}
