//! People, their memberships and roles, and admin tokens. Sign-in arrives with the accounts
//! capability; until then admins act with a bootstrap token from `buurtkracht create-admin`.

pub mod memberships;
pub mod model;
mod password_limits;
pub mod passwords;
pub mod privacy;
pub mod repo;
pub mod service;
pub mod sessions;
pub mod tokens;

pub use model::{Language, Role, User};
