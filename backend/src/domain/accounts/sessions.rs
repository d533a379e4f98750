//! Sign-in by one-time link, sessions with rotating refresh tokens, sign-out.
//!
//! Links and refresh tokens are random and stored only as SHA-256. Asking for a link answers
//! the same whether or not the address is known. Presenting a refresh token that was already
//! used revokes its whole family (someone copied it).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::model::{EmailAddress, Language, User, UserRow};
use super::repo;
use super::tokens::{hash_secret, random_secret};
use crate::db::schema::{refresh_tokens, sign_in_links, users};
use crate::db::{DbConnection, write_transaction};
use crate::domain::ids::UserId;
use crate::domain::outbox;
use crate::domain::rate_limit::{self, LINKS_PER_ADDRESS, LINKS_PER_IP};
use crate::domain::text::checked_text;
use crate::domain::{
    Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now, pending_actions, return_path,
};
use crate::email::templates::{LinkReason, sign_in_link};

/// How long a sign-in link works.
pub const LINK_TTL: TimeDelta = TimeDelta::minutes(15);
/// How long a refresh token works (each use gives a new one).
pub const REFRESH_TTL: TimeDelta = TimeDelta::days(30);
/// Longest display name.
pub const DISPLAY_NAME_MAX: usize = 60;

/// Where a link request comes from.
#[derive(Debug, Clone)]
pub struct LinkContext {
    /// `BUURTKRACHT_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
    /// The client's IP address, for rate limits.
    pub client_ip: Option<String>,
    /// How many mails with a link one IP address may ask for per hour.
    pub links_per_ip_hour: i64,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: String,
    pub display_name: String,
    pub language: Language,
    /// The page to come back to after signing in with the link.
    pub return_path: Option<String>,
}

/// A started or refreshed session: give `refresh_token` to the client once.
#[derive(Debug, Clone)]
pub struct SessionGrant {
    pub user: User,
    pub session: String,
    pub refresh_token: String,
    /// Where to go after signing in with a link (a page of the app), when the link has one.
    pub return_path: Option<String>,
}

/// The rate-limit buckets of a mail with a link to `email` (per address, per client IP).
pub(crate) fn link_limits(
    email: &EmailAddress,
    ctx: &LinkContext,
) -> Vec<(String, rate_limit::Limit)> {
    let mut buckets = vec![(
        format!("link:address:{}", email.as_str()),
        LINKS_PER_ADDRESS,
    )];
    if let Some(ip) = &ctx.client_ip {
        let limit = rate_limit::Limit {
            max: ctx.links_per_ip_hour,
            ..LINKS_PER_IP
        };
        buckets.push((format!("link:ip:{ip}"), limit));
    }
    buckets
}

fn apply_limits(
    conn: &mut DbConnection,
    buckets: &[(String, rate_limit::Limit)],
    at: NaiveDateTime,
) -> DomainResult<()> {
    let borrowed: Vec<(&str, rate_limit::Limit)> =
        buckets.iter().map(|(b, l)| (b.as_str(), *l)).collect();
    rate_limit::hit(conn, &borrowed, at)
}

/// Store a new link for `user` (with the page to come back to) and queue the e-mail that
/// carries it.
fn send_link(
    conn: &mut DbConnection,
    user: &User,
    reason: LinkReason,
    return_path: Option<&str>,
    ctx: &LinkContext,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let token = random_secret("");
    diesel::insert_into(sign_in_links::table)
        .values((
            sign_in_links::user_id.eq(user.id.0),
            sign_in_links::token_hash.eq(hash_secret(&token)),
            sign_in_links::expires_at.eq(at + LINK_TTL),
            sign_in_links::created_at.eq(at),
            sign_in_links::return_path.eq(return_path),
        ))
        .execute(conn)?;
    let link = format!("{}/sign-in?token={token}", ctx.public_url);
    let email = sign_in_link(
        &user.email,
        user.language,
        &user.display_name,
        &link,
        LINK_TTL.num_minutes(),
        reason,
    );
    outbox::enqueue(conn, "sign_in_link", &email, at)
}

