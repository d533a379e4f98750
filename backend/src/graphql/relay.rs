//! Relay conventions: opaque ids, opaque cursors, `PageInfo`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use juniper::{GraphQLObject, ID};

use crate::domain::ids::{parse_public_id, public_id};

/// Encode an internal id as an opaque, typed API id.
pub fn encode_id(kind: &str, raw: i64) -> ID {
    ID::new(public_id(kind, raw))
}

/// Decode an API id made by `encode_id` for `kind`; `None` for anything else.
pub fn decode_id(kind: &str, id: &ID) -> Option<i64> {
    parse_public_id(kind, id)
}

/// Decode an id given to a field or mutation as `T`. An id that does not decode names
/// nothing: visitors are asked to sign in first (so they learn nothing), others get
/// NOT_FOUND.
pub fn decoded<T: From<i64>>(
    context: &super::Context,
    kind: &str,
    id: &ID,
    entity: &'static str,
) -> super::GqlResult<T> {
    match decode_id(kind, id) {
        Some(raw) => Ok(T::from(raw)),
        None if context.actor.person().is_none() => {
            Err(context.fail(crate::domain::DomainError::Unauthenticated))
        }
        None => Err(context.fail(crate::domain::DomainError::NotFound { entity })),
    }
}

/// Encode a cursor from any serialisable position.
pub fn encode_cursor(position: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(position.to_string())
}

/// Decode a cursor made by `encode_cursor`.
pub fn decode_cursor(cursor: &str) -> Option<serde_json::Value> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The `after` argument of a list field, read with `parse`; a cursor that does not parse is a
/// field problem (`INVALID_FORMAT` on `after`), never a silent first page.
pub fn after_cursor<T>(
    context: &super::Context,
    after: Option<&str>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> super::GqlResult<Option<T>> {
    after
        .map(|raw| {
            parse(raw).ok_or_else(|| {
                context.fail(crate::domain::DomainError::Validation(vec![
                    crate::domain::FieldProblem::new(
                        "after",
                        crate::domain::ProblemCode::InvalidFormat,
                    ),
                ]))
            })
        })
        .transpose()
}

/// Where a page sits in the whole list.
#[derive(Debug, Clone, GraphQLObject)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Whether items precede this page.
    pub has_previous_page: bool,
    /// Cursor of the first item on this page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item on this page; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_typed() {
        let id = encode_id("Neighbourhood", 42);
        assert_eq!(decode_id("Neighbourhood", &id), Some(42));
        assert_eq!(decode_id("Person", &id), None);
        assert_eq!(decode_id("Neighbourhood", &ID::new("not base64 !")), None);
    }
}
