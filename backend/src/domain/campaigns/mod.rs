//! Campaigns ("acties"): residents and organisers turn grievances of one neighbourhood into
//! collective action, with change goals, phases that each end when their goals are met (or a
//! reason is given) with a reflection, participants and a core team ("kerngroep").
//!
//! Exactly one phase of an open campaign is active; the database enforces it with a partial
//! unique index. Privacy follows grievances: display names only, anonymous authors stay
//! anonymous (linked grievances are read through `grievances::service`).

pub mod model;
pub mod policy;
pub mod repo;
pub mod service;

pub use model::{
    Campaign, CampaignStatus, CampaignView, Goal, Outcome, Phase, PhaseStatus, ViewerFlags,
};
