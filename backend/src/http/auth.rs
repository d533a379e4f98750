//! Who is calling: the bearer token in `Authorization`, resolved to an actor.

use actix_web::HttpRequest;

use crate::db::Database;
use crate::domain::accounts::service as accounts;
use crate::domain::accounts::sessions;
use crate::domain::accounts::tokens::TokenKeys;
use crate::domain::{Actor, DomainError};

/// The actor of a request: a visitor without `Authorization`, the token's holder with a valid
/// bearer token (an access token, or an admin token), `Unauthenticated` for a malformed,
/// expired, unknown or revoked one.
pub async fn actor_of(
    req: &HttpRequest,
    db: &Database,
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
