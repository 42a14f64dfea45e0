//! Browser tests: the client's code in headless Chromium, with the real localStorage.
//! Run with `cargo test -p orchid --target wasm32-unknown-unknown` (the runner is configured in
//! .cargo/config.toml; `cargo xtask test` does it for you).
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy's allow-unwrap-in-tests only knows `#[test]`.
#![allow(clippy::unwrap_used)]

use leptos::prelude::GetUntracked;
use orchid::i18n::{Lang, Msg, tr};
use orchid::storage::settings;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_language_choice_survives_in_local_storage() {
    settings::save_lang(Lang::En).unwrap();
    assert_eq!(settings::load_lang(), Some(Lang::En));
    settings::save_lang(Lang::Zh).unwrap();
    assert_eq!(settings::load_lang(), Some(Lang::Zh));
}

#[wasm_bindgen_test]
fn the_session_is_remembered_and_forgotten() {
    let session = settings::Session {
        token: "t".repeat(43),
        staff_name: "王丽".into(),
        role: "therapist".into(),
        staff_id: None,
        store_id: None,
        expires_at: None,
        must_change_password: false,
        demo_server: false,
    };
    settings::save_session(&session).unwrap();
    assert_eq!(settings::load_session(), Some(session));
    settings::clear_session();
    assert_eq!(settings::load_session(), None);
}

#[wasm_bindgen_test]
fn a_remembered_language_wins_over_the_browser_language() {
    settings::save_lang(Lang::En).unwrap();
    assert_eq!(
        orchid::state::AppState::load().lang.get_untracked(),
        Lang::En
    );
    settings::save_lang(Lang::Zh).unwrap();
    assert_eq!(
        orchid::state::AppState::load().lang.get_untracked(),
        Lang::Zh
    );
    assert_eq!(tr(Lang::Zh, Msg::NavToday), "今日");
}
