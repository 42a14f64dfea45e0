//! Server figures: the release server (profile `server`) on SQLite in a temporary folder, load
//! generated on loopback by plain threads speaking HTTP/1.1 with keep-alive.
//!
//! - push: a reconnect storm — 800 devices, each pushing one batch of 50 mutations, over 16
//!   connections at once; requests per second, latency percentiles, and a check that every
//!   mutation was logged exactly once (nothing lost).
//! - pull: 1,000 changes in one page, repeated.
//! - chain: 200 stores × 4 devices × 50 mutations, pushes of different stores interleaved.
//! - live: devices waiting on `POST /sync/wait` while another pushes; the time from the push to
//!   each waiter's answer (p50/p95), and the push figures with those devices connected.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::cmd::{self, command};

const DEVICES: usize = 800;
const PER_PUSH: usize = 50;
/// Connections of the load generator, unless `ORCHID_BENCH_CONNECTIONS` says otherwise (to see
/// how latency grows with concurrency).
const CONNECTIONS: usize = 16;
const PASSWORD: &str = "bench-password-1";

/// A keep-alive HTTP/1.1 connection. Answers are read through a buffer: the load generator
/// shares the server's two cores, and reading byte by byte (one system call each) cost it more
/// CPU than the server spent on some requests.
struct Conn {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Conn {
    fn open(addr: SocketAddr) -> Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let reader = BufReader::with_capacity(64 * 1024, stream.try_clone()?);
        Ok(Conn {
            stream,
            reader,
            addr,
        })
    }

    fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Result<(u16, Value)> {
        self.call_text(method, path, token, &body.to_string())
    }

