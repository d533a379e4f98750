//! Security headers on every response: a strict Content-Security-Policy for the web app (a
//! slightly looser one for `/graphiql` only), no sniffing, no framing, a referrer that never
//! carries a path to another site, the browser features the app may use, and HSTS when the
//! public URL is https.
//!
//! Registered outermost in `startup`, so that every answer gets them: pages, `/graphql`,
//! assets and their `304 Not Modified`, GeoJSON, 404s, and errors raised by extractors (a body
//! that is too large, for instance).

use std::sync::Arc;

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::MapConfig;

/// The path of the in-browser API IDE, which gets its own policy.
pub const GRAPHIQL_PATH: &str = "/graphiql";

/// The headers, built once from the configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    app_policy: HeaderValue,
    graphiql_policy: HeaderValue,
    hsts: bool,
}

/// Directives both policies share.
const COMMON: &str = "default-src 'self'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'";

impl SecurityHeaders {
    /// The headers for a server reached at `public_url` that shows the map tiles of `map`.
    pub fn new(public_url: &str, map: &MapConfig) -> Self {
        Self {
            app_policy: header_value(&app_policy(map)),
            graphiql_policy: header_value(&graphiql_policy()),
            hsts: is_https(public_url),
        }
    }

    /// The Content-Security-Policy of the web app.
    pub fn app_policy(&self) -> &HeaderValue {
        &self.app_policy
    }

    /// Put the headers on a response to `path`, replacing what a handler may have set.
    pub fn apply(&self, path: &str, headers: &mut HeaderMap) {
        let policy = if path == GRAPHIQL_PATH {
            &self.graphiql_policy
        } else {
            &self.app_policy
        };
        headers.insert(
            HeaderName::from_static("content-security-policy"),
            policy.clone(),
        );
        headers.insert(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        );
        // Not `no-referrer`: tile servers such as OpenStreetMap's ask for a Referer. This one
        // sends another site only our origin, never a path (grievance ids, sign-in links).
        headers.insert(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS),
        );
        if self.hsts {
            headers.insert(
                HeaderName::from_static("strict-transport-security"),
                HeaderValue::from_static("max-age=31536000"),
            );
        }
    }
}

/// Geolocation for "use my location" when raising a grievance; nothing else.
const PERMISSIONS: &str = "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), \
     serial=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()";

fn is_https(public_url: &str) -> bool {
    public_url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

fn header_value(text: &str) -> HeaderValue {
    // Built from checked configuration; a control character cannot get in, but if one ever
    // did, the strictest policy is the safe answer.
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(COMMON))
}

fn app_policy(map: &MapConfig) -> String {
    let tiles = map
        .tile_url
        .as_deref()
        .and_then(tile_source)
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!("{COMMON}; style-src 'self'; img-src 'self' data:{tiles}")
}

/// GraphiQL's dialogs (Radix UI) inject `<style>` elements: with `style-src 'self'` opening its
/// settings is blocked (tried in tests/browser/tests/security.spec.ts). So styles may be inline
/// here; scripts may not, and nothing needs `eval`. Its fonts are inlined in its CSS (`data:`).
fn graphiql_policy() -> String {
    format!(
        "{COMMON}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:"
    )
}

/// The CSP source of a tile URL template: its scheme, host and port. A `{s}` sub-domain
/// placeholder as the first label becomes `*`; a placeholder anywhere else in the host allows
/// the scheme (`https:`) only, which is still no script.
pub fn tile_source(tile_url: &str) -> Option<String> {
    let (scheme, rest) = tile_url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    // No credentials in a source expression.
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') && !p.contains(']') => (h, Some(p)),
        _ => (authority, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Some(format!("{scheme}:"));
    }
    let mut labels: Vec<&str> = host.split('.').collect();
    if labels.first().is_some_and(|l| l.contains('{')) {
        labels[0] = "*";
    }
    let host_ok = labels.iter().enumerate().all(|(i, l)| {
        (i == 0 && *l == "*")
            || (!l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'[' | b']' | b':')))
    });
    if !host_ok || labels.len() < 2 && labels[0] == "*" {
        return Some(format!("{scheme}:"));
    }
    let host = labels.join(".").to_ascii_lowercase();
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// The middleware: call the rest of the app, then put the headers on whatever it answered.
/// (Extractor and handler errors arrive here as responses already; an error of an inner
/// middleware is wrapped so that its response gets the headers when it is rendered.)
pub fn with_security_headers<S, B>(
    headers: Arc<SecurityHeaders>,
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let path = req.path().to_owned();
    let response = srv.call(req);
    async move {
        match response.await {
            Ok(mut response) => {
                headers.apply(&path, response.headers_mut());
                Ok(response)
            }
            Err(error) => Err(SecuredError {
                error,
                headers,
                path,
            }
            .into()),
        }
    }
}

/// An error whose response gets the security headers.
struct SecuredError {
    error: actix_web::Error,
    headers: Arc<SecurityHeaders>,
    path: String,
}

impl std::fmt::Debug for SecuredError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.error, f)
    }
}

impl std::fmt::Display for SecuredError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.error, f)
    }
}

impl actix_web::ResponseError for SecuredError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> actix_web::HttpResponse<BoxBody> {
        let mut response = self.error.error_response();
        self.headers.apply(&self.path, response.headers_mut());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_url_gives_its_origin() {
        assert_eq!(
            tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_source("https://{s}.tile.example.nl/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.nl")
        );
        assert_eq!(
            tile_source("http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:8081")
        );
        assert_eq!(
            tile_source("https://tiles-{s}.example.nl/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.example.nl")
        );
        assert_eq!(
            tile_source("https://a.{s}.example.nl/{z}/{x}/{y}.png").as_deref(),
            Some("https:")
        );
        assert_eq!(tile_source("ftp://x/{z}/{x}/{y}"), None);
    }

    #[test]
    fn the_policy_follows_the_tiles_and_hsts_follows_the_scheme() {
        let with = MapConfig {
            tile_url: Some("https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()),
            attribution: None,
        };
        let without = MapConfig {
            tile_url: None,
            attribution: None,
        };
        let headers = SecurityHeaders::new("https://buurt.example", &with);
        let policy = headers.app_policy().to_str().unwrap_or_default();
        assert!(policy.contains("img-src 'self' data: https://tile.openstreetmap.org"));
        assert!(!policy.contains("unsafe"));
        let mut map = HeaderMap::new();
        headers.apply("/", &mut map);
        assert!(map.contains_key("strict-transport-security"));

        let plain = SecurityHeaders::new("http://localhost:8080", &without);
        let policy = plain.app_policy().to_str().unwrap_or_default();
        assert!(policy.ends_with("img-src 'self' data:"));
        let mut map = HeaderMap::new();
        plain.apply(GRAPHIQL_PATH, &mut map);
        assert!(!map.contains_key("strict-transport-security"));
        assert!(
            map.get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .contains("style-src 'self' 'unsafe-inline'")
        );
    }
}
