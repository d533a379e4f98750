//! The GraphQL API: a thin layer over the domain. Doc comments on the types below are the
//! public API documentation (they appear in the SDL).

pub mod accounts;
pub mod context;
pub mod error;
pub mod i18n;
pub mod loaders;
pub mod neighbourhoods;
pub mod relay;

use juniper::{EmptySubscription, RootNode, graphql_object};

pub use context::Context;
pub use error::{GqlResult, error_response};

use accounts::{RegisterInput, RequestSignInLinkInput, SessionPayload, Viewer};
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
