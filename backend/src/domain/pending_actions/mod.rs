//! Act first, confirm by e-mail. A visitor does something (co-signs, raises a grievance, …) and
//! gives only a name and an e-mail address; the action is kept here as *pending*, and the link
//! in the e-mail confirms it: the account and the neighbourhood membership are made when there
//! are none, the action is carried out, and the person is signed in.
//!
//! - A pending action is never shown or counted anywhere: it lives only in this table, and the
//!   capability's own rows (a co-sign, a grievance) are written when it is confirmed.
//! - Unconfirmed actions expire after `TTL` and are deleted (`sweep_expired`, run by a job), so
//!   the name and address of someone who never confirmed do not stay.
//! - No enumeration: starting an action answers the same for known and unknown addresses; only
//!   the e-mail differs ("sign in to confirm" or "confirm and make your account").
//! - A link confirms once: two requests with the same link at the same moment carry out the
//!   action once (a conditional update decides which one wins).
//!
//! A capability adds a kind by implementing [`PendingKind`] and listing it in [`kinds::ALL`];
//! see the README ("Act first, confirm by e-mail").

pub mod kinds;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::backend_specific::is_unique_violation;
use crate::db::schema::pending_actions;
use crate::db::{DbConnection, write_transaction};
use crate::domain::accounts::model::EmailAddress;
use crate::domain::accounts::sessions::{
    self, DISPLAY_NAME_MAX, LinkContext, SessionGrant, link_limits,
};
use crate::domain::accounts::tokens::{hash_secret, random_secret};
use crate::domain::accounts::{Language, repo as accounts_repo};
use crate::domain::actor::PersonActor;
use crate::domain::text::checked_text;
use crate::domain::{
    DomainError, DomainResult, FieldProblem, ProblemCode, now, outbox, rate_limit,
};
use crate::email::templates::{Confirmer, confirm_action};

/// How long a pending action waits for its confirmation.
pub const TTL: TimeDelta = TimeDelta::hours(48);

/// A kind of pending action, registered by the capability that carries it out.
pub trait PendingKind: Sync {
    /// Stable name, stored with each action, e.g. `grievance.cosign`.
    fn name(&self) -> &'static str;

    /// What the person wanted to do, for the e-mail, in `language`; `subject` is what the
    /// capability passed to `start` (e.g. a grievance's title).
    fn describe(&self, language: Language, subject: &str) -> String;

    /// Carry out the action for `person`, inside the confirmation's transaction. The person is
    /// signed in by the link whether or not this succeeds; an error is shown to them.
    fn carry_out(
        &self,
        conn: &mut DbConnection,
        person: &PersonActor,
        payload: &Value,
        at: NaiveDateTime,
    ) -> DomainResult<Done>;
}

/// What a confirmed action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The page of the app that shows the result (e.g. the grievance), checked by
    /// `return_path::check` before it is handed out.
    pub return_path: String,
}

/// The name and address a visitor gives next to the action.
#[derive(Debug, Clone)]
pub struct Contact {
    pub email: String,
    pub display_name: String,
    pub language: Language,
}

/// A contact that passed its checks.
#[derive(Debug, Clone)]
pub struct CheckedContact {
    email: EmailAddress,
    display_name: Option<String>,
    language: Language,
}

impl Contact {
    /// Check the address and the name, adding problems to `problems` (so a capability reports
    /// them together with its own fields).
    pub fn check(&self, problems: &mut Vec<FieldProblem>) -> Option<CheckedContact> {
        // In the order of the form: the name, then the address.
        let before = problems.len();
        let name = checked_text(
            "displayName",
            &self.display_name,
            1,
            DISPLAY_NAME_MAX,
            false,
            problems,
        );
        let name_ok = problems.len() == before;
        let email = EmailAddress::parse(&self.email)
            .map_err(|p| problems.push(p))
            .ok();
        match email {
            Some(email) if name_ok => Some(CheckedContact {
                email,
                display_name: Some(name),
                language: self.language,
            }),
            _ => None,
        }
    }
}

impl CheckedContact {
    /// An address without a name: the person gives one when they confirm (a link request for
    /// an address that has no account).
    pub fn without_name(email: EmailAddress, language: Language) -> Self {
        Self {
            email,
            display_name: None,
            language,
        }
    }
}

