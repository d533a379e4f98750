//! GraphQL types and resolvers for campaigns: a thin layer over `domain::campaigns`. Every
//! rule (who may do what, who may see whom) is decided in the domain; this layer maps types.

use super::relay::decoded;
use chrono::{DateTime, Utc};
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID, graphql_object};

use super::accounts::PERSON_KIND;
use super::grievances::{GrievanceConnection, connection, parse_grievance_cursor};
use super::neighbourhoods::{Neighbourhood, PublicPerson};
use super::relay::{PageInfo, after_cursor, decode_cursor, decode_id, encode_cursor, encode_id};
use super::{Context, GqlResult};
use crate::db::DbConnection;
use crate::domain::campaigns::model::{
    CompletePhase, NewGoal, StartCampaign, UpdateGoal as DomainUpdateGoal,
};
use crate::domain::campaigns::service::{self, PUBLIC_KIND};
use crate::domain::campaigns::{self as domain};
use crate::domain::grievances::GrievanceCursor;
use crate::domain::grievances::service as grievances_service;
use crate::domain::ids::{CampaignId, GoalId, GrievanceId, NeighbourhoodId, PhaseId, UserId};
use crate::domain::{Actor, DomainError, DomainResult};

const CAMPAIGN_KIND: &str = PUBLIC_KIND;
const PHASE_KIND: &str = "CampaignPhase";
const GOAL_KIND: &str = "PhaseGoal";
const GRIEVANCE_KIND: &str = grievances_service::PUBLIC_KIND;
const NEIGHBOURHOOD_KIND: &str = "Neighbourhood";

/// Whether a campaign still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum CampaignStatus {
    /// It runs: one phase is active.
    Active,
    /// Its last phase was completed, with an outcome.
    Closed,
}

impl From<domain::CampaignStatus> for CampaignStatus {
    fn from(s: domain::CampaignStatus) -> Self {
        match s {
            domain::CampaignStatus::Active => Self::Active,
            domain::CampaignStatus::Closed => Self::Closed,
        }
    }
}

impl From<CampaignStatus> for domain::CampaignStatus {
    fn from(s: CampaignStatus) -> Self {
        match s {
            CampaignStatus::Active => Self::Active,
            CampaignStatus::Closed => Self::Closed,
        }
    }
}

/// How a campaign ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum CampaignOutcome {
    /// The linked grievances become RESOLVED.
    Won,
    /// The linked grievances become RESOLVED.
    PartlyWon,
    /// The linked grievances become CLOSED.
    NotWon,
    /// The linked grievances become CLOSED.
    Stopped,
}

impl From<domain::Outcome> for CampaignOutcome {
    fn from(o: domain::Outcome) -> Self {
        match o {
            domain::Outcome::Won => Self::Won,
            domain::Outcome::PartlyWon => Self::PartlyWon,
            domain::Outcome::NotWon => Self::NotWon,
            domain::Outcome::Stopped => Self::Stopped,
        }
    }
}

impl From<CampaignOutcome> for domain::Outcome {
    fn from(o: CampaignOutcome) -> Self {
        match o {
            CampaignOutcome::Won => Self::Won,
            CampaignOutcome::PartlyWon => Self::PartlyWon,
            CampaignOutcome::NotWon => Self::NotWon,
            CampaignOutcome::Stopped => Self::Stopped,
        }
    }
}

/// Where a phase stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum PhaseStatus {
    /// Not started yet; its title and description can still be edited.
    Planned,
    /// The one running phase of the campaign.
    Active,
    /// Done, with a reflection.
    Completed,
}

impl From<domain::PhaseStatus> for PhaseStatus {
    fn from(s: domain::PhaseStatus) -> Self {
        match s {
            domain::PhaseStatus::Planned => Self::Planned,
            domain::PhaseStatus::Active => Self::Active,
            domain::PhaseStatus::Completed => Self::Completed,
        }
    }
}

