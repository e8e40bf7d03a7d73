use std::fs;

use crate::helpers::{header, spawn_app, spawn_app_with};

/// A site root as `./xueji.sh build` leaves it: hashed names listed in hash.txt, with
/// brotli copies beside them.
fn built_site(dir: &std::path::Path) {
    let pkg = dir.join("site/pkg");
    fs::create_dir_all(&pkg).unwrap();
    fs::write(
        dir.join("site/hash.txt"),
        "js: 1a2b\nwasm: 3c4d\ncss: 5e6f\n",
    )
    .unwrap();
    fs::write(pkg.join("xueji.5e6f.css"), "body { color: black; }").unwrap();
    fs::write(
        pkg.join("xueji.5e6f.css.br"),
        b"\x0b\x0a\x80body { color: black; }\x03",
    )
    .unwrap();
    fs::write(pkg.join("xueji.1a2b.js"), "export function hydrate() {}").unwrap();
}

#[tokio::test]
async fn hashed_assets_are_linked_and_cached_for_good() {
    let app = spawn_app_with(built_site).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"href="/pkg/xueji.5e6f.css""#), "{html}");
    // The script and the WebAssembly on a page with an island: the administrator's home.
    let admin = app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let html = app.page(&admin, "/").await.1;
    assert!(html.contains("/pkg/xueji.1a2b.js"));
    assert!(html.contains("xueji.3c4d.wasm"));

    let js = app.get("/pkg/xueji.1a2b.js").await;
    assert_eq!(js.status(), 200);
    assert_eq!(
        header(&js, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    let compressed = app
        .client
        .get(app.url("/pkg/xueji.5e6f.css"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&compressed, "content-encoding"), "br");
    assert_eq!(
        header(&compressed, "cache-control"),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn without_a_release_build_assets_are_revalidated() {
    let app = spawn_app_with(|dir| {
        fs::create_dir_all(dir.join("site/pkg")).unwrap();
        fs::write(dir.join("site/pkg/xueji.css"), "body {}").unwrap();
    })
    .await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"href="/pkg/xueji.css""#));
    let css = app.get("/pkg/xueji.css").await;
    assert_eq!(css.status(), 200);
    assert_eq!(header(&css, "cache-control"), "no-cache");
    let missing = spawn_app().await.get("/pkg/xueji.css").await;
    assert_eq!(missing.status(), 404);
}
