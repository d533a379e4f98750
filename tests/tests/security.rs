//! Security headers on every answer, GraphiQL under its own policy, and the web app's refresh
//! token in an HttpOnly cookie (while other clients keep it in the body).

use buurtkracht_tests::{Backend, TestApp, document, on_both_backends, spawn_app_with};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

fn write(app: &TestApp, path: &str, text: &str) {
    let full = app.web_dir.path().join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).expect("folder");
    }
    std::fs::write(full, text).expect("file");
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The directive `name` of a policy, e.g. `img-src 'self' data:`.
fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .unwrap_or_default()
}

/// The headers every answer carries, with the web app's policy.
fn assert_secured(what: &str, headers: &HeaderMap) {
    let policy = header(headers, "content-security-policy");
    for expected in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        let name = expected.split_whitespace().next().unwrap_or_default();
        assert_eq!(directive(policy, name), expected, "{what}: {policy}");
    }
    assert!(
        directive(policy, "img-src").starts_with("img-src 'self' data:"),
        "{what}: {policy}"
    );
    assert!(!policy.contains("unsafe"), "{what}: {policy}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(
        header(headers, "referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    let permissions = header(headers, "permissions-policy");
    for expected in ["geolocation=(self)", "camera=()", "microphone=()"] {
        assert!(permissions.contains(expected), "{what}: {permissions}");
    }
    // The test server's public URL is plain http.
    assert!(headers.get("strict-transport-security").is_none(), "{what}");
}

/// The `bk_refresh` cookie a response sets: its value and its attributes.
fn refresh_cookie(headers: &HeaderMap) -> Option<(String, String)> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            let value = c.strip_prefix("bk_refresh=")?;
            let (token, attributes) = value.split_once(';').unwrap_or((value, ""));
            Some((token.to_owned(), attributes.to_owned()))
        })
}

/// Sign in with a link the way the web app does: asking for the cookie.
async fn cookie_sign_in(app: &TestApp, email: &str) -> (Value, String, String) {
    let link = app.quick_link(email, "Koekje").await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-buurtkracht-session", "cookie")
        .json(&json!({ "query": document("SignInWithLink"), "variables": { "token": link } }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let (token, attributes) = refresh_cookie(response.headers()).expect("a refresh cookie");
    let body: Value = response.json().await.expect("json");
    (body["data"]["signInWithLink"].clone(), token, attributes)
}

async fn post_auth(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    csrf: bool,
) -> reqwest::Response {
    let mut request = app.client.post(format!("{}{path}", app.address));
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("theme=dark; bk_refresh={cookie}"));
    }
    if csrf {
        request = request.header("x-buurtkracht-csrf", "1");
    }
    request.send().await.expect("sent")
}

async fn viewer_status(app: &TestApp, access_token: &str) -> Option<String> {
    let r = app
        .graphql_as(Some(access_token), "en", "{ viewer { email } }", json!({}))
        .await;
    if r.status == 200 {
        r.body["data"]["viewer"]["email"]
            .as_str()
            .map(str::to_owned)
    } else {
        None
    }
}

