//! The Pabulib `.pb` format (<https://pabulib.org/format>): META, PROJECTS and VOTES sections
//! of `;`-separated values, read and written without loss.
//!
//! Fields follow the quoting of Python's `csv` module (what the reference tooling uses): a field
//! that starts with `"` is quoted, `""` inside it is a quote, and a quoted field may span lines.

use std::collections::HashMap;
use std::fmt;

use crate::election::{Ballot, Election, Project, VoteType, Voter};
use crate::number::{Amount, format_exact, parse_amount};
use num_traits::Signed;

/// A problem in a `.pb` file, with the (1-based) line it was found on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The line of the file (1-based; 0 when the problem is the file as a whole).
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// One record of `;`-separated fields and the line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits text into records the way Python's `csv.reader(text.splitlines(), delimiter=";")` does.
fn records(text: &str) -> Vec<Record> {
    #[derive(PartialEq)]
    enum State {
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((index, line)) = lines.next() {
        let start = index + 1;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut state = State::StartField;
        let mut line = line.strip_suffix('\r').unwrap_or(line);
        loop {
            for c in line.chars() {
                match state {
                    State::StartField | State::InField if c == ';' => {
                        fields.push(std::mem::take(&mut field));
                        state = State::StartField;
                    }
                    State::StartField if c == '"' => state = State::InQuoted,
                    State::StartField | State::InField => {
                        field.push(c);
                        state = State::InField;
                    }
                    State::InQuoted if c == '"' => state = State::QuoteInQuoted,
                    State::InQuoted => field.push(c),
                    State::QuoteInQuoted if c == '"' => {
                        field.push('"');
                        state = State::InQuoted;
                    }
                    State::QuoteInQuoted if c == ';' => {
                        fields.push(std::mem::take(&mut field));
                        state = State::StartField;
                    }
                    State::QuoteInQuoted => {
                        field.push(c);
                        state = State::InField;
                    }
                }
            }
            if state == State::InQuoted {
                // A quoted field continues on the next line.
                if let Some((_, next)) = lines.next() {
                    field.push('\n');
                    line = next.strip_suffix('\r').unwrap_or(next);
                    continue;
                }
            }
            break;
        }
        if !(fields.is_empty() && field.is_empty() && state == State::StartField) {
            fields.push(field);
        }
        out.push(Record {
            line: start,
            fields,
        });
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

fn is_none(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("none")
}

/// Reads a `.pb` file. Every problem names its line.
///
/// # Errors
/// Returns the first problem found: a row outside a section, a missing or unreadable budget,
/// cost or vote type, a duplicate project id, a vote for an unknown project, points that do not
/// match the projects voted for, and so on.
pub fn parse(text: &str) -> Result<Election, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut section = Section::None;
    let mut header: Vec<String> = Vec::new();
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut voters: Vec<Voter> = Vec::new();
    let mut vote_type: Option<VoteType> = None;
    let mut budget: Option<Amount> = None;
    let mut meta_line = 0usize;

    let mut iter = records(text).into_iter();
    while let Some(record) = iter.next() {
        let line = record.line;
        let fields = record.fields;
        if fields.is_empty() || (fields.len() == 1 && fields[0].trim().is_empty()) {
            continue;
        }
        let first = fields[0].trim().to_ascii_lowercase();
        if matches!(first.as_str(), "meta" | "projects" | "votes") {
            section = match first.as_str() {
                "meta" => Section::Meta,
                "projects" => Section::Projects,
                _ => Section::Votes,
            };
            if section == Section::Meta {
                meta_line = line;
            }
            let Some(next) = iter.next() else {
                return Err(error(
                    line,
                    format!("section {} has no header line", first.to_uppercase()),
                ));
            };
            header = next.fields.iter().map(|h| h.trim().to_owned()).collect();
            match section {
                Section::Projects => {
                    for needed in ["project_id", "cost"] {
                        if !header.iter().any(|h| h == needed) {
                            return Err(error(
                                next.line,
                                format!("PROJECTS header has no `{needed}` column"),
                            ));
                        }
                    }
                }
                Section::Votes => {
                    if vote_type.is_none() {
                        return Err(error(line, "VOTES comes before META gives the vote_type"));
                    }
                    if !header.iter().any(|h| h == "vote") {
                        return Err(error(next.line, "VOTES header has no `vote` column"));
                    }
                }
                _ => {}
            }
            continue;
        }
        match section {
            Section::None => {
                return Err(error(
                    line,
                    "expected a section name (META, PROJECTS or VOTES)",
                ));
            }
            Section::Meta => {
                if fields.len() < 2 {
                    return Err(error(
                        line,
                        "a META line needs a key and a value separated by `;`",
                    ));
                }
                let key = fields[0].trim().to_owned();
                let value = fields[1].trim().to_owned();
                if matches!(key.as_str(), "budget" | "vote_type")
                    && meta.iter().any(|(k, _)| *k == key)
                {
                    return Err(error(line, format!("META gives `{key}` a second time")));
                }
                match key.as_str() {
                    "budget" => {
                        let parsed = parse_amount(&value).ok_or_else(|| {
                            error(line, format!("budget `{value}` is not a number"))
                        })?;
                        if parsed.is_negative() {
                            return Err(error(line, "budget must not be negative"));
                        }
                        budget = Some(parsed);
                    }
                    "vote_type" => {
                        vote_type = Some(VoteType::parse(&value).ok_or_else(|| {
                            error(
                                line,
                                format!("unknown vote_type `{value}` (expected approval, choose-1, cumulative, scoring or ordinal)"),
                            )
                        })?);
                    }
                    _ => {}
                }
                meta.push((key, value));
            }
            Section::Projects => {
                if fields.len() > header.len() {
                    return Err(error(
                        line,
                        format!(
                            "{} fields but the PROJECTS header has {}",
                            fields.len(),
                            header.len()
                        ),
                    ));
                }
                let mut id = None;
                let mut cost = None;
                let mut extra = Vec::new();
                // A short row leaves its last columns empty (so every row has every column).
                for (i, key) in header.iter().enumerate() {
                    let value = fields.get(i).map_or("", |v| v.trim());
                    match key.as_str() {
                        "project_id" => id = Some(value.to_owned()),
                        "cost" => {
                            if is_none(value) || value.is_empty() {
                                return Err(error(line, "project has no cost"));
                            }
                            let parsed = parse_amount(value).ok_or_else(|| {
                                error(line, format!("cost `{value}` is not a number"))
                            })?;
                            if parsed.is_negative() {
                                return Err(error(line, format!("cost `{value}` is negative")));
                            }
                            cost = Some(parsed);
                        }
                        _ => extra.push((key.clone(), value.to_owned())),
                    }
                }
                let id = id.ok_or_else(|| error(line, "project has no project_id"))?;
                if id.is_empty() || id.contains(',') {
                    return Err(error(
                        line,
                        format!("project id `{id}` must be non-empty and contain no comma"),
                    ));
                }
                let cost = cost.ok_or_else(|| error(line, format!("project {id} has no cost")))?;
                if ids.insert(id.clone(), projects.len()).is_some() {
                    return Err(error(line, format!("duplicate project id `{id}`")));
                }
                projects.push(Project { id, cost, extra });
            }
            Section::Votes => {
                if fields.len() > header.len() {
                    return Err(error(
                        line,
                        format!(
                            "{} fields but the VOTES header has {}",
                            fields.len(),
                            header.len()
                        ),
                    ));
                }
                let Some(vt) = vote_type else {
                    return Err(error(line, "VOTES comes before META gives the vote_type"));
                };
                let mut id = None;
                let mut vote = None;
                let mut points = None;
                let mut extra = Vec::new();
                // A short row leaves its last columns empty (so every row has every column).
                for (i, key) in header.iter().enumerate() {
                    let value = fields.get(i).map_or("", |v| v.trim());
                    match key.as_str() {
                        "voter_id" => id = Some(value.to_owned()),
                        "vote" => {
                            if !is_none(value) {
                                vote = Some(value);
                            }
                        }
                        "points" if vt.has_points() => {
                            if !is_none(value) && !value.is_empty() {
                                points = Some(value);
                            }
                        }
                        _ => extra.push((key.clone(), value.to_owned())),
                    }
                }
                let id = id.unwrap_or_else(|| voters.len().to_string());
                let ballot = parse_ballot(line, vt, vote, points, &ids)?;
                voters.push(Voter { id, ballot, extra });
            }
        }
    }
    let budget = budget.ok_or_else(|| error(meta_line, "META has no budget"))?;
    let vote_type = vote_type.ok_or_else(|| error(meta_line, "META has no vote_type"))?;
    Ok(Election {
        meta,
        budget,
        vote_type,
        projects,
        voters,
    })
}

fn lookup(line: usize, ids: &HashMap<String, usize>, id: &str) -> Result<usize, ParseError> {
    ids.get(id)
        .copied()
        .ok_or_else(|| error(line, format!("vote names unknown project `{id}`")))
}

fn parse_ballot(
    line: usize,
    vote_type: VoteType,
    vote: Option<&str>,
    points: Option<&str>,
    ids: &HashMap<String, usize>,
) -> Result<Ballot, ParseError> {
    let names: Vec<&str> = vote
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    match vote_type {
        VoteType::Approval | VoteType::ChooseOne | VoteType::Ordinal => {
            let mut seen = Vec::with_capacity(names.len());
            for name in names {
                let p = lookup(line, ids, name)?;
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            Ok(if vote_type == VoteType::Ordinal {
                Ballot::Ordinal(seen)
            } else {
                Ballot::Approval(seen)
            })
        }
        VoteType::Cumulative | VoteType::Scoring => {
            let Some(points) = points else {
                if names.is_empty() {
                    return Ok(Ballot::Cardinal(Vec::new()));
                }
                return Err(error(line, "vote has projects but no points"));
            };
            let values: Vec<&str> = points.split(',').map(str::trim).collect();
            if values.len() != names.len() {
                return Err(error(
                    line,
                    format!(
                        "{} projects voted for but {} points given",
                        names.len(),
                        values.len()
                    ),
                ));
            }
            let mut out: Vec<(usize, Amount)> = Vec::with_capacity(names.len());
            for (name, value) in names.into_iter().zip(values) {
                let p = lookup(line, ids, name)?;
                let amount = parse_amount(value)
                    .ok_or_else(|| error(line, format!("points `{value}` are not a number")))?;
                if let Some(existing) = out.iter_mut().find(|(q, _)| *q == p) {
                    existing.1 = amount;
                } else {
                    out.push((p, amount));
                }
            }
            Ok(Ballot::Cardinal(out))
        }
    }
}

fn quote(value: &str) -> String {
    let needs = value.contains([';', '"', '\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    let mut first = true;
    for field in fields {
        if !first {
            out.push(';');
        }
        first = false;
        out.push_str(&quote(field));
    }
    out.push('\n');
}

fn union_keys<'a>(rows: impl Iterator<Item = &'a [(String, String)]>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for row in rows {
        for (k, _) in row {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

fn value_of<'a>(row: &'a [(String, String)], key: &str) -> &'a str {
    row.iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// Writes an election as a `.pb` file that [`parse`] reads back to an equal election.
///
/// The budget and vote type written are those of the election (META entries that disagree are
/// replaced). Extra columns missing on some rows are written empty.
#[must_use]
pub fn write(election: &Election) -> String {
    let mut out = String::new();
    out.push_str("META\nkey;value\n");
    let budget_text = format_exact(&election.budget);
    let mut wrote_budget = false;
    let mut wrote_type = false;
    for (key, value) in &election.meta {
        match key.as_str() {
            "budget" => {
                let same = parse_amount(value).as_ref() == Some(&election.budget);
                push_row(
                    &mut out,
                    [
                        key.as_str(),
                        if same {
                            value.as_str()
                        } else {
                            budget_text.as_str()
                        },
                    ],
                );
                wrote_budget = true;
            }
            "vote_type" => {
                let same = VoteType::parse(value) == Some(election.vote_type);
                push_row(
                    &mut out,
                    [
                        key.as_str(),
                        if same {
                            value.as_str()
                        } else {
                            election.vote_type.as_str()
                        },
                    ],
                );
                wrote_type = true;
            }
            _ => push_row(&mut out, [key.as_str(), value.as_str()]),
        }
    }
    if !wrote_budget {
        push_row(&mut out, ["budget", budget_text.as_str()]);
    }
    if !wrote_type {
        push_row(&mut out, ["vote_type", election.vote_type.as_str()]);
    }

    out.push_str("PROJECTS\n");
    let keys = union_keys(election.projects.iter().map(|p| p.extra.as_slice()));
    push_row(
        &mut out,
        ["project_id", "cost"]
            .into_iter()
            .chain(keys.iter().map(String::as_str)),
    );
    for p in &election.projects {
        let cost = format_exact(&p.cost);
        push_row(
            &mut out,
            [p.id.as_str(), cost.as_str()]
                .into_iter()
                .chain(keys.iter().map(|k| value_of(&p.extra, k))),
        );
    }

    out.push_str("VOTES\n");
    let keys = union_keys(election.voters.iter().map(|v| v.extra.as_slice()));
    let with_points = election.vote_type.has_points();
    let mut header = vec!["voter_id", "vote"];
    if with_points {
        header.push("points");
    }
    push_row(
        &mut out,
        header.into_iter().chain(keys.iter().map(String::as_str)),
    );
    let id_of = |p: usize| election.projects.get(p).map_or("", |p| p.id.as_str());
    for v in &election.voters {
        let (vote, points) = match &v.ballot {
            Ballot::Approval(ps) | Ballot::Ordinal(ps) => (
                ps.iter().map(|&p| id_of(p)).collect::<Vec<_>>().join(","),
                String::new(),
            ),
            Ballot::Cardinal(ps) => (
                ps.iter()
                    .map(|(p, _)| id_of(*p))
                    .collect::<Vec<_>>()
                    .join(","),
                ps.iter()
                    .map(|(_, a)| format_exact(a))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        };
        let mut row = vec![v.id.as_str(), vote.as_str()];
        if with_points {
            row.push(points.as_str());
        }
        push_row(
            &mut out,
            row.into_iter()
                .chain(keys.iter().map(|k| value_of(&v.extra, k))),
        );
    }
    out
}
