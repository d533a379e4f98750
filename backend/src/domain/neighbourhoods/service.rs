//! Neighbourhood use cases.

use super::model::{
    CreateNeighbourhood, DESCRIPTION_MAX, NAME_MAX, NewNeighbourhoodRow, RenameNeighbourhood,
};
use super::{Neighbourhood, NeighbourhoodCursor, NeighbourhoodPage, policy, repo};
use crate::db::{DbConnection, backend_specific::is_unique_violation, write_transaction};
use crate::domain::audit::{self, AuditEntry};
use crate::domain::text::{checked_text, is_valid_slug, slugify};
use crate::domain::{Actor, DomainError, DomainResult, FieldProblem, ProblemCode, now};

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 20;

/// A page of neighbourhoods in name order; public.
pub fn list(
    conn: &mut DbConnection,
    first: Option<i64>,
    after: Option<NeighbourhoodCursor>,
) -> DomainResult<NeighbourhoodPage> {
    let size = match first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if (0..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => {
            return Err(DomainError::Validation(vec![FieldProblem::new(
                "first",
                ProblemCode::TooLong {
                    max: MAX_PAGE_SIZE as usize,
                },
            )]));
        }
    };
    let mut items = repo::list_after(conn, after.as_ref(), size + 1)?;
    let has_next_page = items.len() as i64 > size;
    items.truncate(size as usize);
    let total_count = repo::count(conn)?;
    Ok(NeighbourhoodPage {
        items,
        has_next_page,
        has_previous_page: after.is_some(),
        total_count,
    })
}

/// One neighbourhood by slug; public.
pub fn by_slug(conn: &mut DbConnection, slug: &str) -> DomainResult<Option<Neighbourhood>> {
    Ok(repo::find_by_slug(conn, slug)?)
}

/// Create a neighbourhood (admins).
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    input: CreateNeighbourhood,
) -> DomainResult<Neighbourhood> {
    policy::may_manage_neighbourhoods(actor)?;
    let mut problems = Vec::new();
    let name = checked_text("name", &input.name, 1, NAME_MAX, false, &mut problems);
    let description = checked_text(
        "description",
        input.description.as_deref().unwrap_or(""),
        0,
        DESCRIPTION_MAX,
        true,
        &mut problems,
    );
    let slug = match input.slug.as_deref().map(str::trim) {
        Some(given) if !given.is_empty() => {
            if !is_valid_slug(given) {
                problems.push(FieldProblem::new("slug", ProblemCode::InvalidFormat));
            }
            given.to_owned()
        }
        _ => {
            let derived = slugify(&name);
            if problems.iter().all(|p| p.field != "name") && !is_valid_slug(&derived) {
                // A name of symbols only, or a single letter: ask for an explicit slug.
                problems.push(FieldProblem::new("slug", ProblemCode::Required));
            }
            derived
        }
    };
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    let taken = || DomainError::Conflict(vec![FieldProblem::new("slug", ProblemCode::Taken)]);
    write_transaction(conn, |conn| {
        if repo::slug_exists(conn, &slug)? {
            return Err(taken());
        }
        let at = now();
        let created = repo::insert(
            conn,
            &NewNeighbourhoodRow {
                slug: &slug,
                name: &name,
                description: &description,
                created_at: at,
                updated_at: at,
            },
        )
        // Two admins racing for the same slug: the unique index decides.
        .map_err(|e| {
            if is_unique_violation(&e) {
                taken()
            } else {
                e.into()
            }
        })?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("neighbourhood.create", "neighbourhood", Some(created.id.0))
                .details(serde_json::json!({ "slug": created.slug, "name": created.name })),
        )?;
        Ok(created)
    })
}

/// Rename a neighbourhood and optionally change its description (admins). The slug stays.
pub fn rename(
    conn: &mut DbConnection,
    actor: &Actor,
    input: RenameNeighbourhood,
) -> DomainResult<Neighbourhood> {
    policy::may_manage_neighbourhoods(actor)?;
    let mut problems = Vec::new();
    let name = checked_text("name", &input.name, 1, NAME_MAX, false, &mut problems);
    let description = input
        .description
        .as_deref()
        .map(|d| checked_text("description", d, 0, DESCRIPTION_MAX, true, &mut problems));
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        let before = repo::find_by_id(conn, input.id)?.ok_or(DomainError::NotFound {
            entity: "neighbourhood",
        })?;
        repo::update_name(conn, input.id, &name, description.as_deref(), now())?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("neighbourhood.rename", "neighbourhood", Some(input.id.0))
                .details(serde_json::json!({ "from": before.name, "to": name })),
        )?;
        repo::find_by_id(conn, input.id)?.ok_or(DomainError::NotFound {
            entity: "neighbourhood",
        })
    })
}

/// The area an admin gives a neighbourhood, in degrees and metres.
#[derive(Debug, Clone, Copy)]
pub struct AreaForm {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_meters: i32,
}

/// Set or clear the area of a neighbourhood (admins).
pub fn set_area(
    conn: &mut DbConnection,
    actor: &Actor,
    id: crate::domain::ids::NeighbourhoodId,
    form: Option<AreaForm>,
) -> DomainResult<Neighbourhood> {
    policy::may_manage_neighbourhoods(actor)?;
    let mut problems = Vec::new();
    let area = form.and_then(|f| {
        let center = crate::domain::geo::GeoPoint::from_degrees(
            "center",
            f.latitude,
            f.longitude,
            &mut problems,
        );
        if !(1..=crate::domain::geo::AREA_RADIUS_MAX).contains(&f.radius_meters) {
            problems.push(FieldProblem::new("radiusMeters", ProblemCode::OutOfRange));
        }
        center.map(|center| crate::domain::geo::Area {
            center,
            radius_meters: f.radius_meters,
        })
    });
    if !problems.is_empty() {
        return Err(DomainError::Validation(problems));
    }
    write_transaction(conn, |conn| {
        repo::find_by_id(conn, id)?.ok_or(DomainError::NotFound {
            entity: "neighbourhood",
        })?;
        repo::update_area(conn, id, area.as_ref(), now())?;
        audit::record(
            conn,
            actor,
            AuditEntry::new("neighbourhood.set_area", "neighbourhood", Some(id.0)).details(
                match area {
                    Some(a) => serde_json::json!({
                        "latitude": a.center.latitude(),
                        "longitude": a.center.longitude(),
                        "radiusMeters": a.radius_meters,
                    }),
                    None => serde_json::json!({ "cleared": true }),
                },
            ),
        )?;
        repo::find_by_id(conn, id)?.ok_or(DomainError::NotFound {
            entity: "neighbourhood",
        })
    })
}
