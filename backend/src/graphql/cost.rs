//! Query cost analysis, before anything is executed: the depth of a document, how often one
//! field is asked for under different aliases, and its cost.
//!
//! The cost model (README, "Query cost"): every field costs 1; a list field multiplies the cost
//! of what it selects by the number of items it can return — its `first` argument (literal or
//! variable, at most the field's maximum, the field's default when left out), or a fixed bound
//! for lists without paging. `__typename` is free and an introspection root (`__schema`,
//! `__type`) costs a flat [`INTROSPECTION_COST`]. Costs of the operations of a batch add up.
//!
//! Every list field of the schema must be listed in [`LIST_FIELDS`]; a test fails for one that is
//! not, so a new list field cannot ship without a cost.

use std::collections::HashMap;

use juniper::meta::MetaType;
use juniper::{
    DefaultScalarValue, Definition, InputValue, OperationType, ScalarValue, SchemaType, Selection,
    Variables,
};

/// How many items a list field can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSize {
    /// A paged list: `first` items, `default` when left out, never more than `max`.
    Paged { default: u32, max: u32 },
    /// A list without paging, with at most this many items in practice (a documented bound).
    Bounded(u32),
    /// The items of a page (`edges` of a connection): already counted by the paged field above.
    PageItems,
}

/// The list fields of the schema and their sizes: `(type, field, size)`.
pub const LIST_FIELDS: &[(&str, &str, ListSize)] = &[
    ("Query", "neighbourhoods", PAGED_20),
    ("Query", "auditLog", PAGED_20),
    ("Query", "grievances", PAGED_20),
    ("Query", "grievancesNeedingResponse", PAGED_20),
    ("Query", "themes", ListSize::Bounded(50)),
    ("Query", "budgetRounds", PAGED_20),
    ("Query", "budgetProposals", PAGED_20),
    // At most `domain::budgets::service::PROPOSALS_MAX` proposals per round.
    ("BudgetOutcome", "funded", ListSize::Bounded(200)),
    ("BudgetOutcome", "projects", ListSize::Bounded(200)),
    ("BudgetRoundConnection", "edges", ListSize::PageItems),
    ("BudgetProposalConnection", "edges", ListSize::PageItems),
    ("Grievance", "comments", PAGED_50),
    ("Grievance", "updates", ListSize::Bounded(20)),
    ("Grievance", "history", ListSize::Bounded(20)),
    ("Grievance", "mergedFrom", ListSize::Bounded(10)),
    ("Neighbourhood", "organisers", ListSize::Bounded(10)),
    ("Neighbourhood", "members", ListSize::Bounded(100)),
    ("Viewer", "memberships", ListSize::Bounded(10)),
    ("AuditLogConnection", "edges", ListSize::PageItems),
    ("CommentConnection", "edges", ListSize::PageItems),
    ("GrievanceConnection", "edges", ListSize::PageItems),
    ("NeighbourhoodConnection", "edges", ListSize::PageItems),
    ("Query", "campaigns", PAGED_20),
    ("Campaign", "grievances", PAGED_20),
    ("Campaign", "changeGoals", ListSize::Bounded(10)),
    ("Campaign", "phases", ListSize::Bounded(12)),
    ("Campaign", "coreTeam", ListSize::Bounded(30)),
    ("CampaignPhase", "goals", ListSize::Bounded(20)),
    ("CampaignConnection", "edges", ListSize::PageItems),
];

const PAGED_20: ListSize = ListSize::Paged {
    default: 20,
    max: 100,
};
const PAGED_50: ListSize = ListSize::Paged {
    default: 50,
    max: 100,
};

/// The flat cost of one introspection root field: the schema is small and fixed, so its
/// introspection is bounded; GraphiQL's full introspection query costs this much.
pub const INTROSPECTION_COST: u64 = 200;

/// The limits a document must stay within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostLimits {
    /// The highest cost of one request (the operations of a batch added up).
    pub max_cost: u64,
    /// The deepest nesting of fields.
    pub max_depth: usize,
    /// How often one field may be asked for in one selection (under different aliases).
    pub max_same_field: usize,
    /// Operations in one batch.
    pub max_batch: usize,
}

impl Default for CostLimits {
    fn default() -> Self {
        Self {
            max_cost: 10_000,
            max_depth: 15,
            max_same_field: 10,
            max_batch: 10,
        }
    }
}

/// What the analysis found out about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub cost: u64,
    pub depth: usize,
    pub operation_type: OperationType,
}

