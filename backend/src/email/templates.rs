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
                "Fijn dat u meedoet met Buurtkracht. Klik op de knop om in te loggen.".to_owned(),
                format!("De link werkt {minutes_valid} minuten en maar één keer."),
                "Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail weggooien.".to_owned(),
            ],
            "Inloggen",
        ),
        (Language::Dutch, LinkReason::SignIn) => (
            "Uw link om in te loggen bij Buurtkracht".to_owned(),
            vec![
                format!("Hallo {display_name},"),
                "Klik op de knop om in te loggen bij Buurtkracht.".to_owned(),
                format!("De link werkt {minutes_valid} minuten en maar één keer."),
                "Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail weggooien.".to_owned(),
            ],
            "Inloggen",
        ),
        (Language::English, LinkReason::Welcome) => (
            "Welcome to Buurtkracht".to_owned(),
            vec![
                format!("Hello {display_name},"),
                "Good to have you on Buurtkracht. Press the button to sign in.".to_owned(),
                format!("The link works for {minutes_valid} minutes, and only once."),
                "Did you not ask for this? Then you can delete this e-mail.".to_owned(),
            ],
            "Sign in",
        ),
        (Language::English, LinkReason::SignIn) => (
            "Your link to sign in to Buurtkracht".to_owned(),
            vec![
                format!("Hello {display_name},"),
                "Press the button to sign in to Buurtkracht.".to_owned(),
                format!("The link works for {minutes_valid} minutes, and only once."),
                "Did you not ask for this? Then you can delete this e-mail.".to_owned(),
            ],
            "Sign in",
        ),
    };
    let text = format!("{}\n\n{button}: {link}\n", lines.join("\n\n"));
    let html = html_page(language, &lines, link, button);
    Email {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
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
            format!("Nieuws over het signaal \u{201c}{title}\u{201d}"),
            vec![
                "Hallo,".to_owned(),
                match news {
                    GrievanceNews::Acknowledged => format!(
                        "Een opbouwwerker heeft het signaal \u{201c}{title}\u{201d} gezien en reageert:"
                    ),
                    GrievanceNews::Resolved => {
                        format!("Het signaal \u{201c}{title}\u{201d} is opgelost. De reden:")
                    }
                    GrievanceNews::Closed => {
                        format!("Het signaal \u{201c}{title}\u{201d} is gesloten. De reden:")
                    }
                    GrievanceNews::Merged => format!(
                        "Het signaal \u{201c}{title}\u{201d} is samengevoegd met een signaal over hetzelfde. Uw steun telt daar mee. De reden:"
                    ),
                },
                reason.to_owned(),
                "U krijgt deze e-mail omdat u dit signaal meldde of steunde.".to_owned(),
            ],
            "Bekijk het signaal",
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
    let text = format!("{}\n\n{button}: {link}\n", lines.join("\n\n"));
    let html = html_page(language, &lines, link, button);
    Email {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
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
