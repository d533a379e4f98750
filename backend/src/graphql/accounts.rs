//! GraphQL types and resolvers for accounts and sign-in. The names here are a contract with
//! mobile clients: keep them.

use chrono::{DateTime, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID};

use super::relay::encode_id;
use super::{Context, GqlResult};
use crate::domain::DomainError;
use crate::domain::accounts::sessions::{self, LinkContext, Registration, SessionGrant};
use crate::domain::accounts::{self as domain, Language as DomainLanguage};

const PERSON_KIND: &str = "Person";

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
#[derive(GraphQLObject)]
pub struct Viewer {
    /// Opaque identifier.
    pub id: ID,
    /// Your e-mail address; only you and admins see it.
    pub email: String,
    /// The name others see.
    pub display_name: String,
    /// The language of e-mails and of the app.
    pub language: Language,
    /// Whether you are a platform admin.
    pub is_admin: bool,
}

impl From<domain::User> for Viewer {
    fn from(u: domain::User) -> Self {
        Self {
            id: encode_id(PERSON_KIND, u.id.0),
            email: u.email,
            display_name: u.display_name,
            language: u.language.into(),
            is_admin: u.is_admin,
        }
    }
}

/// A session: send `accessToken` as `Authorization: Bearer …`; when it expires, trade
/// `refreshToken` for a new pair with `refreshSession`. A refresh token works once.
#[derive(GraphQLObject)]
pub struct SessionPayload {
    /// Short-lived token for `Authorization: Bearer`.
    pub access_token: String,
    /// When the access token stops working.
    pub access_token_expires_at: DateTime<Utc>,
    /// Opaque, single-use token for `refreshSession`.
    pub refresh_token: String,
    /// The signed-in person.
    pub viewer: Viewer,
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
}

/// Ask for a sign-in link.
#[derive(GraphQLInputObject)]
pub struct RequestSignInLinkInput {
    /// The e-mail address of your account.
    pub email: String,
}

fn link_context(context: &Context) -> LinkContext {
    LinkContext {
        public_url: context.public_url.clone(),
        client_ip: context.client_ip.clone(),
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
        refresh_token: grant.refresh_token,
        viewer: grant.user.into(),
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
    };
    let ctx = link_context(context);
    context
        .run(move |conn, _actor| sessions::register(conn, registration, &ctx))
        .await?;
    context.outbox_wake.notify_one();
    Ok(true)
}

pub(super) async fn request_sign_in_link(
    context: &Context,
    input: RequestSignInLinkInput,
) -> GqlResult<bool> {
    let ctx = link_context(context);
    context
        .run(move |conn, _actor| sessions::request_link(conn, &input.email, &ctx))
        .await?;
    context.outbox_wake.notify_one();
    Ok(true)
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
