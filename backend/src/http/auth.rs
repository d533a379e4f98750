//! Who is calling: the bearer token in `Authorization`, resolved to an actor on the request's
//! own database connection, and the GraphQL context built around both.

use std::sync::Arc;

use actix_web::HttpRequest;

use super::AppState;
use crate::db::RequestDb;
use crate::domain::accounts::Language;
use crate::domain::accounts::service as accounts;
use crate::domain::accounts::sessions;
use crate::domain::accounts::tokens::TokenKeys;
use crate::domain::{Actor, DomainError};
use crate::graphql::Context;
use crate::graphql::context::RequestSettings;

/// The actor of a request: a visitor without `Authorization`, the token's holder with a valid
/// bearer token (an access token, or an admin token), `Unauthenticated` for a malformed,
/// expired, unknown or revoked one. A signed-in person costs one statement (the session check,
/// which also reads their memberships); a visitor none.
pub async fn actor_of(
    req: &HttpRequest,
    db: &RequestDb,
    keys: &TokenKeys,
) -> Result<Actor, DomainError> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(Actor::Visitor);
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(DomainError::Unauthenticated)?
        .to_owned();
    if token.starts_with(accounts::ADMIN_TOKEN_PREFIX) {
        return db
            .run(move |conn| accounts::actor_for_token(conn, &token))
            .await;
    }
    let claims = keys.verify(&token).ok_or(DomainError::Unauthenticated)?;
    db.run(move |conn| sessions::actor_for_session(conn, claims.user, &claims.session))
        .await
}

/// The GraphQL context of a request: one database connection for the whole request (checked
/// out on first use), the caller resolved on it, and the request's loaders on it too.
pub async fn request_context(
    req: &HttpRequest,
    state: &AppState,
    language: Language,
) -> Result<Context, DomainError> {
    let db = state.db.for_request();
    let actor = actor_of(req, &db, &state.keys).await?;
    Ok(Context::new(
        db,
        actor,
        language,
        RequestSettings {
            client_ip: super::client_address::client_address(req, &state.trusted_proxies)
                .map(|ip| ip.to_string()),
            keys: Arc::clone(&state.keys),
            public_url: state.public_url.clone(),
            map: Arc::clone(&state.map),
            outbox_wake: Arc::clone(&state.outbox_wake),
            links_per_ip_hour: state.links_per_ip_hour,
            themes: Arc::clone(&state.themes),
            refresh_cookie: super::session_cookie::wants_cookie(req),
        },
    ))
}
