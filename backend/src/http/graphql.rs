//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP.
//!
//! Before anything is executed, a request is read within the body timeout, its documents are
//! resolved (trusted document ids, `graphql::trusted`), analysed for depth, repeated fields and
//! cost (`graphql::cost`), and its cost is spent from the client's budget (`cost_budget`). GET
//! runs queries only. Execution is bounded by the request timeout. Answers are
//! `application/graphql-response+json` with the spec's status codes when the client accepts
//! it (400 only when nothing could be executed), else `application/json` (200 for every
//! document that reached GraphQL, errors included, as older clients expect).

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, HeaderValue, SET_COOKIE};
use actix_web::{HttpRequest, HttpResponse, web};
use futures::StreamExt as _;
use juniper::http::{GraphQLBatchRequest, GraphQLBatchResponse, GraphQLRequest};
use juniper::{DefaultScalarValue, InputValue, OperationType};
use serde::Deserialize;

use super::AppState;
use super::auth::request_context;
use super::cost_budget::{BudgetState, ClientKey};
use super::session_cookie;
use crate::domain::DomainError;
use crate::domain::accounts::Language;
use crate::graphql::cost::{self, TooComplex};
use crate::graphql::i18n::{RequestProblem, language_from_header, request_message};
use crate::graphql::trusted::{self, UnknownDocuments};

/// The largest request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media type of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `application/graphql-response+json`: 4xx for requests that cannot be executed.
    GraphqlResponse,
    /// `application/json`: 200 for every document that reached GraphQL.
    Json,
}

/// What the `Accept` header asks for; `None` when it names nothing we answer with.
fn answer_of(req: &HttpRequest) -> Option<Answer> {
    let Some(accept) = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Answer::Json);
    };
    let mut json = false;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let refused = pieces.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            GRAPHQL_RESPONSE_JSON => return Some(Answer::GraphqlResponse),
            "application/json" | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Answer::Json)
}

fn language_of(req: &HttpRequest) -> Language {
    language_from_header(
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A request refused before execution.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    problem: RequestProblem,
    extensions: serde_json::Value,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, problem: RequestProblem) -> Self {
        Self {
            status,
            code,
            problem,
            extensions: serde_json::json!({}),
        }
    }

    fn with(mut self, extensions: serde_json::Value) -> Self {
        self.extensions = extensions;
        self
    }

    fn into_response(self, answer: Answer, language: Language) -> HttpResponse {
        let mut extensions = self.extensions;
        if let Some(map) = extensions.as_object_mut() {
            map.insert("code".into(), self.code.into());
        }
        let body = serde_json::json!({
            "errors": [{ "message": request_message(self.problem, language), "extensions": extensions }]
        });
        respond(self.status, answer, &body)
    }

    /// The answer with one more header (`Allow`, `Retry-After`).
    fn into_response_with(
        self,
        answer: Answer,
        language: Language,
        name: actix_web::http::header::HeaderName,
        value: HeaderValue,
    ) -> HttpResponse {
        let mut response = self.into_response(answer, language);
        response.headers_mut().insert(name, value);
        response
    }
}

fn respond(status: StatusCode, answer: Answer, body: &serde_json::Value) -> HttpResponse {
    let content_type = match answer {
        Answer::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        Answer::Json => "application/json; charset=utf-8",
    };
    HttpResponse::build(status)
        .content_type(content_type)
        .body(body.to_string())
}

/// One request as it comes over the wire: a document (or a trusted document's id), an
/// operation name, variables and extensions.
#[derive(Debug, Default)]
struct WireRequest {
    query: Option<String>,
    document_id: Option<String>,
    operation_name: Option<String>,
    variables: Option<InputValue<DefaultScalarValue>>,
}

/// Read one request object; `None` when a parameter has the wrong shape.
fn wire_request(value: &serde_json::Value) -> Option<WireRequest> {
    let object = value.as_object()?;
    let text = |key: &str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    };
    let map = |key: &str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(v @ serde_json::Value::Object(_)) => Some(Some(v.clone())),
        Some(_) => None,
    };
    let extensions = map("extensions")?;
    let apq = extensions
        .as_ref()
        .and_then(|e| e.get("persistedQuery"))
        .and_then(|p| p.get("sha256Hash"))
        .and_then(|h| h.as_str())
        .map(|h| format!("sha256:{h}"));
    let variables = match map("variables")? {
        None => None,
        Some(v) => Some(serde_json::from_value(v).ok()?),
    };
    Some(WireRequest {
        query: text("query")?,
        document_id: text("documentId")?.or(apq),
        operation_name: text("operationName")?,
        variables,
    })
}

