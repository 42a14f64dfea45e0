//! What the client costs to download, and what its wasm is made of.
//!
//! - `first_load_br`: what the browser fetches before the first screen is interactive — the
//!   files index.html names, and what those scripts import (the JS glue, its snippets, the main
//!   wasm, the chunks' loader), not the lazy chunks the loader fetches when a page needs one.
//! - `lazy_chunks_br`: those chunks (the pages split off the first load), all of them.
//! - `precache_br`: what the service worker precaches (the list `finish-dist` writes into sw.js).
//! - `booking_page_br`: the store's public booking page (its HTML, script and style sheet, which
//!   the server carries in its binary), against its own budget: a phone on 4G.
//! - The wasm's composition: the release wasm as Trunk builds it, but optimised by the same
//!   `wasm-opt -Oz` with `--debuginfo`, so the function names survive; every function body is
//!   then put down to its crate and to a family (serde per record kind, view code per page, …).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::{self, command};
use crate::dist::brotli_bytes;

/// How many crates, families and single functions `bench` prints.
const TOP: usize = 20;

/// `first_load_br`, `precache_br` and the wasm's sizes, from a built `dist/`.
pub fn client_sizes(dist: &Path) -> Result<()> {
    let first_load = first_load_files(dist)?;
    let precache = crate::dist::precache_list(dist)?;
    let wasm_name = first_load
        .iter()
        .find(|f| f.ends_with(".wasm"))
        .context("index.html leads to no .wasm: the client build failed")?;
    let wasm = read(dist, wasm_name)?;
    println!("client_wasm_raw: {} bytes", wasm.len());
    println!(
        "client_wasm_br: {} bytes",
        served_br_bytes(dist, wasm_name)?
    );
    let mut first_load_br = 0;
    for file in &first_load {
        first_load_br += served_br_bytes(dist, file)?;
    }
    let mut precache_br = 0;
    for file in &precache {
        precache_br += served_br_bytes(dist, file)?;
    }
    let lazy: Vec<&String> = precache
        .iter()
        .filter(|f| f.ends_with(".wasm") && !first_load.contains(f))
        .collect();
    let mut lazy_br = 0;
    for file in &lazy {
        lazy_br += served_br_bytes(dist, file)?;
    }
    println!("lazy_chunks: {} files", lazy.len());
    println!("lazy_chunks_br: {lazy_br} bytes");
    println!("first_load_files: {} files", first_load.len());
    println!("first_load_br: {first_load_br} bytes (goal: <= 307200)");
    println!("precache_files: {} files", precache.len());
    println!("precache_br: {precache_br} bytes (goal: <= 819200)");
    booking_page_sizes()?;
    Ok(())
}

/// The booking page's budget: 60 KB brotli.
const BOOKING_PAGE_GOAL: usize = 60 * 1024;

/// `booking_page_raw` and `booking_page_br`: the public booking page's three files.
pub fn booking_page_sizes() -> Result<()> {
    let folder = crate::root().join("crates/orchid-server/booking_page");
    let (mut raw, mut br) = (0, 0);
    for file in ["book.html", "book.js", "book.css"] {
        let bytes = read(&folder, file)?;
        raw += bytes.len();
        br += brotli_bytes(&bytes)?.len();
    }
    println!("booking_page_raw: {raw} bytes");
    println!("booking_page_br: {br} bytes (goal: <= {BOOKING_PAGE_GOAL})");
    if br > BOOKING_PAGE_GOAL {
        bail!("the booking page is {br} bytes brotli, over its {BOOKING_PAGE_GOAL}");
    }
    Ok(())
}

/// What a browser receives for `file`: its `.br` sibling when the build made one (text-like
/// files), else the file as it is (images are served uncompressed).
fn served_br_bytes(dist: &Path, file: &str) -> Result<usize> {
    let path = dist.join(file.trim_start_matches('/'));
    let mut br = path.as_os_str().to_owned();
    br.push(".br");
    match std::fs::metadata(PathBuf::from(br)) {
        Ok(meta) => Ok(meta.len() as usize),
        Err(_) if has_compressible_extension(file) => Ok(brotli_bytes(&read(dist, file)?)?.len()),
        Err(_) => Ok(read(dist, file)?.len()),
    }
}

fn has_compressible_extension(file: &str) -> bool {
    let ext = file.rsplit('.').next().unwrap_or_default();
    crate::dist::COMPRESSIBLE.contains(&ext)
}

fn read(dist: &Path, file: &str) -> Result<Vec<u8>> {
    let path = dist.join(file.trim_start_matches('/'));
    std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
}

