//! One file per route.
pub mod areas;
pub mod not_found;
pub mod settings;
pub mod sign_in;
