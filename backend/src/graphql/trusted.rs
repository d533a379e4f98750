//! Trusted documents (persisted operations): the operation documents of `graphql/operations/`
//! — the ones the web app, the tests and mobile clients use — embedded in the binary at build
//! time and known by the SHA-256 of their text. A client sends `documentId: "sha256:<hex>"`
//! (GraphQL-over-HTTP persisted documents) or Apollo's
//! `extensions.persistedQuery.sha256Hash` instead of the text; the list of ids is checked in as
//! `graphql/trusted-documents.json` (a test keeps it in step).
//!
//! A document is the operation's file with the fragments it spreads, transitively, each added
//! once in the order they are first met, separated by a newline.

use std::collections::HashMap;
use std::sync::OnceLock;

use sha2::{Digest as _, Sha256};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

/// Whether documents that are not trusted are executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownDocuments {
    /// Executed within the cost limits (the default: third-party clients keep working).
    Accept,
    /// Refused with `PERSISTED_DOCUMENT_NOT_FOUND`: only our own documents run.
    Refuse,
}

/// One trusted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedDocument {
    /// The operation's name (its file's stem).
    pub name: &'static str,
    /// `sha256:<hex>`.
    pub id: String,
    /// The whole document: operation and fragments.
    pub text: String,
}

/// The names of the fragments a text spreads.
fn spreads(text: &str) -> Vec<&str> {
    text.match_indices("...")
        .filter_map(|(i, _)| {
            let rest = text[i + 3..].trim_start();
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            (!name.is_empty() && name != "on").then_some(name)
        })
        .collect()
}

/// The document of an operation: its text and the fragments it spreads, transitively, looked
/// up by name with `file`.
pub fn assemble<'t>(operation: &'t str, file: impl Fn(&str) -> Option<&'t str>) -> String {
    let mut full = operation.to_owned();
    let mut wanted = spreads(operation);
    wanted.reverse();
    let mut added = std::collections::HashSet::new();
    while let Some(fragment) = wanted.pop() {
        if added.insert(fragment.to_owned())
            && let Some(text) = file(fragment)
        {
            let mut more = spreads(text);
            more.reverse();
            wanted.extend(more);
            full.push('\n');
            full.push_str(text);
        }
    }
    full
}

/// `sha256:<hex>` of a document's text.
pub fn document_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut id = String::with_capacity(7 + 64);
    id.push_str("sha256:");
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(id, "{byte:02x}");
    }
    id
}

fn is_operation(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("query") || l.starts_with("mutation") || l.starts_with("subscription")
    })
}

/// Every trusted document, by id.
pub fn documents() -> &'static HashMap<String, TrustedDocument> {
    static DOCUMENTS: OnceLock<HashMap<String, TrustedDocument>> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        let file = |name: &str| {
            embedded::OPERATION_FILES
                .iter()
                .find(|(stem, _)| *stem == name)
                .map(|(_, text)| *text)
        };
        embedded::OPERATION_FILES
            .iter()
            .filter(|(_, text)| is_operation(text))
            .map(|(name, text)| {
                let text = assemble(text, file);
                let id = document_id(&text);
                (id.clone(), TrustedDocument { name, id, text })
            })
            .collect()
    })
}

/// `graphql/trusted-documents.json`: operation name → document id, sorted by name.
pub fn manifest() -> String {
    let mut entries = documents()
        .values()
        .map(|d| (d.name, d.id.as_str()))
        .collect::<Vec<_>>();
    entries.sort();
    let map = entries
        .into_iter()
        .map(|(name, id)| (name.to_owned(), serde_json::Value::from(id)))
        .collect::<serde_json::Map<_, _>>();
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(map))
        .unwrap_or_else(|_| String::from("{}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_include_their_fragments_once() {
        let files = [
            ("A", "query A { x { ...F ...G } }"),
            ("F", "fragment F on X { y { ...G } }"),
            ("G", "fragment G on Y { z }"),
        ];
        let file = |n: &str| files.iter().find(|(s, _)| *s == n).map(|(_, t)| *t);
        assert_eq!(
            assemble(files[0].1, file),
            "query A { x { ...F ...G } }\nfragment F on X { y { ...G } }\nfragment G on Y { z }"
        );
    }

    #[test]
    fn every_operation_is_trusted_with_a_stable_id() {
        let docs = documents();
        assert!(docs.values().any(|d| d.name == "Grievances"));
        assert!(docs.values().all(|d| !d.name.ends_with("Fields")));
        for doc in docs.values() {
            assert_eq!(document_id(&doc.text), doc.id);
            assert_eq!(doc.id.len(), 7 + 64);
        }
    }
}
