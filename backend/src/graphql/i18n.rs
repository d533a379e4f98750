//! Error messages in the user's language: plain Dutch (B1) and plain English.

use crate::domain::accounts::Language;
use crate::domain::{DomainError, FieldProblem, ProblemCode};

fn field_label(field: &str, language: Language) -> &str {
    match (field, language) {
        ("name", Language::Dutch) => "De naam",
        ("name", Language::English) => "The name",
        ("slug", Language::Dutch) => "De korte naam in de link",
        ("slug", Language::English) => "The short name in the link",
        ("description", Language::Dutch) => "De beschrijving",
        ("description", Language::English) => "The description",
        ("email", Language::Dutch) => "Het e-mailadres",
        ("email", Language::English) => "The e-mail address",
        ("displayName", Language::Dutch) => "De naam die anderen zien",
        ("displayName", Language::English) => "The name others see",
        ("first", Language::Dutch) => "Het aantal",
        ("first", Language::English) => "The number",
        ("id", Language::Dutch) => "De verwijzing",
        ("id", Language::English) => "The reference",
        ("newPassword", Language::Dutch) => "Het nieuwe wachtwoord",
        ("newPassword", Language::English) => "The new password",
        ("currentPassword", Language::Dutch) => "Het huidige wachtwoord",
        ("currentPassword", Language::English) => "The current password",
        ("password", Language::Dutch) => "Het wachtwoord",
        ("password", Language::English) => "The password",
        ("neighbourhoodId", Language::Dutch) => "Het lidmaatschap",
        ("neighbourhoodId", Language::English) => "The membership",
        ("language", Language::Dutch) => "De taal",
        ("language", Language::English) => "The language",
        ("token", Language::Dutch) => "De link",
        ("token", Language::English) => "The link",
        ("after", Language::Dutch) => "De plek in de lijst",
        ("after", Language::English) => "The place in the list",
        ("title", Language::Dutch) => "De titel",
        ("title", Language::English) => "The title",
        ("text", Language::Dutch) => "De tekst",
        ("text", Language::English) => "The text",
        ("theme", Language::Dutch) => "Het onderwerp",
        ("theme", Language::English) => "The topic",
        ("location", Language::Dutch) => "De plek op de kaart",
        ("location", Language::English) => "The place on the map",
        ("reason", Language::Dutch) => "De reden",
        ("reason", Language::English) => "The reason",
        ("response", Language::Dutch) => "De reactie",
        ("response", Language::English) => "The response",
        ("mergedIds", Language::Dutch) => "De meldingen om samen te voegen",
        ("mergedIds", Language::English) => "The grievances to merge",
        ("grievanceId", Language::Dutch) => "De melding",
        ("grievanceId", Language::English) => "The grievance",
        ("commentId", Language::Dutch) => "De reactie",
        ("commentId", Language::English) => "The comment",
        ("status", Language::Dutch) => "De status",
        ("status", Language::English) => "The status",
        ("near", Language::Dutch) => "De plek om vanuit te zoeken",
        ("near", Language::English) => "The place to search from",
        ("radiusMeters", Language::Dutch) => "De afstand",
        ("radiusMeters", Language::English) => "The distance",
        ("center", Language::Dutch) => "Het midden",
        ("center", Language::English) => "The centre",
        ("key", Language::Dutch) => "De code",
        ("key", Language::English) => "The code",
        ("nameNl", Language::Dutch) => "De Nederlandse naam",
        ("nameNl", Language::English) => "The Dutch name",
        ("nameEn", Language::Dutch) => "De Engelse naam",
        ("nameEn", Language::English) => "The English name",
        ("returnPath", Language::Dutch) => "De pagina om naar terug te gaan",
        ("returnPath", Language::English) => "The page to go back to",
        ("totalEuros", Language::Dutch) => "Het bedrag",
        ("totalEuros", Language::English) => "The amount",
        ("costEuros", Language::Dutch) => "De kosten",
        ("costEuros", Language::English) => "The cost",
        ("maxChoices", Language::Dutch) => "Het aantal keuzes",
        ("maxChoices", Language::English) => "The number of choices",
        ("choices", Language::Dutch) => "Je keuze",
        ("choices", Language::English) => "Your choice",
        ("phase", Language::Dutch) => "Deze ronde",
        ("phase", Language::English) => "This round",
        ("proposals", Language::Dutch) => "De plannen",
        ("proposals", Language::English) => "The plans",
        ("roundId", Language::Dutch) => "De ronde",
        ("roundId", Language::English) => "The round",
        ("votingFrom", Language::Dutch) => "De start van het stemmen",
        ("votingFrom", Language::English) => "The start of voting",
        ("votingUntil", Language::Dutch) => "Het einde van het stemmen",
        ("votingUntil", Language::English) => "The end of voting",
        ("summary", Language::Dutch) => "De samenvatting",
        ("summary", Language::English) => "The summary",
        ("changeGoals", Language::Dutch) => "De doelen voor verandering",
        ("changeGoals", Language::English) => "The change goals",
        ("grievanceIds", Language::Dutch) => "De meldingen",
        ("grievanceIds", Language::English) => "The grievances",
        ("campaignId", Language::Dutch) => "De actie",
        ("campaignId", Language::English) => "The campaign",
        ("phaseId", Language::Dutch) => "De fase",
        ("phaseId", Language::English) => "The phase",
        ("goalId", Language::Dutch) => "Het doel",
        ("goalId", Language::English) => "The goal",
        ("reflection", Language::Dutch) => "De terugblik",
        ("reflection", Language::English) => "The reflection",
        ("unmetReasons", Language::Dutch) => "De redenen bij open doelen",
        ("unmetReasons", Language::English) => "The reasons for open goals",
        ("outcome", Language::Dutch) => "De uitkomst",
        ("outcome", Language::English) => "The outcome",
        ("outcomeSummary", Language::Dutch) => "De uitleg bij de uitkomst",
        ("outcomeSummary", Language::English) => "The outcome summary",
        ("note", Language::Dutch) => "De toelichting",
        ("note", Language::English) => "The note",
        ("link", Language::Dutch) => "De link",
        ("link", Language::English) => "The link",
        ("value", Language::Dutch) => "De stand",
        ("value", Language::English) => "The value",
        ("target", Language::Dutch) => "Het doel in cijfers",
        ("target", Language::English) => "The target",
        ("unit", Language::Dutch) => "De eenheid",
        ("unit", Language::English) => "The unit",
        ("personId", Language::Dutch) => "De persoon",
        ("personId", Language::English) => "The person",
        ("coreTeam", Language::Dutch) => "De groep die de actie leidt",
        ("coreTeam", Language::English) => "The core team",
        (_, Language::Dutch) => "Dit veld",
        (_, Language::English) => "This field",
    }
}

