//! `GET /api/neighbourhoods/{slug}/grievances.geojson`: a neighbourhood's grievances with a
//! place, as a GeoJSON FeatureCollection for map clients. Always the public's view: authors
//! who chose not to show their name appear as "a resident of <neighbourhood>".
//!
//! Query: `themes=housing,traffic` and `statuses=OPEN,ACKNOWLEDGED` (comma-separated; all
//! themes and every status but MERGED when left out).

use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use crate::domain::DomainError;
use crate::domain::grievances::GrievanceView;
use crate::domain::grievances::model::Status;
use crate::domain::grievances::service::{self, link};
use crate::domain::ids::public_id;
use crate::graphql::i18n;

fn status_from_api(raw: &str) -> Option<Status> {
    Status::ALL
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(raw))
}

fn list_param(req: &HttpRequest, name: &str) -> Vec<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn feature(
    view: &GrievanceView,
    language: crate::domain::accounts::Language,
    public_url: &str,
) -> Option<serde_json::Value> {
    let point = view.grievance.location?;
    let author = i18n::author_name(&view.author, language);
    let theme_name = view.theme.name_in(language);
    Some(serde_json::json!({
        "type": "Feature",
        "id": public_id(service::PUBLIC_KIND, view.grievance.id.0),
        "geometry": {
            "type": "Point",
            "coordinates": [point.longitude(), point.latitude()],
        },
        "properties": {
            "title": view.grievance.title,
            "theme": view.theme.key,
            "themeName": theme_name,
            "status": view.grievance.status.as_str().to_uppercase(),
            "cosignCount": view.grievance.cosign_count,
            "commentCount": view.grievance.comment_count,
            "author": author,
            "createdAt": view.grievance.created_at.and_utc().to_rfc3339(),
            "url": link(public_url, view.grievance.id),
        },
    }))
}

fn problem(status: actix_web::http::StatusCode, code: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "code": code, "message": message }))
}

/// The handler.
pub async fn grievances(
    req: HttpRequest,
    slug: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let language = i18n::language_from_header(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let themes = list_param(&req, "themes");
    let mut statuses = Vec::new();
    for raw in list_param(&req, "statuses") {
        match status_from_api(&raw) {
            Some(s) => statuses.push(s),
            None => {
                let error = DomainError::Validation(vec![crate::domain::FieldProblem::new(
                    "statuses",
                    crate::domain::ProblemCode::InvalidFormat,
                )]);
                return problem(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "VALIDATION",
                    i18n::error_message(&error, language),
                );
            }
        }
    }
    let slug = slug.into_inner();
    let cache = std::sync::Arc::clone(&state.themes);
    let result = state
        .db
        .run(move |conn| service::map_features(conn, &cache, &slug, &themes, &statuses))
        .await;
    match result {
        Ok(Some(views)) => {
            let features: Vec<serde_json::Value> = views
                .iter()
                .filter_map(|v| feature(v, language, &state.public_url))
                .collect();
            HttpResponse::Ok()
                .content_type("application/geo+json")
                .insert_header(("Cache-Control", "no-cache"))
                .json(serde_json::json!({ "type": "FeatureCollection", "features": features }))
        }
        Ok(None) => problem(
            actix_web::http::StatusCode::NOT_FOUND,
            "NOT_FOUND",
            i18n::error_message(
                &DomainError::NotFound {
                    entity: "neighbourhood",
                },
                language,
            ),
        ),
        Err(error @ DomainError::Validation(_)) => problem(
            actix_web::http::StatusCode::BAD_REQUEST,
            "VALIDATION",
            i18n::error_message(&error, language),
        ),
        Err(error @ DomainError::Unavailable(_)) => {
            tracing::error!(%error, "geojson export failed");
            HttpResponse::ServiceUnavailable()
                .insert_header((
                    actix_web::http::header::RETRY_AFTER,
                    crate::graphql::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
                ))
                .json(serde_json::json!({ "code": "UNAVAILABLE", "message": i18n::error_message(&error, language) }))
        }
        Err(error) => {
            tracing::error!(%error, "geojson export failed");
            problem(
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                i18n::error_message(&error, language),
            )
        }
    }
}