/// index.html and every local file it names (stylesheets, scripts, the manifest and icons:
/// browsers fetch those at once too), then, from each script, every local `.js`/`.wasm` it
/// names (the boot script's glue and wasm, the glue's snippets), transitively.
fn first_load_files(dist: &Path) -> Result<Vec<String>> {
    let mut seen = vec!["/index.html".to_owned()];
    let mut next = 0;
    while next < seen.len() {
        let file = seen[next].clone();
        next += 1;
        // The chunks' loader names every chunk, but fetches one only when a lazy page opens.
        let is_chunk_loader = file.starts_with(&format!("/{}-", crate::split::LOADER));
        if !(file.ends_with(".html") || file.ends_with(".js")) || is_chunk_loader {
            continue;
        }
        let text = String::from_utf8_lossy(&read(dist, &file)?).into_owned();
        for reference in local_references(&text, &file) {
            if !seen.contains(&reference) && dist.join(reference.trim_start_matches('/')).is_file()
            {
                seen.push(reference);
            }
        }
    }
    Ok(seen)
}

/// Quoted local paths in `text` (HTML attributes, JS imports), absolute from the site's root.
/// Only files with an extension a page loads; `sw.js` is fetched by the worker's registration
/// after the app has started, and a worker script (`rows_worker.js`) only when a pull needs it.
fn local_references(text: &str, from: &str) -> Vec<String> {
    const LOADED: &[&str] = &[".js", ".wasm", ".css", ".webmanifest", ".svg", ".png"];
    const LATER: &[&str] = &["/sw.js", "rows_worker.js"];
    let base = from.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        for (i, piece) in text.split(quote).enumerate() {
            let inside_quotes = i % 2 == 1;
            if !inside_quotes || piece.contains(['<', '>', ' ', '\n']) || piece.contains("://") {
                continue;
            }
            if !LOADED.iter().any(|ext| piece.ends_with(ext))
                || LATER.iter().any(|l| piece.ends_with(l))
            {
                continue;
            }
            let path = if let Some(relative) = piece.strip_prefix("./") {
                format!("{base}/{relative}")
            } else if piece.starts_with('/') {
                piece.to_owned()
            } else {
                format!("{base}/{piece}")
            };
            out.push(path);
        }
    }
    out
}

/// Optimises the main module's pre-wasm-opt wasm (wasm-bindgen's output, names kept) the way
/// the build does but keeping the names, and prints the top crates and families of its bytes.
pub fn wasm_composition() -> Result<()> {
    let folder = crate::split::bindgen_output_dir();
    let bindgen_output = std::fs::read_dir(&folder)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.to_string_lossy().ends_with("_bg.wasm"))
        .with_context(|| {
            format!(
                "{} has no wasm: `trunk build --release` leaves wasm-bindgen's output there",
                folder.display()
            )
        })?;
    let named = crate::target_dir().join("size/orchid_bg.names.wasm");
    let folder = named
        .parent()
        .context("the names-kept wasm has no folder")?;
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    cmd::run(command("wasm-opt").args([
        crate::split::WASM_OPT_LEVEL,
        "--debuginfo",
        &bindgen_output.to_string_lossy(),
        "--output",
        &named.to_string_lossy(),
    ]))?;
    let bytes =
        std::fs::read(&named).with_context(|| format!("cannot read {}", named.display()))?;
    let parts = wasm_parts(&bytes)?;
    print_composition(&parts);
    Ok(())
}

/// One measured piece of the wasm: a function body, the data, or a section.
#[derive(Debug)]
pub struct Part {
    /// A demangled function name (no hash), or a section's name in brackets.
    pub name: String,
    pub bytes: u64,
}

/// Every function body by name, the data segments and the other sections, by size in bytes.
/// The `name` section itself is left out: the shipped wasm has none.
pub fn wasm_parts(wasm: &[u8]) -> Result<Vec<Part>> {
    use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};
    let mut imported_functions = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut parts = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("the wasm could not be parsed")? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push(range.end - range.start);
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    parts.push(Part {
                        name: "[data segments: strings, tables, constants]".to_owned(),
                        bytes: data?.data.len() as u64,
                    });
                }
            }
            Payload::CustomSection(reader) => match reader.as_known() {
                KnownCustom::Name(name_reader) => {
                    for name in name_reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, demangled(naming.name));
                            }
                        }
                    }
                }
                _ => parts.push(Part {
                    name: format!("[custom section {}]", reader.name()),
                    bytes: reader.data().len() as u64,
                }),
            },
            _ => {}
        }
    }
    if names.is_empty() {
        bail!("the wasm has no function names: it was not built with them kept");
    }
    for (i, bytes) in bodies.into_iter().enumerate() {
        let index = imported_functions + i as u32;
        let name = names
            .remove(&index)
            .unwrap_or_else(|| "[functions without a name: wasm-opt's own]".to_owned());
        parts.push(Part { name, bytes });
    }
    Ok(parts)
}