/// What to do when a field is empty: missing is not wrong, so say what to fill in.
fn required_message(field: &str, language: Language) -> Option<&'static str> {
    Some(match (field, language) {
        ("title", Language::Dutch) => "Schrijf een titel.",
        ("title", Language::English) => "Write a title.",
        ("text", Language::Dutch) => "Schrijf een tekst.",
        ("text", Language::English) => "Write a text.",
        ("theme", Language::Dutch) => "Kies een onderwerp.",
        ("theme", Language::English) => "Choose a topic.",
        ("email", Language::Dutch) => "Vul je e-mailadres in.",
        ("email", Language::English) => "Fill in your e-mail address.",
        ("displayName", Language::Dutch) => "Vul je naam in.",
        ("displayName", Language::English) => "Fill in your name.",
        ("reason", Language::Dutch) => "Schrijf een reden.",
        ("reason", Language::English) => "Write a reason.",
        ("response", Language::Dutch) => "Schrijf een reactie.",
        ("response", Language::English) => "Write a response.",
        ("name", Language::Dutch) => "Vul een naam in.",
        ("name", Language::English) => "Fill in a name.",
        ("choices", Language::Dutch) => "Kies minstens één plan.",
        ("choices", Language::English) => "Choose at least one plan.",
        ("proposals", Language::Dutch) => "Keur minstens één plan goed.",
        ("proposals", Language::English) => "Approve at least one plan.",
        ("mergedIds", Language::Dutch) => "Kies minstens één melding.",
        ("mergedIds", Language::English) => "Choose at least one grievance.",
        ("summary", Language::Dutch) => "Schrijf een samenvatting.",
        ("summary", Language::English) => "Write a summary.",
        ("changeGoals", Language::Dutch) => "Schrijf minstens één doel: wat moet er anders worden?",
        ("changeGoals", Language::English) => "Write at least one change goal.",
        ("grievanceIds", Language::Dutch) => "Kies minstens één melding.",
        ("grievanceIds", Language::English) => "Choose at least one grievance.",
        ("reflection", Language::Dutch) => {
            "Schrijf een terugblik: wat ging goed, wat niet, wat leerden we?"
        }
        ("reflection", Language::English) => {
            "Write a reflection: what went well, what did not, what did we learn?"
        }
        ("outcome", Language::Dutch) => "Kies de uitkomst van de actie.",
        ("outcome", Language::English) => "Choose the outcome of the campaign.",
        ("outcomeSummary", Language::Dutch) => "Schrijf kort wat de uitkomst is.",
        ("outcomeSummary", Language::English) => "Write briefly what the outcome is.",
        ("note", Language::Dutch) => "Schrijf een toelichting.",
        ("note", Language::English) => "Write a note.",
        ("value", Language::Dutch) => "Vul de nieuwe stand in.",
        ("value", Language::English) => "Fill in the new value.",
        ("coreTeam", Language::Dutch) => "Zet eerst iemand anders in de groep die de actie leidt.",
        ("coreTeam", Language::English) => "First add someone else to the core team.",
        _ => return None,
    })
}

