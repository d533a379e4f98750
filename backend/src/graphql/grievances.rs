//! GraphQL types and resolvers for grievances: a thin layer over `domain::grievances`. Every
//! rule (who may do what, who may see whom) is decided in the domain; this layer maps types.

use super::relay::decoded;
use chrono::{DateTime, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID, graphql_object};

use super::i18n;
use super::neighbourhoods::{Neighbourhood, PublicPerson};
use super::relay::{PageInfo, after_cursor, decode_cursor, decode_id, encode_cursor, encode_id};
use super::{Context, GqlResult};
use crate::db::DbConnection;
use crate::domain::accounts::Language;
use crate::domain::grievances::model::{
    CommentCursor, EditGrievance, GrievanceUpdate as DomainUpdate, RaiseGrievance,
    StatusChange as DomainStatusChange,
};
pub use crate::domain::grievances::service::StatusStep;
use crate::domain::grievances::service::{self, ListQuery, PUBLIC_KIND};
use crate::domain::grievances::{self as domain, comments, pending};
use crate::domain::ids::{CommentId, GrievanceId, NeighbourhoodId};
use crate::domain::{Actor, DomainError, DomainResult};

const GRIEVANCE_KIND: &str = PUBLIC_KIND;
const COMMENT_KIND: &str = "Comment";
const THEME_KIND: &str = "Theme";
const UPDATE_KIND: &str = "GrievanceUpdate";
const NEIGHBOURHOOD_KIND: &str = "Neighbourhood";
use super::accounts::PERSON_KIND;

/// Where a grievance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum GrievanceStatus {
    /// Raised; waiting for an organiser.
    Open,
    /// An organiser has seen it and responded ("erkend").
    Acknowledged,
    /// Part of a campaign.
    InCampaign,
    /// Solved.
    Resolved,
    /// Closed without being solved (the reason says why).
    Closed,
    /// Merged into another grievance about the same thing (see `mergedInto`).
    Merged,
}

impl From<domain::Status> for GrievanceStatus {
    fn from(s: domain::Status) -> Self {
        match s {
            domain::Status::Open => Self::Open,
            domain::Status::Acknowledged => Self::Acknowledged,
            domain::Status::InCampaign => Self::InCampaign,
            domain::Status::Resolved => Self::Resolved,
            domain::Status::Closed => Self::Closed,
            domain::Status::Merged => Self::Merged,
        }
    }
}

impl From<GrievanceStatus> for domain::Status {
    fn from(s: GrievanceStatus) -> Self {
        match s {
            GrievanceStatus::Open => Self::Open,
            GrievanceStatus::Acknowledged => Self::Acknowledged,
            GrievanceStatus::InCampaign => Self::InCampaign,
            GrievanceStatus::Resolved => Self::Resolved,
            GrievanceStatus::Closed => Self::Closed,
            GrievanceStatus::Merged => Self::Merged,
        }
    }
}

/// The order of a list of grievances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum GrievanceOrder {
    /// Most co-signs first (newest first among equals).
    Top,
    /// Newest first.
    Newest,
    /// Closest to `filter.near` first; needs `filter.near`.
    Nearest,
}

/// A theme of grievances, e.g. housing or safety.
pub struct Theme(domain::Theme);

#[graphql_object(context = Context)]
impl Theme {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(THEME_KIND, self.0.id.0)
    }

    /// Stable code, for filters and forms, e.g. `housing`.
    fn key(&self) -> &str {
        &self.0.key
    }

    /// The name, in the caller's language.
    fn name(&self, context: &Context) -> &str {
        self.0.name_in(context.language)
    }
}

