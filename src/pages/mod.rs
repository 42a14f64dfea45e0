//! One file per route.
pub mod bedside;
pub mod bedside_kiosk;
pub mod bedside_visit;
pub mod calendar;
pub mod complaints;
pub mod customer;
pub mod customer_privacy;
pub mod customers;
pub mod follow_ups;
pub mod not_found;
pub mod reports;
pub mod settings;
pub mod setup;
pub mod sign_in;
pub mod today;
