//! Load benchmark for the grievance lists: a neighbourhood with many grievances and co-signs,
//! and the first page of TOP and of NEAREST under concurrent clients.
//!
//! ```sh
//! grievance_load seed --database-url sqlite:///tmp/bench.sqlite3 --grievances 10000 --cosigns 200000
//! BUURTKRACHT_JWT_SECRET=… buurtkracht serve &
//! grievance_load run --url http://127.0.0.1:8080 --clients 32 --seconds 20 --neighbourhood-slug bench-grievances
//! ```
//!
//! `seed` bulk-loads with multi-row INSERT statements built as text (numbers and fixed ASCII
//! words only) in one transaction: a benchmark tool, not app code. It also opens one session
//! (a refresh-token family `bench-<user id>`) for each of the first `--sessions` residents, so
//! that `run` can sign requests as residents with access tokens minted from the server's
//! `BUURTKRACHT_JWT_SECRET`; without a secret `run` measures as a visitor.
//! `scripts/bench-grievances.sh` runs the whole thing on SQLite and PostgreSQL.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use buurtkracht::db::schema::{grievances, neighbourhoods, themes, users};
use buurtkracht::db::{Database, DatabaseUrl, DbConnection, migrations};
use buurtkracht::domain::accounts::tokens::TokenKeys;
use buurtkracht::domain::ids::UserId;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use serde_json::{Value, json};

const USAGE: &str = "usage:
  grievance_load seed --database-url URL [--grievances 10000] [--cosigns 200000] [--people 5000]
                      [--sessions 64] [--slug bench-grievances] [--rng-seed 2026]
  grievance_load run  --url http://127.0.0.1:PORT [--neighbourhood-slug bench-grievances]
                      [--clients 32] [--seconds 20 | --requests N] [--warmup-seconds 3]
                      [--near 52.0680,4.2930] [--sessions 64] [--jwt-secret S | --visitor]
                      [--label NAME] [--wait-seconds 60] [--json]
                      [--scenarios TOP,NEAREST,DETAIL] [--target buurtkracht|postgraphile]
  The JWT secret defaults to $BUURTKRACHT_JWT_SECRET; without one, requests are sent as a visitor.
  DETAIL is the web app's grievance page (operation Grievance) of grievance 1, which has 20
  comments. --target postgraphile sends the same pages as PostGraphile 5 queries (visitor only).";

/// Centre and radius of the benchmark neighbourhood's area.
const AREA_LAT: f64 = 52.0665;
const AREA_LON: f64 = 4.2955;
const AREA_RADIUS_M: f64 = 900.0;
/// Metres per millionth of a degree of latitude (as in the app's geo module).
const METERS_PER_LAT_E6: f64 = 0.111_195_08;
/// Rows per INSERT statement.
const ROWS_PER_STATEMENT: usize = 500;
/// Page size of the measured requests.
const PAGE: usize = 20;
/// Grievances with comments, and comments on each (the detail page's scenario).
const COMMENTED: usize = 50;
const COMMENTS_EACH: usize = 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let opts = match Opts::parse(rest) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("grievance_load: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "seed" => seed(&opts),
        "run" => match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt.block_on(run(&opts)),
            Err(e) => Err(format!("cannot start the runtime: {e}")),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(format!("unknown command {other:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("grievance_load: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---- options ----

/// `--key value` pairs and `--flag`s.
struct Opts(BTreeMap<String, Option<String>>);

const FLAGS: &[&str] = &["json", "visitor"];

impl Opts {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let Some(key) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument {arg:?}"));
            };
            let (key, value) = match key.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None if FLAGS.contains(&key) => (key.to_owned(), None),
                None => {
                    let v = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
                    (key.to_owned(), Some(v.clone()))
                }
            };
            map.insert(key, value);
        }
        Ok(Self(map))
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.as_deref())
    }

    fn flag(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    fn num<T: std::str::FromStr>(&self, key: &str, default: T) -> Result<T, String> {
        match self.str(key) {
            None => Ok(default),
            Some(raw) => raw
                .replace('_', "")
                .parse()
                .map_err(|_| format!("--{key} {raw:?} is not a number")),
        }
    }

    fn opt_num<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, String> {
        self.str(key)
            .map(|raw| {
                raw.replace('_', "")
                    .parse()
                    .map_err(|_| format!("--{key} {raw:?} is not a number"))
            })
            .transpose()
    }
}

// ---- deterministic randomness ----

/// SplitMix64: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, with probability proportional to its weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---- seeding ----