/// A number as people write it: 5.000 in Dutch, 5,000 in English.
pub fn format_count(n: usize, language: Language) -> String {
    let digits = n.to_string();
    let separator = match language {
        Language::Dutch => '.',
        Language::English => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// "at most 5.000 tekens", with the unit of the field.
fn at_most(field: &str, max: usize, language: Language) -> String {
    let n = format_count(max, language);
    match (field, language) {
        ("first", Language::Dutch) => format!("Het mag hoogstens {n} zijn."),
        ("first", Language::English) => format!("It may be at most {n}."),
        ("mergedIds", Language::Dutch) => format!("Kies hoogstens {n} meldingen."),
        ("mergedIds", Language::English) => format!("Choose at most {n} grievances."),
        (_, Language::Dutch) => format!("Gebruik hoogstens {n} tekens."),
        (_, Language::English) => format!("Use at most {n} characters."),
    }
}

/// The message for one field problem.
pub fn problem_message(problem: &FieldProblem, language: Language) -> String {
    let label = field_label(problem.field, language);
    match (problem.code, language) {
        (ProblemCode::Required, _) if required_message(problem.field, language).is_some() => {
            required_message(problem.field, language)
                .unwrap_or_default()
                .to_owned()
        }
        (ProblemCode::Required, Language::Dutch) => format!("{label} is nodig."),
        (ProblemCode::Required, Language::English) => format!("{label} is needed."),
        (ProblemCode::TooShort { min }, Language::Dutch) => {
            format!("{label} is te kort. Gebruik minstens {} tekens.", format_count(min, language))
        }
        (ProblemCode::TooShort { min }, Language::English) => {
            format!("{label} is too short. Use at least {} characters.", format_count(min, language))
        }
        (ProblemCode::TooLong { max }, Language::Dutch) => match problem.field {
            "first" => format!("{label} is te groot. {}", at_most(problem.field, max, language)),
            "mergedIds" => format!("Dat zijn te veel meldingen. {}", at_most(problem.field, max, language)),
            _ => format!("{label} is te lang. {}", at_most(problem.field, max, language)),
        },
        (ProblemCode::TooLong { max }, Language::English) => match problem.field {
            "first" => format!("{label} is too large. {}", at_most(problem.field, max, language)),
            "mergedIds" => format!("Those are too many grievances. {}", at_most(problem.field, max, language)),
            _ => format!("{label} is too long. {}", at_most(problem.field, max, language)),
        },
        (ProblemCode::InvalidFormat, Language::Dutch) => format!("{label} klopt niet."),
        (ProblemCode::InvalidFormat, Language::English) => format!("{label} is not right."),
        (ProblemCode::InvalidCharacters, Language::Dutch) => {
            format!("{label} bevat tekens die niet mogen.")
        }
        (ProblemCode::InvalidCharacters, Language::English) => {
            format!("{label} has characters that are not allowed.")
        }
        (ProblemCode::Taken, Language::Dutch) => format!("{label} is al in gebruik."),
        (ProblemCode::Taken, Language::English) => format!("{label} is already in use."),
        (ProblemCode::TooCommon, Language::Dutch) => {
            format!("{label} is te makkelijk te raden. Kies iets dat minder voor de hand ligt.")
        }
        (ProblemCode::TooCommon, Language::English) => {
            format!("{label} is too easy to guess. Choose something less obvious.")
        }
        (ProblemCode::Expired, Language::Dutch) => {
            format!("{label} is verlopen. Vraag een nieuwe aan.")
        }
        (ProblemCode::Expired, Language::English) => {
            format!("{label} has expired. Ask for a new one.")
        }
        (ProblemCode::AlreadyUsed, Language::Dutch) => {
            format!("{label} is al gebruikt. Vraag een nieuwe aan.")
        }
        (ProblemCode::AlreadyUsed, Language::English) => {
            format!("{label} was already used. Ask for a new one.")
        }
        (ProblemCode::OutOfRange, Language::Dutch) => {
            format!("{label} valt buiten wat kan.")
        }
        (ProblemCode::OutOfRange, Language::English) => {
            format!("{label} is outside what is possible.")
        }
        (ProblemCode::OutsideArea, Language::Dutch) => {
            format!("{label} ligt ver buiten de wijk. Kies een plek in de wijk.")
        }
        (ProblemCode::OutsideArea, Language::English) => {
            format!(
                "{label} is far outside the neighbourhood. Choose a place in the neighbourhood."
            )
        }
        (ProblemCode::Locked, Language::Dutch) => {
            format!("{label} kan niet meer worden veranderd.")
        }
        (ProblemCode::Locked, Language::English) => format!("{label} can no longer be changed."),
        (ProblemCode::InvalidTransition, Language::Dutch) => {
            format!("{label} staat dit nu niet toe.")
        }
        (ProblemCode::InvalidTransition, Language::English) => {
            format!("{label} does not allow this now.")
        }
        (ProblemCode::OwnGrievance, Language::Dutch) => {
            "Dit is je eigen melding. \u{201c}Ik ook\u{201d} zeggen kan alleen bij meldingen van anderen.".to_owned()
        }
        (ProblemCode::OwnGrievance, Language::English) => {
            "This is your own grievance. You can only say \u{201c}me too\u{201d} to grievances of others.".to_owned()
        }
        (ProblemCode::UnknownChoice, Language::Dutch) => {
            "Je koos een plan waar je niet op kunt stemmen.".to_owned()
        }
        (ProblemCode::UnknownChoice, Language::English) => {
            "You chose a plan you cannot vote for.".to_owned()
        }
        (ProblemCode::DuplicateChoice, Language::Dutch) => {
            "Je koos een plan twee keer. Kies elk plan één keer.".to_owned()
        }
        (ProblemCode::DuplicateChoice, Language::English) => {
            "You chose a plan twice. Choose each plan once.".to_owned()
        }
        (ProblemCode::TooManyChoices { max }, Language::Dutch) => {
            format!("Je koos te veel plannen. Kies er hoogstens {}.", format_count(max, language))
        }
        (ProblemCode::TooManyChoices { max }, Language::English) => {
            format!("You chose too many plans. Choose at most {}.", format_count(max, language))
        }
        (ProblemCode::OverBudget, Language::Dutch) => {
            "Je keuze kost meer dan het budget. Kies minder of goedkopere plannen.".to_owned()
        }
        (ProblemCode::OverBudget, Language::English) => {
            "Your choice costs more than the budget. Choose fewer or cheaper plans.".to_owned()
        }
        (ProblemCode::AlreadyVoted, Language::Dutch) => {
            "Je hebt al gestemd. Je kunt maar één keer stemmen.".to_owned()
        }
        (ProblemCode::AlreadyVoted, Language::English) => {
            "You have already voted. You can only vote once.".to_owned()
        }
        (ProblemCode::NotReviewed, Language::Dutch) => {
            "Nog niet alle plannen zijn beoordeeld. Beoordeel ze eerst.".to_owned()
        }
        (ProblemCode::NotReviewed, Language::English) => {
            "Not all plans have been reviewed yet. Review them first.".to_owned()
        }
        (ProblemCode::LimitReached { max }, Language::Dutch) => {
            format!("{label} is vol. Er passen hoogstens {} in.", format_count(max, language))
        }
        (ProblemCode::LimitReached { max }, Language::English) => {
            format!("{label} is full. It holds at most {}.", format_count(max, language))
        }
        (ProblemCode::PhaseNotActive, Language::Dutch) => {
            "Deze fase is nu niet bezig. Dit kan alleen in de fase die nu loopt.".to_owned()
        }
        (ProblemCode::PhaseNotActive, Language::English) => {
            "This phase is not running now. You can only do this in the current phase.".to_owned()
        }
        (ProblemCode::GoalsNotMet, Language::Dutch) => {
            "Niet alle doelen zijn gehaald. Schrijf bij elk open doel waarom niet.".to_owned()
        }
        (ProblemCode::GoalsNotMet, Language::English) => {
            "Not all goals are met. For each open goal, write why not.".to_owned()
        }
        (ProblemCode::AlreadyActive, Language::Dutch) => {
            "Er is al een fase bezig. Er kan maar één fase tegelijk lopen.".to_owned()
        }
        (ProblemCode::AlreadyActive, Language::English) => {
            "A phase is already running. Only one phase can run at a time.".to_owned()
        }
    }
}

/// The top-level message for an error.
pub fn error_message(error: &DomainError, language: Language) -> String {
    match (error, language) {
        (DomainError::Unauthenticated, Language::Dutch) => "Log eerst in.".into(),
        (DomainError::Unauthenticated, Language::English) => "Please sign in first.".into(),
        (DomainError::Forbidden, Language::Dutch) => "Dit mag je niet doen.".into(),
        (DomainError::Forbidden, Language::English) => "You are not allowed to do this.".into(),
        (DomainError::NotFound { .. }, Language::Dutch) => "Dit bestaat niet (meer).".into(),
        (DomainError::NotFound { .. }, Language::English) => {
            "This does not exist (any more).".into()
        }
        (DomainError::Validation(p), Language::Dutch) => match p.as_slice() {
            [one] => problem_message(one, language),
            _ => "Niet alles is goed ingevuld.".into(),
        },
        (DomainError::Validation(p), Language::English) => match p.as_slice() {
            [one] => problem_message(one, language),
            _ => "Some fields are not filled in right.".into(),
        },
        (DomainError::Conflict(p), _) => match p.as_slice() {
            [one] => problem_message(one, language),
            _ => match language {
                Language::Dutch => "Dit botst met iets dat er al is.".into(),
                Language::English => "This clashes with something that exists.".into(),
            },
        },
        // The soft password limit often asks for a single second.
        (DomainError::RateLimited { retry_after_secs: 1 }, Language::Dutch) => {
            "Te veel pogingen. Probeer het over 1 seconde opnieuw.".into()
        }
        (DomainError::RateLimited { retry_after_secs: 1 }, Language::English) => {
            "Too many attempts. Try again in 1 second.".into()
        }
        (DomainError::RateLimited { retry_after_secs }, Language::Dutch) => {
            format!("Te veel pogingen. Probeer het over {retry_after_secs} seconden opnieuw.")
        }
        (DomainError::RateLimited { retry_after_secs }, Language::English) => {
            format!("Too many attempts. Try again in {retry_after_secs} seconds.")
        }
        (DomainError::Unavailable(_), Language::Dutch) => {
            "Het lukt ons nu even niet om je gegevens te bereiken. Er is niets verloren gegaan. Probeer het over een moment opnieuw.".into()
        }
        (DomainError::Unavailable(_), Language::English) => {
            "We cannot reach your data right now. Nothing was lost. Please try again in a moment.".into()
        }
        (DomainError::Internal(_), Language::Dutch) => {
            "Er ging iets mis bij ons. Probeer het later opnieuw.".into()
        }
        (DomainError::Internal(_), Language::English) => {
            "Something went wrong on our side. Please try again later.".into()
        }
    }
}

/// How a person whose account was deleted is shown.
pub fn former_resident(language: Language) -> &'static str {
    match language {
        Language::Dutch => "een oud-bewoner",
        Language::English => "a former resident",
    }
}

/// How the author of an anonymous grievance is shown: "a resident of <neighbourhood>".
pub fn resident_of(neighbourhood: &str, language: Language) -> String {
    match language {
        Language::Dutch => format!("een bewoner van {neighbourhood}"),
        Language::English => format!("a resident of {neighbourhood}"),
    }
}

/// The name to show for an author as the viewer may see it (the person's name, "a resident of
/// <neighbourhood>" or "a former resident").
pub fn author_name(author: &crate::domain::grievances::AuthorView, language: Language) -> String {
    use crate::domain::grievances::AuthorView;
    match author {
        AuthorView::Named { name, .. } => name.clone(),
        AuthorView::Anonymous {
            neighbourhood_name, ..
        } => resident_of(neighbourhood_name, language),
        AuthorView::FormerResident => former_resident(language).to_owned(),
    }
}

/// Every field the messages name (for `samples`).
const FIELDS: &[&str] = &[
    "name",
    "slug",
    "description",
    "email",
    "displayName",
    "first",
    "id",
    "newPassword",
    "currentPassword",
    "password",
    "neighbourhoodId",
    "language",
    "token",
    "after",
    "title",
    "text",
    "theme",
    "location",
    "reason",
    "response",
    "mergedIds",
    "grievanceId",
    "commentId",
    "status",
    "near",
    "radiusMeters",
    "center",
    "key",
    "nameNl",
    "nameEn",
    "returnPath",
    "totalEuros",
    "costEuros",
    "maxChoices",
    "choices",
    "phase",
    "proposals",
    "roundId",
    "votingFrom",
    "votingUntil",
    "summary",
    "changeGoals",
    "grievanceIds",
    "campaignId",
    "phaseId",
    "goalId",
    "reflection",
    "unmetReasons",
    "outcome",
    "outcomeSummary",
    "note",
    "link",
    "value",
    "target",
    "unit",
    "personId",
    "coreTeam",
];

/// Every message of this file in both languages, with stand-in values, as (language, source,
/// text): what the plain-language check scores (`buurtkracht texts`).
pub fn samples() -> Vec<(Language, &'static str, String)> {
    use crate::domain::ProblemCode as C;
    let v = crate::email::templates::SAMPLE_VALUE;
    let codes = [
        C::Required,
        C::TooShort { min: 10 },
        C::TooLong { max: 5000 },
        C::InvalidFormat,
        C::InvalidCharacters,
        C::Taken,
        C::Expired,
        C::AlreadyUsed,
        C::TooCommon,
        C::OutOfRange,
        C::OutsideArea,
        C::Locked,
        C::InvalidTransition,
        C::OwnGrievance,
        C::UnknownChoice,
        C::DuplicateChoice,
        C::TooManyChoices { max: 3 },
        C::OverBudget,
        C::AlreadyVoted,
        C::NotReviewed,
        C::LimitReached { max: 200 },
        C::PhaseNotActive,
        C::GoalsNotMet,
        C::AlreadyActive,
    ];
    let errors = [
        DomainError::Unauthenticated,
        DomainError::Forbidden,
        DomainError::NotFound { entity: "x" },
        DomainError::Validation(vec![]),
        DomainError::Conflict(vec![]),
        DomainError::RateLimited {
            retry_after_secs: 60,
        },
        DomainError::RateLimited {
            retry_after_secs: 1,
        },
        DomainError::Unavailable(String::new()),
        DomainError::Internal(String::new()),
    ];
    let requests = [
        RequestProblem::MalformedJson,
        RequestProblem::UnsupportedContentType,
        RequestProblem::BadToken,
        RequestProblem::InvalidQuery,
        RequestProblem::TooComplex,
        RequestProblem::TooManyOperations,
        RequestProblem::UnknownDocument,
        RequestProblem::MutationOverGet,
        RequestProblem::Timeout,
        RequestProblem::SlowBody,
        RequestProblem::BodyTooLarge,
        RequestProblem::NotAcceptable,
    ];
    let mut out = Vec::new();
    for language in [Language::Dutch, Language::English] {
        for field in FIELDS {
            for code in codes {
                let problem = FieldProblem { field, code };
                out.push((
                    language,
                    "server.field",
                    problem_message(&problem, language),
                ));
            }
        }
        for error in &errors {
            out.push((language, "server.error", error_message(error, language)));
        }
        for request in requests {
            out.push((
                language,
                "server.request",
                request_message(request, language).to_owned(),
            ));
        }
        out.push((language, "server.author", resident_of(v, language)));
        out.push((
            language,
            "server.author",
            former_resident(language).to_owned(),
        ));
    }
    out
}

/// Messages for request-level errors that happen before the domain is reached.
pub fn request_message(key: RequestProblem, language: Language) -> &'static str {
    match (key, language) {
        (RequestProblem::MalformedJson, Language::Dutch) => "Het verzoek is geen geldige JSON.",
        (RequestProblem::MalformedJson, Language::English) => "The request is not valid JSON.",
        (RequestProblem::UnsupportedContentType, Language::Dutch) => {
            "Stuur het verzoek als application/json."
        }
        (RequestProblem::UnsupportedContentType, Language::English) => {
            "Send the request as application/json."
        }
        (RequestProblem::BadToken, Language::Dutch) => {
            "Je sleutel klopt niet of is verlopen. Log opnieuw in."
        }
        (RequestProblem::BadToken, Language::English) => {
            "Your token is invalid or expired. Please sign in again."
        }
        (RequestProblem::TooComplex, Language::Dutch) => {
            "Deze vraag is te groot. Vraag minder tegelijk, bijvoorbeeld met een kleinere first."
        }
        (RequestProblem::TooComplex, Language::English) => {
            "This query is too large. Ask for less at once, for example with a smaller first."
        }
        (RequestProblem::TooManyOperations, Language::Dutch) => {
            "Dit zijn te veel vragen in één keer. Stuur ze in kleinere groepen."
        }
        (RequestProblem::TooManyOperations, Language::English) => {
            "These are too many queries at once. Send them in smaller groups."
        }
        (RequestProblem::UnknownDocument, Language::Dutch) => {
            "De server kent deze vraag niet. Werk de app bij."
        }
        (RequestProblem::UnknownDocument, Language::English) => {
            "The server does not know this query. Please update the app."
        }
        (RequestProblem::MutationOverGet, Language::Dutch) => {
            "Een wijziging gaat alleen met POST, niet met GET."
        }
        (RequestProblem::MutationOverGet, Language::English) => "A change needs POST, not GET.",
        (RequestProblem::Timeout, Language::Dutch) => {
            "Dit duurde te lang. Probeer het zo nog eens."
        }
        (RequestProblem::Timeout, Language::English) => {
            "This took too long. Please try again in a moment."
        }
        (RequestProblem::SlowBody, Language::Dutch) => {
            "Het verzoek kwam niet op tijd binnen. Probeer het nog eens."
        }
        (RequestProblem::SlowBody, Language::English) => {
            "The request did not arrive in time. Please try again."
        }
        (RequestProblem::BodyTooLarge, Language::Dutch) => "Het verzoek is te groot.",
        (RequestProblem::BodyTooLarge, Language::English) => "The request is too large.",
        (RequestProblem::NotAcceptable, Language::Dutch) => {
            "De server kan alleen antwoorden in JSON."
        }
        (RequestProblem::NotAcceptable, Language::English) => "The server can only answer in JSON.",
        (RequestProblem::InvalidQuery, Language::Dutch) => "De vraag aan de server klopt niet.",
        (RequestProblem::InvalidQuery, Language::English) => {
            "The request to the server is not valid."
        }
    }
}