/// What you are and may do in a campaign (the mutations check the same rules).
#[derive(GraphQLObject)]
pub struct CampaignViewerFlags {
    /// You joined it.
    pub is_participant: bool,
    /// You are in its core team ("kerngroep").
    pub is_core_team: bool,
    /// Edit it, its phases and goals, link and unlink grievances, complete phases: the core team, organisers of the neighbourhood and admins, while it runs.
    pub can_edit: bool,
    /// Add and remove core-team members and step back: organisers of the neighbourhood and admins.
    pub can_moderate: bool,
}

/// A campaign ("actie"): residents acting together on grievances, in phases with goals.
pub struct Campaign(domain::CampaignView);

impl From<domain::CampaignView> for Campaign {
    fn from(view: domain::CampaignView) -> Self {
        Self(view)
    }
}

#[graphql_object(context = Context)]
impl Campaign {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(CAMPAIGN_KIND, self.0.campaign.id.0)
    }

    /// The neighbourhood it is in.
    fn neighbourhood(&self) -> Neighbourhood {
        Neighbourhood::from(self.0.neighbourhood.clone())
    }

    fn title(&self) -> &str {
        &self.0.campaign.title
    }

    fn summary(&self) -> &str {
        &self.0.campaign.summary
    }

    /// The change goals ("veranderdoelen"): what must be different, in order (at most 10).
    fn change_goals(&self) -> &[String] {
        &self.0.campaign.change_goals
    }

    fn status(&self) -> CampaignStatus {
        self.0.campaign.status.into()
    }

    /// How it ended, once closed.
    fn outcome(&self) -> Option<CampaignOutcome> {
        self.0.campaign.outcome.map(Into::into)
    }

    /// Residents run it: the organiser stepped back.
    fn run_by_residents(&self) -> bool {
        self.0.campaign.handed_over_at.is_some()
    }

    /// When the organiser stepped back.
    fn handed_over_at(&self) -> Option<DateTime<Utc>> {
        self.0.campaign.handed_over_at.map(|t| t.and_utc())
    }

    /// The phases in order (at most 12), each with its goals.
    fn phases(&self) -> Vec<CampaignPhase> {
        self.0.phases.iter().cloned().map(CampaignPhase).collect()
    }

    /// The phase that runs now; null once closed.
    fn active_phase(&self) -> Option<CampaignPhase> {
        self.0
            .phases
            .iter()
            .find(|p| p.status == domain::PhaseStatus::Active)
            .cloned()
            .map(CampaignPhase)
    }

    /// Share of all goals of all phases that are met, 0 to 100.
    fn progress_percent(&self) -> i32 {
        let goals: Vec<_> = self.0.phases.iter().flat_map(|p| p.goals.iter()).collect();
        if goals.is_empty() {
            return 0;
        }
        (goals.iter().filter(|g| g.is_met()).count() * 100 / goals.len()) as i32
    }

    /// How many people joined it (exact).
    fn participant_count(&self) -> i32 {
        i32::try_from(self.0.campaign.participant_count).unwrap_or(i32::MAX)
    }

    /// The core team ("kerngroep"), display names only (at most 30).
    fn core_team(&self) -> Vec<PublicPerson> {
        self.0
            .core_team
            .iter()
            .map(|(id, name)| PublicPerson {
                id: encode_id(PERSON_KIND, id.0),
                display_name: name.clone(),
            })
            .collect()
    }

    /// The linked grievances, newest first, with their co-sign counts; anonymous authors stay anonymous. `first` defaults to 20 and may be at most 100. Meant for one campaign's page (like `Grievance.comments`): in a list it costs one statement per campaign.
    async fn grievances(
        &self,
        context: &Context,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<GrievanceConnection> {
        let after = after_cursor(
            context,
            after.as_deref(),
            |raw| match parse_grievance_cursor(raw)? {
                GrievanceCursor::Newest { id } => Some(id),
                _ => None,
            },
        )?;
        let campaign = self.0.campaign.id;
        let themes = std::sync::Arc::clone(&context.themes);
        let (page, count) = context
            .run(move |conn, actor| {
                grievances_service::in_campaign(
                    conn,
                    actor,
                    &themes,
                    campaign,
                    first.map(i64::from),
                    after,
                )
            })
            .await?;
        Ok(connection(page, count))
    }

    /// What you are and may do here.
    fn viewer(&self) -> CampaignViewerFlags {
        let f = self.0.viewer;
        CampaignViewerFlags {
            is_participant: f.is_participant,
            is_core_team: f.is_core_team,
            can_edit: f.can_edit,
            can_moderate: f.can_moderate,
        }
    }

    fn created_at(&self) -> DateTime<Utc> {
        self.0.campaign.created_at.and_utc()
    }

    fn updated_at(&self) -> DateTime<Utc> {
        self.0.campaign.updated_at.and_utc()
    }

    fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.campaign.closed_at.map(|t| t.and_utc())
    }
}

