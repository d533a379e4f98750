//! Buurtkracht: community organising and participation for neighbourhoods.
//!
//! Data flows one way: `http` / `graphql` → `domain` → `db`.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod startup;
pub mod telemetry;