/// The requests of a JSON body: one object, or a batch (a non-empty array of objects).
fn wire_requests(body: &[u8]) -> Result<(Vec<WireRequest>, bool), Refusal> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            RequestProblem::MalformedJson,
        )
    })?;
    let invalid = || {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            RequestProblem::InvalidQuery,
        )
    };
    match &value {
        serde_json::Value::Array(items) if !items.is_empty() => Ok((
            items
                .iter()
                .map(wire_request)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(invalid)?,
            true,
        )),
        serde_json::Value::Object(_) => {
            Ok((vec![wire_request(&value).ok_or_else(invalid)?], false))
        }
        _ => Err(invalid()),
    }
}

/// Read the body within the body timeout and the size limit.
async fn read_body(mut payload: web::Payload, timeout: Duration) -> Result<web::BytesMut, Refusal> {
    let read = async {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    RequestProblem::MalformedJson,
                )
            })?;
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Refusal::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "VALIDATION",
                    RequestProblem::BodyTooLarge,
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    match tokio::time::timeout(timeout, read).await {
        Ok(result) => result,
        Err(_) => Err(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            "VALIDATION",
            RequestProblem::SlowBody,
        )),
    }
}

/// `POST /graphql` with `application/json` (single or batch) or `application/graphql`.
pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let language = language_of(&req);
    let Some(answer) = answer_of(&req) else {
        return Refusal::new(
            StatusCode::NOT_ACCEPTABLE,
            "VALIDATION",
            RequestProblem::NotAcceptable,
        )
        .into_response(Answer::Json, language);
    };
    let body = match read_body(payload, state.api.body_timeout).await {
        Ok(body) => body,
        Err(refusal) => {
            let slow = refusal.status == StatusCode::REQUEST_TIMEOUT
                || refusal.status == StatusCode::PAYLOAD_TOO_LARGE;
            let mut response = refusal.into_response(answer, language);
            if slow {
                // The rest of the body is not read: close the connection.
                response
                    .head_mut()
                    .set_connection_type(actix_web::http::ConnectionType::Close);
            }
            return response;
        }
    };
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let requests = match content_type.as_str() {
        "application/json" => wire_requests(&body),
        "application/graphql" => match std::str::from_utf8(&body) {
            Ok(text) => Ok((
                vec![WireRequest {
                    query: Some(text.to_owned()),
                    ..WireRequest::default()
                }],
                false,
            )),
            Err(_) => Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "VALIDATION",
                RequestProblem::InvalidQuery,
            )),
        },
        _ => Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "VALIDATION",
            RequestProblem::UnsupportedContentType,
        )),
    };
    match requests {
        Ok((requests, batch)) => {
            execute(req, state, language, answer, requests, batch, false).await
        }
        Err(refusal) => refusal.into_response(answer, language),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    document_id: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// `GET /graphql?query=…&operationName=…&variables=…` (or `documentId=…`): queries only.
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let language = language_of(&req);
    let Some(answer) = answer_of(&req) else {
        return Refusal::new(
            StatusCode::NOT_ACCEPTABLE,
            "VALIDATION",
            RequestProblem::NotAcceptable,
        )
        .into_response(Answer::Json, language);
    };
    let invalid = |problem| {
        Refusal::new(StatusCode::BAD_REQUEST, "VALIDATION", problem).into_response(answer, language)
    };
    let Ok(params) = web::Query::<GetParams>::from_query(req.query_string()) else {
        return invalid(RequestProblem::InvalidQuery);
    };
    let params = params.into_inner();
    let json_param = |raw: Option<&str>| -> Result<Option<serde_json::Value>, ()> {
        match raw {
            None | Some("") => Ok(None),
            Some(raw) => match serde_json::from_str::<serde_json::Value>(raw) {
                Ok(v @ serde_json::Value::Object(_)) => Ok(Some(v)),
                Ok(serde_json::Value::Null) => Ok(None),
                _ => Err(()),
            },
        }
    };
    let (Ok(variables), Ok(extensions)) = (
        json_param(params.variables.as_deref()),
        json_param(params.extensions.as_deref()),
    ) else {
        return invalid(RequestProblem::MalformedJson);
    };
    let mut object = serde_json::Map::new();
    let mut put = |key: &str, value: Option<serde_json::Value>| {
        if let Some(value) = value {
            object.insert(key.to_owned(), value);
        }
    };
    put("query", params.query.map(Into::into));
    put("documentId", params.document_id.map(Into::into));
    put("operationName", params.operation_name.map(Into::into));
    put("variables", variables);
    put("extensions", extensions);
    let Some(request) = wire_request(&serde_json::Value::Object(object)) else {
        return invalid(RequestProblem::MalformedJson);
    };
    execute(req, state, language, answer, vec![request], false, true).await
}

