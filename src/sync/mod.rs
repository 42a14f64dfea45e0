//! The only code that talks to the server.
pub mod auth;
pub mod http;
