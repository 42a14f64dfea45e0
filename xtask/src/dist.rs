//! What happens to Trunk's output before it becomes `dist/` (Trunk's post-build hook):
//! 0. the client's wasm is built and split into the first load and lazy chunks (`split.rs`:
//!    Trunk itself cannot split it), with a boot script in a file of its own;
//! 1. an inline boot script in index.html (Trunk writes one when it builds the wasm itself)
//!    moves to a hashed file, so the Content-Security-Policy needs no `'unsafe-inline'`;
//! 2. `sw.js` gets the precache list of exactly the files of this build and a version that
//!    changes whenever any of them does;
//! 3. every text-like file gets `.br` and `.gz` siblings for servers that serve them as they are.
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::{self, command};
use crate::tools::sha256_hex;

/// `trunk build --release` (offline, with the installed tools), output in `dist/`.
pub fn build_client() -> Result<()> {
    cmd::run(command("trunk").args(["build", "--release"]))
}

pub fn finish_dist() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .context("finish-dist runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)")?;
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|profile| profile == "release");
    crate::split::build_split_client(&staging, release)?;
    finish(&staging)
}

pub fn finish(dir: &Path) -> Result<()> {
    move_boot_script_out_of_line(dir)?;
    write_service_worker(dir)?;
    precompress(dir)?;
    Ok(())
}

fn move_boot_script_out_of_line(dir: &Path) -> Result<()> {
    let index_path = dir.join("index.html");
    let html = std::fs::read_to_string(&index_path).context("the build has no index.html")?;
    let Some((before, script, after)) = split_inline_script(&html) else {
        return Ok(());
    };
    let hash = &sha256_hex(script.as_bytes())[..16];
    let name = format!("boot-{hash}.js");
    std::fs::write(dir.join(&name), script).with_context(|| format!("could not write {name}"))?;
    let html = format!("{before}<script type=\"module\" src=\"/{name}\"></script>{after}");
    if split_inline_script(&html).is_some() {
        bail!("index.html has more than one inline script; the CSP forbids them");
    }
    std::fs::write(&index_path, html).context("could not rewrite index.html")?;
    Ok(())
}

/// Finds the first `<script …>…</script>` without a `src`: (text before, script body, text after).
fn split_inline_script(html: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(offset) = html[from..].find("<script") {
        let start = from + offset;
        let open_end = start + html[start..].find('>')?;
        let close = open_end + html[open_end..].find("</script>")?;
        let tag = &html[start..open_end];
        if !tag.contains("src=") {
            let body = &html[open_end + 1..close];
            return Some((&html[..start], body, &html[close + "</script>".len()..]));
        }
        from = close;
    }
    None
}

/// Every file of the build, as URL paths, sorted; not the worker itself nor compressed copies.
pub(crate) fn precache_list(dir: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.retain(|f| f != "/sw.js" && !f.ends_with(".br") && !f.ends_with(".gz"));
    files.sort();
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let url: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(format!("/{}", url.join("/")));
        }
    }
    Ok(())
}

fn write_service_worker(dir: &Path) -> Result<()> {
    let sw_path = dir.join("sw.js");
    let template = std::fs::read_to_string(&sw_path)
        .context("the build has no sw.js (index.html copies public/sw.js)")?;
    let files = precache_list(dir)?;
    let mut all_bytes = Vec::new();
    for file in &files {
        all_bytes.extend_from_slice(file.as_bytes());
        all_bytes.extend(std::fs::read(dir.join(file.trim_start_matches('/')))?);
    }
    let version = &sha256_hex(&all_bytes)[..16];
    let list = serde_json::to_string(&files)?;
    if !template.contains("__PRECACHE_MANIFEST__") || !template.contains("__BUILD_VERSION__") {
        bail!("public/sw.js lost its __PRECACHE_MANIFEST__ / __BUILD_VERSION__ placeholders");
    }
    let sw = template
        .replace("__PRECACHE_MANIFEST__", &list)
        .replace("__BUILD_VERSION__", version);
    std::fs::write(&sw_path, sw).context("could not write sw.js")?;
    Ok(())
}

pub(crate) const COMPRESSIBLE: &[&str] =
    &["html", "js", "wasm", "css", "svg", "webmanifest", "json"];

fn precompress(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    for file in files {
        let ext = file.rsplit('.').next().unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let path = dir.join(file.trim_start_matches('/'));
        let bytes = std::fs::read(&path)?;
        std::fs::write(with_suffix(&path, "br"), brotli_bytes(&bytes)?)?;
        std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&bytes)?)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

pub fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_the_inline_script() {
        let html =
            "<head><script src=\"/a.js\"></script><script type=\"module\">boot()</script></head>";
        let (before, body, after) = split_inline_script(html).unwrap();
        assert_eq!(body, "boot()");
        assert!(before.ends_with("</script>"));
        assert_eq!(after, "</head>");
        assert!(split_inline_script("<script src=\"/x.js\"></script>").is_none());
    }

    #[test]
    fn finishing_a_build_rewrites_the_page_and_fills_the_worker() {
        let dir = std::env::temp_dir().join(format!("orchid-dist-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("icons")).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<html><head><script type=\"module\">import init from '/app-0123456789abcdef.js'; init();</script></head></html>",
        )
        .unwrap();
        std::fs::write(
            dir.join("app-0123456789abcdef.js"),
            "export default function init(){}",
        )
        .unwrap();
        std::fs::write(dir.join("icons/icon.svg"), "<svg/>").unwrap();
        std::fs::write(
            dir.join("sw.js"),
            "const VERSION = '__BUILD_VERSION__'; const PRECACHE = __PRECACHE_MANIFEST__;",
        )
        .unwrap();

        finish(&dir).unwrap();

        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(
            !html.contains("init();"),
            "the inline script is gone: {html}"
        );
        let boot = precache_list(&dir).unwrap();
        let boot_file = boot.iter().find(|f| f.starts_with("/boot-")).unwrap();
        assert!(html.contains(&format!("src=\"{boot_file}\"")));
        let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(sw.contains("\"/icons/icon.svg\""));
        assert!(sw.contains("\"/index.html\""));
        assert!(!sw.contains("\"/sw.js\""));
        assert!(!sw.contains(".br\""));
        assert!(!sw.contains("__BUILD_VERSION__"));
        assert!(dir.join("index.html.br").exists() && dir.join("index.html.gz").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
