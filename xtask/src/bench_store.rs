//! The device store's figures (xtask/bench/store.bench.mjs) in headless Chromium: writes, search,
//! initial sync and drain against the release server, beside raw IndexedDB and Dexie 4; then the
//! app's customer list with 10,000 customers.
//!
//! The store's side is examples/store_bench.rs: the app's own store code built for the bench only
//! (release profile, like the app), so the app's bundle does not carry it.
use std::path::Path;

use anyhow::{Context, Result};

use crate::cmd::{self, command};

/// Builds the bench page and runs it. `dist` is the app's release build (served by the server);
/// `server` the release server binary.
pub fn bench_store(dist: &Path, server: &Path) -> Result<()> {
    cmd::run(command("cargo").args([
        "build",
        "--quiet",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "orchid",
        "--example",
        "store_bench",
    ]))?;
    let wasm = crate::target_dir()
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("examples")
        .join("store_bench.wasm");
    let page = crate::target_dir().join("bench-store-page");
    let _ = std::fs::remove_dir_all(&page);
    std::fs::create_dir_all(&page)?;
    cmd::run(
        command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&page)
            .arg(&wasm),
    )?;
    let root = crate::root();
    for (from, to) in [
        ("xtask/bench/page/index.html", "index.html"),
        ("xtask/bench/page/peers.mjs", "peers.mjs"),
        ("node_modules/dexie/dist/dexie.mjs", "dexie.mjs"),
    ] {
        std::fs::copy(root.join(from), page.join(to))
            .with_context(|| format!("copying {from} (is dexie installed? `npm ci`)"))?;
    }
    cmd::run(
        command("node")
            .arg("xtask/bench/store.bench.mjs")
            .env("ORCHID_SERVER_BIN", server)
            .env("ORCHID_DIST", dist)
            .env("ORCHID_BENCH_PAGE", &page)
            .env("CHROMIUM", "/usr/bin/chromium"),
    )
}
