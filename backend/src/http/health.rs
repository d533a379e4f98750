//! Liveness and readiness.

use std::time::Duration;

use actix_web::{HttpResponse, web};

use super::AppState;

/// `/healthz`: the process is alive.
pub async fn alive() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "alive" }))
}

/// `/readyz`: the database is reachable.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.check_ready(Duration::from_secs(2)).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "unavailable", "reason": "database" }))
        }
    }
}
