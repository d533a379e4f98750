//! Message texts in the recipient's language: plain Dutch (B1) and plain English, as text and
//! as simple HTML.

use super::Email;
use crate::domain::accounts::Language;

/// Escape text for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn html_page(language: Language, paragraphs: &[String], link: &str, button: &str) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape_html(p)))
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family: sans-serif; font-size: 16px; line-height: 1.5\">\n{body}\
         <p><a href=\"{href}\" style=\"display: inline-block; padding: 12px 20px; background: #1d5e3a; color: #ffffff; text-decoration: none; border-radius: 6px\">{button}</a></p>\n\
         <p style=\"font-size: 14px\">{href_text}</p>\n</body></html>\n",
        lang = language.as_str(),
        href = escape_html(link),
        href_text = escape_html(link),
        button = escape_html(button),
    )
}

/// Why a sign-in link is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkReason {
    /// A new account: welcome.
    Welcome,
    /// Someone asked for a link (or registered again with a known address).
    SignIn,
}

fn message(
    to: &str,
    language: Language,
    subject: String,
    lines: Vec<String>,
    button: &str,
    link: &str,
) -> Email {
    let text = format!("{}\n\n{button}: {link}\n", lines.join("\n\n"));
    let html = html_page(language, &lines, link, button);
    Email {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

/// The message with a one-time sign-in link.
pub fn sign_in_link(
    to: &str,
    language: Language,
    display_name: &str,
    link: &str,
    minutes_valid: i64,
    reason: LinkReason,
) -> Email {
    let (subject, lines, button) = match (language, reason) {
        (Language::Dutch, LinkReason::Welcome) => (
            "Welkom bij Buurtkracht".to_owned(),
            vec![
                format!("Hallo {display_name},"),
                "Fijn dat je meedoet met Buurtkracht. Met de link hieronder log je in.".to_owned(),
                format!("De link werkt {minutes_valid} minuten en maar één keer."),
                "Heb je dit niet zelf gevraagd? Dan kun je deze e-mail weggooien.".to_owned(),
            ],
            "Inloggen",
        ),
        (Language::Dutch, LinkReason::SignIn) => (
            "Je link om in te loggen bij Buurtkracht".to_owned(),
            vec![
                format!("Hallo {display_name},"),
                "Met de link hieronder log je in bij Buurtkracht.".to_owned(),
                format!("De link werkt {minutes_valid} minuten en maar één keer."),
                "Heb je dit niet zelf gevraagd? Dan kun je deze e-mail weggooien.".to_owned(),
            ],
            "Inloggen",
        ),
        (Language::English, LinkReason::Welcome) => (
            "Welcome to Buurtkracht".to_owned(),
            vec![
                format!("Hello {display_name},"),
                "Good to have you on Buurtkracht. The link below signs you in.".to_owned(),
                format!("The link works for {minutes_valid} minutes, and only once."),
                "Did you not ask for this? Then you can delete this e-mail.".to_owned(),
            ],
            "Sign in",
        ),
        (Language::English, LinkReason::SignIn) => (
            "Your link to sign in to Buurtkracht".to_owned(),
            vec![
                format!("Hello {display_name},"),
                "The link below signs you in to Buurtkracht.".to_owned(),
                format!("The link works for {minutes_valid} minutes, and only once."),
                "Did you not ask for this? Then you can delete this e-mail.".to_owned(),
            ],
            "Sign in",
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// The answer to a link request for an address without an account: no dead end, a link that
/// makes one. (The screen said the same as for a known address.)
pub fn no_account_yet(to: &str, language: Language, link: &str, hours_valid: i64) -> Email {
    let (subject, lines, button) = match language {
        Language::Dutch => (
            "Je hebt nog geen account bij Buurtkracht".to_owned(),
            vec![
                "Hallo,".to_owned(),
                "Je vroeg een link om in te loggen bij Buurtkracht. Met dit e-mailadres is nog geen account.".to_owned(),
                "Wil je meedoen? Met de link hieronder maak je een account. Je hebt geen wachtwoord nodig.".to_owned(),
                format!("De link werkt {hours_valid} uur en maar één keer."),
                "Heb je dit niet zelf gevraagd? Dan hoef je niets te doen.".to_owned(),
            ],
            "Account maken",
        ),
        Language::English => (
            "You do not have an account on Buurtkracht yet".to_owned(),
            vec![
                "Hello,".to_owned(),
                "You asked for a link to sign in to Buurtkracht. There is no account with this e-mail address yet.".to_owned(),
                "Do you want to join? The link below makes an account. You do not need a password.".to_owned(),
                format!("The link works for {hours_valid} hours, and only once."),
                "Did you not ask for this? Then you do not need to do anything.".to_owned(),
            ],
            "Make an account",
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// Whether the person confirming an action already has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmer {
    /// Known address: the link signs them in and does it.
    Known,
    /// Unknown address: the link makes the account and does it.
    New,
}

/// The message that confirms an action a visitor did (a co-sign, a new grievance): `what` says
/// what, in the recipient's language (e.g. "ik ook zeggen bij de melding “…”").
pub fn confirm_action(
    to: &str,
    language: Language,
    display_name: &str,
    what: &str,
    link: &str,
    hours_valid: i64,
    confirmer: Confirmer,
) -> Email {
    let (subject, lines, button) = match (language, confirmer) {
        (Language::Dutch, confirmer) => (
            "Bevestig wat je deed op Buurtkracht".to_owned(),
            vec![
                format!("Hallo {display_name},"),
                format!("Je wilde dit doen: {what}."),
                match confirmer {
                    Confirmer::New => "Met de link hieronder bevestig je het. We maken dan ook je account. Je hebt geen wachtwoord nodig.".to_owned(),
                    Confirmer::Known => "Je hebt al een account. Met de link hieronder log je in en bevestig je het.".to_owned(),
                },
                format!("De link werkt {hours_valid} uur en maar één keer. Pas dan telt het mee."),
                "Heb je dit niet zelf gedaan? Dan hoef je niets te doen. Er gebeurt dan niets.".to_owned(),
            ],
            match confirmer {
                Confirmer::New => "Bevestigen en account maken",
                Confirmer::Known => "Inloggen en bevestigen",
            },
        ),
        (Language::English, confirmer) => (
            "Confirm what you did on Buurtkracht".to_owned(),
            vec![
                format!("Hello {display_name},"),
                format!("You wanted to do this: {what}."),
                match confirmer {
                    Confirmer::New => "The link below confirms it. It also makes your account. You do not need a password.".to_owned(),
                    Confirmer::Known => "You already have an account. The link below signs you in and confirms it.".to_owned(),
                },
                format!("The link works for {hours_valid} hours, and only once. Only then does it count."),
                "Did you not do this? Then you do not need to do anything. Nothing will happen.".to_owned(),
            ],
            match confirmer {
                Confirmer::New => "Confirm and make my account",
                Confirmer::Known => "Sign in and confirm",
            },
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// What happened to a grievance, for the message to its author and co-signers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrievanceNews {
    Acknowledged,
    Resolved,
    Closed,
    /// Folded into another grievance about the same thing.
    Merged,
}

/// The message about a status change of a grievance. Never names who raised it: the
/// recipients include co-signers, and the author may have chosen not to show their name.
pub fn grievance_news(
    to: &str,
    language: Language,
    title: &str,
    news: GrievanceNews,
    reason: &str,
    link: &str,
) -> Email {
    let (subject, lines, button) = match language {
        Language::Dutch => (
            format!("Nieuws over de melding \u{201c}{title}\u{201d}"),
            vec![
                "Hallo,".to_owned(),
                match news {
                    GrievanceNews::Acknowledged => format!(
                        "Een opbouwwerker heeft de melding \u{201c}{title}\u{201d} gezien en reageert:"
                    ),
                    GrievanceNews::Resolved => {
                        format!("De melding \u{201c}{title}\u{201d} is opgelost. De reden:")
                    }
                    GrievanceNews::Closed => {
                        format!("De melding \u{201c}{title}\u{201d} is gesloten. De reden:")
                    }
                    GrievanceNews::Merged => format!(
                        "De melding \u{201c}{title}\u{201d} is samengevoegd met een melding over hetzelfde. Je steun telt daar mee. De reden:"
                    ),
                },
                reason.to_owned(),
                "Je krijgt deze e-mail omdat je deze melding deed of \u{201c}ik ook\u{201d} zei."
                    .to_owned(),
            ],
            "Bekijk de melding",
        ),
        Language::English => (
            format!("News about the grievance \u{201c}{title}\u{201d}"),
            vec![
                "Hello,".to_owned(),
                match news {
                    GrievanceNews::Acknowledged => format!(
                        "An organiser has seen the grievance \u{201c}{title}\u{201d} and responds:"
                    ),
                    GrievanceNews::Resolved => {
                        format!("The grievance \u{201c}{title}\u{201d} is resolved. The reason:")
                    }
                    GrievanceNews::Closed => {
                        format!("The grievance \u{201c}{title}\u{201d} is closed. The reason:")
                    }
                    GrievanceNews::Merged => format!(
                        "The grievance \u{201c}{title}\u{201d} was merged with a grievance about the same thing. Your support counts there. The reason:"
                    ),
                },
                reason.to_owned(),
                "You get this e-mail because you raised or co-signed this grievance.".to_owned(),
            ],
            "See the grievance",
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// The invitation to join a campaign, for the people who raised or co-signed one of its
/// grievances. Never names who raised it (see `grievance_news`).
pub fn campaign_invitation(
    to: &str,
    language: Language,
    campaign: &str,
    grievance: &str,
    link: &str,
) -> Email {
    let (subject, lines, button) = match language {
        Language::Dutch => (
            format!("Doe mee met de actie \u{201c}{campaign}\u{201d}"),
            vec![
                "Hallo,".to_owned(),
                format!(
                    "De melding \u{201c}{grievance}\u{201d} hoort nu bij een actie: \u{201c}{campaign}\u{201d}."
                ),
                "Bewoners werken samen aan een plan met duidelijke doelen.".to_owned(),
                "Doe mee en maak samen de buurt beter.".to_owned(),
                "Je krijgt deze e-mail omdat je deze melding deed of \u{201c}ik ook\u{201d} zei."
                    .to_owned(),
            ],
            "Bekijk de actie",
        ),
        Language::English => (
            format!("Join the campaign \u{201c}{campaign}\u{201d}"),
            vec![
                "Hello,".to_owned(),
                format!(
                    "The grievance \u{201c}{grievance}\u{201d} is now part of a campaign: \u{201c}{campaign}\u{201d}."
                ),
                "Residents work together on a plan with clear goals.".to_owned(),
                "Join in and make the neighbourhood better together.".to_owned(),
                "You get this e-mail because you raised or co-signed this grievance.".to_owned(),
            ],
            "See the campaign",
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// The warning to the owner of an address whose password is being guessed at (many wrong
/// passwords in a short time): their own password still works, and the sign-in page (`link`)
/// also offers a link by e-mail.
pub fn password_guessing(to: &str, language: Language, display_name: &str, link: &str) -> Email {
    let (subject, lines, button) = match language {
        Language::Dutch => (
            "Iemand probeert in te loggen met jouw e-mailadres".to_owned(),
            vec![
                format!("Hallo {display_name},"),
                "Iemand probeerde vaak in te loggen op je account bij Buurtkracht. Het wachtwoord was steeds fout.".to_owned(),
                "Daarom moet elke nieuwe poging nu even wachten.".to_owned(),
                "Je eigen wachtwoord werkt nog gewoon. Je kunt dus inloggen zoals altijd.".to_owned(),
                "Lukt dat niet? Vraag dan een link om in te loggen. Daarvoor heb je geen wachtwoord nodig.".to_owned(),
                "Was jij dit zelf? Dan hoef je niets te doen. Denk je dat iemand je wachtwoord kent? Kies dan een nieuw wachtwoord.".to_owned(),
                "Deze e-mail krijg je hooguit één keer per uur.".to_owned(),
            ],
            "Naar inloggen",
        ),
        Language::English => (
            "Someone is trying to sign in with your e-mail address".to_owned(),
            vec![
                format!("Hello {display_name},"),
                "Someone tried many times to sign in to your Buurtkracht account. Each time the password was wrong.".to_owned(),
                "So each new try now has to wait a little.".to_owned(),
                "Your own password still works. You can sign in as usual.".to_owned(),
                "Does that not work? Then ask for a link to sign in. You do not need a password for that.".to_owned(),
                "Was this you? Then you do not need to do anything. Do you think someone knows your password? Then choose a new one.".to_owned(),
                "You get this e-mail at most once an hour.".to_owned(),
            ],
            "Go to sign in",
        ),
    };
    message(to, language, subject, lines, button, link)
}

/// Stands for a value (a name, a title) in `samples`: the plain-language check skips it.
pub const SAMPLE_VALUE: &str = "\u{27e8}v\u{27e9}";

/// Every message in both languages, with stand-in values, as (language, source, text): what the
/// plain-language check scores (`buurtkracht texts`).
pub fn samples() -> Vec<(Language, &'static str, String)> {
    let v = SAMPLE_VALUE;
    let link = "https://buurtkracht.example/x";
    let mut out = Vec::new();
    for language in [Language::Dutch, Language::English] {
        let mut emails = vec![
            (
                "email.sign_in_link.welcome",
                sign_in_link(v, language, v, link, 15, LinkReason::Welcome),
            ),
            (
                "email.sign_in_link.sign_in",
                sign_in_link(v, language, v, link, 15, LinkReason::SignIn),
            ),
            (
                "email.no_account_yet",
                no_account_yet(v, language, link, 48),
            ),
            (
                "email.password_guessing",
                password_guessing(v, language, v, link),
            ),
        ];
        for kind in crate::domain::pending_actions::kinds::ALL {
            let what = kind.describe(language, v);
            for confirmer in [Confirmer::New, Confirmer::Known] {
                emails.push((
                    "email.confirm_action",
                    confirm_action(v, language, v, &what, link, 48, confirmer),
                ));
            }
        }
        for news in [
            GrievanceNews::Acknowledged,
            GrievanceNews::Resolved,
            GrievanceNews::Closed,
            GrievanceNews::Merged,
        ] {
            emails.push((
                "email.grievance_news",
                grievance_news(v, language, v, news, v, link),
            ));
        }
        emails.push((
            "email.campaign_invitation",
            campaign_invitation(v, language, v, v, link),
        ));
        for (source, email) in emails {
            out.push((language, source, email.subject));
            out.push((language, source, email.text));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_but_not_in_text() {
        let email = sign_in_link(
            "a@example.org",
            Language::English,
            "<script>x</script>",
            "https://example.org/sign-in?token=abc",
            15,
            LinkReason::SignIn,
        );
        assert!(email.html.contains("&lt;script&gt;"));
        assert!(!email.html.contains("<script>"));
        assert!(email.text.contains("<script>x</script>"));
        assert!(email.text.contains("https://example.org/sign-in?token=abc"));
    }

    #[test]
    fn dutch_and_english_texts_differ() {
        let nl = sign_in_link(
            "a@b.nl",
            Language::Dutch,
            "An",
            "https://x/sign-in?token=t",
            15,
            LinkReason::Welcome,
        );
        let en = sign_in_link(
            "a@b.nl",
            Language::English,
            "An",
            "https://x/sign-in?token=t",
            15,
            LinkReason::Welcome,
        );
        assert_eq!(nl.subject, "Welkom bij Buurtkracht");
        assert_eq!(en.subject, "Welcome to Buurtkracht");
        assert!(nl.html.contains("lang=\"nl\""));
    }
}