/// A point on the map (WGS 84 degrees).
#[derive(GraphQLObject)]
pub struct GeoPoint {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

impl From<crate::domain::geo::GeoPoint> for GeoPoint {
    fn from(p: crate::domain::geo::GeoPoint) -> Self {
        Self {
            lat: p.latitude(),
            lon: p.longitude(),
        }
    }
}

/// A point on the map (WGS 84 degrees).
#[derive(GraphQLInputObject, Clone, Copy)]
pub struct GeoPointInput {
    /// Latitude, -90 to 90.
    pub lat: f64,
    /// Longitude, -180 to 180.
    pub lon: f64,
}

/// The area of a neighbourhood: a centre and a radius.
#[derive(GraphQLObject)]
pub struct NeighbourhoodArea {
    /// The centre.
    pub center: GeoPoint,
    /// The radius in metres.
    pub radius_meters: i32,
}

impl From<crate::domain::geo::Area> for NeighbourhoodArea {
    fn from(a: crate::domain::geo::Area) -> Self {
        Self {
            center: a.center.into(),
            radius_meters: a.radius_meters,
        }
    }
}

/// The area of a neighbourhood: a centre and a radius.
#[derive(GraphQLInputObject)]
pub struct NeighbourhoodAreaInput {
    /// The centre.
    pub center: GeoPointInput,
    /// The radius in metres, 1 to 50,000.
    pub radius_meters: i32,
}

/// Search around a point.
#[derive(GraphQLInputObject, Clone, Copy)]
pub struct NearInput {
    /// Latitude of the point.
    pub lat: f64,
    /// Longitude of the point.
    pub lon: f64,
    /// Only grievances within this many metres (1 to 50,000); without it, all grievances with a place.
    pub radius_meters: Option<i32>,
}

/// Which grievances to list.
#[derive(GraphQLInputObject, Default)]
pub struct GrievanceFilter {
    /// Theme keys; all themes when left out.
    pub themes: Option<Vec<String>>,
    /// Statuses; every status except MERGED when left out.
    pub statuses: Option<Vec<GrievanceStatus>>,
    /// Only grievances with a place, near this point (and needed for NEAREST).
    pub near: Option<NearInput>,
}

/// Who wrote something, as the viewer may see it.
#[derive(GraphQLObject)]
pub struct Author {
    /// The name to show: the person's name, or "a resident of <neighbourhood>" when they chose not to show it.
    pub display_name: String,
    /// The person, when the viewer may know who it is; for anonymous authors only the person themself and the neighbourhood's organisers get it.
    pub person: Option<PublicPerson>,
    /// Whether the name is hidden from the public.
    pub anonymous: bool,
}

fn author(view: &domain::AuthorView, language: Language) -> Author {
    let person = |id: &crate::domain::ids::UserId, name: &String| PublicPerson {
        id: encode_id(PERSON_KIND, id.0),
        display_name: name.clone(),
    };
    Author {
        display_name: i18n::author_name(view, language),
        person: match view {
            domain::AuthorView::Named { id, name } => Some(person(id, name)),
            domain::AuthorView::Anonymous { known, .. } => {
                known.as_ref().map(|(id, name)| person(id, name))
            }
            domain::AuthorView::FormerResident => None,
        },
        anonymous: matches!(view, domain::AuthorView::Anonymous { .. }),
    }
}

/// What you may do with a grievance (the mutations check the same rules).
#[derive(GraphQLObject)]
pub struct GrievancePermissions {
    /// Change title, text and theme: the author, until the first co-sign.
    pub edit: bool,
    /// Add an update: the author.
    pub add_update: bool,
    /// Co-sign: anyone signed in except the author, while it is open, acknowledged or in a campaign (it makes you a member of the neighbourhood). Visitors co-sign with `cosignGrievanceByEmail`.
    pub cosign: bool,
    /// Comment: anyone signed in, unless it was merged.
    pub comment: bool,
    /// Acknowledge, resolve, close, merge and hide comments: organisers of the neighbourhood and admins.
    pub moderate: bool,
}

/// A grievance ("signaal"): discontent a resident raised, that others can co-sign.
pub struct Grievance {
    view: domain::GrievanceView,
    /// The grievances merged into this one, when they were read with it.
    merged_from: Option<Vec<domain::GrievanceView>>,
}

impl From<domain::GrievanceView> for Grievance {
    fn from(view: domain::GrievanceView) -> Self {
        Self {
            view,
            merged_from: None,
        }
    }
}

impl From<service::GrievanceWithFamily> for Grievance {
    fn from(found: service::GrievanceWithFamily) -> Self {
        Self {
            view: found.view,
            merged_from: Some(found.merged_from),
        }
    }
}

#[graphql_object(context = Context)]
impl Grievance {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(GRIEVANCE_KIND, self.view.grievance.id.0)
    }