/// A phase of a campaign.
pub struct CampaignPhase(domain::Phase);

#[graphql_object(context = Context)]
impl CampaignPhase {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(PHASE_KIND, self.0.id.0)
    }

    /// 0 for the first phase.
    fn position(&self) -> i32 {
        self.0.position
    }

    fn title(&self) -> &str {
        &self.0.title
    }

    fn description(&self) -> &str {
        &self.0.description
    }

    fn status(&self) -> PhaseStatus {
        self.0.status.into()
    }

    /// What went well, what did not, what we learned; set when it was completed.
    fn reflection(&self) -> Option<&str> {
        self.0.reflection.as_deref()
    }

    fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at.map(|t| t.and_utc())
    }

    /// Share of its goals that are met, 0 to 100.
    fn progress_percent(&self) -> i32 {
        self.0.progress_percent()
    }

    /// Its goals in order (at most 20).
    fn goals(&self) -> Vec<PhaseGoal> {
        self.0.goals.iter().cloned().map(PhaseGoal).collect()
    }
}

/// A goal of a phase: a text, optionally a numeric target with a unit.
pub struct PhaseGoal(domain::Goal);

#[graphql_object(context = Context)]
impl PhaseGoal {
    /// Opaque identifier.
    fn id(&self) -> ID {
        encode_id(GOAL_KIND, self.0.id.0)
    }

    fn text(&self) -> &str {
        &self.0.text
    }

    /// The number to reach, e.g. 200 (signatures).
    fn target(&self) -> Option<i32> {
        self.0.target.and_then(|t| i32::try_from(t).ok())
    }

    fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    fn current_value(&self) -> Option<i32> {
        self.0.current_value.and_then(|v| i32::try_from(v).ok())
    }

    /// For a progress bar, 0 to 100.
    fn progress_percent(&self) -> i32 {
        self.0.progress_percent()
    }

    /// Ticked with evidence, or its value reached the target.
    fn met(&self) -> bool {
        self.0.is_met()
    }

    fn met_at(&self) -> Option<DateTime<Utc>> {
        self.0.met_at.map(|t| t.and_utc())
    }

    /// The note given when it was met.
    fn evidence(&self) -> Option<&str> {
        self.0.evidence.as_deref()
    }

    fn evidence_link(&self) -> Option<&str> {
        self.0.evidence_link.as_deref()
    }

    /// Why it was not met, when its phase was completed without it.
    fn unmet_reason(&self) -> Option<&str> {
        self.0.unmet_reason.as_deref()
    }
}

/// The short form of a campaign, as a grievance links to it.
pub struct CampaignLink(pub domain::Campaign);

#[graphql_object(context = Context)]
impl CampaignLink {
    /// Opaque identifier (use with `campaign(id:)`).
    fn id(&self) -> ID {
        encode_id(CAMPAIGN_KIND, self.0.id.0)
    }

