//! One file per route.
pub mod areas;
pub mod not_found;
pub mod sign_in;