    /// The neighbourhood it is about.
    fn neighbourhood(&self) -> Neighbourhood {
        Neighbourhood::from(self.view.neighbourhood.clone())
    }

    /// Up to 120 characters.
    fn title(&self) -> &str {
        &self.view.grievance.title
    }

    /// Up to 5,000 characters of plain text (never HTML).
    fn text(&self) -> &str {
        &self.view.grievance.text
    }

    /// The theme.
    fn theme(&self) -> Theme {
        Theme(self.view.theme.clone())
    }

    /// Where it is, when the author gave a place.
    fn location(&self) -> Option<GeoPoint> {
        self.view.grievance.location.map(Into::into)
    }

    /// Where it stands.
    fn status(&self) -> GrievanceStatus {
        self.view.grievance.status.into()
    }

    /// The reason or response given with the latest status change, shown to everybody.
    fn status_reason(&self) -> Option<&str> {
        self.view.grievance.status_reason.as_deref()
    }

    /// Who raised it, as you may see it.
    fn author(&self, context: &Context) -> Author {
        author(&self.view.author, context.language)
    }

    /// How many people co-signed ("ik ook").
    fn cosign_count(&self) -> i32 {
        clamp(self.view.grievance.cosign_count)
    }

    /// How many comments it has.
    fn comment_count(&self) -> i32 {
        clamp(self.view.grievance.comment_count)
    }

    /// Whether you co-signed it.
    fn viewer_has_cosigned(&self) -> bool {
        self.view.viewer_has_cosigned
    }

    /// Whether you raised it.
    fn viewer_is_author(&self) -> bool {
        self.view.viewer_is_author
    }

    /// What you may do with it.
    fn viewer_can(&self) -> GrievancePermissions {
        let p = self.view.permissions;
        GrievancePermissions {
            edit: p.edit,
            add_update: p.add_update,
            cosign: p.cosign,
            comment: p.comment,
            moderate: p.moderate,
        }
    }

    /// Updates the author added, oldest first.
    async fn updates(&self, context: &Context) -> GqlResult<Vec<GrievanceUpdate>> {
        let timeline = context
            .loaders
            .timeline(context, self.view.grievance.id)
            .await?;
        Ok(timeline.updates.into_iter().map(GrievanceUpdate).collect())
    }

    /// Status changes, oldest first, each with its reason.
    async fn history(&self, context: &Context) -> GqlResult<Vec<GrievanceStatusChange>> {
        let timeline = context
            .loaders
            .timeline(context, self.view.grievance.id)
            .await?;
        Ok(timeline
            .history
            .into_iter()
            .map(GrievanceStatusChange)
            .collect())
    }

    /// Comments, oldest first (newest last). `first` defaults to 50 and may be at most 100.
    async fn comments(
        &self,
        context: &Context,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<CommentConnection> {
        let grievance = self.view.grievance.clone();
        let neighbourhood_name = self.view.neighbourhood.name.clone();
        let after = after_cursor(context, after.as_deref(), parse_comment_cursor)?;
        let page = context
            .run(move |conn, actor| {
                comments::list(
                    conn,
                    actor,
                    &grievance,
                    &neighbourhood_name,
                    first.map(i64::from),
                    after,
                )
            })
            .await?;
        let edges: Vec<CommentEdge> = page
            .items
            .into_iter()
            .map(|c| CommentEdge {
                cursor: encode_cursor(&serde_json::json!([
                    c.created_at.and_utc().timestamp_micros(),
                    c.id.0
                ])),
                node: Comment(c),
            })
            .collect();
        Ok(CommentConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                has_previous_page: page.has_previous_page,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            total_count: clamp(page.total_count),
        })
    }

