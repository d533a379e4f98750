//! Neighbourhoods ("wijken", "buurten"): the places residents organise in.

pub mod model;
pub mod policy;
pub mod repo;
pub mod service;

pub use model::{Neighbourhood, NeighbourhoodCursor, NeighbourhoodPage};
