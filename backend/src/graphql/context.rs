//! The per-request context: who is acting, in which language, the request's database
//! connection and the loaders.
//!
//! The rule every resolver follows: **one connection per request, no N+1, count only on
//! demand.** A resolver reaches the database only through `Context::run` (a use case) or a
//! loader in `context.loaders` (a relation or count of many parents, batched); both use the
//! request's one connection, which was checked out when the caller was identified.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::db::{DbConnection, RequestDb};
use crate::domain::accounts::Language;
use crate::domain::accounts::tokens::TokenKeys;
use crate::domain::grievances::ThemeCache;
use crate::domain::{Actor, DomainError};

use super::error::{GqlResult, to_field_error};
use super::loaders::Loaders;

/// Per-request GraphQL context.
pub struct Context {
    db: RequestDb,
    pub actor: Actor,
    /// Set when a mutation changed the actor's memberships: later steps read them afresh.
    memberships_changed: AtomicBool,
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
    /// The themes, shared by every request of the process.
    pub themes: Arc<ThemeCache>,
    /// For the web app (`X-Buurtkracht-Session: cookie`): where a new session's refresh token
    /// waits for the HTTP layer to put it in a cookie, instead of in the response body.
    refresh_cookie: Option<Mutex<Option<String>>>,
}

impl juniper::Context for Context {}

/// What a request context needs besides the actor and its connection.
pub struct RequestSettings {
    pub client_ip: Option<String>,
    pub keys: Arc<TokenKeys>,
    pub public_url: String,
    pub map: Arc<crate::config::MapConfig>,
    pub outbox_wake: Arc<Notify>,
    pub links_per_ip_hour: i64,
    pub themes: Arc<ThemeCache>,
    /// Whether refresh tokens go into a cookie instead of the response body.
    pub refresh_cookie: bool,
}

impl Context {
    /// The context of a request whose caller was identified on `db` (see `http::auth`).
    pub fn new(db: RequestDb, actor: Actor, language: Language, settings: RequestSettings) -> Self {
        let loaders = Loaders::new(&db);
        Self {
            db,
            actor,
            memberships_changed: AtomicBool::new(false),
            language,
            loaders,
            client_ip: settings.client_ip,
            keys: settings.keys,
            public_url: settings.public_url,
            map: settings.map,
            outbox_wake: settings.outbox_wake,
            links_per_ip_hour: settings.links_per_ip_hour,
            themes: settings.themes,
            refresh_cookie: settings.refresh_cookie.then(|| Mutex::new(None)),
        }
    }

    /// The refresh token of a new session as the response body shows it: the token itself for
    /// clients that keep it (mobile apps), empty for the web app, whose token is kept for
    /// `take_refresh_cookie` (the last one wins when a batch starts several sessions).
    pub fn hand_out_refresh_token(&self, token: String) -> String {
        match &self.refresh_cookie {
            None => token,
            Some(slot) => {
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(token);
                }
                String::new()
            }
        }
    }

    /// The refresh token that goes into the cookie, if the request started a session.
    pub fn take_refresh_cookie(&self) -> Option<String> {
        self.refresh_cookie
            .as_ref()
            .and_then(|slot| slot.lock().ok().and_then(|mut s| s.take()))
    }

    /// Run a domain use case on the request's connection, off the async workers, mapping its
    /// error once to a GraphQL error in the user's language.
    pub async fn run<T, F>(&self, work: F) -> GqlResult<T>
    where
        F: FnOnce(&mut DbConnection, &Actor) -> Result<T, DomainError> + Send + 'static,
        T: Send + 'static,
    {
        let actor = if self.memberships_changed.load(Ordering::Relaxed) {
            self.actor.without_memberships()
        } else {
            self.actor.clone()
        };
        self.db
            .run(move |conn| work(conn, &actor))
            .await
            .map_err(|e| to_field_error(e, self.language))
    }

    /// After a mutation changed the actor's memberships (join, leave, appointments).
    pub fn memberships_changed(&self) {
        self.memberships_changed.store(true, Ordering::Relaxed);
    }

    /// After a use case queued e-mail: wake the outbox job so it is sent now.
    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    pub fn fail(&self, error: DomainError) -> juniper::FieldError {
        to_field_error(error, self.language)
    }
}