/// Whose budget a request spends: the person of a valid access token (checked by its
/// signature only, no database work), else the client address (behind trusted proxies, from
/// `X-Forwarded-For`; IPv6 by its /64 network).
fn client_key(req: &HttpRequest, state: &AppState) -> ClientKey {
    let person = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .and_then(|token| state.keys.verify(token.trim()))
        .map(|claims| claims.user.0);
    match person {
        Some(id) => ClientKey::Person(id),
        None => {
            let address = super::client_address::client_address(req, &state.trusted_proxies)
                .map(|a| a.to_string());
            ClientKey::Address(crate::domain::rate_limit::client_key(address.as_deref()))
        }
    }
}

fn budget_headers(response: &mut HttpResponse, state: &BudgetState) {
    let headers = response.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", state.limit),
        ("ratelimit-remaining", state.remaining),
        ("ratelimit-reset", state.reset_secs),
    ] {
        headers.insert(
            actix_web::http::header::HeaderName::from_static(name),
            HeaderValue::from(value),
        );
    }
}

/// Resolve documents, analyse them, spend the budget, execute within the timeout, answer.
async fn execute(
    req: HttpRequest,
    state: web::Data<AppState>,
    language: Language,
    answer: Answer,
    wire: Vec<WireRequest>,
    batch: bool,
    over_get: bool,
) -> HttpResponse {
    let started = Instant::now();
    let limits = &state.api.limits;
    if wire.len() > limits.max_batch {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "QUERY_TOO_COMPLEX",
            RequestProblem::TooManyOperations,
        )
        .with(
            TooComplex::Batch {
                operations: wire.len(),
                limit: limits.max_batch,
            }
            .extensions(),
        )
        .into_response(answer, language);
    }

    let mut requests = Vec::with_capacity(wire.len());
    let mut total_cost = 0u64;
    for request in wire {
        let query = match (request.query, request.document_id) {
            (Some(query), _) => {
                if state.api.unknown_documents == UnknownDocuments::Refuse
                    && !trusted::documents().contains_key(&trusted::document_id(&query))
                {
                    return unknown_document(answer, language);
                }
                query
            }
            (None, Some(id)) => match trusted::documents().get(&id) {
                Some(document) => document.text.clone(),
                None => return unknown_document(answer, language),
            },
            (None, None) => {
                return Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    RequestProblem::InvalidQuery,
                )
                .into_response(answer, language);
            }
        };
        let request = GraphQLRequest::new(query, request.operation_name, request.variables);
        let analysis = match cost::analyse(
            &state.schema.schema,
            &request.query,
            request.operation_name.as_deref(),
            &request.variables(),
            limits,
        ) {
            Ok(analysis) => analysis,
            Err(too_complex) => return too_complex_response(&too_complex, answer, language),
        };
        if let Some(analysis) = &analysis {
            if over_get && analysis.operation_type != OperationType::Query {
                return Refusal::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "VALIDATION",
                    RequestProblem::MutationOverGet,
                )
                .into_response_with(
                    answer,
                    language,
                    actix_web::http::header::ALLOW,
                    HeaderValue::from_static("POST"),
                );
            }
            total_cost = total_cost.saturating_add(analysis.cost);
        }
        requests.push(request);
    }
    if total_cost > limits.max_cost {
        return too_complex_response(
            &TooComplex::Cost {
                cost: total_cost,
                limit: limits.max_cost,
            },
            answer,
            language,
        );
    }
    tracing::debug!(
        cost = total_cost,
        analysed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "query cost"
    );

    let operations = requests
        .iter()
        .map(|r| r.operation_name.as_deref().unwrap_or("-"))
        .collect::<Vec<_>>()
        .join(",");
    tracing::Span::current().record("graphql_operation", operations.as_str());

    let budget = match state
        .budget
        .spend(client_key(&req, &state), total_cost, Instant::now())
    {
        Ok(budget) => budget,
        Err(over) => {
            let mut response = HttpResponse::TooManyRequests()
                .content_type(match answer {
                    Answer::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
                    Answer::Json => "application/json; charset=utf-8",
                })
                .insert_header((
                    actix_web::http::header::RETRY_AFTER,
                    over.retry_after_secs.to_string(),
                ))
                .body(
                    serde_json::json!({ "errors": [{
                        "message": crate::graphql::i18n::error_message(
                            &DomainError::RateLimited { retry_after_secs: over.retry_after_secs },
                            language,
                        ),
                        "extensions": {
                            "code": "RATE_LIMITED",
                            "retryAfterSeconds": over.retry_after_secs,
                        },
                    }]})
                    .to_string(),
                );
            budget_headers(&mut response, &over.state);
            return response;
        }
    };

    let context = match request_context(&req, &state, language).await {
        Ok(context) => context,
        Err(DomainError::Unauthenticated) => {
            return Refusal::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                RequestProblem::BadToken,
            )
            .into_response(answer, language);
        }
        Err(other) => {
            tracing::error!(error = %other, "cannot resolve the caller");
            return unavailable(&other, answer, language);
        }
    };
    let request = if batch {
        GraphQLBatchRequest::Batch(requests)
    } else {
        match requests.pop() {
            Some(request) => GraphQLBatchRequest::Single(request),
            None => {
                return Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    RequestProblem::InvalidQuery,
                )
                .into_response(answer, language);
            }
        }
    };
    let response = match tokio::time::timeout(
        state.api.request_timeout,
        request.execute(&state.schema, &context),
    )
    .await
    {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                timeout_secs = state.api.request_timeout.as_secs(),
                "a GraphQL request took too long and was ended"
            );
            return Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIMEOUT",
                RequestProblem::Timeout,
            )
            .into_response_with(
                answer,
                language,
                actix_web::http::header::RETRY_AFTER,
                HeaderValue::from(1u32),
            );
        }
    };
    let refresh_cookie = context
        .take_refresh_cookie()
        .and_then(|token| session_cookie::set_cookie(&token, &state.public_url));
    drop(context);
    let mut response = graphql_response(&response, answer, language);
    budget_headers(&mut response, &budget);
    if let Some(cookie) = refresh_cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

