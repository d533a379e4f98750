//! Configuration: environment variables prefixed `BUURTKRACHT_` (plus `DATABASE_URL`) over an
//! optional `buurtkracht.toml`, over defaults. Bad configuration stops the binary at start with
//! one line naming the key.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use crate::db::DatabaseUrl;

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `BUURTKRACHT_LISTEN`: address and port to listen on.
    pub listen: SocketAddr,
    /// `DATABASE_URL`: `sqlite://path` (embedded) or `postgres://…`.
    pub database_url: DatabaseUrl,
    /// `BUURTKRACHT_DB_POOL_SIZE`: connections in the pool.
    pub db_pool_size: u32,
    /// `BUURTKRACHT_WEB_DIR`: a folder with the built web app, instead of the copy embedded in a
    /// release build (`None`: the embedded copy, else `frontend/dist`).
    pub web_dir: Option<PathBuf>,
    /// `BUURTKRACHT_LOG`: log filter (tracing `EnvFilter` syntax).
    pub log_filter: String,
    /// `BUURTKRACHT_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `BUURTKRACHT_SHUTDOWN_TIMEOUT`: seconds to finish requests after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// `BUURTKRACHT_WORKERS`: HTTP worker threads (0 = one per core).
    pub workers: usize,
    /// `BUURTKRACHT_PUBLIC_URL`: where people reach the web app (links in e-mails).
    pub public_url: String,
    /// `BUURTKRACHT_SMTP_URL`: lettre's SMTP URL; `None` writes `.eml` files instead.
    pub smtp_url: Option<String>,
    /// `BUURTKRACHT_MAIL_FROM`: the sender of e-mails.
    pub mail_from: lettre::message::Mailbox,
    /// `BUURTKRACHT_OUTBOX_DIR`: folder of the file outbox.
    pub outbox_dir: PathBuf,
    /// `BUURTKRACHT_MAIL_RETRY_MS`: first retry delay of a failed e-mail (doubles each time).
    pub mail_retry_ms: u64,
    /// E-mails with a link one client IP address may ask for per hour.
    pub links_per_ip_hour: u64,
    /// `BUURTKRACHT_JWT_SECRET`: key for access tokens; generated and kept next to the SQLite
    /// database when absent in embedded mode.
    pub jwt_secret: Option<String>,
    /// `BUURTKRACHT_MAP_TILE_URL` and `BUURTKRACHT_MAP_ATTRIBUTION`: map tiles for the web app.
    pub map: MapConfig,
    /// Limits of the GraphQL API (cost, budget, timeouts, trusted documents).
    pub api: ApiConfig,
    /// `BUURTKRACHT_TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
}

/// Limits of the GraphQL API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// `BUURTKRACHT_MAX_QUERY_COST`, `…_MAX_QUERY_DEPTH`, `…_MAX_SAME_FIELD`, `…_MAX_BATCH`.
    pub limits: crate::graphql::cost::CostLimits,
    /// `BUURTKRACHT_COST_PER_MINUTE`.
    pub cost_per_minute: u64,
    /// `BUURTKRACHT_REQUEST_TIMEOUT_SECS`.
    pub request_timeout: std::time::Duration,
    /// `BUURTKRACHT_BODY_TIMEOUT_SECS`.
    pub body_timeout: std::time::Duration,
    /// `BUURTKRACHT_UNKNOWN_DOCUMENTS`.
    pub unknown_documents: crate::graphql::trusted::UnknownDocuments,
}

/// Map tiles for the web app and other clients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapConfig {
    /// A Leaflet URL template with `{z}`, `{x}` and `{y}`; `None`: maps show pins on a plain
    /// background.
    pub tile_url: Option<String>,
    /// The attribution the tiles require; `None` without tiles.
    pub attribution: Option<String>,
}

