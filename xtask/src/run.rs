//! `cargo xtask run`: from a fresh clone to the app in the browser.
use anyhow::{Result, bail};

use crate::cmd::{self, command};
use crate::{dist, tools};

pub fn run(args: &[String]) -> Result<()> {
    if let Some(unknown) = args.iter().find(|a| a.as_str() != "--demo") {
        bail!("unknown option {unknown}; usage: cargo xtask run [--demo]");
    }
    if args.iter().any(|a| a == "--demo") {
        // The demo store is made on the device (the app's "Load the demo store" button on an
        // empty device), so it works offline and without any server; nothing to seed here.
        println!(
            "The demo store is loaded from the app: open Today on an empty device and press \"Load the demo store\" (加载演示门店)."
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