    /// When merged: the grievance it was merged into (clients go there).
    async fn merged_into(&self, context: &Context) -> GqlResult<Option<Grievance>> {
        let Some(target) = self.view.grievance.merged_into else {
            return Ok(None);
        };
        let themes = std::sync::Arc::clone(&context.themes);
        let found = context
            .run(move |conn, actor| service::get(conn, actor, &themes, target))
            .await?;
        Ok(found.map(Grievance::from))
    }

    /// The grievances merged into this one.
    async fn merged_from(&self, context: &Context) -> GqlResult<Vec<Grievance>> {
        let found = match &self.merged_from {
            Some(known) => known.clone(),
            None => {
                let id = self.view.grievance.id;
                let themes = std::sync::Arc::clone(&context.themes);
                context
                    .run(move |conn, actor| service::merged_from(conn, actor, &themes, id))
                    .await?
            }
        };
        Ok(found.into_iter().map(Grievance::from).collect())
    }

    /// The campaign it is part of, if any (read for all grievances of a request at once).
    async fn campaign(
        &self,
        context: &Context,
    ) -> GqlResult<Option<super::campaigns::CampaignLink>> {
        match self.view.grievance.campaign {
            None => Ok(None),
            Some(id) => context.loaders.campaign_link(context, id).await,
        }
    }

    /// When it was raised.
    fn created_at(&self) -> DateTime<Utc> {
        self.view.grievance.created_at.and_utc()
    }

    /// When it last changed.
    fn updated_at(&self) -> DateTime<Utc> {
        self.view.grievance.updated_at.and_utc()
    }
}

fn clamp(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// An update the author added.
pub struct GrievanceUpdate(DomainUpdate);

#[graphql_object(context = Context)]
impl GrievanceUpdate {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(UPDATE_KIND, self.0.id)
    }

    /// The text.
    fn text(&self) -> &str {
        &self.0.text
    }

    /// When it was added.
    fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.and_utc()
    }
}

/// One status change, with its public reason.
pub struct GrievanceStatusChange(DomainStatusChange);

#[graphql_object(context = Context)]
impl GrievanceStatusChange {
    /// The status before.
    fn from(&self) -> GrievanceStatus {
        self.0.from.into()
    }

    /// The status after.
    fn to(&self) -> GrievanceStatus {
        self.0.to.into()
    }

    /// Why, in the organiser's words.
    fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The organiser who made the change (null once their account is deleted).
    fn by(&self) -> Option<PublicPerson> {
        self.0.by.as_ref().map(|(id, name)| PublicPerson {
            id: encode_id(PERSON_KIND, id.0),
            display_name: name.clone(),
        })
    }

    /// When.
    fn at(&self) -> DateTime<Utc> {
        self.0.at.and_utc()
    }
}

/// A comment on a grievance.
pub struct Comment(domain::CommentView);

#[graphql_object(context = Context)]
impl Comment {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(COMMENT_KIND, self.0.id.0)
    }

    /// Who wrote it, as you may see it.
    fn author(&self, context: &Context) -> Author {
        author(&self.0.author, context.language)
    }

    /// Whether the person who raised the grievance wrote it.
    fn by_grievance_author(&self) -> bool {
        self.0.by_grievance_author
    }

    /// The text; null when an organiser hid it (organisers of the neighbourhood and admins still see it).
    fn text(&self) -> Option<&str> {
        self.0.text.as_deref()
    }

    /// Whether an organiser hid it.
    fn hidden(&self) -> bool {
        self.0.hidden
    }

    /// Why it was hidden; shown to everybody as "hidden by an organiser: <reason>".
    fn hidden_reason(&self) -> Option<&str> {
        self.0.hidden_reason.as_deref()
    }

    /// When it was written.
    fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.and_utc()
    }

    /// When it was last edited.
    fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.0.edited_at.map(|t| t.and_utc())
    }

    /// Whether you may still edit it (your own, within 15 minutes).
    fn viewer_can_edit(&self) -> bool {
        self.0.viewer_can_edit
    }

    /// Whether you reported it.
    fn viewer_has_reported(&self) -> bool {
        self.0.viewer_has_reported
    }

    /// How often it was reported; only for organisers of the neighbourhood and admins.
    fn report_count(&self) -> Option<i32> {
        self.0.report_count.map(clamp)
    }
}