/// One entry of the configuration table (README).
pub struct Key {
    pub env: &'static str,
    pub file_key: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

/// Every configuration key, with its default; the README's table lists the same.
pub const KEYS: &[Key] = &[
    Key {
        env: "BUURTKRACHT_LISTEN",
        file_key: "listen",
        default: "127.0.0.1:8080",
        meaning: "address and port to listen on",
    },
    Key {
        env: "DATABASE_URL",
        file_key: "database_url",
        default: "sqlite://data/buurtkracht.sqlite3",
        meaning: "database: sqlite://FILE (relative to the working directory; the folder is created) or postgres://USER:PASSWORD@HOST/DB",
    },
    Key {
        env: "BUURTKRACHT_DB_POOL_SIZE",
        file_key: "db_pool_size",
        default: "8",
        meaning: "database connections in the pool (1-256)",
    },
    Key {
        env: "BUURTKRACHT_WEB_DIR",
        file_key: "web_dir",
        default: "",
        meaning: "folder of the built web app; unset: the copy embedded in a release build, else `frontend/dist`",
    },
    Key {
        env: "BUURTKRACHT_LOG",
        file_key: "log",
        default: "info",
        meaning: "log filter, e.g. info or buurtkracht=debug,info",
    },
    Key {
        env: "BUURTKRACHT_LOG_FORMAT",
        file_key: "log_format",
        default: "text",
        meaning: "text or json",
    },
    Key {
        env: "BUURTKRACHT_SHUTDOWN_TIMEOUT",
        file_key: "shutdown_timeout",
        default: "30",
        meaning: "seconds to finish open requests after SIGTERM",
    },
    Key {
        env: "BUURTKRACHT_WORKERS",
        file_key: "workers",
        default: "0",
        meaning: "HTTP worker threads; 0 means one per CPU core",
    },
    Key {
        env: "BUURTKRACHT_PUBLIC_URL",
        file_key: "public_url",
        default: "http://localhost:8080",
        meaning: "where people reach the web app; used in links in e-mails",
    },
    Key {
        env: "BUURTKRACHT_SMTP_URL",
        file_key: "smtp_url",
        default: "",
        meaning: "SMTP server, e.g. smtp://user:password@mail.example.org:587?tls=required; empty: e-mails are written as .eml files to BUURTKRACHT_OUTBOX_DIR",
    },
    Key {
        env: "BUURTKRACHT_MAIL_FROM",
        file_key: "mail_from",
        default: "Buurtkracht <noreply@localhost>",
        meaning: "sender of e-mails",
    },
    Key {
        env: "BUURTKRACHT_OUTBOX_DIR",
        file_key: "outbox_dir",
        default: "data/outbox",
        meaning: "folder of the file outbox (one .eml file per message)",
    },
    Key {
        env: "BUURTKRACHT_MAIL_RETRY_MS",
        file_key: "mail_retry_ms",
        default: "5000",
        meaning: "first retry delay of an e-mail that could not be sent; doubles per attempt, at most an hour",
    },
    Key {
        env: "BUURTKRACHT_LINKS_PER_IP_HOUR",
        file_key: "links_per_ip_hour",
        default: "30",
        meaning: "e-mails with a link (sign-in, sign-up, act-first confirmations) one client IP address may ask for per hour; raise it when many people share one address",
    },
    Key {
        env: "BUURTKRACHT_JWT_SECRET",
        file_key: "jwt_secret",
        default: "",
        meaning: "key for access tokens, at least 32 characters; required with PostgreSQL; with SQLite it is generated once and kept in jwt-secret next to the database file",
    },
    Key {
        env: "BUURTKRACHT_MAP_TILE_URL",
        file_key: "map_tile_url",
        default: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        meaning: "map tiles (a URL template with {z}, {x} and {y}); none: maps show their pins on a plain background, e.g. offline",
    },
    Key {
        env: "BUURTKRACHT_MAP_ATTRIBUTION",
        file_key: "map_attribution",
        default: "© OpenStreetMap contributors",
        meaning: "the credit line the map tiles require",
    },
    Key {
        env: "BUURTKRACHT_MAX_QUERY_COST",
        file_key: "max_query_cost",
        default: "10000",
        meaning: "the highest cost of one GraphQL request (the operations of a batch added up; README: Query cost)",
    },
    Key {
        env: "BUURTKRACHT_MAX_QUERY_DEPTH",
        file_key: "max_query_depth",
        default: "15",
        meaning: "the deepest nesting of fields in a GraphQL document",
    },
    Key {
        env: "BUURTKRACHT_MAX_SAME_FIELD",
        file_key: "max_same_field",
        default: "10",
        meaning: "how often one field may be asked for in one selection, under different aliases",
    },
    Key {
        env: "BUURTKRACHT_MAX_BATCH",
        file_key: "max_batch",
        default: "10",
        meaning: "operations in one batch request",
    },
    Key {
        env: "BUURTKRACHT_COST_PER_MINUTE",
        file_key: "cost_per_minute",
        default: "100000",
        meaning: "the cost budget of one client (a signed-in person, else a client address) per minute; RATE_LIMITED beyond it",
    },
    Key {
        env: "BUURTKRACHT_REQUEST_TIMEOUT_SECS",
        file_key: "request_timeout_secs",
        default: "10",
        meaning: "seconds a GraphQL request may take before it is ended with TIMEOUT",
    },
    Key {
        env: "BUURTKRACHT_BODY_TIMEOUT_SECS",
        file_key: "body_timeout_secs",
        default: "10",
        meaning: "seconds a client has to send a request body; a body that stalls is answered 408 and the connection closed",
    },
    Key {
        env: "BUURTKRACHT_UNKNOWN_DOCUMENTS",
        file_key: "unknown_documents",
        default: "accept",
        meaning: "accept: documents that are not trusted run within the cost limits (third-party clients); refuse: only the trusted documents of graphql/operations/ run",
    },
    Key {
        env: "BUURTKRACHT_TRUSTED_PROXIES",
        file_key: "trusted_proxies",
        default: "",
        meaning: "reverse proxies in front of the server: comma-separated IP addresses and CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8; only from these the client address is read from X-Forwarded-For (the right-most address that is not a trusted proxy); empty: the peer address is the client",
    },
];

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {key}: {message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

fn problem(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_owned(),
        message: message.into(),
    }
}

/// The optional file, every key optional; unknown keys are refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    database_url: Option<String>,
    db_pool_size: Option<toml::Value>,
    web_dir: Option<String>,
    log: Option<String>,
    log_format: Option<String>,
    shutdown_timeout: Option<toml::Value>,
    workers: Option<toml::Value>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    outbox_dir: Option<String>,
    mail_retry_ms: Option<toml::Value>,
    links_per_ip_hour: Option<toml::Value>,
    jwt_secret: Option<String>,
    map_tile_url: Option<String>,
    map_attribution: Option<String>,
    max_query_cost: Option<toml::Value>,
    max_query_depth: Option<toml::Value>,
    max_same_field: Option<toml::Value>,
    max_batch: Option<toml::Value>,
    cost_per_minute: Option<toml::Value>,
    request_timeout_secs: Option<toml::Value>,
    body_timeout_secs: Option<toml::Value>,
    unknown_documents: Option<String>,
    trusted_proxies: Option<String>,
}

