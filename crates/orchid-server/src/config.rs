//! Command line and environment: every setting has a flag and an `ORCHID_*` variable.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// 兰心 Orchid server: serves the client and the /api/v1 sync API.
#[derive(Clone, Debug, Parser)]
#[command(name = "orchid-server", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port (the chosen URL is printed).
    #[arg(long, env = "ORCHID_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Database: `sqlite://path/to/file.db` (created if missing; one store) or
    /// `postgres://user:password@host/database` (a chain; several servers may share it).
    #[arg(
        long,
        env = "ORCHID_DATABASE_URL",
        default_value = "sqlite://data/orchid.db"
    )]
    pub database_url: String,

    /// The built client (`trunk build --release` output).
    #[arg(long, env = "ORCHID_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Password of the owner account created on an empty database. When unset, a random one is
    /// generated and printed once.
    #[arg(long, env = "ORCHID_OWNER_PASSWORD", hide_env_values = true)]
    pub owner_password: Option<String>,

    /// Take each client's address from the last (right-most) `X-Forwarded-For` entry, the one
    /// the proxy added (for sign-in throttling and the devices list). Set only behind a reverse
    /// proxy that appends that header; otherwise clients could choose their own address.
    #[arg(long, env = "ORCHID_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Seconds a client may take to send a request's headers before the connection is closed
    /// (a few slow sockets must not hold the server's connections).
    #[arg(long, env = "ORCHID_HEADER_TIMEOUT_SECS", default_value_t = 30)]
    pub header_timeout_secs: u64,

    /// A server for trying Orchid, not a salon's real one: devices signed in to it may load the
    /// demo store (2,000 invented customers), which on a real store's server the app does not
    /// offer, so that invented records never reach a salon's devices.
    #[arg(long, env = "ORCHID_DEMO")]
    pub demo: bool,

    /// Seconds a client may take to send a request's body; then the request fails.
    #[arg(long, env = "ORCHID_BODY_TIMEOUT_SECS", default_value_t = 60)]
    pub body_timeout_secs: u64,
}
