//! Grievances ("signalen", "onvrede"): what residents raise, co-sign ("ik ook") and discuss,
//! and what organisers acknowledge, merge, resolve or close, each with a public reason.
//!
//! Privacy: a grievance raised with "show my name" off is shown as from "a resident of
//! <neighbourhood>" on every path (lists, details, comments, the GeoJSON export, e-mails);
//! only the author and the neighbourhood's organisers see who it is (`policy::author_view`).

pub mod comments;
pub mod model;
pub mod pending;
pub mod policy;
pub mod repo;
pub mod service;
pub mod themes;

pub use model::{
    AuthorView, CommentView, Grievance, GrievanceCursor, GrievanceFilter, GrievancePage,
    GrievanceView, Near, Order, Permissions, Status, Theme, Timeline,
};
pub use themes::ThemeCache;
