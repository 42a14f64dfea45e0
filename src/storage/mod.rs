//! The only code that touches the browser's storage. Small settings live in localStorage
//! (`gloo-storage`); the records will live in IndexedDB (the [store] issue).
pub mod settings;
