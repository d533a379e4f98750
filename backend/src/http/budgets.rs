//! `GET /api/budgets/{id}/election.pb`: the anonymous election of a counted budget round in the
//! Pabulib format, for anyone to recompute the outcome (`buurtkracht pb outcome`, pabutools).

use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use crate::domain::DomainError;
use crate::domain::budgets::{ROUND_KIND, service};
use crate::domain::ids::parse_public_id;
use crate::graphql::i18n;

fn problem(status: actix_web::http::StatusCode, code: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "code": code, "message": message }))
}

/// The handler: 404 for an unknown round and for one that is not counted yet.
pub async fn election(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let language = i18n::language_from_header(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let not_found = || {
        problem(
            actix_web::http::StatusCode::NOT_FOUND,
            "NOT_FOUND",
            i18n::error_message(
                &DomainError::NotFound {
                    entity: "budget round",
                },
                language,
            ),
        )
    };
    let Some(raw) = parse_public_id(ROUND_KIND, &id) else {
        return not_found();
    };
    match state.db.run(move |conn| service::export(conn, raw)).await {
        Ok(Some(pb)) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .insert_header(("Cache-Control", "no-cache"))
            .insert_header((
                actix_web::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"wijkbudget-{raw}.pb\""),
            ))
            .body(pb),
        Ok(None) => not_found(),
        Err(error @ DomainError::Unavailable(_)) => {
            tracing::error!(%error, "election export failed");
            HttpResponse::ServiceUnavailable()
                .insert_header((
                    actix_web::http::header::RETRY_AFTER,
                    crate::graphql::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
                ))
                .json(serde_json::json!({ "code": "UNAVAILABLE", "message": i18n::error_message(&error, language) }))
        }
        Err(error) => {
            tracing::error!(%error, "election export failed");
            problem(
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                i18n::error_message(&error, language),
            )
        }
    }
}