/// Request-level problems.
#[derive(Debug, Clone, Copy)]
pub enum RequestProblem {
    MalformedJson,
    UnsupportedContentType,
    BadToken,
    InvalidQuery,
    /// Deeper, wider or costlier than the limits (`QUERY_TOO_COMPLEX`).
    TooComplex,
    /// A batch with more operations than allowed.
    TooManyOperations,
    /// A document id the server does not know, or an unknown document where only trusted ones run.
    UnknownDocument,
    /// A mutation sent with GET.
    MutationOverGet,
    /// The request took longer than the server allows (`TIMEOUT`).
    Timeout,
    /// The body did not arrive in time.
    SlowBody,
    /// The body is larger than allowed.
    BodyTooLarge,
    /// The Accept header names no type the server answers with.
    NotAcceptable,
}

/// Pick the language from an `Accept-Language` header: the first of nl/en it names, else Dutch.
pub fn language_from_header(header: Option<&str>) -> Language {
    let Some(header) = header else {
        return Language::Dutch;
    };
    let mut best: Option<(f32, Language)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(language) = Language::parse(primary)
            && best.is_none_or(|(q, _)| quality > q)
        {
            best = Some((quality, language));
        }
    }
    best.map_or(Language::Dutch, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_unit_and_say_what_to_fill_in() {
        let long = FieldProblem::new("text", ProblemCode::TooLong { max: 5000 });
        assert_eq!(
            problem_message(&long, Language::Dutch),
            "De tekst is te lang. Gebruik hoogstens 5.000 tekens."
        );
        assert_eq!(
            problem_message(&long, Language::English),
            "The text is too long. Use at most 5,000 characters."
        );
        let theme = FieldProblem::new("theme", ProblemCode::Required);
        assert_eq!(
            problem_message(&theme, Language::Dutch),
            "Kies een onderwerp."
        );
        assert_eq!(format_count(120, Language::Dutch), "120");
        assert_eq!(format_count(1_234_567, Language::English), "1,234,567");
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(language_from_header(None), Language::Dutch);
        assert_eq!(language_from_header(Some("en")), Language::English);
        assert_eq!(
            language_from_header(Some("en-GB,en;q=0.9")),
            Language::English
        );
        assert_eq!(
            language_from_header(Some("de, en;q=0.5, nl;q=0.8")),
            Language::Dutch
        );
        assert_eq!(language_from_header(Some("fr")), Language::Dutch);
    }
}
