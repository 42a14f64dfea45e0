//! A throw-away PostgreSQL for the server's tests: Debian's `postgresql` installed when missing, a
//! fresh cluster in a temporary folder, listening on loopback only, stopped and removed when the
//! guard is dropped. `ORCHID_TEST_POSTGRES_URL`, when set, is used instead.
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::{self, command};

/// A running test cluster (or a server given from outside), and its admin URL.
pub struct TestPostgres {
    pub url: String,
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Some(c) = &self.cluster {
            let _ = pg_command(c.as_postgres, &c.bin.join("pg_ctl"))
                .args(["-D"])
                .arg(&c.data)
                .args(["-m", "immediate", "-w", "stop"])
                .status();
            let _ = std::fs::remove_dir_all(&c.data);
        }
    }
}

/// As root, PostgreSQL refuses to run: its programs run as the `postgres` user.
fn pg_command(as_postgres: bool, program: &Path) -> std::process::Command {
    if as_postgres {
        let mut c = command("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        command(program)
    }
}

/// The newest installed PostgreSQL's bin folder.
fn installed_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Whether the cluster flushes its writes to disk: off for tests (faster, and a lost test cluster
/// costs nothing), on for benchmarks (the figures must be those of a real database).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fsync {
    On,
    Off,
}

impl TestPostgres {
    /// The CPU time the cluster has used so far (its postmaster and every process it started,
    /// those that ended included), when it is this machine's throw-away cluster.
    pub fn cpu_seconds(&self) -> Option<f64> {
        let cluster = self.cluster.as_ref()?;
        let pid_file = std::fs::read_to_string(cluster.data.join("postmaster.pid")).ok()?;
        let postmaster: u32 = pid_file.lines().next()?.trim().parse().ok()?;
        let mut total = crate::server_process::process_cpu_seconds(postmaster, true)?;
        for entry in std::fs::read_dir("/proc").ok()?.filter_map(|e| e.ok()) {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if crate::server_process::parent_of(pid) == Some(postmaster) {
                total += crate::server_process::process_cpu_seconds(pid, false).unwrap_or(0.0);
            }
        }
        Some(total)
    }
}

pub fn start() -> Result<TestPostgres> {
    start_with(Fsync::Off)
}

pub fn start_with(fsync: Fsync) -> Result<TestPostgres> {
    if let Ok(url) = std::env::var("ORCHID_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        println!("using ORCHID_TEST_POSTGRES_URL");
        return Ok(TestPostgres { url, cluster: None });
    }
    let root = cmd::is_root();
    let bin = match installed_bin() {
        Some(bin) => bin,
        None if root => {
            println!("installing PostgreSQL (Debian's postgresql)");
            cmd::run(command("apt-get").args(["install", "-y", "-qq", "postgresql"])).or_else(
                |_| {
                    cmd::run(command("apt-get").args(["update", "-qq"]))?;
                    cmd::run(command("apt-get").args(["install", "-y", "-qq", "postgresql"]))
                },
            )?;
            installed_bin().context("postgresql installed but no initdb found")?
        }
        None => bail!(
            "PostgreSQL is not installed: `sudo apt-get install postgresql`, or set ORCHID_TEST_POSTGRES_URL"
        ),
    };
    let data = std::env::temp_dir().join(format!("orchid-test-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).context("creating the cluster's folder")?;
    if root {
        cmd::run(command("chown").args(["postgres:postgres"]).arg(&data))?;
    }
    // Trust on loopback: a throw-away cluster for tests, reachable from this machine only.
    cmd::run(
        pg_command(root, &bin.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
    )?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync={} -c max_connections=300",
        data.display(),
        if fsync == Fsync::On { "on" } else { "off" }
    );
    let guard = TestPostgres {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        cluster: Some(Cluster {
            bin: bin.clone(),
            data: data.clone(),
            as_postgres: root,
        }),
    };
    cmd::run(
        pg_command(root, &bin.join("pg_ctl"))
            .args(["-D"])
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(data.join("server.log"))
            .args(["-w", "start"]),
    )?;
    println!("PostgreSQL test cluster at {}", guard.url);
    Ok(guard)
}
