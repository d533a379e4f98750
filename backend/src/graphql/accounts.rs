//! GraphQL types and resolvers for accounts and sign-in. The names here are a contract with
//! mobile clients: keep them.

use chrono::{DateTime, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID, graphql_object};

use super::neighbourhoods::{Neighbourhood, PublicPerson};
use super::relay::{decode_id, encode_id};
use super::{Context, GqlResult};
use crate::domain::DomainError;
use crate::domain::accounts::memberships::{self, Member as DomainMember};
use crate::domain::accounts::sessions::{self, LinkContext, Registration, SessionGrant};
use crate::domain::accounts::{
    self as domain, Language as DomainLanguage, Role as DomainRole, passwords, privacy,
};
use crate::domain::ids::{NeighbourhoodId, UserId};

pub(super) const PERSON_KIND: &str = "Person";
const NEIGHBOURHOOD_KIND: &str = "Neighbourhood";

/// A language the platform speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum Language {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl From<Language> for DomainLanguage {
    fn from(l: Language) -> Self {
        match l {
            Language::Nl => Self::Dutch,
            Language::En => Self::English,
        }
    }
}

impl From<DomainLanguage> for Language {
    fn from(l: DomainLanguage) -> Self {
        match l {
            DomainLanguage::Dutch => Self::Nl,
            DomainLanguage::English => Self::En,
        }
    }
}

/// The signed-in person, as they see themselves (with their own e-mail address).
pub struct Viewer(domain::User);

#[graphql_object(context = Context)]
impl Viewer {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(PERSON_KIND, self.0.id.0)
    }

    /// Your e-mail address; only you and admins see it.
    fn email(&self) -> &str {
        &self.0.email
    }

    /// The name others see.
    fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// The language of e-mails and of the app.
    fn language(&self) -> Language {
        self.0.language.into()
    }

    /// Whether you are a platform admin.
    fn is_admin(&self) -> bool {
        self.0.is_admin
    }

    /// Whether you set a password (sign-in links always work).
    async fn has_password(&self, context: &Context) -> GqlResult<bool> {
        let user = self.0.clone();
        context
            .run(move |conn, _actor| passwords::has_password(conn, &user))
            .await
    }

    /// The neighbourhoods you joined.
    async fn memberships(&self, context: &Context) -> GqlResult<Vec<Membership>> {
        let id = self.0.id;
        let list = context
            .run(move |conn, _actor| memberships::of_user(conn, id))
            .await?;
        Ok(list.into_iter().map(Membership).collect())
    }
}

impl From<domain::User> for Viewer {
    fn from(u: domain::User) -> Self {
        Self(u)
    }
}

/// A role in a neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum Role {
    /// A resident ("bewoner").
    Resident,
    /// An organiser ("opbouwwerker").
    Organiser,
}

impl From<DomainRole> for Role {
    fn from(r: DomainRole) -> Self {
        match r {
            DomainRole::Resident => Self::Resident,
            DomainRole::Organiser => Self::Organiser,
        }
    }
}

/// Your membership of a neighbourhood.
pub struct Membership(memberships::Membership);

#[graphql_object(context = Context)]
impl Membership {
    /// The neighbourhood.
    fn neighbourhood(&self) -> Neighbourhood {
        Neighbourhood::from(self.0.neighbourhood.clone())
    }

    /// Your role there.
    fn role(&self) -> Role {
        self.0.role.into()
    }

    /// Whether an organiser verified that you live there (this gives a vote in its budget).
    fn verified(&self) -> bool {
        self.0.verified_at.is_some()
    }

    /// When you joined.
    fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at.and_utc()
    }
}