const FIRST_NAMES: &[&str] = &[
    "Fatima", "Kees", "Anouk", "Mohamed", "Sanne", "Emre", "Priya", "Joost", "Aisha", "Ruud",
    "Noor", "Daan", "Ilse", "Yusuf", "Marieke", "Tarik", "Lotte", "Ravi", "Esra", "Bram",
];
const LAST_NAMES: &[&str] = &[
    "El Amrani",
    "van Dijk",
    "Jansen",
    "Bakker",
    "Yilmaz",
    "Ramdin",
    "de Vries",
    "Visser",
    "Kaya",
    "Mahabier",
    "Smit",
    "Bouali",
    "de Groot",
    "Mulder",
    "Ozturk",
];
const SUBJECTS: &[&str] = &[
    "Losliggende stoeptegels",
    "Kapotte straatverlichting",
    "Zwerfafval en volle containers",
    "Auto's rijden veel te hard",
    "Geluidsoverlast in de avond",
    "Schimmel in de portiekflat",
    "Te weinig speelplekken",
    "Fietsen op de stoep",
    "Geen bankje bij de bushalte",
    "Hoge energierekening",
    "Lange wachtlijst huisarts",
    "Jongeren hebben geen plek",
    "Ratten bij de vuilnisbakken",
    "Onveilige oversteek",
    "Lekkend dak in de huurwoning",
];
const PLACES: &[&str] = &[
    "de Hoefkade",
    "de Paul Krugerlaan",
    "de Kempstraat",
    "het Transvaalplein",
    "de Delagoastraat",
    "de Wolmaransstraat",
    "de Vaalrivierstraat",
    "de Pretoriusstraat",
    "de Bloemfonteinstraat",
    "het Oranjeplein",
];
const SENTENCES: &[&str] = &[
    "Dit speelt al maanden en niemand lijkt er iets aan te doen.",
    "Ouderen en kinderen hebben er elke dag last van.",
    "We hebben het al twee keer gemeld bij de gemeente.",
    "Buren zeggen hetzelfde en willen graag meedenken over een oplossing.",
    "Vooral in het weekend en na tienen is het erg.",
    "Het is gevaarlijk voor mensen met een rollator of kinderwagen.",
    "Kunnen we hier samen met de woningcorporatie over praten.",
    "Er zijn foto's beschikbaar en ik kom graag naar de bewonersavond.",
    "De situatie wordt steeds erger sinds de renovatie is begonnen.",
    "Ik hoop dat meer mensen dit herkennen en ondertekenen.",
];

/// Grievance statuses and their shares (per mille).
const STATUSES: &[(&str, u32)] = &[
    ("open", 700),
    ("acknowledged", 120),
    ("in_campaign", 30),
    ("resolved", 80),
    ("closed", 50),
    ("merged", 20),
];

fn ts(t: NaiveDateTime) -> String {
    t.format("'%Y-%m-%d %H:%M:%S'").to_string()
}

/// A SQL string literal of fixed ASCII text.
fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Collects rows for one table and runs them as multi-row INSERT statements.
struct BulkInsert {
    head: String,
    sql: String,
    rows: usize,
    total: u64,
}

impl BulkInsert {
    fn new(table: &str, columns: &str) -> Self {
        Self {
            head: format!("INSERT INTO {table} ({columns}) VALUES "),
            sql: String::new(),
            rows: 0,
            total: 0,
        }
    }

    fn push(&mut self, conn: &mut DbConnection, row: &str) -> QueryResult<()> {
        if self.rows == 0 {
            self.sql.clear();
            self.sql.push_str(&self.head);
        } else {
            self.sql.push(',');
        }
        self.sql.push('(');
        self.sql.push_str(row);
        self.sql.push(')');
        self.rows += 1;
        self.total += 1;
        if self.rows >= ROWS_PER_STATEMENT {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        if self.rows > 0 {
            conn.batch_execute(&self.sql)?;
            self.rows = 0;
        }
        Ok(())
    }
}

/// A scalar from raw SQL, on either backend.
fn scalar(conn: &mut DbConnection, sql: &str) -> QueryResult<i64> {
    use diesel::sql_types::BigInt;
    match conn {
        DbConnection::Sqlite(c) => diesel::select(diesel::dsl::sql::<BigInt>(sql)).get_result(c),
        DbConnection::Pg(c) => diesel::select(diesel::dsl::sql::<BigInt>(sql)).get_result(c),
    }
}

struct SeedPlan {
    grievances: usize,
    cosigns: u64,
    people: usize,
    sessions: usize,
    slug: String,
    rng_seed: u64,
}

fn seed(opts: &Opts) -> Result<(), String> {
    let raw_url = opts
        .str("database-url")
        .map(str::to_owned)
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .ok_or("--database-url is required")?;
    let plan = SeedPlan {
        grievances: opts.num("grievances", 10_000)?,
        cosigns: opts.num("cosigns", 200_000)?,
        people: opts.num("people", 5_000)?,
        sessions: opts.num("sessions", 64)?,
        slug: opts.str("slug").unwrap_or("bench-grievances").to_owned(),
        rng_seed: opts.num("rng-seed", 2026)?,
    };
    if plan.people < 2 || plan.grievances == 0 {
        return Err("need at least 2 people and 1 grievance".into());
    }
    if plan.sessions > plan.people {
        return Err("--sessions may not exceed --people".into());
    }
    let url = DatabaseUrl::parse(&raw_url).map_err(|e| format!("DATABASE_URL {e}"))?;
    let db = Database::open(&url, 1).map_err(|e| e.to_string())?;
    let mut pooled = db.get().map_err(|e| e.to_string())?;
    let conn: &mut DbConnection = &mut pooled;
    let started = Instant::now();
    let applied = migrations::run_pending(conn).map_err(|e| e.to_string())?;
    if !applied.is_empty() {
        println!("applied {} migrations", applied.len());
    }
    let existing: i64 = users::table
        .count()
        .get_result::<i64>(conn)
        .and_then(|u| Ok(u + neighbourhoods::table.count().get_result::<i64>(conn)?))
        .and_then(|n| Ok(n + grievances::table.count().get_result::<i64>(conn)?))
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!(
            "the database {raw_url} already holds people, neighbourhoods or grievances; \
             seed only into a new, empty database"
        ));
    }
    let theme_ids: Vec<i64> = themes::table
        .order_by((themes::position.asc(), themes::id.asc()))
        .select(themes::id)
        .load(conn)
        .map_err(|e| e.to_string())?;
    if theme_ids.is_empty() {
        return Err("no themes: the migrations should have added them".into());
    }
    let counts = conn
        .transaction(|conn| insert_everything(conn, &plan, &theme_ids))
        .map_err(|e| format!("seeding failed: {e}"))?;
    let loaded = started.elapsed();
    if let DbConnection::Pg(c) = conn {
        // What autovacuum would do shortly after a bulk load; without it the first minutes
        // run on guessed statistics. SQLite gets nothing: the app never runs ANALYZE there.
        c.batch_execute("VACUUM ANALYZE")
            .map_err(|e| e.to_string())?;
    }
    let total = started.elapsed();
    let mismatched = scalar(
        conn,
        "(SELECT COUNT(*) FROM grievances g WHERE g.cosign_count <> \
         (SELECT COUNT(*) FROM grievance_cosigns c WHERE c.grievance_id = g.id))",
    )
    .map_err(|e| e.to_string())?;
    if mismatched != 0 {
        return Err(format!(
            "{mismatched} grievances have a cosign_count that differs from their co-signs"
        ));
    }
    println!(
        "seeded {} ({:?}) in {:.1} s (load {:.1} s{}):",
        plan.slug,
        url.kind(),
        total.as_secs_f64(),
        loaded.as_secs_f64(),
        if matches!(url, DatabaseUrl::Postgres(_)) {
            ", then VACUUM ANALYZE"
        } else {
            ""
        }
    );
    for table in [
        "neighbourhoods",
        "users",
        "memberships",
        "grievances",
        "grievance_cosigns",
        "refresh_tokens",
    ] {
        let n =
            scalar(conn, &format!("(SELECT COUNT(*) FROM {table})")).map_err(|e| e.to_string())?;
        println!("  {table:<18} {n:>8}");
    }
    println!(
        "  co-signs per grievance: max {}, median {}, zero {}; located {}; cosign_count exact",
        counts.max_cosigns, counts.median_cosigns, counts.zero_cosigns, counts.located
    );
    Ok(())
}

