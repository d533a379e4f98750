//! HTTP: the route table (in `routes`), handlers, the auth extractor, health and the web app.

pub mod auth;
pub mod budgets;
pub mod client_address;
pub mod cost_budget;
pub mod geojson;
pub mod graphql;
pub mod health;
pub mod routes;
pub mod security;
pub mod session_cookie;
pub mod web_app;
pub mod web_files;

use std::sync::Arc;

use crate::db::Database;
use crate::domain::accounts::tokens::TokenKeys;
use crate::graphql::Schema;

/// Shared by every request handler.
pub struct AppState {
    pub db: Database,
    pub schema: Arc<Schema>,
    /// The web app's files: embedded, or a folder.
    pub web_files: web_files::WebFiles,
    pub keys: Arc<TokenKeys>,
    pub public_url: String,
    /// Map tiles, for `mapSettings`.
    pub map: Arc<crate::config::MapConfig>,
    /// Rung when a request queued an e-mail.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// `BUURTKRACHT_LINKS_PER_IP_HOUR`.
    pub links_per_ip_hour: i64,
    /// The grievance themes, kept in memory.
    pub themes: Arc<crate::domain::grievances::ThemeCache>,
    /// Limits of the GraphQL API.
    pub api: crate::config::ApiConfig,
    /// Every client's cost budget.
    pub budget: cost_budget::CostBudget,
    /// `BUURTKRACHT_TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<client_address::TrustedProxies>,
}
