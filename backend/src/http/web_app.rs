//! Serving the built web app: files from the web folder, long cache for hashed assets, no cache
//! for `index.html`, and `index.html` for every other path (the app routes in the browser).

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// A safe relative path inside the web folder, or `None` for `..` and the like.
fn relative_path(request_path: &str) -> Option<PathBuf> {
    let decoded = request_path.trim_start_matches('/');
    let path = Path::new(decoded);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
}

fn with_cache(mut response: HttpResponse, policy: &'static str) -> HttpResponse {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// The default service: a file of the web app, or `index.html`.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return HttpResponse::MethodNotAllowed().finish();
    }
    let web_dir = &state.web_dir;
    if let Some(relative) = relative_path(req.path()).filter(|p| !p.as_os_str().is_empty()) {
        let candidate = web_dir.join(&relative);
        if candidate.is_file()
            && let Ok(file) = NamedFile::open_async(&candidate).await
        {
            let hashed = relative.starts_with("assets");
            let policy = if hashed { IMMUTABLE } else { NO_CACHE };
            return with_cache(file.into_response(&req), policy);
        }
        // A missing asset is a real 404: answering it with the app would hide broken builds.
        if relative.starts_with("assets") || relative.extension().is_some() {
            return HttpResponse::NotFound().body("not found");
        }
    }
    match NamedFile::open_async(web_dir.join("index.html")).await {
        Ok(file) => with_cache(file.into_response(&req), NO_CACHE),
        Err(_) => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "The web app is not built: no index.html in {}. Build it with `npm run build` in \
                 frontend/, or set BUURTKRACHT_WEB_DIR. The API is at /graphql.",
                web_dir.display()
            )),
    }
}

/// `/graphiql`: the in-browser IDE for the API, built with the web app (`graphiql.html`), so it
/// loads nothing from other sites.
pub async fn graphiql(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match NamedFile::open_async(state.web_dir.join("graphiql.html")).await {
        Ok(file) => with_cache(file.into_response(&req), NO_CACHE),
        Err(_) => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "GraphiQL is not built: no graphiql.html in {}. Build the web app with `npm run \
                 build` in frontend/, or set BUURTKRACHT_WEB_DIR. The API is at /graphql.",
                state.web_dir.display()
            )),
    }
}