struct SeedCounts {
    max_cosigns: u64,
    median_cosigns: u64,
    zero_cosigns: usize,
    located: usize,
}

/// One grievance before insertion.
struct Draft {
    author: i64,
    status: &'static str,
    created: NaiveDateTime,
}

fn insert_everything(
    conn: &mut DbConnection,
    plan: &SeedPlan,
    theme_ids: &[i64],
) -> QueryResult<SeedCounts> {
    let mut rng = Rng(plan.rng_seed);
    let now = buurtkracht::domain::now();
    let start = now - TimeDelta::days(730);
    let span_secs = TimeDelta::days(720).num_seconds();

    // The neighbourhood, id 1.
    let lat_e6 = (AREA_LAT * 1e6).round() as i64;
    let lon_e6 = (AREA_LON * 1e6).round() as i64;
    conn.batch_execute(&format!(
        "INSERT INTO neighbourhoods (id, slug, name, description, created_at, updated_at, \
         area_latitude_e6, area_longitude_e6, area_radius_meters) VALUES \
         (1, {}, 'Benchmarkwijk', 'Een wijk voor de belastingtest van signalen.', {}, {}, \
         {lat_e6}, {lon_e6}, {})",
        lit(&plan.slug),
        ts(start),
        ts(start),
        AREA_RADIUS_M as i32
    ))?;

    // People: residents 1..=people, the organiser people+1.
    let organiser = plan.people as i64 + 1;
    let mut users_insert = BulkInsert::new(
        "users",
        "id, email, display_name, language, created_at, updated_at",
    );
    let mut members = BulkInsert::new(
        "memberships",
        "id, user_id, neighbourhood_id, role, verified_at, created_at",
    );
    for id in 1..=organiser {
        let joined = start + TimeDelta::seconds(rng.below(span_secs as usize / 4) as i64);
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        let (email, role) = if id == organiser {
            (
                "opbouwwerker@bench.buurtkracht.test".to_owned(),
                "organiser",
            )
        } else {
            (format!("bewoner{id}@bench.buurtkracht.test"), "resident")
        };
        let language = if rng.below(10) < 8 { "nl" } else { "en" };
        users_insert.push(
            conn,
            &format!(
                "{id}, {}, {}, '{language}', {}, {}",
                lit(&email),
                lit(&name),
                ts(joined),
                ts(joined)
            ),
        )?;
        let verified = if role == "organiser" || rng.below(10) < 6 {
            ts(joined + TimeDelta::days(3))
        } else {
            "NULL".into()
        };
        members.push(
            conn,
            &format!("{id}, {id}, 1, '{role}', {verified}, {}", ts(joined)),
        )?;
    }
    users_insert.flush(conn)?;
    members.flush(conn)?;

    // Sessions the load clients sign in with (refresh-token family `bench-<user id>`).
    let mut sessions = BulkInsert::new(
        "refresh_tokens",
        "id, user_id, family, token_hash, expires_at, created_at",
    );
    for id in 1..=plan.sessions as i64 {
        let hash = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64()
        );
        sessions.push(
            conn,
            &format!(
                "{id}, {id}, 'bench-{id}', '{hash}', {}, {}",
                ts(now + TimeDelta::days(365)),
                ts(now)
            ),
        )?;
    }
    sessions.flush(conn)?;

    // Grievances 1..=n, oldest first (NEWEST orders by id).
    let n = plan.grievances;
    let status_weights: Vec<u32> = STATUSES.iter().map(|(_, w)| *w).collect();
    let theme_weights: Vec<u32> = (0..theme_ids.len())
        .map(|i| if i + 1 == theme_ids.len() { 4 } else { 10 })
        .collect();
    let mut drafts = Vec::with_capacity(n);
    let mut located = 0;
    let mut g_insert = BulkInsert::new(
        "grievances",
        "id, neighbourhood_id, author_user_id, theme_id, title, body, latitude_e6, longitude_e6, \
         show_name, status, status_reason, cosign_count, comment_count, merged_into_id, \
         created_at, updated_at",
    );
    // Co-sign counts are known before the rows go in, so that cosign_count is exact at once.
    let mut statuses = Vec::with_capacity(n);
    for i in 0..n {
        let mut status = STATUSES[rng.weighted(&status_weights)].0;
        if status == "merged" && i < 10 {
            status = "open";
        }
        statuses.push(status);
    }
    let counts = cosign_counts(&mut rng, &statuses, plan.cosigns, plan.people as u64 - 1)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    let lon_scale = AREA_LAT.to_radians().cos();
    for (i, status) in statuses.iter().enumerate() {
        let id = i as i64 + 1;
        let created = start + TimeDelta::seconds(span_secs * i as i64 / n as i64);
        let author = 1 + rng.below(plan.people) as i64;
        let theme = theme_ids[rng.weighted(&theme_weights)];
        let title = format!("{} bij {} ({id})", rng.pick(SUBJECTS), rng.pick(PLACES));
        let sentences = 2 + rng.below(10);
        let body: Vec<&str> = (0..sentences).map(|_| *rng.pick(SENTENCES)).collect();
        let (lat, lon) = if rng.below(100) < 80 {
            located += 1;
            let r = AREA_RADIUS_M * rng.unit().sqrt();
            let theta = std::f64::consts::TAU * rng.unit();
            let dlat = (r * theta.cos() / METERS_PER_LAT_E6).round() as i64;
            let dlon = (r * theta.sin() / METERS_PER_LAT_E6 / lon_scale).round() as i64;
            ((lat_e6 + dlat).to_string(), (lon_e6 + dlon).to_string())
        } else {
            ("NULL".into(), "NULL".into())
        };
        let show_name = i32::from(rng.below(10) < 7);
        let (reason, merged_into) = match *status {
            "open" => ("NULL".to_owned(), "NULL".to_owned()),
            "merged" => {
                // Into an older grievance that was not merged itself.
                let mut target = 1 + rng.below(i);
                while statuses[target - 1] == "merged" {
                    target = 1 + rng.below(i);
                }
                (
                    lit("Samengevoegd: gaat over hetzelfde."),
                    target.to_string(),
                )
            }
            _ => (
                lit("Besproken op de bewonersavond; zie de toelichting."),
                "NULL".to_owned(),
            ),
        };
        let updated = created + TimeDelta::hours(1 + rng.below(24 * 30) as i64);
        let updated = updated.min(now);
        g_insert.push(
            conn,
            &format!(
                "{id}, 1, {author}, {theme}, {}, {}, {lat}, {lon}, {show_name}, '{status}', \
                 {reason}, {}, 0, {merged_into}, {}, {}",
                lit(&title),
                lit(&body.join(" ")),
                counts[i],
                ts(created),
                ts(updated)
            ),
        )?;
        drafts.push(Draft {
            author,
            status,
            created,
        });
    }
    g_insert.flush(conn)?;

    // Co-signs: for each grievance, `counts[i]` distinct residents other than the author, by a
    // partial Fisher–Yates shuffle over a permutation that is never reset.
    let mut people: Vec<i64> = (1..=plan.people as i64).collect();
    let mut c_insert =
        BulkInsert::new("grievance_cosigns", "id, grievance_id, user_id, created_at");
    let mut cosign_id = 0_i64;
    for (i, draft) in drafts.iter().enumerate() {
        let want = counts[i] as usize;
        if want == 0 {
            continue;
        }
        debug_assert_ne!(draft.status, "merged");
        let grievance = i as i64 + 1;
        let age = (now - draft.created).num_seconds().max(1) as usize;
        let mut taken = 0;
        let mut k = 0;
        while taken < want {
            let j = k + rng.below(people.len() - k);
            people.swap(k, j);
            let user = people[k];
            k += 1;
            if user == draft.author {
                continue;
            }
            cosign_id += 1;
            taken += 1;
            let at = draft.created + TimeDelta::seconds(rng.below(age) as i64);
            c_insert.push(
                conn,
                &format!("{cosign_id}, {grievance}, {user}, {}", ts(at)),
            )?;
        }
    }
    c_insert.flush(conn)?;

    // Comments: COMMENTS_EACH on each of the first COMMENTED grievances that were not merged,
    // for the detail page (the web app shows the first 50).
    let mut m_insert = BulkInsert::new(
        "grievance_comments",
        "id, grievance_id, author_user_id, author_anonymous, body, created_at",
    );
    let mut comment_id = 0_i64;
    let mut commented = Vec::new();
    for (i, draft) in drafts.iter().enumerate() {
        if commented.len() == COMMENTED {
            break;
        }
        if draft.status == "merged" {
            continue;
        }
        let grievance = i as i64 + 1;
        commented.push(grievance.to_string());
        for k in 0..COMMENTS_EACH {
            comment_id += 1;
            let author = 1 + rng.below(plan.people) as i64;
            let at = draft.created + TimeDelta::minutes(10 * (k as i64 + 1));
            let sentence: &&str = rng.pick(SENTENCES);
            m_insert.push(
                conn,
                &format!(
                    "{comment_id}, {grievance}, {author}, 0, {}, {}",
                    lit(sentence),
                    ts(at.min(now))
                ),
            )?;
        }
    }
    m_insert.flush(conn)?;
    if !commented.is_empty() {
        conn.batch_execute(&format!(
            "UPDATE grievances SET comment_count = {COMMENTS_EACH} WHERE id IN ({})",
            commented.join(",")
        ))?;
    }
    // What the app keeps in the same transaction as each change.
    conn.batch_execute(
        "INSERT INTO grievance_counts (neighbourhood_id, theme_id, status, grievances) \
         SELECT neighbourhood_id, theme_id, status, COUNT(*) FROM grievances \
         GROUP BY neighbourhood_id, theme_id, status",
    )?;

    if let DbConnection::Pg(c) = conn {
        // Explicit ids leave the identity sequences behind; move them past the rows.
        c.batch_execute(
            "SELECT setval(pg_get_serial_sequence('neighbourhoods', 'id'), (SELECT MAX(id) FROM neighbourhoods));
             SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(id) FROM users));
             SELECT setval(pg_get_serial_sequence('memberships', 'id'), (SELECT MAX(id) FROM memberships));
             SELECT setval(pg_get_serial_sequence('refresh_tokens', 'id'), GREATEST(1, (SELECT MAX(id) FROM refresh_tokens)));
             SELECT setval(pg_get_serial_sequence('grievances', 'id'), (SELECT MAX(id) FROM grievances));
             SELECT setval(pg_get_serial_sequence('grievance_cosigns', 'id'), GREATEST(1, (SELECT MAX(id) FROM grievance_cosigns)));
             SELECT setval(pg_get_serial_sequence('grievance_comments', 'id'), GREATEST(1, (SELECT MAX(id) FROM grievance_comments)));",
        )?;
    }

    let mut sorted = counts.clone();
    sorted.sort_unstable();
    Ok(SeedCounts {
        max_cosigns: sorted.last().copied().unwrap_or(0),
        median_cosigns: sorted[sorted.len() / 2],
        zero_cosigns: sorted.iter().filter(|c| **c == 0).count(),
        located,
    })
}

