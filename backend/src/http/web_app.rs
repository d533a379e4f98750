//! Serving the built web app: its files (from the binary or a folder, see `web_files`) in the
//! smallest encoding the browser accepts, long cache for hashed assets, no cache for
//! `index.html`, and `index.html` for every other path (the app routes in the browser).

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{
    self, CACHE_CONTROL, ContentEncoding, EntityTag, HeaderValue, IfNoneMatch, VARY,
};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};

use super::AppState;
use super::web_files::{Encoding, WebFiles, acceptable};

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

fn cache_policy(relative: &Path) -> &'static str {
    if relative.starts_with("assets") {
        IMMUTABLE
    } else {
        NO_CACHE
    }
}

fn finish(mut response: HttpResponse, policy: &'static str) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    // Every file may have precompressed twins: caches must key on the encoding asked for.
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

fn encodings(req: &HttpRequest) -> Vec<Encoding> {
    acceptable(
        req.headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The file at `relative` from `files`, in the best encoding `req` accepts; `None` when there is
/// no such file (or no acceptable encoding of it).
async fn file_response(
    req: &HttpRequest,
    files: &WebFiles,
    relative: &Path,
) -> Option<HttpResponse> {
    let policy = cache_policy(relative);
    match files {
        WebFiles::Folder(dir) => {
            let original = dir.join(relative);
            if !original.is_file() {
                return None;
            }
            let mime = actix_files::file_extension_to_mime(
                relative.extension().and_then(|e| e.to_str()).unwrap_or(""),
            );
            for encoding in encodings(req) {
                let mut path = original.clone().into_os_string();
                path.push(encoding.suffix());
                let Ok(file) = NamedFile::open_async(&path).await else {
                    continue;
                };
                let file = file
                    .set_content_type(mime.clone())
                    .disable_content_disposition();
                let file = match encoding {
                    Encoding::Brotli => file.set_content_encoding(ContentEncoding::Brotli),
                    Encoding::Gzip => file.set_content_encoding(ContentEncoding::Gzip),
                    // Sent as it is: the compression middleware must not encode it again.
                    Encoding::Identity => file.set_content_encoding(ContentEncoding::Identity),
                };
                return Some(finish(file.into_response(req), policy));
            }
            None
        }
        WebFiles::Embedded(_) => {
            let file = files.embedded_file(relative.to_str()?)?;
            let (encoding, body) = encodings(req).into_iter().find_map(|e| {
                let body = match e {
                    Encoding::Brotli => file.brotli,
                    Encoding::Gzip => file.gzip,
                    Encoding::Identity => Some(file.identity),
                }?;
                Some((e, body))
            })?;
            let tag = EntityTag::new_strong(match encoding.token() {
                Some(token) => format!("{}-{token}", file.hash),
                None => file.hash.to_owned(),
            });
            let unchanged = match req.get_header::<IfNoneMatch>() {
                Some(IfNoneMatch::Any) => true,
                Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
                None => false,
            };
            let mut response = if unchanged {
                HttpResponse::NotModified()
            } else {
                HttpResponse::Ok()
            };
            response.insert_header(header::ETag(tag));
            let mime = actix_files::file_extension_to_mime(
                relative.extension().and_then(|e| e.to_str()).unwrap_or(""),
            );
            response.insert_header((header::CONTENT_TYPE, mime.to_string()));
            response.insert_header((
                header::CONTENT_ENCODING,
                encoding.token().unwrap_or("identity"),
            ));
            let response = if unchanged || req.method() == actix_web::http::Method::HEAD {
                response.finish()
            } else {
                response.body(body)
            };
            Some(finish(response, policy))
        }
    }
}

fn not_built(files: &WebFiles, what: &str) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "{what} is not built: no such file in {}. Build the web app with `npm run build` in \
             frontend/, or set BUURTKRACHT_WEB_DIR. The API is at /graphql.",
            files.describe()
        ))
}

/// The default service: a file of the web app, or `index.html`.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return HttpResponse::MethodNotAllowed().finish();
    }
    let files = &state.web_files;
    if let Some(relative) = relative_path(req.path()).filter(|p| !p.as_os_str().is_empty()) {
        if let Some(response) = file_response(&req, files, &relative).await {
            return response;
        }
        // A missing asset is a real 404: answering it with the app would hide broken builds.
        if relative.starts_with("assets") || relative.extension().is_some() {
            return HttpResponse::NotFound().body("not found");
        }
    }
    match file_response(&req, files, Path::new("index.html")).await {
        Some(response) => response,
        None => not_built(files, "The web app"),
    }
}

/// `/graphiql`: the in-browser IDE for the API, built with the web app (`graphiql.html`), so it
/// loads nothing from other sites.
pub async fn graphiql(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match file_response(&req, &state.web_files, Path::new("graphiql.html")).await {
        Some(response) => response,
        None => not_built(&state.web_files, "GraphiQL"),
    }
}
