//! `cargo xtask test`: every check, in the order a failure is cheapest to find, stopping at the
//! first failure; the last line is always `N passed, M failed`.
use anyhow::{Result, bail};

use crate::cmd::{self, command};
use crate::{dist, postgres, tools};

#[path = "schemathesis.rs"]
mod schemathesis;

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

pub fn test() -> Result<()> {
    let mut tally = Tally::default();
    let result = run_all(&mut tally);
    println!("\n{}", tally.summary());
    result
}

fn run_all(tally: &mut Tally) -> Result<()> {
    tools::ensure_test_tools()?;

    check(
        tally,
        "formatting",
        command("cargo").args(["fmt", "--all", "--check"]),
    )?;
    check(
        tally,
        "clippy (native)",
        command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    check(
        tally,
        "clippy (wasm32)",
        command("cargo").args([
            "clippy",
            "-p",
            "orchid",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The core's library must build for the browser; its tests (proptest) run natively only.
    check(
        tally,
        "clippy (orchid-core for wasm32)",
        command("cargo").args([
            "clippy",
            "-p",
            "orchid-core",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    tests(
        tally,
        "native tests",
        command("cargo").args(["test", "--workspace"]),
    )?;
    {
        // The server's tests again, each on a fresh database of a local PostgreSQL cluster
        // (stopped and removed when `pg` goes out of scope).
        let pg = postgres::start()?;
        tests(
            tally,
            "server tests on PostgreSQL",
            command("cargo")
                .args(["test", "-p", "orchid-server"])
                .env("ORCHID_TEST_POSTGRES_URL", &pg.url),
        )?;
    }
    tests(
        tally,
        "browser tests (wasm-bindgen-test in headless Chromium)",
        command("cargo")
            .args(["test", "-p", "orchid", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
    )?;

    println!("\n== end-to-end tests: release build of the client and the real server");
    dist::build_client()?;
    cmd::run(command("cargo").args(["build", "-p", "orchid-server"]))?;
    let server = crate::target_dir().join("debug").join("orchid-server");
    println!("\n== schemathesis against /api/v1/openapi.json");
    if let Err(err) = schemathesis::run(&server) {
        tally.failed += 1;
        return Err(err);
    }
    tally.passed += 1;
    tests(
        tally,
        "end-to-end tests (Playwright + axe-core in headless Chromium)",
        command("node")
            .args([
                "--test",
                "--test-reporter=spec",
                "--test-concurrency=2",
                "tests/e2e/",
            ])
            .env("ORCHID_SERVER_BIN", server)
            .env("ORCHID_DIST", crate::root().join("dist"))
            .env("CHROMIUM", "/usr/bin/chromium"),
    )?;
    Ok(())
}

/// A check that passes or fails as one.
fn check(tally: &mut Tally, name: &str, command: &mut std::process::Command) -> Result<()> {
    println!("\n== {name}");
    match cmd::run(command) {
        Ok(()) => {
            tally.passed += 1;
            Ok(())
        }
        Err(err) => {
            tally.failed += 1;
            bail!("{name} failed: {err:#}")
        }
    }
}

/// A test run whose individual results are counted from its output.
fn tests(tally: &mut Tally, name: &str, command: &mut std::process::Command) -> Result<()> {
    println!("\n== {name}");
    let (ok, output) = cmd::run_capturing(command)?;
    let (passed, failed) = count_results(&output);
    tally.passed += passed;
    tally.failed += failed;
    if !ok {
        if failed == 0 {
            tally.failed += 1;
        }
        bail!("{name} failed (see above)");
    }
    if passed == 0 {
        tally.failed += 1;
        bail!("{name} ran no test at all: something is misconfigured");
    }
    Ok(())
}

/// Sums cargo's `test result: ok. 3 passed; 0 failed` lines and node's `ℹ pass 3` / `ℹ fail 0`.
fn count_results(output: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(kind)) = (words.next(), words.next())
                    && let Ok(n) = n.parse::<u64>()
                {
                    match kind {
                        "passed" => passed += n,
                        "failed" => failed += n,
                        _ => {}
                    }
                }
            }
        } else if let Some(n) = line.strip_prefix("ℹ pass ") {
            passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line
            .strip_prefix("ℹ fail ")
            .or_else(|| line.strip_prefix("ℹ cancelled "))
        {
            // A cancelled test (time limit, hang) did not pass.
            failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
    (passed, failed)
}

#[cfg(test)]
mod tests {
    use super::count_results;

    #[test]
    fn counts_cargo_and_node_results() {
        let output = "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                      test result: FAILED. 2 passed; 1 failed; 0 ignored\n\
                      ℹ tests 5\nℹ pass 4\nℹ fail 0\nℹ cancelled 1\n";
        assert_eq!(count_results(output), (9, 2));
    }
}
