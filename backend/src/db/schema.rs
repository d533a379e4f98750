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

diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> neighbourhoods (neighbourhood_id));
diesel::joinable!(admin_api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));

diesel::allow_tables_to_appear_in_same_query!(
    neighbourhoods,
    users,
    memberships,
    admin_api_tokens,
    audit_log,
);