/// Keep `payload` as a pending action of `kind` and queue the e-mail with its link. Answers the
/// same whether or not the address has an account. Rate limited like sign-in links.
pub fn start(
    conn: &mut DbConnection,
    kind: &'static dyn PendingKind,
    payload: &Value,
    subject: &str,
    contact: &CheckedContact,
    ctx: &LinkContext,
) -> DomainResult<()> {
    debug_assert!(kinds::find(kind.name()).is_some(), "kind is registered");
    write_transaction(conn, |conn| {
        let at = now();
        let buckets = link_limits(&contact.email, ctx);
        let borrowed: Vec<(&str, rate_limit::Limit)> =
            buckets.iter().map(|(b, l)| (b.as_str(), *l)).collect();
        rate_limit::hit(conn, &borrowed, at)?;
        let token = random_secret("");
        diesel::insert_into(pending_actions::table)
            .values((
                pending_actions::kind.eq(kind.name()),
                pending_actions::payload.eq(payload.to_string()),
                pending_actions::email.eq(contact.email.as_str()),
                pending_actions::display_name.eq(contact.display_name.as_deref()),
                pending_actions::language.eq(contact.language.as_str()),
                pending_actions::token_hash.eq(hash_secret(&token)),
                pending_actions::expires_at.eq(at + TTL),
                pending_actions::created_at.eq(at),
            ))
            .execute(conn)?;
        let link = confirm_link(&ctx.public_url, &token);
        let known = accounts_repo::find_by_email(conn, &contact.email)?.filter(|u| !u.deleted);
        let email = match (&known, &contact.display_name) {
            (Some(user), _) => confirm_action(
                &user.email,
                user.language,
                &user.display_name,
                &kind.describe(user.language, subject),
                &link,
                TTL.num_hours(),
                Confirmer::Known,
            ),
            (None, Some(name)) => confirm_action(
                contact.email.as_str(),
                contact.language,
                name,
                &kind.describe(contact.language, subject),
                &link,
                TTL.num_hours(),
                Confirmer::New,
            ),
            (None, None) => crate::email::templates::no_account_yet(
                contact.email.as_str(),
                contact.language,
                &link,
                TTL.num_hours(),
            ),
        };
        outbox::enqueue(conn, kind.name(), &email, at)?;
        Ok(())
    })
}

/// The page in the web app that a confirmation link opens.
pub fn confirm_link(public_url: &str, token: &str) -> String {
    format!(
        "{}/bevestig?token={token}",
        public_url.trim_end_matches('/')
    )
}

/// What a confirmation did.
#[derive(Debug)]
pub struct Confirmation {
    /// The new session: the link signed the person in.
    pub grant: SessionGrant,
    /// The kind of the action (`grievance.cosign`, …).
    pub kind: &'static str,
    /// Where to go now: the result, or `/` when it could not be done.
    pub return_path: String,
    /// Why the action could not be done (e.g. the grievance was closed meanwhile); the person
    /// is signed in all the same.
    pub problem: Option<DomainError>,
    /// Whether the account was made by this confirmation.
    pub new_account: bool,
}

/// The cause of a retry: another confirmation made the same account at the same moment.
const ACCOUNT_MADE_MEANWHILE: &str = "an account with this address was made meanwhile";

enum Outcome {
    Confirmed(Box<Confirmation>),
    Expired,
}

fn token_problem(code: ProblemCode) -> DomainError {
    DomainError::Validation(vec![FieldProblem::new("token", code)])
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// Confirm the pending action of `token`: make the account when there is none (with
/// `display_name` when the action has no name yet), carry the action out, sign in. Works once,
/// before the action expires; an expired action is deleted.
pub fn confirm(
    conn: &mut DbConnection,
    token: &str,
    display_name: Option<&str>,
) -> DomainResult<Confirmation> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Err(token_problem(ProblemCode::InvalidFormat));
    }
    let mut problems = Vec::new();
    let name = display_name
        .filter(|n| !n.trim().is_empty())
        .map(|n| checked_text("displayName", n, 1, DISPLAY_NAME_MAX, false, &mut problems));
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let hash = hash_secret(token);
    // Two first confirmations of one new address at once (two actions) may both try to make
    // the account on PostgreSQL; the loser tries again and finds it.
    let mut attempt = 0;
    loop {
        attempt += 1;
        match confirm_once(conn, &hash, name.as_deref()) {
            Err(DomainError::Internal(cause))
                if attempt == 1 && cause == ACCOUNT_MADE_MEANWHILE => {}
            Ok(Outcome::Confirmed(done)) => return Ok(*done),
            Ok(Outcome::Expired) => return Err(token_problem(ProblemCode::Expired)),
            Err(other) => return Err(other),
        }
    }
}

