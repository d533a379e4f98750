//! `POST /graphql` and `GET /graphql`.

use actix_web::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use juniper::http::{GraphQLBatchRequest, GraphQLRequest};
use serde::Deserialize;

use super::AppState;
use super::auth::request_context;
use super::session_cookie;
use crate::domain::DomainError;
use crate::domain::accounts::Language;
use crate::graphql::error_response;
use crate::graphql::i18n::{RequestProblem, language_from_header, request_message};

fn language_of(req: &HttpRequest) -> Language {
    language_from_header(
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn refuse(status: actix_web::http::StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(error_response(code, message))
}

/// `POST /graphql` with `application/json` (single or batch) or `application/graphql`.
pub async fn post(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    let language = language_of(&req);
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let request = match content_type.as_str() {
        "application/json" => match serde_json::from_slice::<GraphQLBatchRequest>(&body) {
            Ok(request) => request,
            Err(_) => {
                return refuse(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    request_message(RequestProblem::MalformedJson, language),
                );
            }
        },
        "application/graphql" => match std::str::from_utf8(&body) {
            Ok(text) => {
                GraphQLBatchRequest::Single(GraphQLRequest::new(text.to_owned(), None, None))
            }
            Err(_) => {
                return refuse(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    request_message(RequestProblem::InvalidQuery, language),
                );
            }
        },
        _ => {
            return refuse(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "VALIDATION",
                request_message(RequestProblem::UnsupportedContentType, language),
            );
        }
    };
    execute(req, state, language, request).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
}

/// `GET /graphql?query=…&operationName=…&variables=…`.
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let language = language_of(&req);
    let invalid = || {
        refuse(
            actix_web::http::StatusCode::BAD_REQUEST,
            "VALIDATION",
            request_message(RequestProblem::InvalidQuery, language),
        )
    };
    let Ok(params) = web::Query::<GetParams>::from_query(req.query_string()) else {
        return invalid();
    };
    let params = params.into_inner();
    let Some(query) = params.query else {
        return invalid();
    };
    let variables = match params.variables.as_deref() {
        None | Some("") => None,
        Some(raw) => match serde_json::from_str(raw) {
            Ok(v) => Some(v),
            Err(_) => {
                return refuse(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    request_message(RequestProblem::MalformedJson, language),
                );
            }
        },
    };
    let request = GraphQLRequest::new(query, params.operation_name, variables);
    execute(req, state, language, GraphQLBatchRequest::Single(request)).await
}

async fn execute(
    req: HttpRequest,
    state: web::Data<AppState>,
    language: Language,
    request: GraphQLBatchRequest,
) -> HttpResponse {
    let operations = request
        .operation_names()
        .into_iter()
        .map(|n| n.unwrap_or("-"))
        .collect::<Vec<_>>()
        .join(",");
    tracing::Span::current().record("graphql_operation", operations.as_str());

    let context = match request_context(&req, &state, language).await {
        Ok(context) => context,
        Err(DomainError::Unauthenticated) => {
            return refuse(
                actix_web::http::StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                request_message(RequestProblem::BadToken, language),
            );
        }
        Err(other) => {
            tracing::error!(error = %other, "cannot resolve the caller");
            return unavailable(&other, language);
        }
    };
    let response = request.execute(&state.schema, &context).await;
    let refresh_cookie = context
        .take_refresh_cookie()
        .and_then(|token| session_cookie::set_cookie(&token, &state.public_url));
    drop(context);
    let mut answer = answer(response, language);
    if let Some(cookie) = refresh_cookie {
        answer.headers_mut().append(SET_COOKIE, cookie);
    }
    answer
}

fn answer(response: juniper::http::GraphQLBatchResponse, language: Language) -> HttpResponse {
    let status = if response.is_ok() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    match serde_json::to_value(&response) {
        Ok(mut body) => {
            add_missing_codes(&mut body);
            if has_code(&body, "UNAVAILABLE") {
                return HttpResponse::ServiceUnavailable()
                    .insert_header(retry_after())
                    .json(body);
            }
            HttpResponse::build(status).json(body)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a GraphQL response");
            refuse(
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                crate::graphql::i18n::error_message(
                    &DomainError::Internal(String::new()),
                    language,
                )
                .as_str(),
            )
        }
    }
}

fn retry_after() -> (actix_web::http::header::HeaderName, String) {
    (
        actix_web::http::header::RETRY_AFTER,
        crate::graphql::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
    )
}

/// A request refused before execution because the database is away (or something else
/// broke): 503 with `Retry-After` for `UNAVAILABLE`, 500 for `INTERNAL`.
fn unavailable(error: &DomainError, language: Language) -> HttpResponse {
    let code = crate::graphql::error::code_of(error);
    let message = crate::graphql::i18n::error_message(error, language);
    if code == "UNAVAILABLE" {
        HttpResponse::ServiceUnavailable()
            .insert_header(retry_after())
            .json(error_response(code, &message))
    } else {
        refuse(
            actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
            code,
            &message,
        )
    }
}

/// Whether any error of a (batch) response carries `code`: a request that met an unavailable
/// database is answered 503 as a whole, so that clients and proxies retry it.
fn has_code(body: &serde_json::Value, code: &str) -> bool {
    match body {
        serde_json::Value::Array(items) => items.iter().any(|b| has_code(b, code)),
        serde_json::Value::Object(map) => {
            map.get("errors")
                .and_then(|e| e.as_array())
                .is_some_and(|errors| {
                    errors
                        .iter()
                        .any(|e| e["extensions"]["code"].as_str() == Some(code))
                })
        }
        _ => false,
    }
}

/// Errors juniper raises itself (syntax, unknown fields, wrong variable types) carry no code;
/// give them `VALIDATION`, so that every error has one.
fn add_missing_codes(body: &mut serde_json::Value) {
    match body {
        serde_json::Value::Array(items) => items.iter_mut().for_each(add_missing_codes),
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(errors)) = map.get_mut("errors") {
                for error in errors.iter_mut().filter_map(|e| e.as_object_mut()) {
                    let extensions = error
                        .entry("extensions")
                        .or_insert_with(|| serde_json::json!({}));
                    if let Some(ext) = extensions.as_object_mut() {
                        ext.entry("code").or_insert_with(|| "VALIDATION".into());
                    }
                }
            }
        }
        _ => {}
    }
}