/// A Rust symbol without its hash or crate disambiguators; other names (JS glue, C builtins) as
/// they are.
fn demangled(name: &str) -> String {
    match rustc_demangle::try_demangle(name) {
        Ok(symbol) => format!("{symbol:#}"),
        Err(_) => without_disambiguators(strip_hash(name)),
    }
}

/// The linker writes v0 names demangled but with each crate's disambiguator:
/// `orchid_core[49a7089929e0ae18]::sync::Change` → `orchid_core::sync::Change`.
fn without_disambiguators(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let hex_len = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        let is_disambiguator = hex_len > 0
            && after[hex_len..].starts_with(']')
            && rest[..open].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        if is_disambiguator {
            out.push_str(&rest[..open]);
            rest = &after[hex_len + 1..];
        } else {
            out.push_str(&rest[..=open]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `path::to::fn::h0123456789abcdef` → `path::to::fn` (names the linker already demangled).
fn strip_hash(name: &str) -> &str {
    match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            head
        }
        _ => name,
    }
}

fn print_composition(parts: &[Part]) {
    let total: u64 = parts.iter().map(|p| p.bytes).sum();
    println!("wasm_measured: {total} bytes (the shipped wasm without its name section)");
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_family: BTreeMap<String, u64> = BTreeMap::new();
    for part in parts {
        *by_crate.entry(crate_of(&part.name)).or_default() += part.bytes;
        *by_family.entry(family_of(&part.name)).or_default() += part.bytes;
    }
    let mut largest: Vec<&Part> = parts.iter().filter(|p| !p.name.starts_with('[')).collect();
    largest.sort_by_key(|part| std::cmp::Reverse(part.bytes));
    for part in largest.into_iter().take(TOP) {
        let share = part.bytes as f64 * 100.0 / total.max(1) as f64;
        println!(
            "wasm_function[{}]: {} bytes ({share:.1}%)",
            part.name, part.bytes
        );
    }
    for (kind, groups) in [("crate", by_crate), ("family", by_family)] {
        let mut groups: Vec<(String, u64)> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (group, bytes) in groups.into_iter().take(TOP) {
            let share = bytes as f64 * 100.0 / total.max(1) as f64;
            println!("wasm_{kind}[{group}]: {bytes} bytes ({share:.1}%)");
        }
    }
}

/// The crate a function's code belongs to: the crate of the type or function its path starts
/// with (`<orchid_core::Customer as serde::Serialize>::serialize` is `orchid_core`'s), the
/// dropped type's for drop glue; sections and unnamed glue in brackets.
pub fn crate_of(name: &str) -> String {
    if name.starts_with('[') {
        return name.to_owned();
    }
    let mut rest = name;
    loop {
        let trimmed = rest
            .trim_start_matches(['<', '&', '(', '[', '*', ' '])
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .trim_start_matches("dyn ");
        if let Some(inner) = trimmed.strip_prefix("core::ptr::drop_in_place<") {
            rest = inner;
            continue;
        }
        if trimmed.len() == rest.len() {
            break;
        }
        rest = trimmed;
    }
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || !rest[ident.len()..].starts_with("::") {
        return "[no crate: wasm-bindgen glue, compiler builtins]".to_owned();
    }
    ident
}

/// A function's family, by what the code is for: serde per record kind, view code per page or
/// component, a module of the app or the core, or a heavy dependency; else its crate.
pub fn family_of(name: &str) -> String {
    if name.starts_with('[') {
        return name.to_owned();
    }
    if name.contains("serde") {
        return match record_type_in(name) {
            Some(kind) => format!("serde {kind}"),
            None => "serde (serde, serde_json themselves)".to_owned(),
        };
    }
    for area in ["orchid::pages::", "orchid::components::"] {
        if let Some(module) = module_after(name, area) {
            return format!("view {area}{module}");
        }
    }
    const HEAVY: &[(&str, &str)] = &[
        ("argon2", "argon2 + blake2 (PIN hashing)"),
        ("blake2", "argon2 + blake2 (PIN hashing)"),
        ("chrono", "chrono"),
        ("lz4", "lz4"),
        ("regex", "regex"),
        ("core::fmt", "formatting (core::fmt)"),
        ("alloc::fmt", "formatting (core::fmt)"),
        ("dlmalloc", "allocator"),
    ];
    for area in ["orchid::", "orchid_core::"] {
        if name.trim_start_matches('<').starts_with(area)
            && let Some(module) = module_after(name, area)
        {
            return format!("{area}{module}");
        }
    }
    for (needle, family) in HEAVY {
        if name.contains(needle) {
            return (*family).to_owned();
        }
    }
    // Generic code of `core`/`alloc` and the framework for a type of the app or the core.
    for area in ["orchid::", "orchid_core::"] {
        if let Some(module) = module_after(name, area) {
            return format!("{area}{module}");
        }
    }
    let krate = crate_of(name);
    match krate.as_str() {
        "leptos" | "tachys" | "reactive_graph" | "leptos_router" | "any_spawner" => {
            "leptos (framework, not monomorphised for a page)".to_owned()
        }
        "wasm_bindgen" | "js_sys" | "web_sys" => "wasm-bindgen, js-sys, web-sys".to_owned(),
        _ => krate,
    }
}

/// The module right after the first `area` (`orchid::pages::calendar::…` → `calendar`).
fn module_after<'a>(name: &'a str, area: &str) -> Option<&'a str> {
    let start = name.find(area)? + area.len();
    let module: &str = name[start..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    (!module.is_empty()).then_some(module)
}

