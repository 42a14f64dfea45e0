use clap::Parser;
use orchid_server::config::Config;

/// mimalloc for Rust's allocations; with its `override` feature it also serves `malloc` for the
/// C code (SQLite), which allocates per statement and per page.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "orchid_server=info,tower_http=warn".into()),
        )
        .init();
    let config = Config::parse();
    let (app, listener) = match orchid_server::prepare(&config).await {
        Ok(ready) => ready,
        Err(err) => {
            eprintln!("orchid-server cannot start: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(_) => format!("http://{}", config.addr),
    };
    // Tests and scripts read this line to find the port when ORCHID_ADDR ends in :0.
    // `writeln!` rather than `println!`: a closed stdout (a supervisor that stopped reading)
    // must not panic the server.
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Orchid is running at {url}");
    let _ = writeln!(out, "Open it in a browser and sign in. Stop with Ctrl+C.");
    let _ = out.flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(err) = orchid_server::serve(listener, app, &config, shutdown).await {
        eprintln!("orchid-server stopped: {err}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
