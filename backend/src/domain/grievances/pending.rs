//! Act first for visitors: co-sign or raise a grievance with only a name and an e-mail
//! address. The action waits in `pending_actions` (never shown, never counted) until the link
//! in the e-mail confirms it; then it is carried out as if the person had been signed in, and
//! they become a member of the neighbourhood.

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::model::RaiseGrievance;
use super::repo;
use super::service::{self, check_raise, cosign_as, insert_raised};
use crate::db::DbConnection;
use crate::domain::accounts::Language;
use crate::domain::accounts::sessions::LinkContext;
use crate::domain::actor::PersonActor;
use crate::domain::ids::{GrievanceId, NeighbourhoodId};
use crate::domain::pending_actions::{self, Contact, Done, PendingKind};
use crate::domain::{DomainError, DomainResult, FieldProblem, ProblemCode};

/// A co-sign that waits for its e-mail confirmation. Payload: `{"grievance": id}`.
pub struct Cosign;
/// The one `Cosign`.
pub static COSIGN: Cosign = Cosign;

/// A new grievance that waits for its e-mail confirmation. Payload: the checked form.
pub struct Raise;
/// The one `Raise`.
pub static RAISE: Raise = Raise;

fn not_found() -> DomainError {
    DomainError::NotFound {
        entity: "grievance",
    }
}

/// Co-sign as a visitor: check what can be checked now (the grievance exists and can be
/// co-signed, the name and address), keep it pending, send the link. The answer is the same
/// for known and unknown addresses (co-signing your own grievance is refused when confirmed).
pub fn cosign_by_email(
    conn: &mut DbConnection,
    id: GrievanceId,
    contact: &Contact,
    ctx: &LinkContext,
) -> DomainResult<()> {
    let grievance = repo::find(conn, id)?.ok_or_else(not_found)?;
    let mut problems = Vec::new();
    let checked = contact.check(&mut problems);
    let Some(checked) = checked.filter(|_| problems.is_empty()) else {
        return Err(DomainError::Validation(problems));
    };
    if !grievance.status.is_active() {
        return Err(DomainError::Conflict(vec![FieldProblem::new(
            "status",
            ProblemCode::InvalidTransition,
        )]));
    }
    pending_actions::start(
        conn,
        &COSIGN,
        &json!({ "grievance": id.0 }),
        &grievance.title,
        &checked,
        ctx,
    )
}

/// Raise as a visitor: the whole form is checked now, so the person fixes mistakes before the
/// e-mail goes out; it is kept pending and raised when the link is used.
pub fn raise_by_email(
    conn: &mut DbConnection,
    form: &RaiseGrievance,
    contact: &Contact,
    ctx: &LinkContext,
) -> DomainResult<()> {
    let mut problems = Vec::new();
    let checked = check_raise(conn, form, &mut problems)?;
    let contact = contact.check(&mut problems);
    let (Some(checked), Some(contact)) = (checked, contact) else {
        return Err(DomainError::Validation(problems));
    };
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let form = checked.form();
    let payload = json!({
        "neighbourhood": form.neighbourhood.0,
        "title": form.title,
        "text": form.text,
        "theme": form.theme,
        "location": form.location.map(|(lat, lon)| json!({ "lat": lat, "lon": lon })),
        "showName": form.show_name,
    });
    pending_actions::start(conn, &RAISE, &payload, checked.title(), &contact, ctx)
}

fn payload_problem(what: &str) -> DomainError {
    DomainError::Internal(format!("pending grievance action without {what}"))
}

impl PendingKind for Cosign {
    fn name(&self) -> &'static str {
        "grievance.cosign"
    }

    fn describe(&self, language: Language, title: &str) -> String {
        match language {
            Language::Dutch => {
                format!("\u{201c}ik ook\u{201d} zeggen bij de melding \u{201c}{title}\u{201d}")
            }
            Language::English => {
                format!("say \u{201c}me too\u{201d} to the grievance \u{201c}{title}\u{201d}")
            }
        }
    }

    fn carry_out(
        &self,
        conn: &mut DbConnection,
        person: &PersonActor,
        payload: &Value,
        at: NaiveDateTime,
    ) -> DomainResult<Done> {
        let id = GrievanceId(
            payload["grievance"]
                .as_i64()
                .ok_or_else(|| payload_problem("a grievance"))?,
        );
        cosign_as(conn, person.id, id, at)?;
        Ok(Done {
            return_path: service::path(id),
        })
    }
}

impl PendingKind for Raise {
    fn name(&self) -> &'static str {
        "grievance.raise"
    }

    fn describe(&self, language: Language, title: &str) -> String {
        match language {
            Language::Dutch => format!("de melding \u{201c}{title}\u{201d} doen"),
            Language::English => format!("raise the grievance \u{201c}{title}\u{201d}"),
        }
    }

    fn carry_out(
        &self,
        conn: &mut DbConnection,
        person: &PersonActor,
        payload: &Value,
        at: NaiveDateTime,
    ) -> DomainResult<Done> {
        let text = |key: &str| -> DomainResult<String> {
            payload[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| payload_problem(key))
        };
        let form = RaiseGrievance {
            neighbourhood: NeighbourhoodId(
                payload["neighbourhood"]
                    .as_i64()
                    .ok_or_else(|| payload_problem("a neighbourhood"))?,
            ),
            title: text("title")?,
            text: text("text")?,
            theme: text("theme")?,
            location: payload["location"]
                .as_object()
                .and_then(|p| Some((p.get("lat")?.as_f64()?, p.get("lon")?.as_f64()?))),
            show_name: payload["showName"].as_bool().unwrap_or(false),
        };
        // Checked again: a theme or the area may have changed in the meantime.
        let mut problems = Vec::new();
        let checked = check_raise(conn, &form, &mut problems)?;
        let Some(checked) = checked.filter(|_| problems.is_empty()) else {
            return Err(DomainError::Validation(problems));
        };
        let id = insert_raised(conn, person.id, &checked, at)?;
        Ok(Done {
            return_path: service::path(id),
        })
    }
}
