//! The two migration sets produce equivalent schemas: same tables, columns, types (by family),
//! nullability, unique constraints, foreign keys and indexes.

use std::collections::BTreeSet;

use buurtkracht::db::DbConnection;
use buurtkracht_tests::{Backend, FreshDatabase, postgres_admin_url};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    type_: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    unique: i64,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Nullable<Text>)]
    to: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct Row4 {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
    #[diesel(sql_type = Text)]
    c: String,
    #[diesel(sql_type = Text)]
    d: String,
}

/// One fact about a schema, comparable across backends.
type Fact = String;

fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.starts_with("timestamp") {
        "timestamp"
    } else if t.contains("bool") {
        "boolean"
    } else {
        "other"
    }
}

fn sqlite_facts(conn: &mut DbConnection) -> BTreeSet<Fact> {
    let mut facts = BTreeSet::new();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(conn)
    .expect("tables");
    for Name { name: table } in tables {
        facts.insert(format!("table {table}"));
        let columns: Vec<SqliteColumn> = diesel::sql_query(format!(
            "SELECT name, type AS type_, \"notnull\" AS not_null, pk FROM pragma_table_info('{table}')"
        ))
        .load(conn)
        .expect("columns");
        for c in &columns {
            // A primary key column is NOT NULL on both backends.
            let null = if c.not_null == 1 || c.pk > 0 {
                "not null"
            } else {
                "null"
            };
            facts.insert(format!(
                "column {table}.{} {} {null}",
                c.name,
                family(&c.type_)
            ));
            if c.pk > 0 {
                facts.insert(format!("primary key {table}({})", c.name));
            }
        }
        let indexes: Vec<SqliteIndex> = diesel::sql_query(format!(
            "SELECT name, \"unique\" AS \"unique\", origin FROM pragma_index_list('{table}')"
        ))
        .load(conn)
        .expect("indexes");
        for index in indexes.iter().filter(|i| i.origin != "pk") {
            let cols: Vec<Name> = diesel::sql_query(format!(
                "SELECT name FROM pragma_index_info('{}') ORDER BY seqno",
                index.name
            ))
            .load(conn)
            .expect("index columns");
            let cols = cols
                .into_iter()
                .map(|n| n.name)
                .collect::<Vec<_>>()
                .join(",");
            let kind = if index.unique == 1 { "unique" } else { "index" };
            let label = if index.origin == "c" {
                format!(" {}", index.name)
            } else {
                String::new()
            };
            facts.insert(format!("{kind} {table}({cols}){label}"));
        }
        let fks: Vec<SqliteForeignKey> = diesel::sql_query(format!(
            "SELECT \"table\" AS \"table\", \"from\" AS \"from\", \"to\" AS \"to\", on_delete FROM pragma_foreign_key_list('{table}')"
        ))
        .load(conn)
        .expect("foreign keys");
        for fk in fks {
            facts.insert(format!(
                "foreign key {table}.{} -> {}.{} on delete {}",
                fk.from,
                fk.table,
                fk.to.unwrap_or_else(|| "id".into()),
                fk.on_delete.to_ascii_lowercase()
            ));
        }
    }
    facts
}