/// Register, or, for a known address, send a sign-in link: the answer is the same either way.
pub fn register(
    conn: &mut DbConnection,
    input: Registration,
    ctx: &LinkContext,
) -> DomainResult<()> {
    let mut problems = Vec::new();
    let email = EmailAddress::parse(&input.email)
        .map_err(|p| problems.push(p))
        .ok();
    let name = checked_text(
        "displayName",
        &input.display_name,
        1,
        DISPLAY_NAME_MAX,
        false,
        &mut problems,
    );
    let return_path =
        return_path::check_optional("returnPath", input.return_path.as_deref(), &mut problems);
    let Some(email) = email.filter(|_| problems.is_empty()) else {
        return Err(DomainError::Validation(problems));
    };
    let back = return_path.as_deref();
    write_transaction(conn, |conn| {
        let at = now();
        apply_limits(conn, &link_limits(&email, ctx), at)?;
        match repo::find_by_email(conn, &email)? {
            Some(user) if user.deleted => {}
            Some(user) => send_link(conn, &user, LinkReason::SignIn, back, ctx, at)?,
            None => {
                let user = repo::insert_user(conn, &email, &name, input.language, None, at)?;
                send_link(conn, &user, LinkReason::Welcome, back, ctx, at)?;
            }
        }
        Ok(())
    })
}

/// Send a sign-in link when the address is known. For an unknown address, send a mail that says
/// so and offers a link that makes the account (a pending `account.create`, in `language`).
/// The answer is the same either way.
pub fn request_link(
    conn: &mut DbConnection,
    email: &str,
    return_path: Option<&str>,
    language: Language,
    ctx: &LinkContext,
) -> DomainResult<()> {
    let mut problems = Vec::new();
    let email = EmailAddress::parse(email)
        .map_err(|p| problems.push(p))
        .ok();
    let return_path = return_path::check_optional("returnPath", return_path, &mut problems);
    let Some(email) = email.filter(|_| problems.is_empty()) else {
        return Err(DomainError::Validation(problems));
    };
    write_transaction(conn, |conn| {
        let at = now();
        match repo::find_by_email(conn, &email)?.filter(|u| !u.deleted) {
            Some(user) => {
                apply_limits(conn, &link_limits(&email, ctx), at)?;
                send_link(
                    conn,
                    &user,
                    LinkReason::SignIn,
                    return_path.as_deref(),
                    ctx,
                    at,
                )?;
            }
            None => {
                let contact = pending_actions::CheckedContact::without_name(email, language);
                let payload = serde_json::json!({ "returnPath": return_path });
                // Rate limited there, with the same buckets.
                pending_actions::start(
                    conn,
                    &pending_actions::kinds::CREATE_ACCOUNT,
                    &payload,
                    "",
                    &contact,
                    ctx,
                )?;
            }
        }
        Ok(())
    })
}

fn token_problem(code: ProblemCode) -> DomainError {
    DomainError::Validation(vec![FieldProblem::new("token", code)])
}

/// Start a session for `user` (call inside a write transaction).
pub(crate) fn start_session_for(
    conn: &mut DbConnection,
    user: User,
    at: NaiveDateTime,
) -> DomainResult<SessionGrant> {
    let (session, refresh_token) = start_session(conn, user.id, at)?;
    Ok(SessionGrant {
        user,
        session,
        refresh_token,
        return_path: None,
    })
}

/// Start a session with a new refresh-token family.
fn start_session(
    conn: &mut DbConnection,
    user: UserId,
    at: NaiveDateTime,
) -> QueryResult<(String, String)> {
    let family = random_secret("");
    let refresh = store_refresh_token(conn, user, &family, at)?;
    Ok((family, refresh))
}

