//! E-mail: the mailer (SMTP, or a file outbox of `.eml` files) and the message templates.
//! Messages are never sent from a request: they are stored in the outbox in the same
//! transaction as the change that causes them, and `jobs::outbox` delivers them.

pub mod templates;

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server (`BUURTKRACHT_SMTP_URL`, lettre's URL form).
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// One `.eml` file per message in a folder (the default in embedded mode).
    Files { dir: PathBuf, from: Mailbox },
}

impl Mailer {
    /// A mailer for an SMTP URL such as `smtp://user:pass@host:587?tls=required`.
    pub fn smtp(url: &str, from: Mailbox) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("is not an SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Self::Smtp { transport, from })
    }

    /// A mailer that writes `.eml` files into `dir` (created when missing).
    pub fn files(dir: PathBuf, from: Mailbox) -> Self {
        Self::Files { dir, from }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Smtp { from, .. } | Self::Files { from, .. } => from,
        }
    }

    /// Build the MIME message (text and HTML alternatives) for outbox message `id`.
    pub fn build(&self, id: i64, email: &Email) -> Result<Message, String> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e| format!("bad recipient {:?}: {e}", email.to))?;
        let domain = self.from().email.domain().to_owned();
        Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<outbox-{id}@{domain}>")))
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| format!("cannot build message: {e}"))
    }

    /// Deliver outbox message `id`. Writing the same id twice to the file outbox replaces the
    /// file, so a retry never makes a second copy.
    pub async fn send(&self, id: i64, email: &Email) -> Result<(), String> {
        let message = self.build(id, email)?;
        match self {
            Self::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| format!("SMTP: {e}")),
            Self::Files { dir, .. } => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || -> Result<(), String> {
                    std::fs::create_dir_all(&dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    let partial = dir.join(format!(".{id}.eml.partial"));
                    let done = dir.join(format!("{id:08}.eml"));
                    std::fs::write(&partial, bytes)
                        .and_then(|()| std::fs::rename(&partial, &done))
                        .map_err(|e| format!("cannot write {}: {e}", done.display()))
                })
                .await
                .map_err(|e| e.to_string())?
            }
        }
    }
}
