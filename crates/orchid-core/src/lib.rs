//! The salon's records, rules and sync protocol. No IO, no clock: `now` is always an argument.
//!
//! Records are plain serde types validated by `parse`-style constructors; rules are pure functions; the
//! sync protocol is a sans-IO state machine ([`sync`]). Client (wasm) and server use the same code.
//!
//! * Foundations: [`ids`] (typed UUIDs, [`ids::EntityRef`]), [`text`] (validated names, notes, tags),
//!   [`time`] (UTC instants, fixed store offsets, opening hours), [`hlc`] (hybrid logical clock),
//!   [`error`] (the crate-wide [`ValidationError`]: every error serializes as `{ "code": …, params }`).
//! * Who may do what: [`role`], [`permission`] (role × action × sensitivity), [`audit`].
//! * Records: [`store`] (settings behind the rules), [`staff`], [`customer`] (sensitive fields marked,
//!   phones, search), [`consent`], [`catalog`], [`room`], [`appointment`], [`waitlist`],
//!   [`service_record`], [`feedback`], [`followup`], [`complaint`], [`product`], [`loyalty`]. Editable
//!   records have a `…Field` enum (see [`record`]) so changes merge field by field.
//! * Rules: booking conflicts, recurrence and the status machine ([`appointment`]); the service flow and
//!   its overdue steps ([`flow`]); contraindications and overrides ([`service_record`]); complaint
//!   routing, deadlines and escalation computed from the event log ([`complaint`]); low feedback →
//!   complaint draft ([`feedback`]); follow-up planning ([`followup`]); report figures ([`report`]).
//! * Sync: [`sync::Mutation`], [`sync::Replica::apply`], [`sync::SyncClient`], [`sync::ServerState`].

pub mod appointment;
pub mod audit;
pub mod batch_trace;
pub mod catalog;
pub mod checkout;
pub mod complaint;
pub mod consent;
pub mod customer;
pub mod customer_care;
pub mod customer_import;
pub mod demo;
pub mod error;
pub mod feedback;
pub mod flow;
pub mod followup;
pub mod head_office;
pub mod hlc;
pub mod ids;
pub mod internal_check;
pub mod loyalty;
pub mod monthly_report;
pub mod online_booking;
pub mod password;
pub mod permission;
pub mod pin;
pub mod product;
pub mod record;
pub mod report;
pub mod retention;
pub mod role;
pub mod room;
pub mod sales_report;
pub mod scorecard;
pub mod service_record;
pub mod service_task;
pub mod service_templates;
pub mod staff;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod waitlist;

pub use error::ValidationError;
