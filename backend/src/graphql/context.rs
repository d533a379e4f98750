//! The per-request context: who is acting, in which language, the database and the loaders.

use crate::db::{Database, DbConnection};
use crate::domain::accounts::Language;
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
}

impl juniper::Context for Context {}

impl Context {
    pub fn new(db: Database, actor: Actor, language: Language) -> Self {
        let loaders = Loaders::new(&db);
        Self {
            db,
            actor,
            language,
            loaders,
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

    pub fn fail(&self, error: DomainError) -> juniper::FieldError {
        to_field_error(error, self.language)
    }
}
