//! The salon's records, rules and sync protocol. No IO, no clock: `now` is always an argument.
//!
//! Records are plain serde types validated by `parse`-style constructors; rules are pure functions; the
//! sync protocol is a sans-IO state machine ([`sync`]). Client (wasm) and server use the same code.

pub mod appointment;
pub mod audit;
pub mod catalog;
pub mod complaint;
pub mod consent;
pub mod customer;
pub mod error;
pub mod feedback;
pub mod flow;
pub mod followup;
pub mod hlc;
pub mod ids;
pub mod loyalty;
pub mod permission;
pub mod product;
pub mod record;
pub mod report;
pub mod role;
pub mod room;
pub mod service_record;
pub mod staff;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod waitlist;

pub use error::ValidationError;
