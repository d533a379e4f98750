//! The per-request context: who is acting, in which language, the database and the loaders.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::db::{Database, DbConnection};
use crate::domain::accounts::Language;
use crate::domain::accounts::tokens::TokenKeys;
use crate::domain::{Actor, DomainError};

use super::error::{GqlResult, to_field_error};
use super::loaders::Loaders;

/// Per-request GraphQL context.
pub struct Context {
    pub db: Database,
    pub actor: Actor,
    /// The language of error messages (from `Accept-Language`).
    pub language: Language,
    pub loaders: Loaders,
    /// The client's IP address (rate limits).
    pub client_ip: Option<String>,
    /// Signs access tokens.
    pub keys: Arc<TokenKeys>,
    /// `BUURTKRACHT_PUBLIC_URL`.
    pub public_url: String,
    /// Map tiles (`mapSettings`).
    pub map: Arc<crate::config::MapConfig>,
    /// Wakes the outbox job after a request queued an e-mail.
    pub outbox_wake: Arc<Notify>,
    /// `BUURTKRACHT_LINKS_PER_IP_HOUR`.
    pub links_per_ip_hour: i64,
}

impl juniper::Context for Context {}

/// What a request context needs besides the actor.
pub struct RequestSettings {
    pub client_ip: Option<String>,
    pub keys: Arc<TokenKeys>,
    pub public_url: String,
    pub map: Arc<crate::config::MapConfig>,
    pub outbox_wake: Arc<Notify>,
    pub links_per_ip_hour: i64,
}

impl Context {
    pub fn new(db: Database, actor: Actor, language: Language, settings: RequestSettings) -> Self {
        let loaders = Loaders::new(&db);
        Self {
            db,
            actor,
            language,
            loaders,
            client_ip: settings.client_ip,
            keys: settings.keys,
            public_url: settings.public_url,
            map: settings.map,
            outbox_wake: settings.outbox_wake,
            links_per_ip_hour: settings.links_per_ip_hour,
        }
    }

    /// Run a domain use case on a pooled connection off the async workers, mapping its error
    /// once to a GraphQL error in the user's language.
    pub async fn run<T, F>(&self, work: F) -> GqlResult<T>
    where
        F: FnOnce(&mut DbConnection, &Actor) -> Result<T, DomainError> + Send + 'static,
        T: Send + 'static,
    {
        let actor = self.actor.clone();
        self.db
            .run(move |conn| work(conn, &actor))
            .await
            .map_err(|e| to_field_error(e, self.language))
    }

    /// After a use case queued e-mail: wake the outbox job so it is sent now.
    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    pub fn fail(&self, error: DomainError) -> juniper::FieldError {
        to_field_error(error, self.language)
    }
}