/// A page of comments.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct CommentConnection {
    /// The comments on this page, oldest first.
    pub edges: Vec<CommentEdge>,
    /// Where this page sits.
    pub page_info: PageInfo,
    /// How many comments there are in all.
    pub total_count: i32,
}

/// A comment with its cursor.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct CommentEdge {
    /// Pass as `after` to continue after this comment.
    pub cursor: String,
    pub node: Comment,
}

/// A page of grievances.
pub struct GrievanceConnection {
    edges: Vec<GrievanceEdge>,
    page_info: PageInfo,
    count: service::ListCount,
}

#[graphql_object(context = Context)]
impl GrievanceConnection {
    /// The grievances on this page.
    fn edges(&self) -> &[GrievanceEdge] {
        &self.edges
    }

    /// Where this page sits.
    fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// How many grievances match the filter (read only when asked for).
    async fn total_count(&self, context: &Context) -> GqlResult<i32> {
        let count = self.count.clone();
        let n = context
            .run(move |conn, _| service::count(conn, &count))
            .await?;
        Ok(clamp(n))
    }
}

/// A grievance with its cursor.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct GrievanceEdge {
    /// Pass as `after` to continue after this grievance.
    pub cursor: String,
    pub node: Grievance,
    /// Metres from `filter.near`, when given.
    pub distance_meters: Option<i32>,
}

/// How maps are drawn.
#[derive(GraphQLObject)]
pub struct MapSettings {
    /// A tile URL template for Leaflet (`{z}/{x}/{y}`); null when this instance has no map tiles (show pins on a plain background).
    pub tile_url: Option<String>,
    /// The attribution the tiles require; null without tiles.
    pub attribution: Option<String>,
}

/// A new grievance.
#[derive(GraphQLInputObject)]
pub struct RaiseGrievanceInput {
    /// The neighbourhood; raising there makes you a member (not yet verified) when you were not.
    pub neighbourhood_id: ID,
    /// 1 to 120 characters.
    pub title: String,
    /// 1 to 5,000 characters of plain text.
    pub text: String,
    /// A theme key (see `themes`).
    pub theme: String,
    /// An optional place; refused when far outside the neighbourhood's area.
    pub location: Option<GeoPointInput>,
    /// Show your name to everybody. When false, the public sees "a resident of <neighbourhood>"; the neighbourhood's organisers still see who you are.
    pub show_name: bool,
}

/// New title, text and theme of a grievance (only until the first co-sign).
#[derive(GraphQLInputObject)]
pub struct EditGrievanceInput {
    /// The grievance.
    pub id: ID,
    /// 1 to 120 characters.
    pub title: String,
    /// 1 to 5,000 characters of plain text.
    pub text: String,
    /// A theme key.
    pub theme: String,
}

/// A new theme.
#[derive(GraphQLInputObject)]
pub struct CreateThemeInput {
    /// Lowercase letters, digits and hyphens, e.g. `culture`.
    pub key: String,
    /// The Dutch name.
    pub name_nl: String,
    /// The English name.
    pub name_en: String,
}

fn grievance_cursor(cursor: &domain::GrievanceCursor) -> String {
    encode_cursor(&match cursor {
        domain::GrievanceCursor::Top { cosigns, id } => serde_json::json!(["T", cosigns, id.0]),
        domain::GrievanceCursor::Newest { id } => serde_json::json!(["N", id.0]),
        domain::GrievanceCursor::Nearest { key, id } => serde_json::json!(["D", key, id.0]),
    })
}

pub(super) fn parse_grievance_cursor(raw: &str) -> Option<domain::GrievanceCursor> {
    let value = decode_cursor(raw)?;
    let id = |i: usize| value.get(i)?.as_i64().map(GrievanceId);
    match value.get(0)?.as_str()? {
        "T" => Some(domain::GrievanceCursor::Top {
            cosigns: value.get(1)?.as_i64()?,
            id: id(2)?,
        }),
        "N" => Some(domain::GrievanceCursor::Newest { id: id(1)? }),
        "D" => Some(domain::GrievanceCursor::Nearest {
            key: value.get(1)?.as_i64()?,
            id: id(2)?,
        }),
        _ => None,
    }
}