/// Why a document is refused before execution (`QUERY_TOO_COMPLEX`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooComplex {
    Cost {
        cost: u64,
        limit: u64,
    },
    Depth {
        depth: usize,
        limit: usize,
    },
    SameField {
        field: String,
        count: usize,
        limit: usize,
    },
    Batch {
        operations: usize,
        limit: usize,
    },
}

impl TooComplex {
    /// The `extensions` of the refusal, besides its code: what was measured and the limit.
    pub fn extensions(&self) -> serde_json::Value {
        match self {
            Self::Cost { cost, limit } => serde_json::json!({ "cost": cost, "limit": limit }),
            Self::Depth { depth, limit } => serde_json::json!({ "depth": depth, "limit": limit }),
            Self::SameField {
                field,
                count,
                limit,
            } => serde_json::json!({ "field": field, "count": count, "limit": limit }),
            Self::Batch { operations, limit } => {
                serde_json::json!({ "operations": operations, "limit": limit })
            }
        }
    }
}

/// Analyse the operation a request would run. `Ok(None)` when the document does not parse or
/// names no operation that exists: execution then answers the exact error, without any work.
pub fn analyse(
    schema: &SchemaType<DefaultScalarValue>,
    query: &str,
    operation_name: Option<&str>,
    variables: &Variables<DefaultScalarValue>,
    limits: &CostLimits,
) -> Result<Option<Analysis>, TooComplex> {
    let Ok(document) = juniper::parser::parse_document_source(query, schema) else {
        return Ok(None);
    };
    let mut operations = document.iter().filter_map(|d| match d {
        Definition::Operation(op) => Some(&op.item),
        Definition::Fragment(_) => None,
    });
    let operation = match operation_name {
        Some(name) => operations.find(|op| op.name.as_ref().map(|n| n.item) == Some(name)),
        None => {
            let first = operations.next();
            if operations.next().is_some() {
                None
            } else {
                first
            }
        }
    };
    let Some(operation) = operation else {
        return Ok(None);
    };
    let root = match operation.operation_type {
        OperationType::Query => Some(schema.concrete_query_type()),
        OperationType::Mutation => schema.concrete_mutation_type(),
        OperationType::Subscription => schema.concrete_subscription_type(),
    };
    let Some(root) = root.and_then(|t| t.name()) else {
        return Ok(None);
    };
    let fragments = document
        .iter()
        .filter_map(|d| match d {
            Definition::Fragment(f) => Some((
                f.item.name.item,
                (f.item.type_condition.item, f.item.selection_set.as_slice()),
            )),
            Definition::Operation(_) => None,
        })
        .collect::<HashMap<_, _>>();
    let mut defaults = HashMap::new();
    if let Some(definitions) = &operation.variables_definition {
        for (name, definition) in definitions.item.iter() {
            if let Some(default) = &definition.default_value {
                defaults.insert(name.item, default.item.clone());
            }
        }
    }
    let mut walker = Walker {
        schema,
        fragments,
        variables,
        defaults,
        limits,
        fragment_costs: HashMap::new(),
        in_progress: Vec::new(),
    };
    let (cost, depth) = walker.selections(&operation.selection_set, root)?;
    if depth > limits.max_depth {
        return Err(TooComplex::Depth {
            depth,
            limit: limits.max_depth,
        });
    }
    if cost > limits.max_cost {
        return Err(TooComplex::Cost {
            cost,
            limit: limits.max_cost,
        });
    }
    Ok(Some(Analysis {
        cost,
        depth,
        operation_type: operation.operation_type,
    }))
}

