//! Background jobs, backed by the database so that they survive restarts.

pub mod outbox;
pub mod pending_actions;