    fn title(&self) -> &str {
        &self.0.title
    }

    fn status(&self) -> CampaignStatus {
        self.0.status.into()
    }

    fn outcome(&self) -> Option<CampaignOutcome> {
        self.0.outcome.map(Into::into)
    }
}

/// A page of campaigns, newest first.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct CampaignConnection {
    pub edges: Vec<CampaignEdge>,
    pub page_info: PageInfo,
}

/// A campaign with its cursor.
#[derive(GraphQLObject)]
#[graphql(context = Context)]
pub struct CampaignEdge {
    /// Pass as `after` to continue after this campaign.
    pub cursor: String,
    pub node: Campaign,
}

/// Which campaigns a list holds.
#[derive(GraphQLInputObject, Default)]
pub struct CampaignFilter {
    /// Empty or left out: all.
    pub statuses: Option<Vec<CampaignStatus>>,
}

/// Start a campaign from grievances of one neighbourhood.
#[derive(GraphQLInputObject)]
pub struct StartCampaignInput {
    /// One to 50 grievances, all of one neighbourhood, open or acknowledged and in no campaign.
    pub grievance_ids: Vec<ID>,
    /// At most 120 characters.
    pub title: String,
    /// At most 5,000 characters.
    pub summary: String,
    /// One to 10 change goals, in order, each at most 300 characters.
    pub change_goals: Vec<String>,
}

/// A new goal for a phase that is not completed.
#[derive(GraphQLInputObject)]
pub struct AddPhaseGoalInput {
    pub phase_id: ID,
    /// At most 300 characters.
    pub text: String,
    /// A number to reach, 1 to 1,000,000,000.
    pub target: Option<i32>,
    /// The unit of the target, e.g. "handtekeningen" (only with a target).
    pub unit: Option<String>,
}

/// A change to a goal of the active phase, always with a note.
#[derive(GraphQLInputObject)]
pub struct UpdatePhaseGoalInput {
    pub goal_id: ID,
    /// The new value (goals with a target); the goal is met once it reaches the target.
    pub value: Option<i32>,
    /// Tick the goal as met: the note (and link) are the evidence.
    pub met: Option<bool>,
    /// At most 1,000 characters.
    pub note: String,
    /// An http(s) link as evidence.
    pub link: Option<String>,
}

/// Why a goal was not met.
#[derive(GraphQLInputObject)]
pub struct UnmetGoalReasonInput {
    pub goal_id: ID,
    /// At most 1,000 characters.
    pub reason: String,
}

/// Complete the active phase.
#[derive(GraphQLInputObject)]
pub struct CompletePhaseInput {
    pub phase_id: ID,
    /// What went well, what did not, what we learned (at most 5,000 characters).
    pub reflection: String,
    /// A reason for every goal that is not met.
    pub unmet_reasons: Option<Vec<UnmetGoalReasonInput>>,
    /// Needed for the last phase: how the campaign ended.
    pub outcome: Option<CampaignOutcome>,
    /// Needed for the last phase: a short summary, shown as the reason on the linked grievances (at most 1,000 characters).
    pub outcome_summary: Option<String>,
}

/// A neighbourhood's campaign settings.
#[derive(GraphQLObject)]
pub struct CampaignSettings {
    pub neighbourhood_id: ID,
    /// Residents who raised or co-signed a grievance may start a campaign from it (on by default).
    pub residents_may_start: bool,
}

fn campaign_cursor(id: CampaignId) -> String {
    encode_cursor(&serde_json::json!([id.0]))
}

fn parse_campaign_cursor(raw: &str) -> Option<CampaignId> {
    let value = decode_cursor(raw)?;
    Some(CampaignId(value.get(0)?.as_i64()?))
}

fn grievance_ids(context: &Context, ids: &[ID]) -> GqlResult<Vec<GrievanceId>> {
    ids.iter()
        .map(|id| decoded(context, GRIEVANCE_KIND, id, "grievance"))
        .collect()
}

