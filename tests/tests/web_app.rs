//! Serving the built web app: SPA fallback and cache headers.

use buurtkracht_tests::on_both_backends;

fn write(app: &buurtkracht_tests::TestApp, path: &str, text: &str) {
    let full = app.web_dir.path().join(path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).expect("folder");
    }
    std::fs::write(full, text).expect("file");
}

on_both_backends! {
    async fn the_app_is_served_with_a_fallback_and_the_right_cache_headers(app) {
        write(&app, "index.html", "<!doctype html><title>Buurtkracht</title>");
        write(&app, "assets/app-3f9a1c.js", "console.log(1)");
        write(&app, "favicon.svg", "<svg/>");

        let index = app.get("/").await;
        assert_eq!(index.status(), 200);
        assert_eq!(index.headers()["cache-control"], "no-cache");
        assert!(index.text().await.expect("text").contains("Buurtkracht"));

        let deep = app.get("/buurt/transvaal").await;
        assert_eq!(deep.status(), 200);
        assert_eq!(deep.headers()["cache-control"], "no-cache");
        assert!(deep.text().await.expect("text").contains("<title>Buurtkracht"));

        let asset = app.get("/assets/app-3f9a1c.js").await;
        assert_eq!(asset.status(), 200);
        assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");

        assert_eq!(app.get("/favicon.svg").await.headers()["cache-control"], "no-cache");
        assert_eq!(app.get("/assets/missing-000.js").await.status(), 404);
        assert_eq!(app.get("/robots.txt").await.status(), 404);
        for escape in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/assets/..%2f..%2fCargo.toml"] {
            let r = app.get(escape).await;
            assert_eq!(r.status(), 404, "{escape}");
            assert!(!r.text().await.expect("text").contains("[package]"), "{escape} escaped the web folder");
        }
    }

    async fn each_browser_gets_the_smallest_encoding_it_accepts(app) {
        write(&app, "index.html", "<!doctype html><title>Buurtkracht</title>");
        write(&app, "index.html.br", "brotli bytes of the index");
        write(&app, "assets/main-1a2b.js", "console.log('the app')");
        write(&app, "assets/main-1a2b.js.br", "brotli bytes of the script");
        write(&app, "assets/main-1a2b.js.gz", "gzip bytes of the script");
        write(&app, "assets/logo-3c4d.png", "png bytes");

        let get = |path: &'static str, accept: Option<&'static str>| {
            let mut request = app.client.get(format!("{}{path}", app.address));
            if let Some(accept) = accept {
                request = request.header("accept-encoding", accept);
            }
            async move { request.send().await.expect("request sent") }
        };
        let expect = |r: &reqwest::Response, encoding: Option<&str>| {
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().expect("text header")), encoding);
            assert_eq!(r.headers()["vary"], "accept-encoding");
        };

        let r = get("/assets/main-1a2b.js", Some("gzip, deflate, br, zstd")).await;
        expect(&r, Some("br"));
        assert!(r.headers()["content-type"].to_str().expect("text header").starts_with("text/javascript"));
        assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
        let brotli_tag = r.headers()["etag"].clone();
        assert_eq!(r.text().await.expect("text"), "brotli bytes of the script");

        let r = get("/assets/main-1a2b.js", Some("gzip, deflate")).await;
        expect(&r, Some("gzip"));
        assert_ne!(r.headers()["etag"], brotli_tag, "each encoding has its own entity tag");
        assert_eq!(r.text().await.expect("text"), "gzip bytes of the script");

        let r = get("/assets/main-1a2b.js", Some("br;q=0.5, gzip;q=0.9")).await;
        expect(&r, Some("gzip"));

        // Without a header, or with the compressed forms refused, the file itself, and the
        // compression middleware leaves it alone.
        for accept in [None, Some("br;q=0, gzip;q=0")] {
            let r = get("/assets/main-1a2b.js", accept).await;
            assert_eq!(r.status(), 200, "{accept:?}");
            assert!(matches!(r.headers().get("content-encoding").map(|v| v.to_str().expect("text header")), None | Some("identity")));
            assert_eq!(r.text().await.expect("text"), "console.log('the app')", "{accept:?}");
        }

        // A file without compressed twins is sent as it is, never compressed per request.
        let r = get("/assets/logo-3c4d.png", Some("gzip, br")).await;
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.text().await.expect("text"), "png bytes");

        // The app's routes get index.html in its best encoding, never cached.
        let r = get("/buurt/transvaal", Some("br, gzip")).await;
        expect(&r, Some("br"));
        assert!(r.headers()["content-type"].to_str().expect("text header").starts_with("text/html"));
        assert_eq!(r.headers()["cache-control"], "no-cache");
        assert_eq!(r.text().await.expect("text"), "brotli bytes of the index");

        // A compressed twin is never a file of its own name's type.
        let r = get("/assets/main-1a2b.js.br", None).await;
        assert_eq!(r.headers()["content-type"], "application/octet-stream");
    }

    async fn without_a_built_app_the_root_explains_what_to_do(app) {
        let r = app.get("/").await;
        assert_eq!(r.status(), 404);
        assert!(r.text().await.expect("text").contains("npm run build"));
    }
}
