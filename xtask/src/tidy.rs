//! The client's layers, checked on its source (after rust-analyzer's `tidy` tests).
//!
//! Every `.rs` file under `src/` belongs to a top-level module of the client (`src/i18n/…` →
//! `i18n`, `src/pages/…` → `pages`, `src/app.rs` → `app`; `lib.rs` and `main.rs` are the crate
//! root). Its `crate::…` and `super::…` paths (in `use` trees and in expressions, resolved
//! against the file's module and its inline modules) say which modules it reaches. The test
//! fails when a module reaches a module of a higher layer ([`LAYERS`]) or when a page reaches
//! another page. Today's such arrows are listed in [`ALLOWED`]; the list may only shrink: an
//! entry that no longer occurs fails the test too.
//!
//! Paths that start with neither `crate`, `super` nor `self` are either other crates or children
//! of the module they are written in, so they never leave their top-level module (except in the
//! crate root, which is the top layer) and are not looked at.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The client's layers, low to high. A module may reach modules of its own layer and of lower
/// ones, never of a higher one. `""` is the crate root (`lib.rs`, `main.rs`).
pub const LAYERS: &[&[&str]] = &[
    &["i18n"],
    &["format"],
    &["storage"],
    &["sync", "pwa"],
    &["state"],
    &["components"],
    &["pages"],
    &["app", ""],
];

/// The pages: each one is a feature of its own and reaches no other page.
const PAGES: &str = "pages";

/// Today's arrows against the layers, as (file, module reached). Remove an entry when its arrow
/// goes; never add one (move the shared code down a layer instead).
#[rustfmt::skip]
pub const ALLOWED: &[(&str, &str)] = &[
    // Upward: a module reaching a higher layer.
    ("src/components/complaint_alarm.rs", "pages::complaints"), // Countdown, cw, may, reference, …
    ("src/i18n/bedside_words.rs", "state"), // impl I18n
    ("src/storage/conformance.rs", "state::store"), // StoreHandle: the tests of the whole store
    ("src/storage/conformance.rs", "sync::http"), // HttpError
    ("src/storage/conformance.rs", "sync::run"), // Transport, sync_once
    ("src/sync/run.rs", "state::store"), // StoreHandle, SyncPhase: the loop drives the handle
    ("src/sync/run/tests.rs", "state::store"), // StoreHandle
    // A page reaching another page.
    ("src/pages/bedside.rs", "pages::bedside_visit"), // VisitScreen
    ("src/pages/bedside_visit.rs", "pages::bedside"), // over_text
    ("src/pages/bedside_visit.rs", "pages::bedside_kiosk"), // star_class
    ("src/pages/calendar.rs", "pages::calendar_move"), // MoveDialog, plan_reschedule, …
    ("src/pages/calendar.rs", "pages::waitlist"), // SlotOffers, WaitlistDialog
    ("src/pages/calendar_move.rs", "pages::calendar"), // SlotFields
    ("src/pages/complaint_detail.rs", "pages::complaints"), // Countdown, cw, the words, …
    ("src/pages/complaint_intake.rs", "pages::complaints"), // CHANNELS, cw, may, the words, …
    ("src/pages/complaint_library.rs", "pages::complaints"), // cw, excerpt, may, the words, …
    ("src/pages/complaints.rs", "pages::complaint_detail"), // ComplaintPage
    ("src/pages/complaints.rs", "pages::complaint_intake"), // NewComplaintPage
    ("src/pages/complaints.rs", "pages::complaint_library"), // ComplaintLibraryPage
    ("src/pages/customer.rs", "pages::customer_privacy"), // CustomerPrivacy
    ("src/pages/settings.rs", "pages::bedside"), // LockSetting, PinSetup
    ("src/pages/today.rs", "pages::bedside"), // OverdueSteps
    ("src/pages/waitlist.rs", "pages::calendar_move"), // refusal_text
];