impl FileConfig {
    fn get(&self, file_key: &str) -> Option<String> {
        let number = |v: &Option<toml::Value>| {
            v.as_ref().map(|v| match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        match file_key {
            "listen" => self.listen.clone(),
            "database_url" => self.database_url.clone(),
            "db_pool_size" => number(&self.db_pool_size),
            "web_dir" => self.web_dir.clone(),
            "log" => self.log.clone(),
            "log_format" => self.log_format.clone(),
            "shutdown_timeout" => number(&self.shutdown_timeout),
            "workers" => number(&self.workers),
            "public_url" => self.public_url.clone(),
            "smtp_url" => self.smtp_url.clone(),
            "mail_from" => self.mail_from.clone(),
            "outbox_dir" => self.outbox_dir.clone(),
            "mail_retry_ms" => number(&self.mail_retry_ms),
            "links_per_ip_hour" => number(&self.links_per_ip_hour),
            "jwt_secret" => self.jwt_secret.clone(),
            "map_tile_url" => self.map_tile_url.clone(),
            "map_attribution" => self.map_attribution.clone(),
            "max_query_cost" => number(&self.max_query_cost),
            "max_query_depth" => number(&self.max_query_depth),
            "max_same_field" => number(&self.max_same_field),
            "max_batch" => number(&self.max_batch),
            "cost_per_minute" => number(&self.cost_per_minute),
            "request_timeout_secs" => number(&self.request_timeout_secs),
            "body_timeout_secs" => number(&self.body_timeout_secs),
            "unknown_documents" => self.unknown_documents.clone(),
            "trusted_proxies" => self.trusted_proxies.clone(),
            _ => None,
        }
    }
}

impl Config {
    /// Load from the process environment and the optional file (`BUURTKRACHT_CONFIG`, else
    /// `buurtkracht.toml` in the working directory when it exists).
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_from(|key| std::env::var(key).ok())
    }

    /// Load with an injectable environment (for tests).
    pub fn load_from(env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let file = match env("BUURTKRACHT_CONFIG") {
            Some(path) => Some(read_file(&PathBuf::from(path))?),
            None => {
                let default = PathBuf::from("buurtkracht.toml");
                if default.exists() {
                    Some(read_file(&default)?)
                } else {
                    None
                }
            }
        }
        .unwrap_or_default();
        let lookup = |env_key: &str| -> (String, String) {
            let key = KEYS.iter().find(|k| k.env == env_key);
            let (file_key, default) = key.map_or(("", ""), |k| (k.file_key, k.default));
            match env(env_key).filter(|v| !v.trim().is_empty()) {
                Some(v) => (env_key.to_owned(), v),
                None => match file.get(file_key) {
                    Some(v) => (format!("{file_key} (buurtkracht.toml)"), v),
                    None => (env_key.to_owned(), default.to_owned()),
                },
            }
        };

        let (key, raw) = lookup("BUURTKRACHT_LISTEN");
        let listen = raw.trim().parse::<SocketAddr>().map_err(|_| {
            problem(
                &key,
                format!("{raw:?} is not an address and port (e.g. 127.0.0.1:8080)"),
            )
        })?;

        let (key, raw) = lookup("DATABASE_URL");
        let database_url = DatabaseUrl::parse(&raw).map_err(|m| problem(&key, m))?;

        let (key, raw) = lookup("BUURTKRACHT_DB_POOL_SIZE");
        let db_pool_size = parse_number(&key, &raw, 1, 256)? as u32;

        let (_, raw) = lookup("BUURTKRACHT_WEB_DIR");
        let web_dir = (!raw.trim().is_empty()).then(|| PathBuf::from(raw));

        let (key, log_filter) = lookup("BUURTKRACHT_LOG");
        tracing_subscriber::EnvFilter::try_new(&log_filter)
            .map_err(|e| problem(&key, format!("{log_filter:?} is not a log filter: {e}")))?;

        let (key, raw) = lookup("BUURTKRACHT_LOG_FORMAT");
        let log_format = match raw.trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(problem(&key, format!("{other:?} is not text or json"))),
        };

        let (key, raw) = lookup("BUURTKRACHT_SHUTDOWN_TIMEOUT");
        let shutdown_timeout_secs = parse_number(&key, &raw, 0, 3600)?;

        let (key, raw) = lookup("BUURTKRACHT_WORKERS");
        let workers = parse_number(&key, &raw, 0, 1024)? as usize;

        let (key, raw) = lookup("BUURTKRACHT_PUBLIC_URL");
        let public_url = raw.trim().trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.contains(char::is_whitespace)
        {
            return Err(problem(&key, format!("{raw:?} is not an http(s) URL")));
        }

        let (key, raw) = lookup("BUURTKRACHT_SMTP_URL");
        let smtp_url = Some(raw.trim().to_owned()).filter(|u| !u.is_empty());
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(problem(&key, "must start with smtp:// or smtps://"));
        }