/// Run a step that returns the changed campaign.
async fn step<F>(context: &Context, work: F) -> GqlResult<Campaign>
where
    F: FnOnce(&mut DbConnection, &Actor) -> DomainResult<domain::CampaignView> + Send + 'static,
{
    context.run(work).await.map(Campaign)
}

pub(super) async fn list(
    context: &Context,
    neighbourhood_id: ID,
    filter: Option<CampaignFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<CampaignConnection> {
    let Some(neighbourhood) = decode_id(NEIGHBOURHOOD_KIND, &neighbourhood_id) else {
        return Err(context.fail(DomainError::NotFound {
            entity: "neighbourhood",
        }));
    };
    let after = after_cursor(context, after.as_deref(), parse_campaign_cursor)?;
    let statuses: Vec<domain::CampaignStatus> = filter
        .unwrap_or_default()
        .statuses
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect();
    let page = context
        .run(move |conn, actor| {
            service::list(
                conn,
                actor,
                NeighbourhoodId(neighbourhood),
                &statuses,
                first.map(i64::from),
                after,
            )
        })
        .await?;
    let edges: Vec<CampaignEdge> = page
        .items
        .into_iter()
        .map(|view| CampaignEdge {
            cursor: campaign_cursor(view.campaign.id),
            node: Campaign(view),
        })
        .collect();
    Ok(CampaignConnection {
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
    })
}

pub(super) async fn by_id(context: &Context, id: ID) -> GqlResult<Option<Campaign>> {
    let Some(raw) = decode_id(CAMPAIGN_KIND, &id) else {
        return Ok(None);
    };
    let found = context
        .run(move |conn, actor| service::get(conn, actor, CampaignId(raw)))
        .await?;
    Ok(found.map(Campaign))
}

pub(super) async fn start(context: &Context, input: StartCampaignInput) -> GqlResult<Campaign> {
    let form = StartCampaign {
        grievances: grievance_ids(context, &input.grievance_ids)?,
        title: input.title,
        summary: input.summary,
        change_goals: input.change_goals,
    };
    let language = context.language;
    let public_url = context.public_url.clone();
    let campaign = step(context, move |conn, actor| {
        service::start(conn, actor, form, language, &public_url)
    })
    .await?;
    context.wake_outbox();
    Ok(campaign)
}

pub(super) async fn add_grievances(
    context: &Context,
    campaign_id: ID,
    grievance_ids_in: Vec<ID>,
) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    let ids = grievance_ids(context, &grievance_ids_in)?;
    let public_url = context.public_url.clone();
    let campaign = step(context, move |conn, actor| {
        service::add_grievances(conn, actor, id, &ids, &public_url)
    })
    .await?;
    context.wake_outbox();
    Ok(campaign)
}

pub(super) async fn unlink_grievance(
    context: &Context,
    campaign_id: ID,
    grievance_id: ID,
    reason: String,
) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    let grievance: GrievanceId = decoded(context, GRIEVANCE_KIND, &grievance_id, "grievance")?;
    step(context, move |conn, actor| {
        service::unlink_grievance(conn, actor, id, grievance, &reason)
    })
    .await
}

pub(super) async fn add_phase(
    context: &Context,
    campaign_id: ID,
    title: String,
    description: Option<String>,
) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    step(context, move |conn, actor| {
        service::add_phase(
            conn,
            actor,
            id,
            &title,
            description.as_deref().unwrap_or(""),
        )
    })
    .await
}

pub(super) async fn edit_phase(
    context: &Context,
    phase_id: ID,
    title: String,
    description: Option<String>,
) -> GqlResult<Campaign> {
    let phase: PhaseId = decoded(context, PHASE_KIND, &phase_id, "phase")?;
    step(context, move |conn, actor| {
        service::edit_phase(
            conn,
            actor,
            phase,
            &title,
            description.as_deref().unwrap_or(""),
        )
    })
    .await
}

