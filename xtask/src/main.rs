//! `cargo xtask …`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `run [--demo]`  install what is missing, build the client (release), start the server
//! - `test`          install what is missing (and Chromium), then every check and test, in order
//! - `bench`         print `name: value unit` figures
//! - `finish-dist`   Trunk's post-build hook: the client's wasm built and split (lazy pages in
//!   chunks of their own), its boot script, service-worker precache list, precompressed files
mod bench;
mod cmd;
mod dist;
// The throw-away PostgreSQL of the server's tests and benchmark.
mod postgres;
mod run;
mod server_process;
// The client's wasm: built, split into the first load and lazy chunks, bound and optimised.
mod split;
mod test;
// The client's layers, checked by `cargo test -p xtask` (part of `cargo xtask test`).
#[cfg(test)]
mod tidy;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <run [--demo] | test | bench [server | store | size | dist] | finish-dist>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(),
        Some("bench") => bench::bench(&args[1..]),
        Some("finish-dist") => dist::finish_dist(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target folder, honouring CARGO_TARGET_DIR.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}