/// A member of a neighbourhood, as its organisers see them: a name, never contact details.
#[derive(GraphQLObject)]
pub struct Member {
    /// The person.
    pub person: PublicPerson,
    /// Their role in this neighbourhood.
    pub role: Role,
    /// Whether their residency is verified.
    pub verified: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

impl From<DomainMember> for Member {
    fn from(m: DomainMember) -> Self {
        Self {
            person: PublicPerson {
                id: encode_id(PERSON_KIND, m.user.0),
                display_name: m.display_name,
            },
            role: m.role.into(),
            verified: m.verified_at.is_some(),
            joined_at: m.joined_at.and_utc(),
        }
    }
}

/// A session: send `accessToken` as `Authorization: Bearer …`; when it expires, trade
/// `refreshToken` for a new pair with `refreshSession`. A refresh token works once.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct SessionPayload {
    /// Short-lived token for `Authorization: Bearer`.
    pub access_token: String,
    /// When the access token stops working.
    pub access_token_expires_at: DateTime<Utc>,
    /// Opaque, single-use token for `refreshSession`. Empty for requests sent with `X-Buurtkracht-Session: cookie` (the web app): the token is then in an HttpOnly cookie for `POST /auth/refresh`.
    pub refresh_token: String,
    /// The signed-in person.
    pub viewer: Viewer,
    /// After `signInWithLink`: the page of the web app to go back to, when the link was asked for from one (always a path inside the app, such as `/buurt/transvaal`).
    pub return_path: Option<String>,
}

/// A new account.
#[derive(GraphQLInputObject)]
pub struct RegisterInput {
    /// Your e-mail address; the sign-in link is sent there.
    pub email: String,
    /// The name others see, 1 to 60 characters.
    pub display_name: String,
    /// The language of e-mails and of the app.
    pub language: Language,
    /// The page of the web app to come back to after signing in with the link (a path such as `/buurt/transvaal`; other sites are refused).
    pub return_path: Option<String>,
}

/// Sign in with a password.
#[derive(GraphQLInputObject)]
pub struct SignInWithPasswordInput {
    /// The e-mail address of your account.
    pub email: String,
    /// Your password.
    pub password: String,
}

/// Change your profile; fields left out stay as they are.
#[derive(GraphQLInputObject)]
pub struct UpdateProfileInput {
    /// The name others see, 1 to 60 characters.
    pub display_name: Option<String>,
    /// The language of e-mails and of the app.
    pub language: Option<Language>,
}

/// Set or change your password.
#[derive(GraphQLInputObject)]
pub struct SetPasswordInput {
    /// Your current password; needed when you have one.
    pub current_password: Option<String>,
    /// At least 10 characters, not a common password.
    pub new_password: String,
}

/// Ask for a sign-in link.
#[derive(GraphQLInputObject)]
pub struct RequestSignInLinkInput {
    /// The e-mail address of your account. For an address without an account, a mail that says so is sent, with a link that makes one.
    pub email: String,
    /// The page of the web app to come back to after signing in (a path such as `/buurt/transvaal`; other sites are refused).
    pub return_path: Option<String>,
    /// The language of the mail when the address has no account yet (the caller's language); otherwise the account's language is used.
    pub language: Option<Language>,
}

/// What a visitor gives next to an action (co-sign, raise): a name and an e-mail address. The
/// action waits until the link in the e-mail confirms it.
#[derive(GraphQLInputObject)]
pub struct ContactInput {
    /// The name others see, 1 to 60 characters (ignored when the address has an account).
    pub display_name: String,
    /// Your e-mail address; the confirmation link is sent there.
    pub email: String,
    /// The language of the e-mail and, for a new account, of the app.
    pub language: Language,
}

impl From<ContactInput> for crate::domain::pending_actions::Contact {
    fn from(c: ContactInput) -> Self {
        Self {
            email: c.email,
            display_name: c.display_name,
            language: c.language.into(),
        }
    }
}

/// What confirming an action did: you are signed in, and the action is done (or `problem` says why not).
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct ConfirmActionPayload {
    /// The new session.
    pub session: SessionPayload,
    /// What kind of action it was, e.g. `grievance.cosign`, `grievance.raise`, `account.create`.
    pub action: String,
    /// Whether it was carried out.
    pub done: bool,
    /// Why it could not be done (e.g. the grievance was closed meanwhile), in your language.
    pub problem: Option<String>,
    /// The page of the web app that shows the result.
    pub return_path: String,
    /// Whether this made your account.
    pub new_account: bool,
}