/// The first of the app's or the core's types a (serde) function is for: the last capitalised
/// segment of the first `orchid_core::…` or `orchid::…` path in the name.
fn record_type_in(name: &str) -> Option<String> {
    let start = ["orchid_core::", "orchid::"]
        .iter()
        .filter_map(|area| name.find(area))
        .min()?;
    let path: String = name[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    path.split("::")
        .filter(|segment| segment.starts_with(|c: char| c.is_ascii_uppercase()))
        .last()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_functions_down_to_their_crate_and_family() {
        let serde = "<orchid_core::model::Customer as serde::de::Deserialize>::deserialize";
        assert_eq!(crate_of(serde), "orchid_core");
        assert_eq!(family_of(serde), "serde Customer");
        let drop = "core::ptr::drop_in_place<chrono::naive::NaiveDate>";
        assert_eq!(crate_of(drop), "chrono");
        let page = "tachys::view::Render::build<orchid::pages::calendar::Calendar::{{closure}}>";
        assert_eq!(crate_of(page), "tachys");
        assert_eq!(family_of(page), "view orchid::pages::calendar");
        assert_eq!(family_of("orchid_core::demo::build"), "orchid_core::demo");
        assert_eq!(family_of("core::fmt::write"), "formatting (core::fmt)");
        assert_eq!(
            crate_of("memcpy"),
            "[no crate: wasm-bindgen glue, compiler builtins]"
        );
        assert_eq!(strip_hash("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(
            without_disambiguators("<orchid_core[49a7]::X as serde_core[14f6]::Y>::f::<[u8; 4]>"),
            "<orchid_core::X as serde_core::Y>::f::<[u8; 4]>"
        );
    }

    #[test]
    fn follows_the_boot_script_to_the_glue_and_the_wasm() {
        let html = r#"<link rel="manifest" href="/manifest.webmanifest"><script type="module" src="/boot-1.js"></script><link rel="stylesheet" href="/style-2.css">"#;
        assert_eq!(
            local_references(html, "/index.html"),
            ["/manifest.webmanifest", "/boot-1.js", "/style-2.css"]
        );
        let boot =
            "import init from '/orchid-3.js'; init({ module_or_path: '/orchid-3_bg.wasm' });";
        assert_eq!(
            local_references(boot, "/boot-1.js"),
            ["/orchid-3.js", "/orchid-3_bg.wasm"]
        );
        let glue = "import { a } from './snippets/orchid-4/js/idb_hooks.js'; new Worker('/sw.js');";
        assert_eq!(
            local_references(glue, "/orchid-3.js"),
            ["/snippets/orchid-4/js/idb_hooks.js"]
        );
    }

    #[test]
    fn the_first_load_leaves_out_the_lazy_chunks_but_not_their_loader() {
        let dir = std::env::temp_dir().join(format!("orchid-first-load-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let files = [
            (
                "index.html",
                r#"<script type="module" src="/boot-1.js"></script>"#,
            ),
            (
                "boot-1.js",
                "import init from '/orchid-5.js'; init({ module_or_path: '/orchid-5_bg.wasm' });",
            ),
            (
                "orchid-5.js",
                "import * as split from './split-loader-5.js';",
            ),
            ("orchid-5_bg.wasm", "main"),
            (
                "split-loader-5.js",
                r#"import { initSync } from "./orchid-5.js"; fetch(new URL("./chunk_1-5.wasm", import.meta.url));"#,
            ),
            ("chunk_1-5.wasm", "lazy"),
        ];
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let first_load = first_load_files(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            first_load,
            [
                "/index.html",
                "/boot-1.js",
                "/orchid-5.js",
                "/orchid-5_bg.wasm",
                "/split-loader-5.js"
            ]
        );
    }
}
