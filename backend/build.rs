//! Embeds the operation documents of `graphql/operations/` (the web app's and the tests'), so
//! that the server knows its trusted documents by their hashes (`graphql::trusted`).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
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
