//! The one portable schema, written by hand so that both backends share it. Only types that
//! both backends map the same way: `BigInt`, `Integer`, `Text`, `Timestamp` (UTC, no zone).

diesel::table! {
    /// Neighbourhoods ("wijken", "buurten").
    neighbourhoods (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// The area's centre in millionths of a degree, and its radius; all three or none.
        area_latitude_e6 -> Nullable<BigInt>,
        area_longitude_e6 -> Nullable<BigInt>,
        area_radius_meters -> Nullable<Integer>,
    }
}

diesel::table! {
    /// People with an account.
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        language -> Text,
        admin_since -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// argon2id PHC string; absent for people who only use sign-in links.
        password_hash -> Nullable<Text>,
        /// Set when the person deleted their account; personal data is then erased.
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A person's membership of a neighbourhood, with a role.
    memberships (id) {
        id -> BigInt,
        user_id -> BigInt,
        neighbourhood_id -> BigInt,
        role -> Text,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Bootstrap tokens for admins, made by `buurtkracht create-admin`. Stored as SHA-256 only.
    admin_api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Who did what, when and why: organiser and admin actions.
    audit_log (id) {
        id -> BigInt,
        actor_user_id -> Nullable<BigInt>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// One-time sign-in links ("magic links"), stored as SHA-256 only.
    sign_in_links (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        /// The page inside the app to return to after signing in (a path such as `/buurt/x`).
        return_path -> Nullable<Text>,
    }
}

diesel::table! {
    /// Opaque refresh tokens, rotated on every use; a family is one sign-in's chain.
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// One row per attempt that counts towards a rate limit.
    rate_limit_hits (id) {
        id -> BigInt,
        bucket -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The durable e-mail outbox: written in the transaction that causes the message.
    outbox_messages (id) {
        id -> BigInt,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Themes a grievance can have; an instance may add its own.
    themes (id) {
        id -> BigInt,
        key -> Text,
        name_nl -> Text,
        name_en -> Text,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Grievances ("signalen", "onvrede") raised by residents.
    grievances (id) {
        id -> BigInt,
        neighbourhood_id -> BigInt,
        author_user_id -> BigInt,
        theme_id -> BigInt,
        title -> Text,
        body -> Text,
        /// Millionths of a degree (WGS 84); both or neither.
        latitude_e6 -> Nullable<BigInt>,
        longitude_e6 -> Nullable<BigInt>,
        /// 1 when the public may see the author's name, 0 when not.
        show_name -> Integer,
        status -> Text,
        status_reason -> Nullable<Text>,
        /// Kept equal to the number of `grievance_cosigns` rows, in the same transaction.
        cosign_count -> BigInt,
        /// Kept equal to the number of `grievance_comments` rows, in the same transaction.
        comment_count -> BigInt,
        merged_into_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// The campaign it is part of (status `in_campaign`, or resolved/closed with it).
        campaign_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Co-signs ("ik ook"): one per person per grievance.
    grievance_cosigns (id) {
        id -> BigInt,
        grievance_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Comments on a grievance, flat.
    grievance_comments (id) {
        id -> BigInt,
        grievance_id -> BigInt,
        author_user_id -> BigInt,
        /// 1 when written by the author of an anonymous grievance: shown without a name, for good.
        author_anonymous -> Integer,
        body -> Text,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        hidden_at -> Nullable<Timestamp>,
        hidden_reason -> Nullable<Text>,
        hidden_by_user_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Reports of a comment, one per person.
    grievance_comment_reports (id) {
        id -> BigInt,
        comment_id -> BigInt,
        user_id -> BigInt,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Updates the author adds once the grievance can no longer be edited.
    grievance_updates (id) {
        id -> BigInt,
        grievance_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Every status change of a grievance, with its public reason.
    grievance_status_changes (id) {
        id -> BigInt,
        grievance_id -> BigInt,
        from_status -> Text,
        to_status -> Text,
        reason -> Text,
        actor_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Actions of visitors (a co-sign, a new grievance, …) waiting for the link in their e-mail.
    /// Never shown or counted; removed when confirmed late or expired. The token is stored as
    /// SHA-256 only.
    pending_actions (id) {
        id -> BigInt,
        /// Which capability carries it out, e.g. `grievance.cosign`.
        kind -> Text,
        /// JSON, as the kind stored it.
        payload -> Text,
        /// Normalised (lowercase) e-mail address.
        email -> Text,
        /// The name for a new account; absent when the person still has to give one.
        display_name -> Nullable<Text>,
        language -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Grievances per neighbourhood, theme and status, kept exact in every transaction that
    /// adds a grievance or changes its theme or status (see `domain::grievances::counts`).
    grievance_counts (id) {
        id -> BigInt,
        neighbourhood_id -> BigInt,
        theme_id -> BigInt,
        status -> Text,
        grievances -> BigInt,
    }
}

diesel::table! {
    /// A wijkbudget round of a neighbourhood: its money, ballot kind, rule and phase.
    budget_rounds (id) {
        id -> BigInt,
        neighbourhood_id -> BigInt,
        title -> Text,
        total_euros -> BigInt,
        ballot_kind -> Text,
        max_choices -> Nullable<Integer>,
        rule -> Text,
        phase -> Text,
        proposals_until -> Nullable<Timestamp>,
        voting_from -> Nullable<Timestamp>,
        voting_until -> Nullable<Timestamp>,
        ballot_count -> BigInt,
        counted_at -> Nullable<Timestamp>,
        created_by_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A project residents propose for a budget round, with its review and, once counted,
    /// whether it was funded and why.
    budget_proposals (id) {
        id -> BigInt,
        round_id -> BigInt,
        author_user_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        cost_euros -> BigInt,
        proposed_cost_euros -> BigInt,
        status -> Text,
        review_reason -> Nullable<Text>,
        funded -> Nullable<Integer>,
        explanation -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// THAT a member voted in a round (no time, no ballot reference; unique per round and user).
    budget_voters (round_id, user_id) {
        round_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    /// WHAT was voted: a random key, no voter, no time (see README "Secret ballot").
    budget_ballots (id) {
        id -> Text,
        round_id -> BigInt,
        choices -> Text,
    }
}

diesel::table! {
    /// Campaigns ("acties") started from grievances of one neighbourhood.
    campaigns (id) {
        id -> BigInt,
        neighbourhood_id -> BigInt,
        title -> Text,
        summary -> Text,
        /// The change goals in order: a JSON array of texts.
        change_goals -> Text,
        /// `active` or `closed`.
        status -> Text,
        /// `won`, `partly_won`, `not_won` or `stopped`, once closed.
        outcome -> Nullable<Text>,
        started_by_user_id -> Nullable<BigInt>,
        /// Set when the organiser stepped back: residents run it.
        handed_over_at -> Nullable<Timestamp>,
        /// Kept equal to the number of `campaign_members` rows, in the same transaction.
        participant_count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The ordered phases of a campaign; at most one `active` (a partial unique index).
    campaign_phases (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        position -> Integer,
        title -> Text,
        description -> Text,
        /// `planned`, `active` or `completed`.
        status -> Text,
        reflection -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        completed_by_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The goals of a phase.
    campaign_goals (id) {
        id -> BigInt,
        phase_id -> BigInt,
        position -> Integer,
        text -> Text,
        target -> Nullable<BigInt>,
        unit -> Nullable<Text>,
        current_value -> Nullable<BigInt>,
        met_at -> Nullable<Timestamp>,
        evidence -> Nullable<Text>,
        evidence_link -> Nullable<Text>,
        unmet_reason -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Each change of a goal's value or met state, with its note.
    campaign_goal_updates (id) {
        id -> BigInt,
        goal_id -> BigInt,
        value -> Nullable<BigInt>,
        note -> Text,
        actor_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Participants of a campaign; `core_team` 1 for the core team ("kerngroep").
    campaign_members (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        user_id -> BigInt,
        core_team -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Per neighbourhood: whether residents may start campaigns (no row: yes).
    campaign_settings (neighbourhood_id) {
        neighbourhood_id -> BigInt,
        residents_may_start -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sign_in_links -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(memberships -> neighbourhoods (neighbourhood_id));
diesel::joinable!(admin_api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(grievances -> neighbourhoods (neighbourhood_id));
diesel::joinable!(grievances -> users (author_user_id));
diesel::joinable!(grievances -> themes (theme_id));
diesel::joinable!(grievance_cosigns -> grievances (grievance_id));
diesel::joinable!(grievance_comments -> grievances (grievance_id));
diesel::joinable!(grievance_comment_reports -> grievance_comments (comment_id));
diesel::joinable!(grievance_updates -> grievances (grievance_id));
diesel::joinable!(grievance_status_changes -> grievances (grievance_id));
diesel::joinable!(campaigns -> neighbourhoods (neighbourhood_id));
diesel::joinable!(campaign_phases -> campaigns (campaign_id));
diesel::joinable!(campaign_goals -> campaign_phases (phase_id));
diesel::joinable!(campaign_goal_updates -> campaign_goals (goal_id));
diesel::joinable!(campaign_members -> campaigns (campaign_id));
diesel::joinable!(campaign_members -> users (user_id));

diesel::joinable!(budget_rounds -> neighbourhoods (neighbourhood_id));
diesel::joinable!(budget_proposals -> budget_rounds (round_id));
diesel::joinable!(budget_proposals -> users (author_user_id));
diesel::joinable!(budget_voters -> budget_rounds (round_id));
diesel::joinable!(budget_ballots -> budget_rounds (round_id));

diesel::allow_tables_to_appear_in_same_query!(
    neighbourhoods,
    users,
    memberships,
    admin_api_tokens,
    audit_log,
    sign_in_links,
    refresh_tokens,
    rate_limit_hits,
    outbox_messages,
    themes,
    grievances,
    grievance_cosigns,
    grievance_comments,
    grievance_comment_reports,
    grievance_updates,
    grievance_status_changes,
    pending_actions,
    grievance_counts,
    budget_rounds,
    budget_proposals,
    budget_voters,
    budget_ballots,
    campaigns,
    campaign_phases,
    campaign_goals,
    campaign_goal_updates,
    campaign_members,
    campaign_settings,
);
