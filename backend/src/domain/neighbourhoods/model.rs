//! Neighbourhood rows and forms.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::neighbourhoods;
use crate::domain::geo::Area;
use crate::domain::ids::NeighbourhoodId;

/// Longest name, in characters.
pub const NAME_MAX: usize = 80;
/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2000;

/// A neighbourhood ("wijk", "buurt").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub id: NeighbourhoodId,
    /// Stable, URL-safe name; does not change on rename.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Where it lies, when an admin set it: grievances far outside are refused.
    pub area: Option<Area>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = neighbourhoods)]
pub(crate) struct NeighbourhoodRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    area_latitude_e6: Option<i64>,
    area_longitude_e6: Option<i64>,
    area_radius_meters: Option<i32>,
}

impl From<NeighbourhoodRow> for Neighbourhood {
    fn from(row: NeighbourhoodRow) -> Self {
        Self {
            id: NeighbourhoodId(row.id),
            slug: row.slug,
            name: row.name,
            description: row.description,
            area: Area::from_columns(
                row.area_latitude_e6,
                row.area_longitude_e6,
                row.area_radius_meters,
            ),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = neighbourhoods)]
pub(super) struct NewNeighbourhoodRow<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an admin sends to create a neighbourhood.
#[derive(Debug, Clone, Default)]
pub struct CreateNeighbourhood {
    pub name: String,
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub description: Option<String>,
}

/// What an admin sends to rename a neighbourhood.
#[derive(Debug, Clone)]
pub struct RenameNeighbourhood {
    pub id: NeighbourhoodId,
    pub name: String,
    /// Unchanged when absent.
    pub description: Option<String>,
}

/// Position in the list ordered by (name, id), for keyset pagination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourhoodCursor {
    pub name: String,
    pub id: NeighbourhoodId,
}

impl NeighbourhoodCursor {
    pub fn of(n: &Neighbourhood) -> Self {
        Self {
            name: n.name.clone(),
            id: n.id,
        }
    }
}

/// One page of neighbourhoods.
#[derive(Debug, Clone)]
pub struct NeighbourhoodPage {
    pub items: Vec<Neighbourhood>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: i64,
}