/// A fragment: its type condition and its selections.
type Fragment<'d, 'a> = (&'a str, &'d [Selection<'a, DefaultScalarValue>]);

struct Walker<'d, 'a> {
    schema: &'d SchemaType<DefaultScalarValue>,
    fragments: HashMap<&'a str, Fragment<'d, 'a>>,
    variables: &'d Variables<DefaultScalarValue>,
    defaults: HashMap<&'a str, InputValue<DefaultScalarValue>>,
    limits: &'d CostLimits,
    /// Cost and depth of each fragment, computed once however often it is spread.
    fragment_costs: HashMap<&'a str, (u64, usize)>,
    /// Fragments being walked (a cycle is left to validation, which refuses it).
    in_progress: Vec<&'a str>,
}

impl<'d, 'a> Walker<'d, 'a> {
    /// Cost and depth of a selection set on the type `on`.
    fn selections(
        &mut self,
        selections: &'d [Selection<'a, DefaultScalarValue>],
        on: &str,
    ) -> Result<(u64, usize), TooComplex> {
        let mut cost = 0u64;
        let mut depth = 0usize;
        let mut same_field: HashMap<&str, usize> = HashMap::new();
        for selection in selections {
            let (c, d) = match selection {
                Selection::Field(field) => {
                    let field = &field.item;
                    let name = field.name.item;
                    let count = same_field.entry(name).or_default();
                    *count += 1;
                    if *count > self.limits.max_same_field {
                        return Err(TooComplex::SameField {
                            field: name.to_owned(),
                            count: *count,
                            limit: self.limits.max_same_field,
                        });
                    }
                    let first = field.arguments.as_ref().and_then(|args| {
                        args.item
                            .items
                            .iter()
                            .find(|(arg, _)| arg.item == "first")
                            .map(|(_, value)| &value.item)
                    });
                    self.field(name, first, field.selection_set.as_deref(), on)?
                }
                Selection::FragmentSpread(spread) => self.fragment(spread.item.name.item)?,
                Selection::InlineFragment(inline) => {
                    let inline = &inline.item;
                    let on = inline.type_condition.as_ref().map_or(on, |t| t.item);
                    self.selections(&inline.selection_set, on)?
                }
            };
            cost = cost.saturating_add(c);
            depth = depth.max(d);
        }
        Ok((cost, depth))
    }

    fn field(
        &mut self,
        name: &str,
        first: Option<&InputValue<DefaultScalarValue>>,
        selection_set: Option<&'d [Selection<'a, DefaultScalarValue>]>,
        on: &str,
    ) -> Result<(u64, usize), TooComplex> {
        match name {
            "__typename" => return Ok((0, 1)),
            "__schema" | "__type" => return Ok((INTROSPECTION_COST, 1)),
            _ => {}
        }
        let Some(meta) = self
            .schema
            .concrete_type_by_name(on)
            .and_then(|t| t.field_by_name(name))
        else {
            // An unknown field: validation refuses the document.
            return Ok((1, 1));
        };
        let (below, below_depth) = match selection_set {
            Some(selections) => {
                let inner = meta.field_type.innermost_name().to_owned();
                self.selections(selections, &inner)?
            }
            None => (0, 0),
        };
        let items = match list_size(on, name) {
            Some(ListSize::Paged { default, max }) => {
                let first = first.and_then(|value| self.int_value(value));
                u64::from(first.map_or(default, |n| n.clamp(0, max as i32) as u32))
            }
            Some(ListSize::Bounded(n)) => u64::from(n),
            Some(ListSize::PageItems) | None => 1,
        };
        Ok((
            1u64.saturating_add(items.saturating_mul(below)),
            1 + below_depth,
        ))
    }

    fn fragment(&mut self, name: &'a str) -> Result<(u64, usize), TooComplex> {
        if let Some(known) = self.fragment_costs.get(name) {
            return Ok(*known);
        }
        if self.in_progress.contains(&name) {
            return Ok((0, 0));
        }
        let Some((on, selections)) = self.fragments.get(name).copied() else {
            return Ok((0, 0));
        };
        self.in_progress.push(name);
        let result = self.selections(selections, on);
        self.in_progress.pop();
        let result = result?;
        self.fragment_costs.insert(name, result);
        Ok(result)
    }

    /// An integer argument: a literal, or a variable from the request (else its default).
    fn int_value(&self, value: &InputValue<DefaultScalarValue>) -> Option<i32> {
        match value {
            InputValue::Scalar(s) => s.try_to_int(),
            InputValue::Variable(name) => self
                .variables
                .get(name.as_str())
                .or_else(|| self.defaults.get(name.as_str()))
                .and_then(|v| v.as_scalar())
                .and_then(ScalarValue::try_to_int),
            _ => None,
        }
    }
}

/// The size of a list field, `None` for a field that is no list.
pub fn list_size(on: &str, field: &str) -> Option<ListSize> {
    LIST_FIELDS
        .iter()
        .find(|(t, f, _)| *t == on && *f == field)
        .map(|(_, _, size)| *size)
}