fn parse_comment_cursor(raw: &str) -> Option<CommentCursor> {
    let value = decode_cursor(raw)?;
    let micros = value.get(0)?.as_i64()?;
    Some(CommentCursor {
        created_at: DateTime::from_timestamp_micros(micros)?.naive_utc(),
        id: CommentId(value.get(1)?.as_i64()?),
    })
}

/// Decode a grievance id (see `decoded`) and run `work` with it.
async fn on_grievance<T, F>(context: &Context, raw: &ID, work: F) -> GqlResult<T>
where
    F: FnOnce(&mut DbConnection, &Actor, GrievanceId) -> DomainResult<T> + Send + 'static,
    T: Send + 'static,
{
    let id: GrievanceId = decoded(context, GRIEVANCE_KIND, raw, "grievance")?;
    context.run(move |conn, actor| work(conn, actor, id)).await
}

/// Decode a comment id (see `decoded`) and run `work` with it.
async fn on_comment<F>(context: &Context, raw: &ID, work: F) -> GqlResult<Comment>
where
    F: FnOnce(&mut DbConnection, &Actor, CommentId) -> DomainResult<domain::CommentView>
        + Send
        + 'static,
{
    let id: CommentId = decoded(context, COMMENT_KIND, raw, "comment")?;
    context
        .run(move |conn, actor| work(conn, actor, id))
        .await
        .map(Comment)
}

pub(super) async fn themes(context: &Context) -> GqlResult<Vec<Theme>> {
    let cache = std::sync::Arc::clone(&context.themes);
    let themes = context
        .run(move |conn, _| service::themes(conn, &cache))
        .await?;
    Ok(themes.into_iter().map(Theme).collect())
}