/// Co-signs per grievance: Zipf–Mandelbrot over a random ranking of the grievances that were
/// not merged (merged ones hand their co-signs to the survivor), weight 1/(rank+10), each at
/// most `cap`, summing to exactly `total`.
fn cosign_counts(
    rng: &mut Rng,
    statuses: &[&str],
    total: u64,
    cap: u64,
) -> Result<Vec<u64>, String> {
    let mut ranked: Vec<usize> = (0..statuses.len())
        .filter(|i| statuses[*i] != "merged")
        .collect();
    if total > ranked.len() as u64 * cap {
        return Err(format!(
            "{total} co-signs do not fit: {} grievances with at most {cap} each; add --people",
            ranked.len()
        ));
    }
    for k in (1..ranked.len()).rev() {
        let j = rng.below(k + 1);
        ranked.swap(k, j);
    }
    let weight: Vec<f64> = (0..ranked.len()).map(|r| 1.0 / (r as f64 + 11.0)).collect();
    let mut counts = vec![0_u64; statuses.len()];
    let mut remaining = total;
    // Ranks that can still take more.
    let mut open: Vec<usize> = (0..ranked.len()).collect();
    while remaining > 0 {
        let sum: f64 = open.iter().map(|r| weight[*r]).sum();
        let mut given = 0;
        for r in &open {
            let share = (remaining as f64 * weight[*r] / sum).floor() as u64;
            let add = share.min(cap - counts[ranked[*r]]);
            counts[ranked[*r]] += add;
            given += add;
        }
        remaining -= given;
        if given == 0 {
            // Fewer left than the shares resolve: one each, best ranks first.
            for r in &open {
                if remaining == 0 {
                    break;
                }
                if counts[ranked[*r]] < cap {
                    counts[ranked[*r]] += 1;
                    remaining -= 1;
                }
            }
        }
        open.retain(|r| counts[ranked[*r]] < cap);
    }
    Ok(counts)
}

