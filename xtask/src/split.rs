//! The client's wasm, built and split into the first load and the chunks loaded on demand.
//!
//! Trunk 0.21 cannot split a Leptos wasm (trunk-rs/trunk#1022), so Trunk keeps index.html, the
//! style sheets and the copied files, and this step (run from Trunk's post-build hook) builds the
//! wasm itself:
//! 1. `cargo rustc` for wasm32 with `--emit-relocs` on the final link only (the splitter reads the
//!    relocations to know which code each `#[lazy]` function reaches; the dependencies are built
//!    as for any other build and stay cached);
//! 2. `wasm_split_cli_support` cuts out every `#[lazy]` function (Leptos's `#[lazy_route]`) with
//!    the code only it reaches, and writes the JS loader the main module imports for them;
//! 3. `wasm-bindgen --keep-lld-exports` on the main module (the chunks call back into its exports);
//! 4. `wasm-opt` on the main module and on every chunk;
//! 5. every file named `<name>-<hash>` (the hash of cargo's wasm, so the server may cache them
//!    for a year), and a boot script that starts the app (a file: the CSP forbids inline scripts).
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::{self, command};
use crate::tools::sha256_hex;

/// The JS glue's and the main wasm's name without the hash: `orchid-<hash>.js`, `orchid-<hash>_bg.wasm`.
const APP: &str = "orchid";
/// The loader of the chunks: the main module imports it under this name.
pub const LOADER: &str = "split-loader";
/// wasm-opt's level for the shipped modules: size first.
pub const WASM_OPT_LEVEL: &str = "-Oz";

/// Where wasm-bindgen's output (names kept, before wasm-opt) is left for `bench size`.
pub fn bindgen_output_dir() -> PathBuf {
    crate::target_dir().join("wasm-split/bindgen")
}

/// Builds, splits, binds and optimises the client's wasm into `dist` (Trunk's staging folder),
/// and adds the boot script to its index.html. `release`: Trunk's `--release` (the release profile
/// and wasm-opt); otherwise the dev profile, unoptimised.
pub fn build_split_client(dist: &Path, release: bool) -> Result<()> {
    let input = cargo_build(release)?;
    let input_wasm =
        std::fs::read(&input).with_context(|| format!("cannot read {}", input.display()))?;
    let hash = &sha256_hex(&input_wasm)[..16];
    let work = crate::target_dir().join("wasm-split");
    let chunks_dir = work.join("chunks");
    let bindgen_dir = bindgen_output_dir();
    for dir in [&chunks_dir, &bindgen_dir] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("cannot empty {}", dir.display()))?;
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }

    let glue_name = format!("{APP}-{hash}");
    let loader_file = format!("{LOADER}-{hash}.js");
    let main_module = format!("./{glue_name}.js");
    let link_name = format!("./{loader_file}");
    let main_split = work.join("main_split.wasm");
    let split = {
        let mut options = wasm_split_cli_support::Options::new(&input_wasm);
        options.output_dir = &chunks_dir;
        options.main_out_path = &main_split;
        options.main_module = &main_module;
        options.link_name = &link_name;
        wasm_split_cli_support::transform(options)
            .map_err(|err| anyhow::anyhow!("{err:?}"))
            .context("wasm_split could not split the client's wasm")?
    };

    cmd::run(command("wasm-bindgen").args([
        "--target=web",
        "--no-typescript",
        "--keep-lld-exports",
        "--no-demangle",
        &format!("--out-name={glue_name}"),
        &format!("--out-dir={}", bindgen_dir.display()),
        &main_split.to_string_lossy(),
    ]))?;
    copy_bindgen_output(&bindgen_dir, dist)?;
    optimise(
        &bindgen_dir.join(format!("{glue_name}_bg.wasm")),
        &dist.join(format!("{glue_name}_bg.wasm")),
        release,
    )?;

    // The loader fetches each chunk relative to itself (`new URL("./x.wasm", import.meta.url)`):
    // give every chunk the build's hash and tell the loader the new names.
    let mut loader = std::fs::read_to_string(chunks_dir.join(&loader_file))
        .context("wasm_split wrote no loader")?;
    let mut jobs = Vec::new();
    for chunk in &split.split_modules {
        let stem = chunk
            .file_stem()
            .and_then(|s| s.to_str())
            .context("a chunk without a file name")?;
        let hashed = format!("{stem}-{hash}.wasm");
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader.contains(&quoted) {
            bail!("the loader does not name the chunk {stem}.wasm");
        }
        loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
        jobs.push((chunk.clone(), dist.join(&hashed)));
    }
    optimise_all(&jobs, release)?;
    std::fs::write(dist.join(&loader_file), loader)
        .with_context(|| format!("cannot write {loader_file}"))?;
    println!(
        "split the client's wasm: {} lazy chunk(s)",
        split.split_modules.len()
    );
    add_boot_script(dist, &glue_name)
}

