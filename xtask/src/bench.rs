//! `cargo xtask bench`: figures as `name: value unit` lines.
//! Client size is compared with the wave's goals: first load ≤ 300 KB brotli, everything the
//! service worker precaches ≤ 800 KB brotli.
use anyhow::Result;

use crate::cmd::{self, command};
use crate::tools;

// The server's figures (push storm and pull on SQLite) live beside the client's.
#[path = "bench_server.rs"]
mod bench_server;
// The device store's and the customer list's figures, in headless Chromium.
#[path = "bench_store.rs"]
mod bench_store;
// The client's download sizes and what its wasm is made of.
#[path = "bench_size.rs"]
mod bench_size;

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
    // `bench booking`: only the public booking page's size (no client build needed).
    if args.first().map(String::as_str) == Some("booking") {
        return bench_size::booking_page_sizes();
    }
    // `bench dist`: only the download sizes of the `dist/` already built (no build).
    if args.first().map(String::as_str) == Some("dist") {
        return bench_size::client_sizes(&crate::root().join("dist"));
    }
    tools::ensure_build_tools()?;
    crate::dist::build_client()?;
    let dist = crate::root().join("dist");
    bench_size::client_sizes(&dist)?;
    bench_size::wasm_composition()?;
    // `bench size`: only the client's sizes and the wasm's composition (to A/B a size change).
    if args.first().map(String::as_str) == Some("size") {
        return Ok(());
    }
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
