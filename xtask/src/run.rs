//! `cargo xtask run`: from a fresh clone to the app in the browser.
use anyhow::{Result, bail};

use crate::cmd::{self, command};
use crate::{dist, tools};

pub fn run(args: &[String]) -> Result<()> {
    if let Some(unknown) = args.iter().find(|a| a.as_str() != "--demo") {
        bail!("unknown option {unknown}; usage: cargo xtask run [--demo]");
    }
    if args.iter().any(|a| a == "--demo") {
        bail!(
            "--demo (a realistic demo store) is not available yet: it arrives with the [front desk] work"
        );
    }
    tools::ensure_build_tools()?;
    dist::build_client()?;
    cmd::run(command("cargo").args(["build", "--profile", "server", "-p", "orchid-server"]))?;
    let server = crate::target_dir().join("server").join("orchid-server");
    println!(
        "\nStarting the server (Ctrl+C stops it). Data is kept in data/orchid.db unless ORCHID_DATABASE_URL says otherwise."
    );
    // The server prints its URL and, on first start, how the owner signs in.
    cmd::run(&mut command(server))
}
