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

diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sign_in_links -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(memberships -> neighbourhoods (neighbourhood_id));
diesel::joinable!(admin_api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));

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
);