fn store_refresh_token(
    conn: &mut DbConnection,
    user: UserId,
    family: &str,
    at: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_secret("bk_refresh_");
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user.0),
            refresh_tokens::family.eq(family),
            refresh_tokens::token_hash.eq(hash_secret(&token)),
            refresh_tokens::expires_at.eq(at + REFRESH_TTL),
            refresh_tokens::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn user_by_id(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id.0)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Into::into))
}

/// Use a sign-in link (once, within its time) and start a session.
pub fn sign_in_with_link(conn: &mut DbConnection, token: &str) -> DomainResult<SessionGrant> {
    if token.is_empty() || token.len() > 200 {
        return Err(token_problem(ProblemCode::InvalidFormat));
    }
    let hash = hash_secret(token.trim());
    write_transaction(conn, |conn| {
        let at = now();
        type LinkRow = (
            i64,
            i64,
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<String>,
        );
        let link: Option<LinkRow> = sign_in_links::table
            .filter(sign_in_links::token_hash.eq(&hash))
            .select((
                sign_in_links::id,
                sign_in_links::user_id,
                sign_in_links::expires_at,
                sign_in_links::used_at,
                sign_in_links::return_path,
            ))
            .first(conn)
            .optional()?;
        let Some((id, user_id, expires_at, used_at, back)) = link else {
            return Err(token_problem(ProblemCode::InvalidFormat));
        };
        if used_at.is_some() {
            return Err(token_problem(ProblemCode::AlreadyUsed));
        }
        if expires_at <= at {
            return Err(token_problem(ProblemCode::Expired));
        }
        // Conditional: two simultaneous uses of one link cannot both win.
        let won = diesel::update(
            sign_in_links::table
                .find(id)
                .filter(sign_in_links::used_at.is_null()),
        )
        .set(sign_in_links::used_at.eq(at))
        .execute(conn)?;
        if won != 1 {
            return Err(token_problem(ProblemCode::AlreadyUsed));
        }
        let user = user_by_id(conn, UserId(user_id))?
            .filter(|u| !u.deleted)
            .ok_or_else(|| token_problem(ProblemCode::InvalidFormat))?;
        let grant = start_session_for(conn, user, at)?;
        // Checked again: only ever a page of the app.
        let return_path = back.and_then(|b| return_path::check("returnPath", &b).ok());
        Ok(SessionGrant {
            return_path,
            ..grant
        })
    })
}

enum Refreshed {
    Granted(SessionGrant),
    Refused,
}

