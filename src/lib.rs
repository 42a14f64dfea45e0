//! 兰心 Orchid, the client: a Leptos CSR app that keeps the salon's records on the device.
//!
//! Layering (see ARCHITECTURE.md), low to high: `i18n` < `format` < `storage` < `sync`, `pwa` <
//! `state` < `components` < `pages` < `app`; no module uses a higher one and no page another page
//! (`xtask/src/tidy.rs` checks it). `pages` and `components` read and write only through `state`;
//! only `storage` touches localStorage/IndexedDB; only `sync` talks to the server; `pwa` owns the
//! service worker.
pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod pwa;
pub mod state;
pub mod storage;
pub mod sync;
