//! The GraphQL API: a thin layer over the domain. Doc comments on the types below are the
//! public API documentation (they appear in the SDL).

pub mod context;
pub mod error;
pub mod i18n;
pub mod loaders;
pub mod neighbourhoods;
pub mod relay;

use juniper::{EmptySubscription, RootNode, graphql_object};

pub use context::Context;
pub use error::{GqlResult, error_response};

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
}

/// The schema's root mutation type.
pub struct Mutation;

#[graphql_object(context = Context)]
impl Mutation {
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
