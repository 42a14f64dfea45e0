//! Installing what the build and the tests need, at pinned versions, only when missing.
//! Everything comes from the package registries (crates.io, npm, Debian): never from GitHub.
use anyhow::{Context, Result, bail};

use crate::cmd::{self, command, output_line};

/// trunk 0.22 needs a newer rustc than this project's; 0.21.14 is the last that builds on 1.95.
const TRUNK_VERSION: &str = "0.21.14";

/// Everything `cargo xtask run` needs.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    Ok(())
}

/// Everything `cargo xtask test` needs on top: the browser and its driver.
pub fn ensure_test_tools() -> Result<()> {
    ensure_build_tools()?;
    ensure_chromium()
}

fn ensure_wasm_target() -> Result<()> {
    let installed = command("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("rustup is needed to add the wasm32 target; install Rust with rustup (https://rustup.rs)")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd::run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if output_line("trunk", &["--version"]).is_some_and(|v| v.trim() == wanted) {
        return Ok(());
    }
    println!("Installing Trunk {TRUNK_VERSION} (once; about 10 minutes)…");
    cmd::run(command("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

/// The wasm-bindgen CLI must be exactly the library's version, or the glue does not match and
/// Trunk tries to download its own copy (which fails offline).
fn ensure_wasm_bindgen() -> Result<()> {
    let version = lockfile_version("wasm-bindgen")?;
    // Each program prints its own name: `wasm-bindgen-test-runner 0.2.130`.
    let has = |program: &str| {
        output_line(program, &["--version"])
            .is_some_and(|v| v.trim() == format!("{program} {version}"))
    };
    if has("wasm-bindgen") && has("wasm-bindgen-test-runner") {
        return Ok(());
    }
    println!("Installing wasm-bindgen-cli {version} (once; about 3 minutes)…");
    // Not `--locked`: the CLI's own lockfile names a crate version the registry no longer has.
    cmd::run(command("cargo").args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))
}

/// The version of `package` in Cargo.lock.
pub fn lockfile_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .context("Cargo.lock is missing: it is committed with the project; restore it with git")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"")
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    bail!("{package} is not in Cargo.lock")
}

/// wasm-opt (binaryen 132), Playwright's core and axe-core, from the npm registry, exactly as
/// package-lock.json says. Debian's own binaryen (108) builds an app that crashes at start.
fn ensure_npm_packages() -> Result<()> {
    ensure_node()?;
    let root = crate::root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .context("package-lock.json is missing: restore it with git")?;
    let stamp_file = root.join("node_modules").join(".orchid-lock-sha256");
    let wanted = sha256_hex(&lock);
    if std::fs::read_to_string(&stamp_file).is_ok_and(|s| s.trim() == wanted)
        && root.join("node_modules/.bin/wasm-opt").exists()
    {
        return Ok(());
    }
    cmd::run(command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp_file, wanted).context("could not write into node_modules/")?;
    Ok(())
}

fn ensure_node() -> Result<()> {
    if output_line("node", &["--version"]).is_some() && output_line("npm", &["--version"]).is_some()
    {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"], "Node.js and npm")
}

fn ensure_chromium() -> Result<()> {
    if output_line("chromium", &["--version"]).is_some()
        && output_line("chromedriver", &["--version"]).is_some()
    {
        return Ok(());
    }
    apt_install(
        &["chromium", "chromium-driver"],
        "Chromium and ChromeDriver",
    )
}

fn apt_install(packages: &[&str], what: &str) -> Result<()> {
    let line = format!("apt-get install -y {}", packages.join(" "));
    if !cmd::is_root() {
        bail!(
            "{what} are needed. Install them as root with:\n    sudo apt-get update && sudo {line}"
        );
    }
    let install = |cmd: &mut std::process::Command| {
        cmd.env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y"])
            .args(packages);
        crate::cmd::run(cmd)
    };
    if install(&mut command("apt-get")).is_ok() {
        return Ok(());
    }
    // A fresh machine has no package lists yet.
    cmd::run(command("apt-get").arg("update"))?;
    install(&mut command("apt-get"))
        .with_context(|| format!("could not install {what}; try `{line}` yourself"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
