//! The only code that talks to the server (`http`, `auth`), and the device's sync state machine
//! (`device`, sans-IO: what each step writes to the device's store).
pub mod auth;
pub mod chain;
pub mod device;
pub mod http;
pub mod run;
pub mod team;

pub use run::SyncFailure;