/// Cargo's wasm for the client, with relocations (only the final link gets the flag).
fn cargo_build(release: bool) -> Result<PathBuf> {
    let mut cargo = command("cargo");
    cargo.args([
        "rustc",
        "--package",
        "orchid",
        "--bin",
        "orchid",
        "--target",
        "wasm32-unknown-unknown",
        "--locked",
    ]);
    if release {
        cargo.arg("--release");
    }
    cargo.args(["--", "-C", "link-arg=--emit-relocs"]);
    cmd::run(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    Ok(crate::target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("orchid.wasm"))
}

/// wasm-bindgen's JS glue and snippets into `dist` (the wasm goes through wasm-opt instead).
fn copy_bindgen_output(from: &Path, dist: &Path) -> Result<()> {
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "wasm") {
            continue;
        }
        copy_tree(&path, &dist.join(name))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
        for entry in std::fs::read_dir(from)? {
            let path = entry?.path();
            if let Some(name) = path.file_name() {
                copy_tree(&path, &to.join(name))?;
            }
        }
        Ok(())
    } else {
        std::fs::copy(from, to)
            .map(|_| ())
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
    }
}

/// How many wasm-opt runs at once: the chunks are many and small, so starting wasm-opt (node)
/// is most of each run; two at a time, as the house's builds (`-j2`) do.
const PARALLEL_WASM_OPT: usize = 2;

/// Every `(from, to)` through [`optimise`], a few at a time.
fn optimise_all(jobs: &[(PathBuf, PathBuf)], release: bool) -> Result<()> {
    let share = jobs.len().div_ceil(PARALLEL_WASM_OPT).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = jobs
            .chunks(share)
            .map(|part| {
                scope.spawn(move || -> Result<()> {
                    for (from, to) in part {
                        optimise(from, to, release)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| anyhow::anyhow!("a wasm-opt worker panicked"))??;
        }
        Ok(())
    })
}

/// `wasm-opt -Oz` in a release build; a plain copy otherwise.
fn optimise(from: &Path, to: &Path, release: bool) -> Result<()> {
    if !release {
        std::fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
        return Ok(());
    }
    cmd::run(command("wasm-opt").args([
        WASM_OPT_LEVEL,
        &from.to_string_lossy(),
        "--output",
        &to.to_string_lossy(),
    ]))
}

/// `boot-<hash>.js` starts the app; index.html loads it and preloads the glue and the main wasm.
fn add_boot_script(dist: &Path, glue_name: &str) -> Result<()> {
    let glue = format!("/{glue_name}.js");
    let wasm = format!("/{glue_name}_bg.wasm");
    let boot = format!("import init from '{glue}';\nawait init({{ module_or_path: '{wasm}' }});\n");
    let boot_name = format!("boot-{}.js", &sha256_hex(boot.as_bytes())[..16]);
    std::fs::write(dist.join(&boot_name), &boot)
        .with_context(|| format!("cannot write {boot_name}"))?;
    let index_path = dist.join("index.html");
    let html = std::fs::read_to_string(&index_path).context("the build has no index.html")?;
    let tags = format!(
        "<link rel=\"modulepreload\" href=\"{glue}\">\n  \
         <link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n  \
         <script type=\"module\" src=\"/{boot_name}\"></script>\n</head>"
    );
    if !html.contains("</head>") {
        bail!("index.html has no </head>");
    }
    std::fs::write(&index_path, html.replacen("</head>", &tags, 1))
        .context("could not rewrite index.html")
}