/// Types (and word catalogues) named with one or two letters, as (file, line, name). Comments are
/// skipped; a catalogue's name is the first line inside `word_catalogue! {`.
pub fn short_type_names(files: &[(String, String)]) -> Vec<(String, usize, String)> {
    let short =
        |name: &str| name.len() <= 2 && name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let mut out = Vec::new();
    for (file, src) in files {
        let mut in_catalogue = false;
        for (n, line) in src.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if in_catalogue {
                in_catalogue = false;
                let name = code.trim().trim_end_matches(';');
                if short(name) {
                    out.push((file.clone(), n + 1, name.to_owned()));
                }
            }
            if code.contains("word_catalogue! {") {
                in_catalogue = true;
            }
            // A module-wide alias (`use …::CheckoutWord as W;`) brings the short name back;
            // an alias inside a function (indented) stays there, next to what it abbreviates.
            if let Some(alias) = code
                .strip_prefix("use ")
                .and_then(|rest| rest.trim_end().strip_suffix(';'))
                .and_then(|rest| rest.rsplit_once(" as "))
                .map(|(_, alias)| alias.trim())
                && short(alias)
            {
                out.push((file.clone(), n + 1, alias.to_owned()));
            }
            let words: Vec<&str> = code
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                if matches!(pair[0], "struct" | "enum" | "type" | "trait") && short(pair[1]) {
                    out.push((file.clone(), n + 1, pair[1].to_owned()));
                }
            }
        }
    }
    out
}

/// One path from a file into another module of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The module reached, as far as it is a module: `pages::customer`, `state` (for a name
    /// re-exported by `state/mod.rs`), at most two segments deep.
    pub module: String,
    /// The name used in it (`store_offset`, `*`, …), for the messages.
    pub name: String,
    pub line: usize,
}

