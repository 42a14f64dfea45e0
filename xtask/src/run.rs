//! `cargo xtask run`: from a fresh clone to the app in the browser.
use anyhow::{Result, bail};

use crate::cmd::{self, command};
use crate::{dist, tools};

pub fn run(args: &[String]) -> Result<()> {
    if let Some(unknown) = args.iter().find(|a| a.as_str() != "--demo") {
        bail!("unknown option {unknown}; usage: cargo xtask run [--demo]");
    }
    let demo = args.iter().any(|a| a == "--demo");
    if demo {
        // The demo store is made on the device (the app's "Load the demo store" button on an
        // empty device), so it works offline; a server for trying Orchid lets its signed-in
        // devices load it too (a salon's real server does not: its devices would all get it).
        println!(
            "A server for trying Orchid: open Today on an empty device and press \"Load the demo store\" (加载演示门店), before or after signing in."
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
    let mut server = command(server);
    if demo {
        server.env("ORCHID_DEMO", "true");
    }
    cmd::run(&mut server)
}
