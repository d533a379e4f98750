//! The checked-in contracts: the SDL matches the code, the operation documents are valid.

use buurtkracht_tests::{Backend, operation, repo_root, spawn_app};
use serde_json::json;

#[test]
fn the_checked_in_schema_matches_the_code() {
    let path = repo_root().join("graphql").join("schema.graphql");
    let checked_in = std::fs::read_to_string(&path).expect("graphql/schema.graphql exists");
    let generated = buurtkracht::graphql::sdl();
    assert!(
        checked_in == generated,
        "graphql/schema.graphql differs from the code. Regenerate it with:\n\n    cargo run -p buurtkracht -- schema > graphql/schema.graphql\n\nand regenerate the frontend types with `npm run codegen` in frontend/."
    );
}

#[test]
fn the_checked_in_trusted_documents_match_the_operations() {
    let path = repo_root().join("graphql").join("trusted-documents.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == buurtkracht::graphql::trusted::manifest(),
        "graphql/trusted-documents.json differs from graphql/operations/. Regenerate it with:\n\n    cargo run -p buurtkracht -- trusted-documents > graphql/trusted-documents.json"
    );
}

#[test]
fn every_error_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    for code in buurtkracht::graphql::error::CODES {
        assert!(readme.contains(code), "README.md does not document {code}");
    }
}

#[test]
fn every_configuration_key_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    for key in buurtkracht::config::KEYS {
        assert!(
            readme.contains(key.env),
            "README.md does not document {}",
            key.env
        );
        assert!(
            readme.contains(key.default),
            "README.md does not give the default of {}",
            key.env
        );
    }
}

/// Names of fragments spread in `text` (`...Name`, not inline `... on Type`).
fn spreads(text: &str) -> Vec<String> {
    text.match_indices("...")
        .filter_map(|(i, _)| {
            let name: String = text[i + 3..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty() && name != "on").then_some(name)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_document_is_valid_against_the_schema() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = repo_root().join("graphql").join("operations");
    let mut fragments = std::collections::HashMap::new();
    let mut operations = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("graphql/operations") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("graphql") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let document = operation(&name);
        if document.trim_start().starts_with("fragment") {
            let fragment_name = document
                .split_whitespace()
                .nth(1)
                .expect("fragment name")
                .to_owned();
            fragments.insert(fragment_name, document);
        } else {
            operations.push((name, document));
        }
    }
    for (name, document) in &operations {
        // Add the fragments it uses, transitively, as graphql-codegen does.
        let mut full = document.clone();
        let mut wanted = spreads(document);
        let mut added = std::collections::HashSet::new();
        while let Some(fragment) = wanted.pop() {
            if added.insert(fragment.clone()) {
                let text = fragments.get(&fragment).unwrap_or_else(|| {
                    panic!("{name}.graphql uses an unknown fragment {fragment}")
                });
                wanted.extend(spreads(text));
                full.push('\n');
                full.push_str(text);
            }
        }
        // Empty variables: the server validates the document before it looks at variables, so
        // a request-level VALIDATION error naming a field means the document is wrong.
        let r = app.graphql(&full, json!({})).await;
        let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
        for error in errors {
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.starts_with("Variable") || error["path"].is_array(),
                "{name}.graphql does not validate: {message}"
            );
        }
    }
    assert!(
        operations.len() >= 4,
        "found only {} operation documents",
        operations.len()
    );
}
