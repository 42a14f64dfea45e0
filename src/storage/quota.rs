//! How much the browser lets the app keep, and asking it not to evict the records
//! (`navigator.storage`).
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::repo::StorageEstimate;

fn manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Usage, quota and whether storage is persistent (what the browser will say).
pub async fn estimate() -> StorageEstimate {
    let Some(m) = manager() else {
        return StorageEstimate::default();
    };
    let mut out = StorageEstimate::default();
    if let Ok(p) = m.estimate()
        && let Ok(v) = JsFuture::from(p).await
        && v.is_object()
    {
        // A dictionary, not a class: there is no `StorageEstimate` to test `instanceof` against,
        // so `dyn_into` always failed here and Settings showed "? / ?".
        let e: web_sys::StorageEstimate = v.unchecked_into();
        out.usage = e.get_usage();
        out.quota = e.get_quota();
    }
    if let Ok(p) = m.persisted()
        && let Ok(v) = JsFuture::from(p).await
    {
        out.persisted = v.as_bool();
    }
    out
}

/// Asks the browser to keep the app's data even when space runs low. `Some(true)` if granted.
pub async fn request_persistence() -> Option<bool> {
    let p = manager()?.persist().ok()?;
    JsFuture::from(p).await.ok()?.as_bool()
}
