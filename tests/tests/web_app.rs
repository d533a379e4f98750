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

    async fn without_a_built_app_the_root_explains_what_to_do(app) {
        let r = app.get("/").await;
        assert_eq!(r.status(), 404);
        assert!(r.text().await.expect("text").contains("npm run build"));
    }
}