on_both_backends! {
    async fn every_answer_carries_the_security_headers(app) {
        write(&app, "index.html", "<!doctype html><title>Buurtkracht</title>");
        write(&app, "assets/app-3f9a1c.js", "console.log(1)");
        let admin = app.admin_token("admin@example.org").await;
        app.create_neighbourhood(&admin, "Transvaal").await;

        let index = app.get("/").await;
        assert_eq!(index.status(), 200);
        assert_secured("/", index.headers());
        assert_secured("an app page", app.get("/buurt/transvaal").await.headers());

        let asset = app.get("/assets/app-3f9a1c.js").await;
        assert_eq!(asset.status(), 200);
        assert_secured("an asset", asset.headers());
        // The browser's revalidation of a cached file: 304 from actix-files, headers all the same.
        let last_modified = header(asset.headers(), "last-modified").to_owned();
        let etag = header(asset.headers(), "etag").to_owned();
        let revalidated = app
            .client
            .get(format!("{}/assets/app-3f9a1c.js", app.address))
            .header("if-none-match", etag)
            .header("if-modified-since", last_modified)
            .send()
            .await
            .expect("sent");
        assert_eq!(revalidated.status(), 304);
        assert_secured("a 304", revalidated.headers());

        let missing = app.get("/assets/missing-000.js").await;
        assert_eq!(missing.status(), 404);
        assert_secured("a 404", missing.headers());

        let post = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .expect("sent");
        assert_eq!(post.status(), 200);
        assert_secured("POST /graphql", post.headers());
        let get = app.get("/graphql?query=%7B__typename%7D").await;
        assert_eq!(get.status(), 200);
        assert_secured("GET /graphql", get.headers());
        // Refused by an extractor before any handler ran: more than 1 MiB of body.
        let too_large = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("content-type", "application/json")
            .body(vec![b' '; 2 * 1024 * 1024])
            .send()
            .await
            .expect("sent");
        assert_eq!(too_large.status(), 413);
        assert_secured("a 413", too_large.headers());

        let geojson = app.get("/api/neighbourhoods/transvaal/grievances.geojson").await;
        assert_eq!(geojson.status(), 200);
        assert_secured("the GeoJSON export", geojson.headers());
        assert_secured("/healthz", app.get("/healthz").await.headers());
    }

    async fn the_web_app_keeps_its_refresh_token_in_an_http_only_cookie(app) {
        let (payload, cookie, attributes) = cookie_sign_in(&app, "koekje@example.org").await;
        assert_eq!(payload["refreshToken"], "", "the body does not carry the token");
        assert!(cookie.starts_with("bk_refresh_"), "{cookie}");
        for attribute in ["Path=/auth", "HttpOnly", "SameSite=Strict", "Max-Age=2592000"] {
            assert!(attributes.split(';').any(|a| a.trim() == attribute), "{attribute} in {attributes}");
        }
        // The test server's public URL is plain http to another host: a browser would drop a
        // Secure cookie there.
        assert!(!attributes.contains("Secure"), "{attributes}");
        let access = payload["accessToken"].as_str().expect("access token").to_owned();
        assert_eq!(viewer_status(&app, &access).await.as_deref(), Some("koekje@example.org"));

        // Without the CSRF header: refused, and the cookie is not used up.
        let r = post_auth(&app, "/auth/refresh", Some(&cookie), false).await;
        assert_eq!(r.status(), 403);
        assert!(refresh_cookie(r.headers()).is_none());
        // Without the cookie: 401.
        let r = post_auth(&app, "/auth/refresh", None, true).await;
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        // A GET is no way in either.
        let r = app.client.get(format!("{}/auth/refresh", app.address)).header("cookie", format!("bk_refresh={cookie}")).header("x-buurtkracht-csrf", "1").send().await.expect("sent");
        assert_ne!(r.status(), 200);

        // With both: a new access token, and the cookie rotates.
        let r = post_auth(&app, "/auth/refresh", Some(&cookie), true).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(r.headers(), "cache-control"), "no-store");
        let (rotated, attributes) = refresh_cookie(r.headers()).expect("a new cookie");
        assert_ne!(rotated, cookie);
        assert!(attributes.contains("HttpOnly"));
        let body: Value = r.json().await.expect("json");
        let renewed = body["accessToken"].as_str().expect("access token").to_owned();
        assert!(body["accessTokenExpiresAt"].as_str().is_some(), "{body}");
        assert_eq!(viewer_status(&app, &renewed).await.as_deref(), Some("koekje@example.org"));

        // Sign-out wants the CSRF header too.
        let r = post_auth(&app, "/auth/sign-out", Some(&rotated), false).await;
        assert_eq!(r.status(), 403);
        assert_eq!(viewer_status(&app, &renewed).await.as_deref(), Some("koekje@example.org"));
        // Then it ends the session and removes the cookie.
        let r = post_auth(&app, "/auth/sign-out", Some(&rotated), true).await;
        assert_eq!(r.status(), 204);
        let (cleared, attributes) = refresh_cookie(r.headers()).expect("the cookie is cleared");
        assert_eq!(cleared, "");
        assert!(attributes.contains("Max-Age=0"), "{attributes}");
        assert_eq!(viewer_status(&app, &renewed).await, None, "the access token stops working");
        let r = post_auth(&app, "/auth/refresh", Some(&rotated), true).await;
        assert_eq!(r.status(), 401);
        let (cleared, _) = refresh_cookie(r.headers()).expect("a dead cookie is removed");
        assert_eq!(cleared, "");
    }

    async fn a_used_cookie_presented_again_ends_the_session(app) {
        let (_, first, _) = cookie_sign_in(&app, "dief@example.org").await;
        let r = post_auth(&app, "/auth/refresh", Some(&first), true).await;
        assert_eq!(r.status(), 200);
        let (second, _) = refresh_cookie(r.headers()).expect("rotated");
        let body: Value = r.json().await.expect("json");
        let access = body["accessToken"].as_str().expect("access token").to_owned();
        // A copy of the first cookie comes back: the whole session ends.
        assert_eq!(post_auth(&app, "/auth/refresh", Some(&first), true).await.status(), 401);
        assert_eq!(post_auth(&app, "/auth/refresh", Some(&second), true).await.status(), 401);
        assert_eq!(viewer_status(&app, &access).await, None);
    }

    async fn clients_without_the_session_header_keep_the_token_in_the_body(app) {
        let link = app.quick_link("mobiel@example.org", "Mobiel").await;
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": document("SignInWithLink"), "variables": { "token": link } }))
            .send()
            .await
            .expect("sent");
        assert!(response.headers().get("set-cookie").is_none());
        let body: Value = response.json().await.expect("json");
        let refresh_token = body["data"]["signInWithLink"]["refreshToken"].as_str().expect("token").to_owned();
        assert!(refresh_token.starts_with("bk_refresh_"), "{body}");
        let renewed = app.refresh(&refresh_token).await.expect("refreshSession works");
        assert!(renewed.refresh_token.starts_with("bk_refresh_"));
        assert_eq!(viewer_status(&app, &renewed.access_token).await.as_deref(), Some("mobiel@example.org"));
        // The body token is no cookie: /auth/refresh knows nothing of it without one.
        assert_eq!(post_auth(&app, "/auth/refresh", None, true).await.status(), 401);
    }

    async fn graphiql_is_served_from_the_web_folder_under_its_own_policy(app) {
        let missing = app.get("/graphiql").await;
        assert_eq!(missing.status(), 404);
        assert!(missing.text().await.expect("text").contains("npm run build"));

        write(&app, "graphiql.html", "<!doctype html><title>GraphiQL</title><script type=\"module\" src=\"/assets/graphiql-1.js\"></script>");
        let page = app.get("/graphiql").await;
        assert_eq!(page.status(), 200);
        assert_eq!(header(page.headers(), "cache-control"), "no-cache");
        let policy = header(page.headers(), "content-security-policy").to_owned();
        assert_eq!(directive(&policy, "script-src"), "script-src 'self'", "{policy}");
        assert_eq!(directive(&policy, "style-src"), "style-src 'self' 'unsafe-inline'", "{policy}");
        assert_eq!(directive(&policy, "frame-ancestors"), "frame-ancestors 'none'", "{policy}");
        assert!(!policy.contains("unsafe-eval"), "{policy}");
        assert_eq!(header(page.headers(), "x-frame-options"), "DENY");
        let text = page.text().await.expect("text");
        assert!(text.contains("/assets/graphiql-1.js"));
        assert!(!text.contains("unpkg") && !text.contains("cdn"), "nothing from other sites");
        // The looser policy is for /graphiql alone.
        assert!(!header(app.get("/graphiql.html").await.headers(), "content-security-policy").contains("unsafe"));
    }
}

