//! Embeds the operation documents of `graphql/operations/` (the web app's and the tests'), so
//! that the server knows its trusted documents by their hashes (`graphql::trusted`); and, in a
//! release build, the built web app with its precompressed files (`http::web_files`), so that the
//! one binary serves everything from any folder.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    embed_operations();
    embed_web_app();
}

fn embed_operations() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("..")
        .join("graphql")
        .join("operations");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect::<Vec<_>>();
    files.sort();
    let mut out = String::from("/// `(file stem, text)` of every file in `graphql/operations/`.\n");
    out.push_str("pub const OPERATION_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        let path = file.canonicalize().expect("canonical path");
        writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to a string");
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("operations.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("write {}: {e}", target.display()));
}

/// `BUURTKRACHT_EMBED_WEB_DIR` when set (an empty value embeds nothing); else, in a release
/// build, `frontend/dist` when it has been built; else nothing.
fn web_app_folder() -> Option<PathBuf> {
    println!("cargo::rerun-if-env-changed=BUURTKRACHT_EMBED_WEB_DIR");
    if let Ok(dir) = std::env::var("BUURTKRACHT_EMBED_WEB_DIR") {
        return (!dir.trim().is_empty()).then(|| PathBuf::from(dir));
    }
    if std::env::var("PROFILE").as_deref() != Ok("release") {
        return None;
    }
    let frontend = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("..")
        .join("frontend");
    let dist = frontend.join("dist");
    if dist.join("index.html").is_file() {
        Some(dist)
    } else {
        // Building the web app later creates `dist/` and so changes this folder.
        println!("cargo::rerun-if-changed={}", frontend.display());
        None
    }
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn embed_web_app() {
    let mut out = String::from(
        "/// The web app embedded by the build, sorted by path (empty when none was built).\n",
    );
    out.push_str("pub const EMBEDDED_WEB_FILES: &[EmbeddedFile] = &[\n");
    if let Some(dir) = web_app_folder() {
        println!("cargo::rerun-if-changed={}", dir.display());
        let dir = dir
            .canonicalize()
            .unwrap_or_else(|e| panic!("web app folder {}: {e}", dir.display()));
        let mut files = Vec::new();
        files_under(&dir, &mut files);
        let mut originals: Vec<(String, PathBuf)> = files
            .into_iter()
            .filter(|p| !p.extension().is_some_and(|x| x == "br" || x == "gz"))
            .map(|p| {
                let relative = p
                    .strip_prefix(&dir)
                    .expect("inside the folder")
                    .components()
                    .map(|c| c.as_os_str().to_str().expect("utf-8 name").to_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                (relative, p)
            })
            .collect();
        originals.sort();
        for (relative, path) in &originals {
            let bytes =
                std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            let beside = |suffix: &str| {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let p = PathBuf::from(name);
                if p.is_file() {
                    format!("Some(include_bytes!({:?}))", p.display().to_string())
                } else {
                    "None".to_owned()
                }
            };
            writeln!(
                out,
                "    EmbeddedFile {{ path: {relative:?}, identity: include_bytes!({:?}), brotli: {}, gzip: {}, hash: \"{:016x}-{:x}\" }},",
                path.display().to_string(),
                beside(".br"),
                beside(".gz"),
                hasher.finish(),
                bytes.len(),
            )
            .expect("write to a string");
        }
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("web_files.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("write {}: {e}", target.display()));
}
