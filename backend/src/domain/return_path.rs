//! Where a person goes back to after signing in: a path inside the web app, never another site.
//!
//! The path is stored on the server with the link (a sign-in link, a pending action), so an
//! e-mail can never send anyone elsewhere, and it is checked here before it is stored.

use super::{FieldProblem, ProblemCode};

/// Longest return path, in characters.
pub const MAX: usize = 500;

/// Paths the server answers itself: not pages of the app.
const SERVER_PATHS: &[&str] = &[
    "/graphql",
    "/graphiql",
    "/api/",
    "/auth/",
    "/healthz",
    "/readyz",
    "/assets/",
];

/// Check a return path: it starts with a single `/`, has no backslash, no spaces or control
/// characters, no scheme before its first `/`, and is a page of the app (not the API). Anything
/// else is refused with `INVALID_FORMAT` (or `TOO_LONG`) on `field`.
pub fn check(field: &'static str, raw: &str) -> Result<String, FieldProblem> {
    let path = raw.trim();
    let refuse = || FieldProblem::new(field, ProblemCode::InvalidFormat);
    if path.chars().count() > MAX {
        return Err(FieldProblem::new(field, ProblemCode::TooLong { max: MAX }));
    }
    let mut chars = path.chars();
    if chars.next() != Some('/') {
        return Err(refuse());
    }
    // `//host` and `/\host` are read by browsers as another site.
    if matches!(chars.next(), Some('/' | '\\')) {
        return Err(refuse());
    }
    if path
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return Err(refuse());
    }
    let lower = path.to_ascii_lowercase();
    if SERVER_PATHS
        .iter()
        .any(|p| lower == p.trim_end_matches('/') || lower.starts_with(p))
        || lower.starts_with("/graphql?")
    {
        return Err(refuse());
    }
    Ok(path.to_owned())
}

/// `check` for an optional value: `None` and an empty string mean "no return path".
pub fn check_optional(
    field: &'static str,
    raw: Option<&str>,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    match check(field, raw) {
        Ok(path) => Some(path),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_app_are_kept() {
        for ok in [
            "/",
            "/buurt/transvaal",
            "/meldingen/R3JpZXZhbmNlOjE%3D",
            "/buurt/x/meldingen?thema=wonen&view=map",
            "/profile#wachtwoord",
        ] {
            assert_eq!(check("returnPath", ok).as_deref(), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn other_sites_and_server_paths_are_refused() {
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example/x",
            "/ok\\..\\x",
            "/with space",
            "/line\nbreak",
            "/graphql",
            "/graphql?query={viewer{email}}",
            "/api/neighbourhoods/x/grievances.geojson",
            "/GRAPHIQL",
            "/auth/sign-out",
            "/healthz",
        ] {
            assert_eq!(
                check("returnPath", bad).map_err(|p| p.code.as_str()),
                Err("INVALID_FORMAT"),
                "{bad:?}"
            );
        }
        let long = format!("/{}", "a".repeat(MAX));
        assert_eq!(
            check("returnPath", &long).map_err(|p| p.code.as_str()),
            Err("TOO_LONG")
        );
    }
}