/// The fields of the schema that return a list or take `first`, as `(type, field)`.
pub fn schema_list_fields(schema: &SchemaType<DefaultScalarValue>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in schema.concrete_type_list() {
        let (name, fields) = match t {
            MetaType::Object(o) => (&o.name, &o.fields),
            MetaType::Interface(i) => (&i.name, &i.fields),
            _ => continue,
        };
        if name.starts_with("__") {
            continue;
        }
        for field in fields {
            let takes_first = field
                .arguments
                .as_ref()
                .is_some_and(|args| args.iter().any(|a| a.name == "first"));
            // `[T]`, `[T!]!` …: the printed type starts with a bracket (`is_list` misses `[T]!`).
            if field.field_type.to_string().starts_with('[') || takes_first {
                out.push((name.to_string(), field.name.to_string()));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_of(query: &str, variables: serde_json::Value) -> Result<Option<Analysis>, TooComplex> {
        let schema = crate::graphql::schema();
        let variables: InputValue<DefaultScalarValue> =
            serde_json::from_value(variables).expect("variables");
        let variables = variables
            .to_object_value()
            .map(|o| {
                o.into_iter()
                    .map(|(k, v)| (k.to_owned(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        analyse(
            &schema.schema,
            query,
            None,
            &variables,
            &CostLimits::default(),
        )
    }

    fn analysed(query: &str, variables: serde_json::Value) -> Analysis {
        cost_of(query, variables)
            .expect("within the limits")
            .expect("parses")
    }

    #[test]
    fn every_list_field_of_the_schema_has_a_size() {
        let schema = crate::graphql::schema();
        let in_schema = schema_list_fields(&schema.schema);
        let missing = in_schema
            .iter()
            .filter(|(t, f)| list_size(t, f).is_none())
            .collect::<Vec<_>>();
        assert!(
            missing.is_empty(),
            "list fields without a size in graphql::cost::LIST_FIELDS: {missing:?}"
        );
        let stale = LIST_FIELDS
            .iter()
            .filter(|(t, f, _)| !in_schema.iter().any(|(st, sf)| st == t && sf == f))
            .collect::<Vec<_>>();
        assert!(
            stale.is_empty(),
            "sizes of fields that are no lists: {stale:?}"
        );
    }

    #[test]
    fn lists_multiply_by_first_and_variables_count() {
        let literal = analysed(
            "{ neighbourhoods(first: 5) { edges { node { name } } } }",
            serde_json::json!({}),
        );
        // neighbourhoods 1 + 5 × (edges 1 + node 1 + name 1)
        assert_eq!(literal.cost, 1 + 5 * 3);
        assert_eq!(literal.depth, 4);
        let by_variable = analysed(
            "query($n: Int) { neighbourhoods(first: $n) { edges { node { name } } } }",
            serde_json::json!({ "n": 7 }),
        );
        assert_eq!(by_variable.cost, 1 + 7 * 3);
        let default = analysed(
            "{ neighbourhoods { edges { node { name } } } }",
            serde_json::json!({}),
        );
        assert_eq!(default.cost, 1 + 20 * 3);
        let capped = analysed(
            "{ neighbourhoods(first: 100000) { edges { node { name } } } }",
            serde_json::json!({}),
        );
        assert_eq!(capped.cost, 1 + 100 * 3);
    }

    #[test]
    fn fragments_count_where_they_are_spread() {
        let analysis = analysed(
            "fragment N on Neighbourhood { name slug }
             { a: neighbourhoods(first: 2) { edges { node { ...N } } }
               b: neighbourhoods(first: 3) { edges { node { ...N ... on Neighbourhood { id } } } } }",
            serde_json::json!({}),
        );
        assert_eq!(analysis.cost, (1 + 2 * (1 + 1 + 2)) + (1 + 3 * (1 + 1 + 3)));
    }

    #[test]
    fn heavy_documents_are_refused() {
        let aliases = (0..11)
            .map(|i| format!("a{i}: themes {{ key }}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(matches!(
            cost_of(&format!("{{ {aliases} }}"), serde_json::json!({})),
            Err(TooComplex::SameField {
                count: 11,
                limit: 10,
                ..
            })
        ));
        let heavy = "{ neighbourhoods(first: 100) { edges { node { name members { name } } } } }";
        assert!(matches!(
            cost_of(heavy, serde_json::json!({})),
            Err(TooComplex::Cost { limit: 10_000, .. })
        ));
        let nested = "{ grievance(id: \"x\") { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { mergedFrom { title } } } } } } } } } } } } } } } } }";
        assert!(matches!(
            cost_of(nested, serde_json::json!({})),
            Err(TooComplex::Depth {
                depth: 17,
                limit: 15
            })
        ));
    }

    #[test]
    fn unparseable_documents_are_left_to_validation() {
        assert_eq!(
            cost_of("{ neighbourhoods(", serde_json::json!({})),
            Ok(None)
        );
        assert_eq!(
            cost_of(
                "query A { themes { key } } query B { themes { key } }",
                serde_json::json!({})
            ),
            Ok(None)
        );
    }
}
