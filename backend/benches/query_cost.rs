//! How long the cost analysis takes before a request is refused or run: the web app's heaviest
//! document, and the outside probe's amplification document (300 aliases of 100 grievances
//! with 100 comments each, about 50 KB) and its 1 MiB variant (a batch of 21).

use buurtkracht::graphql::cost::{CostLimits, analyse};
use criterion::{Criterion, criterion_group, criterion_main};

fn amplification() -> String {
    let one = "grievances(neighbourhoodId: $n, first: 100) { edges { node { id title comments(first: 100) { edges { node { id body } } } } } }";
    let aliases = (0..300)
        .map(|i| format!("a{i}: {one}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!("query Heavy($n: ID!) {{\n{aliases}\n}}")
}

fn bench(c: &mut Criterion) {
    let schema = buurtkracht::graphql::schema();
    let variables = juniper::Variables::new();
    let limits = CostLimits::default();
    let web_app = buurtkracht::graphql::trusted::documents()
        .values()
        .find(|d| d.name == "GrievancesNeedingResponse")
        .map(|d| d.text.clone())
        .unwrap_or_default();
    c.bench_function("cost of the web app's heaviest document", |b| {
        b.iter(|| analyse(&schema.schema, &web_app, None, &variables, &limits));
    });
    let heavy = amplification();
    // Without the repetition limit, the whole document is walked and its cost added up.
    let no_repetition_limit = CostLimits {
        max_same_field: usize::MAX,
        ..limits
    };
    c.bench_function("refusing the amplification document (its cost)", |b| {
        b.iter(|| {
            analyse(
                &schema.schema,
                &heavy,
                None,
                &variables,
                &no_repetition_limit,
            )
        });
    });
    c.bench_function("refusing the amplification document (its aliases)", |b| {
        b.iter(|| analyse(&schema.schema, &heavy, None, &variables, &limits));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
