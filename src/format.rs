//! Pure helpers that put values into words and figures the same way on every page (no store, no
//! browser): the lowest layer but `i18n`.
use orchid_core::time::{Timestamp, UtcOffset};

/// A moment as the store's local date and time (`2025-03-08 14:30`).
pub fn local_text(offset: UtcOffset, at: Timestamp) -> String {
    offset.local(at).format("%Y-%m-%d %H:%M").to_string()
}