/// An arrow the layers forbid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub file: String,
    pub module: String,
    pub names: BTreeSet<String>,
    pub line: usize,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// Rust source as tokens with their lines, without comments, strings, chars and lifetimes.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if at(i) == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                // '\n', '\'', '\u{…}'
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or a label.
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
            let mut hashes = 0;
            while raw_prefix && at(i + hashes) == '#' {
                hashes += 1;
            }
            if raw_prefix && at(i + hashes) == '"' {
                // r"…", r#"…"#: to the quote followed by as many hashes.
                i += hashes + 1;
                while i < chars.len() {
                    if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        i += hashes + 1;
                        break;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            } else if matches!(word.as_str(), "b" | "c") && at(i) == '"' {
                // b"…": the string is skipped on the next turn.
            } else if word == "b" && at(i) == '\'' {
                // b'x': the char is skipped on the next turn.
            } else if word == "r" && hashes == 1 {
                // r#ident
                i += 1;
            } else {
                out.push((Tok::Ident(word), line));
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// The paths of a `use` tree starting at `toks[*pos]`, each with its line, prefixed by `prefix`.
/// Leaves `*pos` on the token that ends the tree (`,`, `}` or `;`).
fn use_tree(
    toks: &[(Tok, usize)],
    pos: &mut usize,
    prefix: &[String],
    out: &mut Vec<(Vec<String>, usize)>,
) {
    let mut path = prefix.to_vec();
    let mut line = toks.get(*pos).map_or(0, |t| t.1);
    while let Some((tok, l)) = toks.get(*pos) {
        match tok {
            Tok::PathSep => *pos += 1,
            Tok::Ident(word) if word == "as" => *pos += 2,
            Tok::Ident(word) => {
                path.push(word.clone());
                line = *l;
                *pos += 1;
            }
            Tok::Punct('*') => {
                path.push("*".to_string());
                line = *l;
                *pos += 1;
            }
            Tok::Punct('{') => {
                *pos += 1;
                loop {
                    use_tree(toks, pos, &path, out);
                    match toks.get(*pos) {
                        Some((Tok::Punct(','), _)) => *pos += 1,
                        Some((Tok::Punct('}'), _)) => {
                            *pos += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return;
            }
            _ => break,
        }
    }
    if path.len() > prefix.len() {
        out.push((path, line));
    }
}

/// `path` as written in module `module` (`["pages", "customer", "tests"]`), from the crate root;
/// `None` when it is not a path into this crate.
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut abs: Vec<String> = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("self") => {
            segments.next();
            module.to_vec()
        }
        Some("super") => module.to_vec(),
        _ => return None,
    };
    while segments.peek().map(|s| s.as_str()) == Some("super") {
        segments.next();
        abs.pop()?;
    }
    abs.extend(segments.filter(|s| *s != "self").cloned());
    Some(abs)
}

/// Every path of `src` (the text of a file of module `module`) that leads into this crate, from
/// the crate root, with its line. Inline modules (`mod tests { … }`) are followed, so a `super::`
/// inside one means the file's own module.
pub fn paths(module: &[String], src: &str) -> Vec<(Vec<String>, usize)> {
    let toks = tokens(src);
    let mut out = Vec::new();
    // The inline modules we are in, each with the brace depth inside it.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut opening: Option<String> = None;
    let mut pos = 0;
    while let Some((tok, line)) = toks.get(pos) {
        let here = || {
            let mut m = module.to_vec();
            m.extend(inline.iter().map(|(name, _)| name.clone()));
            m
        };
        match tok {
            Tok::Punct('{') => {
                depth += 1;
                if let Some(name) = opening.take() {
                    inline.push((name, depth));
                }
                pos += 1;
            }
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
                pos += 1;
            }
            Tok::Ident(word) if word == "mod" => {
                opening = match (toks.get(pos + 1), toks.get(pos + 2)) {
                    (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) => Some(name.clone()),
                    _ => None,
                };
                pos += 1;
            }
            Tok::Ident(word) if word == "use" => {
                pos += 1;
                let mut trees = Vec::new();
                use_tree(&toks, &mut pos, &[], &mut trees);
                let m = here();
                out.extend(
                    trees
                        .into_iter()
                        .filter_map(|(p, l)| resolve(&m, &p).map(|abs| (abs, l))),
                );
            }
            Tok::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && toks.get(pos + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    && (pos == 0 || toks[pos - 1].0 != Tok::PathSep) =>
            {
                let mut path = vec![word.clone()];
                pos += 1;
                while let (Some((Tok::PathSep, _)), Some((Tok::Ident(next), _))) =
                    (toks.get(pos), toks.get(pos + 1))
                {
                    path.push(next.clone());
                    pos += 2;
                }
                if let Some(abs) = resolve(&here(), &path) {
                    out.push((abs, *line));
                }
            }
            _ => pos += 1,
        }
    }
    out
}

/// The module of a file under `src/`: `pages/customer.rs` → `["pages", "customer"]`,
/// `pages/mod.rs` → `["pages"]`, `lib.rs` and `main.rs` → `[]`.
pub fn module_of(relative: &str) -> Vec<String> {
    let without = relative.strip_suffix(".rs").unwrap_or(relative);
    let mut segments: Vec<String> = without.split('/').map(str::to_string).collect();
    if matches!(
        segments.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segments.pop();
    }
    segments
}

fn layer(top: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&top))
}

/// The forbidden arrows of `files` (path under `src/`, text), one per (file, module reached),
/// at its first line. `modules` holds every module that is a file (`["pages", "customer"]`),
/// to tell a module from a name in it.
pub fn violations(files: &[(String, String)]) -> Vec<Violation> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(f, _)| module_of(f)).collect();
    let mut found: BTreeMap<(String, String), Violation> = BTreeMap::new();
    for (file, src) in files {
        let from = module_of(file);
        let from_top = from.first().map_or("", String::as_str);
        for (path, line) in paths(&from, src) {
            let Some(to_top) = path.first() else { continue };
            let depth = if path.len() >= 2 && modules.contains(&path[..2]) {
                2
            } else {
                1
            };
            let reach = Reach {
                module: path[..depth].join("::"),
                name: path
                    .get(depth..)
                    .map(|rest| rest.join("::"))
                    .unwrap_or_default(),
                line,
            };
            let why = match (layer(from_top), layer(to_top)) {
                (None, _) => format!("`{from_top}` is not in tidy::LAYERS"),
                (_, None) => format!("`{to_top}` is not in tidy::LAYERS"),
                (Some(a), Some(b)) if b > a => {
                    format!("`{from_top}` reaches `{to_top}`, a higher layer")
                }
                _ if from_top == PAGES
                    && to_top == PAGES
                    && depth == 2
                    && from.get(1) != path.get(1) =>
                {
                    "a page reaches another page".to_string()
                }
                _ => continue,
            };
            let key = (file.clone(), reach.module.clone());
            let entry = found.entry(key).or_insert_with(|| Violation {
                file: file.clone(),
                module: reach.module.clone(),
                names: BTreeSet::new(),
                line: reach.line,
                why,
            });
            if !reach.name.is_empty() {
                entry.names.insert(reach.name);
            }
        }
    }
    found.into_values().collect()
}