fn postgres_facts(conn: &mut DbConnection) -> BTreeSet<Fact> {
    let mut facts = BTreeSet::new();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("tables");
    for Name { name } in &tables {
        facts.insert(format!("table {name}"));
    }
    let columns: Vec<Row4> = diesel::sql_query(
        "SELECT table_name::text AS a, column_name::text AS b, data_type::text AS c, is_nullable::text AS d
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("columns");
    for c in columns {
        let null = if c.d == "YES" { "null" } else { "not null" };
        facts.insert(format!("column {}.{} {} {null}", c.a, c.b, family(&c.c)));
    }
    // Indexes (including those behind PRIMARY KEY and UNIQUE constraints).
    let indexes: Vec<Row4> = diesel::sql_query(
        "SELECT t.relname::text AS a, i.relname::text AS b,
                (CASE WHEN ix.indisprimary THEN 'primary' WHEN ix.indisunique THEN 'unique' ELSE 'index' END) AS c,
                (CASE WHEN con.conname IS NULL THEN 'created' ELSE 'constraint' END) || ':' ||
                string_agg(a.attname::text, ',' ORDER BY k.ord) AS d
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE n.nspname = 'public' AND t.relname <> '__diesel_schema_migrations'
         GROUP BY t.relname, i.relname, ix.indisprimary, ix.indisunique, con.conname",
    )
    .load(conn)
    .expect("indexes");
    for ix in indexes {
        let (origin, cols) = ix.d.split_once(':').expect("origin:columns");
        match ix.c.as_str() {
            "primary" => {
                facts.insert(format!("primary key {}({cols})", ix.a));
            }
            kind => {
                let label = if origin == "created" {
                    format!(" {}", ix.b)
                } else {
                    String::new()
                };
                facts.insert(format!("{kind} {}({cols}){label}", ix.a));
            }
        }
    }
    let fks: Vec<Row4> = diesel::sql_query(
        "SELECT cl.relname::text || '.' || a.attname::text AS a,
                rt.relname::text || '.' || ra.attname::text AS b,
                (CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict' WHEN 'd' THEN 'set default' ELSE 'no action' END) AS c,
                '' AS d
         FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
         JOIN pg_namespace n ON n.oid = cl.relnamespace
         WHERE c.contype = 'f' AND n.nspname = 'public'",
    )
    .load(conn)
    .expect("foreign keys");
    for fk in fks {
        facts.insert(format!(
            "foreign key {} -> {} on delete {}",
            fk.a, fk.b, fk.c
        ));
    }
    facts
}

fn migrated(backend: Backend) -> Option<(FreshDatabase, DbConnection)> {
    let database = FreshDatabase::create(backend)?;
    let url = buurtkracht::db::DatabaseUrl::parse(&database.url()).expect("url");
    let db = buurtkracht::db::Database::open(&url, 1).expect("open");
    let mut conn = db.get().expect("connection");
    buurtkracht::db::migrations::run_pending(&mut conn).expect("migrations apply");
    let raw = match url {
        buurtkracht::db::DatabaseUrl::Sqlite(path) => {
            DbConnection::establish(&path.to_string_lossy())
        }
        buurtkracht::db::DatabaseUrl::Postgres(u) => DbConnection::establish(&u),
    }
    .expect("direct connection");
    Some((database, raw))
}

#[test]
fn both_migration_sets_have_the_same_migrations() {
    let root = buurtkracht_tests::repo_root().join("migrations");
    let names = |b: &str| -> BTreeSet<String> {
        std::fs::read_dir(root.join(b))
            .expect("migration folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[test]
fn both_migration_sets_produce_equivalent_schemas() {
    if postgres_admin_url().is_none() {
        return;
    }
    let (_s, mut sqlite) = migrated(Backend::Sqlite).expect("sqlite");
    let (_p, mut postgres) = migrated(Backend::Postgres).expect("postgres");
    let left = sqlite_facts(&mut sqlite);
    let right = postgres_facts(&mut postgres);
    let only_sqlite: Vec<_> = left.difference(&right).collect();
    let only_postgres: Vec<_> = right.difference(&left).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migration sets differ.\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
    assert!(left.len() > 30, "the comparison saw the schema: {left:#?}");
}

#[test]
fn the_schema_comparison_notices_a_difference() {
    // Guard against a comparison that cannot fail: an extra column on one side must show.
    let (_s, mut sqlite) = migrated(Backend::Sqlite).expect("sqlite");
    let before = sqlite_facts(&mut sqlite);
    diesel::sql_query("ALTER TABLE users ADD COLUMN nickname TEXT")
        .execute(&mut sqlite)
        .expect("alter");
    diesel::sql_query("CREATE INDEX users_nickname_idx ON users (nickname)")
        .execute(&mut sqlite)
        .expect("index");
    let after = sqlite_facts(&mut sqlite);
    let added: Vec<_> = after.difference(&before).cloned().collect();
    assert_eq!(
        added,
        [
            "column users.nickname text null",
            "index users(nickname) users_nickname_idx"
        ]
    );
}
