//! The web app's refresh token, in a cookie JavaScript cannot read.
//!
//! The web app marks its GraphQL requests with `X-Buurtkracht-Session: cookie`. For those, a
//! mutation that starts a session (`signInWithLink`, `signInWithPassword`, `confirmAction`,
//! `refreshSession`) answers an empty `refreshToken`, and the token goes into the cookie
//! `bk_refresh` instead: `HttpOnly` (a script injected into the page cannot steal it),
//! `SameSite=Strict` and `Path=/auth` (sent only to the two endpoints below, never to
//! `/graphql`), `Secure` except for plain http on another host than this computer.
//!
//! - `POST /auth/refresh` trades the cookie for a new access token and rotates the cookie.
//! - `POST /auth/sign-out` ends the session of the cookie and clears it.
//!
//! Both want the header `X-Buurtkracht-CSRF: 1`: a form on another site cannot send a custom
//! header, and a script on another site can only with a CORS preflight, which this server never
//! grants. Mobile apps keep the token-in-body flow: without the session header nothing changes.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT_LANGUAGE, COOKIE, HeaderValue, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde_json::json;

use super::AppState;
use crate::domain::DomainError;
use crate::domain::accounts::Language;
use crate::domain::accounts::sessions::{self, REFRESH_TTL};
use crate::graphql::error_response;
use crate::graphql::i18n::{RequestProblem, error_message, language_from_header, request_message};

/// The cookie's name.
pub const COOKIE_NAME: &str = "bk_refresh";
/// The only path the cookie is sent to.
pub const COOKIE_PATH: &str = "/auth";
/// The header that asks for the cookie flow on `/graphql`, and its value.
pub const SESSION_HEADER: &str = "x-buurtkracht-session";
pub const SESSION_HEADER_VALUE: &str = "cookie";
/// The header `/auth/*` needs, and its value.
pub const CSRF_HEADER: &str = "x-buurtkracht-csrf";
pub const CSRF_HEADER_VALUE: &str = "1";

/// Whether a GraphQL request asks for the cookie flow.
pub fn wants_cookie(req: &HttpRequest) -> bool {
    req.headers().get(SESSION_HEADER).is_some_and(|v| {
        v.as_bytes()
            .eq_ignore_ascii_case(SESSION_HEADER_VALUE.as_bytes())
    })
}

/// Whether the cookie may carry `Secure`: always, except for plain http to another host than
/// this computer (browsers accept Secure cookies from http://localhost and 127.0.0.1 only).
pub fn secure_cookie(public_url: &str) -> bool {
    let Some(rest) = public_url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .and_then(|_| public_url.get(7..))
    else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    }
    .to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A `Set-Cookie` value that stores `token` for the refresh token's lifetime.
pub fn set_cookie(token: &str, public_url: &str) -> Option<HeaderValue> {
    cookie_value(token, REFRESH_TTL.num_seconds(), public_url)
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(public_url: &str) -> HeaderValue {
    cookie_value("", 0, public_url)
        .unwrap_or_else(|| HeaderValue::from_static("bk_refresh=; Path=/auth; Max-Age=0"))
}

fn cookie_value(token: &str, max_age: i64, public_url: &str) -> Option<HeaderValue> {
    let secure = if secure_cookie(public_url) {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}

/// The refresh token in the request's cookies.
fn token_of(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Whether the request carries the CSRF header.
fn has_csrf_header(req: &HttpRequest) -> bool {
    req.headers()
        .get(CSRF_HEADER)
        .is_some_and(|v| v.as_bytes() == CSRF_HEADER_VALUE.as_bytes())
}

fn refusal(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(error_response(code, message))
}

fn language_of(req: &HttpRequest) -> Language {
    language_from_header(
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// 403 for a request without the CSRF header.
fn without_csrf_header(language: Language) -> HttpResponse {
    refusal(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        &error_message(&DomainError::Forbidden, language),
    )
}

/// 401 for a missing cookie or an ended session.
fn unauthenticated(language: Language) -> HttpResponse {
    refusal(
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        request_message(RequestProblem::BadToken, language),
    )
}

/// `POST /auth/refresh`: a new access token for the cookie's session, and a new cookie.
/// 403 without the CSRF header, 401 without a cookie or when the session is over (the cookie is
/// then removed), 503 when the database is away.
pub async fn refresh(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let language = language_of(&req);
    if !has_csrf_header(&req) {
        return without_csrf_header(language);
    }
    let Some(token) = token_of(&req) else {
        return unauthenticated(language);
    };
    let db = state.db.for_request();
    let grant = match db.run(move |conn| sessions::refresh(conn, &token)).await {
        Ok(grant) => grant,
        Err(DomainError::Unauthenticated) => {
            let mut response = unauthenticated(language);
            response
                .headers_mut()
                .insert(SET_COOKIE, clear_cookie(&state.public_url));
            return response;
        }
        Err(other) => return failure(&other, language),
    };
    let (access_token, expires) = match state.keys.issue(grant.user.id, &grant.session, Utc::now())
    {
        Ok(issued) => issued,
        Err(e) => return failure(&DomainError::Internal(e), language),
    };
    let mut response = HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(json!({
            "accessToken": access_token,
            "accessTokenExpiresAt": expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }));
    if let Some(cookie) = set_cookie(&grant.refresh_token, &state.public_url) {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

/// `POST /auth/sign-out`: end the cookie's session (every token of it) and remove the cookie.
/// 204 also when there was no cookie: then there is nothing to end.
pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let language = language_of(&req);
    if !has_csrf_header(&req) {
        return without_csrf_header(language);
    }
    if let Some(token) = token_of(&req) {
        let db = state.db.for_request();
        if let Err(error) = db
            .run(move |conn| sessions::sign_out_with_refresh_token(conn, &token))
            .await
        {
            return failure(&error, language);
        }
    }
    HttpResponse::NoContent()
        .insert_header((SET_COOKIE, clear_cookie(&state.public_url)))
        .finish()
}

/// 503 with `Retry-After` when the database is away, 500 otherwise; the cause is logged.
fn failure(error: &DomainError, language: Language) -> HttpResponse {
    let code = crate::graphql::error::code_of(error);
    let message = error_message(error, language);
    tracing::error!(error = %error, "session cookie endpoint failed");
    if code == "UNAVAILABLE" {
        HttpResponse::ServiceUnavailable()
            .insert_header((
                actix_web::http::header::RETRY_AFTER,
                crate::graphql::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
            ))
            .json(error_response(code, &message))
    } else {
        refusal(StatusCode::INTERNAL_SERVER_ERROR, code, &message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_left_out_only_for_plain_http_to_another_host() {
        assert!(secure_cookie("https://buurt.example"));
        assert!(secure_cookie("http://localhost:8080"));
        assert!(secure_cookie("http://127.0.0.1:5173/app"));
        assert!(secure_cookie("http://[::1]:8080"));
        assert!(!secure_cookie("http://buurtkracht.lan"));
        assert!(!secure_cookie("http://192.168.1.10:8080"));
    }
}
