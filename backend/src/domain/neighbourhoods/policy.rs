//! Who may do what with neighbourhoods. One function per rule.

use crate::domain::{Actor, DomainError, DomainResult};

/// Creating and renaming neighbourhoods is for platform admins.
pub fn may_manage_neighbourhoods(actor: &Actor) -> DomainResult<()> {
    match actor.person() {
        None => Err(DomainError::Unauthenticated),
        Some(p) if p.is_admin => Ok(()),
        Some(_) => Err(DomainError::Forbidden),
    }
}
