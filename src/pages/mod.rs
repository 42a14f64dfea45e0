//! One file per route.
pub mod areas;
pub mod calendar;
pub mod customer;
pub mod customers;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod today;
