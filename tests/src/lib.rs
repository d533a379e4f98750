//! Test harness: `spawn_app(backend)` starts the real server on a free port against a fresh
//! database and returns a `TestApp` that talks GraphQL over HTTP.
//!
//! SQLite always runs. PostgreSQL runs when `BUURTKRACHT_TEST_PG_URL` names a server where the
//! tests may create databases (the test command starts a throwaway cluster); under `CI=true` a
//! missing server is a failure, not a skip.

pub mod cast;
pub mod smtp;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use buurtkracht::config::Config;
use buurtkracht::db::Database;
use buurtkracht::startup::Application;
use diesel::{Connection as _, PgConnection, RunQueryDsl as _};
use serde_json::{Value, json};

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Run the same test body on both backends: generates `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports, reason = "some test files use only the macro, others also their own helpers")]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::spawn_app($crate::Backend::Sqlite).await;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports, reason = "some test files use only the macro, others also their own helpers")]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($app) = $crate::spawn_app_if_available($crate::Backend::Postgres).await else {
                        return;
                    };
                    $body
                }
            )*
        }
    };
}

/// The PostgreSQL server for tests, if any. Panics under CI without one.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("BUURTKRACHT_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but BUURTKRACHT_TEST_PG_URL is not set: the PostgreSQL suite must run")
        }
        _ => {
            eprintln!("note: BUURTKRACHT_TEST_PG_URL not set; skipping the PostgreSQL variant");
            None
        }
    }
}

/// A fresh, empty database, removed when dropped.
pub enum FreshDatabase {
    Sqlite {
        dir: tempfile::TempDir,
        path: PathBuf,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl FreshDatabase {
    pub fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let path = dir.path().join("db").join("test.sqlite3");
                Some(Self::Sqlite { dir, path })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url()?;
                let name = format!("bk_test_{}", random_suffix());
                let mut admin =
                    PgConnection::establish(&admin_url).expect("connect to the test PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create a test database");
                let url = with_database(&admin_url, &name);
                Some(Self::Postgres {
                    admin_url,
                    name,
                    url,
                })
            }
        }
    }

    /// The `DATABASE_URL` of this database.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { path, .. } => format!("sqlite://{}", path.display()),
            Self::Postgres { url, .. } => url.clone(),
        }
    }

    /// Make the database disappear while the server runs.
    pub fn destroy(&self) {
        match self {
            Self::Sqlite { path, .. } => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
            }
            Self::Postgres {
                admin_url, name, ..
            } => drop_pg(admin_url, name),
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Self::Postgres {
            admin_url, name, ..
        } = self
        {
            drop_pg(admin_url, name);
        }
    }
}

fn drop_pg(admin_url: &str, name: &str) {
    if let Ok(mut admin) = PgConnection::establish(admin_url) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin);
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn random_suffix() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:016x}", h.finish())
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    /// The SMTP server the app sends to.
    pub smtp: smtp::SmtpSink,
    pub backend: Backend,
    pub db: Database,
    pub database: FreshDatabase,
    pub client: reqwest::Client,
    pub web_dir: tempfile::TempDir,
}

/// Start the server against a fresh database of `backend`. Panics when PostgreSQL is asked for
/// and not available; use `spawn_app_if_available` in tests that run on both.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_if_available(backend)
        .await
        .expect("database backend available")
}

/// Start the server, or `None` when the backend is not available here (never under CI).
pub async fn spawn_app_if_available(backend: Backend) -> Option<TestApp> {
    let smtp = smtp::SmtpSink::start().await;
    spawn_app_with(backend, smtp, &[]).await
}

/// Start the server sending mail to `smtp`, with extra configuration.
pub async fn spawn_app_with(
    backend: Backend,
    smtp: smtp::SmtpSink,
    extra: &[(&'static str, &str)],
) -> Option<TestApp> {
    let database = FreshDatabase::create(backend)?;
    let web_dir = tempfile::tempdir().expect("temporary web folder");
    let mut env = HashMap::new();
    env.insert("BUURTKRACHT_LISTEN", "127.0.0.1:0".to_owned());
    env.insert("DATABASE_URL", database.url());
    env.insert("BUURTKRACHT_DB_POOL_SIZE", "4".to_owned());
    env.insert("BUURTKRACHT_WORKERS", "2".to_owned());
    env.insert("BUURTKRACHT_SHUTDOWN_TIMEOUT", "1".to_owned());
    env.insert("BUURTKRACHT_WEB_DIR", web_dir.path().display().to_string());
    // Never pick up a developer's buurtkracht.toml.
    env.insert("BUURTKRACHT_CONFIG", "/dev/null".to_owned());
    env.insert(
        "BUURTKRACHT_SMTP_URL",
        format!("smtp://127.0.0.1:{}", smtp.port),
    );
    env.insert(
        "BUURTKRACHT_PUBLIC_URL",
        "http://buurtkracht.test".to_owned(),
    );
    env.insert("BUURTKRACHT_MAIL_RETRY_MS", "200".to_owned());
    // Tests send many requests from one address; the budget has tests of its own.
    env.insert("BUURTKRACHT_COST_PER_MINUTE", "1000000000".to_owned());
    if backend == Backend::Postgres {
        env.insert(
            "BUURTKRACHT_JWT_SECRET",
            "test-secret-test-secret-test-secret!".to_owned(),
        );
    }
    for (key, value) in extra {
        env.insert(key, (*value).to_owned());
    }
    let config = Config::load_from(|k| env.get(k).cloned()).expect("test configuration");
    buurtkracht::telemetry::init("warn", config.log_format);
    let app = Application::build(&config).await.expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.database();
    tokio::spawn(app.run_until_stopped());
    Some(TestApp {
        address,
        smtp,
        backend,
        db,
        database,
        client: reqwest::Client::new(),
        web_dir,
    })
}

/// A GraphQL response, with helpers to read it.
#[derive(Debug)]
pub struct GqlResponse {
    pub status: u16,
    pub body: Value,
}

impl GqlResponse {
    /// `data`, asserting there were no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        &self.body["data"]
    }

    /// The `extensions.code` of the first error.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    /// The field problems of the first error, as (field, code).
    pub fn field_codes(&self) -> Vec<(String, String)> {
        self.body["errors"][0]["extensions"]["fields"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        (
                            f["field"].as_str().unwrap_or_default().to_owned(),
                            f["code"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The message of the first error.
    pub fn error_message(&self) -> &str {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
    }
}

/// Read an operation document from `graphql/operations/`.
pub fn operation(name: &str) -> String {
    let path = repo_root()
        .join("graphql")
        .join("operations")
        .join(format!("{name}.graphql"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// An operation document from `graphql/operations/` with the fragments it uses, transitively:
/// the trusted document the server knows (`buurtkracht::graphql::trusted`).
pub fn document(name: &str) -> String {
    buurtkracht::graphql::trusted::documents()
        .values()
        .find(|d| d.name == name)
        .map(|d| d.text.clone())
        .unwrap_or_else(|| panic!("no operation {name} in graphql/operations/"))
}

/// The debug build of the server, for tests that run the real binary as a process.
pub fn server_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let binary = target.join("debug").join("buurtkracht");
    assert!(
        binary.exists(),
        "{} is missing: cargo build -p buurtkracht first",
        binary.display()
    );
    binary
}

/// A TCP port that is free at the moment.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl TestApp {
    /// POST a GraphQL request, optionally as the holder of `token`, in `language`.
    pub async fn graphql_as(
        &self,
        token: Option<&str>,
        language: &str,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .header("accept-language", language)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let body = response.json().await.expect("JSON body");
        GqlResponse { status, body }
    }

    /// POST a GraphQL request as a visitor, in English.
    pub async fn graphql(&self, query: &str, variables: Value) -> GqlResponse {
        self.graphql_as(None, "en", query, variables).await
    }

    /// POST a raw body with a content type.
    pub async fn post_raw(&self, content_type: &str, body: &'static str) -> GqlResponse {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        GqlResponse { status, body }
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    /// Make an admin and return their token.
    pub async fn admin_token(&self, email: &str) -> String {
        let email = email.to_owned();
        self.db
            .run(move |conn| {
                buurtkracht::domain::accounts::service::create_admin(conn, &email, "Test Admin")
            })
            .await
            .expect("admin created")
            .token
    }

    /// Create a neighbourhood as `token`'s holder; returns the created object.
    pub async fn create_neighbourhood(&self, token: &str, name: &str) -> Value {
        let response = self
            .graphql_as(
                Some(token),
                "en",
                &operation("CreateNeighbourhood"),
                json!({ "input": { "name": name } }),
            )
            .await;
        response.data()["createNeighbourhood"].clone()
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> u64 {
        self.db.statement_count()
    }

    /// The statements one request costs, and its response: the fewest of three runs, because
    /// the outbox job in the background shares the counter and can only add to it.
    pub async fn cost_of(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (u64, GqlResponse) {
        let mut cost = u64::MAX;
        let mut last = None;
        for _ in 0..3 {
            let before = self.statements();
            let r = self.graphql_as(token, "en", query, variables.clone()).await;
            cost = cost.min(self.statements() - before);
            last = Some(r);
        }
        (cost, last.expect("three runs"))
    }
}

/// A signed-in session, as returned by `signInWithLink`.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub viewer: Value,
}

impl Session {
    fn from(payload: &Value) -> Self {
        Self {
            access_token: payload["accessToken"]
                .as_str()
                .expect("accessToken")
                .to_owned(),
            refresh_token: payload["refreshToken"]
                .as_str()
                .expect("refreshToken")
                .to_owned(),
            viewer: payload["viewer"].clone(),
        }
    }
}

const SESSION_FIELDS: &str = "accessToken accessTokenExpiresAt refreshToken viewer { id email displayName language isAdmin }";

impl TestApp {
    /// Register, read the link from the real SMTP server, follow it: a signed-in session.
    pub async fn sign_up(&self, email: &str, name: &str) -> Session {
        let seen = self.smtp.count_for(email);
        let r = self
            .graphql(
                "mutation($input: RegisterInput!) { register(input: $input) }",
                json!({ "input": { "email": email, "displayName": name, "language": "EN" } }),
            )
            .await;
        assert_eq!(r.data()["register"], true);
        let mail = self
            .smtp
            .wait_for_new(email, seen, Duration::from_secs(10))
            .await
            .expect("the link arrives");
        let token = mail.sign_in_token().expect("a sign-in link");
        self.sign_in_with_link(&token).await.expect("signed in")
    }

    /// `signInWithLink`.
    pub async fn sign_in_with_link(&self, token: &str) -> Result<Session, GqlResponse> {
        let r = self
            .graphql(
                &format!("mutation($token: String!) {{ signInWithLink(token: $token) {{ {SESSION_FIELDS} }} }}"),
                json!({ "token": token }),
            )
            .await;
        if r.body.get("errors").is_some() {
            Err(r)
        } else {
            Ok(Session::from(&r.body["data"]["signInWithLink"]))
        }
    }

    /// `refreshSession`.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, GqlResponse> {
        let r = self
            .graphql(
                &format!("mutation($t: String!) {{ refreshSession(refreshToken: $t) {{ {SESSION_FIELDS} }} }}"),
                json!({ "t": refresh_token }),
            )
            .await;
        if r.body.get("errors").is_some() {
            Err(r)
        } else {
            Ok(Session::from(&r.body["data"]["refreshSession"]))
        }
    }
}

impl TestApp {
    /// A signed-in person without going through e-mail: the account and a sign-in link are
    /// written straight into the database, and the link is used through the API. For tests
    /// that need many people (sign-ups by e-mail are rate limited per IP address).
    pub async fn quick_session(&self, email: &str, name: &str) -> Session {
        let token = self.quick_link(email, name).await;
        self.sign_in_with_link(&token).await.expect("signed in")
    }

    /// A new account and an unused sign-in link for it, written straight into the database
    /// (see `quick_session`); returns the link's token.
    pub async fn quick_link(&self, email: &str, name: &str) -> String {
        use buurtkracht::db::schema::sign_in_links;
        use buurtkracht::domain::accounts::model::EmailAddress;
        use buurtkracht::domain::accounts::{Language, repo, tokens};
        use diesel::ExpressionMethods as _;
        let token = tokens::random_secret("");
        let hash = tokens::hash_secret(&token);
        let (email, name) = (email.to_owned(), name.to_owned());
        self.db
            .run(move |conn| {
                let at = buurtkracht::domain::now();
                let address = EmailAddress::parse(&email).expect("a valid test address");
                let user = repo::insert_user(conn, &address, &name, Language::English, None, at)?;
                diesel::insert_into(sign_in_links::table)
                    .values((
                        sign_in_links::user_id.eq(user.id.0),
                        sign_in_links::token_hash.eq(hash),
                        sign_in_links::expires_at.eq(at + chrono::TimeDelta::minutes(15)),
                        sign_in_links::created_at.eq(at),
                    ))
                    .execute(conn)?;
                Ok::<_, buurtkracht::db::DbError>(())
            })
            .await
            .expect("person created");
        token
    }
}