pub(super) fn link_context(context: &Context) -> LinkContext {
    LinkContext {
        public_url: context.public_url.clone(),
        client_ip: context.client_ip.clone(),
        links_per_ip_hour: context.links_per_ip_hour,
    }
}

fn session_payload(context: &Context, grant: SessionGrant) -> GqlResult<SessionPayload> {
    let (access_token, expires) = context
        .keys
        .issue(grant.user.id, &grant.session, Utc::now())
        .map_err(|e| context.fail(DomainError::Internal(e)))?;
    Ok(SessionPayload {
        access_token,
        access_token_expires_at: expires,
        refresh_token: context.hand_out_refresh_token(grant.refresh_token),
        viewer: Viewer(grant.user),
        return_path: grant.return_path,
    })
}

pub(super) async fn viewer(context: &Context) -> GqlResult<Option<Viewer>> {
    let user = context.run(sessions::viewer).await?;
    Ok(user.map(Into::into))
}

pub(super) async fn register(context: &Context, input: RegisterInput) -> GqlResult<bool> {
    let registration = Registration {
        email: input.email,
        display_name: input.display_name,
        language: input.language.into(),
        return_path: input.return_path,
    };
    let ctx = link_context(context);
    context
        .run(move |conn, _actor| sessions::register(conn, registration, &ctx))
        .await?;
    context.wake_outbox();
    Ok(true)
}

pub(super) async fn request_sign_in_link(
    context: &Context,
    input: RequestSignInLinkInput,
) -> GqlResult<bool> {
    let ctx = link_context(context);
    let language = input.language.map_or(context.language, Into::into);
    context
        .run(move |conn, _actor| {
            sessions::request_link(
                conn,
                &input.email,
                input.return_path.as_deref(),
                language,
                &ctx,
            )
        })
        .await?;
    context.wake_outbox();
    Ok(true)
}

pub(super) async fn confirm_action(
    context: &Context,
    token: String,
    display_name: Option<String>,
) -> GqlResult<ConfirmActionPayload> {
    let confirmed = context
        .run(move |conn, _actor| {
            crate::domain::pending_actions::confirm(conn, &token, display_name.as_deref())
        })
        .await?;
    let problem = confirmed
        .problem
        .map(|p| super::i18n::error_message(&p, context.language));
    Ok(ConfirmActionPayload {
        session: session_payload(context, confirmed.grant)?,
        action: confirmed.kind.to_owned(),
        done: problem.is_none(),
        problem,
        return_path: confirmed.return_path,
        new_account: confirmed.new_account,
    })
}

pub(super) async fn sign_in_with_link(
    context: &Context,
    token: String,
) -> GqlResult<SessionPayload> {
    let grant = context
        .run(move |conn, _actor| sessions::sign_in_with_link(conn, &token))
        .await?;
    session_payload(context, grant)
}

pub(super) async fn refresh_session(
    context: &Context,
    refresh_token: String,
) -> GqlResult<SessionPayload> {
    let grant = context
        .run(move |conn, _actor| sessions::refresh(conn, &refresh_token))
        .await?;
    session_payload(context, grant)
}

pub(super) async fn sign_out(context: &Context) -> GqlResult<bool> {
    context.run(sessions::sign_out).await?;
    Ok(true)
}

pub(super) async fn sign_out_everywhere(context: &Context) -> GqlResult<bool> {
    context.run(sessions::sign_out_everywhere).await?;
    Ok(true)
}

fn neighbourhood_id(context: &Context, id: &ID) -> GqlResult<NeighbourhoodId> {
    decode_id(NEIGHBOURHOOD_KIND, id)
        .map(NeighbourhoodId)
        .ok_or_else(|| {
            context.fail(DomainError::NotFound {
                entity: "neighbourhood",
            })
        })
}

fn person_id(context: &Context, id: &ID) -> GqlResult<UserId> {
    decode_id(PERSON_KIND, id)
        .map(UserId)
        .ok_or_else(|| context.fail(DomainError::NotFound { entity: "person" }))
}