/// Every `.rs` file under `dir`, as (path relative to `dir` with `/`, text), sorted.
pub fn rust_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(base).unwrap_or(&path);
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((name, std::fs::read_to_string(&path)?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(path: &str) -> Vec<String> {
        path.split("::").map(str::to_string).collect()
    }

    fn found(file: &str, src: &str) -> Vec<(String, String)> {
        let files = vec![
            (file.to_string(), src.to_string()),
            ("pages/customer.rs".to_string(), String::new()),
            ("pages/calendar.rs".to_string(), String::new()),
            ("state/store.rs".to_string(), String::new()),
        ];
        violations(&files)
            .into_iter()
            .map(|v| (v.file, v.module))
            .collect()
    }

    #[test]
    fn an_upward_import_is_found() {
        let src = "use crate::pages::customer::store_offset;\nfn f() {}\n";
        assert_eq!(
            found("state/waitlist.rs", src),
            [(
                "state/waitlist.rs".to_string(),
                "pages::customer".to_string()
            )]
        );
        let v = violations(&[("state/waitlist.rs".to_string(), src.to_string())]);
        assert_eq!(v[0].line, 1);
        assert!(v[0].why.contains("higher layer"), "{}", v[0].why);
    }

    #[test]
    fn an_upward_path_in_an_expression_is_found() {
        let src = "fn f() { let x = crate::state::store::validation_msg(1); }";
        assert_eq!(
            found("storage/repo.rs", src),
            [("storage/repo.rs".to_string(), "state::store".to_string())]
        );
    }

    #[test]
    fn downward_and_same_layer_imports_pass() {
        let src = "use crate::state::StoreHandle;\nuse crate::i18n::Msg;\n\
                   use crate::components::{CustomerForm, VirtualList};\nuse super::mod_item;";
        assert_eq!(found("pages/today.rs", src), []);
        assert_eq!(found("sync/run.rs", "use crate::pwa::x;"), []);
    }

    #[test]
    fn a_page_importing_another_page_is_found() {
        let src = "use super::calendar::{SlotFields, store_record};";
        assert_eq!(
            found("pages/customer.rs", src),
            [(
                "pages/customer.rs".to_string(),
                "pages::calendar".to_string()
            )]
        );
        assert_eq!(
            found("pages/calendar.rs", "use crate::pages::calendar::X;"),
            []
        );
    }

    #[test]
    fn use_super_star_inside_mod_tests_is_the_file_itself() {
        let src = "use crate::i18n::Msg;\nfn f() {}\n\
                   #[cfg(test)]\nmod tests {\n    use super::*;\n    fn g() { super::f() }\n}\n\
                   fn h() { use super::customer::x; }\n";
        let paths = paths(&m("pages::calendar"), src);
        assert_eq!(
            paths,
            [
                (m("i18n::Msg"), 1),
                (m("pages::calendar::*"), 5),
                (m("pages::calendar::f"), 6),
                (m("pages::customer::x"), 8),
            ]
        );
        // Only the last one, after the inline module closed, leaves the page.
        assert_eq!(
            found("pages/calendar.rs", src),
            [(
                "pages/calendar.rs".to_string(),
                "pages::customer".to_string()
            )]
        );
    }

    #[test]
    fn a_multi_line_nested_use_tree_is_parsed() {
        let src = "pub use crate::{\n    i18n::{self, Msg as M},\n    state::{store::{\n        \
                   StoreHandle}, AppState},\n    pages::*,\n};\n";
        assert_eq!(
            paths(&m("components::x"), src),
            [
                (m("i18n"), 2),
                (m("i18n::Msg"), 2),
                (m("state::store::StoreHandle"), 4),
                (m("state::AppState"), 4),
                (m("pages::*"), 5),
            ]
        );
        assert_eq!(
            found("components/x.rs", src),
            [("components/x.rs".to_string(), "pages".to_string())]
        );
    }

    #[test]
    fn comments_strings_and_chars_are_not_read() {
        let src = r##"//! See [`crate::pages::customer`].
/* crate::pages::x /* nested */ */
const A: &str = "crate::pages::x";
const B: &str = r#"crate::pages::"x"#;
const C: char = '"'; const D: char = '\''; fn e<'a>(x: &'a str) {}
use crate::pages::y;"##;
        assert_eq!(paths(&m("state::x"), src), [(m("pages::y"), 6)]);
    }

    #[test]
    fn visibility_and_self_type_are_not_paths_out() {
        let src = "pub(crate) fn f() {}\npub(super) struct S;\nfn g() { Self::h(); }";
        assert_eq!(paths(&m("state::x"), src), []);
    }

    #[test]
    fn modules_of_files() {
        assert_eq!(module_of("pages/customer.rs"), m("pages::customer"));
        assert_eq!(module_of("sync/device/tests.rs"), m("sync::device::tests"));
        assert_eq!(module_of("state/mod.rs"), m("state"));
        assert_eq!(module_of("lib.rs"), Vec::<String>::new());
    }

    /// Names say what: no type or word catalogue of the client, the core or the server is named
    /// with one or two letters (the catalogues were `BedsideWord`, `Sw`… — and two different `Sw`).
    #[test]
    fn no_type_has_a_two_letter_name() {
        let root = crate::root();
        let mut problems = Vec::new();
        for dir in ["src", "crates/orchid-core/src", "crates/orchid-server/src"] {
            let files = rust_files(&root.join(dir)).expect("reading the sources");
            problems.extend(
                short_type_names(&files)
                    .into_iter()
                    .map(|(file, line, name)| format!("{dir}/{file}:{line}: `{name}`")),
            );
        }
        assert!(
            problems.is_empty(),
            "type names of one or two letters:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn short_type_names_are_found() {
        let src = "pub enum Bw { A }\nstruct Customer;\nword_catalogue! {\n    Sw;\n    A => (\"\", \"\"),\n}\n// an enum Xy in a comment\nuse crate::i18n::x::CheckoutWord as W;\nfn f() {\n    use Kind as K;\n}\n";
        let found = short_type_names(&[("a.rs".to_owned(), src.to_owned())]);
        assert_eq!(
            found,
            vec![
                ("a.rs".to_owned(), 1, "Bw".to_owned()),
                ("a.rs".to_owned(), 4, "Sw".to_owned()),
                ("a.rs".to_owned(), 8, "W".to_owned())
            ]
        );
    }

    /// The client itself: no arrow against the layers but the allowed ones, and every allowed
    /// one still there.
    #[test]
    fn the_client_keeps_its_layers() {
        let src = crate::root().join("src");
        let files = rust_files(&src).expect("reading src/");
        assert!(files.len() > 10, "no client sources in {}", src.display());
        let allowed: BTreeSet<(&str, &str)> = ALLOWED.iter().copied().collect();
        assert_eq!(allowed.len(), ALLOWED.len(), "an entry of ALLOWED twice");
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for v in violations(&files) {
            let file = format!("src/{}", v.file);
            if allowed.contains(&(file.as_str(), v.module.as_str())) {
                seen.insert((file, v.module));
                continue;
            }
            let names: Vec<&str> = v.names.iter().map(String::as_str).collect();
            problems.push(format!(
                "{file}:{}: reaches `{}` ({}): {}",
                v.line,
                v.module,
                names.join(", "),
                v.why
            ));
        }
        for (file, module) in &allowed {
            if !seen.contains(&(file.to_string(), module.to_string())) {
                problems.push(format!(
                    "{file} no longer reaches `{module}`: remove its line from tidy::ALLOWED"
                ));
            }
        }
        assert!(
            problems.is_empty(),
            "the client's layers (low to high: {}; see ARCHITECTURE.md):\n{}",
            LAYERS
                .iter()
                .map(|layer| layer
                    .iter()
                    .map(|m| if m.is_empty() { "lib/main" } else { m })
                    .collect::<Vec<_>>()
                    .join(", "))
                .collect::<Vec<_>>()
                .join(" < "),
            problems.join("\n")
        );
    }
}