pub(super) async fn add_goal(context: &Context, input: AddPhaseGoalInput) -> GqlResult<Campaign> {
    let form = NewGoal {
        phase: decoded(context, PHASE_KIND, &input.phase_id, "phase")?,
        text: input.text,
        target: input.target.map(i64::from),
        unit: input.unit,
    };
    step(context, move |conn, actor| {
        service::add_goal(conn, actor, form)
    })
    .await
}

pub(super) async fn update_goal(
    context: &Context,
    input: UpdatePhaseGoalInput,
) -> GqlResult<Campaign> {
    let form = DomainUpdateGoal {
        goal: decoded::<GoalId>(context, GOAL_KIND, &input.goal_id, "goal")?,
        value: input.value.map(i64::from),
        met: input.met.unwrap_or(false),
        note: input.note,
        link: input.link,
    };
    step(context, move |conn, actor| {
        service::update_goal(conn, actor, form)
    })
    .await
}

pub(super) async fn complete_phase(
    context: &Context,
    input: CompletePhaseInput,
) -> GqlResult<Campaign> {
    let mut unmet_reasons = Vec::new();
    for r in input.unmet_reasons.unwrap_or_default() {
        unmet_reasons.push((
            decoded::<GoalId>(context, GOAL_KIND, &r.goal_id, "goal")?,
            r.reason,
        ));
    }
    let form = CompletePhase {
        phase: decoded(context, PHASE_KIND, &input.phase_id, "phase")?,
        reflection: input.reflection,
        unmet_reasons,
        outcome: input.outcome.map(Into::into),
        outcome_summary: input.outcome_summary,
    };
    step(context, move |conn, actor| {
        service::complete_phase(conn, actor, form)
    })
    .await
}

pub(super) async fn join(context: &Context, campaign_id: ID, leave: bool) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    step(context, move |conn, actor| {
        if leave {
            service::leave(conn, actor, id)
        } else {
            service::join(conn, actor, id)
        }
    })
    .await
}

pub(super) async fn set_core_team(
    context: &Context,
    campaign_id: ID,
    person_id: ID,
    member: bool,
    reason: String,
) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    let person: UserId = decoded(context, PERSON_KIND, &person_id, "person")?;
    step(context, move |conn, actor| {
        service::set_core_team(conn, actor, id, person, member, &reason)
    })
    .await
}

pub(super) async fn step_back(
    context: &Context,
    campaign_id: ID,
    reason: String,
) -> GqlResult<Campaign> {
    let id: CampaignId = decoded(context, CAMPAIGN_KIND, &campaign_id, "campaign")?;
    step(context, move |conn, actor| {
        service::step_back(conn, actor, id, &reason)
    })
    .await
}

pub(super) async fn settings(
    context: &Context,
    neighbourhood_id: ID,
) -> GqlResult<CampaignSettings> {
    let neighbourhood: NeighbourhoodId = decoded(
        context,
        NEIGHBOURHOOD_KIND,
        &neighbourhood_id,
        "neighbourhood",
    )?;
    let allowed = context
        .run(move |conn, _| service::residents_may_start(conn, neighbourhood))
        .await?;
    Ok(CampaignSettings {
        neighbourhood_id,
        residents_may_start: allowed,
    })
}

pub(super) async fn set_settings(
    context: &Context,
    neighbourhood_id: ID,
    residents_may_start: bool,
) -> GqlResult<CampaignSettings> {
    let neighbourhood: NeighbourhoodId = decoded(
        context,
        NEIGHBOURHOOD_KIND,
        &neighbourhood_id,
        "neighbourhood",
    )?;
    let allowed = context
        .run(move |conn, actor| {
            service::set_residents_may_start(conn, actor, neighbourhood, residents_may_start)
        })
        .await?;
    Ok(CampaignSettings {
        neighbourhood_id,
        residents_may_start: allowed,
    })
}
