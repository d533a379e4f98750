//! Participatory-budgeting rules. Being built.