fn confirm_once(conn: &mut DbConnection, hash: &str, name: Option<&str>) -> DomainResult<Outcome> {
    write_transaction(conn, |conn| {
        let at = now();
        let row: Option<Row> = pending_actions::table
            .filter(pending_actions::token_hash.eq(hash))
            .select((
                pending_actions::id,
                pending_actions::kind,
                pending_actions::payload,
                pending_actions::email,
                pending_actions::display_name,
                pending_actions::language,
                pending_actions::expires_at,
                pending_actions::confirmed_at,
            ))
            .first(conn)
            .optional()?;
        let Some((id, kind_name, payload, email, stored_name, language, expires_at, confirmed)) =
            row
        else {
            return Err(token_problem(ProblemCode::InvalidFormat));
        };
        if confirmed.is_some() {
            return Err(token_problem(ProblemCode::AlreadyUsed));
        }
        if expires_at <= at {
            // Committed: the caller gets EXPIRED, and the name and address are gone.
            diesel::delete(pending_actions::table.find(id)).execute(conn)?;
            return Ok(Outcome::Expired);
        }
        // Conditional: of two uses of one link at the same moment, one wins.
        let won = diesel::update(
            pending_actions::table
                .find(id)
                .filter(pending_actions::confirmed_at.is_null()),
        )
        .set(pending_actions::confirmed_at.eq(at))
        .execute(conn)?;
        if won != 1 {
            return Err(token_problem(ProblemCode::AlreadyUsed));
        }
        let kind = kinds::find(&kind_name)
            .ok_or_else(|| DomainError::Internal(format!("unknown pending kind {kind_name}")))?;
        let address = EmailAddress::parse(&email).map_err(|p| DomainError::Validation(vec![p]))?;
        let language = Language::parse(&language).unwrap_or_default();
        let (user, new_account) = match accounts_repo::find_by_email(conn, &address)? {
            Some(user) if !user.deleted => (user, false),
            Some(_) => return Err(token_problem(ProblemCode::InvalidFormat)),
            None => {
                let Some(name) = stored_name.as_deref().or(name) else {
                    return Err(DomainError::Validation(vec![FieldProblem::new(
                        "displayName",
                        ProblemCode::Required,
                    )]));
                };
                let user = accounts_repo::insert_user(conn, &address, name, language, None, at)
                    .map_err(|e| {
                        if is_unique_violation(&e) {
                            DomainError::Internal(ACCOUNT_MADE_MEANWHILE.into())
                        } else {
                            e.into()
                        }
                    })?;
                (user, true)
            }
        };
        let person = PersonActor {
            id: user.id,
            is_admin: user.is_admin,
            session: None,
            memberships: None,
        };
        let payload: Value = serde_json::from_str(&payload)
            .map_err(|e| DomainError::Internal(format!("pending payload: {e}")))?;
        // A savepoint: when the action cannot be done any more, its own writes are undone,
        // but the account and the sign-in stay.
        let carried = write_transaction(conn, |conn| kind.carry_out(conn, &person, &payload, at));
        let (return_path, problem) = match carried {
            Ok(done) => match crate::domain::return_path::check("returnPath", &done.return_path) {
                Ok(path) => (path, None),
                Err(_) => ("/".to_owned(), None),
            },
            // Not the action's fault: undo everything, so that the link can be used again.
            Err(error @ (DomainError::Internal(_) | DomainError::Unavailable(_))) => {
                return Err(error);
            }
            Err(problem) => ("/".to_owned(), Some(problem)),
        };
        let grant = sessions::start_session_for(conn, user, at)?;
        Ok(Outcome::Confirmed(Box::new(Confirmation {
            grant,
            kind: kind.name(),
            return_path,
            problem,
            new_account,
        })))
    })
}

/// Delete pending actions whose time is up, confirmed or not (a job runs this). Returns how
/// many were deleted.
pub fn sweep_expired(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(pending_actions::table.filter(pending_actions::expires_at.le(at))).execute(conn)
}

/// Pending actions still waiting (for tests and the README's figures).
pub fn waiting_count(conn: &mut DbConnection) -> QueryResult<i64> {
    pending_actions::table
        .filter(pending_actions::confirmed_at.is_null())
        .count()
        .get_result(conn)
}