fn unknown_document(answer: Answer, language: Language) -> HttpResponse {
    Refusal::new(
        StatusCode::BAD_REQUEST,
        "PERSISTED_DOCUMENT_NOT_FOUND",
        RequestProblem::UnknownDocument,
    )
    .into_response(answer, language)
}

fn too_complex_response(
    too_complex: &TooComplex,
    answer: Answer,
    language: Language,
) -> HttpResponse {
    Refusal::new(
        StatusCode::BAD_REQUEST,
        "QUERY_TOO_COMPLEX",
        RequestProblem::TooComplex,
    )
    .with(too_complex.extensions())
    .into_response(answer, language)
}

/// The answer to an executed request: 503 when the database was away; with
/// `application/graphql-response+json`, 400 when no operation could start (a document that
/// does not parse or validate), else 200.
fn graphql_response(
    response: &GraphQLBatchResponse<DefaultScalarValue>,
    answer: Answer,
    language: Language,
) -> HttpResponse {
    match serde_json::to_value(response) {
        Ok(mut body) => {
            add_missing_codes(&mut body);
            if has_code(&body, "UNAVAILABLE") {
                return respond_unavailable(answer, &body);
            }
            // application/json: 200 whenever the document reached GraphQL, as the spec says
            // (clients read `errors`); the newer type says 400 when nothing could run.
            let status = if answer == Answer::GraphqlResponse && !has_data(&body) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            respond(status, answer, &body)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a GraphQL response");
            let body = crate::graphql::error_response(
                "INTERNAL",
                &crate::graphql::i18n::error_message(
                    &DomainError::Internal(String::new()),
                    language,
                ),
            );
            respond(StatusCode::INTERNAL_SERVER_ERROR, answer, &body)
        }
    }
}

/// A request that could not be executed at all.
fn unavailable(error: &DomainError, answer: Answer, language: Language) -> HttpResponse {
    let code = crate::graphql::error::code_of(error);
    let body =
        crate::graphql::error_response(code, &crate::graphql::i18n::error_message(error, language));
    if code == "UNAVAILABLE" {
        respond_unavailable(answer, &body)
    } else {
        respond(StatusCode::INTERNAL_SERVER_ERROR, answer, &body)
    }
}

/// 503 with `Retry-After`: the database is away; clients and proxies retry.
fn respond_unavailable(answer: Answer, body: &serde_json::Value) -> HttpResponse {
    let mut response = respond(StatusCode::SERVICE_UNAVAILABLE, answer, body);
    response.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        HeaderValue::from(crate::graphql::error::UNAVAILABLE_RETRY_AFTER_SECS),
    );
    response
}

/// Whether an execution started: a `data` entry in the response (or in any of a batch).
fn has_data(body: &serde_json::Value) -> bool {
    match body {
        serde_json::Value::Array(items) => items.iter().any(has_data),
        serde_json::Value::Object(map) => map.contains_key("data"),
        _ => false,
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