        let (key, raw) = lookup("BUURTKRACHT_MAIL_FROM");
        let mail_from = raw
            .trim()
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| problem(&key, format!("{raw:?} is not an e-mail sender: {e}")))?;

        let (_, raw) = lookup("BUURTKRACHT_OUTBOX_DIR");
        let outbox_dir = PathBuf::from(raw);

        let (key, raw) = lookup("BUURTKRACHT_MAIL_RETRY_MS");
        let mail_retry_ms = parse_number(&key, &raw, 10, 3_600_000)?;

        let (key, raw) = lookup("BUURTKRACHT_LINKS_PER_IP_HOUR");
        let links_per_ip_hour = parse_number(&key, &raw, 1, 1_000_000)?;

        let (key, raw) = lookup("BUURTKRACHT_JWT_SECRET");
        let jwt_secret = Some(raw.trim().to_owned()).filter(|s| !s.is_empty());
        match (&jwt_secret, database_url.kind()) {
            (Some(secret), _) if secret.len() < 32 => {
                return Err(problem(&key, "must be at least 32 characters"));
            }
            (None, crate::db::BackendKind::Postgres) => {
                return Err(problem(
                    &key,
                    "is required with PostgreSQL (at least 32 random characters, the same on every instance)",
                ));
            }
            _ => {}
        }

        let (key, raw) = lookup("BUURTKRACHT_MAP_TILE_URL");
        let tile_url = Some(raw.trim().to_owned()).filter(|u| !u.is_empty() && u != "none");
        if let Some(url) = &tile_url
            && (!(url.starts_with("http://") || url.starts_with("https://"))
                || !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)))
        {
            return Err(problem(
                &key,
                "must be an http(s) URL template with {z}, {x} and {y}, or none",
            ));
        }
        let (_, raw) = lookup("BUURTKRACHT_MAP_ATTRIBUTION");
        let map = MapConfig {
            tile_url: tile_url.clone(),
            // No tiles, nothing to credit.
            attribution: Some(raw.trim().to_owned())
                .filter(|a| !a.is_empty() && tile_url.is_some()),
        };

        let (key, raw) = lookup("BUURTKRACHT_MAX_QUERY_COST");
        let max_cost = parse_number(&key, &raw, 10, 10_000_000)?;
        let (key, raw) = lookup("BUURTKRACHT_MAX_QUERY_DEPTH");
        let max_depth = parse_number(&key, &raw, 2, 64)? as usize;
        let (key, raw) = lookup("BUURTKRACHT_MAX_SAME_FIELD");
        let max_same_field = parse_number(&key, &raw, 1, 1000)? as usize;
        let (key, raw) = lookup("BUURTKRACHT_MAX_BATCH");
        let max_batch = parse_number(&key, &raw, 1, 100)? as usize;
        let (key, raw) = lookup("BUURTKRACHT_COST_PER_MINUTE");
        let cost_per_minute = parse_number(&key, &raw, 1, 1_000_000_000)?;
        let (key, raw) = lookup("BUURTKRACHT_REQUEST_TIMEOUT_SECS");
        let request_timeout_secs = parse_number(&key, &raw, 1, 3600)?;
        let (key, raw) = lookup("BUURTKRACHT_BODY_TIMEOUT_SECS");
        let body_timeout_secs = parse_number(&key, &raw, 1, 3600)?;
        let (key, raw) = lookup("BUURTKRACHT_UNKNOWN_DOCUMENTS");
        let unknown_documents = match raw.trim() {
            "accept" => crate::graphql::trusted::UnknownDocuments::Accept,
            "refuse" => crate::graphql::trusted::UnknownDocuments::Refuse,
            other => return Err(problem(&key, format!("{other:?} is not accept or refuse"))),
        };
        let api = ApiConfig {
            limits: crate::graphql::cost::CostLimits {
                max_cost,
                max_depth,
                max_same_field,
                max_batch,
            },
            cost_per_minute,
            request_timeout: std::time::Duration::from_secs(request_timeout_secs),
            body_timeout: std::time::Duration::from_secs(body_timeout_secs),
            unknown_documents,
        };

        let (key, raw) = lookup("BUURTKRACHT_TRUSTED_PROXIES");
        let trusted_proxies = crate::http::client_address::TrustedProxies::parse(&raw)
            .map_err(|m| problem(&key, m))?;

        Ok(Self {
            api,
            trusted_proxies,
            map,
            public_url,
            smtp_url,
            mail_from,
            outbox_dir,
            mail_retry_ms,
            links_per_ip_hour,
            jwt_secret,
            listen,
            database_url,
            db_pool_size,
            web_dir,
            log_filter,
            log_format,
            shutdown_timeout_secs,
            workers,
        })
    }
}

