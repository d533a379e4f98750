//! The GraphQL API: a thin layer over the domain. Doc comments on the types below are the
//! public API documentation (they appear in the SDL).

pub mod accounts;
pub mod audit;
pub mod context;
pub mod error;
pub mod i18n;
pub mod loaders;
pub mod neighbourhoods;
pub mod relay;

use juniper::{EmptySubscription, RootNode, graphql_object};

pub use context::Context;
pub use error::{GqlResult, error_response};

use accounts::{
    Member, Membership, RegisterInput, RequestSignInLinkInput, SessionPayload, SetPasswordInput,
    SignInWithPasswordInput, UpdateProfileInput, Viewer,
};
use juniper::ID;
use neighbourhoods::{
    CreateNeighbourhoodInput, Neighbourhood, NeighbourhoodConnection, RenameNeighbourhoodInput,
};

/// The schema's root query type.
pub struct Query;

#[graphql_object(context = Context)]
impl Query {
    /// Neighbourhoods, ordered by name. `first` defaults to 20 and may be at most 100.
    async fn neighbourhoods(
        context: &Context,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<NeighbourhoodConnection> {
        neighbourhoods::list(context, first, after).await
    }

    /// One neighbourhood by its slug, or null when there is none.
    async fn neighbourhood(context: &Context, slug: String) -> GqlResult<Option<Neighbourhood>> {
        neighbourhoods::by_slug(context, slug).await
    }

    /// The signed-in person, or null for visitors.
    async fn viewer(context: &Context) -> GqlResult<Option<Viewer>> {
        accounts::viewer(context).await
    }

    /// Everything stored about you, as a JSON document ("my data").
    async fn my_data(context: &Context) -> GqlResult<String> {
        accounts::my_data(context).await
    }

    /// Organiser and admin actions, newest first. Admins only.
    async fn audit_log(
        context: &Context,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<audit::AuditLogConnection> {
        audit::list(context, first, after).await
    }
}

/// The schema's root mutation type.
pub struct Mutation;

#[graphql_object(context = Context)]
impl Mutation {
    /// Create an account and send a sign-in link. For an address that already has an account, a sign-in link is sent instead; the answer is the same, so nobody can find out who has an account.
    async fn register(context: &Context, input: RegisterInput) -> GqlResult<bool> {
        accounts::register(context, input).await
    }

    /// Send a sign-in link to this address if it has an account. The answer is the same either way.
    async fn request_sign_in_link(
        context: &Context,
        input: RequestSignInLinkInput,
    ) -> GqlResult<bool> {
        accounts::request_sign_in_link(context, input).await
    }

    /// Sign in with the token from a sign-in link (it works once, for 15 minutes).
    async fn sign_in_with_link(context: &Context, token: String) -> GqlResult<SessionPayload> {
        accounts::sign_in_with_link(context, token).await
    }

    /// Trade a refresh token for a new session. Each refresh token works once; using one twice ends the session.
    async fn refresh_session(
        context: &Context,
        refresh_token: String,
    ) -> GqlResult<SessionPayload> {
        accounts::refresh_session(context, refresh_token).await
    }

    /// End this session.
    async fn sign_out(context: &Context) -> GqlResult<bool> {
        accounts::sign_out(context).await
    }

    /// End all your sessions, on every device.
    async fn sign_out_everywhere(context: &Context) -> GqlResult<bool> {
        accounts::sign_out_everywhere(context).await
    }

    /// Sign in with e-mail and password. A wrong address or password gives the same error.
    async fn sign_in_with_password(
        context: &Context,
        input: SignInWithPasswordInput,
    ) -> GqlResult<SessionPayload> {
        accounts::sign_in_with_password(context, input).await
    }

    /// Set or change your password (at least 10 characters; common passwords are refused).
    async fn set_password(context: &Context, input: SetPasswordInput) -> GqlResult<bool> {
        accounts::set_password(context, input).await
    }

    /// Change your display name or language.
    async fn update_profile(context: &Context, input: UpdateProfileInput) -> GqlResult<Viewer> {
        accounts::update_profile(context, input).await
    }

    /// Join a neighbourhood as a resident; an organiser verifies your residency later.
    async fn join_neighbourhood(context: &Context, neighbourhood_id: ID) -> GqlResult<Membership> {
        accounts::join(context, neighbourhood_id).await
    }

    /// Leave a neighbourhood.
    async fn leave_neighbourhood(context: &Context, neighbourhood_id: ID) -> GqlResult<bool> {
        accounts::leave(context, neighbourhood_id).await
    }

    /// Verify that a member lives in the neighbourhood. Organisers of that neighbourhood and admins.
    async fn verify_residency(
        context: &Context,
        neighbourhood_id: ID,
        person_id: ID,
    ) -> GqlResult<Member> {
        accounts::verify_residency(context, neighbourhood_id, person_id).await
    }

    /// Make a person an organiser of a neighbourhood. Admins only; the reason goes into the audit log.
    async fn appoint_organiser(
        context: &Context,
        neighbourhood_id: ID,
        person_id: ID,
        reason: Option<String>,
    ) -> GqlResult<Member> {
        accounts::appoint_organiser(context, neighbourhood_id, person_id, reason).await
    }

    /// Delete your account: your personal data is erased and you are signed out everywhere. What you wrote stays, shown as from a former resident.
    async fn delete_my_account(context: &Context) -> GqlResult<bool> {
        accounts::delete_my_account(context).await
    }

    /// Create a neighbourhood. Admins only.
    async fn create_neighbourhood(
        context: &Context,
        input: CreateNeighbourhoodInput,
    ) -> GqlResult<Neighbourhood> {
        neighbourhoods::create(context, input).await
    }

    /// Rename a neighbourhood and optionally change its description. Admins only. The slug stays the same, so links keep working.
    async fn rename_neighbourhood(
        context: &Context,
        input: RenameNeighbourhoodInput,
    ) -> GqlResult<Neighbourhood> {
        neighbourhoods::rename(context, input).await
    }
}

/// The whole schema.
pub type Schema = RootNode<Query, Mutation, EmptySubscription<Context>>;

/// Build the schema (once per process).
pub fn schema() -> Schema {
    Schema::new(Query, Mutation, EmptySubscription::new())
}

/// The schema in SDL, as checked in at `graphql/schema.graphql`.
pub fn sdl() -> String {
    let mut sdl = schema().as_sdl();
    if !sdl.ends_with('\n') {
        sdl.push('\n');
    }
    sdl
}
