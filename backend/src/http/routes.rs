//! Every route of the server, in one place.

use std::time::Instant;

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web;
use tracing::Instrument as _;

use super::{budgets, geojson, graphql, health, session_cookie, web_app};

/// The route table.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/graphiql", web::get().to(web_app::graphiql))
        .route("/auth/refresh", web::post().to(session_cookie::refresh))
        .route("/auth/sign-out", web::post().to(session_cookie::sign_out))
        .route("/healthz", web::get().to(health::alive))
        .route("/readyz", web::get().to(health::ready))
        .route(
            "/api/neighbourhoods/{slug}/grievances.geojson",
            web::get().to(geojson::grievances),
        )
        .route(
            "/api/budgets/{id}/election.pb",
            web::get().to(budgets::election),
        )
        .default_service(web::to(web_app::serve));
}

/// Wrap every request in a span with a request id, and log one line when it is answered: method,
/// path, status, latency and (for GraphQL) the operation name.
pub fn with_request_span<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>>
+ use<S, B>
where
    S: actix_web::dev::Service<
            ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map_or_else(new_request_id, str::to_owned);
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.path(),
        graphql_operation = tracing::field::Empty,
    );
    let started = Instant::now();
    let response = {
        let _entered = span.enter();
        srv.call(req)
    };
    async move {
        let mut response = response.await?;
        let status = response.status().as_u16();
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(status, latency_ms, "request answered");
        } else {
            tracing::info!(status, latency_ms, "request answered");
        }
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-request-id"), value);
        }
        Ok(response)
    }
    .instrument(span)
}

fn new_request_id() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