pub(super) async fn sign_in_with_password(
    context: &Context,
    input: SignInWithPasswordInput,
) -> GqlResult<SessionPayload> {
    let ip = context.client_ip.clone();
    let public_url = context.public_url.clone();
    let result = context
        .run(move |conn, _actor| {
            passwords::sign_in(
                conn,
                &input.email,
                &input.password,
                ip.as_deref(),
                &public_url,
            )
        })
        .await;
    if result.is_err() {
        // A wrong password may have queued the owner's warning e-mail.
        context.wake_outbox();
    }
    let grant = result?;
    session_payload(context, grant)
}

pub(super) async fn set_password(context: &Context, input: SetPasswordInput) -> GqlResult<bool> {
    context
        .run(move |conn, actor| {
            passwords::set_password(
                conn,
                actor,
                input.current_password.as_deref(),
                &input.new_password,
            )
        })
        .await?;
    Ok(true)
}

pub(super) async fn update_profile(
    context: &Context,
    input: UpdateProfileInput,
) -> GqlResult<Viewer> {
    let user = context
        .run(move |conn, actor| {
            domain::service::update_profile(
                conn,
                actor,
                input.display_name.as_deref(),
                input.language.map(Into::into),
            )
        })
        .await?;
    Ok(Viewer(user))
}

pub(super) async fn join(context: &Context, neighbourhood: ID) -> GqlResult<Membership> {
    domain_requires_person(context)?;
    let id = neighbourhood_id(context, &neighbourhood)?;
    let m = context
        .run(move |conn, actor| memberships::join(conn, actor, id))
        .await?;
    context.memberships_changed();
    Ok(Membership(m))
}

pub(super) async fn leave(context: &Context, neighbourhood: ID) -> GqlResult<bool> {
    domain_requires_person(context)?;
    let id = neighbourhood_id(context, &neighbourhood)?;
    context
        .run(move |conn, actor| memberships::leave(conn, actor, id))
        .await?;
    context.memberships_changed();
    Ok(true)
}

pub(super) async fn verify_residency(
    context: &Context,
    neighbourhood: ID,
    person: ID,
) -> GqlResult<Member> {
    domain_requires_person(context)?;
    let nid = neighbourhood_id(context, &neighbourhood)?;
    let pid = person_id(context, &person)?;
    context
        .run(move |conn, actor| memberships::verify_residency(conn, actor, nid, pid))
        .await
        .map(Member::from)
}

pub(super) async fn appoint_organiser(
    context: &Context,
    neighbourhood: ID,
    person: ID,
    reason: Option<String>,
) -> GqlResult<Member> {
    domain_requires_person(context)?;
    let nid = neighbourhood_id(context, &neighbourhood)?;
    let pid = person_id(context, &person)?;
    let member = context
        .run(move |conn, actor| memberships::appoint_organiser(conn, actor, nid, pid, reason))
        .await?;
    context.memberships_changed();
    Ok(Member::from(member))
}

pub(super) async fn members(
    context: &Context,
    neighbourhood: NeighbourhoodId,
) -> GqlResult<Vec<Member>> {
    let list = context
        .run(move |conn, actor| memberships::members(conn, actor, neighbourhood))
        .await?;
    Ok(list.into_iter().map(Member::from).collect())
}

pub(super) async fn my_data(context: &Context) -> GqlResult<String> {
    let data = context.run(privacy::export).await?;
    serde_json::to_string_pretty(&data)
        .map_err(|e| context.fail(DomainError::Internal(e.to_string())))
}

pub(super) async fn delete_my_account(context: &Context) -> GqlResult<bool> {
    context.run(privacy::delete_account).await?;
    Ok(true)
}

/// Visitors learn nothing from ids: refuse them before looking anything up.
fn domain_requires_person(context: &Context) -> GqlResult<()> {
    context
        .actor
        .person()
        .map(drop)
        .ok_or_else(|| context.fail(DomainError::Unauthenticated))
}
