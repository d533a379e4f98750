//! GraphQL types and resolvers for neighbourhoods.

use chrono::{DateTime, Utc};
use juniper::{GraphQLInputObject, GraphQLObject, ID, graphql_object};

use super::relay::{PageInfo, after_cursor, decode_cursor, decode_id, encode_cursor, encode_id};
use super::{Context, GqlResult};
use crate::domain::ids::NeighbourhoodId;
use crate::domain::neighbourhoods::model::{CreateNeighbourhood, RenameNeighbourhood};
use crate::domain::neighbourhoods::{self as domain, NeighbourhoodCursor, service};
use crate::domain::{DomainError, FieldProblem, ProblemCode};

const KIND: &str = "Neighbourhood";
use super::accounts::PERSON_KIND;

/// A neighbourhood ("wijk", "buurt"): the place residents organise in.
pub struct Neighbourhood(domain::Neighbourhood);

impl From<domain::Neighbourhood> for Neighbourhood {
    fn from(n: domain::Neighbourhood) -> Self {
        Self(n)
    }
}

#[graphql_object(context = Context)]
impl Neighbourhood {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(KIND, self.0.id.0)
    }

    /// Short name used in web addresses; stays the same when the neighbourhood is renamed.
    fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The name.
    fn name(&self) -> &str {
        &self.0.name
    }

    /// A short description in plain language (may be empty).
    fn description(&self) -> &str {
        &self.0.description
    }

    /// Number of residents and organisers who joined.
    async fn member_count(&self, context: &Context) -> GqlResult<i32> {
        let count = load(
            context.loaders.member_counts.try_load(self.0.id).await,
            context,
        )?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// The organisers ("opbouwwerkers") of this neighbourhood, by display name.
    async fn organisers(&self, context: &Context) -> GqlResult<Vec<PublicPerson>> {
        let people = load(
            context.loaders.organisers.try_load(self.0.id).await,
            context,
        )?;
        Ok(people
            .into_iter()
            .map(|(id, display_name)| PublicPerson {
                id: encode_id(PERSON_KIND, id.0),
                display_name,
            })
            .collect())
    }

    /// Everyone who joined, with role and verification. Only for organisers of this neighbourhood and admins.
    async fn members(&self, context: &Context) -> GqlResult<Vec<super::accounts::Member>> {
        super::accounts::members(context, self.0.id).await
    }

    /// Where it lies: a centre and a radius, when an admin set it.
    fn area(&self) -> Option<super::grievances::NeighbourhoodArea> {
        self.0.area.map(Into::into)
    }

    /// When it was created.
    fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.and_utc()
    }
}

use super::loaders::loaded as load;

/// What anybody may see of a person: a display name, never contact details.
#[derive(GraphQLObject)]
pub struct PublicPerson {
    /// Opaque identifier.
    pub id: ID,
    /// The name the person chose to show.
    pub display_name: String,
}

/// A page of neighbourhoods.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct NeighbourhoodConnection {
    /// The neighbourhoods on this page, each with its cursor.
    pub edges: Vec<NeighbourhoodEdge>,
    /// Where this page sits in the whole list.
    pub page_info: PageInfo,
    /// How many neighbourhoods there are in all.
    pub total_count: i32,
}

/// A neighbourhood with its cursor.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct NeighbourhoodEdge {
    /// Pass as `after` to continue after this neighbourhood.
    pub cursor: String,
    pub node: Neighbourhood,
}

/// A new neighbourhood.
#[derive(GraphQLInputObject)]
pub struct CreateNeighbourhoodInput {
    /// 1 to 80 characters.
    pub name: String,
    /// Lowercase letters, digits and hyphens, 2 to 60 characters; made from the name when left out.
    pub slug: Option<String>,
    /// At most 2,000 characters.
    pub description: Option<String>,
}

/// A new name (and optionally description) for a neighbourhood.
#[derive(GraphQLInputObject)]
pub struct RenameNeighbourhoodInput {
    /// The neighbourhood.
    pub id: ID,
    /// 1 to 80 characters.
    pub name: String,
    /// At most 2,000 characters; unchanged when left out.
    pub description: Option<String>,
}

fn cursor_of(n: &domain::Neighbourhood) -> String {
    encode_cursor(&serde_json::json!([n.name, n.id.0]))
}

fn parse_cursor(raw: &str) -> Option<NeighbourhoodCursor> {
    let value = decode_cursor(raw)?;
    let name = value.get(0)?.as_str()?.to_owned();
    let id = value.get(1)?.as_i64()?;
    Some(NeighbourhoodCursor {
        name,
        id: NeighbourhoodId(id),
    })
}

pub(super) async fn list(
    context: &Context,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<NeighbourhoodConnection> {
    let after = after_cursor(context, after.as_deref(), parse_cursor)?;
    if first.is_some_and(|n| n < 0) {
        return Err(context.fail(DomainError::Validation(vec![FieldProblem::new(
            "first",
            ProblemCode::InvalidFormat,
        )])));
    }
    let page = context
        .run(move |conn, _actor| service::list(conn, first.map(i64::from), after))
        .await?;
    let edges: Vec<NeighbourhoodEdge> = page
        .items
        .into_iter()
        .map(|n| NeighbourhoodEdge {
            cursor: cursor_of(&n),
            node: Neighbourhood(n),
        })
        .collect();
    Ok(NeighbourhoodConnection {
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
        total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX),
    })
}

pub(super) async fn by_slug(context: &Context, slug: String) -> GqlResult<Option<Neighbourhood>> {
    let found = context
        .run(move |conn, _actor| service::by_slug(conn, &slug))
        .await?;
    Ok(found.map(Neighbourhood))
}

pub(super) async fn create(
    context: &Context,
    input: CreateNeighbourhoodInput,
) -> GqlResult<Neighbourhood> {
    let form = CreateNeighbourhood {
        name: input.name,
        slug: input.slug,
        description: input.description,
    };
    context
        .run(move |conn, actor| service::create(conn, actor, form))
        .await
        .map(Neighbourhood)
}

pub(super) async fn rename(
    context: &Context,
    input: RenameNeighbourhoodInput,
) -> GqlResult<Neighbourhood> {
    // An id that is not a neighbourhood id cannot name an existing neighbourhood.
    let Some(raw) = decode_id(KIND, &input.id) else {
        // Authorisation first, so that visitors learn nothing from the error.
        domain::policy::may_manage_neighbourhoods(&context.actor).map_err(|e| context.fail(e))?;
        return Err(context.fail(DomainError::NotFound {
            entity: "neighbourhood",
        }));
    };
    let form = RenameNeighbourhood {
        id: NeighbourhoodId(raw),
        name: input.name,
        description: input.description,
    };
    context
        .run(move |conn, actor| service::rename(conn, actor, form))
        .await
        .map(Neighbourhood)
}