    /// A call with its body already serialized (the push storm's bodies are made before the
    /// clock starts).
    fn call_text(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> Result<(u16, Value)> {
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.stream.write_all(request.as_bytes())?;
        // Headers, then exactly Content-Length bytes (the server sends it for JSON answers).
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            if self.reader.read_until(b'\n', &mut head)? == 0 {
                bail!("the server closed the connection");
            }
        }
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .context("an answer without Content-Length")?;
        let mut body = vec![0u8; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
    }
}

/// A time-ordered UUID (v7 layout, as the app's `Uuid::now_v7` makes its ids): the Unix time in
/// milliseconds, then random bits from the kernel; without a uuid crate. Random (v4) ids would
/// make every insert land on a random index page, which the app's ids do not.
fn uuid() -> Result<String> {
    let random = std::fs::read_to_string("/proc/sys/kernel/random/uuid")?;
    let random = random.trim();
    let ms = format!("{:012x}", now_ms() & 0xffff_ffff_ffff);
    // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx → tttttttt-tttt-7xxx-yxxx-xxxxxxxxxxxx
    Ok(format!(
        "{}-{}-7{}",
        &ms[..8],
        &ms[8..],
        random.get(15..).context("a short uuid from the kernel")?
    ))
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn push_body(client: &str, staff: &str, store: &str) -> Result<Value> {
    let wall = now_ms();
    let mutations: Vec<Value> = (0..PER_PUSH)
        .map(|i| {
            Ok(json!({
                "client_id": client, "mutation_id": i + 1,
                "hlc": { "wall_ms": wall, "counter": i, "node": client },
                "actor": { "staff_id": staff, "role": "owner" },
                "store_id": store,
                "kind": "customer.upsert",
                "payload": { "id": uuid()?, "fields": [
                    { "field": "name", "value": format!("顾客{i}") },
                    { "field": "phone", "value": "+8613812345678" },
                    { "field": "notes", "value": "喜欢安静的房间，预约前一天提醒" }
                ] }
            }))
        })
        .collect::<Result<_>>()?;
    Ok(json!({ "format_version": 1, "client_id": client, "mutations": mutations }))
}

/// The owner's session on the bench server.
struct Owner {
    token: String,
    staff: String,
    store: String,
}

fn sign_in_owner(conn: &mut Conn, device: &str) -> Result<Owner> {
    let (status, me) = conn.call(
        "POST",
        "/api/v1/auth/sign-in",
        None,
        &json!({ "login": "owner", "password": PASSWORD, "device": device }),
    )?;
    if status != 200 {
        bail!("sign-in failed: {status} {me}");
    }
    let text = |key: &str| me[key].as_str().unwrap_or_default().to_owned();
    Ok(Owner {
        token: text("token"),
        staff: text("staff_id"),
        store: text("store_id"),
    })
}

/// Sends every share's push bodies over a connection of its own, all shares at once; answers
/// each request's latency (sorted) and the storm's wall time.
fn storm(
    addr: SocketAddr,
    token: &str,
    shares: Vec<Vec<String>>,
) -> Result<(Vec<Duration>, Duration)> {
    let started = Instant::now();
    let workers: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let token = token.to_owned();
            std::thread::spawn(move || -> Result<Vec<Duration>> {
                let mut conn = Conn::open(addr)?;
                let mut latencies = Vec::new();
                for body in share {
                    let t = Instant::now();
                    let (status, answer) =
                        conn.call_text("POST", "/api/v1/sync/push", Some(&token), &body)?;
                    latencies.push(t.elapsed());
                    if status != 200 || answer["last_mutation_id"] != json!(PER_PUSH) {
                        bail!("push failed: {status} {answer}");
                    }
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(
            w.join()
                .map_err(|_| anyhow::anyhow!("a load thread panicked"))??,
        );
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Ok((latencies, elapsed))
}

/// Stores of the chain-shaped load, and devices per store.
const CHAIN_STORES: usize = 200;
const CHAIN_DEVICES_PER_STORE: usize = 4;

/// A chain's load: the owner opens 200 stores, then 4 devices of each push one batch of 50
/// mutations, the pushes of different stores interleaved as a chain's morning would bring them.
/// Goal ([team]): >= 2,000 push requests/s with p99 <= 50 ms on this machine.
/// `database`: PostgreSQL's cluster, whose CPU time per request is shown beside the server's.
fn chain_push(
    server: &crate::server_process::ServerProcess,
    prefix: &str,
    backend: &str,
    database: Option<&crate::postgres::TestPostgres>,
) -> Result<()> {
    let addr = server.addr;
    let mut conn = Conn::open(addr)?;
    let Owner { token, staff, .. } = sign_in_owner(&mut conn, "bench chain")?;
    let mut stores = Vec::with_capacity(CHAIN_STORES);
    for i in 0..CHAIN_STORES {
        let (status, made) = conn.call(
            "POST",
            "/api/v1/stores",
            Some(&token),
            &json!({ "name": format!("门店 {i}") }),
        )?;
        if status != 201 {
            bail!("opening a store failed: {status} {made}");
        }
        stores.push(made["id"].as_str().unwrap_or_default().to_owned());
    }
    let mut bodies = Vec::with_capacity(CHAIN_STORES * CHAIN_DEVICES_PER_STORE);
    for _ in 0..CHAIN_DEVICES_PER_STORE {
        for store in &stores {
            bodies.push(push_body(&uuid()?, &staff, store)?.to_string());
        }
    }
    let mut shares: Vec<Vec<String>> = (0..CONNECTIONS).map(|_| Vec::new()).collect();
    for (i, body) in bodies.into_iter().enumerate() {
        shares[i % CONNECTIONS].push(body);
    }
    let cpu_before = (server.cpu_seconds(), database.and_then(|d| d.cpu_seconds()));
    let (latencies, elapsed) = storm(addr, &token, shares)?;
    let cpu_after = (server.cpu_seconds(), database.and_then(|d| d.cpu_seconds()));
    println!(
        "{prefix}_chain_push_throughput: {:.0} requests/s (goal: >= 2000; {CHAIN_STORES} stores x {CHAIN_DEVICES_PER_STORE} devices x {PER_PUSH} mutations, {CONNECTIONS} connections, {backend})",
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "{prefix}_chain_push_p50: {:.1} ms",
        percentile(&latencies, 0.50)
    );
    println!(
        "{prefix}_chain_push_p99: {:.1} ms (goal: <= 50)",
        percentile(&latencies, 0.99)
    );
    // CPU per request: the rates depend on what else the machine runs, these far less.
    let per_request = |before: Option<f64>, after: Option<f64>| {
        after
            .zip(before)
            .map(|(a, b)| (a - b) * 1000.0 / latencies.len() as f64)
    };
    if let Some(ms) = per_request(cpu_before.0, cpu_after.0) {
        println!("{prefix}_chain_push_cpu: {ms:.2} ms per request (server process, user + system)");
    }
    if let Some(ms) = per_request(cpu_before.1, cpu_after.1) {
        println!("{prefix}_chain_push_db_cpu: {ms:.2} ms per request (PostgreSQL's processes)");
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

pub fn bench_server() -> Result<()> {
    // `ORCHID_BENCH_SERVER_BIN` benches a server built before (say, of another commit), so two
    // versions can be run back to back on the same machine load.
    let binary = match std::env::var_os("ORCHID_BENCH_SERVER_BIN") {
        Some(path) => std::path::PathBuf::from(path),
        None => {
            cmd::run(command("cargo").args(super::SERVER_BUILD))?;
            super::server_binary()
        }
    };
    // `ORCHID_BENCH_ONLY=sqlite` or `=postgres`: one back end's figures (to A/B a change to it).
    let only = std::env::var("ORCHID_BENCH_ONLY").unwrap_or_default();
    if only != "postgres" {
        let server =
            crate::server_process::ServerProcess::start(&binary, "bench", PASSWORD, "error", None)?;
        push_and_pull(&server, "server", "SQLite, WAL")?;
        chain_push(&server, "server", "SQLite, WAL", None)?;
        live(&server, "server")?;
    }
    if only == "sqlite" {
        return Ok(());
    }
    // The same load on PostgreSQL (a durable throw-away cluster, fsync on).
    let pg = crate::postgres::start_with(crate::postgres::Fsync::On)?;
    let server = crate::server_process::ServerProcess::start(
        &binary,
        "bench-pg",
        PASSWORD,
        "error",
        Some(&pg.url),
    )?;
    push_and_pull(&server, "server_pg", "PostgreSQL")?;
    chain_push(&server, "server_pg", "PostgreSQL", Some(&pg))?;
    live(&server, "server_pg")?;
    Ok(())
}

/// Devices that wait on `POST /sync/wait` at once (each on a connection of its own).
const WAITERS: usize = 200;
/// Pushes whose propagation is measured.
const LIVE_ROUNDS: usize = 20;

/// Live changes: `WAITERS` devices wait on the store while another device pushes, round after
/// round; the time from each push to each waiter's answer. Then a push storm while they stay
/// connected (waiting again after each answer), to compare with the storm without them.
fn live(server: &crate::server_process::ServerProcess, prefix: &str) -> Result<()> {
    use std::sync::{Arc, Barrier, Mutex};
    let addr = server.addr;
    let mut conn = Conn::open(addr)?;
    let Owner {
        token,
        staff,
        store,
    } = sign_in_owner(&mut conn, "bench-live")?;
    let wait_body = |cursor: &Value| json!({ "format_version": 1, "store_id": store, "cursor": cursor, "timeout_ms": 25_000 });
    // Where the log ends now: a wait from the start is answered at once with its last cursor.
    let (_, first) = conn.call(
        "POST",
        "/api/v1/sync/wait",
        Some(&token),
        &wait_body(&json!(0)),
    )?;
    let start_cursor = first["cursor"].clone();
    let sent = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let ready = Arc::new(Barrier::new(WAITERS + 1));
    let mut threads = Vec::new();
    for _ in 0..WAITERS {
        let (token, store, sent, ready) = (
            token.clone(),
            store.clone(),
            Arc::clone(&sent),
            Arc::clone(&ready),
        );
        let mut cursor = start_cursor.clone();
        threads.push(std::thread::spawn(move || -> Result<Vec<Duration>> {
            let mut conn = Conn::open(addr)?;
            let mut took = Vec::new();
            for round in 0..LIVE_ROUNDS {
                let body = json!({ "format_version": 1, "store_id": store, "cursor": cursor, "timeout_ms": 25_000 });
                ready.wait();
                let (status, answer) = conn.call("POST", "/api/v1/sync/wait", Some(&token), &body)?;
                let answered = Instant::now();
                if status != 200 || answer["changed"] != json!(true) {
                    bail!("round {round}: {status} {answer}");
                }
                let pushed = sent.lock().map_err(|_| anyhow::anyhow!("poisoned"))?[round];
                took.push(answered.saturating_duration_since(pushed));
                cursor = answer["cursor"].clone();
            }
            Ok(took)
        }));
    }
    let client = uuid()?;
    for round in 0..LIVE_ROUNDS {
        let mut body = push_body(&client, &staff, &store)?;
        // One mutation per round, numbered on from the last.
        let mut m = body["mutations"][0].clone();
        m["mutation_id"] = json!(round + 1);
        body["mutations"] = json!([m]);
        ready.wait();
        // The waiters have sent their requests; give the server a moment to register them (a
        // wait that arrives after the push is answered at once, which would flatter the figure).
        std::thread::sleep(Duration::from_millis(200));
        sent.lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .push(Instant::now());
        let (status, answer) = conn.call("POST", "/api/v1/sync/push", Some(&token), &body)?;
        if status != 200 {
            bail!("push failed: {status} {answer}");
        }
    }
    let mut all = Vec::new();
    for t in threads {
        all.extend(
            t.join()
                .map_err(|_| anyhow::anyhow!("a waiter panicked"))??,
        );
    }
    all.sort();
    println!(
        "{prefix}_live_propagation_p50: {:.1} ms ({WAITERS} devices waiting, {LIVE_ROUNDS} pushes; goal: <= 2000 at p95)",
        percentile(&all, 0.50)
    );
    println!(
        "{prefix}_live_propagation_p95: {:.1} ms (goal: <= 2000)",
        percentile(&all, 0.95)
    );
    Ok(())
}

/// The push storm, then paging through the whole log, against a running server; figures named
/// `<prefix>_…`.
fn push_and_pull(
    server: &crate::server_process::ServerProcess,
    prefix: &str,
    backend: &str,
) -> Result<()> {
    let addr = server.addr;
    let mut conn = Conn::open(addr)?;
    let Owner {
        token,
        staff,
        store,
    } = sign_in_owner(&mut conn, "bench")?;

    // Bodies are made before the clock starts: the figure is the server's, not the generator's.
    // `ORCHID_BENCH_DEVICES` runs a longer storm (a steadier rate for comparing two versions).
    let devices = std::env::var("ORCHID_BENCH_DEVICES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=100_000).contains(n))
        .unwrap_or(DEVICES);
    let mut bodies = Vec::with_capacity(devices);
    for _ in 0..devices {
        bodies.push(push_body(&uuid()?, &staff, &store)?.to_string());
    }
    let connections = std::env::var("ORCHID_BENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=256).contains(n))
        .unwrap_or(CONNECTIONS);
    let mut shares: Vec<Vec<String>> = (0..connections).map(|_| Vec::new()).collect();
    for (i, body) in bodies.into_iter().enumerate() {
        shares[i % connections].push(body);
    }
    let cpu_before = server.cpu_seconds();
    let (latencies, elapsed) = storm(addr, &token, shares)?;
    let cpu = server
        .cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let requests = latencies.len() as f64;
    println!(
        "{prefix}_push_50_requests: {} requests ({devices} devices, {connections} connections, {backend})",
        latencies.len()
    );
    println!(
        "{prefix}_push_50_throughput: {:.0} requests/s",
        requests / elapsed.as_secs_f64()
    );
    println!(
        "{prefix}_push_50_mutations: {:.0} mutations/s",
        requests * PER_PUSH as f64 / elapsed.as_secs_f64()
    );
    println!(
        "{prefix}_push_50_p50: {:.1} ms",
        percentile(&latencies, 0.50)
    );
    println!(
        "{prefix}_push_50_p99: {:.1} ms",
        percentile(&latencies, 0.99)
    );
    if let Some(cpu) = cpu {
        // The server's own CPU time per request: unlike the rates, it does not depend on what
        // else the machine runs (the load generator shares its two cores).
        println!(
            "{prefix}_push_50_cpu: {:.2} ms per request (server process, user + system)",
            cpu * 1000.0 / requests
        );
    }
    println!(
        "{prefix}_push_storm_total: {:.2} s (goal: 800 devices x 50 within 60 s)",
        elapsed.as_secs_f64()
    );

    // Nothing lost: page through the whole log.
    let mut cursor = Value::Null;
    let mut count = 0usize;
    let mut pull_times = Vec::new();
    loop {
        let request = json!({ "format_version": 1, "client_id": uuid()?, "store_id": store, "cursor": cursor, "limit": 1000 });
        let t = Instant::now();
        let (status, page) = conn.call("POST", "/api/v1/sync/pull", Some(&token), &request)?;
        let took = t.elapsed();
        if status != 200 {
            bail!("pull failed: {status} {page}");
        }
        let n = page["changes"].as_array().map_or(0, Vec::len);
        if n == 1000 {
            pull_times.push(took);
        }
        count += n;
        cursor = page["cursor"].clone();
        if page["has_more"] != json!(true) {
            break;
        }
    }
    let expected = devices * PER_PUSH;
    println!("{prefix}_push_storm_logged: {count} of {expected} mutations");
    if count != expected {
        bail!(
            "{} mutations were lost or doubled",
            expected.abs_diff(count)
        );
    }
    pull_times.sort();
    println!(
        "{prefix}_pull_1000_p50: {:.1} ms",
        percentile(&pull_times, 0.50)
    );
    println!(
        "{prefix}_pull_1000_p99: {:.1} ms ({} pages of 1,000 changes)",
        percentile(&pull_times, 0.99),
        pull_times.len()
    );
    Ok(())
}
