//! Validation helpers for text that people type.

use super::{FieldProblem, ProblemCode};

/// Trim `raw` and check its length in characters and that it holds no control characters
/// (newlines allowed when `multiline`). Pushes the problem, if any, and returns the trimmed text.
pub fn checked_text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
    problems: &mut Vec<FieldProblem>,
) -> String {
    let text = raw.trim();
    let length = text.chars().count();
    let forbidden = |c: char| c.is_control() && !(multiline && (c == '\n' || c == '\t'));
    if length == 0 && min > 0 {
        problems.push(FieldProblem::new(field, ProblemCode::Required));
    } else if length < min {
        problems.push(FieldProblem::new(field, ProblemCode::TooShort { min }));
    } else if length > max {
        problems.push(FieldProblem::new(field, ProblemCode::TooLong { max }));
    } else if text.chars().any(forbidden) {
        problems.push(FieldProblem::new(field, ProblemCode::InvalidCharacters));
    }
    text.replace("\r\n", "\n")
}

/// `checked_text` for a form with one text field: the text, or the field's problem as a
/// validation error.
pub fn one_checked_text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, super::DomainError> {
    let mut problems = Vec::new();
    let text = checked_text(field, raw, min, max, multiline, &mut problems);
    if problems.is_empty() {
        Ok(text)
    } else {
        Err(super::DomainError::Validation(problems))
    }
}

/// Turn a name into a URL slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ĳ' => Some('i'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            'ý' | 'ÿ' => Some('y'),
            _ => None,
        };
        match mapped {
            Some(m) => slug.push(m),
            None if !slug.ends_with('-') && !slug.is_empty() => slug.push('-'),
            None => {}
        }
    }
    let trimmed = slug.trim_end_matches('-');
    trimmed
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// Whether `slug` is a valid slug: 2–60 of `a-z`, `0-9`, `-`, not starting or ending with `-`,
/// no `--`.
pub fn is_valid_slug(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_readable_ascii_slugs() {
        assert_eq!(slugify("Oude Westen"), "oude-westen");
        assert_eq!(slugify("  Café  Één!! "), "cafe-een");
        assert_eq!(
            slugify("Transvaal-Noord (Den Haag)"),
            "transvaal-noord-den-haag"
        );
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn slugs_are_validated() {
        assert!(is_valid_slug("oude-westen"));
        assert!(!is_valid_slug("Oude"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("a"));
    }

    #[test]
    fn checked_text_reports_each_kind_of_problem() {
        let mut p = Vec::new();
        assert_eq!(checked_text("name", "  x  ", 1, 5, false, &mut p), "x");
        assert!(p.is_empty());
        checked_text("name", "   ", 1, 5, false, &mut p);
        checked_text("name", "abcdef", 1, 5, false, &mut p);
        checked_text("name", "a\u{0}b", 1, 5, false, &mut p);
        let codes: Vec<_> = p.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["REQUIRED", "TOO_LONG", "INVALID_CHARACTERS"]);
    }
}
