//! The GraphQL API: a thin layer over the domain. Doc comments on the types below are the
//! public API documentation (they appear in the SDL).

pub mod accounts;
pub mod audit;
pub mod budgets;
pub mod campaigns;
pub mod context;
pub mod cost;
pub mod error;
pub mod grievances;
pub mod i18n;
pub mod loaders;
pub mod neighbourhoods;
pub mod relay;
pub mod trusted;

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

    /// The themes a grievance can have, in display order.
    async fn themes(context: &Context) -> GqlResult<Vec<grievances::Theme>> {
        grievances::themes(context).await
    }

    /// A neighbourhood's grievances. `orderBy` defaults to TOP; `first` defaults to 20 and may be at most 100. Paging is stable when grievances are added meanwhile.
    async fn grievances(
        context: &Context,
        neighbourhood_id: ID,
        filter: Option<grievances::GrievanceFilter>,
        order_by: Option<grievances::GrievanceOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<grievances::GrievanceConnection> {
        grievances::list(context, neighbourhood_id, filter, order_by, first, after).await
    }

    /// New grievances that wait for a response: the OPEN grievances of the neighbourhoods you organise, oldest first (the organiser's first screen). Empty for people who organise none. `first` defaults to 20 and may be at most 100.
    async fn grievances_needing_response(
        context: &Context,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<grievances::GrievanceConnection> {
        grievances::needing_response(context, first, after).await
    }

    /// One grievance, or null when there is none.
    async fn grievance(context: &Context, id: ID) -> GqlResult<Option<grievances::Grievance>> {
        grievances::by_id(context, id).await
    }

    /// A neighbourhood's campaigns, newest first. `first` defaults to 20 and may be at most 100.
    async fn campaigns(
        context: &Context,
        neighbourhood_id: ID,
        filter: Option<campaigns::CampaignFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<campaigns::CampaignConnection> {
        campaigns::list(context, neighbourhood_id, filter, first, after).await
    }

    /// One campaign, or null when there is none.
    async fn campaign(context: &Context, id: ID) -> GqlResult<Option<campaigns::Campaign>> {
        campaigns::by_id(context, id).await
    }

    /// A neighbourhood's campaign settings.
    async fn campaign_settings(
        context: &Context,
        neighbourhood_id: ID,
    ) -> GqlResult<campaigns::CampaignSettings> {
        campaigns::settings(context, neighbourhood_id).await
    }

    /// How maps are drawn on this instance.
    fn map_settings(context: &Context) -> grievances::MapSettings {
        grievances::map_settings(context)
    }

    /// The wijkbudget rounds of a neighbourhood, newest first (`first`: default 20, at most 100).
    async fn budget_rounds(
        context: &Context,
        neighbourhood_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<budgets::BudgetRoundConnection> {
        budgets::rounds(context, neighbourhood_id, first, after).await
    }

    /// One budget round, with the viewer's vote status; null when it does not exist.
    async fn budget_round(context: &Context, id: ID) -> GqlResult<Option<budgets::BudgetRound>> {
        budgets::round(context, id).await
    }

    /// The proposals of a budget round, oldest first (`first`: default 20, at most 100); null
    /// when the round does not exist.
    async fn budget_proposals(
        context: &Context,
        round_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Option<budgets::BudgetProposalConnection>> {
        budgets::proposals(context, round_id, first, after).await
    }

    /// The counted outcome of a budget round; null until the vote is closed and counted.
    async fn budget_outcome(
        context: &Context,
        round_id: ID,
    ) -> GqlResult<Option<budgets::BudgetOutcome>> {
        budgets::outcome(context, round_id).await
    }
}

/// The schema's root mutation type.
pub struct Mutation;

#[graphql_object(context = Context)]
impl Mutation {
    /// Create a wijkbudget round: organisers of the neighbourhood and admins. Ballot kind and
    /// rule are fixed from here on.
    async fn create_budget_round(
        context: &Context,
        input: budgets::CreateBudgetRoundInput,
    ) -> GqlResult<budgets::BudgetRound> {
        budgets::create_round(context, input).await
    }

    /// Move a budget round to its next phase (organisers and admins; in the audit log).
    /// Closing the vote counts it with pb-rules and stores the outcome.
    async fn advance_budget_round(
        context: &Context,
        id: ID,
        reason: Option<String>,
    ) -> GqlResult<budgets::BudgetRound> {
        budgets::advance(context, id, reason).await
    }

    /// Propose a project: members of the neighbourhood, while proposing is open.
    async fn propose_budget_project(
        context: &Context,
        input: budgets::ProposeBudgetProjectInput,
    ) -> GqlResult<budgets::BudgetProposal> {
        budgets::propose(context, input).await
    }

    /// Edit one's own proposal, while proposing is open.
    async fn edit_budget_proposal(
        context: &Context,
        input: budgets::EditBudgetProposalInput,
    ) -> GqlResult<budgets::BudgetProposal> {
        budgets::edit_proposal(context, input).await
    }

    /// Review a proposal (organisers and admins, while reviewing; the reason is public and in
    /// the audit log). Only feasible proposals go on the ballot.
    async fn review_budget_proposal(
        context: &Context,
        input: budgets::ReviewBudgetProposalInput,
    ) -> GqlResult<budgets::BudgetProposal> {
        budgets::review(context, input).await
    }

    /// Cast the viewer's secret ballot: members of the neighbourhood, once, while voting is
    /// open. `choices` are proposal ids on the ballot.
    async fn cast_budget_ballot(
        context: &Context,
        round_id: ID,
        choices: Vec<ID>,
    ) -> GqlResult<budgets::BudgetRound> {
        budgets::cast(context, round_id, choices).await
    }

    /// Create an account and send a sign-in link. For an address that already has an account, a sign-in link is sent instead; the answer is the same, so nobody can find out who has an account.
    async fn register(context: &Context, input: RegisterInput) -> GqlResult<bool> {
        accounts::register(context, input).await
    }

    /// Send a sign-in link to this address. For an address without an account, the mail says so and offers a link that makes one. The answer is the same either way, so nobody can find out who has an account.
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

    /// Confirm an action done before signing in (a co-sign, a new grievance, …) with the token from its e-mail: makes the account and the neighbourhood membership when there are none, carries the action out and signs you in. Works once, for 48 hours. `displayName` is needed only when the action has no name yet (a link that makes an account).
    async fn confirm_action(
        context: &Context,
        token: String,
        display_name: Option<String>,
    ) -> GqlResult<accounts::ConfirmActionPayload> {
        accounts::confirm_action(context, token, display_name).await
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
    /// `RATE_LIMITED` (with `retryAfterSeconds`) after 5 wrong passwords for the address from
    /// your client in 15 minutes, and, while an address gets many wrong passwords from anywhere,
    /// once before each attempt (a short wait; then your attempt is let through).
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

    /// Set or clear (with null) the area of a neighbourhood; grievances far outside it are refused. Admins only.
    async fn set_neighbourhood_area(
        context: &Context,
        neighbourhood_id: ID,
        area: Option<grievances::NeighbourhoodAreaInput>,
    ) -> GqlResult<Neighbourhood> {
        grievances::set_area(context, neighbourhood_id, area).await
    }

    /// Add a theme for grievances. Admins only.
    async fn create_theme(
        context: &Context,
        input: grievances::CreateThemeInput,
    ) -> GqlResult<grievances::Theme> {
        grievances::create_theme(context, input).await
    }

    /// Raise a grievance in a neighbourhood; it makes you a member of it (not yet verified) when you were not.
    async fn raise_grievance(
        context: &Context,
        input: grievances::RaiseGrievanceInput,
    ) -> GqlResult<grievances::Grievance> {
        grievances::raise(context, input).await
    }

    /// Raise a grievance without being signed in: give a name and an e-mail address. Nothing is shown until the link in the e-mail confirms it (within 48 hours); then it is raised, and the account and membership are made when needed. The answer is the same whether or not the address has an account.
    async fn raise_grievance_by_email(
        context: &Context,
        input: grievances::RaiseGrievanceInput,
        contact: accounts::ContactInput,
    ) -> GqlResult<bool> {
        grievances::raise_by_email(context, input, contact).await
    }

    /// Change the title, text and theme of your grievance; only until someone co-signs it (then add an update).
    async fn edit_grievance(
        context: &Context,
        input: grievances::EditGrievanceInput,
    ) -> GqlResult<grievances::Grievance> {
        grievances::edit(context, input).await
    }

    /// Add an update to your grievance (1 to 5,000 characters).
    async fn add_grievance_update(
        context: &Context,
        grievance_id: ID,
        text: String,
    ) -> GqlResult<grievances::Grievance> {
        grievances::add_update(context, grievance_id, text).await
    }

    /// Co-sign a grievance ("ik ook"). Doing it twice counts once. It makes you a member of the neighbourhood (not yet verified) when you were not.
    async fn cosign_grievance(
        context: &Context,
        grievance_id: ID,
    ) -> GqlResult<grievances::Grievance> {
        grievances::cosign(context, grievance_id, false).await
    }

    /// Co-sign a grievance without being signed in: give a name and an e-mail address. It counts only once the link in the e-mail confirms it (within 48 hours). The answer is the same whether or not the address has an account.
    async fn cosign_grievance_by_email(
        context: &Context,
        grievance_id: ID,
        contact: accounts::ContactInput,
    ) -> GqlResult<bool> {
        grievances::cosign_by_email(context, grievance_id, contact).await
    }

    /// Withdraw your co-sign. Doing it twice is harmless.
    async fn withdraw_cosign(
        context: &Context,
        grievance_id: ID,
    ) -> GqlResult<grievances::Grievance> {
        grievances::cosign(context, grievance_id, true).await
    }

    /// Comment on a grievance (1 to 2,000 characters).
    async fn add_comment(
        context: &Context,
        grievance_id: ID,
        text: String,
    ) -> GqlResult<grievances::Comment> {
        grievances::add_comment(context, grievance_id, text).await
    }

    /// Change your comment, within 15 minutes of writing it.
    async fn edit_comment(
        context: &Context,
        comment_id: ID,
        text: String,
    ) -> GqlResult<grievances::Comment> {
        grievances::edit_comment(context, comment_id, text).await
    }

    /// Report a comment to the organisers, with an optional reason. Once per person.
    async fn report_comment(
        context: &Context,
        comment_id: ID,
        reason: Option<String>,
    ) -> GqlResult<grievances::Comment> {
        grievances::report_comment(context, comment_id, reason).await
    }

    /// Hide a comment, with a reason everybody sees. Organisers of the neighbourhood and admins; recorded in the audit log.
    async fn hide_comment(
        context: &Context,
        comment_id: ID,
        reason: String,
    ) -> GqlResult<grievances::Comment> {
        grievances::hide_comment(context, comment_id, reason).await
    }

    /// Acknowledge a grievance with a response everybody sees. Organisers of the neighbourhood and admins.
    async fn acknowledge_grievance(
        context: &Context,
        grievance_id: ID,
        response: String,
    ) -> GqlResult<grievances::Grievance> {
        grievances::change_status(
            context,
            grievance_id,
            grievances::StatusStep::Acknowledge,
            response,
        )
        .await
    }

    /// Mark a grievance resolved, with a reason everybody sees. Organisers of the neighbourhood and admins.
    async fn resolve_grievance(
        context: &Context,
        grievance_id: ID,
        reason: String,
    ) -> GqlResult<grievances::Grievance> {
        grievances::change_status(
            context,
            grievance_id,
            grievances::StatusStep::Resolve,
            reason,
        )
        .await
    }

    /// Close a grievance, with a reason everybody sees. Organisers of the neighbourhood and admins.
    async fn close_grievance(
        context: &Context,
        grievance_id: ID,
        reason: String,
    ) -> GqlResult<grievances::Grievance> {
        grievances::change_status(context, grievance_id, grievances::StatusStep::Close, reason)
            .await
    }

    /// Start a campaign from grievances of one neighbourhood: organisers of the neighbourhood and admins, or a resident who raised or co-signed one of them when the neighbourhood allows it. The grievances become IN_CAMPAIGN; the campaign gets the default phases, the first one active; you join its core team.
    async fn start_campaign(
        context: &Context,
        input: campaigns::StartCampaignInput,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::start(context, input).await
    }

    /// Link more grievances of the neighbourhood to a campaign: the core team, organisers and admins.
    async fn add_grievances_to_campaign(
        context: &Context,
        campaign_id: ID,
        grievance_ids: Vec<ID>,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::add_grievances(context, campaign_id, grievance_ids).await
    }

    /// Unlink a grievance with a reason (it becomes ACKNOWLEDGED again): the core team, organisers and admins. Recorded in the audit log.
    async fn unlink_grievance_from_campaign(
        context: &Context,
        campaign_id: ID,
        grievance_id: ID,
        reason: String,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::unlink_grievance(context, campaign_id, grievance_id, reason).await
    }

    /// Add a phase at the end: the core team, organisers and admins.
    async fn add_campaign_phase(
        context: &Context,
        campaign_id: ID,
        title: String,
        description: Option<String>,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::add_phase(context, campaign_id, title, description).await
    }

    /// Edit a phase before it starts: the core team, organisers and admins.
    async fn edit_campaign_phase(
        context: &Context,
        phase_id: ID,
        title: String,
        description: Option<String>,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::edit_phase(context, phase_id, title, description).await
    }

    /// Add a goal to a phase that is not completed: the core team, organisers and admins.
    async fn add_phase_goal(
        context: &Context,
        input: campaigns::AddPhaseGoalInput,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::add_goal(context, input).await
    }

    /// Update a goal of the active phase with a note: a new value, or tick it as met. The core team, organisers and admins.
    async fn update_phase_goal(
        context: &Context,
        input: campaigns::UpdatePhaseGoalInput,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::update_goal(context, input).await
    }

    /// Complete the active phase with a reflection; goals not met need a reason. The next phase becomes active; the last one closes the campaign with its outcome. The core team, organisers and admins.
    async fn complete_campaign_phase(
        context: &Context,
        input: campaigns::CompletePhaseInput,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::complete_phase(context, input).await
    }

    /// Join a running campaign (anyone signed in). Idempotent.
    async fn join_campaign(context: &Context, campaign_id: ID) -> GqlResult<campaigns::Campaign> {
        campaigns::join(context, campaign_id, false).await
    }

    /// Leave a campaign and its core team. Idempotent.
    async fn leave_campaign(context: &Context, campaign_id: ID) -> GqlResult<campaigns::Campaign> {
        campaigns::join(context, campaign_id, true).await
    }

    /// Add a person to the core team, with a reason (audit log): organisers of the neighbourhood and admins.
    async fn add_core_team_member(
        context: &Context,
        campaign_id: ID,
        person_id: ID,
        reason: String,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::set_core_team(context, campaign_id, person_id, true, reason).await
    }

    /// Remove a person from the core team, with a reason (audit log): organisers of the neighbourhood and admins.
    async fn remove_core_team_member(
        context: &Context,
        campaign_id: ID,
        person_id: ID,
        reason: String,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::set_core_team(context, campaign_id, person_id, false, reason).await
    }

    /// Step back as organiser (hand over to the core team), with a reason (audit log). You leave the core team and keep moderation rights.
    async fn step_back_from_campaign(
        context: &Context,
        campaign_id: ID,
        reason: String,
    ) -> GqlResult<campaigns::Campaign> {
        campaigns::step_back(context, campaign_id, reason).await
    }

    /// Allow or stop campaigns started by residents: organisers of the neighbourhood and admins.
    async fn set_campaign_settings(
        context: &Context,
        neighbourhood_id: ID,
        residents_may_start: bool,
    ) -> GqlResult<campaigns::CampaignSettings> {
        campaigns::set_settings(context, neighbourhood_id, residents_may_start).await
    }

    /// Merge duplicates into one grievance (the survivor, which is returned): co-signs are united without double counting and comments move along. Organisers of the neighbourhood and admins.
    async fn merge_grievances(
        context: &Context,
        survivor_id: ID,
        merged_ids: Vec<ID>,
        reason: String,
    ) -> GqlResult<grievances::Grievance> {
        grievances::merge(context, survivor_id, merged_ids, reason).await
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
