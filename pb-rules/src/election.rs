//! The election: an instance (budget and projects) and a profile (the ballots).

use crate::number::Amount;

/// How residents vote, as named in the Pabulib `vote_type` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VoteType {
    /// Approve any number of projects.
    Approval,
    /// Approve exactly one project (treated as approval ballots).
    ChooseOne,
    /// Spread points over projects; more points, more support.
    Cumulative,
    /// Give each project a score.
    Scoring,
    /// Rank projects, most preferred first.
    Ordinal,
}

impl VoteType {
    /// The name used in Pabulib files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::ChooseOne => "choose-1",
            Self::Cumulative => "cumulative",
            Self::Scoring => "scoring",
            Self::Ordinal => "ordinal",
        }
    }

    /// Reads a Pabulib `vote_type` value.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "approval" => Some(Self::Approval),
            "choose-1" => Some(Self::ChooseOne),
            "cumulative" => Some(Self::Cumulative),
            "scoring" => Some(Self::Scoring),
            "ordinal" => Some(Self::Ordinal),
            _ => None,
        }
    }

    /// Whether ballots of this type carry points per project.
    #[must_use]
    pub fn has_points(self) -> bool {
        matches!(self, Self::Cumulative | Self::Scoring)
    }
}

/// A budget proposal residents can vote for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The project id (a string: `L010`, `43228`).
    pub id: String,
    /// What it costs.
    pub cost: Amount,
    /// Every other column of the Pabulib PROJECTS section, in file order (name, category, votes,
    /// selected, ...), kept so that a file can be written back unchanged.
    pub extra: Vec<(String, String)>,
}

impl Project {
    /// A project with an id and a cost and nothing else.
    #[must_use]
    pub fn new(id: impl Into<String>, cost: Amount) -> Self {
        Self {
            id: id.into(),
            cost,
            extra: Vec::new(),
        }
    }

    /// The value of an extra column such as `name` or `selected`.
    #[must_use]
    pub fn field(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One ballot, with projects given by their index in [`Election::projects`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ballot {
    /// The set of approved projects (approval and choose-1 votes).
    Approval(Vec<usize>),
    /// Points or scores per project (cumulative and scoring votes), in the order written.
    Cardinal(Vec<(usize, Amount)>),
    /// A ranking, most preferred first (ordinal votes).
    Ordinal(Vec<usize>),
}

impl Ballot {
    /// The projects on the ballot, in the order written.
    pub fn projects(&self) -> impl Iterator<Item = usize> + '_ {
        let (plain, cardinal): (&[usize], &[(usize, Amount)]) = match self {
            Self::Approval(p) | Self::Ordinal(p) => (p, &[]),
            Self::Cardinal(p) => (&[], p),
        };
        plain
            .iter()
            .copied()
            .chain(cardinal.iter().map(|(p, _)| *p))
    }

    /// Whether nothing is on the ballot.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Approval(p) | Self::Ordinal(p) => p.is_empty(),
            Self::Cardinal(p) => p.is_empty(),
        }
    }
}

/// A voter: an id, the ballot and any other VOTES columns (age, sex, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voter {
    /// The voter id from the file.
    pub id: String,
    /// The ballot.
    pub ballot: Ballot,
    /// Other columns of the VOTES section, in file order.
    pub extra: Vec<(String, String)>,
}

/// A participatory-budgeting election ("wijkbudget"): budget, projects and ballots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    /// The META section, in file order (including `budget` and `vote_type`).
    pub meta: Vec<(String, String)>,
    /// The budget limit.
    pub budget: Amount,
    /// How people voted.
    pub vote_type: VoteType,
    /// The projects, in file order.
    pub projects: Vec<Project>,
    /// The ballots, in file order.
    pub voters: Vec<Voter>,
}

impl Election {
    /// A new election with the given budget, vote type and projects, and no ballots yet.
    #[must_use]
    pub fn new(budget: Amount, vote_type: VoteType, projects: Vec<Project>) -> Self {
        Self {
            meta: vec![
                ("budget".to_owned(), crate::number::format_exact(&budget)),
                ("vote_type".to_owned(), vote_type.as_str().to_owned()),
            ],
            budget,
            vote_type,
            projects,
            voters: Vec::new(),
        }
    }

    /// Adds a ballot with a generated voter id.
    pub fn push_ballot(&mut self, ballot: Ballot) {
        let id = self.voters.len().to_string();
        self.voters.push(Voter {
            id,
            ballot,
            extra: Vec::new(),
        });
    }

    /// A META value.
    #[must_use]
    pub fn meta_value(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The currency named in META (`EUR`, `PLN`), or an empty string.
    #[must_use]
    pub fn currency(&self) -> &str {
        self.meta_value("currency").unwrap_or("")
    }

    /// The index of the project with this id.
    #[must_use]
    pub fn project_index(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// The projects the file itself marks as selected (`selected` column equal to `1`), if the
    /// file has that column.
    #[must_use]
    pub fn selected_in_file(&self) -> Option<Vec<usize>> {
        if !self.projects.iter().any(|p| p.field("selected").is_some()) {
            return None;
        }
        Some(
            self.projects
                .iter()
                .enumerate()
                .filter(|(_, p)| p.field("selected").map(str::trim) == Some("1"))
                .map(|(i, _)| i)
                .collect(),
        )
    }
}
