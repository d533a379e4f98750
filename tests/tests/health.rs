//! Liveness and readiness.

use buurtkracht_tests::on_both_backends;

on_both_backends! {
    async fn the_server_is_alive_and_ready(app) {
        assert_eq!(app.get("/healthz").await.status(), 200);
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 200);
        let body: serde_json::Value = ready.json().await.expect("json");
        assert_eq!(body["status"], "ready");
    }

    async fn readiness_fails_when_the_database_is_gone_but_liveness_holds(app) {
        assert_eq!(app.get("/readyz").await.status(), 200);
        app.database.destroy();
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 503);
        let body: serde_json::Value = ready.json().await.expect("json");
        assert_eq!(body["status"], "unavailable");
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
}
