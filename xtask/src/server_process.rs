//! The real orchid-server started for a tool (the bench, schemathesis): a fresh SQLite file in
//! a temporary folder, a free port, stopped when dropped.
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result};

/// A running server; killed (and its folder removed) when dropped.
pub struct ServerProcess {
    child: Child,
    dir: PathBuf,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `binary` with the owner password `owner_password`; returns once it listens.
    /// `label` names the temporary folder; `log` is the server's RUST_LOG.
    /// Starts the server on SQLite in a temporary folder, or on `database_url` when given.
    pub fn start(
        binary: &Path,
        label: &str,
        owner_password: &str,
        log: &str,
        database_url: Option<&str>,
    ) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("orchid-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let mut child = Command::new(binary)
            .env("ORCHID_ADDR", "127.0.0.1:0")
            .env(
                "ORCHID_DATABASE_URL",
                database_url.map_or_else(
                    || format!("sqlite://{}/{label}.db", dir.display()),
                    str::to_owned,
                ),
            )
            .env("ORCHID_DIST", &dir)
            .env("ORCHID_OWNER_PASSWORD", owner_password)
            .env("RUST_LOG", log)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("the server has no stdout")?;
        // From here on, `started` kills the child on any early return.
        let mut started = Self {
            child,
            dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let mut lines = BufReader::new(stdout).lines();
        started.addr = loop {
            let line = lines
                .next()
                .context("the server stopped before it listened")??;
            // The server prints this line once it listens (see orchid-server's main.rs).
            if let Some(url) = line.strip_prefix("Orchid is running at http://") {
                break url.trim().parse()?;
            }
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(started)
    }
}

impl ServerProcess {
    /// The CPU time the server has used so far (user + system, from /proc), when readable.
    pub fn cpu_seconds(&self) -> Option<f64> {
        process_cpu_seconds(self.child.id(), false)
    }
}

/// The CPU time (user + system, from /proc) process `pid` has used so far, and with
/// `with_children` that of its children it has waited for too; `None` when unreadable.
pub fn process_cpu_seconds(pid: u32, with_children: bool) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, cutime and cstime 16 and 17: 12 to 15
    // after the name.
    let wanted = if with_children { 11..15 } else { 11..13 };
    let mut ticks = 0.0;
    for i in wanted {
        ticks += fields.get(i)?.parse::<f64>().ok()?;
    }
    // Linux reports them in clock ticks of 1/100 s (USER_HZ) on every common platform.
    Some(ticks / 100.0)
}

/// The parent of process `pid`, from /proc.
pub fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    // State, then the parent's id.
    rest.split_whitespace().nth(1)?.parse().ok()
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