async fn app_with(extra: &[(&'static str, &str)]) -> TestApp {
    let smtp = buurtkracht_tests::smtp::SmtpSink::start().await;
    spawn_app_with(Backend::Sqlite, smtp, extra)
        .await
        .expect("sqlite")
}

fn img_src(headers: &HeaderMap) -> String {
    directive(header(headers, "content-security-policy"), "img-src").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_image_sources_follow_the_map_tiles() {
    let default = app_with(&[]).await;
    assert_eq!(
        img_src(default.get("/healthz").await.headers()),
        "img-src 'self' data: https://tile.openstreetmap.org"
    );
    let offline = app_with(&[("BUURTKRACHT_MAP_TILE_URL", "none")]).await;
    assert_eq!(
        img_src(offline.get("/healthz").await.headers()),
        "img-src 'self' data:"
    );
    let own = app_with(&[(
        "BUURTKRACHT_MAP_TILE_URL",
        "https://{s}.kaart.example.nl:8443/{z}/{x}/{y}.png",
    )])
    .await;
    assert_eq!(
        img_src(own.get("/").await.headers()),
        "img-src 'self' data: https://*.kaart.example.nl:8443"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_and_secure_cookies_for_an_https_public_url() {
    let https = app_with(&[("BUURTKRACHT_PUBLIC_URL", "https://buurt.example.nl")]).await;
    for path in ["/", "/graphql?query=%7B__typename%7D", "/assets/none.js"] {
        let r = https.get(path).await;
        assert_eq!(
            header(r.headers(), "strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
    }
    let (_, _, attributes) = cookie_sign_in(&https, "veilig@example.org").await;
    assert!(
        attributes.split(';').any(|a| a.trim() == "Secure"),
        "{attributes}"
    );

    let plain = app_with(&[("BUURTKRACHT_PUBLIC_URL", "http://localhost:8080")]).await;
    assert!(
        plain
            .get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    // Browsers take Secure cookies from http://localhost, so they keep the attribute.
    let (_, _, attributes) = cookie_sign_in(&plain, "lokaal@example.org").await;
    assert!(
        attributes.split(';').any(|a| a.trim() == "Secure"),
        "{attributes}"
    );
}