pub(super) async fn list(
    context: &Context,
    neighbourhood_id: ID,
    filter: Option<GrievanceFilter>,
    order_by: Option<GrievanceOrder>,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<GrievanceConnection> {
    let Some(neighbourhood) = decode_id(NEIGHBOURHOOD_KIND, &neighbourhood_id) else {
        return Err(context.fail(DomainError::NotFound {
            entity: "neighbourhood",
        }));
    };
    let after = after_cursor(context, after.as_deref(), parse_grievance_cursor)?;
    let filter = filter.unwrap_or_default();
    let query = ListQuery {
        neighbourhood: NeighbourhoodId(neighbourhood),
        filter: domain::GrievanceFilter {
            themes: filter.themes.unwrap_or_default(),
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            near: filter.near.map(|n| domain::Near {
                latitude: n.lat,
                longitude: n.lon,
                radius_meters: n.radius_meters,
            }),
        },
        order: match order_by.unwrap_or(GrievanceOrder::Top) {
            GrievanceOrder::Top => domain::Order::Top,
            GrievanceOrder::Newest => domain::Order::Newest,
            GrievanceOrder::Nearest => domain::Order::Nearest,
        },
        first: first.map(i64::from),
        after,
    };
    let themes = std::sync::Arc::clone(&context.themes);
    let (page, count) = context
        .run(move |conn, actor| service::list(conn, actor, &themes, query))
        .await?;
    Ok(connection(page, count))
}

pub(super) async fn by_id(context: &Context, id: ID) -> GqlResult<Option<Grievance>> {
    let Some(raw) = decode_id(GRIEVANCE_KIND, &id) else {
        return Ok(None);
    };
    let themes = std::sync::Arc::clone(&context.themes);
    let found = context
        .run(move |conn, actor| service::get(conn, actor, &themes, GrievanceId(raw)))
        .await?;
    Ok(found.map(Grievance::from))
}

pub(super) fn map_settings(context: &Context) -> MapSettings {
    MapSettings {
        tile_url: context.map.tile_url.clone(),
        attribution: context.map.attribution.clone(),
    }
}

pub(super) async fn raise(context: &Context, input: RaiseGrievanceInput) -> GqlResult<Grievance> {
    let neighbourhood: NeighbourhoodId = decoded(
        context,
        NEIGHBOURHOOD_KIND,
        &input.neighbourhood_id,
        "neighbourhood",
    )?;
    let form = raise_form(input, neighbourhood);
    let view = context
        .run(move |conn, actor| service::raise(conn, actor, form))
        .await?;
    // Raising may have made the person a member (joining is implicit).
    context.memberships_changed();
    Ok(Grievance::from(view))
}

fn raise_form(input: RaiseGrievanceInput, neighbourhood: NeighbourhoodId) -> RaiseGrievance {
    RaiseGrievance {
        neighbourhood,
        title: input.title,
        text: input.text,
        theme: input.theme,
        location: input.location.map(|p| (p.lat, p.lon)),
        show_name: input.show_name,
    }
}

pub(super) async fn raise_by_email(
    context: &Context,
    input: RaiseGrievanceInput,
    contact: super::accounts::ContactInput,
) -> GqlResult<bool> {
    let neighbourhood =
        decode_id(NEIGHBOURHOOD_KIND, &input.neighbourhood_id).ok_or_else(|| {
            context.fail(DomainError::NotFound {
                entity: "neighbourhood",
            })
        })?;
    let form = raise_form(input, NeighbourhoodId(neighbourhood));
    let contact = contact.into();
    let ctx = super::accounts::link_context(context);
    context
        .run(move |conn, _| pending::raise_by_email(conn, &form, &contact, &ctx))
        .await?;
    context.wake_outbox();
    Ok(true)
}

pub(super) async fn cosign_by_email(
    context: &Context,
    grievance_id: ID,
    contact: super::accounts::ContactInput,
) -> GqlResult<bool> {
    let id = decode_id(GRIEVANCE_KIND, &grievance_id).ok_or_else(|| {
        context.fail(DomainError::NotFound {
            entity: "grievance",
        })
    })?;
    let contact = contact.into();
    let ctx = super::accounts::link_context(context);
    context
        .run(move |conn, _| pending::cosign_by_email(conn, GrievanceId(id), &contact, &ctx))
        .await?;
    context.wake_outbox();
    Ok(true)
}

pub(super) async fn needing_response(
    context: &Context,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<GrievanceConnection> {
    let after = after_cursor(
        context,
        after.as_deref(),
        |raw| match parse_grievance_cursor(raw)? {
            domain::GrievanceCursor::Newest { id } => Some(id),
            _ => None,
        },
    )?;
    let themes = std::sync::Arc::clone(&context.themes);
    let (page, count) = context
        .run(move |conn, actor| {
            service::needing_response(conn, actor, &themes, first.map(i64::from), after)
        })
        .await?;
    Ok(connection(page, count))
}

pub(super) fn connection(
    page: domain::GrievancePage,
    count: service::ListCount,
) -> GrievanceConnection {
    let edges: Vec<GrievanceEdge> = page
        .items
        .into_iter()
        .map(|item| GrievanceEdge {
            cursor: grievance_cursor(&item.cursor),
            distance_meters: item.distance_meters.map(|d| d.round() as i32),
            node: Grievance::from(item.view),
        })
        .collect();
    GrievanceConnection {
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
        count,
    }
}

pub(super) async fn edit(context: &Context, input: EditGrievanceInput) -> GqlResult<Grievance> {
    let id: GrievanceId = decoded(context, GRIEVANCE_KIND, &input.id, "grievance")?;
    let form = EditGrievance {
        id,
        title: input.title,
        text: input.text,
        theme: input.theme,
    };
    context
        .run(move |conn, actor| service::edit(conn, actor, form))
        .await
        .map(Grievance::from)
}

pub(super) async fn add_update(
    context: &Context,
    grievance_id: ID,
    text: String,
) -> GqlResult<Grievance> {
    on_grievance(context, &grievance_id, move |conn, actor, id| {
        service::add_update(conn, actor, id, &text)
    })
    .await
    .map(Grievance::from)
}

pub(super) async fn cosign(
    context: &Context,
    grievance_id: ID,
    withdraw: bool,
) -> GqlResult<Grievance> {
    let view = on_grievance(context, &grievance_id, move |conn, actor, id| {
        if withdraw {
            service::withdraw_cosign(conn, actor, id)
        } else {
            service::cosign(conn, actor, id)
        }
    })
    .await?;
    if !withdraw {
        // Co-signing may have made the person a member (joining is implicit).
        context.memberships_changed();
    }
    Ok(Grievance::from(view))
}

pub(super) async fn change_status(
    context: &Context,
    grievance_id: ID,
    step: StatusStep,
    reason: String,
) -> GqlResult<Grievance> {
    let public_url = context.public_url.clone();
    let view = on_grievance(context, &grievance_id, move |conn, actor, id| {
        service::change_status(conn, actor, id, step, &reason, &public_url)
    })
    .await?;
    context.wake_outbox();
    Ok(Grievance::from(view))
}

pub(super) async fn merge(
    context: &Context,
    survivor_id: ID,
    merged_ids: Vec<ID>,
    reason: String,
) -> GqlResult<Grievance> {
    let survivor: GrievanceId = decoded(context, GRIEVANCE_KIND, &survivor_id, "grievance")?;
    let mut merged = Vec::with_capacity(merged_ids.len());
    for id in &merged_ids {
        merged.push(decoded::<GrievanceId>(
            context,
            GRIEVANCE_KIND,
            id,
            "grievance",
        )?);
    }
    let public_url = context.public_url.clone();
    let view = context
        .run(move |conn, actor| {
            service::merge(conn, actor, survivor, &merged, &reason, &public_url)
        })
        .await?;
    context.wake_outbox();
    Ok(Grievance::from(view))
}

pub(super) async fn add_comment(
    context: &Context,
    grievance_id: ID,
    text: String,
) -> GqlResult<Comment> {
    on_grievance(context, &grievance_id, move |conn, actor, id| {
        comments::add(conn, actor, id, &text)
    })
    .await
    .map(Comment)
}

pub(super) async fn edit_comment(
    context: &Context,
    comment_id: ID,
    text: String,
) -> GqlResult<Comment> {
    on_comment(context, &comment_id, move |conn, actor, id| {
        comments::edit(conn, actor, id, &text)
    })
    .await
}

pub(super) async fn report_comment(
    context: &Context,
    comment_id: ID,
    reason: Option<String>,
) -> GqlResult<Comment> {
    on_comment(context, &comment_id, move |conn, actor, id| {
        comments::report(conn, actor, id, reason.as_deref())
    })
    .await
}

pub(super) async fn hide_comment(
    context: &Context,
    comment_id: ID,
    reason: String,
) -> GqlResult<Comment> {
    on_comment(context, &comment_id, move |conn, actor, id| {
        comments::hide(conn, actor, id, &reason)
    })
    .await
}

pub(super) async fn create_theme(context: &Context, input: CreateThemeInput) -> GqlResult<Theme> {
    let cache = std::sync::Arc::clone(&context.themes);
    context
        .run(move |conn, actor| {
            let theme =
                service::create_theme(conn, actor, &input.key, &input.name_nl, &input.name_en)?;
            cache.reload(conn)?;
            Ok(theme)
        })
        .await
        .map(Theme)
}

pub(super) async fn set_area(
    context: &Context,
    neighbourhood_id: ID,
    area: Option<NeighbourhoodAreaInput>,
) -> GqlResult<Neighbourhood> {
    let id: NeighbourhoodId = match decode_id(NEIGHBOURHOOD_KIND, &neighbourhood_id) {
        Some(raw) => NeighbourhoodId(raw),
        None => {
            crate::domain::neighbourhoods::policy::may_manage_neighbourhoods(&context.actor)
                .map_err(|e| context.fail(e))?;
            return Err(context.fail(DomainError::NotFound {
                entity: "neighbourhood",
            }));
        }
    };
    let form = area.map(|a| crate::domain::neighbourhoods::service::AreaForm {
        latitude: a.center.lat,
        longitude: a.center.lon,
        radius_meters: a.radius_meters,
    });
    context
        .run(move |conn, actor| {
            crate::domain::neighbourhoods::service::set_area(conn, actor, id, form)
        })
        .await
        .map(Neighbourhood::from)
}