/// Exchange a refresh token for a new one (rotation). A token presented twice revokes its whole
/// family, so a stolen copy stops working for both holders.
pub fn refresh(conn: &mut DbConnection, refresh_token: &str) -> DomainResult<SessionGrant> {
    if refresh_token.len() > 200 {
        return Err(DomainError::Unauthenticated);
    }
    let hash = hash_secret(refresh_token.trim());
    let outcome = write_transaction(conn, |conn| -> DomainResult<Refreshed> {
        let at = now();
        type Row = (
            i64,
            i64,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<NaiveDateTime>,
        );
        let row: Option<Row> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((
                refresh_tokens::id,
                refresh_tokens::user_id,
                refresh_tokens::family,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
                refresh_tokens::revoked_at,
            ))
            .first(conn)
            .optional()?;
        let Some((id, user_id, family, expires_at, used_at, revoked_at)) = row else {
            return Ok(Refreshed::Refused);
        };
        if used_at.is_some() && revoked_at.is_none() {
            revoke_family(conn, &family, at)?;
            tracing::warn!(
                user_id,
                "a used refresh token was presented again; session revoked"
            );
            return Ok(Refreshed::Refused);
        }
        if revoked_at.is_some() || expires_at <= at {
            return Ok(Refreshed::Refused);
        }
        let won = diesel::update(
            refresh_tokens::table
                .find(id)
                .filter(refresh_tokens::used_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)?;
        if won != 1 {
            revoke_family(conn, &family, at)?;
            return Ok(Refreshed::Refused);
        }
        let Some(user) = user_by_id(conn, UserId(user_id))?.filter(|u| !u.deleted) else {
            return Ok(Refreshed::Refused);
        };
        let refresh_token = store_refresh_token(conn, user.id, &family, at)?;
        Ok(Refreshed::Granted(SessionGrant {
            user,
            session: family,
            refresh_token,
            return_path: None,
        }))
    })?;
    // The revocation above is committed even though the caller gets an error.
    match outcome {
        Refreshed::Granted(grant) => Ok(grant),
        Refreshed::Refused => Err(DomainError::Unauthenticated),
    }
}

fn revoke_family(conn: &mut DbConnection, family: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

/// End this session.
pub fn sign_out(conn: &mut DbConnection, actor: &Actor) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    if let Some(session) = &person.session {
        revoke_family(conn, session, now())?;
    }
    Ok(())
}

/// End the session a refresh token belongs to (used or not), for a client that holds only
/// the refresh token (the web app's cookie). An unknown token ends nothing.
pub fn sign_out_with_refresh_token(
    conn: &mut DbConnection,
    refresh_token: &str,
) -> DomainResult<()> {
    if refresh_token.len() > 200 {
        return Ok(());
    }
    let hash = hash_secret(refresh_token.trim());
    let family: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select(refresh_tokens::family)
        .first(conn)
        .optional()?;
    if let Some(family) = family {
        revoke_family(conn, &family, now())?;
    }
    Ok(())
}

/// End every session of the signed-in person.
pub fn sign_out_everywhere(conn: &mut DbConnection, actor: &Actor) -> DomainResult<()> {
    let person = actor.person().ok_or(DomainError::Unauthenticated)?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(person.id.0))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now()))
    .execute(conn)?;
    Ok(())
}

/// The actor behind a verified access token, when its session is still open and the person
/// still exists (one statement: this runs on every signed-in request).
pub fn actor_for_session(
    conn: &mut DbConnection,
    user: UserId,
    session: &str,
) -> DomainResult<Actor> {
    use crate::db::schema::memberships;
    use crate::domain::actor::{MembershipRole, PersonActor};
    use crate::domain::ids::NeighbourhoodId;
    let open_session = refresh_tokens::table
        .filter(refresh_tokens::family.eq(session))
        .filter(refresh_tokens::user_id.eq(user.0))
        .filter(refresh_tokens::revoked_at.is_null());
    // One statement: the session check and the memberships the rules need, so that a signed-in
    // request costs one statement more than a visitor's.
    let rows: Vec<(Option<NaiveDateTime>, Option<i64>, Option<String>)> = users::table
        .left_join(memberships::table)
        .filter(users::id.eq(user.0))
        .filter(users::deleted_at.is_null())
        .filter(diesel::dsl::exists(open_session))
        .select((
            users::admin_since,
            memberships::neighbourhood_id.nullable(),
            memberships::role.nullable(),
        ))
        .load(conn)?;
    let Some((admin_since, _, _)) = rows.first() else {
        return Err(DomainError::Unauthenticated);
    };
    let is_admin = admin_since.is_some();
    let memberships: Vec<MembershipRole> = rows
        .iter()
        .filter_map(|(_, neighbourhood, role)| {
            Some(MembershipRole {
                neighbourhood: NeighbourhoodId((*neighbourhood)?),
                organiser: role.as_deref() == Some(super::Role::Organiser.as_str()),
            })
        })
        .collect();
    Ok(Actor::Person(PersonActor {
        id: user,
        is_admin,
        session: Some(session.to_owned()),
        memberships: Some(memberships.into()),
    }))
}

/// The signed-in person.
pub fn viewer(conn: &mut DbConnection, actor: &Actor) -> DomainResult<Option<User>> {
    match actor.person() {
        None => Ok(None),
        Some(p) => Ok(user_by_id(conn, p.id)?.filter(|u| !u.deleted)),
    }
}
