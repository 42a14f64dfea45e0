//! One file per route.
pub mod bedside;
pub mod calendar;
pub mod complaint_detail;
pub mod complaint_intake;
pub mod complaint_library;
pub mod complaints;
pub mod customer;
pub mod customers;
pub mod follow_ups;
pub mod not_found;
pub mod reports;
pub mod settings;
pub mod sign_in;
pub mod today;