// ---- load ----

const LIST_QUERY: &str = "query BenchGrievances($neighbourhoodId: ID!, $orderBy: GrievanceOrder, $filter: GrievanceFilter) {
  grievances(neighbourhoodId: $neighbourhoodId, filter: $filter, orderBy: $orderBy, first: 20) {
    totalCount
    edges {
      cursor
      distanceMeters
      node {
        id
        title
        theme { id key name }
        status
        location { lat lon }
        author { displayName anonymous }
        cosignCount
        commentCount
        viewerHasCosigned
        createdAt
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}";

/// The list page for PostGraphile 5 (Amber preset): the same 20 rows (merged grievances have
/// no co-signs, so the top 20 of the neighbourhood are the same without the status filter)
/// with the same fields.
const PG_LIST_QUERY: &str = "query BenchGrievances($n: BigInt!) {
  allGrievances(condition: { neighbourhoodId: $n }, orderBy: [COSIGN_COUNT_DESC, ID_DESC], first: 20) {
    totalCount
    edges {
      cursor
      node {
        id
        title
        themeByThemeId { id key nameNl }
        status
        latitudeE6
        longitudeE6
        showName
        userByAuthorUserId { displayName }
        cosignCount
        commentCount
        createdAt
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}";

/// The detail page for PostGraphile 5: what the web app's Grievance operation shows.
const PG_DETAIL_QUERY: &str = "query BenchGrievance($id: BigInt!) {
  grievanceById(id: $id) {
    id
    title
    body
    status
    statusReason
    latitudeE6
    longitudeE6
    showName
    cosignCount
    commentCount
    createdAt
    updatedAt
    neighbourhoodByNeighbourhoodId { id slug name areaLatitudeE6 areaLongitudeE6 areaRadiusMeters }
    themeByThemeId { id key nameNl }
    userByAuthorUserId { id displayName }
    grievanceUpdatesByGrievanceId(orderBy: ID_ASC) { nodes { id body createdAt } }
    grievanceStatusChangesByGrievanceId(orderBy: ID_ASC) { nodes { fromStatus toStatus reason createdAt userByActorUserId { id displayName } } }
    grievanceCommentsByGrievanceId(first: 50, orderBy: [CREATED_AT_ASC, ID_ASC]) {
      totalCount
      edges { cursor node { id body authorAnonymous createdAt editedAt hiddenAt hiddenReason userByAuthorUserId { id displayName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
  allThemes(orderBy: POSITION_ASC) { nodes { id key nameNl } }
}";

/// Which server answers, and so how a page is asked and checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Buurtkracht,
    PostGraphile,
}

/// What a full answer looks like.
#[derive(Clone, Copy)]
enum Expect {
    /// A page of `PAGE` edges at this JSON pointer.
    Page(&'static str),
    /// A grievance with `COMMENTS_EACH` comments at this JSON pointer.
    Detail(&'static str),
}

struct Scenario {
    name: &'static str,
    body: Vec<u8>,
    expect: Expect,
}

#[derive(Default)]
struct Outcome {
    /// Microseconds per successful-or-failed request, in completion order.
    latencies_us: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

struct Report {
    scenario: &'static str,
    total_count: i64,
    requests: usize,
    errors: u64,
    seconds: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    first_error: Option<String>,
}

impl Report {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

async fn run(opts: &Opts) -> Result<(), String> {
    let base = opts
        .str("url")
        .ok_or("--url is required")?
        .trim_end_matches('/')
        .to_owned();
    let endpoint = format!("{base}/graphql");
    let slug = opts
        .str("neighbourhood-slug")
        .unwrap_or("bench-grievances")
        .to_owned();
    let clients: usize = opts.num("clients", 32)?;
    let requests: Option<usize> = opts.opt_num("requests")?;
    let seconds: f64 = opts.num("seconds", 20.0)?;
    let warmup: f64 = opts.num("warmup-seconds", 3.0)?;
    let sessions: i64 = opts.num("sessions", 64)?;
    let wait: u64 = opts.num("wait-seconds", 60)?;
    let label = opts.str("label").unwrap_or("").to_owned();
    let (near_lat, near_lon) = match opts.str("near") {
        None => (52.0680, 4.2930),
        Some(raw) => {
            let (a, b) = raw.split_once(',').ok_or("--near needs LAT,LON")?;
            (
                a.trim().parse().map_err(|_| "--near: bad latitude")?,
                b.trim().parse().map_err(|_| "--near: bad longitude")?,
            )
        }
    };
    if clients == 0 || sessions < 1 {
        return Err("--clients and --sessions must be at least 1".into());
    }
    let secret = opts
        .str("jwt-secret")
        .map(str::to_owned)
        .or_else(|| std::env::var("BUURTKRACHT_JWT_SECRET").ok())
        .filter(|s| !s.trim().is_empty() && !opts.flag("visitor"));

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients * 2)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    wait_until_ready(&client, &base, wait).await?;

    let target = match opts.str("target").unwrap_or("buurtkracht") {
        "buurtkracht" => Target::Buurtkracht,
        "postgraphile" => Target::PostGraphile,
        other => {
            return Err(format!(
                "--target {other:?}: expected buurtkracht or postgraphile"
            ));
        }
    };
    let wanted: Vec<String> = opts
        .str("scenarios")
        .unwrap_or("TOP,NEAREST")
        .split(',')
        .map(|s| s.trim().to_ascii_uppercase())
        .collect();
    let scenarios = if target == Target::PostGraphile {
        let mut list = Vec::new();
        for name in &wanted {
            match name.as_str() {
                "TOP" => list.push(Scenario {
                    name: "TOP",
                    body: serde_json::to_vec(
                        &json!({ "query": PG_LIST_QUERY, "variables": { "n": "1" } }),
                    )
                    .map_err(|e| e.to_string())?,
                    expect: Expect::Page("/data/allGrievances"),
                }),
                "DETAIL" => list.push(Scenario {
                    name: "DETAIL",
                    body: serde_json::to_vec(
                        &json!({ "query": PG_DETAIL_QUERY, "variables": { "id": "1" } }),
                    )
                    .map_err(|e| e.to_string())?,
                    expect: Expect::Detail("/data/grievanceById/grievanceCommentsByGrievanceId"),
                }),
                other => {
                    return Err(format!(
                        "scenario {other} is not available for PostGraphile"
                    ));
                }
            }
        }
        list
    } else {
        buurtkracht_scenarios(&client, &endpoint, &slug, &wanted, near_lat, near_lon).await?
    };
    run_scenarios(
        opts,
        &client,
        &endpoint,
        scenarios,
        secret.filter(|_| target == Target::Buurtkracht),
        clients,
        requests,
        seconds,
        warmup,
        sessions,
        &label,
    )
    .await
}

async fn buurtkracht_scenarios(
    client: &reqwest::Client,
    endpoint: &str,
    slug: &str,
    wanted: &[String],
    near_lat: f64,
    near_lon: f64,
) -> Result<Vec<Scenario>, String> {
    let neighbourhood_id = {
        let body = json!({
            "query": "query($slug: String!) { neighbourhood(slug: $slug) { id name } }",
            "variables": { "slug": slug },
        });
        let response: Value = client
            .post(endpoint)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        response["data"]["neighbourhood"]["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no neighbourhood {slug:?}: {response}"))?
    };

    let mut scenarios = Vec::new();
    for name in wanted {
        let (variables, query, operation, expect) = match name.as_str() {
            "TOP" => (
                json!({ "neighbourhoodId": neighbourhood_id, "orderBy": "TOP" }),
                LIST_QUERY.to_owned(),
                "BenchGrievances",
                Expect::Page("/data/grievances"),
            ),
            "NEAREST" => (
                json!({
                    "neighbourhoodId": neighbourhood_id,
                    "orderBy": "NEAREST",
                    "filter": { "near": { "lat": near_lat, "lon": near_lon } },
                }),
                LIST_QUERY.to_owned(),
                "BenchGrievances",
                Expect::Page("/data/grievances"),
            ),
            "DETAIL" => (
                json!({ "id": buurtkracht::domain::ids::public_id("Grievance", 1) }),
                buurtkracht_tests::document("Grievance"),
                "Grievance",
                Expect::Detail("/data/grievance/comments"),
            ),
            other => return Err(format!("unknown scenario {other}")),
        };
        scenarios.push(Scenario {
            name: match name.as_str() {
                "TOP" => "TOP",
                "NEAREST" => "NEAREST",
                _ => "DETAIL",
            },
            body: serde_json::to_vec(&json!({
                "query": query,
                "operationName": operation,
                "variables": variables,
            }))
            .map_err(|e| e.to_string())?,
            expect,
        });
    }
    Ok(scenarios)
}

#[expect(clippy::too_many_arguments, reason = "the knobs of one load run")]
async fn run_scenarios(
    opts: &Opts,
    client: &reqwest::Client,
    endpoint: &str,
    scenarios: Vec<Scenario>,
    secret: Option<String>,
    clients: usize,
    requests: Option<usize>,
    seconds: f64,
    warmup: f64,
    sessions: i64,
    label: &str,
) -> Result<(), String> {
    let viewer = if secret.is_some() {
        format!("signed-in residents ({sessions} sessions)")
    } else {
        "visitor (no JWT secret)".to_owned()
    };
    if !opts.flag("json") {
        eprintln!(
            "{label}: {clients} clients against {endpoint} as {viewer}; warm-up {warmup} s, then {}",
            match requests {
                Some(n) => format!("{n} requests per scenario"),
                None => format!("{seconds} s per scenario"),
            }
        );
    }

    let mut reports = Vec::new();
    for scenario in &scenarios {
        // Fresh tokens per scenario: an access token lives 15 minutes.
        let tokens: Vec<Option<String>> = match &secret {
            None => vec![None; clients],
            Some(secret) => {
                let keys = TokenKeys::from_secret(secret.as_bytes());
                let now = buurtkracht::domain::now().and_utc();
                (0..clients as i64)
                    .map(|k| {
                        let user = k % sessions + 1;
                        keys.issue(UserId(user), &format!("bench-{user}"), now)
                            .map(|(t, _)| Some(format!("Bearer {t}")))
                    })
                    .collect::<Result<_, _>>()?
            }
        };
        let body = Arc::new(scenario.body.clone());
        // The first response must be a full page.
        let total_count = {
            let (ok, detail, total) =
                one_request(client, endpoint, &body, &tokens[0], scenario.expect).await;
            if !ok {
                return Err(format!(
                    "{}: the first request failed: {detail}",
                    scenario.name
                ));
            }
            total
        };
        let tokens = Arc::new(tokens);
        if warmup > 0.0 {
            load(
                client,
                endpoint,
                &body,
                &tokens,
                Budget::Seconds(warmup),
                scenario.expect,
            )
            .await;
        }
        let budget = match requests {
            Some(n) => Budget::Requests(n),
            None => Budget::Seconds(seconds),
        };
        let started = Instant::now();
        let outcome = load(client, endpoint, &body, &tokens, budget, scenario.expect).await;
        let elapsed = started.elapsed().as_secs_f64();
        let mut lat = outcome.latencies_us;
        lat.sort_unstable();
        let pct = |p: f64| -> f64 {
            if lat.is_empty() {
                return f64::NAN;
            }
            let rank = ((p * lat.len() as f64).ceil() as usize).clamp(1, lat.len());
            lat[rank - 1] as f64 / 1000.0
        };
        reports.push(Report {
            scenario: scenario.name,
            total_count,
            requests: lat.len(),
            errors: outcome.errors,
            seconds: elapsed,
            p50: pct(0.50),
            p90: pct(0.90),
            p99: pct(0.99),
            max: pct(1.0),
            first_error: outcome.first_error,
        });
    }

    if opts.flag("json") {
        let doc = json!({
            "label": label,
            "url": endpoint,
            "clients": clients,
            "viewer": viewer,
            "scenarios": reports.iter().map(|r| json!({
                "scenario": r.scenario,
                "total_count": r.total_count,
                "requests": r.requests,
                "errors": r.errors,
                "seconds": r.seconds,
                "requests_per_second": r.rps(),
                "p50_ms": r.p50,
                "p90_ms": r.p90,
                "p99_ms": r.p99,
                "max_ms": r.max,
                "first_error": r.first_error,
            })).collect::<Vec<_>>(),
        });
        println!("{doc}");
    } else {
        println!(
            "{:<10} {:<8} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6}",
            "backend",
            "scenario",
            "clients",
            "requests",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "errors",
            "total"
        );
        for r in &reports {
            println!(
                "{:<10} {:<8} {:>7} {:>8} {:>8.0} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7} {:>6}",
                label,
                r.scenario,
                clients,
                r.requests,
                r.rps(),
                r.p50,
                r.p90,
                r.p99,
                r.max,
                r.errors,
                r.total_count
            );
        }
        for r in &reports {
            if let Some(e) = &r.first_error {
                println!("{label} {}: first error: {e}", r.scenario);
            }
        }
    }
    if reports.iter().any(|r| r.errors > 0) {
        return Err("some requests failed (see the errors column)".into());
    }
    Ok(())
}

async fn wait_until_ready(client: &reqwest::Client, base: &str, wait: u64) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(wait);
    loop {
        match client.get(format!("{base}/readyz")).send().await {
            // PostGraphile has no /readyz: any answer but 503 means it listens.
            Ok(r) if r.status().is_success() || r.status() == 404 => return Ok(()),
            other => {
                if Instant::now() >= deadline {
                    return Err(format!(
                        "{base} not ready after {wait} s: {}",
                        match other {
                            Ok(r) => r.status().to_string(),
                            Err(e) => e.to_string(),
                        }
                    ));
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[derive(Clone, Copy)]
enum Budget {
    Seconds(f64),
    Requests(usize),
}

/// One request: whether it succeeded with a full page, a description, and `totalCount`.
async fn one_request(
    client: &reqwest::Client,
    endpoint: &str,
    body: &Arc<Vec<u8>>,
    token: &Option<String>,
    expect: Expect,
) -> (bool, String, i64) {
    let mut request = client
        .post(endpoint)
        .header("content-type", "application/json")
        .body(body.as_ref().clone());
    if let Some(t) = token {
        request = request.header("authorization", t);
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return (false, format!("transport: {e}"), 0),
    };
    let status = response.status();
    let bytes = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return (false, format!("reading the body: {e}"), 0),
    };
    if !status.is_success() {
        return (
            false,
            format!("HTTP {status}: {}", String::from_utf8_lossy(&bytes)),
            0,
        );
    }
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return (false, format!("not JSON: {e}"), 0),
    };
    if let Some(errors) = value.get("errors") {
        return (false, format!("GraphQL errors: {errors}"), 0);
    }
    let (pointer, want) = match expect {
        Expect::Page(p) => (p, PAGE),
        Expect::Detail(p) => (p, COMMENTS_EACH),
    };
    let page = value.pointer(pointer).unwrap_or(&Value::Null);
    let edges = page["edges"].as_array().map_or(0, Vec::len);
    if edges != want {
        return (
            false,
            format!("{edges} edges instead of {want} at {pointer}"),
            0,
        );
    }
    (
        true,
        String::new(),
        page["totalCount"].as_i64().unwrap_or(-1),
    )
}

/// Run `tokens.len()` concurrent clients until the budget is spent.
async fn load(
    client: &reqwest::Client,
    endpoint: &str,
    body: &Arc<Vec<u8>>,
    tokens: &Arc<Vec<Option<String>>>,
    budget: Budget,
    expect: Expect,
) -> Outcome {
    let issued = Arc::new(AtomicU64::new(0));
    let deadline = match budget {
        Budget::Seconds(s) => Some(Instant::now() + Duration::from_secs_f64(s)),
        Budget::Requests(_) => None,
    };
    let limit = match budget {
        Budget::Requests(n) => n as u64,
        Budget::Seconds(_) => u64::MAX,
    };
    let mut tasks = Vec::with_capacity(tokens.len());
    for k in 0..tokens.len() {
        let client = client.clone();
        let endpoint = endpoint.to_owned();
        let body = Arc::clone(body);
        let tokens = Arc::clone(tokens);
        let issued = Arc::clone(&issued);
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            let token = &tokens[k];
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d)
                    || issued.fetch_add(1, Ordering::Relaxed) >= limit
                {
                    break;
                }
                let started = Instant::now();
                let (ok, detail, _) = one_request(&client, &endpoint, &body, token, expect).await;
                outcome
                    .latencies_us
                    .push(started.elapsed().as_micros() as u64);
                if !ok {
                    outcome.errors += 1;
                    outcome.first_error.get_or_insert(detail);
                }
            }
            outcome
        }));
    }
    let mut all = Outcome::default();
    for task in tasks {
        match task.await {
            Ok(o) => {
                all.latencies_us.extend(o.latencies_us);
                all.errors += o.errors;
                if all.first_error.is_none() {
                    all.first_error = o.first_error;
                }
            }
            Err(e) => {
                all.errors += 1;
                all.first_error.get_or_insert(format!("client task: {e}"));
            }
        }
    }
    all
}