fn read_file(path: &std::path::Path) -> Result<FileConfig, ConfigError> {
    let key = "BUURTKRACHT_CONFIG";
    let text = std::fs::read_to_string(path)
        .map_err(|e| problem(key, format!("cannot read {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        let first_line = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_owned();
        problem(key, format!("{}: {first_line}", path.display()))
    })
}

fn parse_number(key: &str, raw: &str, min: u64, max: u64) -> Result<u64, ConfigError> {
    match raw.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(problem(
            key,
            format!("{raw:?} is not a whole number from {min} to {max}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::load_from(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let config = load(&[]).expect("defaults load");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("data/buurtkracht.sqlite3"))
        );
    }

    #[test]
    fn a_postgres_url_switches_the_backend() {
        let config = load(&[
            ("DATABASE_URL", "postgres://u:p@localhost/bk"),
            ("BUURTKRACHT_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
        ])
        .expect("loads");
        assert_eq!(config.database_url.kind(), crate::db::BackendKind::Postgres);
    }

    #[test]
    fn bad_values_name_their_key() {
        let e = load(&[("BUURTKRACHT_LISTEN", "nonsense")]).expect_err("refused");
        assert_eq!(e.key, "BUURTKRACHT_LISTEN");
        let e = load(&[("DATABASE_URL", "mysql://x")]).expect_err("refused");
        assert_eq!(e.key, "DATABASE_URL");
        let e = load(&[("BUURTKRACHT_DB_POOL_SIZE", "0")]).expect_err("refused");
        assert_eq!(e.key, "BUURTKRACHT_DB_POOL_SIZE");
        let e = load(&[("DATABASE_URL", "postgres://u@h/d")]).expect_err("refused");
        assert_eq!(e.key, "BUURTKRACHT_JWT_SECRET");
        let e = load(&[("BUURTKRACHT_SMTP_URL", "http://mail")]).expect_err("refused");
        assert_eq!(e.key, "BUURTKRACHT_SMTP_URL");
        let e = load(&[("BUURTKRACHT_TRUSTED_PROXIES", "10.0.0.0/8, proxy")]).expect_err("refused");
        assert_eq!(e.key, "BUURTKRACHT_TRUSTED_PROXIES");
        let e = load(&[("BUURTKRACHT_LOG_FORMAT", "xml")]).expect_err("refused");
        assert!(
            e.to_string()
                .starts_with("configuration error: BUURTKRACHT_LOG_FORMAT: ")
        );
    }

    #[test]
    fn the_file_is_read_and_unknown_keys_are_refused() {
        let dir = std::env::temp_dir().join(format!("bk-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good.toml");
        std::fs::write(&good, "listen = \"0.0.0.0:9000\"\ndb_pool_size = 4\n").expect("write");
        let config = load(&[("BUURTKRACHT_CONFIG", good.to_str().expect("utf-8"))]).expect("loads");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.db_pool_size, 4);
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "lisen = \"0.0.0.0:9000\"\n").expect("write");
        let e = load(&[("BUURTKRACHT_CONFIG", bad.to_str().expect("utf-8"))]).expect_err("refused");
        assert!(e.to_string().contains("lisen"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
