//! `cargo xtask bench`: figures as `name: value unit` lines.
//! Client size is compared with the wave's goal: whole first load ≤ 300 KB brotli.
use std::path::Path;

use anyhow::{Context, Result};

use crate::cmd::{self, command};
use crate::dist::{brotli_bytes, gzip_bytes};
use crate::tools;

// The server's figures (push storm and pull on SQLite) live beside the client's.
#[path = "bench_server.rs"]
mod bench_server;
// The device store's and the customer list's figures, in headless Chromium.
#[path = "bench_store.rs"]
mod bench_store;

/// Every figure; `bench server` only the server's (quick to repeat while tuning it).
pub fn bench(args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("server") {
        return bench_server::bench_server();
    }
    // `bench store`: only the store's figures (needs dist/ and the release server built once).
    if args.first().map(String::as_str) == Some("store") {
        cmd::run(command("cargo").args(SERVER_BUILD))?;
        return bench_store::bench_store(&crate::root().join("dist"), &server_binary());
    }
    tools::ensure_build_tools()?;
    crate::dist::build_client()?;
    let dist = crate::root().join("dist");
    client_sizes(&dist)?;
    let core_bench = crate::root().join("crates/orchid-core/examples/bench.rs");
    if core_bench.exists() {
        cmd::run(command("cargo").args([
            "run",
            "--quiet",
            "--profile",
            "server",
            "-p",
            "orchid-core",
            "--example",
            "bench",
        ]))?;
    }
    bench_server::bench_server()?;
    bench_store::bench_store(&dist, &server_binary())?;
    Ok(())
}

/// How `bench_server` builds the release server.
const SERVER_BUILD: [&str; 6] = [
    "build",
    "--quiet",
    "--profile",
    "server",
    "-p",
    "orchid-server",
];

/// The release server `bench_server` builds (profile `server`).
fn server_binary() -> std::path::PathBuf {
    crate::target_dir().join("server").join("orchid-server")
}

fn client_sizes(dist: &Path) -> Result<()> {
    let mut wasm = None;
    let mut first_load_br = 0usize;
    let mut first_load_raw = 0usize;
    for entry in walk(dist)? {
        let name = entry.to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(&entry)?;
        // The service worker precaches every file of the build on the first visit, so the whole
        // of dist/ is the first load.
        first_load_raw += bytes.len();
        first_load_br += brotli_bytes(&bytes)?.len();
        if name.ends_with(".wasm") {
            wasm = Some(bytes);
        }
    }
    let wasm = wasm.context("dist/ has no .wasm: the client build failed")?;
    println!("client_wasm_raw: {} bytes", wasm.len());
    println!("client_wasm_gzip: {} bytes", gzip_bytes(&wasm)?.len());
    println!("client_wasm_brotli: {} bytes", brotli_bytes(&wasm)?.len());
    println!("client_first_load_raw: {first_load_raw} bytes");
    println!("client_first_load_brotli: {first_load_br} bytes (goal: <= 307200)");
    Ok(())
}

fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}
